//! The sparse-feature lab on the page: each panel's plot shows every feature's weight over the examples
//! (the rare one in the panel's colour, the true values dashed), its readout a table per feature (how often
//! seen, the weight against its true value, the accumulator and the effective rate as bars), and its
//! badge how far the rare weight has come. The texts are plain Rust, tested natively; the drawing is thin.

use crate::draw::Palette;
use crate::fmt;
use steplab_core::lab::PANELS;
use steplab_core::sparse::{SparseLab, SparseRun};
use wasm_bindgen::JsValue;
use web_sys::CanvasRenderingContext2d;

const LEFT: f64 = 34.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 18.0;
/// The 11-px label's extent above and below its baseline.
const LABEL_ASCENT: f64 = 9.0;
const LABEL_DESCENT: f64 = 3.0;
/// The room between the label and its line.
const LABEL_GAP: f64 = 3.0;

/// Where the rare weight's label sits beside its dashed target line at `line_y`: just above it, or just
/// below it when the line runs along the top of the plot (`top`..`bottom`), so that the line never strikes
/// the label through.
fn label_baseline(line_y: f64, top: f64, bottom: f64) -> f64 {
    let above = line_y - LABEL_GAP - LABEL_DESCENT;
    if above - LABEL_ASCENT >= top {
        above
    } else {
        steplab_core::clamp(line_y + LABEL_GAP + LABEL_ASCENT, top + LABEL_ASCENT, bottom)
    }
}

/// "rare weight 51 % of the way after 500 examples (seen 14 times)".
pub fn badge(lab: &SparseLab, panel: usize) -> String {
    let run = lab.run(panel);
    let record = lab.shown(panel);
    let rare = lab.data().rarest(lab.t());
    let examples = |n: u32| if n == 1 { "1 example".to_owned() } else { format!("{n} examples") };
    if record.diverged {
        return format!("diverged after {}: a weight passed 1e6", examples(record.n));
    }
    let seen = record.seen[rare];
    let times = if seen == 1 { "once".to_owned() } else { format!("{seen} times") };
    match run.progress(rare, record.n) {
        Some(progress) => format!(
            "rare weight {}% of the way after {} (seen {times})",
            (progress * 100.0).round() as i64,
            examples(record.n)
        ),
        None => format!("after {}", examples(record.n)),
    }
}

/// A bar's width in percent for `value` on a log scale from 10^`low` to 10^`high`.
fn bar(value: f64, low: f64, high: f64) -> f64 {
    if !(value.is_finite() && value > 0.0) {
        return 0.0;
    }
    steplab_core::clamp((fmt::log10(value) - low) / (high - low), 0.0, 1.0) * 100.0
}

/// What fixes the readout table's markup: the number of features, the accumulator's symbol (none for an
/// optimizer without one) and which feature is the rare one. Everything else is [`TableValues`].
pub fn table_shape(lab: &SparseLab, panel: usize) -> String {
    let symbol = lab.run(panel).optimizer().kind().slots().first().map_or("", |slot| slot.symbol);
    format!("{}|{symbol}|{}", lab.data().features, lab.data().rarest(lab.t()))
}

/// What changes in the table from step to step: the texts of its `data-v` cells in order, and the widths
/// (percent) of its `data-w` bars in order.
#[derive(Debug, Default, PartialEq)]
pub struct TableValues {
    pub texts: Vec<String>,
    pub widths: Vec<i32>,
}

