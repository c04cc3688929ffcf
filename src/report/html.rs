//! What every `index.html` shares: one self-contained page per output folder (no network, no
//! JavaScript), its style, figures and notes, and the way numbers are written for people:
//! alignments, ranges, differences with their intervals, and probabilities ("< 0.5 %" rather
//! than "0 % (0–0)").

use super::{CHARTS, Drawn};
use crate::error::Result;
use crate::output::AtomicFile;
use crate::statistics::wilson;
use std::fmt::Write;
use std::path::{Path, PathBuf};

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:0 auto;\
padding:1em;color:#222;line-height:1.45;overflow-wrap:break-word}h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}\
h3{margin-top:1.4em}figure{margin:1.2em 0}img{max-width:100%;height:auto;border:1px solid #eee}\
figcaption{font-size:.9em;color:#555}.table{overflow-x:auto}table{border-collapse:collapse;font-size:.92em}\
th,td{padding:.3em .6em;border-bottom:1px solid #eee;text-align:right;vertical-align:top}\
td{white-space:nowrap}th:first-child,td:first-child{text-align:left;white-space:normal;min-width:8em}\
th.text,td.text{text-align:left;white-space:normal;min-width:14em}.west{color:#2166ac}.moscow{color:#b2182b}\
.muted{color:#666;font-size:.9em}details{margin:.4em 0}summary{cursor:pointer}\
.note{color:#555;font-style:italic;margin:.6em 0}.box{background:#f6f7f9;border-left:4px solid #8a8fa0;padding:.6em 1em;margin:1em 0}\
.headlines li{margin:.35em 0}.fans{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,460px),1fr));gap:0 1.2em}\
.fans figure{margin:.6em 0}";

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page's head and the opening of its body.
pub fn head(title: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body>\n",
        escape(title)
    )
}

/// The "Can I cite this?" box: which model ran (`model`: citizens or the aggregate public, and
/// where its coefficients came from) and what the model has shown it can forecast, with the
/// validation's figures (docs/VALIDATION.md, "Results").
pub fn cite_box(out: &mut String, model: &str) {
    let _ = writeln!(
        out,
        "<div class=\"box\"><b>Can I cite this?</b> As what this model says, given what it does not know — not as what will happen. {} \
What it has shown it can forecast: in hindcasts from 2014, 2017 and 2020 scored on what happened in 2020–2024, it has no skill over the base rates (Brier skill −0.20 to +0.18, every 95 % interval including 0), and its 90 % intervals held 70–80 % of the observations. Its forecasts of the European panel's UN ideal points, from rolling origins 2005–2019 and 1–5 years ahead, beat climatology and, from 3 years ahead, a random walk from the last session (CRPS skill +0.12 [+0.08, +0.15] over all); their 90 % intervals held 95 % of the sessions, their 50 % intervals 68 % (too wide). See docs/VALIDATION.md in the spheres repository.</div>",
        escape(model)
    );
}

/// A chart (its PNG, with a link to its SVG) and its caption.
pub fn figure(out: &mut String, chart: &str, caption: &str) {
    let _ = writeln!(
        out,
        "<figure><a href=\"{CHARTS}/{chart}.svg\"><img src=\"{CHARTS}/{chart}.png\" alt=\"{c}\" loading=\"lazy\"></a>\
<figcaption>{c} <a href=\"{CHARTS}/{chart}.svg\">Full size (SVG)</a></figcaption></figure>",
        c = escape(caption)
    );
}

/// The one line a page shows where a chart would have nothing to show.
pub fn note(out: &mut String, text: &str) {
    let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(text));
}

/// A chart if it was drawn, else its note (if any).
pub fn figure_or_note(out: &mut String, drawn: &Drawn, chart: &str, caption: &str) {
    if drawn.has(chart) {
        figure(out, chart, caption);
    } else if let Some(text) = drawn.note(chart) {
        note(out, text);
    }
}

/// [`figure_or_note`], then the note on what the chart leaves out (`CHART-flat`), if any.
pub fn figure_and_flat(out: &mut String, drawn: &Drawn, chart: &str, caption: &str) {
    figure_or_note(out, drawn, chart, caption);
    if let Some(text) = drawn.note(&format!("{chart}-flat")) {
        note(out, text);
    }
}

/// An alignment, signed, coloured toward its pole.
pub fn aligned(a: f64) -> String {
    aligned_to(a, 2)
}

fn aligned_to(a: f64, decimals: usize) -> String {
    // What rounds to zero is neither side's, and reads 0.00 (not −0.00).
    if a.abs() < 0.5 * 10f64.powi(-(decimals as i32)) {
        return format!("{:.decimals$}", 0.0);
    }
    let class = if a < 0.0 { "west" } else { "moscow" };
    format!("<span class=\"{class}\">{}</span>", signed(a, decimals))
}

/// A signed number with a true minus sign.
pub fn signed(a: f64, decimals: usize) -> String {
    let text = format!("{a:+.decimals$}");
    text.replacen('-', "−", 1)
}

/// A range of alignments (such as 90 % of runs) with enough decimals that its ends differ, or
/// the one value every run shares.
pub fn aligned_range(lo: f64, hi: f64) -> String {
    for decimals in 2..=4 {
        if signed(lo, decimals) != signed(hi, decimals) {
            return format!(
                "{} to {}",
                aligned_to(lo, decimals),
                aligned_to(hi, decimals)
            );
        }
    }
    format!("{} in every run", aligned(lo))
}

/// A paired difference with its 95 % interval as ± its half-width, in as many decimals as the
/// half-width needs (never "−0.41 to −0.41").
pub fn difference(d: f64, lo: f64, hi: f64) -> String {
    let half = (hi - lo).abs() / 2.0;
    if half == 0.0 {
        return format!(
            "{} <span class=\"muted\">(the same in every run)</span>",
            aligned(d)
        );
    }
    if half < 0.00005 {
        return format!("{} <span class=\"muted\">± &lt; 0.0001</span>", aligned(d));
    }
    let decimals = if half >= 0.005 {
        2
    } else {
        ((-half.log10()).ceil() as usize).clamp(3, 4)
    };
    format!(
        "{} <span class=\"muted\">± {:.decimals$}</span>",
        aligned(d),
        half
    )
}

/// The smallest of 0.5, 1, 2, 5, 10, 20, 50 (per cent) at or above `x`.
fn round_up_percent(x: f64) -> f64 {
    [0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
        .into_iter()
        .find(|v| *v >= x)
        .unwrap_or(100.0)
}

fn trim(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// The probability that `p` of `runs` runs estimate, for people: "37 %", "3.2 %"; and where no
/// run (or every run) had it, the bound its Wilson 95 % interval allows: "< 0.5 %" with 1000
/// runs, "< 2 %" with 200, "> 99.5 %".
pub fn probability(p: f64, runs: u64) -> String {
    escape(&probability_text(p, runs))
}

/// [`probability`] as plain text (not HTML).
pub fn probability_text(p: f64, runs: u64) -> String {
    let k = (p * runs as f64).round() as u64;
    let (lo, hi) = wilson(k, runs);
    if k == 0 {
        format!("< {} %", trim(round_up_percent(hi * 100.0)))
    } else if k >= runs {
        format!("> {} %", trim(100.0 - round_up_percent(100.0 - lo * 100.0)))
    } else if !(0.01..=0.99).contains(&p) {
        format!("{:.1} %", p * 100.0)
    } else {
        format!("{:.0} %", p * 100.0)
    }
}

/// A probability and, unless it is already a bound, its Wilson 95 % interval.
pub fn probability_with_range(p: f64, runs: u64) -> String {
    let k = (p * runs as f64).round() as u64;
    if k == 0 || k >= runs {
        return probability(p, runs);
    }
    let (lo, hi) = wilson(k, runs);
    let decimals = if lo < 0.1 || hi > 0.9 { 1 } else { 0 };
    format!(
        "{} <span class=\"muted\">({:.decimals$}–{:.decimals$})</span>",
        probability(p, runs),
        lo * 100.0,
        hi * 100.0
    )
}

/// The text with its first letter in upper case.
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// An indicator's chance in words (indicators.csv's `chance`) as a probability: "chance of
/// leaning to Moscow" reads "probability of leaning to Moscow"; words that do not start with
/// "chance " follow "probability: ".
pub fn probability_of(chance: &str) -> String {
    match chance.strip_prefix("chance ") {
        Some(rest) => format!("probability {rest}"),
        None => format!("probability: {chance}"),
    }
}

/// An indicator's label and unit as an axis reads them: "alignment (−1 West, +1 Moscow)" of
/// "alignment" and "−1 West … +1 Moscow".
pub fn axis_words(label: &str, unit: &str) -> String {
    format!("{label} ({})", unit.replace(" … ", ", "))
}

/// A change in probability in percentage points.
pub fn points(d: f64) -> String {
    if d.abs() < 0.0005 {
        "no change".into()
    } else if d.abs() < 0.01 {
        format!("{} points", signed(d * 100.0, 1))
    } else {
        format!("{} points", signed(d * 100.0, 0))
    }
}

/// Ends a page: its Data section (links to those of `files` that the folder has), then writes
/// it as the folder's index.html.
pub fn write_page(dir: &Path, mut out: String, files: &[&str]) -> Result<PathBuf> {
    out.push_str("<h2>Data</h2><ul>");
    for f in files {
        if dir.join(f).exists() {
            let _ = write!(out, "<li><a href=\"{f}\">{f}</a></li>");
        }
    }
    out.push_str("</ul>\n</body></html>\n");
    AtomicFile::write(dir, "index.html", out.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_read_as_people_say_them() {
        assert_eq!(probability(0.0, 1000), "&lt; 0.5 %");
        assert_eq!(probability(0.0, 200), "&lt; 2 %");
        assert_eq!(probability(1.0, 1000), "&gt; 99.5 %");
        assert_eq!(probability(0.366, 1000), "37 %");
        assert_eq!(probability(0.004, 1000), "0.4 %");
        assert!(!probability_with_range(0.0, 1000).contains("0–0"));
    }

    #[test]
    fn intervals_never_read_the_same_at_both_ends() {
        let d = difference(-0.4107, -0.4109, -0.4105);
        assert!(d.contains("± 0.0002"), "{d}");
        assert!(difference(-0.01, -0.010008, -0.009992).contains("± &lt; 0.0001"));
        assert!(aligned_range(0.6541, 0.6549).contains("0.654"));
        assert!(difference(0.0, 0.0, 0.0).contains("every run"));
        assert_eq!(signed(-0.5, 2), "−0.50");
    }

    #[test]
    fn an_indicators_words_compose_into_the_pages_phrases() {
        assert_eq!(
            capitalise(&probability_of("chance of leaning to Moscow")),
            "Probability of leaning to Moscow"
        );
        assert_eq!(probability_of("odds of rain"), "probability: odds of rain");
        assert_eq!(
            axis_words("alignment", "−1 West … +1 Moscow"),
            "alignment (−1 West, +1 Moscow)"
        );
        assert_eq!(capitalise(""), "");
    }
}
