//! Step Lab's core: the loss catalogue, the optimizers as visible state machines, and runs with their
//! history and status. Pure Rust with no web dependencies, so everything here is tested natively.
//!
//! The modules form layers, each using only those listed before it (checked by `tests/layers.rs`):
//! `num` · `expr`, `noise`, `optimizer` · `loss` · `run` · `ensemble`, `sparse`, `sweep` · `clock` · `lab` ·
//! `presets`, `link` · `export`, `png`, `surface` · `figure`. This file only declares and re-exports.

pub mod num;

pub mod expr;
pub mod noise;
pub mod optimizer;

pub mod loss;

pub mod run;

pub mod ensemble;
pub mod sparse;
pub mod sweep;

pub mod clock;

pub mod lab;

pub mod link;
pub mod presets;

pub mod export;
pub mod png;
pub mod surface;

pub mod figure;

pub use clock::{Ticker, MAX_STEP};
pub use lab::{status_text, Lab, PanelSpec, Scenario, Title};
pub use loss::{Loss, Objective};
pub use noise::Noise;
pub use num::{clamp, Plot, Point, View};
pub use optimizer::{HyperError, Optimizer, OptimizerKind, ParamScale, ParamSpec, SlotSpec, State, Update};
pub use run::{DivergeReason, Record, Run, Status};
