//! Why a variant moves a state (docs/MODEL.md 7.4, "Channels"): each run's move of each
//! government from the start, split by channel and summed over the months, differenced run by
//! run against the baseline's on common random numbers; channels.csv gives each channel's mean
//! paired difference at the horizon with its 95 % interval. The channels of a state sum to its
//! alignment's paired difference (both start from the same draws), so the split is exact to
//! rounding.

use super::scenarios::Arm;
use crate::error::Result;
use crate::experiments::driver::RunDone;
use crate::model::channels::CHANNELS;
use crate::output::{AtomicFile, Number, columns};
use crate::statistics::{Differences, t95};
use std::path::Path;

/// Each variant's channels, paired with the baseline's, state by state.
#[derive(Clone)]
pub(crate) struct ChannelTally {
    /// Per variant, (its state, the baseline's state of the same code).
    pairs: Vec<Vec<(usize, usize)>>,
    /// Per variant, the paired differences of every (state, channel), state-major.
    diffs: Vec<Differences>,
}

impl ChannelTally {
    pub fn new(arms: &[Arm]) -> ChannelTally {
        let base = &arms[0].unit.model.codes;
        let pairs: Vec<Vec<(usize, usize)>> = (arms[1..].iter())
            .map(|a| {
                (a.unit.model.codes.iter().enumerate())
                    .filter_map(|(i, c)| Some((i, base.iter().position(|b| b == c)?)))
                    .collect()
            })
            .collect();
        let diffs = (pairs.iter())
            .map(|p| Differences::new(p.len() * CHANNELS.len()))
            .collect();
        ChannelTally { pairs, diffs }
    }

    /// Adds run `done`'s paired channel differences.
    pub fn add(&mut self, done: &RunDone) {
        let base = &done.spaces[0].channel_sums;
        for (v, pairs) in self.pairs.iter().enumerate() {
            let own = &done.spaces[v + 1].channel_sums;
            let values = pairs
                .iter()
                .flat_map(|&(i, b)| (0..CHANNELS.len()).map(move |k| own[i][k] - base[b][k]));
            self.diffs[v].add(values);
        }
    }

    pub fn merge(&mut self, other: &ChannelTally) {
        for (total, part) in self.diffs.iter_mut().zip(&other.diffs) {
            total.merge(part);
        }
    }

    /// channels.csv: per variant, state and channel, the mean paired difference of the
    /// channel's part of the move by the horizon, with its 95 % t interval over `runs`.
    pub(crate) fn write(&self, dir: &Path, arms: &[Arm], runs: u64) -> Result<()> {
        let mut w = columns::table::<columns::ChannelRow>()?;
        let (n, t) = (runs as f64, t95(runs.saturating_sub(1)));
        for (v, pairs) in self.pairs.iter().enumerate() {
            let arm = &arms[v + 1];
            for (p, &(i, _)) in pairs.iter().enumerate() {
                for (k, channel) in CHANNELS.iter().enumerate() {
                    let (mean, sd) = self.diffs[v].mean_sd(p * CHANNELS.len() + k);
                    let half = t * sd / n.sqrt();
                    w.serialize(columns::ChannelRow {
                        scenario: &arm.folder,
                        state: &arm.unit.model.codes[i],
                        channel,
                        effect: Number(mean),
                        effect_low: Number(mean - half),
                        effect_high: Number(mean + half),
                    })?;
                }
            }
        }
        AtomicFile::write(dir, "channels.csv", &w.into_inner()?)?;
        Ok(())
    }
}
