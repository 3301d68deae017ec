//! What a panel's status tells the learner must be true of its run: a run that is blowing up says so
//! from the first steps that show it, a start where the function is undefined says which quantity is
//! missing and invents no numbers, "converged" means a minimum was reached, and a local minimum is
//! called one.

use steplab_core::link;
use steplab_core::num::print;
use steplab_core::run::{Quantity, BLOW_UP_FACTOR};
use steplab_core::{status_text, Lab, Status};

fn at(query: &str, t: u32) -> Lab {
    let link = link::parse(query);
    assert!(link.notices.is_empty(), "{query}: {:?}", link.notices);
    let mut lab = Lab::new(link.scenario);
    lab.seek(t);
    lab
}

fn text(lab: &Lab, panel: usize) -> String {
    status_text(lab.run(panel), lab.shown(panel), &print)
}

#[test]
fn a_run_that_multiplies_its_distance_every_step_is_blowing_up_not_crawling() {
    // x² at lr 2.5: x ↦ x − 2.5·2x = −4x, so 1, −4, 16, −64, …
    let query = "loss=quadratic&x0=1&a=sgd:lr=2.5";
    for t in 0..3 {
        let lab = at(query, t);
        assert!(!matches!(lab.shown(0).status, Status::BlowingUp { .. }), "too early to tell at step {t}");
    }
    let lab = at(query, 3);
    assert_eq!(lab.shown(0).x[0], -64.0);
    assert_eq!(lab.shown(0).status, Status::BlowingUp { step: 3 });
    assert_eq!(text(&lab, 0), "blowing up: the distance to the minimum grows ×4 per step");
    // It stays so until the divergence bound, and never reads "crawling" meanwhile.
    for t in 3..10 {
        let lab = at(query, t);
        assert_eq!(lab.shown(0).status, Status::BlowingUp { step: 3 }, "step {t}");
        assert!(!text(&lab, 0).contains("crawling"));
    }
    // 4¹⁰ passes the bound of 1e6.
    assert!(matches!(at(query, 12).shown(0).status, Status::Diverged { step: 10, .. }));
    // The scale preset's panel a: 100·x² at lr 0.05 multiplies x by −9.
    let scaled = at("preset=scale", 3);
    assert_eq!(scaled.shown(0).x[0], -2916.0);
    assert_eq!(text(&scaled, 0), "blowing up: the distance to the minimum grows ×9 per step");
    // Without a known minimum, the steps themselves are measured.
    let typed = at("loss=expr:x^2&x0=1&a=sgd:lr=2.5", 4);
    assert_eq!(text(&typed, 0), "blowing up: each step ×4 longer than the last");
}

#[test]
fn growing_steps_while_the_loss_falls_are_not_blowing_up() {
    // −x⁴ has no bottom: the steps grow fast, but the loss falls all the way; that is a descent.
    let lab = at("loss=expr:-x^4&x0=1&a=sgd:lr=0.1", 3);
    let steps: Vec<f64> = lab.run(0).history().map(|r| r.step[0].abs()).collect();
    assert!(steps.windows(2).all(|w| w[1] >= BLOW_UP_FACTOR * w[0]), "the steps do grow: {steps:?}");
    assert_eq!(lab.shown(0).status, Status::Running);
    assert!(text(&lab, 0).starts_with("still descending"), "{}", text(&lab, 0));
}

#[test]
fn a_start_where_the_loss_is_undefined_invents_no_numbers() {
    let lab = at("loss=expr:log(x)&x0=-2", 10);
    let record = lab.shown(0);
    assert_eq!(record.status, Status::Undefined { quantity: Quantity::Loss });
    assert_eq!(record.n, 0, "no step is taken, whatever the clock says");
    assert!(record.loss.is_nan() && record.gradient[0].is_nan());
    assert!(record.effective_lr[0].is_nan() && record.step[0].is_nan());
    assert_eq!(text(&lab, 0), "cannot start: the loss is not defined at x = -2");
    // sqrt(x) at 0: the loss is 0; only the slope is missing, and the text says which.
    let lab = at("loss=expr:sqrt(x)&x0=0", 3);
    let record = lab.shown(1);
    assert_eq!(record.status, Status::Undefined { quantity: Quantity::Gradient });
    assert_eq!(record.loss, 0.0);
    assert_eq!(text(&lab, 1), "cannot start: the gradient is not defined at x = 0 (the loss is 0 there)");
}

#[test]
fn stepping_off_the_function_names_the_quantity_and_the_place() {
    // log(x) from 0.5 at lr 1: x₁ = 0.5 − 1/0.5 = −1.5.
    let lab = at("loss=expr:log(x)&x0=0.5&a=sgd:lr=1", 5);
    assert_eq!(text(&lab, 0), "diverged at step 1: the loss is not defined at x = -1.5");
}

#[test]
fn converged_means_a_minimum_was_reached() {
    // exp(x) has no minimum: the slope flattens as the run slides left for ever.
    let lab = at("loss=expr:exp(x)", 60);
    for panel in 0..3 {
        assert!(!matches!(lab.shown(panel).status, Status::Converged { .. }), "panel {panel}: {:?}", lab.shown(panel));
    }
    assert!(text(&lab, 0).starts_with("still descending"), "{}", text(&lab, 0));
    // On the saddle x₁² − x₂², Adagrad's gradient along the ridge is tiny at first, but it is no minimum.
    let saddle = at("loss=saddle&x0=0.001,0.000001&a=adagrad:lr=0.0001", 20);
    assert!(!matches!(saddle.shown(0).status, Status::Converged { .. }), "{:?}", saddle.shown(0));
    // A real minimum still converges, as the seed shows.
    assert!(matches!(at("", 40).shown(2).status, Status::Converged { step: 7 }));
}

#[test]
fn a_local_minimum_is_called_one_with_how_far_above_the_lowest_it_is() {
    let lab = at("preset=double-well", 300);
    // Gradient descent settles in the shallow well at 1.13, 2.4 above the deep one at −1.30.
    let text = text(&lab, 0);
    assert!(text.starts_with("converged to a local minimum in "), "{text}");
    assert!(text.ends_with(", 2.4 above the lowest one"), "{text}");
    // Momentum reaches the deep one: a plain convergence.
    assert!(self::text(&lab, 1).starts_with("converged in "), "{}", self::text(&lab, 1));
    // Himmelblau's four minima are equally deep: none of them is a local one.
    let himmelblau = at("preset=himmelblau", 300);
    for panel in 0..3 {
        assert!(self::text(&himmelblau, panel).starts_with("converged in "), "{}", self::text(&himmelblau, panel));
    }
    // While on the way, the nearer minimum is the yardstick, and the text says so.
    let early = at("preset=double-well", 3);
    assert!(self::text(&early, 0).contains("of the way to the nearest minimum"), "{}", self::text(&early, 0));
}
