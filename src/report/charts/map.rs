//! The map of the region at the horizon, on the embedded basemap.

use super::basemap::{self, View};
use super::labels::{self, Label};
use super::{FONT, colour_bar, diverging, err, titled_page};
use crate::report::data::Series;
use crate::scenario::Scenario;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

const SEA: RGBColor = RGBColor(222, 230, 235);
const OTHER_LAND: RGBColor = RGBColor(240, 238, 232);

/// Each state coloured by its median alignment at the horizon: a country of the basemap whose
/// code is a state's (or a parent's, such as BIH) is filled; a state without an outline (an
/// entity) is a disc at its capital. Neighbour links are drawn only when no outline matches.
pub struct Map<'a> {
    pub title: String,
    pub scenario: &'a Scenario,
    pub series: &'a Series,
    /// What the colours show, the first line of the colour bar's legend ("median alignment").
    pub legend: String,
}

/// A state placed on the map: code, name, (lon, lat), median alignment at the horizon.
type Placed<'a> = (&'a str, &'a str, (f64, f64), f64);

impl Map<'_> {
    /// Whether the map has anything to show: a state with coordinates and an alignment.
    pub fn has_points(scenario: &Scenario, series: &Series) -> bool {
        scenario.state.iter().any(|s| {
            s.lat.is_some() && s.lon.is_some() && series.last(&s.code, "alignment").is_some()
        })
    }

    fn placed(&self) -> Vec<Placed<'_>> {
        self.scenario
            .state
            .iter()
            .filter_map(|s| {
                let a = self.series.last(&s.code, "alignment")?.p50;
                Some((s.code.as_str(), s.name.as_str(), (s.lon?, s.lat?), a))
            })
            .collect()
    }

    /// The fill of a basemap country: its state's median, or its parent's (BIH).
    fn fill(&self, code: &str) -> Option<f64> {
        let is_state = self.scenario.state.iter().any(|s| s.code == code);
        let is_parent = self
            .scenario
            .state
            .iter()
            .any(|s| s.part_of.as_deref() == Some(code));
        (is_state || is_parent)
            .then(|| self.series.last(code, "alignment"))
            .flatten()
            .map(|s| s.p50)
    }
}

impl super::Chart for Map<'_> {
    fn size(&self) -> (u32, u32) {
        (1000, 780)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        let body = titled_page(area, &self.title, 20)?;
        let placed = self.placed();
        if placed.is_empty() {
            return Ok(());
        }
        let view = fit(area, &body, &placed);
        let outlined = self.countries(area, &view)?;
        if outlined.is_empty() {
            // No outline for any state: join neighbours so that the map still shows who
            // borders whom.
            self.neighbour_links(area, &view, &placed)?;
        }
        let on_map = OnMap {
            view: &view,
            placed: &placed,
            outlined: &outlined,
        };
        markers(area, &on_map)?;
        self.labels(area, &on_map)?;
        scale(area, view.pixels, &self.legend)
    }
}

/// The map's frame in `area`: the body below the title, less room for the colour bar on the
/// right and the credit below, fitted around the placed states.
fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    body: &DrawingArea<DB, Shift>,
    placed: &[Placed<'_>],
) -> View {
    let (bw, bh) = body.dim_in_pixel();
    let (x, y) = body.get_base_pixel();
    let (ax, ay) = area.get_base_pixel();
    let (ox, oy) = (x - ax, y - ay);
    let frame = (ox + 10, oy + 4, bw as i32 - 170, bh as i32 - 30);
    let points: Vec<(f64, f64)> = placed.iter().map(|p| p.2).collect();
    View::fit(&points, 1.3, frame)
}

/// The view, the states placed on it, and the codes of those drawn with their outline.
struct OnMap<'a> {
    view: &'a View,
    placed: &'a [Placed<'a>],
    outlined: &'a [&'a str],
}

impl OnMap<'_> {
    fn has_outline(&self, code: &str) -> bool {
        self.outlined.contains(&code)
    }
}

