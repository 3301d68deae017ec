//! `window.steplab`, the JS API for embedders and tests (declared for TypeScript in www/steplab.d.ts):
//! `state()` returns a serialized [`State`]; `step(k)`, `play()`, `pause()`, `reset()`, `setStart(x)`,
//! `setSpeed(s)` and `load(link)` hand intents to the session (`load` returns the notices about anything
//! in the link it could not use); `stats()` returns the page's own measurements. The benchmark's and the
//! fault test's hooks are added only when the harness asks for them first (`window.steplabTestHooks`).

use crate::app::{intend, peek, with_app};
use crate::session::{Intent, Session};
use crate::text::caption;
use steplab_core::link::{self, percent_encode, PANEL_KEYS};
use steplab_core::Point;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Window;

/// A snapshot of the page, as `state()` returns it. Vectors have one entry per coordinate of the loss.
#[derive(Debug, PartialEq)]
pub struct State {
    pub step: u32,
    pub playing: bool,
    pub speed: f64,
    pub loss: String,
    pub start: Vec<f64>,
    pub dim: u32,
    pub view: Window2,
    pub overlay: bool,
    /// The gradients' noise: σ (0: none) and its seed; with noise, how many seeds the ensemble runs.
    pub noise: NoiseState,
    /// The learning-rate sweep's horizon (steps) and range.
    pub sweep: SweepState,
    /// `triptych` or `sparse`.
    pub lab: &'static str,
    /// The sparse-feature lab at the shown example (`null` in the triptych).
    pub sparse: Option<SparseState>,
    pub panels: Vec<PanelState>,
}

/// The sparse lab: its data at the shown example and each panel's weights and what its optimizer keeps,
/// one entry per feature.
#[derive(Debug, PartialEq)]
pub struct SparseState {
    pub example: u32,
    pub features: usize,
    /// The index (from 0) of the rarest feature.
    pub rare: usize,
    pub shares: Vec<f64>,
    pub true_weights: Vec<f64>,
    pub panels: Vec<SparsePanelState>,
}

#[derive(Debug, PartialEq)]
pub struct SparsePanelState {
    pub w: Vec<f64>,
    pub seen: Vec<u32>,
    pub accumulator: Vec<f64>,
    pub effective_lr: Vec<f64>,
    /// The loss on the shown example.
    pub loss: f64,
    /// How far the rare weight has come toward its true value (1: there).
    pub rare_progress: Option<f64>,
    pub diverged: bool,
}

#[derive(Debug, PartialEq)]
pub struct NoiseState {
    pub sigma: f64,
    pub seed: u32,
    pub runs: u32,
}

#[derive(Debug, PartialEq)]
pub struct SweepState {
    pub horizon: u32,
    pub from: f64,
    pub to: f64,
}

/// A panel's learning-rate sweep: the rates that work (the widest run of them, `null` if none), their
/// width in decades, and where the panel's own rate lands.
#[derive(Debug, PartialEq)]
pub struct PanelSweep {
    pub band: Option<[f64; 2]>,
    pub band_decades: f64,
    pub lr: f64,
    /// `left` (with `share`, the share of the loss left after the horizon), `diverged` or `undefined`.
    pub result: &'static str,
    pub share: Option<f64>,
}

/// The window shown: `x` and `y` ranges.
#[derive(Debug, PartialEq)]
pub struct Window2 {
    pub x: [f64; 2],
    pub y: [f64; 2],
}

#[derive(Debug, PartialEq)]
pub struct PanelState {
    pub id: &'static str,
    pub title: String,
    pub optimizer: &'static str,
    pub caption: String,
    /// Hyperparameters by name, in the optimizer's order.
    pub hyper: Named<f64>,
    pub n: u32,
    pub x: Vec<f64>,
    /// `null` where the loss (or, below, the gradient, the rate, the step) is not defined: a start where
    /// the function has no value or no slope. Never an invented 0.
    pub loss: Option<f64>,
    pub gradient: Vec<Option<f64>>,
    /// The gradient the optimizer used: `gradient` plus the noise (the same without noise).
    pub used_gradient: Vec<Option<f64>>,
    /// The optimizer's accumulators by name (`sum_sq_grad`, `velocity`, `m`, …).
    pub accumulators: Named<Vec<f64>>,
    pub effective_lr: Vec<Option<f64>>,
    pub direction: Vec<Option<f64>>,
    pub step: Vec<Option<f64>>,
    pub status: StatusState,
    pub sweep: Option<PanelSweep>,
}

