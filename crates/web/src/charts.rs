//! The two shared charts under the panels: loss above its minimum and effective learning rate, per step,
//! both on a log scale, one line per panel in the panel's colour, with the current step marked.

use crate::draw::Palette;
use steplab_core::{Lab, Record};
use wasm_bindgen::JsValue;
use web_sys::CanvasRenderingContext2d;

/// Which quantity a chart plots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Series {
    Loss,
    EffectiveLr,
}

/// Values below this are drawn at this floor (log scale).
const FLOOR: f64 = 1e-12;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 22.0;

/// The plotted value of coordinate `axis` (only the effective rate has two); NaN where the quantity is not
/// defined (a start where the loss has none), which the line skips.
fn value(series: Series, record: &Record, lowest_loss: f64, axis: usize) -> f64 {
    let raw = match series {
        Series::Loss => record.loss - lowest_loss,
        Series::EffectiveLr => record.effective_lr[axis],
    };
    if raw.is_nan() {
        f64::NAN
    } else {
        raw.max(FLOOR)
    }
}

/// What the loss chart measures from, as its title says it.
pub fn loss_chart_title(objective: &steplab_core::Objective) -> &'static str {
    match objective.minimizers().len() {
        0 => "Loss above the lowest value the runs reached, per step",
        1 => "Loss above its minimum, per step",
        _ => "Loss above its lowest minimum, per step",
    }
}

