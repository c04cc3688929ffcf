//! One run, month by month, in the order docs/MODEL.md gives ("Process overview and scheduling").

use super::rng;
use crate::model::channels::{self, Parts};
use crate::model::events::{self, RunEvent, Uniforms};
use crate::model::indicators::{self, Cell, Layout};
use crate::model::{Model, World, alignment, citizens, opinion, stocks, targeting};
use crate::statistics::Scale;

/// Everything one worker needs to simulate runs, allocated once and reused.
pub struct Workspace {
    /// The run's state.
    pub world: World,
    noise_alignment: Vec<f64>,
    noise_opinion: Vec<f64>,
    hazards: Vec<Uniforms>,
    /// Each of the model's mechanisms' own stream, for the run being simulated.
    streams: Vec<rng::Stream>,
    /// This month's indicators, in [`Layout`] order; after a run, the last month's.
    pub row: Vec<f64>,
    /// The last run's threshold events, in the order they happened.
    pub events: Vec<RunEvent>,
    /// Each state's first cell in the row ([`Layout::first_cells`]).
    first_cells: Vec<usize>,
    /// Each cell's scale, in [`Layout`] order: every recorded value is checked against it.
    scales: Vec<Scale>,
    /// Runs below this number are traced (`trace`); 0 traces none.
    trace_runs: u64,
    /// The last run's trace, if it was traced: each month after the start, each government's
    /// alignment, its move split by channel, and its stocks.
    pub trace: Vec<TraceRow>,
    /// Each government's alignment and parts at the month's start, while tracing.
    pending: Vec<(f64, Parts)>,
    /// Whether every run sums its channels (`channel_sums`).
    sum_channels: bool,
    /// The last run's channels summed over its months, per government: its move from the start
    /// split by channel (with `sum_channels`).
    pub channel_sums: Vec<Parts>,
}

/// One government in one month of a traced run (docs/MODEL.md 7.4, "Channels").
#[derive(Clone, Debug, PartialEq)]
pub struct TraceRow {
    /// Months after the start.
    pub month: u32,
    /// The state's index.
    pub state: usize,
    /// Its alignment at the month's end.
    pub alignment: f64,
    /// Its change over the month, by channel ([`channels::CHANNELS`]); they sum to it.
    pub parts: Parts,
    /// Its stock of each lever at the month's end, in lever order.
    pub stocks: Vec<f64>,
}

/// A recorded value outside its indicator's range (NaN included): results that cannot be
/// trusted. The run stops at the month it happened; the experiment stops with this message.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Violation {
    /// Months after the start.
    pub month: usize,
    /// Index of the cell in the [`Layout`].
    pub cell: usize,
    /// The value recorded.
    pub value: f64,
}

impl Violation {
    /// What went wrong, in words: the state, the month and the indicator.
    pub fn describe(&self, model: &Model, layout: &Layout) -> String {
        let Cell {
            unit,
            indicator,
            scale,
        } = &layout.cells[self.cell];
        format!(
            "{unit} {indicator} = {} in {} is outside its range {scale:?}: the model broke an invariant, so nothing was written as complete",
            self.value,
            model.start.plus(self.month as i64)
        )
    }
}

/// Closes each government's parts of the month and adds them to its run's sums.
fn close_month(world: &World, pending: &mut [(f64, Parts)], sums: &mut [Parts]) {
    for (i, (before, parts)) in pending.iter_mut().enumerate() {
        channels::close(parts, *before, world.alignment[i]);
        for (total, part) in sums[i].iter_mut().zip(parts.iter()) {
            *total += part;
        }
    }
}

/// Keeps each government's closed parts of `month` in `trace`.
fn trace_month(world: &World, month: u32, pending: &[(f64, Parts)], trace: &mut Vec<TraceRow>) {
    for (i, (_, parts)) in pending.iter().enumerate() {
        trace.push(TraceRow {
            month,
            state: i,
            alignment: world.alignment[i],
            parts: *parts,
            stocks: world.stock.iter().map(|s| s[i]).collect(),
        });
    }
}

/// The first cell of `row` outside its scale's range.
fn out_of_range(row: &[f64], scales: &[Scale]) -> Option<usize> {
    row.iter()
        .zip(scales)
        .position(|(&v, scale)| !scale.contains(v))
}

