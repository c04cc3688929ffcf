//! `index.html`: one self-contained page per output folder (no network, no JavaScript), with
//! the scenario's description, the key numbers, every chart, and links to the data.

use super::CHARTS;
use super::data::{Difference, Series};
use crate::error::Result;
use crate::output::AtomicFile;
use crate::output::manifest::{self, Manifest};
use crate::scenario::Scenario;
use crate::statistics::wilson;
use std::fmt::Write;
use std::path::{Path, PathBuf};

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:0 auto;\
padding:1em;color:#222;line-height:1.45}h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}\
figure{margin:1.2em 0}img{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:.9em;color:#555}\
.table{overflow-x:auto}table{border-collapse:collapse;font-size:.92em}th,td{padding:.3em .6em;border-bottom:1px solid #eee;\
text-align:right}th:first-child,td:first-child{text-align:left}.west{color:#2166ac}.moscow{color:#b2182b}\
.muted{color:#666;font-size:.9em}details{margin:.4em 0}";

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn head(title: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body>\n",
        escape(title)
    )
}

fn figure(out: &mut String, chart: &str, caption: &str) {
    let _ = writeln!(
        out,
        "<figure><img src=\"{CHARTS}/{chart}.png\" alt=\"{c}\" loading=\"lazy\"><figcaption>{c} \
<a href=\"{CHARTS}/{chart}.svg\">SVG</a></figcaption></figure>",
        c = escape(caption)
    );
}

fn aligned(a: f64) -> String {
    let class = if a < 0.0 { "west" } else { "moscow" };
    format!("<span class=\"{class}\">{a:+.2}</span>")
}

fn percent(p: f64, runs: u64) -> String {
    let (lo, hi) = wilson((p * runs as f64).round() as u64, runs);
    format!(
        "{:.0} % <span class=\"muted\">({:.0}–{:.0})</span>",
        p * 100.0,
        lo * 100.0,
        hi * 100.0
    )
}

fn links(out: &mut String, dir: &Path, files: &[&str]) {
    out.push_str("<h2>Data</h2><ul>");
    for f in files {
        if dir.join(f).exists() {
            let _ = write!(out, "<li><a href=\"{f}\">{f}</a></li>");
        }
    }
    out.push_str("</ul>\n");
}

/// The page of one scenario's ensemble.
pub fn run_page(
    dir: &Path,
    scenario: &Scenario,
    series: &Series,
    m: &Manifest,
    charts: &[String],
    parent: Option<&str>,
) -> Result<PathBuf> {
    let meta = &scenario.scenario;
    let end = series.start.plus(series.months as i64);
    let mut out = head(&format!("{} — spheres", meta.name));
    if let Some(p) = parent {
        let _ = writeln!(out, "<p><a href=\"{p}\">← the comparison</a></p>");
    }
    let _ = writeln!(
        out,
        "<h1>{}</h1><p>{}</p><p class=\"muted\">{} runs, seed {}, {} to {} ({} months). Alignment runs from −1 \
(the West) to +1 (Moscow); a state leans to Moscow above {:.2}.</p>",
        escape(&meta.name),
        escape(&meta.description),
        m.runs,
        m.seed,
        series.start,
        end,
        series.months,
        scenario.params.leaning_threshold
    );
    out.push_str("<h2>Key numbers at the horizon</h2><div class=\"table\"><table><tr><th>state</th>\
<th>alignment at start</th><th>median at horizon</th><th>90 % of runs</th><th>leans to Moscow</th><th>EU member</th>\
<th>NATO member</th></tr>\n");
    for unit in &series.units {
        let (Some(first), Some(last)) = (
            series.get(unit, "alignment").and_then(|s| s.first()),
            series.last(unit, "alignment"),
        ) else {
            continue;
        };
        let p = |i: &str| {
            series
                .last(unit, i)
                .map_or_else(String::new, |s| percent(s.mean, m.runs))
        };
        let name = scenario
            .state
            .iter()
            .find(|s| &s.code == unit)
            .map_or(unit.as_str(), |s| s.name.as_str());
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} to {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(name),
            aligned(first.q[2]),
            aligned(last.q[2]),
            aligned(last.q[0]),
            aligned(last.q[4]),
            p("moscow_leaning"),
            p("eu_member"),
            p("nato_member")
        );
    }
    out.push_str("</table></div>\n");
    if let (Some(mean), Some(count), Some(adriatic), Some(bondsteel)) = (
        series.last("region", "mean_alignment"),
        series.last("region", "moscow_leaning_states"),
        series.last("region", "adriatic_access"),
        series.last("region", "asset_near_bondsteel"),
    ) {
        let _ = writeln!(
            out,
            "<p>Region: mean alignment {} (median); {:.2} Moscow-leaning states expected; Russian naval access on \
the Adriatic in {}; a Russian asset within reach of Camp Bondsteel in {} of runs.</p>",
            aligned(mean.q[2]),
            count.mean,
            percent(adriatic.mean, m.runs),
            percent(bondsteel.mean, m.runs)
        );
    }
    out.push_str("<h2>Charts</h2>\n");
    let captions = [
        ("regional", "Regional indicators over time."),
        (
            "map",
            "Each state at its capital, coloured by its median alignment at the horizon; lines join neighbours.",
        ),
        (
            "leaning",
            "Probability of leaning to Moscow at the horizon, with Wilson 95 % intervals.",
        ),
        (
            "fans",
            "Every state's alignment on one scale: median, 50 % and 90 % of runs.",
        ),
    ];
    for (chart, caption) in captions {
        if charts.iter().any(|c| c == chart) {
            figure(&mut out, chart, caption);
        }
    }
    out.push_str("<h2>Each state</h2>\n");
    for chart in charts.iter().filter(|c| c.starts_with("fan-")) {
        let _ = write!(out, "<details><summary>{}</summary>", escape(&chart[4..]));
        figure(
            &mut out,
            chart,
            "Median alignment, 50 % and 90 % bands; dashed: the leaning thresholds; vertical lines: median date of threshold events.",
        );
        out.push_str("</details>\n");
    }
    links(
        &mut out,
        dir,
        &[
            "summary.csv",
            "outcomes.csv",
            "events.csv",
            "scenario.resolved.toml",
            "manifest.json",
        ],
    );
    out.push_str("</body></html>\n");
    AtomicFile::write(dir, "index.html", out.as_bytes())
}

/// The page of a comparison.
pub fn compare_page(
    dir: &Path,
    m: &Manifest,
    c: &manifest::Compare,
    folders: &[String],
    differences: &[Difference],
    charts: &[String],
) -> Result<PathBuf> {
    let baseline = folders.first().map_or("", String::as_str);
    let mut out = head(&format!("compare {} — spheres", folders.join(" · ")));
    let _ = writeln!(
        out,
        "<h1>{}</h1><p class=\"muted\">{} runs per scenario, seed {}, on common random numbers: run i of every \
scenario draws the same random numbers, so differences are measured run by run.</p>",
        escape(&folders.join(" vs ")),
        m.runs,
        m.seed
    );
    if let Some(x) = c.pairing.median {
        let _ = writeln!(
            out,
            "<p>Pairing narrowed the 95 % intervals of the differences {x:.1}× (median over indicators) against independent seeds.</p>"
        );
    }
    out.push_str("<h2>Scenarios</h2><ul>");
    for f in folders {
        let _ = write!(
            out,
            "<li><a href=\"{0}/index.html\">{0}</a>{1}</li>",
            escape(f),
            if f == baseline { " (baseline)" } else { "" }
        );
    }
    out.push_str("</ul>\n");
    for variant in folders.iter().skip(1) {
        let _ = writeln!(
            out,
            "<h2>{} − {}</h2><div class=\"table\"><table><tr><th>state</th><th>difference in alignment</th><th>95 % interval</th></tr>",
            escape(variant),
            escape(baseline)
        );
        for d in differences
            .iter()
            .filter(|d| &d.scenario == variant && d.indicator == "alignment")
        {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{} to {}</td></tr>",
                escape(&d.state),
                aligned(d.diff),
                aligned(d.low),
                aligned(d.high)
            );
        }
        out.push_str("</table></div>\n");
        let chart = format!("forest-{variant}");
        if charts.contains(&chart) {
            figure(
                &mut out,
                &chart,
                "Paired difference of the variant from the baseline at the horizon; negative is toward the West.",
            );
        }
    }
    if charts.iter().any(|c| c == "regional") {
        out.push_str("<h2>The region</h2>\n");
        figure(
            &mut out,
            "regional",
            "Regional indicators of every scenario over time.",
        );
    }
    links(&mut out, dir, &["comparison.csv", "manifest.json"]);
    out.push_str("</body></html>\n");
    AtomicFile::write(dir, "index.html", out.as_bytes())
}

