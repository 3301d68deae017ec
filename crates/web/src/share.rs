//! Everything that makes a state shareable: the address bar kept in sync with the model (and back and
//! forward restoring it), notices about links that could not be used as written, the preset menu and
//! gallery, the Share and Embed dialogs, embed mode with its height reports to the parent page, and
//! the exports. User text (titles, notices) only ever goes into the page as text.

use crate::{find, fmt, listen, with_app, App};
use js_sys::{Array, Object, Reflect};
use std::cell::RefCell;
use steplab_core::link::{self, Hide, Link};
use steplab_core::presets::PRESETS;
use steplab_core::{export, figure};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Blob, BlobPropertyBag, CanvasRenderingContext2d, Document, Element, HtmlAnchorElement, HtmlCanvasElement,
    HtmlDialogElement, HtmlInputElement, HtmlTextAreaElement, Url, Window,
};

/// While dragging, the address bar is rewritten at most this often (ms); browsers throttle faster writes.
const URL_EVERY_MS: f64 = 250.0;

/// The message an embedded page posts to its parent.
pub const HEIGHT_MESSAGE: &str = "steplab:height";

impl App {
    /// The link of the current state: the scenario, the step when paused, the speed when not the default,
    /// and the embedding options.
    pub(crate) fn link(&self) -> Link {
        let t = self.lab.t();
        Link {
            scenario: self.lab.scenario().clone(),
            t: (!self.playing && t > 0).then_some(t),
            speed: (self.ticker.speed() != crate::DEFAULT_SPEED).then_some(self.ticker.speed()),
            preset: None,
            embed: self.embed,
            hide: self.hide,
            overlay: self.overlay,
            notices: Vec::new(),
        }
    }

    /// Writes the current link to the address bar: a new history entry for a discrete change (`push`),
    /// or a quiet replacement (dragging, stepping). Nothing when it is already there.
    pub(crate) fn sync_url(&mut self, push: bool) {
        self.url_pending = false;
        let query = format!("?{}", self.link().to_query(&fmt::short));
        if query == self.url_query {
            return;
        }
        let Some(window) = web_sys::window() else { return };
        let Ok(history) = window.history() else { return };
        let written = if push {
            history.push_state_with_url(&JsValue::NULL, "", Some(&query))
        } else {
            history.replace_state_with_url(&JsValue::NULL, "", Some(&query))
        };
        if written.is_ok() {
            self.url_query = query;
        }
    }

    /// Rewrites the address bar while dragging, at most every [`URL_EVERY_MS`].
    pub(crate) fn sync_url_throttled(&mut self, now_ms: f64) {
        if now_ms - self.url_written_at >= URL_EVERY_MS {
            self.url_written_at = now_ms;
            self.sync_url(false);
        }
    }

    /// Opens a link: scenario, clock, embedding, and the notices about what it could not use.
    pub(crate) fn apply_link(&mut self, link: Link) {
        self.embed = link.embed;
        self.overlay = link.overlay;
        self.hide = link.hide;
        self.load(link.scenario);
        if let Some(speed) = link.speed {
            self.set_speed(speed);
        }
        match link.t {
            Some(t) => {
                self.set_playing(false);
                self.seek(t);
            }
            None => self.set_playing(!self.reduced_motion),
        }
        let texts: Vec<String> = link.notices.iter().map(|n| n.text(&fmt::short)).collect();
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            show_notices(&document, &texts);
            apply_embedding(&document, self.embed, self.hide, &self.link());
        }
    }

    /// In an iframe, tells the parent page the document's height (and the current link) when it changes.
    pub(crate) fn report_height(&mut self, window: &Window) {
        if !self.embed {
            return;
        }
        let Ok(Some(parent)) = window.parent() else { return };
        if JsValue::from(&parent) == JsValue::from(window) {
            return;
        }
        if !crate::PAGE_RESIZED.with(|flag| flag.replace(false)) {
            return;
        }
        let Some(root) = window.document().and_then(|d| d.document_element()) else { return };
        let height = root.scroll_height();
        if height == self.reported_height {
            return;
        }
        self.reported_height = height;
        let message = Object::new();
        let _ = Reflect::set(&message, &"type".into(), &HEIGHT_MESSAGE.into());
        let _ = Reflect::set(&message, &"height".into(), &height.into());
        let _ = Reflect::set(&message, &"link".into(), &self.url_query.as_str().into());
        // Only the height and the link cross: nothing private, so any parent origin may read it.
        parent.post_message(&message, "*").ok();
    }
}

