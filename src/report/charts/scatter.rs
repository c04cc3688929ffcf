//! One output of an LHS or Monte Carlo sweep against each parameter: a panel per parameter,
//! a dot per point at the output's mean over its runs, with the runs' 5–95 % range.

use super::{
    Chart, FONT, SCENARIO_COLOURS, Swatch, err, heading, heading_height, short_number, trimmed,
};
use plotters::coord::Shift;
use plotters::prelude::*;

/// A point of a sweep: the parameter's value (`at`), and the output's mean, p05 and p95 over
/// the point's runs.
#[derive(Clone, Copy, Debug)]
pub struct ScatterPoint {
    pub at: f64,
    pub mean: f64,
    pub p05: f64,
    pub p95: f64,
}

/// One parameter's panel: its key path, its range, and the points.
pub struct ScatterPanel {
    pub parameter: String,
    pub range: (f64, f64),
    pub points: Vec<ScatterPoint>,
}

/// An output against each parameter of a sweep, on one y scale.
pub struct Scatter {
    pub title: String,
    /// The output, named on the y axes.
    pub output: String,
    pub panels: Vec<ScatterPanel>,
}

/// Panels per row.
const COLUMNS: usize = 3;
const TITLE: u32 = 16;

impl Scatter {
    /// The points' smallest p05 and largest p95, padded; `None` without points.
    fn y_range(&self) -> Option<(f64, f64)> {
        let all = self.panels.iter().flat_map(|p| &p.points);
        let lo = all.clone().map(|p| p.p05).fold(f64::INFINITY, f64::min);
        let hi = all.map(|p| p.p95).fold(f64::NEG_INFINITY, f64::max);
        if lo > hi || lo.is_nan() || hi.is_nan() {
            return None;
        }
        let pad = ((hi - lo) * 0.06).max(hi.abs().max(1.0) * 1e-6);
        Some((lo - pad, hi + pad))
    }

    /// Whether every point has the same mean (or there is none): then there is nothing to draw.
    pub fn is_uniform(&self) -> bool {
        let means = self.panels.iter().flat_map(|p| &p.points).map(|p| p.mean);
        let lo = means.clone().fold(f64::INFINITY, f64::min);
        let hi = means.fold(f64::NEG_INFINITY, f64::max);
        lo > hi || hi - lo <= 1e-12 * hi.abs().max(1.0)
    }
}

impl Chart for Scatter {
    fn size(&self) -> (u32, u32) {
        let columns = self.panels.len().clamp(1, COLUMNS) as u32;
        let rows = self.panels.len().div_ceil(COLUMNS).max(1) as u32;
        ((430 * columns).max(900), heading_height(TITLE) + 380 * rows)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let (top, body) = area.split_vertically(heading_height(TITLE));
        heading(
            &top,
            &self.title,
            TITLE,
            &[
                (
                    "a point: mean over its runs".to_string(),
                    vec![Swatch::Dot(POINT)],
                ),
                ("5–95 % of its runs".to_string(), vec![Swatch::Line(RANGE)]),
            ],
            12,
        )?;
        let Some(y) = self.y_range() else {
            return Ok(());
        };
        let columns = self.panels.len().clamp(1, COLUMNS);
        let rows = self.panels.len().div_ceil(COLUMNS).max(1);
        for (cell, panel) in body.split_evenly((rows, columns)).iter().zip(&self.panels) {
            self.panel(cell, panel, y)?;
        }
        Ok(())
    }
}

/// The colours of a point's mean and of its runs' range.
const POINT: RGBColor = SCENARIO_COLOURS[2];
const RANGE: RGBColor = RGBColor(150, 150, 150);

impl Scatter {
    /// One parameter's panel: its axes (the output from `lo` to `hi`), each point's range,
    /// then the points.
    fn panel<DB: DrawingBackend>(
        &self,
        cell: &DrawingArea<DB, Shift>,
        panel: &ScatterPanel,
        (lo, hi): (f64, f64),
    ) -> std::result::Result<(), String> {
        let (x0, x1) = panel.range;
        let pad = ((x1 - x0) * 0.03).max(1e-9);
        let mut chart = ChartBuilder::on(cell)
            .margin(10)
            .margin_right(24)
            .x_label_area_size(46)
            .y_label_area_size(66)
            .build_cartesian_2d(x0 - pad..x1 + pad, lo..hi)
            .map_err(err)?;
        let format = |v: &f64| trimmed(short_number(*v));
        chart
            .configure_mesh()
            .x_desc(panel.parameter.as_str())
            .y_desc(self.output.as_str())
            .x_labels(5)
            .y_labels(6)
            .x_label_formatter(&format)
            .y_label_formatter(&format)
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 13))
            .light_line_style(BLACK.mix(0.03))
            .bold_line_style(BLACK.mix(0.08))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(
                panel
                    .points
                    .iter()
                    .map(|p| PathElement::new([(p.at, p.p05), (p.at, p.p95)], RANGE.mix(0.6))),
            )
            .map_err(err)?;
        chart
            .draw_series(
                panel
                    .points
                    .iter()
                    .map(|p| Circle::new((p.at, p.mean), 3, POINT.mix(0.85).filled())),
            )
            .map_err(err)?;
        Ok(())
    }
}
