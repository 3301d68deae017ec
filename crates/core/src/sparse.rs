//! The sparse-feature lab: why adaptive rates help a network. A linear model learns, one example at a time,
//! a handful of binary features, some active in almost every example and one (or a few) only rarely, as a
//! rare word is in text. A rate safe for the frequent features is far too small for the rare ones, which
//! get a gradient only now and then; Adagrad divides each coordinate by its own √Σg², so a rarely seen
//! feature keeps a large rate.
//!
//! The data are generated from a seed, example by example, as a pure function of (seed, example, feature),
//! so the same link gives the same examples in the page and in the CLI. The model is linear regression on
//! the squared error ½(w·x − y)²; its gradient is (w·x − y)·x, zero for the features an example lacks.
//! Every optimizer here works coordinate by coordinate, so the features run through it in pairs (the
//! optimizers' own 2-D update), each pair with its own state.

use crate::noise::{standard_normal, uniform};
use crate::num::Point;
use crate::optimizer::{Optimizer, State};
use std::collections::VecDeque;

/// The most features a lab has, and the fewest.
pub const MAX_FEATURES: usize = 8;
pub const MIN_FEATURES: usize = 2;
/// How many records a sparse run keeps (the shared clock's reach, as for runs).
pub const HISTORY_LIMIT: usize = crate::run::HISTORY_LIMIT;
/// A weight beyond this has diverged; the run stops there.
pub const DIVERGENCE_BOUND: f64 = 1e6;

/// A vector with one entry per feature (unused entries stay 0).
pub type Features = [f64; MAX_FEATURES];

/// The data: which features each example has, and its label.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Data {
    pub features: usize,
    /// The share of examples in which feature i is active (0 to 1).
    pub shares: Features,
    /// The true weights the labels come from.
    pub weights: Features,
    /// σ of the Gaussian noise on each label.
    pub label_noise: f64,
    pub seed: u32,
    /// From this example on, the first feature and the last swap their shares and both true weights change
    /// sign: the data drift, and a rate that was worn down on the old data must learn again.
    pub shift_at: Option<u32>,
}

/// How the features' shares are spread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spread {
    /// Common features (in 90 % down to 60 % of the examples) and one rare one, the last.
    OneRare,
    /// A long tail, as word counts have: each feature rarer than the one before, from 90 % down to the
    /// rare share, evenly on a log scale.
    Tail,
}

impl Spread {
    pub fn id(self) -> &'static str {
        match self {
            Spread::OneRare => "one",
            Spread::Tail => "tail",
        }
    }

    pub fn from_id(id: &str) -> Option<Spread> {
        [Spread::OneRare, Spread::Tail].into_iter().find(|s| s.id() == id)
    }
}

/// The true weights of the common features, in order; the rarest feature's is [`RARE_WEIGHT`].
const COMMON_WEIGHTS: [f64; MAX_FEATURES - 1] = [1.0, -0.5, 0.8, -1.2, 1.5, -0.7, 0.6];
pub const RARE_WEIGHT: f64 = 2.0;
/// The share of the most common feature, and of the least common of the common ones.
const COMMON_SHARES: (f64, f64) = (0.9, 0.6);

impl Data {
    /// `features` features (2 to 8), the last in `rare` of the examples (0 to 1), the others spread as
    /// `spread` says; labels with noise σ `label_noise`; no shift.
    pub fn new(features: usize, rare: f64, spread: Spread, label_noise: f64, seed: u32) -> Data {
        let features = features.clamp(MIN_FEATURES, MAX_FEATURES);
        let mut data = Data {
            features,
            shares: [0.0; MAX_FEATURES],
            weights: [0.0; MAX_FEATURES],
            label_noise,
            seed,
            shift_at: None,
        };
        let last = features - 1;
        for (i, (share, weight)) in data.shares.iter_mut().zip(&mut data.weights).enumerate().take(features) {
            let along = i as f64 / last.max(1) as f64;
            *share = match spread {
                _ if i == last => rare,
                Spread::OneRare if last == 1 => COMMON_SHARES.0,
                Spread::OneRare => {
                    let along = i as f64 / (last - 1) as f64;
                    COMMON_SHARES.0 + along * (COMMON_SHARES.1 - COMMON_SHARES.0)
                }
                Spread::Tail => COMMON_SHARES.0 * (rare / COMMON_SHARES.0).powf(along),
            };
            *weight = if i == last { RARE_WEIGHT } else { COMMON_WEIGHTS[i] };
        }
        data
    }

