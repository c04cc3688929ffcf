//! Paired differences per state, as points with their intervals.

use super::rows::{Frame, RowChart, whisker};
use super::{Plot, diverging, err};
use crate::report::data::Difference;
use plotters::prelude::*;

/// Per state, the paired difference of a variant against the baseline with its 95 % interval.
pub struct Forest<'a> {
    pub title: String,
    pub rows: Vec<&'a Difference>,
}

impl<'a> RowChart for Forest<'a> {
    type Row = &'a Difference;

    fn rows(&self) -> &[Self::Row] {
        &self.rows
    }

    fn name(row: &Self::Row) -> String {
        row.state.clone()
    }

    fn frame(&self) -> Frame<'_> {
        let reach = self
            .rows
            .iter()
            .map(|d| d.low.abs().max(d.high.abs()))
            .fold(0.05, f64::max)
            * 1.1;
        Frame {
            title: &self.title,
            caption: 15,
            width: 900,
            base: 100,
            pitch: 30,
            margin_right: 24,
            x_label_area: 44,
            y_label_area: 90,
            x: -reach..reach,
            x_desc: "difference in alignment at the horizon (← toward the West · toward Moscow →)",
            x_labels: None,
            diverging: true,
        }
    }

    fn draw_row<DB: DrawingBackend>(
        &self,
        chart: &mut Plot<'_, DB>,
        d: &Self::Row,
        y: f64,
    ) -> Result<(), String> {
        chart
            .draw_series(whisker(d.low, d.high, y, 0.18))
            .map_err(err)?;
        let colour = diverging(d.diff.signum() * 0.9);
        chart
            .draw_series([
                Circle::new((d.diff, y), 6, colour.filled()),
                Circle::new((d.diff, y), 6, BLACK),
            ])
            .map_err(err)?;
        Ok(())
    }
}
