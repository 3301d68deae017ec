//! The glue: the page's listeners turn events into [`Input`]s, which reach the [`App`] through
//! [`dispatch`]; the app runs pointer input through the gesture machine, applies intents to the session,
//! writes the address bar, and draws what changed once per animation frame.
//!
//! No input is ever dropped: an input that arrives while the app is busy (a `focus` event fired
//! synchronously by something the app itself did) waits in the inbox, and whoever holds the app empties
//! the inbox before letting go.

use crate::controls;
use crate::embed::HeightReport;
use crate::gesture::{self, Gestures, Press};
use crate::session::{Changes, Field, Intent, Session};
use crate::stats::{now_ms, Stats};
use crate::strip::StripGesture;
use crate::url::UrlSync;
use crate::views::{self, find, find_as, Views};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use steplab_core::lab::PANELS;
use steplab_core::link;
use steplab_core::Loss;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, Event, EventTarget, HtmlCanvasElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent,
    PointerEvent, WheelEvent, Window,
};

/// What the page's listeners hand to the app.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    Intent(Intent),
    /// A pointer pressed on a plot (0–2 the panels, 3 the overlay surface), moved, or let go.
    Down(Press),
    Move {
        plot: usize,
        pointer: i32,
        at: (f64, f64),
    },
    Up {
        pointer: i32,
    },
    /// The browser took a pointer back (to scroll the page, say).
    Cancel {
        pointer: i32,
    },
    /// The wheel over a plot, in pixels (down is positive); only sent when it zooms.
    Wheel {
        plot: usize,
        at: (f64, f64),
        delta: f64,
    },
    /// A key of the plot's own on a focused plot.
    PlotKey {
        plot: usize,
        key: String,
        shift: bool,
    },
    /// A pointer on the learning-rate strip.
    Strip(StripInput),
}

/// What a pointer or a key did on the learning-rate strip.
#[derive(Clone, Debug, PartialEq)]
pub enum StripInput {
    Down { pointer: i32, at: (f64, f64), touch: bool },
    Move { pointer: i32, at: (f64, f64) },
    Up { pointer: i32 },
    Cancel { pointer: i32 },
    Key { key: String, shift: bool },
}

/// Everything the page holds.
pub struct App {
    pub session: Session,
    pub views: Views,
    gestures: Gestures,
    strip: StripGesture,
    pub url: UrlSync,
    height: HeightReport,
    /// What changed since the last frame drew.
    pending: Changes,
    pub stats: Stats,
    last_frame: Option<f64>,
}

/// An event handler kept for the life of the page.
type Listener = Closure<dyn FnMut(Event)>;
/// A plot's wheel handler, which says whether it took the wheel (to zoom).
type WheelHandler = Closure<dyn FnMut(Event) -> bool>;
/// A ResizeObserver with its callback, kept for the life of the page.
type Observer = (web_sys::ResizeObserver, Closure<dyn FnMut()>);

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
    /// Inputs waiting for the app (see the module's comment).
    static INBOX: RefCell<VecDeque<Input>> = const { RefCell::new(VecDeque::new()) };
    /// Event handlers live as long as the page; kept here rather than leaked with `forget`.
    static LISTENERS: RefCell<Vec<Listener>> = const { RefCell::new(Vec::new()) };
    /// The plots' wheel handlers (which say whether they zoom), likewise.
    static WHEELS: RefCell<Vec<WheelHandler>> = const { RefCell::new(Vec::new()) };
    /// The two ResizeObservers and their callbacks, made once and kept for the life of the page.
    static OBSERVERS: RefCell<Vec<Observer>> = const { RefCell::new(Vec::new()) };
    /// Set by the ResizeObserver watching every canvas; the next frame measures them again.
    static CANVAS_RESIZED: Cell<bool> = const { Cell::new(true) };
    /// Set by a ResizeObserver watching the page's root and body; an embedded page then measures its
    /// height again for the parent.
    static PAGE_RESIZED: Cell<bool> = const { Cell::new(true) };
}

/// Hands `input` to the app: at once when it is free, else after what it is doing now.
pub fn dispatch(input: Input) {
    INBOX.with(|inbox| inbox.borrow_mut().push_back(input));
    with_app(|_| {});
}

