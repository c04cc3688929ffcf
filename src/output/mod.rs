//! Writing results: choosing and guarding the output folder, writing each file under a
//! temporary name and renaming it only when complete, and the CSV and JSON formats.

pub mod columns;
pub mod dictionary;
pub mod manifest;
mod typed_rows;

use crate::error::{Error, Result};
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Decimal places of every statistic in the CSV files ([`number`]); the parameter values of
/// designs (points.csv, `spheres sample`) are written exactly ([`exact`]).
pub const DECIMALS: usize = 6;

/// Picks the output folder and makes sure writing there overwrites nothing unasked.
/// With `dir`, it must be absent or empty unless `force`, and apart from every input (see
/// [`check_apart`]); without, a new folder `<base>/<name>-<YYYYMMDD-HHMMSS>` is made (with a
/// suffix if that exists already).
pub fn prepare_dir(
    dir: Option<&Path>,
    base: &Path,
    name: &str,
    force: bool,
    inputs: &[PathBuf],
) -> Result<PathBuf> {
    let dir = match dir {
        Some(d) => {
            check_apart(d, inputs)?;
            // Checked where the folder really is (`gone/../work` is `work`).
            let real = real_path(d);
            if real.exists() && !real.is_dir() {
                return Err(Error::Refused(format!(
                    "{}: exists and is not a folder; choose another --out",
                    d.display()
                )));
            }
            let non_empty = real.is_dir()
                && fs::read_dir(&real)
                    .map_err(|e| Error::io(d, e))?
                    .next()
                    .is_some();
            if non_empty && !force {
                return Err(Error::Refused(format!(
                    "{}: folder is not empty; pass --force to overwrite its results, or choose another --out",
                    d.display()
                )));
            }
            if non_empty {
                clear_results(&real)?;
            }
            d.to_path_buf()
        }
        None => {
            let stamp = utc_stamp(std::time::SystemTime::now());
            let mut candidate = base.join(format!("{name}-{stamp}"));
            let mut k = 2;
            while candidate.exists() {
                candidate = base.join(format!("{name}-{stamp}-{k}"));
                k += 1;
            }
            candidate
        }
    };
    fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    Ok(dir)
}

/// Refuses an output folder that is an input, holds one, or lies inside an input folder:
/// `--force` would clear what the command reads (a shard of a merge, the scenario file), and
/// files would be written among the inputs. Checked before anything is touched.
pub fn check_apart(out: &Path, inputs: &[PathBuf]) -> Result<()> {
    let out_abs = real_path(out);
    for input in inputs {
        let input_abs = real_path(input);
        let relation = if out_abs == input_abs {
            "is the input"
        } else if input_abs.starts_with(&out_abs) {
            "holds the input"
        } else if out_abs.starts_with(&input_abs) {
            "lies inside the input folder"
        } else {
            continue;
        };
        return Err(Error::Refused(format!(
            "{}: the output folder {relation} {}; choose an --out apart from the command's inputs",
            out.display(),
            input.display()
        )));
    }
    Ok(())
}

/// `path` made absolute, component by component: symbolic links resolved where the path
/// exists, `.` dropped and `..` taken back where it does not, so that two spellings of one
/// place (`work`, `./gone/../work`, a link to it) compare equal.
fn real_path(path: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut real = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                real.pop();
            }
            Component::Normal(name) => {
                real.push(name);
                if let Ok(resolved) = real.canonicalize() {
                    real = resolved;
                }
            }
            Component::RootDir | Component::Prefix(_) => real.push(component),
        }
    }
    real
}

/// Files spheres writes in an output folder (any experiment), and its folder of charts.
const WRITTEN: &[&str] = &[
    "manifest.json",
    "INCOMPLETE",
    "summary.csv",
    "indicators.csv",
    "outcomes.csv",
    "events.csv",
    "trajectories.csv",
    "trace.csv",
    "comparison.csv",
    "channels.csv",
    "forecast.csv",
    "scores.csv",
    "skill.csv",
    "pit.csv",
    "hindcast.csv",
    "reliability.csv",
    "levers.csv",
    "points.csv",
    "results.csv",
    "sensitivity.csv",
    "sweep.toml",
    "ema.tar.gz",
    "runs.csv",
    "series.csv",
    ".results.partial.csv",
    ".runs.partial.csv",
    ".series.partial.csv",
    "scenario.resolved.toml",
    "index.html",
    "charts",
];

