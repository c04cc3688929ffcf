//! `[scenario] start_from = "nowcast"`: each state's initial alignment, and its public opinion
//! where polls read it, is the nowcast at the scenario's start month (docs/MODEL.md, 9.4), read
//! from the bundled panel (or a `--data` folder's) up to that month and none after, and drawn per draw of the parameters
//! from a normal prior with the nowcast's sd.
//! An entity keeps its file's offset from its parent's population-weighted mean; a state with
//! no observation, and a fully anchored one (a pole's stand-in), keeps its file's number.
//! Applied to the tree once, when it is loaded, so that
//! `--set`, draws and sweeps all start from it.

use super::Tree;
use super::node::{self, Kind};
use super::types::Scenario;
use super::vocabulary::StartFrom;
use crate::distributions::{normal_cdf, normal_density as density};
use crate::error::{Error, Result};
use crate::measure::{self, Month, Nowcast, Panel, Sources, month_of, month_text};
use std::fmt::Write;

/// Sets each state's alignment in `tree` to its nowcast at the start month and adds its prior;
/// a note says what was done. Nothing for a scenario that starts from its file.
pub(super) fn apply(tree: &mut Tree) -> Result<()> {
    // A scenario that cannot be read is left as it is: reading it again reports the mistake
    // where the caller can name the settings that made it.
    let Ok(scenario) = tree.scenario_with(&[]) else {
        return Ok(());
    };
    if scenario.scenario.start_from != StartFrom::Nowcast {
        return Ok(());
    }
    let start = scenario.scenario.start;
    let origin = month_of(start.year, start.month);
    let units = observed_units(&scenario);
    let file = tree
        .sources
        .files
        .first()
        .map_or("", |f| f.name.as_str())
        .to_string();
    let located = |e: Error| {
        Error::Input(format!(
            "{file}: [scenario] start_from = \"nowcast\" with start = \"{start}\": {e}"
        ))
    };
    let nowcast = match &tree.data {
        Some(data) => {
            let panel = Panel::read(data.as_ref(), &units).map_err(located)?;
            measure::nowcast(&panel, &units, origin).map_err(located)?
        }
        None => bundled_nowcast(&units, origin).map_err(located)?,
    };
    tree.before_nowcast = Some(tree.root.clone());
    let mut priors = String::new();
    let mut kept = Vec::new();
    let mut publics = Vec::new();
    for state in &scenario.state {
        // A fully anchored state stands for a pole (the US, Russia): it keeps its numbers.
        if state.anchoring >= 1.0 {
            kept.push(state.code.clone());
            continue;
        }
        for variable in [Variable::Alignment, Variable::Public] {
            let Some(start) = start_of(&scenario, &nowcast, &state.code, variable) else {
                if variable == Variable::Alignment {
                    kept.push(state.code.clone());
                }
                continue;
            };
            if variable == Variable::Public {
                publics.push(state.code.clone());
            }
            let path = format!("state.{}.{}", state.code, variable.key());
            if !set_on_command_line(tree, &state.code, variable.key()) {
                start_at(tree, &mut priors, &path, start, variable.limits(), origin)?;
            }
        }
    }
    add_priors(tree, &priors)?;
    let note = note(origin, scenario.state.len(), &kept, &publics);
    if !tree.sources.notes.contains(&note) {
        tree.sources.notes.push(note);
    }
    Ok(())
}

/// What `apply` did, in words: the states started from the nowcast, the publics, and the
/// states that keep the file's numbers.
fn note(origin: i32, states: usize, kept: &[String], publics: &[String]) -> String {
    let publics = if publics.is_empty() {
        "none".to_string()
    } else {
        publics.join(", ")
    };
    let mut note = format!(
        "start_from = \"nowcast\": initial alignments are the nowcast at {} ({} states, each drawn from its interval), and public opinion where polls read it ({publics})",
        month_text(origin),
        states - kept.len(),
    );
    if !kept.is_empty() {
        let _ = write!(
            note,
            "; the file's number stands for {} (no observation, or fully anchored)",
            kept.join(", ")
        );
    }
    note
}

/// The two numbers of a state the nowcast starts.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Variable {
    Alignment,
    Public,
}

