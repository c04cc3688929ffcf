//! Reading a merged tree into a [`Scenario`], table by table: types, ranges, unknown keys and
//! typo hints through `read`'s `Obj`, every error located.

use super::lever_table::{Lever, LeverParams};
use super::node::{Kind, Node};
use super::params::{Params, PopulationParams};
use super::statuses::read_statuses;
use super::typed::{Ctx, Obj, clip, month};
use super::types::*;
use super::vocabulary::{
    EventKind, Known, OutcomeKind, Pole, Reading, StartFrom, Targeting, YearMonth,
};
use crate::error::Result;

const SHARE: &str = "a share in [0, 1]";
const LATITUDE: &str = "degrees of latitude in [-90, 90]";
const LONGITUDE: &str = "degrees of longitude in [-180, 180]";
const MONTH: &str = "a month \"YYYY-MM\"";

/// An item's `id`, which names it in key paths from then on (`event[<id>]`).
fn read_id(o: &mut Obj, list: &str, example: &str, ctx: &mut Ctx) -> Result<String> {
    let id = o.str_req("id", &format!("an identifier such as \"{example}\""), ctx)?;
    o.path = format!("{list}[{id}]");
    o.node("id", ctx);
    Ok(id)
}

const ALIGN: &str = "an alignment in [-1, 1] (-1 the West, +1 Moscow)";

/// The scenario of a merged tree, read table by table.
pub(super) fn read_scenario(root: &Node, ctx: &mut Ctx) -> Result<Scenario> {
    let mut top = Obj::new(root, "", ctx)?;
    let meta = read_meta_table(&mut top, ctx)?;
    let region = read_region(&mut top, ctx)?;
    // Tables a file leaves out are read empty, so that their defaults apply and every number
    // they hold has its range recorded (priors and --set may name it).
    let empty = Node {
        kind: Kind::Table(Default::default()),
        loc: root.loc,
    };
    let mut o = or_empty(top.table("params", ctx)?, &empty, "params", ctx)?;
    let params = Params::read(&mut o, ctx)?;
    o.finish(ctx)?;
    let mut o = or_empty(top.table("population", ctx)?, &empty, "population", ctx)?;
    let population = PopulationParams::read(&mut o, ctx)?;
    o.finish(ctx)?;
    let lever = read_levers(&mut top, &empty, ctx)?;
    let state = read_list(&mut top, "state", ctx, |node, ctx| {
        read_state(node, meta.start, ctx)
    })?;
    let power = read_list(&mut top, "power", ctx, read_power)?;
    let policy = read_list(&mut top, "policy", ctx, |node, ctx| {
        read_policy(node, meta.start, ctx)
    })?;
    let event = read_list(&mut top, "event", ctx, read_event)?;
    let shock = read_list(&mut top, "shock", ctx, read_shock)?;
    let outcome = read_list(&mut top, "outcome", ctx, read_outcome)?;
    let uncertain = super::uncertain::read_all(&top.tables("uncertain", ctx)?, ctx)?;
    top.finish(ctx)?;
    Ok(Scenario {
        scenario: meta,
        region,
        params,
        population,
        lever,
        state,
        power,
        policy,
        event,
        shock,
        outcome,
        uncertain,
    })
}

/// `[scenario]`, which every file needs.
fn read_meta_table(top: &mut Obj, ctx: &mut Ctx) -> Result<Meta> {
    let Some(mut o) = top.table("scenario", ctx)? else {
        return Err(ctx.error_at(
            top.loc,
            "scenario",
            "missing table [scenario]; expected name, start, months (and optionally description, runs, seed)",
        ));
    };
    let meta = read_meta(&mut o, ctx)?;
    o.finish(ctx)?;
    Ok(meta)
}

/// `[region]`; an empty one when the file has none.
fn read_region(top: &mut Obj, ctx: &mut Ctx) -> Result<Region> {
    let Some(mut o) = top.table("region", ctx)? else {
        return Ok(Region {
            bondsteel_reach: Vec::new(),
        });
    };
    let region = Region {
        bondsteel_reach: o.strings("bondsteel_reach", ctx)?,
    };
    o.finish(ctx)?;
    Ok(region)
}