/// The readout table of panel `panel`: per feature its share, how often seen, the weight and the true
/// one, the optimizer's accumulator and the effective rate (numbers and log-scale bars). The markup has a
/// `data-v` element per number and an empty `data-w` bar per bar, filled in from [`table_values`]: the
/// page builds it once per [`table_shape`] and then sets only texts and widths (a bar's width goes through
/// the CSSOM, which a strict Content-Security-Policy allows, where a `style` attribute in markup is refused).
pub fn table_markup(lab: &SparseLab, panel: usize) -> String {
    let data = lab.data();
    let rare = data.rarest(lab.t());
    let symbol = lab.run(panel).optimizer().kind().slots().first().map_or("", |slot| slot.symbol);
    let mut html =
        String::from("<table class=\"features\"><thead><tr><th>feature</th><th>in</th><th>seen</th><th>w (true)</th>");
    if !symbol.is_empty() {
        html.push_str(&format!("<th>{symbol}</th>"));
    }
    html.push_str("<th>η<sub>eff</sub></th></tr></thead><tbody>");
    for i in 0..data.features {
        let (class, name) = if i == rare { (" class=\"rare\"", " rare") } else { ("", "") };
        html.push_str(&format!(
            "<tr{class}><th>x{}{name}</th><td data-v></td><td data-v></td><td><span data-v></span> (<span data-v></span>)</td>",
            i + 1
        ));
        if !symbol.is_empty() {
            html.push_str("<td><span class=\"bar\" data-w></span><span data-v></span></td>");
        }
        html.push_str("<td><span class=\"bar\" data-w></span><span data-v></span></td></tr>");
    }
    html.push_str("</tbody></table>");
    html
}

/// The numbers and bar widths of [`table_markup`], in its order.
pub fn table_values(lab: &SparseLab, panel: usize) -> TableValues {
    let data = lab.data();
    let record = lab.shown(panel);
    let truth = data.weights_at(record.n);
    let accumulates = !lab.run(panel).optimizer().kind().slots().is_empty();
    let mut values = TableValues::default();
    for (i, true_weight) in truth.iter().enumerate().take(data.features) {
        let share = data.at(i, record.n).0;
        values.texts.push(format!("{}%", fmt::compact(share * 100.0, 2)));
        values.texts.push(record.seen[i].to_string());
        values.texts.push(fmt::sig(record.w[i], 3));
        values.texts.push(fmt::compact(*true_weight, 3));
        if accumulates {
            let acc = record.slots[0][i];
            values.widths.push(bar(acc.abs(), -3.0, 4.0).round() as i32);
            values.texts.push(fmt::sig(acc, 3));
        }
        let rate = record.effective_lr[i];
        values.widths.push(bar(rate, -4.0, 1.0).round() as i32);
        values.texts.push(fmt::sig(rate, 3));
    }
    values
}

/// What happened, with numbers from the run: "After 500 examples the rare feature x3 was seen 12 times;
/// its weight has come this far toward its true value: gradient descent at 0.05 46%, gradient descent at
/// 1 181%, Adagrad 110%."
pub fn live_text(lab: &SparseLab) -> String {
    let names = (0..PANELS).map(|panel| {
        let optimizer = lab.run(panel).optimizer();
        let name = optimizer.kind().name();
        // A plain "Gradient descent" twice says nothing: the rate tells them apart.
        let same_kind = (0..PANELS).filter(|&p| lab.run(p).optimizer().kind() == optimizer.kind()).count() > 1;
        let name = if name == "Gradient descent" { "gradient descent" } else { name };
        if same_kind {
            format!("{name} at {}", fmt::compact(optimizer.lr(), 3))
        } else {
            name.to_owned()
        }
    });
    let names: Vec<String> = names.collect();
    live_text_named(lab, &[names[0].clone(), names[1].clone(), names[2].clone()])
}

fn live_text_named(lab: &SparseLab, titles: &[String; PANELS]) -> String {
    let record = lab.shown(0);
    let data = lab.data();
    let rare = data.rarest(lab.t());
    if record.n == 0 {
        return "Press Play: the three learn from the same examples, one at a time.".to_owned();
    }
    let moved: Vec<String> = (0..PANELS)
        .map(|panel| {
            let run = lab.run(panel);
            let shown = lab.shown(panel);
            match run.progress(rare, shown.n) {
                _ if shown.diverged => format!("{} diverged", titles[panel]),
                Some(progress) => format!("{} {}%", titles[panel], (progress * 100.0).round() as i64),
                None => format!("{} —", titles[panel]),
            }
        })
        .collect();
    let seen = record.seen[rare];
    format!(
        "After {} examples the rare feature x{} was seen {} {}; its weight has come this far toward its true \
         value: {}.",
        record.n,
        rare + 1,
        seen,
        if seen == 1 { "time" } else { "times" },
        moved.join(", ")
    )
}

