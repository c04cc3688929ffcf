//! Paired differences (variant − baseline, run by run) of a comparison, summed as integers.

use super::{FIXED_POINT, sample_variance, to_fixed};

/// Streaming paired differences (variant − baseline, run by run) of every cell of one row:
/// fixed-point sums, so that merging is exact and order-free like [`Summary`](super::Summary).
#[derive(Clone, Debug)]
pub struct Differences {
    runs: u64,
    sum: Vec<i128>,
    sum_sq: Vec<i128>,
}

impl Differences {
    /// No differences yet, for `cells` cells.
    pub fn new(cells: usize) -> Differences {
        Differences {
            runs: 0,
            sum: vec![0; cells],
            sum_sq: vec![0; cells],
        }
    }

    /// Adds one run's differences, one per cell.
    pub fn add(&mut self, differences: impl Iterator<Item = f64>) {
        for (k, d) in differences.enumerate() {
            let q = to_fixed(d) as i128;
            self.sum[k] += q;
            self.sum_sq[k] += q * q;
        }
        self.runs += 1;
    }

    /// Adds another worker's differences (exact, in any order).
    pub fn merge(&mut self, other: &Differences) {
        self.runs += other.runs;
        for k in 0..self.sum.len() {
            self.sum[k] += other.sum[k];
            self.sum_sq[k] += other.sum_sq[k];
        }
    }

    /// Mean and standard deviation of the differences of `cell`.
    pub fn mean_sd(&self, cell: usize) -> (f64, f64) {
        let n = self.runs as i128;
        let (s, ss) = (self.sum[cell], self.sum_sq[cell]);
        let mean = s as f64 / n as f64 / FIXED_POINT;
        (mean, sample_variance(n, s, ss, FIXED_POINT).max(0.0).sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_of_identical_runs_are_zero() {
        let mut d = Differences::new(2);
        for _ in 0..5 {
            d.add([0.0, 0.0].into_iter());
        }
        assert_eq!(d.mean_sd(0), (0.0, 0.0));
        let mut e = Differences::new(1);
        for v in [1.0, 2.0, 3.0] {
            e.add(std::iter::once(v));
        }
        assert_eq!(e.mean_sd(0), (2.0, 1.0));
    }
}
