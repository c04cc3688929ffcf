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

const TWO_PI: f64 = std::f64::consts::TAU;
const UNIT_53: f64 = 1.0 / (1u64 << 53) as f64;
const UNIT_32: f64 = 1.0 / (1u64 << 32) as f64;

/// One month of draws for every state, always the same count (6 words per state):
/// a Box–Muller pair of standard normals (alignment, opinion noise) from two words, and
/// [`HAZARDS`] uniforms in [0, 1) from the 32-bit halves of four more.
pub fn draw_month(
    rng: &mut ChaCha8Rng,
    noise_alignment: &mut [f64],
    noise_opinion: &mut [f64],
    hazards: &mut [[f64; HAZARDS]],
) {
    const _: () = assert!(HAZARDS <= 8, "four words give eight hazard uniforms");
    for i in 0..noise_alignment.len() {
        // u1 in (0, 1] so that ln(u1) is finite.
        let u1 = ((rng.next_u64() >> 11) + 1) as f64 * UNIT_53;
        let u2 = (rng.next_u64() >> 11) as f64 * UNIT_53;
        let radius = (-2.0 * u1.ln()).sqrt();
        let (sin, cos) = (TWO_PI * u2).sin_cos();
        noise_alignment[i] = radius * cos;
        noise_opinion[i] = radius * sin;
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
