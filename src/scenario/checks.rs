//! Checks that relate keys to each other: codes exist and are unique, borders and kin ties are
//! mutual, shares add up, events fall inside the horizon.

use super::hints::did_you_mean;
use super::node::Loc;
use super::typed::Ctx;
use super::types::{MAX_CITIZENS, MAX_STATES, OutcomeTest, Scenario, State, group_indicator};
use super::vocabulary::{Targeting, YearMonth};
use crate::error::Result;
use std::collections::HashSet;

/// Tolerance for "adds up to 1".
const SUM_TOLERANCE: f64 = 1e-9;

/// What several tables are checked against.
struct Known<'a> {
    codes: HashSet<&'a str>,
    /// The state codes in file order, for typo hints.
    list: Vec<&'a str>,
    /// Codes named by some state's `part_of`.
    parents: HashSet<&'a str>,
    /// The first month after the horizon.
    end: YearMonth,
}

/// Every cross-check, table by table; the first failure is returned, located by key path.
pub(super) fn check(s: &Scenario, ctx: &Ctx, root: Loc) -> Result<()> {
    let known = Known {
        codes: s.state.iter().map(|st| st.code.as_str()).collect(),
        list: s.state.iter().map(|st| st.code.as_str()).collect(),
        parents: s
            .state
            .iter()
            .filter_map(|st| st.part_of.as_deref())
            .collect(),
        end: s.scenario.start.plus(s.scenario.months as i64),
    };
    for table in [
        states, region, powers, population, events, shocks, policies, outcomes,
    ] {
        table(s, ctx, root, &known)?;
    }
    Ok(())
}

/// `[[state]]`: how many, unique codes, borders, kin, parents, groups, influence rows.
fn states(s: &Scenario, ctx: &Ctx, root: Loc, known: &Known) -> Result<()> {
    if s.state.is_empty() {
        return Err(ctx.error_at(
            root,
            "state",
            "no [[state]] tables; a scenario needs at least one state",
        ));
    }
    if s.state.len() > MAX_STATES {
        return Err(ctx.error_at(
            root,
            "state",
            format!(
                "{} states; at most {MAX_STATES} are supported",
                s.state.len()
            ),
        ));
    }
    let mut seen = HashSet::new();
    for st in &s.state {
        if !seen.insert(st.code.as_str()) {
            return Err(ctx.error_path(
                &format!("state[{}].code", st.code),
                root,
                format!(
                    "state code \"{}\" is used twice; codes must be unique",
                    st.code
                ),
            ));
        }
    }
    for st in &s.state {
        ties(st, s, ctx, root, known)?;
        composition(st, ctx, root, known)?;
        same_pipelines(st, s, ctx, root)?;
    }
    Ok(())
}

/// An entity stands where the first entity of its parent stands in the EU's and NATO's
/// pipelines: they move together (docs/MODEL.md 7.12).
fn same_pipelines(st: &State, s: &Scenario, ctx: &Ctx, root: Loc) -> Result<()> {
    let Some(parent) = &st.part_of else {
        return Ok(());
    };
    let first = (s.state.iter())
        .find(|o| o.part_of.as_ref() == Some(parent))
        .unwrap_or(st);
    for (key, mine, theirs) in [("eu", &st.eu, &first.eu), ("nato", &st.nato, &first.nato)] {
        if (mine.status, mine.blocked) != (theirs.status, theirs.blocked) {
            return Err(ctx.error_path(
                &format!("state[{}].{key}", st.code),
                root,
                format!(
                    "= {{ status = \"{}\", blocked = {} }} differs from {}'s {{ status = \"{}\", blocked = {} }}; the entities of {parent} move through the pipeline together, so give them the same stage",
                    mine.status, mine.blocked, first.code, theirs.status, theirs.blocked
                ),
            ));
        }
    }
    Ok(())
}

