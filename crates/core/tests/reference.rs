//! Numbers pinned to references (d2l.ai's printed results, PyTorch's update rules) and the invariants
//! the page relies on.

use steplab_core::run::{DivergeReason, DIVERGENCE_BOUND, HISTORY_LIMIT};
use steplab_core::{Loss, Noise, Optimizer, OptimizerKind, Point, Run, Status};

fn optimizer(kind: OptimizerKind, hyper: &[(&str, f64)]) -> Optimizer {
    hyper.iter().fold(Optimizer::new(kind), |o, (name, value)| o.with(name, *value).expect("valid hyperparameter"))
}

fn position_after(loss: Loss, opt: Optimizer, start: Point, steps: u32) -> Point {
    let mut run = Run::new(loss, opt, start);
    run.advance_to(steps);
    assert_eq!(run.current().n, steps);
    run.current().x
}

/// d2l.ai prints six decimals; we check to half a unit in the last one.
fn assert_close(actual: f64, printed: f64) {
    assert!((actual - printed).abs() <= 5e-7, "got {actual}, d2l.ai printed {printed}");
}

#[test]
fn gradient_descent_on_x_squared_matches_d2l() {
    for (lr, printed) in [(0.2, 0.060466), (0.05, 3.486784), (1.1, 61.917364)] {
        let x = position_after(Loss::Quadratic, optimizer(OptimizerKind::Sgd, &[("lr", lr)]), [10.0, 0.0], 10);
        assert_close(x[0], printed);
    }
}

#[test]
fn optimizers_on_the_ellipse_match_d2l() {
    use OptimizerKind::*;
    let cases: [(Optimizer, Point); 5] = [
        (optimizer(Sgd, &[("lr", 0.4)]), [-0.943467, -0.000073]),
        (optimizer(Momentum, &[("lr", 0.6), ("beta", 0.5)]), [0.007188, 0.002553]),
        (optimizer(Adagrad, &[("lr", 0.4), ("eps", 1e-6), ("eps_in_sqrt", 1.0)]), [-2.382563, -0.158591]),
        (optimizer(Adagrad, &[("lr", 2.0), ("eps", 1e-6), ("eps_in_sqrt", 1.0)]), [-0.002295, -0.000000]),
        (
            optimizer(RmsProp, &[("lr", 0.4), ("decay", 0.9), ("eps", 1e-6), ("eps_in_sqrt", 1.0)]),
            [-0.010599, 0.000000],
        ),
    ];
    for (opt, printed) in cases {
        let x = position_after(Loss::Ellipse, opt, [-5.0, -2.0], 20);
        assert_close(x[0], printed[0]);
        assert_close(x[1], printed[1]);
    }
}

/// Starts spread over each loss's window, 1-D and 2-D.
fn starts(loss: Loss) -> Vec<Point> {
    let v = loss.default_view();
    let mut out = Vec::new();
    for i in 0..7 {
        for j in 0..if loss.dim() == 2 { 7 } else { 1 } {
            let x = v.x.0 + (v.x.1 - v.x.0) * (i as f64 + 0.3) / 7.0;
            let y = if loss.dim() == 2 { v.y.0 + (v.y.1 - v.y.0) * (j as f64 + 0.6) / 7.0 } else { 0.0 };
            out.push([x, y]);
        }
    }
    out
}

#[test]
fn adagrads_first_step_is_exactly_lr_times_the_sign_of_the_gradient() {
    for loss in Loss::ALL {
        for start in starts(loss) {
            for lr in [0.01, 0.3, 1.5] {
                let run = Run::new(loss, optimizer(OptimizerKind::Adagrad, &[("lr", lr), ("eps", 0.0)]), start);
                let first = run.current();
                for i in 0..loss.dim() {
                    let expected = if first.gradient[i] == 0.0 { 0.0 } else { -lr * first.gradient[i].signum() };
                    assert_eq!(first.step[i], expected, "{} from {start:?}", loss.id());
                }
            }
        }
    }
}

#[test]
fn adams_first_step_is_lr_times_the_sign_of_the_gradient() {
    for loss in Loss::ALL {
        for start in starts(loss) {
            let lr = 0.1;
            let run = Run::new(loss, optimizer(OptimizerKind::Adam, &[("lr", lr), ("eps", 0.0)]), start);
            let first = run.current();
            for i in 0..loss.dim() {
                let expected = if first.gradient[i] == 0.0 { 0.0 } else { -lr * first.gradient[i].signum() };
                assert!((first.step[i] - expected).abs() <= 1e-15, "{} from {start:?}", loss.id());
            }
        }
    }
}