    /// One common, one rare: features in 90 % and 60 % of the examples and a rare one in 3 %, labels with
    /// a little noise (σ 0.3).
    pub fn one_rare() -> Data {
        Data::new(3, 0.03, Spread::OneRare, 0.3, 1)
    }

    /// Feature `i`'s share and true weight for example `n` (after a shift, the first and the last have
    /// swapped their shares and both weights have changed sign).
    pub fn at(&self, i: usize, n: u32) -> (f64, f64) {
        let last = self.features - 1;
        match self.shift_at {
            Some(shift) if n >= shift && (i == 0 || i == last) => {
                let other = if i == 0 { last } else { 0 };
                (self.shares[other], -self.weights[i])
            }
            _ => (self.shares[i], self.weights[i]),
        }
    }

    /// The true weights for example `n`.
    pub fn weights_at(&self, n: u32) -> Features {
        let mut weights = [0.0; MAX_FEATURES];
        for (i, w) in weights.iter_mut().enumerate().take(self.features) {
            *w = self.at(i, n).1;
        }
        weights
    }

    /// Example `n`: which features are active (1 or 0) and its label.
    pub fn example(&self, n: u32) -> (Features, f64) {
        let mut x = [0.0; MAX_FEATURES];
        let mut y = 0.0;
        for (i, xi) in x.iter_mut().enumerate().take(self.features) {
            let (share, weight) = self.at(i, n);
            if uniform(self.seed, n, 16 + i as u32) < share {
                *xi = 1.0;
                y += weight;
            }
        }
        if self.label_noise > 0.0 {
            y += self.label_noise * standard_normal(self.seed, n, 15);
        }
        (x, y)
    }

    /// The index of the rarest feature at example `n` (the last of the rarest): after a shift, the one
    /// that was common.
    pub fn rarest(&self, n: u32) -> usize {
        (0..self.features).fold(0, |best, i| if self.at(i, n).0 <= self.at(best, n).0 { i } else { best })
    }
}

/// Everything about example n in one panel: the weights before it, the example, the loss on it, the
/// gradient, and what the optimizer keeps and does with it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SparseRecord {
    pub n: u32,
    pub w: Features,
    pub x: Features,
    pub y: f64,
    /// ½(w·x − y)² on this example.
    pub loss: f64,
    pub gradient: Features,
    /// The optimizer's accumulators after this gradient (see `OptimizerKind::slots`).
    pub slots: [Features; 2],
    pub effective_lr: Features,
    pub step: Features,
    /// How many examples so far (this one included) had each feature.
    pub seen: [u32; MAX_FEATURES],
    /// The weights left the bound at this step; the run stays where it was.
    pub diverged: bool,
}

/// One optimizer learning the data, with its recent history.
#[derive(Clone, Debug)]
pub struct SparseRun {
    data: Data,
    optimizer: Optimizer,
    /// One state per pair of features.
    states: [State; MAX_FEATURES / 2],
    history: VecDeque<SparseRecord>,
}

impl SparseRun {
    /// A run at example 0, from all weights 0.
    pub fn new(data: Data, optimizer: Optimizer) -> SparseRun {
        let mut run =
            SparseRun { data, optimizer, states: [optimizer.init(); MAX_FEATURES / 2], history: VecDeque::new() };
        let first = run.record_at(0, [0.0; MAX_FEATURES], [0; MAX_FEATURES]);
        run.history.push_back(first);
        run
    }

    pub fn data(&self) -> &Data {
        &self.data
    }

    pub fn optimizer(&self) -> &Optimizer {
        &self.optimizer
    }

