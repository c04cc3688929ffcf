//! [`World`]: one run's state, laid out as arrays over states and reused from run to run.
//! Its fields are declared once, in two kinds: what a run starts from (`reset`: put back to
//! [`Model::initial`](super::Model::initial) at every run) and what a worker keeps (`kept`:
//! buffers a month overwrites before reading, and caches valid across runs). A new per-run
//! value is one line under `reset`, and its start value set where the model is compiled.

use super::{L, Model, citizens, coercion};
use crate::scenario::Status;

/// Puts a field back to a start value, reusing its allocation.
trait Reset {
    fn reset_from(&mut self, start: &Self);
}

impl<T: Copy> Reset for Vec<T> {
    fn reset_from(&mut self, start: &Self) {
        self.clone_from(start);
    }
}

impl<T: Copy, const N: usize> Reset for [Vec<T>; N] {
    fn reset_from(&mut self, start: &Self) {
        for (field, start) in self.iter_mut().zip(start) {
            field.reset_from(start);
        }
    }
}

/// Declares [`World`] from its two kinds of fields, each with its empty value for `$n` states
/// and `$lag` months of lag per lever: [`World::empty`], and from the `reset` fields
/// [`World::reset_to`] and [`World::first_difference`].
macro_rules! world {
    (
        ($n:ident, $lag:ident)
        reset { $( $(#[$rm:meta])* $rf:ident : $rt:ty = $ri:expr, )* }
        kept { $( $(#[$km:meta])* $kf:ident : $kt:ty = $ki:expr, )* }
    ) => {
        /// One run's state: arrays over states, reset at the start of every run and reused.
        #[derive(Clone, Debug)]
        pub struct World {
            $( $(#[$rm])* pub $rf: $rt, )*
            $( $(#[$km])* pub $kf: $kt, )*
        }

        impl World {
            /// A world of `n` states with every value at zero (none, false) and the lag
            /// pipelines of `lag_months` per lever: the shape of a model's start before it is
            /// filled in.
            pub fn empty($n: usize, $lag: [usize; L]) -> World {
                World {
                    $( $rf: $ri, )*
                    $( $kf: $ki, )*
                }
            }

            /// Puts every field a run starts from back to `start`'s (the model's start),
            /// reusing the allocations; buffers and caches are kept.
            pub fn reset_to(&mut self, start: &World) {
                $( Reset::reset_from(&mut self.$rf, &start.$rf); )*
            }

            /// The first field a run starts from in which `self` and `other` differ.
            pub fn first_difference(&self, other: &World) -> Option<&'static str> {
                $( if self.$rf != other.$rf { return Some(stringify!($rf)); } )*
                None
            }
        }
    };
}

world! {
    (n, lag_months)
    reset {
        /// Alignment of each government, this month.
        alignment: Vec<f64> = vec![0.0; n],
        /// Public opinion of each state, this month.
        opinion: Vec<f64> = vec![0.0; n],
        /// Grievance of each state, this month.
        grievance: Vec<f64> = vec![0.0; n],
        /// Lever stocks, by lever then state.
        stock: [Vec<f64>; L] = std::array::from_fn(|_| vec![0.0; n]),
        /// The persistent part of each government's alignment (MODEL.md 7.4): its departure
        /// from where the pulls hold it, an AR(1) of the panel's persistence.
        drift: Vec<f64> = vec![0.0; n],
        /// What the clamp to [−1, 1] took off each government's held part plus drift last
        /// month: the held part is alignment − drift + this.
        clamped: Vec<f64> = vec![0.0; n],
        /// Anchor u of each government: its start, re-anchored where it accedes.
        anchor: Vec<f64> = vec![0.0; n],
        /// Susceptibility λ = 1 − anchoring of each government.
        lambda: Vec<f64> = vec![0.0; n],
        /// EU status, this month.
        eu: Vec<Status> = vec![Status::None; n],
        /// NATO status, this month.
        nato: Vec<Status> = vec![Status::None; n],
        /// Whether a veto blocks the state's next EU step, this month.
        eu_blocked: Vec<bool> = vec![false; n],
        /// Whether a veto blocks the state's next NATO step, this month.
        nato_blocked: Vec<bool> = vec![false; n],
        /// Whether the state hosts a Russian military asset, this month.
        hosts_asset: Vec<bool> = vec![false; n],
        /// Whether the state grants Russia naval access, this month.
        naval_access: Vec<bool> = vec![false; n],
        /// Whether the state applies sanctions on Russia, this month.
        in_sanctions: Vec<bool> = vec![false; n],
        /// Consecutive months leaning to Moscow (a > θ).
        months_moscow: Vec<u32> = vec![0; n],
        /// Month of the state's next scheduled election (`u32::MAX` without elections).
        next_election: Vec<u32> = vec![u32::MAX; n],
        /// Elections the governing party has won in a row.
        incumbent_wins: Vec<u32> = vec![0; n],
        /// Months since the state last joined NATO or the EU (large if never).
        months_since_accession: Vec<u32> = vec![u32::MAX; n],
        /// Alignment of the last 13 months, a ring indexed by month % 13, then state.
        history: Vec<f64> = vec![0.0; n * coercion::HISTORY_SLOTS],
        /// Spending waiting out its lag: a ring of the lever's `lag_months`, by month slot, then state.
        lag_build: [Vec<f64>; L] = std::array::from_fn(|k| vec![0.0; n * lag_months[k]]),
        /// Eroding spending waiting out its lag, laid out like `lag_build`.
        lag_erode: [Vec<f64>; L] = std::array::from_fn(|k| vec![0.0; n * lag_months[k]]),
    }
    kept {
        /// Next month's alignment, being computed.
        next_alignment: Vec<f64> = vec![0.0; n],
        /// Next month's public opinion, being computed.
        next_opinion: Vec<f64> = vec![0.0; n],
        /// This month's spending (M EUR) that builds each stock, by lever then state.
        spend_build: [Vec<f64>; L] = std::array::from_fn(|_| vec![0.0; n]),
        /// This month's spending (M EUR) that erodes each stock, by lever then state.
        spend_erode: [Vec<f64>; L] = std::array::from_fn(|_| vec![0.0; n]),
        /// Last (spend, saturation) per lever and state: a cache, valid across runs.
        build_memo: [Vec<(f64, f64)>; L] = std::array::from_fn(|_| vec![(0.0, 0.0); n]),
        /// Last (spend, saturation) of eroding spending per lever and state: a cache.
        erode_memo: [Vec<(f64, f64)>; L] = std::array::from_fn(|_| vec![(0.0, 0.0); n]),
        /// Pulls toward Moscow on each public this month (from information, religion and aid).
        public_moscow: Vec<f64> = vec![0.0; n],
        /// Pulls toward the West on each public this month.
        public_west: Vec<f64> = vec![0.0; n],
        /// Scratch for adaptive targeting.
        scores: Vec<f64> = vec![0.0; n],
        /// The run's citizens, with a population layer (reset by their own draws).
        citizens: Option<citizens::Citizens> = None,
    }
}

impl World {
    /// A world for runs of `model`, at its start, with room for its citizens.
    pub fn new(model: &Model) -> World {
        let mut w = model.initial.clone();
        w.citizens = model.citizen_layout.as_ref().map(citizens::Citizens::new);
        w
    }

    /// The held part of government `i`'s alignment (MODEL.md 7.4): its alignment less its
    /// drift, plus what the clamp to [−1, 1] took.
    pub fn held(&self, i: usize) -> f64 {
        self.alignment[i] - self.drift[i] + self.clamped[i]
    }

    /// Alignment `coercion::WINDOW_MONTHS` months before `month`, for state i (the start's
    /// alignment before then). Month m is kept in slot m % 13, so month − 12 is in (month + 1) % 13.
    pub fn alignment_window_ago(&self, month: u32, i: usize) -> f64 {
        let n = self.alignment.len();
        self.history[((month as usize + 1) % coercion::HISTORY_SLOTS) * n + i]
    }

    /// Keeps this month's alignment (`month` ≥ 1; month 0 fills every slot at reset).
    pub fn record_history(&mut self, month: u32) {
        let n = self.alignment.len();
        let slot = (month as usize % coercion::HISTORY_SLOTS) * n;
        self.history[slot..slot + n].copy_from_slice(&self.alignment);
    }
}
