//! A request of the explorer (`POST /api/compare`, `/api/save`, a lattice point of `--export`):
//! the seed, the runs, whether the coefficients are drawn, and the sliders moved, each read and
//! checked against the sliders and the limits. Anything else is a [`BadRequest`] that says
//! what was expected; nothing a client sends names a file or reaches a panic.

use super::sliders::{Side, Slider};
use crate::scenario::did_you_mean;
use serde_json::{Map, Value};

/// Runs a request may ask for, at most (and at least).
pub const MAX_RUNS: u64 = 5000;
/// Runs a request may ask for, at least.
pub const MIN_RUNS: u64 = 10;
/// Bytes of a request body, at most.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A request the client got wrong: the reason, for a 400.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRequest(pub String);

/// A checked request.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// The master seed.
    pub seed: u64,
    /// Runs of each scenario.
    pub runs: u64,
    /// Plausible worlds (coefficients drawn from their priors); false runs today's (`--fixed`).
    pub worlds: bool,
    /// The sliders moved: the index into the sliders and the value.
    pub values: Vec<(usize, f64)>,
}

impl Request {
    /// Reads a JSON body: `{"seed": 1, "runs": 200, "worlds": true, "baseline": {PATH: VALUE},
    /// "variant": {PATH: VALUE}}`, every key optional; `seed` defaults to `default_seed`.
    pub fn parse(
        body: &[u8],
        sliders: &[Slider],
        default_seed: u64,
    ) -> Result<Request, BadRequest> {
        if body.len() > MAX_BODY_BYTES {
            return Err(bad(format!("the body is over {MAX_BODY_BYTES} bytes")));
        }
        let value: Value = match body.iter().all(u8::is_ascii_whitespace) {
            true => Value::Object(Map::new()),
            false => serde_json::from_slice(body)
                .map_err(|e| bad(format!("the body is not JSON: {e}")))?,
        };
        let Value::Object(map) = value else {
            return Err(bad("the body must be a JSON object".into()));
        };
        const KEYS: [&str; 5] = ["seed", "runs", "worlds", "baseline", "variant"];
        if let Some(k) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(bad(format!(
                "unknown key `{k}`{}; expected {}",
                did_you_mean(k, &KEYS),
                KEYS.join(", ")
            )));
        }
        let seed = match map.get("seed") {
            None => default_seed,
            Some(v) => v
                .as_u64()
                .ok_or_else(|| bad("`seed` must be a whole number from 0 to 2^64 - 1".into()))?,
        };
        let runs = match map.get("runs") {
            None => MIN_RUNS.max(200),
            Some(v) => v.as_u64().filter(|r| (MIN_RUNS..=MAX_RUNS).contains(r)).ok_or_else(|| {
                bad(format!("`runs` must be a whole number from {MIN_RUNS} to {MAX_RUNS} (the limit of a request)"))
            })?,
        };
        let worlds = match map.get("worlds") {
            None => true,
            Some(v) => v
                .as_bool()
                .ok_or_else(|| bad("`worlds` must be true or false".into()))?,
        };
        let mut values = Vec::new();
        for (side, key) in [(Side::Baseline, "baseline"), (Side::Variant, "variant")] {
            if let Some(v) = map.get(key) {
                values.extend(side_values(side, key, v, sliders)?);
            }
        }
        Ok(Request {
            seed,
            runs,
            worlds,
            values,
        })
    }

    /// The value of slider `i`: the request's, or its default.
    pub fn value(&self, i: usize, sliders: &[Slider]) -> f64 {
        self.values
            .iter()
            .find(|(k, _)| *k == i)
            .map_or(sliders[i].default, |(_, v)| *v)
    }
}

/// The sliders one side of a request moves: each key a slider's path, each value in its range.
fn side_values(
    side: Side,
    key: &str,
    v: &Value,
    sliders: &[Slider],
) -> Result<Vec<(usize, f64)>, BadRequest> {
    let Value::Object(moved) = v else {
        return Err(bad(format!(
            "`{key}` must be an object of key paths and numbers"
        )));
    };
    let paths: Vec<&str> = sliders
        .iter()
        .filter(|s| s.side == side)
        .map(|s| s.path.as_str())
        .collect();
    let mut out = Vec::new();
    for (path, value) in moved {
        let i = sliders
            .iter()
            .position(|s| s.side == side && &s.path == path)
            .ok_or_else(|| {
                bad(format!(
                    "`{key}.{path}` is not a lever of the {key}{}; see GET /api/levers",
                    did_you_mean(path, &paths)
                ))
            })?;
        let s = &sliders[i];
        let whole = |x: &f64| s.lever != "from" || x.fract() == 0.0;
        let x = value
            .as_f64()
            .filter(|x| (s.min..=s.max).contains(x) && whole(x))
            .ok_or_else(|| {
                bad(format!(
                    "`{key}.{path}` must be a number from {} to {} ({})",
                    s.min, s.max, s.unit
                ))
            })?;
        out.push((i, x));
    }
    Ok(out)
}

fn bad(text: String) -> BadRequest {
    BadRequest(text)
}