/// A state's `neighbours` and `kin`: each named once, existing, and mutual.
fn ties(st: &State, s: &Scenario, ctx: &Ctx, root: Loc, known: &Known) -> Result<()> {
    let at = |key: &str| format!("state[{}].{key}", st.code);
    for (key, list) in [("neighbours", &st.neighbours), ("kin", &st.kin)] {
        for (k, other) in list.iter().enumerate() {
            if list[..k].contains(other) {
                return Err(ctx.error_path(
                    &at(key),
                    root,
                    format!("lists \"{other}\" twice; name each state once"),
                ));
            }
            if other == &st.code {
                return Err(ctx.error_path(
                    &at(key),
                    root,
                    format!("lists the state itself (\"{other}\")"),
                ));
            }
            let Some(j) = s.state_index(other) else {
                return Err(ctx.error_path(
                    &at(key),
                    root,
                    format!(
                        "names \"{other}\", which is not a state code of this scenario{}",
                        hint_code(other, known)
                    ),
                ));
            };
            let back = if key == "neighbours" {
                &s.state[j].neighbours
            } else {
                &s.state[j].kin
            };
            if !back.contains(&st.code) {
                return Err(ctx.error_path(
                    &at(key),
                    root,
                    format!("names \"{other}\", but state[{other}].{key} does not name \"{}\"; {key} must be mutual", st.code),
                ));
            }
        }
    }
    Ok(())
}

/// A state's `part_of`, `groups` and `weights`.
fn composition(st: &State, ctx: &Ctx, root: Loc, known: &Known) -> Result<()> {
    let codes = &known.codes;
    let at = |key: &str| format!("state[{}].{key}", st.code);
    if let Some(parent) = &st.part_of
        && codes.contains(parent.as_str())
    {
        return Err(ctx.error_path(
            &at("part_of"),
            root,
            format!("= \"{parent}\" is itself a state; part_of names a parent that is not listed as a state (its entities are)"),
        ));
    }
    for (k, g) in st.groups.iter().enumerate() {
        let column = group_indicator(&g.name);
        if let Some(other) = st.groups[..k]
            .iter()
            .find(|o| group_indicator(&o.name) == column)
        {
            return Err(ctx.error_path(
                &at("groups"),
                root,
                format!(
                    "\"{}\" and \"{}\" would both be reported as `{column}`; give groups names that differ in more than case, spaces or punctuation",
                    other.name, g.name
                ),
            ));
        }
    }
    let group_sum: f64 = st.groups.iter().map(|g| g.share).sum();
    if group_sum > 1.0 + SUM_TOLERANCE {
        return Err(ctx.error_path(
            &at("groups"),
            root,
            format!("shares add up to {group_sum}; expected at most 1"),
        ));
    }
    if let Some(w) = &st.weights {
        for k in w.keys() {
            if k != "moscow" && k != "west" && !codes.contains(k.as_str()) {
                let mut names = known.list.clone();
                names.extend(["moscow", "west"]);
                return Err(ctx.error_path(
                    &format!("{}.{k}", at("weights")),
                    root,
                    format!(
                        "is not a state code, \"moscow\" or \"west\"{}",
                        did_you_mean(k, &names)
                    ),
                ));
            }
        }
        let sum: f64 = w.values().sum();
        if (sum - 1.0).abs() > 1e-6 {
            return Err(ctx.error_path(
                &at("weights"),
                root,
                format!("add up to {sum}; an influence row must add up to 1"),
            ));
        }
    }
    Ok(())
}

/// `[region]`: the states it names exist.
fn region(s: &Scenario, ctx: &Ctx, root: Loc, known: &Known) -> Result<()> {
    let codes = &known.codes;
    for code in &s.region.bondsteel_reach {
        if !codes.contains(code.as_str()) {
            return Err(ctx.error_path(
                "region.bondsteel_reach",
                root,
                format!(
                    "names \"{code}\", which is not a state code{}",
                    hint_code(code, known)
                ),
            ));
        }
    }
    Ok(())
}

