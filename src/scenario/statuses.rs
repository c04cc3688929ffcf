//! A state's standing at the start: its stage in the EU's and NATO's pipelines (with a veto on
//! the next step) and its calendar of government-deciding elections.

use super::typed::{Ctx, Obj, month};
use super::types::{Elections, Membership};
use super::vocabulary::{Status, YearMonth};
use crate::error::Result;

/// A state's stage in one pipeline, one of `stages`.
fn read_membership(
    o: &mut Obj,
    key: &'static str,
    stages: &[Status],
    ctx: &mut Ctx,
) -> Result<Membership> {
    let Some(mut t) = o.table(key, ctx)? else {
        return Ok(Membership {
            status: Status::None,
            since: None,
            blocked: false,
        });
    };
    let choices: Vec<_> = stages.iter().map(|s| (s.name(), *s)).collect();
    let status = t.choice("status", &choices, None, ctx)?;
    let m = Membership {
        status,
        since: t.int_opt("since", 1900..=2200, "a year in [1900, 2200]", ctx)?,
        blocked: t.bool_or("blocked", false, ctx)?,
    };
    if m.blocked && !status.past_application() {
        return Err(ctx.error_path(
            &format!("{}.blocked", t.path),
            t.loc,
            format!(
                "= true with status \"{status}\": only a stage past application and short of \
                 membership has a next step a veto can block"
            ),
        ));
    }
    t.finish(ctx)?;
    Ok(m)
}

/// A state's `eu` and `nato` statuses and its `elections`, whose first must come after `start`.
pub(super) fn read_statuses(
    o: &mut Obj,
    start: YearMonth,
    ctx: &mut Ctx,
) -> Result<(Membership, Membership, Option<Elections>)> {
    Ok((
        read_membership(o, "eu", &Status::EU, ctx)?,
        read_membership(o, "nato", &Status::NATO, ctx)?,
        read_elections(o, start, ctx)?,
    ))
}

fn read_elections(o: &mut Obj, start: YearMonth, ctx: &mut Ctx) -> Result<Option<Elections>> {
    let Some(mut t) = o.table("elections", ctx)? else {
        return Ok(None);
    };
    let next_text = t.str_req("next", "the first scheduled election after the start", ctx)?;
    let next = month(&t, "next", &next_text, " such as \"2027-12\"", ctx)?;
    if start.months_until(next) < 1 {
        return Err(ctx.error_path(
            &format!("{}.next", t.path),
            t.loc,
            format!(
                "= \"{next_text}\" is not after the scenario's start ({start}); expected the \
                 first scheduled election after it (scripts/election_calendar.py --into FILE \
                 writes it from the panel's elections)"
            ),
        ));
    }
    let elections = Elections {
        next,
        term_months: t.int_req("term_months", 12..=120, "months in [12, 120]", ctx)? as u32,
        incumbent_wins: t
            .int_opt("incumbent_wins", 0..=50, "a count in [0, 50]", ctx)?
            .unwrap_or(0) as u32,
    };
    t.finish(ctx)?;
    Ok(Some(elections))
}
