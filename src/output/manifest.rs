//! manifest.json: how an output folder was made and what it holds, one typed [`Manifest`] for
//! every experiment. `experiments` writes it last (a folder without it is not complete);
//! `report` and `spheres merge` read it back with [`read`], which refuses a missing or wrong
//! field, or another schema, as bad input naming the file. What each experiment records
//! beside the common fields is in `manifest/fields.rs`.

mod fields;

use super::{AtomicFile, INCOMPLETE, read_input_text};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub use fields::{
    Brier, Calibrate, Compare, Compared, Crps, Fitted, Forecast, Hindcast, Levers, Nowcast,
    Pairing, Parameter, Parameters, Run, Skill, Skipped, Slice, Sweep,
};

/// The version of the manifest's layout. Raise it when a field changes meaning or goes away;
/// readers refuse any other.
pub const SCHEMA_VERSION: u32 = 1;

/// The manifest's file name in an output folder.
pub const FILE: &str = "manifest.json";

/// manifest.json of any experiment: the fields all share, and the experiment with its own.
/// Read with [`parse`] (or [`read`]), which reads the common fields, then the experiment's,
/// from the text, so that an error points at its line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Manifest {
    /// [`SCHEMA_VERSION`] when written.
    pub schema_version: u32,
    /// Which experiment wrote the folder (the key `experiment`: run, compare, levers, hindcast,
    /// sweep, calibrate, nowcast or forecast), with the fields only it writes, beside the common ones.
    #[serde(flatten)]
    pub experiment: Experiment,
    /// The master seed (of a sweep: its `seed`).
    pub seed: u64,
    /// Runs of each scenario (of a sweep: of each point; of a calibration: the simulations);
    /// at least 1.
    pub runs: u64,
    /// The command line that wrote the folder.
    pub command_line: String,
    /// The files written, relative to the folder.
    pub files: Vec<String>,
    /// The version of spheres that wrote the folder.
    pub spheres_version: String,
    /// True once every file is written; a manifest on disk is always complete.
    pub complete: bool,
}

/// The experiment that wrote a folder, and what only it records.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "experiment", rename_all = "lowercase")]
pub enum Experiment {
    /// `spheres run`.
    Run(Run),
    /// `spheres compare`.
    Compare(Compare),
    /// `spheres levers`.
    Levers(Levers),
    /// `spheres hindcast --out`.
    Hindcast(Box<Hindcast>),
    /// `spheres sweep` or `spheres merge`.
    Sweep(Sweep),
    /// `spheres calibrate`.
    Calibrate(Calibrate),
    /// `spheres nowcast`.
    Nowcast(Box<Nowcast>),
    /// `spheres forecast`.
    Forecast(Box<Forecast>),
}

impl Experiment {
    /// The experiment's name, as in the manifest and on the command line.
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    fn kind(&self) -> Kind {
        match self {
            Experiment::Run(_) => Kind::Run,
            Experiment::Compare(_) => Kind::Compare,
            Experiment::Levers(_) => Kind::Levers,
            Experiment::Hindcast(_) => Kind::Hindcast,
            Experiment::Sweep(_) => Kind::Sweep,
            Experiment::Calibrate(_) => Kind::Calibrate,
            Experiment::Nowcast(_) => Kind::Nowcast,
            Experiment::Forecast(_) => Kind::Forecast,
        }
    }
}

/// Which experiment a manifest names: the tag of [`Experiment`], read before its fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Run,
    Compare,
    Levers,
    Hindcast,
    Sweep,
    Calibrate,
    Nowcast,
    Forecast,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Run => "run",
            Kind::Compare => "compare",
            Kind::Levers => "levers",
            Kind::Hindcast => "hindcast",
            Kind::Sweep => "sweep",
            Kind::Calibrate => "calibrate",
            Kind::Nowcast => "nowcast",
            Kind::Forecast => "forecast",
        }
    }
}

/// The fields every manifest has, as [`parse`] reads them first.
#[derive(Deserialize)]
struct Common {
    schema_version: u32,
    experiment: Kind,
    seed: u64,
    runs: u64,
    command_line: String,
    files: Vec<String>,
    spheres_version: String,
    complete: bool,
}

