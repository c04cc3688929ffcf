//! One output of a sweep over time across its points: the envelope (least to greatest of the
//! points' monthly means), the median over the points, and each point's line.

use super::{
    BAND, Chart, FONT, SCENARIO_COLOURS, Swatch, TimePlot, date_label, err, heading,
    heading_height, month_axis, months_spanned, short_number, trimmed,
};
use crate::scenario::YearMonth;
use plotters::coord::Shift;
use plotters::prelude::*;

/// An output's monthly mean over each point's runs, every point of a sweep on one chart.
pub struct Envelope {
    pub title: String,
    pub start: YearMonth,
    /// The output, named on the y axis.
    pub output: String,
    /// Each (unfailed) point's monthly means, month 0 first.
    pub lines: Vec<Vec<f64>>,
}

/// Most point lines drawn; past this the envelope and median alone are clearer.
const MOST_LINES: usize = 400;
const TITLE: u32 = 16;

impl Envelope {
    /// Least, median and greatest of the points' means in each month.
    fn bands(&self) -> Vec<(f64, f64, f64)> {
        let months = self.lines.iter().map(Vec::len).max().unwrap_or(0);
        (0..months)
            .map(|t| {
                let mut v: Vec<f64> = self
                    .lines
                    .iter()
                    .filter_map(|l| l.get(t).copied())
                    .collect();
                v.sort_by(f64::total_cmp);
                let median = if v.len() % 2 == 1 {
                    v[v.len() / 2]
                } else {
                    (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0
                };
                (v[0], median, v[v.len() - 1])
            })
            .collect()
    }

    /// The smallest and largest value over every point and month.
    fn extent(&self) -> Option<(f64, f64)> {
        let all = self.lines.iter().flatten().copied();
        let lo = all.clone().fold(f64::INFINITY, f64::min);
        let hi = all.fold(f64::NEG_INFINITY, f64::max);
        (lo <= hi).then_some((lo, hi))
    }

    /// Whether every point's every month has the same value (or there is none).
    pub fn is_uniform(&self) -> bool {
        self.extent()
            .is_none_or(|(lo, hi)| hi - lo <= 1e-12 * hi.abs().max(1.0))
    }
}

impl Chart for Envelope {
    fn size(&self) -> (u32, u32) {
        (1000, 560)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let (top, rest) = area.split_vertically(heading_height(TITLE));
        self.heading(&top)?;
        let Some(extent) = self.extent() else {
            return Ok(());
        };
        let months = months_spanned(self.lines.iter().map(Vec::len));
        let mut chart = self.frame(&rest, months, extent)?;
        self.lines(&mut chart, &self.bands())
    }
}

/// The colour of the points' lines.
const LINE: RGBColor = SCENARIO_COLOURS[2];

impl Envelope {
    /// Whether each point's line is drawn (not past [`MOST_LINES`]).
    fn each_point(&self) -> bool {
        self.lines.len() <= MOST_LINES
    }

    /// The title and the legend: the range, the median and (when drawn) one point's line.
    fn heading<DB: DrawingBackend>(
        &self,
        top: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        let mut entries = vec![
            (
                format!("range over the {} points", self.lines.len()),
                vec![Swatch::Band(BAND.mix(0.22))],
            ),
            (
                "median over the points".to_string(),
                vec![Swatch::Line(BLACK)],
            ),
        ];
        if self.each_point() {
            entries.push(("one point".to_string(), vec![Swatch::Line(LINE)]));
        }
        heading(top, &self.title, TITLE, &entries, 12)
    }

    /// The axes: `months` months from the start, the values `(lo, hi)` with a margin.
    fn frame<'a, DB: DrawingBackend>(
        &self,
        rest: &'a DrawingArea<DB, Shift>,
        months: usize,
        (lo, hi): (f64, f64),
    ) -> std::result::Result<TimePlot<'a, DB>, String> {
        let pad = ((hi - lo) * 0.06).max(hi.abs().max(1.0) * 1e-6);
        let mut chart = ChartBuilder::on(rest)
            .margin(8)
            .margin_right(30)
            .x_label_area_size(34)
            .y_label_area_size(70)
            .build_cartesian_2d(month_axis(self.start, months, 10), lo - pad..hi + pad)
            .map_err(err)?;
        let labels = date_label(self.start);
        let format = |v: &f64| trimmed(short_number(*v));
        chart
            .configure_mesh()
            .x_label_formatter(&labels)
            .y_label_formatter(&format)
            .y_desc(self.output.as_str())
            .max_light_lines(1)
            .bold_line_style(BLACK.mix(0.08))
            .light_line_style(BLACK.mix(0.03))
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 13))
            .draw()
            .map_err(err)?;
        Ok(chart)
    }

    /// The envelope, each point's line (fainter the more there are) and the median on top.
    fn lines<DB: DrawingBackend>(
        &self,
        chart: &mut TimePlot<'_, DB>,
        bands: &[(f64, f64, f64)],
    ) -> std::result::Result<(), String> {
        let upper = bands.iter().enumerate().map(|(t, b)| (t as f64, b.2));
        let lower = bands.iter().enumerate().rev().map(|(t, b)| (t as f64, b.0));
        chart
            .draw_series([Polygon::new(
                upper.chain(lower).collect::<Vec<_>>(),
                BAND.mix(0.22).filled(),
            )])
            .map_err(err)?;
        if self.each_point() {
            let alpha = (8.0 / self.lines.len() as f64).clamp(0.08, 0.6);
            for line in &self.lines {
                chart
                    .draw_series(LineSeries::new(
                        line.iter().enumerate().map(|(t, &v)| (t as f64, v)),
                        LINE.mix(alpha).stroke_width(1),
                    ))
                    .map_err(err)?;
            }
        }
        chart
            .draw_series(LineSeries::new(
                bands.iter().enumerate().map(|(t, b)| (t as f64, b.1)),
                BLACK.stroke_width(2),
            ))
            .map_err(err)?;
        Ok(())
    }
}
