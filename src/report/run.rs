//! A run's report: fan charts, their grid, the map, Moscow-leaning probabilities, regional
//! indicators, and the page that shows them. A chart with nothing to show (a constant series,
//! no coordinates) is replaced by a one-line note.

use super::charts::{Arm, Bars, Fan, FanSize, Grid, Map, Regional, SCENARIO_COLOURS};
use super::data::{self, EventStat, Series};
use super::html::{
    aligned, aligned_range, escape, figure, figure_or_note, head, links, note, probability_text,
    probability_with_range,
};
use super::{
    Drawing, MARK_EVENTS_FROM, Written, charts_dir, constant, drawing, horizon, regional_panels,
    run_all, unit_name,
};
use crate::error::Result;
use crate::output::AtomicFile;
use crate::output::manifest::Manifest;
use crate::scenario::Scenario;
use plotters::style::BLACK;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Draws a run's charts and writes its page. `parent` links back to a comparison's page.
pub fn report(dir: &Path, m: &Manifest, parent: Option<&str>) -> Result<Written> {
    let scenario = data::read_scenario(dir)?;
    let series = data::read_summary(&dir.join("summary.csv"))?;
    let events = data::read_events(dir, series.start)?;
    let name = &scenario.scenario.name;
    let tag = format!("{name} · {} runs · seed {}", m.runs, m.seed);
    let theta = scenario.params.leaning_threshold;
    let units: Vec<&String> = series
        .units
        .iter()
        .filter(|u| series.get(u, "alignment").is_some())
        .collect();
    let (drawn, flat): (Vec<&String>, Vec<&String>) = units
        .iter()
        .partition(|u| series.get(u, "alignment").is_some_and(|s| !constant(s)));
    let marks = policy_marks(&scenario, &series);
    let fan = |unit: &str, size: FanSize| -> Option<Fan> {
        let title = match size {
            FanSize::Panel => scenario
                .state
                .iter()
                .find(|s| s.code == unit)
                .map_or_else(|| unit_name(&scenario, unit), |s| s.name.clone()),
            _ => format!("{} — alignment ({tag})", unit_name(&scenario, unit)),
        };
        Some(Fan {
            title,
            arms: vec![Arm {
                name: name.clone(),
                series: series.get(unit, "alignment")?,
                colour: BLACK,
            }],
            start: series.start,
            theta,
            events: marked(&events, unit, m.runs),
            runs: m.runs,
            size,
            marks: marks.clone(),
        })
    };
    let out = charts_dir(dir)?;
    let mut drawings: Vec<(String, Drawing)> = Vec::new();
    let mut notes: Vec<(String, String)> = Vec::new();
    if let (Some(mean), Some(count), Some(adriatic)) = (
        series.get("region", "mean_alignment"),
        series.get("region", "moscow_leaning_states"),
        series.get("region", "adriatic_access"),
    ) {
        let (panels, flat_panels) = regional_panels(vec![(name.as_str(), mean, count, adriatic)]);
        if panels.is_empty() {
            notes.push(("regional".into(), flat_panels.join(" ")));
        } else {
            if !flat_panels.is_empty() {
                notes.push(("regional-flat".into(), flat_panels.join(" ")));
            }
            drawings.push(drawing(
                &out,
                "regional".into(),
                Regional {
                    title: format!("Regional indicators ({tag})"),
                    start: series.start,
                    panels,
                },
            ));
        }
    }
    if Map::has_points(&scenario, &series) {
        drawings.push(drawing(
            &out,
            "map".into(),
            Map {
                title: format!("Median alignment at {} ({tag})", horizon(&series)),
                scenario: &scenario,
                series: &series,
            },
        ));
    } else {
        notes.push((
            "map".into(),
            "No map: the scenario gives no coordinates (lat, lon) for its states.".into(),
        ));
    }
    let bars: Vec<(String, f64, f64, f64)> = units
        .iter()
        .filter_map(|u| {
            let p = series.last(u, "moscow_leaning")?.mean;
            let (lo, hi) = crate::statistics::wilson((p * m.runs as f64).round() as u64, m.runs);
            Some((unit_name(&scenario, u), p, lo, hi))
        })
        .collect();
    match bars.first() {
        Some(first) if bars.iter().any(|b| (b.1 - first.1).abs() > 1e-12) => drawings.push(drawing(
            &out,
            "leaning".into(),
            Bars {
                title: format!(
                    "Probability of leaning to Moscow at {} ({tag})",
                    horizon(&series)
                ),
                x_desc: format!(
                    "share of runs with alignment above {theta:.2}, with its Wilson 95 % interval"
                ),
                rows: bars,
            },
        )),
        Some(first) => notes.push((
            "leaning".into(),
            if first.1 == 0.0 {
                format!(
                    "No state leans to Moscow at {} in any run (probability {} for each).",
                    horizon(&series),
                    probability_text(0.0, m.runs)
                )
            } else {
                format!(
                    "Every state has the same probability of leaning to Moscow at {}: {}.",
                    horizon(&series),
                    probability_text(first.1, m.runs)
                )
            },
        )),
        None => {}
    }
    if !drawn.is_empty() {
        drawings.push(drawing(
            &out,
            "fans".into(),
            Grid {
                title: format!("Alignment of every state, median with 50 % and 90 % bands ({tag})"),
                fans: drawn
                    .iter()
                    .filter_map(|u| fan(u, FanSize::Panel))
                    .collect(),
            },
        ));
    }
    if !flat.is_empty() {
        let held: Vec<String> = flat
            .iter()
            .filter_map(|u| {
                let s = series.last(u, "alignment")?;
                Some(format!("{} at {:+.2}", unit_name(&scenario, u), s.q[2]))
            })
            .collect();
        notes.push((
            if drawn.is_empty() {
                "fans"
            } else {
                "fans-flat"
            }
            .into(),
            format!(
                "Not drawn, because their alignment is the same in every month and run: {}.",
                held.join("; ")
            ),
        ));
    }
    for u in &drawn {
        if let Some(f) = fan(u, FanSize::Page) {
            drawings.push(drawing(&out, format!("fan-{u}"), f));
        }
    }
    let charts = run_all(drawings)?;
    let page = page(dir, &scenario, &series, m, &charts, &notes, parent)?;
    Ok(Written {
        charts,
        pages: vec![page],
    })
}