#[derive(Debug, PartialEq)]
pub struct StatusState {
    pub kind: &'static str,
    pub step: u32,
    pub text: String,
}

/// Name–value pairs, handed to JS as an object whose keys keep this order.
#[derive(Debug, PartialEq)]
pub struct Named<T>(pub Vec<(&'static str, T)>);

/// A value as the plain JS value `state()` and `stats()` hand out: numbers, strings, `true`/`false`,
/// `null` for `None`, arrays, and objects whose keys keep the fields' order (as the README promises).
/// Written here rather than derived with serde and serde-wasm-bindgen: the same objects for 3.8 KB less
/// of the page's gzipped wasm (docs/PERFORMANCE.md). Each struct's impl takes it apart with a pattern that
/// names every field, so that a field added later cannot be left out of its object without a compile error.
pub trait ToJs {
    fn to_js(&self) -> JsValue;
}

impl ToJs for f64 {
    fn to_js(&self) -> JsValue {
        JsValue::from_f64(*self)
    }
}

impl ToJs for u32 {
    fn to_js(&self) -> JsValue {
        JsValue::from_f64(f64::from(*self))
    }
}

impl ToJs for usize {
    fn to_js(&self) -> JsValue {
        JsValue::from_f64(*self as f64)
    }
}

impl ToJs for bool {
    fn to_js(&self) -> JsValue {
        JsValue::from_bool(*self)
    }
}

impl ToJs for String {
    fn to_js(&self) -> JsValue {
        JsValue::from_str(self)
    }
}

impl ToJs for &'static str {
    fn to_js(&self) -> JsValue {
        JsValue::from_str(self)
    }
}

impl<T: ToJs> ToJs for Option<T> {
    fn to_js(&self) -> JsValue {
        self.as_ref().map_or(JsValue::NULL, T::to_js)
    }
}

impl<T: ToJs> ToJs for [T] {
    fn to_js(&self) -> JsValue {
        self.iter().map(T::to_js).collect::<js_sys::Array>().into()
    }
}

impl<T: ToJs> ToJs for Vec<T> {
    fn to_js(&self) -> JsValue {
        self.as_slice().to_js()
    }
}

impl ToJs for [f64; 2] {
    fn to_js(&self) -> JsValue {
        self.as_slice().to_js()
    }
}

impl<T: ToJs> ToJs for Named<T> {
    fn to_js(&self) -> JsValue {
        let fields: Vec<(&str, &dyn ToJs)> = self.0.iter().map(|(name, value)| (*name, value as &dyn ToJs)).collect();
        object(&fields)
    }
}

/// A plain object with these fields, in this order.
fn object(fields: &[(&str, &dyn ToJs)]) -> JsValue {
    let object = js_sys::Object::new();
    for (name, value) in fields {
        // Setting a property on a fresh plain object cannot fail.
        js_sys::Reflect::set(&object, &JsValue::from_str(name), &value.to_js()).ok();
    }
    object.into()
}

impl ToJs for State {
    fn to_js(&self) -> JsValue {
        let State { step, playing, speed, loss, start, dim, view, overlay, noise, sweep, lab, sparse, panels } = self;
        object(&[
            ("step", step),
            ("playing", playing),
            ("speed", speed),
            ("loss", loss),
            ("start", start),
            ("dim", dim),
            ("view", view),
            ("overlay", overlay),
            ("noise", noise),
            ("sweep", sweep),
            ("lab", lab),
            ("sparse", sparse),
            ("panels", panels),
        ])
    }
}

impl ToJs for SparseState {
    fn to_js(&self) -> JsValue {
        let SparseState { example, features, rare, shares, true_weights, panels } = self;
        object(&[
            ("example", example),
            ("features", features),
            ("rare", rare),
            ("shares", shares),
            ("true_weights", true_weights),
            ("panels", panels),
        ])
    }
}

impl ToJs for SparsePanelState {
    fn to_js(&self) -> JsValue {
        let SparsePanelState { w, seen, accumulator, effective_lr, loss, rare_progress, diverged } = self;
        object(&[
            ("w", w),
            ("seen", seen),
            ("accumulator", accumulator),
            ("effective_lr", effective_lr),
            ("loss", loss),
            ("rare_progress", rare_progress),
            ("diverged", diverged),
        ])
    }
}

impl ToJs for NoiseState {
    fn to_js(&self) -> JsValue {
        let NoiseState { sigma, seed, runs } = self;
        object(&[("sigma", sigma), ("seed", seed), ("runs", runs)])
    }
}

impl ToJs for SweepState {
    fn to_js(&self) -> JsValue {
        let SweepState { horizon, from, to } = self;
        object(&[("horizon", horizon), ("from", from), ("to", to)])
    }
}

impl ToJs for PanelSweep {
    fn to_js(&self) -> JsValue {
        let PanelSweep { band, band_decades, lr, result, share } = self;
        object(&[("band", band), ("band_decades", band_decades), ("lr", lr), ("result", result), ("share", share)])
    }
}

impl ToJs for Window2 {
    fn to_js(&self) -> JsValue {
        let Window2 { x, y } = self;
        object(&[("x", x), ("y", y)])
    }
}

impl ToJs for PanelState {
    fn to_js(&self) -> JsValue {
        let PanelState {
            id,
            title,
            optimizer,
            caption,
            hyper,
            n,
            x,
            loss,
            gradient,
            used_gradient,
            accumulators,
            effective_lr,
            direction,
            step,
            status,
            sweep,
        } = self;
        object(&[
            ("id", id),
            ("title", title),
            ("optimizer", optimizer),
            ("caption", caption),
            ("hyper", hyper),
            ("n", n),
            ("x", x),
            ("loss", loss),
            ("gradient", gradient),
            ("used_gradient", used_gradient),
            ("accumulators", accumulators),
            ("effective_lr", effective_lr),
            ("direction", direction),
            ("step", step),
            ("status", status),
            ("sweep", sweep),
        ])
    }
}

impl ToJs for StatusState {
    fn to_js(&self) -> JsValue {
        let StatusState { kind, step, text } = self;
        object(&[("kind", kind), ("step", step), ("text", text)])
    }
}

fn coords(p: Point, dim: usize) -> Vec<f64> {
    p[..dim].to_vec()
}

/// A number, or `None` (`null` in JS) where it is not defined.
fn defined(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

fn defined_coords(p: Point, dim: usize) -> Vec<Option<f64>> {
    p[..dim].iter().map(|&c| defined(c)).collect()
}

/// The snapshot `state()` returns.
pub fn state_of(session: &Session) -> State {
    let lab = session.lab();
    let scenario = lab.scenario();
    let dim = scenario.loss.dim();
    let view = session.view();
    let panels = scenario
        .panels
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let record = lab.shown(i);
            let kind = spec.optimizer.kind();
            PanelState {
                id: PANEL_KEYS[i],
                title: crate::text::title(spec),
                optimizer: kind.id(),
                caption: caption(spec),
                hyper: Named(spec.optimizer.params().map(|(param, value)| (param.name, value)).collect()),
                n: record.n,
                x: coords(record.x, dim),
                loss: defined(record.loss),
                gradient: defined_coords(record.gradient, dim),
                used_gradient: defined_coords(record.used_gradient, dim),
                accumulators: Named(
                    kind.slots().iter().zip(record.slots).map(|(s, v)| (s.key, coords(v, dim))).collect(),
                ),
                effective_lr: defined_coords(record.effective_lr, dim),
                direction: defined_coords(record.direction, dim),
                step: defined_coords(record.step, dim),
                status: StatusState {
                    kind: record.status.kind(),
                    step: record.status.step(),
                    text: crate::text::status(lab, i),
                },
                sweep: sweep_of(session, i),
            }
        })
        .collect();
    State {
        step: lab.t(),
        playing: session.playing(),
        speed: session.speed(),
        loss: scenario.loss.id(),
        start: coords(scenario.start, dim),
        dim: dim as u32,
        view: Window2 { x: [view.x.0, view.x.1], y: [view.y.0, view.y.1] },
        overlay: session.overlay(),
        noise: NoiseState { sigma: scenario.noise.sigma, seed: scenario.noise.seed, runs: scenario.runs },
        sweep: SweepState { horizon: scenario.sweep.horizon, from: scenario.sweep.from, to: scenario.sweep.to },
        lab: if session.sparse().is_some() { "sparse" } else { "triptych" },
        sparse: session.sparse().map(sparse_state),
        panels,
    }
}

