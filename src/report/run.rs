//! A run's report: fan charts, their grid, the map, Moscow-leaning probabilities, regional
//! indicators, and the page that shows them. A chart with nothing to show (a constant series,
//! no coordinates) is replaced by a one-line note.

use super::charts::{Arm, Bar, Bars, Fan, FanSize, FanWords, Grid, Map};
use super::data::{self, EventStat, Indicators, Series};
use super::html::{
    aligned, aligned_range, capitalise, escape, figure, figure_and_flat, head, probability_of,
    probability_text, probability_with_range, write_page,
};
use super::{
    Charts, Drawn, MARK_EVENTS_FROM, Written, bands_measure, constant, fan_words, horizon,
    regional, regional_line, unit_name, with_draws,
};
use crate::error::Result;
use crate::output::manifest::Manifest;
use crate::scenario::{EventKind, Scenario};
use plotters::style::BLACK;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Draws a run's charts and writes its page. `parent` links back to a comparison's page.
pub fn report(dir: &Path, m: &Manifest, parent: Option<&str>) -> Result<Written> {
    let run = Run::read(dir, m)?;
    let mut charts = Charts::new(dir)?;
    let name = &run.scenario.scenario.name;
    regional(
        &mut charts,
        format!("Regional indicators ({})", run.tag),
        run.series.start,
        regional_line(name, &run.series).into_iter().collect(),
        &run.words,
    )?;
    run.map(&mut charts);
    run.leaning(&mut charts)?;
    run.fans(&mut charts);
    let drawn = charts.draw_all()?;
    let page = page(dir, &run, &drawn, parent)?;
    Ok(drawn.written(vec![page]))
}

/// A run folder as its charts and page read it: the resolved scenario, the summary, the
/// indicators' words, the events, and the tag that ends the charts' titles ("NAME · N runs ·
/// seed S").
struct Run<'m> {
    m: &'m Manifest,
    scenario: Scenario,
    series: Series,
    words: Indicators,
    /// The fan charts' words, from `words`.
    fan_words: FanWords,
    /// Alignment's label ("alignment"), from `words`.
    alignment: String,
    events: Vec<EventStat>,
    tag: String,
    /// The policies' first months, marked on every fan chart.
    marks: Vec<(f64, String)>,
}

