//! The lever table: one row per lever, with its name in files, the pole that owns it, whom its
//! stock pulls, and its default coefficients (`[lever.<name>]`). The model's side of each row —
//! where the stock starts, how it decays, where spending lands, the pull — is
//! `model::levers::RULES`, one row per lever in the same order. ARCHITECTURE.md says what
//! adding a lever takes.

use super::typed::{Ctx, Obj};
use super::vocabulary::{Pole, named};
use crate::error::Result;
use serde::Serialize;

named! {
    /// Whom a lever's stock pulls.
    pub enum Acts {
        /// The government's alignment (docs/MODEL.md, 7.2).
        Government = "government",
        /// Public opinion (docs/MODEL.md, 7.3).
        Public = "public",
    }
}

/// Coefficients of one lever (`[lever.arms]`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LeverParams {
    /// Weight of the lever's stock in the pull it exerts (alpha or beta in MODEL.md).
    pub pull: f64,
    /// tau: time for the stock to fall 63 % of the way to its base without spending; 0 = never.
    pub decay_months: f64,
    /// r: at most this share of the gap a month's spending closes.
    pub rate_per_month: f64,
    /// c: spending (M EUR per month per million inhabitants) that closes 63 % of `rate_per_month`.
    pub cost_meur_per_million: f64,
    /// L: months before spending takes effect.
    pub lag_months: u32,
}

/// Declares the levers: the enum with its names (`named!`), the owner, whom it pulls, the
/// defaults and their meaning. One row per lever; the order is the order of every per-lever
/// array and of docs/SCENARIOS.md.
macro_rules! levers {
    ($( $variant:ident = $name:literal, $owner:ident, $acts:ident,
        pull $pull:literal, decay_months $decay:literal, rate_per_month $rate:literal,
        cost_meur_per_million $cost:literal, lag_months $lag:literal, $meaning:literal; )+) => {
        named! {
            /// The levers: each has a stock per state in [0, 1], built by its owner's spending and
            /// eroded by the other pole's.
            pub enum Lever { $( #[doc = $meaning] $variant = $name, )+ }
        }

        /// Default coefficients per lever, in [`Lever::ALL`] order.
        pub const LEVER_SPECS: [LeverParams; Lever::COUNT] = [$(LeverParams {
            pull: $pull,
            decay_months: $decay,
            rate_per_month: $rate,
            cost_meur_per_million: $cost,
            lag_months: $lag,
        }),+];

        impl Lever {
            /// The pole whose spending builds this lever's stock; the other pole's erodes it.
            pub const fn owner(self) -> Pole {
                match self { $(Lever::$variant => Pole::$owner,)+ }
            }

            /// Whom the stock pulls toward its owner's pole.
            pub const fn acts_on(self) -> Acts {
                match self { $(Lever::$variant => Acts::$acts,)+ }
            }

            /// What the stock measures, in a phrase.
            pub fn meaning(self) -> &'static str {
                match self { $(Lever::$variant => $meaning,)+ }
            }
        }
    };
}

levers! {
    Arms = "arms", Moscow, Government,
        pull 0.10, decay_months 180.0, rate_per_month 0.02, cost_meur_per_million 3.0, lag_months 6,
        "dependence on Russian arms: the Russian share of the inventory";
    Energy = "energy", Moscow, Government,
        pull 0.12, decay_months 60.0, rate_per_month 0.05, cost_meur_per_million 5.0, lag_months 36,
        "energy dependence: the Russian share of gas supply";
    Information = "information", Moscow, Public,
        pull 0.30, decay_months 6.0, rate_per_month 0.10, cost_meur_per_million 0.2, lag_months 0,
        "pressure of Russian information operations";
    Religion = "religion", Moscow, Public,
        pull 0.05, decay_months 240.0, rate_per_month 0.01, cost_meur_per_million 0.2, lag_months 0,
        "ties of the Orthodox church to the Moscow Patriarchate";
    Accession = "accession", West, Government,
        pull 0.12, decay_months 36.0, rate_per_month 0.03, cost_meur_per_million 5.0, lag_months 0,
        "credibility of EU accession";
    Aid = "aid", West, Public,
        pull 0.15, decay_months 24.0, rate_per_month 0.05, cost_meur_per_million 8.0, lag_months 0,
        "Western aid and investment";
    Security = "security", West, Government,
        pull 0.10, decay_months 60.0, rate_per_month 0.03, cost_meur_per_million 1.0, lag_months 0,
        "Western security presence";
    Coercion = "coercion", Moscow, Government,
        pull 0.08, decay_months 12.0, rate_per_month 0.10, cost_meur_per_million 2.0, lag_months 0,
        "Moscow's coercive pressure on a state that moved West";
}

impl Lever {
    /// The lever's default coefficients.
    pub fn default_params(self) -> LeverParams {
        LEVER_SPECS[self as usize]
    }
}

impl LeverParams {
    /// Reads `[lever.<name>]`: every key optional, defaults from `default`.
    pub(super) fn read(default: LeverParams, obj: &mut Obj, ctx: &mut Ctx) -> Result<Self> {
        Ok(LeverParams {
            pull: obj.f64_or(
                "pull",
                default.pull,
                0.0..=100.0,
                "a weight in [0, 100]",
                ctx,
            )?,
            decay_months: obj.f64_or(
                "decay_months",
                default.decay_months,
                0.0..=12000.0,
                "months in [0, 12000] (0 = no decay)",
                ctx,
            )?,
            rate_per_month: obj.f64_or(
                "rate_per_month",
                default.rate_per_month,
                0.0..=1.0,
                "a share per month in [0, 1]",
                ctx,
            )?,
            cost_meur_per_million: obj.f64_or(
                "cost_meur_per_million",
                default.cost_meur_per_million,
                1e-9..=1e9,
                "M EUR per month per million inhabitants, > 0",
                ctx,
            )?,
            lag_months: obj
                .int_opt("lag_months", 0..=240, "whole months in [0, 240]", ctx)?
                .map_or(default.lag_months, |v| v as u32),
        })
    }
}
