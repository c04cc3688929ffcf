//! The charts, each drawn once for any plotters backend and written as PNG and SVG. Colours:
//! West and Moscow on ColorBrewer's RdBu diverging scale everywhere (blue the West, red
//! Moscow); scenarios in the Okabe–Ito palette. Both are colour-blind safe.

use super::data::{Difference, EventStat, Series, Stat};
use crate::error::{Error, Result};
use crate::output::AtomicFile;
use crate::scenario::{Scenario, YearMonth};
use plotters::coord::Shift;
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

/// The series legend, in the same style on every chart.
fn legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<
        'a,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
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

/// Labels for a chart of `names.len()` = n horizontal rows, the first at the top: the y axis
/// label at each row's centre, nothing elsewhere.
fn row_labels(names: Vec<String>, n: f64) -> impl Fn(&f64) -> String {
    move |y: &f64| {
        let k = (n - y - 0.5).round();
        if (n - y - 0.5 - k).abs() < 0.01 && k >= 0.0 {
            names.get(k as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

fn date_label(start: YearMonth) -> impl Fn(&f64) -> String {
    move |x: &f64| start.plus(x.round() as i64).to_string()
}

/// Median alignment with its 50 % and 90 % bands over time, the zero line, the leaning
/// thresholds, and the median date of each threshold event that happened in ≥ 5 % of runs.
pub struct Fan<'a> {
    pub title: String,
    pub series: &'a [Stat],
    pub start: YearMonth,
    pub theta: f64,
    pub events: Vec<&'a EventStat>,
    pub runs: u64,
    pub small: bool,
}

impl Chart for Fan<'_> {
    fn size(&self) -> (u32, u32) {
        if self.small { (400, 260) } else { (900, 520) }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let months = (self.series.len().max(2) - 1) as f64;
        let (caption, label) = if self.small { (14, 11) } else { (20, 14) };
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, (FONT, caption, FontStyle::Bold))
            .margin(if self.small { 6 } else { 12 })
            .margin_right(if self.small { 18 } else { 36 })
            .x_label_area_size(if self.small { 22 } else { 40 })
            .y_label_area_size(if self.small { 34 } else { 60 })
            .build_cartesian_2d(0f64..months, -1f64..1f64)
            .map_err(err)?;
        // The two halves of the scale, tinted toward their pole.
        chart
            .draw_series([
                Rectangle::new([(0.0, 0.0), (months, 1.0)], MOSCOW.mix(0.06).filled()),
                Rectangle::new([(0.0, -1.0), (months, 0.0)], WEST.mix(0.06).filled()),
            ])
            .map_err(err)?;
        let labels = date_label(self.start);
        let mut mesh = chart.configure_mesh();
        mesh.x_labels(if self.small { 4 } else { 8 })
            .y_labels(5)
            .x_label_formatter(&labels)
            .label_style((FONT, label))
            .light_line_style(WHITE.mix(0.0));
        if !self.small {
            mesh.y_desc("alignment (−1 West, +1 Moscow)")
                .x_desc("month")
                .axis_desc_style((FONT, 14));
        }
        mesh.draw().map_err(err)?;
        let band = |lo: usize, hi: usize| {
            let mut pts: Vec<(f64, f64)> = self
                .series
                .iter()
                .enumerate()
                .map(|(t, s)| (t as f64, s.q[hi]))
                .collect();
            pts.extend(
                self.series
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(t, s)| (t as f64, s.q[lo])),
            );
            pts
        };
        chart
            .draw_series([Polygon::new(band(0, 4), BAND.mix(0.18).filled())])
            .map_err(err)?
            .label("90 % of runs")
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 5), (x + 16, y + 5)], BAND.mix(0.18).filled())
            });
        chart
            .draw_series([Polygon::new(band(1, 3), BAND.mix(0.38).filled())])
            .map_err(err)?
            .label("50 % of runs")
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 5), (x + 16, y + 5)], BAND.mix(0.38).filled())
            });
        chart
            .draw_series(LineSeries::new(
                [(0.0, 0.0), (months, 0.0)],
                BLACK.mix(0.5).stroke_width(1),
            ))
            .map_err(err)?;
        for (y, colour) in [(self.theta, MOSCOW), (-self.theta, WEST)] {
            chart
                .draw_series(DashedLineSeries::new(
                    [(0.0, y), (months, y)],
                    6,
                    4,
                    colour.mix(0.8).stroke_width(1),
                ))
                .map_err(err)?;
        }
        chart
            .draw_series(LineSeries::new(
                self.series
                    .iter()
                    .enumerate()
                    .map(|(t, s)| (t as f64, s.q[2])),
                BLACK.stroke_width(if self.small { 1 } else { 2 }),
            ))
            .map_err(err)?
            .label("median")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], BLACK.stroke_width(2)));
        for (k, e) in self.events.iter().enumerate() {
            let x = e.median_month;
            let share = e.runs as f64 / self.runs as f64;
            let y = 0.9 - 0.12 * (k % 4) as f64;
            chart
                .draw_series([PathElement::new([(x, -1.0), (x, 1.0)], BLACK.mix(0.3))])
                .map_err(err)?;
            if !self.small {
                let text = format!(
                    "{} ({:.0} % of runs)",
                    e.event.replace('_', " "),
                    share * 100.0
                );
                chart
                    .draw_series([Text::new(text, (x, y), (FONT, 12))])
                    .map_err(err)?;
            }
        }
        if !self.small {
            legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        }
        Ok(())
    }
}

