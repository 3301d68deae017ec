//! Pointer, wheel and keyboard input on the plots as a pure state machine: events in, [`Intent`]s out.
//! A mouse or pen pressed in a plot moves the start (a press near the start ring grabs it without a jump);
//! two fingers pinch and pan, a Shift-, middle- or right-button drag pans, and the wheel zooms around the
//! cursor (on a curve only with Ctrl or ⌘, so that the page still scrolls). It decides nothing about the
//! model: the session clamps and restarts. Tested natively.
//!
//! A finger must also let the page scroll (the plots fill a phone's width): a finger that lands on the
//! start ring (or a surface's handle) grabs it at once; elsewhere a touch waits. On a curve, a sideways
//! move then drags the start (a vertical one is the browser's, which scrolls: `touch-action: pan-y`); on
//! a surface only a tap moves the start there. When the browser takes a touch to scroll it cancels the
//! pointer, and a second finger turns the touch into a pinch: either way a start the first finger moved
//! goes back ([`Intent::CancelDrag`]).

use crate::fmt;
use crate::session::Intent;
use crate::view::{grabs, pan_view, zoom_view, Frame};
use steplab_core::{Point, View};

/// How close (CSS px) a press must be to the start ring to grab it rather than jump the start there.
pub const GRAB_RADIUS: f64 = 20.0;
/// The same for a finger, which covers more than a cursor (a 44-px target, as the handle is).
pub const TOUCH_GRAB_RADIUS: f64 = 24.0;
/// How far (CSS px) a waiting touch must move sideways on a curve before it drags the start.
pub const TOUCH_SLOP: f64 = 8.0;

/// What a plot looks like to the gestures: how it maps the world, where its start ring is drawn, the
/// start itself and the loss's dimension.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotGeometry {
    pub frame: Frame,
    /// The loss's own window, which zooming stays within a range of.
    pub home: View,
    /// The start ring's centre, CSS px.
    pub ring: (f64, f64),
    pub start: Point,
    pub dim: usize,
}

/// A pointer pressed on plot `plot` (0–2 the panels, 3 the overlay surface).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Press {
    pub plot: usize,
    pub pointer: i32,
    pub at: (f64, f64),
    /// 0 the main button (or a touch), 1 the middle one, 2 the secondary one.
    pub button: i16,
    pub shift: bool,
    /// A finger rather than a mouse or a pen.
    pub touch: bool,
    /// Pressed on the surface's handle for a finger (which sits on the start ring).
    pub on_handle: bool,
}

/// What the pointers on a plot are doing.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
enum Gesture {
    #[default]
    Idle,
    /// Moving the start; `offset` is the pixel offset from the pointer to the grabbed ring.
    Start { plot: usize, pointer: i32, offset: (f64, f64) },
    /// Panning with one pointer, last seen at `at`.
    Pan { plot: usize, pointer: i32, at: (f64, f64) },
    /// Two pointers: pinch to zoom, move to pan.
    Pinch { plot: usize },
    /// A finger down away from the start, not yet a drag: where it landed, the start a tap there would
    /// put, and whether it has moved too far to be a tap.
    Waiting { plot: usize, pointer: i32, at: (f64, f64), tap: Point, moved: bool },
}

#[derive(Default)]
pub struct Gestures {
    gesture: Gesture,
    /// The pointers down, with where they were last seen.
    pointers: Vec<(i32, (f64, f64))>,
}

impl Gestures {
    /// Whether a start drag is under way.
    pub fn dragging(&self) -> bool {
        matches!(self.gesture, Gesture::Start { .. })
    }

