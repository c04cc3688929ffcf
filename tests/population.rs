//! The population layer against the literature: with levers and grievance off, one state's
//! citizens on a complete network are Deffuant–Weisbuch bounded confidence (DW-1, DW-2, DW-3
//! of the project's validation set). Opinions run on [−1, 1] here, so ε doubles; the cluster
//! gap (1e-3 on [0, 1]) is measured on [0, 1].

use rayon::prelude::*;
use spheres::engine::step::{Workspace, simulate};
use spheres::model::Model;
use spheres::model::indicators::Layout;
use spheres::scenario;

/// Final opinions, on [0, 1], of `runs` runs of 1000 citizens starting U[0, 1].
fn final_opinions(epsilon_01: f64, mu: f64, interactions: u32, runs: u64) -> Vec<Vec<f64>> {
    let text = format!(
        "[scenario]\nname = \"dw\"\nstart = \"2000-01\"\nmonths = 1000\nseed = 42\n\
         [params]\nopinion_anchoring = 0.0\nnoise_alignment = 0.0\n\
         [population]\npeople_per_agent = 1\nepsilon = {}\nmu = {mu}\ninteractions_per_month = {interactions}\nopinion_spread = 1.0\n\
         [[state]]\ncode = \"POP\"\nname = \"Population\"\npopulation = 1000\nalignment = 0.0\npublic_opinion = 0.0\n",
        2.0 * epsilon_01
    );
    let s = scenario::from_text("dw.toml", &text).unwrap();
    let model = Model::compile(&s).unwrap();
    let layout = Layout::new(&model);
    (0..runs)
        .into_par_iter()
        .map(|run| {
            let mut ws = Workspace::new(&model, &layout);
            simulate(&model, 42, run, &mut ws, &mut |_, _| {}).unwrap();
            let c = ws.world.citizens.as_ref().unwrap();
            c.opinion.iter().map(|&o| (o as f64 + 1.0) / 2.0).collect()
        })
        .collect()
}

/// Clusters: maximal runs of sorted opinions with gaps ≤ 1e-3; major ones hold ≥ 2 %.
fn major_clusters(opinions: &[f64]) -> usize {
    let mut x = opinions.to_vec();
    x.sort_by(f64::total_cmp);
    let mut sizes = vec![1usize];
    for w in x.windows(2) {
        if w[1] - w[0] <= 1e-3 {
            *sizes.last_mut().unwrap() += 1;
        } else {
            sizes.push(1);
        }
    }
    sizes
        .iter()
        .filter(|&&s| s as f64 >= 0.02 * x.len() as f64)
        .count()
}

fn share_with(runs: &[Vec<f64>], clusters: usize) -> f64 {
    runs.iter()
        .filter(|o| major_clusters(o) == clusters)
        .count() as f64
        / runs.len() as f64
}

#[test]
fn dw_1_wide_confidence_gives_consensus() {
    // Fortunato 2004: N = 1000, mu = 0.5, eps = 0.5, 10^6 updates -> one major cluster.
    let runs = final_opinions(0.5, 0.5, 1, 40);
    let share = share_with(&runs, 1);
    assert!(share >= 0.95, "one major cluster in {share} of runs");
}

#[test]
fn dw_2_narrow_confidence_gives_two_clusters() {
    // Deffuant et al. 2000: eps = 0.25 and 0.20 -> floor(1 / (2 eps)) = 2 major clusters.
    for eps in [0.25, 0.20] {
        let runs = final_opinions(eps, 0.5, 1, 40);
        let share = share_with(&runs, 2);
        assert!(
            share >= 0.90,
            "eps {eps}: two major clusters in {share} of runs"
        );
    }
}

#[test]
fn dw_3_mu_sets_speed_not_outcome() {
    // Deffuant et al. 2000: eps = 0.2, mu = 0.1 (3 x 10^6 updates) vs mu = 0.5: same count.
    let slow = final_opinions(0.2, 0.1, 3, 30);
    let fast = final_opinions(0.2, 0.5, 1, 30);
    let equal = slow
        .iter()
        .zip(&fast)
        .filter(|(a, b)| major_clusters(a) == major_clusters(b))
        .count();
    assert!(
        equal as f64 >= 0.9 * slow.len() as f64,
        "equal counts in {equal} of {} runs",
        slow.len()
    );
}

#[test]
fn citizens_stay_in_bounds_and_outputs_are_deterministic() {
    let runs_a = final_opinions(0.3, 0.3, 1, 3);
    let runs_b = final_opinions(0.3, 0.3, 1, 3);
    assert_eq!(runs_a, runs_b, "the same seed gives the same citizens");
    assert!(runs_a.iter().flatten().all(|&x| (0.0..=1.0).contains(&x)));
}

/// Share of `runs` runs of the voter model that end with everyone holding +1, starting with
/// `n0` of 100 citizens at +1 and the rest at −1.
fn voter_consensus_on_plus(n0: u32, runs: u64) -> f64 {
    let text = format!(
        "[scenario]\nname = \"vm\"\nstart = \"2000-01\"\nmonths = 1200\nseed = 9\n\
         [params]\nopinion_anchoring = 0.0\nnoise_alignment = 0.0\n\
         [population]\npeople_per_agent = 1\nvoter_share = 1.0\nhomophily = 0.0\nkin_contact = 0.0\nopinion_spread = 0.0\n\
         [[state]]\ncode = \"POP\"\nname = \"Population\"\npopulation = 100\nalignment = 0.0\n\
         groups = [ {{ name = \"plus\", share = {}, opinion = 1.0 }}, {{ name = \"minus\", share = {}, opinion = -1.0 }} ]\n",
        n0 as f64 / 100.0,
        1.0 - n0 as f64 / 100.0
    );
    let s = scenario::from_text("vm.toml", &text).unwrap();
    let model = Model::compile(&s).unwrap();
    let layout = Layout::new(&model);
    let plus = (0..runs)
        .into_par_iter()
        .map(|run| {
            let mut ws = Workspace::new(&model, &layout);
            simulate(&model, 9, run, &mut ws, &mut |_, _| {}).unwrap();
            let c = ws.world.citizens.as_ref().unwrap();
            u64::from(c.opinion.iter().all(|&o| o == 1.0))
        })
        .sum::<u64>();
    plus as f64 / runs as f64
}

#[test]
fn vm_1_voter_consensus_matches_the_initial_share() {
    // Castellano, Fortunato & Loreto 2009: complete graph, N = 100, P(consensus on +) = n0 / N,
    // within the binomial 99 % interval over the runs.
    let runs = 1000;
    for n0 in [25u32, 50] {
        let p = n0 as f64 / 100.0;
        let got = voter_consensus_on_plus(n0, runs);
        let half = 2.576 * (p * (1.0 - p) / runs as f64).sqrt();
        assert!(
            (got - p).abs() <= half,
            "n0 = {n0}: {got} outside {p} ± {half}"
        );
    }
}

/// `Scenario::citizens` (what `spheres list` and the citizen cap count) is the model's count.
#[test]
fn the_scenario_counts_the_citizens_the_model_makes() {
    for name in ["balkans", "balkans-aggregate", "tutorial"] {
        let s = scenario::load(name).unwrap();
        let model = Model::compile(&s).unwrap();
        let made = model.citizen_layout.as_ref().map_or(0, |c| c.citizens());
        assert_eq!(s.citizens(), made as f64, "{name}");
    }
}
