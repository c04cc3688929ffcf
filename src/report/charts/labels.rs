//! Labels that do not collide: each label is put beside its point at the first of a list of
//! candidate places where it overlaps no label placed before it, no point and no edge.

/// A rectangle in pixels: left, top, right, bottom.
pub type Rect = (i32, i32, i32, i32);

fn overlap(a: Rect, b: Rect) -> i64 {
    let w = (a.2.min(b.2) - a.0.max(b.0)).max(0) as i64;
    let h = (a.3.min(b.3) - a.1.max(b.1)).max(0) as i64;
    w * h
}

/// A label to place: the point it names (pixels), the radius of the point's marker, and the
/// label's size in pixels.
#[derive(Clone, Copy, Debug)]
pub struct Label {
    pub at: (i32, i32),
    pub radius: i32,
    pub size: (i32, i32),
}

/// Where a label went: its top-left corner, and whether it sits away from its point (then a
/// leader line should join them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placed {
    pub corner: (i32, i32),
    pub away: bool,
}

/// Places `labels` in order (the first gets the best place): beside its point to the right,
/// left, above, below or diagonally, then further out, at the first place that overlaps no
/// label already placed, no marker, and stays inside `bounds`; if there is none, at the place
/// of least overlap.
pub fn place(labels: &[Label], bounds: Rect) -> Vec<Placed> {
    let markers: Vec<Rect> = labels
        .iter()
        .map(|l| {
            let r = l.radius + 2;
            (l.at.0 - r, l.at.1 - r, l.at.0 + r, l.at.1 + r)
        })
        .collect();
    let mut taken: Vec<Rect> = Vec::new();
    let mut out = Vec::with_capacity(labels.len());
    for (k, l) in labels.iter().enumerate() {
        let (w, h) = l.size;
        let (x, y) = l.at;
        let mut best: Option<(i64, Rect, bool)> = None;
        'search: for ring in 0..4 {
            let gap = l.radius + 4 + ring * (h + 6);
            let candidates = [
                (x + gap, y - h / 2),
                (x - gap - w, y - h / 2),
                (x - w / 2, y - gap - h),
                (x - w / 2, y + gap),
                (x + gap, y - gap / 2 - h),
                (x + gap, y + gap / 2),
                (x - gap - w, y - gap / 2 - h),
                (x - gap - w, y + gap / 2),
            ];
            for (left, top) in candidates {
                let rect = (left, top, left + w, top + h);
                let outside = rect.0 < bounds.0
                    || rect.1 < bounds.1
                    || rect.2 > bounds.2
                    || rect.3 > bounds.3;
                let mut cost: i64 = taken.iter().map(|t| overlap(*t, rect)).sum::<i64>()
                    + markers
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != k)
                        .map(|(_, m)| overlap(*m, rect))
                        .sum::<i64>();
                if outside {
                    cost += (w * h) as i64 * 10;
                }
                // Further rings cost a little, so that a free near place wins.
                let score = cost * 100 + ring as i64;
                if best.is_none_or(|b| score < b.0) {
                    best = Some((score, rect, ring > 0));
                }
                if cost == 0 {
                    break 'search;
                }
            }
        }
        let (_, rect, away) = best.unwrap_or((0, (x, y, x + w, y + h), false));
        taken.push(rect);
        out.push(Placed {
            corner: (rect.0, rect.1),
            away,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crowded_labels_do_not_collide() {
        // Five points close together, labels wider than the gaps between them.
        let labels: Vec<Label> = (0..5)
            .map(|k| Label {
                at: (300 + 12 * k, 300 + 8 * k),
                radius: 4,
                size: (110, 16),
            })
            .collect();
        let placed = place(&labels, (0, 0, 800, 600));
        for (i, a) in placed.iter().enumerate() {
            let ra = (a.corner.0, a.corner.1, a.corner.0 + 110, a.corner.1 + 16);
            for b in &placed[i + 1..] {
                let rb = (b.corner.0, b.corner.1, b.corner.0 + 110, b.corner.1 + 16);
                assert_eq!(overlap(ra, rb), 0, "{ra:?} {rb:?}");
            }
        }
    }

    #[test]
    fn a_lone_label_sits_beside_its_point() {
        let placed = place(
            &[Label {
                at: (100, 100),
                radius: 4,
                size: (50, 14),
            }],
            (0, 0, 400, 400),
        );
        assert_eq!(placed[0].corner, (108, 93));
        assert!(!placed[0].away);
    }
}
