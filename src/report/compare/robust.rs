//! A comparison's section across plausible worlds (with parameter draws): per variant and
//! state, the share of draws moving it each way and the coefficients that decide by how much.

use super::words::share_of_worlds;
use crate::error::Result;
use crate::output::columns;
use crate::report::data::Table;
use crate::report::html::escape;
use crate::report::unit_name;
use crate::scenario::Scenario;
use std::fmt::Write;
use std::path::Path;

/// "Across plausible worlds": from robust.csv (a comparison with parameter draws), per variant
/// and state, the share of draws moving it each way and the parameters that decide the size of
/// the effect. Nothing without robust.csv.
pub fn section(out: &mut String, dir: &Path, scenario: &Scenario) -> Result<()> {
    let path = dir.join("robust.csv");
    if !path.exists() {
        return Ok(());
    }
    let t = Table::checked(path, &columns::ROBUST)?;
    let [variant, state, draws, west, moscow, _, parameter, rho] = t.find_all(columns::ROBUST)?;
    let rows = &t.rows;
    out.push_str("<h2>Across plausible worlds</h2><p>For each state, the share of draws of the uncertain coefficients in which the variant moves it toward the West or toward Moscow, and the coefficients that decide by how much: those whose draws correlate most with the effect (Spearman's rank correlation; negative means a larger value moves the state further West). robust.csv has them; draws.csv, every draw.</p>\n<div class=\"table\"><table><tr><th>variant</th><th>state</th><th>draws</th><th>toward the West</th><th>toward Moscow</th><th class=\"text\">what decides the size</th></tr>\n");
    let mut k = 0;
    while k < rows.len() {
        let r = &rows[k];
        let mut deciders = Vec::new();
        while k < rows.len() && rows[k][variant] == r[variant] && rows[k][state] == r[state] {
            if let Ok(x) = rows[k][rho].parse::<f64>() {
                deciders.push(format!("{} ({x:+.2})", escape(&rows[k][parameter])));
            }
            k += 1;
        }
        let share = |c: usize| r[c].parse::<f64>().map(share_of_worlds).unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"text\">{}</td></tr>",
            escape(&r[variant]),
            escape(&unit_name(scenario, &r[state])),
            escape(&r[draws]),
            share(west),
            share(moscow),
            if deciders.is_empty() {
                "nothing: the same in every draw".to_string()
            } else {
                deciders.join(", ")
            }
        );
    }
    out.push_str("</table></div>\n");
    Ok(())
}
