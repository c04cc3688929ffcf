//! `spheres forecast --origins FROM:TO`: a forecast from every December from FROM to TO, each
//! from the data up to it only, scored on the UN sessions observed after it (up to the
//! horizon): CRPS against three references fitted at the same origin (`references.rs`),
//! coverage of the 50 % and 90 % intervals, and the PIT; skill intervals resample the target
//! years (a year's sessions move together). docs/VALIDATION.md reports it.

use super::references::References;
use super::{At, check_years, sources};
use crate::error::{Error, Result};
use crate::experiments::driver::Folder;
use crate::experiments::{Ensemble, Label};
use crate::measure::{Series, month_of};
use crate::statistics::{Skill, skill, wilson};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Most origins of one rolling validation.
pub const MAX_ORIGINS: i32 = 40;

/// Bins of the PIT histogram.
pub const PIT_BINS: usize = 10;

/// What a rolling validation was asked to do.
#[derive(Clone, Debug)]
pub struct RollingOptions {
    /// A scenario file, or a bundled name, that starts from the nowcast.
    pub scenario: String,
    /// `FROM:TO`, years: each origin is that year's December.
    pub origins: String,
    /// Years forecast after each origin's.
    pub years: u32,
    /// A folder laid out like the repository's data/ [default: the data in the binary].
    pub data: Option<PathBuf>,
    /// Runs, seed, draws and the rest, for each origin's forecast; `--out` for the folder.
    pub ensemble: Ensemble,
}

/// One forecast scored: a state's session `horizon` years after an origin.
#[derive(Clone, Debug)]
pub struct Item {
    /// The origin's year (its December).
    pub origin: i32,
    /// The state's code.
    pub state: String,
    /// The session's year.
    pub year: i32,
    /// The ideal point observed.
    pub observed: f64,
    /// The forecast's 5 %, 25 %, 50 %, 75 % and 95 % quantiles.
    pub quantiles: [f64; 5],
    /// The forecast's probability of a value at or below the one observed.
    pub pit: f64,
    /// CRPS of the model, the random walk, climatology and the AR(1).
    pub crps: [f64; 4],
}

impl Item {
    /// Years after the origin.
    pub fn horizon(&self) -> i32 {
        self.year - self.origin
    }
}

/// The scores of a set of items (a horizon, an origin, or all).
#[derive(Clone, Debug)]
pub struct Scores {
    /// `horizon`, `origin` or `all`.
    pub by: &'static str,
    /// The horizon's or origin's year; 0 for all.
    pub value: i32,
    /// Items scored.
    pub items: usize,
    /// Share inside the 50 % and 90 % intervals, each with its 95 % Wilson interval.
    pub coverage: [(f64, f64, f64); 2],
    /// Mean CRPS of the model and the three references.
    pub crps: [f64; 4],
    /// Skill against the random walk, climatology and the AR(1), years resampled.
    pub skill: [Option<Skill>; 3],
}

/// What a rolling validation found.
#[derive(Clone, Debug)]
pub struct RollingReport {
    /// The scenario's name.
    pub scenario: String,
    /// Every scored item, by origin, state and year.
    pub items: Vec<Item>,
    /// By horizon, then by origin, then all.
    pub scores: Vec<Scores>,
    /// The PIT histogram: counts in [`PIT_BINS`] equal bins.
    pub pit: [usize; PIT_BINS],
    /// Runs of each origin's forecast, and the master seed.
    pub runs: u64,
    /// The master seed.
    pub seed: u64,
    /// The output folder.
    pub dir: PathBuf,
}

/// `FROM:TO` as years.
fn parse_origins(text: &str) -> Result<(i32, i32)> {
    let bad = || {
        Error::Input(format!(
            "--origins {text}: expected FROM:TO, two years with FROM ≤ TO and at most {MAX_ORIGINS} origins (each its December), such as 2005:2016"
        ))
    };
    let (a, b) = text.split_once(':').ok_or_else(bad)?;
    let (a, b) = (a.trim().parse::<i32>(), b.trim().parse::<i32>());
    match (a, b) {
        (Ok(a), Ok(b)) if a <= b && b - a < MAX_ORIGINS && a >= 1000 && b <= 9999 => Ok((a, b)),
        _ => Err(bad()),
    }
}

/// Runs and scores the forecast from each origin, and writes the folder.
pub fn rolling(opts: &RollingOptions) -> Result<RollingReport> {
    let (first, last) = parse_origins(&opts.origins)?;
    check_years(opts.years)?;
    let sources = sources(&opts.data)?;
    // Each origin's forecast runs without a folder or a terminal; the folder's job counts
    // origins.
    let each = Ensemble {
        out: None,
        terminal: None,
        yes: true,
        ..opts.ensemble.clone()
    };
    let at_origin = |year| {
        At::new(
            &opts.scenario,
            &each,
            &sources,
            month_of(year, 12),
            opts.years,
        )
    };
    let mut at = at_origin(first)?;
    let name = at.compiled.scenario.scenario.name.clone();
    let mut inputs = at.compiled.files();
    inputs.extend(opts.data.iter().cloned());
    let (label, folder) = (job_label(&name), Folder::New(format!("forecasts-{name}")));
    let job = at.job(&opts.ensemble, &inputs, folder, label)?;
    let mut items = Vec::new();
    let terminal = opts.ensemble.terminal();
    let mut progress = terminal.progress(&job_label(&name), (last - first + 1) as u64);
    for origin in first..=last {
        if origin > first {
            at = at_origin(origin)?;
        }
        items.extend(origin_items(&at, &each, &name, origin)?);
        progress.advance(1);
    }
    progress.finish();
    let report = RollingReport {
        scenario: name,
        scores: summarise(&items, at.spec.seed),
        pit: pit_histogram(&items),
        items,
        runs: at.spec.runs,
        seed: at.spec.seed,
        dir: job.dir()?.clone(),
    };
    super::write::write_rolling(opts, &at, &sources, &job, &report, first..=last)?;
    Ok(report)
}

