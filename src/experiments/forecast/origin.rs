//! A scenario set at a forecast's origin: its start and horizon, and each state's standing then,
//! read from the panel's history up to the origin (docs/MODEL.md 7.11–7.12): its EU and NATO
//! stages with a veto on the next step, its election calendar, and its anchoring by the
//! scenario files' rule (0.03 a member of both, 0.02 of one, 0.01 of neither;
//! docs/CALIBRATION.md). Everything else is the scenario's own.

use crate::error::{Error, Result};
use crate::measure::{History, Month, Stage, month_text};
use crate::scenario::{Scenario, Setting};

/// The settings that put `scenario` at `origin` for `years` years after the origin's.
pub(super) fn settings(
    scenario: &Scenario,
    history: &History,
    origin: Month,
    years: u32,
) -> Result<Vec<Setting>> {
    let first = origin.div_euclid(12);
    let last_december = (first + years as i32) * 12 + 11;
    let mut out = vec![
        setting("scenario.start", format!("\"{}\"", month_text(origin))),
        setting("scenario.months", (last_december - origin).to_string()),
    ];
    for state in &scenario.state {
        // An entity (`BIH-RS`) stands where its parent does.
        let code = state.code.split('-').next().unwrap_or(&state.code);
        let path = |key: &str| format!("state.{}.{key}", state.code);
        let eu = history.stage_at(code, "EU", origin);
        let nato = history.stage_at(code, "NATO", origin);
        let members = usize::from(eu.stage == "member") + usize::from(nato.stage == "member");
        out.push(setting(&path("eu"), stage(&eu)));
        out.push(setting(&path("nato"), stage(&nato)));
        if state.anchoring < 1.0 {
            let anchoring = [0.01, 0.02, 0.03][members];
            out.push(setting(&path("anchoring"), anchoring.to_string()));
        }
        match history.calendar_at(code, origin) {
            Some(c) => out.push(setting(
                &path("elections"),
                format!(
                    "{{ next = \"{}\", term_months = {}, incumbent_wins = {} }}",
                    month_text(c.next),
                    c.term_months,
                    c.incumbent_wins
                ),
            )),
            None if state.elections.is_some() => {
                return Err(Error::Input(format!(
                    "state {}: the scenario holds elections, and the panel's history has none of {code} up to {}: no calendar to start from; choose a later origin",
                    state.code,
                    month_text(origin)
                )));
            }
            None => {}
        }
    }
    Ok(out)
}

/// A setting as the forecast makes it.
fn setting(path: &str, value: String) -> Setting {
    Setting {
        path: path.to_string(),
        value,
        flag: "--origin",
    }
}

/// A stage as a scenario writes it (`{ status = "candidate", since = 2014, blocked = true }`).
fn stage(s: &Stage) -> String {
    let mut fields = vec![format!("status = \"{}\"", s.stage)];
    if let Some(year) = s.since {
        fields.push(format!("since = {year}"));
    }
    if s.blocked {
        fields.push("blocked = true".into());
    }
    format!("{{ {} }}", fields.join(", "))
}