impl Run<'_> {
    fn read<'m>(dir: &Path, m: &'m Manifest) -> Result<Run<'m>> {
        let scenario = data::read_scenario(dir)?;
        let series = data::read_summary(&dir.join("summary.csv"))?;
        let words = Indicators::read(dir)?;
        let fan_words = fan_words(&words)?;
        let alignment = words.label("alignment")?.to_string();
        let events = data::read_events(dir, series.start)?;
        let tag = format!(
            "{} · {} runs · seed {}",
            scenario.scenario.name, m.runs, m.seed
        );
        let marks = policy_marks(&scenario, &series);
        Ok(Run {
            m,
            scenario,
            series,
            words,
            fan_words,
            alignment,
            events,
            tag,
            marks,
        })
    }

    /// The units with an alignment (states and parents), in summary.csv's order.
    fn units(&self) -> impl Iterator<Item = &String> {
        self.series.units_with("alignment")
    }

    /// A unit's fan chart: on a page of its own, or as a panel of the grid (titled with the
    /// state's name alone).
    fn fan(&self, unit: &str, size: FanSize) -> Option<Fan<'_>> {
        let title = match size {
            FanSize::Panel => self
                .scenario
                .state
                .iter()
                .find(|s| s.code == unit)
                .map_or_else(|| unit_name(&self.scenario, unit), |s| s.name.clone()),
            _ => format!(
                "{} — {} ({})",
                unit_name(&self.scenario, unit),
                self.alignment,
                self.tag
            ),
        };
        Some(Fan {
            title,
            arms: vec![Arm {
                name: self.scenario.scenario.name.clone(),
                series: self.series.get(unit, "alignment")?,
                colour: BLACK,
            }],
            start: self.series.start,
            theta: self.scenario.params.leaning_threshold,
            events: marked(&self.events, unit, self.m.runs),
            runs: self.m.runs,
            size,
            marks: self.marks.clone(),
            words: self.fan_words.clone(),
        })
    }

    /// The map, or a note for a scenario without coordinates.
    fn map<'a>(&'a self, charts: &mut Charts<'a>) {
        if !Map::has_points(&self.scenario, &self.series) {
            let text = "No map: the scenario gives no coordinates (lat, lon) for its states.";
            charts.note("map", text.into());
            return;
        }
        let map = Map {
            title: format!(
                "Median {} at {} ({})",
                self.alignment,
                horizon(&self.series),
                self.tag
            ),
            scenario: &self.scenario,
            series: &self.series,
            legend: format!("median {}", self.alignment),
        };
        charts.add("map".into(), map);
    }

    /// Each unit's probability of leaning to Moscow at the horizon, or a note when every unit
    /// has the same.
    fn leaning<'a>(&'a self, charts: &mut Charts<'a>) -> Result<()> {
        let runs = self.m.runs;
        let leans = self.words.label("moscow_leaning")?;
        let probability = probability_of(self.words.chance("moscow_leaning")?);
        let bars: Vec<Bar> = self
            .units()
            .filter_map(|u| {
                let p = self.series.last(u, "moscow_leaning")?.mean;
                let (lo, hi) = crate::statistics::wilson((p * runs as f64).round() as u64, runs);
                Some(Bar {
                    label: unit_name(&self.scenario, u),
                    probability: p,
                    low: lo,
                    high: hi,
                })
            })
            .collect();
        let end = horizon(&self.series);
        let Some(first) = bars.first().map(|b| b.probability) else {
            return Ok(());
        };
        if bars.iter().any(|b| (b.probability - first).abs() > 1e-12) {
            let theta = self.scenario.params.leaning_threshold;
            let chart = Bars {
                title: format!("{} at {end} ({})", capitalise(&probability), self.tag),
                x_desc: format!(
                    "share of runs with {} above {theta:.2}, with its Wilson 95 % interval",
                    self.alignment
                ),
                rows: bars,
            };
            charts.add("leaning".into(), chart);
        } else if first == 0.0 {
            charts.note(
                "leaning",
                format!(
                    "No state {leans} at {end} in any run (probability {} for each).",
                    probability_text(0.0, runs)
                ),
            );
        } else {
            charts.note(
                "leaning",
                format!(
                    "Every state has the same {probability} at {end}: {}.",
                    probability_text(first, runs)
                ),
            );
        }
        Ok(())
    }

    /// The grid of every unit's fan chart and each unit's own, leaving out (with a note) the
    /// units whose alignment is the same in every month and run.
    fn fans<'a>(&'a self, charts: &mut Charts<'a>) {
        let (drawn, flat): (Vec<&String>, Vec<&String>) = self.units().partition(|u| {
            self.series
                .get(u, "alignment")
                .is_some_and(|s| !constant(s))
        });
        if !drawn.is_empty() {
            let grid = Grid {
                title: format!(
                    "{} of every state, median with 50 % and 90 % bands ({})",
                    capitalise(&self.alignment),
                    self.tag
                ),
                fans: drawn
                    .iter()
                    .filter_map(|u| self.fan(u, FanSize::Panel))
                    .collect(),
            };
            charts.add("fans".into(), grid);
        }
        if !flat.is_empty() {
            let held: Vec<String> = flat
                .iter()
                .filter_map(|u| {
                    let s = self.series.last(u, "alignment")?;
                    Some(format!("{} at {:+.2}", unit_name(&self.scenario, u), s.p50))
                })
                .collect();
            charts.note(
                if drawn.is_empty() {
                    "fans"
                } else {
                    "fans-flat"
                },
                format!(
                    "Not drawn, because their {} is the same in every month and run: {}.",
                    self.alignment,
                    held.join("; ")
                ),
            );
        }
        for u in &drawn {
            if let Some(f) = self.fan(u, FanSize::Page) {
                charts.add(format!("fan-{u}"), f);
            }
        }
    }
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

