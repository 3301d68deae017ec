//! A run: one optimizer stepping on one loss from one start, with its recent history (so a page can
//! step back and scrub) and its status as a value. Every number a run hands out is finite.

use crate::loss::Objective;
use crate::noise::Noise;
use crate::num::{clamp, Point};
use crate::optimizer::{Optimizer, State};
use std::collections::VecDeque;

/// How many records a run keeps (the newest ones); older steps are forgotten, the count goes on. This is
/// what the shared clock can reach (`clock::MAX_STEP` + 1, checked by a test there), so a page can scrub
/// back to step 0 from its last step. A record is 152 bytes: a run holds at most ~152 KB, and only as
/// much as it has computed (the history grows by doubling, so a run that is restarted on every keystroke
/// or pointer move holds a few records, not a preallocated 4096).
pub const HISTORY_LIMIT: usize = 1001;

/// A run whose |x| passes this on any coordinate has diverged.
pub const DIVERGENCE_BOUND: f64 = 1e6;

/// A run has converged once both its gradient and its step have shrunk to this fraction of their first
/// values (∞-norm). Relative, so that scaling the loss does not change the verdict for scale-free
/// optimizers such as Adagrad.
pub const CONVERGENCE_FRACTION: f64 = 1e-3;

/// Below this ∞-norm a gradient or step counts as zero, whatever the first one was.
pub const NEGLIGIBLE: f64 = 1e-12;

/// Two points closer than this fraction (relative to 1 + |x|) count as the same point when looking for
/// a cycle: about a twentieth of a pixel on a page, so "bouncing" appears as soon as the eye sees it.
pub const CYCLE_TOLERANCE: f64 = 2e-3;

/// The longest cycle recognised as bouncing.
pub const MAX_CYCLE: usize = 8;

/// A step that grows by at least this factor on each of the last [`BLOW_UP_STEPS`] steps, while the loss
/// rises, is a run blowing up.
pub const BLOW_UP_FACTOR: f64 = 1.5;
/// How many growing steps in a row show a run blowing up.
pub const BLOW_UP_STEPS: usize = 2;

/// A quantity of a step that can stop being a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    /// The loss has no value there (`log(x)` left of 0, a pole).
    Loss,
    /// The loss has a value but no finite slope (`sqrt(x)` at 0).
    Gradient,
    /// The optimizer's arithmetic overflowed.
    Step,
}

impl Quantity {
    /// "the loss", "the gradient", "the step".
    pub fn name(self) -> &'static str {
        match self {
            Quantity::Loss => "the loss",
            Quantity::Gradient => "the gradient",
            Quantity::Step => "the step",
        }
    }
}

/// Why a run stopped making sense.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DivergeReason {
    /// A coordinate passed ±[`DIVERGENCE_BOUND`].
    TooFar,
    /// This quantity is not a finite number at the point the step would land on.
    Undefined(Quantity),
}

/// Where a run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Still moving toward something.
    Running,
    /// At a minimum since this step: gradient and step shrank below [`CONVERGENCE_FRACTION`] of their
    /// first values, and the loss is no lower a little way off in any direction (so a slope that flattens
    /// on its way down to −∞, or a saddle, is not a convergence).
    Converged { step: u32 },
    /// Stuck in a cycle of `period` steps (2 to [`MAX_CYCLE`]) that no longer shrinks, since `step`.
    Bouncing { step: u32, period: u32 },
    /// Since `step`, every step has been at least [`BLOW_UP_FACTOR`] times longer than the one before
    /// while the loss rose: heading for divergence.
    BlowingUp { step: u32 },
    /// Step `step` would have left the finite world (or the bound); the run stays at step − 1.
    Diverged { step: u32, reason: DivergeReason },
    /// The start is where this quantity is not defined: no step can be taken. Record 0 then holds the
    /// quantities that are not defined as NaN (or ±∞), the only record a run hands out that does.
    Undefined { quantity: Quantity },
}

impl Status {
    /// A word for machines and CSS classes.
    pub fn kind(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Converged { .. } => "converged",
            Status::Bouncing { .. } => "bouncing",
            Status::BlowingUp { .. } => "blowing-up",
            Status::Diverged { .. } => "diverged",
            Status::Undefined { .. } => "undefined",
        }
    }

    /// The step the status refers to (0 while running).
    pub fn step(self) -> u32 {
        match self {
            Status::Running | Status::Undefined { .. } => 0,
            Status::Converged { step }
            | Status::Bouncing { step, .. }
            | Status::BlowingUp { step }
            | Status::Diverged { step, .. } => step,
        }
    }

    /// Whether the run has stopped for good (it diverged, or could not start).
    pub fn stopped(self) -> bool {
        matches!(self, Status::Diverged { .. } | Status::Undefined { .. })
    }
}

