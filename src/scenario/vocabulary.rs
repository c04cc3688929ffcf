//! The scenario's vocabulary: the closed sets of names a file may use (poles, statuses,
//! targeting, threshold events, outcome tests) and calendar months. Each name table is written
//! once, by [`named!`], and gives the enum, its file names, parsing choices and serialisation.

use serde::{Serialize, Serializer};

/// An enum whose variants each have one name in files (TOML values, CSV cells, flags): the
/// variants in order as `ALL`, `COUNT`, `name`, `from_name`, `choices` (for typed reading and
/// did-you-mean hints), `Display` and `Serialize` as the name.
macro_rules! named {
    ($(#[$meta:meta])* $vis:vis enum $ty:ident {
        $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $ty { $( $(#[$vmeta])* $variant, )+ }

        impl $ty {
            /// Every variant, in declaration order.
            pub const ALL: [$ty; [$($text),+].len()] = [$($ty::$variant),+];
            /// How many variants there are.
            pub const COUNT: usize = Self::ALL.len();

            /// The name in files.
            pub fn name(self) -> &'static str {
                match self { $($ty::$variant => $text,)+ }
            }

            /// The variant with this name in files.
            pub fn from_name(name: &str) -> Option<$ty> {
                Self::ALL.into_iter().find(|v| v.name() == name)
            }

            /// (name, variant) pairs, for reading a choice with typo hints.
            pub fn choices() -> Vec<(&'static str, $ty)> {
                Self::ALL.iter().map(|v| (v.name(), *v)).collect()
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }
    };
}
pub(crate) use named;

named! {
    /// The two blocs, the stubborn poles of the alignment scale.
    pub enum Pole {
        /// +1 on the alignment scale.
        Moscow = "moscow",
        /// −1 on the alignment scale.
        West = "west",
    }
}

impl Pole {
    /// +1 for Moscow, −1 for the West.
    pub fn sign(self) -> f64 {
        match self {
            Pole::Moscow => 1.0,
            Pole::West => -1.0,
        }
    }
}

named! {
    /// Where a scenario's initial alignments come from.
    pub enum StartFrom {
        /// The numbers of its `[[state]]` tables.
        File = "file",
        /// The nowcast at its start month (docs/MODEL.md, 9.4), each state's a prior.
        Nowcast = "nowcast",
    }
}

named! {
    /// A state's stage in the EU's or NATO's accession pipeline (docs/MODEL.md 7.12). The EU's
    /// run none, applied, candidate, negotiating, signed, member; NATO's none, candidate (the
    /// Membership Action Plan, an application or a declared perspective), invited, signed,
    /// member.
    pub enum Status {
        /// A member.
        Member = "member",
        /// An EU candidate, or a NATO aspirant.
        Candidate = "candidate",
        /// Outside the pipeline.
        None = "none",
        /// Applied to the EU, not yet a candidate.
        Applied = "applied",
        /// In EU accession negotiations.
        Negotiating = "negotiating",
        /// Invited to join NATO.
        Invited = "invited",
        /// Signed its EU accession treaty or NATO accession protocol, awaiting ratification.
        Signed = "signed",
    }
}

impl Status {
    /// The EU's stages, in order.
    pub const EU: [Status; 6] = [
        Status::None,
        Status::Applied,
        Status::Candidate,
        Status::Negotiating,
        Status::Signed,
        Status::Member,
    ];
    /// NATO's stages, in order.
    pub const NATO: [Status; 5] = [
        Status::None,
        Status::Candidate,
        Status::Invited,
        Status::Signed,
        Status::Member,
    ];

    /// Past application and short of membership: a stage whose next step a veto may block,
    /// and whose pull is a candidate's (docs/MODEL.md 7.3, 7.12).
    pub fn past_application(self) -> bool {
        !matches!(self, Status::None | Status::Applied | Status::Member)
    }
}

named! {
    /// How a power spreads its budgets over states (docs/MODEL.md, 7.5).
    pub enum Targeting {
        /// By `allocation`, or by population.
        Fixed = "fixed",
        /// Where a euro moves alignment most, more so near a threshold.
        Adaptive = "adaptive",
    }
}

named! {
    /// The threshold events the model draws (docs/MODEL.md, 7.7), by their names in events.csv.
    pub enum EventKind {
        /// A state that signed its protocol joins NATO.
        JoinsNato = "joins_nato",
        /// A state that signed its treaty joins the EU.
        JoinsEu = "joins_eu",
        /// An EU applicant becomes a candidate.
        EuCandidate = "eu_candidate",
        /// An EU candidate opens accession negotiations.
        EuNegotiations = "eu_negotiations",
        /// An EU negotiator signs its accession treaty.
        EuTreatySigned = "eu_treaty_signed",
        /// A NATO aspirant is invited to join.
        NatoInvited = "nato_invited",
        /// A NATO invitee signs its accession protocol.
        NatoProtocolSigned = "nato_protocol_signed",
        /// A veto blocks the state's next EU step.
        EuBlocked = "eu_blocked",
        /// The veto on the state's next EU step is lifted.
        EuUnblocked = "eu_unblocked",
        /// A veto blocks the state's next NATO step.
        NatoBlocked = "nato_blocked",
        /// The veto on the state's next NATO step is lifted.
        NatoUnblocked = "nato_unblocked",
        /// The state comes to host a Russian military asset.
        HostsRussianAsset = "hosts_russian_asset",
        /// The state stops hosting a Russian military asset.
        LosesRussianAsset = "loses_russian_asset",
        /// The state grants Russia naval access.
        GrantsNavalAccess = "grants_naval_access",
        /// The state revokes Russia's naval access.
        RevokesNavalAccess = "revokes_naval_access",
        /// The state starts applying Western sanctions on Russia.
        JoinsSanctions = "joins_sanctions",
        /// The state stops applying them.
        LeavesSanctions = "leaves_sanctions",
        /// A protest crisis: the government is pushed toward its public.
        ProtestCrisis = "protest_crisis",
        /// An aggrieved entity of a parent state drifts too far from its siblings.
        SecessionCrisis = "secession_crisis",
        /// A government-deciding election, scheduled or early.
        Election = "election",
        /// An election the governing party loses.
        Turnover = "turnover",
        /// A turnover that moves the government toward its public (outside the EU).
        GeopoliticalShift = "geopolitical_shift",
        /// A regional shock moves the state.
        RegionalShock = "regional_shock",
    }
}

impl EventKind {
    /// Whether the event turns a state's course (joining the EU or NATO, an asset, a crisis, a
    /// shift), and so is marked on its fan chart; an election, a step short of membership, a
    /// veto or a regional shock recurs or is on the way, and events.csv only counts it.
    pub fn is_turning_point(self) -> bool {
        use EventKind::*;
        match self {
            JoinsNato | JoinsEu | HostsRussianAsset | LosesRussianAsset | GrantsNavalAccess
            | RevokesNavalAccess | JoinsSanctions | LeavesSanctions | ProtestCrisis
            | SecessionCrisis | GeopoliticalShift => true,
            EuCandidate | EuNegotiations | EuTreatySigned | NatoInvited | NatoProtocolSigned
            | EuBlocked | EuUnblocked | NatoBlocked | NatoUnblocked | Election | Turnover
            | RegionalShock => false,
        }
    }
}

named! {
    /// The tests an `[[outcome]]` may name (`OutcomeTest` with its arguments).
    pub enum OutcomeKind {
        /// [`OutcomeTest::EventBy`](crate::scenario::OutcomeTest::EventBy).
        EventBy = "event_by",
        /// [`OutcomeTest::NoEventBy`](crate::scenario::OutcomeTest::NoEventBy).
        NoEventBy = "no_event_by",
        /// [`OutcomeTest::NeverAbove`](crate::scenario::OutcomeTest::NeverAbove).
        NeverAbove = "never_above",
        /// [`OutcomeTest::HighestAt`](crate::scenario::OutcomeTest::HighestAt).
        HighestAt = "highest_at",
        /// [`OutcomeTest::AtMost`](crate::scenario::OutcomeTest::AtMost).
        AtMost = "at_most",
        /// [`OutcomeTest::Shift`](crate::scenario::OutcomeTest::Shift).
        Shift = "shift",
        /// [`OutcomeTest::ValueAt`](crate::scenario::OutcomeTest::ValueAt).
        ValueAt = "value_at",
    }
}

named! {
    /// What a `value_at` outcome reads of its state: the government or the public.
    pub enum Reading {
        /// The government's alignment.
        Alignment = "alignment",
        /// The public's opinion.
        PublicOpinion = "public_opinion",
    }
}

named! {
    /// Whether an `[[event]]` was known at the scenario's start (`known`): a hindcast run with
    /// `--known-only` replays only those known at its origin.
    pub enum Known {
        /// Known, scheduled or announced by the start month.
        Origin = "origin",
        /// Known only with hindsight.
        Hindsight = "hindsight",
    }
}

impl Known {
    /// The default, left out of resolved scenarios.
    pub fn is_origin(&self) -> bool {
        *self == Known::Origin
    }
}

/// A calendar month; scenario dates are written "YYYY-MM".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    /// The year.
    pub year: i32,
    /// 1..=12
    pub month: u32,
}

impl YearMonth {
    /// Reads `YYYY-MM`; `None` unless the text is exactly that, with a month in 1..=12.
    pub fn parse(s: &str) -> Option<YearMonth> {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        (1..=12)
            .contains(&month)
            .then_some(YearMonth { year, month })
    }

    /// The month `months` after this one.
    pub fn plus(self, months: i64) -> YearMonth {
        let index = self.year as i64 * 12 + (self.month as i64 - 1) + months;
        YearMonth {
            year: index.div_euclid(12) as i32,
            month: index.rem_euclid(12) as u32 + 1,
        }
    }

    /// Months from `self` to `later` (negative if `later` is earlier).
    pub fn months_until(self, later: YearMonth) -> i64 {
        (later.year as i64 - self.year as i64) * 12 + later.month as i64 - self.month as i64
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_count_across_years() {
        let a = YearMonth::parse("2019-11").unwrap();
        assert_eq!(a.plus(3).to_string(), "2020-02");
        assert_eq!(a.months_until(YearMonth::parse("2020-02").unwrap()), 3);
        assert!(YearMonth::parse("2019-13").is_none());
        assert!(YearMonth::parse("2019-1").is_none());
    }

    #[test]
    fn names_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::from_name(k.name()), Some(k));
        }
        assert_eq!(Status::from_name("candidate"), Some(Status::Candidate));
        assert_eq!(Pole::from_name("east"), None);
        assert_eq!(Targeting::COUNT, 2);
    }
}
