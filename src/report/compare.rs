//! A comparison's report: each scenario's own report in its subfolder, then, per variant, the
//! headline per state in words and numbers, levels beside differences, every threshold event's
//! probability in both scenarios, a forest plot on a fixed scale, each state's fan charts
//! overlaid, and the regional indicators of all scenarios; and what the intervals measure.

use super::charts::{Arm, Fan, FanSize, Forest, ForestRow, Regional};
use super::data::{self, Compared, Series};
use super::html::{
    aligned, aligned_range, difference, escape, figure, figure_or_note, head, links, note, points,
    probability,
};
use super::run::{self, arm_colour, policy_marks, start_words};
use super::{
    Drawing, Written, charts_dir, constant, drawing, file_name, horizon, regional_panels, run_all,
    unit_name,
};
use crate::error::Result;
use crate::output::AtomicFile;
use crate::output::manifest::{self, Manifest};
use crate::scenario::{Lever, Scenario};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// One scenario of the comparison: its folder, resolved scenario and summary.
struct Side {
    folder: String,
    scenario: Scenario,
    series: Series,
}

/// "chance of …" for a state's threshold event.
fn chance_of(indicator: &str) -> String {
    match indicator {
        "moscow_leaning" => "chance of leaning to Moscow".into(),
        "eu_member" => "chance of EU membership".into(),
        "nato_member" => "chance of NATO membership".into(),
        "hosts_russian_asset" => "chance of hosting a Russian military asset".into(),
        other => format!("chance of {}", event_words(other)),
    }
}

/// Threshold events in words, by indicator; others are written with spaces for underscores.
fn event_words(indicator: &str) -> String {
    match indicator {
        "moscow_leaning" => "leans to Moscow".into(),
        "eu_member" => "EU member".into(),
        "nato_member" => "NATO member".into(),
        "hosts_russian_asset" => "hosts a Russian military asset".into(),
        "adriatic_access" => "Russian naval access on the Adriatic".into(),
        "asset_near_bondsteel" => "a Russian asset within reach of Camp Bondsteel".into(),
        other => other.replace('_', " "),
    }
}

