//! Many runs on a fixed number of threads, with results handed back in run order.
//!
//! Workers claim blocks of consecutive runs, simulate them with their own state, and send each
//! block's result to the calling thread, which consumes blocks strictly in order. What workers
//! accumulate on their own (the statistics) must merge exactly in any order; what is consumed
//! (rows written to files) arrives in run order. Either way, the output does not depend on the
//! number of threads or on scheduling.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;

/// Set when the user asks the program to stop (Ctrl-C): workers finish their block and stop.
static STOP: AtomicBool = AtomicBool::new(false);

/// Asks every ensemble in this process to stop as soon as its workers finish their blocks.
pub fn request_stop() {
    STOP.store(true, Ordering::SeqCst);
}

/// Whether [`request_stop`] was called.
pub fn stop_requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// An ensemble stopped by [`request_stop`] before it finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interrupted;

/// The worker threads could not be started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoThreads(pub String);

/// Which runs to do and on how many threads.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Items to do (indices 0..runs): runs, or draws of several runs each.
    pub runs: u64,
    /// Worker threads.
    pub threads: usize,
    /// Runs each item stands for (a draw's runs; 1 for plain runs).
    pub runs_per_item: u64,
}

impl Plan {
    /// Runs per block: small enough to keep every thread busy to the end, large enough that
    /// handing blocks over costs nothing. It does not change any result.
    /// At most 256 runs a block, so that a stop request is heeded within a block's time.
    pub fn block_runs(&self) -> u64 {
        let most = (256 / self.runs_per_item.max(1)).max(1);
        (self.runs / (self.threads as u64 * 32)).clamp(1, most)
    }
}

/// Runs `work` over every block of runs on `plan.threads` threads and feeds the results to
/// `consume` in run order. Returns each worker's final state (in no particular order) for the
/// caller to merge. Stops early, and returns the first error, if `consume` fails or a stop is
/// requested.
pub fn run_blocks<W, T, E>(
    plan: Plan,
    make_worker: impl Fn() -> W + Sync,
    work: impl Fn(&mut W, Range<u64>) -> T + Sync,
    mut consume: impl FnMut(Range<u64>, T) -> Result<(), E>,
) -> Result<Vec<W>, E>
where
    W: Send,
    T: Send,
    E: From<Interrupted> + From<NoThreads>,
{
    assert!(plan.threads >= 1, "at least one thread");
    let block = plan.block_runs();
    let blocks = plan.runs.div_ceil(block);
    let range = |b: u64| b * block..((b + 1) * block).min(plan.runs);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.threads)
        .thread_name(|i| format!("spheres-worker-{i}"))
        .build()
        .map_err(|e| E::from(NoThreads(e.to_string())))?;
    let next = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    let finished: Mutex<Vec<W>> = Mutex::new(Vec::new());
    let (tx, rx) = mpsc::sync_channel::<(u64, T)>(plan.threads * 4);
    let mut error = None;
    pool.in_place_scope(|scope| {
        for _ in 0..plan.threads {
            let tx = tx.clone();
            let (next, stop, finished, work, make_worker) =
                (&next, &stop, &finished, &work, &make_worker);
            scope.spawn(move |_| {
                let mut worker = make_worker();
                while !stop.load(Ordering::Relaxed) && !STOP.load(Ordering::Relaxed) {
                    let b = next.fetch_add(1, Ordering::Relaxed);
                    if b >= blocks {
                        break;
                    }
                    let result = work(&mut worker, range(b));
                    if tx.send((b, result)).is_err() {
                        break;
                    }
                }
                finished
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .push(worker);
            });
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut due = 0;
        for (b, result) in rx.iter() {
            if error.is_none() && STOP.load(Ordering::Relaxed) {
                error = Some(E::from(Interrupted));
                stop.store(true, Ordering::Relaxed);
            }
            if error.is_some() {
                continue;
            }
            pending.insert(b, result);
            while let Some(result) = pending.remove(&due) {
                if let Err(e) = consume(range(due), result) {
                    error = Some(e);
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
                due += 1;
            }
        }
    });
    if error.is_none() && STOP.load(Ordering::Relaxed) {
        error = Some(E::from(Interrupted));
    }
    match error {
        Some(e) => Err(e),
        None => Ok(finished
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())),
    }
}

impl From<Interrupted> for crate::error::Error {
    fn from(_: Interrupted) -> Self {
        crate::error::Error::Interrupted
    }
}

impl From<NoThreads> for crate::error::Error {
    fn from(e: NoThreads) -> Self {
        crate::error::Error::Internal(format!("could not start worker threads: {}", e.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_arrive_in_order_whatever_the_threads() {
        for threads in [1, 2, 3] {
            let mut seen = Vec::new();
            let workers = run_blocks(
                Plan {
                    runs: 1000,
                    threads,
                    runs_per_item: 1,
                },
                || 0u64,
                |count, runs| {
                    *count += runs.end - runs.start;
                    runs.clone().collect::<Vec<u64>>()
                },
                |_, runs| {
                    seen.extend(runs);
                    Ok::<(), crate::error::Error>(())
                },
            )
            .unwrap();
            assert_eq!(seen, (0..1000).collect::<Vec<u64>>());
            assert_eq!(workers.iter().sum::<u64>(), 1000);
        }
    }

    #[test]
    fn a_failing_consumer_stops_the_workers() {
        let result = run_blocks(
            Plan {
                runs: 100_000,
                threads: 2,
                runs_per_item: 1,
            },
            || (),
            |_, r| r.start,
            |_, start| {
                if start > 0 {
                    Err(crate::error::Error::Internal("stop".into()))
                } else {
                    Ok(())
                }
            },
        );
        assert!(result.is_err());
    }
}