impl Manifest {
    /// The manifest of `experiment`, of this schema and version of spheres, not yet complete.
    pub fn new(
        experiment: Experiment,
        seed: u64,
        runs: u64,
        command_line: &str,
        files: Vec<String>,
    ) -> Manifest {
        Manifest {
            schema_version: SCHEMA_VERSION,
            experiment,
            seed,
            runs,
            command_line: command_line.to_string(),
            files,
            spheres_version: env!("CARGO_PKG_VERSION").to_string(),
            complete: false,
        }
    }

    /// The manifest as written: pretty JSON, ending in a newline.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map(|text| text + "\n")
            .map_err(|e| Error::Internal(format!("writing {FILE}: {e}")))
    }
}

/// Writes `manifest` to `dir/manifest.json`, atomically.
pub fn write(dir: &Path, manifest: &Manifest) -> Result<()> {
    AtomicFile::write(dir, FILE, manifest.to_json()?.as_bytes())?;
    Ok(())
}

/// Reads the manifest of a complete output folder. Refused as bad input: a folder marked
/// incomplete, a file, a folder without a manifest, and a manifest that [`parse`] refuses.
pub fn read(dir: &Path) -> Result<Manifest> {
    if dir.join(INCOMPLETE).exists() {
        return Err(Error::Input(format!(
            "{}: the results are incomplete (see its INCOMPLETE file); run the command again first",
            dir.display()
        )));
    }
    if dir.is_file() {
        return Err(Error::Input(format!(
            "{}: is a file; expected an output folder (of run, compare, levers, hindcast, sweep, calibrate, nowcast or forecast)",
            dir.display()
        )));
    }
    let path = dir.join(FILE);
    let text = match read_input_text(&path) {
        Err(_) if !path.exists() => {
            return Err(Error::Input(format!(
                "{}: missing (an unfinished run leaves none); is this a spheres output folder?",
                path.display()
            )));
        }
        other => other?,
    };
    parse(&path, &text)
}

/// Parses the text of manifest file `path`: refused unless it is of this [`SCHEMA_VERSION`],
/// has every field its experiment needs, of the right type, runs at least 1, and is complete.
pub fn parse(path: &Path, text: &str) -> Result<Manifest> {
    let bad = |what: String| Error::Input(format!("{}: {what}", path.display()));
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| bad(format!("not JSON ({e}); is this a spheres output folder?")))?;
    check_schema(&value).map_err(bad)?;
    let json = |e: serde_json::Error| {
        // Where a value is wrong, show its line; a missing field is reported at the end.
        let line = text.lines().nth(e.line().saturating_sub(1)).map(str::trim);
        let at = match line {
            Some(l) if e.line() > 0 && l != "}" => format!(" («{l}»)"),
            _ => String::new(),
        };
        bad(format!("{e}{at}; is the folder damaged? re-run it"))
    };
    let common: Common = serde_json::from_str(text).map_err(json)?;
    let experiment = match common.experiment {
        Kind::Run => Experiment::Run(serde_json::from_str(text).map_err(json)?),
        Kind::Compare => Experiment::Compare(serde_json::from_str(text).map_err(json)?),
        Kind::Levers => Experiment::Levers(serde_json::from_str(text).map_err(json)?),
        Kind::Hindcast => Experiment::Hindcast(serde_json::from_str(text).map_err(json)?),
        Kind::Sweep => Experiment::Sweep(serde_json::from_str(text).map_err(json)?),
        Kind::Calibrate => Experiment::Calibrate(serde_json::from_str(text).map_err(json)?),
        Kind::Nowcast => Experiment::Nowcast(serde_json::from_str(text).map_err(json)?),
        Kind::Forecast => Experiment::Forecast(serde_json::from_str(text).map_err(json)?),
    };
    let manifest = Manifest {
        schema_version: common.schema_version,
        experiment,
        seed: common.seed,
        runs: common.runs,
        command_line: common.command_line,
        files: common.files,
        spheres_version: common.spheres_version,
        complete: common.complete,
    };
    if manifest.runs == 0 {
        return Err(bad("`runs` is 0; expected at least 1".into()));
    }
    if let Experiment::Compare(c) = &manifest.experiment
        && c.scenarios.len() < 2
    {
        return Err(bad(format!(
            "`scenarios` lists {}; a comparison has a baseline and at least one variant",
            c.scenarios.len()
        )));
    }
    if !manifest.complete {
        return Err(bad(
            "`complete` is false: the results are incomplete; run the command again".into(),
        ));
    }
    Ok(manifest)
}

