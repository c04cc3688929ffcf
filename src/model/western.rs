//! Western levers: accession credibility, aid and investment, and security presence, each a
//! stock built by Western spending that fades without it; and the standing pull of EU and NATO
//! membership or candidacy. Counter-disinformation and energy diversification are the West's
//! spending on the `information` and `energy` levers (they erode Moscow's stocks).

use crate::scenario::{Params, Status};

/// Pull toward the West of accession credibility, aid and security presence: weight × stock
/// (on the government, or on the public for aid; `scenario::Lever::acts_on`).
pub use super::stocks::proportional as pull;

/// Pull toward the West of EU and NATO status: a member's, a candidate's past application and
/// short of membership (a candidate, negotiating, invited or signed), none before.
#[inline]
pub fn membership_pull(p: &Params, eu: Status, nato: Status) -> f64 {
    let pull = |status: Status, member: f64, candidate: f64| match status {
        Status::Member => member,
        s if s.past_application() => candidate,
        _ => 0.0,
    };
    pull(eu, p.eu_member_pull, p.eu_candidate_pull)
        + pull(nato, p.nato_member_pull, p.nato_candidate_pull)
}
