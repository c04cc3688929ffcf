//! The scenario format: TOML files, `extends` merging, typed reading with located errors, and
//! the checks that relate one key to another. Everything here is documented key by key in
//! docs/SCENARIOS.md; the model's meaning of each key is in docs/MODEL.md.

mod bundled;
mod checks;
mod extends;
mod hints;
mod lever_table;
mod node;
mod nowcast_start;
mod params;
mod reader;
mod statuses;
mod sweep;
mod typed;
mod types;
mod uncertain;
mod vocabulary;

pub use bundled::{BUNDLED, Bundled, DiskThenBundled};
pub use extends::{Disk, Library};
pub use hints::{did_you_mean, suggestion};
pub use lever_table::{Acts, LEVER_SPECS, Lever, LeverParams};
pub use node::Sources;
pub use nowcast_start::{observed_units, start_mean};
pub use params::{PARAM_SPECS, POPULATION_SPECS, ParamSpec, Params, PopulationParams};
pub use sweep::{Design, Sweep, SweepParameter, load_sweep};
pub use types::*;
pub use uncertain::{Dist, MAX_UNCERTAIN, Uncertain};
pub(crate) use vocabulary::named;
pub use vocabulary::{
    EventKind, Known, OutcomeKind, Pole, Reading, StartFrom, Status, Targeting, YearMonth,
};

use crate::error::{Error, Result};

/// Loads a scenario by path, or by the name of a bundled scenario (`balkans`) when no such
/// file exists; follows `extends`, checks every key, and returns it resolved.
pub fn load(name: &str) -> Result<Scenario> {
    load_tree(name)?.scenario_with(&[])
}

/// A scenario's merged tree, before typed reading: what sweeps vary.
#[derive(Clone, Debug)]
pub struct Tree {
    root: node::Node,
    sources: Sources,
    /// The root as read, before `start_from = "nowcast"` set the starts: settings apply to it,
    /// and the nowcast again after them.
    before_nowcast: Option<node::Node>,
    /// The panel's data the nowcast reads (`None`: the data in the binary).
    data: Option<std::sync::Arc<crate::measure::Sources>>,
}

/// Loads a scenario's tree (a file, or the name of a bundled scenario when no file has it),
/// following `extends`; [`Tree::notes`] says which file was read when a file has a bundled
/// scenario's name.
pub fn load_tree(name: &str) -> Result<Tree> {
    Tree::read(extends::resolve(&DiskThenBundled, name)?)
}

/// [`load_tree`] for a name written in the file `from` (relative to its folder), as a sweep
/// file names its scenario.
pub(crate) fn load_tree_from(name: &str, from: &str) -> Result<Tree> {
    Tree::read(extends::resolve_from(&DiskThenBundled, name, Some(from))?)
}

impl Tree {
    /// The tree of a resolved root, its starts taken from the nowcast where it says so.
    fn read((root, sources): (node::Node, Sources)) -> Result<Tree> {
        let mut tree = Tree {
            root,
            sources,
            before_nowcast: None,
            data: None,
        };
        nowcast_start::apply(&mut tree)?;
        Ok(tree)
    }

    /// The tree with its starts taken from the nowcast of `data` (a `--data` folder) rather
    /// than of the data in the binary, where the scenario starts from the nowcast.
    pub fn with_data(mut self, data: std::sync::Arc<crate::measure::Sources>) -> Result<Tree> {
        if let Some(read) = self.before_nowcast.take() {
            self.root = read;
        }
        self.data = Some(data);
        nowcast_start::apply(&mut self)?;
        Ok(self)
    }

    /// The files on disk this tree was read from (its scenario and what it extends): the
    /// inputs an output folder must keep apart from.
    pub fn files(&self) -> Vec<std::path::PathBuf> {
        self.sources
            .files
            .iter()
            .filter(|f| !f.argument && !bundled::is_bundled(&f.name))
            .map(|f| std::path::PathBuf::from(&f.name))
            .collect()
    }

    /// What the user should know about how the scenario's names were resolved.
    pub fn notes(&self) -> &[String] {
        &self.sources.notes
    }

