//! Pointer, wheel and keyboard input on the plots. One pointer pressed in a plot moves the start (a press
//! near the start ring grabs it without a jump); two fingers pinch and pan, a Shift-, middle- or
//! right-button drag pans, and the wheel zooms around the cursor (on a curve only with Ctrl or ⌘, so
//! that the page still scrolls). Handlers only
//! report intent; the app clamps and decides.

use crate::view::{self, pan_view, zoom_view};
use crate::{listen, with_app, App};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, KeyboardEvent, PointerEvent, WheelEvent};

/// How close (CSS px) a press must be to the start ring to grab it rather than jump the start there.
const GRAB_RADIUS: f64 = 20.0;

/// What the pointers on a plot are doing.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) enum Gesture {
    #[default]
    Idle,
    /// Moving the start; `offset` is the pixel offset from the pointer to the grabbed ring.
    Start { plot: usize, pointer: i32, was_playing: bool, offset: (f64, f64) },
    /// Panning a 2-D view with one pointer, last seen at `at`.
    Pan { plot: usize, pointer: i32, at: (f64, f64) },
    /// Two pointers: pinch to zoom, move to pan.
    Pinch { plot: usize },
}

impl App {
    /// The (pixel) offset from a press to the start ring if the press grabs it, else (0, 0).
    fn ring_offset(&self, plot: usize, px: f64, py: f64) -> (f64, f64) {
        let frame = self.frame_of(plot);
        let objective = self.lab.scenario().objective();
        let start = self.lab.scenario().start;
        let (rx, ry) = if objective.dim() == 2 {
            frame.to_px(start[0], start[1])
        } else {
            let (x, y) = frame.to_px(start[0], objective.value(start));
            (x, frame.clamp_py(y))
        };
        if view::grabs(px, py, rx, ry, GRAB_RADIUS) {
            (rx - px, ry - py)
        } else {
            (0.0, 0.0)
        }
    }

    /// The start wanted at pixel (`px`, `py`) of plot `plot`, less any grab offset.
    fn drag_start_to(&mut self, plot: usize, px: f64, py: f64) {
        let offset = match self.gesture {
            Gesture::Start { offset, .. } => offset,
            _ => (0.0, 0.0),
        };
        let frame = self.frame_of(plot);
        let start = if self.lab.scenario().loss.dim() == 2 {
            frame.world_point(px + offset.0, py + offset.1)
        } else {
            [frame.world_x(px + offset.0), 0.0]
        };
        self.set_start(start);
    }

    /// The pointers now down on `plot` (ids and positions), kept in `self.pointers`.
    fn pointer_down(&mut self, plot: usize, pointer: &PointerEvent, px: f64, py: f64) {
        let id = pointer.pointer_id();
        self.pointers.retain(|(p, ..)| *p != id);
        self.pointers.push((id, px, py));
        if self.pointers.len() >= 2 {
            // A second finger turns a start drag into a pinch; the start stays where it got to.
            self.finish_start_drag();
            self.gesture = Gesture::Pinch { plot };
            return;
        }
        let pans = pointer.shift_key() || pointer.button() == 1 || pointer.button() == 2;
        if pans {
            self.gesture = Gesture::Pan { plot, pointer: id, at: (px, py) };
        } else if pointer.button() == 0 {
            let was_playing = match self.gesture {
                Gesture::Start { was_playing, .. } => was_playing,
                _ => self.playing,
            };
            self.set_playing(false);
            let offset = self.ring_offset(plot, px, py);
            self.gesture = Gesture::Start { plot, pointer: id, was_playing, offset };
            self.drag_start_to(plot, px, py);
        }
    }

    fn pointer_move(&mut self, plot: usize, id: i32, px: f64, py: f64) {
        let before: Vec<(i32, f64, f64)> = self.pointers.clone();
        if let Some(entry) = self.pointers.iter_mut().find(|(p, ..)| *p == id) {
            entry.1 = px;
            entry.2 = py;
        }
        match self.gesture {
            Gesture::Start { plot: p, pointer, .. } if p == plot && pointer == id => self.drag_start_to(plot, px, py),
            Gesture::Pan { plot: p, pointer, at } if p == plot && pointer == id => {
                let (ux, uy) = self.frame_of(plot).units_per_px();
                self.set_view(pan_view(self.view(), -(px - at.0) * ux, (py - at.1) * uy));
                self.gesture = Gesture::Pan { plot, pointer, at: (px, py) };
            }
            Gesture::Pinch { plot: p } if p == plot && self.pointers.len() >= 2 && before.len() >= 2 => {
                let centre = |ps: &[(i32, f64, f64)]| ((ps[0].1 + ps[1].1) / 2.0, (ps[0].2 + ps[1].2) / 2.0);
                let spread = |ps: &[(i32, f64, f64)]| (ps[0].1 - ps[1].1).hypot(ps[0].2 - ps[1].2).max(1.0);
                let (c0, c1) = (centre(&before), centre(&self.pointers));
                let frame = *self.frame_of(plot);
                let (ux, uy) = frame.units_per_px();
                let panned = pan_view(self.view(), -(c1.0 - c0.0) * ux, (c1.1 - c0.1) * uy);
                let anchor = frame.to_world(c1.0, c1.1);
                self.set_view(zoom_view(panned, anchor, spread(&before) / spread(&self.pointers)));
            }
            _ => {}
        }
    }

