//! What a comparison keeps of its runs ([`CompareTally`]): each arm's summary, each variant's
//! paired differences, the spread over parameter draws; and draws.csv, streamed draw by draw.

use super::channel_tally::ChannelTally;
use super::scenarios::{Arm, matched};
use crate::error::Result;
use crate::experiments::draws::Draws;
use crate::experiments::driver::{Compiled, Job, RunDone, Tally};
use crate::output::{self, AtomicFile};
use crate::statistics::{Differences, DrawSpread, Summary};
use std::path::Path;

/// What a comparison keeps of its runs: each arm's summary, each variant's paired differences
/// over its cells matched to the baseline's, the spread over draws when they vary, and the rows
/// of draws.csv.
pub(super) struct CompareTally<'a> {
    arms: &'a [Arm],
    /// Per variant, the cells draws.csv reports ([`headlines`]).
    headlines: &'a [Vec<(usize, String)>],
    pub summaries: Vec<Summary>,
    /// One per variant (arm 1..), over the variant's cells matched to the baseline.
    pub differences: Vec<Differences>,
    pub spreads: Option<Spreads>,
    /// A variant's effects in this run, matched cell by cell (reused).
    effect: Vec<f64>,
    /// Rows of draws.csv, one per draw of this block.
    draw_rows: csv::Writer<Vec<u8>>,
    /// Why each variant moves each state, with `Ensemble::channels`.
    pub channels: Option<ChannelTally>,
    /// With `Some(last month)`, the summaries keep that month only (a lever table's many
    /// arms need only the horizon), as their row 0.
    horizon_only: Option<usize>,
}

impl<'a> CompareTally<'a> {
    fn new(
        arms: &'a [Arm],
        headlines: &'a [Vec<(usize, String)>],
        draws: &Draws,
        (horizon_only, channels): (bool, bool),
    ) -> Self {
        let months = arms[0].unit.model.months as usize;
        let horizon_only = horizon_only.then_some(months);
        let rows = if horizon_only.is_some() {
            1
        } else {
            months + 1
        };
        let channels = channels.then(|| ChannelTally::new(arms));
        CompareTally {
            arms,
            headlines,
            summaries: arms
                .iter()
                .map(|a| Summary::new(a.unit.layout.scales(), rows))
                .collect(),
            differences: arms[1..]
                .iter()
                .map(|a| Differences::new(matched(a).count()))
                .collect(),
            spreads: draws
                .varies()
                .then(|| Spreads::new(arms, rows, draws.runs_per_draw)),
            effect: Vec::new(),
            draw_rows: output::csv_buffer(),
            channels,
            horizon_only,
        }
    }
}

impl Tally for CompareTally<'_> {
    fn observe(&mut self, arm: usize, _: u64, month: usize, row: &[f64]) -> Result<()> {
        let month = match self.horizon_only {
            Some(last) if month != last => return Ok(()),
            Some(_) => 0,
            None => month,
        };
        self.summaries[arm].add_row(month, row);
        if let Some(spreads) = self.spreads.as_mut() {
            spreads.levels[arm].add_row(month, row);
        }
        Ok(())
    }

    fn end_run(&mut self, done: &RunDone) -> Result<()> {
        for summary in &mut self.summaries {
            summary.end_run();
        }
        if let Some(spreads) = self.spreads.as_mut() {
            spreads.levels.iter_mut().for_each(DrawSpread::end_run);
        }
        if let Some(channels) = self.channels.as_mut() {
            channels.add(done);
        }
        let Some((base, rest)) = done.spaces.split_first() else {
            return Ok(());
        };
        for (v, arm) in self.arms[1..].iter().enumerate() {
            let row = &rest[v].row;
            self.effect.clear();
            self.effect
                .extend(matched(arm).map(|(c, b)| row[c] - base.row[b]));
            self.differences[v].add(self.effect.iter().copied());
            if let Some(spreads) = self.spreads.as_mut() {
                spreads.effects[v].add_row(0, &self.effect);
                spreads.effects[v].end_run();
            }
        }
        Ok(())
    }

    fn end_draw(&mut self, draw: u64, values: &[(String, f64)]) -> Result<()> {
        let Some(spreads) = self.spreads.as_mut() else {
            return Ok(());
        };
        let mut record = Draws::leading_cells(draw, values);
        for (effects, cells) in spreads.effects.iter().zip(self.headlines) {
            record.extend(
                cells
                    .iter()
                    .map(|(m, _)| output::number(effects.current_mean(0, *m))),
            );
        }
        self.draw_rows.write_record(&record)?;
        spreads.levels.iter_mut().for_each(DrawSpread::end_draw);
        spreads.effects.iter_mut().for_each(DrawSpread::end_draw);
        Ok(())
    }

    fn take_block(&mut self) -> Result<Vec<Vec<u8>>> {
        Ok(vec![output::take_csv(&mut self.draw_rows)?])
    }

    fn merge(&mut self, other: &Self) {
        for (total, part) in self.summaries.iter_mut().zip(&other.summaries) {
            total.merge(part);
        }
        for (total, part) in self.differences.iter_mut().zip(&other.differences) {
            total.merge(part);
        }
        if let (Some(total), Some(part)) = (self.spreads.as_mut(), other.spreads.as_ref()) {
            total.merge(part);
        }
        if let (Some(total), Some(part)) = (self.channels.as_mut(), other.channels.as_ref()) {
            total.merge(part);
        }
    }
}