    /// The scenario with the numbers at `overrides` (key paths such as
    /// `power.EU.budget.energy` or `state.SRB.gas_share_russia`) replaced, read and checked.
    pub fn scenario_with(&self, overrides: &[(String, f64)]) -> Result<Scenario> {
        let mut root = self.root.clone();
        for (path, value) in overrides {
            node::set_number(&mut root, path, *value).map_err(Error::Input)?;
        }
        let mut ctx = typed::Ctx {
            sources: &self.sources,
            spots: typed::Spots::default(),
        };
        let scenario = reader::read_scenario(&root, &mut ctx)?;
        checks::check(&scenario, &ctx, root.loc)?;
        Ok(scenario)
    }
}

/// A value set on the command line, `--set path=value`: a key path as sweeps take it
/// (`params.inertia`, `state.SRB.gas_share_russia`, `policy.eu.budget.aid`) and a TOML value
/// (`2`, `0.5`, `true`, `["MNE"]`; any other text is a string, `2026-06` included).
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    /// Key path.
    pub path: String,
    /// Value, as TOML.
    pub value: String,
    /// The flag it came with, as messages name it: `--set`, or `--set-variant`.
    pub flag: &'static str,
}

impl Setting {
    /// `path=value` as written after `--set`.
    pub fn parse(arg: &str) -> std::result::Result<Setting, String> {
        let (path, value) = arg.split_once('=').ok_or(
            "expected PATH=VALUE, such as params.inertia=2 or state.SRB.gas_share_russia=0.5",
        )?;
        let path = path.trim();
        if path.is_empty() || path.split('.').any(str::is_empty) {
            return Err(format!(
                "`{path}` is not a key path; expected one such as params.inertia or state.SRB.alignment"
            ));
        }
        Ok(Setting {
            path: path.to_string(),
            value: value.trim().to_string(),
            flag: "--set",
        })
    }

    /// `path=value` as written after `--set-variant`.
    pub fn parse_variant(arg: &str) -> std::result::Result<Setting, String> {
        Ok(Setting {
            flag: "--set-variant",
            ..Setting::parse(arg)?
        })
    }
}

impl Setting {
    /// The factor of a relative value (`x2`, `x0.5`): the key's current value times it.
    pub fn relative(&self) -> Option<f64> {
        let factor = self.value.strip_prefix(['x', '×'])?;
        factor.parse::<f64>().ok().filter(|k| k.is_finite())
    }
}

impl std::fmt::Display for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{} {}={}", self.flag, self.path, self.value)
    }
}

impl Tree {
    /// The tree without the `[[event]]`s of these ids (a hindcast's `--known-only`), so that
    /// every scenario read from it, a draw's included, leaves them out.
    pub fn without_events(mut self, ids: &[String]) -> Tree {
        let drop = |root: &mut node::Node| {
            let node::Kind::Table(t) = &mut root.kind else {
                return;
            };
            let Some(node::Node {
                kind: node::Kind::Array(events),
                ..
            }) = t.get_mut("event")
            else {
                return;
            };
            events.retain(|e| {
                let node::Kind::Table(e) = &e.kind else {
                    return true;
                };
                !matches!(e.get("id").map(|i| &i.kind), Some(node::Kind::Str(id)) if ids.contains(id))
            });
        };
        drop(&mut self.root);
        if let Some(read) = &mut self.before_nowcast {
            drop(read);
        }
        self
    }