/// Everything about step n: where the run is, what the loss and its gradient are there, what the
/// optimizer keeps after folding in this gradient, and the step it takes from here (x_{n+1} = x + step).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Record {
    pub n: u32,
    pub x: Point,
    pub loss: f64,
    pub gradient: Point,
    /// The gradient the optimizer was given: `gradient` plus the run's noise (the same without noise).
    pub used_gradient: Point,
    /// The optimizer's accumulators after this gradient (see `OptimizerKind::slots`).
    pub slots: [Point; 2],
    pub effective_lr: Point,
    /// What the effective rate multiplies: g, or the velocity (momentum), or m̂ (Adam).
    pub direction: Point,
    pub step: Point,
    pub status: Status,
}

impl Record {
    /// The last record a trail drawn up to this one needs: a bouncing run retraces its first lap at
    /// every later one, so those add nothing to the picture (and would cost a canvas call or an SVG point
    /// each). The page and the figures both stop there.
    pub fn trail_end(&self) -> u32 {
        match self.status {
            Status::Bouncing { step, period } => self.n.min(step.saturating_add(period)),
            _ => self.n,
        }
    }

    /// Where the arrow of the next step ends, and whether that is the edge of the loss's domain (the step
    /// would land where the loss or its slope is undefined); `None` when there is no step to show. The
    /// page and the figures draw the same arrow from this.
    pub fn next_step(&self, loss: &Objective) -> Option<(Point, bool)> {
        if self.step.iter().any(|s| !s.is_finite()) || self.step == [0.0; 2] {
            return None;
        }
        let landing = [self.x[0] + self.step[0], self.x[1] + self.step[1]];
        match self.status {
            Status::Diverged { reason: DivergeReason::Undefined(Quantity::Loss | Quantity::Gradient), .. } => {
                Some((loss.defined_until(self.x, landing), true))
            }
            Status::Undefined { .. } | Status::Diverged { reason: DivergeReason::Undefined(Quantity::Step), .. } => {
                None
            }
            Status::Running
            | Status::Converged { .. }
            | Status::Bouncing { .. }
            | Status::BlowingUp { .. }
            | Status::Diverged { reason: DivergeReason::TooFar, .. } => Some((landing, false)),
        }
    }
}

/// One optimizer on one loss from one start.
#[derive(Clone, Debug)]
pub struct Run {
    loss: Objective,
    optimizer: Optimizer,
    start: Point,
    noise: Noise,
    state: State,
    history: VecDeque<Record>,
    /// The first gradient's and step's ∞-norms, the yardsticks for convergence.
    first_gradient: f64,
    first_step: f64,
}

impl Run {
    /// A run at step 0. The start is clamped into ±[`DIVERGENCE_BOUND`] (NaN becomes 0) so that a run
    /// always has a finite record 0.
    pub fn new(loss: impl Into<Objective>, optimizer: Optimizer, start: Point) -> Run {
        Run::noisy(loss, optimizer, start, Noise::NONE)
    }

    /// A run whose optimizer sees the gradients with `noise` added (see [`Noise::apply`]).
    pub fn noisy(loss: impl Into<Objective>, optimizer: Optimizer, start: Point, noise: Noise) -> Run {
        let mut run = Run {
            loss: loss.into(),
            optimizer,
            start,
            noise,
            state: optimizer.init(),
            history: VecDeque::new(),
            first_gradient: 0.0,
            first_step: 0.0,
        };
        run.restart(start);
        run
    }

