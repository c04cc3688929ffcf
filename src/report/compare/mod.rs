//! A comparison's report: each scenario's own report in its subfolder, then, per variant, the
//! headline per state in words and numbers, levels beside differences, every threshold event's
//! probability in both scenarios, a forest plot on a fixed scale, each state's fan charts
//! overlaid, and the regional indicators of all scenarios; and what the intervals measure.
//!
//! `draw.rs` adds the charts, `page.rs` writes the page: `variant.rs` a variant's section (its
//! headlines in `headlines.rs`), `robust.rs` the section across plausible worlds, in the words
//! of `words.rs`.

mod draw;
mod headlines;
mod page;
mod robust;
mod variant;
mod why;
mod words;

use super::data::{self, Compared, Indicators, Series};
use super::{Charts, Written, run};
use crate::error::Result;
use crate::output::columns;
use crate::output::manifest::{self, Manifest};
use crate::scenario::Scenario;
use std::path::Path;

/// One scenario of the comparison: its folder, resolved scenario, summary and indicators'
/// words.
struct Side {
    folder: String,
    scenario: Scenario,
    series: Series,
    words: Indicators,
}

/// A comparison as its charts and page read it: the manifest, the scenarios (the baseline
/// first), the baseline's units with an alignment, and comparison.csv's rows.
struct Comparison<'m> {
    m: &'m Manifest,
    c: &'m manifest::Compare,
    arms: Vec<Side>,
    units: Vec<String>,
    rows: Vec<Compared>,
    /// channels.csv, where the folder has one (why each variant moves each state).
    channels: Option<data::Table>,
}

impl Comparison<'_> {
    /// The baseline; a comparison without scenarios draws nothing.
    fn base(&self) -> &Side {
        &self.arms[0]
    }

    /// The variants, each with its place among the scenarios (for its colour).
    fn variants(&self) -> impl Iterator<Item = (usize, &Side)> {
        self.arms.iter().enumerate().skip(1)
    }

    /// The row of comparison.csv of `scenario`, `unit` and `indicator`.
    fn find(&self, scenario: &str, unit: &str, indicator: &str) -> Option<&Compared> {
        self.rows
            .iter()
            .find(|r| r.scenario == scenario && r.state == unit && r.indicator == indicator)
    }

    /// The rows of the baseline and of `variant` for `unit` and `indicator`, if both exist.
    fn pair(&self, variant: &Side, unit: &str, indicator: &str) -> Option<(&Compared, &Compared)> {
        Some((
            self.find(&self.base().folder, unit, indicator)?,
            self.find(&variant.folder, unit, indicator)?,
        ))
    }

    /// Indicators with a probability (threshold events) for a unit, in comparison.csv's order.
    fn events_of(&self, scenario: &str, unit: &str) -> Vec<&Compared> {
        self.rows
            .iter()
            .filter(|r| r.scenario == scenario && r.state == unit && r.probability.is_some())
            .collect()
    }

    /// Today's median alignment of `unit`: the baseline's first month.
    fn today(&self, unit: &str) -> Option<f64> {
        self.base()
            .series
            .get(unit, "alignment")
            .and_then(|s| s.first())
            .map(|s| s.p50)
    }

    /// Whether the runs drew the parameters (plausible worlds).
    fn has_draws(&self) -> bool {
        self.c.parameters.source != "fixed"
    }

    /// The indicators' words, from the baseline's indicators.csv.
    fn words(&self) -> &Indicators {
        &self.base().words
    }

    /// Alignment's label ("alignment"), from the baseline's indicators.csv.
    fn alignment(&self) -> Result<&str> {
        self.words().label("alignment")
    }

    /// "Serbia (SRB)", by the baseline's scenario.
    fn unit_name(&self, unit: &str) -> String {
        super::unit_name(&self.base().scenario, unit)
    }
}

pub fn report(dir: &Path, m: &Manifest, c: &manifest::Compare) -> Result<Written> {
    let mut written = Written::default();
    let mut arms: Vec<Side> = Vec::new();
    for s in &c.scenarios {
        let sub = dir.join(&s.folder);
        let w = run::report(&sub, m, Some("../index.html"))?;
        written.pages.extend(w.pages);
        arms.push(Side {
            folder: s.folder.clone(),
            scenario: data::read_scenario(&sub)?,
            series: data::read_summary(&sub.join("summary.csv"))?,
            words: Indicators::read(&sub)?,
        });
    }
    let rows = data::read_comparison(dir)?;
    let units = arms.first().map_or_else(Vec::new, |base| {
        base.series.units_with("alignment").cloned().collect()
    });
    let channels = m.files.iter().any(|f| f == "channels.csv");
    let channels = match channels {
        true => Some(data::Table::checked(
            dir.join("channels.csv"),
            &columns::CHANNELS,
        )?),
        false => None,
    };
    let cmp = Comparison {
        m,
        c,
        arms,
        units,
        rows,
        channels,
    };
    let mut charts = Charts::new(dir)?;
    if cmp.arms.is_empty() {
        return Ok(written);
    }
    for (k, variant) in cmp.variants() {
        draw::forest(&mut charts, &cmp, variant)?;
        draw::fans(&mut charts, &cmp, k, variant)?;
    }
    draw::regional(&mut charts, &cmp)?;
    let drawn = charts.draw_all()?;
    written.pages.insert(0, page::write(dir, &cmp, &drawn)?);
    written.charts = drawn.charts;
    Ok(written)
}
