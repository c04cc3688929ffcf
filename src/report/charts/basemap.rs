//! The embedded basemap: Natural Earth's country outlines of the Balkans and their neighbours
//! (public domain; data/basemap.md says where they come from and how they were made), and the
//! geometry the map needs to draw them: a projection and clipping to the view.

use std::sync::OnceLock;

const OUTLINES: &str = include_str!("../../../data/basemap.txt");

/// One country: its code (ISO 3166-1 alpha-3; XKX for Kosovo), name and outer rings in
/// (longitude, latitude).
pub struct Country {
    pub code: String,
    pub name: String,
    pub rings: Vec<Vec<(f64, f64)>>,
}

/// The embedded outlines, parsed once.
pub fn countries() -> &'static [Country] {
    static PARSED: OnceLock<Vec<Country>> = OnceLock::new();
    PARSED.get_or_init(|| parse(OUTLINES))
}

/// Reads the format of data/basemap.txt: `#` comments, `> CODE Name` starts a country, each
/// other line is a ring of `lon,lat` pairs. A malformed pair is skipped.
fn parse(text: &str) -> Vec<Country> {
    let mut out: Vec<Country> = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(head) = line.strip_prefix("> ") {
            let (code, name) = head.split_once(' ').unwrap_or((head, head));
            out.push(Country {
                code: code.to_string(),
                name: name.to_string(),
                rings: Vec::new(),
            });
        } else if let Some(country) = out.last_mut() {
            let ring: Vec<(f64, f64)> = line
                .split_whitespace()
                .filter_map(|pair| {
                    let (x, y) = pair.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect();
            if ring.len() >= 3 {
                country.rings.push(ring);
            }
        }
    }
    out
}

/// A view of the map: a box in degrees and the equirectangular projection, scaled by the cosine
/// of the middle latitude, that fits it into a rectangle of pixels.
#[derive(Clone, Copy, Debug)]
pub struct View {
    /// lon_min, lat_min, lon_max, lat_max
    pub bounds: (f64, f64, f64, f64),
    /// left, top, width, height in pixels
    pub pixels: (i32, i32, i32, i32),
}

impl View {
    /// The smallest view of `points` (with `pad` degrees around) that fills `pixels`.
    pub fn fit(points: &[(f64, f64)], pad: f64, pixels: (i32, i32, i32, i32)) -> View {
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in points {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        (x0, y0, x1, y1) = (x0 - pad, y0 - pad, x1 + pad, y1 + pad);
        let k = ((y0 + y1) / 2.0).to_radians().cos();
        let (w, h) = (pixels.2 as f64, pixels.3 as f64);
        // Widen whichever side is short so that the box has the rectangle's aspect.
        let (span_x, span_y) = ((x1 - x0) * k, y1 - y0);
        if span_x / span_y < w / h {
            let grow = (span_y * w / h / k - (x1 - x0)) / 2.0;
            (x0, x1) = (x0 - grow, x1 + grow);
        } else {
            let grow = (span_x * h / w - span_y) / 2.0;
            (y0, y1) = (y0 - grow, y1 + grow);
        }
        View {
            bounds: (x0, y0, x1, y1),
            pixels,
        }
    }

    /// The pixel of a (longitude, latitude).
    pub fn pixel(&self, (x, y): (f64, f64)) -> (i32, i32) {
        let (x0, y0, x1, y1) = self.bounds;
        let (left, top, w, h) = self.pixels;
        (
            left + ((x - x0) / (x1 - x0) * w as f64).round() as i32,
            top + ((y1 - y) / (y1 - y0) * h as f64).round() as i32,
        )
    }

    /// A ring clipped to the view (Sutherland–Hodgman), empty if it lies outside.
    pub fn clip(&self, ring: &[(f64, f64)]) -> Vec<(f64, f64)> {
        let (x0, y0, x1, y1) = self.bounds;
        let mut points = ring.to_vec();
        for edge in 0..4 {
            if points.is_empty() {
                break;
            }
            let inside = |p: (f64, f64)| match edge {
                0 => p.0 >= x0,
                1 => p.0 <= x1,
                2 => p.1 >= y0,
                _ => p.1 <= y1,
            };
            let cross = |p: (f64, f64), q: (f64, f64)| match edge {
                0 => (x0, p.1 + (q.1 - p.1) * (x0 - p.0) / (q.0 - p.0)),
                1 => (x1, p.1 + (q.1 - p.1) * (x1 - p.0) / (q.0 - p.0)),
                2 => (p.0 + (q.0 - p.0) * (y0 - p.1) / (q.1 - p.1), y0),
                _ => (p.0 + (q.0 - p.0) * (y1 - p.1) / (q.1 - p.1), y1),
            };
            let mut result = Vec::with_capacity(points.len());
            let mut prev = points[points.len() - 1];
            for &p in &points {
                match (inside(p), inside(prev)) {
                    (true, true) => result.push(p),
                    (true, false) => {
                        result.push(cross(prev, p));
                        result.push(p);
                    }
                    (false, true) => result.push(cross(prev, p)),
                    (false, false) => {}
                }
                prev = p;
            }
            points = result;
        }
        points
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_outlines_hold_the_balkans() {
        let all = countries();
        for code in [
            "SRB", "BIH", "MNE", "MKD", "ALB", "XKX", "HRV", "SVN", "BGR", "ROU", "GRC", "HUN",
            "MDA",
        ] {
            let c = all
                .iter()
                .find(|c| c.code == code)
                .unwrap_or_else(|| panic!("{code} missing"));
            assert!(c.rings.iter().map(Vec::len).sum::<usize>() > 20, "{code}");
        }
        // Belgrade lies in Serbia's box.
        let srb = all.iter().find(|c| c.code == "SRB").unwrap();
        let (mut x0, mut x1) = (f64::MAX, f64::MIN);
        for &(x, _) in srb.rings.iter().flatten() {
            (x0, x1) = (x0.min(x), x1.max(x));
        }
        assert!(x0 < 20.5 && 20.5 < x1);
    }

    #[test]
    fn clipping_keeps_what_is_inside() {
        let view = View {
            bounds: (0.0, 0.0, 1.0, 1.0),
            pixels: (0, 0, 100, 100),
        };
        let square = [(-1.0, -1.0), (2.0, -1.0), (2.0, 2.0), (-1.0, 2.0)];
        let clipped = view.clip(&square);
        assert_eq!(clipped.len(), 4);
        assert!(
            clipped
                .iter()
                .all(|&(x, y)| (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y))
        );
        assert!(view.clip(&[(5.0, 5.0), (6.0, 5.0), (6.0, 6.0)]).is_empty());
        assert_eq!(view.pixel((0.5, 0.5)), (50, 50));
    }
}
