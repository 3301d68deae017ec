//! The six optimizers as small state machines in the optax shape: [`Optimizer::init`] makes a
//! [`State`], [`Optimizer::update`] folds one gradient into it and returns the step. Hyperparameters are
//! looked up by name because the names are part of the link grammar; each has a documented range.

use crate::num::Point;
use std::fmt;

/// Which optimizer. The id (see [`OptimizerKind::id`]) is part of the link grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OptimizerKind {
    /// Plain gradient descent: `x ← x − lr·g`.
    ///
    /// Default lr 0.001 (PyTorch's `SGD`).
    Sgd,
    /// Heavy-ball momentum in the PyTorch/optax form (no dampening):
    /// `v ← β·v + g`, then `x ← x − lr·v`, or with Nesterov `x ← x − lr·(g + β·v)`.
    ///
    /// Defaults lr 0.001, beta 0.9, nesterov 0. Effective rate: lr, applied to v (or g + βv).
    Momentum,
    /// Adagrad (Duchi et al. 2011) in PyTorch's form, with optax's/d2l's as an option:
    /// `s ← s + g²`, `lr_t = lr / (1 + (t−1)·lr_decay)`, then
    /// `x ← x − lr_t·g/(√s + ε)` (eps_in_sqrt 0, PyTorch) or `x ← x − lr_t·g/√(s + ε)` (eps_in_sqrt 1,
    /// optax and d2l.ai). `s` starts at acc0. With eps 0 and acc0 0 this is exactly
    /// `x_{n+1} = x_n − lr/√(Σ_{i≤n} g_i²)·g_n`; when the sum is 0 the step is 0.
    ///
    /// Defaults lr 0.01, eps 1e-10, eps_in_sqrt 0, acc0 0, lr_decay 0 (PyTorch's `Adagrad`).
    Adagrad,
    /// RMSProp (Tieleman & Hinton 2012): `s ← decay·s + (1−decay)·g²`, then `x ← x − lr·g/(√s + ε)`
    /// (eps_in_sqrt 0, PyTorch) or `x ← x − lr·g/√(s + ε)` (eps_in_sqrt 1, optax's default and d2l.ai).
    ///
    /// Defaults lr 0.01, decay 0.99, eps 1e-8, eps_in_sqrt 0 (PyTorch's `RMSprop`, where decay is `alpha`).
    RmsProp,
    /// Adadelta, Zeiler 2012, Algorithm 1, with ε inside both roots as PyTorch and optax do:
    /// `E[g²] ← ρ·E[g²] + (1−ρ)·g²`, `Δ = √(E[Δ²] + ε)/√(E[g²] + ε)·g`, `E[Δ²] ← ρ·E[Δ²] + (1−ρ)·Δ²`,
    /// `x ← x − lr·Δ`.
    ///
    /// Defaults lr 1, rho 0.9, eps 1e-6 (PyTorch's `Adadelta`).
    Adadelta,
    /// Adam (Kingma & Ba 2015), bias-corrected, ε outside the root, in PyTorch's order of operations:
    /// `m ← b1·m + (1−b1)·g`, `v ← b2·v + (1−b2)·g²`, `x ← x − (lr/(1−b1ᵗ))·m/(√v/√(1−b2ᵗ) + ε)`,
    /// which is `x ← x − lr·m̂/(√v̂ + ε)`.
    ///
    /// Defaults lr 0.001, b1 0.9, b2 0.999, eps 1e-8 (PyTorch's `Adam`). Effective rate: lr/(√v̂ + ε),
    /// applied to m̂.
    Adam,
}

/// How a hyperparameter is best edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamScale {
    /// A slider on a linear scale.
    Linear,
    /// A slider on a log scale (learning rates, ε).
    Log,
    /// 0 or 1.
    Flag,
}