/// `[lever.<name>]` for every lever, each read `empty` when the file leaves it out.
fn read_levers(top: &mut Obj, empty: &Node, ctx: &mut Ctx) -> Result<[LeverParams; Lever::COUNT]> {
    let mut lever = Lever::ALL.map(Lever::default_params);
    let mut levers = or_empty(top.table("lever", ctx)?, empty, "lever", ctx)?;
    for l in Lever::ALL {
        let mut o = or_empty(
            levers.table(l.name(), ctx)?,
            empty,
            &format!("lever.{}", l.name()),
            ctx,
        )?;
        lever[l as usize] = LeverParams::read(l.default_params(), &mut o, ctx)?;
        o.finish(ctx)?;
    }
    levers.finish(ctx)?;
    Ok(lever)
}

/// The items of the top-level list `key` (`[[state]]`, …), each read by `read`.
fn read_list<T>(
    top: &mut Obj,
    key: &'static str,
    ctx: &mut Ctx,
    read: impl Fn(&Node, &mut Ctx) -> Result<T>,
) -> Result<Vec<T>> {
    let mut items = Vec::new();
    for node in top.tables(key, ctx)? {
        items.push(read(node, ctx)?);
    }
    Ok(items)
}

/// The table `o`, or an empty one at `path` when the file has none.
fn or_empty<'n>(o: Option<Obj<'n>>, empty: &'n Node, path: &str, ctx: &Ctx) -> Result<Obj<'n>> {
    match o {
        Some(o) => Ok(o),
        None => Obj::new(empty, path, ctx),
    }
}

/// Whether `name` may name an output folder: 1–64 letters, digits, '-' or '_' (no path).
pub(super) fn folder_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn read_meta(o: &mut Obj, ctx: &mut Ctx) -> Result<Meta> {
    let name = o.str_req("name", "a short name such as \"balkans\"", ctx)?;
    if !folder_name_ok(&name) {
        return Err(ctx.error_path(
            "scenario.name",
            o.loc,
            format!(
                "= \"{}\"; expected 1-64 letters, digits, '-' or '_' (it names output folders)",
                clip(&name)
            ),
        ));
    }
    let start_text = o.str_req("start", MONTH, ctx)?;
    let start = month(o, "start", &start_text, " such as \"2025-11\"", ctx)?;
    Ok(Meta {
        name,
        description: o
            .str_opt("description", "a string", ctx)?
            .unwrap_or_default(),
        start,
        months: o.int_req(
            "months",
            1..=MAX_MONTHS,
            &format!("a whole number of months in [1, {MAX_MONTHS}]"),
            ctx,
        )? as u32,
        runs: o
            .int_opt(
                "runs",
                1..=MAX_RUNS,
                &format!("a whole number of runs in [1, {MAX_RUNS}]"),
                ctx,
            )?
            .unwrap_or(1000) as u64,
        seed: o
            .int_opt("seed", 0..=i64::MAX, "a whole number >= 0", ctx)?
            .unwrap_or(1) as u64,
        hold_present: o.bool_or("hold_present", true, ctx)?,
        start_from: o.choice(
            "start_from",
            &StartFrom::choices(),
            Some(StartFrom::File),
            ctx,
        )?,
    })
}

