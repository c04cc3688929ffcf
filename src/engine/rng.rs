//! Random numbers: run i of a scenario with seed s draws everything from its own ChaCha8
//! stream, keyed by s and numbered i, so no run's draws depend on another's or on threads.

use crate::model::events::HAZARDS;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The stream of run `run` under master seed `seed`.
pub fn stream(seed: u64, run: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    rng
}

const UNIT_53: f64 = 1.0 / (1u64 << 53) as f64;
const UNIT_32: f64 = 1.0 / (1u64 << 32) as f64;

/// One month of draws for every state, always the same count (6 words per state): two
/// standard normals (alignment and opinion noise), one word each, and [`HAZARDS`] uniforms in
/// [0, 1) from the 32-bit halves of four more words.
pub fn draw_month(
    rng: &mut ChaCha8Rng,
    noise_alignment: &mut [f64],
    noise_opinion: &mut [f64],
    hazards: &mut [[f64; HAZARDS]],
) {
    const _: () = assert!(HAZARDS <= 8, "four words give eight hazard uniforms");
    for i in 0..noise_alignment.len() {
        noise_alignment[i] = standard_normal(open_unit(rng.next_u64()));
        noise_opinion[i] = standard_normal(open_unit(rng.next_u64()));
        let words = [
            rng.next_u64(),
            rng.next_u64(),
            rng.next_u64(),
            rng.next_u64(),
        ];
        for (h, slot) in hazards[i].iter_mut().enumerate() {
            let word = words[h / 2];
            let half = if h % 2 == 0 {
                word >> 32
            } else {
                word & 0xffff_ffff
            };
            *slot = half as f64 * UNIT_32;
        }
    }
}

/// A uniform in the open interval (0, 1) from the top 53 bits of a word.
#[inline]
fn open_unit(word: u64) -> f64 {
    ((word >> 11) as f64 + 0.5) * UNIT_53
}

/// The standard normal quantile of `p` in (0, 1): Acklam's rational approximation (relative
/// error below 1.15e-9), one uniform per normal and no trigonometry.
#[inline]
#[allow(clippy::excessive_precision)] // the coefficients as Acklam published them
pub fn standard_normal(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e+01,
        2.209460984245205e+02,
        -2.759285104469687e+02,
        1.383577518672690e+02,
        -3.066479806614716e+01,
        2.506628277459239e+00,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e+00,
        -2.549732539343734e+00,
        4.374664141464968e+00,
        2.938163982698783e+00,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-03,
        3.224671290700398e-01,
        2.445134137142996e+00,
        3.754408661907416e+00,
    ];
    const LOW: f64 = 0.02425;
    debug_assert!(p > 0.0 && p < 1.0);
    let tail = |q: f64| {
        let q = (-2.0 * q.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < LOW {
        tail(p)
    } else if p > 1.0 - LOW {
        -tail(1.0 - p)
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ_by_run_and_repeat_by_seed() {
        let a = stream(7, 0).next_u64();
        assert_eq!(a, stream(7, 0).next_u64());
        assert_ne!(a, stream(7, 1).next_u64());
        assert_ne!(a, stream(8, 0).next_u64());
    }

    #[test]
    fn normal_quantiles_match_tables() {
        for (p, z) in [
            (0.5, 0.0),
            (0.975, 1.959963984540054),
            (0.025, -1.959963984540054),
            (0.8413447460685429, 1.0),
            (0.001, -3.090232306167813),
            (1e-10, -6.361340902404056),
        ] {
            let got = standard_normal(p);
            assert!(
                (got - z).abs() <= 2e-9 * z.abs().max(1.0),
                "p = {p}: {got} vs {z}"
            );
        }
    }

    #[test]
    fn normals_have_unit_variance() {
        let mut rng = stream(1, 0);
        let n = 20_000;
        let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
        let mut h = vec![[0.0; HAZARDS]; n];
        draw_month(&mut rng, &mut a, &mut b, &mut h);
        let var = a.iter().chain(&b).map(|x| x * x).sum::<f64>() / (2 * n) as f64;
        assert!((var - 1.0).abs() < 0.03, "variance {var}");
        assert!(h.iter().flatten().all(|u| (0.0..1.0).contains(u)));
    }
}
