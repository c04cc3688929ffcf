//! `[[uncertain]]`: priors over the numbers we do not know. Each item names a key path that
//! sweeps and `--set` accept (`params.inertia`, `lever.arms.pull`, `state.SRB.gas_share_russia`,
//! `power.EU.budget.aid`, `event.<id>.magnitude`), a distribution, and why; a run's draw of
//! the parameters replaces those numbers before the scenario is compiled. docs/SCENARIOS.md,
//! "Uncertain", documents the keys; docs/CALIBRATION.md the Balkans' priors.

use super::node::Node;
use super::typed::{Ctx, Obj, clip};
use super::vocabulary::named;
use crate::distributions::{Distribution, MIN_MASS};
use crate::error::{Error, Result};
use serde::ser::{SerializeMap, Serializer};

named! {
    /// The distributions a prior may have.
    pub enum Dist {
        /// Uniform on [min, max].
        Uniform = "uniform",
        /// Uniform in log on [min, max].
        LogUniform = "loguniform",
        /// Normal (mean, sd).
        Normal = "normal",
        /// Log-normal (median, sd_log).
        LogNormal = "lognormal",
        /// Beta (alpha, beta) on [min, max].
        Beta = "beta",
        /// Triangular (min, mode, max).
        Triangular = "triangular",
    }
}

/// Most `[[uncertain]]` items a scenario may have.
pub const MAX_UNCERTAIN: usize = 64;

/// One prior: a key path, its distribution truncated to the key's range, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Uncertain {
    /// The key path, as sweeps write it (`params.inertia`).
    pub path: String,
    /// The distribution's name in files.
    pub dist: Dist,
    /// The distribution's numbers as the file gave them (`median`, `sd_log`, …), in file order.
    pub numbers: Vec<(&'static str, f64)>,
    /// The distribution the numbers give.
    pub distribution: Distribution,
    /// Where draws may fall: the key's range, narrowed by `min`/`max` where given.
    pub support: (f64, f64),
    /// The reasoning or source behind the prior.
    pub why: String,
}

impl Uncertain {
    /// The value of the uniform `u` in (0, 1) under this prior.
    pub fn value(&self, u: f64) -> f64 {
        let (lo, hi) = self.support;
        // Checked when read: the prior has mass inside its support.
        self.distribution.truncated(u, lo, hi).unwrap_or(lo)
    }
}

impl serde::Serialize for Uncertain {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("path", &self.path)?;
        map.serialize_entry("dist", &self.dist)?;
        for (key, value) in &self.numbers {
            map.serialize_entry(key, value)?;
        }
        if !self.why.is_empty() {
            map.serialize_entry("why", &self.why)?;
        }
        map.end()
    }
}

/// The keys each distribution takes: required, then optional.
fn keys(dist: Dist) -> (&'static [&'static str], &'static [&'static str]) {
    match dist {
        Dist::Uniform | Dist::LogUniform => (&["min", "max"], &[]),
        Dist::Normal => (&["mean", "sd"], &["min", "max"]),
        Dist::LogNormal => (&["median", "sd_log"], &["min", "max"]),
        Dist::Beta => (&["alpha", "beta"], &["min", "max"]),
        Dist::Triangular => (&["min", "mode", "max"], &[]),
    }
}

/// The path the reader records a key path's number under: `state.SRB.alignment` is
/// `state[SRB].alignment`.
fn spot_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        [list, code, rest @ ..]
            if *list != "uncertain"
                && super::node::list_key(list).is_some()
                && !rest.is_empty() =>
        {
            format!("{list}[{code}].{}", rest.join("."))
        }
        _ => path.to_string(),
    }
}

/// Reads the `[[uncertain]]` items; call after every other table, whose numbers' ranges they
/// are checked against.
pub(super) fn read_all(nodes: &[&Node], ctx: &mut Ctx) -> Result<Vec<Uncertain>> {
    let mut all: Vec<Uncertain> = Vec::new();
    for node in nodes {
        let prior = read_one(node, &all, ctx)?;
        all.push(prior);
    }
    Ok(all)
}

