//! Morris screening as the μ*–σ plane: each parameter at its mean absolute elementary effect
//! (μ*, with its bootstrap 95 % interval) and the spread of its effects (σ).

use super::labels::{self, Label};
use super::{Chart, FONT, Plot, SCENARIO_COLOURS, err, short_number};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

/// One parameter's Morris indices.
#[derive(Clone, Debug)]
pub struct MorrisRow {
    pub parameter: String,
    pub mu_star: f64,
    /// The half-width of μ*'s bootstrap 95 % interval.
    pub mu_star_conf: f64,
    pub sigma: f64,
}

/// One output's Morris indices, a row per parameter.
pub struct MorrisPlane {
    pub title: String,
    pub rows: Vec<MorrisRow>,
}

impl MorrisPlane {
    /// Whether every μ* and σ is zero: then there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.rows
            .iter()
            .all(|r| r.mu_star.abs() < 1e-12 && r.sigma.abs() < 1e-12)
    }
}

impl Chart for MorrisPlane {
    fn size(&self) -> (u32, u32) {
        (900, 640)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let reach =
            |f: fn(&MorrisRow) -> f64| self.rows.iter().map(f).fold(0.0, f64::max).max(1e-9) * 1.18;
        let (x_max, y_max) = (reach(|r| r.mu_star + r.mu_star_conf), reach(|r| r.sigma));
        let mut chart = self.frame(area, (x_max, y_max))?;
        diagonal(&mut chart, x_max.min(y_max))?;
        self.points(&mut chart)?;
        self.labels(area, &chart)
    }
}

impl MorrisPlane {
    /// The title and the axes, from 0 to `x_max` (μ*) and `y_max` (σ).
    fn frame<'a, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
        (x_max, y_max): (f64, f64),
    ) -> std::result::Result<Plot<'a, DB>, String> {
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, (FONT, 16, FontStyle::Bold))
            .margin(14)
            .margin_right(30)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(0f64..x_max, 0f64..y_max)
            .map_err(err)?;
        let format = |v: &f64| short_number(*v);
        chart
            .configure_mesh()
            .x_desc("μ*: mean absolute elementary effect (how much the parameter matters)")
            .y_desc("σ: spread of the effects (nonlinearity or interactions)")
            .x_label_formatter(&format)
            .y_label_formatter(&format)
            .label_style((FONT, 12))
            .axis_desc_style((FONT, 13))
            .light_line_style(BLACK.mix(0.03))
            .draw()
            .map_err(err)?;
        Ok(chart)
    }

    /// Each parameter: a dot at (μ*, σ) with a whisker over μ*'s interval.
    fn points<DB: DrawingBackend>(
        &self,
        chart: &mut Plot<'_, DB>,
    ) -> std::result::Result<(), String> {
        let colour = SCENARIO_COLOURS[2];
        for MorrisRow {
            mu_star: mu,
            mu_star_conf: half,
            sigma,
            ..
        } in &self.rows
        {
            chart
                .draw_series([PathElement::new(
                    [(mu - half, *sigma), (mu + half, *sigma)],
                    BLACK.mix(0.6).stroke_width(2),
                )])
                .map_err(err)?;
            chart
                .draw_series([
                    Circle::new((*mu, *sigma), 6, colour.filled()),
                    Circle::new((*mu, *sigma), 6, BLACK),
                ])
                .map_err(err)?;
        }
        Ok(())
    }

    /// Each parameter's name beside its dot, placed so that none collide (a leader line to a
    /// name placed away from its dot).
    fn labels<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        chart: &Plot<'_, DB>,
    ) -> std::result::Result<(), String> {
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let bounds = (xs.start, ys.start, xs.end, ys.end);
        let font = (FONT, 12);
        let mut wanted = Vec::new();
        for MorrisRow {
            parameter: name,
            mu_star: mu,
            sigma,
            ..
        } in &self.rows
        {
            let (w, h) = area
                .estimate_text_size(name, &font.into_text_style(area))
                .map_err(err)?;
            wanted.push(Label {
                at: chart.backend_coord(&(*mu, *sigma)),
                radius: 6,
                size: (w as i32 + 4, h as i32 + 2),
            });
        }
        let base = area.get_base_pixel();
        for (row, (label, spot)) in self
            .rows
            .iter()
            .zip(wanted.iter().zip(labels::place(&wanted, bounds)))
        {
            let (x, y) = (spot.corner.0 - base.0, spot.corner.1 - base.1);
            if spot.away {
                let (w, h) = label.size;
                area.draw(&PathElement::new(
                    [
                        (label.at.0 - base.0, label.at.1 - base.1),
                        (x + w / 2, y + h / 2),
                    ],
                    BLACK.mix(0.5),
                ))
                .map_err(err)?;
            }
            area.draw(&Text::new(row.parameter.clone(), (x + 2, y + 1), font))
                .map_err(err)?;
        }
        Ok(())
    }
}

/// The dashed line σ = μ* up to `d`, labelled: above it, a parameter's effect depends strongly
/// on where the others are.
fn diagonal<DB: DrawingBackend>(
    chart: &mut Plot<'_, DB>,
    d: f64,
) -> std::result::Result<(), String> {
    chart
        .draw_series(DashedLineSeries::new(
            [(0.0, 0.0), (d, d)],
            6,
            4,
            BLACK.mix(0.45).stroke_width(1),
        ))
        .map_err(err)?;
    chart
        .draw_series([Text::new(
            "σ = μ*",
            (d * 0.62, d * 0.62),
            (FONT, 12).into_font().color(&BLACK.mix(0.6)),
        )])
        .map_err(err)?;
    Ok(())
}