    fn pointer_up(&mut self, id: i32) {
        self.pointers.retain(|(p, ..)| *p != id);
        match self.gesture {
            Gesture::Start { pointer, .. } if pointer == id => self.finish_start_drag(),
            Gesture::Pan { pointer, .. } if pointer == id => self.gesture = Gesture::Idle,
            Gesture::Pinch { .. } if self.pointers.len() < 2 => self.gesture = Gesture::Idle,
            _ => {}
        }
    }

    /// A start drag ended: drop the previews, resume playing if it was, and update the address bar.
    fn finish_start_drag(&mut self) {
        if let Gesture::Start { was_playing, .. } = self.gesture {
            self.gesture = Gesture::Idle;
            for preview in &mut self.previews {
                preview.clear();
            }
            self.set_playing(was_playing);
            self.sync_url(false);
        }
    }

    /// Zooms the view by `factor` around pixel (`px`, `py`) of `plot`.
    fn zoom_at(&mut self, plot: usize, px: f64, py: f64, factor: f64) {
        let anchor = self.frame_of(plot).to_world(px, py);
        self.set_view(zoom_view(self.view(), anchor, factor));
    }

    /// Arrow keys on a focused plot move the start (Shift: ten times as far); on a surface, + and −
    /// zoom and 0 resets the view.
    fn plot_key(&mut self, plot: usize, key: &str, shift: bool) -> bool {
        let two_d = self.lab.scenario().loss.dim() == 2;
        let share = if shift { 0.1 } else { 0.02 };
        let view = self.view();
        let (dx, dy) = match key {
            "ArrowLeft" => (-1.0, 0.0),
            "ArrowRight" => (1.0, 0.0),
            "ArrowUp" if two_d => (0.0, 1.0),
            "ArrowDown" if two_d => (0.0, -1.0),
            "ArrowUp" => (1.0, 0.0),
            "ArrowDown" => (-1.0, 0.0),
            "+" | "=" => {
                let (w, h) = (self.frame_of(plot).width, self.frame_of(plot).height);
                self.zoom_at(plot, w / 2.0, h / 2.0, 0.8);
                return true;
            }
            "-" => {
                let (w, h) = (self.frame_of(plot).width, self.frame_of(plot).height);
                self.zoom_at(plot, w / 2.0, h / 2.0, 1.25);
                return true;
            }
            "0" => {
                self.reset_view();
                return true;
            }
            _ => return false,
        };
        let start = self.lab.scenario().start;
        let x = steplab_core::clamp(start[0] + dx * share * (view.x.1 - view.x.0), view.x.0, view.x.1);
        let y = if two_d {
            steplab_core::clamp(start[1] + dy * share * (view.y.1 - view.y.0), view.y.0, view.y.1)
        } else {
            0.0
        };
        self.set_start([x, y]);
        self.sync_url(false);
        true
    }
}

fn offset(pointer: &PointerEvent) -> (f64, f64) {
    (f64::from(pointer.offset_x()), f64::from(pointer.offset_y()))
}

/// Hooks one plot canvas (`plot` 0–2 are the panels, 3 the overlay surface) to the app.
pub(crate) fn wire_plot(canvas: &HtmlCanvasElement, plot: usize) -> Result<(), JsValue> {
    let target = canvas.clone();
    listen(canvas, "pointerdown", move |event| {
        let Some(pointer) = event.dyn_ref::<PointerEvent>() else { return };
        event.prevent_default();
        target.set_pointer_capture(pointer.pointer_id()).ok();
        target.focus().ok();
        let (px, py) = offset(pointer);
        with_app(|app| app.pointer_down(plot, pointer, px, py));
    })?;
    listen(canvas, "pointermove", move |event| {
        let Some(pointer) = event.dyn_ref::<PointerEvent>() else { return };
        let (px, py) = offset(pointer);
        with_app(|app| app.pointer_move(plot, pointer.pointer_id(), px, py));
    })?;
    for end in ["pointerup", "pointercancel", "lostpointercapture"] {
        listen(canvas, end, |event| {
            if let Some(pointer) = event.dyn_ref::<PointerEvent>() {
                with_app(|app| app.pointer_up(pointer.pointer_id()));
            }
        })?;
    }
    // Right-button drags pan the surface; the context menu would get in the way.
    listen(canvas, "contextmenu", |event| event.prevent_default())?;
    listen(canvas, "wheel", move |event| {
        let Some(wheel) = event.dyn_ref::<WheelEvent>() else { return };
        // Lines or pages count as 16 or 400 pixels.
        let unit = match wheel.delta_mode() {
            1 => 16.0,
            2 => 400.0,
            _ => 1.0,
        };
        let factor = js_sys::Math::exp(steplab_core::clamp(wheel.delta_y() * unit, -400.0, 400.0) * 0.002);
        let (px, py) = (f64::from(wheel.offset_x()), f64::from(wheel.offset_y()));
        // A surface takes the wheel; on a curve the page scrolls as usual unless Ctrl (or ⌘) is held.
        let wants = wheel.ctrl_key() || wheel.meta_key();
        let zoomed = with_app(|app| {
            let takes = wants || app.lab.scenario().loss.dim() == 2;
            if takes {
                app.zoom_at(plot, px, py, factor);
            }
            takes
        });
        if zoomed == Some(true) {
            event.prevent_default();
        }
    })?;
    listen(canvas, "keydown", move |event| {
        let Some(key) = event.dyn_ref::<KeyboardEvent>() else { return };
        if key.ctrl_key() || key.meta_key() || key.alt_key() {
            return;
        }
        if with_app(|app| app.plot_key(plot, &key.key(), key.shift_key())) == Some(true) {
            event.prevent_default();
            event.stop_propagation();
        }
    })?;
    Ok(())
}
