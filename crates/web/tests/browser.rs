//! Runs in headless Chromium (`cargo test -p steplab-web --target wasm32-unknown-unknown`): the view
//! math, a real canvas drawn by the panel renderer, and a readout written into real elements.
#![cfg(target_arch = "wasm32")]

use steplab_core::{Lab, Scenario, View};
use steplab_web::draw;
use steplab_web::view::{grabs, Frame};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

fn frame(dpr: f64) -> Frame {
    Frame::new(View { x: (-5.0, 5.0), y: (0.0, 4.0) }, 400.0, 220.0, dpr)
}

#[wasm_bindgen_test]
fn world_and_pixels_round_trip() {
    let f = frame(2.0);
    for (x, y) in [(-5.0, 0.0), (0.0, 2.0), (3.3, 3.9), (7.0, -1.0)] {
        let (px, py) = f.to_px(x, y);
        let (bx, by) = f.to_world(px, py);
        assert!((bx - x).abs() < 1e-12 && (by - y).abs() < 1e-12);
    }
    // The window's corners land on the plot's corners, with y pointing up.
    assert_eq!(f.to_px(-5.0, 4.0), (8.0, 10.0));
    assert_eq!(f.to_px(5.0, 0.0), (392.0, 210.0));
}

#[wasm_bindgen_test]
fn the_backing_store_follows_the_device_pixel_ratio() {
    assert_eq!(frame(1.0).backing_size(), (400, 220));
    assert_eq!(frame(2.0).backing_size(), (800, 440));
    assert_eq!(frame(1.5).backing_size(), (600, 330));
    assert_eq!(frame(f64::NAN).backing_size(), (400, 220));
}

#[wasm_bindgen_test]
fn dragging_outside_the_plot_clamps_to_the_window() {
    let f = frame(1.0);
    assert_eq!(f.world_x(-50.0), -5.0);
    assert_eq!(f.world_x(1e9), 5.0);
    assert!(f.world_x(200.0).abs() < 1e-12);
}

#[wasm_bindgen_test]
fn a_fingertip_grabs_within_the_radius_only() {
    assert!(grabs(100.0, 100.0, 112.0, 109.0, 20.0));
    assert!(!grabs(100.0, 100.0, 121.0, 100.0, 20.0));
}

/// Alpha of the device pixel under a CSS-pixel position.
fn alpha_at(ctx: &CanvasRenderingContext2d, frame: &Frame, (px, py): (f64, f64)) -> u8 {
    let data = ctx.get_image_data((px * frame.dpr).round(), (py * frame.dpr).round(), 1.0, 1.0).unwrap().data();
    data[3]
}

#[wasm_bindgen_test]
fn the_panel_draws_the_ball_where_the_model_says() {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document.create_element("canvas").unwrap().dyn_into().unwrap();
    let lab = Lab::new(Scenario::seed());
    let loss = &lab.scenario().loss;
    let frame = Frame::new(loss.default_view(), 300.0, 200.0, 2.0);
    let (w, h) = frame.backing_size();
    canvas.set_width(w);
    canvas.set_height(h);
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let scene = draw::Scene { lab: &lab, palette: &draw::LIGHT, glide: 0.0, previews: &[] };
    draw::panel(&ctx, &frame, &scene, 0);
    let x = lab.shown(0).x[0];
    let ball = frame.to_px(x, loss.value([x, 0.0]));
    assert_eq!(alpha_at(&ctx, &frame, ball), 255, "the ball is painted");
    // A point above the curve, far from everything, stays empty.
    assert_eq!(alpha_at(&ctx, &frame, frame.to_px(-2.5, 3.5)), 0);
}

#[wasm_bindgen_test]
fn a_readout_is_built_once_per_shape_and_then_only_its_numbers_change() {
    use steplab_web::readout::Readout;
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    let mut readout = Readout::new(div.clone());
    let mut lab = Lab::new(Scenario::seed());
    lab.seek(2);
    readout.show(&lab, 0);
    let n = div.query_selector("dd").unwrap().unwrap();
    assert_eq!(n.text_content().unwrap(), "2");
    let numbers = div.query_selector_all("mn").unwrap().length();
    assert!(numbers >= 5, "the equation carries its numbers");
    let before = div.text_content().unwrap();
    // The parentheses around the update's direction, shown only while it is negative.
    let parentheses = |div: &web_sys::Element| {
        let found = div.query_selector_all("mo[data-v]").unwrap();
        (0..found.length()).filter(|&i| found.item(i).unwrap().text_content().unwrap() == "(").count()
    };
    let opened_before = parentheses(&div);
    // The bouncing panel's direction changes sign from step to step: the parentheses come and go, the
    // elements stay.
    lab.seek(3);
    readout.show(&lab, 0);
    assert!(div.query_selector("dd").unwrap().unwrap().is_same_node(Some(&n)), "written in place, not rebuilt");
    assert_eq!(n.text_content().unwrap(), "3");
    assert_ne!(div.text_content().unwrap(), before);
    assert_ne!(parentheses(&div), opened_before, "a sign change shows or hides the parentheses");
    // Another optimizer is another shape: built again, with its own accumulators.
    let mut scenario = Scenario::seed();
    scenario.panels[0].optimizer = steplab_core::Optimizer::new(steplab_core::OptimizerKind::Adam);
    let adam = Lab::new(scenario);
    readout.show(&adam, 0);
    assert!(!div.query_selector("dd").unwrap().unwrap().is_same_node(Some(&n)), "rebuilt for the new shape");
    assert!(div.text_content().unwrap().contains("v"), "Adam's second moment is listed");
}