/// Shorthand for an intent.
pub fn intend(intent: Intent) {
    dispatch(Input::Intent(intent));
}

/// Runs `f` on the app, then empties the inbox, unless the app is busy (then its holder empties the inbox)
/// or not started yet (then `install` empties it). `None` in those two cases.
pub fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    APP.with(|cell| {
        let mut guard = cell.try_borrow_mut().ok()?;
        let app = guard.as_mut()?;
        let result = f(app);
        while let Some(input) = INBOX.with(|inbox| inbox.borrow_mut().pop_front()) {
            app.handle(input);
        }
        Some(result)
    })
}

/// Reads the app without changing it (the JS API's `state()` and `stats()`).
pub fn peek<R>(f: impl FnOnce(&App) -> R) -> Option<R> {
    APP.with(|cell| cell.try_borrow().ok()?.as_ref().map(f))
}

/// Puts the app in place and handles whatever arrived while it was being built.
pub fn install(app: App) {
    APP.with(|cell| *cell.borrow_mut() = Some(app));
    with_app(|_| {});
}

/// Adds a listener that lives as long as the page.
pub fn listen(target: &impl AsRef<EventTarget>, event: &str, handler: impl FnMut(Event) + 'static) {
    let closure = Closure::<dyn FnMut(Event)>::new(handler);
    // Adding a listener fails only for a target that is not one, which the types rule out.
    let _ = target.as_ref().add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    LISTENERS.with(|list| list.borrow_mut().push(closure));
}

impl App {
    pub fn new(document: &Document, query: &str, reduced_motion: bool, dark: bool) -> Result<App, JsValue> {
        let views = Views::find(document)?;
        let (session, changes) = Session::new(link::parse_with(query, &crate::fmt::read), reduced_motion, dark);
        let mut app = App {
            session,
            views,
            gestures: Gestures::default(),
            strip: StripGesture::default(),
            url: UrlSync::new(query),
            height: HeightReport::default(),
            pending: Changes::default(),
            stats: Stats::default(),
            last_frame: None,
        };
        app.views.expression_field(&app.session, changes.expression_text, false);
        if let Some(write) = changes.url {
            let session = &app.session;
            app.url.request(write, || session.query(), now_ms());
        }
        app.pending = changes;
        Ok(app)
    }

    fn handle(&mut self, input: Input) {
        match input {
            Input::Intent(intent) => self.apply(intent),
            Input::Down(press) => {
                let geometry = self.views.geometry(press.plot, &self.session);
                for intent in self.gestures.down(press, &geometry) {
                    self.apply(intent);
                }
            }
            Input::Move { plot, pointer, at } => {
                let geometry = self.views.geometry(plot, &self.session);
                for intent in self.gestures.moved(plot, pointer, at, &geometry) {
                    self.apply(intent);
                }
            }
            Input::Up { pointer } => {
                for intent in self.gestures.up(pointer) {
                    self.apply(intent);
                }
            }
            Input::Cancel { pointer } => {
                for intent in self.gestures.cancel(pointer) {
                    self.apply(intent);
                }
            }
            Input::Wheel { plot, at, delta } => {
                let geometry = self.views.geometry(plot, &self.session);
                self.apply(gesture::wheel(at, delta, &geometry));
            }
            Input::Strip(input) => {
                let frame = self.views.strip_frame();
                let intents = match input {
                    StripInput::Down { pointer, at, touch } => {
                        self.strip.down(&self.session, &frame, pointer, at, touch)
                    }
                    StripInput::Move { pointer, at } => self.strip.moved(&frame, pointer, at),
                    StripInput::Up { pointer } => self.strip.up(&frame, pointer),
                    StripInput::Cancel { pointer } => self.strip.cancel(&frame, pointer),
                    StripInput::Key { key, shift } => self.strip.key(&self.session, &key, shift).unwrap_or_default(),
                };
                for intent in intents {
                    self.apply(intent);
                }
            }
            Input::PlotKey { plot, key, shift } => {
                let geometry = self.views.geometry(plot, &self.session);
                if let Some(intent) = gesture::key(&key, shift, &geometry) {
                    self.apply(intent);
                }
            }
        }
    }

