//! Western levers: accession credibility, aid and investment, and security presence, each a
//! stock built by Western spending that fades without it; and the standing pull of EU and NATO
//! membership or candidacy. Counter-disinformation and energy diversification are the West's
//! spending on the `information` and `energy` levers (they erode Moscow's stocks).

use crate::scenario::{Params, Status};

/// Pull toward the West of accession credibility, aid and security presence: weight × stock
/// (on the government, or on the public for aid; `scenario::Lever::acts_on`).
pub use super::stocks::proportional as pull;

/// Pull toward the West of EU and NATO status.
#[inline]
pub fn membership_pull(p: &Params, eu: Status, nato: Status) -> f64 {
    let eu = match eu {
        Status::Member => p.eu_member_pull,
        Status::Candidate => p.eu_candidate_pull,
        Status::None => 0.0,
    };
    let nato = match nato {
        Status::Member => p.nato_member_pull,
        Status::Candidate => p.nato_candidate_pull,
        Status::None => 0.0,
    };
    eu + nato
}