/// Every state's fan chart in one grid, on one scale.
pub struct Grid<'a> {
    pub title: String,
    pub fans: Vec<Fan<'a>>,
}

const GRID_COLUMNS: usize = 4;

impl Chart for Grid<'_> {
    fn size(&self) -> (u32, u32) {
        let rows = self.fans.len().div_ceil(GRID_COLUMNS) as u32;
        (400 * GRID_COLUMNS as u32, 50 + 260 * rows.max(1))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let body = area
            .titled(&self.title, (FONT, 22, FontStyle::Bold))
            .map_err(err)?;
        let rows = self.fans.len().div_ceil(GRID_COLUMNS).max(1);
        for (cell, fan) in body
            .split_evenly((rows, GRID_COLUMNS))
            .iter()
            .zip(&self.fans)
        {
            fan.draw(cell)?;
        }
        Ok(())
    }
}

/// States at their capitals, coloured by median final alignment, with neighbour links.
pub struct Map<'a> {
    pub title: String,
    pub scenario: &'a Scenario,
    pub series: &'a Series,
}

impl Chart for Map<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 760)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let (plot, legend) = area.split_horizontally(860);
        let placed: Vec<(&str, &str, f64, f64, f64)> = self
            .scenario
            .state
            .iter()
            .filter_map(|s| {
                let a = self.series.last(&s.code, "alignment")?.q[2];
                Some((s.code.as_str(), s.name.as_str(), s.lon?, s.lat?, a))
            })
            .collect();
        if placed.is_empty() {
            plot.draw(&Text::new(
                "no coordinates (lat, lon) in this scenario",
                (40, 60),
                (FONT, 18),
            ))
            .map_err(err)?;
            return Ok(());
        }
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for &(_, _, x, y, _) in &placed {
            (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
        }
        let pad = 1.0;
        let mut chart = ChartBuilder::on(&plot)
            .caption(&self.title, (FONT, 20, FontStyle::Bold))
            .margin(16)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(x0 - pad..x1 + pad, y0 - pad..y1 + pad)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("longitude (°E)")
            .y_desc("latitude (°N)")
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 13))
            .light_line_style(BLACK.mix(0.04))
            .draw()
            .map_err(err)?;
        let at = |code: &str| placed.iter().find(|p| p.0 == code).map(|p| (p.2, p.3));
        for s in &self.scenario.state {
            for other in &s.neighbours {
                if s.code < *other
                    && let (Some(a), Some(b)) = (at(&s.code), at(other))
                {
                    chart
                        .draw_series([PathElement::new([a, b], BLACK.mix(0.25).stroke_width(2))])
                        .map_err(err)?;
                }
            }
        }
        for &(code, name, x, y, a) in &placed {
            chart
                .draw_series([
                    Circle::new((x, y), 17, diverging(a).filled()),
                    Circle::new((x, y), 17, BLACK.mix(0.6)),
                ])
                .map_err(err)?;
            let label = format!("{code} {a:+.2}");
            chart
                .draw_series([Text::new(
                    label,
                    (x + 0.25, y + 0.3),
                    (FONT, 13, FontStyle::Bold),
                )])
                .map_err(err)?;
            chart
                .draw_series([Text::new(
                    name.to_string(),
                    (x + 0.25, y - 0.05),
                    (FONT, 11),
                )])
                .map_err(err)?;
        }
        // Legend: the diverging scale, Moscow at the top.
        let (lw, lh) = legend.dim_in_pixel();
        let (top, bottom, left) = (90i32, lh as i32 - 120, 30i32);
        legend
            .draw(&Text::new(
                "median alignment",
                (left - 10, top - 40),
                (FONT, 13),
            ))
            .map_err(err)?;
        legend
            .draw(&Text::new(
                "at the horizon",
                (left - 10, top - 24),
                (FONT, 13),
            ))
            .map_err(err)?;
        let steps = 60;
        for k in 0..steps {
            let a = 1.0 - 2.0 * k as f64 / steps as f64;
            let y = top + (bottom - top) * k / steps;
            let y2 = top + (bottom - top) * (k + 1) / steps;
            legend
                .draw(&Rectangle::new(
                    [(left, y), (left + 24, y2)],
                    diverging(a).filled(),
                ))
                .map_err(err)?;
        }
        for (a, text) in [(1.0, "+1 Moscow"), (0.0, "0"), (-1.0, "−1 West")] {
            let y = top + ((1.0 - a) / 2.0 * (bottom - top) as f64) as i32;
            legend
                .draw(&Text::new(text, (left + 30, y - 6), (FONT, 12)))
                .map_err(err)?;
        }
        let _ = lw;
        Ok(())
    }
}