fn sparse_state(lab: &steplab_core::sparse::SparseLab) -> SparseState {
    let data = lab.data();
    let features = data.features;
    let example = lab.t();
    let truth = data.weights_at(example);
    SparseState {
        example,
        features,
        rare: data.rarest(example),
        shares: (0..features).map(|i| data.at(i, example).0).collect(),
        true_weights: truth[..features].to_vec(),
        panels: (0..3)
            .map(|panel| {
                let record = lab.shown(panel);
                SparsePanelState {
                    w: record.w[..features].to_vec(),
                    seen: record.seen[..features].to_vec(),
                    accumulator: record.slots[0][..features].to_vec(),
                    effective_lr: record.effective_lr[..features].to_vec(),
                    loss: record.loss,
                    rare_progress: lab.run(panel).progress(data.rarest(example), record.n),
                    diverged: record.diverged,
                }
            })
            .collect(),
    }
}

fn sweep_of(session: &Session, panel: usize) -> Option<PanelSweep> {
    use steplab_core::sweep::Outcome;
    let curve = session.sweep_curve(panel)?;
    let (lr, outcome) = session.sweep_dot(panel)?;
    let spec = session.lab().scenario().sweep;
    let (result, share) = match outcome {
        Outcome::Left(share) => ("left", Some(share)),
        Outcome::Diverged(_) => ("diverged", None),
        Outcome::Undefined => ("undefined", None),
    };
    Some(PanelSweep {
        band: curve.band().map(|(first, last)| [curve.rates[first], curve.rates[last]]),
        band_decades: curve.band_decades(&spec),
        lr,
        result,
        share,
    })
}

