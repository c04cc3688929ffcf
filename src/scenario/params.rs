//! Global model coefficients (`[params]`) and the population layer's (`[population]`), each
//! with its default, range and unit (the levers' are in `levers.rs`). docs/MODEL.md gives the equation each one enters.

use super::typed::{Ctx, Obj};
use crate::error::Result;
use serde::Serialize;

/// How one coefficient is documented and checked.
#[derive(Clone, Copy, Debug)]
pub struct ParamSpec {
    /// Key in the table.
    pub key: &'static str,
    /// Default value.
    pub default: f64,
    /// Least value allowed.
    pub min: f64,
    /// Greatest value allowed.
    pub max: f64,
    /// Unit, as docs/SCENARIOS.md shows it.
    pub unit: &'static str,
    /// What it means, in a sentence.
    pub meaning: &'static str,
}

macro_rules! params {
    ($doc:literal $struct:ident $specs:ident
     $( $name:ident = $default:expr, [$min:expr, $max:expr], $unit:literal, $meaning:literal; )*) => {
        #[doc = $doc]
        #[derive(Clone, Debug, PartialEq, Serialize)]
        pub struct $struct { $( #[doc = $meaning] pub $name: f64, )* }

        impl Default for $struct {
            fn default() -> Self { Self { $( $name: $default, )* } }
        }

        /// Every key of the table, in the order of docs/SCENARIOS.md.
        pub const $specs: &[ParamSpec] = &[ $( ParamSpec {
            key: stringify!($name), default: $default, min: $min, max: $max, unit: $unit, meaning: $meaning,
        }, )* ];

        impl $struct {
            pub(super) fn read(obj: &mut Obj, ctx: &mut Ctx) -> Result<Self> {
                Ok(Self { $( $name: obj.f64_or(
                    stringify!($name), $default, $min..=$max,
                    concat!($unit, " in [", stringify!($min), ", ", stringify!($max), "]"), ctx)?, )* })
            }
        }
    };
}

params! {
    "Global coefficients of the model (`[params]`); see docs/MODEL.md, section 8."
    Params PARAM_SPECS
    inertia = 3.0, [0.0, 1000.0], "weight", "h: weight of a government's own alignment in its monthly update";
    neighbour_pull = 0.15, [0.0, 100.0], "weight", "gamma: weight of neighbours' and kin's alignment";
    kin_weight = 2.0, [0.0, 100.0], "ratio", "weight of a kin tie relative to a border in k_ij";
    eu_member_pull = 0.15, [0.0, 100.0], "weight", "pull toward the West of EU membership";
    eu_candidate_pull = 0.03, [0.0, 100.0], "weight", "pull toward the West of EU candidacy";
    nato_member_pull = 0.20, [0.0, 100.0], "weight", "pull toward the West of NATO membership";
    nato_candidate_pull = 0.03, [0.0, 100.0], "weight", "pull toward the West of NATO candidacy";
    opinion_inertia = 3.0, [0.0, 1000.0], "weight", "h_p: weight of public opinion's own value in its update";
    opinion_anchoring = 0.02, [0.0, 1.0], "share per month", "1 - lambda_p: pull of public opinion back to its initial value";
    kin_opinion_pull = 0.10, [0.0, 100.0], "weight", "weight of kin publics' mean opinion on a public";
    church_amplification = 1.0, [0.0, 100.0], "ratio", "rho: how much Orthodox share x church ties amplify information operations";
    noise_alignment = 0.031, [0.0, 1.0], "alignment units per month (sd)", "sigma_a: monthly innovation of the persistent part of alignment (the panel's q = 0.108 a year with kappa = 1; tested on its ten-year changes)";
    noise_persistence_per_year = 0.994, [0.0, 1.0], "share per year", "phi_a: share of the persistent part of alignment left after a year (the panel's phi)";
    noise_opinion = 0.02, [0.0, 1.0], "opinion units per month (sd)", "sigma_p: monthly noise on public opinion";
    leaning_threshold = 0.333333333333, [0.0, 1.0], "alignment units", "theta: a state leans to Moscow above +theta, to the West below -theta";
    grievance_decay_months = 12.0, [1.0, 1200.0], "months", "tau_g: time for grievance to return to its baseline";
    tension_from_information = 0.05, [0.0, 1.0], "grievance per month", "eta: grievance raised by information operations in a divided society";
    eu_candidate_hazard = 0.0310, [0.0, 1.0], "probability per month", "chance per month that an EU applicant becomes a candidate, at alignment -1 and the status quo's credibility";
    eu_negotiations_hazard = 0.0222, [0.0, 1.0], "probability per month", "chance per month that an EU candidate opens negotiations, at alignment -1 and the status quo's credibility";
    eu_signing_hazard = 0.0045, [0.0, 1.0], "probability per month", "chance per month that an EU negotiator signs its accession treaty, at alignment -1 and the status quo's credibility";
    eu_entry_hazard = 0.0807, [0.0, 1.0], "probability per month", "chance per month that a signed EU treaty enters into force, at alignment -1 and the status quo's credibility";
    nato_invitation_hazard = 0.0107, [0.0, 1.0], "probability per month", "chance per month that a NATO aspirant is invited, at alignment -1";
    nato_signing_hazard = 0.2417, [0.0, 1.0], "probability per month", "chance per month that a NATO invitee signs its accession protocol, at alignment -1";
    nato_entry_hazard = 0.0835, [0.0, 1.0], "probability per month", "chance per month that a signed NATO protocol is ratified and the state joins, at alignment -1";
    accession_alignment_slope = 0.50, [-10.0, 10.0], "log-hazard per alignment unit", "kappa: how much faster every accession step comes per alignment unit toward the West";
    accession_credibility_scale = 0.5, [0.0, 1.0], "share", "accession credibility above the status quo's that doubles the EU's step hazards (as fitted at the status quo's; none at this much below it; 0 = credibility plays no part)";
    block_hazard = 0.0028, [0.0, 1.0], "probability per month", "chance per month that a veto blocks the next step of a state past application";
    block_lift_hazard = 0.0121, [0.0, 1.0], "probability per month", "chance per month that a veto on a state's next step is lifted";
    shock_hazard = 0.0507, [0.0, 1.0], "probability per month", "chance per month of a regional shock (where the scenario lists none)";
    shock_common_size = 0.046, [0.0, 1.0], "alignment units (sd)", "sd of a regional shock's common jump of every exposed state's drift";
    shock_scope_size = 0.161, [0.0, 1.0], "alignment units (sd)", "sd of the extra jump of a state in a regional shock's scope";
    shock_scope_chance = 0.046, [0.0, 1.0], "probability per shock", "chance that a state is in a drawn regional shock's scope";
    asset_months = 12.0, [0.0, 1200.0], "months", "months a state must lean to Moscow before it may host a Russian military asset";
    asset_hazard = 0.02, [0.0, 1.0], "probability per month", "chance per month of gaining (or, leaning West, losing) a Russian asset";
    naval_threshold = 0.6, [0.0, 1.0], "alignment units", "alignment above which a coastal host may grant Russia naval access";
    naval_hazard = 0.01, [0.0, 1.0], "probability per month", "chance per month of granting (or, below 0, revoking) naval access";
    sanctions_join_threshold = -0.2, [-1.0, 1.0], "alignment units", "alignment below which a state may join Western sanctions on Russia";
    sanctions_leave_threshold = 0.2, [-1.0, 1.0], "alignment units", "alignment above which a state may leave them";
    sanctions_hazard = 0.05, [0.0, 1.0], "probability per month", "chance per month of joining or leaving sanctions when past a threshold";
    protest_gap = 0.5, [0.0, 2.0], "alignment units", "gap between public and government (either way) that makes protest possible";
    protest_grievance = 0.6, [0.0, 1.0], "grievance", "grievance above which protest (or secession) crises become possible";
    protest_hazard = 0.1, [0.0, 1.0], "probability per month", "chance per month of a mass-protest crisis when possible";
    protest_shift = 0.3, [0.0, 1.0], "share", "share of the public-government gap a protest crisis closes";
    secession_gap = 0.8, [0.0, 2.0], "alignment units", "gap between an entity and its sibling entities that makes secession crises possible";
    secession_hazard = 0.02, [0.0, 1.0], "probability per month", "chance per month of a secession crisis when possible";
    coercion_trigger = 0.1, [0.0, 2.0], "alignment units per 12 months", "westward move over 12 months that makes Moscow coerce a state";
    tip_boost = 2.0, [0.0, 100.0], "ratio", "extra weight an adaptive power gives a state near a threshold";
    tip_width = 0.1, [0.001, 2.0], "alignment units", "how near a threshold counts as near";
    turnover_logit = 0.242, [-10.0, 10.0], "logit", "logit of a turnover at an election of a party that took office at the last one, its public at the typical gap";
    turnover_logit_per_win = -0.346, [-10.0, 10.0], "logit per election", "change of that logit per election the governing party has won in a row (up to 3)";
    turnover_logit_per_gap = 1.0, [-10.0, 10.0], "logit per alignment unit", "change of that logit per alignment unit of the gap between public and government (either way) beyond the typical gap";
    turnover_typical_gap = 0.26, [0.0, 2.0], "alignment units", "the gap between public and government at which turnover runs at the panel's rate";
    early_election_hazard = 0.009, [0.0, 1.0], "probability per month", "chance per month of an early election";
    shift_chance = 0.069, [0.0, 1.0], "probability per turnover", "chance that a turnover outside the EU brings a geopolitical shift";
    shift_size = 0.33, [0.0, 2.0], "alignment units", "how far a geopolitical shift moves the government toward its public (at most the gap)";
}

params! {
    "The population layer (`[population]`): citizens inside each state; docs/MODEL.md, 7.10."
    PopulationParams POPULATION_SPECS
    people_per_agent = 0.0, [0.0, 1e9], "inhabitants per citizen agent", "K: one citizen agent per K inhabitants; 0 keeps the aggregate public opinion";
    interactions_per_month = 1.0, [0.0, 100.0], "pairs a citizen starts per month", "how many bounded-confidence encounters each citizen starts a month (whole number)";
    epsilon = 0.4, [0.0, 2.0], "opinion units", "confidence bound: citizens whose opinions differ by less than epsilon move toward each other";
    mu = 0.3, [0.0, 0.5], "share", "convergence: the share of the difference each side of an encounter closes";
    homophily = 0.7, [0.0, 1.0], "probability", "chance that a citizen's partner comes from its own group";
    kin_contact = 0.05, [0.0, 1.0], "probability", "chance that a partner comes from the same group in a kin state";
    voter_share = 0.0, [0.0, 1.0], "probability", "chance that an encounter follows the voter rule instead: a random citizen of the state copies a random other";
    opinion_spread = 0.5, [0.0, 2.0], "opinion units", "half-width of the uniform spread of initial opinions around the group's opinion";
    media_spread = 0.5, [0.0, 1.0], "share", "relative spread of citizens' Russian-media diet around the state's reach";
    protest_crisis_share = 0.1, [0.0, 1.0], "share of citizens", "share protesting at which a protest crisis happens";
    protest_contagion = 0.2, [0.0, 10.0], "grievance per month per protest share", "grievance a citizen gains from last month's protest share";
}