    /// Applies an intent: the session decides, the address bar and the expression field follow at once,
    /// everything else is drawn at the next frame.
    pub fn apply(&mut self, intent: Intent) {
        let started = now_ms();
        let timed = self.session.dragging() && matches!(intent, Intent::MoveStart(_));
        let restored = matches!(intent, Intent::Restore(_));
        let changes = self.session.apply(intent);
        if timed {
            self.stats.drags.push(now_ms() - started);
        }
        if restored {
            let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
            self.url.restored(query);
        }
        if let Some(write) = changes.url {
            let session = &self.session;
            self.url.request(write, || session.query(), started);
        }
        self.views.expression_field(&self.session, changes.expression_text, changes.focus_expression);
        self.pending.merge(changes);
    }

    /// Writes a waiting address-bar replacement now and returns the query there.
    pub fn current_query(&mut self) -> String {
        self.url.flush(self.session.query(), now_ms());
        self.url.current().to_owned()
    }

    /// One animation frame: advance the clock by whole steps, then draw what changed.
    pub fn frame(&mut self, now: f64, window: &Window) {
        let started = now_ms();
        let elapsed = self.last_frame.map_or(0.0, |last| (now - last) / 1000.0);
        self.last_frame = Some(now);
        let ticked = self.session.tick(elapsed);
        if let Some(write) = ticked.url {
            let session = &self.session;
            self.url.request(write, || session.query(), started);
        }
        self.pending.merge(ticked);
        let resized = CANVAS_RESIZED.with(|flag| flag.replace(false));
        if self.views.fit(&self.session, resized, window.device_pixel_ratio()) {
            self.pending.plots = true;
            self.pending.charts = true;
            self.pending.sweep = true;
        }
        let changes = std::mem::take(&mut self.pending);
        self.views.render(&self.session, &changes, now);
        let session = &self.session;
        self.url.flush_due(|| session.query(), started);
        let page_resized = PAGE_RESIZED.with(|flag| flag.replace(false));
        self.height.report(window, self.session.embed(), page_resized, self.url.current());
        if self.stats.frame_count == 0 {
            // For the benchmark's time to the first drawn frame (docs/PERFORMANCE.md).
            if let Some(performance) = window.performance() {
                performance.mark("steplab:first-frame").ok();
            }
            // The live plots are drawn: the pictures the static page showed until now go (www/first.js).
            remove_first_pictures(window);
        }
        self.stats.frames.push(now_ms() - started);
        self.stats.frame_count += 1;
    }
}

/// Removes the first pictures (`img.first-picture`, put in the plots by www/first.js before the wasm ran).
fn remove_first_pictures(window: &Window) {
    let Some(pictures) = window.document().and_then(|d| d.query_selector_all(".first-picture").ok()) else { return };
    for i in 0..pictures.length() {
        if let Some(picture) = pictures.item(i).and_then(|node| node.dyn_into::<Element>().ok()) {
            picture.remove();
        }
    }
}

fn input_of(event: &Event) -> Option<HtmlInputElement> {
    event.target()?.dyn_into().ok()
}

