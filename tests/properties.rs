//! Properties of any valid scenario within the documented ranges: alignments and opinions stay
//! in [−1, 1], stocks, grievances and shares in [0, 1], flags are 0 or 1, nothing is NaN, and a
//! run is a function of (scenario, seed, run index).

use proptest::prelude::*;
use spheres::engine::step::{Workspace, simulate};
use spheres::model::Model;
use spheres::model::indicators::Layout;
use spheres::scenario::{self, Lever};
use spheres::statistics::Scale;

/// A random valid scenario as TOML text.
fn scenario_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(state(), 1..6),
        prop::collection::vec(any::<bool>(), 15),
        prop::collection::vec(0.0f64..=500.0, Lever::COUNT),
        prop::collection::vec(0.0f64..=500.0, Lever::COUNT),
        params(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(states, edges, moscow, west, params, adaptive, citizens, hold)| {
                let links = links(states.len(), &edges);
                let mut t = header(&params, citizens, hold);
                for (i, state) in states.iter().enumerate() {
                    t += &state_table(i, state, &links[i], params.anchor);
                }
                t += &powers(&moscow, &west, adaptive);
                t
            },
        )
}

/// The numbers drawn for one `[[state]]`.
#[derive(Clone, Debug)]
struct StateDraw {
    population: u64,
    alignment: f64,
    public_opinion: f64,
    /// Numbers in [0, 1]: the first scales the anchoring and splits the two groups; then the
    /// lever data and grievance.
    shares: [f64; 8],
    defence_gdp_pct: f64,
    eu: &'static str,
    nato: &'static str,
    /// Both the Adriatic coast and a Russian asset.
    coast: bool,
}

fn state() -> impl Strategy<Value = StateDraw> {
    (
        1_000u64..20_000_000,
        -1.0f64..=1.0,
        -1.0f64..=1.0,
        prop::array::uniform8(0.0f64..=1.0),
        0.0f64..=20.0,
        prop::sample::select(vec![
            "member",
            "signed",
            "negotiating",
            "candidate",
            "applied",
            "none",
        ]),
        prop::sample::select(vec!["member", "signed", "invited", "candidate", "none"]),
        any::<bool>(),
    )
        .prop_map(
            |(population, alignment, public_opinion, shares, defence_gdp_pct, eu, nato, coast)| {
                StateDraw {
                    population,
                    alignment,
                    public_opinion,
                    shares,
                    defence_gdp_pct,
                    eu,
                    nato,
                    coast,
                }
            },
        )
}

/// The numbers drawn for `[params]` and `[population]`, and the states' largest anchoring.
#[derive(Clone, Debug)]
struct ParamsDraw {
    anchor: f64,
    noise: f64,
    hazard: f64,
    inertia: f64,
    epsilon: f64,
    opinion_inertia: f64,
    people_per_agent: u64,
}

fn params() -> impl Strategy<Value = ParamsDraw> {
    (
        0.0f64..=1.0,
        0.0f64..=0.3,
        0.0f64..=1.0,
        0.1f64..=10.0,
        0.0f64..=1.0,
        // opinion_inertia over its whole documented range, its edge 0 included.
        prop_oneof![Just(0.0f64), 0.0f64..=1000.0],
        // people_per_agent from a few hundred to a few million (citizens from ~1 to ~10^5).
        200u64..=5_000_000,
    )
        .prop_map(
            |(anchor, noise, hazard, inertia, epsilon, opinion_inertia, people_per_agent)| {
                ParamsDraw {
                    anchor,
                    noise,
                    hazard,
                    inertia,
                    epsilon,
                    opinion_inertia,
                    people_per_agent,
                }
            },
        )
}

/// The code of state `i`.
fn code(i: usize) -> String {
    format!("S{i}")
}

/// The neighbours of each of `n` states: each pair of states in turn borders when its `edges`
/// entry (taken round) is true.
fn links(n: usize, edges: &[bool]) -> Vec<Vec<String>> {
    let mut links = vec![Vec::new(); n];
    let mut k = 0;
    for i in 0..n {
        for j in i + 1..n {
            if edges[k % edges.len()] {
                links[i].push(code(j));
                links[j].push(code(i));
            }
            k += 1;
        }
    }
    links
}

/// `[scenario]`, `[params]` and, with `citizens`, `[population]`.
fn header(p: &ParamsDraw, citizens: bool, hold: bool) -> String {
    let ParamsDraw {
        noise,
        hazard,
        inertia,
        epsilon,
        opinion_inertia,
        people_per_agent,
        ..
    } = p;
    let mut t = format!(
        "[scenario]\nname = \"prop\"\nstart = \"2020-01\"\nmonths = 36\nhold_present = {hold}\n\
         [params]\nnoise_alignment = {noise}\nnoise_opinion = {noise}\nprotest_hazard = {hazard}\nasset_hazard = {hazard}\n\
         nato_entry_hazard = {hazard}\neu_entry_hazard = {hazard}\ninertia = {inertia}\nopinion_inertia = {opinion_inertia}\n"
    );
    if citizens {
        t += &format!("[population]\npeople_per_agent = {people_per_agent}\nepsilon = {epsilon}\n");
    }
    t
}

