//! A nowcast's states, one panel each: the observations read on the model's axis (a dot with
//! its 90 % range, coloured by series) and the filter's path with its 90 % band up to the origin;
//! or a forecast's, its fan after the origin beside the ideal points observed before it.

use super::{BAND, Chart, FONT, MOSCOW, SCENARIO_COLOURS, Swatch, err, heading, heading_height};
use plotters::coord::Shift;
use plotters::prelude::*;

/// A point of a state's filtered path: the time in years, the mean, p05 and p95.
#[derive(Clone, Copy, Debug)]
pub struct TrackPoint {
    pub year: f64,
    pub mean: f64,
    pub p05: f64,
    pub p95: f64,
}

/// An observation read on the model's axis: the time in years, the reading and its 90 %
/// range, and whether it is an ideal point (else a CFSP rate).
#[derive(Clone, Copy, Debug)]
pub struct Reading {
    pub year: f64,
    pub mean: f64,
    pub p05: f64,
    pub p95: f64,
    pub ideal_point: bool,
}

/// One state's panel.
pub struct TrackPanel {
    pub state: String,
    pub path: Vec<TrackPoint>,
    pub readings: Vec<Reading>,
}

/// The panels of a nowcast (or a forecast), on one scale of years and of values.
pub struct Tracks {
    pub title: String,
    pub panels: Vec<TrackPanel>,
    pub years: (f64, f64),
    /// The legend's words for the band and for the ideal points.
    pub legend: [String; 2],
    /// Each panel on its own y scale (at least `min_span` wide), rather than one for all.
    pub own_scale: Option<f64>,
}

/// Panels per row.
const COLUMNS: usize = 4;
const TITLE: u32 = 16;
const IDEAL: RGBColor = SCENARIO_COLOURS[0];
const CFSP: RGBColor = MOSCOW;

impl Tracks {
    /// The y range: every band and reading of `panels`, padded.
    fn y_range<'a>(panels: impl Iterator<Item = &'a TrackPanel>) -> (f64, f64) {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for p in panels {
            for t in &p.path {
                lo = lo.min(t.p05);
                hi = hi.max(t.p95);
            }
            for r in &p.readings {
                lo = lo.min(r.p05);
                hi = hi.max(r.p95);
            }
        }
        let pad = 0.04 * (hi - lo);
        (lo - pad, hi + pad)
    }
}

impl Chart for Tracks {
    fn size(&self) -> (u32, u32) {
        let rows = self.panels.len().div_ceil(COLUMNS).max(1) as u32;
        (1200, heading_height(TITLE) + 220 * rows)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let (top, body) = area.split_vertically(heading_height(TITLE));
        let mut legend = vec![
            (
                self.legend[0].clone(),
                vec![Swatch::Band(BAND.mix(0.25)), Swatch::Line(BAND)],
            ),
            (self.legend[1].clone(), vec![Swatch::Dot(IDEAL)]),
        ];
        let readings = self.panels.iter().flat_map(|p| &p.readings);
        if readings.clone().any(|r| !r.ideal_point) {
            legend.push((
                "CFSP alignment read on the axis, 90 %".to_string(),
                vec![Swatch::Dot(CFSP)],
            ));
        }
        heading(&top, &self.title, TITLE, &legend, 12)?;
        let rows = self.panels.len().div_ceil(COLUMNS).max(1);
        let shared = Tracks::y_range(self.panels.iter());
        for (cell, panel) in body.split_evenly((rows, COLUMNS)).iter().zip(&self.panels) {
            let y = match self.own_scale {
                Some(span) => {
                    let (lo, hi) = Tracks::y_range(std::iter::once(panel));
                    let widen = (span - (hi - lo)).max(0.0) / 2.0;
                    (lo - widen, hi + widen)
                }
                None => shared,
            };
            self.panel(cell, panel, y)?;
        }
        Ok(())
    }
}

impl Tracks {
    /// One state's panel: its band and path, then its readings with their ranges.
    fn panel<DB: DrawingBackend>(
        &self,
        cell: &DrawingArea<DB, Shift>,
        panel: &TrackPanel,
        (lo, hi): (f64, f64),
    ) -> std::result::Result<(), String> {
        let mut chart = ChartBuilder::on(cell)
            .caption(panel.state.as_str(), (FONT, 13))
            .margin(6)
            .x_label_area_size(22)
            .y_label_area_size(34)
            .build_cartesian_2d(self.years.0..self.years.1, lo..hi)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_labels(4)
            .y_labels(5)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{v:+.1}"))
            .label_style((FONT, 10))
            .light_line_style(BLACK.mix(0.03))
            .bold_line_style(BLACK.mix(0.08))
            .draw()
            .map_err(err)?;
        let band: Vec<(f64, f64)> = (panel.path.iter().map(|t| (t.year, t.p95)))
            .chain(panel.path.iter().rev().map(|t| (t.year, t.p05)))
            .collect();
        chart
            .draw_series([Polygon::new(band, BAND.mix(0.25).filled())])
            .map_err(err)?;
        chart
            .draw_series([PathElement::new(
                panel
                    .path
                    .iter()
                    .map(|t| (t.year, t.mean))
                    .collect::<Vec<_>>(),
                BAND.stroke_width(2),
            )])
            .map_err(err)?;
        let colour = |r: &Reading| if r.ideal_point { IDEAL } else { CFSP };
        chart
            .draw_series(
                panel.readings.iter().map(|r| {
                    PathElement::new([(r.year, r.p05), (r.year, r.p95)], colour(r).mix(0.5))
                }),
            )
            .map_err(err)?;
        chart
            .draw_series(
                panel
                    .readings
                    .iter()
                    .map(|r| Circle::new((r.year, r.mean), 2, colour(r).filled())),
            )
            .map_err(err)?;
        Ok(())
    }
}
