//! Random numbers: run i of a scenario with seed s draws everything from its own ChaCha8
//! stream, keyed by s and numbered i, so no run's draws depend on another's or on threads.

use crate::distributions::standard_normal;
use crate::model::events::{Draw, HAZARDS, Uniforms};
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
    let hash = fnv1a(path);
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&hash.to_le_bytes());
    key[16..24].copy_from_slice(b"params\0\0");
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(draw);
    open_unit(rng.next_u64())
}

/// The stream of the mechanism `name` in run `run` under master seed `seed`: keyed by the
/// seed and the name (FNV-1a) apart from the run's own stream and every other mechanism's, so
/// that adding a mechanism changes no other draw.
pub fn mechanism_stream(seed: u64, run: u64, name: &str) -> Stream {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&fnv1a(name).to_le_bytes());
    key[16..24].copy_from_slice(b"mechanis");
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(run);
    Stream(rng)
}

/// A mechanism's own stream of random numbers.
#[derive(Clone, Debug)]
pub struct Stream(ChaCha8Rng);

impl Draw for Stream {
    fn uniform(&mut self) -> f64 {
        open_unit(self.0.next_u64())
    }

    fn normal(&mut self) -> f64 {
        standard_normal(self.uniform())
    }
}

/// FNV-1a of a name: what keys the streams of key paths and mechanisms.
fn fnv1a(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
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

/// One month of draws for every state, always the same count (5 words per state): two
/// standard normals (alignment and opinion noise), one word each, and the [`HAZARDS`]
/// threshold uniforms in [0, 1) from the 32-bit halves of three more words (the sixth half is
/// drawn and unused: a new mechanism takes its own [`mechanism_stream`]).
pub fn draw_month(
    rng: &mut ChaCha8Rng,
    noise_alignment: &mut [f64],
    noise_opinion: &mut [f64],
    hazards: &mut [Uniforms],
) {
    const _: () = assert!(HAZARDS <= 6, "three words give six hazard uniforms");
    for i in 0..noise_alignment.len() {
        noise_alignment[i] = standard_normal(open_unit(rng.next_u64()));
        noise_opinion[i] = standard_normal(open_unit(rng.next_u64()));
        let words = [rng.next_u64(), rng.next_u64(), rng.next_u64()];
        let half = |h: usize| {
            let word = words[h / 2];
            let half = if h.is_multiple_of(2) {
                word >> 32
            } else {
                word & 0xffff_ffff
            };
            half as f64 * UNIT_32
        };
        hazards[i] = Uniforms::from_draws([half(0), half(1), half(2), half(3), half(4)]);
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
    fn mechanism_streams_are_their_own() {
        let draw = |name: &str, run| mechanism_stream(7, run, name).uniform();
        assert_eq!(draw("elections", 3), draw("elections", 3));
        assert_ne!(draw("elections", 3), draw("elections", 4));
        assert_ne!(draw("elections", 3), draw("shocks", 3));
        let first = open_unit(stream(7, 3).next_u64());
        assert_ne!(
            draw("elections", 3),
            first,
            "apart from the run's own stream"
        );
    }

    #[test]
    fn normals_have_unit_variance() {
        let mut rng = stream(1, 0);
        let n = 20_000;
        let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
        let mut h = vec![Uniforms::default(); n];
        draw_month(&mut rng, &mut a, &mut b, &mut h);
        let var = a.iter().chain(&b).map(|x| x * x).sum::<f64>() / (2 * n) as f64;
        assert!((var - 1.0).abs() < 0.03, "variance {var}");
        let all = |u: &Uniforms| {
            [u.asset, u.naval, u.sanctions, u.protest, u.secession]
                .iter()
                .all(|x| (0.0..1.0).contains(x))
        };
        assert!(h.iter().all(all));
        assert!(h.windows(2).all(|w| w[0] != w[1]), "states draw apart");
    }
}
