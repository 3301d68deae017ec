//! World ↔ canvas coordinates, converted in one place. Drawing works in CSS pixels (the context is scaled
//! by devicePixelRatio once per resize); the backing store is CSS size × devicePixelRatio, so lines stay
//! crisp on HiDPI screens.

use steplab_core::View;

/// Space kept around the plot inside the canvas, in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Margin {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

/// How one canvas maps the world window onto its pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub world: View,
    /// CSS size of the canvas element.
    pub width: f64,
    pub height: f64,
    pub dpr: f64,
    pub margin: Margin,
}

impl Frame {
    pub fn new(world: View, width: f64, height: f64, dpr: f64) -> Frame {
        let dpr = if dpr.is_finite() && dpr > 0.0 { dpr } else { 1.0 };
        Frame {
            world,
            width: width.max(1.0),
            height: height.max(1.0),
            dpr,
            margin: Margin { left: 8.0, right: 8.0, top: 10.0, bottom: 10.0 },
        }
    }

    /// The canvas's backing-store size in device pixels.
    pub fn backing_size(&self) -> (u32, u32) {
        ((self.width * self.dpr).round() as u32, (self.height * self.dpr).round() as u32)
    }

    fn plot_width(&self) -> f64 {
        (self.width - self.margin.left - self.margin.right).max(1.0)
    }

    fn plot_height(&self) -> f64 {
        (self.height - self.margin.top - self.margin.bottom).max(1.0)
    }

    /// World → CSS pixels (y grows downward on screen).
    pub fn to_px(&self, x: f64, y: f64) -> (f64, f64) {
        let (x0, x1) = self.world.x;
        let (y0, y1) = self.world.y;
        (
            self.margin.left + (x - x0) / (x1 - x0) * self.plot_width(),
            self.margin.top + (y1 - y) / (y1 - y0) * self.plot_height(),
        )
    }

    /// CSS pixels → world.
    pub fn to_world(&self, px: f64, py: f64) -> (f64, f64) {
        let (x0, x1) = self.world.x;
        let (y0, y1) = self.world.y;
        (
            x0 + (px - self.margin.left) / self.plot_width() * (x1 - x0),
            y1 - (py - self.margin.top) / self.plot_height() * (y1 - y0),
        )
    }

    /// World x of a horizontal CSS pixel position, clamped to the window (for dragging the start).
    pub fn world_x(&self, px: f64) -> f64 {
        let (x0, x1) = self.world.x;
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

/// `view` zoomed by `factor` (> 1 zooms out) around the world point `center`, which stays put on screen.
pub fn zoom_view(view: View, center: (f64, f64), factor: f64) -> View {
    let factor = if factor.is_finite() && factor > 0.0 { factor } else { 1.0 };
    let scale = |(lo, hi): (f64, f64), c: f64| (c + (lo - c) * factor, c + (hi - c) * factor);
    let zoomed = View { x: scale(view.x, center.0), y: scale(view.y, center.1) };
    // Neither so close that the numbers run out of digits, nor so far that the picture is meaningless.
    let width = zoomed.x.1 - zoomed.x.0;
    if (1e-6..=1e6).contains(&width) && (1e-6..=1e6).contains(&(zoomed.y.1 - zoomed.y.0)) {
        zoomed
    } else {
        view
    }
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
        [steplab_core::clamp(x, self.world.x.0, self.world.x.1), steplab_core::clamp(y, self.world.y.0, self.world.y.1)]
    }

    /// The plot rectangle in CSS pixels: left, top, width, height.
    pub fn plot_rect(&self) -> (f64, f64, f64, f64) {
        (self.margin.left, self.margin.top, self.plot_width(), self.plot_height())
    }

    /// World units per CSS pixel, horizontally and vertically.
    pub fn units_per_px(&self) -> (f64, f64) {
        ((self.world.x.1 - self.world.x.0) / self.plot_width(), (self.world.y.1 - self.world.y.0) / self.plot_height())
    }
}