/// Removes from `dir` everything an earlier spheres command wrote there — its files, charts,
/// and the subfolders of a comparison (those holding a `scenario.resolved.toml`) — so that
/// `--force` leaves only the new results. Files spheres does not write are left alone, and so
/// are hidden `.NAME.partial` files: never taken for results, and overwritten when written.
fn clear_results(dir: &Path) -> Result<()> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type().map_err(|e| Error::io(&path, e))?;
        let ours = WRITTEN.contains(&name.as_str())
            || (kind.is_dir() && path.join("scenario.resolved.toml").is_file());
        if !ours {
            continue;
        }
        let removed = if kind.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        removed.map_err(|e| Error::io(&path, e))?;
    }
    Ok(())
}

/// Name of the marker that says a folder's results are being written or were interrupted.
pub const INCOMPLETE: &str = "INCOMPLETE";

/// Marks `dir` as holding incomplete results until [`mark_complete`]: writes INCOMPLETE and
/// removes any earlier manifest.json, so that no reader takes a mix of old and new files for
/// a finished run.
pub fn mark_incomplete(dir: &Path) -> Result<()> {
    AtomicFile::write(
        dir,
        INCOMPLETE,
        b"spheres is writing results here, or was stopped before it finished: they are not complete.\n\
Run the command again (with --force) to replace them.\n",
    )?;
    let manifest = dir.join(manifest::FILE);
    match fs::remove_file(&manifest) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(&manifest, e)),
        _ => Ok(()),
    }
}

/// Removes the INCOMPLETE marker, once manifest.json is written.
pub fn mark_complete(dir: &Path) -> Result<()> {
    let marker = dir.join(INCOMPLETE);
    fs::remove_file(&marker).map_err(|e| Error::io(&marker, e))
}

/// `YYYYMMDD-HHMMSS` in UTC.
pub fn utc_stamp(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}{m:02}{d:02}-{:02}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A file written under a temporary name (`.NAME.partial`) and renamed to NAME by
/// [`AtomicFile::commit`]; dropped uncommitted, the temporary file is removed.
pub struct AtomicFile {
    path: PathBuf,
    temp: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Opens `.NAME.partial` in `dir` for writing.
    pub fn create(dir: &Path, name: &str) -> Result<AtomicFile> {
        let path = dir.join(name);
        let temp = dir.join(format!(".{name}.partial"));
        let file = File::create(&temp).map_err(|e| Error::io(&temp, e))?;
        Ok(AtomicFile {
            path,
            temp,
            writer: Some(BufWriter::with_capacity(1 << 16, file)),
        })
    }

    /// Writes `bytes` to the temporary file.
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        let Some(w) = self.writer.as_mut() else {
            return Err(Error::Internal(format!(
                "{}: written after commit",
                self.path.display()
            )));
        };
        w.write_all(bytes).map_err(|e| Error::io(&self.temp, e))
    }

    /// Flushes, syncs and renames the file to its final name.
    pub fn commit(mut self) -> Result<PathBuf> {
        let Some(w) = self.writer.take() else {
            return Err(Error::Internal(format!(
                "{}: committed twice",
                self.path.display()
            )));
        };
        let file = w
            .into_inner()
            .map_err(|e| Error::io(&self.temp, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&self.temp, e))?;
        fs::rename(&self.temp, &self.path).map_err(|e| Error::io(&self.path, e))?;
        Ok(self.path.clone())
    }

    /// Writes `bytes` as a whole file `dir/name`, atomically.
    pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
        let mut f = AtomicFile::create(dir, name)?;
        f.write_all(bytes)?;
        f.commit()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// A CSV writer into memory, for rows formatted on worker threads.
pub fn csv_buffer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new())
}

/// The bytes of a CSV buffer, emptying it for reuse.
pub fn take_csv(w: &mut csv::Writer<Vec<u8>>) -> Result<Vec<u8>> {
    let full = std::mem::replace(w, csv_buffer());
    Ok(full.into_inner()?)
}

/// An error reading the CSV table at `path`, naming it: an I/O failure (exit 1), or a table
/// that does not parse (bad input, exit 2).
pub fn table_error(path: &Path, e: csv::Error) -> Error {
    let text = e.to_string();
    match e.into_kind() {
        csv::ErrorKind::Io(source) => Error::io(path, source),
        _ => Error::Input(format!("{}: {text}", path.display())),
    }
}

/// The header of a CSV table being read from `path`.
fn header<R: std::io::Read>(reader: &mut csv::Reader<R>, path: &Path) -> Result<Vec<String>> {
    let header = reader.headers().map_err(|e| table_error(path, e))?;
    Ok(header.iter().map(String::from).collect())
}

