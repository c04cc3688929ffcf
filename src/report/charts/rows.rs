//! The frame the charts of horizontal rows share (bars, forest, tornado, hindcast, targets):
//! one row per name, the first at the top, its name on the y axis, a numeric x axis.

use super::{Chart, FONT, MOSCOW, Plot, Swatch, WEST, err, heading, heading_height};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::ops::Range;

/// A chart of horizontal rows. It says how it is laid out and draws each row; the frame, the
/// axes and the rows' names are drawn here, the same way for all.
pub trait RowChart: Sync {
    type Row;
    /// The rows, the first at the top.
    fn rows(&self) -> &[Self::Row];
    /// A row's name, on the y axis.
    fn name(row: &Self::Row) -> String;
    fn frame(&self) -> Frame<'_>;
    /// Draws one row, centred on `y` (rows are one unit apart).
    fn draw_row<DB: DrawingBackend>(
        &self,
        chart: &mut Plot<'_, DB>,
        row: &Self::Row,
        y: f64,
    ) -> Result<(), String>;
    /// The legend's entries (name and colour), if the rows draw more than one thing.
    fn keys(&self) -> Vec<(String, RGBColor)> {
        Vec::new()
    }
    /// Pixels for the row names: 7 a character of the longest and 16 more, within `clamp`.
    fn name_area(&self, clamp: std::ops::RangeInclusive<u32>) -> u32 {
        let longest = self
            .rows()
            .iter()
            .map(|r| Self::name(r).chars().count())
            .max()
            .unwrap_or(0) as u32;
        (16 + 7 * longest).clamp(*clamp.start(), *clamp.end())
    }
}

/// Extra height for the legend row of a chart with keys.
const KEYS: u32 = 24;

/// How a row chart is laid out.
pub struct Frame<'a> {
    pub title: &'a str,
    /// Font size of the title.
    pub caption: u32,
    pub width: u32,
    /// The height is `base` pixels plus `pitch` per row.
    pub base: u32,
    pub pitch: u32,
    pub margin_right: u32,
    pub x_label_area: u32,
    pub y_label_area: u32,
    pub x: Range<f64>,
    pub x_desc: &'a str,
    /// Labels of the x axis, if not plotters' plain numbers.
    pub x_labels: Option<&'a dyn Fn(&f64) -> String>,
    /// Tint the halves of a signed x axis toward their pole (West below zero, Moscow above)
    /// and draw the zero line.
    pub diverging: bool,
}

impl<T: RowChart> Chart for T {
    fn size(&self) -> (u32, u32) {
        let frame = self.frame();
        (
            frame.width,
            frame.base
                + frame.pitch * self.rows().len().max(1) as u32
                + if self.keys().is_empty() { 0 } else { KEYS },
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (frame, rows) = (self.frame(), self.rows());
        area.fill(&WHITE).map_err(err)?;
        let n = rows.len().max(1) as f64;
        let keys = self.keys();
        // With keys, the title and the legend go above the plot, where they cover nothing.
        let body = if keys.is_empty() {
            area.clone()
        } else {
            let (top, rest) = area.split_vertically(heading_height(frame.caption));
            let entries: Vec<(String, Vec<Swatch>)> = keys
                .iter()
                .map(|(name, colour)| (name.clone(), vec![Swatch::Band(colour.to_rgba())]))
                .collect();
            heading(&top, frame.title, frame.caption, &entries, 12)?;
            rest
        };
        let mut builder = ChartBuilder::on(&body);
        if keys.is_empty() {
            builder.caption(frame.title, (FONT, frame.caption, FontStyle::Bold));
        }
        let mut chart = builder
            .margin(12)
            .margin_right(frame.margin_right)
            .x_label_area_size(frame.x_label_area)
            .y_label_area_size(frame.y_label_area)
            .build_cartesian_2d(frame.x.clone(), 0f64..n)
            .map_err(err)?;
        if frame.diverging {
            chart
                .draw_series([
                    Rectangle::new([(0.0, 0.0), (frame.x.end, n)], MOSCOW.mix(0.06).filled()),
                    Rectangle::new([(frame.x.start, 0.0), (0.0, n)], WEST.mix(0.06).filled()),
                ])
                .map_err(err)?;
        }
        let label = row_labels(rows.iter().map(T::name).collect(), n);
        let mut mesh = chart.configure_mesh();
        mesh.x_desc(frame.x_desc)
            .y_label_formatter(&label)
            .y_labels(rows.len() * 2 + 1)
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 13))
            .max_light_lines(1)
            .disable_y_mesh();
        if let Some(x_labels) = frame.x_labels {
            mesh.x_label_formatter(x_labels);
        }
        mesh.draw().map_err(err)?;
        if frame.diverging {
            chart
                .draw_series([PathElement::new([(0.0, 0.0), (0.0, n)], BLACK.mix(0.6))])
                .map_err(err)?;
        }
        for (k, row) in rows.iter().enumerate() {
            self.draw_row(&mut chart, row, n - k as f64 - 0.5)?;
        }
        Ok(())
    }
}

/// An interval from `lo` to `hi` at height `y`, with end caps `cap` above and below.
pub fn whisker(lo: f64, hi: f64, y: f64, cap: f64) -> [PathElement<(f64, f64)>; 3] {
    let style = BLACK.stroke_width(2);
    [
        PathElement::new([(lo, y), (hi, y)], style),
        PathElement::new([(lo, y - cap), (lo, y + cap)], style),
        PathElement::new([(hi, y - cap), (hi, y + cap)], style),
    ]
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