/// Lists the notices (as text), or hides the box when there are none.
pub(crate) fn show_notices(document: &Document, texts: &[String]) {
    let (Some(boxed), Some(list)) = (document.get_element_by_id("notices"), document.get_element_by_id("notice-list"))
    else {
        return;
    };
    list.set_text_content(None);
    for text in texts {
        if let Ok(item) = document.create_element("li") {
            item.set_text_content(Some(text));
            list.append_child(&item).ok();
        }
    }
    if texts.is_empty() {
        boxed.set_attribute("hidden", "").ok();
    } else {
        boxed.remove_attribute("hidden").ok();
    }
}

/// Embed mode and hidden parts as classes on `<html>`; the "Step Lab ↗" link opens the full demo.
fn apply_embedding(document: &Document, embed: bool, hide: Hide, link: &Link) {
    let Some(root) = document.document_element() else { return };
    let classes = root.class_list();
    classes.toggle_with_force("embed", embed).ok();
    for name in Hide::NAMES {
        classes.toggle_with_force(&format!("hide-{name}"), hide.get(name)).ok();
    }
    if let Some(anchor) = document.get_element_by_id("full-demo") {
        let full = Link { embed: false, hide: Hide::default(), ..link.clone() };
        anchor.set_attribute("href", &format!("?{}", full.to_query(&fmt::short))).ok();
    }
}

/// The preset menu and the gallery cards. Only static text from core goes into this markup.
fn fill_presets(document: &Document) -> Result<(), JsValue> {
    let mut menu = String::new();
    let mut cards = String::new();
    for preset in &PRESETS {
        let href = format!("?{}", preset.query.replace('&', "&amp;"));
        menu.push_str(&format!("<a href=\"{href}\" data-preset=\"{}\">{}</a>", preset.id, preset.title));
        cards.push_str(&format!(
            "<article><h3>{}</h3><p>{}</p><a href=\"{href}\" data-preset=\"{}\">Open this preset</a></article>",
            preset.title, preset.note, preset.id
        ));
    }
    find(document, "preset-menu")?.set_inner_html(&menu);
    find(document, "gallery-cards")?.set_inner_html(&cards);
    Ok(())
}

/// A callback for a clipboard promise, kept for the life of the page.
type PromiseCallback = Closure<dyn FnMut(JsValue)>;

thread_local! {
    /// Which status line and field the clipboard answer is about.
    static COPYING: RefCell<(String, String)> = const { RefCell::new((String::new(), String::new())) };
    /// The two callbacks of a clipboard write, made once and reused for every copy.
    static COPY_CALLBACKS: RefCell<Option<(PromiseCallback, PromiseCallback)>> = const { RefCell::new(None) };
}

/// Says how a copy went; on failure selects the field so that Ctrl+C (⌘C) does it.
fn copy_result(copied: bool) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    COPYING.with(|copying| {
        let (status, field) = &*copying.borrow();
        let message = if copied {
            "Copied to the clipboard."
        } else {
            if let Some(field) = document.get_element_by_id(field) {
                if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
                    input.select();
                } else if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
                    area.select();
                }
            }
            "The browser did not allow copying: the text is selected, press Ctrl+C (⌘C)."
        };
        if let Some(status) = document.get_element_by_id(status) {
            status.set_text_content(Some(message));
        }
    });
}

/// Copies the text of the field `field` (an input or a textarea) with the Clipboard API, falling back to
/// selecting it; `status` says how it went.
fn copy(window: &Window, field: &str, status: &str) {
    let Some(element) = window.document().and_then(|d| d.get_element_by_id(field)) else { return };
    let text = if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        input.value()
    } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
        area.value()
    } else {
        return;
    };
    COPYING.with(|copying| *copying.borrow_mut() = (status.to_owned(), field.to_owned()));
    let clipboard = Reflect::get(&window.navigator(), &"clipboard".into()).ok().filter(|c| !c.is_undefined());
    let Some(_) = clipboard else {
        copy_result(false);
        return;
    };
    let promise = window.navigator().clipboard().write_text(&text);
    COPY_CALLBACKS.with(|callbacks| {
        let mut callbacks = callbacks.borrow_mut();
        let (done, failed) = callbacks.get_or_insert_with(|| {
            (Closure::new(|_: JsValue| copy_result(true)), Closure::new(|_: JsValue| copy_result(false)))
        });
        let _ = promise.then2(done, failed);
    });
}

