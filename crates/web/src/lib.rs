//! Step Lab in the browser. This crate is thin: it finds the page's elements, draws the model of
//! `steplab-core` on canvases, turns input into intent, runs the animation loop and offers the JS API
//! (`window.steplab`). No math that belongs in core lives here.

pub mod api;
pub mod draw;
pub mod view;

use std::cell::RefCell;
use std::rc::Rc;
use steplab_core::{status_text, Lab, Scenario, Ticker};
use view::Frame;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Document, Element, HtmlCanvasElement, Window};

/// The ball glides over this fraction of a step's interval, then rests (ease-out).
const GLIDE_SHARE: f64 = 0.8;

/// One panel's elements and its current canvas geometry.
struct PanelView {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    caption: Element,
    badge: Element,
    frame: Frame,
}

/// Everything the page holds: the model, the clock, and the elements it writes to.
pub struct App {
    lab: Lab,
    ticker: Ticker,
    playing: bool,
    last_frame: Option<f64>,
    reduced_motion: bool,
    dark: bool,
    panels: Vec<PanelView>,
    play_button: Option<Element>,
    step_label: Option<Element>,
    /// Something changed since the last draw.
    dirty: bool,
    /// The badge texts last written, to touch the DOM only when they change.
    badges: Vec<String>,
}

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
}

/// Runs `f` on the app if the page has one and nobody else is using it (never panics on re-entry).
pub(crate) fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    APP.with(|cell| cell.try_borrow_mut().ok().and_then(|mut app| app.as_mut().map(f)))
}

#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    // Inside wasm-bindgen tests there is no Step Lab page: nothing to start.
    if document.get_element_by_id("steplab").is_none() {
        return Ok(());
    }
    let app = App::new(&window, &document)?;
    APP.with(|cell| *cell.borrow_mut() = Some(app));
    api::install(&window)?;
    wire_controls(&document)?;
    start_loop(&window)?;
    Ok(())
}

fn matches_media(window: &Window, query: &str) -> bool {
    window.match_media(query).ok().flatten().is_some_and(|m| m.matches())
}

impl App {
    fn new(window: &Window, document: &Document) -> Result<App, JsValue> {
        let mut panels = Vec::new();
        for i in 0..3 {
            let root =
                document.query_selector(&format!("[data-panel=\"{i}\"]"))?.ok_or("the page lacks a panel element")?;
            let canvas: HtmlCanvasElement = root.query_selector("canvas")?.ok_or("panel without canvas")?.dyn_into()?;
            let ctx: CanvasRenderingContext2d = canvas.get_context("2d")?.ok_or("no 2d context")?.dyn_into()?;
            let caption = root.query_selector(".caption")?.ok_or("panel without caption")?;
            let badge = root.query_selector(".badge")?.ok_or("panel without badge")?;
            let frame = Frame::new(steplab_core::Loss::SmoothAbs.default_view(), 1.0, 1.0, 1.0);
            panels.push(PanelView { canvas, ctx, caption, badge, frame });
        }
        let reduced_motion = matches_media(window, "(prefers-reduced-motion: reduce)");
        let mut app = App {
            lab: Lab::new(Scenario::seed()),
            ticker: Ticker::new(8.0),
            playing: !reduced_motion,
            last_frame: None,
            reduced_motion,
            dark: matches_media(window, "(prefers-color-scheme: dark)"),
            panels,
            play_button: document.get_element_by_id("play"),
            step_label: document.get_element_by_id("step-label"),
            dirty: true,
            badges: vec![String::new(); 3],
        };
        app.write_captions();
        app.set_playing(app.playing);
        Ok(app)
    }

    /// Sizes each canvas's backing store to its CSS box × devicePixelRatio.
    fn fit_canvases(&mut self, dpr: f64) {
        let world = self.lab.scenario().loss.default_view();
        for panel in &mut self.panels {
            let rect = panel.canvas.get_bounding_client_rect();
            let frame = Frame::new(world, rect.width(), rect.height(), dpr);
            if frame != panel.frame {
                let (w, h) = frame.backing_size();
                panel.canvas.set_width(w);
                panel.canvas.set_height(h);
                panel.frame = frame;
                self.dirty = true;
            }
        }
    }