/// One hyperparameter: its link name, default and valid range (inclusive).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamSpec {
    /// The name in links and the API (`eps_in_sqrt`).
    pub name: &'static str,
    /// The name people read in the settings (`ε inside the root`).
    pub label: &'static str,
    pub default: f64,
    pub min: f64,
    pub max: f64,
    pub scale: ParamScale,
    /// One line for tooltips and the README.
    pub about: &'static str,
}

impl ParamSpec {
    /// The nearest valid value: clamped into range, and 0/1 for a flag. `None` for NaN.
    pub fn clamp(&self, value: f64) -> Option<f64> {
        if value.is_nan() {
            return None;
        }
        let value = crate::num::clamp(value, self.min, self.max);
        Some(if self.scale == ParamScale::Flag { value.round() } else { value })
    }

    /// Whether `value` is accepted as it is.
    pub fn accepts(&self, value: f64) -> bool {
        self.clamp(value) == Some(value)
    }
}

/// An accumulator an optimizer keeps, for readouts (`key` is for machines, `symbol` for people).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlotSpec {
    pub key: &'static str,
    pub symbol: &'static str,
    pub about: &'static str,
}

/// The most hyperparameters any optimizer has.
pub const MAX_PARAMS: usize = 5;

/// The learning rates every optimizer takes (the sweep's range stays inside them).
pub const LR_MIN: f64 = 1e-6;
pub const LR_MAX: f64 = 100.0;

const fn lr(default: f64) -> ParamSpec {
    ParamSpec {
        name: "lr",
        label: "learning rate",
        default,
        min: LR_MIN,
        max: LR_MAX,
        scale: ParamScale::Log,
        about: "learning rate",
    }
}

const fn eps(default: f64, min: f64) -> ParamSpec {
    ParamSpec {
        name: "eps",
        label: "ε",
        default,
        min,
        max: 1.0,
        scale: ParamScale::Log,
        about: "ε, keeps the division finite",
    }
}

const fn decay_rate(name: &'static str, label: &'static str, default: f64, about: &'static str) -> ParamSpec {
    ParamSpec { name, label, default, min: 0.0, max: 0.9999, scale: ParamScale::Linear, about }
}

const fn flag(name: &'static str, label: &'static str, about: &'static str) -> ParamSpec {
    ParamSpec { name, label, default: 0.0, min: 0.0, max: 1.0, scale: ParamScale::Flag, about }
}

const EPS_IN_SQRT: ParamSpec =
    flag("eps_in_sqrt", "ε inside the root", "ε inside the root (optax, d2l.ai) rather than outside (PyTorch)");

const SGD_PARAMS: [ParamSpec; 1] = [lr(0.001)];
const MOMENTUM_PARAMS: [ParamSpec; 3] = [
    lr(0.001),
    decay_rate("beta", "momentum β", 0.9, "momentum: how much of the velocity is kept each step"),
    flag("nesterov", "Nesterov look-ahead", "Nesterov's look-ahead form"),
];
const ADAGRAD_PARAMS: [ParamSpec; 5] = [
    lr(0.01),
    eps(1e-10, 0.0),
    EPS_IN_SQRT,
    ParamSpec {
        name: "acc0",
        label: "initial sum Σg²",
        default: 0.0,
        min: 0.0,
        max: 100.0,
        scale: ParamScale::Linear,
        about: "initial value of Σg²",
    },
    ParamSpec {
        name: "lr_decay",
        label: "lr decay",
        default: 0.0,
        min: 0.0,
        max: 10.0,
        scale: ParamScale::Linear,
        about: "PyTorch's decay: lr/(1 + (t−1)·lr_decay)",
    },
];
const RMSPROP_PARAMS: [ParamSpec; 4] = [
    lr(0.01),
    decay_rate("decay", "decay of E[g²]", 0.99, "how much of the mean of g² is kept each step"),
    eps(1e-8, 0.0),
    EPS_IN_SQRT,
];
const ADADELTA_PARAMS: [ParamSpec; 3] = [
    ParamSpec {
        label: "step multiplier",
        about: "Adadelta sizes its own steps; lr only multiplies them (1 as published)",
        ..lr(1.0)
    },
    decay_rate("rho", "decay ρ", 0.9, "how much of each running mean is kept each step"),
    eps(1e-6, 1e-12),
];
const ADAM_PARAMS: [ParamSpec; 4] = [
    lr(0.001),
    decay_rate("b1", "β₁, decay of m", 0.9, "decay of the first moment m"),
    ParamSpec { max: 0.99999, ..decay_rate("b2", "β₂, decay of v", 0.999, "decay of the second moment v") },
    eps(1e-8, 0.0),
];

