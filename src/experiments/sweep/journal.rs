//! The journals of a sweep: results.csv (and runs.csv, series.csv) while they are being
//! written (`.results.partial.csv`, …), appended and synced one block at a time, so that they
//! survive any stop and `--resume` can continue them.

use super::SweepOptions;
use crate::error::{Error, Result};
use crate::scenario::Sweep;
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// The journals of a sweep's folder, one per file written point by point: results.csv (its
/// rows commit points: written last for each block), and runs.csv and series.csv when asked.
pub(super) const JOURNALS: [(&str, &str); 3] = [
    ("results.csv", ".results.partial.csv"),
    ("runs.csv", ".runs.partial.csv"),
    ("series.csv", ".series.partial.csv"),
];

/// Rows of one block for a sweep's journals, in the order they are appended.
#[derive(Default)]
pub(super) struct Rows {
    /// runs.csv's: the block's runs.
    pub runs: Vec<u8>,
    /// series.csv's: the points the block completed.
    pub series: Vec<u8>,
    /// results.csv's: the points the block completed.
    pub results: Vec<u8>,
}

/// The header of a journal and its rows per point, for runs.csv and series.csv when asked.
pub(super) type Extra = Option<(String, u64)>;

/// A sweep's open journals: results.csv's, and runs.csv's and series.csv's when asked.
pub(super) struct Journals {
    results: Journal,
    runs: Option<Journal>,
    series: Option<Journal>,
}

impl Journals {
    /// Opens the journals of `dir` for the points from `start`: new ones, or (`resume`) the
    /// existing ones, cut at the last point results.csv's holds. A resume that would leave a
    /// journal of points already done behind, or find one missing, is refused: the sweep ran
    /// with other flags.
    pub fn open(
        dir: &Path,
        start: usize,
        resume: bool,
        results_header: &str,
        runs: Extra,
        series: Extra,
    ) -> Result<Journals> {
        let keep = if resume {
            Keep::Complete
        } else {
            Keep::Nothing
        };
        let results = Journal::open(dir, "results.csv", results_header, start, 1, keep)?;
        let keep = if resume {
            Keep::Points(results.done())
        } else {
            Keep::Nothing
        };
        let open = |file: &str, extra: Extra| -> Result<Option<Journal>> {
            match extra {
                Some((header, rows)) => {
                    Journal::open(dir, file, &header, start, rows, keep).map(Some)
                }
                None => {
                    let journal = JOURNALS
                        .iter()
                        .find(|(f, _)| *f == file)
                        .map(|(_, j)| dir.join(j));
                    match journal {
                        Some(j) if resume && results.done() > 0 && j.exists() => {
                            Err(Error::Refused(format!(
                                "{}: the sweep ran with {}; resume with the same flags, or start afresh without --resume",
                                j.display(),
                                if file == "runs.csv" {
                                    "--per-run"
                                } else {
                                    "--series"
                                }
                            )))
                        }
                        _ => Ok(None),
                    }
                }
            }
        };
        let runs = open("runs.csv", runs)?;
        let series = open("series.csv", series)?;
        Ok(Journals {
            results,
            runs,
            series,
        })
    }

    /// Points done when opened.
    pub fn done(&self) -> usize {
        self.results.done()
    }

    /// Appends a block's rows: runs.csv's and series.csv's first, then results.csv's, whose
    /// rows say which points are done.
    pub fn append(&mut self, rows: &Rows) -> Result<()> {
        for (journal, bytes) in [
            (&mut self.runs, &rows.runs),
            (&mut self.series, &rows.series),
        ] {
            if let Some(j) = journal {
                j.append(bytes)?;
            }
        }
        self.results.append(&rows.results)
    }

    /// Renames the complete journals to their files.
    pub fn finish(self) -> Result<()> {
        for j in [self.runs, self.series].into_iter().flatten() {
            j.finish()?;
        }
        self.results.finish()
    }
}

/// The journal of one file of a sweep's folder, open for appending rows.
pub(super) struct Journal {
    /// The finished file's path, and the journal's.
    path: PathBuf,
    journal: PathBuf,
    file: File,
    /// Points it held when opened (resuming), from the slice's first point.
    done: usize,
}

/// Which rows of a journal `--resume` keeps.
#[derive(Clone, Copy)]
pub(super) enum Keep {
    /// None: a new journal.
    Nothing,
    /// Every complete point from the slice's first (results.csv, which commits points).
    Complete,
    /// Exactly this many points (runs.csv and series.csv, as many as results.csv holds); a
    /// journal with fewer is refused.
    Points(usize),
}

