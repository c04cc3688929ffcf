//! The heatmap of a two-parameter grid sweep (and of the levers table).

use super::{Chart, FONT, Plot, colour_bar, diverging, err};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

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

/// Width of the colour bar beside the cells, in pixels.
const BAR: u32 = 150;

impl Heatmap {
    /// The smallest and largest finite value.
    pub fn extent(&self) -> Option<(f64, f64)> {
        let finite = self
            .values
            .iter()
            .flatten()
            .copied()
            .filter(|v| v.is_finite());
        let lo = finite.clone().fold(f64::MAX, f64::min);
        let hi = finite.fold(f64::MIN, f64::max);
        (lo <= hi).then_some((lo, hi))
    }

    /// Whether every cell has the same value (or none has one): then there is nothing to draw.
    pub fn is_uniform(&self) -> bool {
        self.extent()
            .is_none_or(|(lo, hi)| hi - lo <= 1e-12 * hi.abs().max(1.0))
    }

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
            840 + self.y_label_area() + BAR,
            (140 + 22 * rows).clamp(640, 1400),
        )
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let (width, height) = area.dim_in_pixel();
        let (cells, bar) = area.split_horizontally(width - BAR);
        let extent = self.extent().unwrap_or((0.0, 1.0));
        let mut chart = self.frame(&cells)?;
        self.cells(&mut chart, extent)?;
        self.scale(&bar, height, extent)
    }
}

impl Heatmap {
    /// A cell's colour: on the West–Moscow scale, or by rank from light to dark within
    /// `(lo, hi)`; grey where a point failed.
    fn colour(&self, v: f64, (lo, hi): (f64, f64)) -> RGBColor {
        if !v.is_finite() {
            RGBColor(200, 200, 200)
        } else if let Some(scale) = self.diverging {
            diverging((v / scale).clamp(-1.0, 1.0))
        } else {
            let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
            let c = |a: f64, b: f64| (a + (b - a) * t.clamp(0.0, 1.0)).round() as u8;
            RGBColor(c(242.0, 84.0), c(240.0, 39.0), c(247.0, 143.0))
        }
    }

    /// The title and the axes: a column per x label, a row per y label.
    fn frame<'a, DB: DrawingBackend>(
        &self,
        cells: &'a DrawingArea<DB, Shift>,
    ) -> std::result::Result<Plot<'a, DB>, String> {
        let (nx, ny) = (self.xs.len().max(1), self.ys.len().max(1));
        let mut chart = ChartBuilder::on(cells)
            .caption(&self.title, (FONT, 16, FontStyle::Bold))
            .margin(14)
            .margin_right(30)
            .x_label_area_size(50)
            .y_label_area_size(self.y_label_area())
            .build_cartesian_2d(-0.5..nx as f64 - 0.5, -0.5..ny as f64 - 0.5)
            .map_err(err)?;
        let at = |labels: &[String], x: f64| {
            let k = x.round();
            if (x - k).abs() > 1e-6 || k < 0.0 {
                return String::new();
            }
            labels.get(k as usize).cloned().unwrap_or_default()
        };
        let x_label = |x: &f64| at(&self.xs, *x);
        let y_label = |y: &f64| at(&self.ys, *y);
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
        Ok(chart)
    }

    /// Each cell in its colour and, on a grid of at most 100 cells, its value (white on a dark
    /// cell).
    fn cells<DB: DrawingBackend>(
        &self,
        chart: &mut Plot<'_, DB>,
        (lo, hi): (f64, f64),
    ) -> std::result::Result<(), String> {
        let labelled = self.xs.len().max(1) * self.ys.len().max(1) <= 100;
        for (yi, row) in self.values.iter().enumerate() {
            for (xi, &v) in row.iter().enumerate() {
                let (x, y) = (xi as f64, yi as f64);
                chart
                    .draw_series([Rectangle::new(
                        [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                        self.colour(v, (lo, hi)).filled(),
                    )])
                    .map_err(err)?;
                if labelled && v.is_finite() {
                    let dark = self
                        .diverging
                        .map_or((v - lo) / (hi - lo).max(1e-12) > 0.6, |s| {
                            (v / s).abs() > 0.6
                        });
                    chart
                        .draw_series([Text::new(
                            super::signed(v, 2),
                            (x - 0.15, y + 0.05),
                            (FONT, 12)
                                .into_font()
                                .color(if dark { &WHITE } else { &BLACK }),
                        )])
                        .map_err(err)?;
                }
            }
        }
        Ok(())
    }

    /// The colour bar in `bar`: ±the scale with its poles named, or five values from `lo` to
    /// `hi`.
    fn scale<DB: DrawingBackend>(
        &self,
        bar: &DrawingArea<DB, Shift>,
        height: u32,
        (lo, hi): (f64, f64),
    ) -> std::result::Result<(), String> {
        let ticks: Vec<(f64, String)> = match self.diverging {
            Some(scale) => vec![
                (scale, format!("{} Moscow", super::signed(scale, 1))),
                (0.0, "0".into()),
                (-scale, format!("{} West", super::signed(-scale, 1))),
            ],
            None => (0..5)
                .map(|k| {
                    let v = lo + (hi - lo) * k as f64 / 4.0;
                    (v, super::short_number(v))
                })
                .collect(),
        };
        let range = match self.diverging {
            Some(scale) => (-scale, scale),
            None => (lo, hi),
        };
        colour_bar(
            bar,
            (10, 80, height as i32 - 90),
            range,
            &|v| self.colour(v, (lo, hi)),
            &ticks,
            &["colour scale"],
        )
    }
}