/// A value of a link key given in an object, as the link's text: a string as it is, a number in its
/// shortest form, a flag as 1 or 0, a list of numbers joined by commas (`x0: [1, 2]`); `None` otherwise.
/// (Read with js-sys rather than serde's Deserialize, whose error messages would bring Rust's float
/// formatting into the wasm: see docs/ARCHITECTURE.md.)
fn link_value(value: &JsValue) -> Option<LinkValue> {
    if let Some(text) = value.as_string() {
        return Some(LinkValue(text));
    }
    if let Some(number) = value.as_f64() {
        return Some(LinkValue(crate::fmt::short(number)));
    }
    if let Some(flag) = value.as_bool() {
        return Some(LinkValue(if flag { "1" } else { "0" }.to_owned()));
    }
    let list = value.dyn_ref::<js_sys::Array>()?;
    let parts: Option<Vec<String>> = list.iter().map(|item| link_value(&item).map(|v| v.0)).collect();
    Some(LinkValue(parts?.join(",")))
}

/// A link key's value, as text.
#[derive(Debug, PartialEq)]
struct LinkValue(String);

/// The query an object with link keys stands for (`{ preset: "bounce", x0: 2 }` → `preset=bounce&x0=2`).
fn query_of(keys: Vec<(String, LinkValue)>) -> String {
    keys.iter()
        .map(|(key, value)| format!("{}={}", percent_encode(key), percent_encode(&value.0)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `load(query)` or `load({ key: value, … })`: what the link could not use, as sentences.
fn load(link: JsValue) -> JsValue {
    let query = match link.as_string() {
        Some(query) => query,
        None if link.is_object() && !link.is_array() => {
            let mut keys = Vec::new();
            for entry in js_sys::Object::entries(link.unchecked_ref()).iter() {
                let entry: js_sys::Array = entry.unchecked_into();
                let (Some(key), Some(value)) = (entry.get(0).as_string(), link_value(&entry.get(1))) else {
                    return vec![format!(
                        "load(): the value of “{}” is not text, a number, true or false, or a list of numbers.",
                        entry.get(0).as_string().unwrap_or_default()
                    )]
                    .into();
                };
                keys.push((key, value));
            }
            query_of(keys)
        }
        None => return vec!["load() takes a link's query or an object of its keys.".to_owned()].into(),
    };
    let parsed = link::parse_with(&query, &crate::fmt::read);
    let notices: Vec<String> = parsed.notices.iter().map(|n| n.text(&crate::fmt::short)).collect();
    intend(Intent::Load(Box::new(parsed)));
    notices.into()
}

/// What `stats()` returns (see the README).
fn stats() -> JsValue {
    peek(|app| {
        let (frames, frame_median_ms, frame_p95_ms, frame_max_ms) = app.stats.frames.summary();
        let (drag_moves, drag_median_ms, drag_p95_ms, drag_max_ms) = app.stats.drags.summary();
        let (heatmap_ms, heatmap_recomputes) = app.views.heatmap_stats();
        object(&[
            ("frames", &(frames as u32)),
            ("frames_total", &(app.stats.frame_count as u32)),
            ("frame_median_ms", &frame_median_ms),
            ("frame_p95_ms", &frame_p95_ms),
            ("frame_max_ms", &frame_max_ms),
            ("drag_moves", &(drag_moves as u32)),
            ("drag_median_ms", &drag_median_ms),
            ("drag_p95_ms", &drag_p95_ms),
            ("drag_max_ms", &drag_max_ms),
            ("heatmap_ms", &heatmap_ms),
            ("heatmap_recomputes", &heatmap_recomputes),
            ("sweep_recomputes", &app.session.sweeps_computed()),
            ("non_finite_draws", &crate::pen::refused()),
        ])
    })
    .unwrap_or(JsValue::NULL)
}

/// `setStart(1.5)`, `setStart([1.5])` or `setStart([1.5, -2])`; anything else is ignored.
fn start_from_js(x: &JsValue) -> Option<Point> {
    if let Some(v) = x.as_f64() {
        return v.is_finite().then_some([v, 0.0]);
    }
    let array = x.dyn_ref::<js_sys::Array>()?;
    let first = array.get(0).as_f64()?;
    let second = array.get(1).as_f64().unwrap_or(0.0);
    (first.is_finite() && second.is_finite()).then_some([first, second])
}

/// A finite number from JS, limited to `min..=max`; `default` otherwise.
fn number(value: &JsValue, default: f64, min: f64, max: f64) -> f64 {
    value.as_f64().filter(|v| v.is_finite()).map_or(default, |v| steplab_core::clamp(v, min, max))
}

/// Puts `window.steplab` in place. Its closures are handed to JS (`into_js_value`), which keeps them as
/// long as the page keeps the object.
pub fn install(window: &Window) -> Result<(), JsValue> {
    let api = js_sys::Object::new();
    let add = |name: &str, f: JsValue| js_sys::Reflect::set(&api, &name.into(), &f).map(|_| ());
    let action = |intent: Intent| Closure::<dyn Fn()>::new(move || intend(intent.clone())).into_js_value();
    add(
        "state",
        Closure::<dyn Fn() -> JsValue>::new(|| peek(|app| state_of(&app.session).to_js()).unwrap_or(JsValue::NULL))
            .into_js_value(),
    )?;
    add(
        "step",
        Closure::<dyn Fn(JsValue)>::new(|k: JsValue| intend(Intent::Step(number(&k, 1.0, -1e9, 1e9) as i64)))
            .into_js_value(),
    )?;
    add("play", action(Intent::Play))?;
    add("pause", action(Intent::Pause))?;
    add("reset", action(Intent::Reset))?;
    add(
        "setStart",
        Closure::<dyn Fn(JsValue)>::new(|x: JsValue| {
            if let Some(start) = start_from_js(&x) {
                intend(Intent::MoveStart(start));
            }
        })
        .into_js_value(),
    )?;
    add(
        "setSpeed",
        Closure::<dyn Fn(JsValue)>::new(|speed: JsValue| {
            if let Some(speed) = speed.as_f64() {
                intend(Intent::SetSpeed(speed));
            }
        })
        .into_js_value(),
    )?;
    add("load", Closure::<dyn Fn(JsValue) -> JsValue>::new(load).into_js_value())?;
    add("stats", Closure::<dyn Fn() -> JsValue>::new(stats).into_js_value())?;
    let hooks = js_sys::Reflect::get(window, &"steplabTestHooks".into()).ok().and_then(|v| v.as_bool());
    if hooks == Some(true) {
        install_test_hooks(&api)?;
    }
    js_sys::Reflect::set(window, &"steplab".into(), &api)?;
    Ok(())
}

/// For `cargo xtask bench` and the test suite only, which set `window.steplabTestHooks = true` before
/// the page loads: `_clearStats()`, `_timePreviews(steps, rounds)`, `_timeSweep(rounds)` and `_panicForTest()`.
fn install_test_hooks(api: &js_sys::Object) -> Result<(), JsValue> {
    let add = |name: &str, f: JsValue| js_sys::Reflect::set(api, &name.into(), &f).map(|_| ());
    // Forgets the frame and drag times, so that stats() covers what follows.
    add(
        "_clearStats",
        Closure::<dyn Fn()>::new(|| {
            with_app(|app| {
                app.stats.frames.clear();
                app.stats.drags.clear();
            });
        })
        .into_js_value(),
    )?;
    // Re-simulates the three path previews `steps` steps long (at most 10,000) `rounds` times (at most
    // 1,000) and returns the milliseconds of each round, so that the budget's 3 × 1000 steps is timed in
    // the page's own wasm. The previews are cleared again afterwards.
    add(
        "_timePreviews",
        Closure::<dyn Fn(JsValue, JsValue) -> JsValue>::new(|steps: JsValue, rounds: JsValue| {
            let steps = number(&steps, 1000.0, 1.0, 1e4) as usize;
            let rounds = number(&rounds, 1.0, 1.0, 1e3) as u32;
            with_app(|app| JsValue::from(app.session.time_previews(steps, rounds, crate::stats::now_ms)))
                .unwrap_or(JsValue::NULL)
        })
        .into_js_value(),
    )?;
    // Computes the three learning-rate sweeps from scratch `rounds` times (at most 100) and returns the
    // milliseconds of each round.
    add(
        "_timeSweep",
        Closure::<dyn Fn(JsValue) -> JsValue>::new(|rounds: JsValue| {
            let rounds = number(&rounds, 1.0, 1.0, 100.0) as u32;
            with_app(|app| JsValue::from(app.session.time_sweeps(rounds, crate::stats::now_ms)))
                .unwrap_or(JsValue::NULL)
        })
        .into_js_value(),
    )?;
    // Proves that a panic shows the banner instead of freezing the page.
    add("_panicForTest", Closure::<dyn Fn()>::new(|| panic!("a test asked Step Lab to fail")).into_js_value())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_has_every_field_the_readme_lists_in_the_optimizers_order() {
        let (mut session, _) =
            Session::new(link::parse_with("preset=ellipse&a=rmsprop&t=3", &crate::fmt::read), false, false);
        session.apply(Intent::Step(1));
        let state = state_of(&session);
        assert_eq!((state.step, state.playing, state.dim, state.loss.as_str()), (4, false, 2, "ellipse"));
        assert_eq!(state.start, [-5.0, -2.0]);
        assert_eq!(state.view, Window2 { x: [-6.0, 6.0], y: [-3.0, 3.0] });
        let a = &state.panels[0];
        assert_eq!((a.id, a.optimizer, a.n), ("a", "rmsprop", 4));
        let names: Vec<&str> = a.hyper.0.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, ["lr", "decay", "eps", "eps_in_sqrt"]);
        assert_eq!(a.accumulators.0[0].0, "mean_sq_grad");
        assert_eq!(a.x.len(), 2);
        assert_eq!(state.panels[2].accumulators.0[0].0, "sum_sq_grad");
        assert_eq!(state.panels[2].status.kind, "running");
    }

    #[test]
    fn what_is_not_defined_is_null_not_zero() {
        let (session, _) = Session::new(link::parse_with("loss=expr:sqrt(x)&x0=0", &crate::fmt::read), false, false);
        let panel = &state_of(&session).panels[0];
        assert_eq!(panel.loss, Some(0.0), "the loss is defined there");
        assert_eq!(panel.gradient, [None]);
        assert_eq!((panel.effective_lr.clone(), panel.step.clone()), (vec![None], vec![None]));
        assert_eq!(panel.status.kind, "undefined");
        assert_eq!(panel.status.text, "cannot start: the gradient is not defined at x = 0 (the loss is 0 there)");
    }

    #[test]
    fn an_object_of_link_keys_is_the_same_link_as_its_query() {
        let keys: Vec<(String, LinkValue)> = [
            ("preset", "bounce"),
            ("x0", "2,1"),
            ("ta", "Slow & steady"),
            ("loss", "expr:x^2+y^2"),
            ("a", "adagrad:lr=1.5,eps=0"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), LinkValue(v.to_owned())))
        .collect();
        let parsed = link::parse_with(&query_of(keys), &crate::fmt::read);
        assert!(parsed.notices.is_empty(), "{:?}", parsed.notices);
        assert_eq!(crate::text::title(&parsed.scenario.panels[0]), "Slow & steady");
        assert_eq!(parsed.scenario.loss.id(), "expr:x^2+y^2");
        assert_eq!(parsed.scenario.start, [2.0, 1.0]);
        assert_eq!(parsed.scenario.panels[0].optimizer.get("eps"), Some(0.0));
    }
}
