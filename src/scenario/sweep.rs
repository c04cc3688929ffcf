//! Sweep files: a scenario, the parameters to vary (key paths into it, with ranges or
//! values), a design, and how many runs per point. Errors name file, line and column like
//! scenario errors do. docs/SCENARIOS.md, "Sweep files", documents every key.

use super::extends::{Disk, Library};
use super::node::{Kind, parse};
use super::typed::{Ctx, Obj, Spots};
use super::vocabulary::named;
use super::{Setting, Sources, Tree, bundled, load_tree_from};
use crate::error::Result;
use std::path::Path;

named! {
    /// The designs a sweep can use.
    pub enum Design {
        /// Every combination of levels (or of given values).
        Grid = "grid",
        /// Latin hypercube sample.
        Lhs = "lhs",
        /// Saltelli design, analysed for Sobol indices.
        Sobol = "sobol",
        /// Morris trajectories, analysed for elementary effects.
        Morris = "morris",
        /// Independent uniform draws.
        MonteCarlo = "montecarlo",
    }
}

/// One varied parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepParameter {
    /// Key path into the scenario (`power.EU.budget.energy`).
    pub path: String,
    /// Lower end of the range.
    pub min: f64,
    /// Upper end of the range.
    pub max: f64,
    /// Grid values given directly (grid design only).
    pub values: Option<Vec<f64>>,
}

/// A parsed sweep file.
#[derive(Clone, Debug)]
pub struct Sweep {
    /// The sweep's name; names the output folder.
    pub name: String,
    /// The scenario's tree, which each point varies.
    pub tree: Tree,
    /// The design.
    pub design: Design,
    /// Grid: levels per parameter; lhs, montecarlo: points; sobol: base samples; morris: trajectories.
    pub points: usize,
    /// Morris grid levels.
    pub levels: usize,
    /// Runs of each point.
    pub runs: u64,
    /// Seed of the design and of every point's runs.
    pub seed: u64,
    /// `unit.indicator` names reported per point; empty means the default set.
    pub outputs: Vec<String>,
    /// The varied parameters.
    pub parameters: Vec<SweepParameter>,
    /// The sweep file's text, written beside the results (after a comment naming the `--set`
    /// values, if any).
    pub text: String,
}

