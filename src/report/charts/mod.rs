//! The charts, each drawn once for any plotters backend and written as PNG and SVG. Colours:
//! West and Moscow on ColorBrewer's RdBu diverging scale everywhere (blue the West, red
//! Moscow); scenarios in the Okabe–Ito palette. Both are colour-blind safe.
//!
//! This file holds what every chart shares; each chart has its own file, and `rows.rs` is the
//! frame of the charts of horizontal rows (bars, forest, tornado, hindcast, targets).

mod bars;
mod basemap;
mod envelope;
mod fan;
mod forest;
mod grid;
mod heatmap;
mod hindcast;
mod labels;
mod map;
mod morris;
mod regional;
mod reliability;
mod rows;
mod scatter;
mod targets;
mod tornado;
mod tracks;

pub use bars::{Bar, Bars};
pub use envelope::Envelope;
pub use fan::{Arm, Fan, FanSize, FanWords, band_extent, padded};
pub use forest::{Forest, ForestRow};
pub use grid::Grid;
pub use heatmap::Heatmap;
pub use hindcast::Reliability;
pub use map::Map;
pub use morris::{MorrisPlane, MorrisRow};
pub use regional::{Panel, Regional};
pub use reliability::ReliabilityDiagram;
pub use scatter::{Scatter, ScatterPanel, ScatterPoint};
pub use targets::{Target, Targets};
pub use tornado::Tornado;
pub use tracks::{Reading, TrackPanel, TrackPoint, Tracks};

use crate::error::{Error, Result};
use crate::output::AtomicFile;
use crate::report::data::Stat;
use crate::scenario::YearMonth;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::ops::Range;
use std::path::Path;

/// The basemap's name of a country code ("Bosnia and Herzegovina" for BIH).
pub fn country_name(code: &str) -> Option<&'static str> {
    basemap::countries()
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.name.as_str())
}

/// RdBu, from the West (−1) to Moscow (+1).
const RDBU: [(f64, RGBColor); 5] = [
    (-1.0, RGBColor(33, 102, 172)),
    (-0.5, RGBColor(103, 169, 207)),
    (0.0, RGBColor(247, 247, 247)),
    (0.5, RGBColor(239, 138, 98)),
    (1.0, RGBColor(178, 24, 43)),
];

/// Okabe–Ito, for scenarios.
const SCENARIO_COLOURS: [RGBColor; 7] = [
    RGBColor(0, 0, 0),
    RGBColor(230, 159, 0),
    RGBColor(0, 114, 178),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
];

/// The colour of the `k`th scenario: the first (a comparison's baseline) black.
pub fn scenario_colour(k: usize) -> RGBColor {
    SCENARIO_COLOURS[k % SCENARIO_COLOURS.len()]
}

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

/// A chart's plotting area with months on the x axis (ticks on month boundaries, see
/// [`month_axis`]) and numbers on the y axis.
type TimePlot<'a, DB> = ChartContext<'a, DB, Cartesian2d<MonthAxis, RangedCoordf64>>;

/// A linear axis of months after a start, whose ticks (bold) and grid lines (light) are given.
pub struct MonthAxis {
    range: Range<f64>,
    bold: Vec<f64>,
    light: Vec<f64>,
}