impl Journal {
    /// Opens the journal of `file` (one of [`JOURNALS`]) in `dir` for the points from
    /// `start`, `rows_per_point` rows each: a new one holding `header`, or the existing one
    /// checked against `header` and cut after the rows `keep` keeps.
    pub fn open(
        dir: &Path,
        file: &str,
        header: &str,
        start: usize,
        rows_per_point: u64,
        keep: Keep,
    ) -> Result<Journal> {
        let journal = JOURNALS
            .iter()
            .find(|(f, _)| *f == file)
            .map(|(_, j)| dir.join(j))
            .ok_or_else(|| Error::Internal(format!("{file} has no journal")))?;
        let done = match keep {
            Keep::Nothing => {
                fs::write(&journal, header).map_err(|e| Error::io(&journal, e))?;
                0
            }
            Keep::Complete => trim(&journal, header, start, rows_per_point, None)?,
            Keep::Points(points) => trim(&journal, header, start, rows_per_point, Some(points))?,
        };
        let file_handle = OpenOptions::new()
            .append(true)
            .open(&journal)
            .map_err(|e| Error::io(&journal, e))?;
        Ok(Journal {
            path: dir.join(file),
            journal,
            file: file_handle,
            done,
        })
    }

    /// Points the journal held when opened.
    pub fn done(&self) -> usize {
        self.done
    }

    /// Appends rows and syncs them to disk.
    pub fn append(&mut self, rows: &[u8]) -> Result<()> {
        self.file
            .write_all(rows)
            .and_then(|_| self.file.sync_data())
            .map_err(|e| Error::io(&self.journal, e))
    }

    /// Closes the complete journal and renames it to its file.
    pub fn finish(self) -> Result<()> {
        drop(self.file);
        fs::rename(&self.journal, &self.path).map_err(|e| Error::io(&self.path, e))
    }
}

/// Checks a journal's header and keeps its complete lines from the first, line i being of
/// point `start + i / rows_per_point`, cutting the file after them: every whole point it
/// holds, or exactly `points` points (refused if it holds fewer). Returns the points kept.
fn trim(
    path: &Path,
    header: &str,
    start: usize,
    rows_per_point: u64,
    points: Option<usize>,
) -> Result<usize> {
    let missing = || {
        Error::Refused(format!(
            "{}: missing (or damaged), yet results.csv's journal holds finished points: the sweep ran with other flags (--per-run, --series); resume with the same ones, or start afresh without --resume",
            path.display()
        ))
    };
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return match points {
                Some(p) if p > 0 => Err(missing()),
                _ => {
                    fs::write(path, header).map_err(|e| Error::io(path, e))?;
                    Ok(0)
                }
            };
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut reader = BufReader::new(file);
    let mut line = String::new();
    reader
        .read_line(&mut line)
        .map_err(|e| Error::io(path, e))?;
    if line != header {
        return Err(Error::Refused(format!(
            "{}: written by a different sweep (or other flags); start afresh without --resume",
            path.display()
        )));
    }
    let mut keep = line.len() as u64;
    let limit = points.map(|p| p as u64 * rows_per_point);
    let mut rows = 0u64;
    while limit.is_none_or(|l| rows < l) {
        line.clear();
        let n = reader
            .read_line(&mut line)
            .map_err(|e| Error::io(path, e))?;
        let point = start as u64 + rows / rows_per_point;
        if n == 0
            || !line.ends_with('\n')
            || line.split(',').next() != Some(point.to_string().as_str())
        {
            break;
        }
        keep += n as u64;
        rows += 1;
    }
    if limit.is_some_and(|l| rows < l) {
        return Err(missing());
    }
    let f = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    f.set_len(keep).map_err(|e| Error::io(path, e))?;
    Ok((rows / rows_per_point) as usize)
}

/// The folder of the sweep `--resume` continues: `--out`, made by the same sweep file, marked
/// incomplete again.
pub(super) fn resume_dir(opts: &SweepOptions, s: &Sweep) -> Result<PathBuf> {
    let Some(dir) = opts.ensemble.out.clone() else {
        return Err(Error::Input(
            "--resume needs --out DIR: the folder of the sweep to continue".into(),
        ));
    };
    let previous = fs::read_to_string(dir.join("sweep.toml")).map_err(|_| {
        Error::Input(format!(
            "{}: holds no sweep to resume (no sweep.toml); run without --resume",
            dir.display()
        ))
    })?;
    if previous != s.text {
        return Err(Error::Refused(format!(
            "{}: was made by a different sweep file or other --set values; resume needs the same ones",
            dir.display()
        )));
    }
    Ok(dir)
}
