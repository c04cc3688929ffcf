//! Regional indicators over time, scenarios overlaid.

use super::{
    Band, Chart, FONT, alignment_tick, band, date_label, err, legend, month_axis, months_spanned,
    scenario_colour, titled_page,
};
use crate::report::data::Stat;
use crate::scenario::YearMonth;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One panel of regional indicators: a line (and optional band) per scenario.
pub struct Panel<'a> {
    pub name: String,
    pub y_desc: String,
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
        let body = titled_page(area, &self.title, 20)?;
        for (cell, panel) in body
            .split_evenly((self.panels.len(), 1))
            .iter()
            .zip(&self.panels)
        {
            self.panel(cell, panel)?;
        }
        Ok(())
    }
}

impl Regional<'_> {
    /// One panel: its axes, then each scenario's band (for a median) and line, and the legend.
    fn panel<DB: DrawingBackend>(
        &self,
        cell: &DrawingArea<DB, Shift>,
        panel: &Panel<'_>,
    ) -> std::result::Result<(), String> {
        let months = months_spanned(panel.lines.iter().map(|(_, s)| s.len()));
        let mut chart = ChartBuilder::on(cell)
            .caption(&panel.name, (FONT, 15))
            .margin(10)
            .margin_right(36)
            .x_label_area_size(32)
            .y_label_area_size(60)
            .build_cartesian_2d(
                month_axis(self.start, months, 10),
                panel.range.0..panel.range.1,
            )
            .map_err(err)?;
        let labels = date_label(self.start);
        chart
            .configure_mesh()
            .x_label_formatter(&labels)
            .y_label_formatter(&alignment_tick)
            .max_light_lines(1)
            .bold_line_style(BLACK.mix(0.1))
            .light_line_style(BLACK.mix(0.04))
            .y_desc(&panel.y_desc)
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 12))
            .draw()
            .map_err(err)?;
        for (k, (name, series)) in panel.lines.iter().enumerate() {
            let colour = scenario_colour(k);
            if panel.median {
                chart
                    .draw_series([Polygon::new(
                        band(series, Band::Ninety),
                        colour.mix(0.15).filled(),
                    )])
                    .map_err(err)?;
            }
            let value = |s: &Stat| if panel.median { s.p50 } else { s.mean };
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
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    }
}
