//! World ↔ canvas coordinates, converted in one place. Drawing works in CSS pixels (the context is scaled
//! by devicePixelRatio once per resize); the backing store is CSS size × devicePixelRatio, so lines stay
//! crisp on HiDPI screens.

use steplab_core::figure::PLOT_INSET;
use steplab_core::{Plot, View};

/// How one canvas maps the world window onto its pixels: core's [`Plot`] (the same mapping the figures
/// use) inside a canvas of a CSS size and pixel ratio.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Where the world window sits in the canvas, in CSS pixels.
    pub plot: Plot,
    /// CSS size of the canvas element.
    pub width: f64,
    pub height: f64,
    pub dpr: f64,
}

impl Frame {
    pub fn new(world: View, width: f64, height: f64, dpr: f64) -> Frame {
        let dpr = if dpr.is_finite() && dpr > 0.0 { dpr } else { 1.0 };
        let (width, height) = (width.max(1.0), height.max(1.0));
        Frame { plot: Plot::inset(world, width, height, PLOT_INSET), width, height, dpr }
    }

    /// The frame of a surface: its window keeps its proportions (a circle stays round, a steep direction
    /// looks steep), centred in the canvas with wider margins on the sides or above and below, so that the
    /// canvas itself keeps the size the page gave it.
    pub fn letterboxed(world: View, width: f64, height: f64, dpr: f64) -> Frame {
        let frame = Frame::new(world, width, height, dpr);
        Frame { plot: frame.plot.letterboxed(), ..frame }
    }

    /// The canvas's backing-store size in device pixels.
    pub fn backing_size(&self) -> (u32, u32) {
        ((self.width * self.dpr).round() as u32, (self.height * self.dpr).round() as u32)
    }

    /// World → CSS pixels (y grows downward on screen).
    pub fn to_px(&self, x: f64, y: f64) -> (f64, f64) {
        self.plot.to_px(x, y)
    }

    /// CSS pixels → world.
    pub fn to_world(&self, px: f64, py: f64) -> (f64, f64) {
        self.plot.to_world(px, py)
    }

    /// World x of a horizontal CSS pixel position, clamped to the window (for dragging the start).
    pub fn world_x(&self, px: f64) -> f64 {
        let (x0, x1) = self.plot.world.x;
        steplab_core::clamp(self.to_world(px, 0.0).0, x0, x1)
    }

    /// A vertical pixel kept inside the canvas, so that a point far off the window still draws as a
    /// marker at the edge instead of a huge coordinate.
    pub fn clamp_py(&self, py: f64) -> f64 {
        steplab_core::clamp(py, -20.0, self.height + 20.0)
    }
}

/// Whether a pointer at `(px, py)` grabs a handle drawn at `(hx, hy)`: a generous radius in CSS pixels
/// so that a fingertip finds a small ball.
pub fn grabs(px: f64, py: f64, hx: f64, hy: f64, radius: f64) -> bool {
    (px - hx).hypot(py - hy) <= radius
}

/// How far the view may zoom in and out of the loss's own window: past a thousandth the paths are lost
/// in digits and pixels, past a hundred times they shrink to a dot.
pub const ZOOM_IN_LIMIT: f64 = 1e-3;
pub const ZOOM_OUT_LIMIT: f64 = 1e2;

/// `view` zoomed by `factor` (> 1 zooms out) around the world point `center`, which stays put on screen,
/// but never narrower than [`ZOOM_IN_LIMIT`] or wider than [`ZOOM_OUT_LIMIT`] times `home`, the loss's
/// own window (the zoom stops at the limit; the window keeps its proportions).
pub fn zoom_view(view: View, center: (f64, f64), factor: f64, home: View) -> View {
    let factor = if factor.is_finite() && factor > 0.0 { factor } else { 1.0 };
    let width = view.x.1 - view.x.0;
    let home_width = home.x.1 - home.x.0;
    let wanted = steplab_core::clamp(width * factor, home_width * ZOOM_IN_LIMIT, home_width * ZOOM_OUT_LIMIT);
    let factor = wanted / width;
    let scale = |(lo, hi): (f64, f64), c: f64| (c + (lo - c) * factor, c + (hi - c) * factor);
    let zoomed = View { x: scale(view.x, center.0), y: scale(view.y, center.1) };
    let fits = |(lo, hi): (f64, f64)| {
        let width = hi - lo;
        width.is_finite() && (1e-9..=1e7).contains(&width) && lo.abs() <= 1e7 && hi.abs() <= 1e7
    };
    if fits(zoomed.x) && fits(zoomed.y) {
        zoomed
    } else {
        view
    }
}

