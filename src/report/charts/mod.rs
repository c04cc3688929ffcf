//! The charts, each drawn once for any plotters backend and written as PNG and SVG. Colours:
//! West and Moscow on ColorBrewer's RdBu diverging scale everywhere (blue the West, red
//! Moscow); scenarios in the Okabe–Ito palette. Both are colour-blind safe.
//!
//! This file holds what every chart shares; each chart has its own file, and `rows.rs` is the
//! frame of the charts of horizontal rows (bars, forest, tornado).

mod bars;
mod fan;
mod forest;
mod grid;
mod heatmap;
mod map;
mod regional;
mod rows;
mod tornado;

pub use bars::Bars;
pub use fan::{Fan, FanSize};
pub use forest::Forest;
pub use grid::Grid;
pub use heatmap::Heatmap;
pub use map::Map;
pub use regional::{Panel, Regional};
pub use tornado::Tornado;

use crate::error::{Error, Result};
use crate::output::AtomicFile;
use crate::scenario::YearMonth;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::path::Path;

/// RdBu, from the West (−1) to Moscow (+1).
const RDBU: [(f64, RGBColor); 5] = [
    (-1.0, RGBColor(33, 102, 172)),
    (-0.5, RGBColor(103, 169, 207)),
    (0.0, RGBColor(247, 247, 247)),
    (0.5, RGBColor(239, 138, 98)),
    (1.0, RGBColor(178, 24, 43)),
];

/// Okabe–Ito, for scenarios.
pub const SCENARIO_COLOURS: [RGBColor; 7] = [
    RGBColor(0, 0, 0),
    RGBColor(230, 159, 0),
    RGBColor(0, 114, 178),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
];

const WEST: RGBColor = RDBU[0].1;
const MOSCOW: RGBColor = RDBU[4].1;
const BAND: RGBColor = RGBColor(90, 90, 110);
const FONT: &str = "sans-serif";

/// The colour of an alignment on the diverging scale.
pub fn diverging(a: f64) -> RGBColor {
    let a = a.clamp(-1.0, 1.0);
    let k = RDBU
        .iter()
        .position(|(x, _)| *x >= a)
        .unwrap_or(RDBU.len() - 1)
        .max(1);
    let ((x0, c0), (x1, c1)) = (RDBU[k - 1], RDBU[k]);
    let t = (a - x0) / (x1 - x0);
    let mix = |u: u8, v: u8| (u as f64 + (v as f64 - u as f64) * t).round() as u8;
    RGBColor(mix(c0.0, c1.0), mix(c0.1, c1.1), mix(c0.2, c1.2))
}

/// Registers the embedded DejaVu Sans, once; charts need no system font.
pub fn register_fonts() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Both faces are valid TrueType files bundled by the dejavu crate.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// A chart that can be drawn on any backend.
pub trait Chart: Sync {
    fn size(&self) -> (u32, u32);
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String>;
}

/// Writes `chart` as `dir/name.png` and `dir/name.svg`, each under a temporary name first.
pub fn render(dir: &Path, name: &str, chart: &impl Chart) -> Result<()> {
    let fail = |e: String| Error::Write(format!("{}: drawing {name} failed: {e}", dir.display()));
    let temp = dir.join(format!(".partial-{name}.png"));
    {
        let area = BitMapBackend::new(&temp, chart.size()).into_drawing_area();
        chart.draw(&area).map_err(fail)?;
        area.present().map_err(|e| fail(e.to_string()))?;
    }
    let png = dir.join(format!("{name}.png"));
    std::fs::rename(&temp, &png).map_err(|e| Error::io(&png, e))?;
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, chart.size()).into_drawing_area();
        chart.draw(&area).map_err(fail)?;
        area.present().map_err(|e| fail(e.to_string()))?;
    }
    AtomicFile::write(dir, &format!("{name}.svg"), svg.as_bytes())?;
    Ok(())
}

/// A chart's plotting area with numbers on both axes.
type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The series legend, in the same style on every chart.
fn legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut Plot<'a, DB>,
    position: SeriesLabelPosition,
) -> std::result::Result<(), String> {
    chart
        .configure_series_labels()
        .position(position)
        .label_font((FONT, 12))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(err)
}

/// A white page with a bold title of `size` points; returns the area below the title.
fn titled_page<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    size: u32,
) -> std::result::Result<DrawingArea<DB, Shift>, String> {
    area.fill(&WHITE).map_err(err)?;
    area.titled(title, (FONT, size, FontStyle::Bold))
        .map_err(err)
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

fn date_label(start: YearMonth) -> impl Fn(&f64) -> String {
    move |x: &f64| start.plus(x.round() as i64).to_string()
}