/// The absolute address of the page without its query, for links that leave the site.
fn page_base(window: &Window) -> String {
    let location = window.location();
    format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default())
}

/// The iframe snippet for the current state with the hide flags ticked in the dialog.
fn embed_snippet(window: &Window, document: &Document) -> String {
    let Some(mut link) = with_app(|app| app.link()) else { return String::new() };
    link.embed = true;
    link.t = None;
    link.hide = Hide::default();
    if let Ok(boxes) = document.query_selector_all("[data-hide]") {
        for i in 0..boxes.length() {
            let Some(input) = boxes.get(i).and_then(|b| b.dyn_into::<HtmlInputElement>().ok()) else { continue };
            if let Some(name) = input.get_attribute("data-hide") {
                link.hide.set(&name, input.checked());
            }
        }
    }
    let src = format!("{}?{}", page_base(window), link.to_query(&fmt::short)).replace('&', "&amp;");
    format!(
        "<iframe class=\"steplab\" src=\"{src}\" title=\"Step Lab\" loading=\"lazy\" style=\"width:100%;height:560px;border:0\"></iframe>\n\
         <script>\n\
         addEventListener('message', (e) => {{\n  \
           if (!e.data || e.data.type !== '{HEIGHT_MESSAGE}') return;\n  \
           for (const f of document.querySelectorAll('iframe.steplab'))\n    \
             if (f.contentWindow === e.source) f.style.height = e.data.height + 'px';\n\
         }});\n\
         </script>"
    )
}

/// Saves `href` as a file called `name`.
fn download(document: &Document, name: &str, href: &str) -> Result<(), JsValue> {
    let anchor: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    anchor.set_href(href);
    anchor.set_download(name);
    anchor.click();
    Ok(())
}

fn download_text(document: &Document, name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let parts: Array = [JsValue::from_str(text)].into_iter().collect();
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    download(document, name, &url)?;
    Url::revoke_object_url(&url)
}

/// The three panels side by side with their titles, as a PNG: each panel's backdrop layer, then its
/// moving parts.
fn export_png(document: &Document) -> Result<(), JsValue> {
    let sources = document.query_selector_all(".panel canvas[role=img]")?;
    let mut canvases = Vec::new();
    for i in 0..sources.length() {
        if let Some(canvas) = sources.get(i).and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok()) {
            canvases.push(canvas);
        }
    }
    let gap = 24.0;
    let band = 48.0;
    let width: f64 = canvases.iter().map(|c| f64::from(c.width())).sum::<f64>() + gap * (canvases.len() + 1) as f64;
    let height = canvases.iter().map(|c| f64::from(c.height())).fold(0.0, f64::max) + band + gap;
    let out: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    out.set_width(width as u32);
    out.set_height(height as u32);
    let ctx: CanvasRenderingContext2d = out.get_context("2d")?.ok_or("no 2d context")?.dyn_into()?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, width, height);
    ctx.set_font("bold 26px system-ui, sans-serif");
    let titles = with_app(|app| app.lab.scenario().panels.each_ref().map(|p| p.title.clone())).unwrap_or_default();
    let mut x = gap;
    for (i, canvas) in canvases.iter().enumerate() {
        ctx.set_fill_style_str(crate::draw::LIGHT.panels[i % 3]);
        ctx.fill_text(titles.get(i).map_or("", String::as_str), x, band - 12.0).ok();
        for layer in crate::backdrop_of(canvas).iter().chain(std::iter::once(canvas)) {
            ctx.draw_image_with_html_canvas_element(layer, x, band)?;
        }
        x += f64::from(canvas.width()) + gap;
    }
    download(document, "steplab.png", &out.to_data_url()?)
}