    /// Back to step 0 from `start`, keeping the loss, the optimizer and the memory.
    pub fn restart(&mut self, start: Point) {
        let mut start = start.map(|c| if c.is_nan() { 0.0 } else { clamp(c, -DIVERGENCE_BOUND, DIVERGENCE_BOUND) });
        if self.loss.dim() == 1 {
            start[1] = 0.0;
        }
        self.start = start;
        self.state = self.optimizer.init();
        self.history.clear();
        let first = match self.record_at(0, start) {
            Ok(record) => record,
            Err(reason) => {
                // Nothing can be computed from here: say which quantity is missing and keep the ones that
                // exist (sqrt(x) at 0 has a loss of 0 but no slope), without inventing zeros.
                let (loss, gradient) = self.loss.value_and_gradient(start);
                // Where the loss has no value, neither has its slope (automatic differentiation would still
                // give log's 1/x left of 0).
                let gradient = if loss.is_finite() { gradient } else { [f64::NAN; 2] };
                let quantity = match reason {
                    DivergeReason::Undefined(quantity) => quantity,
                    DivergeReason::TooFar => Quantity::Step,
                };
                Record {
                    n: 0,
                    x: start,
                    loss,
                    gradient,
                    used_gradient: [f64::NAN; 2],
                    slots: self.state.slots,
                    effective_lr: [f64::NAN; 2],
                    direction: [f64::NAN; 2],
                    step: [f64::NAN; 2],
                    status: Status::Undefined { quantity },
                }
            }
        };
        self.first_gradient = inf_norm(first.gradient);
        self.first_step = inf_norm(first.step);
        self.history.push_back(first);
        self.classify();
    }

    /// Takes one step, unless the run has diverged (then nothing changes). Returns the newest record.
    pub fn advance(&mut self) -> &Record {
        let current = *self.current();
        if !current.status.stopped() {
            let next_x = [current.x[0] + current.step[0], current.x[1] + current.step[1]];
            match self.record_at(current.n + 1, next_x) {
                Ok(record) => {
                    if self.history.len() == HISTORY_LIMIT {
                        self.history.pop_front();
                    }
                    self.history.push_back(record);
                    self.classify();
                }
                Err(reason) => {
                    let status = Status::Diverged { step: current.n + 1, reason };
                    if let Some(last) = self.history.back_mut() {
                        last.status = status;
                    }
                }
            }
        }
        self.current()
    }

    /// Advances until step `n` (or divergence).
    pub fn advance_to(&mut self, n: u32) {
        while self.current().n < n && !self.status().stopped() {
            self.advance();
        }
    }

    /// The newest record.
    pub fn current(&self) -> &Record {
        // Never empty: `restart` always pushes record 0 and nothing removes the last one.
        &self.history[self.history.len() - 1]
    }

    /// The record of step `n`, if the run got there and still remembers it.
    pub fn record(&self, n: u32) -> Option<&Record> {
        let first = self.history.front()?.n;
        let index = n.checked_sub(first)? as usize;
        self.history.get(index)
    }

    /// The remembered records, oldest first.
    pub fn history(&self) -> impl ExactSizeIterator<Item = &Record> + DoubleEndedIterator {
        self.history.iter()
    }

    pub fn status(&self) -> Status {
        self.current().status
    }

    pub fn objective(&self) -> &Objective {
        &self.loss
    }

    pub fn optimizer(&self) -> &Optimizer {
        &self.optimizer
    }

    pub fn start(&self) -> Point {
        self.start
    }

    pub fn noise(&self) -> Noise {
        self.noise
    }

    /// How much of the way to the nearest minimizer of the loss record `n` has come, from 0 (where it
    /// started) to 1 (there). `None` when the loss has no known minimizer or the run started on one.
    pub fn progress(&self, n: u32) -> Option<f64> {
        let x = self.record(n)?.x;
        let target = self.loss.minimizers().iter().min_by(|a, b| distance(**a, x).total_cmp(&distance(**b, x)))?;
        let whole = distance(*target, self.start);
        (whole > 0.0).then(|| clamp(1.0 - distance(*target, x) / whole, 0.0, 1.0))
    }

    /// Computes record `n` at `x`, folding its gradient into the optimizer's state; `Err` when `x`, the
    /// loss, the gradient or the optimizer's arithmetic is out of bounds or not finite.
    fn record_at(&mut self, n: u32, x: Point) -> Result<Record, DivergeReason> {
        if x.iter().any(|c| !c.is_finite()) {
            return Err(DivergeReason::Undefined(Quantity::Step));
        }
        if x.iter().any(|c| c.abs() > DIVERGENCE_BOUND) {
            return Err(DivergeReason::TooFar);
        }
        let (loss, gradient) = self.loss.value_and_gradient(x);
        if !loss.is_finite() {
            return Err(DivergeReason::Undefined(Quantity::Loss));
        }
        if gradient.iter().any(|g| !g.is_finite()) {
            return Err(DivergeReason::Undefined(Quantity::Gradient));
        }
        let used_gradient = self.noise.apply(gradient, n, self.loss.dim());
        let mut state = self.state;
        let update = self.optimizer.update(&mut state, x, used_gradient, self.loss.dim());
        let finite = |p: Point| p.iter().all(|c| c.is_finite());
        let all_finite = [update.step, update.direction, update.effective_lr, state.slots[0], state.slots[1]];
        if !all_finite.into_iter().all(finite) {
            return Err(DivergeReason::Undefined(Quantity::Step));
        }
        self.state = state;
        Ok(Record {
            n,
            x,
            loss,
            gradient,
            used_gradient,
            slots: state.slots,
            effective_lr: update.effective_lr,
            direction: update.direction,
            step: update.step,
            status: Status::Running,
        })
    }

