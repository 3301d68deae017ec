//! The triptych as a standalone SVG for slides and print, drawn the way the page draws its canvases:
//! per panel the title, the optimizer caption, the loss curve, the trail, the start ring, the next step as
//! an arrow, the ball and the status. Coordinates are printed with integer formatting only (see [`px`]),
//! numbers in text by the caller's formatter, so the wasm build stays free of Rust's float formatting.

use crate::lab::{status_text, Lab, PANELS};
use crate::loss::Objective;
use crate::num::{clamp, NumberFormat, Point, View};
use crate::optimizer::Optimizer;
use crate::run::Status;
use std::fmt::Write;

/// The whole figure, in SVG user units (CSS pixels).
pub const WIDTH: f64 = 1200.0;
pub const HEIGHT: f64 = 420.0;
/// Each panel's share of the width.
pub const PANEL_WIDTH: f64 = WIDTH / PANELS as f64;

/// The plot area inside a panel: its left and right margin, its top and bottom.
pub const MARGIN: f64 = 16.0;
pub const PLOT_TOP: f64 = 86.0;
pub const PLOT_BOTTOM: f64 = 356.0;
/// How far outside the plot area a point far off the window is still drawn (as a marker at the edge).
pub const OVERSHOOT: f64 = 14.0;

/// Panel colours (Okabe–Ito, colour-blind safe), as on the page.
pub const PANEL_COLOURS: [&str; PANELS] = ["#D55E00", "#0072B2", "#009E73"];
const INK: &str = "#1d1d22";
const MUTED: &str = "#565964";
const FAINT: &str = "#d6d9e0";
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/// How many of the newest trail points are drawn as dots, as on the page.
const TRAIL_DOTS: u32 = 40;

/// The three panels side by side at the lab's current step.
pub fn triptych_svg(lab: &Lab, fmt: NumberFormat) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"{FONT}\">\n<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
        w = WIDTH as u32,
        h = HEIGHT as u32,
    );
    for panel in 0..PANELS {
        draw_panel(&mut out, lab, panel, fmt);
    }
    out.push_str("</svg>\n");
    out
}

/// `Gradient descent · lr 0.4`: the optimizer's name, its learning rate and every other hyperparameter
/// that differs from its default, as the page's caption.
pub fn caption(optimizer: &Optimizer, fmt: NumberFormat) -> String {
    let mut text = String::from(optimizer.kind().name());
    for (spec, value) in optimizer.params() {
        if spec.name == "lr" || value != spec.default {
            text.push_str(" · ");
            text.push_str(spec.name);
            text.push(' ');
            text.push_str(&fmt(value));
        }
    }
    text
}

/// `v` with one decimal ("12.3", "-0.5"), from integer formatting only. Values are first kept within
/// ±1e6 (NaN becomes 0) so that nothing absurd reaches the file.
pub fn px(v: f64) -> String {
    let mut out = String::new();
    push_px(&mut out, v);
    out
}

fn push_px(out: &mut String, v: f64) {
    let v = if v.is_nan() { 0.0 } else { clamp(v, -1e6, 1e6) };
    let tenths = (v * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.unsigned_abs();
    let _ = write!(out, "{sign}{}.{}", tenths / 10, tenths % 10);
}

/// `x,y ` for a `points` list.
fn push_point(out: &mut String, (x, y): (f64, f64)) {
    push_px(out, x);
    out.push(',');
    push_px(out, y);
    out.push(' ');
}

/// `a="12.3"` attributes for an element.
fn push_attr(out: &mut String, name: &str, v: f64) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    push_px(out, v);
    out.push('"');
}