impl OptimizerKind {
    pub const ALL: [OptimizerKind; 6] = [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Adagrad,
        OptimizerKind::RmsProp,
        OptimizerKind::Adadelta,
        OptimizerKind::Adam,
    ];

    /// The stable id used in links (`a=adagrad:lr=1.5`).
    pub fn id(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Momentum => "momentum",
            OptimizerKind::Adagrad => "adagrad",
            OptimizerKind::RmsProp => "rmsprop",
            OptimizerKind::Adadelta => "adadelta",
            OptimizerKind::Adam => "adam",
        }
    }

    pub fn from_id(id: &str) -> Option<OptimizerKind> {
        OptimizerKind::ALL.into_iter().find(|kind| kind.id() == id)
    }

    /// The name people use.
    pub fn name(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "Gradient descent",
            OptimizerKind::Momentum => "Momentum",
            OptimizerKind::Adagrad => "Adagrad",
            OptimizerKind::RmsProp => "RMSProp",
            OptimizerKind::Adadelta => "Adadelta",
            OptimizerKind::Adam => "Adam",
        }
    }

    /// Whether the optimizer adapts its effective rate to the gradients it has seen (gradient descent and
    /// momentum keep theirs fixed at lr).
    pub fn adapts(self) -> bool {
        match self {
            OptimizerKind::Sgd | OptimizerKind::Momentum => false,
            OptimizerKind::Adagrad | OptimizerKind::RmsProp | OptimizerKind::Adadelta | OptimizerKind::Adam => true,
        }
    }

    /// The hyperparameters in their canonical order (the order links print them in).
    pub fn params(self) -> &'static [ParamSpec] {
        match self {
            OptimizerKind::Sgd => &SGD_PARAMS,
            OptimizerKind::Momentum => &MOMENTUM_PARAMS,
            OptimizerKind::Adagrad => &ADAGRAD_PARAMS,
            OptimizerKind::RmsProp => &RMSPROP_PARAMS,
            OptimizerKind::Adadelta => &ADADELTA_PARAMS,
            OptimizerKind::Adam => &ADAM_PARAMS,
        }
    }

    /// The hyperparameter called `name`, with its position.
    pub fn param(self, name: &str) -> Option<(usize, &'static ParamSpec)> {
        self.params().iter().enumerate().find(|(_, spec)| spec.name == name)
    }

    /// The accumulators this optimizer keeps, in the order of [`State::slots`].
    pub fn slots(self) -> &'static [SlotSpec] {
        const VELOCITY: SlotSpec =
            SlotSpec { key: "velocity", symbol: "v", about: "velocity: running sum of gradients" };
        const SUM_SQ: SlotSpec =
            SlotSpec { key: "sum_sq_grad", symbol: "Σg²", about: "sum of all squared gradients" };
        const MEAN_SQ: SlotSpec =
            SlotSpec { key: "mean_sq_grad", symbol: "E[g²]", about: "running mean of squared gradients" };
        const MEAN_SQ_DELTA: SlotSpec =
            SlotSpec { key: "mean_sq_delta", symbol: "E[Δ²]", about: "running mean of squared steps" };
        const FIRST: SlotSpec = SlotSpec { key: "m", symbol: "m", about: "first moment: running mean of g" };
        const SECOND: SlotSpec = SlotSpec { key: "v", symbol: "v", about: "second moment: running mean of g²" };
        match self {
            OptimizerKind::Sgd => &[],
            OptimizerKind::Momentum => &[VELOCITY],
            OptimizerKind::Adagrad => &[SUM_SQ],
            OptimizerKind::RmsProp => &[MEAN_SQ],
            OptimizerKind::Adadelta => &[MEAN_SQ, MEAN_SQ_DELTA],
            OptimizerKind::Adam => &[FIRST, SECOND],
        }
    }
}