impl Workspace {
    /// A workspace sized for `model` and `layout`.
    pub fn new(model: &Model, layout: &Layout) -> Workspace {
        let n = model.n;
        Workspace {
            world: World::new(model),
            noise_alignment: vec![0.0; n],
            noise_opinion: vec![0.0; n],
            hazards: vec![Uniforms::default(); n],
            streams: Vec::with_capacity(model.mechanisms().len()),
            row: vec![0.0; layout.cells.len()],
            events: Vec::new(),
            first_cells: layout.first_cells.clone(),
            scales: layout.scales(),
            trace_runs: 0,
            trace: Vec::new(),
            pending: vec![(0.0, [0.0; 12]); n],
            sum_channels: false,
            channel_sums: vec![[0.0; 12]; n],
        }
    }

    /// The workspace, summing every run's channels ([`Workspace::channel_sums`]) if `sum`.
    pub fn summing(self, sum: bool) -> Workspace {
        Workspace {
            sum_channels: sum,
            ..self
        }
    }

    /// The workspace, tracing runs below `runs` ([`Workspace::trace`]).
    pub fn traced(self, runs: u64) -> Workspace {
        Workspace {
            trace_runs: runs,
            ..self
        }
    }
}

/// Simulates run `run` of `model` under `seed`, handing each month's indicators to `observe`
/// (month 0 is the start) and leaving the run's events and last row in `ws`. Every month's
/// values are checked against their ranges, in release builds too: a value outside (or NaN)
/// stops the run before `observe` sees it.
pub fn simulate(
    model: &Model,
    seed: u64,
    run: u64,
    ws: &mut Workspace,
    observe: &mut dyn FnMut(usize, &[f64]),
) -> Result<(), Violation> {
    let mut rng = rng::stream(seed, run);
    ws.world.reset_to(&model.initial);
    if let (Some(pop), Some(citizens)) = (&model.citizen_layout, &mut ws.world.citizens) {
        citizens.reset(model, pop, &mut rng);
        // The public's start is its citizens' mean.
        ws.world.opinion.copy_from_slice(&citizens.mean);
    }
    ws.events.clear();
    ws.trace.clear();
    let tracing = run < ws.trace_runs;
    let splitting = tracing || ws.sum_channels;
    ws.channel_sums.iter_mut().for_each(|s| *s = [0.0; 12]);
    ws.streams.clear();
    for m in model.mechanisms() {
        ws.streams.push(rng::mechanism_stream(seed, run, m.name));
    }
    indicators::record(model, &ws.world, &ws.first_cells, &mut ws.row);
    checked(&ws.row, &ws.scales, 0)?;
    observe(0, &ws.row);
    for t in 0..model.months {
        let world = &mut ws.world;
        events::apply_scheduled(model, world, t);
        targeting::spend(model, world, t);
        targeting::apply_lags(model, world, t);
        stocks::update_all(model, world);
        rng::draw_month(
            &mut rng,
            &mut ws.noise_alignment,
            &mut ws.noise_opinion,
            &mut ws.hazards,
        );
        match &model.citizen_layout {
            Some(pop) => citizens::step(model, pop, world, &mut rng),
            None => {
                opinion::update_grievance(model, world);
                opinion::public_pulls(model, world);
                opinion::step(model, world, &ws.noise_opinion);
            }
        }
        if splitting {
            for (i, pending) in ws.pending.iter_mut().enumerate() {
                let parts = channels::before_update(model, world, i, ws.noise_alignment[i]);
                *pending = (world.alignment[i], parts);
            }
        }
        alignment::step(model, world, &ws.noise_alignment);
        std::mem::swap(&mut world.alignment, &mut world.next_alignment);
        std::mem::swap(&mut world.opinion, &mut world.next_opinion);
        let month = t + 1;
        events::draw_thresholds(model, world, month, &ws.hazards, &mut ws.events);
        for (m, stream) in model.mechanisms().iter().zip(&mut ws.streams) {
            (m.step)(model, world, month, stream, &mut ws.events);
        }
        world.record_history(month);
        if splitting {
            close_month(world, &mut ws.pending, &mut ws.channel_sums);
        }
        if tracing {
            trace_month(world, month, &ws.pending, &mut ws.trace);
        }
        indicators::record(model, world, &ws.first_cells, &mut ws.row);
        checked(&ws.row, &ws.scales, month as usize)?;
        observe(month as usize, &ws.row);
    }
    Ok(())
}