    /// The record of example `n`, folding its gradient into the optimizer's state.
    fn record_at(&mut self, n: u32, w: Features, seen: [u32; MAX_FEATURES]) -> SparseRecord {
        let (x, y) = self.data.example(n);
        let residual: f64 = (0..self.data.features).map(|i| w[i] * x[i]).sum::<f64>() - y;
        let mut record = SparseRecord {
            n,
            w,
            x,
            y,
            loss: 0.5 * residual * residual,
            gradient: [0.0; MAX_FEATURES],
            slots: [[0.0; MAX_FEATURES]; 2],
            effective_lr: [0.0; MAX_FEATURES],
            step: [0.0; MAX_FEATURES],
            seen,
            diverged: false,
        };
        for ((gradient, seen), &xi) in record.gradient.iter_mut().zip(&mut record.seen).zip(&x).take(self.data.features)
        {
            *gradient = residual * xi;
            if xi != 0.0 {
                *seen += 1;
            }
        }
        for pair in 0..self.data.features.div_ceil(2) {
            let (a, b) = (2 * pair, 2 * pair + 1);
            let g: Point = [record.gradient[a], if b < self.data.features { record.gradient[b] } else { 0.0 }];
            let dim = if b < self.data.features { 2 } else { 1 };
            let update = self.optimizer.update(&mut self.states[pair], [w[a], w[b]], g, dim);
            for (k, i) in [a, b].into_iter().enumerate().take(dim) {
                record.step[i] = update.step[k];
                record.effective_lr[i] = update.effective_lr[k];
                record.slots[0][i] = self.states[pair].slots[0][k];
                record.slots[1][i] = self.states[pair].slots[1][k];
            }
        }
        record
    }

    /// One more example, unless the run diverged. Returns the newest record.
    pub fn advance(&mut self) -> &SparseRecord {
        let current = *self.current();
        if !current.diverged {
            let mut w = current.w;
            for (wi, step) in w.iter_mut().zip(current.step) {
                *wi += step;
            }
            if w.iter().all(|c| c.is_finite() && c.abs() <= DIVERGENCE_BOUND) {
                let record = self.record_at(current.n + 1, w, current.seen);
                if self.history.len() == HISTORY_LIMIT {
                    self.history.pop_front();
                }
                self.history.push_back(record);
            } else if let Some(last) = self.history.back_mut() {
                last.diverged = true;
            }
        }
        self.current()
    }

    pub fn advance_to(&mut self, n: u32) {
        while self.current().n < n && !self.current().diverged {
            self.advance();
        }
    }

    pub fn current(&self) -> &SparseRecord {
        &self.history[self.history.len() - 1]
    }

    pub fn record(&self, n: u32) -> Option<&SparseRecord> {
        let first = self.history.front()?.n;
        self.history.get(n.checked_sub(first)? as usize)
    }

    pub fn history(&self) -> impl DoubleEndedIterator<Item = &SparseRecord> {
        self.history.iter()
    }

    /// How much of the way from 0 to its true value feature `i`'s weight has come at record `n` (1: there;
    /// it can pass 1 or go below 0).
    pub fn progress(&self, i: usize, n: u32) -> Option<f64> {
        let record = self.record(n)?;
        let target = self.data.at(i, n).1;
        (target != 0.0).then(|| record.w[i] / target)
    }
}

/// Three sparse runs on the same data and one clock, as `Lab` is for the triptych.
#[derive(Clone, Debug)]
pub struct SparseLab {
    runs: [SparseRun; 3],
    t: u32,
}

impl SparseLab {
    pub fn new(data: Data, optimizers: [Optimizer; 3]) -> SparseLab {
        SparseLab { runs: optimizers.map(|o| SparseRun::new(data, o)), t: 0 }
    }

    pub fn t(&self) -> u32 {
        self.t
    }

    pub fn run(&self, panel: usize) -> &SparseRun {
        &self.runs[panel]
    }

    pub fn data(&self) -> &Data {
        self.runs[0].data()
    }

    /// The record panel `panel` shows now (the last one of a run that diverged).
    pub fn shown(&self, panel: usize) -> &SparseRecord {
        let run = &self.runs[panel];
        run.record(self.t).unwrap_or(run.current())
    }

