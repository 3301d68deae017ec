//! `window.steplab`, the JS API for embedders and tests: `state()` returns a plain object snapshot;
//! `step(k)`, `play()`, `pause()`, `reset()`, `setStart(x)`, `setSpeed(s)` and `load(query)` report intent
//! to the model (`load` returns the notices about anything in the query it could not use).

use crate::readout::caption;
use crate::with_app;
use js_sys::{Array, Object, Reflect};
use steplab_core::{status_text, Point};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Window;

fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(key), &value.into());
}

fn point(p: Point, dim: usize) -> Array {
    p[..dim].iter().map(|&c| JsValue::from_f64(c)).collect()
}

/// A snapshot of the page as a plain object.
pub fn state() -> JsValue {
    with_app(|app| {
        let lab = &app.lab;
        let scenario = lab.scenario();
        let dim = scenario.loss.dim();
        let root = Object::new();
        set(&root, "step", lab.t());
        set(&root, "playing", app.playing);
        set(&root, "speed", app.ticker.speed());
        set(&root, "loss", scenario.loss.id());
        set(&root, "start", point(scenario.start, dim));
        set(&root, "dim", dim as u32);
        set(&root, "overlay", app.overlay);
        let view = app.view();
        let window = Object::new();
        set(&window, "x", point([view.x.0, view.x.1], 2));
        set(&window, "y", point([view.y.0, view.y.1], 2));
        set(&root, "view", window);
        let panels = Array::new();
        for (i, spec) in scenario.panels.iter().enumerate() {
            let record = lab.shown(i);
            let panel = Object::new();
            set(&panel, "id", ["a", "b", "c"][i]);
            set(&panel, "title", spec.title.as_str());
            set(&panel, "optimizer", spec.optimizer.kind().id());
            set(&panel, "caption", caption(&spec.optimizer));
            let hyper = Object::new();
            for (param, value) in spec.optimizer.params() {
                set(&hyper, param.name, value);
            }
            set(&panel, "hyper", hyper);
            set(&panel, "n", record.n);
            set(&panel, "x", point(record.x, dim));
            set(&panel, "loss", record.loss);
            set(&panel, "gradient", point(record.gradient, dim));
            let accumulators = Object::new();
            for (slot, values) in spec.optimizer.kind().slots().iter().zip(record.slots) {
                set(&accumulators, slot.key, point(values, dim));
            }
            set(&panel, "accumulators", accumulators);
            set(&panel, "effective_lr", point(record.effective_lr, dim));
            set(&panel, "direction", point(record.direction, dim));
            set(&panel, "step", point(record.step, dim));
            let status = Object::new();
            set(&status, "kind", record.status.kind());
            set(&status, "step", record.status.step());
            set(&status, "text", status_text(lab.run(i), record));
            set(&panel, "status", status);
            panels.push(&panel);
        }
        set(&root, "panels", panels);
        JsValue::from(root)
    })
    .unwrap_or(JsValue::NULL)
}

