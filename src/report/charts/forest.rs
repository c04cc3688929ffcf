//! Values with their intervals, as dots with bars, on a fixed scale: a comparison's differences
//! per state, a calibration's priors and posteriors.

use super::rows::{Frame, RowChart, whisker};
use super::{Plot, diverging, err};
use plotters::prelude::*;

/// The scales a forest plot may use, in alignment units: the first that holds every interval.
/// Fixed, so that plots of different comparisons read alike and a small effect looks small.
pub const FOREST_SCALES: [f64; 3] = [0.5, 1.0, 2.0];

/// One row: a name, its value (the dot) and its interval (the bar).
#[derive(Clone, Debug, PartialEq)]
pub struct ForestRow {
    pub name: String,
    pub diff: f64,
    pub low: f64,
    pub high: f64,
}

/// A value and its interval per row: a variant's difference from the baseline per state (the
/// paired difference and its 95 % interval, or with parameter draws the median and the range
/// of 90 % of plausible worlds), or each parameter's prior and posterior.
pub struct Forest {
    pub title: String,
    pub rows: Vec<ForestRow>,
    /// The x axis's description; it states the scale.
    pub x_desc: String,
    /// Whether the two sides of 0 are the West and Moscow (coloured so); otherwise neutral.
    pub diverging: bool,
}

impl Forest {
    /// The half-width of the x axis: the smallest of [`FOREST_SCALES`] that holds every row.
    pub fn scale(rows: &[ForestRow]) -> f64 {
        let reach = rows
            .iter()
            .map(|d| d.low.abs().max(d.high.abs()).max(d.diff.abs()))
            .fold(0.0, f64::max);
        FOREST_SCALES
            .iter()
            .copied()
            .find(|s| reach <= *s)
            .unwrap_or(FOREST_SCALES[FOREST_SCALES.len() - 1])
    }
}

impl RowChart for Forest {
    type Row = ForestRow;

    fn rows(&self) -> &[Self::Row] {
        &self.rows
    }

    fn name(row: &Self::Row) -> String {
        row.name.clone()
    }

    fn frame(&self) -> Frame<'_> {
        let reach = Forest::scale(&self.rows);
        Frame {
            title: &self.title,
            caption: 15,
            width: 900,
            base: 100,
            pitch: 30,
            margin_right: 24,
            x_label_area: 44,
            y_label_area: self.name_area(90..=300),
            x: -reach..reach,
            x_desc: &self.x_desc,
            x_labels: Some(&signed),
            diverging: self.diverging,
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
        let colour = match self.diverging {
            true => diverging(d.diff.signum() * 0.9),
            false => diverging(0.0),
        };
        chart
            .draw_series([
                Circle::new((d.diff, y), 6, colour.filled()),
                Circle::new((d.diff, y), 6, BLACK),
            ])
            .map_err(err)?;
        Ok(())
    }
}

fn signed(x: &f64) -> String {
    if x.abs() < 1e-9 {
        "0".into()
    } else {
        format!("{x:+.1}").replacen('-', "−", 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(diff: f64) -> ForestRow {
        ForestRow {
            name: "X".into(),
            diff,
            low: diff - 0.01,
            high: diff + 0.01,
        }
    }

    #[test]
    fn the_scale_is_fixed_not_fitted() {
        assert_eq!(Forest::scale(&[row(0.01)]), 0.5);
        assert_eq!(Forest::scale(&[row(-0.3)]), 0.5);
        assert_eq!(Forest::scale(&[row(0.7)]), 1.0);
        assert_eq!(Forest::scale(&[row(-1.5)]), 2.0);
    }
}