/// Hooks every control and plot to the app. Handlers only report intent; the session decides. All of
/// these listeners live as long as the page.
pub fn wire(window: &Window, document: &Document) -> Result<(), JsValue> {
    for (id, intent) in [
        ("play", Intent::TogglePlay),
        ("step-back", Intent::Step(-1)),
        ("step-forward", Intent::Step(1)),
        ("reset", Intent::Reset),
    ] {
        listen(&find(document, id), "click", move |_| intend(intent.clone()));
    }
    listen(&find(document, "speed-step"), "click", |_| {
        if let Some(speed) = peek(|app| app.session.speed()) {
            intend(Intent::SetSpeed(controls::next_speed(speed)));
        }
    });
    // The phone's disclosures (see style.css): the header's extra controls, and each panel's details.
    let main = find(document, "steplab");
    disclose(&find(document, "more"), &main, "more-open");
    listen(&find(document, "scrub"), "input", |event| {
        if let Some(input) = input_of(&event) {
            let t = input.value_as_number();
            intend(Intent::Seek(if t.is_finite() { t.max(0.0) as u32 } else { 0 }));
        }
    });
    listen(&find(document, "speed"), "input", |event| {
        if let Some(input) = input_of(&event) {
            intend(Intent::SetSpeed(controls::speed_from_slider(input.value_as_number())));
        }
    });
    listen(&find(document, "loss"), "change", |event| {
        let Some(select) = event.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()) else { return };
        match Loss::from_id(&select.value()) {
            Some(loss) => intend(Intent::SetLoss(loss)),
            None if select.value() == "custom" => intend(Intent::ChooseCustom),
            None => {}
        }
    });
    let expr = find(document, "expr");
    listen(&expr, "input", |event| {
        if let Some(input) = input_of(&event) {
            intend(Intent::TypeExpression(input.value()));
        }
    });
    listen(&expr, "change", |_| intend(Intent::CommitExpression));
    listen(&expr, "focus", |_| intend(Intent::Editing(Field::Expression)));
    listen(&expr, "blur", |_| intend(Intent::DoneEditing(Field::Expression)));

    for panel in 0..PANELS {
        let root = views::first(document, &format!("[data-panel=\"{panel}\"]"));
        let toggle: Element = views::part(&root, ".details-toggle");
        disclose(&toggle, &root, "open");
        let settings: Element = views::part(&root, ".controls");
        wire_settings(&settings, panel)?;
        let title: Element = views::part(&root, ".title-field");
        listen(&title, "input", move |event| {
            if let Some(input) = input_of(&event) {
                intend(Intent::SetTitle { panel, title: input.value() });
            }
        });
        listen(&title, "focus", move |_| intend(Intent::Editing(Field::Title { panel })));
        listen(&title, "blur", move |_| intend(Intent::DoneEditing(Field::Title { panel })));
        let canvas: HtmlCanvasElement = views::part(&root, "canvas[role=img]");
        wire_plot(&canvas, panel)?;
    }
    wire_plot(&find_as(document, "overlay-canvas"), 3)?;
    wire_strip(&find_as(document, "sweep-canvas"))?;
    // The noise fields apply when the reader is done with them (not on every keystroke, which would start
    // every run again on each digit).
    listen(&find(document, "noise"), "change", |event| {
        if let Some(input) = input_of(&event) {
            let sigma = input.value_as_number();
            intend(Intent::SetNoise(if sigma.is_finite() { sigma } else { 0.0 }));
        }
    });
    // The sparse lab's data: each field changes one part of it, when the reader is done with it.
    for id in ["sparse-features", "sparse-rare", "sparse-spread", "sparse-label-noise", "sparse-shift"] {
        listen(&find(document, id), "change", move |event| {
            let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
            let text = match (target.dyn_ref::<HtmlInputElement>(), target.dyn_ref::<HtmlSelectElement>()) {
                (Some(input), _) => input.value(),
                (_, Some(select)) => select.value(),
                _ => return,
            };
            let Some(Some(current)) = peek(|app| app.session.lab().scenario().sparse) else { return };
            if let Some(setup) = controls::sparse_setup(current, id, &text) {
                intend(Intent::SetSparse(setup));
            }
        });
    }
    listen(&find(document, "seed"), "change", |event| {
        if let Some(input) = input_of(&event) {
            let seed = input.value_as_number();
            if seed.is_finite() {
                intend(Intent::SetSeed(seed.round().clamp(0.0, f64::from(u32::MAX)) as u32));
            }
        }
    });
    listen(&find(document, "reset-view"), "click", |_| intend(Intent::ResetView));
    listen(&find(document, "overlay"), "change", |event| {
        if let Some(input) = input_of(&event) {
            intend(Intent::SetOverlay(input.checked()));
        }
    });

    listen(document, "keydown", |event| {
        let Some(key) = event.dyn_ref::<KeyboardEvent>() else { return };
        if key.ctrl_key() || key.meta_key() || key.alt_key() {
            return;
        }
        // Keys typed into a control belong to that control.
        let tag = event.target().and_then(|t| t.dyn_into::<Element>().ok()).map(|e| e.tag_name()).unwrap_or_default();
        if matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON" | "SUMMARY") {
            return;
        }
        let intent = match key.key().as_str() {
            " " => Intent::TogglePlay,
            "ArrowRight" => Intent::Step(1),
            "ArrowLeft" => Intent::Step(-1),
            "r" | "R" => Intent::Reset,
            _ => return,
        };
        event.prevent_default();
        intend(intent);
    });

    if let Ok(Some(query)) = window.match_media("(prefers-color-scheme: dark)") {
        listen(&query, "change", |event| {
            let dark = event.dyn_ref::<web_sys::MediaQueryListEvent>().is_some_and(|e| e.matches());
            intend(Intent::SetDark(dark));
        });
    }
    listen(window, "popstate", |_| {
        let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
        intend(Intent::Restore(Box::new(link::parse_with(&query, &crate::fmt::read))));
    });
    listen(&find(document, "dismiss-notices"), "click", |_| intend(Intent::DismissNotices));
    Ok(())
}

