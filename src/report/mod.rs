//! Charts and a self-contained `index.html` for an output folder: `spheres report DIR`, and at
//! the end of every experiment unless `--no-charts`. It reads the folder's files (the manifest,
//! then the experiment's own: summary.csv, comparison.csv, results.csv, …) and knows nothing of
//! the engine.

mod calibrate;
mod charts;
mod compare;
mod data;
mod forecast;
mod hindcast;
mod html;
mod levers;
mod nowcast;
mod run;
mod sweep;

use crate::error::{Error, Result};
use crate::output::manifest::{self, Experiment, Manifest};
use crate::scenario::{Scenario, YearMonth};
use charts::{Chart, FanWords, Panel, Regional, register_fonts, render};
use data::{Indicators, Series, Stat};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Folder (inside an output folder) that holds the charts.
pub const CHARTS: &str = "charts";

/// Share of runs an event needs to be marked on a fan chart.
const MARK_EVENTS_FROM: f64 = 0.05;

/// What a report wrote.
#[derive(Clone, Debug, Default)]
pub struct Written {
    /// Chart names (each as `charts/NAME.png` and `charts/NAME.svg`), in page order.
    pub charts: Vec<String>,
    /// The pages written (`index.html` files).
    pub pages: Vec<PathBuf>,
}

/// Draws the report of an existing, complete output folder.
pub fn write(dir: &Path) -> Result<Written> {
    let manifest = manifest::read(dir)?;
    write_with(dir, &manifest)
}

/// Draws the report of `dir` given its manifest (which may not be written yet).
pub fn write_with(dir: &Path, m: &Manifest) -> Result<Written> {
    register_fonts();
    match &m.experiment {
        Experiment::Run(_) => run::report(dir, m, None),
        Experiment::Compare(c) => compare::report(dir, m, c),
        Experiment::Sweep(s) => sweep::report(dir, m, s),
        Experiment::Levers(l) => levers::report(dir, m, l),
        Experiment::Hindcast(h) => hindcast::report(dir, m, h),
        Experiment::Calibrate(c) => calibrate::report(dir, m, c),
        Experiment::Nowcast(n) => nowcast::report(dir, m, n),
        Experiment::Forecast(f) => forecast::report(dir, m, f),
    }
}

/// Whether a folder's runs draw the uncertain coefficients (parameter draws). A comparison's
/// scenarios read their parent's manifest.
fn with_draws(m: &Manifest) -> bool {
    let source = match &m.experiment {
        Experiment::Run(r) => r.parameters.source.as_str(),
        Experiment::Compare(c) => c.parameters.source.as_str(),
        _ => "fixed",
    };
    source != "fixed"
}

/// What a folder's bands measure, for captions: run-to-run noise only, or the uncertain
/// coefficients (parameter draws) with it.
fn bands_measure(m: &Manifest) -> &'static str {
    if with_draws(m) {
        "uncertain coefficients and run-to-run noise"
    } else {
        "run-to-run noise only"
    }
}

type Drawing<'a> = Box<dyn Fn() -> Result<()> + Sync + 'a>;

/// A report's charts, each named (its file name) and drawn later, all together in parallel
/// ([`Charts::draw_all`]), and the notes that stand in for the charts left out.
struct Charts<'a> {
    dir: PathBuf,
    drawings: Vec<(String, Drawing<'a>)>,
    notes: Vec<(String, String)>,
}

impl<'a> Charts<'a> {
    /// Charts of the output folder `dir`, drawn into its charts folder (made now).
    fn new(dir: &Path) -> Result<Self> {
        let charts = dir.join(CHARTS);
        std::fs::create_dir_all(&charts).map_err(|e| Error::io(&charts, e))?;
        Ok(Charts {
            dir: charts,
            drawings: Vec::new(),
            notes: Vec::new(),
        })
    }

    fn add(&mut self, name: String, chart: impl Chart + 'a) {
        let (dir, file) = (self.dir.clone(), name.clone());
        self.drawings
            .push((name, Box::new(move || render(&dir, &file, &chart))));
    }

    /// The one line that stands in for chart `name`.
    fn note(&mut self, name: &str, text: String) {
        self.notes.push((name.to_string(), text));
    }

