//! Step Lab in the browser. The crate is layered (docs/ARCHITECTURE.md): a session model and a gesture
//! machine with no web-sys in them (`session`, `gesture`, `text`, `view`, tested natively), views that
//! draw the session (`views`, `draw`, `charts`, `readout`, `controls`, `surface`, `pen`), the glue that
//! turns events into intents (`app`), and the address bar, embedding, sharing, stats and the JS API each
//! in a module of its own. This file only starts the page.

pub mod api;
pub mod app;
pub mod charts;
pub mod controls;
pub mod draw;
pub mod embed;
pub mod fmt;
pub mod gesture;
pub mod pen;
pub mod readout;
pub mod session;
pub mod share;
pub mod sparse_view;
pub mod stats;
pub mod strip;
pub mod surface;
pub mod text;
pub mod url;
pub mod view;
pub mod views;

use wasm_bindgen::prelude::*;
use web_sys::Window;

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
    let reduced_motion = matches_media(&window, "(prefers-reduced-motion: reduce)");
    let dark = matches_media(&window, "(prefers-color-scheme: dark)");
    let app = app::App::new(&document, &query, reduced_motion, dark)?;
    app::install(app);
    api::install(&window)?;
    app::wire(&window, &document)?;
    share::wire(&window, &document)?;
    app::observe_sizes(&document)?;
    app::start_loop(&window)?;
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

// Talc instead of the default dlmalloc: smaller code for the same job (measured in docs/PERFORMANCE.md).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