/// A button that shows and hides part of the page by toggling `class` on `container` (CSS decides what
/// shows), saying which in its `aria-expanded`. Only how the page is laid out changes, not the session.
fn disclose(button: &Element, container: &Element, class: &'static str) {
    let (toggle, container) = (button.clone(), container.clone());
    listen(button, "click", move |_| {
        let open = container.class_list().toggle(class).unwrap_or(false);
        toggle.set_attribute("aria-expanded", if open { "true" } else { "false" }).ok();
    })
}

/// The field of a panel's settings an event is about: its hyperparameter, or the log slider.
fn field_name(target: &Element) -> Option<String> {
    if target.has_attribute("data-lr-slider") {
        Some(controls::LR_SLIDER.to_owned())
    } else {
        target.get_attribute("data-param")
    }
}

/// A panel's settings: the optimizer menu, the hyperparameter fields and the log slider (delegated to
/// their container, whose markup is rebuilt when the optimizer changes).
fn wire_settings(settings: &Element, panel: usize) -> Result<(), JsValue> {
    for (event, commit) in [("input", false), ("change", true)] {
        listen(settings, event, move |event| {
            let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
            if let Some(select) = target.dyn_ref::<HtmlSelectElement>() {
                if commit {
                    if let Some(kind) = steplab_core::OptimizerKind::from_id(&select.value()) {
                        intend(Intent::SetOptimizer { panel, kind });
                    }
                }
                return;
            }
            let Some(input) = target.dyn_ref::<HtmlInputElement>() else { return };
            let Some(name) = field_name(&target) else { return };
            let (name, value) = if name == controls::LR_SLIDER {
                ("lr".to_owned(), controls::lr_from_slider(input.value_as_number()))
            } else if input.type_() == "checkbox" {
                (name, f64::from(u8::from(input.checked())))
            } else {
                (name, input.value_as_number())
            };
            intend(Intent::SetHyper { panel, name, value, commit });
        });
    }
    // ↑ and ↓ in a number field step on the setting's own scale (a tenth of a decade for a learning
    // rate, as the slider does), not by 1.
    listen(settings, "keydown", move |event| {
        let Some(key) = event.dyn_ref::<KeyboardEvent>() else { return };
        let up = match key.key().as_str() {
            "ArrowUp" => true,
            "ArrowDown" => false,
            _ => return,
        };
        let Some(input) = event.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
        if input.type_() != "number" {
            return;
        }
        let Some(name) = input.get_attribute("data-param") else { return };
        let value = input.value_as_number();
        let Some(next) = peek(|app| {
            let optimizer = app.session.lab().scenario().panels[panel].optimizer;
            let (_, spec) = optimizer.kind().param(&name)?;
            let value = if value.is_finite() { value } else { optimizer.get(&name)? };
            Some(controls::stepped(spec, value, up, key.shift_key()))
        })
        .flatten() else {
            return;
        };
        event.prevent_default();
        intend(Intent::SetHyper { panel, name, value: next, commit: true });
    });
    for (event, editing) in [("focusin", true), ("focusout", false)] {
        listen(settings, event, move |event| {
            let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
            let Some(name) = field_name(&target) else { return };
            let field = Field::Hyper { panel, name };
            intend(if editing { Intent::Editing(field) } else { Intent::DoneEditing(field) });
        });
    }
    Ok(())
}

/// Where `pointer` is on `canvas`, in CSS px from its top left corner (the handle over the canvas gets
/// events too, so the target's own offset would not do).
fn offset(pointer: &web_sys::MouseEvent, canvas: &HtmlCanvasElement) -> (f64, f64) {
    let rect = canvas.get_bounding_client_rect();
    // A pointer's position has fractions of a pixel (web-sys's `client_x` rounds it to an integer).
    let coordinate = |name: &str| js_sys::Reflect::get(pointer, &JsValue::from_str(name)).ok().and_then(|v| v.as_f64());
    let (x, y) = (coordinate("clientX").unwrap_or_default(), coordinate("clientY").unwrap_or_default());
    (x - rect.left(), y - rect.top())
}

