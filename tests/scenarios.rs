//! Scenario loading through the library: `extends`, round trips, and the resolved values.

use spheres::scenario::{self, Lever};

#[test]
fn a_variant_changes_only_what_it_names() {
    let base = scenario::load("scenarios/tutorial.toml").unwrap();
    let v = scenario::load("tests/fixtures/variant.toml").unwrap();
    assert_eq!(v.scenario.name, "tutorial-variant");
    assert_eq!(
        v.scenario.months, base.scenario.months,
        "untouched keys are inherited"
    );
    assert_eq!(v.params.noise_opinion, 0.0);
    assert_eq!(v.params.noise_alignment, base.params.noise_alignment);
    let swg = &v.state[v.state_index("SWG").unwrap()];
    assert_eq!(swg.gas_share_russia, 0.5);
    assert_eq!(
        swg.arms_share_russia, base.state[0].arms_share_russia,
        "state tables merge key by key"
    );
    assert_eq!(v.state.len(), base.state.len(), "states merge by code");
    let eu = v.power.iter().find(|p| p.code == "EU").unwrap();
    assert_eq!(eu.budget[Lever::Accession as usize], 500.0);
    assert_eq!(
        eu.budget[Lever::Aid as usize],
        200.0,
        "the EU's other budgets stay"
    );
    assert_eq!(
        v.event.len(),
        base.event.len() + 1,
        "a new event id is appended"
    );
}

#[test]
fn the_resolved_toml_loads_back_to_the_same_scenario() {
    for name in [
        "balkans",
        "tutorial",
        "tests/fixtures/variant.toml",
        "tests/fixtures/fj-1.toml",
        "eu-steps-in",
    ] {
        let mut s = scenario::load(name).unwrap();
        let again = scenario::from_text("resolved.toml", &s.to_toml().unwrap()).unwrap();
        // The nowcast's starts are written in: the resolved file starts from them.
        s.scenario.start_from = scenario::StartFrom::File;
        assert_eq!(s, again, "{name} does not round-trip");
    }
}

#[test]
fn a_variant_replaces_a_policy_by_id() {
    // eu-steps-in extends nobody-steps-in and names the policy "eu" again: one EU policy, its own.
    let v = scenario::load("eu-steps-in").unwrap();
    let eu: Vec<_> = v.policy.iter().filter(|p| p.power == "EU").collect();
    assert_eq!(eu.len(), 1);
    assert_eq!(eu[0].budget[Lever::Accession as usize], Some(1500.0));
    assert_eq!(eu[0].from, v.scenario.start);
    let us = v.policy.iter().find(|p| p.id == "us").unwrap();
    assert_eq!(us.budget[Lever::Security as usize], Some(0.0));
    assert_eq!(
        us.budget[Lever::Religion as usize],
        None,
        "unnamed budgets stay"
    );
    let base = scenario::load("balkans").unwrap();
    assert_eq!(v.power, base.power, "the status quo is the baseline's");
}

#[test]
fn from_text_refuses_extends() {
    let err = scenario::from_text("mem.toml", "extends = \"x.toml\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("cannot be followed from text held in memory"),
        "{err}"
    );
}

#[test]
fn defaults_fill_what_a_file_leaves_out() {
    let s = scenario::from_text(
        "min.toml",
        "[scenario]\nname = \"m\"\nstart = \"2030-01\"\nmonths = 3\n[[state]]\ncode = \"A\"\nname = \"A\"\npopulation = 5\nalignment = 0.2\n",
    )
    .unwrap();
    assert_eq!(s.scenario.runs, 1000);
    assert_eq!(
        s.state[0].public_opinion, 0.2,
        "public opinion starts at the alignment"
    );
    assert_eq!(s.params, scenario::Params::default());
    assert_eq!(
        s.lever[Lever::Energy as usize],
        scenario::LEVER_SPECS[Lever::Energy as usize]
    );
}