/// The weights over the examples 0..=`until` on a `(width, height, dpr)` canvas.
pub fn draw_panel(
    ctx: &CanvasRenderingContext2d,
    (width, height, dpr): (f64, f64, f64),
    lab: &SparseLab,
    panel: usize,
    until: u32,
    palette: &Palette,
) {
    let ctx = crate::pen::Pen(ctx);
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0).ok();
    ctx.clear_rect(0.0, 0.0, width, height);
    let run: &SparseRun = lab.run(panel);
    let data = lab.data();
    let rare = data.rarest(lab.t());
    let t = lab.t();
    let steps = until.max(100);
    // The range: every true weight (before and after a shift) and every weight drawn, with a margin.
    let (mut low, mut high) = (0.0f64, 0.0f64);
    for n in [0, steps] {
        for w in data.weights_at(n).iter().take(data.features) {
            low = low.min(*w);
            high = high.max(*w);
        }
    }
    for record in run.history().take_while(|r| r.n <= until) {
        for w in record.w.iter().take(data.features) {
            low = low.min(*w);
            high = high.max(*w);
        }
    }
    let pad = 0.1 * (high - low).max(1.0);
    let (low, high) = (low - pad, high + pad);
    let plot_w = (width - LEFT - RIGHT).max(1.0);
    let plot_h = (height - TOP - BOTTOM).max(1.0);
    let px = |n: f64| LEFT + n / f64::from(steps) * plot_w;
    let py = |w: f64| TOP + (high - w) / (high - low) * plot_h;
    // Axes: 0 and the examples' count.
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_fill_style_str(palette.muted);
    ctx.set_stroke_style_str(palette.faint);
    ctx.set_line_width(1.0);
    ctx.begin_path();
    ctx.move_to(LEFT, py(0.0));
    ctx.line_to(width - RIGHT, py(0.0));
    ctx.stroke();
    ctx.fill_text("0", 4.0, py(0.0) + 4.0).ok();
    ctx.fill_text(&format!("{steps} examples"), width - RIGHT - 80.0, height - 4.0).ok();
    // The true values, dashed (a shift shows as a jump).
    let dash: js_sys::Array = [4.0, 4.0].into_iter().map(JsValue::from_f64).collect();
    ctx.set_line_dash(&dash).ok();
    for i in 0..data.features {
        ctx.set_stroke_style_str(if i == rare { palette.panels[panel] } else { palette.muted });
        ctx.set_global_alpha(if i == rare { 0.9 } else { 0.5 });
        ctx.begin_path();
        let mut last = None;
        for k in 0..=20 {
            let n = f64::from(steps) * f64::from(k) / 20.0;
            let w = data.at(i, n as u32).1;
            let (x, y) = (px(n), py(w));
            match last {
                None => ctx.move_to(x, y),
                Some(previous) if previous != w => {
                    ctx.line_to(x, py(previous));
                    ctx.line_to(x, y);
                }
                Some(_) => ctx.line_to(x, y),
            }
            last = Some(w);
        }
        ctx.stroke();
    }
    ctx.set_global_alpha(1.0);
    ctx.set_line_dash(&js_sys::Array::new()).ok();
    // The weights: the common ones thin and grey, the rare one thick in the panel's colour, on top.
    let stride = ((2.0 * f64::from(until) / plot_w).ceil() as usize).max(1);
    let order = (0..data.features).filter(|&i| i != rare).chain(std::iter::once(rare));
    for i in order {
        let is_rare = i == rare;
        ctx.set_stroke_style_str(if is_rare { palette.panels[panel] } else { palette.ink });
        ctx.set_global_alpha(if is_rare { 1.0 } else { 0.45 });
        ctx.set_line_width(if is_rare { 2.5 } else { 1.2 });
        ctx.begin_path();
        let history = run.history().take_while(|r| r.n <= until);
        for (k, record) in history.enumerate().filter(|(k, r)| k % stride == 0 || r.n == until) {
            let (x, y) = (px(f64::from(record.n)), py(record.w[i]));
            if k == 0 {
                ctx.move_to(x, y);
            } else {
                ctx.line_to(x, y);
            }
        }
        ctx.stroke();
    }
    ctx.set_global_alpha(1.0);
    // The rare weight's label and the current example.
    ctx.set_fill_style_str(palette.panel_text[panel]);
    let label_y = label_baseline(py(data.at(rare, t).1), TOP, TOP + plot_h);
    ctx.fill_text(&format!("x{} (rare)", rare + 1), LEFT + 4.0, label_y).ok();
    ctx.set_stroke_style_str(palette.ink);
    ctx.set_global_alpha(0.5);
    ctx.begin_path();
    ctx.move_to(px(f64::from(t)), TOP);
    ctx.line_to(px(f64::from(t)), TOP + plot_h);
    ctx.stroke();
    ctx.set_global_alpha(1.0);
}

