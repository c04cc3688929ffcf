//! The sweep's work: the runs of its points, point by point and run by run, in blocks on the
//! worker threads. A worker returns, for each point a block touches, the summary of its runs
//! (exact, so that the pieces of a point merge into the same bits in any split) and their
//! runs.csv rows; [`Assembly`] takes the blocks in run order, appends the runs' rows, and once
//! a point's last run is in, its series.csv rows and its results.csv row. Nothing is held per
//! run, so memory does not grow with `runs`.

use super::Prepared;
use super::journal::Rows;
use crate::engine::step::{Workspace, simulate};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::model::indicators::Layout;
use crate::output::{self, columns};
use crate::statistics::{QUANTILES, Summary};
use std::ops::Range;

/// What a sweep writes besides results.csv.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Extras {
    /// runs.csv: every run of every point, the outputs at the horizon.
    pub per_run: bool,
    /// series.csv: every month of every point, the outputs' mean and quantiles over its runs.
    pub series: bool,
}

/// A worker's state: the last point it compiled, reused while its blocks stay on that point.
#[derive(Default)]
pub(super) struct Worker {
    point: Option<(usize, std::result::Result<Compiled, String>)>,
    /// This run's outputs, in the sweep's order.
    values: Vec<f64>,
}

/// A point compiled, with its buffers.
struct Compiled {
    model: Model,
    layout: Layout,
    ws: Workspace,
}

/// The runs of one point in one block.
pub(super) struct Piece {
    point: usize,
    /// Runs of the point (0..runs), in order.
    runs: Range<u64>,
    /// The selected outputs over these runs: row 0 the horizon, or every month with --series.
    summary: Summary,
    /// Why the point failed: it did not compile, or the first of these runs that broke an
    /// invariant.
    error: Option<String>,
    /// runs.csv rows of these runs.
    rows: Vec<u8>,
}

/// Does the global runs `block` (run g is run g % runs of point g / runs) and returns each
/// point's piece.
pub(super) fn work(p: &Prepared, w: &mut Worker, block: Range<u64>) -> Result<Vec<Piece>> {
    let runs = p.s.runs;
    let mut pieces = Vec::new();
    let mut g = block.start;
    while g < block.end {
        let point = (g / runs) as usize;
        let end = block.end.min((point as u64 + 1) * runs);
        pieces.push(piece(p, w, point, g % runs..end - point as u64 * runs)?);
        g = end;
    }
    Ok(pieces)
}

/// The summary rows a sweep keeps: every month with --series, else the horizon alone.
fn summary_rows(p: &Prepared) -> usize {
    if p.extras.series { p.months + 1 } else { 1 }
}

fn new_summary(p: &Prepared) -> Summary {
    Summary::new(p.outputs.iter().map(|o| o.2).collect(), summary_rows(p))
}

fn piece(p: &Prepared, w: &mut Worker, point: usize, runs: Range<u64>) -> Result<Piece> {
    if w.point.as_ref().is_none_or(|(k, _)| *k != point) {
        w.point = Some((point, compile(p, point)));
    }
    let mut piece = Piece {
        point,
        runs: runs.clone(),
        summary: new_summary(p),
        error: None,
        rows: Vec::new(),
    };
    let c = match &mut w.point {
        Some((_, Ok(c))) => c,
        Some((_, Err(e))) => {
            piece.error = Some(e.clone());
            if p.extras.per_run {
                piece.rows = failed_rows(p, point, runs)?;
            }
            return Ok(piece);
        }
        None => return Err(Error::Internal("a worker without its point".into())),
    };
    let mut csv = output::csv_buffer();
    let (series, months) = (p.extras.series, p.months);
    let values = &mut w.values;
    for r in runs {
        let summary = &mut piece.summary;
        let simulated = simulate(
            &c.model,
            p.s.seed,
            point as u64 * p.s.runs + r,
            &mut c.ws,
            &mut |month, row| {
                if series || month == months {
                    values.clear();
                    values.extend(p.outputs.iter().map(|o| row[o.1]));
                    summary.add_row(if series { month } else { 0 }, values);
                }
            },
        );
        match simulated {
            Ok(()) => {
                piece.summary.end_run();
                if p.extras.per_run {
                    let mut record = vec![point.to_string(), r.to_string()];
                    record.extend(values.iter().map(|&v| output::number(v)));
                    csv.write_record(&record)?;
                }
            }
            Err(v) => {
                let e = Error::Internal(v.describe(&c.model, &c.layout));
                piece.error.get_or_insert_with(|| one_line(&e));
                if p.extras.per_run {
                    csv.write_record(empty_row(p, point, r))?;
                }
            }
        }
    }
    piece.rows = output::take_csv(&mut csv)?;
    Ok(piece)
}