/// The dimension of the loss shown, read without waiting for the app (a listener that may cancel its
/// event must decide before it returns). 1 when the app is busy or not there.
fn dim_now() -> usize {
    peek(|app| app.session.dim()).unwrap_or(1)
}

/// Hooks one plot canvas (`plot` 0–2 are the panels, 3 the overlay surface). Pointers are heard on the
/// canvas's box, which also holds the surface's handle for a finger.
fn wire_plot(canvas: &HtmlCanvasElement, plot: usize) -> Result<(), JsValue> {
    let plot_box = canvas.parent_element().ok_or("a plot canvas lacks its box")?;
    let (target, area) = (canvas.clone(), plot_box.clone());
    // No touch listeners: pointer events carry touches too, and the scrolling a finger may do is decided
    // by the CSS (`touch-action`), not by cancelling events, so these listeners need not block scrolling.
    listen(&plot_box, "pointerdown", move |event| {
        let Some(pointer) = event.dyn_ref::<PointerEvent>() else { return };
        let on_handle = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .is_some_and(|element| element.class_list().contains("grab"));
        // A mouse press would otherwise select text or start the browser's own drag.
        event.prevent_default();
        area.set_pointer_capture(pointer.pointer_id()).ok();
        target.focus().ok();
        let press = Press {
            plot,
            pointer: pointer.pointer_id(),
            at: offset(pointer, &target),
            button: pointer.button(),
            shift: pointer.shift_key(),
            touch: pointer.pointer_type() == "touch",
            on_handle,
        };
        dispatch(Input::Down(press));
    });
    let target = canvas.clone();
    listen(&plot_box, "pointermove", move |event| {
        let Some(pointer) = event.dyn_ref::<PointerEvent>() else { return };
        dispatch(Input::Move { plot, pointer: pointer.pointer_id(), at: offset(pointer, &target) });
    });
    for end in ["pointerup", "lostpointercapture"] {
        listen(&plot_box, end, |event| {
            if let Some(pointer) = event.dyn_ref::<PointerEvent>() {
                dispatch(Input::Up { pointer: pointer.pointer_id() });
            }
        });
    }
    listen(&plot_box, "pointercancel", |event| {
        if let Some(pointer) = event.dyn_ref::<PointerEvent>() {
            dispatch(Input::Cancel { pointer: pointer.pointer_id() });
        }
    });
    // Right-button drags pan the surface; the context menu would get in the way.
    listen(&plot_box, "contextmenu", |event| event.prevent_default());
    // The wheel zooms a surface (or a curve with Ctrl held) and then must stop the page scrolling: a listener
    // that is not passive, set up by early.js's `steplabWheel` so that its own code shows the cancelling
    // (auditors read a listener's source for it); here directly if that script did not run.
    let target = canvas.clone();
    let zooms = WheelHandler::new(move |event: Event| {
        let Some(wheel) = event.dyn_ref::<WheelEvent>() else { return false };
        if !gesture::wheel_zooms(dim_now(), wheel.ctrl_key() || wheel.meta_key()) {
            return false;
        }
        // Lines or pages count as 16 or 400 pixels.
        let unit = match wheel.delta_mode() {
            1 => 16.0,
            2 => 400.0,
            _ => 1.0,
        };
        dispatch(Input::Wheel { plot, at: offset(wheel, &target), delta: wheel.delta_y() * unit });
        true
    });
    let helper = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("steplabWheel")).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match helper {
        Some(helper) => {
            helper.call2(&JsValue::NULL, &plot_box, zooms.as_ref())?;
        }
        None => {
            let zooms_now: &js_sys::Function = zooms.as_ref().unchecked_ref();
            let zooms_now = zooms_now.clone();
            listen(&plot_box, "wheel", move |event| {
                if zooms_now.call1(&JsValue::NULL, &event).ok().and_then(|v| v.as_bool()) == Some(true) {
                    event.prevent_default();
                }
            });
        }
    }
    WHEELS.with(|list| list.borrow_mut().push(zooms));
    listen(canvas, "keydown", move |event| {
        let Some(key) = event.dyn_ref::<KeyboardEvent>() else { return };
        if key.ctrl_key() || key.meta_key() || key.alt_key() || !gesture::plot_key(&key.key()) {
            return;
        }
        event.prevent_default();
        event.stop_propagation();
        dispatch(Input::PlotKey { plot, key: key.key(), shift: key.shift_key() });
    });
    Ok(())
}