fn code_ok(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 16
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn read_code(o: &mut Obj, list: &str, ctx: &mut Ctx) -> Result<String> {
    let code = o.str_req("code", "a code such as \"SRB\"", ctx)?;
    if !code_ok(&code) {
        return Err(ctx.error_path(
            &format!("{}.code", o.path),
            o.loc,
            format!("= \"{}\"; expected 1-16 capital letters, digits, '-' or '_' (a {list} code such as \"SRB\")", clip(&code)),
        ));
    }
    o.path = format!("{list}[{code}]");
    o.node("code", ctx); // records where `<list>[<code>].code` is, for a duplicate's error
    Ok(code)
}

fn read_state(node: &Node, start: YearMonth, ctx: &mut Ctx) -> Result<State> {
    let mut o = Obj::new(node, "state[?]", ctx)?;
    let code = read_code(&mut o, "state", ctx)?;
    let alignment = o.f64_req("alignment", -1.0..=1.0, ALIGN, ctx)?;
    let (groups, public_opinion) = read_public(&mut o, alignment, ctx)?;
    let (eu, nato, elections) = read_statuses(&mut o, start, ctx)?;
    let state = State {
        name: o.str_req("name", "the state's name", ctx)?,
        population: o.int_req(
            "population",
            1..=MAX_POPULATION,
            &format!("inhabitants, a whole number in [1, {MAX_POPULATION}]"),
            ctx,
        )? as u64,
        part_of: o.str_opt(
            "part_of",
            "the code of the state this entity belongs to",
            ctx,
        )?,
        lat: o.f64_opt("lat", -90.0..=90.0, LATITUDE, ctx)?,
        lon: o.f64_opt("lon", -180.0..=180.0, LONGITUDE, ctx)?,
        adriatic_coast: o.bool_or("adriatic_coast", false, ctx)?,
        neighbours: o.strings("neighbours", ctx)?,
        kin: o.strings("kin", ctx)?,
        gas_share_russia: o.f64_or("gas_share_russia", 0.0, 0.0..=1.0, SHARE, ctx)?,
        russian_energy_assets: o.f64_or("russian_energy_assets", 0.0, 0.0..=1.0, SHARE, ctx)?,
        arms_share_russia: o.f64_or("arms_share_russia", 0.0, 0.0..=1.0, SHARE, ctx)?,
        defence_gdp_pct: o.f64_or(
            "defence_gdp_pct",
            2.0,
            0.0..=20.0,
            "per cent of GDP in [0, 20]",
            ctx,
        )?,
        orthodox_share: o.f64_or("orthodox_share", 0.0, 0.0..=1.0, SHARE, ctx)?,
        church_ties_moscow: o.f64_or("church_ties_moscow", 0.0, 0.0..=1.0, SHARE, ctx)?,
        russian_media_reach: o.f64_or("russian_media_reach", 0.0, 0.0..=1.0, SHARE, ctx)?,
        anchoring: o.f64_or(
            "anchoring",
            0.02,
            0.0..=1.0,
            "a share per month in [0, 1]",
            ctx,
        )?,
        responsiveness: o.f64_or(
            "responsiveness",
            0.1,
            0.0..=100.0,
            "a weight in [0, 100]",
            ctx,
        )?,
        public_opinion,
        alignment,
        grievance: o.f64_or("grievance", 0.2, 0.0..=1.0, SHARE, ctx)?,
        hosts_russian_asset: o.bool_or("hosts_russian_asset", false, ctx)?,
        russian_naval_access: o.bool_or("russian_naval_access", false, ctx)?,
        in_sanctions: o.bool_or("in_sanctions", false, ctx)?,
        shock_exposure: o.f64_or("shock_exposure", 1.0, 0.0..=2.0, "a factor in [0, 2]", ctx)?,
        eu,
        nato,
        elections,
        groups,
        weights: o.number_map("weights", 0.0..=1.0, "a weight in [0, 1]", ctx)?,
        code,
    };
    o.finish(ctx)?;
    Ok(state)
}

/// A state's public: its `groups`, then its `public_opinion` (the government's `alignment` by
/// default), which is also a group's opinion by default.
fn read_public(o: &mut Obj, alignment: f64, ctx: &mut Ctx) -> Result<(Vec<Group>, f64)> {
    let mut groups = Vec::new();
    for g in o.tables("groups", ctx)? {
        let mut t = Obj::new(g, &format!("{}.groups[?]", o.path), ctx)?;
        let name = t.str_req("name", "a group name such as \"Serb\"", ctx)?;
        t.path = format!("{}.groups[{name}]", o.path);
        let share = t.f64_req("share", 0.0..=1.0, SHARE, ctx)?;
        let opinion = t.f64_opt("opinion", -1.0..=1.0, ALIGN, ctx)?;
        let receptivity = t.f64_or(
            "receptivity",
            1.0,
            0.0..=10.0,
            "a multiplier in [0, 10]",
            ctx,
        )?;
        t.finish(ctx)?;
        groups.push(Group {
            name,
            share,
            opinion,
            receptivity,
        });
    }
    let public_opinion = o
        .f64_opt("public_opinion", -1.0..=1.0, ALIGN, ctx)?
        .unwrap_or(alignment);
    Ok((groups, public_opinion))
}

fn read_power(node: &Node, ctx: &mut Ctx) -> Result<Power> {
    let mut o = Obj::new(node, "power[?]", ctx)?;
    let code = read_code(&mut o, "power", ctx)?;
    let mut budget = [0.0; Lever::COUNT];
    if let Some(mut b) = o.table("budget", ctx)? {
        for l in Lever::ALL {
            budget[l as usize] =
                b.f64_or(l.name(), 0.0, 0.0..=1e6, "M EUR per year in [0, 1e6]", ctx)?;
        }
        b.finish(ctx)?;
    }
    let power = Power {
        name: o.str_req("name", "the power's name", ctx)?,
        pole: o.choice("pole", &Pole::choices(), None, ctx)?,
        targeting: o.choice(
            "targeting",
            &Targeting::choices(),
            Some(Targeting::Fixed),
            ctx,
        )?,
        budget,
        targets: o.strings("targets", ctx)?,
        allocation: o
            .number_map("allocation", 0.0..=1.0, SHARE, ctx)?
            .unwrap_or_default(),
        code,
    };
    o.finish(ctx)?;
    Ok(power)
}

fn read_policy(node: &Node, start: YearMonth, ctx: &mut Ctx) -> Result<Policy> {
    let mut o = Obj::new(node, "policy[?]", ctx)?;
    let id = read_id(&mut o, "policy", "eu-steps-in", ctx)?;
    let from = match o.str_opt("from", MONTH, ctx)? {
        None => start,
        Some(text) => month(&o, "from", &text, " such as \"2026-06\"", ctx)?,
    };
    let mut budget = [None; Lever::COUNT];
    match o.table("budget", ctx)? {
        Some(mut b) => {
            for l in Lever::ALL {
                budget[l as usize] =
                    b.f64_opt(l.name(), 0.0..=1e6, "M EUR per year in [0, 1e6]", ctx)?;
            }
            b.finish(ctx)?;
        }
        None => {
            return Err(ctx.error_path(
                &format!("{}.budget", o.path),
                o.loc,
                "is missing; expected a table of M EUR per year by lever, such as { accession = 1500 }"
                    .to_string(),
            ));
        }
    }
    let policy = Policy {
        power: o.str_req("power", "the code of the power whose budgets change", ctx)?,
        from,
        budget,
        description: o
            .str_opt("description", "a string", ctx)?
            .unwrap_or_default(),
        id,
    };
    o.finish(ctx)?;
    Ok(policy)
}

fn read_event(node: &Node, ctx: &mut Ctx) -> Result<Event> {
    let mut o = Obj::new(node, "event[?]", ctx)?;
    let id = read_id(&mut o, "event", "s400-drill-2019", ctx)?;
    let date_text = o.str_req("date", MONTH, ctx)?;
    let date = month(&o, "date", &date_text, " such as \"2019-10\"", ctx)?;
    let mut targets: Vec<(&str, EventTarget)> = Lever::choices()
        .into_iter()
        .map(|(n, l)| (n, EventTarget::Stock(l)))
        .collect();
    targets.push(("grievance", EventTarget::Grievance));
    let event = Event {
        date,
        state: o.str_req("state", "the code of the state it strikes", ctx)?,
        lever: o.choice("lever", &targets, None, ctx)?,
        magnitude: o.f64_req(
            "magnitude",
            -1.0..=1.0,
            "a jump of the lever's stock (or grievance) in [-1, 1]",
            ctx,
        )?,
        description: o
            .str_opt("description", "a string", ctx)?
            .unwrap_or_default(),
        known: o.choice("known", &Known::choices(), Some(Known::Origin), ctx)?,
        id,
    };
    o.finish(ctx)?;
    Ok(event)
}

fn read_shock(node: &Node, ctx: &mut Ctx) -> Result<Shock> {
    let mut o = Obj::new(node, "shock[?]", ctx)?;
    let id = read_id(&mut o, "shock", "crimea-2014-02", ctx)?;
    let date_text = o.str_req("date", MONTH, ctx)?;
    let shock = Shock {
        date: month(&o, "date", &date_text, " such as \"2014-02\"", ctx)?,
        states: o.strings("states", ctx)?,
        description: (o.str_opt("description", "a string", ctx)?).unwrap_or_default(),
        known: o.choice("known", &Known::choices(), Some(Known::Origin), ctx)?,
        id,
    };
    o.finish(ctx)?;
    Ok(shock)
}

fn read_outcome(node: &Node, ctx: &mut Ctx) -> Result<Outcome> {
    let mut o = Obj::new(node, "outcome[?]", ctx)?;
    let id = read_id(&mut o, "outcome", "mne-joins-nato", ctx)?;
    let by_text = o.str_req("by", MONTH, ctx)?;
    let by = month(&o, "by", &by_text, "", ctx)?;
    let test = read_outcome_test(&mut o, ctx)?;
    let continuous = matches!(test, OutcomeTest::ValueAt { .. });
    let outcome = Outcome {
        description: o
            .str_opt("description", "a string", ctx)?
            .unwrap_or_default(),
        state: o.str_req("state", "the code of the state it concerns", ctx)?,
        by,
        test,
        observed: o.bool_or("observed", true, ctx)?,
        base_rate: if continuous {
            o.f64_req(
                "base_rate",
                -1.0..=1.0,
                "the reference forecast's value on the model's scale, in [-1, 1]",
                ctx,
            )?
        } else {
            o.f64_req(
                "base_rate",
                0.0..=1.0,
                "the reference forecast's probability, in [0, 1]",
                ctx,
            )?
        },
        held_out: o.bool_or("held_out", false, ctx)?,
        id,
    };
    if continuous && !outcome.observed {
        return Err(ctx.error_path(
            &format!("{}.observed", o.path),
            o.loc,
            "= false; expected true or nothing: a value_at outcome's observation is its `value`",
        ));
    }
    o.finish(ctx)?;
    Ok(outcome)
}

/// An outcome's `test` and the keys that test takes.
fn read_outcome_test(o: &mut Obj, ctx: &mut Ctx) -> Result<OutcomeTest> {
    let test = o.choice("test", &OutcomeKind::choices(), None, ctx)?;
    let events = EventKind::choices();
    Ok(match test {
        OutcomeKind::EventBy => OutcomeTest::EventBy {
            event: o.choice("event", &events, None, ctx)?,
        },
        OutcomeKind::NoEventBy => OutcomeTest::NoEventBy {
            event: o.choice("event", &events, None, ctx)?,
        },
        OutcomeKind::NeverAbove => OutcomeTest::NeverAbove {
            value: o.f64_req("value", -1.0..=1.0, ALIGN, ctx)?,
        },
        OutcomeKind::HighestAt => OutcomeTest::HighestAt {
            among: o.strings("among", ctx)?,
        },
        OutcomeKind::AtMost => OutcomeTest::AtMost {
            value: o.f64_req("value", -1.0..=1.0, ALIGN, ctx)?,
        },
        OutcomeKind::Shift => {
            let from_text = o.str_req("from", MONTH, ctx)?;
            OutcomeTest::Shift {
                from: month(o, "from", &from_text, "", ctx)?,
                toward: o.choice("toward", &Pole::choices(), None, ctx)?,
                value: o.f64_req(
                    "value",
                    0.0..=2.0,
                    "the least move of alignment toward the pole, in [0, 2]",
                    ctx,
                )?,
            }
        }
        OutcomeKind::ValueAt => OutcomeTest::ValueAt {
            reading: o.choice("reading", &Reading::choices(), None, ctx)?,
            value: o.f64_req(
                "value",
                -1.0..=1.0,
                "the observation on the model's scale, in [-1, 1]",
                ctx,
            )?,
            error: o.f64_req(
                "error",
                0.0..=1.0,
                "the measurement error's standard deviation on the model's scale, in [0, 1]",
                ctx,
            )?,
        },
    })
}