impl Variable {
    /// Its key in a `[[state]]` table.
    fn key(self) -> &'static str {
        match self {
            Variable::Alignment => "alignment",
            Variable::Public => "public_opinion",
        }
    }

    /// How far inside ±1 the start of runs with the scenario's own numbers is kept, and where
    /// a draw may fall. An alignment at a pole cannot be held against pulls that point away from
    /// it (MODEL.md 5), and the panel reads some states beyond; a public with citizens nearer a
    /// pole than 0.8 cannot hold its mean, as its citizens' spread meets the pole (7.10).
    fn limits(self) -> (f64, f64) {
        match self {
            Variable::Alignment => (0.9, 0.95),
            Variable::Public => (0.8, 0.85),
        }
    }

    /// A state's number of it in the file.
    fn in_file(self, state: &super::types::State) -> f64 {
        match self {
            Variable::Alignment => state.alignment,
            Variable::Public => state.public_opinion,
        }
    }
}

/// A start read from the nowcast: the reading and its sd, the observations behind it and the
/// month of the last.
struct Start {
    reading: f64,
    sd: f64,
    used: usize,
    last: i32,
}

/// The mean of a state's starting alignment given the nowcast's `reading` and its `sd`: the
/// reading kept within the limits (with `drawn` false, runs of the scenario's own numbers), or
/// the mean of its truncated prior (drawn). A reading beyond the poles starts inside them; a
/// forecast carries the difference as the state's own offset (docs/MODEL.md, 9.4).
pub fn start_mean(reading: f64, sd: f64, drawn: bool) -> f64 {
    let (limit, support) = Variable::Alignment.limits();
    if !drawn || sd <= 0.0 {
        return reading.clamp(-limit, limit);
    }
    let mean = reading.clamp(-support - 2.0 * sd, support + 2.0 * sd);
    let (a, b) = ((-support - mean) / sd, (support - mean) / sd);
    let mass = normal_cdf(b) - normal_cdf(a);
    mean + sd * (density(a) - density(b)) / mass
}

/// Sets `path` to `start`'s reading for runs with the scenario's own numbers, kept within
/// ±`limit`, and adds its prior for draws: the reading's normal truncated to ±`support`, its
/// mean kept within two sd of the support so that the prior has mass there.
fn start_at(
    tree: &mut Tree,
    priors: &mut String,
    path: &str,
    start: Start,
    (limit, support): (f64, f64),
    origin: i32,
) -> Result<()> {
    let Start {
        reading,
        sd,
        used,
        last,
    } = start;
    node::set_number(&mut tree.root, path, reading.clamp(-limit, limit))
        .map_err(Error::Internal)?;
    let mean = reading.clamp(-support - 2.0 * sd, support + 2.0 * sd);
    let _ = write!(
        priors,
        "[[uncertain]]\npath = \"{path}\"\ndist = \"normal\"\nmean = {mean}\nsd = {sd}\nmin = {lo}\nmax = {support}\n\
why = \"the nowcast at {}: {used} observations, the last {} (docs/MODEL.md, 9.4)\"\n",
        month_text(origin),
        month_text(last),
        lo = -support,
    );
    Ok(())
}

/// Whether `--set` gave state `code`'s `key`: then that number stands.
fn set_on_command_line(tree: &Tree, code: &str, key: &str) -> bool {
    let Kind::Table(root) = &tree.root.kind else {
        return false;
    };
    let Some(node::Node {
        kind: Kind::Array(states),
        ..
    }) = root.get("state")
    else {
        return false;
    };
    states.iter().any(|item| {
        let Kind::Table(t) = &item.kind else {
            return false;
        };
        let is_it = matches!(t.get("code").map(|c| &c.kind), Some(Kind::Str(c)) if c == code);
        let argument = |n: &node::Node| {
            tree.sources
                .files
                .get(n.loc.file)
                .is_some_and(|f| f.argument)
        };
        is_it && t.get(key).is_some_and(argument)
    })
}

/// The units the data observe: each state, or for an entity (`part_of`) its parent, once.
pub fn observed_units(scenario: &Scenario) -> Vec<String> {
    let mut units: Vec<String> = Vec::new();
    for s in &scenario.state {
        let code = s.part_of.clone().unwrap_or_else(|| s.code.clone());
        if !units.contains(&code) {
            units.push(code);
        }
    }
    units
}