/// The events of `unit` that turn its course and happened in at least [`MARK_EVENTS_FROM`] of
/// the runs.
fn marked<'a>(events: &'a [EventStat], unit: &str, runs: u64) -> Vec<&'a EventStat> {
    (events.iter())
        .filter(|e| e.state == unit && e.runs as f64 >= MARK_EVENTS_FROM * runs as f64)
        .filter(|e| EventKind::from_name(&e.event).is_some_and(EventKind::is_turning_point))
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
fn page(dir: &Path, run: &Run, drawn: &Drawn, parent: Option<&str>) -> Result<PathBuf> {
    let mut out = head(&format!("{} — spheres", run.scenario.scenario.name));
    if let Some(p) = parent {
        let _ = writeln!(out, "<p><a href=\"{p}\">← the comparison</a></p>");
    }
    intro(&mut out, run)?;
    if let Some(model) = model_of(run) {
        crate::report::html::cite_box(&mut out, &model);
    }
    key_numbers(&mut out, run)?;
    out.push_str(&region_words(run)?);
    out.push_str("<h2>Charts</h2>\n");
    for (chart, caption) in captions(run)? {
        figure_and_flat(&mut out, drawn, chart, &caption);
    }
    each_state(&mut out, run, drawn);
    write_page(
        dir,
        out,
        &[
            "summary.csv",
            "outcomes.csv",
            "events.csv",
            "scenario.resolved.toml",
            "manifest.json",
        ],
    )
}

/// The model's words for the cite box: of a run's own manifest; none for a comparison's scenario
/// (its comparison's page has the box).
fn model_of(run: &Run) -> Option<String> {
    match &run.m.experiment {
        crate::output::manifest::Experiment::Run(r) => Some(crate::report::model_words(
            &run.scenario,
            &r.parameters.source,
            r.parameters.draws,
        )),
        _ => None,
    }
}

/// The title, the description, the ensemble in numbers and what its ranges measure.
fn intro(out: &mut String, run: &Run) -> Result<()> {
    let (meta, series) = (&run.scenario.scenario, &run.series);
    let _ = writeln!(
        out,
        "<h1>{}</h1><p>{}</p><p class=\"muted\">{} runs, seed {}, {} to {} ({} months). {} runs from −1 \
(the West) to +1 (Moscow); a state {} above {:.2}. {}</p>",
        escape(&meta.name),
        escape(&meta.description),
        run.m.runs,
        run.m.seed,
        series.start,
        horizon(series),
        series.months,
        escape(&capitalise(&run.alignment)),
        escape(run.words.label("moscow_leaning")?),
        run.scenario.params.leaning_threshold,
        escape(&start_words(&run.scenario, series))
    );
    if with_draws(run.m) {
        out.push_str(
            "<p class=\"box\">The ranges below are the spread over runs that differ in their random numbers \
<b>and in the uncertain coefficients</b>, drawn from their priors or posterior (docs/CALIBRATION.md); \
summary.csv splits each standard deviation into the two (sd_noise, sd_parameters). They do not include \
what the model leaves out.</p>\n",
        );
    } else {
        out.push_str(
            "<p class=\"box\">The ranges below are the spread over runs that differ only in their random \
numbers: <b>run-to-run noise only</b>. They do not include what we do not know about the model's \
coefficients or data; read them as “the model says”, not “the world will”.</p>\n",
        );
    }
    Ok(())
}

/// The indicators whose probabilities at the horizon the key numbers give, in their order.
const KEY_EVENTS: [&str; 3] = ["moscow_leaning", "eu_member", "nato_member"];

