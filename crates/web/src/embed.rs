//! An embedded Step Lab tells the page that frames it how tall it is, so the iframe can be sized to its
//! content: `{ type: "steplab:height", height, link }`, posted whenever the height changes and nothing
//! else. The height is read only after a ResizeObserver saw the page change (reading it every frame
//! would force a layout every frame).

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;
use web_sys::Window;

/// The message an embedded page posts to its parent.
pub const HEIGHT_MESSAGE: &str = "steplab:height";

pub struct HeightReport {
    /// The height last reported (−1 before the first report).
    reported: i32,
}

impl Default for HeightReport {
    fn default() -> HeightReport {
        HeightReport { reported: -1 }
    }
}

impl HeightReport {
    /// In an iframe, tells the parent page the document's height (and the current link) when it changed.
    /// `resized` says whether the page may have changed size since the last call.
    pub fn report(&mut self, window: &Window, embedded: bool, resized: bool, link: &str) {
        if !embedded || !resized {
            return;
        }
        let Ok(Some(parent)) = window.parent() else { return };
        if JsValue::from(&parent) == JsValue::from(window) {
            return;
        }
        let Some(root) = window.document().and_then(|d| d.document_element()) else { return };
        let height = root.scroll_height();
        if height == self.reported {
            return;
        }
        self.reported = height;
        let message = Object::new();
        let _ = Reflect::set(&message, &"type".into(), &HEIGHT_MESSAGE.into());
        let _ = Reflect::set(&message, &"height".into(), &height.into());
        let _ = Reflect::set(&message, &"link".into(), &link.into());
        // Only the height and the link cross: nothing private, so any parent origin may read it.
        parent.post_message(&message, "*").ok();
    }
}