    /// The tree with `settings` applied, each value at its key path; refused, naming the
    /// setting (and the scenario's file), when a path names an item the scenario lacks or a
    /// path is set twice. Values are
    /// read and checked like the file's own when the scenario is read ([`Tree::scenario_set`]).
    pub fn with_settings(&self, settings: &[Setting]) -> Result<Tree> {
        if settings.is_empty() {
            // Nothing to set: the tree as loaded, its nowcast already applied.
            return Ok(self.clone());
        }
        let mut tree = self.clone();
        if let Some(read) = tree.before_nowcast.take() {
            tree.root = read;
        }
        for (k, setting) in settings.iter().enumerate() {
            if settings[..k].iter().any(|o| o.path == setting.path) {
                return Err(Error::Input(format!(
                    "{setting}: `{}` is set twice; set each key path once",
                    setting.path
                )));
            }
            let value = match setting.relative() {
                Some(factor) => tree.relative_value(setting, factor)?,
                None => setting.value.clone(),
            };
            let file = tree.sources.files.len();
            tree.sources.files.push(node::Source {
                name: setting.to_string(),
                text: value.clone(),
                argument: true,
            });
            node::set(&mut tree.root, &setting.path, value_node(&value, file)).map_err(|e| {
                let scenario = self.sources.files.first().map_or("", |f| f.name.as_str());
                Error::Input(format!("{setting}: {e} (in {scenario})"))
            })?;
        }
        nowcast_start::apply(&mut tree)?;
        Ok(tree)
    }

    /// The number a relative setting (`x2`) stands for: the key's value in this tree (its
    /// default where the file gives none) times `factor`.
    fn relative_value(&self, setting: &Setting, factor: f64) -> Result<String> {
        let mut now = self.clone();
        nowcast_start::apply(&mut now)?;
        let current = now.scenario_with(&[])?.number_at(&setting.path);
        let current = current.ok_or_else(|| {
            Error::Input(format!(
                "{setting}: a relative value needs a number at `{}`, and the scenario has none there; give the value itself",
                setting.path
            ))
        })?;
        Ok(output_number(current * factor))
    }

    /// The scenario with `settings` applied, read and checked. An error the settings cause
    /// names them: located at a setting's value, or else followed by `(with --set …)`.
    pub fn scenario_set(&self, settings: &[Setting]) -> Result<Scenario> {
        if settings.is_empty() {
            return self.scenario_with(&[]);
        }
        let set = self.with_settings(settings)?;
        set.scenario_with(&[]).map_err(|e| {
            // The file's own mistake is reported as the file's.
            if let Err(own) = self.scenario_with(&[]) {
                return own;
            }
            let msg = e.to_string();
            if settings.iter().any(|s| msg.starts_with(&s.to_string())) {
                return e;
            }
            let all: Vec<String> = settings.iter().map(Setting::to_string).collect();
            Error::Input(format!("{msg} (with {})", all.join(" ")))
        })
    }
}

/// A number as a setting's TOML value: a whole number as an integer (which integer keys need
/// and float keys take), else with its decimals.
pub fn output_number(v: f64) -> String {
    match v.fract() == 0.0 && v.abs() < 1e15 {
        true => format!("{}", v as i64),
        false => format!("{v:?}"),
    }
}

/// The node a setting's text stands for: a TOML value, or else the text as a string.
fn value_node(text: &str, file: usize) -> node::Node {
    if let Ok(node::Node {
        kind: node::Kind::Table(mut t),
        ..
    }) = node::parse(&format!("v = {text}"), file, "--set")
        && t.len() == 1
        && let Some(v) = t.remove("v")
    {
        return v;
    }
    node::Node {
        kind: node::Kind::Str(text.to_string()),
        loc: node::Loc { file, offset: 0 },
    }
}

/// Whether `name` may name a scenario (and so its output folders): 1–64 letters, digits, '-'
/// or '_'.
pub fn name_ok(name: &str) -> bool {
    reader::folder_name_ok(name)
}

/// Loads a scenario through a [`Library`] (disk, the bundled set, or a test's own).
pub fn load_from(lib: &dyn Library, name: &str) -> Result<Scenario> {
    Tree::read(extends::resolve(lib, name)?)?.scenario_with(&[])
}

/// Parses scenario text held in memory (file name `name` in messages); `extends` is refused.
pub fn from_text(name: &str, text: &str) -> Result<Scenario> {
    struct One<'a>(&'a str, &'a str);
    impl Library for One<'_> {
        fn read(&self, name: &str, from: Option<&str>) -> Result<(String, String)> {
            match from {
                None => Ok((self.0.to_string(), self.1.to_string())),
                Some(f) => Err(Error::Input(format!(
                    "{f}: `extends = \"{name}\"` cannot be followed from text held in memory"
                ))),
            }
        }
    }
    load_from(&One(name, text), name)
}