/// A hyperparameter that was refused, with the reason.
#[derive(Clone, Debug, PartialEq)]
pub enum HyperError {
    Unknown { optimizer: &'static str, name: String },
    OutOfRange { optimizer: &'static str, spec: ParamSpec, value: f64 },
}

impl fmt::Display for HyperError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HyperError::Unknown { optimizer, name } => {
                write!(f, "{optimizer} has no hyperparameter named '{name}'")
            }
            HyperError::OutOfRange { optimizer, spec, value } => write!(
                f,
                "{optimizer}: {} = {value} is outside its valid range [{}, {}]{}",
                spec.name,
                spec.min,
                spec.max,
                if spec.scale == ParamScale::Flag { " (0 or 1)" } else { "" }
            ),
        }
    }
}

impl std::error::Error for HyperError {}

/// An optimizer with its hyperparameters; always valid (every value in its range).
///
/// The values are kept in the order of [`OptimizerKind::params`] for the link grammar, the controls and
/// the API, and read by name into a [`Rule`] whenever one changes, so that the update reads typed fields.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Optimizer {
    kind: OptimizerKind,
    values: [f64; MAX_PARAMS],
    rule: Rule,
}

/// An optimizer's hyperparameters as its update uses them, one variant per kind: the one place where
/// the update's numbers are read (by name), so that adding an optimizer or a hyperparameter cannot
/// mix up positions, and every `match` on it is checked for completeness by the compiler.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    Sgd { lr: f64 },
    Momentum { lr: f64, beta: f64, nesterov: bool },
    Adagrad { lr: f64, eps: f64, eps_in_sqrt: bool, acc0: f64, lr_decay: f64 },
    RmsProp { lr: f64, decay: f64, eps: f64, eps_in_sqrt: bool },
    Adadelta { lr: f64, rho: f64, eps: f64 },
    Adam { lr: f64, b1: f64, b2: f64, eps: f64 },
}

impl Rule {
    /// The rule of `kind` with the hyperparameters `value` gives by name.
    fn read(kind: OptimizerKind, value: impl Fn(&str) -> f64) -> Rule {
        let flag = |name: &str| value(name) == 1.0;
        match kind {
            OptimizerKind::Sgd => Rule::Sgd { lr: value("lr") },
            OptimizerKind::Momentum => {
                Rule::Momentum { lr: value("lr"), beta: value("beta"), nesterov: flag("nesterov") }
            }
            OptimizerKind::Adagrad => Rule::Adagrad {
                lr: value("lr"),
                eps: value("eps"),
                eps_in_sqrt: flag("eps_in_sqrt"),
                acc0: value("acc0"),
                lr_decay: value("lr_decay"),
            },
            OptimizerKind::RmsProp => Rule::RmsProp {
                lr: value("lr"),
                decay: value("decay"),
                eps: value("eps"),
                eps_in_sqrt: flag("eps_in_sqrt"),
            },
            OptimizerKind::Adadelta => Rule::Adadelta { lr: value("lr"), rho: value("rho"), eps: value("eps") },
            OptimizerKind::Adam => Rule::Adam { lr: value("lr"), b1: value("b1"), b2: value("b2"), eps: value("eps") },
        }
    }
}

/// What an optimizer carries from one step to the next. The meaning of each slot is given by
/// [`OptimizerKind::slots`]; unused slots stay 0.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct State {
    /// Updates done so far (t in the bias corrections and lr_decay).
    pub t: u32,
    pub slots: [Point; 2],
}

/// One update, per coordinate: the step to add to x, the direction the optimizer follows (g; the
/// velocity v, or g + βv with Nesterov, for momentum; the corrected first moment m̂ for Adam) and the
/// factor that multiplied it, so that step = −effective_lr·direction.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Update {
    pub step: Point,
    pub direction: Point,
    pub effective_lr: Point,
}

