//! The triptych as a standalone SVG for slides and print, drawn the way the page draws its canvases:
//! per panel the title, the optimizer caption, the loss curve (1-D) or the heatmap with its contour lines
//! (2-D), and clipped to the plot the trail, the start ring, the next step as an arrow, the ball; then the
//! status. Coordinates are printed with integer formatting only (see [`px`]), numbers in text by the
//! caller's formatter, so the wasm build stays free of Rust's float formatting.

use crate::lab::{status_text, Lab, PANELS};
use crate::loss::Objective;
use crate::num::{clamp, NumberFormat, Plot, Point, View};
use crate::png;
use crate::run::{Record, Status};
use crate::surface::{self, SurfaceScale, SurfaceStyle};
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
/// How far outside the plot area a point far off the window is placed (then clipped): it keeps the
/// numbers small and the direction of a chord leaving the window right.
pub const OVERSHOOT: f64 = 14.0;
/// How far a 1-D panel's clip reaches beyond its plot area (which has no frame): a ball or a start ring at
/// the edge shows whole, one far off the window (placed [`OVERSHOOT`] out) shows as the rim of a ball at
/// the edge, and the chords between such points, which run along that band, are cut away.
pub const CLIP_PAD_1D: f64 = OVERSHOOT - 1.0;
/// A 2-D panel's heatmap has one pixel per this many figure units (about 123×90 pixels).
pub const RASTER: f64 = 3.0;
/// How many contour levels a 2-D panel shows, as the page does.
pub const CONTOURS: u32 = 14;
/// How far (in figure units) a curve or a contour line may stray from the points traced for it.
const SIMPLIFY: f64 = 0.1;
/// The same for a first picture's contour lines: a third of a unit, a fraction of a pixel of the thin
/// grey lines at the size the page shows the picture, for the second before the live plot replaces it
/// (an exported figure, which a slide may enlarge, keeps [`SIMPLIFY`]). Each point costs the browser work
/// to parse and draw before a 2-D preset's first paint (Lighthouse's largest paint of
/// `?preset=himmelblau`: 1.56–1.58 s with 0.1, 1.42–1.46 s with 0.3; docs/PERFORMANCE.md).
const SIMPLIFY_FIRST_CONTOURS: f64 = 0.3;

/// Panel colours (Okabe–Ito, colour-blind safe), as on the page.
pub const PANEL_COLOURS: [&str; PANELS] = ["#D55E00", "#0072B2", "#009E73"];
const INK: &str = "#1d1d22";
const MUTED: &str = "#565964";
const FAINT: &str = "#d6d9e0";
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/// The colours of what a plot draws besides the runs: the figure's (for white paper) and the first
/// picture's (for the page's light and dark cards alike, until the live canvases replace it).
#[derive(Clone, Copy, Debug)]
struct Palette {
    /// The 1-D curve and the 2-D minimum marks.
    ink: &'static str,
    /// The zero line, the minimum ticks and the 2-D frame.
    faint: &'static str,
    /// The 2-D contour lines, and their opacity.
    contours: &'static str,
    contour_opacity: &'static str,
    /// The first picture is scaled to its box by the page (a curve's stretched, a surface's fitted):
    /// strokes keep their width and dots their round page size, whatever the scale.
    scaled: bool,
}

const PAPER: Palette = Palette { ink: INK, faint: FAINT, contours: "#28282e", contour_opacity: "0.5", scaled: false };
const EITHER_THEME: Palette =
    Palette { ink: "#7d8290", faint: "#8d919c", contours: "#8d919c", contour_opacity: "0.8", scaled: true };

/// How many of the newest trail points are drawn as dots, as on the page.
const TRAIL_DOTS: u32 = 40;

/// The three panels side by side at the lab's current step.
pub fn triptych_svg(lab: &Lab, fmt: NumberFormat) -> String {
    let scenario = lab.scenario();
    let objective = scenario.objective();
    let backdrop = (objective.dim() == 2).then(|| Backdrop::new(&objective, &panel_plot(0, scenario.view()), true));
    let mut out = String::with_capacity(if backdrop.is_some() { 256 } else { 64 } * 1024);
    // xlink:href rather than SVG 2's href for the images: every SVG reader knows it.
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         xmlns:xlink=\"http://www.w3.org/1999/xlink\" font-family=\"{FONT}\">\n\
         <rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
        w = WIDTH as u32,
        h = HEIGHT as u32,
    );
    for panel in 0..PANELS {
        draw_panel(&mut out, lab, panel, fmt, backdrop.as_ref());
    }
    out.push_str("</svg>\n");
    out
}

