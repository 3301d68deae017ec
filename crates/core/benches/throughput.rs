//! Core throughput for `cargo xtask bench` (docs/PERFORMANCE.md): steps per second of each optimizer
//! through a whole [`Run`] (status tracking and history included), on a 1-D and a 2-D loss, and the
//! drag preview the page re-simulates on a pointer move, at 3 × 1000 steps, and the learning-rate sweep.
//!
//! Run alone with `cargo bench -p steplab-core --bench throughput`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use steplab_core::lab::Scenario;
use steplab_core::loss::Loss;
use steplab_core::optimizer::{Optimizer, OptimizerKind};
use steplab_core::run::{preview_path, Run};

/// Steps per measured iteration.
const STEPS: u32 = 1000;

fn steps(c: &mut Criterion) {
    for loss in [Loss::SmoothAbs, Loss::Rosenbrock] {
        let mut group = c.benchmark_group(format!("steps/{}", loss.id()));
        group.throughput(Throughput::Elements(u64::from(STEPS)));
        for kind in OptimizerKind::ALL {
            // Small rates keep every run going for all the steps instead of stopping at a divergence.
            let optimizer = Optimizer::new(kind).with("lr", 1e-3).expect("1e-3 is a valid rate for every optimizer");
            let mut run = Run::new(loss, optimizer, loss.default_start());
            group.bench_function(kind.id(), |b| {
                b.iter(|| {
                    run.restart(black_box(loss.default_start()));
                    run.advance_to(STEPS);
                    black_box(run.current().x)
                })
            });
        }
        group.finish();
    }
}

fn preview(c: &mut Criterion) {
    let scenario = Scenario::seed();
    let objective = scenario.objective();
    let mut paths: [Vec<[f64; 2]>; 3] = Default::default();
    let mut group = c.benchmark_group("preview");
    group.throughput(Throughput::Elements(3 * u64::from(STEPS)));
    group.bench_function("3x1000", |b| {
        b.iter(|| {
            for (spec, path) in scenario.panels.iter().zip(&mut paths) {
                preview_path(
                    objective.clone(),
                    &spec.optimizer,
                    black_box(scenario.start),
                    scenario.noise,
                    STEPS as usize,
                    path,
                );
            }
            black_box(paths[2].len())
        })
    });
    group.finish();
}

/// The learning-rate sweep the page computes when the loss, the start or a setting other than a rate
/// changes: 3 optimizers × 61 rates × 100 steps, on the seed and on Rosenbrock.
fn sweep(c: &mut Criterion) {
    let mut group = c.benchmark_group("sweep");
    group.throughput(Throughput::Elements(3 * 61 * 100));
    for preset in ["seed", "rosenbrock"] {
        let scenario = steplab_core::link::parse(&format!("preset={preset}")).scenario;
        let objective = scenario.objective();
        group.bench_function(format!("3x61x100/{preset}"), |b| {
            b.iter(|| {
                for spec in &scenario.panels {
                    let curve = steplab_core::sweep::curve(
                        &objective,
                        &spec.optimizer,
                        black_box(scenario.start),
                        scenario.noise,
                        &scenario.sweep,
                    );
                    black_box(curve.outcomes.len());
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, steps, preview, sweep);
criterion_main!(benches);
