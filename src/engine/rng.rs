//! Random numbers: run i of a scenario with seed s draws everything from its own ChaCha8
//! stream, keyed by s and numbered i, so no run's draws depend on another's or on threads.

use crate::distributions::standard_normal;
use crate::model::events::HAZARDS;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The stream of run `run` under master seed `seed`.
pub fn stream(seed: u64, run: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    rng
}

/// The uniform in (0, 1) that draw `draw` of the uncertain parameters gives the key path
/// `path` under master seed `seed`: the first word of a ChaCha8 stream keyed by the seed and the
/// path (FNV-1a) and numbered by the draw, apart from every run's stream. A path gets the same
/// value in a draw whatever else the scenario holds, so comparisons share their parameters.
pub fn parameter_uniform(seed: u64, draw: u64, path: &str) -> f64 {
    let hash = path.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    });
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&hash.to_le_bytes());
    key[16..24].copy_from_slice(b"params\0\0");
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(draw);
    open_unit(rng.next_u64())
}

/// The stream of proposal `k` of generation `generation` of a calibration under master seed
/// `seed`: keyed apart from run and parameter streams.
pub fn proposal_stream(seed: u64, generation: u64, k: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&generation.to_le_bytes());
    key[16..24].copy_from_slice(b"abc-smc\0");
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(k);
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
pub fn open_unit(word: u64) -> f64 {
    ((word >> 11) as f64 + 0.5) * UNIT_53
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
