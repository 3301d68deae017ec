//! The learning-rate sweep: one optimizer, every setting fixed but its learning rate, run from the same
//! start for a fixed number of steps at each rate of a log-spaced grid. Its outcome per rate shows the band
//! of rates that work, which is the honest comparison: a well-tuned fixed rate also converges, but only
//! in a band whose place depends on the loss's curvature and scale.
//!
//! The outcome of a run is how much of the loss above the minimum is left after the horizon, as a share
//! of what it was at the start (so that multiplying the loss by a constant leaves it unchanged): 1e-6 means
//! a millionth is left. "The minimum" is the known minimizer nearest to where the run ended. For a loss
//! whose minimizers are not known (the saddle, a typed function) it is the squared ratio of the last
//! gradient to the first, which is the same share near a quadratic minimum.

use crate::loss::Objective;
use crate::noise::Noise;
use crate::num::Point;
use crate::optimizer::{Optimizer, LR_MAX, LR_MIN};
use crate::run::Walker;

/// A run within this share of its start's loss gap has found the minimum ("works").
pub const TOLERANCE: f64 = 1e-6;
/// The sweep's range of learning rates may not go beyond these: the rates every optimizer takes.
pub const RATE_LIMITS: (f64, f64) = (LR_MIN, LR_MAX);
/// The horizon may be between these numbers of steps.
pub const HORIZON_LIMITS: (u32, u32) = (10, 1000);

/// Which rates a sweep tries and for how many steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepSpec {
    /// The smallest and the largest rate (log-spaced in between).
    pub from: f64,
    pub to: f64,
    pub points: usize,
    /// Steps per run.
    pub horizon: u32,
}

impl Default for SweepSpec {
    /// 61 rates from 1e-4 to 1e2 (ten per decade, the decades themselves included), 100 steps each.
    fn default() -> SweepSpec {
        SweepSpec { from: 1e-4, to: 1e2, points: 61, horizon: 100 }
    }
}

impl SweepSpec {
    /// The rates, from `from` to `to`, evenly spaced on a log scale.
    pub fn rates(&self) -> Vec<f64> {
        let (low, high) = (self.from.log10(), self.to.log10());
        let points = self.points.max(2);
        (0..points)
            .map(|i| {
                let exponent = low + (high - low) * i as f64 / (points - 1) as f64;
                // Whole decades exactly (1, not 0.9999999999999999).
                let rounded = (exponent * 1e9).round() / 1e9;
                let rate = 10f64.powf(if rounded == rounded.round() { rounded.round() } else { exponent });
                // Never a hair outside the range (and so outside the rates the optimizers take).
                crate::num::clamp(rate, self.from, self.to)
            })
            .collect()
    }

    /// How many decades one grid cell spans.
    pub fn cell_decades(&self) -> f64 {
        (self.to.log10() - self.from.log10()) / (self.points.max(2) - 1) as f64
    }
}

/// What a run at one learning rate came to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    /// The share of the start's loss gap left after the horizon (finite, ≥ 0; above 1 it ended worse).
    Left(f64),
    /// It left the finite world or the bound at this step, or (`None`) was still moving away from the
    /// minimum, faster at every step, when the horizon came.
    Diverged(Option<u32>),
    /// The start is where the loss or its slope is not defined: no run at any rate.
    Undefined,
}

impl Outcome {
    /// Whether the run found the minimum within [`TOLERANCE`].
    pub fn works(self) -> bool {
        matches!(self, Outcome::Left(left) if left <= TOLERANCE)
    }
}

/// One optimizer's outcome at every rate of the sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    pub rates: Vec<f64>,
    pub outcomes: Vec<Outcome>,
}

impl Curve {
    /// The widest run of neighbouring rates that work, as (first, last) indices.
    pub fn band(&self) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        let mut open: Option<usize> = None;
        for (i, outcome) in self.outcomes.iter().enumerate() {
            match (outcome.works(), open) {
                (true, None) => open = Some(i),
                (false, Some(first)) => {
                    best = wider(best, (first, i - 1));
                    open = None;
                }
                _ => {}
            }
        }
        if let Some(first) = open {
            best = wider(best, (first, self.outcomes.len() - 1));
        }
        best
    }

    /// How many decades of rates the band spans (each rate stands for one grid cell around it); 0 without
    /// a band.
    pub fn band_decades(&self, spec: &SweepSpec) -> f64 {
        self.band().map_or(0.0, |(first, last)| (last - first + 1) as f64 * spec.cell_decades())
    }
}

