//! The citizens' layout, shared by all runs: which citizens belong to which state and group,
//! their groups' attributes and kin blocks, compiled from the scenario's `[population]`.

use crate::error::{Error, Result};
use crate::scenario::{PopulationParams, Scenario, State, group_indicator};

/// The citizens' fixed attributes, shared by all runs.
#[derive(Clone, Debug)]
pub struct CitizenLayout {
    /// `[population]`.
    pub params: PopulationParams,
    /// Citizens of state i: `state_start[i]..state_start[i + 1]`.
    pub state_start: Vec<usize>,
    /// Groups, in state order: (state, citizens, receptivity, initial opinion, reported name).
    pub groups: Vec<GroupBlock>,
    /// First group of state i in `groups` (groups of a state are consecutive).
    pub group_start: Vec<usize>,
    /// 1 for an Orthodox citizen, else 0.
    pub orthodox: Vec<f32>,
    /// Group of each citizen, as an index into `groups`.
    pub group_of: Vec<u32>,
    /// Encounters each citizen starts a month.
    pub interactions: u32,
}

/// A block of citizens of one group in one state.
#[derive(Clone, Debug)]
pub struct GroupBlock {
    /// Index of the state.
    pub state: usize,
    /// First citizen of the block.
    pub start: usize,
    /// Citizens in the block.
    pub len: usize,
    /// Multiplier on Moscow's messages.
    pub receptivity: f32,
    /// Initial mean opinion.
    pub opinion: f32,
    /// Indicator name (`opinion_serbs`), or `None` for a state's unlisted remainder.
    pub indicator: Option<String>,
    /// Blocks of the same group in kin states, where cross-border encounters land.
    pub kin: Vec<(usize, usize)>,
}

impl CitizenLayout {
    /// `None` when `people_per_agent` is 0 (the aggregate public opinion is used).
    pub fn compile(s: &Scenario) -> Result<Option<CitizenLayout>> {
        let p = s.population.clone();
        if p.people_per_agent <= 0.0 {
            return Ok(None);
        }
        let mut layout = CitizenLayout {
            interactions: p.interactions_per_month.round() as u32,
            params: p,
            state_start: vec![0],
            groups: Vec::new(),
            group_start: Vec::new(),
            orthodox: Vec::new(),
            group_of: Vec::new(),
        };
        for st in &s.state {
            layout.place(st);
        }
        layout.find_kin(s)?;
        Ok(Some(layout))
    }

    /// Lays out the citizens of the next state: its listed groups in order, then the unlisted
    /// remainder; the first round(orthodox_share · n) of them Orthodox.
    fn place(&mut self, st: &State) {
        let i = self.group_start.len();
        let n = st.citizens(self.params.people_per_agent) as usize;
        let start = self.citizens();
        self.group_start.push(self.groups.len());
        let mut placed = 0;
        for g in &st.groups {
            let len = ((g.share * n as f64).round() as usize).min(n - placed);
            self.groups.push(GroupBlock {
                state: i,
                start: start + placed,
                len,
                receptivity: g.receptivity as f32,
                opinion: g.opinion.unwrap_or(st.public_opinion) as f32,
                indicator: Some(group_indicator(&g.name)),
                kin: Vec::new(),
            });
            placed += len;
        }
        if placed < n {
            self.groups.push(GroupBlock {
                state: i,
                start: start + placed,
                len: n - placed,
                receptivity: 1.0,
                opinion: st.public_opinion as f32,
                indicator: None,
                kin: Vec::new(),
            });
        }
        let orthodox_count = (st.orthodox_share * n as f64).round() as usize;
        self.orthodox
            .extend((0..n).map(|k| if k < orthodox_count { 1.0 } else { 0.0 }));
        for (k, g) in self.groups.iter().enumerate().skip(self.group_start[i]) {
            self.group_of.extend(std::iter::repeat_n(k as u32, g.len));
        }
        self.state_start.push(start + n);
    }

    /// Kin blocks: the same group name in each kin state (or the whole kin state when the
    /// group is the unlisted remainder, or has no citizens there).
    fn find_kin(&mut self, s: &Scenario) -> Result<()> {
        let groups = &self.groups;
        let names: Vec<Option<&str>> = s
            .state
            .iter()
            .enumerate()
            .flat_map(|(i, st)| {
                let listed = st.groups.iter().map(|g| Some(g.name.as_str()));
                let rest = (groups.iter().filter(|g| g.state == i).count() > st.groups.len())
                    .then_some(None);
                listed.chain(rest)
            })
            .collect();
        for k in 0..self.groups.len() {
            let i = self.groups[k].state;
            let mut kin = Vec::new();
            for code in &s.state[i].kin {
                let j = s.state_index(code).ok_or_else(|| {
                    Error::Internal(format!(
                        "kin {code} is not in the scenario: was it validated?"
                    ))
                })?;
                let same = (self.group_start[j]..self.groups.len())
                    .take_while(|&m| self.groups[m].state == j)
                    .find(|&m| names[m].is_some() && names[m] == names[k]);
                match same {
                    Some(m) if self.groups[m].len > 0 => {
                        kin.push((self.groups[m].start, self.groups[m].len));
                    }
                    _ => kin.push((
                        self.state_start[j],
                        self.state_start[j + 1] - self.state_start[j],
                    )),
                }
            }
            self.groups[k].kin = kin;
        }
        Ok(())
    }

    /// Expected mean opinion of state i's citizens at the start: their groups' opinions,
    /// weighted by size (initial draws are symmetric around them).
    pub fn start_opinion(&self, i: usize) -> f64 {
        let (sum, count) = self.groups[self.group_start[i]..]
            .iter()
            .take_while(|g| g.state == i)
            .fold((0.0, 0usize), |(s, n), g| {
                (s + g.opinion as f64 * g.len as f64, n + g.len)
            });
        if count == 0 { 0.0 } else { sum / count as f64 }
    }

    /// Citizens in all states.
    pub fn citizens(&self) -> usize {
        self.state_start[self.state_start.len() - 1]
    }

    /// States laid out.
    pub fn states(&self) -> usize {
        self.state_start.len() - 1
    }
}
