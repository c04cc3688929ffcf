//! The scenario format: TOML files, `extends` merging, typed reading with located errors, and
//! the checks that relate one key to another. Everything here is documented key by key in
//! docs/SCENARIOS.md; the model's meaning of each key is in docs/MODEL.md.

mod bundled;
mod hints;
mod levers;
mod merge;
mod node;
mod params;
mod read;
mod reader;
mod sweep;
mod types;
mod validate;
mod vocabulary;

pub use bundled::{BUNDLED, Bundled, DiskThenBundled};
pub use hints::{did_you_mean, suggestion};
pub use levers::{Acts, LEVER_SPECS, Lever, LeverParams};
pub use merge::{Disk, Library};
pub use node::Sources;
pub use params::{PARAM_SPECS, POPULATION_SPECS, ParamSpec, Params, PopulationParams};
pub use sweep::{Design, Sweep, SweepParameter, load_sweep};
pub use types::*;
pub(crate) use vocabulary::named;
pub use vocabulary::{EventKind, OutcomeKind, Pole, Status, Targeting, YearMonth};

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
}

/// Loads a scenario's tree (a file, or the name of a bundled scenario when no file has it),
/// following `extends`; [`Tree::notes`] says which file was read when a file has a bundled
/// scenario's name.
pub fn load_tree(name: &str) -> Result<Tree> {
    let (root, sources) = merge::resolve(&DiskThenBundled, name)?;
    Ok(Tree { root, sources })
}

/// [`load_tree`] for a name written in the file `from` (relative to its folder), as a sweep
/// file names its scenario.
pub(crate) fn load_tree_from(name: &str, from: &str) -> Result<Tree> {
    let (root, sources) = merge::resolve_from(&DiskThenBundled, name, Some(from))?;
    Ok(Tree { root, sources })
}

impl Tree {
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
        let mut ctx = read::Ctx {
            sources: &self.sources,
            spots: read::Spots::default(),
        };
        let scenario = reader::read_scenario(&root, &mut ctx)?;
        validate::check(&scenario, &ctx, root.loc)?;
        Ok(scenario)
    }
}

/// Loads a scenario through a [`Library`] (disk, the bundled set, or a test's own).
pub fn load_from(lib: &dyn Library, name: &str) -> Result<Scenario> {
    let (root, sources) = merge::resolve(lib, name)?;
    let mut ctx = read::Ctx {
        sources: &sources,
        spots: read::Spots::default(),
    };
    let scenario = reader::read_scenario(&root, &mut ctx)?;
    validate::check(&scenario, &ctx, root.loc)?;
    Ok(scenario)
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