    pub fn down(&mut self, press: Press, geometry: &PlotGeometry) -> Vec<Intent> {
        let Press { plot, pointer, at, button, shift, touch, on_handle } = press;
        self.pointers.retain(|(p, _)| *p != pointer);
        self.pointers.push((pointer, at));
        if self.pointers.len() >= 2 {
            // A second finger turns the touch into a pinch, and puts back a start the first one moved.
            let cancelled = self.cancel_drag();
            self.gesture = Gesture::Pinch { plot };
            return cancelled;
        }
        if shift || button == 1 || button == 2 {
            self.gesture = Gesture::Pan { plot, pointer, at };
            return Vec::new();
        }
        if button != 0 {
            return Vec::new();
        }
        let (rx, ry) = geometry.ring;
        let radius = if touch { TOUCH_GRAB_RADIUS } else { GRAB_RADIUS };
        let on_ring = on_handle || grabs(at.0, at.1, rx, ry, radius);
        if touch && !on_ring {
            let tap = start_at(geometry, at, (0.0, 0.0));
            self.gesture = Gesture::Waiting { plot, pointer, at, tap, moved: false };
            return Vec::new();
        }
        let offset = if on_ring { (rx - at.0, ry - at.1) } else { (0.0, 0.0) };
        self.gesture = Gesture::Start { plot, pointer, offset };
        vec![Intent::BeginDrag, Intent::MoveStart(start_at(geometry, at, offset))]
    }

    pub fn moved(&mut self, plot: usize, pointer: i32, at: (f64, f64), geometry: &PlotGeometry) -> Vec<Intent> {
        let before = self.pointers.clone();
        if let Some(entry) = self.pointers.iter_mut().find(|(p, _)| *p == pointer) {
            entry.1 = at;
        }
        let frame = &geometry.frame;
        match self.gesture {
            Gesture::Start { plot: p, pointer: q, offset } if p == plot && q == pointer => {
                vec![Intent::MoveStart(start_at(geometry, at, offset))]
            }
            Gesture::Waiting { plot: p, pointer: q, at: landed, tap, moved } if p == plot && q == pointer => {
                let (dx, dy) = (at.0 - landed.0, at.1 - landed.1);
                let far = dx.hypot(dy) > TOUCH_SLOP;
                if geometry.dim == 1 && far && dx.abs() > dy.abs() {
                    // Sideways on a curve: a drag, from where the finger is now.
                    self.gesture = Gesture::Start { plot, pointer, offset: (0.0, 0.0) };
                    return vec![Intent::BeginDrag, Intent::MoveStart(start_at(geometry, at, (0.0, 0.0)))];
                }
                self.gesture = Gesture::Waiting { plot, pointer, at: landed, tap, moved: moved || far };
                Vec::new()
            }
            Gesture::Pan { plot: p, pointer: q, at: last } if p == plot && q == pointer => {
                let (ux, uy) = frame.units_per_px();
                self.gesture = Gesture::Pan { plot, pointer, at };
                vec![Intent::SetView(pan_view(frame.plot.world, -(at.0 - last.0) * ux, (at.1 - last.1) * uy))]
            }
            Gesture::Pinch { plot: p } if p == plot && self.pointers.len() >= 2 && before.len() >= 2 => {
                let centre =
                    |ps: &[(i32, (f64, f64))]| ((ps[0].1 .0 + ps[1].1 .0) / 2.0, (ps[0].1 .1 + ps[1].1 .1) / 2.0);
                let spread =
                    |ps: &[(i32, (f64, f64))]| (ps[0].1 .0 - ps[1].1 .0).hypot(ps[0].1 .1 - ps[1].1 .1).max(1.0);
                let (c0, c1) = (centre(&before), centre(&self.pointers));
                let (ux, uy) = frame.units_per_px();
                let panned = pan_view(frame.plot.world, -(c1.0 - c0.0) * ux, (c1.1 - c0.1) * uy);
                let anchor = frame.to_world(c1.0, c1.1);
                vec![Intent::SetView(zoom_view(
                    panned,
                    anchor,
                    spread(&before) / spread(&self.pointers),
                    geometry.home,
                ))]
            }
            _ => Vec::new(),
        }
    }

