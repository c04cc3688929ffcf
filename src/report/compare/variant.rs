//! A variant's section of the comparison's page: its headlines, alignment at the horizon
//! (levels beside the difference, and the forest plot), every threshold event's probability
//! in both scenarios, and each state's fan chart.

use super::{Comparison, Side, headlines};
use crate::error::Result;
use crate::report::data::Estimate;
use crate::report::html::{
    aligned, aligned_range, capitalise, difference, escape, figure, figure_or_note, points,
    probability,
};
use crate::report::{Drawn, bands_measure, file_name, horizon, with_draws};
use crate::scenario::PARAM_SPECS;
use std::fmt::Write;

/// The section of `variant` against the baseline.
pub fn section(out: &mut String, cmp: &Comparison, variant: &Side, drawn: &Drawn) -> Result<()> {
    let alignment = cmp.alignment()?;
    let _ = write!(
        out,
        "<h2>With {} instead of {}</h2>",
        escape(&variant.folder),
        escape(&cmp.base().folder)
    );
    headlines::list(out, cmp, variant)?;
    levels(out, cmp, variant)?;
    let forest = format!("forest-{}", file_name(&variant.folder));
    if drawn.has(&forest) {
        let what = if with_draws(cmp.m) {
            format!(
                "The difference in {alignment} at the horizon per state across plausible worlds (draws of the uncertain coefficients): the dot its median, the bar the range of 90 % of them."
            )
        } else {
            format!(
                "The paired difference in {alignment} at the horizon per state, with its 95 % interval (run-to-run noise only)."
            )
        };
        figure(
            out,
            &forest,
            &format!(
                "{what} Negative is toward the West. The scale is fixed at ±0.5 for every comparison (±1 or ±2 only when a difference is larger; the axis says which), so that a small effect looks small. Where an interval is narrower than its dot, the dot hides it."
            ),
        );
    }
    events(out, cmp, variant)?;
    super::why::why(out, cmp, variant)?;
    fans(out, cmp, variant, drawn)?;
    Ok(())
}

/// Each state's alignment at the horizon in both scenarios (median and 90 % of runs) beside
/// today's and the difference.
fn levels(out: &mut String, cmp: &Comparison, variant: &Side) -> Result<()> {
    let (b, v) = (cmp.base().folder.as_str(), variant.folder.as_str());
    let end = horizon(&cmp.base().series);
    let _ = writeln!(
        out,
        "<h3>{2} at {end}: levels and difference</h3><div class=\"table\"><table><tr><th>state</th><th>today</th>\
<th>{0}: median</th><th>{0}: 90 % of runs</th><th>{1}: median</th><th>{1}: 90 % of runs</th>\
<th>difference (95 % interval)</th></tr>",
        escape(b),
        escape(v),
        escape(&capitalise(cmp.alignment()?))
    );
    for u in &cmp.units {
        let Some((rb, rv)) = cmp.pair(variant, u, "alignment") else {
            continue;
        };
        let today = cmp.today(u).map_or_else(String::new, aligned);
        let diff = rv
            .diff
            .map_or_else(String::new, |d| difference(d.value, d.low, d.high));
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{today}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{diff}</td></tr>",
            escape(&cmp.unit_name(u)),
            aligned(rb.stat.p50),
            aligned_range(rb.stat.p05, rb.stat.p95),
            aligned(rv.stat.p50),
            aligned_range(rv.stat.p05, rv.stat.p95),
        );
    }
    out.push_str("</table></div>\n");
    Ok(())
}