/// One origin's forecast, run without a folder, and its items scored.
fn origin_items(at: &At, each: &Ensemble, name: &str, origin: i32) -> Result<Vec<Item>> {
    let folder = Folder::IfAsked(name.to_string());
    let mut job = at.job(each, &[], folder, job_label(name))?;
    let predictive = at.simulate(&mut job)?;
    Ok(score(at, &predictive, origin))
}

/// The progress label of the origins.
fn job_label(name: &str) -> Label {
    Label {
        text: format!("forecasts of {name}"),
        unit: "origins",
    }
}

/// The items of one origin's forecast: every state-session after the origin observed in the
/// panel, up to the horizon, with each reference's score (states a reference cannot score are
/// left out, so that every item has all four scores).
fn score(at: &At, predictive: &super::predictive::Predictive, origin: i32) -> Vec<Item> {
    let references = References::fit(&at.panel, origin);
    let mut out = Vec::new();
    for (state, year, _, ideal) in &predictive.cells {
        let Some(ideal) = ideal.as_ref().filter(|_| *year > origin) else {
            continue;
        };
        let observed = (at.panel.of(state).into_iter())
            .find(|o| o.series == Series::UngaIdealPoint && o.month == month_of(*year, 12));
        let Some(y) = observed.map(|o| o.value) else {
            continue;
        };
        let Some(r) = references.score(state, *year, y) else {
            continue;
        };
        out.push(Item {
            origin,
            state: state.clone(),
            year: *year,
            observed: y,
            quantiles: [0.05, 0.25, 0.5, 0.75, 0.95].map(|p| ideal.quantile(p)),
            pit: ideal.cdf(y),
            crps: [ideal.crps(y), r.random_walk, r.climatology, r.ar1],
        });
    }
    out
}

/// The scores by horizon, by origin, and of all items.
fn summarise(items: &[Item], seed: u64) -> Vec<Scores> {
    let mut groups: Vec<(&'static str, i32, Vec<&Item>)> = Vec::new();
    let mut by = |name: &'static str, key: &dyn Fn(&Item) -> i32| {
        let mut map: BTreeMap<i32, Vec<&Item>> = BTreeMap::new();
        for i in items {
            map.entry(key(i)).or_default().push(i);
        }
        groups.extend(map.into_iter().map(|(k, v)| (name, k, v)));
    };
    by("horizon", &|i| i.horizon());
    by("origin", &|i| i.origin);
    groups.push(("all", 0, items.iter().collect()));
    groups
        .into_iter()
        .map(|(by, value, set)| scores(by, value, &set, seed))
        .collect()
}

/// The scores of one set of items.
fn scores(by: &'static str, value: i32, set: &[&Item], seed: u64) -> Scores {
    let n = set.len();
    let share = |inside: usize| {
        let (low, high) = wilson(inside as u64, n as u64);
        (inside as f64 / n.max(1) as f64, low, high)
    };
    let in50 = set
        .iter()
        .filter(|i| (i.quantiles[1]..=i.quantiles[3]).contains(&i.observed));
    let in90 = set
        .iter()
        .filter(|i| (i.quantiles[0]..=i.quantiles[4]).contains(&i.observed));
    let mean = |k: usize| set.iter().map(|i| i.crps[k]).sum::<f64>() / n.max(1) as f64;
    // Sums per target year: resampling them resamples years, whose sessions move together.
    let mut years: BTreeMap<i32, [f64; 4]> = BTreeMap::new();
    for i in set {
        let y = years.entry(i.year).or_default();
        for k in 0..4 {
            y[k] += i.crps[k];
        }
    }
    let model: Vec<f64> = years.values().map(|s| s[0]).collect();
    let against = |k: usize| {
        let reference: Vec<f64> = years.values().map(|s| s[k]).collect();
        skill(&model, &reference, seed ^ k as u64)
    };
    Scores {
        by,
        value,
        items: n,
        coverage: [share(in50.count()), share(in90.count())],
        crps: [mean(0), mean(1), mean(2), mean(3)],
        skill: [against(1), against(2), against(3)],
    }
}

/// Counts of the PIT in [`PIT_BINS`] equal bins.
fn pit_histogram(items: &[Item]) -> [usize; PIT_BINS] {
    let mut counts = [0; PIT_BINS];
    for i in items {
        counts[((i.pit * PIT_BINS as f64) as usize).min(PIT_BINS - 1)] += 1;
    }
    counts
}

/// The terminal's table: coverage and skill by horizon, and of all items.
pub fn table(report: &RollingReport) -> String {
    let mut out = String::from(
        "horizon  items  in 50 %  in 90 %   CRPS  skill vs random walk  vs climatology   vs AR(1)\n",
    );
    let skill = |s: &Option<Skill>| match s {
        Some(s) => format!("{:+.2} [{:+.2}, {:+.2}]", s.score, s.low, s.high),
        None => "–".into(),
    };
    for s in report.scores.iter().filter(|s| s.by != "origin") {
        let name = match s.by {
            "all" => "all".to_string(),
            _ => format!("{} y", s.value),
        };
        out.push_str(&format!(
            "{name:>7} {:>6} {:>7.0}% {:>7.0}% {:>6.3}  {:>20} {:>20} {:>20}\n",
            s.items,
            100.0 * s.coverage[0].0,
            100.0 * s.coverage[1].0,
            s.crps[0],
            skill(&s.skill[0]),
            skill(&s.skill[1]),
            skill(&s.skill[2]),
        ));
    }
    out
}