    /// A pointer went up (or lost its capture after going up).
    pub fn up(&mut self, pointer: i32) -> Vec<Intent> {
        self.pointers.retain(|(p, _)| *p != pointer);
        match self.gesture {
            Gesture::Start { pointer: q, .. } if q == pointer => self.end_drag(),
            Gesture::Waiting { pointer: q, tap, moved, .. } if q == pointer => {
                self.gesture = Gesture::Idle;
                // A tap puts the start there, as a click does.
                if moved {
                    Vec::new()
                } else {
                    vec![Intent::BeginDrag, Intent::MoveStart(tap), Intent::EndDrag]
                }
            }
            _ => self.release(pointer),
        }
    }

    /// The browser took a pointer back (`pointercancel`: it scrolls the page, say): a start it moved goes
    /// back, and a waiting touch is no tap.
    pub fn cancel(&mut self, pointer: i32) -> Vec<Intent> {
        self.pointers.retain(|(p, _)| *p != pointer);
        match self.gesture {
            Gesture::Start { pointer: q, .. } | Gesture::Waiting { pointer: q, .. } if q == pointer => {
                self.cancel_drag()
            }
            _ => self.release(pointer),
        }
    }

    /// A pan or a pinch ends when its pointers go.
    fn release(&mut self, pointer: i32) -> Vec<Intent> {
        match self.gesture {
            Gesture::Pan { pointer: q, .. } if q == pointer => self.gesture = Gesture::Idle,
            Gesture::Pinch { .. } if self.pointers.len() < 2 => self.gesture = Gesture::Idle,
            _ => {}
        }
        Vec::new()
    }

    fn end_drag(&mut self) -> Vec<Intent> {
        if self.dragging() {
            self.gesture = Gesture::Idle;
            vec![Intent::EndDrag]
        } else {
            Vec::new()
        }
    }

    /// Ends a drag by taking it back, or forgets a waiting touch.
    fn cancel_drag(&mut self) -> Vec<Intent> {
        let dragging = self.dragging();
        if dragging || matches!(self.gesture, Gesture::Waiting { .. }) {
            self.gesture = Gesture::Idle;
        }
        if dragging {
            vec![Intent::CancelDrag]
        } else {
            Vec::new()
        }
    }
}

/// Whether the wheel zooms this plot: always on a surface; on a curve only with Ctrl or ⌘ held, so that a
/// plain wheel scrolls the page. (Decided before the event returns: only then may it be cancelled.)
pub fn wheel_zooms(dim: usize, ctrl_or_meta: bool) -> bool {
    dim == 2 || ctrl_or_meta
}

/// The wheel turned by `delta_px` (down is positive, zooms out) over `at`.
pub fn wheel(at: (f64, f64), delta_px: f64, geometry: &PlotGeometry) -> Intent {
    let factor = fmt::exp(steplab_core::clamp(delta_px, -400.0, 400.0) * 0.002);
    zoom_at(geometry, at, factor)
}

fn zoom_at(geometry: &PlotGeometry, at: (f64, f64), factor: f64) -> Intent {
    let anchor = geometry.frame.to_world(at.0, at.1);
    Intent::SetView(zoom_view(geometry.frame.plot.world, anchor, factor, geometry.home))
}

/// Whether a key pressed on a focused plot is one of its own (so the page's shortcuts leave it alone).
pub fn plot_key(key: &str) -> bool {
    matches!(key, "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" | "+" | "=" | "-" | "0")
}