pub fn report(dir: &Path, m: &Manifest, c: &manifest::Compare) -> Result<Written> {
    let mut written = Written::default();
    let mut arms: Vec<Side> = Vec::new();
    for s in &c.scenarios {
        let sub = dir.join(&s.folder);
        let w = run::report(&sub, m, Some("../index.html"))?;
        written.pages.extend(w.pages);
        arms.push(Side {
            folder: s.folder.clone(),
            scenario: data::read_scenario(&sub)?,
            series: data::read_summary(&sub.join("summary.csv"))?,
        });
    }
    let rows = data::read_comparison(dir)?;
    let out = charts_dir(dir)?;
    let mut drawings: Vec<(String, Drawing)> = Vec::new();
    let mut notes: Vec<(String, String)> = Vec::new();
    let Some(base) = arms.first() else {
        return Ok(written);
    };
    let theta = base.scenario.params.leaning_threshold;
    let units: Vec<&String> = base
        .series
        .units
        .iter()
        .filter(|u| base.series.get(u, "alignment").is_some())
        .collect();
    let drawn = super::bands_measure(m) != super::NOISE_ONLY;
    for (k, variant) in arms.iter().enumerate().skip(1) {
        let forest: Vec<ForestRow> = units
            .iter()
            .filter_map(|u| {
                let r = find(&rows, &variant.folder, u, "alignment")?;
                // With parameter draws, the range of 90 % of plausible worlds around the
                // median effect; otherwise the mean difference's 95 % interval.
                let (diff, low, high) = match r.effect {
                    Some((p05, p50, p95)) => (p50, p05, p95),
                    None => r.diff?,
                };
                Some(ForestRow {
                    name: unit_name(&base.scenario, u),
                    diff,
                    low,
                    high,
                })
            })
            .collect();
        let scale = Forest::scale(&forest);
        drawings.push(drawing(
            &out,
            format!("forest-{}", file_name(&variant.folder)),
            Forest {
                title: format!(
                    "{} − {}: alignment at {} ({} runs, seed {})",
                    variant.folder,
                    base.folder,
                    horizon(&base.series),
                    m.runs,
                    m.seed
                ),
                x_desc: match drawn {
                    true => format!(
                        "difference in alignment (← West · Moscow →), fixed scale ±{scale}: median, 90 % of plausible worlds"
                    ),
                    false => format!(
                        "difference in alignment (← toward the West · toward Moscow →), fixed scale ±{scale}"
                    ),
                },
                rows: forest,
                diverging: true,
            },
        ));
        let mut marks = policy_marks(&variant.scenario, &variant.series);
        marks.extend(policy_marks(&base.scenario, &base.series));
        marks.sort_by(|a, b| a.0.total_cmp(&b.0));
        marks.dedup_by(|a, b| a.0 == b.0);
        for u in &units {
            let name = format!("fan-{}-{}", file_name(&variant.folder), file_name(u));
            let (Some(b), Some(v)) = (
                base.series.get(u, "alignment"),
                variant.series.get(u, "alignment"),
            ) else {
                continue;
            };
            if constant(b) && constant(v) {
                notes.push((
                    name,
                    format!(
                        "{}: {:+.2} in every month and run of both scenarios (not drawn).",
                        unit_name(&base.scenario, u),
                        b[0].q[2]
                    ),
                ));
                continue;
            }
            drawings.push(drawing(
                &out,
                name,
                Fan {
                    title: unit_name(&base.scenario, u),
                    arms: vec![
                        Arm {
                            name: base.folder.clone(),
                            series: b,
                            colour: arm_colour(0),
                        },
                        Arm {
                            name: variant.folder.clone(),
                            series: v,
                            colour: arm_colour(k),
                        },
                    ],
                    start: base.series.start,
                    theta,
                    events: Vec::new(),
                    runs: m.runs,
                    size: FanSize::Half,
                    marks: marks.clone(),
                },
            ));
        }
    }
    let lines: Vec<super::RegionalLine> = arms
        .iter()
        .filter_map(|a| {
            let s = &a.series;
            Some((
                a.folder.as_str(),
                s.get("region", "mean_alignment")?,
                s.get("region", "moscow_leaning_states")?,
                s.get("region", "adriatic_access")?,
            ))
        })
        .collect();
    if !lines.is_empty() {
        let (panels, flat) = regional_panels(lines);
        if panels.is_empty() {
            notes.push(("regional".into(), flat.join(" ")));
        } else {
            if !flat.is_empty() {
                notes.push(("regional-flat".into(), flat.join(" ")));
            }
            drawings.push(drawing(
                &out,
                "regional".into(),
                Regional {
                    title: format!(
                        "Regional indicators, scenarios overlaid ({} runs each, seed {})",
                        m.runs, m.seed
                    ),
                    start: base.series.start,
                    panels,
                },
            ));
        }
    }
    let charts = run_all(drawings)?;
    let page = page(dir, m, c, &arms, &units, &rows, &charts, &notes)?;
    written.pages.insert(0, page);
    written.charts = charts;
    Ok(written)
}

fn find<'a>(
    rows: &'a [Compared],
    scenario: &str,
    unit: &str,
    indicator: &str,
) -> Option<&'a Compared> {
    rows.iter()
        .find(|r| r.scenario == scenario && r.state == unit && r.indicator == indicator)
}