impl Map<'_> {
    /// The sea, every basemap country within the view (a state's in its colour, others in
    /// land grey) and the frame; returns the codes of the states drawn with an outline.
    fn countries<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        view: &View,
    ) -> std::result::Result<Vec<&'static str>, String> {
        let (left, top, w, h) = view.pixels;
        let frame = [(left, top), (left + w, top + h)];
        area.draw(&Rectangle::new(frame, SEA.filled()))
            .map_err(err)?;
        let mut outlined = Vec::new();
        for country in basemap::countries() {
            let fill = self.fill(&country.code);
            let (colour, border) = match fill {
                Some(a) => (diverging(a), BLACK.mix(0.55)),
                None => (OTHER_LAND, BLACK.mix(0.25)),
            };
            let mut any = false;
            for ring in &country.rings {
                let clipped = view.clip(ring);
                if clipped.len() < 3 {
                    continue;
                }
                any = true;
                let pixels: Vec<(i32, i32)> = clipped.iter().map(|&p| view.pixel(p)).collect();
                area.draw(&Polygon::new(pixels.clone(), colour.filled()))
                    .map_err(err)?;
                let mut closed = pixels;
                closed.push(closed[0]);
                area.draw(&PathElement::new(closed, border.stroke_width(1)))
                    .map_err(err)?;
            }
            if any && fill.is_some() {
                outlined.push(country.code.as_str());
            }
        }
        area.draw(&Rectangle::new(frame, BLACK.mix(0.5)))
            .map_err(err)?;
        Ok(outlined)
    }

    /// A line between each pair of neighbours that both have a place.
    fn neighbour_links<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        view: &View,
        placed: &[Placed<'_>],
    ) -> std::result::Result<(), String> {
        let at = |c: &str| placed.iter().find(|p| p.0 == c).map(|p| view.pixel(p.2));
        for s in &self.scenario.state {
            for other in &s.neighbours {
                if s.code < *other
                    && let (Some(a), Some(b)) = (at(&s.code), at(other))
                {
                    area.draw(&PathElement::new([a, b], BLACK.mix(0.25).stroke_width(2)))
                        .map_err(err)?;
                }
            }
        }
        Ok(())
    }

    /// Each state's name and median, largest populations first, placed so that none collide
    /// (a leader line to a label placed away from its marker).
    fn labels<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        on_map: &OnMap<'_>,
    ) -> std::result::Result<(), String> {
        let placed = on_map.placed;
        let font = (FONT, 13, FontStyle::Bold);
        let mut order: Vec<usize> = (0..placed.len()).collect();
        let population = |code: &str| {
            self.scenario
                .state
                .iter()
                .find(|s| s.code == code)
                .map_or(0, |s| s.population)
        };
        order.sort_by_key(|&k| std::cmp::Reverse(population(placed[k].0)));
        let texts: Vec<String> = order
            .iter()
            .map(|&k| format!("{} {}", placed[k].1, super::signed(placed[k].3, 2)))
            .collect();
        let mut wanted = Vec::new();
        for (text, &k) in texts.iter().zip(&order) {
            let (w, h) = area
                .estimate_text_size(text, &font.into_text_style(area))
                .map_err(err)?;
            wanted.push(Label {
                at: on_map.view.pixel(placed[k].2),
                radius: if on_map.has_outline(placed[k].0) {
                    3
                } else {
                    9
                },
                size: (w as i32 + 6, h as i32 + 4),
            });
        }
        let (left, top, w, h) = on_map.view.pixels;
        let bounds = (left, top, left + w, top + h);
        for ((text, label), spot) in texts
            .iter()
            .zip(&wanted)
            .zip(labels::place(&wanted, bounds))
        {
            let (x, y) = spot.corner;
            let (w, h) = label.size;
            if spot.away {
                let centre = (x + w / 2, y + h / 2);
                area.draw(&PathElement::new(
                    [label.at, centre],
                    BLACK.mix(0.6).stroke_width(1),
                ))
                .map_err(err)?;
            }
            area.draw(&Rectangle::new(
                [(x, y), (x + w, y + h)],
                WHITE.mix(0.82).filled(),
            ))
            .map_err(err)?;
            area.draw(&Text::new(text.clone(), (x + 3, y + 2), font))
                .map_err(err)?;
        }
        Ok(())
    }
}

/// A dot at an outlined state's capital, a disc in its colour for the others.
fn markers<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    on_map: &OnMap<'_>,
) -> std::result::Result<(), String> {
    for &(code, _, at, a) in on_map.placed {
        let p = on_map.view.pixel(at);
        if on_map.has_outline(code) {
            area.draw(&Circle::new(p, 3, BLACK.mix(0.8).filled()))
                .map_err(err)?;
        } else {
            area.draw(&Circle::new(p, 9, diverging(a).filled()))
                .map_err(err)?;
            area.draw(&Circle::new(p, 9, BLACK.mix(0.8).stroke_width(2)))
                .map_err(err)?;
        }
    }
    Ok(())
}

/// The credit below the frame and, right of it, the colour bar: the diverging scale, Moscow
/// at the top.
fn scale<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (left, top, w, h): (i32, i32, i32, i32),
    legend: &str,
) -> std::result::Result<(), String> {
    area.draw(&Text::new(
        "Outlines: Natural Earth 1:50m (public domain). Discs: entities without an outline.",
        (left, top + h + 8),
        (FONT, 12),
    ))
    .map_err(err)?;
    colour_bar(
        area,
        (left + w + 40, top + 80, top + h - 80),
        (-1.0, 1.0),
        &diverging,
        &[
            (1.0, "+1 Moscow".into()),
            (1.0 / 3.0, "+0.33".into()),
            (0.0, "0".into()),
            (-1.0 / 3.0, "−0.33".into()),
            (-1.0, "−1 West".into()),
        ],
        &[legend, "at the horizon"],
    )
}
