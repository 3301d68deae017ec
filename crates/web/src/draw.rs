//! Drawing one panel of the triptych on its canvas: the loss curve, the trail, the start ring, the next
//! step as an arrow and the ball. Reads the model, never changes it.

use crate::view::Frame;
use std::f64::consts::TAU;
use steplab_core::{Lab, Objective, Point, Record, Run, Status};
use web_sys::CanvasRenderingContext2d;

/// Colours for one theme. Panel colours are Okabe–Ito (colour-blind safe), a little lighter in the dark.
pub struct Palette {
    pub background: &'static str,
    pub ink: &'static str,
    pub muted: &'static str,
    pub faint: &'static str,
    pub panels: [&'static str; 3],
    /// Text in the panels' colours (darker in the light theme, for contrast on the page's background).
    pub panel_text: [&'static str; 3],
    /// Status words: converged, bouncing, and gone wrong (blowing up, diverged, undefined).
    pub good: &'static str,
    pub warn: &'static str,
    pub bad: &'static str,
}

pub const LIGHT: Palette = Palette {
    background: "#ffffff",
    ink: "#1d1d22",
    muted: "#5b5e68",
    faint: "#d6d9e0",
    panels: ["#D55E00", "#0072B2", "#009E73"],
    panel_text: ["#b34d00", "#0072b2", "#007a5a"],
    good: "#006b4f",
    warn: "#8a4b00",
    bad: "#b3261e",
};
pub const DARK: Palette = Palette {
    background: "#121214",
    ink: "#e8e8ee",
    muted: "#a7aab4",
    faint: "#3b3e47",
    panels: ["#F28A4B", "#56B4E9", "#2FC79A"],
    panel_text: ["#f28a4b", "#56b4e9", "#2fc79a"],
    good: "#5fd3ad",
    warn: "#f0b45a",
    bad: "#ff8a80",
};

impl Palette {
    /// The colour of a status word, as the badges have it.
    pub fn status(&self, status: Status) -> &'static str {
        match status {
            Status::Running => self.ink,
            Status::Converged { .. } => self.good,
            Status::Bouncing { .. } => self.warn,
            Status::BlowingUp { .. } | Status::Diverged { .. } | Status::Undefined { .. } => self.bad,
        }
    }
}

/// What every panel of a frame is drawn from: the model, the colours, how far the balls have glided
/// (0..1 along their step) and the previews shown while the start is dragged (empty otherwise).
#[derive(Clone, Copy)]
pub struct Scene<'a> {
    pub lab: &'a Lab,
    pub palette: &'a Palette,
    pub glide: f64,
    pub previews: &'a [Vec<Point>],
}

/// How many of the newest trail points are drawn as dots (older ones are only joined by chords).
const TRAIL_DOTS: u32 = 40;
/// The dots fade in this many steps of opacity, each drawn as one path with one fill.
const DOT_BANDS: u32 = 8;

/// The pixel points the trail's chords join, oldest first: the records up to the shown one, without the
/// later laps of a bounce (they retrace the first one) and without points closer than half a pixel to
/// the last one kept (the shown point always stays). A long run then costs at most a few hundred canvas
/// calls per frame instead of one per step.
fn chord_points<'a>(
    run: &'a Run,
    shown: &Record,
    at: impl Fn(&Record) -> (f64, f64) + 'a,
) -> impl Iterator<Item = (f64, f64)> + 'a {
    let end = shown.trail_end();
    let mut last: Option<(f64, f64)> = None;
    run.history().take_while(move |r| r.n <= end).filter_map(move |record| {
        let (x, y) = at(record);
        // A start where the loss is undefined has no place on the curve.
        if !(x.is_finite() && y.is_finite()) {
            return None;
        }
        let far = last.is_none_or(|(lx, ly)| (x - lx) * (x - lx) + (y - ly) * (y - ly) >= 0.25);
        (far || record.n == end).then(|| {
            last = Some((x, y));
            (x, y)
        })
    })
}

