//! The fan chart of one state's alignment: one scenario, or several overlaid.

use super::{
    BAND, Band, Chart, FONT, MOSCOW, Swatch, TimePlot, WEST, alignment_tick, band, date_label, err,
    heading, month_axis, months_spanned, signed,
};
use crate::report::data::{EventStat, Stat};
use crate::scenario::YearMonth;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

/// Half-width of the band around the median path that a fitted y range always shows, in
/// alignment units: a chart never zooms in further than this, so that run-to-run noise does not
/// look like a large spread.
const FIT_FLOOR: f64 = 0.1;

/// A threshold outside the data's range is brought into view if it is at most this far away.
const THRESHOLD_REACH: f64 = 0.15;

/// One scenario's alignment over time: median with its 50 % and 90 % bands.
pub struct Arm<'a> {
    pub name: String,
    pub series: &'a [Stat],
    pub colour: RGBColor,
}

/// Median alignment with its 50 % and 90 % bands over time for one or more scenarios, the
/// zero line, the labelled leaning thresholds, labelled vertical marks (a policy's first month),
/// and the median date of each threshold event that happened in ≥ 5 % of runs.
pub struct Fan<'a> {
    pub title: String,
    pub arms: Vec<Arm<'a>>,
    pub start: YearMonth,
    pub theta: f64,
    pub events: Vec<&'a EventStat>,
    pub runs: u64,
    pub size: FanSize,
    /// Vertical lines at these months, labelled.
    pub marks: Vec<(f64, String)>,
    /// Its words, from indicators.csv.
    pub words: FanWords,
}

/// A fan chart's words, from the folder's indicators.csv: its y axis ("alignment (−1 West, +1
/// Moscow)") and the label of the upper leaning threshold ("leans to Moscow above").
#[derive(Clone, Debug)]
pub struct FanWords {
    pub axis: String,
    pub above: String,
}

/// A fan chart on a page of its own, half a page (two side by side), or as one panel of the
/// grid of all states. Panels share the full scale −1 to +1 so that states compare; the others
/// fit their y range to the data (see [`Fan::y_range`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FanSize {
    Page,
    Half,
    Panel,
}

/// The lowest and highest of the series' 90 % bands, widened to at least ±[`FIT_FLOOR`]
/// around their medians; `None` without data.
pub fn band_extent<'a>(series: impl IntoIterator<Item = &'a Stat>) -> Option<(f64, f64)> {
    let (mut lo, mut hi) = (f64::MAX, f64::MIN);
    for s in series {
        lo = lo.min(s.p05).min(s.p50 - FIT_FLOOR);
        hi = hi.max(s.p95).max(s.p50 + FIT_FLOOR);
    }
    (lo <= hi).then_some((lo, hi))
}

/// `(lo, hi)` with a margin of 6 % of its width on each side, within −1 to +1.
pub fn padded((lo, hi): (f64, f64)) -> (f64, f64) {
    let pad = 0.06 * (hi - lo);
    ((lo - pad).max(-1.0), (hi + pad).min(1.0))
}

/// The band colour of an arm drawn in black: grey.
fn band_colour(colour: RGBColor) -> RGBColor {
    if colour == BLACK { BAND } else { colour }
}

impl Fan<'_> {
    fn panel(&self) -> bool {
        self.size == FanSize::Panel
    }

    fn months(&self) -> usize {
        months_spanned(self.arms.iter().map(|a| a.series.len()))
    }

    /// The y range: −1 to +1 for a panel of the grid; otherwise the data's 90 % bands and at
    /// least ±[`FIT_FLOOR`] around each median path, with a little margin, and a leaning
    /// threshold within [`THRESHOLD_REACH`] of that brought into view.
    pub fn y_range(&self) -> (f64, f64) {
        if self.panel() {
            return (-1.0, 1.0);
        }
        let Some((mut lo, mut hi)) = band_extent(self.arms.iter().flat_map(|a| a.series)) else {
            return (-1.0, 1.0);
        };
        for t in [self.theta, -self.theta] {
            if t > hi && t - hi <= THRESHOLD_REACH {
                hi = t;
            }
            if t < lo && lo - t <= THRESHOLD_REACH {
                lo = t;
            }
        }
        padded((lo, hi))
    }

    fn font(&self) -> (u32, u32, u32) {
        match self.size {
            FanSize::Panel => (14, 11, 11),
            FanSize::Half => (18, 15, 14),
            FanSize::Page => (20, 14, 13),
        }
    }
}

