//! Losses typed as text: they run like the built-in ones (same numbers for the same function), show a
//! sensible window, travel in links, and a run that steps where the function is not defined diverges
//! with a reason instead of producing NaN.

use steplab_core::link::{self, NoticeKind};
use steplab_core::num::print as rust_fmt;
use steplab_core::run::{DivergeReason, Quantity};
use steplab_core::{Lab, Loss, Optimizer, OptimizerKind, Run, Status};

fn parsed(query: &str) -> link::Link {
    let link = link::parse(query);
    assert!(link.notices.is_empty(), "{query}: {:?}", link.notices);
    link
}

#[test]
fn a_typed_function_runs_exactly_like_the_built_in_one() {
    for (text, builtin) in
        [("x^2", Loss::Quadratic), ("sqrt(1+x^2)-1", Loss::SmoothAbs), ("0.1*x^2+2*y^2", Loss::Ellipse)]
    {
        let typed = parsed(&format!("loss=expr:{text}")).scenario.loss;
        let adagrad = Optimizer::new(OptimizerKind::Adagrad).with("lr", 0.8).unwrap();
        let start = if builtin.dim() == 2 { [-5.0, -2.0] } else { [4.0, 0.0] };
        let mut a = Run::new(typed, adagrad, start);
        let mut b = Run::new(builtin, adagrad, start);
        a.advance_to(100);
        b.advance_to(100);
        for (ra, rb) in a.history().zip(b.history()) {
            for i in 0..2 {
                assert!((ra.x[i] - rb.x[i]).abs() <= 1e-12 * (1.0 + rb.x[i].abs()), "{text}: {ra:?} vs {rb:?}");
            }
        }
    }
}

#[test]
fn stepping_where_the_function_is_undefined_is_a_divergence_not_a_nan() {
    // log(x) from 0.5 with a rate of 1: x₁ = 0.5 − 1/0.5 = −1.5, where log is not a number.
    let mut lab = Lab::new(parsed("loss=expr:log(x)&x0=0.5&a=sgd:lr=1").scenario);
    lab.seek(10);
    let record = lab.shown(0);
    assert_eq!(record.status, Status::Diverged { step: 1, reason: DivergeReason::Undefined(Quantity::Loss) });
    assert_eq!(record.x, [0.5, 0.0]);
    // −1/x has slope 1 at x = 1: a rate of 1 steps exactly onto the pole at 0.
    let mut lab = Lab::new(parsed("loss=expr:-1/x&x0=1&a=sgd:lr=1").scenario);
    lab.seek(5);
    assert_eq!(lab.shown(0).status, Status::Diverged { step: 1, reason: DivergeReason::Undefined(Quantity::Loss) });
}

#[test]
fn a_typed_function_gets_a_window_that_shows_its_shape() {
    let curve = parsed("loss=expr:x^4-3*x^2").scenario;
    let view = curve.view();
    assert_eq!(view.x, (-5.0, 5.0));
    // Its minimum (−2.25) and the values of the middle of the range are inside; a pole does not flatten it.
    assert!(view.y.0 < -2.25 && view.y.1 > 0.0);
    let pole = parsed("loss=expr:1/x^2").scenario;
    assert!(pole.view().y.1 < 1e3, "{:?}", pole.view());
    let surface = parsed("loss=expr:x^2+y^2").scenario;
    assert_eq!(surface.loss.dim(), 2);
    assert_eq!(surface.view().y, (-5.0, 5.0));
    assert!(surface.start[0] < 0.0 && surface.start[1] > 0.0);
}

#[test]
fn a_start_in_a_link_is_honoured_by_growing_the_typed_functions_window() {
    // The automatic window is ±5; the author asked for 10, so the window grows instead of moving the start.
    let link = parsed("loss=expr:x*cos(0.15*pi*x)&x0=10");
    assert_eq!(link.scenario.start, [10.0, 0.0]);
    let view = link.scenario.view();
    assert!(view.x.0 <= -10.0 && view.x.1 >= 11.0, "{view:?}");
    // The curve's values over the wider window are in view: x·cos(0.15πx) reaches about ±10 there.
    assert!(view.y.0 < -8.0 && view.y.1 > 8.0, "{view:?}");
    let again = link::parse(&link.to_query(&rust_fmt));
    assert!(again.notices.is_empty(), "{:?}", again.notices);
    assert_eq!(again.scenario, link.scenario);
    // In 2-D each coordinate gets the room it needs; a start inside the usual window changes nothing.
    let surface = parsed("loss=expr:x^2+y^2&x0=-3,40");
    assert_eq!(surface.scenario.start, [-3.0, 40.0]);
    assert_eq!(surface.scenario.view().x, (-5.0, 5.0));
    assert!(surface.scenario.view().y.1 >= 44.0);
    assert_eq!(parsed("loss=expr:x^2&x0=4").scenario.view, None);
    // Past the divergence bound it is clamped, and says so.
    let far = link::parse("loss=expr:x^2&x0=5e7");
    assert_eq!(far.scenario.start[0], 1e6);
    assert!(far.notices.iter().any(|n| n.key == "x0"), "{:?}", far.notices);
}

#[test]
fn typed_functions_and_windows_travel_in_links() {
    // A hand-written `+` in the expression is a plus (elsewhere in a query it would be a space).
    let link = parsed("loss=expr:sin(x)+x^2/10&view=-8,8,-1,8&x0=6&a=sgd:lr=0.3");
    assert_eq!(link.scenario.loss.formula(), "f(x) = sin(x)+x^2/10");
    assert_eq!(link.scenario.start, [6.0, 0.0]);
    let again = link::parse(&link.to_query(&rust_fmt));
    assert!(again.notices.is_empty(), "{:?}", again.notices);
    assert_eq!(again.scenario, link.scenario);
}

#[test]
fn a_bad_expression_in_a_link_falls_back_and_says_where() {
    let link = link::parse("loss=expr:sin(x))&x0=1");
    assert_eq!(link.scenario.loss, Loss::SmoothAbs);
    let notice = link.notices.iter().find(|n| n.key == "loss").expect("a notice about the loss");
    assert!(
        matches!(&notice.kind, NoticeKind::BadExpression { message, .. } if message.contains("at column 7")),
        "{notice:?}"
    );
    let view = link::parse("view=3,1,0,1");
    assert!(view.notices.iter().any(|n| n.key == "view"));
    assert_eq!(view.scenario.view, None);
}