/// `v` with one decimal ("12.3", "-0.5"), from integer formatting only. Values are first kept within
/// ±1e6 (NaN becomes 0) so that nothing absurd reaches the file.
pub fn px(v: f64) -> String {
    let mut out = String::new();
    push_px(&mut out, v);
    out
}

fn push_px(out: &mut String, v: f64) {
    let tenths = tenths(v);
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.unsigned_abs();
    let _ = write!(out, "{sign}{}.{}", tenths / 10, tenths % 10);
}

/// `v` in tenths of a unit, rounded, as every figure writes its positions (a NaN as 0, and within ±10⁶).
fn tenths(v: f64) -> i64 {
    let v = if v.is_nan() { 0.0 } else { clamp(v, -1e6, 1e6) };
    (v * 10.0).round() as i64
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

/// The plot area of panel `panel` of the triptych figure, showing `world`.
fn panel_plot(panel: usize, world: View) -> Plot {
    let origin = PANEL_WIDTH * panel as f64;
    Plot { world, left: origin + MARGIN, right: origin + PANEL_WIDTH - MARGIN, top: PLOT_TOP, bottom: PLOT_BOTTOM }
}

/// World → figure coordinates, kept within [`OVERSHOOT`] of the plot area so that a point far off the
/// window draws as a marker at its edge.
fn clamped_px(frame: &Plot, x: f64, y: f64) -> (f64, f64) {
    let (px, py) = frame.to_px(x, y);
    (
        clamp(px, frame.left - OVERSHOOT, frame.right + OVERSHOOT),
        clamp(py, frame.top - OVERSHOOT, frame.bottom + OVERSHOOT),
    )
}

/// What the three panels of a 2-D loss share: the heatmap as a PNG `data:` URL, the loss at its pixels'
/// corners (so that the contour lines reach the frame) and the scale that places the lines' levels.
struct Backdrop {
    href: String,
    /// The samples, `columns`×`rows` with row 0 at the top, inside a border of NaN (and a row more of them
    /// at the end), so that tracing a line needs no bounds checks: no line crosses a NaN.
    samples: Vec<f64>,
    columns: usize,
    rows: usize,
    scale: SurfaceScale,
}

impl Backdrop {
    /// The heatmap and contour samples for a plot like `frame`; without the heatmap (`raster` false) the
    /// image is left out and the samples keep the same grid.
    fn new(objective: &Objective, frame: &Plot, raster: bool) -> Backdrop {
        let view = frame.world;
        let width = ((frame.right - frame.left) / RASTER).round() as usize;
        let height = ((frame.bottom - frame.top) / RASTER).round() as usize;
        // The page's light theme, without the raster's one-pixel contour lines: they come as vectors.
        let mut rgba = Vec::new();
        let scale =
            surface::render(objective, view, width, height, &SurfaceStyle { dark: false, contours: 0 }, &mut rgba);
        let mut href = String::new();
        if raster {
            href.push_str("data:image/png;base64,");
            png::push_base64(&mut href, &png::rgb(width as u32, height as u32, &rgba));
        }
        let (columns, rows) = (width + 3, height + 3);
        let mut samples = Vec::with_capacity(columns * (rows + 1));
        for j in 0..=rows {
            for i in 0..columns {
                let inside = (1..=height + 1).contains(&j) && (1..=width + 1).contains(&i);
                let p = surface::pixel_to_world(view, width, height, i as f64 - 1.0, j as f64 - 1.0);
                samples.push(if inside { objective.value(p) } else { f64::NAN });
            }
        }
        Backdrop { href, samples, columns, rows, scale: scale.with_contours(CONTOURS) }
    }

    /// The heatmap stretched over the plot area, and its contour lines.
    fn draw(&self, out: &mut String, frame: &Plot, palette: &Palette) {
        if !self.href.is_empty() {
            out.push_str("<image");
            push_attr(out, "x", frame.left);
            push_attr(out, "y", frame.top);
            push_attr(out, "width", frame.right - frame.left);
            push_attr(out, "height", frame.bottom - frame.top);
            out.push_str(" preserveAspectRatio=\"none\" xlink:href=\"");
            out.push_str(&self.href);
            out.push_str("\"/>\n");
        }
        // The contour lines (on paper in the dark grey the page's light-theme lines are blended toward); no
        // element when there are none (an empty path is an error in SVG 1.1).
        let opening = out.len();
        let _ = write!(
            out,
            "<path class=\"contours\" fill=\"none\" stroke=\"{}\" stroke-opacity=\"{}\" \
             stroke-width=\"0.8\" stroke-linejoin=\"round\" d=\"",
            palette.contours, palette.contour_opacity
        );
        let lines = out.len();
        for level in self.scale.levels() {
            self.contour(out, frame, level, if palette.scaled { SIMPLIFY_FIRST_CONTOURS } else { SIMPLIFY });
        }
        if out.len() == lines {
            out.truncate(opening);
        } else {
            out.push_str("\"/>\n");
        }
    }

    /// The lines where the loss crosses `level`, by marching squares on the samples, each traced as one
    /// polyline (`M` and its points) through the crossings on the cells' edges, linearly interpolated, and
    /// simplified to `tolerance`.
    ///
    /// Edge `2k` joins sample k to its right neighbour, edge `2k + 1` to the one below; cell k (whose
    /// top-left sample is k) has the edges 2k (top), 2(k + 1) + 1 (right), 2(k + columns) (bottom) and
    /// 2k + 1 (left). A cell with a sample that is not finite has no lines. In a saddle (all four edges
    /// crossed) top joins left and bottom joins right. Lines that end (at the border, or where the loss
    /// stops being finite) are traced from one of their ends first, so each comes out in one piece.
    fn contour(&self, out: &mut String, frame: &Plot, level: f64, tolerance: f64) {
        let (w, v) = (self.columns, &self.samples);
        // Only samples inside the border are finite, so a crossed edge and a cell with lines are inside.
        let far_end = |e: usize| e / 2 + if e & 1 == 1 { w } else { 1 };
        let crossed = |e: usize| {
            let (a, b) = (v[e / 2], v[far_end(e)]);
            a.is_finite() && b.is_finite() && (a >= level) != (b >= level)
        };
        let whole =
            |c: usize| v[c].is_finite() && v[c + 1].is_finite() && v[c + w].is_finite() && v[c + w + 1].is_finite();
        // The cell above a crossed edge that runs right, or left of one that runs down; the other side's
        // cell has the edge's first sample as its own.
        let before = |e: usize| e / 2 - if e & 1 == 1 { 1 } else { w };
        let point = |e: usize| {
            let (k, a) = (e / 2, v[e / 2]);
            let t = (level - a) / (v[far_end(e)] - a);
            let (i, j) = ((k % w - 1) as f64, (k / w - 1) as f64);
            let (i, j) = if e & 1 == 1 { (i, j + t) } else { (i + t, j) };
            (
                frame.left + i * (frame.right - frame.left) / (w - 3) as f64,
                frame.top + j * (frame.bottom - frame.top) / (self.rows - 3) as f64,
            )
        };
        let mut used = vec![false; 2 * v.len()];
        let mut line = Vec::new();
        for ends_only in [true, false] {
            for start in 0..used.len() - 2 * w {
                if used[start] || !crossed(start) {
                    continue;
                }
                let (first, second) = (whole(before(start)), whole(start / 2));
                let mut here = if second && (!first || !ends_only) {
                    start / 2
                } else if first && !second {
                    before(start)
                } else {
                    continue;
                };
                used[start] = true;
                line.clear();
                line.push(point(start));
                let mut edge = start;
                loop {
                    // Leave the cell by its other crossed edge; in a saddle by the one paired with ours.
                    let sides = [2 * here, 2 * (here + 1) + 1, 2 * (here + w), 2 * here + 1];
                    let (mut next, mut count, mut at) = (edge, 0, 0);
                    for (index, side) in sides.into_iter().enumerate() {
                        let crosses = crossed(side);
                        count += usize::from(crosses);
                        if side == edge {
                            at = index;
                        } else if crosses && next == edge {
                            next = side;
                        }
                    }
                    if count == 4 {
                        next = sides[3 - at];
                    }
                    line.push(point(next));
                    if used[next] {
                        break;
                    }
                    used[next] = true;
                    edge = next;
                    let there = if before(next) == here { next / 2 } else { before(next) };
                    if !whole(there) {
                        break;
                    }
                    here = there;
                }
                push_simplified(out, &line, tolerance);
            }
        }
    }
}

/// Appends `line` as a path (see [`push_path`]), leaving out the points that lie within `tolerance` of
/// the chord drawn instead of them: a contour line's many short steps through the cells shrink to a few
/// points where it is nearly straight.
fn push_simplified(out: &mut String, line: &[(f64, f64)], tolerance: f64) {
    let [first, .., last] = line else { return };
    let mut points = vec![*first];
    let mut kept = 0;
    for end in 2..line.len() {
        let off_chord = |&(x, y): &(f64, f64)| {
            let ((ax, ay), (bx, by)) = (line[kept], line[end]);
            let (dx, dy) = (bx - ax, by - ay);
            let along = (x - ax) * dx + (y - ay) * dy;
            let t = if along > 0.0 { clamp(along / (dx * dx + dy * dy), 0.0, 1.0) } else { 0.0 };
            (x - ax - t * dx).hypot(y - ay - t * dy) > tolerance
        };
        // Long runs are cut, so that a straight line costs no more than linear time.
        if end - kept > 64 || line[kept + 1..end].iter().any(off_chord) {
            kept = end - 1;
            points.push(line[kept]);
        }
    }
    points.push(*last);
    push_path(out, &points);
}

/// Appends `points` to a path's `d`: `M` and the first, then `l` and each next one as its step from the
/// one before. Positions are rounded to tenths first, as everywhere in the figures, and the steps taken
/// between the rounded positions, so that they add up exactly; a step is written short (`.5`, `-1.2`, `3`)
/// and needs no separator before a minus. A contour's point costs about 7 characters instead of 11.
fn push_path(out: &mut String, points: &[(f64, f64)]) {
    let mut last: Option<(i64, i64)> = None;
    for (i, &(x, y)) in points.iter().enumerate() {
        let here = (tenths(x), tenths(y));
        let (dx, dy) = match last {
            None => {
                out.push('M');
                here
            }
            Some((lx, ly)) => {
                if i == 1 {
                    out.push('l');
                } else if here.0 >= lx {
                    out.push(' ');
                }
                (here.0 - lx, here.1 - ly)
            }
        };
        push_tenths(out, dx);
        if dy >= 0 {
            out.push(',');
        }
        push_tenths(out, dy);
        last = Some(here);
    }
}

/// `t` tenths, short: `12.3`, `.5`, `-.5`, `3`, `-40`.
fn push_tenths(out: &mut String, t: i64) {
    if t < 0 {
        out.push('-');
    }
    let (whole, tenth) = (t.unsigned_abs() / 10, t.unsigned_abs() % 10);
    if whole > 0 || tenth == 0 {
        let _ = write!(out, "{whole}");
    }
    if tenth > 0 {
        let _ = write!(out, ".{tenth}");
    }
}

/// Where a point of the optimizer's space is drawn: on the curve for a 1-D loss, in the plane for 2-D.
fn place(frame: &Plot, objective: &Objective, p: Point) -> (f64, f64) {
    if objective.dim() == 1 {
        clamped_px(frame, p[0], objective.value(p))
    } else {
        clamped_px(frame, p[0], p[1])
    }
}

fn draw_panel(out: &mut String, lab: &Lab, panel: usize, fmt: NumberFormat, backdrop: Option<&Backdrop>) {
    let scenario = lab.scenario();
    let spec = &scenario.panels[panel];
    let colour = PANEL_COLOURS[panel];
    let frame = panel_plot(panel, scenario.view());
    let run = lab.run(panel);
    let shown = lab.shown(panel);
    let text_x = frame.left;
    let width = frame.right - frame.left;

    let id = ["a", "b", "c"][panel];
    let _ = writeln!(out, "<g class=\"panel\" data-panel=\"{id}\">");

    // Title and caption; text that would run into the next panel is squeezed into this one.
    out.push_str("<text class=\"title\"");
    push_attr(out, "x", text_x);
    let _ = write!(out, " y=\"34\" font-size=\"20\" font-weight=\"700\" fill=\"{colour}\"");
    let title = spec.title(fmt);
    squeeze(out, &title, 11.0, width);
    let _ = writeln!(out, ">{}</text>", xml_escape(&title));
    let caption = spec.caption(fmt);
    out.push_str("<text class=\"caption\"");
    push_attr(out, "x", text_x);
    let _ = write!(out, " y=\"56\" font-size=\"13\" fill=\"{MUTED}\"");
    squeeze(out, &caption, 6.8, width);
    let _ = writeln!(out, ">{}</text>", xml_escape(&caption));

    draw_plot(out, lab, panel, &frame, backdrop, &PAPER);

    // The status badge, coloured by kind as on the page.
    let status_colour = match shown.status {
        Status::Running => INK,
        Status::Converged { .. } => "#006b4f",
        Status::Bouncing { .. } => "#8a4b00",
        Status::BlowingUp { .. } | Status::Diverged { .. } | Status::Undefined { .. } => "#b3261e",
    };
    let status = status_text(run, shown, fmt);
    out.push_str("<text class=\"status\"");
    push_attr(out, "x", text_x);
    squeeze(out, &status, 7.4, width);
    let _ = writeln!(
        out,
        " y=\"398\" font-size=\"14\" font-weight=\"600\" fill=\"{status_colour}\" data-status=\"{}\">{}</text>",
        shown.status.kind(),
        xml_escape(&status)
    );
    out.push_str("</g>\n");
}

/// The page's margins around a plot's world window inside its canvas, in CSS pixels: at each side, and
/// above and below. The page's `view::Frame` and the first picture ([`plot_svg`]) both use them, so that
/// the picture lines up with the live plot that replaces it.
pub const PLOT_INSET: (f64, f64) = (8.0, 10.0);

/// The width of the first picture of a curve, in its own units (it is stretched to its box).
pub const PICTURE_WIDTH: f64 = 390.0;
/// The height of the first picture of a curve; a surface's keeps its window's proportions at this width.
pub const PICTURE_HEIGHT: f64 = 260.0;

/// One panel's plot alone, at the lab's current step, on a transparent background: the first picture the
/// page shows in a panel before its wasm has started (built by `cargo xtask` for the default link and the
/// presets). Drawn by the figure's own code with colours that read on the page's light and dark cards, and
/// with the page's plot margins: a curve's picture is meant to be stretched to its box
/// (`preserveAspectRatio="none"`, strokes and dots keep their size). A surface's picture is its window
/// alone, without margins, at the window's proportions: the page places it [`PLOT_INSET`] inside the box
/// and lets the browser fit and centre it there, which is exactly how the page letterboxes the live plot
/// (margins that scaled with the picture would not be).
pub fn plot_svg(lab: &Lab, panel: usize) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let (frame, backdrop) = picture_plot(lab);
    push_picture(&mut out, lab, panel, None, &frame, backdrop.as_ref());
    out
}