/// Per state, the probability of an event at the horizon with its Wilson interval.
pub struct Bars {
    pub title: String,
    pub x_desc: String,
    /// (label, probability, low, high)
    pub rows: Vec<(String, f64, f64, f64)>,
}

impl Chart for Bars {
    fn size(&self) -> (u32, u32) {
        (1000, 90 + 30 * self.rows.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let n = self.rows.len().max(1) as f64;
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, (FONT, 16, FontStyle::Bold))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(40)
            .y_label_area_size(250)
            .build_cartesian_2d(0f64..1f64, 0f64..n)
            .map_err(err)?;
        let label = row_labels(self.rows.iter().map(|r| r.0.clone()).collect(), n);
        chart
            .configure_mesh()
            .x_desc(self.x_desc.as_str())
            .x_label_formatter(&|x| format!("{:.0} %", x * 100.0))
            .y_label_formatter(&label)
            .y_labels(self.rows.len() * 2 + 1)
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 13))
            .disable_y_mesh()
            .draw()
            .map_err(err)?;
        for (k, (_, p, lo, hi)) in self.rows.iter().enumerate() {
            let y = n - k as f64 - 0.5;
            chart
                .draw_series([Rectangle::new(
                    [(0.0, y - 0.32), (*p, y + 0.32)],
                    MOSCOW.mix(0.75).filled(),
                )])
                .map_err(err)?;
            chart
                .draw_series([
                    PathElement::new([(*lo, y), (*hi, y)], BLACK.stroke_width(2)),
                    PathElement::new([(*lo, y - 0.15), (*lo, y + 0.15)], BLACK.stroke_width(2)),
                    PathElement::new([(*hi, y - 0.15), (*hi, y + 0.15)], BLACK.stroke_width(2)),
                ])
                .map_err(err)?;
        }
        Ok(())
    }
}

/// One panel of regional indicators: a line (and optional band) per scenario.
pub struct Panel<'a> {
    pub name: &'static str,
    pub y_desc: &'static str,
    pub range: (f64, f64),
    /// Plot the median with its 5–95 % band, or the mean (a probability or an expected count).
    pub median: bool,
    pub lines: Vec<(&'a str, &'a [Stat])>,
}

/// Regional indicators over time, one panel each, scenarios overlaid.
pub struct Regional<'a> {
    pub title: String,
    pub start: YearMonth,
    pub panels: Vec<Panel<'a>>,
}