/// `[[power]]`: unique codes, targets and allocations that name states and add up.
fn powers(s: &Scenario, ctx: &Ctx, root: Loc, known: &Known) -> Result<()> {
    let codes = &known.codes;
    let mut seen = HashSet::new();
    for p in &s.power {
        let at = |key: &str| format!("power[{}].{key}", p.code);
        if !seen.insert(p.code.as_str()) {
            return Err(ctx.error_path(
                &at("code"),
                root,
                format!("power code \"{}\" is used twice", p.code),
            ));
        }
        for t in &p.targets {
            if !codes.contains(t.as_str()) {
                return Err(ctx.error_path(
                    &at("targets"),
                    root,
                    format!(
                        "names \"{t}\", which is not a state code{}",
                        hint_code(t, known)
                    ),
                ));
            }
        }
        if !p.allocation.is_empty() && p.targeting == Targeting::Adaptive {
            return Err(ctx.error_path(&at("allocation"), root, "is given, but targeting is \"adaptive\"; an allocation goes with targeting = \"fixed\""));
        }
        for code in p.allocation.keys() {
            if !codes.contains(code.as_str()) {
                return Err(ctx.error_path(
                    &format!("{}.{code}", at("allocation")),
                    root,
                    format!("is not a state code{}", hint_code(code, known)),
                ));
            }
            if !p.targets.is_empty() && !p.targets.contains(code) {
                return Err(ctx.error_path(
                    &format!("{}.{code}", at("allocation")),
                    root,
                    "is not among the power's targets",
                ));
            }
        }
        let sum: f64 = p.allocation.values().sum();
        if sum > 1.0 + SUM_TOLERANCE {
            return Err(ctx.error_path(
                &at("allocation"),
                root,
                format!("shares add up to {sum}; expected at most 1"),
            ));
        }
    }
    Ok(())
}

/// `[population]`: whole numbers, probabilities of one draw, the citizen cap.
fn population(s: &Scenario, ctx: &Ctx, root: Loc, _: &Known) -> Result<()> {
    let q = &s.population;
    for (key, v) in [
        ("people_per_agent", q.people_per_agent),
        ("interactions_per_month", q.interactions_per_month),
    ] {
        if v.fract() != 0.0 {
            return Err(ctx.error_path(
                &format!("population.{key}"),
                root,
                format!("= {v}; expected a whole number"),
            ));
        }
    }
    if q.homophily + q.kin_contact > 1.0 {
        return Err(ctx.error_path(
            "population.kin_contact",
            root,
            format!("+ homophily = {}; the two are probabilities of one draw and must add up to at most 1", q.homophily + q.kin_contact),
        ));
    }
    if q.people_per_agent > 0.0 {
        let citizens = s.citizens();
        if citizens > MAX_CITIZENS {
            return Err(ctx.error_path(
                "population.people_per_agent",
                root,
                format!(
                    "= {} gives {citizens:.0} citizens; at most {MAX_CITIZENS:.0} are supported: raise people_per_agent",
                    q.people_per_agent
                ),
            ));
        }
    }
    Ok(())
}

/// `[[event]]`: unique ids, states that exist, dates inside the horizon.
fn events(s: &Scenario, ctx: &Ctx, root: Loc, known: &Known) -> Result<()> {
    let mut seen = HashSet::new();
    for e in &s.event {
        let at = |key: &str| format!("event[{}].{key}", e.id);
        unique(&mut seen, &e.id, "event", &at("id"), ctx, root)?;
        state_exists(&e.state, &at("state"), known, ctx, root)?;
        let span = (0, -1, "start plus months - 1");
        in_horizon(s, e.date, span, &at("date"), known, ctx, root)?;
    }
    Ok(())
}

/// `[[shock]]`: unique ids, states that exist, dates after the start, inside the horizon.
fn shocks(s: &Scenario, ctx: &Ctx, root: Loc, known: &Known) -> Result<()> {
    let mut seen = HashSet::new();
    for e in &s.shock {
        let at = |key: &str| format!("shock[{}].{key}", e.id);
        unique(&mut seen, &e.id, "shock", &at("id"), ctx, root)?;
        for code in &e.states {
            state_exists(code, &at("states"), known, ctx, root)?;
        }
        // A shock strikes after its month's update (MODEL.md 7.13), so from the first simulated
        // month to the last, `months` after the start.
        let span = (1, 0, "the first simulated month to the last");
        in_horizon(s, e.date, span, &at("date"), known, ctx, root)?;
    }
    Ok(())
}

/// `id` not yet in `seen`, or an error at `path`.
fn unique<'a>(
    seen: &mut HashSet<&'a str>,
    id: &'a str,
    what: &str,
    path: &str,
    ctx: &Ctx,
    root: Loc,
) -> Result<()> {
    if seen.insert(id) {
        return Ok(());
    }
    Err(ctx.error_path(path, root, format!("{what} id \"{id}\" is used twice")))
}