/// Reads and checks a sweep file; its scenario is loaded, `settings` (`--set`) applied to it,
/// and every parameter is checked at both ends of its range.
pub fn load_sweep(path: &str, settings: &[Setting]) -> Result<Sweep> {
    let (name, text) = Disk.read(path, None)?;
    let sources = Sources {
        files: vec![super::node::Source {
            name: name.clone(),
            text: text.clone(),
            argument: false,
        }],
        notes: Vec::new(),
    };
    let root = parse(&text, 0, &name)?;
    let mut ctx = Ctx {
        sources: &sources,
        spots: Spots::default(),
    };
    let mut top = Obj::new(&root, "", &ctx)?;
    let scenario_name = top.str_req(
        "scenario",
        "a scenario file (relative to this file) or a bundled name",
        &mut ctx,
    )?;
    let scenario_loc = root_loc(&root, "scenario");
    let relative = Disk::path(&scenario_name, Some(path));
    let tree = if relative.exists() || bundled::find(&scenario_name).is_some() {
        let tree = load_tree_from(&scenario_name, path)?;
        if !settings.is_empty() {
            tree.scenario_set(settings)?;
        }
        tree.with_settings(settings)?
    } else {
        let names: Vec<&str> = super::BUNDLED.iter().map(|b| b.name).collect();
        return Err(sources.error(
            scenario_loc,
            format!(
                "scenario = \"{scenario_name}\": no such file next to the sweep (looked for {}), and no bundled scenario of that name (bundled: {}){}",
                super::extends::absolute(&relative),
                bundled::listed(),
                super::hints::suggestion(&scenario_name, &names)
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default()
            ),
        ));
    };
    let Some(mut sweep) = top.table("sweep", &mut ctx)? else {
        return Err(ctx.error_at(
            root.loc,
            "sweep",
            "missing table [sweep]; expected design, points, runs",
        ));
    };
    let design = sweep.choice("design", &Design::choices(), None, &mut ctx)?;
    let stem = Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sweep".into());
    let given = sweep.str_opt("name", "a short name", &mut ctx)?;
    let name = given.clone().unwrap_or(stem);
    if !super::reader::folder_name_ok(&name) {
        let what = if given.is_some() {
            format!("= \"{}\"", name.chars().take(80).collect::<String>())
        } else {
            format!("is missing, and the file's name \"{name}\" cannot stand for it")
        };
        return Err(ctx.error_path(
            "sweep.name",
            sweep.loc,
            format!(
                "{what}; expected 1-64 letters, digits, '-' or '_' (it names the output folder)"
            ),
        ));
    }
    let s = Sweep {
        name,
        design,
        points: sweep.int_req(
            "points",
            1..=10_000_000,
            "a whole number of points in [1, 10000000]",
            &mut ctx,
        )? as usize,
        levels: sweep
            .int_opt(
                "levels",
                2..=100,
                "Morris grid levels in [2, 100]",
                &mut ctx,
            )?
            .unwrap_or(4) as usize,
        runs: sweep.int_req(
            "runs",
            1..=1_000_000,
            "runs per point in [1, 1000000]",
            &mut ctx,
        )? as u64,
        seed: sweep
            .int_opt("seed", 0..=i64::MAX, "a whole number >= 0", &mut ctx)?
            .unwrap_or(1) as u64,
        outputs: sweep.strings("outputs", &mut ctx)?,
        parameters: Vec::new(),
        tree,
        text: with_settings_noted(&text, settings),
    };
    sweep.finish(&ctx)?;
    let mut s = s;
    for node in top.tables("parameter", &mut ctx)? {
        let mut o = Obj::new(node, "parameter[?]", &ctx)?;
        let path = o.str_req(
            "path",
            "a key path such as \"power.EU.budget.energy\"",
            &mut ctx,
        )?;
        o.path = format!("parameter[{path}]");
        if let Some(set) = settings.iter().find(|x| x.path == path) {
            return Err(ctx.error_at(
                node.loc,
                &format!("{}.path", o.path),
                format!("= \"{path}\" is also given as {set}; a swept key path cannot be set"),
            ));
        }
        if s.parameters.iter().any(|p| p.path == path) {
            return Err(ctx.error_at(
                node.loc,
                &format!("{}.path", o.path),
                format!("= \"{path}\" is swept twice; name each key path once"),
            ));
        }
        let values = match o.node("values", &mut ctx) {
            None => None,
            Some(n) => match &n.kind {
                Kind::Array(items) => Some(
                    items
                        .iter()
                        .map(|i| match i.kind {
                            Kind::Float(f) if f.is_finite() => Ok(f),
                            Kind::Int(v) => Ok(v as f64),
                            _ => Err(sources.error(
                                i.loc,
                                format!("parameter[{path}].values: expected finite numbers"),
                            )),
                        })
                        .collect::<Result<Vec<f64>>>()?,
                ),
                _ => {
                    return Err(sources.error(
                        n.loc,
                        format!("parameter[{path}].values: expected a list of numbers"),
                    ));
                }
            },
        };
        let (min, max) = match &values {
            Some(v) if !v.is_empty() => (
                v.iter().cloned().fold(f64::MAX, f64::min),
                v.iter().cloned().fold(f64::MIN, f64::max),
            ),
            Some(_) => {
                return Err(ctx.error_at(o.loc, &format!("parameter[{path}].values"), "is empty"));
            }
            None => (
                o.f64_req(
                    "min",
                    f64::MIN..=f64::MAX,
                    "the lower end of the range",
                    &mut ctx,
                )?,
                o.f64_req(
                    "max",
                    f64::MIN..=f64::MAX,
                    "the upper end of the range",
                    &mut ctx,
                )?,
            ),
        };
        if values.is_none() && min >= max {
            return Err(ctx.error_at(
                o.loc,
                &format!("parameter[{path}]"),
                format!("min {min} is not below max {max}"),
            ));
        }
        if values.is_some() && design != Design::Grid {
            return Err(ctx.error_at(
                o.loc,
                &format!("parameter[{path}].values"),
                "values go with design = \"grid\"; other designs take min and max",
            ));
        }
        let loc = o.loc;
        o.finish(&ctx)?;
        for end in [min, max] {
            s.tree.scenario_with(&[(path.clone(), end)]).map_err(|e| {
                // A key the base file does not write has no place in it: say why without
                // pointing at its first line.
                let full = e.to_string();
                let why = full
                    .split_once(":1:1: ")
                    .filter(|(file, _)| !file.contains(' '))
                    .map_or(full.as_str(), |(_, rest)| rest);
                sources.error(
                    loc,
                    format!("parameter[{path}] = {end}: the scenario refuses it: {why}"),
                )
            })?;
        }
        s.parameters.push(SweepParameter {
            path,
            min,
            max,
            values,
        });
    }
    top.finish(&ctx)?;
    if s.parameters.is_empty() {
        return Err(ctx.error_at(
            root.loc,
            "parameter",
            "no [[parameter]] tables; a sweep varies at least one",
        ));
    }
    Ok(s)
}

/// The sweep file's text as its output folder keeps it: after a comment naming the `--set`
/// values, if any, so that `--resume` and `merge` see a sweep with other settings as another.
fn with_settings_noted(text: &str, settings: &[Setting]) -> String {
    if settings.is_empty() {
        return text.to_string();
    }
    let all: Vec<String> = settings.iter().map(Setting::to_string).collect();
    format!("# run with {}\n{text}", all.join(" "))
}

fn root_loc(root: &super::node::Node, key: &str) -> super::node::Loc {
    match &root.kind {
        Kind::Table(t) => t.get(key).map_or(root.loc, |n| n.loc),
        _ => root.loc,
    }
}