impl Chart for Regional<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 60 + 300 * self.panels.len() as u32)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let body = area
            .titled(&self.title, (FONT, 20, FontStyle::Bold))
            .map_err(err)?;
        let labels = date_label(self.start);
        for (cell, panel) in body
            .split_evenly((self.panels.len(), 1))
            .iter()
            .zip(&self.panels)
        {
            let months = panel
                .lines
                .iter()
                .map(|(_, s)| s.len())
                .max()
                .unwrap_or(2)
                .max(2)
                - 1;
            let mut chart = ChartBuilder::on(cell)
                .caption(panel.name, (FONT, 15))
                .margin(10)
                .margin_right(36)
                .x_label_area_size(32)
                .y_label_area_size(60)
                .build_cartesian_2d(0f64..months as f64, panel.range.0..panel.range.1)
                .map_err(err)?;
            chart
                .configure_mesh()
                .x_labels(8)
                .x_label_formatter(&labels)
                .y_desc(panel.y_desc)
                .label_style((FONT, 12))
                .axis_desc_style((FONT, 12))
                .draw()
                .map_err(err)?;
            for (k, (name, series)) in panel.lines.iter().enumerate() {
                let colour = SCENARIO_COLOURS[k % SCENARIO_COLOURS.len()];
                if panel.median {
                    let mut pts: Vec<(f64, f64)> = series
                        .iter()
                        .enumerate()
                        .map(|(t, s)| (t as f64, s.q[4]))
                        .collect();
                    pts.extend(
                        series
                            .iter()
                            .enumerate()
                            .rev()
                            .map(|(t, s)| (t as f64, s.q[0])),
                    );
                    chart
                        .draw_series([Polygon::new(pts, colour.mix(0.15).filled())])
                        .map_err(err)?;
                }
                let value = |s: &Stat| if panel.median { s.q[2] } else { s.mean };
                chart
                    .draw_series(LineSeries::new(
                        series.iter().enumerate().map(|(t, s)| (t as f64, value(s))),
                        colour.stroke_width(2),
                    ))
                    .map_err(err)?
                    .label(name.to_string())
                    .legend(move |(x, y)| {
                        PathElement::new([(x, y), (x + 16, y)], colour.stroke_width(2))
                    });
            }
            legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        }
        Ok(())
    }
}

/// Per state, the paired difference of a variant against the baseline with its 95 % interval.
pub struct Forest<'a> {
    pub title: String,
    pub rows: Vec<&'a Difference>,
}

impl Chart for Forest<'_> {
    fn size(&self) -> (u32, u32) {
        (900, 100 + 30 * self.rows.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let n = self.rows.len().max(1) as f64;
        let reach = self
            .rows
            .iter()
            .map(|d| d.low.abs().max(d.high.abs()))
            .fold(0.05, f64::max)
            * 1.1;
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, (FONT, 15, FontStyle::Bold))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(44)
            .y_label_area_size(90)
            .build_cartesian_2d(-reach..reach, 0f64..n)
            .map_err(err)?;
        chart
            .draw_series([
                Rectangle::new([(0.0, 0.0), (reach, n)], MOSCOW.mix(0.06).filled()),
                Rectangle::new([(-reach, 0.0), (0.0, n)], WEST.mix(0.06).filled()),
            ])
            .map_err(err)?;
        let label = row_labels(self.rows.iter().map(|d| d.state.clone()).collect(), n);
        chart
            .configure_mesh()
            .x_desc("difference in alignment at the horizon (← toward the West · toward Moscow →)")
            .y_label_formatter(&label)
            .y_labels(self.rows.len() * 2 + 1)
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 13))
            .disable_y_mesh()
            .draw()
            .map_err(err)?;
        chart
            .draw_series([PathElement::new([(0.0, 0.0), (0.0, n)], BLACK.mix(0.6))])
            .map_err(err)?;
        for (k, d) in self.rows.iter().enumerate() {
            let y = n - k as f64 - 0.5;
            let colour = diverging(d.diff.signum() * 0.9);
            chart
                .draw_series([
                    PathElement::new([(d.low, y), (d.high, y)], BLACK.stroke_width(2)),
                    PathElement::new(
                        [(d.low, y - 0.18), (d.low, y + 0.18)],
                        BLACK.stroke_width(2),
                    ),
                    PathElement::new(
                        [(d.high, y - 0.18), (d.high, y + 0.18)],
                        BLACK.stroke_width(2),
                    ),
                ])
                .map_err(err)?;
            chart
                .draw_series([
                    Circle::new((d.diff, y), 6, colour.filled()),
                    Circle::new((d.diff, y), 6, BLACK),
                ])
                .map_err(err)?;
        }
        Ok(())
    }
}

/// Mean of an output over a two-parameter grid, one cell per point.
pub struct Heatmap {
    pub title: String,
    pub x_name: String,
    pub y_name: String,
    /// Labels of the columns and rows.
    pub xs: Vec<String>,
    pub ys: Vec<String>,
    /// values[yi][xi]; NaN where a point failed.
    pub values: Vec<Vec<f64>>,
    /// Colour on the West–Moscow scale, saturating at ±this many alignment units (alignments
    /// and effects), or, if `None`, by rank from light to dark.
    pub diverging: Option<f64>,
}

impl Heatmap {
    /// Pixels for the row labels: room for the longest.
    fn y_label_area(&self) -> u32 {
        let longest = self.ys.iter().map(|l| l.chars().count()).max().unwrap_or(0) as u32;
        (20 + 7 * longest).clamp(60, 260)
    }
}

