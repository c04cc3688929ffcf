//! `spheres init NAME`: a commented starter scenario in NAME.toml — one of its own
//! (scenarios/starter.toml, renamed), or a variant of another scenario (`--extends`) — that
//! validates and runs as written. An existing file is never overwritten.

use crate::error::{Error, Result};
use crate::model::Model;
use crate::scenario::{self, Lever, Pole};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The starter scenario, whose `[scenario] name` is "starter".
const STARTER: &str = include_str!("../../scenarios/starter.toml");

/// What `spheres init` was asked to do.
#[derive(Clone, Debug)]
pub struct InitOptions {
    /// The new file: NAME or NAME.toml, possibly in a folder; its stem names the scenario.
    pub name: String,
    /// Write a variant of this scenario (file or bundled name) instead of a scenario of its own.
    pub extends: Option<String>,
}

/// Writes the starter file and checks that it loads and compiles; returns its path.
pub fn init(opts: &InitOptions) -> Result<PathBuf> {
    let path = PathBuf::from(if opts.name.ends_with(".toml") {
        opts.name.clone()
    } else {
        format!("{}.toml", opts.name)
    });
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !scenario::name_ok(&stem) {
        return Err(Error::Input(format!(
            "{}: `{stem}` cannot name a scenario; expected 1-64 letters, digits, '-' or '_' (it names output folders)",
            opts.name
        )));
    }
    let folder = path.parent().unwrap_or(Path::new(""));
    if !folder.as_os_str().is_empty() && !folder.is_dir() {
        return Err(Error::Input(format!(
            "{}: no such folder; make it first",
            folder.display()
        )));
    }
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = match &opts.extends {
        None => standalone(&stem, &file)?,
        Some(base) => variant(&stem, &file, base, folder)?,
    };
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::Refused(format!(
                "{}: exists; spheres init does not overwrite a file: choose another name",
                path.display()
            )),
            _ => Error::io(&path, e),
        })?;
    out.write_all(text.as_bytes())
        .and_then(|()| out.sync_all())
        .map_err(|e| Error::io(&path, e))?;
    let checked = super::load(&path.display().to_string(), &[], &super::Silent)
        .and_then(|s| Model::compile(&s));
    if let Err(e) = checked {
        let _ = std::fs::remove_file(&path);
        return Err(Error::Internal(format!(
            "the starter for {} does not load: {e}",
            path.display()
        )));
    }
    Ok(path)
}

/// The starter scenario, named `stem`.
fn standalone(stem: &str, file: &str) -> Result<String> {
    let line = "name = \"starter\"";
    if STARTER.matches(line).count() != 1 {
        return Err(Error::Internal(
            "scenarios/starter.toml has no single `name = \"starter\"`".into(),
        ));
    }
    Ok(STARTER
        .replace(line, &format!("name = \"{stem}\""))
        .replace("starter.toml", file))
}

/// A variant of `base` named `stem`: its own `[scenario]` and, commented out, a policy and a
/// state change written with `base`'s codes.
fn variant(stem: &str, file: &str, base: &str, folder: &Path) -> Result<String> {
    let s = super::load(base, &[], &super::Silent)?;
    // `extends` is relative to the new file's folder: a bundled name works from anywhere; a
    // file is named as given when the new file is in the current folder, else by its full path.
    let bundled = scenario::BUNDLED
        .iter()
        .find(|b| b.name == base || b.file == base);
    let extends = match bundled {
        Some(b) if !folder.join(b.file).exists() && !folder.join(b.name).exists() => {
            b.file.to_string()
        }
        _ if folder.as_os_str().is_empty() => base.to_string(),
        _ => std::path::absolute(base)
            .map_err(|e| Error::io(base, e))?
            .display()
            .to_string(),
    };
    let powers: Vec<&str> = s.power.iter().map(|p| p.code.as_str()).collect();
    let states: Vec<&str> = s.state.iter().map(|p| p.code.as_str()).collect();
    let power = s
        .power
        .iter()
        .find(|p| p.pole == Pole::West)
        .or(s.power.first());
    let (power_code, lever) = match power {
        Some(p) => (
            p.code.as_str(),
            Lever::ALL
                .into_iter()
                .find(|l| l.owner() == p.pole)
                .map_or("aid", Lever::name),
        ),
        None => ("EU", "aid"),
    };
    let from = s.scenario.start.plus(6);
    let state = states.first().copied().unwrap_or("ABC");
    Ok(format!(
        r#"# {stem}: a variant of {base}, written by `spheres init {stem} --extends {base}`. It names only
# what it changes; everything else stays as in {base} (docs/SCENARIOS.md, "Variants: extends").
#
#   spheres validate {file}              # check it and see what it resolves to
#   spheres compare {base} {file}        # what the changes do, on common random numbers

extends = "{extends}"

[scenario]
name = "{stem}"
description = "A variant of {base}."

# What a power does differently from a month on. A new id adds a policy; the id of a policy
# of the base changes it. Variants that differ in policies start from the same world.
# Powers: {powers}.
# [[policy]]
# id = "my-policy"
# power = "{power_code}"
# from = "{from}"
# budget = {{ {lever} = 1000 }}            # M EUR per year; levers left out keep their budget

# A state's keys, by its code. A code the base lacks is a new state, which needs name,
# population and alignment.
{states}
# [[state]]
# code = "{state}"
# russian_media_reach = 0.5

# Global coefficients (docs/SCENARIOS.md, [params]).
# [params]
# inertia = 2.0
"#,
        powers = powers.join(", "),
        states = comment_lines("States: ", &states),
    ))
}

/// `# States: A, B, …` wrapped into comment lines of at most 96 characters.
fn comment_lines(head: &str, words: &[&str]) -> String {
    let mut lines = vec![format!("# {head}")];
    for (k, w) in words.iter().enumerate() {
        let piece = if k + 1 == words.len() {
            format!("{w}.")
        } else {
            format!("{w}, ")
        };
        match lines.last_mut() {
            Some(last) if last.len() + piece.trim_end().len() <= 96 => last.push_str(&piece),
            _ => lines.push(format!("# {piece}")),
        }
    }
    lines
        .iter()
        .map(|l| l.trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}
