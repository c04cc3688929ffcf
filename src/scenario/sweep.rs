//! Sweep files: a scenario, the parameters to vary (key paths into it, with ranges or
//! values), a design, and how many runs per point. Errors name file, line and column like
//! scenario errors do. docs/SCENARIOS.md, "Sweep files", documents every key.

use super::extends::Disk;
use super::node::{Kind, Node, parse};
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
    let (name, text) = bundled::read_sweep(path)?;
    // A bundled sweep's scenario is found beside it among the bundled ones.
    let path = if bundled::is_bundled(&name) {
        name.as_str()
    } else {
        path
    };
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
    let tree = read_scenario_tree(&mut top, &root, path, settings, &mut ctx)?;
    let text = with_settings_noted(&text, settings);
    let mut s = read_sweep_table(&mut top, path, tree, text, &mut ctx)?;
    for node in top.tables("parameter", &mut ctx)? {
        let parameter = read_parameter(node, &s, settings, &mut ctx)?;
        s.parameters.push(parameter);
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

/// The tree of the scenario that the sweep file at `path` (whose tree is `root`) names: a file
/// next to it, else a bundled scenario; with `settings` applied.
fn read_scenario_tree(
    top: &mut Obj,
    root: &Node,
    path: &str,
    settings: &[Setting],
    ctx: &mut Ctx,
) -> Result<Tree> {
    let scenario_name = top.str_req(
        "scenario",
        "a scenario file (relative to this file) or a bundled name",
        ctx,
    )?;
    let relative = Disk::path(&scenario_name, Some(path));
    if !relative.exists() && bundled::find(&scenario_name).is_none() {
        let names: Vec<&str> = super::BUNDLED.iter().map(|b| b.name).collect();
        return Err(ctx.sources.error(
            root_loc(root, "scenario"),
            format!(
                "scenario = \"{scenario_name}\": no such file next to the sweep (looked for {}), and no bundled scenario of that name (bundled: {}){}",
                super::extends::absolute(&relative),
                bundled::listed(),
                super::hints::suggestion(&scenario_name, &names)
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default()
            ),
        ));
    }
    let tree = load_tree_from(&scenario_name, path)?;
    if !settings.is_empty() {
        tree.scenario_set(settings)?;
    }
    tree.with_settings(settings)
}

/// `[sweep]`: the design, its name, points, levels, runs, seed and outputs; a sweep of `tree`
/// whose parameters are still to be read. `text` is the file's text as the folder keeps it.
fn read_sweep_table(
    top: &mut Obj,
    path: &str,
    tree: Tree,
    text: String,
    ctx: &mut Ctx,
) -> Result<Sweep> {
    let Some(mut sweep) = top.table("sweep", ctx)? else {
        return Err(ctx.error_at(
            top.loc,
            "sweep",
            "missing table [sweep]; expected design, points, runs",
        ));
    };
    let design = sweep.choice("design", &Design::choices(), None, ctx)?;
    let name = read_sweep_name(&mut sweep, path, ctx)?;
    let s = Sweep {
        name,
        design,
        points: sweep.int_req(
            "points",
            1..=10_000_000,
            "a whole number of points in [1, 10000000]",
            ctx,
        )? as usize,
        levels: sweep
            .int_opt("levels", 2..=100, "Morris grid levels in [2, 100]", ctx)?
            .unwrap_or(4) as usize,
        runs: sweep.int_req("runs", 1..=1_000_000, "runs per point in [1, 1000000]", ctx)? as u64,
        seed: sweep
            .int_opt("seed", 0..=i64::MAX, "a whole number >= 0", ctx)?
            .unwrap_or(1) as u64,
        outputs: sweep.strings("outputs", ctx)?,
        parameters: Vec::new(),
        tree,
        text,
    };
    sweep.finish(ctx)?;
    Ok(s)
}

/// `sweep.name`, or the stem of the file's name at `path`; it names the output folder.
fn read_sweep_name(sweep: &mut Obj, path: &str, ctx: &mut Ctx) -> Result<String> {
    let stem = Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sweep".into());
    let given = sweep.str_opt("name", "a short name", ctx)?;
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
    Ok(name)
}

/// One `[[parameter]]` of `sweep`, whose parameters so far are those before it: a key path
/// neither set by `settings` nor swept twice, values (grid) or a range, each end of which the
/// scenario accepts.
fn read_parameter(
    node: &Node,
    sweep: &Sweep,
    settings: &[Setting],
    ctx: &mut Ctx,
) -> Result<SweepParameter> {
    let mut o = Obj::new(node, "parameter[?]", ctx)?;
    let path = read_parameter_path(&mut o, sweep, settings, ctx)?;
    let values = read_values(&mut o, &path, ctx)?;
    let (min, max) = read_range(&mut o, &path, values.as_deref(), ctx)?;
    if values.is_some() && sweep.design != Design::Grid {
        return Err(ctx.error_at(
            o.loc,
            &format!("parameter[{path}].values"),
            "values go with design = \"grid\"; other designs take min and max",
        ));
    }
    let loc = o.loc;
    o.finish(ctx)?;
    for end in [min, max] {
        sweep
            .tree
            .scenario_with(&[(path.clone(), end)])
            .map_err(|e| {
                // A key the base file does not write has no place in it: say why without
                // pointing at its first line.
                let full = e.to_string();
                let why = full
                    .split_once(":1:1: ")
                    .filter(|(file, _)| !file.contains(' '))
                    .map_or(full.as_str(), |(_, rest)| rest);
                ctx.sources.error(
                    loc,
                    format!("parameter[{path}] = {end}: the scenario refuses it: {why}"),
                )
            })?;
    }
    Ok(SweepParameter {
        path,
        min,
        max,
        values,
    })
}

/// A parameter's `path`, which names it from then on; refused when `settings` set it or an
/// earlier parameter of `sweep` sweeps it.
fn read_parameter_path(
    o: &mut Obj,
    sweep: &Sweep,
    settings: &[Setting],
    ctx: &mut Ctx,
) -> Result<String> {
    let path = o.str_req("path", "a key path such as \"power.EU.budget.energy\"", ctx)?;
    o.path = format!("parameter[{path}]");
    if let Some(set) = settings.iter().find(|x| x.path == path) {
        return Err(ctx.error_at(
            o.loc,
            &format!("{}.path", o.path),
            format!("= \"{path}\" is also given as {set}; a swept key path cannot be set"),
        ));
    }
    if sweep.parameters.iter().any(|p| p.path == path) {
        return Err(ctx.error_at(
            o.loc,
            &format!("{}.path", o.path),
            format!("= \"{path}\" is swept twice; name each key path once"),
        ));
    }
    Ok(path)
}

/// A parameter's grid `values`, if given: finite numbers.
fn read_values(o: &mut Obj, path: &str, ctx: &mut Ctx) -> Result<Option<Vec<f64>>> {
    let Some(n) = o.node("values", ctx) else {
        return Ok(None);
    };
    let Kind::Array(items) = &n.kind else {
        return Err(ctx.sources.error(
            n.loc,
            format!("parameter[{path}].values: expected a list of numbers"),
        ));
    };
    let values = items
        .iter()
        .map(|i| match i.kind {
            Kind::Float(f) if f.is_finite() => Ok(f),
            Kind::Int(v) => Ok(v as f64),
            _ => Err(ctx.sources.error(
                i.loc,
                format!("parameter[{path}].values: expected finite numbers"),
            )),
        })
        .collect::<Result<Vec<f64>>>()?;
    Ok(Some(values))
}

/// A parameter's range: that of its `values` when given (not empty), else its `min` and `max`
/// (min below max).
fn read_range(
    o: &mut Obj,
    path: &str,
    values: Option<&[f64]>,
    ctx: &mut Ctx,
) -> Result<(f64, f64)> {
    match values {
        Some(v) if !v.is_empty() => Ok((
            v.iter().cloned().fold(f64::MAX, f64::min),
            v.iter().cloned().fold(f64::MIN, f64::max),
        )),
        Some(_) => Err(ctx.error_at(o.loc, &format!("parameter[{path}].values"), "is empty")),
        None => {
            let min = o.f64_req(
                "min",
                f64::MIN..=f64::MAX,
                "the lower end of the range",
                ctx,
            )?;
            let max = o.f64_req(
                "max",
                f64::MIN..=f64::MAX,
                "the upper end of the range",
                ctx,
            )?;
            if min >= max {
                return Err(ctx.error_at(
                    o.loc,
                    &format!("parameter[{path}]"),
                    format!("min {min} is not below max {max}"),
                ));
            }
            Ok((min, max))
        }
    }
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

fn root_loc(root: &Node, key: &str) -> super::node::Loc {
    match &root.kind {
        Kind::Table(t) => t.get(key).map_or(root.loc, |n| n.loc),
        _ => root.loc,
    }
}
