//! A comparison's page: what was compared and how sure the model is, a section per variant,
//! the section across plausible worlds, the region and the data.

use super::words::policy_words;
use super::{Comparison, robust, variant};
use crate::error::Result;
use crate::report::html::{capitalise, escape, figure_and_flat, head, write_page};
use crate::report::run::start_words;
use crate::report::{Drawn, horizon};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Writes the comparison's index.html.
pub fn write(dir: &Path, cmp: &Comparison, drawn: &Drawn) -> Result<PathBuf> {
    let names: Vec<&str> = cmp.arms.iter().map(|a| a.folder.as_str()).collect();
    let mut out = head(&format!("compare {} — spheres", names.join(" · ")));
    intro(&mut out, cmp)?;
    let p = &cmp.c.parameters;
    let model = crate::report::model_words(&cmp.base().scenario, &p.source, p.draws);
    crate::report::html::cite_box(&mut out, &model);
    scenarios(&mut out, cmp);
    how_sure(&mut out, cmp);
    for (_, v) in cmp.variants() {
        variant::section(&mut out, cmp, v, drawn)?;
    }
    robust::section(&mut out, dir, &cmp.base().scenario)?;
    if drawn.has("regional") || drawn.note("regional").is_some() {
        out.push_str("<h2>The region</h2>\n");
        let caption = format!(
            "Regional indicators of every scenario over time: the median and 90 % of runs for the mean {} (its y axis fits the data, at least ±0.1 around the medians), the mean over runs for the others.",
            cmp.alignment()?
        );
        figure_and_flat(&mut out, drawn, "regional", &caption);
    }
    write_page(
        dir,
        out,
        &["comparison.csv", "draws.csv", "robust.csv", "manifest.json"],
    )
}

/// The title (what changes with the variant, or the variants against the baseline) and the
/// comparison in numbers.
fn intro(out: &mut String, cmp: &Comparison) -> Result<()> {
    let base = cmp.base();
    let names: Vec<&str> = cmp.arms.iter().map(|a| a.folder.as_str()).collect();
    let title = if cmp.arms.len() == 2 {
        format!(
            "What changes with {} instead of {}",
            cmp.arms[1].folder, base.folder
        )
    } else {
        format!("{} against {}", names[1..].join(", "), base.folder)
    };
    let _ = writeln!(
        out,
        "<h1>{}</h1><p class=\"muted\">{} runs per scenario, seed {}, {} to {}. {} runs from −1 (the West) \
to +1 (Moscow); a state {} above {:+.2}. The scale is measured (docs/MODEL.md, 9.1): −1 is where \
the EU's fifteen members of 1995 vote in the UN General Assembly on average, +1 where Russia has voted \
since 2000, so \"leaning to Moscow\" means voting more than a third of the way from halfway toward \
Russia. Run i of every scenario draws the same random numbers (common random numbers), so differences \
are measured run by run.</p>",
        escape(&title),
        cmp.m.runs,
        cmp.m.seed,
        base.series.start,
        horizon(&base.series),
        escape(&capitalise(cmp.alignment()?)),
        escape(cmp.words().label("moscow_leaning")?),
        base.scenario.params.leaning_threshold
    );
    Ok(())
}

/// Each scenario with its description and policies, and what the start month is.
fn scenarios(out: &mut String, cmp: &Comparison) {
    out.push_str("<h2>The scenarios</h2><ul>");
    for (k, a) in cmp.arms.iter().enumerate() {
        let _ = write!(
            out,
            "<li><b><a href=\"{0}/index.html\">{0}</a></b>{1}: {2}",
            escape(&a.folder),
            if k == 0 { " (the baseline)" } else { "" },
            escape(&a.scenario.scenario.description)
        );
        let policies = policy_words(&a.scenario);
        if !policies.is_empty() {
            out.push_str("<ul class=\"muted\">");
            for p in policies {
                let _ = write!(out, "<li>{}</li>", escape(&p));
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
    let base = cmp.base();
    let _ = writeln!(
        out,
        "<p>{}</p>",
        escape(&start_words(&base.scenario, &base.series))
    );
}

/// What the page's ranges measure: run-to-run noise only, or with the uncertain coefficients
/// (parameter draws); and how much pairing narrowed them.
fn how_sure(out: &mut String, cmp: &Comparison) {
    let parameters = &cmp.c.parameters;
    if parameters.source == "fixed" {
        let _ = write!(
            out,
            "<div class=\"box\"><b>How sure is the model?</b> Every range on this page is <b>run-to-run noise only</b>: \
the spread over {} runs that differ only in their random numbers (chance events, who meets whom). It does not \
include what we do not know about the model's coefficients or its data, so read the numbers as “the model \
says”, not “the world will”. A difference's 95 % interval (±) is narrow because the scenarios are compared \
run by run on the same random numbers: it says the difference is not chance, not that the model is right.",
            cmp.m.runs
        );
    } else {
        let _ = write!(
            out,
            "<div class=\"box\"><b>How sure is the model?</b> The ranges on this page are <b>what we do not know \
about {} coefficients plus run-to-run noise</b>: {} draws of the coefficients from their {} (docs/CALIBRATION.md), \
{} runs each, the same draws and random numbers in every scenario. “Plausible worlds” are those draws: a \
difference is given with the range of 90 % of them and the share in which it points each way. The ± after a \
difference is narrower: it is the 95 % interval of the mean difference over all draws and runs, which says the \
mean is not chance, not that every plausible world agrees. The model's structure (what it leaves out) is not in \
any range.",
            parameters.uncertain.len(),
            parameters.draws,
            if parameters.source == "posterior" {
                "posterior (spheres calibrate)"
            } else {
                "priors (the scenario's <code>[[uncertain]]</code> entries)"
            },
            parameters.runs_per_draw
        );
        let starts = |key: &str| {
            (parameters.uncertain.iter())
                .filter(|p| p.starts_with("state.") && p.ends_with(key))
                .count()
        };
        let (alignments, publics) = (starts(".alignment"), starts(".public_opinion"));
        if alignments + publics > 0 {
            let _ = write!(
                out,
                " {alignments} of those numbers are the states' starting alignments and {publics} their publics' \
starting opinions where polls read them, drawn from the nowcast of the start month (spheres \
nowcast: what the data say of the present, and how sure they are)."
            );
        }
    }
    if let Some(x) = cmp.c.pairing.median {
        let _ = write!(
            out,
            " Pairing narrowed these intervals {x:.1}× (median over indicators) against independent seeds."
        );
    }
    out.push_str("</div>\n");
}