/// A streaming reader of the CSV table at `path` (past its header) and the header; errors name
/// the file (see [`table_error`]).
pub fn open_table(path: &Path) -> Result<(csv::Reader<std::fs::File>, Vec<String>)> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| table_error(path, e))?;
    let header = header(&mut reader, path)?;
    Ok((reader, header))
}

/// A CSV file's header and rows, as text.
pub fn read_table(path: &Path) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let bytes = read_input(path).map_err(|e| input_error(path, e))?;
    parse_table(path, &bytes)
}

/// [`read_table`] of the bytes already read from `path` (which errors name).
pub fn parse_table(path: &Path, bytes: &[u8]) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    let mut reader = csv::Reader::from_reader(bytes);
    let header = header(&mut reader, path)?;
    let rows = reader
        .records()
        .map(|r| {
            r.map(|r| r.iter().map(String::from).collect())
                .map_err(|e| table_error(path, e))
        })
        .collect::<Result<_>>()?;
    Ok((header, rows))
}

/// Largest input file spheres reads (scenario, sweep, parameter, sample and output tables).
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// Reads an input file: only a regular file (not a folder, device or pipe, which could be
/// endless or block), of at most [`MAX_INPUT_BYTES`]. Refusals are `InvalidInput` errors whose
/// message says why; see [`input_error`].
pub fn read_input(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::{ErrorKind, Read};
    let refuse = |why: String| std::io::Error::new(ErrorKind::InvalidInput, why);
    let meta = fs::metadata(path)?;
    if meta.is_dir() {
        return Err(refuse("is a folder; expected a file".into()));
    }
    if !meta.is_file() {
        return Err(refuse(
            "is not a regular file (a device, pipe or socket); expected a file".into(),
        ));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(refuse(format!(
            "is {} MB; input files may be at most {} MB",
            meta.len() >> 20,
            MAX_INPUT_BYTES >> 20
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    File::open(path)?
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(refuse(format!(
            "grew past {} MB while being read",
            MAX_INPUT_BYTES >> 20
        )));
    }
    Ok(bytes)
}

/// The error for a failed [`read_input`]: a refusal or a missing file is bad input (exit 2),
/// anything else an I/O failure (exit 1).
pub fn input_error(path: &Path, e: std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::InvalidInput => Error::Input(format!("{}: {e}", path.display())),
        std::io::ErrorKind::NotFound => Error::Input(format!("{}: no such file", path.display())),
        _ => Error::io(path, e),
    }
}

/// [`read_input`] as UTF-8 text.
pub fn read_input_text(path: &Path) -> Result<String> {
    let bytes = read_input(path).map_err(|e| input_error(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        Error::Input(format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// A number as written in every CSV: fixed decimals, no "-0".
pub fn number(v: f64) -> String {
    let s = format!("{v:.DECIMALS$}");
    if s.starts_with('-') && s[1..].bytes().all(|b| b == b'0' || b == b'.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// `17900` → `17,900`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A statistic in a typed row (`columns`): serialised as [`number`] writes it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Number(pub f64);

impl serde::Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&number(self.0))
    }
}

/// A parameter value as written in points.csv and sample tables: plain decimal digits (no
/// exponent: `150`, `0.1`, `0.0000001`), the shortest text that reads back to the same number,
/// and no "-0".
pub fn exact(v: f64) -> String {
    if v == 0.0 {
        "0".to_string()
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_numbers_are_plain_decimals_that_read_back() {
        assert_eq!(exact(150.0), "150");
        assert_eq!(exact(0.1), "0.1");
        assert_eq!(exact(-2.5), "-2.5");
        assert_eq!(exact(-0.0), "0");
        assert_eq!(exact(1e-7), "0.0000001");
        let mut x = 0.123_456_789_f64;
        for _ in 0..200 {
            x = (x * 7919.0 + 0.31).fract() * 3000.0 - 1500.0;
            let text = exact(x);
            assert!(!text.contains(['e', 'E']), "{text}");
            assert_eq!(
                text.parse::<f64>().unwrap().to_bits(),
                x.to_bits(),
                "{text}"
            );
        }
    }

    #[test]
    fn stamps_are_calendar_dates() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_764_035_725);
        assert_eq!(utc_stamp(t), "20251125-015525");
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn numbers_have_fixed_decimals_and_no_negative_zero() {
        assert_eq!(number(0.5), "0.500000");
        assert_eq!(number(-1e-9), "0.000000");
        assert_eq!(number(-0.25), "-0.250000");
    }
}