/// A key on a focused plot: the arrows move the start by a fiftieth of the window (Shift: a tenth);
/// on a curve ↑ and ↓ move it too. + and − zoom around the middle, 0 resets the view.
pub fn key(key: &str, shift: bool, geometry: &PlotGeometry) -> Option<Intent> {
    let frame = &geometry.frame;
    let two_d = geometry.dim == 2;
    let middle = (frame.width / 2.0, frame.height / 2.0);
    let (dx, dy) = match key {
        "ArrowLeft" => (-1.0, 0.0),
        "ArrowRight" => (1.0, 0.0),
        "ArrowUp" if two_d => (0.0, 1.0),
        "ArrowDown" if two_d => (0.0, -1.0),
        "ArrowUp" => (1.0, 0.0),
        "ArrowDown" => (-1.0, 0.0),
        "+" | "=" => return Some(zoom_at(geometry, middle, 0.8)),
        "-" => return Some(zoom_at(geometry, middle, 1.25)),
        "0" => return Some(Intent::ResetView),
        _ => return None,
    };
    let share = if shift { 0.1 } else { 0.02 };
    let view = frame.plot.world;
    let (ux, uy) = frame.units_per_px();
    let start = geometry.start;
    let x = steplab_core::clamp(start[0] + dx * share * (view.x.1 - view.x.0), view.x.0, view.x.1);
    let y = if two_d {
        steplab_core::clamp(start[1] + dy * share * (view.y.1 - view.y.0), view.y.0, view.y.1)
    } else {
        0.0
    };
    Some(Intent::MoveStart([round_to_pixel(x, ux), if two_d { round_to_pixel(y, uy) } else { 0.0 }]))
}

/// The start wanted at pixel `at`, less any grab offset, clamped to the window and rounded to what a pixel
/// can tell apart (so the link reads `x0=3.6`, not `x0=3.5999999999999996`).
fn start_at(geometry: &PlotGeometry, at: (f64, f64), offset: (f64, f64)) -> Point {
    let frame = &geometry.frame;
    let (ux, uy) = frame.units_per_px();
    let (px, py) = (at.0 + offset.0, at.1 + offset.1);
    if geometry.dim == 2 {
        let [x, y] = frame.world_point(px, py);
        [round_to_pixel(x, ux), round_to_pixel(y, uy)]
    } else {
        [round_to_pixel(frame.world_x(px), ux), 0.0]
    }
}