/// A policy in words: "EU from 2025-11 (M EUR a year): accession 1500, aid 2000 — description".
fn policy_words(scenario: &Scenario) -> Vec<String> {
    scenario
        .policy
        .iter()
        .map(|p| {
            let budgets: Vec<String> = Lever::ALL
                .iter()
                .zip(&p.budget)
                .filter_map(|(lever, b)| b.map(|b| format!("{} {b}", lever.name())))
                .collect();
            let mut words = format!(
                "{} from {} (M EUR a year): {}",
                p.power,
                p.from,
                budgets.join(", ")
            );
            if !p.description.is_empty() {
                let _ = write!(words, " — {}", p.description);
            }
            words
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn page(
    dir: &Path,
    m: &Manifest,
    c: &manifest::Compare,
    arms: &[Side],
    units: &[&String],
    rows: &[Compared],
    charts: &[String],
    notes: &[(String, String)],
) -> Result<PathBuf> {
    let base = &arms[0];
    let names: Vec<&str> = arms.iter().map(|a| a.folder.as_str()).collect();
    let end = horizon(&base.series);
    let mut out = head(&format!("compare {} — spheres", names.join(" · ")));
    let title = if arms.len() == 2 {
        format!(
            "What changes with {} instead of {}",
            arms[1].folder, base.folder
        )
    } else {
        format!("{} against {}", names[1..].join(", "), base.folder)
    };
    let _ = writeln!(
        out,
        "<h1>{}</h1><p class=\"muted\">{} runs per scenario, seed {}, {} to {}. Alignment runs from −1 (the West) \
to +1 (Moscow); a state leans to Moscow above {:+.2}. Run i of every scenario draws the same random numbers \
(common random numbers), so differences are measured run by run.</p>",
        escape(&title),
        m.runs,
        m.seed,
        base.series.start,
        end,
        base.scenario.params.leaning_threshold
    );
    out.push_str("<h2>The scenarios</h2><ul>");
    for (k, a) in arms.iter().enumerate() {
        let _ = write!(
            out,
            "<li><b><a href=\"{0}/index.html\">{0}</a></b>{1}: {2}",
            escape(&a.folder),
            if k == 0 { " (the baseline)" } else { "" },
            escape(&a.scenario.scenario.description)
        );
        let policies = policy_words(&a.scenario);
        if !policies.is_empty() {
            out.push_str("<ul class=\"muted\">");
            for p in policies {
                let _ = write!(out, "<li>{}</li>", escape(&p));
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
    let _ = writeln!(
        out,
        "<p>{}</p>",
        escape(&start_words(&base.scenario, &base.series))
    );
    let parameters = &c.parameters;
    if parameters.source == "fixed" {
        let _ = write!(
            out,
            "<div class=\"box\"><b>How sure is the model?</b> Every range on this page is <b>run-to-run noise only</b>: \
the spread over {} runs that differ only in their random numbers (chance events, who meets whom). It does not \
include what we do not know about the model's coefficients or its data, so read the numbers as “the model \
says”, not “the world will”. A difference's 95 % interval (±) is narrow because the scenarios are compared \
run by run on the same random numbers: it says the difference is not chance, not that the model is right.",
            m.runs
        );
    } else {
        let _ = write!(
            out,
            "<div class=\"box\"><b>How sure is the model?</b> The ranges on this page are <b>what we do not know \
about {} coefficients plus run-to-run noise</b>: {} draws of the coefficients from their {} (docs/CALIBRATION.md), \
{} runs each, the same draws and random numbers in every scenario. “Plausible worlds” are those draws: a \
difference is given with the range of 90 % of them and the share in which it points each way. The ± after a \
difference is narrower: it is the 95 % interval of the mean difference over all draws and runs, which says the \
mean is not chance, not that every plausible world agrees. The model's structure (what it leaves out) is not in \
any range.",
            parameters.uncertain.len(),
            parameters.draws,
            if parameters.source == "posterior" {
                "posterior (spheres calibrate)"
            } else {
                "priors ([[uncertain]])"
            },
            parameters.runs_per_draw
        );
    }
    if let Some(x) = c.pairing.median {
        let _ = write!(
            out,
            " Pairing narrowed these intervals {x:.1}× (median over indicators) against independent seeds."
        );
    }
    out.push_str("</div>\n");
    for (k, variant) in arms.iter().enumerate().skip(1) {
        variant_section(&mut out, m, base, variant, k, units, rows, charts, notes);
    }
    robust_section(&mut out, dir, &base.scenario)?;
    if charts.iter().any(|c| c == "regional") || notes.iter().any(|n| n.0 == "regional") {
        out.push_str("<h2>The region</h2>\n");
        figure_or_note(
            &mut out,
            charts,
            notes,
            "regional",
            "Regional indicators of every scenario over time: the median and 90 % of runs for the mean alignment (its y axis fits the data, at least ±0.1 around the medians), the mean over runs for the others.",
        );
        if let Some((_, text)) = notes.iter().find(|(c, _)| c == "regional-flat") {
            note(&mut out, text);
        }
    }
    links(
        &mut out,
        dir,
        &["comparison.csv", "draws.csv", "robust.csv", "manifest.json"],
    );
    out.push_str("</body></html>\n");
    AtomicFile::write(dir, "index.html", out.as_bytes())
}

/// "Across plausible worlds": from robust.csv (a comparison with parameter draws), per variant
/// and state, the share of draws moving it each way and the parameters that decide the size of
/// the effect. Nothing without robust.csv.
fn robust_section(out: &mut String, dir: &Path, scenario: &Scenario) -> Result<()> {
    let path = dir.join("robust.csv");
    if !path.exists() {
        return Ok(());
    }
    let (head, rows) = crate::output::read_table(&path)?;
    crate::output::columns::expect(&path, &head, &crate::output::columns::ROBUST)?;
    let [variant, state, draws, west, moscow, _, parameter, rho] =
        crate::output::columns::find_all(&path, &head, crate::output::columns::ROBUST)?;
    out.push_str("<h2>Across plausible worlds</h2><p>For each state, the share of draws of the uncertain coefficients in which the variant moves it toward the West or toward Moscow, and the coefficients that decide by how much: those whose draws correlate most with the effect (Spearman's rank correlation; negative means a larger value moves the state further West). robust.csv has them; draws.csv, every draw.</p>\n<div class=\"table\"><table><tr><th>variant</th><th>state</th><th>draws</th><th>toward the West</th><th>toward Moscow</th><th class=\"text\">what decides the size</th></tr>\n");
    let mut k = 0;
    while k < rows.len() {
        let r = &rows[k];
        let mut deciders = Vec::new();
        while k < rows.len() && rows[k][variant] == r[variant] && rows[k][state] == r[state] {
            if let Ok(x) = rows[k][rho].parse::<f64>() {
                deciders.push(format!("{} ({x:+.2})", escape(&rows[k][parameter])));
            }
            k += 1;
        }
        let share = |c: usize| r[c].parse::<f64>().map(share_of_worlds).unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"text\">{}</td></tr>",
            escape(&r[variant]),
            escape(&unit_name(scenario, &r[state])),
            escape(&r[draws]),
            share(west),
            share(moscow),
            if deciders.is_empty() {
                "nothing: the same in every draw".to_string()
            } else {
                deciders.join(", ")
            }
        );
    }
    out.push_str("</table></div>\n");
    Ok(())
}

/// A share of plausible worlds (parameter draws) in words: "all", "none", or a percentage.
fn share_of_worlds(x: f64) -> String {
    if x >= 1.0 {
        "all".into()
    } else if x <= 0.0 {
        "none".into()
    } else {
        format!("{:.0} %", x * 100.0)
    }
}

/// Indicators with a probability (threshold events) for a unit, in comparison.csv's order.
fn events_of<'a>(rows: &'a [Compared], scenario: &str, unit: &str) -> Vec<&'a Compared> {
    rows.iter()
        .filter(|r| r.scenario == scenario && r.state == unit && r.probability.is_some())
        .collect()
}

/// Whether a regional event concerns this scenario: Adriatic access only with a coast, Camp
/// Bondsteel only with `[region] bondsteel_reach`.
fn relevant(scenario: &Scenario, indicator: &str) -> bool {
    match indicator {
        "adriatic_access" => scenario.state.iter().any(|s| s.adriatic_coast),
        "asset_near_bondsteel" => !scenario.region.bondsteel_reach.is_empty(),
        _ => true,
    }
}

/// Today's median alignment of `unit`: the baseline's first month.
fn today(base: &Side, unit: &str) -> Option<f64> {
    base.series
        .get(unit, "alignment")
        .and_then(|s| s.first())
        .map(|s| s.q[2])
}

#[allow(clippy::too_many_arguments)]
fn variant_section(
    out: &mut String,
    m: &Manifest,
    base: &Side,
    variant: &Side,
    k: usize,
    units: &[&String],
    rows: &[Compared],
    charts: &[String],
    notes: &[(String, String)],
) {
    let (b, v) = (base.folder.as_str(), variant.folder.as_str());
    let end = horizon(&base.series);
    let runs = m.runs;
    let _ = writeln!(
        out,
        "<h2>With {} instead of {}</h2><h3>In short, by {end}</h3><ul class=\"headlines\">",
        escape(v),
        escape(b)
    );
    for u in units {
        let (Some(rb), Some(rv)) = (find(rows, b, u, "alignment"), find(rows, v, u, "alignment"))
        else {
            continue;
        };
        let today = today(base, u);
        let mut line = format!("<li><b>{}</b>: ", escape(&unit_name(&base.scenario, u)));
        if let Some(t) = today {
            let _ = write!(line, "today {}; ", aligned(t));
        }
        let _ = write!(
            line,
            "by {end} {} with {}, {} with {}",
            aligned(rb.stat.q[2]),
            escape(b),
            aligned(rv.stat.q[2]),
            escape(v)
        );
        if let Some((d, lo, hi)) = rv.diff {
            let _ = write!(line, " (difference {}", difference(d, lo, hi));
            if let (Some((e05, _, e95)), Some((below, above))) = (rv.effect, rv.effect_sign) {
                let _ = write!(
                    line,
                    "; in 90 % of plausible worlds {} to {}, toward the West in {}, toward Moscow in {}",
                    aligned(e05),
                    aligned(e95),
                    share_of_worlds(below),
                    share_of_worlds(above)
                );
            }
            line.push(')');
        }
        line.push('.');
        let changes: Vec<String> = events_of(rows, v, u)
            .iter()
            .filter_map(|ev| {
                let pv = ev.probability?.0;
                let pb = find(rows, b, u, &ev.indicator)?.probability?.0;
                // Leaning to Moscow always (the question of the page), other events when
                // they change by a point or more.
                let changed = (pv - pb).abs() >= 0.01;
                if changed {
                    Some(format!(
                        "{}: {} → {}",
                        chance_of(&ev.indicator),
                        probability(pb, runs),
                        probability(pv, runs)
                    ))
                } else if ev.indicator == "moscow_leaning" {
                    Some(format!(
                        "{}: {} in both",
                        chance_of(&ev.indicator),
                        probability(pb, runs)
                    ))
                } else {
                    None
                }
            })
            .collect();
        if !changes.is_empty() {
            let _ = write!(line, " {}.", capitalise(&changes.join("; ")));
        }
        line.push_str("</li>");
        let _ = writeln!(out, "{line}");
    }
    // The region.
    let region: Vec<String> = events_of(rows, v, "region")
        .iter()
        .filter(|ev| relevant(&variant.scenario, &ev.indicator))
        .filter_map(|ev| {
            let pv = ev.probability?.0;
            let pb = find(rows, b, "region", &ev.indicator)?.probability?.0;
            Some(if (pv - pb).abs() < 0.01 {
                format!(
                    "{} {} in both",
                    event_words(&ev.indicator),
                    probability(pb, runs)
                )
            } else {
                format!(
                    "{} {} → {}",
                    event_words(&ev.indicator),
                    probability(pb, runs),
                    probability(pv, runs)
                )
            })
        })
        .collect();
    let mut words = Vec::new();
    if let (Some(rb), Some(rv)) = (
        find(rows, b, "region", "mean_alignment"),
        find(rows, v, "region", "mean_alignment"),
    ) {
        words.push(format!(
            "mean alignment {} → {}",
            aligned(rb.stat.q[2]),
            aligned(rv.stat.q[2])
        ));
    }
    if let (Some(rb), Some(rv)) = (
        find(rows, b, "region", "moscow_leaning_states"),
        find(rows, v, "region", "moscow_leaning_states"),
    ) {
        words.push(format!(
            "expected number of Moscow-leaning states {:.2} → {:.2}",
            rb.stat.mean, rv.stat.mean
        ));
    }
    words.extend(region);
    if !words.is_empty() {
        let _ = writeln!(out, "<li><b>The region</b>: {}.</li>", words.join("; "));
    }
    out.push_str("</ul>\n");

    // Levels beside the difference.
    let _ = writeln!(
        out,
        "<h3>Alignment at {end}: levels and difference</h3><div class=\"table\"><table><tr><th>state</th><th>today</th>\
<th>{0}: median</th><th>{0}: 90 % of runs</th><th>{1}: median</th><th>{1}: 90 % of runs</th>\
<th>difference (95 % interval)</th></tr>",
        escape(b),
        escape(v)
    );
    for u in units {
        let (Some(rb), Some(rv)) = (find(rows, b, u, "alignment"), find(rows, v, u, "alignment"))
        else {
            continue;
        };
        let today = today(base, u).map_or_else(String::new, aligned);
        let diff = rv
            .diff
            .map_or_else(String::new, |(d, lo, hi)| difference(d, lo, hi));
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{today}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{diff}</td></tr>",
            escape(&unit_name(&base.scenario, u)),
            aligned(rb.stat.q[2]),
            aligned_range(rb.stat.q[0], rb.stat.q[4]),
            aligned(rv.stat.q[2]),
            aligned_range(rv.stat.q[0], rv.stat.q[4]),
        );
    }
    out.push_str("</table></div>\n");
    let forest = format!("forest-{}", file_name(v));
    if charts.contains(&forest) {
        figure(
            out,
            &forest,
            &format!(
                "{} Negative is toward the West. The scale is fixed at ±0.5 for every comparison (±1 or ±2 only when a difference is larger; the axis says which), so that a small effect looks small. Where an interval is narrower than its dot, the dot hides it.",
                match super::bands_measure(m) != super::NOISE_ONLY {
                    true =>
                        "The difference in alignment at the horizon per state across plausible worlds (draws of the uncertain coefficients): the dot its median, the bar the range of 90 % of them.",
                    false =>
                        "The paired difference in alignment at the horizon per state, with its 95 % interval (run-to-run noise only).",
                }
            ),
        );
    }

    // Every threshold event.
    let kinds: Vec<String> = {
        let mut kinds: Vec<String> = Vec::new();
        for u in units {
            for ev in events_of(rows, v, u) {
                if !kinds.contains(&ev.indicator) {
                    kinds.push(ev.indicator.clone());
                }
            }
        }
        kinds
    };
    if !kinds.is_empty() {
        let _ = write!(
            out,
            "<h3>Threshold events at {end}: probability with {} → with {}</h3><div class=\"table\"><table><tr><th>state</th>",
            escape(b),
            escape(v)
        );
        for kind in &kinds {
            let _ = write!(out, "<th>{}</th>", escape(&event_words(kind)));
        }
        out.push_str("</tr>\n");
        for u in units {
            let _ = write!(
                out,
                "<tr><td>{}</td>",
                escape(&unit_name(&base.scenario, u))
            );
            for kind in &kinds {
                let cell = match (find(rows, b, u, kind), find(rows, v, u, kind)) {
                    (Some(rb), Some(rv)) => match (rb.probability, rv.probability) {
                        (Some(pb), Some(pv)) if (pv.0 - pb.0).abs() < 0.0005 => format!(
                            "<span class=\"muted\">{} in both</span>",
                            probability(pb.0, runs)
                        ),
                        (Some(pb), Some(pv)) => format!(
                            "<b>{} → {}</b><br><span class=\"muted\">{}</span>",
                            probability(pb.0, runs),
                            probability(pv.0, runs),
                            points(pv.0 - pb.0)
                        ),
                        _ => String::new(),
                    },
                    _ => String::new(),
                };
                let _ = write!(out, "<td>{cell}</td>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table></div>\n<p class=\"muted\">Each probability is the share of runs in which the event holds at the horizon (a bound such as “&lt; 0.5 %” where no run had it); comparison.csv gives each one's Wilson 95 % interval.</p>\n");
    }

    // Each state over time.
    let _ = writeln!(
        out,
        "<h3>Each state over time</h3><p class=\"muted\">Median alignment of {} (black) and {} (colour) with the bands \
of 50 % and 90 % of runs — {}. Each chart's y axis fits its data, showing at least ±0.1 around \
the median paths, so compare levels by the numbers on the axis; dashed lines: the leaning thresholds, labelled.</p><div class=\"fans\">",
        escape(b),
        escape(v),
        super::bands_measure(m)
    );
    let _ = k;
    for u in units {
        let name = format!("fan-{}-{}", file_name(v), file_name(u));
        if charts.contains(&name) {
            figure(out, &name, &unit_name(&base.scenario, u));
        } else if let Some((_, text)) = notes.iter().find(|(c, _)| *c == name) {
            note(out, text);
        }
    }
    out.push_str("</div>\n");
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