    /// Sets the newest record's status from the history: converged, bouncing, blowing up or running.
    fn classify(&mut self) {
        let Some(current) = self.history.back().copied() else {
            return;
        };
        if current.status.stopped() {
            return;
        }
        let previous = self.history.len().checked_sub(2).map(|i| self.history[i].status);
        let settled = inf_norm(current.gradient) <= CONVERGENCE_FRACTION * self.first_gradient + NEGLIGIBLE
            && inf_norm(current.step) <= CONVERGENCE_FRACTION * self.first_step + NEGLIGIBLE;
        let status = if settled && self.at_a_minimum(&current) {
            match previous {
                Some(status @ Status::Converged { .. }) => status,
                _ => Status::Converged { step: current.n },
            }
        } else if let Some(period) = self.cycle_period() {
            match previous {
                Some(status @ Status::Bouncing { period: p, .. }) if p == period => status,
                _ => Status::Bouncing { step: current.n, period },
            }
        } else if self.blowing_up() {
            match previous {
                Some(status @ Status::BlowingUp { .. }) => status,
                _ => Status::BlowingUp { step: current.n },
            }
        } else {
            Status::Running
        };
        if let Some(last) = self.history.back_mut() {
            last.status = status;
        }
    }

    /// Whether the loss is no lower a little way off `record.x` along any axis, both ways: "a little way"
    /// is a tenth of the first step (the scale of the problem as the optimizer saw it). A slope that
    /// flattens on its way down (exp(x) to the left) or a saddle fails; a minimum, or a flat floor, passes.
    fn at_a_minimum(&self, record: &Record) -> bool {
        let x = record.x;
        let probe = (0.1 * self.first_step).max(1e-9 * (1.0 + inf_norm(x)));
        let tolerance = 1e-9 * record.loss.abs();
        (0..self.loss.dim()).all(|axis| {
            [-probe, probe].iter().all(|&offset| {
                let mut near = x;
                near[axis] += offset;
                let value = self.loss.value(near);
                // Where the loss is not defined nearby, that side says nothing.
                !value.is_finite() || value >= record.loss - tolerance
            })
        })
    }

    /// Whether the last [`BLOW_UP_STEPS`] steps each grew by [`BLOW_UP_FACTOR`] or more while the loss rose.
    fn blowing_up(&self) -> bool {
        let len = self.history.len();
        if len < BLOW_UP_STEPS + 2 {
            return false;
        }
        let at = |back: usize| &self.history[len - 1 - back];
        (0..BLOW_UP_STEPS).all(|back| {
            let (newer, older, oldest) = (at(back), at(back + 1), at(back + 2));
            let grown = distance(newer.x, older.x);
            let before = distance(older.x, oldest.x);
            grown > 0.0 && grown >= BLOW_UP_FACTOR * before && newer.loss > older.loss
        })
    }

    /// How many times farther from the nearest known minimizer (or, without one, how many times longer
    /// than the step before) the newest step landed: what "blowing up" grows by per step.
    pub fn growth(&self) -> Option<f64> {
        let len = self.history.len();
        let (newer, older) = (self.history.get(len.checked_sub(1)?)?, self.history.get(len.checked_sub(2)?)?);
        let nearest = |p: Point| self.loss.minimizers().iter().map(|m| distance(*m, p)).min_by(f64::total_cmp);
        let ratio = match (nearest(newer.x), nearest(older.x)) {
            (Some(now), Some(then)) if then > 0.0 => now / then,
            _ => {
                let oldest = self.history.get(len.checked_sub(3)?)?;
                distance(newer.x, older.x) / distance(older.x, oldest.x)
            }
        };
        ratio.is_finite().then_some(ratio)
    }

