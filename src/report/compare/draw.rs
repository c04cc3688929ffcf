//! A comparison's charts: per variant, a forest plot of its differences at the horizon and each
//! state's fan chart beside the baseline's; the regional indicators of every scenario.

use super::{Comparison, Side};
use crate::error::Result;
use crate::report::charts::{Arm, Fan, FanSize, Forest, ForestRow, scenario_colour};
use crate::report::run::policy_marks;
use crate::report::{Charts, constant, fan_words, file_name, horizon, regional_line, with_draws};

/// The variant's difference from the baseline in alignment at the horizon, per state, on a
/// fixed scale: with parameter draws, the median effect and the range of 90 % of plausible
/// worlds; otherwise the mean difference and its 95 % interval.
pub fn forest(charts: &mut Charts<'_>, cmp: &Comparison, variant: &Side) -> Result<()> {
    let base = cmp.base();
    let alignment = cmp.alignment()?;
    let rows: Vec<ForestRow> = cmp
        .units
        .iter()
        .filter_map(|u| {
            let r = cmp.find(&variant.folder, u, "alignment")?;
            let d = r.effect.or(r.diff)?;
            Some(ForestRow {
                name: cmp.unit_name(u),
                diff: d.value,
                low: d.low,
                high: d.high,
            })
        })
        .collect();
    let scale = Forest::scale(&rows);
    let x_desc = if with_draws(cmp.m) {
        format!(
            "difference in {alignment} (← West · Moscow →), fixed scale ±{scale}: median, 90 % of plausible worlds"
        )
    } else {
        format!(
            "difference in {alignment} (← toward the West · toward Moscow →), fixed scale ±{scale}"
        )
    };
    let title = format!(
        "{} − {}: {alignment} at {} ({} runs, seed {})",
        variant.folder,
        base.folder,
        horizon(&base.series),
        cmp.m.runs,
        cmp.m.seed
    );
    let chart = Forest {
        title,
        x_desc,
        rows,
        diverging: true,
    };
    charts.add(format!("forest-{}", file_name(&variant.folder)), chart);
    Ok(())
}

/// Each state's fan chart of the baseline and the variant (the `k`th scenario, for its colour)
/// overlaid, with both scenarios' policies marked; a note for a state whose alignment is the
/// same in every month and run of both.
pub fn fans<'a>(
    charts: &mut Charts<'a>,
    cmp: &'a Comparison,
    k: usize,
    variant: &'a Side,
) -> Result<()> {
    let base = cmp.base();
    let words = fan_words(cmp.words())?;
    let mut marks = policy_marks(&variant.scenario, &variant.series);
    marks.extend(policy_marks(&base.scenario, &base.series));
    marks.sort_by(|a, b| a.0.total_cmp(&b.0));
    marks.dedup_by(|a, b| a.0 == b.0);
    for u in &cmp.units {
        let name = format!("fan-{}-{}", file_name(&variant.folder), file_name(u));
        let (Some(b), Some(v)) = (
            base.series.get(u, "alignment"),
            variant.series.get(u, "alignment"),
        ) else {
            continue;
        };
        if constant(b) && constant(v) {
            let text = format!(
                "{}: {:+.2} in every month and run of both scenarios (not drawn).",
                cmp.unit_name(u),
                b[0].p50
            );
            charts.note(&name, text);
            continue;
        }
        let arm = |side: &Side, series, colour| Arm {
            name: side.folder.clone(),
            series,
            colour,
        };
        let fan = Fan {
            title: cmp.unit_name(u),
            arms: vec![
                arm(base, b, scenario_colour(0)),
                arm(variant, v, scenario_colour(k)),
            ],
            start: base.series.start,
            theta: base.scenario.params.leaning_threshold,
            events: Vec::new(),
            runs: cmp.m.runs,
            size: FanSize::Half,
            marks: marks.clone(),
            words: words.clone(),
        };
        charts.add(name, fan);
    }
    Ok(())
}

/// The regional indicators of every scenario, overlaid.
pub fn regional<'a>(charts: &mut Charts<'a>, cmp: &'a Comparison) -> Result<()> {
    let lines = cmp
        .arms
        .iter()
        .filter_map(|a| regional_line(&a.folder, &a.series))
        .collect();
    let title = format!(
        "Regional indicators, scenarios overlaid ({} runs each, seed {})",
        cmp.m.runs, cmp.m.seed
    );
    crate::report::regional(charts, title, cmp.base().series.start, lines, cmp.words())
}
