//! A hindcast's outcomes: what the model forecast, the base rate, and what happened.

use super::rows::{Frame, RowChart};
use super::{Plot, SCENARIO_COLOURS, err, percent};
use plotters::prelude::*;

/// Per outcome: the share of runs in which it held (the forecast), the base rate it is scored
/// against, and whether it happened.
pub struct Reliability {
    pub title: String,
    /// (outcome, forecast, base rate, observed)
    pub rows: Vec<(String, f64, f64, bool)>,
}

const FORECAST: RGBColor = SCENARIO_COLOURS[2];
const BASE: RGBColor = RGBColor(150, 150, 150);
const HAPPENED: RGBColor = SCENARIO_COLOURS[0];

impl RowChart for Reliability {
    type Row = (String, f64, f64, bool);

    fn rows(&self) -> &[Self::Row] {
        &self.rows
    }

    fn name(row: &Self::Row) -> String {
        row.0.clone()
    }

    fn frame(&self) -> Frame<'_> {
        Frame {
            title: &self.title,
            caption: 16,
            width: 1000,
            base: 110,
            pitch: 30,
            margin_right: 30,
            x_label_area: 44,
            y_label_area: self.name_area(120..=320),
            x: -0.02..1.02,
            x_desc: "probability: the share of runs in which the outcome's test held",
            x_labels: Some(&percent),
            diverging: false,
        }
    }

    fn draw_row<DB: DrawingBackend>(
        &self,
        chart: &mut Plot<'_, DB>,
        &(_, forecast, base, observed): &Self::Row,
        y: f64,
    ) -> Result<(), String> {
        let truth = if observed { 1.0 } else { 0.0 };
        chart
            .draw_series([PathElement::new(
                [(forecast, y), (truth, y)],
                BLACK.mix(0.2).stroke_width(2),
            )])
            .map_err(err)?;
        chart
            .draw_series([Rectangle::new(
                [(truth - 0.008, y - 0.3), (truth + 0.008, y + 0.3)],
                HAPPENED.filled(),
            )])
            .map_err(err)?;
        chart
            .draw_series([Circle::new((base, y), 6, BASE.stroke_width(2))])
            .map_err(err)?;
        chart
            .draw_series([
                Circle::new((forecast, y), 6, FORECAST.filled()),
                Circle::new((forecast, y), 6, BLACK),
            ])
            .map_err(err)?;
        Ok(())
    }

    fn keys(&self) -> Vec<(String, RGBColor)> {
        vec![
            ("forecast (share of runs)".into(), FORECAST),
            ("base rate".into(), BASE),
            ("what happened (0 % or 100 %)".into(), HAPPENED),
        ]
    }
}