impl Optimizer {
    /// The optimizer with its default hyperparameters.
    pub fn new(kind: OptimizerKind) -> Optimizer {
        let mut values = [0.0; MAX_PARAMS];
        for (value, spec) in values.iter_mut().zip(kind.params()) {
            *value = spec.default;
        }
        let mut optimizer = Optimizer { kind, values, rule: Rule::Sgd { lr: 0.0 } };
        optimizer.read_rule();
        optimizer
    }

    /// The same optimizer with `name` set to `value`; refused when the name is unknown or the value is
    /// outside the documented range (links clamp before calling this).
    pub fn with(mut self, name: &str, value: f64) -> Result<Optimizer, HyperError> {
        self.set(name, value)?;
        Ok(self)
    }

    /// Sets `name` to `value`, or leaves everything as it was and says why not.
    pub fn set(&mut self, name: &str, value: f64) -> Result<(), HyperError> {
        let optimizer = self.kind.id();
        let (index, spec) =
            self.kind.param(name).ok_or_else(|| HyperError::Unknown { optimizer, name: name.to_owned() })?;
        if !spec.accepts(value) {
            return Err(HyperError::OutOfRange { optimizer, spec: *spec, value });
        }
        self.values[index] = value;
        self.read_rule();
        Ok(())
    }

    fn read_rule(&mut self) {
        let (kind, values) = (self.kind, self.values);
        // Every name the rule asks for is one of the kind's parameters (a test checks each kind).
        self.rule = Rule::read(kind, |name| kind.param(name).map_or(0.0, |(index, _)| values[index]));
    }

    pub fn kind(&self) -> OptimizerKind {
        self.kind
    }

    /// The hyperparameters as the update reads them.
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// The value of the hyperparameter called `name`.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.kind.param(name).map(|(index, _)| self.values[index])
    }

    /// Every hyperparameter with its value, in canonical order.
    pub fn params(&self) -> impl Iterator<Item = (&'static ParamSpec, f64)> + '_ {
        self.kind.params().iter().zip(self.values)
    }

    /// The base learning rate (every optimizer has one).
    pub fn lr(&self) -> f64 {
        match self.rule {
            Rule::Sgd { lr }
            | Rule::Momentum { lr, .. }
            | Rule::Adagrad { lr, .. }
            | Rule::RmsProp { lr, .. }
            | Rule::Adadelta { lr, .. }
            | Rule::Adam { lr, .. } => lr,
        }
    }

    /// The state before the first step (optax's `init`).
    pub fn init(&self) -> State {
        let mut state = State::default();
        if let Rule::Adagrad { acc0, .. } = self.rule {
            state.slots[0] = [acc0, acc0];
        }
        state
    }

    /// Folds the gradient `g` at the point `x` into `state` and returns the step for the first `dim`
    /// coordinates (optax's `update`, which also receives the parameters: a rule such as AdamW's
    /// decoupled weight decay needs them; none of the six uses x yet). Allocation-free; may return
    /// non-finite numbers for absurd inputs, which a run turns into a divergence.
    pub fn update(&self, state: &mut State, x: Point, g: Point, dim: usize) -> Update {
        let _ = x;
        state.t += 1;
        let t = state.t;
        let mut out = Update::default();
        for i in 0..dim.min(2) {
            let gi = g[i];
            let mut direction = gi;
            let (effective_lr, step) = match self.rule {
                Rule::Sgd { lr } => (lr, -lr * gi),
                Rule::Momentum { lr, beta, nesterov } => {
                    let velocity = &mut state.slots[0][i];
                    *velocity = beta * *velocity + gi;
                    direction = if nesterov { gi + beta * *velocity } else { *velocity };
                    (lr, -lr * direction)
                }
                Rule::Adagrad { lr, eps, eps_in_sqrt, acc0: _, lr_decay } => {
                    let lr_t = lr / (1.0 + f64::from(t - 1) * lr_decay);
                    let sum_sq = &mut state.slots[0][i];
                    *sum_sq += gi * gi;
                    let denom = if eps_in_sqrt { (*sum_sq + eps).sqrt() } else { sum_sq.sqrt() + eps };
                    scaled_step(lr_t, gi, denom)
                }
                Rule::RmsProp { lr, decay, eps, eps_in_sqrt } => {
                    let mean_sq = &mut state.slots[0][i];
                    *mean_sq = decay * *mean_sq + (1.0 - decay) * gi * gi;
                    let denom = if eps_in_sqrt { (*mean_sq + eps).sqrt() } else { mean_sq.sqrt() + eps };
                    scaled_step(lr, gi, denom)
                }
                Rule::Adadelta { lr, rho, eps } => {
                    let [mean_sq, mean_sq_delta] = &mut state.slots;
                    mean_sq[i] = rho * mean_sq[i] + (1.0 - rho) * gi * gi;
                    let ratio = (mean_sq_delta[i] + eps).sqrt() / (mean_sq[i] + eps).sqrt();
                    let delta = ratio * gi;
                    mean_sq_delta[i] = rho * mean_sq_delta[i] + (1.0 - rho) * delta * delta;
                    (lr * ratio, -lr * delta)
                }
                Rule::Adam { lr, b1, b2, eps } => {
                    let [m, v] = &mut state.slots;
                    m[i] = b1 * m[i] + (1.0 - b1) * gi;
                    v[i] = b2 * v[i] + (1.0 - b2) * gi * gi;
                    let (m, v) = (m[i], v[i]);
                    let correction1 = 1.0 - b1.powi(t as i32);
                    let correction2 = 1.0 - b2.powi(t as i32);
                    let denom = v.sqrt() / correction2.sqrt() + eps;
                    direction = m / correction1;
                    if denom > 0.0 {
                        (lr / denom, -(lr / correction1) * (m / denom))
                    } else {
                        (0.0, 0.0)
                    }
                }
            };
            out.direction[i] = direction;
            out.effective_lr[i] = effective_lr;
            out.step[i] = step;
        }
        out
    }
}