/// Vertical marks at the first month of each policy that starts after the scenario does.
pub fn policy_marks(scenario: &Scenario, series: &Series) -> Vec<(f64, String)> {
    scenario
        .policy
        .iter()
        .filter_map(|p| {
            let t = series.start.months_until(p.from);
            (t > 0 && t <= series.months as i64)
                .then(|| (t as f64, format!("{} policy from {}", p.power, p.from)))
        })
        .collect()
}

fn marked<'a>(events: &'a [EventStat], unit: &str, runs: u64) -> Vec<&'a EventStat> {
    events
        .iter()
        .filter(|e| e.state == unit && e.runs as f64 >= MARK_EVENTS_FROM * runs as f64)
        .collect()
}

/// What the start month is, in words: held as the model's fixed point (no start-up period to
/// discard) or not; and when the policies begin.
pub fn start_words(scenario: &Scenario, series: &Series) -> String {
    let start = series.start;
    let mut words = if scenario.scenario.hold_present {
        format!(
            "The first month ({start}) is the region as the data put it, which the model holds as its \
fixed point (docs/MODEL.md, section 5): there is no start-up period to discard, and what moves \
afterwards moves because of policies, events or chance."
        )
    } else {
        format!(
            "The first month ({start}) is the data as given; this scenario does not hold it as the \
model's fixed point (hold_present = false), so early movement includes the model's own pull away \
from the data."
        )
    };
    let mut froms: Vec<String> = scenario
        .policy
        .iter()
        .map(|p| format!("{} from {}", p.power, p.from))
        .collect();
    froms.dedup();
    if !froms.is_empty() {
        let _ = write!(words, " Policies: {}.", froms.join(", "));
    }
    words
}