fn wider(best: Option<(usize, usize)>, candidate: (usize, usize)) -> Option<(usize, usize)> {
    match best {
        Some((a, b)) if b - a >= candidate.1 - candidate.0 => best,
        _ => Some(candidate),
    }
}

/// The sweep of one optimizer: its other settings fixed, its rate taken from `spec`.
pub fn curve(objective: &Objective, optimizer: &Optimizer, start: Point, noise: Noise, spec: &SweepSpec) -> Curve {
    let rates = spec.rates();
    // A rate the optimizer does not take (outside RATE_LIMITS, which a link cannot ask for) runs nothing.
    let outcomes = rates
        .iter()
        .map(|&lr| match optimizer.with("lr", lr) {
            Ok(optimizer) => outcome(objective, &optimizer, start, noise, spec.horizon),
            Err(_) => Outcome::Undefined,
        })
        .collect();
    Curve { rates, outcomes }
}

/// What `optimizer` (at its own rate) comes to after `horizon` steps from `start`.
pub fn outcome(objective: &Objective, optimizer: &Optimizer, start: Point, noise: Noise, horizon: u32) -> Outcome {
    let mut walker = Walker::new(objective, optimizer, start);
    if walker.stopped.is_some() {
        return Outcome::Undefined;
    }
    let minimizers = objective.minimizers();
    // How far from the minimum a point is: its distance to the nearest known minimizer, or its slope.
    let far = |walker: &Walker| match nearest(minimizers, walker.x) {
        Some(m) => distance(m, walker.x),
        None => inf_norm(objective.gradient(walker.x)),
    };
    let mut recent = [far(&walker); 3];
    for _ in 0..horizon {
        walker.step(objective, optimizer, noise);
        if walker.stopped.is_some() {
            return Outcome::Diverged(Some(walker.n + 1));
        }
        recent = [recent[1], recent[2], far(&walker)];
    }
    let left = match nearest(minimizers, walker.x) {
        Some(m) => {
            let floor = objective.value(m);
            let gap = walker.loss - floor;
            let first = objective.value(start) - floor;
            if first > 0.0 {
                gap / first
            } else {
                gap
            }
        }
        None => {
            let first = inf_norm(objective.gradient(start));
            let last = inf_norm(objective.gradient(walker.x));
            if first > 0.0 {
                (last / first) * (last / first)
            } else {
                last * last
            }
        }
    };
    let growing = recent[2] > 1.5 * recent[1] && recent[1] > 1.5 * recent[0];
    if !left.is_finite() || (left > 1.0 && growing) {
        Outcome::Diverged(None)
    } else {
        Outcome::Left(left.max(0.0))
    }
}

fn nearest(minimizers: &[Point], x: Point) -> Option<Point> {
    minimizers.iter().copied().min_by(|a, b| distance(*a, x).total_cmp(&distance(*b, x)))
}

fn distance(a: Point, b: Point) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

