//! A hindcast's continuous targets: per target, the forecast's 90 % and 50 % intervals and
//! median (dressed with the measurement error), persistence, and what was observed.

use super::rows::{Frame, RowChart};
use super::{Plot, SCENARIO_COLOURS, err, signed};
use plotters::prelude::*;

/// One row per target.
pub struct Targets {
    pub title: String,
    pub rows: Vec<Target>,
}

/// A target's forecast quantiles (5, 25, 50, 75, 95 %), persistence and observation, all on
/// the model's scale.
pub struct Target {
    pub name: String,
    pub quantiles: [f64; 5],
    pub persistence: f64,
    pub observed: f64,
}

const FORECAST: RGBColor = SCENARIO_COLOURS[2];
const PERSISTENCE: RGBColor = RGBColor(150, 150, 150);
const OBSERVED: RGBColor = SCENARIO_COLOURS[0];

fn scale(x: &f64) -> String {
    signed(*x, 1)
}

impl RowChart for Targets {
    type Row = Target;

    fn rows(&self) -> &[Target] {
        &self.rows
    }

    fn name(row: &Target) -> String {
        row.name.clone()
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
            x: -1.05..1.05,
            x_desc: "the model's scale: −1 the West, +1 Moscow",
            x_labels: Some(&scale),
            diverging: true,
        }
    }

    fn draw_row<DB: DrawingBackend>(
        &self,
        chart: &mut Plot<'_, DB>,
        t: &Target,
        y: f64,
    ) -> Result<(), String> {
        let [q05, q25, q50, q75, q95] = t.quantiles;
        chart
            .draw_series([PathElement::new(
                [(q05, y), (q95, y)],
                FORECAST.mix(0.6).stroke_width(2),
            )])
            .map_err(err)?;
        chart
            .draw_series([Rectangle::new(
                [(q25, y - 0.2), (q75, y + 0.2)],
                FORECAST.mix(0.35).filled(),
            )])
            .map_err(err)?;
        chart
            .draw_series([
                Circle::new((t.persistence, y), 7, PERSISTENCE.stroke_width(2)),
                Circle::new((q50, y), 4, FORECAST.filled()),
            ])
            .map_err(err)?;
        chart
            .draw_series([Rectangle::new(
                [
                    (t.observed - 0.008, y - 0.35),
                    (t.observed + 0.008, y + 0.35),
                ],
                OBSERVED.filled(),
            )])
            .map_err(err)?;
        Ok(())
    }

    fn keys(&self) -> Vec<(String, RGBColor)> {
        vec![
            ("forecast: median, 50 % box, 90 % line".into(), FORECAST),
            ("persistence".into(), PERSISTENCE),
            ("observed".into(), OBSERVED),
        ]
    }
}