    fn write_captions(&self) {
        for (panel, view) in self.lab.scenario().panels.iter().zip(&self.panels) {
            view.caption.set_text_content(Some(&api::describe_optimizer(&panel.optimizer)));
        }
    }

    /// One animation frame: advance the clock by whole steps, then draw if anything changed.
    fn frame(&mut self, now_ms: f64, window: &Window) {
        let elapsed = self.last_frame.map_or(0.0, |last| (now_ms - last) / 1000.0);
        self.last_frame = Some(now_ms);
        self.fit_canvases(window.device_pixel_ratio());
        if self.playing {
            let due = self.ticker.tick(elapsed);
            if due > 0 {
                self.lab.step_by(i64::from(due));
                if self.lab.at_end() {
                    self.set_playing(false);
                }
            }
            self.dirty = true;
        }
        if self.dirty {
            self.draw();
            self.dirty = false;
        }
    }

    fn glide(&self) -> f64 {
        if !self.playing || self.reduced_motion {
            return 0.0;
        }
        let t = (self.ticker.fraction() / GLIDE_SHARE).min(1.0);
        1.0 - (1.0 - t) * (1.0 - t)
    }

    fn draw(&mut self) {
        let palette = if self.dark { &draw::DARK } else { &draw::LIGHT };
        let glide = self.glide();
        for (i, view) in self.panels.iter().enumerate() {
            draw::panel(&view.ctx, &view.frame, &self.lab, i, palette, glide);
            let text = status_text(self.lab.run(i), self.lab.shown(i));
            if self.badges[i] != text {
                view.badge.set_text_content(Some(&text));
                view.badge.set_attribute("data-status", self.lab.shown(i).status.kind()).ok();
                self.badges[i] = text;
            }
        }
        if let Some(label) = &self.step_label {
            label.set_text_content(Some(&format!("step {}", self.lab.t())));
        }
    }

    pub(crate) fn set_playing(&mut self, playing: bool) {
        self.playing = playing && !self.lab.at_end();
        self.ticker.clear();
        if let Some(button) = &self.play_button {
            button.set_text_content(Some(if self.playing { "❚❚ Pause" } else { "▶ Play" }));
            button.set_attribute("aria-pressed", if self.playing { "true" } else { "false" }).ok();
        }
        self.dirty = true;
    }

    pub(crate) fn step_by(&mut self, k: i64) {
        self.set_playing(false);
        self.lab.step_by(k);
        self.dirty = true;
    }

    pub(crate) fn reset(&mut self) {
        self.lab.reset();
        self.ticker.clear();
        self.dirty = true;
    }
}

/// Hooks the transport buttons to the app. The closures live as long as the page, so they are handed to
/// JS once here (never in a loop).
fn wire_controls(document: &Document) -> Result<(), JsValue> {
    let bind = |id: &str, action: fn(&mut App)| -> Result<(), JsValue> {
        if let Some(button) = document.get_element_by_id(id) {
            let handler = Closure::<dyn FnMut()>::new(move || {
                with_app(action);
            });
            button.add_event_listener_with_callback("click", handler.as_ref().unchecked_ref())?;
            handler.forget();
        }
        Ok(())
    };
    bind("play", |app| app.set_playing(!app.playing))?;
    bind("step-back", |app| app.step_by(-1))?;
    bind("step-forward", |app| app.step_by(1))?;
    bind("reset", |app| app.reset())?;
    Ok(())
}

/// The requestAnimationFrame loop: one closure, re-registered every frame, kept alive by its own handle.
fn start_loop(window: &Window) -> Result<(), JsValue> {
    let tick: Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>> = Rc::new(RefCell::new(None));
    let next = tick.clone();
    let win = window.clone();
    *tick.borrow_mut() = Some(Closure::new(move |now: f64| {
        with_app(|app| app.frame(now, &win));
        if let Some(callback) = next.borrow().as_ref() {
            win.request_animation_frame(callback.as_ref().unchecked_ref()).ok();
        }
    }));
    if let Some(callback) = tick.borrow().as_ref() {
        window.request_animation_frame(callback.as_ref().unchecked_ref())?;
    }
    Ok(())
}