/// Hooks the learning-rate strip: pointers set a panel's rate, keys move it (see `strip::StripGesture`).
fn wire_strip(canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
    let target = canvas.clone();
    listen(canvas, "pointerdown", move |event| {
        let Some(pointer) = event.dyn_ref::<PointerEvent>() else { return };
        if pointer.button() != 0 {
            return;
        }
        event.prevent_default();
        target.set_pointer_capture(pointer.pointer_id()).ok();
        target.focus().ok();
        let (pointer_id, touch) = (pointer.pointer_id(), pointer.pointer_type() == "touch");
        dispatch(Input::Strip(StripInput::Down { pointer: pointer_id, at: offset(pointer, &target), touch }));
    });
    let target = canvas.clone();
    listen(canvas, "pointermove", move |event| {
        let Some(pointer) = event.dyn_ref::<PointerEvent>() else { return };
        dispatch(Input::Strip(StripInput::Move { pointer: pointer.pointer_id(), at: offset(pointer, &target) }));
    });
    listen(canvas, "pointerup", |event| {
        if let Some(pointer) = event.dyn_ref::<PointerEvent>() {
            dispatch(Input::Strip(StripInput::Up { pointer: pointer.pointer_id() }));
        }
    });
    listen(canvas, "pointercancel", |event| {
        if let Some(pointer) = event.dyn_ref::<PointerEvent>() {
            dispatch(Input::Strip(StripInput::Cancel { pointer: pointer.pointer_id() }));
        }
    });
    listen(canvas, "keydown", |event| {
        let Some(key) = event.dyn_ref::<KeyboardEvent>() else { return };
        if key.ctrl_key() || key.meta_key() || key.alt_key() {
            return;
        }
        if !crate::strip::is_key(&key.key()) {
            return;
        }
        // The strip's own key: not the page's shortcuts (← → step the clock elsewhere).
        event.prevent_default();
        event.stop_propagation();
        dispatch(Input::Strip(StripInput::Key { key: key.key(), shift: key.shift_key() }));
    });
    Ok(())
}

/// Watches every canvas for a size change (a resized window, a panel shown or hidden, the overlay
/// toggled): only then does a frame measure their boxes again. Likewise the page's root and body, for
/// the height an embedded page reports.
pub fn observe_sizes(document: &Document) -> Result<(), JsValue> {
    // The canvases, and what they are sized from (a surface's canvas has a fixed size in pixels, so its
    // container's size is what changes).
    let canvases = document.query_selector_all("#steplab canvas, #steplab .plot, #overlay-figure")?;
    let canvases = (0..canvases.length()).filter_map(|i| canvases.item(i)?.dyn_into::<Element>().ok());
    raise_on_resize(&CANVAS_RESIZED, canvases)?;
    let page = [document.document_element(), document.body().map(Element::from)];
    raise_on_resize(&PAGE_RESIZED, page.into_iter().flatten())
}

/// Sets `flag` whenever one of `elements` changes size, for the life of the page.
fn raise_on_resize(
    flag: &'static std::thread::LocalKey<Cell<bool>>,
    elements: impl Iterator<Item = Element>,
) -> Result<(), JsValue> {
    let callback = Closure::<dyn FnMut()>::new(move || flag.with(|f| f.set(true)));
    let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref())?;
    elements.for_each(|element| observer.observe(&element));
    OBSERVERS.with(|list| list.borrow_mut().push((observer, callback)));
    Ok(())
}

/// The frame callback, which holds a handle to itself to register again each frame.
type FrameCallback = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// The requestAnimationFrame loop: one closure, re-registered every frame, kept alive by its own handle
/// for the life of the page.
pub fn start_loop(window: &Window) -> Result<(), JsValue> {
    let tick: FrameCallback = Rc::new(RefCell::new(None));
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
