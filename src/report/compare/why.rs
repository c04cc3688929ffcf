//! A variant's "why it moves" (channels.csv; docs/MODEL.md 7.4, "Channels"): for each state,
//! the difference between the scenarios split into what each channel added to it, month by
//! month up to the horizon. The parts sum to the difference; the levers push, and the pulls
//! that hold a state where it is (its domestic pull, its public, its neighbours) pull back as
//! it moves.

use super::{Comparison, Side};
use crate::error::Result;
use crate::report::html::{escape, signed};
use std::fmt::Write;

/// The page's columns: a name and the channels of channels.csv it adds up.
const GROUPS: [(&str, &[&str]); 8] = [
    ("the West's levers", &["accession", "security"]),
    ("Moscow's levers", &["arms", "energy", "coercion"]),
    ("membership", &["membership"]),
    ("its own pull back", &["domestic", "anchor"]),
    ("neighbours and kin (spill-over)", &["neighbours"]),
    ("its public", &["public"]),
    ("drift", &["drift"]),
    ("events and shocks", &["events"]),
];

/// The section, where the folder has channels.csv.
pub(super) fn why(out: &mut String, cmp: &Comparison, variant: &Side) -> Result<()> {
    let Some(t) = &cmp.channels else {
        return Ok(());
    };
    let [scenario, state, channel, effect, _, _] = t.find_all(crate::output::columns::CHANNELS)?;
    let _ = write!(
        out,
        "<h3>Why it moves: the difference split by channel</h3><div class=\"table\"><table><tr><th>state</th>"
    );
    for (name, _) in GROUPS {
        let _ = write!(out, "<th>{name}</th>");
    }
    out.push_str("<th>difference</th></tr>\n");
    for u in &cmp.units {
        let rows: Vec<&Vec<String>> = (t.rows.iter())
            .filter(|r| r[scenario] == variant.folder && &r[state] == u)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let mut total = 0.0;
        let _ = write!(out, "<tr><td>{}</td>", escape(&cmp.unit_name(u)));
        for (_, channels) in GROUPS {
            let mut sum = 0.0;
            for r in rows
                .iter()
                .filter(|r| channels.contains(&r[channel].as_str()))
            {
                sum += t.finite(r, effect)?;
            }
            total += sum;
            let _ = write!(out, "<td>{}</td>", signed(sum, 3));
        }
        let _ = writeln!(out, "<td><b>{}</b></td></tr>", signed(total, 3));
    }
    out.push_str("</table></div>\n<p class=\"muted\">Each column is what that channel added to the difference between the scenarios (variant − baseline, mean over paired runs, in alignment units; negative is toward the West), month by month up to the horizon (docs/MODEL.md 7.4, \"Channels\"); the columns sum to the difference. The levers push; the pulls that held the state where it was — its own domestic pull and anchor, its public, its neighbours — pull back as it moves, so a large push with a large pull-back is a small net move. Membership pulls toward the West, but less hard on a state that is already further West: its column can point toward Moscow when the variant moves the state West without changing its membership. Neighbours and kin are the spill-over from the variant's moves of other states; channels.csv has each channel with its 95 % interval.</p>\n");
    Ok(())
}