/// Every threshold event of the states: its probability today, and with the baseline and with
/// the variant at the horizon, per state; an event whose chance per month is a parameter's
/// default (a modelling choice, not the scenario's estimate) is marked. Nothing without events.
fn events(out: &mut String, cmp: &Comparison, variant: &Side) -> Result<()> {
    let mut kinds: Vec<&String> = Vec::new();
    for u in &cmp.units {
        for ev in cmp.events_of(&variant.folder, u) {
            if !kinds.contains(&&ev.indicator) {
                kinds.push(&ev.indicator);
            }
        }
    }
    if kinds.is_empty() {
        return Ok(());
    }
    let end = horizon(&cmp.base().series);
    let _ = write!(
        out,
        "<h3>Threshold events at {end}: probability today · with {} → with {}</h3><div class=\"table\"><table><tr><th>state</th>",
        escape(&cmp.base().folder),
        escape(&variant.folder)
    );
    let mut defaults = Vec::new();
    for kind in &kinds {
        let mark = match default_hazard(cmp, kind)? {
            Some(note) => {
                defaults.push(note);
                " †"
            }
            None => "",
        };
        let _ = write!(out, "<th>{}{mark}</th>", escape(cmp.words().label(kind)?));
    }
    out.push_str("</tr>\n");
    for u in &cmp.units {
        let _ = write!(out, "<tr><td>{}</td>", escape(&cmp.unit_name(u)));
        for kind in &kinds {
            let today = (cmp.base().series.get(u, kind))
                .and_then(|s| s.first())
                .map(|s| s.mean);
            let cell = cmp
                .pair(variant, u, kind)
                .map_or_else(String::new, |(rb, rv)| {
                    probabilities(today, rb.probability, rv.probability, cmp.m.runs)
                });
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table></div>\n<p class=\"muted\">Each probability is the share of runs in which the event holds (today: in the start month; then at the horizon; a bound such as “&lt; 0.5 %” where no run had it); comparison.csv gives each one's Wilson 95 % interval.");
    for note in defaults {
        let _ = write!(out, " † {note}");
    }
    out.push_str("</p>\n");
    Ok(())
}

/// Where event `kind`'s chance per month is its parameter's default in the baseline (a
/// modelling choice, not estimated for the scenario): a note saying what that implies.
fn default_hazard(cmp: &Comparison, kind: &str) -> Result<Option<String>> {
    let key = cmp.words().hazard(kind)?;
    let Some(spec) = PARAM_SPECS.iter().find(|p| p.key == key) else {
        return Ok(None);
    };
    let value = cmp.base().scenario.number_at(&format!("params.{key}"));
    if value.is_some_and(|v| v != spec.default) {
        return Ok(None);
    }
    let months = 108.0_f64;
    Ok(Some(format!(
        "{}: its chance per month is the default <code>{key}</code> = {}, a modelling choice (docs/MODEL.md 7.7), not an estimate: once the event is possible it comes within nine years with probability 1 − (1 − {})<sup>108</sup> = {:.0} %, whatever the scenario does, so read its level as that default's, and only the difference between the scenarios as the model's.",
        escape(cmp.words().label(kind)?),
        spec.default,
        spec.default,
        100.0 * (1.0 - (1.0 - spec.default).powf(months)),
    )))
}

/// A cell of the events table: the probability today, then in both scenarios at the horizon
/// (or with the baseline → with the variant, and the change in points).
fn probabilities(
    today: Option<f64>,
    base: Option<Estimate>,
    variant: Option<Estimate>,
    runs: u64,
) -> String {
    let today = match today {
        Some(t) => format!(
            "<span class=\"muted\">today {}</span><br>",
            probability(t, runs)
        ),
        None => String::new(),
    };
    match (base, variant) {
        (Some(pb), Some(pv)) if (pv.value - pb.value).abs() < 0.0005 => format!(
            "{today}<span class=\"muted\">{} in both</span>",
            probability(pb.value, runs)
        ),
        (Some(pb), Some(pv)) => format!(
            "{today}<b>{} → {}</b><br><span class=\"muted\">{}</span>",
            probability(pb.value, runs),
            probability(pv.value, runs),
            points(pv.value - pb.value)
        ),
        _ => String::new(),
    }
}

/// Each state's fan chart of both scenarios (or its note).
fn fans(out: &mut String, cmp: &Comparison, variant: &Side, drawn: &Drawn) -> Result<()> {
    let _ = writeln!(
        out,
        "<h3>Each state over time</h3><p class=\"muted\">Median {} of {} (black) and {} (colour) with the bands \
of 50 % and 90 % of runs — {}. Each chart's y axis fits its data, showing at least ±0.1 around \
the median paths, so compare levels by the numbers on the axis; dashed lines: the leaning thresholds, labelled.</p><div class=\"fans\">",
        escape(cmp.alignment()?),
        escape(&cmp.base().folder),
        escape(&variant.folder),
        bands_measure(cmp.m)
    );
    for u in &cmp.units {
        let name = format!("fan-{}-{}", file_name(&variant.folder), file_name(u));
        figure_or_note(out, drawn, &name, &cmp.unit_name(u));
    }
    out.push_str("</div>\n");
    Ok(())
}