/// Refuses, saying why, a manifest without this [`SCHEMA_VERSION`].
fn check_schema(value: &serde_json::Value) -> std::result::Result<(), String> {
    match value.get("schema_version") {
        Some(v) if v.as_u64() == Some(u64::from(SCHEMA_VERSION)) => Ok(()),
        None if value.get("spheres_version").is_some() => {
            Err("has no `schema_version`: written by an older spheres; re-run it".into())
        }
        None => Err("has no `schema_version`; is this a spheres output folder?".into()),
        Some(v) => Err(format!(
            "`schema_version` is {v}, but this spheres reads {SCHEMA_VERSION}: written by another version of spheres; re-run it"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep() -> Manifest {
        let mut m = Manifest::new(
            Experiment::Sweep(Sweep {
                sweep: "grid".into(),
                design: "grid".into(),
                points: 25,
                slice: Slice {
                    shard: Some("1/2".into()),
                    first_point: 0,
                    end_point: 12,
                    merged_from: None,
                },
                parameters: vec![Parameter {
                    path: "params.inertia".into(),
                    min: 0.5,
                    max: 5.0,
                }],
                outputs: vec!["region.mean_alignment".into()],
                failed_points: 0,
                ema: false,
                per_run: false,
                series: true,
                start: "2025-11".into(),
                months: 120,
                scenario_sha256: "ab".into(),
                sensitivity_warnings: Vec::new(),
                resumed_from_point: None,
            }),
            11,
            20,
            "spheres sweep grid.toml",
            vec!["points.csv".into()],
        );
        m.complete = true;
        m
    }

    #[test]
    fn a_manifest_reads_back_as_written() {
        let m = sweep();
        let text = m.to_json().unwrap();
        assert!(text.contains("\"schema_version\": 1"));
        assert!(text.contains("\"experiment\": \"sweep\""));
        assert_eq!(text.matches("\"ema\"").count(), 1);
        assert!(!text.contains("merged_from"));
        assert_eq!(parse(Path::new("m.json"), &text).unwrap(), m);
    }

    #[test]
    fn a_missing_or_wrong_field_is_refused_naming_the_file() {
        let text = sweep().to_json().unwrap();
        let refused = |text: &str, says: &str| {
            let e = parse(Path::new("out/manifest.json"), text).unwrap_err();
            assert_eq!(e.exit_code(), 2);
            let message = e.to_string();
            assert!(message.starts_with("out/manifest.json: "), "{message}");
            assert!(message.contains(says), "{message} lacks {says}");
        };
        refused(
            &text.replace("  \"points\": 25,\n", ""),
            "missing field `points`",
        );
        refused(
            &text.replace("\"points\": 25", "\"points\": \"25\""),
            "(«\"points\": \"25\",»)",
        );
        refused(
            &text.replace("\"resumed_from_point\": null,\n", ""),
            "resumed_from_point",
        );
        refused(
            &text.replace("\"experiment\": \"sweep\"", "\"experiment\": \"dance\""),
            "unknown variant `dance`",
        );
        refused(&text.replace("\"runs\": 20", "\"runs\": 0"), "`runs` is 0");
        refused(
            &text.replace("\"complete\": true", "\"complete\": false"),
            "incomplete",
        );
        refused(
            &text.replace("\"schema_version\": 1", "\"schema_version\": 2"),
            "another version of spheres",
        );
        refused(
            &text.replace("  \"schema_version\": 1,\n", ""),
            "written by an older spheres; re-run it",
        );
        refused("[1, 2]", "is this a spheres output folder?");
    }
}
