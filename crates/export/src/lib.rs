//! The page's exports in their own wasm module (see docs/ARCHITECTURE.md, "The export module"). The page
//! hands over the link of what it shows, with its step, and the number of steps to write; this module
//! rebuilds that state with core and writes the file. The link holds the whole state (a test in
//! `steplab-web` checks that a file written here equals the one the page's own state gives), so the
//! module needs nothing else from the page.

use steplab_core::num::{NumberFormat, NumberRead};
use steplab_core::sparse::SparseLab;
use steplab_core::{export, figure, link, Lab};

/// The file of `kind` (`svg`, `csv` or `json`) for the state `query` describes, over `steps` steps (CSV
/// and JSON); `None` for a kind the state has no file of (a figure of the sparse-feature lab).
pub fn file(query: &str, kind: &str, steps: u32, fmt: NumberFormat, read: NumberRead) -> Option<String> {
    let parsed = link::parse_with(query, read);
    let mut lab = Lab::new(parsed.scenario);
    lab.seek(parsed.t.unwrap_or(0));
    if let Some(data) = lab.scenario().sparse_data() {
        let optimizers = lab.scenario().panels.each_ref().map(|p| p.optimizer);
        let mut sparse = SparseLab::new(data, optimizers);
        sparse.seek(lab.t());
        return match kind {
            "csv" => Some(export::sparse_csv(&sparse, steps, fmt)),
            "json" => Some(export::sparse_json(&sparse, lab.scenario(), steps, fmt)),
            _ => None,
        };
    }
    match kind {
        "svg" => Some(figure::triptych_svg(&lab, fmt)),
        "csv" => Some(export::csv(&lab, steps, fmt)),
        "json" => Some(export::json(&lab, steps, fmt)),
        _ => None,
    }
}

#[cfg(all(feature = "module", target_arch = "wasm32"))]
mod wasm {
    use js_sys::Number;
    use wasm_bindgen::prelude::*;

    #[global_allocator]
    static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

    /// The browser's number printing and reading, as the page uses (no Rust float formatting in a wasm).
    fn short(value: f64) -> String {
        String::from(Number::from(value).to_string_with_radix(10).unwrap_or_else(|_| "?".into()))
    }

    fn read(text: &str) -> Option<f64> {
        let value = Number::from(JsValue::from_str(text)).value_of();
        (!value.is_nan()).then_some(value)
    }

    /// See [`super::file`]; an empty string for a kind the state has no file of.
    #[wasm_bindgen]
    pub fn file(query: &str, kind: &str, steps: u32) -> String {
        super::file(query, kind, steps, &short, &read).unwrap_or_default()
    }
}