/// A key path given a prior, and the range the reader recorded for its number.
struct Key {
    path: String,
    range: (f64, f64),
}

/// A prior's distribution and its numbers as the item gives them.
struct Given {
    dist: Dist,
    numbers: Vec<(&'static str, f64)>,
}

impl Given {
    /// The number `key`, if given.
    fn get(&self, key: &str) -> Option<f64> {
        self.numbers
            .iter()
            .find(|(k, _)| *k == key)
            .map(|&(_, v)| v)
    }
}

/// One `[[uncertain]]` item, after the items `earlier`.
fn read_one(node: &Node, earlier: &[Uncertain], ctx: &mut Ctx) -> Result<Uncertain> {
    let mut o = Obj::new(node, "uncertain[?]", ctx)?;
    let key = read_key(&mut o, earlier, ctx)?;
    let given = read_given(&mut o, ctx)?;
    let why = o.str_opt("why", "the reasoning or source behind the prior", ctx)?;
    let distribution = distribution(&given, &o, ctx)?;
    let support = support(&key, &given, &distribution, &o, ctx)?;
    o.finish(ctx)?;
    Ok(Uncertain {
        path: key.path,
        dist: given.dist,
        numbers: given.numbers,
        distribution,
        support,
        why: why.unwrap_or_default(),
    })
}

/// An item's `path`, which names it from then on: a number of this scenario, given no prior
/// by the items `earlier`, of which there are fewer than [`MAX_UNCERTAIN`].
fn read_key(o: &mut Obj, earlier: &[Uncertain], ctx: &mut Ctx) -> Result<Key> {
    let path = o.str_req(
        "path",
        "a key path such as \"params.inertia\" or \"lever.arms.pull\"",
        ctx,
    )?;
    o.path = format!("uncertain[{path}]");
    o.node("path", ctx);
    let Some(range) = ctx.spots.range(&spot_path(&path)) else {
        return Err(error_at_key(
            o,
            "path",
            format!(
                "= \"{}\" names no number of this scenario; expected a key path that --set and sweeps accept, such as \"params.inertia\", \"lever.arms.pull\" or \"state.SRB.gas_share_russia\"",
                clip(&path)
            ),
            ctx,
        ));
    };
    if earlier.iter().any(|u| u.path == path) {
        return Err(error_at_key(
            o,
            "path",
            "is given a prior twice; give each key path one [[uncertain]] item",
            ctx,
        ));
    }
    if earlier.len() == MAX_UNCERTAIN {
        return Err(ctx.error_at(
            o.loc,
            &o.path,
            format!(
                "more than {MAX_UNCERTAIN} [[uncertain]] items; expected at most {MAX_UNCERTAIN}"
            ),
        ));
    }
    Ok(Key { path, range })
}

/// An item's `dist` and the numbers it takes, in file order.
fn read_given(o: &mut Obj, ctx: &mut Ctx) -> Result<Given> {
    let dist = o.choice("dist", &Dist::choices(), None, ctx)?;
    let (required, optional) = keys(dist);
    let mut numbers = Vec::new();
    for &key in required {
        numbers.push((key, o.f64_req(key, -1e12..=1e12, "a number", ctx)?));
    }
    for &key in optional {
        if let Some(v) = o.f64_opt(key, -1e12..=1e12, "a number", ctx)? {
            numbers.push((key, v));
        }
    }
    Ok(Given { dist, numbers })
}

/// The error at `key` of the item `o`.
fn error_at_key(o: &Obj, key: &str, msg: impl std::fmt::Display, ctx: &Ctx) -> Error {
    ctx.error_path(&format!("{}.{key}", o.path), o.loc, msg)
}

/// The distribution the numbers `given` give: `max` above `min`, scales above 0, a triangle's
/// mode inside it.
fn distribution(given: &Given, o: &Obj, ctx: &Ctx) -> Result<Distribution> {
    let bad = |key: &str, msg: &str| error_at_key(o, key, msg, ctx);
    let positive = |key: &str| match given.get(key) {
        Some(v) if v <= 0.0 => Err(bad(key, "must be above 0")),
        _ => Ok(()),
    };
    let (min, max) = (given.get("min"), given.get("max"));
    if let (Some(a), Some(b)) = (min, max)
        && a >= b
    {
        return Err(bad("max", "must be above min"));
    }
    let number = |key: &str| given.get(key).unwrap_or(f64::NAN);
    Ok(match given.dist {
        Dist::Uniform => Distribution::Uniform {
            min: number("min"),
            max: number("max"),
        },
        Dist::LogUniform => {
            positive("min")?;
            Distribution::LogUniform {
                min: number("min"),
                max: number("max"),
            }
        }
        Dist::Normal => {
            positive("sd")?;
            Distribution::Normal {
                mean: number("mean"),
                sd: number("sd"),
            }
        }
        Dist::LogNormal => {
            positive("median")?;
            positive("sd_log")?;
            Distribution::LogNormal {
                median: number("median"),
                sd_log: number("sd_log"),
            }
        }
        Dist::Beta => {
            positive("alpha")?;
            positive("beta")?;
            Distribution::Beta {
                alpha: number("alpha"),
                beta: number("beta"),
                min: min.unwrap_or(0.0),
                max: max.unwrap_or(1.0),
            }
        }
        Dist::Triangular => {
            let (a, m, b) = (number("min"), number("mode"), number("max"));
            if !(a <= m && m <= b) {
                return Err(bad("mode", "must lie in [min, max]"));
            }
            Distribution::Triangular {
                min: a,
                mode: m,
                max: b,
            }
        }
    })
}

/// Where draws of the prior may fall: the key's range, narrowed by the item's `min`/`max`.
/// Distributions with bounds of their own must fit in the key's range; the others are
/// truncated to it; either must put enough of its mass inside.
fn support(
    key: &Key,
    given: &Given,
    distribution: &Distribution,
    o: &Obj,
    ctx: &Ctx,
) -> Result<(f64, f64)> {
    let (min, max) = (given.get("min"), given.get("max"));
    let (path, (key_lo, key_hi)) = (&key.path, key.range);
    let bounded = matches!(
        given.dist,
        Dist::Uniform | Dist::LogUniform | Dist::Beta | Dist::Triangular
    );
    let (lo, hi) = (
        min.unwrap_or(key_lo).max(key_lo),
        max.unwrap_or(key_hi).min(key_hi),
    );
    for (key, v) in [("min", min), ("max", max)] {
        if let Some(v) = v
            && bounded
            && !(key_lo..=key_hi).contains(&v)
        {
            return Err(error_at_key(
                o,
                key,
                format!("= {v} is outside the range of {path}, [{key_lo}, {key_hi}]"),
                ctx,
            ));
        }
    }
    let mass = distribution.mass(lo, hi);
    if mass.is_nan() || mass < MIN_MASS {
        return Err(ctx.error_at(
            o.loc,
            &o.path,
            format!(
                "puts less than {MIN_MASS} of its probability inside [{lo}, {hi}], where {path} may lie; expected a prior centred inside that range"
            ),
        ));
    }
    Ok((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::spot_path;

    #[test]
    fn key_paths_map_to_the_readers_paths() {
        assert_eq!(spot_path("params.inertia"), "params.inertia");
        assert_eq!(spot_path("state.SRB.alignment"), "state[SRB].alignment");
        assert_eq!(
            spot_path("power.EU.budget.energy"),
            "power[EU].budget.energy"
        );
        assert_eq!(spot_path("lever.arms.pull"), "lever.arms.pull");
    }
}
