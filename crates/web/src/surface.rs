//! The heatmap behind a 2-D panel: computed by core into a byte buffer, put into an offscreen canvas
//! once, and drawn (scaled) under every panel. Recomputed only when the loss, the window, the size or
//! the theme change; the time of the last recompute is kept for the page's stats.

use crate::stats::now_ms;
use steplab_core::surface::{self, SurfaceStyle};
use steplab_core::{Objective, View};
use wasm_bindgen::{Clamped, JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, Document, HtmlCanvasElement, ImageData};

/// How many contour levels the surface shows.
const CONTOURS: u32 = 14;

/// What a cached image was drawn for.
#[derive(Clone, Debug, PartialEq)]
struct Key {
    objective: Objective,
    view: View,
    width: usize,
    height: usize,
    dark: bool,
}

pub struct SurfaceCache {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    rgba: Vec<u8>,
    key: Option<Key>,
    /// Milliseconds the last recompute took (core render + putImageData).
    pub last_ms: f64,
    pub recomputes: u32,
}

impl SurfaceCache {
    pub fn new(document: &Document) -> Result<SurfaceCache, JsValue> {
        let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
        let ctx = crate::views::context(&canvas);
        Ok(SurfaceCache { canvas, ctx, rgba: Vec::new(), key: None, last_ms: 0.0, recomputes: 0 })
    }

    /// The image of `objective` over `view` at `width`×`height` CSS pixels, recomputed only if any of
    /// them (or the theme) changed, with the number of its recompute (which tells images apart).
    pub fn image(
        &mut self,
        objective: &Objective,
        view: View,
        width: usize,
        height: usize,
        dark: bool,
    ) -> Option<(&HtmlCanvasElement, u32)> {
        let (width, height) = (width.max(1), height.max(1));
        let fresh = self.key.as_ref().is_some_and(|k| {
            k.objective == *objective && k.view == view && (k.width, k.height, k.dark) == (width, height, dark)
        });
        if !fresh {
            let started = now_ms();
            surface::render(objective, view, width, height, &SurfaceStyle { dark, contours: CONTOURS }, &mut self.rgba);
            self.canvas.set_width(width as u32);
            self.canvas.set_height(height as u32);
            let image =
                ImageData::new_with_u8_clamped_array_and_sh(Clamped(&self.rgba), width as u32, height as u32).ok()?;
            self.ctx.put_image_data(&image, 0.0, 0.0).ok()?;
            self.key = Some(Key { objective: objective.clone(), view, width, height, dark });
            self.last_ms = now_ms() - started;
            self.recomputes += 1;
        }
        Some((&self.canvas, self.recomputes))
    }
}
