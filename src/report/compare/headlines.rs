//! "In short": a variant's headline per state (today, both scenarios at the horizon, the
//! difference, the chances that change) and for the region.

use super::words::share_of_worlds;
use super::{Comparison, Side};
use crate::error::Result;
use crate::report::data::Compared;
use crate::report::horizon;
use crate::report::html::{aligned, capitalise, difference, escape, probability};
use crate::report::run::relevant;
use std::fmt::Write;

/// The list of headlines: a line per state whose alignment the variant visibly moves (or whose
/// chances it changes), one line for the states it does not, then the region's.
pub fn list(out: &mut String, cmp: &Comparison, variant: &Side) -> Result<()> {
    let end = horizon(&cmp.base().series);
    let _ = writeln!(out, "<h3>In short, by {end}</h3><ul class=\"headlines\">");
    let mut unmoved = Vec::new();
    for u in &cmp.units {
        match state_line(cmp, variant, u)? {
            Headline::Line(line) => {
                let _ = writeln!(out, "{line}");
            }
            Headline::Unmoved => unmoved.push(escape(&cmp.unit_name(u))),
            Headline::None => {}
        }
    }
    if !unmoved.is_empty() {
        let _ = writeln!(
            out,
            "<li><b>No visible effect</b> on {}: the difference rounds to 0.00 {}.</li>",
            unmoved.join(", "),
            match cmp.has_draws() {
                true => "in 90 % of plausible worlds",
                false => "and its interval too",
            }
        );
    }
    let words = region_words(cmp, variant)?;
    if !words.is_empty() {
        let _ = writeln!(out, "<li><b>The region</b>: {}.</li>", words.join("; "));
    }
    out.push_str("</ul>\n");
    Ok(())
}

/// A state's headline.
enum Headline {
    /// Its line.
    Line(String),
    /// The variant moves neither its alignment (to two decimals) nor any chance by a point.
    Unmoved,
    /// No alignment in both scenarios.
    None,
}

/// Whether a difference rounds to 0.00 at both ends of its range.
fn invisible(low: f64, high: f64) -> bool {
    low.abs() < 0.005 && high.abs() < 0.005
}

/// A state's headline: today, the horizon in both scenarios, the difference — first its range
/// across plausible worlds (what we do not know), then the mean over runs with its precision —
/// and the chances that change.
fn state_line(cmp: &Comparison, variant: &Side, u: &str) -> Result<Headline> {
    let Some((rb, rv)) = cmp.pair(variant, u, "alignment") else {
        return Ok(Headline::None);
    };
    let (changes, any_changed) = chances(cmp, variant, u)?;
    let shown = rv
        .effect
        .map(|e| (e.low, e.high))
        .or(rv.diff.map(|d| (d.low, d.high)));
    if !any_changed && shown.is_some_and(|(lo, hi)| invisible(lo, hi)) {
        return Ok(Headline::Unmoved);
    }
    let (b, v) = (&cmp.base().folder, &variant.folder);
    let mut line = format!("<li><b>{}</b>: ", escape(&cmp.unit_name(u)));
    if let Some(t) = cmp.today(u) {
        let _ = write!(line, "today {}; ", aligned(t));
    }
    let _ = write!(
        line,
        "by {} {} with {}, {} with {}",
        horizon(&cmp.base().series),
        aligned(rb.stat.p50),
        escape(b),
        aligned(rv.stat.p50),
        escape(v)
    );
    match (rv.effect, rv.effect_sign, rv.diff) {
        (Some(effect), Some(sign), Some(d)) => {
            let _ = write!(
                line,
                ": a difference of {} in the median plausible world, {} to {} in 90 % of them, toward the West in {}, toward Moscow in {} <span class=\"muted\">(the mean over runs, {}, is that mean's precision, not what we do not know)</span>",
                aligned(effect.value),
                aligned(effect.low),
                aligned(effect.high),
                share_of_worlds(sign.negative),
                share_of_worlds(sign.positive),
                difference(d.value, d.low, d.high)
            );
        }
        (_, _, Some(d)) => {
            let _ = write!(
                line,
                " (difference {}, with today's coefficients only: the ± is the precision of the mean over runs)",
                difference(d.value, d.low, d.high)
            );
        }
        _ => {}
    }
    line.push('.');
    if !changes.is_empty() {
        let _ = write!(line, " {}.", capitalise(&changes.join("; ")));
    }
    line.push_str("</li>");
    Ok(Headline::Line(line))
}

/// A state's threshold events in words (each one's chance from indicators.csv): leaning to
/// Moscow always (the question of the page), other events when they change by a point or
/// more; and whether any changes by a point or more.
fn chances(cmp: &Comparison, variant: &Side, u: &str) -> Result<(Vec<String>, bool)> {
    let runs = cmp.m.runs;
    let (mut words, mut any) = (Vec::new(), false);
    for ev in cmp.events_of(&variant.folder, u) {
        let Some((pb, pv)) = probabilities(cmp, u, ev) else {
            continue;
        };
        let changed = (pv - pb).abs() >= 0.01;
        any |= changed;
        if !changed && ev.indicator != "moscow_leaning" {
            continue;
        }
        let chance = escape(cmp.words().chance(&ev.indicator)?);
        words.push(if changed {
            format!(
                "{chance}: {} → {}",
                probability(pb, runs),
                probability(pv, runs)
            )
        } else {
            format!("{chance}: {} in both", probability(pb, runs))
        });
    }
    Ok((words, any))
}

/// The probabilities of the variant's event `ev` of `u` with the baseline and with the
/// variant.
fn probabilities(cmp: &Comparison, u: &str, ev: &Compared) -> Option<(f64, f64)> {
    let pv = ev.probability?.value;
    let pb = cmp
        .find(&cmp.base().folder, u, &ev.indicator)?
        .probability?
        .value;
    Some((pb, pv))
}

/// The region in words (the indicators' from indicators.csv): its mean alignment, the
/// expected number of Moscow-leaning states, and the regional events that concern the variant.
fn region_words(cmp: &Comparison, variant: &Side) -> Result<Vec<String>> {
    let runs = cmp.m.runs;
    let mut words = Vec::new();
    if let Some((rb, rv)) = cmp.pair(variant, "region", "mean_alignment") {
        words.push(format!(
            "mean {} {} → {}",
            escape(cmp.alignment()?),
            aligned(rb.stat.p50),
            aligned(rv.stat.p50)
        ));
    }
    if let Some((rb, rv)) = cmp.pair(variant, "region", "moscow_leaning_states") {
        words.push(format!(
            "expected number of {} {:.2} → {:.2}",
            escape(cmp.words().label("moscow_leaning_states")?),
            rb.stat.mean,
            rv.stat.mean
        ));
    }
    for ev in cmp.events_of(&variant.folder, "region") {
        if !relevant(&variant.scenario, &ev.indicator) {
            continue;
        }
        let Some((pb, pv)) = probabilities(cmp, "region", ev) else {
            continue;
        };
        let label = escape(cmp.words().label(&ev.indicator)?);
        words.push(if (pv - pb).abs() < 0.01 {
            format!("{label} {} in both", probability(pb, runs))
        } else {
            format!(
                "{label} {} → {}",
                probability(pb, runs),
                probability(pv, runs)
            )
        });
    }
    Ok(words)
}
