//! Step Lab's core: the loss catalogue, the optimizers as visible state machines, and runs with their
//! history and status. Pure Rust with no web dependencies, so everything here is tested natively.

pub mod export;
pub mod expr;
pub mod figure;
pub mod lab;
pub mod link;
pub mod loss;
pub mod optimizer;
pub mod presets;
pub mod run;
pub mod surface;

pub use lab::{status_text, Lab, PanelSpec, Scenario, Ticker};
pub use loss::{Loss, Objective, Point, View};
pub use optimizer::{HyperError, Optimizer, OptimizerKind, ParamScale, ParamSpec, SlotSpec, State, Update};
pub use run::{DivergeReason, Record, Run, Status};

/// `value` limited to `min..=max` (NaN gives `min`). Unlike `f64::clamp` it cannot panic, and so it keeps
/// Rust's float formatting (which `f64::clamp`'s assertion message needs) out of the wasm build.
pub fn clamp(value: f64, min: f64, max: f64) -> f64 {
    value.max(min).min(max)
}
