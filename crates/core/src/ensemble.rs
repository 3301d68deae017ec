//! An ensemble: the same optimizer from the same start, once per noise seed (the link's seed, then the
//! next ones), stepped together, so that a chart can show what is typical of a noisy run (the median loss
//! per step) and how much it varies (the 10–90 % band) rather than one lucky or unlucky draw.

use crate::loss::Objective;
use crate::noise::Noise;
use crate::num::Point;
use crate::optimizer::Optimizer;
use crate::run::Walker;

/// How many runs an ensemble has unless a link says otherwise.
pub const DEFAULT_RUNS: u32 = 20;
/// The most runs a link may ask for.
pub const MAX_RUNS: u32 = 100;

/// The 10th, 50th and 90th percentiles of the members' losses at one step (+∞ stands for a member that
/// diverged: it counts as worse than any loss).
pub type Band = [f64; 3];

#[derive(Clone, Debug)]
pub struct Ensemble {
    objective: Objective,
    optimizer: Optimizer,
    noise: Noise,
    members: Vec<Walker>,
    /// One band per step computed so far, from step 0.
    bands: Vec<Band>,
    scratch: Vec<f64>,
}

impl Ensemble {
    /// `runs` members (at least 1) at step 0; member k draws its noise from seed + k, so member 0 is the
    /// run the page shows.
    pub fn new(objective: Objective, optimizer: Optimizer, start: Point, noise: Noise, runs: u32) -> Ensemble {
        let members = (0..runs.clamp(1, MAX_RUNS)).map(|_| Walker::new(&objective, &optimizer, start)).collect();
        let mut ensemble = Ensemble { objective, optimizer, noise, members, bands: Vec::new(), scratch: Vec::new() };
        ensemble.record_band();
        ensemble
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The step the ensemble has reached.
    pub fn reached(&self) -> u32 {
        self.bands.len() as u32 - 1
    }

    /// Steps every member up to step `n`.
    pub fn advance_to(&mut self, n: u32) {
        while self.reached() < n {
            let next = self.reached() + 1;
            for (k, member) in self.members.iter_mut().enumerate() {
                if member.n + 1 == next {
                    member.step(&self.objective, &self.optimizer, self.noise.member(k as u32));
                }
            }
            self.record_band();
        }
    }

    /// The band at step `n`, if the ensemble got there.
    pub fn band(&self, n: u32) -> Option<Band> {
        self.bands.get(n as usize).copied()
    }

    /// The bands from step 0 to step `n` (or as far as computed).
    pub fn bands(&self, n: u32) -> &[Band] {
        &self.bands[..self.bands.len().min(n as usize + 1)]
    }

    fn record_band(&mut self) {
        let step = self.bands.len() as u32;
        self.scratch.clear();
        // A member that stopped before this step diverged (or could not start): worse than any loss.
        self.scratch.extend(self.members.iter().map(|m| if m.n == step { m.loss } else { f64::INFINITY }));
        // Unstable: equal keys are equal numbers here, and the page already carries this sort (its frame
        // statistics), so the stable one's code is not needed (−3 KB of wasm).
        self.scratch.sort_unstable_by(f64::total_cmp);
        let quantile = |q: f64, sorted: &[f64]| {
            let at = q * (sorted.len() - 1) as f64;
            let (low, high) = (at.floor() as usize, at.ceil() as usize);
            let share = at - low as f64;
            if share == 0.0 || sorted[high] == sorted[low] {
                sorted[low]
            } else {
                sorted[low] + share * (sorted[high] - sorted[low])
            }
        };
        let band = [quantile(0.1, &self.scratch), quantile(0.5, &self.scratch), quantile(0.9, &self.scratch)];
        self.bands.push(band);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loss::Loss;
    use crate::optimizer::OptimizerKind;
    use crate::run::Run;

    fn sgd(lr: f64) -> Optimizer {
        Optimizer::new(OptimizerKind::Sgd).with("lr", lr).unwrap()
    }

    #[test]
    fn member_zero_is_the_run_itself_and_the_band_orders_its_quantiles() {
        let noise = Noise { sigma: 1.0, seed: 42 };
        let objective: Objective = Loss::Quadratic.into();
        let mut ensemble = Ensemble::new(objective.clone(), sgd(0.1), [4.0, 0.0], noise, 20);
        let mut run = Run::noisy(objective, sgd(0.1), [4.0, 0.0], noise);
        ensemble.advance_to(50);
        run.advance_to(50);
        assert_eq!(ensemble.members[0].loss, run.current().loss, "member 0 draws the run's noise");
        assert_eq!(ensemble.reached(), 50);
        for band in ensemble.bands(50) {
            assert!(band[0] <= band[1] && band[1] <= band[2], "{band:?}");
        }
        // The members do differ.
        let band = ensemble.band(50).unwrap();
        assert!(band[2] > band[0]);
    }

    #[test]
    fn without_noise_every_member_is_the_same_run() {
        let mut ensemble = Ensemble::new(Loss::Quadratic.into(), sgd(0.1), [4.0, 0.0], Noise::NONE, 5);
        ensemble.advance_to(10);
        let band = ensemble.band(10).unwrap();
        assert_eq!(band[0], band[2]);
        assert_eq!(ensemble.len(), 5);
    }

    #[test]
    fn a_diverged_member_counts_as_worse_than_any_loss() {
        let mut ensemble = Ensemble::new(Loss::Quadratic.into(), sgd(1.5), [4.0, 0.0], Noise::NONE, 3);
        ensemble.advance_to(40);
        assert_eq!(ensemble.band(40).unwrap()[1], f64::INFINITY);
    }
}