impl Chart for Fan<'_> {
    fn size(&self) -> (u32, u32) {
        match self.size {
            FanSize::Panel => (400, 260),
            FanSize::Half => (680, 440),
            FanSize::Page => (900, 520),
        }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        area.fill(&WHITE).map_err(err)?;
        let y = self.y_range();
        let (caption, _, text) = self.font();
        // A page or half page: the title and a legend in one row above the plot, where they
        // cannot cover the data.
        let plot_area = if self.panel() {
            area.clone()
        } else {
            let (top, rest) = area.split_vertically(caption as i32 + 40);
            self.heading(&top, caption, text)?;
            rest
        };
        let mut chart = self.frame(&plot_area, y)?;
        self.guides(&mut chart, y)?;
        self.bands_and_medians(&mut chart)?;
        self.thresholds(&mut chart, y, text)?;
        if !self.panel() {
            self.mark_labels(&mut chart, y, text)?;
        }
        self.event_marks(&mut chart, y, text)
    }
}

/// Opacities of the 90 % and 50 % bands: one scenario, or several overlaid.
const OPACITY_ONE: (f64, f64) = (0.2, 0.42);
const OPACITY_MANY: (f64, f64) = (0.16, 0.3);

impl Fan<'_> {
    /// The plot over `lo..hi`: the two halves of the scale tinted toward their pole, the grid
    /// and the axes (a panel's title above it).
    fn frame<'a, DB: DrawingBackend>(
        &self,
        plot_area: &'a DrawingArea<DB, Shift>,
        (lo, hi): (f64, f64),
    ) -> std::result::Result<TimePlot<'a, DB>, String> {
        let (caption, label, _) = self.font();
        let panel = self.panel();
        let mut builder = ChartBuilder::on(plot_area);
        if panel {
            builder.caption(&self.title, (FONT, caption, FontStyle::Bold));
        }
        let mut chart = builder
            .margin(if panel { 6 } else { 8 })
            .margin_right(if panel { 18 } else { 30 })
            .x_label_area_size(if panel { 22 } else { 34 })
            .y_label_area_size(if panel { 34 } else { 66 })
            .build_cartesian_2d(
                month_axis(self.start, self.months(), if panel { 4 } else { 8 }),
                lo..hi,
            )
            .map_err(err)?;
        let m = self.months() as f64;
        if hi > 0.0 {
            chart
                .draw_series([Rectangle::new(
                    [(0.0, lo.max(0.0)), (m, hi)],
                    MOSCOW.mix(0.06).filled(),
                )])
                .map_err(err)?;
        }
        if lo < 0.0 {
            chart
                .draw_series([Rectangle::new(
                    [(0.0, lo), (m, hi.min(0.0))],
                    WEST.mix(0.06).filled(),
                )])
                .map_err(err)?;
        }
        let labels = date_label(self.start);
        let mut mesh = chart.configure_mesh();
        mesh.y_labels(if panel { 5 } else { 8 })
            .x_label_formatter(&labels)
            .y_label_formatter(&alignment_tick)
            .label_style((FONT, label))
            .max_light_lines(1)
            .bold_line_style(BLACK.mix(0.08))
            .light_line_style(BLACK.mix(0.03));
        if !panel {
            mesh.y_desc(&self.words.axis).axis_desc_style((FONT, label));
        }
        mesh.draw().map_err(err)?;
        Ok(chart)
    }

    /// The zero line (when the range spans it) and a dashed vertical line at each mark.
    fn guides<DB: DrawingBackend>(
        &self,
        chart: &mut TimePlot<'_, DB>,
        (lo, hi): (f64, f64),
    ) -> std::result::Result<(), String> {
        let m = self.months() as f64;
        if lo < 0.0 && hi > 0.0 {
            chart
                .draw_series(LineSeries::new(
                    [(0.0, 0.0), (m, 0.0)],
                    BLACK.mix(0.5).stroke_width(1),
                ))
                .map_err(err)?;
        }
        for (x, _) in &self.marks {
            chart
                .draw_series(DashedLineSeries::new(
                    [(*x, lo), (*x, hi)],
                    4,
                    4,
                    BLACK.mix(0.6).stroke_width(1),
                ))
                .map_err(err)?;
        }
        Ok(())
    }

    /// Each arm's 90 % and 50 % bands, then every arm's median on top.
    fn bands_and_medians<DB: DrawingBackend>(
        &self,
        chart: &mut TimePlot<'_, DB>,
    ) -> std::result::Result<(), String> {
        let (outer, inner) = if self.arms.len() == 1 {
            OPACITY_ONE
        } else {
            OPACITY_MANY
        };
        for arm in &self.arms {
            let colour = band_colour(arm.colour);
            for (which, opacity) in [(Band::Ninety, outer), (Band::Fifty, inner)] {
                chart
                    .draw_series([Polygon::new(
                        band(arm.series, which),
                        colour.mix(opacity).filled(),
                    )])
                    .map_err(err)?;
            }
        }
        for arm in &self.arms {
            chart
                .draw_series(LineSeries::new(
                    arm.series
                        .iter()
                        .enumerate()
                        .map(|(t, s)| (t as f64, s.p50)),
                    arm.colour.stroke_width(if self.panel() { 1 } else { 2 }),
                ))
                .map_err(err)?;
        }
        Ok(())
    }

    /// Each mark's label, near the bottom beside its line.
    fn mark_labels<DB: DrawingBackend>(
        &self,
        chart: &mut TimePlot<'_, DB>,
        (lo, hi): (f64, f64),
        text: u32,
    ) -> std::result::Result<(), String> {
        let m = self.months() as f64;
        for (x, name) in &self.marks {
            let at = if *x > 0.6 * m {
                *x - 0.36 * m
            } else {
                *x + 0.01 * m
            };
            chart
                .draw_series([Text::new(
                    name.clone(),
                    (at, lo + 0.1 * (hi - lo)),
                    (FONT, text),
                )])
                .map_err(err)?;
        }
        Ok(())
    }

    /// A thin vertical line at each event's median month and, but on a panel, its name and
    /// share of runs, staggered down from the top.
    fn event_marks<DB: DrawingBackend>(
        &self,
        chart: &mut TimePlot<'_, DB>,
        (lo, hi): (f64, f64),
        text: u32,
    ) -> std::result::Result<(), String> {
        let m = self.months() as f64;
        for (k, e) in self.events.iter().enumerate() {
            let x = e.median_month;
            let share = e.runs as f64 / self.runs as f64;
            let y = hi - (0.04 + 0.07 * (k % 4) as f64) * (hi - lo);
            chart
                .draw_series([PathElement::new([(x, lo), (x, hi)], BLACK.mix(0.3))])
                .map_err(err)?;
            if !self.panel() {
                let text_at = if x > 0.7 * m {
                    x - 0.3 * m
                } else {
                    x + 0.01 * m
                };
                let words = format!(
                    "{} ({:.0} % of runs)",
                    e.event.replace('_', " "),
                    share * 100.0
                );
                chart
                    .draw_series([Text::new(words, (text_at, y), (FONT, text))])
                    .map_err(err)?;
            }
        }
        Ok(())
    }
    /// The title and, below it, the legend in one row: for one scenario its median and bands,
    /// for several each scenario's swatch (its 90 % band, 50 % band and median).
    fn heading<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        caption: u32,
        text: u32,
    ) -> std::result::Result<(), String> {
        let mut entries: Vec<(String, Vec<Swatch>)> = Vec::new();
        if self.arms.len() == 1 {
            let band = band_colour(self.arms[0].colour);
            entries.push((
                "90 % of runs".into(),
                vec![Swatch::Band(band.mix(OPACITY_ONE.0))],
            ));
            entries.push((
                "50 % of runs".into(),
                vec![Swatch::Band(band.mix(OPACITY_ONE.1))],
            ));
            entries.push(("median".into(), vec![Swatch::Line(self.arms[0].colour)]));
        } else {
            for arm in &self.arms {
                let band = band_colour(arm.colour);
                entries.push((
                    arm.name.clone(),
                    vec![
                        Swatch::Band(band.mix(OPACITY_MANY.0)),
                        Swatch::Inner(band.mix(OPACITY_MANY.1)),
                        Swatch::Line(arm.colour),
                    ],
                ));
            }
        }
        // A leaning threshold the y range leaves out is named in the legend, so that the reader
        // knows where it is.
        let (lo, hi) = self.y_range();
        let off: Vec<String> = [self.theta, -self.theta]
            .into_iter()
            .filter(|t| !(lo..=hi).contains(t))
            .map(|t| signed(t, 2))
            .collect();
        if !off.is_empty() {
            let colour = if off.len() == 2 {
                BLACK.mix(0.6)
            } else if self.theta > hi {
                MOSCOW.mix(0.8)
            } else {
                WEST.mix(0.8)
            };
            entries.push((
                format!(
                    "leaning threshold{} {} off this scale",
                    if off.len() == 2 { "s" } else { "" },
                    off.join(" and ")
                ),
                vec![Swatch::Dashed(colour)],
            ));
        }
        heading(area, &self.title, caption, &entries, text)
    }

    /// The leaning thresholds within the y range, as dashed lines labelled where the data are
    /// farthest from them.
    fn thresholds<DB: DrawingBackend>(
        &self,
        chart: &mut TimePlot<'_, DB>,
        (lo, hi): (f64, f64),
        text: u32,
    ) -> std::result::Result<(), String> {
        let m = self.months() as f64;
        let panel = self.panel();
        // The height of a line of text, in alignment units.
        let (_, pixels) = chart.plotting_area().get_pixel_range();
        let line =
            (1.4 * text as f64 + 6.0) / (pixels.end - pixels.start).max(1) as f64 * (hi - lo);
        for (y, colour, words) in [
            (self.theta, MOSCOW, self.words.above.as_str()),
            (-self.theta, WEST, "leans West below"),
        ] {
            if !(lo..=hi).contains(&y) {
                continue;
            }
            chart
                .draw_series(DashedLineSeries::new(
                    [(0.0, y), (m, y)],
                    6,
                    4,
                    colour.mix(0.8).stroke_width(1),
                ))
                .map_err(err)?;
            if panel {
                continue;
            }
            let (x, above) = self.threshold_label_spot(y, line, (lo, hi));
            let top = if above { y + line } else { y - 0.15 * line };
            chart
                .draw_series([Text::new(
                    format!("{words} {}", signed(y, 2)),
                    (x, top),
                    (FONT, text).into_font().color(&colour),
                )])
                .map_err(err)?;
        }
        Ok(())
    }

    /// Where a threshold's label goes (its left end, and whether above the line): of three
    /// places along the line, each above or below it, the one farthest from every band.
    /// `line` is the height of a line of text in alignment units.
    fn threshold_label_spot(&self, y: f64, line: f64, (lo, hi): (f64, f64)) -> (f64, bool) {
        let m = self.months() as f64;
        let mut best = (f64::MIN, 0.0, true);
        for fraction in [0.02, 0.35, 0.62] {
            let from = (fraction * m) as usize;
            let to = ((fraction + 0.36) * m).min(m) as usize;
            for above in [true, false] {
                let (y0, y1) = if above { (y, y + line) } else { (y - line, y) };
                if y1 > hi || y0 < lo {
                    continue;
                }
                let clearance = self.clearance(from, to, (y0, y1));
                if clearance > best.0 {
                    best = (clearance, fraction * m, above);
                }
            }
        }
        (best.1, best.2)
    }

    /// The smallest distance from `y0..y1` to any arm's 90 % band in months `from..=to`
    /// (−1 where a band overlaps it).
    fn clearance(&self, from: usize, to: usize, (y0, y1): (f64, f64)) -> f64 {
        self.arms
            .iter()
            .flat_map(|a| {
                a.series
                    .get(from..=to.min(a.series.len().saturating_sub(1)))
                    .unwrap_or(&[])
            })
            .map(|s| {
                if s.p95 < y0 {
                    y0 - s.p95
                } else if s.p05 > y1 {
                    s.p05 - y1
                } else {
                    -1.0
                }
            })
            .fold(f64::MAX, f64::min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(at: f64, half: f64, months: usize) -> Vec<Stat> {
        vec![
            Stat {
                mean: at,
                p05: at - half,
                p25: at - half / 2.0,
                p50: at,
                p75: at + half / 2.0,
                p95: at + half,
            };
            months + 1
        ]
    }

    fn fan(series: &[Stat]) -> Fan<'_> {
        Fan {
            title: String::new(),
            arms: vec![Arm {
                name: "a".into(),
                series,
                colour: BLACK,
            }],
            start: YearMonth {
                year: 2025,
                month: 11,
            },
            theta: 1.0 / 3.0,
            events: Vec::new(),
            runs: 100,
            size: FanSize::Page,
            marks: Vec::new(),
            words: FanWords {
                axis: "alignment".into(),
                above: "leans to Moscow above".into(),
            },
        }
    }

    #[test]
    fn a_narrow_band_gets_the_floor_not_a_zoom() {
        let s = flat(-0.8, 0.01, 12);
        let (lo, hi) = fan(&s).y_range();
        assert!(lo <= -0.9 && hi >= -0.7, "{lo}..{hi}");
        assert!(
            hi - lo < 0.3,
            "{lo}..{hi}: the threshold is far, not brought in"
        );
    }

    #[test]
    fn a_near_threshold_is_brought_into_view() {
        let s = flat(0.55, 0.02, 12);
        let (lo, _) = fan(&s).y_range();
        assert!(lo <= 1.0 / 3.0, "{lo}");
    }

    #[test]
    fn a_wide_band_is_shown_whole() {
        let s = flat(0.0, 0.5, 12);
        let (lo, hi) = fan(&s).y_range();
        assert!(lo <= -0.5 && hi >= 0.5);
    }
}