/// The page of a sweep.
pub fn sweep_page(
    dir: &Path,
    m: &Manifest,
    s: &manifest::Sweep,
    parameters: &[String],
    charts: &[String],
) -> Result<PathBuf> {
    let name = &s.sweep;
    let mut out = head(&format!("{name} — spheres sweep"));
    let _ = writeln!(
        out,
        "<h1>{}</h1><p class=\"muted\">{} design, {} points, {} runs per point, seed {}. Parameters: {}.</p>",
        escape(name),
        escape(&s.design),
        s.points,
        m.runs,
        m.seed,
        escape(&parameters.join(", "))
    );
    if !charts.is_empty() {
        out.push_str("<h2>Charts</h2>\n");
    }
    for chart in charts {
        let caption = if chart.starts_with("heatmap-") {
            "Mean of the output over each point's runs, over the two parameters."
        } else {
            "Sensitivity of the output to each parameter, largest first."
        };
        figure(&mut out, chart, caption);
    }
    links(
        &mut out,
        dir,
        &[
            "points.csv",
            "results.csv",
            "sensitivity.csv",
            "sweep.toml",
            "manifest.json",
        ],
    );
    out.push_str("</body></html>\n");
    AtomicFile::write(dir, "index.html", out.as_bytes())
}

pub fn levers_page(
    dir: &Path,
    m: &Manifest,
    l: &manifest::Levers,
    charts: &[String],
) -> Result<PathBuf> {
    let name = &l.scenario;
    let mut out = head(&format!("{name} — spheres lever table"));
    let _ = writeln!(
        out,
        "<h1>What each lever does: {}</h1><p>Each row runs the scenario again with one power's budget on one lever multiplied by 0 or 2 from the start month — the start itself is unchanged — on the same random numbers as the scenario. A cell is the mean difference that makes to a state's alignment at the horizon: red toward Moscow, blue toward the West. {} runs per scenario, seed {}. The intervals in levers.csv measure run-to-run noise only, not what we do not know about the coefficients.</p>",
        escape(name),
        m.runs,
        m.seed
    );
    for chart in charts {
        figure(
            &mut out,
            chart,
            "Effect on alignment at the horizon (probe − scenario), by state; the region's population-weighted mean on the right.",
        );
    }
    links(
        &mut out,
        dir,
        &["levers.csv", "scenario.resolved.toml", "manifest.json"],
    );
    out.push_str("</body></html>\n");
    AtomicFile::write(dir, "index.html", out.as_bytes())
}