/// `(lr/denom, −lr·(g/denom))` in PyTorch's order of operations (`addcdiv`), which keeps Adagrad's first
/// step exactly `lr·sign(g)`; no step when the denominator is 0 (then g is 0 too).
fn scaled_step(lr: f64, g: f64, denom: f64) -> (f64, f64) {
    if denom > 0.0 {
        (lr / denom, -lr * (g / denom))
    } else {
        (0.0, 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_inside_their_ranges_and_names_are_unique() {
        for kind in OptimizerKind::ALL {
            assert_eq!(OptimizerKind::from_id(kind.id()), Some(kind));
            assert_eq!(kind.params()[0].name, "lr", "{}: lr comes first", kind.id());
            assert!(kind.params().len() <= MAX_PARAMS);
            for (i, spec) in kind.params().iter().enumerate() {
                assert!(spec.accepts(spec.default), "{}.{}", kind.id(), spec.name);
                assert!(kind.params()[..i].iter().all(|other| other.name != spec.name));
            }
            assert!(kind.slots().len() <= 2);
        }
    }

    #[test]
    fn every_name_a_rule_reads_is_a_parameter_of_its_kind() {
        for kind in OptimizerKind::ALL {
            Rule::read(kind, |name| {
                assert!(kind.param(name).is_some(), "{} reads '{name}', which it does not have", kind.id());
                0.0
            });
        }
        let adam = Optimizer::new(OptimizerKind::Adam).with("b2", 0.99).unwrap();
        assert_eq!(adam.rule(), Rule::Adam { lr: 0.001, b1: 0.9, b2: 0.99, eps: 1e-8 });
    }

    #[test]
    fn out_of_range_and_unknown_hyperparameters_are_refused_with_a_reason() {
        let adagrad = Optimizer::new(OptimizerKind::Adagrad);
        let err = adagrad.with("lr", -1.0).unwrap_err();
        assert_eq!(err.to_string(), "adagrad: lr = -1 is outside its valid range [0.000001, 100]");
        assert!(adagrad.with("eps_in_sqrt", 0.5).unwrap_err().to_string().contains("(0 or 1)"));
        assert!(adagrad.with("lr", f64::NAN).is_err());
        assert!(adagrad.with("lr", f64::INFINITY).is_err());
        assert_eq!(adagrad.with("beta", 0.5).unwrap_err().to_string(), "adagrad has no hyperparameter named 'beta'");
        let tuned = adagrad.with("lr", 1.5).unwrap();
        assert_eq!(tuned.get("lr"), Some(1.5));
        assert_eq!(tuned.get("eps"), Some(1e-10));
    }

    #[test]
    fn clamping_gives_the_nearest_valid_value() {
        let (_, lr) = OptimizerKind::Sgd.param("lr").unwrap();
        assert_eq!(lr.clamp(1e9), Some(100.0));
        assert_eq!(lr.clamp(-3.0), Some(1e-6));
        assert_eq!(lr.clamp(f64::NAN), None);
        let (_, nesterov) = OptimizerKind::Momentum.param("nesterov").unwrap();
        assert_eq!(nesterov.clamp(0.7), Some(1.0));
    }

    #[test]
    fn pytorch_momentum_and_nesterov_forms() {
        let plain = Optimizer::new(OptimizerKind::Momentum).with("lr", 0.1).unwrap().with("beta", 0.5).unwrap();
        let mut state = plain.init();
        plain.update(&mut state, [0.0; 2], [1.0, 0.0], 1);
        let second = plain.update(&mut state, [0.0; 2], [1.0, 0.0], 1);
        // v = 0.5·1 + 1 = 1.5; step = −0.1·1.5
        assert_eq!(second.step[0], -0.15000000000000002);
        let nesterov = plain.with("nesterov", 1.0).unwrap();
        let mut state = nesterov.init();
        let first = nesterov.update(&mut state, [0.0; 2], [1.0, 0.0], 1);
        // v = 1; direction = g + β·v = 1.5
        assert_eq!(first.step[0], -0.15000000000000002);
    }

    #[test]
    fn adadelta_follows_zeilers_algorithm_one() {
        let adadelta = Optimizer::new(OptimizerKind::Adadelta);
        let mut state = adadelta.init();
        let update = adadelta.update(&mut state, [0.0; 2], [2.0, 0.0], 1);
        // E[g²] = 0.1·4 = 0.4; Δ = √(0 + 1e-6)/√(0.4 + 1e-6)·2
        let expected = (1e-6f64).sqrt() / (0.4f64 + 1e-6).sqrt() * 2.0;
        assert!((update.step[0] + expected).abs() < 1e-18);
        assert!((state.slots[1][0] - 0.1 * expected * expected).abs() < 1e-18);
    }

    #[test]
    fn adagrad_learning_rate_decay_is_pytorchs() {
        let adagrad = Optimizer::new(OptimizerKind::Adagrad)
            .with("lr", 1.0)
            .and_then(|o| o.with("eps", 0.0))
            .and_then(|o| o.with("lr_decay", 1.0))
            .unwrap();
        let mut state = adagrad.init();
        assert_eq!(adagrad.update(&mut state, [0.0; 2], [3.0, 0.0], 1).effective_lr[0], 1.0 / 3.0);
        // t = 2: lr_t = 1/(1 + 1) and Σg² = 9 + 16
        assert_eq!(adagrad.update(&mut state, [0.0; 2], [4.0, 0.0], 1).effective_lr[0], 0.5 / 5.0);
    }

    #[test]
    fn adagrad_starts_from_its_initial_accumulator() {
        let adagrad = Optimizer::new(OptimizerKind::Adagrad).with("acc0", 0.1).unwrap();
        assert_eq!(adagrad.init().slots[0], [0.1, 0.1]);
    }
}
