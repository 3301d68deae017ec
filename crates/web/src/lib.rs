//! Step Lab in the browser. This crate is thin: it finds the page's elements, draws the model of
//! `steplab-core` on canvases, turns input into intent, runs the animation loop and offers the JS API
//! (`window.steplab`). No math that belongs in core lives here.

pub mod api;
pub mod charts;
pub mod controls;
pub mod draw;
pub mod fmt;
pub mod input;
pub mod patch;
pub mod pen;
pub mod readout;
pub mod share;
pub mod surface;
pub mod view;

use std::cell::RefCell;
use std::rc::Rc;
use steplab_core::lab::PANELS;
use steplab_core::run::preview_path;
use steplab_core::{status_text, Lab, Loss, Optimizer, OptimizerKind, Point, Scenario, Ticker};
use view::Frame;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    CanvasRenderingContext2d, Document, Element, Event, EventTarget, HtmlCanvasElement, HtmlInputElement,
    HtmlSelectElement, KeyboardEvent, Window,
};

/// The ball glides over this fraction of a step's interval, then rests (ease-out).
const GLIDE_SHARE: f64 = 0.8;
/// How many upcoming steps the drag preview shows.
const PREVIEW_STEPS: usize = 50;
/// Screen-reader descriptions of the canvases are refreshed at most this often while playing (ms).
const DESCRIBE_EVERY_MS: f64 = 2000.0;
/// The default speed, steps per second: slow enough to follow one step with the eye.
pub(crate) const DEFAULT_SPEED: f64 = 8.0;

/// One panel's elements and its canvas geometry.
struct PanelView {
    plot: Plot,
    title: Element,
    caption: Element,
    badge: Element,
    readout: patch::Patched,
    controls: Element,
}

/// One of the shared charts below the panels.
struct ChartView {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    series: charts::Series,
    size: (f64, f64, f64),
}

/// The page's other elements.
struct Ui {
    play: Element,
    scrub: HtmlInputElement,
    step_label: Element,
    speed: HtmlInputElement,
    speed_label: Element,
    loss: HtmlSelectElement,
    formula: Element,
    expr: HtmlInputElement,
    expr_status: Element,
    live_note: Element,
    announce: Element,
}

/// A canvas with its geometry: a panel's plot or the overlay surface.
struct Plot {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    frame: Frame,
    /// The height set to keep a surface's aspect ratio (0 when the CSS decides).
    fixed_height: f64,
    /// The still layer under `canvas` (the curve and axes, or the heatmap): drawn when it changes, so a
    /// frame only clears and draws the moving parts instead of copying a whole image.
    back: Layer,
}

impl Plot {
    /// The plot of `canvas`, whose backdrop layer is the `canvas.back` just before it (see index.html).
    fn new(canvas: HtmlCanvasElement) -> Result<Plot, JsValue> {
        let back = backdrop_of(&canvas).ok_or("a plot lacks its backdrop canvas")?;
        Ok(Plot {
            ctx: context(&canvas)?,
            canvas,
            frame: Frame::new(Loss::SmoothAbs.default_view(), 1.0, 1.0, 1.0),
            fixed_height: 0.0,
            back: Layer { ctx: context(&back)?, canvas: back, drawn_for: None },
        })
    }
}

/// The backdrop layer of a plot's canvas: the `canvas.back` just before it (see index.html).
pub(crate) fn backdrop_of(canvas: &HtmlCanvasElement) -> Option<HtmlCanvasElement> {
    canvas.previous_element_sibling().filter(|e| e.class_list().contains("back"))?.dyn_into().ok()
}

/// A canvas that is drawn only when what it shows changes.
struct Layer {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    drawn_for: Option<Backdrop>,
}

/// What a backdrop layer shows: a 1-D loss curve (loss, geometry, dark theme), or the heatmap image of
/// the given recompute in the given geometry.
#[derive(PartialEq)]
enum Backdrop {
    Curve(steplab_core::Objective, Frame, bool),
    Surface(u32, Frame),
}

impl Layer {
    /// Draws the layer with `paint` unless it already shows `what`.
    fn show(&mut self, frame: &Frame, what: Backdrop, paint: impl FnOnce(&CanvasRenderingContext2d)) {
        if self.drawn_for.as_ref() == Some(&what) {
            return;
        }
        self.ctx.set_transform(frame.dpr, 0.0, 0.0, frame.dpr, 0.0, 0.0).ok();
        self.ctx.clear_rect(0.0, 0.0, frame.width, frame.height);
        paint(&self.ctx);
        self.drawn_for = Some(what);
    }
}

/// How many frame times the page keeps for its stats (ten seconds at 60 Hz).
const FRAME_SAMPLES: usize = 600;
/// How many drag pointer-move times the page keeps for its stats.
const DRAG_SAMPLES: usize = 256;

/// The last `capacity` times (ms) of something measured again and again, for the stats.
pub(crate) struct Samples {
    times: Vec<f64>,
    /// Where the next time goes once the ring is full.
    next: usize,
    capacity: usize,
}

