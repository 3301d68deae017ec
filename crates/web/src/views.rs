//! The views: every element the page writes to, and how the session is drawn into them. They read the
//! session and own no model state, only handles, canvas geometry and caches of what they last drew.

use crate::controls;
use crate::draw::{self, Palette};
use crate::gesture::PlotGeometry;
use crate::readout::Readout;
use crate::session::{Changes, ExpressionStatus, Field, Session, Settings};
use crate::sparse_view;
use crate::strip::{self, StripFrame};
use crate::surface::SurfaceCache;
use crate::text;
use crate::view::Frame;
use crate::{charts, fmt};
use steplab_core::lab::PANELS;
use steplab_core::link::{Hide, Link};
use steplab_core::{Loss, Objective};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Document, Element, HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};

/// Screen-reader descriptions of the canvases are refreshed at most this often while playing (ms).
const DESCRIBE_EVERY_MS: f64 = 2000.0;

/// A canvas with its geometry: a panel's plot or the overlay surface.
pub struct Plot {
    pub canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    pub frame: Frame,
    /// A surface's handle for a finger: kept on the start ring (see style.css, `.grab`).
    grab: web_sys::HtmlElement,
    /// Where the handle was last put (CSS px), to write its position only when it moves.
    grab_at: (f64, f64),
    /// The still layer under `canvas` (the curve and axes, or the heatmap): drawn when it changes, so a
    /// frame only clears and draws the moving parts instead of copying a whole image.
    back: Layer,
}

impl Plot {
    /// The plot of `canvas`, whose backdrop layer is the `canvas.back` just before it (see index.html).
    fn new(canvas: HtmlCanvasElement) -> Plot {
        let back = backdrop_of(&canvas).unwrap_or_else(|| missing("a plot's backdrop canvas"));
        let grab = canvas.next_element_sibling().and_then(|e| e.dyn_into().ok());
        Plot {
            ctx: context(&canvas),
            canvas,
            frame: Frame::new(Loss::SmoothAbs.default_view(), 1.0, 1.0, 1.0),
            grab: grab.unwrap_or_else(|| missing("a plot's handle")),
            grab_at: (f64::NAN, f64::NAN),
            back: Layer { ctx: context(&back), canvas: back, drawn_for: None },
        }
    }
}

/// The backdrop layer of a plot's canvas: the `canvas.back` just before it (see index.html).
pub fn backdrop_of(canvas: &HtmlCanvasElement) -> Option<HtmlCanvasElement> {
    canvas.previous_element_sibling().filter(|e| e.class_list().contains("back"))?.dyn_into().ok()
}

/// The 2-D context of `canvas`; a browser without one cannot show the page (it throws).
pub fn context(canvas: &HtmlCanvasElement) -> CanvasRenderingContext2d {
    match canvas.get_context("2d").ok().flatten().and_then(|ctx| ctx.dyn_into().ok()) {
        Some(ctx) => ctx,
        None => missing("a canvas 2-D context"),
    }
}

/// Every element `selector` finds, in document order.
fn all(document: &Document, selector: &str) -> Vec<Element> {
    let Ok(found) = document.query_selector_all(selector) else { return Vec::new() };
    (0..found.length()).filter_map(|i| found.item(i)?.dyn_into::<Element>().ok()).collect()
}

/// The first element under `root` that `selector` finds, as the type the page's HTML gives it (see
/// [`find`]).
pub fn part<T: JsCast>(root: &Element, selector: &str) -> T {
    match root.query_selector(selector).ok().flatten().and_then(|e| e.dyn_into().ok()) {
        Some(element) => element,
        None => missing(selector),
    }
}

/// The first element of the document that `selector` finds (see [`part`]).
pub fn first(document: &Document, selector: &str) -> Element {
    match document.query_selector(selector).ok().flatten() {
        Some(element) => element,
        None => missing(selector),
    }
}