/// The newest trail points as dots fading with age (opacity from `base` + 0.6 for the newest down to
/// `base`), in [`DOT_BANDS`] steps of opacity: one path and one fill per step rather than per dot.
fn fading_dots(ctx: &crate::pen::Pen, run: &Run, shown_n: u32, base: f64, at: impl Fn(&Record) -> (f64, f64)) {
    for band in 0..DOT_BANDS {
        let (newest, oldest) = (band * TRAIL_DOTS / DOT_BANDS + 1, (band + 1) * TRAIL_DOTS / DOT_BANDS);
        let records = (newest..=oldest).filter_map(|age| shown_n.checked_sub(age)).filter_map(|n| run.record(n));
        let mut any = false;
        for record in records {
            if !any {
                let middle = f64::from(newest + oldest) / 2.0;
                ctx.set_global_alpha(base + 0.6 * (1.0 - middle / f64::from(TRAIL_DOTS)));
                ctx.begin_path();
                any = true;
            }
            let (x, y) = at(record);
            if !(x.is_finite() && y.is_finite()) {
                continue;
            }
            ctx.move_to(x + 2.5, y);
            ctx.arc(x, y, 2.5, 0.0, TAU).ok();
        }
        if any {
            ctx.fill();
        }
    }
    ctx.set_global_alpha(1.0);
}

/// Draws the moving parts of panel `panel` of `lab` on a transparent canvas above its backdrop (see
/// [`backdrop_1d`]). `glide` (0..1) moves the ball part of the way along the next step so that it glides
/// between steps instead of jumping; `preview` is the upcoming path shown while the reader drags the
/// start (empty otherwise).
pub fn panel(ctx: &CanvasRenderingContext2d, frame: &Frame, scene: &Scene, panel: usize) {
    let ctx = crate::pen::Pen(ctx);
    let Scene { lab, palette, glide, previews } = *scene;
    let preview = previews.get(panel).map_or(&[][..], Vec::as_slice);
    let loss = lab.scenario().objective();
    let colour = palette.panels[panel % 3];
    ctx.set_transform(frame.dpr, 0.0, 0.0, frame.dpr, 0.0, 0.0).ok();
    ctx.clear_rect(0.0, 0.0, frame.width, frame.height);

    let run = lab.run(panel);
    let shown = lab.shown(panel);
    let point = |x: f64| frame.to_px(x, loss.value([x, 0.0]));

    // Chords between successive points make the zig-zag of a rate that is too large obvious.
    ctx.set_stroke_style_str(colour);
    ctx.set_global_alpha(0.35);
    ctx.set_line_width(1.0);
    let at = |record: &Record| {
        if !record.loss.is_finite() {
            return (f64::NAN, f64::NAN);
        }
        let (px, py) = point(record.x[0]);
        (px, frame.clamp_py(py))
    };
    ctx.begin_path();
    for (i, (px, py)) in chord_points(run, shown, at).enumerate() {
        if i == 0 {
            ctx.move_to(px, py);
        } else {
            ctx.line_to(px, py);
        }
    }
    ctx.stroke();

    // The upcoming path while dragging, faint and dashed.
    if preview.len() > 1 {
        ctx.set_global_alpha(0.55);
        ctx.set_line_width(1.5);
        ctx.set_line_dash(&dash(&[4.0, 4.0])).ok();
        ctx.begin_path();
        for (i, p) in preview.iter().enumerate() {
            let (px, py) = point(p[0]);
            if i == 0 {
                ctx.move_to(px, frame.clamp_py(py));
            } else {
                ctx.line_to(px, frame.clamp_py(py));
            }
        }
        ctx.stroke();
        ctx.set_line_dash(&dash(&[])).ok();
    }

    // Dots fading with age.
    ctx.set_fill_style_str(colour);
    fading_dots(&ctx, run, shown.n, 0.15, at);

    // The start, as a hollow ring the reader can grab; where the loss has no value, on the bottom line,
    // crossed out.
    let start = run.start()[0];
    let (sx, sy) = if loss.value([start, 0.0]).is_finite() {
        let (sx, sy) = point(start);
        (sx, frame.clamp_py(sy))
    } else {
        let (sx, _) = frame.to_px(start, 0.0);
        let bottom = frame.plot.bottom;
        cross(&ctx, (sx, bottom), colour);
        (sx, bottom)
    };
    ctx.set_line_width(2.0);
    ctx.begin_path();
    ctx.arc(sx, sy, 6.0, 0.0, TAU).ok();
    ctx.stroke();

    // The next step, from the ball to where it will land; into a region where the loss is undefined, only
    // as far as its edge, marked with a cross.
    let here = shown.x[0];
    if shown.loss.is_finite() {
        let (bx, by) = point(here);
        let ball = (bx, frame.clamp_py(by));
        match shown.next_step(&loss) {
            Some((to, false)) => {
                let (lx, ly) = point(to[0]);
                arrow(&ctx, ball, (lx, frame.clamp_py(ly)), colour);
            }
            Some((to, true)) => {
                let (lx, ly) = point(to[0]);
                let edge = (lx, frame.clamp_py(ly));
                arrow(&ctx, ball, edge, colour);
                cross(&ctx, edge, colour);
            }
            None => {}
        }
        // The ball, part of the way along its step while gliding.
        let (gx, gy) = point(here + glide * finite_or_zero(shown.step[0]));
        ctx.set_fill_style_str(colour);
        ctx.begin_path();
        ctx.arc(gx, frame.clamp_py(gy), 7.0, 0.0, TAU).ok();
        ctx.fill();
    }
}

