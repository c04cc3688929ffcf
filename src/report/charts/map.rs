//! The map of the region at the horizon.

use super::{Chart, FONT, diverging, err};
use crate::report::data::Series;
use crate::scenario::Scenario;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

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
