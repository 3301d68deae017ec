//! Property tests: any finite start and any hyperparameters in range, for 10,000 steps, and nothing
//! non-finite ever leaves a run, and the status always agrees with the trajectory.

use proptest::prelude::*;
use steplab_core::run::{
    DivergeReason, Quantity, BLOW_UP_FACTOR, BLOW_UP_STEPS, CONVERGENCE_FRACTION, CYCLE_TOLERANCE, DIVERGENCE_BOUND,
    NEGLIGIBLE,
};
use steplab_core::{Loss, Record, Run, Status};

mod common;
use common::any_optimizer;

fn any_loss() -> impl Strategy<Value = Loss> {
    proptest::sample::select(Loss::ALL.to_vec())
}

fn finite_record(r: &Record) -> bool {
    let points = [r.x, r.gradient, r.slots[0], r.slots[1], r.effective_lr, r.direction, r.step];
    r.loss.is_finite() && points.iter().all(|p| p.iter().all(|c| c.is_finite()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn no_nan_escapes_and_the_status_matches_the_trajectory(
        loss in any_loss(),
        opt in any_optimizer(),
        x in -1e6f64..1e6,
        y in -1e6f64..1e6,
        near in any::<bool>(),
    ) {
        // Half the starts near the picture, where the interesting things happen.
        let start = if near { [x * 1e-5, y * 1e-5] } else { [x, y] };
        let mut run = Run::new(loss, opt, start);
        let mut previous_n = run.current().n;
        for _ in 0..10_000 {
            run.advance();
            let record = *run.current();
            prop_assert!(finite_record(&record), "{record:?}");
            prop_assert!(record.x.iter().all(|c| c.abs() <= DIVERGENCE_BOUND));
            prop_assert!(record.n == previous_n || record.n == previous_n + 1);
            previous_n = record.n;
            if let Status::Diverged { .. } = record.status {
                break;
            }
        }
        // The history keeps only the newest steps; record 0 comes from a fresh run.
        let first = *Run::new(loss, opt, start).current();
        let first_gradient = first.gradient[0].abs().max(first.gradient[1].abs());
        let first_step = first.step[0].abs().max(first.step[1].abs());
        let last = *run.current();
        match last.status {
            Status::Running => {}
            Status::Converged { step } => {
                // Converged since `step`, and still: both the step it happened at and now meet the test, and
                // the loss is no lower a tenth of the first step away along either axis.
                for at in [run.record(step), Some(&last)].into_iter().flatten() {
                    let g = at.gradient[0].abs().max(at.gradient[1].abs());
                    let s = at.step[0].abs().max(at.step[1].abs());
                    prop_assert!(g <= CONVERGENCE_FRACTION * first_gradient + NEGLIGIBLE);
                    prop_assert!(s <= CONVERGENCE_FRACTION * first_step + NEGLIGIBLE);
                }
                let probe = (0.1 * first_step).max(1e-9 * (1.0 + last.x[0].abs().max(last.x[1].abs())));
                for axis in 0..loss.dim() {
                    for offset in [-probe, probe] {
                        let mut near = last.x;
                        near[axis] += offset;
                        prop_assert!(loss.value(near) >= last.loss - 1e-9 * last.loss.abs(), "{near:?} is lower");
                    }
                }
            }
            Status::Bouncing { step, period } => {
                prop_assert!((2..=8).contains(&period));
                prop_assert!(step <= last.n);
                let earlier = run.record(last.n - period).expect("remembered").x;
                for (now, then) in last.x.iter().zip(earlier) {
                    prop_assert!((now - then).abs() <= CYCLE_TOLERANCE * (1.0 + now.abs()));
                }
            }
            Status::BlowingUp { step } => {
                prop_assert!(step <= last.n);
                // Each of the last steps at least BLOW_UP_FACTOR times longer than the one before, the loss rising.
                let records: Vec<&Record> = run.history().rev().take(BLOW_UP_STEPS + 2).collect();
                prop_assert_eq!(records.len(), BLOW_UP_STEPS + 2);
                for w in records.windows(3) {
                    let (newer, older, oldest) = (w[0], w[1], w[2]);
                    let grown = (newer.x[0] - older.x[0]).hypot(newer.x[1] - older.x[1]);
                    let before = (older.x[0] - oldest.x[0]).hypot(older.x[1] - oldest.x[1]);
                    prop_assert!(grown >= BLOW_UP_FACTOR * before, "{grown} after {before}");
                    prop_assert!(newer.loss > older.loss);
                }
            }
            Status::Diverged { step, reason } => {
                prop_assert_eq!(step, last.n + 1);
                let next = [last.x[0] + last.step[0], last.x[1] + last.step[1]];
                match reason {
                    DivergeReason::TooFar => prop_assert!(next.iter().any(|c| c.abs() > DIVERGENCE_BOUND), "{next:?}"),
                    DivergeReason::Undefined(Quantity::Loss) => prop_assert!(!loss.value(next).is_finite()),
                    DivergeReason::Undefined(Quantity::Gradient) => {
                        prop_assert!(loss.value(next).is_finite());
                        prop_assert!(loss.gradient(next).iter().any(|g| !g.is_finite()));
                    }
                    DivergeReason::Undefined(Quantity::Step) => {}
                }
            }
            Status::Undefined { .. } => prop_assert!(false, "a built-in loss is defined everywhere: {last:?}"),
        }
        // Every remembered record's status is about a step it has reached.
        for record in run.history() {
            if let Status::Converged { step } | Status::Bouncing { step, .. } = record.status {
                prop_assert!(step <= record.n);
            }
        }
    }

    #[test]
    fn restarting_gives_the_same_run_as_starting_afresh(
        loss in any_loss(),
        opt in any_optimizer(),
        x in -3.0f64..3.0,
        y in -3.0f64..3.0,
    ) {
        let mut reused = Run::new(loss, opt, [0.5, 0.5]);
        reused.advance_to(37);
        reused.restart([x, y]);
        reused.advance_to(200);
        let mut fresh = Run::new(loss, opt, [x, y]);
        fresh.advance_to(200);
        prop_assert!(reused.history().eq(fresh.history()));
    }
}