fn finite_or_zero(value: f64) -> f64 {
    if value.is_finite() {
        value
    } else {
        0.0
    }
}

/// A small × where a path ends because the function stops being defined.
fn cross(ctx: &crate::pen::Pen, (x, y): (f64, f64), colour: &str) {
    ctx.set_stroke_style_str(colour);
    ctx.set_line_width(2.0);
    ctx.begin_path();
    ctx.move_to(x - 5.0, y - 5.0);
    ctx.line_to(x + 5.0, y + 5.0);
    ctx.move_to(x - 5.0, y + 5.0);
    ctx.line_to(x + 5.0, y - 5.0);
    ctx.stroke();
}

/// What does not move in a 2-D panel: the heatmap image of the loss, scaled into the plot rectangle.
pub fn backdrop_2d(
    ctx: &CanvasRenderingContext2d,
    frame: &Frame,
    image: Option<&web_sys::HtmlCanvasElement>,
    palette: &Palette,
) {
    let pen = crate::pen::Pen(ctx);
    if let Some(image) = image {
        let (left, top, width, height) = frame.plot_rect();
        pen.draw_image_with_html_canvas_element_and_dw_and_dh(image, left, top, width, height).ok();
    }
    axis_numbers(&pen, frame, palette);
}

/// A few round numbers along the bottom (x, or x₁) and the left (the loss, or x₂) of the plot, each on a
/// halo of the page's background so it reads over a curve or a heatmap.
fn axis_numbers(ctx: &crate::pen::Pen, frame: &Frame, palette: &Palette) {
    let (left, top, width, height) = frame.plot_rect();
    let (x0, x1) = frame.plot.world.x;
    let (y0, y1) = frame.plot.world.y;
    ctx.set_font("10px system-ui, sans-serif");
    let label = |text: &str, x: f64, y: f64| halo_text(ctx, text, x, y, palette);
    ctx.set_text_align("center");
    for x in crate::view::ticks(x0, x1, (width / 60.0).clamp(3.0, 10.0)) {
        let (px, _) = frame.to_px(x, y0);
        // Not at the very edges, where half the label would be cut off.
        if px > left + 12.0 && px < left + width - 12.0 {
            label(&crate::fmt::compact(x, 4), px, top + height - 3.0);
        }
    }
    ctx.set_text_align("left");
    for y in crate::view::ticks(y0, y1, (height / 50.0).clamp(2.0, 6.0)) {
        let (_, py) = frame.to_px(x0, y);
        if py > top + 10.0 && py < top + height - 16.0 {
            label(&crate::fmt::compact(y, 4), left + 3.0, py + 3.5);
        }
    }
}

/// `text` in the muted ink on a halo of the page's background, so that it reads over a line or a heatmap
/// (in the context's font and alignment).
pub fn halo_text(ctx: &crate::pen::Pen, text: &str, x: f64, y: f64, palette: &Palette) {
    ctx.set_line_width(3.0);
    ctx.set_line_join("round");
    ctx.set_stroke_style_str(palette.background);
    ctx.0.stroke_text(text, x, y).ok();
    ctx.set_fill_style_str(palette.muted);
    ctx.fill_text(text, x, y).ok();
}

/// What does not move in a 1-D panel: the zero line, the ticks under the minima and the loss curve.
/// Drawn on the plot's backdrop layer when the loss, the size or the theme changes, not every frame.
pub fn backdrop_1d(ctx: &CanvasRenderingContext2d, frame: &Frame, loss: &Objective, palette: &Palette) {
    let pen = crate::pen::Pen(ctx);
    axes(ctx, frame, loss, palette);
    curve(ctx, frame, loss, palette);
    axis_numbers(&pen, frame, palette);
}