fn inf_norm(p: Point) -> f64 {
    p[0].abs().max(p[1].abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Expr;
    use crate::loss::{Loss, LossFn};
    use crate::optimizer::OptimizerKind;

    fn optimizer(kind: OptimizerKind, settings: &[(&str, f64)]) -> Optimizer {
        settings.iter().fold(Optimizer::new(kind), |o, (name, value)| o.with(name, *value).unwrap())
    }

    #[test]
    fn the_grid_has_ten_rates_a_decade_with_the_decades_exact() {
        let rates = SweepSpec::default().rates();
        assert_eq!(rates.len(), 61);
        assert_eq!((rates[0], rates[40], rates[60]), (1e-4, 1.0, 100.0));
        assert!(rates.windows(2).all(|w| w[1] > w[0]));
        assert!((SweepSpec::default().cell_decades() - 0.1).abs() < 1e-12);
    }

    /// On f = x², gradient descent maps x to (1 − 2·lr)·x: it converges for lr < 1, bounces for lr = 1,
    /// and diverges beyond. The sweep's divergence edge lands there, within one grid cell.
    #[test]
    fn gradient_descent_on_a_parabola_diverges_exactly_above_rate_one() {
        let spec = SweepSpec::default();
        let sgd = optimizer(OptimizerKind::Sgd, &[]);
        let c = curve(&Loss::Quadratic.into(), &sgd, [4.0, 0.0], Noise::NONE, &spec);
        let first_diverged = c.outcomes.iter().position(|o| matches!(o, Outcome::Diverged(_))).unwrap();
        assert!(c.outcomes[first_diverged..].iter().all(|o| matches!(o, Outcome::Diverged(_))));
        assert!(c.rates[first_diverged] > 1.0 && c.rates[first_diverged - 1] <= 1.0, "{}", c.rates[first_diverged]);
        assert!(c.rates[first_diverged] / 1.0 <= 10f64.powf(spec.cell_decades()) + 1e-12);
        assert_eq!(c.outcomes[40], Outcome::Left(1.0), "lr 1 bounces between ±4 for ever");
        // The rates that work: from where 100 steps are enough to where the zig-zag stops shrinking.
        let (first, last) = c.band().unwrap();
        // (100 steps leave (1 − 2·lr)²⁰⁰ of the loss: a millionth from lr ≈ 0.034.)
        assert!(c.rates[first] > 0.034 && c.rates[first - 1] < 0.034, "{}", c.rates[first]);
        assert_eq!(c.rates[last + 1], 1.0);
    }

    /// On c·f, gradient descent's curve moves by log10(c) decades; Adagrad without ε divides c out, so
    /// its curve is the same for every c.
    #[test]
    fn scaling_the_loss_moves_gradient_descents_band_and_not_adagrads() {
        let spec = SweepSpec::default();
        let sgd = optimizer(OptimizerKind::Sgd, &[]);
        let adagrad = optimizer(OptimizerKind::Adagrad, &[("eps", 0.0)]);
        let start = [4.0, 0.0];
        let on = |scale: f64, o: &Optimizer| {
            curve(&Objective { loss: Loss::Quadratic.into(), scale }, o, start, Noise::NONE, &spec)
        };
        let reference = on(1.0, &adagrad);
        for scale in [0.01, 100.0] {
            // The same up to rounding (c·g is rounded before it is divided out again).
            for (scaled, base) in on(scale, &adagrad).outcomes.iter().zip(&reference.outcomes) {
                match (scaled, base) {
                    (Outcome::Left(a), Outcome::Left(b)) => {
                        assert!((a - b).abs() <= 1e-6 * b.abs().max(1e-300), "Adagrad at scale {scale}: {a} vs {b}")
                    }
                    _ => assert_eq!(scaled, base, "Adagrad at scale {scale}"),
                }
            }
            assert_eq!(on(scale, &adagrad).band(), reference.band());
        }
        let edge = |c: &Curve| c.outcomes.iter().position(|o| matches!(o, Outcome::Diverged(_))).unwrap();
        let base = edge(&on(1.0, &sgd));
        // Ten grid cells per decade: ×100 moves the edge 20 cells down, ×0.1 ten cells up.
        assert_eq!(edge(&on(100.0, &sgd)), base - 20);
        assert_eq!(edge(&on(0.1, &sgd)), base + 10);
        let (adagrad_width, sgd_width) = (reference.band_decades(&spec), on(1.0, &sgd).band_decades(&spec));
        assert!(adagrad_width > sgd_width, "{adagrad_width} vs {sgd_width}");
    }

    #[test]
    fn an_undefined_start_and_a_loss_without_known_minimizers() {
        let typed = |text: &str| Objective::from(LossFn::custom(Expr::parse(text).unwrap()));
        let log = typed("log(x)");
        assert_eq!(
            outcome(&log, &optimizer(OptimizerKind::Sgd, &[]), [-1.0, 0.0], Noise::NONE, 10),
            Outcome::Undefined
        );
        // A typed x² has its minimum at 0 but the page does not know it: the slope's share says how far.
        let left = outcome(&typed("x^2"), &optimizer(OptimizerKind::Sgd, &[("lr", 0.25)]), [4.0, 0.0], Noise::NONE, 10);
        // x halves each step: after 10 steps the slope is 2⁻¹⁰ of the first, its square 2⁻²⁰.
        assert_eq!(left, Outcome::Left(2f64.powi(-20)));
    }
}