/// Text escaped for XML content and attributes.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 allows no other control characters, not even escaped.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// How one panel maps its world window onto the figure.
#[derive(Clone, Copy, Debug)]
pub struct PanelFrame {
    pub world: View,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl PanelFrame {
    /// The plot area of panel `panel` showing `world`.
    pub fn new(panel: usize, world: View) -> PanelFrame {
        let origin = PANEL_WIDTH * panel as f64;
        PanelFrame {
            world,
            left: origin + MARGIN,
            right: origin + PANEL_WIDTH - MARGIN,
            top: PLOT_TOP,
            bottom: PLOT_BOTTOM,
        }
    }

    /// World → figure coordinates (y grows downward), kept within [`OVERSHOOT`] of the plot area so that
    /// a point far off the window draws as a marker at its edge.
    pub fn to_px(&self, x: f64, y: f64) -> (f64, f64) {
        let (x0, x1) = self.world.x;
        let (y0, y1) = self.world.y;
        let px = self.left + (x - x0) / (x1 - x0) * (self.right - self.left);
        let py = self.top + (y1 - y) / (y1 - y0) * (self.bottom - self.top);
        (
            clamp(px, self.left - OVERSHOOT, self.right + OVERSHOOT),
            clamp(py, self.top - OVERSHOOT, self.bottom + OVERSHOOT),
        )
    }

    /// The world x at figure column `px`.
    fn world_x(&self, px: f64) -> f64 {
        let (x0, x1) = self.world.x;
        x0 + (px - self.left) / (self.right - self.left) * (x1 - x0)
    }
}

/// Where a point of the optimizer's space is drawn: on the curve for a 1-D loss, in the plane for 2-D.
fn place(frame: &PanelFrame, objective: &Objective, p: Point) -> (f64, f64) {
    if objective.dim() == 1 {
        frame.to_px(p[0], objective.value(p))
    } else {
        frame.to_px(p[0], p[1])
    }
}

fn draw_panel(out: &mut String, lab: &Lab, panel: usize, fmt: NumberFormat) {
    let scenario = lab.scenario();
    let objective = scenario.objective();
    let spec = &scenario.panels[panel];
    let colour = PANEL_COLOURS[panel];
    let frame = PanelFrame::new(panel, scenario.view());
    let run = lab.run(panel);
    let shown = lab.shown(panel);
    let text_x = frame.left;
    let width = frame.right - frame.left;

    let _ = writeln!(out, "<g class=\"panel\" data-panel=\"{}\">", ["a", "b", "c"][panel]);

    // Title and caption; text that would run into the next panel is squeezed into this one.
    out.push_str("<text class=\"title\"");
    push_attr(out, "x", text_x);
    let _ = write!(out, " y=\"34\" font-size=\"20\" font-weight=\"700\" fill=\"{colour}\"");
    squeeze(out, &spec.title, 11.0, width);
    let _ = writeln!(out, ">{}</text>", xml_escape(&spec.title));
    let caption = caption(&spec.optimizer, fmt);
    out.push_str("<text class=\"caption\"");
    push_attr(out, "x", text_x);
    let _ = write!(out, " y=\"56\" font-size=\"13\" fill=\"{MUTED}\"");
    squeeze(out, &caption, 6.8, width);
    let _ = writeln!(out, ">{}</text>", xml_escape(&caption));

    if objective.dim() == 1 {
        axes_1d(out, &frame, &objective);
        curve(out, &frame, &objective);
    } else {
        axes_2d(out, &frame, &objective);
    }

    // Chords between successive points make the zig-zag of a rate that is too large obvious.
    let trail = || run.history().take_while(|r| r.n <= shown.n);
    let _ = write!(
        out,
        "<polyline class=\"trail\" fill=\"none\" stroke=\"{colour}\" stroke-opacity=\"0.35\" stroke-width=\"1\" \
         stroke-linejoin=\"round\" points=\""
    );
    for record in trail() {
        push_point(out, place(&frame, &objective, record.x));
    }
    out.push_str("\"/>\n");

    // Dots fading with age, the newest strongest.
    let _ = writeln!(out, "<g class=\"dots\" fill=\"{colour}\">");
    for record in trail().filter(|r| r.n < shown.n && shown.n - r.n <= TRAIL_DOTS) {
        let age = shown.n - record.n;
        let percent = 15 + (60 * (TRAIL_DOTS - age) + TRAIL_DOTS / 2) / TRAIL_DOTS;
        let (x, y) = place(&frame, &objective, record.x);
        out.push_str("<circle");
        push_attr(out, "cx", x);
        push_attr(out, "cy", y);
        let _ = writeln!(out, " r=\"2.5\" fill-opacity=\"0.{percent:02}\"/>");
    }
    out.push_str("</g>\n");

    // The start, as a hollow ring.
    let (sx, sy) = place(&frame, &objective, run.start());
    out.push_str("<circle class=\"start\"");
    push_attr(out, "cx", sx);
    push_attr(out, "cy", sy);
    let _ = writeln!(out, " r=\"6\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>");

    // The next step, from the ball to where it will land (nothing once the run has diverged: there is no
    // finite next point).
    let ball = place(&frame, &objective, shown.x);
    if shown.step != [0.0; 2] && !matches!(shown.status, Status::Diverged { .. }) {
        let landing = place(&frame, &objective, [shown.x[0] + shown.step[0], shown.x[1] + shown.step[1]]);
        arrow(out, ball, landing, colour);
    }

    out.push_str("<circle class=\"ball\"");
    push_attr(out, "cx", ball.0);
    push_attr(out, "cy", ball.1);
    let _ = writeln!(out, " r=\"7\" fill=\"{colour}\"/>");

    // The status badge, coloured by kind as on the page.
    let status_colour = match shown.status {
        Status::Running => INK,
        Status::Converged { .. } => "#006b4f",
        Status::Bouncing { .. } => "#8a4b00",
        Status::Diverged { .. } => "#b3261e",
    };
    out.push_str("<text class=\"status\"");
    push_attr(out, "x", text_x);
    let _ = writeln!(
        out,
        " y=\"398\" font-size=\"14\" font-weight=\"600\" fill=\"{status_colour}\" data-status=\"{}\">{}</text>",
        shown.status.kind(),
        xml_escape(&status_text(run, shown))
    );
    out.push_str("</g>\n");
}

/// `textLength` for text that, at about `char_width` per character, would be wider than `width`.
fn squeeze(out: &mut String, text: &str, char_width: f64, width: f64) {
    if text.chars().count() as f64 * char_width > width {
        push_attr(out, "textLength", width);
        out.push_str(" lengthAdjust=\"spacingAndGlyphs\"");
    }
}

/// The zero line of the loss (when the window shows it) and a small tick under each minimum.
fn axes_1d(out: &mut String, frame: &PanelFrame, objective: &Objective) {
    let _ = write!(out, "<path class=\"axes\" fill=\"none\" stroke=\"{FAINT}\" stroke-width=\"1\" d=\"");
    let (y0, y1) = frame.world.y;
    if y0 <= 0.0 && 0.0 <= y1 {
        let (left, zero) = frame.to_px(frame.world.x.0, 0.0);
        let (right, _) = frame.to_px(frame.world.x.1, 0.0);
        out.push('M');
        push_point(out, (left, zero));
        out.push('H');
        push_px(out, right);
        out.push(' ');
    }
    for m in objective.minimizers() {
        let (mx, my) = frame.to_px(m[0], objective.value(*m));
        out.push('M');
        push_point(out, (mx, my + 4.0));
        out.push('V');
        push_px(out, my + 10.0);
        out.push(' ');
    }
    out.push_str("\"/>\n");
}

/// A light frame around the x1–x2 window and a small cross at each minimizer.
fn axes_2d(out: &mut String, frame: &PanelFrame, objective: &Objective) {
    out.push_str("<rect class=\"frame\"");
    push_attr(out, "x", frame.left);
    push_attr(out, "y", frame.top);
    push_attr(out, "width", frame.right - frame.left);
    push_attr(out, "height", frame.bottom - frame.top);
    let _ = writeln!(out, " fill=\"none\" stroke=\"{FAINT}\" stroke-width=\"1\"/>");
    let _ = write!(out, "<path class=\"axes\" fill=\"none\" stroke=\"{FAINT}\" stroke-width=\"1.5\" d=\"");
    for m in objective.minimizers() {
        let (mx, my) = frame.to_px(m[0], m[1]);
        out.push('M');
        push_point(out, (mx - 5.0, my));
        out.push('H');
        push_px(out, mx + 5.0);
        out.push_str(" M");
        push_point(out, (mx, my - 5.0));
        out.push('V');
        push_px(out, my + 5.0);
        out.push(' ');
    }
    out.push_str("\"/>\n");
}

/// The loss curve of a 1-D loss, one sample per unit of width.
fn curve(out: &mut String, frame: &PanelFrame, objective: &Objective) {
    let _ = write!(
        out,
        "<polyline class=\"curve\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"2\" stroke-linejoin=\"round\" \
         points=\""
    );
    let samples = (frame.right - frame.left).ceil() as usize;
    for i in 0..=samples {
        let x = frame.world_x(frame.left + i as f64);
        push_point(out, frame.to_px(x, objective.value([x, 0.0])));
    }
    out.push_str("\"/>\n");
}

/// The pieces of a step arrow in pixels: the shaft from `from` to `base`, and a head triangle with its
/// tip at `to`. Shared by the SVG figure and the page's canvas so both draw the same arrow. `None` when
/// the ends (nearly) coincide.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ArrowShape {
    pub base: (f64, f64),
    pub head: [(f64, f64); 3],
}