/// The zero line of the loss and a small tick under each minimum.
fn axes(ctx: &CanvasRenderingContext2d, frame: &Frame, loss: &Objective, palette: &Palette) {
    let ctx = crate::pen::Pen(ctx);
    ctx.set_stroke_style_str(palette.faint);
    ctx.set_line_width(1.0);
    ctx.begin_path();
    let (left, zero) = frame.to_px(frame.plot.world.x.0, 0.0);
    let (right, _) = frame.to_px(frame.plot.world.x.1, 0.0);
    ctx.move_to(left, zero);
    ctx.line_to(right, zero);
    for m in loss.minimizers() {
        let (mx, my) = frame.to_px(m[0], loss.value(*m));
        ctx.move_to(mx, my + 4.0);
        ctx.line_to(mx, my + 10.0);
    }
    ctx.stroke();
}

/// The loss curve, one sample per CSS pixel, with a gap wherever the loss is not a finite number (a
/// typed `log(x)` left of 0, a pole of `1/x`).
fn curve(ctx: &CanvasRenderingContext2d, frame: &Frame, loss: &Objective, palette: &Palette) {
    let ctx = crate::pen::Pen(ctx);
    ctx.set_stroke_style_str(palette.ink);
    ctx.set_line_width(2.0);
    ctx.set_line_join("round");
    ctx.begin_path();
    loss.curve(&frame.plot, |starts, x, value| {
        let (px, py) = frame.to_px(x, value);
        if starts {
            ctx.move_to(px, frame.clamp_py(py));
        } else {
            ctx.line_to(px, frame.clamp_py(py));
        }
    });
    ctx.stroke();
}

/// A thin arrow with a small head (the same shape as the SVG figure's); nothing when the ends coincide.
fn arrow(ctx: &CanvasRenderingContext2d, from: (f64, f64), to: (f64, f64), colour: &str) {
    let ctx = crate::pen::Pen(ctx);
    let Some(shape) = steplab_core::figure::arrow_shape(from, to) else { return };
    ctx.set_stroke_style_str(colour);
    ctx.set_fill_style_str(colour);
    ctx.set_line_width(1.5);
    ctx.set_global_alpha(0.8);
    ctx.begin_path();
    ctx.move_to(from.0, from.1);
    ctx.line_to(shape.base.0, shape.base.1);
    ctx.stroke();
    ctx.begin_path();
    let [tip, left, right] = shape.head;
    ctx.move_to(tip.0, tip.1);
    ctx.line_to(left.0, left.1);
    ctx.line_to(right.0, right.1);
    ctx.fill();
    ctx.set_global_alpha(1.0);
}

/// A dash pattern for `setLineDash`.
fn dash(pattern: &[f64]) -> js_sys::Array {
    pattern.iter().map(|&v| wasm_bindgen::JsValue::from_f64(v)).collect()
}