/// Draws `series` for steps 0..=`until` (at least 20 steps wide) on a `width`×`height` CSS-pixel canvas.
pub fn draw(
    ctx: &CanvasRenderingContext2d,
    (width, height, dpr): (f64, f64, f64),
    lab: &Lab,
    series: Series,
    until: u32,
    palette: &Palette,
) {
    let ctx = crate::pen::Pen(ctx);
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0).ok();
    ctx.clear_rect(0.0, 0.0, width, height);
    let loss = lab.scenario().objective();
    // Measured from the lowest known minimum; a typed function has none, so from the lowest loss reached
    // (the chart's title says which, see `loss_chart_title`).
    let lowest_known = loss.minimizers().iter().map(|m| loss.value(*m)).fold(f64::INFINITY, f64::min);
    let lowest_reached = (0..lab.scenario().panels.len())
        .flat_map(|p| lab.run(p).history().take_while(|r| r.n <= until).map(|r| r.loss))
        .fold(f64::INFINITY, f64::min);
    let lowest_loss = if lowest_known.is_finite() {
        lowest_known
    } else if lowest_reached.is_finite() {
        lowest_reached
    } else {
        0.0
    };
    let steps = until.max(20);
    let panels = lab.scenario().panels.len();
    // A 2-D run has an effective rate per coordinate: the second is drawn dashed.
    let axes = if series == Series::EffectiveLr { loss.dim() } else { 1 };

    // The y range in decades, from every drawn value: the logarithm of the smallest and the largest
    // (it is monotonic), not of every value, which would cost a call per record and frame.
    let (mut smallest, mut largest) = (f64::INFINITY, f64::NEG_INFINITY);
    for p in 0..panels {
        for record in lab.run(p).history().take_while(|r| r.n <= until) {
            for axis in 0..axes {
                let v = value(series, record, lowest_loss, axis);
                // A negative value has no logarithm and is not drawn; NaN is skipped by min and max.
                if v >= 0.0 {
                    smallest = smallest.min(v);
                    largest = largest.max(v);
                }
            }
        }
    }
    // With noise, the loss chart also shows each panel's ensemble: the 10–90 % band of its seeds' losses.
    let bands = |p: usize| {
        let ensemble = if series == Series::Loss { lab.ensemble(p) } else { None };
        ensemble.map_or(&[][..], |e| e.bands(until))
    };
    for p in 0..panels {
        for band in bands(p) {
            for v in [band[0] - lowest_loss, band[2] - lowest_loss] {
                if v.is_finite() && v >= 0.0 {
                    smallest = smallest.min(v.max(FLOOR));
                    largest = largest.max(v.max(FLOOR));
                }
            }
        }
    }
    let (low, high) = (crate::fmt::log10(smallest), crate::fmt::log10(largest));
    if !low.is_finite() || !high.is_finite() {
        return;
    }
    let (low, high) = (low.floor(), high.ceil().max(low.floor() + 1.0));
    let plot_w = (width - LEFT - RIGHT).max(1.0);
    let plot_h = (height - TOP - BOTTOM).max(1.0);
    let px = |n: f64| LEFT + n / f64::from(steps) * plot_w;
    let py = |log_v: f64| TOP + (high - log_v) / (high - low) * plot_h;

    // Grid lines and labels at powers of ten (thinned to at most 5).
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_fill_style_str(palette.muted);
    ctx.set_stroke_style_str(palette.faint);
    ctx.set_line_width(1.0);
    let decades = (high - low) as i32;
    let every = (decades + 4) / 5;
    ctx.begin_path();
    let mut e = low as i32;
    while e <= high as i32 {
        let y = py(f64::from(e));
        ctx.move_to(LEFT, y);
        ctx.line_to(width - RIGHT, y);
        ctx.fill_text(&format!("1e{e}"), 2.0, y + 4.0).ok();
        e += every.max(1);
    }
    ctx.move_to(LEFT, TOP + plot_h);
    ctx.line_to(width - RIGHT, TOP + plot_h);
    ctx.stroke();
    ctx.fill_text("0", LEFT - 3.0, height - 6.0).ok();
    let right_label = format!("{steps} steps");
    ctx.fill_text(&right_label, width - RIGHT - 6.5 * right_label.len() as f64, height - 6.0).ok();

    // The ensembles' bands, under the lines: from the 10th to the 90th percentile (a diverged seed counts
    // as worse than any loss, so the band then reaches the top).
    let y_of = |v: f64| if v.is_finite() { py(crate::fmt::log10((v - lowest_loss).max(FLOOR))) } else { TOP };
    ctx.set_global_alpha(0.2);
    for p in 0..panels {
        let band = bands(p);
        if band.is_empty() {
            continue;
        }
        let stride = ((2.0 * band.len() as f64 / plot_w).ceil() as usize).max(1);
        let shown: Vec<(usize, &[f64; 3])> =
            band.iter().enumerate().filter(|(i, _)| i % stride == 0 || *i + 1 == band.len()).collect();
        ctx.set_fill_style_str(palette.panels[p % 3]);
        ctx.begin_path();
        for (k, (n, b)) in shown.iter().enumerate() {
            let (x, y) = (px(*n as f64), y_of(b[2]));
            if k == 0 {
                ctx.move_to(x, y);
            } else {
                ctx.line_to(x, y);
            }
        }
        for (n, b) in shown.iter().rev() {
            ctx.line_to(px(*n as f64), y_of(b[0]));
        }
        ctx.close_path();
        ctx.fill();
    }
    ctx.set_global_alpha(1.0);
    // The effective rate of an optimizer that sums squared gradients falls like 1/√t under noise: a guide
    // through its rate at the step shown, as far back as step 1. Its label is written after the runs'
    // lines, on a halo, so that a line passing there does not cross it out.
    let mut guide_labels = Vec::new();
    if series == Series::EffectiveLr && lab.scenario().noise.is_on() {
        for p in 0..panels {
            let adagrad = lab.scenario().panels[p].optimizer.kind() == steplab_core::OptimizerKind::Adagrad;
            let Some(record) = lab.run(p).record(until.min(lab.run(p).current().n)).filter(|_| adagrad) else {
                continue;
            };
            let n = f64::from(record.n.max(1));
            let c = record.effective_lr[0] * n.sqrt();
            if !(c.is_finite() && c > 0.0) {
                continue;
            }
            ctx.set_stroke_style_str(palette.muted);
            ctx.set_line_width(1.0);
            let pattern: js_sys::Array = [2.0, 3.0].into_iter().map(JsValue::from_f64).collect();
            ctx.set_line_dash(&pattern).ok();
            ctx.begin_path();
            let mut first = true;
            for k in 0..=40 {
                let step = 1.0 + (f64::from(steps) - 1.0) * f64::from(k) / 40.0;
                let y = steplab_core::clamp(py(crate::fmt::log10(c / step.sqrt())), TOP, TOP + plot_h);
                if first {
                    ctx.move_to(px(step), y);
                    first = false;
                } else {
                    ctx.line_to(px(step), y);
                }
            }
            ctx.stroke();
            ctx.set_line_dash(&js_sys::Array::new()).ok();
            let label_y =
                steplab_core::clamp(py(crate::fmt::log10(c / f64::from(steps).sqrt())), TOP + 10.0, TOP + plot_h);
            guide_labels.push(label_y - 4.0);
        }
    }

    // One line per panel; at most one point per CSS pixel column.
    // At most one point per two CSS pixels: a line cannot show more, and every point costs a call.
    let stride = ((2.0 * f64::from(until) / plot_w).ceil() as usize).max(1);
    for p in 0..panels {
        // Thinner for each panel, so that two runs with the same line (gradient descent and momentum at
        // the same rate in the η_eff chart) both show.
        ctx.set_line_width([3.5, 2.5, 1.5][p % 3]);
        ctx.set_stroke_style_str(palette.panels[p % 3]);
        for axis in 0..axes {
            let pattern: js_sys::Array =
                if axis == 0 { js_sys::Array::new() } else { [5.0, 4.0].into_iter().map(JsValue::from_f64).collect() };
            ctx.set_line_dash(&pattern).ok();
            ctx.begin_path();
            let history = lab.run(p).history().take_while(|r| r.n <= until);
            let mut drawing = false;
            for (_, record) in history.enumerate().filter(|(i, r)| i % stride == 0 || r.n == until) {
                let v = value(series, record, lowest_loss, axis);
                if !v.is_finite() {
                    drawing = false;
                    continue;
                }
                let (x, y) = (px(f64::from(record.n)), py(crate::fmt::log10(v)));
                if drawing {
                    ctx.line_to(x, y);
                } else {
                    ctx.move_to(x, y);
                    drawing = true;
                }
            }
            ctx.stroke();
        }
    }
    ctx.set_line_dash(&js_sys::Array::new()).ok();
    for y in guide_labels {
        crate::draw::halo_text(&ctx, "∝ 1/√t", width - RIGHT - 40.0, y, palette);
    }

    // The current step.
    let x = px(f64::from(lab.t()));
    ctx.set_stroke_style_str(palette.ink);
    ctx.set_global_alpha(0.5);
    ctx.set_line_width(1.0);
    ctx.begin_path();
    ctx.move_to(x, TOP);
    ctx.line_to(x, TOP + plot_h);
    ctx.stroke();
    ctx.set_global_alpha(1.0);
}