pub fn arrow_shape(from: (f64, f64), to: (f64, f64)) -> Option<ArrowShape> {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let length = dx.hypot(dy);
    // Also refuses NaN lengths.
    if length.is_nan() || length < 4.0 {
        return None;
    }
    let (ux, uy) = (dx / length, dy / length);
    let head = 7.0_f64.min(length / 2.0);
    let base = (to.0 - ux * head, to.1 - uy * head);
    let half = head * 0.5;
    Some(ArrowShape {
        base,
        head: [to, (base.0 - uy * half, base.1 + ux * half), (base.0 + uy * half, base.1 - ux * half)],
    })
}

/// A thin arrow with a small head; nothing when the two ends (nearly) coincide.
fn arrow(out: &mut String, from: (f64, f64), to: (f64, f64), colour: &str) {
    let Some(shape) = arrow_shape(from, to) else { return };
    let _ = write!(out, "<g class=\"step\" fill=\"{colour}\" stroke=\"{colour}\" opacity=\"0.8\"><line");
    push_attr(out, "x1", from.0);
    push_attr(out, "y1", from.1);
    push_attr(out, "x2", shape.base.0);
    push_attr(out, "y2", shape.base.1);
    out.push_str(" stroke-width=\"1.5\"/><polygon stroke=\"none\" points=\"");
    for corner in shape.head {
        push_point(out, corner);
    }
    out.push_str("\"/></g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixels_print_with_one_decimal_without_float_formatting() {
        assert_eq!(px(12.34), "12.3");
        assert_eq!(px(0.25), "0.3");
        assert_eq!(px(-0.25), "-0.3");
        assert_eq!(px(-0.04), "0.0");
        assert_eq!(px(-0.05), "-0.1");
        assert_eq!(px(-7.0), "-7.0");
        assert_eq!(px(f64::NAN), "0.0");
        assert_eq!(px(f64::INFINITY), "1000000.0");
        assert_eq!(px(f64::NEG_INFINITY), "-1000000.0");
    }

    #[test]
    fn user_text_is_escaped_for_xml() {
        assert_eq!(xml_escape("a & <b> \"c\" 'd'\u{7}"), "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;");
    }
}