/// Draws the moving parts of a 2-D panel above its backdrop layer (the heatmap, see
/// [`backdrop_2d`]): the minima, and for each panel in `panels` its trail,
/// its preview while dragging, and at the current point the per-coordinate effective learning rate (an
/// axis-aligned ellipse with half-axes in proportion to η_eff,1 and η_eff,2), the direction of −g, and
/// the step actually taken, so the reader sees the step bend toward the flat direction.
pub fn surface_panel(ctx: &CanvasRenderingContext2d, frame: &Frame, scene: &Scene, panels: &[usize]) {
    let ctx = crate::pen::Pen(ctx);
    let Scene { lab, palette, glide, previews } = *scene;
    let objective = lab.scenario().objective();
    ctx.set_transform(frame.dpr, 0.0, 0.0, frame.dpr, 0.0, 0.0).ok();
    ctx.clear_rect(0.0, 0.0, frame.width, frame.height);
    let (left, top, width, height) = frame.plot_rect();
    ctx.set_stroke_style_str(palette.faint);
    ctx.set_line_width(1.0);
    ctx.stroke_rect(left, top, width, height);
    // Clip so that paths leaving the window do not scribble over the margins.
    ctx.save();
    ctx.begin_path();
    ctx.rect(left, top, width, height);
    ctx.clip();

    // The minima as small crosses.
    ctx.set_stroke_style_str(palette.ink);
    ctx.set_line_width(1.5);
    ctx.begin_path();
    for m in lab.scenario().objective().minimizers() {
        let (mx, my) = frame.to_px(m[0], m[1]);
        ctx.move_to(mx - 5.0, my - 5.0);
        ctx.line_to(mx + 5.0, my + 5.0);
        ctx.move_to(mx - 5.0, my + 5.0);
        ctx.line_to(mx + 5.0, my - 5.0);
    }
    ctx.stroke();

    let px = |p: Point| {
        let (x, y) = frame.to_px(p[0], p[1]);
        (steplab_core::clamp(x, -1e4, 1e4), steplab_core::clamp(y, -1e4, 1e4))
    };
    for &panel in panels {
        let colour = palette.panels[panel % 3];
        let run = lab.run(panel);
        let shown = lab.shown(panel);

        // The trail: chords, then dots fading with age, then the preview while dragging.
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(1.5);
        ctx.set_global_alpha(0.7);
        ctx.begin_path();
        for (i, (x, y)) in chord_points(run, shown, |record| px(record.x)).enumerate() {
            if i == 0 {
                ctx.move_to(x, y);
            } else {
                ctx.line_to(x, y);
            }
        }
        ctx.stroke();
        ctx.set_fill_style_str(colour);
        fading_dots(&ctx, run, shown.n, 0.25, |record| px(record.x));
        if let Some(preview) = previews.get(panel).filter(|p| p.len() > 1) {
            ctx.set_line_dash(&dash(&[4.0, 4.0])).ok();
            ctx.set_global_alpha(0.75);
            ctx.begin_path();
            for (i, p) in preview.iter().enumerate() {
                let (x, y) = px(*p);
                if i == 0 {
                    ctx.move_to(x, y);
                } else {
                    ctx.line_to(x, y);
                }
            }
            ctx.stroke();
            ctx.set_line_dash(&dash(&[])).ok();
            ctx.set_global_alpha(1.0);
        }

        // The start ring.
        let (sx, sy) = px(run.start());
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(2.0);
        ctx.begin_path();
        ctx.arc(sx, sy, 6.0, 0.0, TAU).ok();
        ctx.stroke();

        let (bx, by) = px(shown.x);
        let next = shown.next_step(&objective);
        let (lx, ly) = next.map_or((bx, by), |(to, _)| px(to));
        let step_px = (lx - bx).hypot(ly - by);

        // Per-coordinate effective learning rate: the wider axis of the ellipse is the larger rate.
        let [e1, e2] = shown.effective_lr;
        let largest = e1.max(e2);
        if largest > 0.0 && e1.is_finite() && e2.is_finite() {
            ctx.set_global_alpha(0.85);
            ctx.set_line_width(1.5);
            ctx.begin_path();
            ctx.ellipse(bx, by, 3.0 + 21.0 * e1 / largest, 3.0 + 21.0 * e2 / largest, 0.0, 0.0, TAU).ok();
            ctx.stroke();
            ctx.set_global_alpha(1.0);
        }

        // −g, drawn as long as the step, in world directions (so the picture's own stretch cannot fake a bend).
        let g = shown.gradient;
        let g_len = g[0].hypot(g[1]);
        if g_len > 0.0 && g_len.is_finite() && step_px >= 4.0 {
            let probe = [shown.x[0] - g[0] / g_len * 1e-3, shown.x[1] - g[1] / g_len * 1e-3];
            let (qx, qy) = frame.to_px(probe[0], probe[1]);
            let (dx, dy) = (qx - bx, qy - by);
            let d = dx.hypot(dy);
            if d > 0.0 {
                let tip = (bx + dx / d * step_px, by + dy / d * step_px);
                arrow(&ctx, (bx, by), tip, palette.ink);
            }
        }
        if let Some((_, edge)) = next {
            arrow(&ctx, (bx, by), (lx, ly), colour);
            if edge {
                cross(&ctx, (lx, ly), colour);
            }
        }
        if matches!(shown.status, Status::Undefined { .. }) {
            cross(&ctx, (bx, by), colour);
        }

        // The ball, gliding along its step.
        let glided = [0, 1].map(|i| shown.x[i] + glide * finite_or_zero(shown.step[i]));
        let (gx, gy) = px(glided);
        ctx.set_fill_style_str(colour);
        ctx.set_stroke_style_str("#ffffff");
        ctx.set_line_width(1.5);
        ctx.begin_path();
        ctx.arc(gx, gy, 7.0, 0.0, TAU).ok();
        ctx.fill();
        ctx.stroke();
    }
    ctx.restore();
}