/// The spread over parameter draws of a comparison: each arm's cells (every month), and each
/// variant's paired effects at the horizon (its matched cells).
#[derive(Clone)]
pub(crate) struct Spreads {
    pub levels: Vec<DrawSpread>,
    pub effects: Vec<DrawSpread>,
}

impl Spreads {
    fn new(arms: &[Arm], rows: usize, runs_per_draw: u64) -> Spreads {
        Spreads {
            levels: arms
                .iter()
                .map(|a| DrawSpread::new(a.unit.layout.ranges(), rows, runs_per_draw))
                .collect(),
            effects: arms[1..]
                .iter()
                .map(|a| {
                    let levels = a.unit.layout.ranges();
                    let ranges = matched(a)
                        .map(|(c, _)| (levels[c].0 - levels[c].1, levels[c].1 - levels[c].0))
                        .collect();
                    DrawSpread::new(ranges, 1, runs_per_draw)
                })
                .collect(),
        }
    }

    fn merge(&mut self, other: &Spreads) {
        for (a, b) in self.levels.iter_mut().zip(&other.levels) {
            a.merge(b);
        }
        for (a, b) in self.effects.iter_mut().zip(&other.effects) {
            a.merge(b);
        }
    }
}

/// Runs the arms on common random numbers through the job, streaming draws.csv when the draws
/// vary, and returns what they kept.
pub(super) fn simulate<'a>(
    job: &mut Job,
    arms: &'a [Arm],
    headlines: &'a [Vec<(usize, String)>],
    draws: &Draws,
    horizon_only: bool,
) -> Result<CompareTally<'a>> {
    let mut draws_file = match draws.varies() {
        true => Some(open_draws(job.dir()?, arms, headlines)?),
        false => None,
    };
    let units: Vec<&Compiled> = arms.iter().map(|a| &a.unit).collect();
    let channels = job.ensemble.channels;
    let tally = job.simulate(
        &units,
        draws,
        || CompareTally::new(arms, headlines, draws, (horizon_only, channels)),
        |block| {
            if let Some(f) = draws_file.as_mut() {
                f.write_all(&block[0])?;
            }
            Ok(())
        },
    )?;
    if let Some(f) = draws_file {
        f.commit()?;
    }
    Ok(tally)
}

/// draws.csv, with its header: one row per draw, its parameters and each variant's effect on
/// alignment.
fn open_draws(dir: &Path, arms: &[Arm], headlines: &[Vec<(usize, String)>]) -> Result<AtomicFile> {
    let mut header = Draws::leading_columns(&arms[0].unit.scenario);
    for (arm, cells) in arms[1..].iter().zip(headlines) {
        header.extend(
            cells
                .iter()
                .map(|(_, unit)| effect_column(&arm.folder, unit)),
        );
    }
    let mut f = AtomicFile::create(dir, "draws.csv")?;
    f.write_all(output::columns::line(&header).as_bytes())?;
    Ok(f)
}

/// Per variant, the matched cells draws.csv reports: each state's alignment and the region's
/// mean alignment, as (matched index, unit).
pub(super) fn headlines(arms: &[Arm]) -> Vec<Vec<(usize, String)>> {
    arms[1..]
        .iter()
        .map(|arm| {
            matched(arm)
                .enumerate()
                .filter_map(|(m, (c, _))| {
                    let cell = &arm.unit.layout.cells[c];
                    matches!(cell.indicator.as_str(), "alignment" | "mean_alignment")
                        .then(|| (m, cell.unit.clone()))
                })
                .collect()
        })
        .collect()
}

/// draws.csv's column of a variant's effect on a unit's alignment.
fn effect_column(variant: &str, unit: &str) -> String {
    format!("{variant}/{unit}")
}
