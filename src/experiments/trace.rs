//! trace.csv (`spheres run --trace K`): for the first K runs, each government's alignment
//! every month, its move over the month split by channel (docs/MODEL.md 7.4, "Channels"; the
//! parts sum to the move), and its stock of each lever.

use crate::engine::step::TraceRow;
use crate::error::Result;
use crate::model::Model;
use crate::model::channels::CHANNELS;
use crate::output::number;
use crate::scenario::Lever;

/// trace.csv's header: run, date, state, alignment, each channel, then `stock_<lever>`.
pub(super) fn header() -> Vec<String> {
    let fixed = ["run", "date", "state", "alignment"].map(String::from);
    (fixed.into_iter())
        .chain(CHANNELS.iter().map(|c| c.to_string()))
        .chain(Lever::ALL.iter().map(|l| format!("stock_{}", l.name())))
        .collect()
}

/// The rows of one traced run.
pub(super) fn write(
    w: &mut csv::Writer<Vec<u8>>,
    run: u64,
    model: &Model,
    rows: &[TraceRow],
) -> Result<()> {
    for r in rows {
        let mut cells = vec![
            run.to_string(),
            model.start.plus(i64::from(r.month)).to_string(),
            model.codes[r.state].clone(),
            number(r.alignment),
        ];
        cells.extend(r.parts.iter().map(|v| number(*v)));
        cells.extend(r.stocks.iter().map(|v| number(*v)));
        w.write_record(&cells)?;
    }
    Ok(())
}