#[test]
fn every_parameter_is_documented() {
    let scenarios_md = std::fs::read_to_string("docs/SCENARIOS.md").unwrap();
    let model_md = std::fs::read_to_string("docs/MODEL.md").unwrap();
    for spec in scenario::PARAM_SPECS
        .iter()
        .chain(scenario::POPULATION_SPECS)
    {
        let key = format!("`{}`", spec.key);
        assert!(
            scenarios_md.contains(&key),
            "docs/SCENARIOS.md does not document {key}"
        );
        assert!(
            model_md.contains(&key),
            "docs/MODEL.md does not document {key}"
        );
    }
    for lever in Lever::ALL {
        // The defaults row says what the lever table says: owner, whom it pulls, defaults.
        let row = scenarios_md
            .lines()
            .find(|l| l.starts_with(&format!("| {} |", lever.name())))
            .unwrap_or_else(|| panic!("lever {} has no defaults row", lever.name()));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let d = lever.default_params();
        let numbers: Vec<f64> = cells[4..9].iter().map(|c| c.parse().unwrap()).collect();
        assert_eq!(
            (cells[2], cells[3], numbers),
            (
                lever.owner().name(),
                lever.acts_on().name(),
                vec![
                    d.pull,
                    d.decay_months,
                    d.rate_per_month,
                    d.cost_meur_per_million,
                    d.lag_months as f64
                ]
            ),
            "docs/SCENARIOS.md's row for {} differs from the lever table",
            lever.name()
        );
        assert!(
            model_md.contains(&format!("`{}`", lever.name())),
            "MODEL.md does not describe lever {}",
            lever.name()
        );
    }
    for key in [
        "pull",
        "decay_months",
        "rate_per_month",
        "cost_meur_per_million",
        "lag_months",
    ] {
        assert!(
            scenarios_md.contains(&format!("`{key}`")),
            "lever key {key} undocumented"
        );
    }
}

/// calibrate-2014 calibrates balkans.toml's priors, so that its posterior applies to the
/// Balkans scenarios: the two lists must be the same, item for item, but for the starting
/// alignments, which each takes from the nowcast of its own start month (for the same states).
#[test]
fn the_calibration_scenario_has_the_balkans_priors() {
    let balkans = scenario::load("balkans").unwrap();
    let calibrate = scenario::load("calibrate-2014").unwrap();
    assert!(balkans.uncertain.len() >= 20);
    let split = |s: &scenario::Scenario| -> (Vec<scenario::Uncertain>, Vec<String>) {
        let (starts, own): (Vec<_>, Vec<_>) = (s.uncertain.iter().cloned()).partition(|u| {
            u.path.starts_with("state.")
                && (u.path.ends_with(".alignment") || u.path.ends_with(".public_opinion"))
        });
        (own, starts.into_iter().map(|u| u.path).collect())
    };
    let (own, starts) = split(&balkans);
    let alignments =
        |starts: &[String]| starts.iter().filter(|p| p.ends_with(".alignment")).count();
    assert_eq!(
        (alignments(&starts), starts.len()),
        (13, 13 + 12),
        "every observed state's start is drawn, and every polled public's: {starts:?}"
    );
    // In 2014 too few polls fit the polls' link: the calibration draws the alignments only.
    let (calibrate_own, calibrate_starts) = split(&calibrate);
    // The same priors but the accession pipeline's, fitted before the origin (docs/VALIDATION.md),
    // and the Russian levers', which the balkans read from UN sessions after it (CALIBRATION.md).
    let differ = [
        "params.accession_alignment_slope",
        "params.eu_signing_hazard",
        "params.nato_invitation_hazard",
        "lever.arms.pull",
        "lever.energy.pull",
        "lever.religion.pull",
    ];
    let paths = |v: &[scenario::Uncertain]| v.iter().map(|u| u.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&own), paths(&calibrate_own));
    for (a, b) in own.iter().zip(&calibrate_own) {
        assert_eq!(a == b, !differ.contains(&a.path.as_str()), "{}", a.path);
    }
    assert_eq!(
        (alignments(&calibrate_starts), calibrate_starts.len()),
        (13, 13)
    );
    // And every variant of the main job draws the same.
    for variant in ["nobody-steps-in", "eu-steps-in"] {
        assert_eq!(
            scenario::load(variant).unwrap().uncertain,
            balkans.uncertain
        );
    }
}
