//! `spheres list`: the bundled scenarios, one line each: name, the scenario it extends (its
//! base: a variant's differences are against it), horizon, size, public opinion (citizens or
//! aggregate) and the first sentence of the description.

use crate::error::Result;
use crate::output::thousands;
use crate::scenario::{BUNDLED, Bundled, load_from};
use std::fmt::Write;

/// Widest description shown, in characters.
const WIDTH: usize = 80;

/// The table `spheres list` prints.
pub fn list() -> Result<String> {
    let mut out = String::from(
        "Bundled scenarios: `spheres run NAME` from any folder; `extends = \"NAME.toml\"` in a variant; \
         `spheres init MINE --extends NAME` writes one. A variant answers its question against the \
         scenario it extends: `spheres compare BASE NAME`.\n\n",
    );
    let _ = writeln!(
        out,
        "{:<18} {:<17} {:<13} {:<9}  {:<17} description",
        "name", "extends", "start", "states", "public"
    );
    for b in BUNDLED {
        let s = load_from(&Bundled, b.file)?;
        let m = &s.scenario;
        let citizens = s.citizens();
        let public = if citizens > 0.0 {
            format!("{} citizens", thousands(citizens as u64))
        } else {
            "aggregate public".to_string()
        };
        let base = base_of(b.text).unwrap_or_else(|| "-".into());
        let _ = writeln!(
            out,
            "{:<18} {:<17} {} +{:<4} {:>2} states  {:<17} {}",
            b.name,
            base,
            m.start,
            format!("{}m", m.months),
            s.state.len(),
            public,
            first_sentence(&m.description)
        );
    }
    Ok(out)
}

/// The bundled scenario a scenario's text extends (`extends = "NAME.toml"`), by name.
fn base_of(text: &str) -> Option<String> {
    let table: toml::Table = text.parse().ok()?;
    let path = table.get("extends")?.as_str()?;
    let file = path.rsplit('/').next().unwrap_or(path);
    Some(file.trim_end_matches(".toml").to_string())
}

/// The text up to its first full stop (at most [`WIDTH`] characters, cut with "…").
fn first_sentence(text: &str) -> String {
    let line = text.split(". ").next().unwrap_or("").trim_end_matches('.');
    if line.chars().count() <= WIDTH {
        return format!("{line}.");
    }
    let cut: String = line.chars().take(WIDTH - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_sentences_are_short() {
        assert_eq!(thousands(17_900), "17,900");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(first_sentence("One. Two."), "One.");
        assert_eq!(first_sentence("Only one."), "Only one.");
        assert!(first_sentence(&"x".repeat(300)).chars().count() == WIDTH);
    }

    #[test]
    fn every_bundled_scenario_has_a_line() {
        let text = list().unwrap();
        for b in BUNDLED {
            assert!(
                text.lines().any(|l| l.starts_with(&format!("{} ", b.name))),
                "{}",
                b.name
            );
        }
        let balkans = text.lines().find(|l| l.starts_with("balkans ")).unwrap();
        assert!(balkans.contains(" citizens "), "{balkans}");
        assert!(text.contains("aggregate public"));
    }
}