/// The element `#id`. The page's HTML and this code are built together, so a missing element is a
/// defect of the build: it throws (the start fails with the id in the message) instead of returning an
/// error, which keeps every caller's error path, and the wasm bytes it costs, out of the way.
pub fn find(document: &Document, id: &str) -> Element {
    match document.get_element_by_id(id) {
        Some(element) => element,
        None => missing(&["#", id].concat()),
    }
}

/// The element `#id` as the type the page's HTML gives it (see [`find`]).
pub fn find_as<T: JsCast>(document: &Document, id: &str) -> T {
    match find(document, id).dyn_into() {
        Ok(element) => element,
        Err(_) => missing(&["#", id].concat()),
    }
}

#[cold]
fn missing(what: &str) -> ! {
    wasm_bindgen::throw_str(&["the page lacks ", what, " (or it is of the wrong kind)"].concat())
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
    Curve(Objective, Frame, bool),
    Surface(u32, Frame),
    /// Nothing (the sparse lab draws everything on the front layer).
    Blank(Frame),
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

/// One panel's elements.
struct PanelView {
    plot: Plot,
    title: Element,
    caption: Element,
    badge: Element,
    readout: Readout,
    controls: Element,
    title_field: HtmlInputElement,
    note: Element,
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
    root: Element,
    play: Element,
    scrub: HtmlInputElement,
    step_label: Element,
    speed: HtmlInputElement,
    speed_label: Element,
    speed_step: Element,
    loss: HtmlSelectElement,
    formula: Element,
    expr: HtmlInputElement,
    expr_status: Element,
    live_note: Element,
    announce: Element,
    notices: Element,
    notice_list: Element,
    full_demo: Element,
    overlay_toggle: Element,
    overlay_box: HtmlInputElement,
    overlay_figure: Element,
    panels: Element,
    loss_chart_title: Element,
    lr_chart_title: Element,
    sparse_live: Element,
    sparse_features: HtmlInputElement,
    sparse_rare: HtmlInputElement,
    sparse_spread: HtmlSelectElement,
    sparse_label_noise: HtmlInputElement,
    sparse_shift: HtmlInputElement,
    legend_titles: Vec<Element>,
    dashed_note: Element,
    /// The overlay's legend: each path's title and status.
    overlay_titles: Vec<Element>,
    overlay_statuses: Vec<Element>,
}

/// The learning-rate sweep strip.
struct StripView {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    frame: StripFrame,
    dpr: f64,
    summary: Element,
    horizon: Element,
}

pub struct Views {
    document: Document,
    panels: Vec<PanelView>,
    charts: Vec<ChartView>,
    strip: StripView,
    /// The noise fields (σ and the seed), and the charts' note on the ensemble's band.
    noise: HtmlInputElement,
    seed: HtmlInputElement,
    band_note: Element,
    band_runs: Element,
    overlay: Plot,
    ui: Ui,
    surface: SurfaceCache,
    /// What the canvas sizes were last fitted for (view window, dimension, overlay, pixel ratio, viewport
    /// height): reading the canvases' boxes forces a layout, so a frame does it only when this changed or
    /// a ResizeObserver saw a canvas change size.
    fitted_for: [f64; 7],
    last_described: f64,
}

impl Views {
    /// Finds the page's elements and fills the loss menu.
    pub fn find(document: &Document) -> Result<Views, JsValue> {
        let mut panels = Vec::new();
        for i in 0..PANELS {
            let root = first(document, &format!("[data-panel=\"{i}\"]"));
            panels.push(PanelView {
                plot: Plot::new(part::<HtmlCanvasElement>(&root, "canvas[role=img]")),
                title: part(&root, ".title"),
                caption: part(&root, ".caption"),
                badge: part(&root, ".badge"),
                readout: Readout::new(part(&root, ".readout")),
                controls: part(&root, ".controls"),
                title_field: part(&root, ".title-field"),
                note: part(&root, ".setting-note"),
            });
        }
        let mut charts = Vec::new();
        for (id, series) in [("chart-loss", charts::Series::Loss), ("chart-lr", charts::Series::EffectiveLr)] {
            let canvas: HtmlCanvasElement = find_as(document, id);
            charts.push(ChartView { ctx: context(&canvas), canvas, series, size: (0.0, 0.0, 0.0) });
        }
        let ui = Ui {
            root: document.document_element().ok_or("no root element")?,
            play: find(document, "play"),
            scrub: find_as(document, "scrub"),
            step_label: find(document, "step-label"),
            speed: find_as(document, "speed"),
            speed_label: find(document, "speed-label"),
            speed_step: find(document, "speed-step"),
            loss: find_as(document, "loss"),
            formula: find(document, "formula"),
            expr: find_as(document, "expr"),
            expr_status: find(document, "expr-status"),
            live_note: find(document, "explain-live"),
            announce: find(document, "announce"),
            notices: find(document, "notices"),
            notice_list: find(document, "notice-list"),
            full_demo: find(document, "full-demo"),
            overlay_toggle: find(document, "overlay-toggle"),
            overlay_box: find_as(document, "overlay"),
            overlay_figure: find(document, "overlay-figure"),
            panels: find(document, "panels"),
            loss_chart_title: find(document, "chart-loss-title"),
            lr_chart_title: find(document, "chart-lr-title"),
            sparse_live: find(document, "sparse-live"),
            sparse_features: find_as(document, "sparse-features"),
            sparse_rare: find_as(document, "sparse-rare"),
            sparse_spread: find_as(document, "sparse-spread"),
            sparse_label_noise: find_as(document, "sparse-label-noise"),
            sparse_shift: find_as(document, "sparse-shift"),
            legend_titles: all(document, "#chart-legend .legend-title"),
            dashed_note: first(document, "#chart-legend .dashed-note"),
            overlay_titles: all(document, "#overlay-legend .legend-title"),
            overlay_statuses: all(document, "#overlay-legend .legend-status"),
        };
        let overlay = Plot::new(find_as(document, "overlay-canvas"));
        let strip_canvas: HtmlCanvasElement = find_as(document, "sweep-canvas");
        let strip = StripView {
            ctx: context(&strip_canvas),
            canvas: strip_canvas,
            frame: StripFrame::new(1.0, 1.0, 1e-4, 1e2),
            dpr: 1.0,
            summary: find(document, "sweep-summary"),
            horizon: find(document, "sweep-horizon"),
        };
        Ok(Views {
            strip,
            noise: find_as(document, "noise"),
            seed: find_as(document, "seed"),
            band_note: first(document, ".band-note"),
            band_runs: find(document, "band-runs"),
            document: document.clone(),
            panels,
            charts,
            overlay,
            ui,
            surface: SurfaceCache::new(document)?,
            fitted_for: [f64::NAN; 7],
            last_described: f64::NEG_INFINITY,
        })
    }

    /// The canvas of plot `plot` (0–2 the panels, 3 the overlay).
    pub fn canvas(&self, plot: usize) -> &HtmlCanvasElement {
        self.panels.get(plot).map_or(&self.overlay.canvas, |p| &p.plot.canvas)
    }

    /// The settings container of panel `panel`.
    pub fn controls(&self, panel: usize) -> &Element {
        &self.panels[panel].controls
    }

    /// The heatmap's last recompute: milliseconds and how many there were.
    pub fn heatmap_stats(&self) -> (f64, u32) {
        (self.surface.last_ms, self.surface.recomputes)
    }

    /// What a plot looks like to the gestures.
    pub fn geometry(&self, plot: usize, session: &Session) -> PlotGeometry {
        let mut frame = self.panels.get(plot).map_or(self.overlay.frame, |p| p.plot.frame);
        // The window as the session has it now: several zooms or pans may come before the next frame.
        frame.plot.world = session.view();
        let scenario = session.lab().scenario();
        let start = scenario.start;
        let ring = if session.dim() == 2 {
            frame.to_px(start[0], start[1])
        } else {
            // Where the loss has no value the ring sits on the bottom line (see draw.rs).
            let value = scenario.objective().value(start);
            let (x, y) = frame.to_px(start[0], value);
            (x, if value.is_finite() { frame.clamp_py(y) } else { frame.plot.bottom })
        };
        PlotGeometry { frame, home: scenario.objective().view(), ring, start, dim: session.dim() }
    }

    /// Sizes each canvas's backing store to its CSS box × devicePixelRatio; true when a plot changed size.
    pub fn fit(&mut self, session: &Session, resized: bool, dpr: f64) -> bool {
        let two_d = session.dim() == 2;
        let world = session.view();
        let overlaid = f64::from(u8::from(session.overlaid()));
        let fitted_for = [world.x.0, world.x.1, world.y.0, world.y.1, f64::from(u8::from(two_d)), overlaid, dpr];
        // NaN never equals itself, so the first frame always measures.
        if !resized && fitted_for == self.fitted_for {
            return false;
        }
        self.fitted_for = fitted_for;
        if two_d {
            // The one surface of the overlay is as tall as its window's proportions ask (up to a share of the
            // screen, see style.css), in whole thousandths.
            let ratio =
                |d: f64| (d.abs() * 1000.0 / (world.x.1 - world.x.0).abs()).round().clamp(100.0, 10_000.0) as i32;
            let aspect = format!("1000 / {}", ratio(world.y.1 - world.y.0));
            if let Some(plot) =
                self.overlay.canvas.parent_element().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                plot.style().set_property("aspect-ratio", &aspect).ok();
            }
        }
        let mut changed = false;
        let plots = self.panels.iter_mut().map(|p| &mut p.plot).chain(std::iter::once(&mut self.overlay));
        for plot in plots {
            // The canvas keeps the box its CSS gives it (nothing moves when the page comes alive); a surface
            // is letterboxed inside it.
            let rect = plot.canvas.get_bounding_client_rect();
            let frame = if two_d {
                Frame::letterboxed(world, rect.width(), rect.height(), dpr)
            } else {
                Frame::new(world, rect.width(), rect.height(), dpr)
            };
            if frame != plot.frame {
                let (w, h) = frame.backing_size();
                for canvas in [&plot.canvas, &plot.back.canvas] {
                    canvas.set_width(w);
                    canvas.set_height(h);
                }
                plot.back.drawn_for = None;
                plot.frame = frame;
                changed = true;
            }
        }
        let rect = self.strip.canvas.get_bounding_client_rect();
        let spec = session.lab().scenario().sweep;
        let frame = StripFrame::new(rect.width().max(1.0), rect.height().max(1.0), spec.from, spec.to);
        if frame != self.strip.frame || dpr != self.strip.dpr {
            self.strip.canvas.set_width((frame.width * dpr).round() as u32);
            self.strip.canvas.set_height((frame.height * dpr).round() as u32);
            (self.strip.frame, self.strip.dpr) = (frame, dpr);
            changed = true;
        }
        for chart in &mut self.charts {
            let rect = chart.canvas.get_bounding_client_rect();
            let size = (rect.width().max(1.0), rect.height().max(1.0), dpr);
            if size != chart.size {
                chart.canvas.set_width((size.0 * dpr).round() as u32);
                chart.canvas.set_height((size.1 * dpr).round() as u32);
                chart.size = size;
                changed = true;
            }
        }
        changed
    }

    /// The expression field shows the session's text (the session never asks while the reader edits it),
    /// and, when asked, takes the focus with its text selected so that typing replaces the example.
    pub fn expression_field(&self, session: &Session, write: bool, focus: bool) {
        if write && session.editing() != Some(&Field::Expression) {
            self.ui.expr.set_value(session.expression());
        }
        if focus {
            // On a phone the field shows only for your own function (see style.css): show it first.
            self.ui.root.class_list().add_1("own-loss").ok();
            self.ui.expr.focus().ok();
            self.ui.expr.select();
        }
    }

    /// Writes and draws what `changes` says changed.
    pub fn render(&mut self, session: &Session, changes: &Changes, now_ms: f64) {
        if changes.layout {
            self.layout(session);
        }
        if changes.scenario {
            self.scenario(session);
        }
        if changes.captions || changes.scenario {
            // A title that described the panel's old setting may have become a neutral one.
            for (i, (spec, view)) in session.lab().scenario().panels.iter().zip(&self.panels).enumerate() {
                let title = text::title(spec);
                view.title.set_attribute("title", &title).ok();
                view.title.set_text_content(Some(&title));
                let caption = text::caption(spec);
                view.caption.set_attribute("title", &caption).ok();
                view.caption.set_text_content(Some(&caption));
                for keys in [&self.ui.legend_titles, &self.ui.overlay_titles] {
                    if let Some(key) = keys.get(i) {
                        key.set_text_content(Some(&title));
                    }
                }
                // The title field holds a title someone chose; a neutral one shows as its placeholder.
                if session.editing() != Some(&Field::Title { panel: i }) {
                    let chosen = match &spec.title {
                        steplab_core::Title::Neutral => String::new(),
                        _ => title,
                    };
                    view.title_field.set_value(&chosen);
                }
            }
        }
        for panel in 0..PANELS {
            self.settings(session, panel, changes.settings[panel]);
        }
        if changes.transport {
            self.transport(session);
        }
        if changes.expression_status {
            self.expression_status(session);
        }
        if changes.notices {
            self.notices(session.notices());
        }
        if let Some(said) = &changes.announce {
            self.ui.announce.set_text_content(Some(said));
        }
        if changes.plots {
            self.draw(session);
        }
        if changes.charts {
            let palette = palette(session);
            let lab = session.lab();
            for chart in &self.charts {
                match session.sparse() {
                    Some(sparse) => {
                        let rate = chart.series == charts::Series::EffectiveLr;
                        sparse_view::draw_chart(&chart.ctx, chart.size, sparse, rate, session.reached(), palette);
                    }
                    None => charts::draw(&chart.ctx, chart.size, lab, chart.series, session.reached(), palette),
                }
            }
        }
        if changes.texts {
            self.texts(session, now_ms);
        }
        if changes.sweep {
            self.strip(session);
        }
        if changes.noise || changes.scenario {
            self.noise_fields(session);
        }
    }

    /// The sweep strip and its sentence.
    fn strip(&self, session: &Session) {
        let strip = &self.strip;
        strip::draw(&strip.ctx, &strip.frame, strip.dpr, session, palette(session));
        strip.summary.set_text_content(Some(&strip::summary(session)));
        strip.horizon.set_text_content(Some(&session.lab().scenario().sweep.horizon.to_string()));
    }

    /// The noise fields show the scenario's σ and seed, except the one being typed in.
    fn noise_fields(&self, session: &Session) {
        let scenario = session.lab().scenario();
        self.band_note.toggle_attribute_with_force("hidden", !scenario.has_ensemble()).ok();
        self.band_runs.set_text_content(Some(&scenario.runs.to_string()));
        let noise = scenario.noise;
        let active = self.document.active_element();
        for (field, value) in [(&self.noise, noise.sigma), (&self.seed, f64::from(noise.seed))] {
            if active.as_ref() != Some(field.as_ref()) {
                field.set_value(&fmt::short(value));
            }
        }
    }

    /// The strip's geometry, for the gestures on it.
    pub fn strip_frame(&self) -> StripFrame {
        self.strip.frame
    }

    /// Embed mode, hidden parts, the "Open in Step Lab ↗" link, and which surface controls and figures show.
    fn layout(&self, session: &Session) {
        let classes = self.ui.root.class_list();
        classes.toggle_with_force("embed", session.embed()).ok();
        let hide = session.hide();
        for name in Hide::NAMES {
            classes.toggle_with_force(&format!("hide-{name}"), hide.get(name)).ok();
        }
        let full = Link { embed: false, hide: Hide::default(), ..session.link() };
        self.ui.full_demo.set_attribute("href", &format!("?{}", full.to_query(&fmt::short))).ok();
        let two_d = session.dim() == 2;
        // Out of sight for a curve but keeping its room (style.css), so that the bar keeps its shape.
        self.ui.overlay_toggle.class_list().toggle_with_force("off", !two_d).ok();
        self.ui.overlay_figure.toggle_attribute_with_force("hidden", !session.overlaid()).ok();
        self.ui.panels.class_list().toggle_with_force("overlaid", session.overlaid()).ok();
        self.ui.panels.class_list().toggle_with_force("surface", two_d).ok();
        self.ui.dashed_note.toggle_attribute_with_force("hidden", !two_d).ok();
        self.ui.overlay_box.set_checked(session.overlay());
    }

    /// Titles, the loss menu and the formula.
    fn scenario(&self, session: &Session) {
        let scenario = session.lab().scenario();
        let id = scenario.loss.builtin().map_or("custom", Loss::id);
        self.ui.loss.set_value(id);
        self.ui.root.class_list().toggle_with_force("own-loss", id == "custom").ok();
        self.ui.formula.set_text_content(Some(&scenario.objective().formula(&fmt::short)));
        let sparse = scenario.sparse_data();
        self.ui.root.class_list().toggle_with_force("sparse-lab", sparse.is_some()).ok();
        let (loss_title, lr_title) = match sparse {
            Some(data) => {
                // Which feature is rarest, and after a drift, which one then.
                let which = match data.shift_at {
                    Some(shift) if data.rarest(shift) != data.rarest(0) => {
                        format!("x{}, then x{} from example {shift}", data.rarest(0) + 1, data.rarest(shift) + 1)
                    }
                    _ => format!("x{}", data.rarest(0) + 1),
                };
                (
                    format!("Error of the rare feature's weight ({which}), |w − w*|, per example"),
                    format!("The rare feature's effective learning rate ({which}), per example"),
                )
            }
            None => (
                charts::loss_chart_title(&scenario.objective()).to_owned(),
                "Effective learning rate η<sub>eff</sub>, per step".to_owned(),
            ),
        };
        self.ui.loss_chart_title.set_text_content(Some(&loss_title));
        // Trusted markup: one of two static titles.
        self.ui.lr_chart_title.set_inner_html(&lr_title);
        if let Some(setup) = scenario.sparse {
            let active = self.document.active_element();
            let fields: [(&HtmlInputElement, String); 4] = [
                (&self.ui.sparse_features, setup.features.to_string()),
                (&self.ui.sparse_rare, fmt::short(setup.rare_percent)),
                (&self.ui.sparse_label_noise, fmt::short(setup.label_noise)),
                (&self.ui.sparse_shift, setup.shift.map_or(String::new(), |s| s.to_string())),
            ];
            for (field, value) in fields {
                if active.as_ref() != Some(field.as_ref()) {
                    field.set_value(&value);
                }
            }
            self.ui.sparse_spread.set_value(setup.spread.id());
        }
    }

    /// A panel's settings: built again, or their values written (but not into the field the reader is
    /// editing, unless they committed it).
    fn settings(&self, session: &Session, panel: usize, what: Settings) {
        let optimizer = &session.lab().scenario().panels[panel].optimizer;
        let controls = &self.panels[panel].controls;
        if what != Settings::Keep {
            self.panels[panel].note.set_text_content(Some(session.setting_note(panel)));
        }
        match what {
            Settings::Keep => {}
            Settings::Rebuild => controls.set_inner_html(&controls::settings_html(optimizer)),
            Settings::Values | Settings::Commit => {
                let edited = match session.editing() {
                    Some(Field::Hyper { panel: p, name }) if *p == panel && what == Settings::Values => {
                        Some(name.as_str())
                    }
                    _ => None,
                };
                let Ok(fields) = controls.query_selector_all("input") else { return };
                for i in 0..fields.length() {
                    let Some(input) = fields.item(i).and_then(|f| f.dyn_into::<HtmlInputElement>().ok()) else {
                        continue;
                    };
                    if input.has_attribute("data-lr-slider") {
                        if edited != Some(controls::LR_SLIDER) {
                            input.set_value_as_number(controls::lr_to_slider(optimizer.lr()));
                        }
                        continue;
                    }
                    let Some(name) = input.get_attribute("data-param") else { continue };
                    let Some(value) = optimizer.get(&name) else { continue };
                    if edited == Some(name.as_str()) {
                        continue;
                    }
                    if input.type_() == "checkbox" {
                        input.set_checked(value == 1.0);
                    } else {
                        input.set_value(&fmt::short(value));
                    }
                }
            }
        }
    }

    fn transport(&self, session: &Session) {
        let playing = session.playing();
        self.ui.play.set_text_content(Some(if playing { "Pause" } else { "Play" }));
        self.ui.play.set_attribute("aria-pressed", if playing { "true" } else { "false" }).ok();
        self.ui.speed.set_value_as_number(controls::speed_to_slider(session.speed()));
        let speed = format!("{}/s", fmt::compact(session.speed(), 2));
        self.ui.speed_label.set_text_content(Some(&speed));
        self.ui.speed_step.set_text_content(Some(&speed));
        // The name starts with what the button shows (a speech-input user says what they see).
        self.ui.speed_step.set_attribute("aria-label", &format!("{speed} speed: the next one up")).ok();
    }

    fn expression_status(&self, session: &Session) {
        let status = &self.ui.expr_status;
        let (text, error) = match session.expression_status() {
            ExpressionStatus::Empty => (String::new(), false),
            ExpressionStatus::Accepted { dim } => {
                let variables = if *dim == 2 { "x and y: a surface" } else { "x: a curve" };
                (format!("OK — a function of {variables}. Gradients are exact (automatic differentiation)."), false)
            }
            ExpressionStatus::Refused(message) => (format!("{message} — the last good function is still shown."), true),
        };
        status.set_text_content(Some(&text));
        status.class_list().toggle_with_force("error", error).ok();
        if error {
            self.ui.expr.set_attribute("aria-invalid", "true").ok();
        } else {
            self.ui.expr.remove_attribute("aria-invalid").ok();
        }
    }

    /// Lists the notices (as text), or hides the box when there are none.
    fn notices(&self, texts: &[String]) {
        self.ui.notice_list.set_text_content(None);
        for text in texts {
            if let Ok(item) = self.document.create_element("li") {
                item.set_text_content(Some(text));
                self.ui.notice_list.append_child(&item).ok();
            }
        }
        self.ui.notices.toggle_attribute_with_force("hidden", texts.is_empty()).ok();
    }

    /// Puts each plot's finger handle on its start ring.
    fn place_handles(&mut self, session: &Session) {
        for plot in 0..=PANELS {
            let geometry = self.geometry(plot, session);
            let target = self.panels.get_mut(plot).map_or(&mut self.overlay, |p| &mut p.plot);
            let at = (geometry.ring.0.round(), geometry.ring.1.round());
            if at != target.grab_at && at.0.is_finite() && at.1.is_finite() {
                let style = target.grab.style();
                style.set_property("left", &format!("{}px", at.0 as i32)).ok();
                style.set_property("top", &format!("{}px", at.1 as i32)).ok();
                target.grab_at = at;
            }
        }
    }

    fn draw(&mut self, session: &Session) {
        if let Some(sparse) = session.sparse() {
            let palette = palette(session);
            for (i, view) in self.panels.iter_mut().enumerate() {
                let plot = &mut view.plot;
                let frame = plot.frame;
                plot.back.show(&frame, Backdrop::Blank(frame), |_| {});
                let size = (frame.width, frame.height, frame.dpr);
                sparse_view::draw_panel(&plot.ctx, size, sparse, i, session.reached(), palette);
            }
            return;
        }
        if session.dim() == 2 {
            self.place_handles(session);
        }
        let palette = palette(session);
        let lab = session.lab();
        let objective = lab.scenario().objective();
        let dark = session.dark();
        let scene = draw::Scene { lab, palette, glide: session.glide(), previews: session.previews() };
        if objective.dim() == 2 {
            // One overlay surface with every path, or a surface per panel with its own (no allocation per frame).
            const PATHS: [usize; PANELS] = [0, 1, 2];
            let overlaid = session.overlaid();
            let view = session.view();
            let overlay = overlaid.then_some((&mut self.overlay, &PATHS[..]));
            let separate =
                self.panels.iter_mut().enumerate().filter(|_| !overlaid).map(|(i, p)| (&mut p.plot, &PATHS[i..=i]));
            for (plot, paths) in overlay.into_iter().chain(separate) {
                let (_, _, w, h) = plot.frame.plot_rect();
                let image = self.surface.image(&objective, view, w.round() as usize, h.round() as usize, dark);
                let frame = plot.frame;
                let number = image.map_or(0, |(_, number)| number);
                plot.back.show(&frame, Backdrop::Surface(number, frame), |ctx| {
                    draw::backdrop_2d(ctx, &frame, image.map(|(canvas, _)| canvas), palette)
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
    }

    /// Readouts, badges, the step slider and descriptions: written once per step, not per frame.
    fn texts(&mut self, session: &Session, now_ms: f64) {
        let lab = session.lab();
        let t = lab.t();
        if let Some(sparse) = session.sparse() {
            for (i, view) in self.panels.iter_mut().enumerate() {
                let status = sparse_view::badge(sparse, i);
                view.badge.set_text_content(Some(&status));
                let kind = if sparse.shown(i).diverged { "diverged" } else { "running" };
                view.badge.set_attribute("data-status", kind).ok();
                if !session.hide().readouts {
                    let values = sparse_view::table_values(sparse, i);
                    let shape = sparse_view::table_shape(sparse, i);
                    let markup = || sparse_view::table_markup(sparse, i);
                    view.readout.show_shaped(&shape, markup, &values.texts, &values.widths);
                }
                view.plot
                    .canvas
                    .set_attribute("aria-label", &format!("{}: {status}", text::title(&lab.scenario().panels[i])))
                    .ok();
            }
            self.ui.sparse_live.set_text_content(Some(&sparse_view::live_text(sparse)));
            self.ui.scrub.set_max(&session.reached().max(100).to_string());
            self.ui.scrub.set_value_as_number(f64::from(t));
            self.ui.step_label.set_text_content(Some(&t.to_string()));
            return;
        }
        let describe = !session.playing() || now_ms - self.last_described >= DESCRIBE_EVERY_MS;
        for (i, view) in self.panels.iter_mut().enumerate() {
            let record = lab.shown(i);
            let status = text::status(lab, i);
            if session.overlaid() {
                if let Some(key) = self.ui.overlay_statuses.get(i) {
                    key.set_text_content(Some(&status));
                }
            }
            view.badge.set_text_content(Some(&status));
            view.badge.set_attribute("data-status", record.status.kind()).ok();
            // Hidden readouts (an embed's `hide=readouts`) are not worth writing every step.
            if !session.hide().readouts {
                view.readout.show(lab, i);
            }
            if describe {
                view.plot.canvas.set_attribute("aria-label", &text::describe(lab, i)).ok();
            }
        }
        if describe {
            self.last_described = now_ms;
        }
        self.ui.scrub.set_max(&session.reached().max(100).to_string());
        self.ui.scrub.set_value_as_number(f64::from(t));
        self.ui.step_label.set_text_content(Some(&t.to_string()));
        self.ui.live_note.set_text_content(Some(&text::live_note(lab)));
    }
}

fn palette(session: &Session) -> &'static Palette {
    if session.dark() {
        &draw::DARK
    } else {
        &draw::LIGHT
    }
}