/// Puts `window.steplab` in place. The closures live as long as the page.
pub fn install(window: &Window) -> Result<(), JsValue> {
    let api = Object::new();
    let add = |name: &str, f: JsValue| set(&api, name, f);
    add("state", Closure::<dyn Fn() -> JsValue>::new(state).into_js_value());
    add(
        "step",
        Closure::<dyn Fn(JsValue)>::new(|k: JsValue| {
            let k = k.as_f64().filter(|k| k.is_finite()).unwrap_or(1.0);
            with_app(|app| app.step_by(steplab_core::clamp(k, -1e9, 1e9) as i64));
        })
        .into_js_value(),
    );
    add("play", Closure::<dyn Fn()>::new(|| with_app(|app| app.set_playing(true)).unwrap_or(())).into_js_value());
    add("pause", Closure::<dyn Fn()>::new(|| with_app(|app| app.set_playing(false)).unwrap_or(())).into_js_value());
    add("reset", Closure::<dyn Fn()>::new(|| with_app(|app| app.reset()).unwrap_or(())).into_js_value());
    add(
        "setStart",
        Closure::<dyn Fn(JsValue)>::new(|x: JsValue| {
            let p = start_from_js(&x);
            if let Some(p) = p {
                with_app(|app| app.set_start(p));
            }
        })
        .into_js_value(),
    );
    add(
        "load",
        Closure::<dyn Fn(JsValue) -> JsValue>::new(|query: JsValue| {
            let link = steplab_core::link::parse_with(&query.as_string().unwrap_or_default(), &crate::fmt::read);
            let notices: Array = link.notices.iter().map(|n| JsValue::from(n.text(&crate::fmt::short))).collect();
            with_app(|app| {
                app.apply_link(link);
                app.sync_url(true);
            });
            notices.into()
        })
        .into_js_value(),
    );
    add(
        "stats",
        Closure::<dyn Fn() -> JsValue>::new(|| {
            with_app(|app| {
                let (frames, median, p95, max) = app.frame_times.summary();
                let stats = Object::new();
                set(&stats, "frames", frames as u32);
                set(&stats, "frames_total", app.frame_count as u32);
                set(&stats, "non_finite_draws", crate::pen::refused());
                set(&stats, "frame_median_ms", median);
                set(&stats, "frame_p95_ms", p95);
                set(&stats, "frame_max_ms", max);
                set(&stats, "heatmap_ms", app.surface.last_ms);
                set(&stats, "heatmap_recomputes", app.surface.recomputes);
                let (moves, median, p95, max) = app.drag_times.summary();
                set(&stats, "drag_moves", moves as u32);
                set(&stats, "drag_median_ms", median);
                set(&stats, "drag_p95_ms", p95);
                set(&stats, "drag_max_ms", max);
                JsValue::from(stats)
            })
            .unwrap_or(JsValue::NULL)
        })
        .into_js_value(),
    );
    add(
        "setSpeed",
        Closure::<dyn Fn(JsValue)>::new(|speed: JsValue| {
            if let Some(speed) = speed.as_f64() {
                with_app(|app| app.set_speed(speed));
            }
        })
        .into_js_value(),
    );
    // For the benchmark only: forgets the frame and drag times, so that stats() covers what follows.
    add(
        "_clearStats",
        Closure::<dyn Fn()>::new(|| {
            with_app(|app| app.clear_stats());
        })
        .into_js_value(),
    );
    // For the benchmark only: re-simulates the three path previews `steps` steps long (at most 10,000)
    // `rounds` times (at most 1,000) and returns the milliseconds of each round, so that the budget's
    // 3 × 1000 steps is timed in the page's own wasm. The previews are cleared again afterwards.
    add(
        "_timePreviews",
        Closure::<dyn Fn(JsValue, JsValue) -> JsValue>::new(|steps: JsValue, rounds: JsValue| {
            let steps = steps.as_f64().filter(|s| s.is_finite()).map_or(1000.0, |s| steplab_core::clamp(s, 1.0, 1e4));
            let rounds = rounds.as_f64().filter(|r| r.is_finite()).map_or(1.0, |r| steplab_core::clamp(r, 1.0, 1e3));
            with_app(|app| {
                app.time_previews(steps as usize, rounds as u32)
                    .into_iter()
                    .map(JsValue::from)
                    .collect::<Array>()
                    .into()
            })
            .unwrap_or(JsValue::NULL)
        })
        .into_js_value(),
    );
    // For the fault test only: proves that a panic shows the banner instead of freezing the page.
    add("_panicForTest", Closure::<dyn Fn()>::new(|| panic!("a test asked Step Lab to fail")).into_js_value());
    Reflect::set(window, &JsValue::from_str("steplab"), &api)?;
    Ok(())
}

/// `setStart(1.5)`, `setStart([1.5])` or `setStart([1.5, -2])`; anything else is ignored.
fn start_from_js(x: &JsValue) -> Option<Point> {
    if let Some(v) = x.as_f64() {
        return v.is_finite().then_some([v, 0.0]);
    }
    let array = x.dyn_ref::<Array>()?;
    let first = array.get(0).as_f64()?;
    let second = array.get(1).as_f64().unwrap_or(0.0);
    (first.is_finite() && second.is_finite()).then_some([first, second])
}