/// The shared chart in the sparse lab: for each panel, the rare feature's weight error |w − w*| (or, with
/// `rate`, its effective learning rate) per example, on a log scale, with the current example marked.
pub fn draw_chart(
    ctx: &CanvasRenderingContext2d,
    (width, height, dpr): (f64, f64, f64),
    lab: &SparseLab,
    rate: bool,
    until: u32,
    palette: &Palette,
) {
    const FLOOR: f64 = 1e-6;
    let ctx = crate::pen::Pen(ctx);
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0).ok();
    ctx.clear_rect(0.0, 0.0, width, height);
    let data = lab.data();
    // The rarest feature at each example (after a shift, another one).
    let value = |record: &steplab_core::sparse::SparseRecord| {
        let rare = data.rarest(record.n);
        let v = if rate { record.effective_lr[rare] } else { (record.w[rare] - data.at(rare, record.n).1).abs() };
        v.max(FLOOR)
    };
    let (mut smallest, mut largest) = (f64::INFINITY, f64::NEG_INFINITY);
    for panel in 0..PANELS {
        for record in lab.run(panel).history().take_while(|r| r.n <= until) {
            let v = value(record);
            if v.is_finite() {
                smallest = smallest.min(v);
                largest = largest.max(v);
            }
        }
    }
    // A first step can have a huge rate (Adagrad's lr/|g| for a tiny first gradient): the range stops at
    // a hundred, and such a rate is drawn at the top.
    let (low, high) = (fmt::log10(smallest).floor(), fmt::log10(largest).ceil().min(2.0));
    if !(low.is_finite() && high.is_finite()) {
        return;
    }
    let high = high.max(low + 1.0);
    let (left, right, top, bottom) = (44.0, 10.0, 8.0, 22.0);
    let steps = until.max(100);
    let plot_w = (width - left - right).max(1.0);
    let plot_h = (height - top - bottom).max(1.0);
    let px = |n: f64| left + n / f64::from(steps) * plot_w;
    let py = |v: f64| steplab_core::clamp(top + (high - fmt::log10(v)) / (high - low) * plot_h, top, top + plot_h);
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_fill_style_str(palette.muted);
    ctx.set_stroke_style_str(palette.faint);
    ctx.set_line_width(1.0);
    ctx.begin_path();
    let every = ((high - low) as i32 + 4) / 5;
    let mut e = low as i32;
    while e <= high as i32 {
        let y = py(fmt::pow10(f64::from(e)));
        ctx.move_to(left, y);
        ctx.line_to(width - right, y);
        ctx.fill_text(&format!("1e{e}"), 2.0, y + 4.0).ok();
        e += every.max(1);
    }
    ctx.stroke();
    ctx.fill_text("0", left - 3.0, height - 6.0).ok();
    let label = format!("{steps} examples");
    ctx.fill_text(&label, width - right - 6.5 * label.len() as f64, height - 6.0).ok();
    let stride = ((2.0 * f64::from(until) / plot_w).ceil() as usize).max(1);
    for panel in 0..PANELS {
        ctx.set_line_width([3.5, 2.5, 1.5][panel]);
        ctx.set_stroke_style_str(palette.panels[panel]);
        ctx.begin_path();
        let history = lab.run(panel).history().take_while(|r| r.n <= until);
        for (k, record) in history.enumerate().filter(|(k, r)| k % stride == 0 || r.n == until) {
            let (x, y) = (px(f64::from(record.n)), py(value(record)));
            if k == 0 {
                ctx.move_to(x, y);
            } else {
                ctx.line_to(x, y);
            }
        }
        ctx.stroke();
    }
    let x = px(f64::from(lab.t()));
    ctx.set_stroke_style_str(palette.ink);
    ctx.set_global_alpha(0.5);
    ctx.set_line_width(1.0);
    ctx.begin_path();
    ctx.move_to(x, top);
    ctx.line_to(x, top + plot_h);
    ctx.stroke();
    ctx.set_global_alpha(1.0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use steplab_core::link;

    #[test]
    fn the_rare_label_is_never_struck_through_by_its_target_line() {
        let (top, bottom) = (TOP, TOP + 100.0);
        for k in 0..=100 {
            let line = top + f64::from(k);
            let baseline = label_baseline(line, top, bottom);
            let (text_top, text_bottom) = (baseline - LABEL_ASCENT, baseline + LABEL_DESCENT);
            assert!(
                line < text_top - 1.0 || line > text_bottom + 1.0,
                "line at {line}, label {text_top}..{text_bottom}"
            );
            assert!(
                text_top >= top && text_bottom <= bottom + LABEL_DESCENT,
                "label inside the plot for a line at {line}"
            );
        }
    }

    fn lab(query: &str, t: u32) -> SparseLab {
        let scenario = link::parse_with(query, &fmt::read).scenario;
        let mut lab = SparseLab::new(scenario.sparse_data().unwrap(), [0, 1, 2].map(|p| scenario.panels[p].optimizer));
        lab.seek(t);
        lab
    }

    #[test]
    fn the_texts_are_written_from_the_run() {
        let lab = lab("preset=sparse", 500);
        let record = lab.shown(2);
        let progress = lab.run(2).progress(2, 500).unwrap();
        let text = badge(&lab, 2);
        assert_eq!(
            text,
            format!(
                "rare weight {}% of the way after 500 examples (seen {} times)",
                (progress * 100.0).round() as i64,
                record.seen[2]
            )
        );
        let live = live_text(&lab);
        assert!(
            live.starts_with(&format!("After 500 examples the rare feature x3 was seen {} times", record.seen[2])),
            "{live}"
        );
        let safe = lab.run(0).progress(2, 500).unwrap();
        assert!(
            live.contains(&format!(
                "gradient descent at 0.05 {}%, gradient descent at 1 ",
                (safe * 100.0).round() as i64
            )),
            "{live}"
        );
        assert!(live.ends_with(&format!("Adagrad {}%.", (progress * 100.0).round() as i64)), "{live}");
        let html = table_markup(&lab, 2);
        assert_eq!(html.matches("<tr").count(), 4, "a header and three features");
        assert!(html.contains("x3 rare") && html.contains("Σg²"), "{html}");
        // The values fill the markup's slots one for one, in order: the rare feature's count is its second.
        let values = table_values(&lab, 2);
        assert_eq!(values.texts.len(), html.matches("data-v").count());
        assert_eq!(values.widths.len(), html.matches("data-w").count());
        assert_eq!(values.texts[2 * 6 + 1], record.seen[2].to_string());
        assert!(!html.contains("style="), "no style attributes: a strict CSP refuses them");
        // Gradient descent has no accumulator: no column for one, one bar per feature.
        let plain = table_markup(&lab, 0);
        assert!(!plain.contains("Σg²") && table_values(&lab, 0).widths.len() == 3, "{plain}");
        assert_ne!(table_shape(&lab, 0), table_shape(&lab, 2));
        assert_eq!(table_shape(&lab, 2), table_shape(&super::tests::lab("preset=sparse", 600), 2));
    }

    #[test]
    fn bars_are_log_scaled_and_never_break() {
        assert_eq!(bar(1.0, -4.0, 1.0), 80.0);
        assert_eq!(bar(0.0, -4.0, 1.0), 0.0);
        assert_eq!(bar(f64::NAN, -4.0, 1.0), 0.0);
        assert_eq!(bar(1e9, -4.0, 1.0), 100.0);
    }
}
