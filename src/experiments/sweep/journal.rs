//! The journal of a sweep: results.csv while it is being written (`.results.partial.csv`),
//! appended and synced one block of points at a time, so that it survives any stop and
//! `--resume` can continue it.

use super::SweepOptions;
use crate::error::{Error, Result};
use crate::scenario::Sweep;
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// The journal of finished points: results.csv being written, kept across interruptions.
pub(super) const JOURNAL: &str = ".results.partial.csv";

/// The journal of a sweep's folder, open for appending rows.
pub(super) struct Journal {
    dir: PathBuf,
    file: File,
    /// Points it held when opened (resuming), from the slice's first point.
    done: usize,
}

impl Journal {
    /// Opens the journal of `dir` for the points from `start`: a new one holding `header`, or,
    /// resuming, the existing one checked against `header` and trimmed after its last
    /// complete row of consecutive points.
    pub fn open(dir: &Path, header: &str, start: usize, resume: bool) -> Result<Journal> {
        let path = dir.join(JOURNAL);
        let done = if !resume || !path.exists() {
            fs::write(&path, header).map_err(|e| Error::io(&path, e))?;
            0
        } else {
            trim(&path, header, start)?
        };
        let file = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        Ok(Journal {
            dir: dir.to_path_buf(),
            file,
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
            .map_err(|e| Error::io(self.dir.join(JOURNAL), e))
    }

    /// Closes the complete journal and renames it results.csv; returns that path.
    pub fn finish(self) -> Result<PathBuf> {
        let results = self.dir.join("results.csv");
        drop(self.file);
        fs::rename(self.dir.join(JOURNAL), &results).map_err(|e| Error::io(&results, e))?;
        Ok(results)
    }
}

/// Checks a journal's header and keeps its rows of consecutive points from `start` that are
/// complete lines, cutting the file after them; returns how many it kept.
fn trim(path: &Path, header: &str, start: usize) -> Result<usize> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = BufReader::new(file);
    let mut line = String::new();
    let mut keep = 0u64;
    let mut done = 0usize;
    reader
        .read_line(&mut line)
        .map_err(|e| Error::io(path, e))?;
    if line != header {
        return Err(Error::Refused(format!(
            "{}: written by a different sweep; start afresh without --resume",
            path.display()
        )));
    }
    keep += line.len() as u64;
    loop {
        line.clear();
        let n = reader
            .read_line(&mut line)
            .map_err(|e| Error::io(path, e))?;
        if n == 0
            || !line.ends_with('\n')
            || line.split(',').next() != Some((start + done).to_string().as_str())
        {
            break;
        }
        keep += n as u64;
        done += 1;
    }
    let f = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    f.set_len(keep).map_err(|e| Error::io(path, e))?;
    Ok(done)
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
