//! The sensitivity of an output to each parameter, as bars with their intervals: Sobol's
//! first-order S1 beside the total-order ST, or one index alone.

use super::rows::{Frame, RowChart};
use super::{Plot, SCENARIO_COLOURS, err};
use plotters::prelude::*;

/// Sensitivity of one output to each parameter, largest first, with 95 % intervals.
pub struct Tornado {
    pub title: String,
    pub x_desc: String,
    /// The indices each row shows, in drawing order from the top of the row (e.g. S1, ST).
    pub indices: Vec<String>,
    /// (parameter, per index (value, half-width of its 95 % interval))
    pub rows: Vec<(String, Vec<(f64, f64)>)>,
}

impl Tornado {
    fn colour(k: usize) -> RGBColor {
        [SCENARIO_COLOURS[6], SCENARIO_COLOURS[2]][k % 2]
    }

    /// Whether every bar and interval is zero: then there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.rows
            .iter()
            .flat_map(|r| &r.1)
            .all(|(v, half)| v.abs() < 1e-12 && half.abs() < 1e-12)
    }
}

impl RowChart for Tornado {
    type Row = (String, Vec<(f64, f64)>);

    fn rows(&self) -> &[Self::Row] {
        &self.rows
    }

    fn name(row: &Self::Row) -> String {
        row.0.clone()
    }

    fn frame(&self) -> Frame<'_> {
        let bars = || self.rows.iter().flat_map(|r| &r.1);
        let top = bars().map(|(v, h)| (v + h).abs()).fold(0.05, f64::max) * 1.1;
        let low = bars().map(|(v, h)| v - h).fold(0.0, f64::min) * 1.1;
        Frame {
            title: &self.title,
            caption: 16,
            width: 1000,
            base: 100,
            pitch: 24 + 16 * self.indices.len().max(1) as u32,
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
        (_, values): &Self::Row,
        y: f64,
    ) -> Result<(), String> {
        let k = values.len().max(1) as f64;
        let pitch = 0.72 / k;
        for (i, &(v, half)) in values.iter().enumerate() {
            let centre = y + 0.36 - pitch * (i as f64 + 0.5);
            chart
                .draw_series([Rectangle::new(
                    [(0.0, centre - 0.42 * pitch), (v, centre + 0.42 * pitch)],
                    Tornado::colour(i).mix(0.85).filled(),
                )])
                .map_err(err)?;
            chart
                .draw_series([PathElement::new(
                    [(v - half, centre), (v + half, centre)],
                    BLACK.stroke_width(2),
                )])
                .map_err(err)?;
        }
        Ok(())
    }

    fn keys(&self) -> Vec<(String, RGBColor)> {
        if self.indices.len() < 2 {
            return Vec::new();
        }
        self.indices
            .iter()
            .enumerate()
            .map(|(k, name)| (name.clone(), Tornado::colour(k)))
            .collect()
    }
}
