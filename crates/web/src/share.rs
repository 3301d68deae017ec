//! Everything that makes a state shareable beyond the address bar (url.rs): the preset menu and gallery,
//! the Share and Embed dialogs, and the exports. User text (titles) only ever goes into the page as text.

use crate::app::{intend, listen, peek, with_app};
use crate::embed::HEIGHT_MESSAGE;
use crate::fmt;
use crate::session::Intent;
use crate::views::{backdrop_of, find};
use js_sys::{Array, Reflect};
use std::cell::RefCell;
use steplab_core::link::{self, Hide};
use steplab_core::presets::PRESETS;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Blob, BlobPropertyBag, Document, Element, HtmlAnchorElement, HtmlCanvasElement, HtmlDialogElement,
    HtmlInputElement, HtmlTextAreaElement, Url, Window,
};

/// The preset menu and the gallery cards. Only static text from core goes into this markup.
fn fill_presets(document: &Document) -> Result<(), JsValue> {
    let mut menu = String::new();
    let mut cards = String::new();
    for preset in &PRESETS {
        let href = format!("?{}", preset.query.replace('&', "&amp;"));
        menu.push_str(&format!("<a href=\"{href}\" data-preset=\"{}\">{}</a>", preset.id, preset.title));
        cards.push_str(&format!(
            // The link's name says which preset (a list of links read aloud is not fifteen "Open this preset").
            "<article><h3>{title}</h3><p>{note}</p><a href=\"{href}\" data-preset=\"{id}\">Open this preset<span \
             class=\"sr-only\"> ({title})</span></a></article>",
            title = preset.title,
            note = preset.note,
            id = preset.id
        ));
    }
    find(document, "preset-menu").set_inner_html(&menu);
    find(document, "gallery-cards").set_inner_html(&cards);
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
    let Some(mut link) = peek(|app| app.session.link()) else { return String::new() };
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

/// The three panels side by side as a PNG, in the theme on screen: each panel's title, its caption
/// (optimizer and settings), its backdrop layer and moving parts, and its status line.
fn export_png(document: &Document) -> Result<(), JsValue> {
    let sources = document.query_selector_all(".panel canvas[role=img]")?;
    let mut canvases = Vec::new();
    for i in 0..sources.length() {
        if let Some(canvas) = sources.get(i).and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok()) {
            canvases.push(canvas);
        }
    }
    let Some((texts, dark, name)) = peek(|app| {
        let lab = app.session.lab();
        let texts: Vec<_> = (0..lab.scenario().panels.len())
            .map(|i| {
                let spec = &lab.scenario().panels[i];
                (crate::text::title(spec), crate::text::caption(spec), crate::text::status(lab, i), lab.shown(i).status)
            })
            .collect();
        (texts, app.session.dark(), app.session.export_name("png"))
    }) else {
        return Ok(());
    };
    let palette = if dark { &crate::draw::DARK } else { &crate::draw::LIGHT };
    // The canvases are in device pixels: text and gaps scale with them.
    let scale = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
    let gap = 24.0 * scale;
    let head = 70.0 * scale;
    let foot = 40.0 * scale;
    let width: f64 = canvases.iter().map(|c| f64::from(c.width())).sum::<f64>() + gap * (canvases.len() + 1) as f64;
    let height = canvases.iter().map(|c| f64::from(c.height())).fold(0.0, f64::max) + head + foot + gap;
    let out: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    out.set_width(width as u32);
    out.set_height(height as u32);
    let ctx = crate::views::context(&out);
    ctx.set_fill_style_str(palette.background);
    ctx.fill_rect(0.0, 0.0, width, height);
    let font = |size: f64, bold: bool| {
        format!("{}{}px system-ui, sans-serif", if bold { "bold " } else { "" }, (size * scale).round() as i32)
    };
    let mut x = gap;
    for (i, canvas) in canvases.iter().enumerate() {
        let (title, caption, status, kind) = &texts[i % texts.len()];
        let max = f64::from(canvas.width());
        ctx.set_font(&font(24.0, true));
        ctx.set_fill_style_str(palette.panel_text[i % 3]);
        ctx.fill_text_with_max_width(title, x, gap + 20.0 * scale, max).ok();
        ctx.set_font(&font(15.0, false));
        ctx.set_fill_style_str(palette.muted);
        ctx.fill_text_with_max_width(caption, x, gap + 44.0 * scale, max).ok();
        for layer in backdrop_of(canvas).iter().chain(std::iter::once(canvas)) {
            ctx.draw_image_with_html_canvas_element(layer, x, head)?;
        }
        ctx.set_font(&font(15.0, true));
        ctx.set_fill_style_str(palette.status(*kind));
        ctx.fill_text_with_max_width(status, x, head + f64::from(canvas.height()) + 26.0 * scale, max).ok();
        x += f64::from(canvas.width()) + gap;
    }
    download(document, &name, &out.to_data_url()?)
}

