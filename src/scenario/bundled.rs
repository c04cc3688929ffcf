//! Scenarios compiled into the binary, so that an installed `spheres` runs them from anywhere.

use super::merge::Library;
use crate::error::{Error, Result};

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
        name: "tutorial",
        file: "tutorial.toml",
        text: include_str!("../../scenarios/tutorial.toml"),
    },
];

pub(super) fn find(name: &str) -> Option<&'static BundledScenario> {
    BUNDLED.iter().find(|b| b.name == name || b.file == name)
}

/// The bundled scenarios as a [`Library`]: `extends` names another bundled file.
pub struct Bundled;

impl Library for Bundled {
    fn read(&self, name: &str, from: Option<&str>) -> Result<(String, String)> {
        find(name)
            .map(|b| (format!("<bundled>/{}", b.file), b.text.to_string()))
            .ok_or_else(|| {
                Error::Input(format!(
                    "{}: no bundled scenario `{name}`",
                    from.unwrap_or("<bundled>")
                ))
            })
    }
}
