//! Western levers: accession credibility, aid and investment, and security presence, each a
//! stock built by Western spending that fades without it; and the standing pull of EU and NATO
//! membership or candidacy. Counter-disinformation and energy diversification are the West's
//! spending on the `information` and `energy` levers (they erode Moscow's stocks).

use crate::scenario::{Params, Status};

/// Pull toward the West on the government from accession credibility and security presence.
#[inline]
pub fn government_pull(
    accession_weight: f64,
    credibility: f64,
    security_weight: f64,
    presence: f64,
) -> f64 {
    accession_weight * credibility + security_weight * presence
}

/// Pull toward the West on public opinion from aid and investment.
#[inline]
pub fn public_pull(aid_weight: f64, aid: f64) -> f64 {
    aid_weight * aid
}

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
