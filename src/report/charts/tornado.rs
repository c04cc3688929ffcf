//! The sensitivity of an output to each parameter, as bars with their intervals.

use super::rows::{Frame, RowChart};
use super::{Plot, SCENARIO_COLOURS, err};
use plotters::prelude::*;

/// Sensitivity of one output to each parameter, largest first, with 95 % intervals.
pub struct Tornado {
    pub title: String,
    pub x_desc: String,
    /// (parameter, value, half-width)
    pub rows: Vec<(String, f64, f64)>,
}

impl RowChart for Tornado {
    type Row = (String, f64, f64);

    fn rows(&self) -> &[Self::Row] {
        &self.rows
    }

    fn name(row: &Self::Row) -> String {
        row.0.clone()
    }

    fn frame(&self) -> Frame<'_> {
        let top = self
            .rows
            .iter()
            .map(|r| (r.1 + r.2).abs())
            .fold(0.05, f64::max)
            * 1.1;
        let low = self.rows.iter().map(|r| r.1 - r.2).fold(0.0, f64::min);
        Frame {
            title: &self.title,
            caption: 16,
            width: 1000,
            base: 100,
            pitch: 36,
            margin_right: 30,
            x_label_area: 44,
            y_label_area: 260,
            x: low..top,
            x_desc: &self.x_desc,
            x_labels: None,
            diverging: false,
        }
    }

    fn draw_row<DB: DrawingBackend>(
        &self,
        chart: &mut Plot<'_, DB>,
        &(_, v, half): &Self::Row,
        y: f64,
    ) -> Result<(), String> {
        chart
            .draw_series([Rectangle::new(
                [(0.0, y - 0.3), (v, y + 0.3)],
                SCENARIO_COLOURS[2].mix(0.8).filled(),
            )])
            .map_err(err)?;
        chart
            .draw_series([PathElement::new(
                [(v - half, y), (v + half, y)],
                BLACK.stroke_width(2),
            )])
            .map_err(err)?;
        Ok(())
    }
}