/// `code` names a state, or an error at `path` with a typo hint.
fn state_exists(code: &str, path: &str, known: &Known, ctx: &Ctx, root: Loc) -> Result<()> {
    if known.codes.contains(code) {
        return Ok(());
    }
    Err(ctx.error_path(
        path,
        root,
        format!("= \"{code}\" is not a state code{}", hint_code(code, known)),
    ))
}

/// `date` from the start plus `first` months to the start plus `months` plus `last` (`span`,
/// with the words that say which), or an error.
fn in_horizon(
    s: &Scenario,
    date: YearMonth,
    (first, last, words): (i64, i64, &str),
    path: &str,
    known: &Known,
    ctx: &Ctx,
    root: Loc,
) -> Result<()> {
    let (from, to) = (s.scenario.start.plus(first), known.end.plus(last));
    if from <= date && date <= to {
        return Ok(());
    }
    Err(ctx.error_path(
        path,
        root,
        format!(
            "= \"{date}\" is outside the horizon; expected a month from {from} to {to} ({words})"
        ),
    ))
}

/// `[[policy]]`: unique ids, powers that exist, months inside the horizon.
fn policies(s: &Scenario, ctx: &Ctx, root: Loc, known: &Known) -> Result<()> {
    let mut seen = HashSet::new();
    for p in &s.policy {
        let at = |key: &str| format!("policy[{}].{key}", p.id);
        unique(&mut seen, &p.id, "policy", &at("id"), ctx, root)?;
        if !s.power.iter().any(|w| w.code == p.power) {
            let powers: Vec<&str> = s.power.iter().map(|w| w.code.as_str()).collect();
            return Err(ctx.error_path(
                &at("power"),
                root,
                format!(
                    "= \"{}\" is not a power code{}; expected one of {}",
                    p.power,
                    did_you_mean(&p.power, &powers),
                    powers.join(", ")
                ),
            ));
        }
        let words = "the present is the powers' budgets; a policy changes them from the start on";
        in_horizon(s, p.from, (0, -1, words), &at("from"), known, ctx, root)?;
    }
    Ok(())
}

/// `[[outcome]]`: unique ids, states that exist, months inside the horizon (a shift's `from`
/// before its `by`).
fn outcomes(s: &Scenario, ctx: &Ctx, root: Loc, known: &Known) -> Result<()> {
    let (codes, end) = (&known.codes, known.end);
    let mut seen = HashSet::new();
    for o in &s.outcome {
        let at = |key: &str| format!("outcome[{}].{key}", o.id);
        unique(&mut seen, &o.id, "outcome", &at("id"), ctx, root)?;
        state_exists(&o.state, &at("state"), known, ctx, root)?;
        if o.by < s.scenario.start || o.by >= end {
            return Err(ctx.error_path(
                &at("by"),
                root,
                format!(
                    "= \"{}\" is outside the horizon ({} to {})",
                    o.by,
                    s.scenario.start,
                    end.plus(-1)
                ),
            ));
        }
        if let OutcomeTest::Shift { from, .. } = &o.test
            && (*from < s.scenario.start || *from >= o.by)
        {
            return Err(ctx.error_path(
                &at("from"),
                root,
                format!(
                    "= \"{from}\" is outside the outcome's span; expected a month from {} to {} (before `by`)",
                    s.scenario.start,
                    o.by.plus(-1)
                ),
            ));
        }
        if let OutcomeTest::HighestAt { among } = &o.test {
            for code in among {
                if !codes.contains(code.as_str()) {
                    return Err(ctx.error_path(
                        &at("among"),
                        root,
                        format!(
                            "names \"{code}\", which is not a state code{}",
                            hint_code(code, known)
                        ),
                    ));
                }
            }
            if !among.contains(&o.state) {
                return Err(ctx.error_path(
                    &at("among"),
                    root,
                    format!("must include the outcome's state \"{}\"", o.state),
                ));
            }
        }
    }
    Ok(())
}

/// Why `code` is not a state: a parent, whose entities are the states, or a likely typo.
fn hint_code(code: &str, known: &Known) -> String {
    if known.parents.contains(code) {
        format!(" (\"{code}\" is a parent; name its entities instead)")
    } else {
        did_you_mean(code, &known.list)
    }
}