/// About `count` round values (multiples of 1, 2 or 5 times a power of ten) between `lo` and `hi`, for
/// an axis's numbers. Empty for a range that is not a finite, positive width.
pub fn ticks(lo: f64, hi: f64, count: f64) -> Vec<f64> {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0 && count >= 1.0) {
        return Vec::new();
    }
    let unit = crate::fmt::pow10((crate::fmt::log10(span / count)).floor());
    let step =
        [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * unit).find(|step| span / step <= count).unwrap_or(10.0 * unit);
    let first = (lo / step).ceil();
    let last = (hi / step).floor();
    if !(first.is_finite() && last.is_finite()) || last - first > 50.0 {
        return Vec::new();
    }
    // Whole multiples of the step, so 0.1 + 0.2 never shows up as a label.
    (0..=((last - first) as i64)).map(|k| (first + k as f64) * step).collect()
}

/// `view` moved by (`dx`, `dy`) in world units.
pub fn pan_view(view: View, dx: f64, dy: f64) -> View {
    if !(dx.is_finite() && dy.is_finite()) {
        return view;
    }
    View { x: (view.x.0 + dx, view.x.1 + dx), y: (view.y.0 + dy, view.y.1 + dy) }
}

impl Frame {
    /// World point of a CSS pixel, clamped to the window (for dragging the start of a 2-D run).
    pub fn world_point(&self, px: f64, py: f64) -> [f64; 2] {
        let (x, y) = self.to_world(px, py);
        let world = self.plot.world;
        [steplab_core::clamp(x, world.x.0, world.x.1), steplab_core::clamp(y, world.y.0, world.y.1)]
    }

    /// The plot rectangle in CSS pixels: left, top, width, height.
    pub fn plot_rect(&self) -> (f64, f64, f64, f64) {
        (self.plot.left, self.plot.top, self.plot.width(), self.plot.height())
    }

    /// World units per CSS pixel, horizontally and vertically.
    pub fn units_per_px(&self) -> (f64, f64) {
        let world = self.plot.world;
        ((world.x.1 - world.x.0) / self.plot.width(), (world.y.1 - world.y.0) / self.plot.height())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_surface_keeps_its_proportions_inside_any_canvas() {
        let square = View { x: (-5.0, 5.0), y: (-5.0, 5.0) };
        let wide = Frame::letterboxed(square, 416.0, 220.0, 1.0);
        let (left, top, width, height) = wide.plot_rect();
        assert_eq!((width, height), (200.0, 200.0));
        assert_eq!((left, top), (108.0, 10.0));
        // The window's corners are the plot's corners, and the middle is the middle.
        assert_eq!(wide.to_px(-5.0, 5.0), (108.0, 10.0));
        assert_eq!(wide.to_px(0.0, 0.0), (208.0, 110.0));
        let flat = View { x: (-6.0, 6.0), y: (-3.0, 3.0) };
        let tall = Frame::letterboxed(flat, 216.0, 420.0, 1.0);
        let (_, top, width, height) = tall.plot_rect();
        assert_eq!((width, height, top), (200.0, 100.0, 160.0));
    }

    #[test]
    fn ticks_are_round_numbers_inside_the_range() {
        assert_eq!(ticks(-5.0, 5.0, 5.0), [-4.0, -2.0, 0.0, 2.0, 4.0]);
        assert_eq!(ticks(0.0, 1.0, 4.0), [0.0, 0.5, 1.0]);
        assert_eq!(ticks(-0.25, 4.3, 4.0), [0.0, 2.0, 4.0]);
        let small = ticks(0.1, 0.35, 5.0);
        assert_eq!(small.len(), 5);
        assert_eq!(crate::fmt::compact(small[1], 4), "0.15");
        assert!(ticks(1.0, 1.0, 5.0).is_empty() && ticks(0.0, f64::NAN, 5.0).is_empty());
    }

    #[test]
    fn zoom_stops_at_its_limits_around_the_losss_window() {
        let home = View { x: (-5.0, 5.0), y: (-5.0, 5.0) };
        let mut view = home;
        for _ in 0..100 {
            view = zoom_view(view, (1.0, 1.0), 0.5, home);
        }
        assert!((view.x.1 - view.x.0 - 10.0 * ZOOM_IN_LIMIT).abs() < 1e-12, "{view:?}");
        for _ in 0..100 {
            view = zoom_view(view, (0.0, 0.0), 2.0, home);
        }
        assert!((view.x.1 - view.x.0 - 10.0 * ZOOM_OUT_LIMIT).abs() < 1e-9, "{view:?}");
    }
}