impl Ranged for MonthAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        let t = if span > 0.0 {
            (value - self.range.start) / span
        } else {
            0.0
        };
        limit.0 + ((limit.1 - limit.0) as f64 * t).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.light.clone()
        } else {
            self.bold.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

/// The series legend, in the same style on every chart.
fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
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

/// A mark of a legend entry: a band, a narrower band drawn inside one, a line, a dashed line
/// or a dot.
#[derive(Clone, Copy)]
pub enum Swatch {
    Band(RGBAColor),
    Inner(RGBAColor),
    Line(RGBColor),
    Dashed(RGBAColor),
    Dot(RGBColor),
}

/// The height of a [`heading`] with the title at `caption` points.
fn heading_height(caption: u32) -> u32 {
    caption + 40
}

/// A chart's title, centred, and below it its legend in one row (each entry its swatches and
/// its name), where neither can cover the data. `area` should be [`heading_height`] tall.
fn heading<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    caption: u32,
    entries: &[(String, Vec<Swatch>)],
    text: u32,
) -> std::result::Result<(), String> {
    let (width, _) = area.dim_in_pixel();
    let title_font = (FONT, caption, FontStyle::Bold).into_text_style(area);
    let (tw, _) = area.estimate_text_size(title, &title_font).map_err(err)?;
    area.draw(&Text::new(
        title.to_string(),
        ((width as i32 - tw as i32).max(0) / 2, 8),
        title_font,
    ))
    .map_err(err)?;
    let font = (FONT, text).into_text_style(area);
    let y = caption as i32 + 22;
    let widths: Vec<i32> = entries
        .iter()
        .map(|(name, _)| {
            area.estimate_text_size(name, &font)
                .map(|(w, _)| w as i32 + 34)
        })
        .collect::<std::result::Result<_, _>>()
        .map_err(err)?;
    let total: i32 = widths.iter().sum::<i32>() + 14 * (entries.len() as i32 - 1).max(0);
    let mut x = (width as i32 - total).max(0) / 2;
    for ((name, marks), w) in entries.iter().zip(&widths) {
        for mark in marks {
            match *mark {
                Swatch::Line(colour) => area.draw(&PathElement::new(
                    [(x, y), (x + 24, y)],
                    colour.stroke_width(2),
                )),
                Swatch::Band(colour) => area.draw(&Rectangle::new(
                    [(x, y - 7), (x + 24, y + 7)],
                    colour.filled(),
                )),
                Swatch::Inner(colour) => area.draw(&Rectangle::new(
                    [(x, y - 4), (x + 24, y + 4)],
                    colour.filled(),
                )),
                Swatch::Dot(colour) => area.draw(&Circle::new((x + 12, y), 4, colour.filled())),
                Swatch::Dashed(colour) => [0, 9, 18].into_iter().try_for_each(|dx| {
                    area.draw(&PathElement::new(
                        [(x + dx, y), (x + dx + 6, y)],
                        colour.stroke_width(1),
                    ))
                }),
            }
            .map_err(err)?;
        }
        area.draw(&Text::new(
            name.clone(),
            (x + 30, y - text as i32 / 2 + 1),
            font.clone(),
        ))
        .map_err(err)?;
        x += w + 14;
    }
    Ok(())
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

/// The months that series of these lengths (values by month, month 0 first) span: at least
/// one.
fn months_spanned(lengths: impl Iterator<Item = usize>) -> usize {
    lengths.max().unwrap_or(2).max(2) - 1
}

/// A band of runs around the median.
#[derive(Clone, Copy, Debug)]
enum Band {
    /// The middle 90 %: p05 to p95.
    Ninety,
    /// The middle 50 %: p25 to p75.
    Fifty,
}

impl Band {
    fn low(self, s: &Stat) -> f64 {
        match self {
            Band::Ninety => s.p05,
            Band::Fifty => s.p25,
        }
    }

    fn high(self, s: &Stat) -> f64 {
        match self {
            Band::Ninety => s.p95,
            Band::Fifty => s.p75,
        }
    }
}

/// The polygon of a band over time.
fn band(series: &[Stat], which: Band) -> Vec<(f64, f64)> {
    let upper = series
        .iter()
        .enumerate()
        .map(|(t, s)| (t as f64, which.high(s)));
    let lower = series
        .iter()
        .enumerate()
        .rev()
        .map(|(t, s)| (t as f64, which.low(s)));
    upper.chain(lower).collect()
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// The x axis of a chart over `months` months from `start` (x = months after the start), with
/// its ticks on month boundaries: every January, or every 2, 5 or 10 years' January, so that at
/// most `max` ticks show; for a horizon under two years, quarters or months. The grid's light
/// lines fall on the Januaries (or quarters) between.
fn month_axis(start: YearMonth, months: usize, max: usize) -> MonthAxis {
    let (bold, light) = month_ticks(start, months, max);
    MonthAxis {
        range: 0f64..months.max(1) as f64,
        bold,
        light,
    }
}

/// Tick positions (months after `start`) on month boundaries, and the light grid between.
pub fn month_ticks(start: YearMonth, months: usize, max: usize) -> (Vec<f64>, Vec<f64>) {
    let max = max.max(2);
    let at = |every: u32| -> Vec<f64> {
        (0..=months)
            .filter(|&t| {
                let d = start.plus(t as i64);
                let index = d.year as i64 * 12 + d.month as i64 - 1;
                index.rem_euclid(every as i64) == 0
            })
            .map(|t| t as f64)
            .collect()
    };
    // Steps in months: 1, 3 (quarters), then whole years.
    let steps = [1u32, 3, 12, 24, 60, 120, 240, 600];
    let mut bold = at(steps[steps.len() - 1]);
    let mut light = Vec::new();
    for (k, &step) in steps.iter().enumerate() {
        let ticks = at(step);
        if ticks.len() <= max {
            light = if k > 0 { at(steps[k - 1]) } else { Vec::new() };
            if light.len() > 4 * max {
                light = at(step);
            }
            bold = ticks;
            break;
        }
    }
    (bold, light)
}

/// A signed number with a true minus sign ("−0.33", "+0.50"), for labels.
pub fn signed(v: f64, decimals: usize) -> String {
    format!("{v:+.decimals$}").replacen('-', "−", 1)
}

/// A tick label of a share as a percentage ("45 %").
fn percent(x: &f64) -> String {
    format!("{:.0} %", x * 100.0)
}

/// A y-axis label of alignment: plain numbers, with a true minus sign.
fn alignment_tick(v: &f64) -> String {
    let text = format!("{v:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let text = if text == "-0" { "0" } else { text };
    text.replacen('-', "−", 1)
}

/// A number in about three significant digits, for tick labels.
pub fn short_number(v: f64) -> String {
    let a = v.abs();
    let text = if a == 0.0 {
        "0".into()
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else if a >= 0.001 {
        format!("{v:.3}")
    } else {
        format!("{v:.1e}")
    };
    text.replacen('-', "−", 1)
}

/// A tick label without trailing zeros after its point ("50", "0.45", "−2.5").
fn trimmed(label: String) -> String {
    if label.contains('.') && !label.contains('e') {
        label
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        label
    }
}

/// A tick's label: the year at a January, the month elsewhere.
fn date_label(start: YearMonth) -> impl Fn(&f64) -> String {
    move |x: &f64| {
        let d = start.plus(x.round() as i64);
        if d.month == 1 {
            d.year.to_string()
        } else {
            d.to_string()
        }
    }
}

/// A vertical colour bar in `area` from `bottom` to `top` pixels, `lo` to `hi` in value, with
/// tick labels at `ticks` and a title above.
fn colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (left, top, bottom): (i32, i32, i32),
    (lo, hi): (f64, f64),
    colour: &dyn Fn(f64) -> RGBColor,
    ticks: &[(f64, String)],
    title: &[&str],
) -> std::result::Result<(), String> {
    let steps = 80;
    let height = (bottom - top).max(1);
    for k in 0..steps {
        let v = hi - (hi - lo) * (k as f64 + 0.5) / steps as f64;
        let y = top + height * k / steps;
        let y2 = top + height * (k + 1) / steps;
        area.draw(&Rectangle::new(
            [(left, y), (left + 22, y2)],
            colour(v).filled(),
        ))
        .map_err(err)?;
    }
    area.draw(&Rectangle::new(
        [(left, top), (left + 22, bottom)],
        BLACK.mix(0.5),
    ))
    .map_err(err)?;
    for (v, text) in ticks {
        let y = if hi > lo {
            top + ((hi - v) / (hi - lo) * height as f64).round() as i32
        } else {
            top + height / 2
        };
        area.draw(&PathElement::new(
            [(left + 22, y), (left + 27, y)],
            BLACK.mix(0.6),
        ))
        .map_err(err)?;
        area.draw(&Text::new(text.clone(), (left + 30, y - 6), (FONT, 12)))
            .map_err(err)?;
    }
    for (k, line) in title.iter().enumerate() {
        area.draw(&Text::new(
            line.to_string(),
            (left - 6, top - 18 * (title.len() - k) as i32 - 6),
            (FONT, 13),
        ))
        .map_err(err)?;
    }
    Ok(())
}
