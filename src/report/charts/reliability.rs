//! A hindcast's reliability diagram: the model's forecasts in bins of probability against how
//! often what they forecast happened. A reliable forecaster's points lie on the diagonal.

use super::{Chart, FONT, SCENARIO_COLOURS, err, percent};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

/// One point per bin: (mean forecast, share observed, forecasts in the bin).
pub struct ReliabilityDiagram {
    pub title: String,
    pub bins: Vec<(f64, f64, usize)>,
}

const POINT: RGBColor = SCENARIO_COLOURS[2];

impl Chart for ReliabilityDiagram {
    fn size(&self) -> (u32, u32) {
        (720, 640)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, (FONT, 16, FontStyle::Bold))
            .margin(14)
            .margin_right(30)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(-0.02f64..1.02, -0.02f64..1.02)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("forecast: mean share of runs in which the outcomes held, per bin")
            .y_desc("share of those outcomes that happened")
            .x_label_formatter(&percent)
            .y_label_formatter(&percent)
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 13))
            .light_line_style(BLACK.mix(0.03))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(DashedLineSeries::new(
                [(0.0, 0.0), (1.0, 1.0)],
                6,
                4,
                BLACK.mix(0.45).stroke_width(1),
            ))
            .map_err(err)?;
        chart
            .draw_series([Text::new(
                "perfectly reliable",
                (0.55, 0.5),
                (FONT, 12).into_font().color(&BLACK.mix(0.6)),
            )])
            .map_err(err)?;
        let largest = self.bins.iter().map(|b| b.2).max().unwrap_or(1).max(1) as f64;
        for &(forecast, observed, n) in &self.bins {
            // The area of a point is proportional to its count: radius from 5 to 18 pixels.
            let radius = (5.0 + 13.0 * (n as f64 / largest).sqrt()) as i32;
            chart
                .draw_series([PathElement::new(
                    [(forecast, forecast), (forecast, observed)],
                    BLACK.mix(0.3).stroke_width(2),
                )])
                .map_err(err)?;
            chart
                .draw_series([
                    Circle::new((forecast, observed), radius, POINT.mix(0.8).filled()),
                    Circle::new((forecast, observed), radius, BLACK),
                ])
                .map_err(err)?;
            let (x, y) = chart.backend_coord(&(forecast, observed));
            let base = area.get_base_pixel();
            let right = x + radius + 4 + 60 < chart.plotting_area().get_pixel_range().0.end;
            let at = if right {
                (x - base.0 + radius + 4, y - base.1 - 7)
            } else {
                (x - base.0 - radius - 64, y - base.1 - 7)
            };
            area.draw(&Text::new(format!("n = {n}"), at, (FONT, 12)))
                .map_err(err)?;
        }
        Ok(())
    }
}
