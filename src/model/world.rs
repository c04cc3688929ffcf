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
        if self.len() == start.len() {
            self.copy_from_slice(start);
        } else {
            self.clone_from(start);
        }
    }
}

impl<T: Copy, const N: usize> Reset for [Vec<T>; N] {
    fn reset_from(&mut self, start: &Self) {
        for (field, start) in self.iter_mut().zip(start) {
            field.reset_from(start);
        }
    }
}

/// Declares [`World`] from its two kinds of fields, and [`World::reset_to`] from the first.
macro_rules! world {
    (
        reset { $( $(#[$rm:meta])* $rf:ident : $rt:ty, )* }
        kept { $( $(#[$km:meta])* $kf:ident : $kt:ty, )* }
    ) => {
        /// One run's state: arrays over states, reset at the start of every run and reused.
        #[derive(Clone, Debug)]
        pub struct World {
            $( $(#[$rm])* pub $rf: $rt, )*
            $( $(#[$km])* pub $kf: $kt, )*
        }

        impl World {
            /// Puts every field a run starts from back to `start`'s (the model's start),
            /// reusing the allocations; buffers and caches are kept.
            pub fn reset_to(&mut self, start: &World) {
                $( Reset::reset_from(&mut self.$rf, &start.$rf); )*
            }
        }
    };
}

world! {
    reset {
        /// Alignment of each government, this month.
        alignment: Vec<f64>,
        /// Public opinion of each state, this month.
        opinion: Vec<f64>,
        /// Grievance of each state, this month.
        grievance: Vec<f64>,
        /// Lever stocks, by lever then state.
        stock: [Vec<f64>; L],
        /// Anchor u of each government: its start, re-anchored where it accedes.
        anchor: Vec<f64>,
        /// Susceptibility λ = 1 − anchoring of each government.
        lambda: Vec<f64>,
        /// EU status, this month.
        eu: Vec<Status>,
        /// NATO status, this month.
        nato: Vec<Status>,
        /// Whether the state hosts a Russian military asset, this month.
        hosts_asset: Vec<bool>,
        /// Whether the state grants Russia naval access, this month.
        naval_access: Vec<bool>,
        /// Whether the state applies sanctions on Russia, this month.
        in_sanctions: Vec<bool>,
        /// Consecutive months leaning West (a < −θ).
        months_west: Vec<u32>,
        /// Consecutive months leaning to Moscow (a > θ).
        months_moscow: Vec<u32>,
        /// Months since the state last joined NATO or the EU (large if never).
        months_since_accession: Vec<u32>,
        /// Alignment of the last 13 months, a ring indexed by month % 13, then state.
        history: Vec<f64>,
        /// Spending waiting out its lag: a ring of the lever's `lag_months`, by month slot, then state.
        lag_build: [Vec<f64>; L],
        /// Eroding spending waiting out its lag, laid out like `lag_build`.
        lag_erode: [Vec<f64>; L],
    }
    kept {
        /// Next month's alignment, being computed.
        next_alignment: Vec<f64>,
        /// Next month's public opinion, being computed.
        next_opinion: Vec<f64>,
        /// This month's spending (M EUR) that builds each stock, by lever then state.
        spend_build: [Vec<f64>; L],
        /// This month's spending (M EUR) that erodes each stock, by lever then state.
        spend_erode: [Vec<f64>; L],
        /// Last (spend, saturation) per lever and state: a cache, valid across runs.
        build_memo: [Vec<(f64, f64)>; L],
        /// Last (spend, saturation) of eroding spending per lever and state: a cache.
        erode_memo: [Vec<(f64, f64)>; L],
        /// Pulls toward Moscow on each public this month (from information, religion and aid).
        public_moscow: Vec<f64>,
        /// Pulls toward the West on each public this month.
        public_west: Vec<f64>,
        /// Scratch for adaptive targeting.
        scores: Vec<f64>,
        /// The run's citizens, with a population layer (reset by their own draws).
        citizens: Option<citizens::Citizens>,
    }
}

impl World {
    /// A world of `n` states with every value at zero (none, false) and the lag pipelines of
    /// `lag_months` per lever: the shape of a model's start before it is filled in.
    pub fn empty(n: usize, lag_months: [usize; L]) -> World {
        World {
            alignment: vec![0.0; n],
            opinion: vec![0.0; n],
            grievance: vec![0.0; n],
            stock: std::array::from_fn(|_| vec![0.0; n]),
            anchor: vec![0.0; n],
            lambda: vec![0.0; n],
            eu: vec![Status::None; n],
            nato: vec![Status::None; n],
            hosts_asset: vec![false; n],
            naval_access: vec![false; n],
            in_sanctions: vec![false; n],
            months_west: vec![0; n],
            months_moscow: vec![0; n],
            months_since_accession: vec![u32::MAX; n],
            history: vec![0.0; n * coercion::HISTORY_SLOTS],
            lag_build: std::array::from_fn(|k| vec![0.0; n * lag_months[k]]),
            lag_erode: std::array::from_fn(|k| vec![0.0; n * lag_months[k]]),
            next_alignment: vec![0.0; n],
            next_opinion: vec![0.0; n],
            spend_build: std::array::from_fn(|_| vec![0.0; n]),
            spend_erode: std::array::from_fn(|_| vec![0.0; n]),
            build_memo: std::array::from_fn(|_| vec![(0.0, 0.0); n]),
            erode_memo: std::array::from_fn(|_| vec![(0.0, 0.0); n]),
            public_moscow: vec![0.0; n],
            public_west: vec![0.0; n],
            scores: vec![0.0; n],
            citizens: None,
        }
    }

    /// A world for runs of `model`, at its start, with room for its citizens.
    pub fn new(model: &Model) -> World {
        let mut w = model.initial.clone();
        w.citizens = model.citizen_layout.as_ref().map(citizens::Citizens::new);
        w
    }

    /// Puts the world back at month 0 of the scenario.
    pub fn reset(&mut self, m: &Model) {
        self.reset_to(&m.initial);
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