/// The point's scenario, compiled; or why it cannot be (its error on one line).
fn compile(p: &Prepared, point: usize) -> std::result::Result<Compiled, String> {
    let overrides: Vec<(String, f64)> =
        p.s.parameters
            .iter()
            .map(|q| q.path.clone())
            .zip(p.points[point].iter().copied())
            .collect();
    let compiled = p.s.tree.scenario_with(&overrides).and_then(|scenario| {
        let model = Model::compile(&scenario)?;
        if model.months as usize != p.months {
            return Err(Error::Input(format!(
                "the point's horizon is {} months, the sweep's {}: a sweep cannot vary `scenario.months`",
                model.months, p.months
            )));
        }
        let layout = Layout::new(&model);
        let ws = Workspace::new(&model, &layout);
        Ok(Compiled { model, layout, ws })
    });
    compiled.map_err(|e| one_line(&e))
}

fn one_line(e: &Error) -> String {
    e.to_string().replace('\n', " ")
}

/// A run's runs.csv row without values (its point failed, or it broke an invariant).
fn empty_row(p: &Prepared, point: usize, run: u64) -> Vec<String> {
    let mut record = vec![point.to_string(), run.to_string()];
    record.extend(std::iter::repeat_n(String::new(), p.outputs.len()));
    record
}

fn failed_rows(p: &Prepared, point: usize, runs: Range<u64>) -> Result<Vec<u8>> {
    let mut csv = output::csv_buffer();
    for r in runs {
        csv.write_record(empty_row(p, point, r))?;
    }
    output::take_csv(&mut csv)
}

/// The point being put together from its pieces, in run order.
pub(super) struct Assembly<'p> {
    p: &'p Prepared<'p>,
    current: Option<(usize, Summary, Option<String>)>,
}

impl<'p> Assembly<'p> {
    pub fn new(p: &'p Prepared<'p>) -> Assembly<'p> {
        Assembly { p, current: None }
    }

    /// Takes a block's pieces (in run order) and returns the rows they complete.
    pub fn add(&mut self, pieces: Vec<Piece>) -> Result<Rows> {
        let mut rows = Rows::default();
        let (mut series, mut results) = (output::csv_buffer(), output::csv_buffer());
        for piece in pieces {
            rows.runs.extend_from_slice(&piece.rows);
            let last = piece.runs.end == self.p.s.runs;
            match &mut self.current {
                Some((point, summary, error)) if *point == piece.point => {
                    summary.merge(&piece.summary);
                    if error.is_none() {
                        *error = piece.error;
                    }
                }
                None if piece.runs.start == 0 => {
                    self.current = Some((piece.point, piece.summary, piece.error));
                }
                _ => {
                    return Err(Error::Internal(format!(
                        "runs {:?} of point {} arrived out of order",
                        piece.runs, piece.point
                    )));
                }
            }
            if last {
                let (point, summary, error) = self
                    .current
                    .take()
                    .ok_or_else(|| Error::Internal("no point to complete".into()))?;
                let ok = error.is_none().then_some(&summary);
                if self.p.extras.series {
                    self.series_rows(&mut series, point, ok)?;
                }
                results.write_record(self.result_row(point, ok, error)?)?;
            }
        }
        rows.series = output::take_csv(&mut series)?;
        rows.results = output::take_csv(&mut results)?;
        Ok(rows)
    }

    /// A point's row of results.csv: its outputs' statistics at the horizon, or empty cells
    /// and why it failed.
    fn result_row(
        &self,
        point: usize,
        summary: Option<&Summary>,
        error: Option<String>,
    ) -> Result<Vec<String>> {
        let mut record = vec![point.to_string()];
        match summary {
            Some(summary) => {
                let horizon = summary_rows(self.p) - 1;
                for k in 0..self.p.outputs.len() {
                    let m = super::super::moments(summary, horizon, k)?;
                    // In the order of columns::RESULT_STATS: mean, sd, p05, p50, p95.
                    record.extend(
                        [m.mean, m.sd, m.quantiles[0], m.quantiles[2], m.quantiles[4]]
                            .map(output::number),
                    );
                }
                record.push(String::new());
            }
            None => {
                record.extend(std::iter::repeat_n(
                    String::new(),
                    self.p.outputs.len() * columns::RESULT_STATS.len(),
                ));
                record.push(error.unwrap_or_default());
            }
        }
        Ok(record)
    }

    /// A point's rows of series.csv, one per month: each output's mean and quantiles, or empty
    /// cells for a failed point.
    fn series_rows(
        &self,
        csv: &mut csv::Writer<Vec<u8>>,
        point: usize,
        summary: Option<&Summary>,
    ) -> Result<()> {
        let cells = self.p.outputs.len() * columns::SERIES_STATS.len();
        for month in 0..=self.p.months {
            let mut record = vec![
                point.to_string(),
                self.p.start.plus(month as i64).to_string(),
            ];
            match summary {
                Some(summary) => {
                    for k in 0..self.p.outputs.len() {
                        let m = super::super::moments(summary, month, k)?;
                        record.push(output::number(m.mean));
                        record.extend(m.quantiles.map(output::number));
                    }
                }
                None => record.extend(std::iter::repeat_n(String::new(), cells)),
            }
            csv.write_record(&record)?;
        }
        debug_assert_eq!(QUANTILES.len() + 1, columns::SERIES_STATS.len());
        Ok(())
    }
}