/// Drives an optimizer on `scale · loss` by hand, the way a run does.
fn scaled_trajectory(loss: Loss, opt: Optimizer, scale: f64, start: Point, steps: usize) -> Vec<Point> {
    let mut state = opt.init();
    let mut x = start;
    let mut path = vec![x];
    for _ in 0..steps {
        let g = loss.gradient(x).map(|c| scale * c);
        let update = opt.update(&mut state, x, g, loss.dim());
        x = [x[0] + update.step[0], x[1] + update.step[1]];
        path.push(x);
    }
    path
}

#[test]
fn adagrad_ignores_the_scale_of_the_loss_and_sgd_does_not() {
    let adagrad = optimizer(OptimizerKind::Adagrad, &[("lr", 0.5), ("eps", 0.0)]);
    let sgd = optimizer(OptimizerKind::Sgd, &[("lr", 0.001)]);
    for (loss, start) in [(Loss::SmoothAbs, [4.0, 0.0]), (Loss::DoubleWell, [2.0, 0.0]), (Loss::Ellipse, [-5.0, -2.0])]
    {
        let reference = scaled_trajectory(loss, adagrad, 1.0, start, 200);
        for scale in [0.01, 100.0] {
            let scaled = scaled_trajectory(loss, adagrad, scale, start, 200);
            for (a, b) in reference.iter().zip(&scaled) {
                for i in 0..2 {
                    assert!((a[i] - b[i]).abs() <= 1e-9 * (1.0 + a[i].abs()), "{} ×{scale}: {a:?} vs {b:?}", loss.id());
                }
            }
            let sgd_reference = scaled_trajectory(loss, sgd, 1.0, start, 50);
            let sgd_scaled = scaled_trajectory(loss, sgd, scale, start, 50);
            let gap = (sgd_reference[50][0] - sgd_scaled[50][0]).abs();
            assert!(gap > 1e-3, "{} ×{scale}: sgd should notice the scale", loss.id());
        }
    }
}

#[test]
fn adagrads_effective_learning_rate_never_rises() {
    for loss in Loss::ALL {
        for start in starts(loss) {
            let mut run = Run::new(loss, optimizer(OptimizerKind::Adagrad, &[("lr", 0.7), ("eps", 1e-8)]), start);
            run.advance_to(300);
            let rates: Vec<Point> = run.history().map(|r| r.effective_lr).collect();
            for pair in rates.windows(2) {
                for i in 0..loss.dim() {
                    assert!(pair[1][i] <= pair[0][i], "{} from {start:?}: {pair:?}", loss.id());
                }
            }
        }
    }
}

#[test]
fn a_fixed_rate_too_large_bounces_forever_on_the_smooth_bowl() {
    let mut run = Run::new(Loss::SmoothAbs, optimizer(OptimizerKind::Sgd, &[("lr", 2.5)]), [4.0, 0.0]);
    run.advance_to(60);
    let Status::Bouncing { step, period } = run.status() else { panic!("expected bouncing, got {:?}", run.status()) };
    assert_eq!(period, 2);
    assert!(step <= 12, "recognised late, at step {step}");
    // The stable 2-cycle of x ↦ x − 2.5·x/√(1+x²) is ±0.75.
    assert!((run.current().x[0].abs() - 0.75).abs() < 1e-9);
    run.advance_to(500);
    assert_eq!(run.status(), Status::Bouncing { step, period });
    // Its trail ends with the first lap of the cycle: the later 490 laps retrace it.
    assert_eq!(run.current().trail_end(), step + period);
    assert_eq!(run.record(step).unwrap().trail_end(), step);
}

#[test]
fn a_small_fixed_rate_crawls_and_adagrad_converges() {
    let mut slow = Run::new(Loss::SmoothAbs, optimizer(OptimizerKind::Sgd, &[("lr", 0.05)]), [4.0, 0.0]);
    slow.advance_to(40);
    assert_eq!(slow.status(), Status::Running);
    let progress = slow.progress(40).unwrap();
    assert!(0.3 < progress && progress < 0.6, "progress {progress}");
    assert!(slow.progress(10).unwrap() < progress);

    let mut adagrad =
        Run::new(Loss::SmoothAbs, optimizer(OptimizerKind::Adagrad, &[("lr", 1.5), ("eps", 0.0)]), [4.0, 0.0]);
    adagrad.advance_to(100);
    let Status::Converged { step } = adagrad.status() else { panic!("{:?}", adagrad.status()) };
    assert!(step <= 20);
    assert!(adagrad.current().x[0].abs() < 1e-6);
    assert_eq!(adagrad.progress(100), Some(1.0));
}

