//! The terminal: lines on stderr (`say!`), results on stdout, and `Console`, the library's
//! `Terminal` (notes, warnings, estimates, the question before a very large job, the progress
//! bar).

use spheres::experiments::{Estimate, Label, Progress, Tell, Terminal, progress_text};
use std::io::Write;
use std::path::PathBuf;

/// A line on standard error; if that fails too (`2>/dev/full`), there is no one to tell.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
pub(crate) use say;

/// Writes `text` to standard output. A closed pipe (`spheres sample … | head`) ends the
/// program quietly with exit 0, as Unix tools do; any other failure is an I/O error (exit 1).
pub fn stdout(text: &str) -> spheres::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(source) => Err(spheres::Error::Io {
            path: PathBuf::from("<standard output>"),
            source,
        }),
    }
}

/// The command line's terminal: notes and warnings on stderr, the estimate of a long job
/// (unless `--quiet`), a question before a very large one, a progress bar while stderr is a
/// terminal (unless `--quiet`).
#[derive(Debug)]
pub struct Console {
    /// `--quiet`: no estimate, no progress bar.
    pub quiet: bool,
}

impl Terminal for Console {
    fn tell(&self, kind: Tell, text: &str) {
        match kind {
            Tell::Note => say!("note: {text}"),
            Tell::Warning => say!("warning: {text}"),
            Tell::Estimate if !self.quiet => say!("{text}"),
            Tell::Estimate => {}
        }
    }

    /// Asks at the terminal; without a terminal to ask at, the answer is no (pass --yes).
    fn confirm(&self, estimate: &Estimate) -> bool {
        use std::io::{BufRead, IsTerminal};
        if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
            return false;
        }
        say!("{estimate}");
        let _ = write!(std::io::stderr(), "continue? [y/N] ");
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer).is_ok()
            && answer.trim().eq_ignore_ascii_case("y")
    }

    /// A bar on stderr: the label, the items done, the rate and, once it means something, the
    /// time left (`progress_text`); hidden with `--quiet` or when stderr is not a terminal.
    fn progress(&self, label: &Label, total: u64) -> Box<dyn Progress> {
        use indicatif::{ProgressBar, ProgressState, ProgressStyle};
        use std::io::IsTerminal;
        if self.quiet || !std::io::stderr().is_terminal() {
            return Box::new(Bar(ProgressBar::hidden()));
        }
        let bar = ProgressBar::new(total);
        let unit = label.unit;
        let text = move |state: &ProgressState| {
            progress_text(
                state.pos(),
                state.len().unwrap_or(0),
                state.elapsed().as_secs_f64(),
                unit,
            )
        };
        let style = ProgressStyle::with_template(&format!(
            "{{prefix}} {{bar:30}} {{pos}}/{{len}} {unit}  {{rate}}  {{elapsed}} elapsed{{left}}"
        ))
        .map(|style| {
            style
                .with_key(
                    "rate",
                    move |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&text(s).0);
                    },
                )
                .with_key(
                    "left",
                    move |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&text(s).1);
                    },
                )
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_prefix(label.text.clone());
        Box::new(Bar(bar))
    }
}

/// An indicatif progress bar as the library's `Progress`.
struct Bar(indicatif::ProgressBar);

impl Progress for Bar {
    fn advance(&mut self, items: u64) {
        self.0.inc(items);
    }
    fn finish(&mut self) {
        self.0.finish_and_clear();
    }
}
