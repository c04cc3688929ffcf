//! The fan chart of one state's alignment.

use super::{BAND, Chart, FONT, MOSCOW, WEST, date_label, err, legend};
use crate::report::data::{EventStat, Stat};
use crate::scenario::YearMonth;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

/// Median alignment with its 50 % and 90 % bands over time, the zero line, the leaning
/// thresholds, and the median date of each threshold event that happened in ≥ 5 % of runs.
pub struct Fan<'a> {
    pub title: String,
    pub series: &'a [Stat],
    pub start: YearMonth,
    pub theta: f64,
    pub events: Vec<&'a EventStat>,
    pub runs: u64,
    pub size: FanSize,
}

/// A fan chart on a page of its own, or as one panel of the grid of all states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FanSize {
    Page,
    Panel,
}

impl Fan<'_> {
    fn panel(&self) -> bool {
        self.size == FanSize::Panel
    }
}

impl Chart for Fan<'_> {
    fn size(&self) -> (u32, u32) {
        if self.panel() { (400, 260) } else { (900, 520) }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let months = (self.series.len().max(2) - 1) as f64;
        let (caption, label) = if self.panel() { (14, 11) } else { (20, 14) };
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, (FONT, caption, FontStyle::Bold))
            .margin(if self.panel() { 6 } else { 12 })
            .margin_right(if self.panel() { 18 } else { 36 })
            .x_label_area_size(if self.panel() { 22 } else { 40 })
            .y_label_area_size(if self.panel() { 34 } else { 60 })
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
        mesh.x_labels(if self.panel() { 4 } else { 8 })
            .y_labels(5)
            .x_label_formatter(&labels)
            .label_style((FONT, label))
            .light_line_style(WHITE.mix(0.0));
        if !self.panel() {
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
                BLACK.stroke_width(if self.panel() { 1 } else { 2 }),
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
            if !self.panel() {
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
        if !self.panel() {
            legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        }
        Ok(())
    }
}