    /// Moves the clock to example `t` (at most `clock::MAX_STEP`), computing what is missing.
    pub fn seek(&mut self, t: u32) {
        self.t = t.min(crate::run::HISTORY_LIMIT as u32 - 1);
        for run in &mut self.runs {
            run.advance_to(self.t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimizer::OptimizerKind;

    fn optimizer(kind: OptimizerKind, lr: f64, extra: &[(&str, f64)]) -> Optimizer {
        extra.iter().fold(Optimizer::new(kind).with("lr", lr).unwrap(), |o, (name, v)| o.with(name, *v).unwrap())
    }

    #[test]
    fn examples_depend_only_on_the_seed_and_have_their_shares() {
        let data = Data::one_rare();
        assert_eq!(data.example(17), data.example(17));
        let count = |i: usize| (0..20_000).filter(|&n| data.example(n).0[i] == 1.0).count() as f64 / 20_000.0;
        assert!((count(0) - 0.9).abs() < 0.01 && (count(1) - 0.6).abs() < 0.01 && (count(2) - 0.03).abs() < 0.004);
        // Without label noise, the label is the true weights' sum over the active features.
        let data = Data { label_noise: 0.0, ..data };
        let (x, y) = data.example(3);
        assert_eq!(y, x[0] * 1.0 + x[1] * -0.5 + x[2] * 2.0);
        assert_ne!(Data { seed: 2, ..data }.example(3), (x, y));
        assert_eq!(data.rarest(0), 2);
        assert_eq!(Data { shift_at: Some(10), ..data }.rarest(10), 0, "after a shift the common one is rare");
    }

    /// The first steps by hand: gradient descent at rate 0.5 from w = 0.
    #[test]
    fn the_first_steps_match_a_hand_computation() {
        let data = Data { label_noise: 0.0, ..Data::one_rare() };
        let mut run = SparseRun::new(data, optimizer(OptimizerKind::Sgd, 0.5, &[]));
        let (x0, y0) = data.example(0);
        let first = *run.current();
        assert_eq!(first.loss, 0.5 * y0 * y0, "w = 0: the residual is −y");
        for (i, xi) in x0.iter().enumerate().take(3) {
            assert_eq!(first.gradient[i], -y0 * xi);
            assert_eq!(first.step[i], 0.5 * y0 * xi);
        }
        let second = *run.advance();
        let w1: Vec<f64> = (0..3).map(|i| 0.5 * y0 * x0[i]).collect();
        assert_eq!(&second.w[..3], &w1[..]);
        let (x1, y1) = data.example(1);
        let residual = w1[0] * x1[0] + w1[1] * x1[1] + w1[2] * x1[2] - y1;
        assert_eq!(second.gradient[0], residual * x1[0]);
        assert_eq!(second.seen[0], (x0[0] + x1[0]) as u32);
    }

    #[test]
    fn adagrad_keeps_a_large_rate_for_the_rare_feature() {
        let data = Data::one_rare();
        let mut safe = SparseRun::new(data, optimizer(OptimizerKind::Sgd, 0.05, &[]));
        let mut adagrad = SparseRun::new(data, optimizer(OptimizerKind::Adagrad, 0.5, &[("eps", 1e-8)]));
        safe.advance_to(500);
        adagrad.advance_to(500);
        let (s, a) = (safe.current(), adagrad.current());
        assert!(a.effective_lr[2] > 1.5 * a.effective_lr[0], "{:?}", a.effective_lr);
        assert!(adagrad.progress(2, 500).unwrap() > 0.8 && safe.progress(2, 500).unwrap() < 0.6);
        assert!(s.seen[2] < 30 && s.seen[0] > 400);
        assert_eq!(s.seen, a.seen, "the same examples");
    }

    #[test]
    fn an_unseen_feature_gets_no_step_and_no_nan() {
        let mut data = Data::one_rare();
        data.shares[2] = 0.0;
        let mut run = SparseRun::new(data, optimizer(OptimizerKind::Adagrad, 0.5, &[]));
        run.advance_to(50);
        assert_eq!(run.current().w[2], 0.0);
        assert!(run.current().w.iter().all(|w| w.is_finite()));
    }

    #[test]
    fn a_shift_swaps_the_shares_and_flips_the_weights() {
        let data = Data { shift_at: Some(100), ..Data::one_rare() };
        assert_eq!(data.at(0, 99), (0.9, 1.0));
        assert_eq!(data.at(0, 100), (0.03, -1.0));
        assert_eq!(data.at(2, 100), (0.9, -2.0));
        assert_eq!(data.at(1, 100), (0.6, -0.5));
    }

    #[test]
    fn shares_spread_as_asked() {
        let tail = Data::new(6, 0.02, Spread::Tail, 0.0, 1);
        assert_eq!(tail.shares[0], 0.9);
        assert!((tail.shares[5] - 0.02).abs() < 1e-12);
        assert!(tail.shares[..6].windows(2).all(|w| w[1] < w[0]));
        let two = Data::new(2, 0.05, Spread::OneRare, 0.0, 1);
        assert_eq!(&two.shares[..2], &[0.9, 0.05]);
        assert_eq!(&two.weights[..2], &[1.0, RARE_WEIGHT]);
        assert_eq!(Data::new(20, 0.05, Spread::OneRare, 0.0, 1).features, MAX_FEATURES);
    }
}
