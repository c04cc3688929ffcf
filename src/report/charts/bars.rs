//! The probability of an event per state, as bars with their intervals.

use super::rows::{Frame, RowChart, whisker};
use super::{MOSCOW, Plot, err, percent};
use plotters::prelude::*;

/// Per state, the probability of an event at the horizon with its Wilson interval.
pub struct Bars {
    pub title: String,
    pub x_desc: String,
    pub rows: Vec<Bar>,
}

/// One state's bar: its probability and the low and high ends of its interval.
#[derive(Clone, Debug)]
pub struct Bar {
    pub label: String,
    pub probability: f64,
    pub low: f64,
    pub high: f64,
}

impl RowChart for Bars {
    type Row = Bar;

    fn rows(&self) -> &[Self::Row] {
        &self.rows
    }

    fn name(row: &Self::Row) -> String {
        row.label.clone()
    }

    fn frame(&self) -> Frame<'_> {
        Frame {
            title: &self.title,
            caption: 16,
            width: 1000,
            base: 90,
            pitch: 30,
            margin_right: 24,
            x_label_area: 40,
            y_label_area: 250,
            x: 0.0..1.0,
            x_desc: &self.x_desc,
            x_labels: Some(&percent),
            diverging: false,
        }
    }

    fn draw_row<DB: DrawingBackend>(
        &self,
        chart: &mut Plot<'_, DB>,
        row: &Self::Row,
        y: f64,
    ) -> Result<(), String> {
        chart
            .draw_series([Rectangle::new(
                [(0.0, y - 0.32), (row.probability, y + 0.32)],
                MOSCOW.mix(0.75).filled(),
            )])
            .map_err(err)?;
        chart
            .draw_series(whisker(row.low, row.high, y, 0.15))
            .map_err(err)?;
        Ok(())
    }
}
