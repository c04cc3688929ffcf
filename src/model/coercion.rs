//! Coercion: "Moscow has openly threatened Balkan countries that have attempted to strengthen
//! their security ties with the West". A state that moved West by more than `coercion_trigger`
//! over the last 12 months, or joined NATO or the EU in that time, is triggered; Moscow's
//! coercion budget is spent only on triggered states, and the stock pulls the government
//! toward Moscow while it lasts.

/// Months over which a westward move is measured.
pub const WINDOW_MONTHS: usize = 12;

/// Slots of the alignment history: the window plus this month, so that the value of
/// `WINDOW_MONTHS` ago is still there when this month's is written.
pub const HISTORY_SLOTS: usize = WINDOW_MONTHS + 1;

/// Whether a state is triggered: it moved West by more than `trigger` over the window, or joined NATO or the EU within it.
#[inline]
pub fn triggered(
    alignment_now: f64,
    alignment_window_ago: f64,
    trigger: f64,
    months_since_accession: u32,
) -> bool {
    alignment_window_ago - alignment_now > trigger
        || (months_since_accession as usize) < WINDOW_MONTHS
}

/// Pull toward Moscow on the government: weight × pressure.
pub use super::stocks::proportional as pull;