/// Saves the figure or the trajectories in the chosen format. The PNG is the page's own canvases; the
/// SVG figure, the CSV and the JSON are written by the export module (`crates/export`), a second wasm the
/// boot script loads the first time it is asked (`window.steplabExport(link, kind, steps, save, failed)`),
/// from the link of what is shown.
fn export(document: &Document, kind: &str) -> Result<(), JsValue> {
    if kind == "png" {
        return export_png(document);
    }
    let mime = match kind {
        "svg" => "image/svg+xml",
        "csv" => "text/csv",
        "json" => "application/json",
        _ => return Ok(()),
    };
    let Some((query, steps, name)) =
        peek(|app| (app.session.export_query(), app.session.export_horizon(), app.session.export_name(kind)))
    else {
        return Ok(());
    };
    let window = web_sys::window().ok_or("no window")?;
    let load: js_sys::Function = Reflect::get(&window, &"steplabExport".into())?.dyn_into()?;
    let status = find(document, "export-status");
    status.set_text_content(None);
    let menu = find(document, "export-menu");
    // The first export waits for the module (about 65 KB): the menu's button says it is working.
    let working = move |menu: &Element, busy: bool| {
        menu.class_list().toggle_with_force("working", busy).ok();
        menu.set_attribute("aria-busy", if busy { "true" } else { "false" }).ok();
    };
    working(&menu, true);
    let document = document.clone();
    let done = menu.clone();
    let save = Closure::once_into_js(move |text: JsValue| {
        working(&done, false);
        if let Some(text) = text.as_string().filter(|text| !text.is_empty()) {
            download_text(&document, &name, mime, &text).ok();
        }
    });
    // Said in the menu, opened again where the reader chose: choosing again tries again.
    let failed = Closure::once_into_js(move |_: JsValue| {
        working(&menu, false);
        status.set_text_content(Some(
            "The exporter could not be loaded (is the connection down?). Choose again to retry.",
        ));
        menu.set_attribute("open", "").ok();
    });
    let arguments = Array::of5(&query.into(), &kind.into(), &JsValue::from(steps), &save, &failed);
    Reflect::apply(&load, &JsValue::NULL, &arguments)?;
    Ok(())
}

/// Closes every open menu that does not hold `inside` (every open menu when `None`), and with `focus`
/// gives its button the focus back.
fn close_menus(document: &Document, inside: Option<&web_sys::Node>, focus: bool) {
    let Ok(menus) = document.query_selector_all("details.menu[open]") else { return };
    for i in 0..menus.length() {
        let Some(menu) = menus.get(i).and_then(|m| m.dyn_into::<Element>().ok()) else { continue };
        if inside.is_some_and(|node| menu.contains(Some(node))) {
            continue;
        }
        menu.remove_attribute("open").ok();
        if focus {
            if let Ok(Some(summary)) = menu.query_selector("summary") {
                if let Some(summary) = summary.dyn_ref::<web_sys::HtmlElement>() {
                    summary.focus().ok();
                }
            }
        }
    }
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
        intend(Intent::Load(Box::new(link::parse_with(&format!("preset={id}"), &fmt::read))));
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            close_menus(&document, None, true);
            if let Some(top) = document.get_element_by_id("steplab") {
                top.scroll_into_view();
            }
        }
    });

    // The Presets and Export menus close on Escape, on a click anywhere else and on a choice; the focus
    // goes back to the menu's button (not on an outside click, which put it where the reader clicked).
    listen(document, "keydown", |event| {
        let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>() else { return };
        if key.key() == "Escape" {
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                close_menus(&document, None, true);
            }
        }
    });
    listen(document, "click", |event| {
        let target = event.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            close_menus(&document, target.as_ref(), false);
        }
    });
    // The export menu says how many steps the files will hold.
    listen(&find(document, "export-menu"), "toggle", |_| {
        let Some(horizon) = peek(|app| app.session.export_horizon()) else { return };
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        if let Ok(ranges) = document.query_selector_all(".export-range") {
            for i in 0..ranges.length() {
                if let Some(range) = ranges.get(i) {
                    range.set_text_content(Some(&format!("(steps 0–{horizon})")));
                }
            }
        }
    });

    let win = window.clone();
    listen(&find(document, "share"), "click", move |_| {
        let Some(document) = win.document() else { return };
        let Some((query, step)) = with_app(|app| {
            let step = (!app.session.playing()).then(|| app.session.lab().t());
            (app.current_query(), step)
        }) else {
            return;
        };
        // Only a paused page has a step to share; a playing one is shared playing from the start.
        let what = match step {
            Some(t) => format!(
                "The link opens Step Lab as it is now, paused at step {t}: the loss, the start and every panel's settings."
            ),
            None => "The link opens Step Lab as it is now: the loss, the start and every panel's settings. It opens \
                     playing from step 0; pause first to share a particular step."
                .to_owned(),
        };
        if let Some(paragraph) = document.get_element_by_id("share-what") {
            paragraph.set_text_content(Some(&what));
        }
        if let Some(field) = document.get_element_by_id("share-url").and_then(|f| f.dyn_into::<HtmlInputElement>().ok())
        {
            field.set_value(&format!("{}{query}", page_base(&win)));
        }
        if let Some(status) = document.get_element_by_id("share-status") {
            status.set_text_content(None);
        }
        open_dialog(&document, "share-dialog");
    });
    for (button, field, status) in
        [("copy-link", "share-url", "share-status"), ("copy-embed", "embed-code", "embed-status")]
    {
        let win = window.clone();
        listen(&find(document, button), "click", move |_| copy(&win, field, status));
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
    listen(&find(document, "embed"), "click", move |_| {
        refresh();
        if let Some(document) = win.document() {
            if let Some(status) = document.get_element_by_id("embed-status") {
                status.set_text_content(None);
            }
            open_dialog(&document, "embed-dialog");
        }
    });
    let refresh = refresh_embed.clone();
    listen(&find(document, "embed-dialog"), "change", move |_| refresh());

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
    });

    listen(document, "click", |event| {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        let Some(kind) = target.get_attribute("data-export") else { return };
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            export(&document, &kind).ok();
            close_menus(&document, None, true);
        }
    });
    Ok(())
}