impl Chart for Heatmap {
    fn size(&self) -> (u32, u32) {
        let rows = self.ys.len() as u32;
        (
            840 + self.y_label_area(),
            (140 + 22 * rows).clamp(640, 1400),
        )
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let (nx, ny) = (self.xs.len().max(1), self.ys.len().max(1));
        let finite = || {
            self.values
                .iter()
                .flatten()
                .copied()
                .filter(|v| v.is_finite())
        };
        let (lo, hi) = (
            finite().fold(f64::MAX, f64::min),
            finite().fold(f64::MIN, f64::max),
        );
        let colour = |v: f64| {
            if !v.is_finite() {
                RGBColor(200, 200, 200)
            } else if let Some(scale) = self.diverging {
                diverging((v / scale).clamp(-1.0, 1.0))
            } else {
                let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
                let c = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
                RGBColor(c(242.0, 84.0), c(240.0, 39.0), c(247.0, 143.0))
            }
        };
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, (FONT, 16, FontStyle::Bold))
            .margin(14)
            .margin_right(30)
            .x_label_area_size(50)
            .y_label_area_size(self.y_label_area())
            .build_cartesian_2d(-0.5..nx as f64 - 0.5, -0.5..ny as f64 - 0.5)
            .map_err(err)?;
        let (xs, ys) = (self.xs.clone(), self.ys.clone());
        let at = |labels: &[String], x: f64| {
            let k = x.round();
            if (x - k).abs() > 1e-6 || k < 0.0 {
                return String::new();
            }
            labels.get(k as usize).cloned().unwrap_or_default()
        };
        let x_label = move |x: &f64| at(&xs, *x);
        let y_label = move |y: &f64| at(&ys, *y);
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(self.x_name.as_str())
            .y_desc(self.y_name.as_str())
            .x_labels(nx.min(40))
            .y_labels(ny.min(40))
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 13))
            .draw()
            .map_err(err)?;
        for (yi, row) in self.values.iter().enumerate() {
            for (xi, &v) in row.iter().enumerate() {
                let (x, y) = (xi as f64, yi as f64);
                chart
                    .draw_series([Rectangle::new(
                        [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                        colour(v).filled(),
                    )])
                    .map_err(err)?;
                if nx * ny <= 100 && v.is_finite() {
                    chart
                        .draw_series([Text::new(
                            format!("{v:+.2}"),
                            (x - 0.15, y + 0.05),
                            (FONT, 12),
                        )])
                        .map_err(err)?;
                }
            }
        }
        Ok(())
    }
}

/// Sensitivity of one output to each parameter, largest first, with 95 % intervals.
pub struct Tornado {
    pub title: String,
    pub x_desc: String,
    /// (parameter, value, half-width)
    pub rows: Vec<(String, f64, f64)>,
}

impl Chart for Tornado {
    fn size(&self) -> (u32, u32) {
        (1000, 100 + 36 * self.rows.len().max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let n = self.rows.len().max(1) as f64;
        let top = self
            .rows
            .iter()
            .map(|r| (r.1 + r.2).abs())
            .fold(0.05, f64::max)
            * 1.1;
        let low = self.rows.iter().map(|r| r.1 - r.2).fold(0.0, f64::min);
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, (FONT, 16, FontStyle::Bold))
            .margin(12)
            .margin_right(30)
            .x_label_area_size(44)
            .y_label_area_size(260)
            .build_cartesian_2d(low..top, 0f64..n)
            .map_err(err)?;
        let label = row_labels(self.rows.iter().map(|r| r.0.clone()).collect(), n);
        chart
            .configure_mesh()
            .x_desc(self.x_desc.as_str())
            .y_label_formatter(&label)
            .y_labels(self.rows.len() * 2 + 1)
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 13))
            .disable_y_mesh()
            .draw()
            .map_err(err)?;
        for (k, (_, v, half)) in self.rows.iter().enumerate() {
            let y = n - k as f64 - 0.5;
            chart
                .draw_series([Rectangle::new(
                    [(0.0, y - 0.3), (*v, y + 0.3)],
                    SCENARIO_COLOURS[2].mix(0.8).filled(),
                )])
                .map_err(err)?;
            chart
                .draw_series([PathElement::new(
                    [(v - half, y), (v + half, y)],
                    BLACK.stroke_width(2),
                )])
                .map_err(err)?;
        }
        Ok(())
    }
}