/// `value` rounded to the power of ten just below `per_pixel` (0.01 when a pixel is 0.025 wide): the
/// precision the view can show. Divided by an exact power of ten, so that it prints as few digits.
pub fn round_to_pixel(value: f64, per_pixel: f64) -> f64 {
    if !(per_pixel.is_finite() && per_pixel > 0.0 && value.is_finite()) {
        return value;
    }
    let decimals = -fmt::log10(per_pixel).floor();
    if decimals > 0.0 {
        let scale = fmt::pow10(decimals.min(300.0));
        let rounded = (value * scale).round() / scale;
        if rounded.is_finite() {
            rounded
        } else {
            value
        }
    } else {
        let step = fmt::pow10(-decimals);
        (value / step).round() * step
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1-D plot of [−5, 5] 416 px wide (a CSS pixel is 10/400 = 0.025 wide), ring at x = 4.
    fn curve() -> PlotGeometry {
        let frame = Frame::new(View { x: (-5.0, 5.0), y: (0.0, 4.0) }, 416.0, 220.0, 1.0);
        let ring = frame.to_px(4.0, 3.0);
        PlotGeometry { frame, home: frame.plot.world, ring, start: [4.0, 0.0], dim: 1 }
    }

    fn surface() -> PlotGeometry {
        let frame = Frame::new(View { x: (-5.0, 5.0), y: (-5.0, 5.0) }, 416.0, 420.0, 1.0);
        PlotGeometry { frame, home: frame.plot.world, ring: frame.to_px(0.0, 0.0), start: [0.0, 0.0], dim: 2 }
    }

    fn press(plot: usize, pointer: i32, at: (f64, f64)) -> Press {
        Press { plot, pointer, at, button: 0, shift: false, touch: false, on_handle: false }
    }

    fn touch(plot: usize, pointer: i32, at: (f64, f64)) -> Press {
        Press { touch: true, ..press(plot, pointer, at) }
    }

    #[test]
    fn a_press_moves_the_start_there_and_a_drag_follows_with_readable_numbers() {
        let geometry = curve();
        let mut gestures = Gestures::default();
        let intents = gestures.down(press(0, 1, (108.0, 100.0)), &geometry);
        // 100 px into the plot: −5 + 100·0.025 = −2.5.
        assert_eq!(intents, [Intent::BeginDrag, Intent::MoveStart([-2.5, 0.0])]);
        assert!(gestures.dragging());
        let moved = gestures.moved(0, 1, (8.0 + 344.0, 40.0), &geometry);
        assert_eq!(moved, [Intent::MoveStart([3.6, 0.0])], "3.6, not 3.5999999999999996");
        assert_eq!(gestures.moved(1, 1, (50.0, 40.0), &geometry), [], "another plot's pointer");
        assert_eq!(gestures.up(1), [Intent::EndDrag]);
        assert!(!gestures.dragging());
    }

    #[test]
    fn grabbing_the_ring_does_not_jump() {
        let geometry = curve();
        let mut gestures = Gestures::default();
        let (rx, ry) = geometry.ring;
        let intents = gestures.down(press(2, 7, (rx + 6.0, ry + 5.0)), &geometry);
        assert_eq!(intents[1], Intent::MoveStart([4.0, 0.0]), "the start stays where it was");
        let moved = gestures.moved(2, 7, (rx + 6.0 - 40.0, ry), &geometry);
        assert_eq!(moved, [Intent::MoveStart([3.0, 0.0])], "40 px to the left is 1.0 to the left");
    }

    #[test]
    fn a_second_finger_takes_back_the_drag_and_pinches() {
        let geometry = surface();
        let mut gestures = Gestures::default();
        gestures.down(press(0, 1, (100.0, 100.0)), &geometry);
        assert_eq!(gestures.down(press(0, 2, (300.0, 300.0)), &geometry), [Intent::CancelDrag]);
        // The fingers spread apart around the same centre: zoom in.
        gestures.moved(0, 1, (50.0, 50.0), &geometry);
        let [Intent::SetView(view)] = gestures.moved(0, 2, (350.0, 350.0), &geometry)[..] else {
            panic!("a pinch sets the view")
        };
        assert!(view.x.1 - view.x.0 < 10.0, "{view:?}");
        assert_eq!(gestures.up(1), []);
        assert_eq!(gestures.moved(0, 2, (340.0, 340.0), &geometry), [], "one finger left: nothing");
    }

    #[test]
    fn a_finger_on_a_curve_drags_sideways_and_leaves_vertical_swipes_to_the_page() {
        let geometry = curve();
        let mut gestures = Gestures::default();
        assert_eq!(gestures.down(touch(0, 1, (108.0, 100.0)), &geometry), [], "a touch waits");
        assert_eq!(gestures.moved(0, 1, (110.0, 130.0), &geometry), [], "downwards: the page's");
        // The browser scrolls, and says so by cancelling the pointer.
        assert_eq!(gestures.cancel(1), []);
        assert!(!gestures.dragging());
        gestures.down(touch(0, 2, (108.0, 100.0)), &geometry);
        let intents = gestures.moved(0, 2, (148.0, 104.0), &geometry);
        assert_eq!(intents, [Intent::BeginDrag, Intent::MoveStart([-1.5, 0.0])], "sideways: a drag");
        assert_eq!(gestures.cancel(2), [Intent::CancelDrag], "cancelled later: the start goes back");
        gestures.down(touch(0, 3, (108.0, 100.0)), &geometry);
        let tap = [Intent::BeginDrag, Intent::MoveStart([-2.5, 0.0]), Intent::EndDrag];
        assert_eq!(gestures.up(3), tap, "a tap puts the start there");
    }

    #[test]
    fn a_finger_on_a_surface_moves_the_start_only_from_the_ring_or_by_a_tap() {
        let geometry = surface();
        let mut gestures = Gestures::default();
        // Away from the ring, a swipe in any direction leaves the start alone (and is no tap).
        assert_eq!(gestures.down(touch(0, 1, (100.0, 100.0)), &geometry), []);
        assert_eq!(gestures.moved(0, 1, (160.0, 100.0), &geometry), []);
        assert_eq!(gestures.up(1), []);
        // From the ring (or the handle on it) the finger drags at once, without a jump.
        let (rx, ry) = geometry.ring;
        let grabbed = gestures.down(touch(0, 2, (rx + 15.0, ry + 15.0)), &geometry);
        assert_eq!(grabbed, [Intent::BeginDrag, Intent::MoveStart([0.0, 0.0])]);
        let moved = gestures.moved(0, 2, (rx + 15.0 + 40.0, ry + 15.0), &geometry);
        assert!(matches!(moved[..], [Intent::MoveStart([x, y])] if x > 0.9 && y == 0.0), "{moved:?}");
        assert_eq!(gestures.up(2), [Intent::EndDrag]);
        let handle = Press { on_handle: true, ..touch(0, 3, (rx + 30.0, ry)) };
        assert_eq!(gestures.down(handle, &geometry)[1], Intent::MoveStart([0.0, 0.0]));
        assert_eq!(gestures.up(3), [Intent::EndDrag]);
        // A pinch that began on the ring puts the start back.
        gestures.down(touch(0, 4, (rx, ry)), &geometry);
        gestures.moved(0, 4, (rx + 50.0, ry), &geometry);
        assert_eq!(gestures.down(touch(0, 5, (300.0, 300.0)), &geometry), [Intent::CancelDrag]);
    }

    #[test]
    fn shift_or_another_button_pans() {
        let geometry = surface();
        let mut gestures = Gestures::default();
        let pan = Press { shift: true, ..press(0, 1, (200.0, 200.0)) };
        assert_eq!(gestures.down(pan, &geometry), []);
        let [Intent::SetView(view)] = gestures.moved(0, 1, (240.0, 200.0), &geometry)[..] else { panic!() };
        // Dragging right by 40 px moves the window left by 40 px' worth of world.
        assert!((view.x.0 - (-5.0 - 40.0 * 10.0 / 400.0)).abs() < 1e-12, "{view:?}");
        assert_eq!(gestures.up(1), []);
        let middle = Press { button: 1, ..press(0, 3, (10.0, 10.0)) };
        assert_eq!(gestures.down(middle, &geometry), []);
    }

    #[test]
    fn keys_move_the_start_by_a_share_of_the_window_and_zoom() {
        let geometry = curve();
        assert_eq!(key("ArrowLeft", false, &geometry), Some(Intent::MoveStart([3.8, 0.0])));
        assert_eq!(key("ArrowRight", true, &geometry), Some(Intent::MoveStart([5.0, 0.0])), "clamped");
        assert_eq!(key("0", false, &geometry), Some(Intent::ResetView));
        assert!(matches!(key("+", false, &geometry), Some(Intent::SetView(v)) if v.x.1 - v.x.0 < 10.0));
        assert_eq!(key("a", false, &geometry), None);
        let geometry = surface();
        assert_eq!(key("ArrowUp", false, &geometry), Some(Intent::MoveStart([0.0, 0.2])));
        assert!(plot_key("ArrowUp") && !plot_key(" "));
    }

    #[test]
    fn the_wheel_zooms_surfaces_and_curves_only_with_ctrl() {
        assert!(wheel_zooms(2, false));
        assert!(!wheel_zooms(1, false));
        assert!(wheel_zooms(1, true));
        let Intent::SetView(out) = wheel((208.0, 210.0), 100.0, &surface()) else { panic!() };
        assert!(out.x.1 - out.x.0 > 10.0, "down zooms out: {out:?}");
    }

    #[test]
    fn rounding_keeps_what_a_pixel_can_show() {
        assert_eq!(round_to_pixel(3.5999999999999996, 0.025), 3.6);
        assert_eq!(round_to_pixel(2.598352755629545, 0.0025), 2.598);
        assert_eq!(round_to_pixel(1234.567, 3.0), 1235.0);
        assert_eq!(round_to_pixel(-0.0004, 0.02), 0.0);
        assert!(round_to_pixel(f64::NAN, 0.02).is_nan());
    }
}