/// A state's start of `variable`; `None` where its unit has no observation of it (public
/// opinion: no poll of a fitted family).
fn start_of(
    scenario: &Scenario,
    nowcast: &Nowcast,
    code: &str,
    variable: Variable,
) -> Option<Start> {
    let state = &scenario.state[scenario.state_index(code)?];
    let unit_code = state.part_of.as_deref().unwrap_or(code);
    let unit = nowcast.units.iter().find(|u| u.state == unit_code)?;
    let (estimate, used, last) = match variable {
        Variable::Alignment => (
            unit.track.at_origin.alignment(),
            unit.used.count.iter().sum(),
            unit.track.last_observed?,
        ),
        Variable::Public => {
            let link = nowcast.model.polls.as_ref()?;
            let polls = link.fitted(&unit.polls);
            (
                unit.public?,
                polls.clone().count(),
                polls.map(|p| p.month).max()?,
            )
        }
    };
    let offset = match &state.part_of {
        Some(parent) => variable.in_file(state) - siblings_mean(scenario, parent, variable),
        None => 0.0,
    };
    Some(Start {
        reading: estimate.mean + offset,
        sd: estimate.sd,
        used,
        last,
    })
}

/// The population-weighted mean of the file's `variable` of `parent`'s entities.
fn siblings_mean(scenario: &Scenario, parent: &str, variable: Variable) -> f64 {
    let entities = scenario
        .state
        .iter()
        .filter(|s| s.part_of.as_deref() == Some(parent));
    let (sum, weight) = entities.fold((0.0, 0.0), |(s, w), e| {
        let p = e.population as f64;
        (s + p * variable.in_file(e), w + p)
    });
    if weight > 0.0 { sum / weight } else { 0.0 }
}

/// Appends the `[[uncertain]]` tables of `text` to the tree's, replacing any of the same path.
fn add_priors(tree: &mut Tree, text: &str) -> Result<()> {
    let parsed = node::parse(text, 0, "the nowcast's priors")?;
    let Kind::Table(mut table) = parsed.kind else {
        return Err(Error::Internal("the nowcast's priors are a table".into()));
    };
    let Some(node::Node {
        kind: Kind::Array(new),
        ..
    }) = table.remove("uncertain")
    else {
        return Ok(());
    };
    let Kind::Table(root) = &mut tree.root.kind else {
        return Err(Error::Internal("a scenario's root is a table".into()));
    };
    let list = root.entry("uncertain".to_string()).or_insert(node::Node {
        kind: Kind::Array(Vec::new()),
        loc: parsed.loc,
    });
    let Kind::Array(items) = &mut list.kind else {
        return Err(Error::Internal(
            "[[uncertain]] is an array of tables".into(),
        ));
    };
    let path_of = |n: &node::Node| match &n.kind {
        Kind::Table(t) => t.get("path").and_then(|p| match &p.kind {
            Kind::Str(s) => Some(s.clone()),
            _ => None,
        }),
        _ => None,
    };
    let paths: Vec<Option<String>> = new.iter().map(path_of).collect();
    items.retain(|n| !paths.contains(&path_of(n)));
    items.extend(new);
    Ok(())
}

/// Nowcasts of the bundled data kept by this process (units and origin): the fit is a pure
/// function of them and takes most of a scenario's loading, which `spheres explore` does for
/// every request. At most [`KEPT_NOWCASTS`], the oldest dropped first.
static BUNDLED_NOWCASTS: std::sync::Mutex<Vec<KeptNowcast>> = std::sync::Mutex::new(Vec::new());
const KEPT_NOWCASTS: usize = 8;
/// A kept nowcast: its units and origin, and itself.
type KeptNowcast = ((Vec<String>, Month), Nowcast);

/// The nowcast of the bundled data for `units` at `origin`, computed once per process.
fn bundled_nowcast(units: &[String], origin: Month) -> Result<Nowcast> {
    let key = (units.to_vec(), origin);
    let kept = |cache: &Vec<KeptNowcast>| {
        cache
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, n)| n.clone())
    };
    if let Some(n) = BUNDLED_NOWCASTS.lock().ok().and_then(|c| kept(&c)) {
        return Ok(n);
    }
    let panel = Panel::read(&Sources::bundled(), units)?;
    let nowcast = measure::nowcast(&panel, units, origin)?;
    if let Ok(mut cache) = BUNDLED_NOWCASTS.lock() {
        if cache.len() >= KEPT_NOWCASTS {
            cache.remove(0);
        }
        cache.push((key, nowcast.clone()));
    }
    Ok(nowcast)
}