    /// The chart, or, when it would show nothing (`uniform`), the note that stands in for it.
    fn add_or_note(
        &mut self,
        name: String,
        chart: impl Chart + 'a,
        uniform: bool,
        note: impl FnOnce() -> String,
    ) {
        if uniform {
            self.notes.push((name, note()));
        } else {
            self.add(name, chart);
        }
    }

    /// Draws every chart, in parallel.
    fn draw_all(self) -> Result<Drawn> {
        self.drawings
            .par_iter()
            .map(|(_, f)| f())
            .collect::<Result<Vec<()>>>()?;
        Ok(Drawn {
            charts: self.drawings.into_iter().map(|(name, _)| name).collect(),
            notes: self.notes,
        })
    }
}

/// What a report drew, for its page: the charts' names in the order they were added, and the
/// notes that stand in for charts left out.
struct Drawn {
    charts: Vec<String>,
    notes: Vec<(String, String)>,
}

impl Drawn {
    fn has(&self, chart: &str) -> bool {
        self.charts.iter().any(|c| c == chart)
    }

    /// The note that stands in for `chart`, if any.
    fn note(&self, chart: &str) -> Option<&str> {
        self.notes
            .iter()
            .find(|(c, _)| c == chart)
            .map(|(_, text)| text.as_str())
    }

    /// What the report wrote: these charts and `pages`.
    fn written(self, pages: Vec<PathBuf>) -> Written {
        Written {
            charts: self.charts,
            pages,
        }
    }
}

/// The three regional indicators of each scenario: mean alignment, Moscow-leaning states,
/// Adriatic access.
type RegionalLine<'a> = (&'a str, &'a [Stat], &'a [Stat], &'a [Stat]);

/// A scenario's regional indicators, if its summary has all three.
fn regional_line<'a>(name: &'a str, series: &'a Series) -> Option<RegionalLine<'a>> {
    Some((
        name,
        series.get("region", "mean_alignment")?,
        series.get("region", "moscow_leaning_states")?,
        series.get("region", "adriatic_access")?,
    ))
}

/// The chart of the regional indicators of `lines` (one per scenario) and a note on the panels
/// left out (`regional-flat`), or, when every panel is left out, a note alone (`regional`);
/// their words from `words` (indicators.csv). Nothing without lines.
fn regional<'a>(
    charts: &mut Charts<'a>,
    title: String,
    start: YearMonth,
    lines: Vec<RegionalLine<'a>>,
    words: &Indicators,
) -> Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    let (panels, flat) = regional_panels(&lines, words)?;
    if panels.is_empty() {
        charts.note("regional", flat.join(" "));
        return Ok(());
    }
    if !flat.is_empty() {
        charts.note("regional-flat", flat.join(" "));
    }
    let chart = Regional {
        title,
        start,
        panels,
    };
    charts.add("regional".into(), chart);
    Ok(())
}

/// The words for a regional panel left out: its one value, and ", in every scenario" or "".
type FlatWords = Box<dyn Fn(f64, &str) -> String>;

/// The regional panels with something to show, and a sentence for each that has none (every
/// scenario's series constant, and all at one value).
fn regional_panels<'a>(
    lines: &[RegionalLine<'a>],
    words: &Indicators,
) -> Result<(Vec<Panel<'a>>, Vec<String>)> {
    let every = if lines.len() > 1 {
        ", in every scenario"
    } else {
        ""
    };
    let mut drawn = Vec::new();
    let mut flat = Vec::new();
    for (panel, flat_words) in regional_candidates(lines, words)? {
        let value = |s: &Stat| if panel.median { s.p50 } else { s.mean };
        let first = panel.lines.first().and_then(|l| l.1.first()).map(value);
        let same = panel
            .lines
            .iter()
            .all(|l| constant(l.1) && l.1.first().map(value) == first);
        if same {
            flat.push(flat_words(first.unwrap_or(0.0), every));
        } else {
            drawn.push(panel);
        }
    }
    Ok((drawn, flat))
}