fn checked(row: &[f64], scales: &[Scale], month: usize) -> Result<(), Violation> {
    match out_of_range(row, scales) {
        None => Ok(()),
        Some(cell) => Err(Violation {
            month,
            cell,
            value: row[cell],
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::events::{Draw, Mechanism};

    /// Every recorded row and event of runs 0..4 of `model`.
    fn record_runs(model: &Model) -> (Vec<f64>, Vec<RunEvent>) {
        let layout = Layout::new(model);
        let mut ws = Workspace::new(model, &layout);
        let (mut rows, mut events) = (Vec::new(), Vec::new());
        for run in 0..4 {
            simulate(model, 11, run, &mut ws, &mut |_, row| {
                rows.extend_from_slice(row)
            })
            .unwrap();
            events.extend_from_slice(&ws.events);
        }
        (rows, events)
    }

    /// Months [`draws_and_counts`] ran (only one test uses it).
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

    /// A mechanism that draws a hundred numbers a month and does nothing with them.
    fn draws_and_does_nothing(
        _: &Model,
        _: &mut World,
        _: u32,
        draw: &mut dyn Draw,
        _: &mut Vec<RunEvent>,
    ) {
        let total: f64 = (0..100).map(|_| draw.uniform()).sum();
        assert!(total > 0.0);
    }

    /// [`draws_and_does_nothing`], counting the months it ran.
    fn draws_and_counts(
        m: &Model,
        w: &mut World,
        month: u32,
        draw: &mut dyn Draw,
        e: &mut Vec<RunEvent>,
    ) {
        draws_and_does_nothing(m, w, month, draw, e);
        CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// A mechanism that acts on its draws: each month, state 0's grievance becomes its first
    /// draw, so that the grievance shows which numbers it got.
    fn shows_its_draws(
        _: &Model,
        world: &mut World,
        _: u32,
        draw: &mut dyn Draw,
        _: &mut Vec<RunEvent>,
    ) {
        world.grievance[0] = draw.uniform();
    }

    #[test]
    fn a_new_mechanism_changes_no_existing_draw() {
        for name in ["balkans-aggregate", "hindcast-2014"] {
            let s = crate::scenario::load(name).unwrap();
            let mut model = Model::compile(&s).unwrap();
            let before = record_runs(&model);
            assert!(
                !before.1.is_empty(),
                "{name}: the runs have events to compare"
            );
            let calls = CALLS.load(std::sync::atomic::Ordering::Relaxed);
            let mechanism = Mechanism {
                name: "draws-and-counts",
                step: draws_and_counts,
            };
            model.add_mechanism(mechanism).unwrap();
            assert!(model.add_mechanism(mechanism).is_err(), "names are unique");
            assert_eq!(record_runs(&model), before, "{name}");
            let months = 4 * u64::from(model.months);
            let called = CALLS.load(std::sync::atomic::Ordering::Relaxed) - calls;
            assert_eq!(called, months, "{name}: the mechanism ran every month");
        }
    }

    #[test]
    fn a_mechanism_draws_the_same_numbers_whatever_comes_before_it() {
        let s = crate::scenario::load("tutorial").unwrap();
        let shows = Mechanism {
            name: "shows-its-draws",
            step: shows_its_draws,
        };
        let mut alone = Model::compile(&s).unwrap();
        alone.add_mechanism(shows).unwrap();
        let mut second = Model::compile(&s).unwrap();
        second
            .add_mechanism(Mechanism {
                name: "draws-and-does-nothing",
                step: draws_and_does_nothing,
            })
            .unwrap();
        second.add_mechanism(shows).unwrap();
        let (a, b) = (record_runs(&alone), record_runs(&second));
        assert_eq!(a, b, "the same stream whether first or second");
        assert_ne!(a, record_runs(&Model::compile(&s).unwrap()), "it acts");
    }

    #[test]
    fn a_value_outside_its_range_is_found_and_named() {
        let scales = [Scale::Signed, Scale::Share, Scale::Binary, Scale::Count(3)];
        assert_eq!(out_of_range(&[-1.0, 1.0, 0.0, 3.0], &scales), None);
        assert_eq!(out_of_range(&[f64::NAN, 0.5, 1.0, 1.0], &scales), Some(0));
        assert_eq!(out_of_range(&[0.0, 1.5, 1.0, 1.0], &scales), Some(1));
        assert_eq!(out_of_range(&[0.0, 0.5, 0.5, 1.0], &scales), Some(2));
        assert_eq!(out_of_range(&[0.0, 0.5, 1.0, 4.0], &scales), Some(3));
        let s = crate::scenario::load("tutorial").unwrap();
        let model = Model::compile(&s).unwrap();
        let layout = Layout::new(&model);
        let v = Violation {
            month: 3,
            cell: 1,
            value: f64::NAN,
        };
        let text = v.describe(&model, &layout);
        assert!(
            text.starts_with("SWG public_opinion = NaN in 2026-04"),
            "{text}"
        );
    }
}
