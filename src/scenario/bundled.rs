//! Scenarios compiled into the binary, so that an installed `spheres` runs them from anywhere.

use super::extends::{Disk, Library, absolute};
use super::hints::suggestion;
use crate::error::{Error, Result};
use std::path::Path;

/// A scenario shipped inside the binary.
pub struct BundledScenario {
    /// The name users type (`spheres run balkans`).
    pub name: &'static str,
    /// Its file name, as `extends` refers to it.
    pub file: &'static str,
    pub text: &'static str,
}

/// Every bundled scenario; each is also a file under scenarios/.
pub const BUNDLED: &[BundledScenario] = &[
    BundledScenario {
        name: "balkans",
        file: "balkans.toml",
        text: include_str!("../../scenarios/balkans.toml"),
    },
    BundledScenario {
        name: "nobody-steps-in",
        file: "nobody-steps-in.toml",
        text: include_str!("../../scenarios/nobody-steps-in.toml"),
    },
    BundledScenario {
        name: "eu-steps-in",
        file: "eu-steps-in.toml",
        text: include_str!("../../scenarios/eu-steps-in.toml"),
    },
    BundledScenario {
        name: "us-returns",
        file: "us-returns.toml",
        text: include_str!("../../scenarios/us-returns.toml"),
    },
    BundledScenario {
        name: "energy-shock",
        file: "energy-shock.toml",
        text: include_str!("../../scenarios/energy-shock.toml"),
    },
    BundledScenario {
        name: "balkans-aggregate",
        file: "balkans-aggregate.toml",
        text: include_str!("../../scenarios/balkans-aggregate.toml"),
    },
    BundledScenario {
        name: "hindcast-2014",
        file: "hindcast-2014.toml",
        text: include_str!("../../scenarios/hindcast-2014.toml"),
    },
    BundledScenario {
        name: "hindcast-2017",
        file: "hindcast-2017.toml",
        text: include_str!("../../scenarios/hindcast-2017.toml"),
    },
    BundledScenario {
        name: "hindcast-2020",
        file: "hindcast-2020.toml",
        text: include_str!("../../scenarios/hindcast-2020.toml"),
    },
    BundledScenario {
        name: "calibrate-2014",
        file: "calibrate-2014.toml",
        text: include_str!("../../scenarios/calibrate-2014.toml"),
    },
    BundledScenario {
        name: "tutorial",
        file: "tutorial.toml",
        text: include_str!("../../scenarios/tutorial.toml"),
    },
    BundledScenario {
        name: "europe",
        file: "europe.toml",
        text: include_str!("../../scenarios/europe.toml"),
    },
    BundledScenario {
        name: "from-today",
        file: "from-today.toml",
        text: include_str!("../../scenarios/sweeps/from-today.toml"),
    },
];

/// The sweep files shipped inside the binary (scenarios/sweeps/), found by name when no file
/// has it: `spheres sweep grid` runs from any folder.
pub const BUNDLED_SWEEPS: &[BundledScenario] = &[
    BundledScenario {
        name: "grid",
        file: "grid.toml",
        text: include_str!("../../scenarios/sweeps/grid.toml"),
    },
    BundledScenario {
        name: "lhs",
        file: "lhs.toml",
        text: include_str!("../../scenarios/sweeps/lhs.toml"),
    },
    BundledScenario {
        name: "sobol",
        file: "sobol.toml",
        text: include_str!("../../scenarios/sweeps/sobol.toml"),
    },
];

/// A sweep file: the file at `path`, else the bundled sweep of that name (`grid`, `grid.toml`,
/// or a path ending in one); (its name for messages, its text).
pub(super) fn read_sweep(path: &str) -> Result<(String, String)> {
    match Disk.read(path, None) {
        Err(e) if !Path::new(path).exists() => {
            let file = Path::new(path)
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or(path);
            let found = BUNDLED_SWEEPS
                .iter()
                .find(|b| b.name == file || b.file == file);
            match found {
                Some(b) => Ok((
                    format!("{BUNDLED_PREFIX}sweeps/{}", b.file),
                    b.text.to_string(),
                )),
                None => Err(Error::Input(format!(
                    "{e}; nor is it a bundled sweep ({})",
                    BUNDLED_SWEEPS
                        .iter()
                        .map(|b| b.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ))),
            }
        }
        other => other,
    }
}

/// The bundled scenario of `name` (`balkans`, `balkans.toml`, or a relative path ending in one,
/// as a bundled file's `extends = "../balkans-aggregate.toml"` names it).
pub(super) fn find(name: &str) -> Option<&'static BundledScenario> {
    let file = Path::new(name)
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or(name);
    BUNDLED.iter().find(|b| b.name == file || b.file == file)
}