impl Samples {
    fn new(capacity: usize) -> Samples {
        Samples { times: Vec::with_capacity(capacity), next: 0, capacity }
    }

    fn push(&mut self, ms: f64) {
        if self.times.len() < self.capacity {
            self.times.push(ms);
        } else {
            self.times[self.next] = ms;
            self.next = (self.next + 1) % self.capacity;
        }
    }

    fn clear(&mut self) {
        self.times.clear();
        self.next = 0;
    }

    /// Count, median, p95 and max.
    pub(crate) fn summary(&self) -> (usize, f64, f64, f64) {
        let mut times = self.times.clone();
        times.sort_unstable_by(f64::total_cmp);
        let at = |q: f64| times.get(((times.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0.0);
        (times.len(), at(0.5), at(0.95), times.last().copied().unwrap_or(0.0))
    }
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
    charts: Vec<ChartView>,
    ui: Ui,
    /// What the pointers on the plots are doing, and where they are.
    gesture: input::Gesture,
    pointers: Vec<(i32, f64, f64)>,
    previews: [Vec<Point>; PANELS],
    /// The expression field has focus: its text is the reader's, not ours to rewrite.
    typing: bool,
    /// The address bar is behind a zoom or pan and will be rewritten at the next allowed moment.
    url_pending: bool,
    /// One surface with three paths instead of three surfaces (2-D only).
    overlay: bool,
    overlay_plot: Plot,
    surface: surface::SurfaceCache,
    /// The charts need drawing (they change with the step, not with the glide).
    charts_dirty: bool,
    /// Main-thread milliseconds spent in each of the last frames (a ring), for the stats.
    pub(crate) frame_times: Samples,
    frame_count: usize,
    /// The furthest step reached since the last restart (the scrub slider's end).
    reached: u32,
    /// Canvases need drawing.
    dirty: bool,
    /// Readouts, badges and labels need writing (the shown step or the scenario changed).
    texts_dirty: bool,
    /// Status kinds last announced, to tell screen readers only about changes.
    announced: [&'static str; PANELS],
    last_described: f64,
    /// Embed mode and the parts hidden by the link.
    embed: bool,
    hide: steplab_core::link::Hide,
    /// The query last written to the address bar, and when (ms).
    url_query: String,
    url_written_at: f64,
    /// The height last reported to an embedding page.
    reported_height: i32,
    /// What the canvas sizes were last fitted for (view window, dimension, pixel ratio, viewport
    /// height): reading the canvases' boxes forces a layout, so a frame does it only when this changed
    /// or a ResizeObserver saw a canvas change size.
    fitted_for: [f64; 7],
    /// Main-thread milliseconds of the pointer moves while dragging the start (restart and previews).
    pub(crate) drag_times: Samples,
}

thread_local! {
    /// Set by the ResizeObserver watching every canvas; the next frame measures them again.
    static CANVAS_RESIZED: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
    /// Set by a ResizeObserver watching the page's root and body; an embedded page then measures its
    /// height again for the parent (reading it every frame would force a layout every frame).
    static PAGE_RESIZED: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// An event handler kept alive for the life of the page.
type Listener = Closure<dyn FnMut(Event)>;

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
    /// Event handlers live as long as the page; kept here rather than leaked with `forget`.
    static LISTENERS: RefCell<Vec<Listener>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` on the app if the page has one and nobody else is using it (never panics on re-entry).
pub(crate) fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    APP.with(|cell| cell.try_borrow_mut().ok().and_then(|mut app| app.as_mut().map(f)))
}

pub(crate) fn listen(
    target: &impl AsRef<EventTarget>,
    event: &str,
    handler: impl FnMut(Event) + 'static,
) -> Result<(), JsValue> {
    let closure = Closure::<dyn FnMut(Event)>::new(handler);
    target.as_ref().add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())?;
    LISTENERS.with(|list| list.borrow_mut().push(closure));
    Ok(())
}

#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    std::panic::set_hook(Box::new(|info| {
        // The console keeps the details for a developer; the reader gets a banner and a way back.
        console_error_panic_hook::hook(info);
        show_fault(&info.to_string());
    }));
    let window = web_sys::window().ok_or("no window")?;
    // The wasm is compiled and running: the benchmark splits the time to the first frame here.
    if let Some(performance) = window.performance() {
        performance.mark("steplab:started").ok();
    }
    let document = window.document().ok_or("no document")?;
    // The app is running: the message for browsers that cannot start it goes.
    if let Some(message) = document.get_element_by_id("boot-failed") {
        message.remove();
    }
    // Inside wasm-bindgen tests there is no Step Lab page: nothing to start.
    if document.get_element_by_id("steplab").is_none() {
        return Ok(());
    }
    let query = window.location().search().unwrap_or_default();
    let app = App::new(&window, &document, &query)?;
    APP.with(|cell| *cell.borrow_mut() = Some(app));
    api::install(&window)?;
    wire(&window, &document)?;
    share::wire(&window, &document)?;
    observe_sizes(&document)?;
    start_loop(&window)?;
    Ok(())
}

/// Shows the fault banner with `message` (as text) and a link that reloads the current scenario.
fn show_fault(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(text) = document.get_element_by_id("fault-message") {
        text.set_text_content(Some(message));
    }
    if let (Some(link), Some(href)) =
        (document.get_element_by_id("fault-reload"), web_sys::window().and_then(|w| w.location().href().ok()))
    {
        link.set_attribute("href", &href).ok();
    }
    if let Some(banner) = document.get_element_by_id("fault") {
        banner.remove_attribute("hidden").ok();
    }
}

fn matches_media(window: &Window, query: &str) -> bool {
    window.match_media(query).ok().flatten().is_some_and(|m| m.matches())
}

pub(crate) fn find(document: &Document, id: &str) -> Result<Element, JsValue> {
    document.get_element_by_id(id).ok_or_else(|| JsValue::from_str(&format!("the page lacks #{id}")))
}

fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsValue> {
    canvas.get_context("2d")?.ok_or("no 2d context")?.dyn_into().map_err(JsValue::from)
}

impl App {
    fn new(window: &Window, document: &Document, query: &str) -> Result<App, JsValue> {
        let mut panels = Vec::new();
        for i in 0..PANELS {
            let root =
                document.query_selector(&format!("[data-panel=\"{i}\"]"))?.ok_or("the page lacks a panel element")?;
            let part = |selector: &str| -> Result<Element, JsValue> {
                root.query_selector(selector)?.ok_or_else(|| JsValue::from_str("a panel lacks a part"))
            };
            let canvas: HtmlCanvasElement = part("canvas[role=img]")?.dyn_into()?;
            panels.push(PanelView {
                plot: Plot::new(canvas)?,
                title: part(".title")?,
                caption: part(".caption")?,
                badge: part(".badge")?,
                readout: patch::Patched::new(part(".readout")?),
                controls: part(".controls")?,
            });
        }
        let mut charts = Vec::new();
        for (id, series) in [("chart-loss", charts::Series::Loss), ("chart-lr", charts::Series::EffectiveLr)] {
            let canvas: HtmlCanvasElement = find(document, id)?.dyn_into()?;
            charts.push(ChartView { ctx: context(&canvas)?, canvas, series, size: (0.0, 0.0, 0.0) });
        }
        let ui = Ui {
            play: find(document, "play")?,
            scrub: find(document, "scrub")?.dyn_into()?,
            step_label: find(document, "step-label")?,
            speed: find(document, "speed")?.dyn_into()?,
            speed_label: find(document, "speed-label")?,
            loss: find(document, "loss")?.dyn_into()?,
            formula: find(document, "formula")?,
            expr: find(document, "expr")?.dyn_into()?,
            expr_status: find(document, "expr-status")?,
            live_note: find(document, "explain-live")?,
            announce: find(document, "announce")?,
        };
        let mut options = String::new();
        for (dim, label) in [(1, "1-D curves"), (2, "2-D surfaces")] {
            options.push_str(&format!("<optgroup label=\"{label}\">"));
            for loss in Loss::ALL.into_iter().filter(|l| l.dim() == dim) {
                options.push_str(&format!("<option value=\"{}\">{}</option>", loss.id(), loss.name()));
            }
            options.push_str("</optgroup>");
        }
        options.push_str("<option value=\"custom\">Your own function (type it)</option>");
        ui.loss.set_inner_html(&options);
        let overlay_canvas: HtmlCanvasElement = find(document, "overlay-canvas")?.dyn_into()?;

        let reduced_motion = matches_media(window, "(prefers-reduced-motion: reduce)");
        let mut app = App {
            lab: Lab::new(Scenario::seed()),
            ticker: Ticker::new(DEFAULT_SPEED),
            playing: false,
            last_frame: None,
            reduced_motion,
            dark: matches_media(window, "(prefers-color-scheme: dark)"),
            panels,
            charts,
            ui,
            gesture: Default::default(),
            pointers: Vec::new(),
            previews: Default::default(),
            url_pending: false,
            typing: false,
            overlay: false,
            overlay_plot: Plot::new(overlay_canvas)?,
            surface: surface::SurfaceCache::new(document)?,
            charts_dirty: true,
            frame_times: Samples::new(FRAME_SAMPLES),
            frame_count: 0,
            reached: 0,
            dirty: true,
            texts_dirty: true,
            announced: [""; PANELS],
            last_described: f64::NEG_INFINITY,
            embed: false,
            hide: Default::default(),
            url_query: query.to_owned(),
            url_written_at: f64::NEG_INFINITY,
            reported_height: -1,
            fitted_for: [f64::NAN; 7],
            drag_times: Samples::new(DRAG_SAMPLES),
        };
        app.apply_link(steplab_core::link::parse_with(query, &fmt::read));
        app.show_speed();
        Ok(app)
    }

    /// After the loss or a panel's optimizer changed: captions, settings, the loss menu.
    fn scenario_changed(&mut self) {
        let scenario = self.lab.scenario();
        for (spec, view) in scenario.panels.iter().zip(&self.panels) {
            view.title.set_text_content(Some(&spec.title));
            view.caption.set_text_content(Some(&readout::caption(&spec.optimizer)));
            view.controls.set_inner_html(&controls::settings_html(&spec.optimizer));
        }
        let custom = scenario.loss.builtin().is_none();
        self.ui.loss.set_value(if custom { "custom" } else { scenario.loss.builtin().map_or("", Loss::id) });
        self.ui.formula.set_text_content(Some(&scenario.loss.formula()));
        // The field shows a typed function's text, unless the reader is typing in it.
        if custom && !self.typing {
            if let steplab_core::loss::LossFn::Custom(function) = &scenario.loss {
                self.ui.expr.set_value(&function.expr.text());
            }
        }
        self.show_surface_controls();
        self.restarted();
    }

    /// After every panel went back to step 0.
    fn restarted(&mut self) {
        self.reached = self.lab.t();
        self.ticker.clear();
        self.dirty = true;
        self.texts_dirty = true;
        self.charts_dirty = true;
    }

    /// Sizes each canvas's backing store to its CSS box × devicePixelRatio.
    fn fit_canvases(&mut self, dpr: f64, viewport_height: f64) {
        let two_d = self.lab.scenario().loss.dim() == 2;
        let world = self.lab.scenario().view();
        let fitted_for = [world.x.0, world.x.1, world.y.0, world.y.1, f64::from(u8::from(two_d)), dpr, viewport_height];
        let resized = CANVAS_RESIZED.with(|flag| flag.replace(false));
        // NaN never equals itself, so the first frame always measures.
        if !resized && fitted_for == self.fitted_for {
            return;
        }
        self.fitted_for = fitted_for;
        let plots = self.panels.iter_mut().map(|p| &mut p.plot).chain(std::iter::once(&mut self.overlay_plot));
        for plot in plots {
            let mut rect = plot.canvas.get_bounding_client_rect();
            // A surface keeps the window's aspect ratio, so that circles stay round and a steep direction
            // looks steep; a 1-D plot takes the height its CSS gives it.
            if two_d && rect.width() > 0.0 {
                let aspect = (world.y.1 - world.y.0) / (world.x.1 - world.x.0);
                let wanted = ((rect.width() - 16.0) * aspect + 20.0).min(0.75 * viewport_height).round();
                if wanted != plot.fixed_height {
                    plot.canvas.style().set_property("height", &format!("{}px", wanted as i32)).ok();
                    plot.fixed_height = wanted;
                    rect = plot.canvas.get_bounding_client_rect();
                }
            } else if !two_d && plot.fixed_height != 0.0 {
                plot.canvas.style().remove_property("height").ok();
                plot.fixed_height = 0.0;
            }
            let frame = Frame::new(world, rect.width(), rect.height(), dpr);
            if frame != plot.frame {
                let (w, h) = frame.backing_size();
                for canvas in [&plot.canvas, &plot.back.canvas] {
                    canvas.set_width(w);
                    canvas.set_height(h);
                }
                plot.back.drawn_for = None;
                plot.frame = frame;
                self.dirty = true;
            }
        }
        for chart in &mut self.charts {
            let rect = chart.canvas.get_bounding_client_rect();
            let size = (rect.width().max(1.0), rect.height().max(1.0), dpr);
            if size != chart.size {
                chart.canvas.set_width((size.0 * dpr).round() as u32);
                chart.canvas.set_height((size.1 * dpr).round() as u32);
                chart.size = size;
                self.charts_dirty = true;
            }
        }
    }

    /// One animation frame: advance the clock by whole steps, then draw what changed.
    fn frame(&mut self, now_ms: f64, window: &Window) {
        let work_started = surface::now_ms();
        let elapsed = self.last_frame.map_or(0.0, |last| (now_ms - last) / 1000.0);
        self.last_frame = Some(now_ms);
        let viewport_height = window.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(800.0);
        self.fit_canvases(window.device_pixel_ratio(), viewport_height);
        if self.playing {
            let due = self.ticker.tick(elapsed);
            if due > 0 {
                self.lab.step_by(i64::from(due));
                self.moved();
                if self.lab.at_end() {
                    self.set_playing(false);
                }
            }
            // The ball glides between steps, so every frame draws while playing.
            self.dirty = !self.reduced_motion || due > 0 || self.dirty;
        }
        if self.dirty {
            self.draw();
            self.dirty = false;
        }
        if self.texts_dirty {
            self.write_texts(now_ms);
            self.texts_dirty = false;
        }
        if self.url_pending || matches!(self.gesture, input::Gesture::Start { .. }) {
            self.sync_url_throttled(now_ms);
        }
        self.report_height(window);
        if self.frame_count == 0 {
            // For the benchmark's time to the first drawn frame (docs/PERFORMANCE.md).
            if let Some(performance) = window.performance() {
                performance.mark("steplab:first-frame").ok();
            }
        }
        let spent = surface::now_ms() - work_started;
        self.frame_times.push(spent);
        self.frame_count += 1;
    }

    /// The frame of plot `plot` (0–2 the panels, 3 the overlay).
    pub(crate) fn frame_of(&self, plot: usize) -> &Frame {
        self.panels.get(plot).map_or(&self.overlay_plot.frame, |p| &p.plot.frame)
    }

    /// A new window for the 2-D surface (zoom, pan).
    pub(crate) fn set_view(&mut self, view: steplab_core::View) {
        self.lab.set_view(Some(view));
        self.url_pending = true;
        self.dirty = true;
    }

    pub(crate) fn reset_view(&mut self) {
        self.lab.set_view(None);
        self.url_pending = true;
        self.dirty = true;
    }

    /// The window the plots show.
    pub(crate) fn view(&self) -> steplab_core::View {
        self.lab.scenario().view()
    }

    /// One surface with the three paths, or a surface per panel.
    pub(crate) fn set_overlay(&mut self, overlay: bool) {
        self.overlay = overlay;
        self.show_surface_controls();
        self.dirty = true;
    }

    /// The view and overlay controls and the overlay figure exist only for 2-D losses.
    fn show_surface_controls(&self) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let two_d = self.lab.scenario().loss.dim() == 2;
        for id in ["overlay-toggle"] {
            if let Some(element) = document.get_element_by_id(id) {
                element.toggle_attribute_with_force("hidden", !two_d).ok();
            }
        }
        if let Some(figure) = document.get_element_by_id("overlay-figure") {
            figure.toggle_attribute_with_force("hidden", !(two_d && self.overlay)).ok();
        }
        if let Some(panels) = document.get_element_by_id("panels") {
            panels.class_list().toggle_with_force("overlaid", two_d && self.overlay).ok();
        }
        if let Some(toggle) = document.get_element_by_id("overlay").and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        {
            toggle.set_checked(self.overlay);
        }
    }

    pub(crate) fn clear_stats(&mut self) {
        self.frame_times.clear();
        self.drag_times.clear();
    }

    /// The three previews re-simulated `steps` steps long, `rounds` times, for the benchmark: the
    /// milliseconds of each round. The previews are cleared afterwards (none is shown outside a drag).
    pub(crate) fn time_previews(&mut self, steps: usize, rounds: u32) -> Vec<f64> {
        let times = (0..rounds)
            .map(|_| {
                let started = surface::now_ms();
                self.simulate_previews(steps);
                surface::now_ms() - started
            })
            .collect();
        self.previews.iter_mut().for_each(Vec::clear);
        times
    }

    /// After the clock moved.
    fn moved(&mut self) {
        self.reached = self.reached.max(self.lab.t());
        self.dirty = true;
        self.texts_dirty = true;
        self.charts_dirty = true;
    }

    fn glide(&self) -> f64 {
        if !self.playing || self.reduced_motion {
            return 0.0;
        }
        let t = (self.ticker.fraction() / GLIDE_SHARE).min(1.0);
        1.0 - (1.0 - t) * (1.0 - t)
    }

    fn palette(&self) -> &'static draw::Palette {
        if self.dark {
            &draw::DARK
        } else {
            &draw::LIGHT
        }
    }

    fn draw(&mut self) {
        let palette = self.palette();
        let glide = self.glide();
        let objective = self.lab.scenario().objective();
        let dark = self.dark;
        let scene = draw::Scene { lab: &self.lab, palette, glide, previews: &self.previews };
        if objective.dim() == 2 {
            // One overlay surface with every path, or a surface per panel with its own (no allocation per frame).
            const PATHS: [usize; PANELS] = [0, 1, 2];
            let overlaid = self.overlay;
            let view = self.lab.scenario().view();
            let overlay = overlaid.then_some((&mut self.overlay_plot, &PATHS[..]));
            let separate =
                self.panels.iter_mut().enumerate().filter(|_| !overlaid).map(|(i, p)| (&mut p.plot, &PATHS[i..=i]));
            for (plot, paths) in overlay.into_iter().chain(separate) {
                let (_, _, w, h) = plot.frame.plot_rect();
                let image = self.surface.image(&objective, view, w.round() as usize, h.round() as usize, dark);
                let frame = plot.frame;
                let number = image.map_or(0, |(_, number)| number);
                plot.back.show(&frame, Backdrop::Surface(number, frame), |ctx| {
                    draw::backdrop_2d(ctx, &frame, image.map(|(canvas, _)| canvas))
                });
                draw::surface_panel(&plot.ctx, &plot.frame, &scene, paths);
            }
        } else {
            for (i, view) in self.panels.iter_mut().enumerate() {
                let plot = &mut view.plot;
                let frame = plot.frame;
                plot.back.show(&frame, Backdrop::Curve(objective.clone(), frame, dark), |ctx| {
                    draw::backdrop_1d(ctx, &frame, &objective, palette)
                });
                draw::panel(&plot.ctx, &plot.frame, &scene, i);
            }
        }
        if self.charts_dirty {
            for chart in &self.charts {
                charts::draw(&chart.ctx, chart.size, &self.lab, chart.series, self.reached, palette);
            }
            self.charts_dirty = false;
        }
    }

    /// Readouts, badges, sliders and descriptions: written once per step, not per frame.
    fn write_texts(&mut self, now_ms: f64) {
        let t = self.lab.t();
        let describe = !self.playing || now_ms - self.last_described >= DESCRIBE_EVERY_MS;
        let mut announcement = String::new();
        for (i, view) in self.panels.iter_mut().enumerate() {
            let record = self.lab.shown(i);
            view.badge.set_text_content(Some(&status_text(self.lab.run(i), record)));
            view.badge.set_attribute("data-status", record.status.kind()).ok();
            // Hidden readouts (an embed's `hide=readouts`) are not worth building every step.
            if !self.hide.readouts {
                view.readout.set(&readout::panel_html(&self.lab, i));
            }
            let kind = record.status.kind();
            if kind != self.announced[i] {
                if record.n > 0 && kind != "running" {
                    announcement.push_str(&format!(
                        "{}: {}. ",
                        self.lab.scenario().panels[i].title,
                        status_text(self.lab.run(i), record)
                    ));
                }
                self.announced[i] = kind;
            }
            if describe {
                view.plot.canvas.set_attribute("aria-label", &readout::describe(&self.lab, i)).ok();
            }
        }
        if describe {
            self.last_described = now_ms;
        }
        if !announcement.is_empty() {
            self.ui.announce.set_text_content(Some(announcement.trim_end()));
        }
        self.ui.scrub.set_max(&(self.reached.max(100)).to_string());
        self.ui.scrub.set_value_as_number(f64::from(t));
        self.ui.step_label.set_text_content(Some(&t.to_string()));
        self.ui.live_note.set_text_content(Some(&readout::live_note(&self.lab)));
    }

    fn show_speed(&self) {
        self.ui.speed.set_value_as_number(controls::speed_to_slider(self.ticker.speed()));
        self.ui.speed_label.set_text_content(Some(&format!("{}/s", fmt::compact(self.ticker.speed(), 2))));
    }

    pub(crate) fn set_playing(&mut self, playing: bool) {
        if playing && self.lab.at_end() {
            self.lab.seek(0);
            self.moved();
        }
        self.playing = playing;
        self.ticker.clear();
        self.ui.play.set_text_content(Some(if playing { "Pause" } else { "Play" }));
        self.ui.play.set_attribute("aria-pressed", if playing { "true" } else { "false" }).ok();
        self.dirty = true;
        self.texts_dirty = true;
        self.charts_dirty = true;
    }

    pub(crate) fn step_by(&mut self, k: i64) {
        self.set_playing(false);
        self.lab.step_by(k);
        self.moved();
    }

    pub(crate) fn seek(&mut self, t: u32) {
        self.lab.seek(t);
        self.ticker.clear();
        self.moved();
    }

    pub(crate) fn reset(&mut self) {
        self.lab.reset();
        self.restarted();
    }

    pub(crate) fn set_speed(&mut self, speed: f64) {
        self.ticker.set_speed(speed);
        self.show_speed();
    }

    /// Every panel restarts from `start` (the model clamps it).
    pub(crate) fn set_start(&mut self, start: Point) {
        let started = surface::now_ms();
        self.lab.set_start(start);
        if matches!(self.gesture, input::Gesture::Start { .. }) {
            self.simulate_previews(PREVIEW_STEPS);
            let spent = surface::now_ms() - started;
            self.drag_times.push(spent);
        }
        self.restarted();
    }

    /// Re-simulates each panel's path preview from the start, `steps` steps long.
    fn simulate_previews(&mut self, steps: usize) {
        let scenario = self.lab.scenario();
        let objective = scenario.objective();
        for (spec, preview) in scenario.panels.iter().zip(&mut self.previews) {
            preview_path(objective.clone(), &spec.optimizer, scenario.start, steps, preview);
        }
    }

    /// Replaces the whole scenario (a link, a preset, a new loss).
    pub(crate) fn load(&mut self, scenario: Scenario) {
        self.lab.load(scenario);
        self.scenario_changed();
    }

    fn set_loss(&mut self, loss: Loss) {
        let mut scenario = self.lab.scenario().clone();
        scenario.loss = loss.into();
        scenario.start = loss.default_start();
        scenario.view = None;
        self.load(scenario);
    }

    /// The reader typed `text` into the expression field: a function that parses replaces the loss at
    /// once (the panels keep their optimizers, and the start if it is still inside the window); one that
    /// does not shows its error with the position, and the last good curve stays.
    fn typed_expression(&mut self, text: &str) {
        let status = self.ui.expr_status.clone();
        if text.trim().is_empty() {
            status.set_text_content(Some(""));
            status.class_list().remove_1("error").ok();
            self.ui.expr.remove_attribute("aria-invalid").ok();
            return;
        }
        match steplab_core::expr::Expr::parse_with(text, &fmt::read) {
            Ok(expr) => {
                let loss = steplab_core::loss::LossFn::custom(expr);
                let mut scenario = self.lab.scenario().clone();
                let keep_start = loss.dim() == scenario.loss.dim() && {
                    let view = loss.default_view();
                    let [x, y] = scenario.start;
                    view.x.0 <= x && x <= view.x.1 && (loss.dim() == 1 || (view.y.0 <= y && y <= view.y.1))
                };
                if !keep_start {
                    scenario.start = loss.default_start();
                }
                let dim = loss.dim();
                scenario.loss = loss;
                scenario.view = None;
                self.load(scenario);
                status.class_list().remove_1("error").ok();
                self.ui.expr.remove_attribute("aria-invalid").ok();
                let variables = if dim == 2 { "x and y: a surface" } else { "x: a curve" };
                status.set_text_content(Some(&format!(
                    "OK — a function of {variables}. Gradients are exact (automatic differentiation)."
                )));
                self.url_pending = true;
            }
            Err(err) => {
                status.class_list().add_1("error").ok();
                self.ui.expr.set_attribute("aria-invalid", "true").ok();
                status.set_text_content(Some(&format!("{err} — the last good function is still shown.")));
            }
        }
    }

    /// Panel `panel` gets `optimizer`; all restart. `rebuild` re-renders its settings (a new kind).
    fn set_optimizer(&mut self, panel: usize, optimizer: Optimizer, rebuild: bool) {
        self.lab.set_optimizer(panel, optimizer);
        let view = &self.panels[panel];
        view.caption.set_text_content(Some(&readout::caption(&optimizer)));
        if rebuild {
            view.controls.set_inner_html(&controls::settings_html(&optimizer));
        }
        self.restarted();
    }

    /// The settings of panel `panel` reported an input event on `target`.
    fn settings_input(&mut self, panel: usize, target: &Element, committed: bool) {
        let current = self.lab.scenario().panels[panel].optimizer;
        if let Some(select) = target.dyn_ref::<HtmlSelectElement>() {
            if let Some(kind) = OptimizerKind::from_id(&select.value()) {
                self.set_optimizer(panel, controls::switch_kind(&current, kind), true);
                self.sync_url(true);
            }
            return;
        }
        let Some(input) = target.dyn_ref::<HtmlInputElement>() else { return };
        let (name, value) = if input.has_attribute("data-lr-slider") {
            ("lr".to_owned(), controls::lr_from_slider(input.value_as_number()))
        } else if let Some(name) = input.get_attribute("data-param") {
            let value = if input.type_() == "checkbox" {
                f64::from(u8::from(input.checked()))
            } else {
                input.value_as_number()
            };
            (name, value)
        } else {
            return;
        };
        // A half-typed number is not an intent yet.
        if value.is_nan() {
            return;
        }
        let updated = controls::with_param(&current, &name, value);
        self.set_optimizer(panel, updated, false);
        self.sync_url(committed);
        // Keep the learning rate's slider and field in step, without rewriting the one being typed in.
        if name == "lr" {
            let lr = updated.lr();
            if let Ok(Some(slider)) = self.panels[panel].controls.query_selector("[data-lr-slider]") {
                if let Some(slider) = slider.dyn_ref::<HtmlInputElement>() {
                    slider.set_value_as_number(controls::lr_to_slider(lr));
                }
            }
            if let Ok(Some(field)) = self.panels[panel].controls.query_selector("input[data-param=lr]") {
                if let Some(field) = field.dyn_ref::<HtmlInputElement>() {
                    if !field.is_same_node(Some(input)) || committed {
                        field.set_value(&fmt::short(lr));
                    }
                }
            }
        } else if committed && input.type_() == "number" {
            input.set_value(&fmt::short(updated.get(&name).unwrap_or(value)));
        }
    }
}

/// Hooks every control to the app. Handlers only report intent; the app decides.
fn wire(window: &Window, document: &Document) -> Result<(), JsValue> {
    let click = |id: &str, action: fn(&mut App)| -> Result<(), JsValue> {
        listen(&find(document, id)?, "click", move |_| {
            with_app(|app| {
                action(app);
                app.sync_url(false);
            });
        })
    };
    click("play", |app| app.set_playing(!app.playing))?;
    click("step-back", |app| app.step_by(-1))?;
    click("step-forward", |app| app.step_by(1))?;
    click("reset", App::reset)?;

    listen(&find(document, "scrub")?, "input", |event| {
        if let Some(input) = event.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
            let t = input.value_as_number();
            with_app(|app| {
                app.set_playing(false);
                app.seek(if t.is_finite() { t.max(0.0) as u32 } else { 0 });
                app.sync_url(false);
            });
        }
    })?;
    listen(&find(document, "speed")?, "input", |event| {
        if let Some(input) = event.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
            let speed = controls::speed_from_slider(input.value_as_number());
            with_app(|app| {
                app.set_speed(speed);
                app.sync_url(false);
            });
        }
    })?;
    listen(&find(document, "loss")?, "change", |event| {
        if let Some(select) = event.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()) {
            if let Some(loss) = Loss::from_id(&select.value()) {
                with_app(|app| {
                    app.set_loss(loss);
                    app.sync_url(true);
                });
            } else if select.value() == "custom" {
                with_app(|app| {
                    if app.ui.expr.value().trim().is_empty() {
                        app.ui.expr.set_value("x^4 - 3*x^2 + x");
                    }
                    let text = app.ui.expr.value();
                    app.typed_expression(&text);
                    app.sync_url(true);
                    app.ui.expr.focus().ok();
                });
            }
        }
    })?;
    let expr = find(document, "expr")?;
    listen(&expr, "input", |event| {
        if let Some(input) = event.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
            let text = input.value();
            with_app(|app| app.typed_expression(&text));
        }
    })?;
    listen(&expr, "change", |_| {
        with_app(|app| app.sync_url(true));
    })?;
    listen(&expr, "focus", |_| {
        with_app(|app| app.typing = true);
    })?;
    listen(&expr, "blur", |_| {
        with_app(|app| app.typing = false);
    })?;

    for panel in 0..PANELS {
        let (canvas, settings) = with_app(|app| {
            let view = &app.panels[panel];
            (view.plot.canvas.clone(), view.controls.clone())
        })
        .ok_or("no app")?;
        input::wire_plot(&canvas, panel)?;
        for (event, committed) in [("input", false), ("change", true)] {
            listen(&settings, event, move |event| {
                if let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                    with_app(|app| app.settings_input(panel, &target, committed));
                }
            })?;
        }
    }

    input::wire_plot(&find(document, "overlay-canvas")?.dyn_into::<HtmlCanvasElement>()?, 3)?;
    listen(&find(document, "reset-view")?, "click", |_| {
        with_app(App::reset_view);
    })?;
    listen(&find(document, "overlay")?, "change", |event| {
        if let Some(input) = event.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
            let on = input.checked();
            with_app(|app| {
                app.set_overlay(on);
                app.sync_url(true);
            });
        }
    })?;

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
        let action: Option<fn(&mut App)> = match key.key().as_str() {
            " " => Some(|app| app.set_playing(!app.playing)),
            "ArrowRight" => Some(|app| app.step_by(1)),
            "ArrowLeft" => Some(|app| app.step_by(-1)),
            "r" | "R" => Some(App::reset),
            _ => None,
        };
        if let Some(action) = action {
            event.prevent_default();
            with_app(|app| {
                action(app);
                app.sync_url(false);
            });
        }
    })?;

    if let Ok(Some(query)) = window.match_media("(prefers-color-scheme: dark)") {
        listen(&query, "change", |event| {
            let dark = event.dyn_ref::<web_sys::MediaQueryListEvent>().is_some_and(|e| e.matches());
            with_app(|app| {
                app.dark = dark;
                app.dirty = true;
                app.charts_dirty = true;
            });
        })?;
    }
    Ok(())
}

/// The frame callback, which holds a handle to itself to register again each frame.
type FrameCallback = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// Watches every canvas for a size change (a resized window, a panel shown or hidden, the overlay
/// toggled): only then does a frame measure their boxes again. Likewise the page's root and body, for
/// the height an embedded page reports.
fn observe_sizes(document: &Document) -> Result<(), JsValue> {
    let canvases = document.query_selector_all("#steplab canvas")?;
    let canvases = (0..canvases.length()).filter_map(|i| canvases.item(i)?.dyn_into::<Element>().ok());
    raise_on_resize(&CANVAS_RESIZED, canvases)?;
    let page = [document.document_element(), document.body().map(Element::from)];
    raise_on_resize(&PAGE_RESIZED, page.into_iter().flatten())
}

/// Sets `flag` whenever one of `elements` changes size, for the life of the page.
fn raise_on_resize(
    flag: &'static std::thread::LocalKey<std::cell::Cell<bool>>,
    elements: impl Iterator<Item = Element>,
) -> Result<(), JsValue> {
    let callback = Closure::<dyn FnMut()>::new(move || flag.with(|f| f.set(true)));
    let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref())?;
    callback.forget();
    elements.for_each(|element| observer.observe(&element));
    std::mem::forget(observer);
    Ok(())
}

/// The requestAnimationFrame loop: one closure, re-registered every frame, kept alive by its own handle.
fn start_loop(window: &Window) -> Result<(), JsValue> {
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

// Talc instead of the default dlmalloc: smaller code for the same job (measured in docs/PERFORMANCE.md).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