/// The page of one scenario's ensemble.
fn page(
    dir: &Path,
    scenario: &Scenario,
    series: &Series,
    m: &Manifest,
    charts: &[String],
    notes: &[(String, String)],
    parent: Option<&str>,
) -> Result<PathBuf> {
    let meta = &scenario.scenario;
    let end = series.start.plus(series.months as i64);
    let mut out = head(&format!("{} — spheres", meta.name));
    if let Some(p) = parent {
        let _ = writeln!(out, "<p><a href=\"{p}\">← the comparison</a></p>");
    }
    let _ = writeln!(
        out,
        "<h1>{}</h1><p>{}</p><p class=\"muted\">{} runs, seed {}, {} to {} ({} months). Alignment runs from −1 \
(the West) to +1 (Moscow); a state leans to Moscow above {:.2}. {}</p>",
        escape(&meta.name),
        escape(&meta.description),
        m.runs,
        m.seed,
        series.start,
        end,
        series.months,
        scenario.params.leaning_threshold,
        escape(&start_words(scenario, series))
    );
    if super::bands_measure(m) == super::NOISE_ONLY {
        out.push_str(
            "<p class=\"box\">The ranges below are the spread over runs that differ only in their random \
numbers: <b>run-to-run noise only</b>. They do not include what we do not know about the model's \
coefficients or data; read them as “the model says”, not “the world will”.</p>\n",
        );
    } else {
        out.push_str(
            "<p class=\"box\">The ranges below are the spread over runs that differ in their random numbers \
<b>and in the uncertain coefficients</b>, drawn from their priors or posterior (docs/CALIBRATION.md); \
summary.csv splits each standard deviation into the two (sd_noise, sd_parameters). They do not include \
what the model leaves out.</p>\n",
        );
    }
    out.push_str("<h2>Key numbers at the horizon</h2><div class=\"table\"><table><tr><th>state</th>\
<th>alignment at start</th><th>median at horizon</th><th>90 % of runs</th><th>leans to Moscow</th><th>EU member</th>\
<th>NATO member</th></tr>\n");
    for unit in &series.units {
        let (Some(first), Some(last)) = (
            series.get(unit, "alignment").and_then(|s| s.first()),
            series.last(unit, "alignment"),
        ) else {
            continue;
        };
        let p = |i: &str| {
            series
                .last(unit, i)
                .map_or_else(String::new, |s| probability_with_range(s.mean, m.runs))
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&unit_name(scenario, unit)),
            aligned(first.q[2]),
            aligned(last.q[2]),
            aligned_range(last.q[0], last.q[4]),
            p("moscow_leaning"),
            p("eu_member"),
            p("nato_member")
        );
    }
    out.push_str("</table></div>\n");
    out.push_str(&region_words(scenario, series, m.runs));
    out.push_str("<h2>Charts</h2>\n");
    let captions = [
        (
            "regional",
            "Regional indicators over time: the median and 90 % of runs for the mean alignment (its y axis fits the data, at least ±0.1 around the median), the mean over runs for the others.",
        ),
        (
            "map",
            "Each state coloured by its median alignment at the horizon. Bosnia and Herzegovina is filled with the population-weighted alignment of its two entities, which are drawn as discs at their capitals (they have no outlines in Natural Earth's country boundaries).",
        ),
        (
            "leaning",
            "Probability of leaning to Moscow at the horizon, with Wilson 95 % intervals.",
        ),
        (
            "fans",
            "Every state's alignment on one scale from −1 to +1: median, 50 % and 90 % of runs (where runs agree, the bands are thinner than the line).",
        ),
    ];
    for (chart, caption) in captions {
        figure_or_note(&mut out, charts, notes, chart, caption);
        let flat = format!("{chart}-flat");
        if let Some((_, text)) = notes.iter().find(|(c, _)| *c == flat) {
            note(&mut out, text);
        }
    }
    out.push_str("<h2>Each state</h2>\n");
    for chart in charts.iter().filter(|c| c.starts_with("fan-")) {
        let _ = write!(
            out,
            "<details><summary>{}</summary>",
            escape(&unit_name(scenario, &chart[4..]))
        );
        figure(
            &mut out,
            chart,
            &format!(
                "Median alignment with the bands of 50 % and 90 % of runs ({}). The y axis fits the data, showing at least ±0.1 around the median; dashed: the leaning thresholds; thin vertical lines: the median month of threshold events that happened in at least 5 % of runs.",
                super::bands_measure(m)
            ),
        );
        out.push_str("</details>\n");
    }
    links(
        &mut out,
        dir,
        &[
            "summary.csv",
            "outcomes.csv",
            "events.csv",
            "scenario.resolved.toml",
            "manifest.json",
        ],
    );
    out.push_str("</body></html>\n");
    AtomicFile::write(dir, "index.html", out.as_bytes())
}

/// The region's numbers at the horizon, in words; Camp Bondsteel only for a scenario that says
/// which states are within its reach, the Adriatic only for one with a coast.
fn region_words(scenario: &Scenario, series: &Series, runs: u64) -> String {
    let mut parts = Vec::new();
    if let Some(mean) = series.last("region", "mean_alignment") {
        parts.push(format!("mean alignment {} (median)", aligned(mean.q[2])));
    }
    if let Some(count) = series.last("region", "moscow_leaning_states") {
        parts.push(format!("{:.2} Moscow-leaning states expected", count.mean));
    }
    if scenario.state.iter().any(|s| s.adriatic_coast)
        && let Some(a) = series.last("region", "adriatic_access")
    {
        parts.push(format!(
            "Russian naval access on the Adriatic in {} of runs",
            probability_with_range(a.mean, runs)
        ));
    }
    if !scenario.region.bondsteel_reach.is_empty()
        && let Some(b) = series.last("region", "asset_near_bondsteel")
    {
        parts.push(format!(
            "a Russian asset within reach of Camp Bondsteel in {} of runs",
            probability_with_range(b.mean, runs)
        ));
    }
    if parts.is_empty() {
        return String::new();
    }
    format!("<p>Region at the horizon: {}.</p>\n", parts.join("; "))
}

/// The scenario colours of a comparison's arms: the baseline black, variants after.
pub fn arm_colour(k: usize) -> plotters::style::RGBColor {
    SCENARIO_COLOURS[k % SCENARIO_COLOURS.len()]
}