/// The three regional panels, each with the words for it left out; the indicators' words from
/// `words`. The mean alignment's y range fits the data as a fan chart's does (at least ±0.1
/// around the medians).
fn regional_candidates<'a>(
    lines: &[RegionalLine<'a>],
    words: &Indicators,
) -> Result<[(Panel<'a>, FlatWords); 3]> {
    let top = lines
        .iter()
        .flat_map(|l| l.2.iter().map(|s| s.p95))
        .fold(1.0, f64::max);
    let fitted =
        charts::band_extent(lines.iter().flat_map(|l| l.1)).map_or((-1.0, 1.0), charts::padded);
    let mean = words.label("mean_alignment")?.to_string();
    let leaning = words.label("moscow_leaning_states")?.to_string();
    Ok([
        (
            Panel {
                name: format!("{mean} (median, 5–95 % band)"),
                y_desc: html::axis_words(words.label("alignment")?, words.unit("mean_alignment")?),
                range: fitted,
                median: true,
                lines: lines.iter().map(|l| (l.0, l.1)).collect(),
            },
            Box::new(move |v, every| {
                format!("Not drawn: the {mean} is {v:+.2} in every month and run{every}.")
            }),
        ),
        (
            Panel {
                name: format!("{leaning} (expected number)"),
                y_desc: words.unit("moscow_leaning_states")?.to_string(),
                range: (0.0, top.ceil()),
                median: false,
                lines: lines.iter().map(|l| (l.0, l.2)).collect(),
            },
            Box::new(move |v, every| {
                format!(
                    "Not drawn: the expected number of {leaning} is {v:.2} in every month{every}."
                )
            }),
        ),
        (
            Panel {
                name: "probability that Russia has naval access on the Adriatic".into(),
                y_desc: "probability".into(),
                range: (0.0, 1.0),
                median: false,
                lines: lines.iter().map(|l| (l.0, l.3)).collect(),
            },
            Box::new(|v, every| {
                format!(
                    "Not drawn: Russia has naval access on the Adriatic in {:.0} % of runs in every month{every}.",
                    v * 100.0
                )
            }),
        ),
    ])
}

/// A fan chart's words from indicators.csv: alignment's label and unit on its y axis, the
/// label of leaning to Moscow on its upper threshold.
fn fan_words(words: &Indicators) -> Result<FanWords> {
    Ok(FanWords {
        axis: html::axis_words(words.label("alignment")?, words.unit("alignment")?),
        above: format!("{} above", words.label("moscow_leaning")?),
    })
}

/// Whether a series is the same in every month and run: then a chart would show a flat line.
fn constant(series: &[Stat]) -> bool {
    let Some(first) = series.first() else {
        return true;
    };
    let same = |a: f64, b: f64| (a - b).abs() <= 1e-9;
    series.iter().all(|s| {
        same(s.mean, first.mean)
            && (s.quantiles().into_iter())
                .zip(first.quantiles())
                .all(|(a, b)| same(a, b))
    })
}

fn horizon(series: &Series) -> String {
    series.start.plus(series.months as i64).to_string()
}

/// "Serbia (SRB)"; a parent (BIH) by the basemap's name for its code, else by its code.
fn unit_name(scenario: &crate::scenario::Scenario, unit: &str) -> String {
    if unit == "region" {
        return "the region".to_string();
    }
    scenario.state.iter().find(|s| s.code == unit).map_or_else(
        || charts::country_name(unit).map_or_else(|| unit.to_string(), |n| format!("{n} ({unit})")),
        |s| format!("{} ({})", s.name, s.code),
    )
}

/// Chart names must be file names: keep letters, digits, '-' and '_'.
fn file_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// "Model: …; coefficients …", as `html::cite_box` shows it: a scenario's
/// model: citizens or the aggregate public, and the source of its coefficients.
pub fn model_words(scenario: &Scenario, source: &str, draws: u64) -> String {
    let public = match scenario.citizens() {
        c if c > 0.0 => format!(
            "citizens ({} agents stand for the publics)",
            crate::output::thousands(c as u64)
        ),
        _ => "the aggregate public (one opinion per state)".to_string(),
    };
    let coefficients = match source {
        "fixed" => "today's single set of coefficients (run-to-run noise only)".to_string(),
        "posterior" => format!("coefficients drawn from a posterior ({draws} plausible worlds)"),
        _ => format!("coefficients drawn from their priors ({draws} plausible worlds)"),
    };
    format!("Model: {public}; {coefficients}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_series_is_noticed() {
        let s = Stat {
            mean: 0.2,
            p05: 0.2,
            p25: 0.2,
            p50: 0.2,
            p75: 0.2,
            p95: 0.2,
        };
        assert!(constant(&[s, s, s]));
        let mut t = s;
        t.p95 = 0.3;
        assert!(!constant(&[s, t]));
    }
}