/// The `[[state]]` of state `i`, bordering and kin to the states `links`.
fn state_table(i: usize, s: &StateDraw, links: &[String], anchor: f64) -> String {
    let list = |v: &[String]| {
        format!(
            "[{}]",
            v.iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let StateDraw {
        population,
        alignment,
        public_opinion,
        shares: x,
        defence_gdp_pct,
        eu,
        nato,
        coast,
    } = s;
    format!(
        "[[state]]\ncode = \"{}\"\nname = \"s\"\npopulation = {population}\nalignment = {alignment}\npublic_opinion = {public_opinion}\n\
         neighbours = {}\nkin = {}\nanchoring = {}\ngas_share_russia = {}\narms_share_russia = {}\n\
         orthodox_share = {}\nchurch_ties_moscow = {}\nrussian_media_reach = {}\nrussian_energy_assets = {}\n\
         grievance = {}\ndefence_gdp_pct = {defence_gdp_pct}\nadriatic_coast = {coast}\nhosts_russian_asset = {coast}\n\
         eu = {{ status = \"{eu}\" }}\nnato = {{ status = \"{nato}\" }}\n\
         groups = [ {{ name = \"a\", share = {} }}, {{ name = \"b\", share = {} }} ]\n",
        code(i),
        list(links),
        list(links),
        anchor * x[0],
        x[1],
        x[2],
        x[3],
        x[4],
        x[5],
        x[6],
        x[7],
        x[0] * 0.5,
        (1.0 - x[0]) * 0.5,
    )
}

/// Moscow's power (fixed or `adaptive` targeting) and the EU's, with their budgets by lever.
fn powers(moscow: &[f64], west: &[f64], adaptive: bool) -> String {
    let budget = |b: &[f64]| {
        Lever::ALL
            .iter()
            .zip(b)
            .map(|(l, v)| format!("{} = {v}", l.name()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "[[power]]\ncode = \"RUS\"\nname = \"r\"\npole = \"moscow\"\ntargeting = \"{}\"\nbudget = {{ {} }}\n",
        if adaptive { "adaptive" } else { "fixed" },
        budget(moscow)
    ) + &format!(
        "[[power]]\ncode = \"EU\"\nname = \"e\"\npole = \"west\"\nbudget = {{ {} }}\n",
        budget(west)
    )
}

fn in_range(scale: Scale, v: f64) -> bool {
    match scale {
        Scale::Signed => (-1.0..=1.0).contains(&v),
        Scale::Share => (0.0..=1.0).contains(&v),
        Scale::Binary => v == 0.0 || v == 1.0,
        Scale::Count(max) => v >= 0.0 && v <= max as f64 && v.fract() == 0.0,
    }
}

/// Issue 13: citizens with no inertia and no power had 0/0 in their update and wrote NaN.
#[test]
fn citizens_with_no_weight_at_all_keep_their_opinion() {
    let text = "[scenario]\nname = \"still\"\nstart = \"2020-01\"\nmonths = 12\n\
                [params]\nopinion_inertia = 0\n[population]\npeople_per_agent = 1000\n\
                [[state]]\ncode = \"A\"\nname = \"a\"\npopulation = 100000\nalignment = 0.2\n";
    let s = scenario::from_text("still.toml", text).unwrap();
    let model = Model::compile(&s).unwrap();
    let layout = Layout::new(&model);
    let mut ws = Workspace::new(&model, &layout);
    let mut rows = 0;
    simulate(&model, 1, 0, &mut ws, &mut |_, row| {
        assert!(row.iter().all(|v| v.is_finite()));
        rows += 1;
    })
    .unwrap();
    assert_eq!(rows, 13);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_valid_scenario_stays_in_bounds_and_is_deterministic(text in scenario_text(), seed in any::<u64>()) {
        let s = scenario::from_text("prop.toml", &text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        // A present the status quo cannot hold is refused as bad input, naming the state; the
        // same world without holding runs.
        let model = match Model::compile(&s) {
            Ok(m) => m,
            Err(e) => {
                prop_assert!(s.scenario.hold_present, "{e}");
                prop_assert!(e.exit_code() == 2 && e.to_string().contains("the present cannot be held"), "{e}");
                let mut loose = s.clone();
                loose.scenario.hold_present = false;
                Model::compile(&loose).unwrap()
            }
        };
        let layout = Layout::new(&model);
        let scales = layout.scales();
        let mut rows: Vec<Vec<f64>> = Vec::new();
        for run in 0..2u64 {
            let mut ws = Workspace::new(&model, &layout);
            let mut first: Vec<f64> = Vec::new();
            let done = simulate(&model, seed, run, &mut ws, &mut |_, row| {
                for (v, scale) in row.iter().zip(&scales) {
                    assert!(v.is_finite() && in_range(*scale, *v), "{v} outside {scale:?}");
                }
                first.extend_from_slice(row);
            });
            prop_assert!(done.is_ok(), "{:?}", done);
            for stock in &ws.world.stock {
                prop_assert!(stock.iter().all(|x| (0.0..=1.0).contains(x)));
            }
            if let Some(c) = &ws.world.citizens {
                prop_assert!(c.opinion.iter().all(|o| (-1.0..=1.0).contains(o)));
                prop_assert!(c.grievance.iter().all(|g| (0.0..=1.0).contains(g)));
            }
            // The same run again, in a workspace that has already run: the same numbers.
            let mut again: Vec<f64> = Vec::new();
            simulate(&model, seed, run, &mut ws, &mut |_, row| again.extend_from_slice(row)).unwrap();
            prop_assert_eq!(&first, &again);
            rows.push(first);
        }
    }
}