/// How the canonical names of bundled scenarios begin (`<bundled>/balkans.toml`).
const BUNDLED_PREFIX: &str = "<bundled>/";

/// Whether a source's name is a bundled scenario's, not a file on disk.
pub(crate) fn is_bundled(name: &str) -> bool {
    name.starts_with(BUNDLED_PREFIX)
}

/// The bundled scenarios as a [`Library`]: `extends` names another bundled file.
pub struct Bundled;

impl Library for Bundled {
    fn read(&self, name: &str, from: Option<&str>) -> Result<(String, String)> {
        find(name)
            .map(|b| (format!("{BUNDLED_PREFIX}{}", b.file), b.text.to_string()))
            .ok_or_else(|| {
                Error::Input(format!(
                    "{}: no bundled scenario `{name}`",
                    from.unwrap_or("<bundled>")
                ))
            })
    }
}

/// The names a user may type for the bundled scenarios (`balkans`, `balkans.toml`, …).
fn names() -> Vec<&'static str> {
    BUNDLED.iter().flat_map(|b| [b.name, b.file]).collect()
}

/// The bundled scenarios' names, for messages: `balkans, nobody-steps-in, …`.
pub fn listed() -> String {
    BUNDLED
        .iter()
        .map(|b| b.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the command line and `extends` read: a file on disk (relative to the including file),
/// or, when there is no such file, the bundled scenario of that name, so that `extends =
/// "balkans.toml"` works from any folder. A file of a bundled scenario's name wins, with a note
/// when it differs from the bundled one; a bundled scenario's own `extends` names bundled ones.
pub struct DiskThenBundled;

impl Library for DiskThenBundled {
    fn read(&self, name: &str, from: Option<&str>) -> Result<(String, String)> {
        if from.is_some_and(|f| f.starts_with(BUNDLED_PREFIX)) {
            return Bundled.read(name, from);
        }
        let path = Disk::path(name, from);
        let bundled = find(name);
        match (std::fs::symlink_metadata(&path), bundled) {
            (Ok(meta), Some(_)) if meta.is_dir() => Bundled.read(name, None),
            (Ok(_), _) => Disk.read(name, from),
            (Err(_), Some(_)) => Bundled.read(name, None),
            (Err(_), None) => {
                let hint = suggestion(name, &names())
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default();
                Err(Error::Input(match from {
                    None => format!(
                        "{name}: no such scenario file (looked for {}), and no bundled scenario of that name (bundled: {}){hint}",
                        absolute(&path),
                        listed()
                    ),
                    Some(f) => format!(
                        "{name}: no such scenario file (named by `extends` in {f}): looked for {}, and for a bundled scenario of that name (bundled: {}){hint}",
                        absolute(&path),
                        listed()
                    ),
                }))
            }
        }
    }

    fn note(&self, name: &str, from: Option<&str>, canonical: &str, text: &str) -> Option<String> {
        let b = find(name)?;
        let path = Disk::path(name, from);
        if canonical.starts_with(BUNDLED_PREFIX) {
            return path.is_dir().then(|| {
                format!(
                    "{} is a folder; spheres reads the bundled scenario `{}`",
                    path.display(),
                    b.name
                )
            });
        }
        if text == b.text {
            return None;
        }
        let other = if name == b.file { b.name } else { b.file };
        let other_path = path.with_file_name(other);
        let how = if Path::new(&other_path).exists() {
            "rename the file to use both".to_string()
        } else {
            format!("`{other}` names the bundled one")
        };
        Some(format!(
            "`{name}` is the file {}, not the bundled scenario `{}`: spheres reads the file ({how})",
            absolute(&path),
            b.name
        ))
    }
}
