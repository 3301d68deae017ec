//! Strategies shared by the property tests.

use proptest::prelude::*;
use steplab_core::{Optimizer, OptimizerKind, ParamScale};

/// An optimizer with every hyperparameter drawn from its documented range (log-uniform where the
/// range is on a log scale, and including the edges).
pub fn any_optimizer() -> impl Strategy<Value = Optimizer> {
    (proptest::sample::select(OptimizerKind::ALL.to_vec()), prop::collection::vec(0.0f64..=1.0, 5)).prop_map(
        |(kind, unit)| {
            let mut opt = Optimizer::new(kind);
            for (spec, u) in kind.params().iter().zip(unit) {
                let value = match spec.scale {
                    ParamScale::Flag => u.round(),
                    ParamScale::Log if spec.min > 0.0 => (spec.min.ln() + u * (spec.max / spec.min).ln()).exp(),
                    ParamScale::Log => {
                        if u < 0.1 {
                            0.0
                        } else {
                            (1e-12f64.ln() + u * (spec.max / 1e-12).ln()).exp()
                        }
                    }
                    ParamScale::Linear => spec.min + u * (spec.max - spec.min),
                };
                let value = spec.clamp(value).expect("finite");
                opt.set(spec.name, value).expect("in range");
            }
            opt
        },
    )
}
