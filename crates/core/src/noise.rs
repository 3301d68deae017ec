//! Noisy gradients, seeded and reproducible: what a run's optimizer sees is the true gradient plus
//! σ·ξ, one standard normal ξ per step and coordinate. The noise is a pure function of (seed, step,
//! coordinate), computed with additions, multiplications, divisions and square roots only (IEEE 754 rounds
//! each exactly), so the same link gives the same bits in the page's wasm, in the CLI on any machine, and
//! after a reload; and the three panels of a page see the same noise draws (a fair comparison).
//!
//! σ is absolute, in the units of the gradient: with `scale=100` the gradients grow a hundredfold and the
//! noise does not. σ = 0 is exactly the noiseless run.

use crate::num::Point;

/// The largest σ a link may ask for.
pub const MAX_SIGMA: f64 = 1000.0;

/// Gaussian noise of standard deviation `sigma` on every gradient, drawn from stream `seed`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Noise {
    pub sigma: f64,
    pub seed: u32,
}

impl Default for Noise {
    fn default() -> Noise {
        Noise::NONE
    }
}

impl Noise {
    /// No noise (the seed is the links' default one).
    pub const NONE: Noise = Noise { sigma: 0.0, seed: 1 };

    /// Whether the gradients are noisy at all.
    pub fn is_on(&self) -> bool {
        self.sigma > 0.0
    }

    /// The same noise from another stream: member `k` of an ensemble uses seed + k.
    pub fn member(&self, k: u32) -> Noise {
        Noise { seed: self.seed.wrapping_add(k), ..*self }
    }

    /// The gradient an optimizer sees at step `n`: `gradient` plus σ·ξ on each of the first `dim`
    /// coordinates (the second coordinate of a curve stays 0). Unchanged when σ is 0.
    pub fn apply(&self, gradient: Point, n: u32, dim: usize) -> Point {
        if !self.is_on() {
            return gradient;
        }
        let mut noisy = gradient;
        for (coordinate, g) in noisy.iter_mut().enumerate().take(dim.min(2)) {
            *g += self.sigma * standard_normal(self.seed, n, coordinate as u32);
        }
        noisy
    }
}

/// A standard normal number that depends only on (seed, step, coordinate): Marsaglia's polar method on
/// uniform numbers hashed from those three and an attempt counter.
pub fn standard_normal(seed: u32, n: u32, coordinate: u32) -> f64 {
    let mut attempt: u64 = 0;
    loop {
        let key = u64::from(seed)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(u64::from(n).wrapping_mul(0xD1B5_4A32_D192_ED03))
            .wrapping_add(u64::from(coordinate).wrapping_mul(0xABC9_8388_FB8F_AC03))
            .wrapping_add(attempt.wrapping_mul(0x8CB9_2BA7_2F3D_8DD7));
        let u = 2.0 * unit(mix(key)) - 1.0;
        let v = 2.0 * unit(mix(key ^ 0x5851_F42D_4C95_7F2D)) - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * ln(s) / s).sqrt();
        }
        attempt += 1;
    }
}

/// A uniform number in [0, 1) that depends only on (seed, step, stream), drawn apart from the normal
/// numbers of the same arguments.
pub fn uniform(seed: u32, n: u32, stream: u32) -> f64 {
    let key = u64::from(seed)
        .wrapping_mul(0xA076_1D64_78BD_642F)
        .wrapping_add(u64::from(n).wrapping_mul(0xE703_7ED1_A0B4_28DB))
        .wrapping_add(u64::from(stream).wrapping_mul(0x8EBC_6AF0_9C88_C6E3));
    unit(mix(key))
}

/// SplitMix64's output function: a bijection of 64-bit words that scatters nearby keys.
fn mix(key: u64) -> u64 {
    let mut z = key.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The top 53 bits of `word` as a number in [0, 1).
fn unit(word: u64) -> f64 {
    (word >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The natural logarithm of a positive, finite, normal `x`, to about one unit in the last place, from
/// basic arithmetic only (so that it gives the same bits everywhere; `f64::ln` is the platform's own):
/// x = m·2^e with m in [√½, √2), ln m = 2·atanh((m − 1)/(m + 1)) by its series.
pub fn ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        exponent += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    // |s| ≤ 0.1716, so eleven odd powers reach 1e-17.
    let mut term = s;
    let mut sum = 0.0;
    for k in 0..12 {
        sum += term / f64::from(2 * k + 1);
        term *= s2;
    }
    // ln 2 in two parts, so that e·ln 2 keeps its precision.
    const LN2_HI: f64 = 0.693_147_180_369_123_8;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    let e = exponent as f64;
    e * LN2_HI + (2.0 * sum + e * LN2_LO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portable_logarithm_agrees_with_the_platforms() {
        for x in [1e-300, 1e-10, 0.001, 0.1, 0.5, 0.7, 0.99, 1.0, 1.0001, 1.5, 2.0, 10.0, 12345.678, 1e300] {
            let (ours, std) = (ln(x), x.ln());
            assert!((ours - std).abs() <= 2.0 * f64::EPSILON * std.abs().max(1.0), "ln({x}): {ours} vs {std}");
        }
        assert_eq!(ln(1.0), 0.0);
    }

    #[test]
    fn draws_are_standard_normal_and_depend_only_on_seed_step_and_coordinate() {
        let draws: Vec<f64> = (0..20_000).map(|n| standard_normal(7, n, 0)).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let variance = draws.iter().map(|z| (z - mean) * (z - mean)).sum::<f64>() / draws.len() as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((variance - 1.0).abs() < 0.04, "variance {variance}");
        let within_one = draws.iter().filter(|z| z.abs() < 1.0).count() as f64 / draws.len() as f64;
        assert!((within_one - 0.6827).abs() < 0.015, "P(|z| < 1) = {within_one}");
        assert_eq!(standard_normal(7, 123, 1), standard_normal(7, 123, 1));
        assert_ne!(standard_normal(7, 123, 0), standard_normal(7, 123, 1));
        assert_ne!(standard_normal(7, 123, 0), standard_normal(8, 123, 0));
        // The coordinates and neighbouring seeds are not correlated.
        let pairs: f64 =
            (0..20_000).map(|n| standard_normal(7, n, 0) * standard_normal(8, n, 0)).sum::<f64>() / 20_000.0;
        assert!(pairs.abs() < 0.03, "correlation {pairs}");
    }

    #[test]
    fn no_noise_leaves_the_gradient_exactly_alone() {
        let g = [0.1 + 0.2, -0.0];
        assert_eq!(Noise::NONE.apply(g, 5, 2), g);
        assert_eq!(Noise { sigma: 0.0, seed: 99 }.apply(g, 5, 2), g);
        let noisy = Noise { sigma: 0.5, seed: 3 }.apply([1.0, 0.0], 5, 1);
        assert_ne!(noisy[0], 1.0);
        assert_eq!(noisy[1], 0.0, "a curve's second coordinate stays 0");
    }
}