/// Saves the figure or the trajectories in the chosen format.
fn export(document: &Document, kind: &str) -> Result<(), JsValue> {
    if kind == "png" {
        return export_png(document);
    }
    let Some((name, mime, text)) = with_app(|app| {
        let steps = app.reached.max(app.lab.t());
        match kind {
            "svg" => Some(("steplab.svg", "image/svg+xml", figure::triptych_svg(&app.lab, &fmt::short))),
            "csv" => Some(("steplab.csv", "text/csv", export::csv(&app.lab, steps, &fmt::short))),
            "json" => Some(("steplab.json", "application/json", export::json(&app.lab, steps, &fmt::short))),
            _ => None,
        }
    })
    .flatten() else {
        return Ok(());
    };
    download_text(document, name, mime, &text)
}

fn open_dialog(document: &Document, id: &str) {
    if let Some(dialog) = document.get_element_by_id(id).and_then(|d| d.dyn_into::<HtmlDialogElement>().ok()) {
        dialog.show_modal().ok();
    }
}

/// Hooks the sharing controls, the preset links and the history to the app.
pub(crate) fn wire(window: &Window, document: &Document) -> Result<(), JsValue> {
    fill_presets(document)?;

    // Preset links work without scripts too; with them, they load in place and make a history entry.
    listen(document, "click", |event| {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        let Ok(Some(anchor)) = target.closest("a[data-preset]") else { return };
        let Some(id) = anchor.get_attribute("data-preset") else { return };
        event.prevent_default();
        with_app(|app| {
            app.apply_link(link::parse_with(&format!("preset={id}"), &fmt::read));
            app.sync_url(true);
        });
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            if let Ok(menus) = document.query_selector_all("details.menu") {
                for i in 0..menus.length() {
                    if let Some(menu) = menus.get(i).and_then(|m| m.dyn_into::<Element>().ok()) {
                        menu.remove_attribute("open").ok();
                    }
                }
            }
            if let Some(top) = document.get_element_by_id("steplab") {
                top.scroll_into_view();
            }
        }
    })?;

    listen(window, "popstate", |_| {
        let query = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
        with_app(|app| {
            app.apply_link(link::parse_with(&query, &fmt::read));
            app.url_query = query;
        });
    })?;

    listen(&find(document, "dismiss-notices")?, "click", |_| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            show_notices(&document, &[]);
        }
    })?;

    let win = window.clone();
    listen(&find(document, "share")?, "click", move |_| {
        let Some(document) = win.document() else { return };
        let query = with_app(|app| {
            app.sync_url(false);
            app.url_query.clone()
        })
        .unwrap_or_default();
        if let Some(field) = document.get_element_by_id("share-url").and_then(|f| f.dyn_into::<HtmlInputElement>().ok())
        {
            field.set_value(&format!("{}{query}", page_base(&win)));
        }
        if let Some(status) = document.get_element_by_id("share-status") {
            status.set_text_content(None);
        }
        open_dialog(&document, "share-dialog");
    })?;
    for (button, field, status) in
        [("copy-link", "share-url", "share-status"), ("copy-embed", "embed-code", "embed-status")]
    {
        let win = window.clone();
        listen(&find(document, button)?, "click", move |_| copy(&win, field, status))?;
    }

    let win = window.clone();
    let refresh_embed = move || {
        let Some(document) = win.document() else { return };
        let snippet = embed_snippet(&win, &document);
        if let Some(area) =
            document.get_element_by_id("embed-code").and_then(|a| a.dyn_into::<HtmlTextAreaElement>().ok())
        {
            area.set_value(&snippet);
        }
    };
    let refresh = refresh_embed.clone();
    let win = window.clone();
    listen(&find(document, "embed")?, "click", move |_| {
        refresh();
        if let Some(document) = win.document() {
            if let Some(status) = document.get_element_by_id("embed-status") {
                status.set_text_content(None);
            }
            open_dialog(&document, "embed-dialog");
        }
    })?;
    let refresh = refresh_embed.clone();
    listen(&find(document, "embed-dialog")?, "change", move |_| refresh())?;

    // Dialogs close with their Close button (and Escape, natively).
    listen(document, "click", |event| {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        if target.has_attribute("data-close") {
            if let Ok(Some(dialog)) = target.closest("dialog") {
                if let Some(dialog) = dialog.dyn_ref::<HtmlDialogElement>() {
                    dialog.close();
                }
            }
        }
    })?;

    listen(document, "click", |event| {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        let Some(kind) = target.get_attribute("data-export") else { return };
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            export(&document, &kind).ok();
            if let Ok(Some(menu)) = target.closest("details") {
                menu.remove_attribute("open").ok();
            }
        }
    })?;
    Ok(())
}