/// The three panels' first pictures ([`plot_svg`]) in one file, so that a preset's first paint waits for
/// one request instead of three: each is shown by its own view, `first.svg#a`, `#b` and `#c`. The pictures
/// lie far apart on a diagonal, with nothing between them, so that a view letterboxed into a box of other
/// proportions (a surface's) shows empty space around its picture and never a neighbour, however wide
/// or tall the box (up to proportions of 1 to [`PICTURE_SPACING`]). What the three pictures draw alike
/// (the loss's curve or contours, which are most of a surface's bytes) is written once, in the first,
/// and the others `<use>` it.
pub fn plots_svg(lab: &Lab) -> String {
    let (width, height, _) = picture_size(lab);
    let step = PICTURE_SPACING * width.max(height);
    // The loss is sampled once for the three (a surface's contours).
    let (frame, backdrop) = picture_plot(lab);
    let pictures: Vec<String> = (0..PANELS)
        .map(|panel| {
            let mut picture = String::with_capacity(16 * 1024);
            push_picture(&mut picture, lab, panel, Some(step * panel as f64), &frame, backdrop.as_ref());
            picture
        })
        .collect();
    // The long elements of the first picture that another repeats, each by the id it gets.
    let shared: Vec<&str> = pictures[0]
        .lines()
        .filter(|line| {
            line.len() >= SHARED_LENGTH
                && line.starts_with('<')
                && line.ends_with("/>")
                && !line.contains(" id=")
                && pictures[1..].iter().any(|other| other.lines().any(|l| l == *line))
        })
        .collect();
    let mut out = String::with_capacity(48 * 1024);
    out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0");
    push_attr_value(&mut out, width);
    push_attr_value(&mut out, height);
    out.push('"');
    push_attr(&mut out, "width", width);
    push_attr(&mut out, "height", height);
    out.push_str(">\n");
    for panel in 0..PANELS {
        let at = step * panel as f64;
        let _ = write!(out, "<view id=\"{}\" viewBox=\"", ["a", "b", "c"][panel]);
        push_px(&mut out, at);
        push_attr_value(&mut out, at);
        push_attr_value(&mut out, width);
        push_attr_value(&mut out, height);
        out.push('"');
        if lab.scenario().objective().dim() != 2 {
            out.push_str(" preserveAspectRatio=\"none\"");
        }
        out.push_str("/>\n");
        for line in pictures[panel].lines() {
            match shared.iter().position(|s| *s == line) {
                Some(n) if panel == 0 => {
                    let name_end = line.find(' ').unwrap_or(line.len());
                    let _ = writeln!(out, "{} id=\"s{n}\"{}", &line[..name_end], &line[name_end..]);
                }
                Some(n) => {
                    let _ = writeln!(out, "<use href=\"#s{n}\"/>");
                }
                None => {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
    }
    out.push_str("</svg>\n");
    out
}

/// How long an element of a first picture must be for [`plots_svg`] to write it once for the three.
const SHARED_LENGTH: usize = 100;

/// How far apart [`plots_svg`] puts its pictures, in picture sizes.
pub const PICTURE_SPACING: f64 = 40.0;

/// A first picture's width and height in its own units, and its plot margins (see [`plot_svg`]).
fn picture_size(lab: &Lab) -> (f64, f64, (f64, f64)) {
    if lab.scenario().objective().dim() == 2 {
        let world = lab.scenario().view();
        let aspect = (world.y.1 - world.y.0) / (world.x.1 - world.x.0);
        let aspect = if aspect.is_finite() && aspect > 0.0 { clamp(aspect, 0.1, 10.0) } else { 1.0 };
        let width = PICTURE_WIDTH - 2.0 * PLOT_INSET.0;
        (width, width * aspect, (0.0, 0.0))
    } else {
        (PICTURE_WIDTH, PICTURE_HEIGHT, PLOT_INSET)
    }
}

/// A first picture's plot, and a surface's contour samples (the same for the three panels).
fn picture_plot(lab: &Lab) -> (Plot, Option<Backdrop>) {
    let objective = lab.scenario().objective();
    let (width, height, inset) = picture_size(lab);
    let frame = Plot::inset(lab.scenario().view(), width, height, inset);
    let backdrop = (objective.dim() == 2).then(|| Backdrop::new(&objective, &frame, false));
    (frame, backdrop)
}

/// One panel's picture in `frame` as an `<svg>` element: the document's root, or placed at `(at, at)`
/// inside [`plots_svg`]'s.
fn push_picture(out: &mut String, lab: &Lab, panel: usize, at: Option<f64>, frame: &Plot, backdrop: Option<&Backdrop>) {
    let two_d = lab.scenario().objective().dim() == 2;
    let (width, height, _) = picture_size(lab);
    match at {
        None => out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        Some(at) => {
            out.push_str("<svg");
            push_attr(out, "x", at);
            push_attr(out, "y", at);
        }
    }
    out.push_str(" viewBox=\"0 0");
    push_attr_value(out, width);
    push_attr_value(out, height);
    out.push('"');
    push_attr(out, "width", width);
    push_attr(out, "height", height);
    if !two_d {
        out.push_str(" preserveAspectRatio=\"none\"");
    }
    out.push_str(">\n");
    draw_plot(out, lab, panel, frame, backdrop, &EITHER_THEME);
    out.push_str("</svg>\n");
}

/// ` 12.3` (a space, then the number) inside an attribute's value.
fn push_attr_value(out: &mut String, v: f64) {
    out.push(' ');
    push_px(out, v);
}

/// The plot of one panel in `frame`: the curve or the heatmap and its contours, the axes, and clipped to
/// the plot the trail, the start ring, the next step as an arrow and the ball.
fn draw_plot(out: &mut String, lab: &Lab, panel: usize, frame: &Plot, backdrop: Option<&Backdrop>, palette: &Palette) {
    let scenario = lab.scenario();
    let objective = scenario.objective();
    let colour = PANEL_COLOURS[panel];
    let run = lab.run(panel);
    let shown = lab.shown(panel);
    let id = ["a", "b", "c"][panel];
    let frame = *frame;
    // In a scaled picture every stroke keeps its width.
    let keep = if palette.scaled { " vector-effect=\"non-scaling-stroke\"" } else { "" };

    // What moves (and a curve) is clipped to the plot area, so that a path leaving the window does not run
    // out of its panel: the 2-D frame exactly, a 1-D plot with room for a ball at its edge.
    let two_d = objective.dim() == 2;
    let pad = if two_d { 0.0 } else { CLIP_PAD_1D };
    let _ = write!(out, "<clipPath id=\"clip-{id}\"><rect");
    push_attr(out, "x", frame.left - pad);
    push_attr(out, "y", frame.top - pad);
    push_attr(out, "width", frame.right - frame.left + 2.0 * pad);
    push_attr(out, "height", frame.bottom - frame.top + 2.0 * pad);
    out.push_str("/></clipPath>\n");
    let clipped = format!("<g clip-path=\"url(#clip-{id})\"");
    if two_d {
        if let Some(backdrop) = backdrop {
            backdrop.draw(out, &frame, palette);
        }
        axes_2d(out, &frame, &objective, palette);
    } else {
        axes_1d(out, &frame, &objective, palette, keep);
        out.push_str(&clipped);
        out.push_str(">\n");
        curve(out, &frame, &objective, palette, keep);
        out.push_str("</g>\n");
    }
    out.push_str(&clipped);
    out.push_str(" class=\"moving\">\n");

    // Chords between successive points make the zig-zag of a rate that is too large obvious; stronger over
    // a heatmap, as on the page. Only records with a loss have a place (a start where it is undefined has
    // none).
    let at = |record: &Record| record.loss.is_finite().then(|| place(&frame, &objective, record.x));
    let trail = || run.history().take_while(|r| r.n <= shown.n);
    let (trail_width, trail_opacity, dot_base) = if two_d { ("1.5", "0.7", 25) } else { ("1", "0.35", 15) };
    let _ = write!(
        out,
        "<polyline class=\"trail\" fill=\"none\" stroke=\"{colour}\" stroke-opacity=\"{trail_opacity}\" \
         stroke-width=\"{trail_width}\" stroke-linejoin=\"round\"{keep} points=\""
    );
    // Up to the end of a bounce's first lap: the later laps retrace it.
    let end = shown.trail_end();
    for point in trail().take_while(|r| r.n <= end).filter_map(at) {
        push_point(out, point);
    }
    out.push_str("\"/>\n");

    // Dots fading with age, the newest strongest.
    let _ = writeln!(out, "<g class=\"dots\" fill=\"{colour}\">");
    for record in trail().filter(|r| r.n < shown.n && shown.n - r.n <= TRAIL_DOTS) {
        let Some(point) = at(record) else { continue };
        let age = shown.n - record.n;
        let percent = dot_base + (60 * (TRAIL_DOTS - age) + TRAIL_DOTS / 2) / TRAIL_DOTS;
        let opacity = format!("0.{percent:02}");
        let paint = Dot { class: None, radius: ("2.5", 2.5), colour, opacity: Some(&opacity), rim: "" };
        dot(out, point, paint, palette);
    }
    out.push_str("</g>\n");

    // The start, as a hollow ring; where the loss is undefined, crossed out (and for a curve, which has no
    // point there, on the plot's bottom line), as on the page. A scaled picture cannot draw a ring
    // round; at step 0 the ball covers it anyway.
    let start = run.start();
    let defined = objective.value(start).is_finite();
    let (sx, sy) = if defined || two_d {
        place(&frame, &objective, start)
    } else {
        (clamped_px(&frame, start[0], 0.0).0, frame.bottom)
    };
    if !(palette.scaled && defined) {
        out.push_str("<circle class=\"start\"");
        push_attr(out, "cx", sx);
        push_attr(out, "cy", sy);
        let _ = writeln!(out, " r=\"6\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{keep}/>");
    }
    if !defined {
        cross(out, (sx, sy), colour, keep);
    }

    if let Some(ball) = at(shown) {
        // The next step, from the ball to where it will land (the same rule as the page's); a step into
        // a region where the loss is undefined ends at the domain's edge, crossed out.
        if let Some((landing, to_edge)) = shown.next_step(&objective) {
            let tip = place(&frame, &objective, landing);
            // The edge is often far off the window (log(x) dives near 0): its × is kept on the plot's
            // border, where the clip leaves it whole.
            let tip = if to_edge {
                (clamp(tip.0, frame.left, frame.right), clamp(tip.1, frame.top, frame.bottom))
            } else {
                tip
            };
            arrow(out, ball, tip, colour, keep);
            if to_edge {
                cross(out, tip, colour, keep);
            }
        }
        // Over a heatmap with a white rim, as on the page.
        let rim = if two_d { " stroke=\"#ffffff\" stroke-width=\"1.5\"" } else { "" };
        dot(out, ball, Dot { class: Some("ball"), radius: ("7", 7.0), colour, opacity: None, rim }, palette);
    }
    out.push_str("</g>\n");
}

/// A filled circle: `radius` as printed ("7"), `colour`, and an `opacity` and a `rim` (stroke attributes)
/// if any. In a scaled picture a circle would turn into an ellipse or shrink, so there the dot is a zero-length
/// line with round caps whose width is kept.
struct Dot<'a> {
    class: Option<&'a str>,
    radius: (&'a str, f64),
    colour: &'a str,
    opacity: Option<&'a str>,
    rim: &'a str,
}

fn dot(out: &mut String, (x, y): (f64, f64), dot: Dot, palette: &Palette) {
    let class = dot.class.map(|class| format!(" class=\"{class}\"")).unwrap_or_default();
    if palette.scaled {
        let _ = write!(out, "<path{class} d=\"M");
        push_point(out, (x, y));
        let _ = write!(out, "h0\" stroke=\"{}\" stroke-linecap=\"round\"", dot.colour);
        push_attr(out, "stroke-width", 2.0 * dot.radius.1);
        if let Some(opacity) = dot.opacity {
            let _ = write!(out, " stroke-opacity=\"{opacity}\"");
        }
        out.push_str(" vector-effect=\"non-scaling-stroke\"/>\n");
    } else {
        let _ = write!(out, "<circle{class}");
        push_attr(out, "cx", x);
        push_attr(out, "cy", y);
        let _ = write!(out, " r=\"{}\"", dot.radius.0);
        match dot.opacity {
            Some(opacity) => {
                let _ = write!(out, " fill-opacity=\"{opacity}\"");
            }
            None => {
                let _ = write!(out, " fill=\"{}\"", dot.colour);
            }
        }
        let _ = writeln!(out, "{}/>", dot.rim);
    }
}

/// `textLength` for text that, at about `char_width` per character, would be wider than `width`.
fn squeeze(out: &mut String, text: &str, char_width: f64, width: f64) {
    if text.chars().count() as f64 * char_width > width {
        push_attr(out, "textLength", width);
        out.push_str(" lengthAdjust=\"spacingAndGlyphs\"");
    }
}

/// The zero line of the loss (when the window shows it) and a small tick under each minimum.
fn axes_1d(out: &mut String, frame: &Plot, objective: &Objective, palette: &Palette, keep: &str) {
    let _ =
        write!(out, "<path class=\"axes\" fill=\"none\" stroke=\"{}\" stroke-width=\"1\"{keep} d=\"", palette.faint);
    let (y0, y1) = frame.world.y;
    if y0 <= 0.0 && 0.0 <= y1 {
        let (left, zero) = clamped_px(frame, frame.world.x.0, 0.0);
        let (right, _) = clamped_px(frame, frame.world.x.1, 0.0);
        out.push('M');
        push_point(out, (left, zero));
        out.push('H');
        push_px(out, right);
        out.push(' ');
    }
    for m in objective.minimizers() {
        let (mx, my) = clamped_px(frame, m[0], objective.value(*m));
        out.push('M');
        push_point(out, (mx, my + 4.0));
        out.push('V');
        push_px(out, my + 10.0);
        out.push(' ');
    }
    out.push_str("\"/>\n");
}

/// A light frame around the x1–x2 window and a small × in ink at each minimizer, as on the page.
fn axes_2d(out: &mut String, frame: &Plot, objective: &Objective, palette: &Palette) {
    out.push_str("<rect class=\"frame\"");
    push_attr(out, "x", frame.left);
    push_attr(out, "y", frame.top);
    push_attr(out, "width", frame.right - frame.left);
    push_attr(out, "height", frame.bottom - frame.top);
    let _ = writeln!(out, " fill=\"none\" stroke=\"{}\" stroke-width=\"1\"/>", palette.faint);
    let _ = write!(out, "<path class=\"minima\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.5\" d=\"", palette.ink);
    for m in objective.minimizers() {
        x_mark(out, clamped_px(frame, m[0], m[1]));
    }
    out.push_str("\"/>\n");
}

/// The loss curve of a 1-D loss, one sample per unit of width: one polyline per piece where the loss is a
/// finite number (a typed `log(x)` has none left of 0, `1/x` none at 0).
fn curve(out: &mut String, frame: &Plot, objective: &Objective, palette: &Palette, keep: &str) {
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    objective.curve(frame, |starts, x, value| {
        if starts {
            pieces.push(Vec::new());
        }
        if let Some(piece) = pieces.last_mut() {
            piece.push(clamped_px(frame, x, value));
        }
    });
    for piece in pieces {
        // The figure keeps every sample; the page's first picture, fetched before the page can run, keeps
        // only the points that a straight chord would miss (a smooth curve shrinks to a few dozen).
        if palette.scaled {
            let _ = write!(
                out,
                "<path class=\"curve\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" stroke-linejoin=\"round\"{keep} d=\"",
                palette.ink
            );
            push_simplified(out, &piece, SIMPLIFY);
        } else {
            let _ = write!(
                out,
                "<polyline class=\"curve\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" \
                 stroke-linejoin=\"round\"{keep} points=\"",
                palette.ink
            );
            for point in &piece {
                push_point(out, *point);
            }
        }
        out.push_str("\"/>\n");
    }
}

/// A small × where a path ends because the function stops being defined, as on the page.
fn cross(out: &mut String, (x, y): (f64, f64), colour: &str, keep: &str) {
    let _ = write!(out, "<path class=\"cross\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{keep} d=\"");
    x_mark(out, (x, y));
    out.push_str("\"/>\n");
}

/// The two strokes of a × of half-size 5 at (x, y).
fn x_mark(out: &mut String, (x, y): (f64, f64)) {
    out.push('M');
    push_point(out, (x - 5.0, y - 5.0));
    push_point(out, (x + 5.0, y + 5.0));
    out.push('M');
    push_point(out, (x - 5.0, y + 5.0));
    push_point(out, (x + 5.0, y - 5.0));
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
fn arrow(out: &mut String, from: (f64, f64), to: (f64, f64), colour: &str, keep: &str) {
    let Some(shape) = arrow_shape(from, to) else { return };
    let _ = write!(out, "<g class=\"step\" fill=\"{colour}\" stroke=\"{colour}\" opacity=\"0.8\"><line");
    push_attr(out, "x1", from.0);
    push_attr(out, "y1", from.1);
    push_attr(out, "x2", shape.base.0);
    push_attr(out, "y2", shape.base.1);
    let _ = write!(out, " stroke-width=\"1.5\"{keep}/><polygon stroke=\"none\" points=\"");
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