    /// The shortest period p in 2..=MAX_CYCLE such that the last p + 1 points repeat with period p while
    /// the steps inside the cycle stay large: a slow crawl repeats within tolerance too, but its drift
    /// over p steps is as large as its steps.
    fn cycle_period(&self) -> Option<u32> {
        let len = self.history.len();
        let point = |back: usize| self.history[len - 1 - back].x;
        (2..=MAX_CYCLE)
            .find(|&p| {
                if len < 2 * p + 1 {
                    return false;
                }
                let mut drift: f64 = 0.0;
                let mut movement: f64 = 0.0;
                for back in 0..=p {
                    let (a, b) = (point(back), point(back + p));
                    for i in 0..2 {
                        let gap = (a[i] - b[i]).abs();
                        if gap > CYCLE_TOLERANCE * (1.0 + a[i].abs()) {
                            return false;
                        }
                        drift = drift.max(gap);
                    }
                    movement = movement.max(inf_norm(self.history[len - 1 - back].step));
                }
                movement > NEGLIGIBLE && movement >= 100.0 * drift
            })
            .map(|p| p as u32)
    }
}

/// A run without history or status, for many at a time (a sweep over learning rates, an ensemble over noise
/// seeds): it steps exactly as a [`Run`] does (the same noise draw at the same step) and keeps only where it
/// is, the loss there and why it stopped, if it did.
#[derive(Clone, Debug)]
pub struct Walker {
    pub x: Point,
    /// The step it is at (x is x_n).
    pub n: u32,
    /// The loss at x.
    pub loss: f64,
    /// Why it stopped: the start or a step landed where the loss, its slope or the step is not a finite
    /// number, or beyond the bound. It then stays where it was.
    pub stopped: Option<DivergeReason>,
    gradient: Point,
    state: State,
}

impl Walker {
    pub fn new(objective: &Objective, optimizer: &Optimizer, start: Point) -> Walker {
        let (loss, gradient) = objective.value_and_gradient(start);
        let mut walker = Walker { x: start, n: 0, loss, stopped: None, gradient, state: optimizer.init() };
        walker.stopped = walker.check();
        walker
    }

    /// Why x_n is no place to go on from, if it is not.
    fn check(&self) -> Option<DivergeReason> {
        if !self.loss.is_finite() {
            Some(DivergeReason::Undefined(Quantity::Loss))
        } else if self.gradient.iter().any(|g| !g.is_finite()) {
            Some(DivergeReason::Undefined(Quantity::Gradient))
        } else {
            None
        }
    }

    /// One step from x_n to x_{n+1}, unless it has stopped.
    pub fn step(&mut self, objective: &Objective, optimizer: &Optimizer, noise: Noise) {
        if self.stopped.is_some() {
            return;
        }
        let used = noise.apply(self.gradient, self.n, objective.dim());
        let mut state = self.state;
        let update = optimizer.update(&mut state, self.x, used, objective.dim());
        let next = [self.x[0] + update.step[0], self.x[1] + update.step[1]];
        if next.iter().any(|c| !c.is_finite()) {
            self.stopped = Some(DivergeReason::Undefined(Quantity::Step));
            return;
        }
        if next.iter().any(|c| c.abs() > DIVERGENCE_BOUND) {
            self.stopped = Some(DivergeReason::TooFar);
            return;
        }
        let (loss, gradient) = objective.value_and_gradient(next);
        let before = (self.x, self.loss, self.gradient);
        (self.x, self.loss, self.gradient) = (next, loss, gradient);
        if let Some(reason) = self.check() {
            // As a run does: it stays at its last finite step.
            (self.x, self.loss, self.gradient) = before;
            self.stopped = Some(reason);
            return;
        }
        self.state = state;
        self.n += 1;
    }
}

/// The first `steps` points of a run from `start`, without history or status: the faint path a page
/// previews while the reader drags the start (with the run's noise, so it shows the path the run will
/// take). Reuses `out`; stops early where the run would diverge.
pub fn preview_path(
    loss: impl Into<Objective>,
    optimizer: &Optimizer,
    start: Point,
    noise: Noise,
    steps: usize,
    out: &mut Vec<Point>,
) {
    let loss = loss.into();
    out.clear();
    let mut state = optimizer.init();
    let mut x = start;
    for n in 0..=steps {
        let finite = x.iter().all(|c| c.is_finite() && c.abs() <= DIVERGENCE_BOUND);
        if !finite {
            break;
        }
        out.push(x);
        let gradient = noise.apply(loss.gradient(x), n as u32, loss.dim());
        let update = optimizer.update(&mut state, x, gradient, loss.dim());
        x = [x[0] + update.step[0], x[1] + update.step[1]];
    }
}

fn inf_norm(p: Point) -> f64 {
    p[0].abs().max(p[1].abs())
}

fn distance(a: Point, b: Point) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}