#[test]
fn a_runaway_run_stops_at_the_bound_with_its_last_finite_record() {
    // x ↦ −1.2·x from 10: |x_n| = 10·1.2ⁿ passes 1e6 at n = 64.
    let mut run = Run::new(Loss::Quadratic, optimizer(OptimizerKind::Sgd, &[("lr", 1.1)]), [10.0, 0.0]);
    run.advance_to(1000);
    assert_eq!(run.status(), Status::Diverged { step: 64, reason: DivergeReason::TooFar });
    assert_eq!(run.current().n, 63);
    assert!(run.current().x[0].abs() <= DIVERGENCE_BOUND);
    let before = *run.current();
    run.advance();
    assert_eq!(*run.current(), before, "a diverged run stays put");
}

#[test]
fn a_nan_start_is_replaced_and_huge_starts_are_clamped() {
    let run = Run::new(Loss::Quadratic, Optimizer::new(OptimizerKind::Sgd), [f64::NAN, 0.0]);
    assert_eq!(run.current().x, [0.0, 0.0]);
    let run = Run::new(Loss::Ellipse, Optimizer::new(OptimizerKind::Sgd), [f64::INFINITY, -1e300]);
    assert_eq!(run.current().x, [DIVERGENCE_BOUND, -DIVERGENCE_BOUND]);
}

#[test]
fn history_is_bounded_and_the_count_goes_on() {
    let mut run = Run::new(Loss::SmoothAbs, optimizer(OptimizerKind::Sgd, &[("lr", 0.001)]), [4.0, 0.0]);
    run.advance_to(10_000);
    assert_eq!(run.current().n, 10_000);
    assert_eq!(run.history().len(), HISTORY_LIMIT);
    assert!(run.record(0).is_none());
    assert_eq!(run.record(9_000).map(|r| r.n), Some(9_000));
    assert!(run.record(10_001).is_none());
    run.restart([1.0, 0.0]);
    assert_eq!(run.history().len(), 1);
    assert_eq!(run.current().x, [1.0, 0.0]);
}

#[test]
fn the_drag_preview_follows_the_run_it_predicts() {
    use steplab_core::run::preview_path;
    let opt = optimizer(OptimizerKind::Adagrad, &[("lr", 0.4), ("eps", 1e-6), ("eps_in_sqrt", 1.0)]);
    let mut path = Vec::new();
    preview_path(Loss::Ellipse, &opt, [-5.0, -2.0], Noise::NONE, 50, &mut path);
    let mut run = Run::new(Loss::Ellipse, opt, [-5.0, -2.0]);
    run.advance_to(50);
    assert_eq!(path.len(), 51);
    assert!(path.iter().zip(run.history()).all(|(p, r)| *p == r.x));
    // A runaway path stops before it leaves the bound.
    preview_path(
        Loss::Quadratic,
        &optimizer(OptimizerKind::Sgd, &[("lr", 1.1)]),
        [10.0, 0.0],
        Noise::NONE,
        1000,
        &mut path,
    );
    assert_eq!(path.len(), 64);
}

#[test]
fn the_step_is_the_effective_rate_times_the_direction() {
    for kind in OptimizerKind::ALL {
        let opt = optimizer(kind, &[("lr", 0.05)]);
        let mut run = Run::new(Loss::Himmelblau, opt, [0.5, -1.0]);
        run.advance_to(40);
        for r in run.history() {
            for i in 0..2 {
                let product = -r.effective_lr[i] * r.direction[i];
                assert!((r.step[i] - product).abs() <= 1e-12 * (1.0 + r.step[i].abs()), "{}: {r:?}", kind.id());
            }
        }
    }
}

#[test]
fn a_million_steps_at_extreme_settings_keep_bounded_memory_and_finite_numbers() {
    let cases = [
        (Loss::Quartic, optimizer(OptimizerKind::Sgd, &[("lr", 1e-6)]), [1.9, 0.0]),
        (Loss::Rosenbrock, optimizer(OptimizerKind::Adam, &[("lr", 100.0), ("eps", 0.0)]), [-1.2, 1.0]),
        (Loss::Saddle, optimizer(OptimizerKind::Adagrad, &[("lr", 1e-6), ("eps", 0.0)]), [0.0, 1e-300]),
        (Loss::XCos, optimizer(OptimizerKind::Momentum, &[("lr", 100.0), ("beta", 0.9999)]), [-7.0, 0.0]),
    ];
    for (loss, opt, start) in cases {
        let mut run = Run::new(loss, opt, start);
        for _ in 0..1_000_000 {
            run.advance();
        }
        assert!(run.history().len() <= HISTORY_LIMIT);
        let last = run.current();
        let numbers = [last.x, last.gradient, last.step, last.effective_lr, last.direction];
        assert!(last.loss.is_finite() && numbers.iter().flatten().all(|v| v.is_finite()), "{}: {last:?}", loss.id());
    }
}