/// Each unit at the start and the horizon, with the probabilities of [`KEY_EVENTS`] (leaning to
/// Moscow, EU and NATO membership).
fn key_numbers(out: &mut String, run: &Run) -> Result<()> {
    let series = &run.series;
    let _ = write!(
        out,
        "<h2>Key numbers at the horizon</h2><div class=\"table\"><table><tr><th>state</th>\
<th>{} at start</th><th>median at horizon</th><th>90 % of runs</th>",
        escape(&run.alignment)
    );
    for name in KEY_EVENTS {
        let _ = write!(out, "<th>{}</th>", escape(run.words.label(name)?));
    }
    out.push_str("</tr>\n");
    for unit in &series.units {
        let (Some(first), Some(last)) = (
            series.get(unit, "alignment").and_then(|s| s.first()),
            series.last(unit, "alignment"),
        ) else {
            continue;
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            escape(&unit_name(&run.scenario, unit)),
            aligned(first.p50),
            aligned(last.p50),
            aligned_range(last.p05, last.p95),
        );
        for name in KEY_EVENTS {
            let p = series
                .last(unit, name)
                .map_or_else(String::new, |s| probability_with_range(s.mean, run.m.runs));
            let _ = write!(out, "<td>{p}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table></div>\n");
    Ok(())
}

/// The run's charts in page order, with their captions (the indicators' words from the run's
/// indicators.csv).
fn captions(run: &Run) -> Result<[(&'static str, String); 4]> {
    let alignment = &run.alignment;
    let leaning = capitalise(&probability_of(run.words.chance("moscow_leaning")?));
    Ok([
        (
            "regional",
            format!(
                "Regional indicators over time: the median and 90 % of runs for the mean {alignment} (its y axis fits the data, at least ±0.1 around the median), the mean over runs for the others."
            ),
        ),
        (
            "map",
            format!(
                "Each state coloured by its median {alignment} at the horizon. Bosnia and Herzegovina is filled with the population-weighted {alignment} of its two entities, which are drawn as discs at their capitals (they have no outlines in Natural Earth's country boundaries)."
            ),
        ),
        (
            "leaning",
            format!("{leaning} at the horizon, with Wilson 95 % intervals."),
        ),
        (
            "fans",
            format!(
                "Every state's {alignment} on one scale from −1 to +1: median, 50 % and 90 % of runs (where runs agree, the bands are thinner than the line)."
            ),
        ),
    ])
}

/// Each unit's own fan chart, folded.
fn each_state(out: &mut String, run: &Run, drawn: &Drawn) {
    out.push_str("<h2>Each state</h2>\n");
    for chart in drawn.charts.iter().filter(|c| c.starts_with("fan-")) {
        let _ = write!(
            out,
            "<details><summary>{}</summary>",
            escape(&unit_name(&run.scenario, &chart[4..]))
        );
        figure(
            out,
            chart,
            &format!(
                "Median {} with the bands of 50 % and 90 % of runs ({}). The y axis fits the data, showing at least ±0.1 around the median; dashed: the leaning thresholds; thin vertical lines: the median month of threshold events that happened in at least 5 % of runs.",
                run.alignment,
                bands_measure(run.m)
            ),
        );
        out.push_str("</details>\n");
    }
}

/// The region's numbers at the horizon, in words (the indicators' from indicators.csv); Camp
/// Bondsteel only for a scenario that says which states are within its reach, the Adriatic
/// only for one with a coast.
fn region_words(run: &Run) -> Result<String> {
    let (scenario, series, words, runs) = (&run.scenario, &run.series, &run.words, run.m.runs);
    let mut parts = Vec::new();
    if let Some(mean) = series.last("region", "mean_alignment") {
        parts.push(format!(
            "mean {} {} (median)",
            escape(&run.alignment),
            aligned(mean.p50)
        ));
    }
    if let Some(count) = series.last("region", "moscow_leaning_states") {
        parts.push(format!(
            "{:.2} {} expected",
            count.mean,
            escape(words.label("moscow_leaning_states")?)
        ));
    }
    for event in ["adriatic_access", "asset_near_bondsteel"] {
        if let Some(p) = series.last("region", event)
            && relevant(scenario, event)
        {
            parts.push(format!(
                "{} in {} of runs",
                escape(words.label(event)?),
                probability_with_range(p.mean, runs)
            ));
        }
    }
    if parts.is_empty() {
        return Ok(String::new());
    }
    Ok(format!(
        "<p>Region at the horizon: {}.</p>\n",
        parts.join("; ")
    ))
}

/// Whether a regional event concerns `scenario`: Adriatic access only with a coast, Camp
/// Bondsteel only with `[region] bondsteel_reach`.
pub fn relevant(scenario: &Scenario, indicator: &str) -> bool {
    match indicator {
        "adriatic_access" => scenario.state.iter().any(|s| s.adriatic_coast),
        "asset_near_bondsteel" => !scenario.region.bondsteel_reach.is_empty(),
        _ => true,
    }
}
