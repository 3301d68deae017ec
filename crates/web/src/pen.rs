//! The one place where coordinates reach the canvas. Every drawing call that takes numbers goes through
//! [`Pen`], which refuses NaN and infinities (a diverging run, a typed function with a pole) and counts
//! them: the count is in `steplab.stats()` and the tests require it to stay 0, because the model and the
//! view transforms are meant to hand out finite numbers only.

use std::cell::Cell;
use std::ops::Deref;
use wasm_bindgen::JsValue;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

thread_local! {
    static REFUSED: Cell<u32> = const { Cell::new(0) };
}

/// How many drawing calls were refused for a non-finite number since the page started.
pub fn refused() -> u32 {
    REFUSED.with(Cell::get)
}

fn finite(values: &[f64]) -> bool {
    let ok = values.iter().all(|v| v.is_finite());
    if !ok {
        REFUSED.with(|count| count.set(count.get() + 1));
    }
    ok
}

/// A 2-D context whose coordinate-taking methods check their numbers; everything else passes through.
pub struct Pen<'a>(pub &'a CanvasRenderingContext2d);

impl Deref for Pen<'_> {
    type Target = CanvasRenderingContext2d;
    fn deref(&self) -> &CanvasRenderingContext2d {
        self.0
    }
}

impl Pen<'_> {
    pub fn move_to(&self, x: f64, y: f64) {
        if finite(&[x, y]) {
            self.0.move_to(x, y);
        }
    }

    pub fn line_to(&self, x: f64, y: f64) {
        if finite(&[x, y]) {
            self.0.line_to(x, y);
        }
    }

    pub fn arc(&self, x: f64, y: f64, radius: f64, start: f64, end: f64) -> Result<(), JsValue> {
        if finite(&[x, y, radius, start, end]) {
            self.0.arc(x, y, radius, start, end)?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    pub fn ellipse(
        &self,
        x: f64,
        y: f64,
        rx: f64,
        ry: f64,
        rotation: f64,
        start: f64,
        end: f64,
    ) -> Result<(), JsValue> {
        if finite(&[x, y, rx, ry, rotation, start, end]) {
            self.0.ellipse(x, y, rx, ry, rotation, start, end)?;
        }
        Ok(())
    }

    pub fn rect(&self, x: f64, y: f64, w: f64, h: f64) {
        if finite(&[x, y, w, h]) {
            self.0.rect(x, y, w, h);
        }
    }

    pub fn stroke_rect(&self, x: f64, y: f64, w: f64, h: f64) {
        if finite(&[x, y, w, h]) {
            self.0.stroke_rect(x, y, w, h);
        }
    }

    pub fn clear_rect(&self, x: f64, y: f64, w: f64, h: f64) {
        if finite(&[x, y, w, h]) {
            self.0.clear_rect(x, y, w, h);
        }
    }

    pub fn fill_text(&self, text: &str, x: f64, y: f64) -> Result<(), JsValue> {
        if finite(&[x, y]) {
            self.0.fill_text(text, x, y)?;
        }
        Ok(())
    }

    pub fn set_transform(&self, a: f64, b: f64, c: f64, d: f64, e: f64, f: f64) -> Result<(), JsValue> {
        if finite(&[a, b, c, d, e, f]) {
            self.0.set_transform(a, b, c, d, e, f)?;
        }
        Ok(())
    }

    pub fn draw_image_with_html_canvas_element_and_dw_and_dh(
        &self,
        image: &HtmlCanvasElement,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
    ) -> Result<(), JsValue> {
        if finite(&[x, y, w, h]) {
            self.0.draw_image_with_html_canvas_element_and_dw_and_dh(image, x, y, w, h)?;
        }
        Ok(())
    }
}
