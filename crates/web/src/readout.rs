//! Words and numbers under the graphs: each panel's readout (n, x, g, the accumulators, the effective
//! rate, the step), its update equation as MathML with today's numbers, the captions, the live sentence
//! of the explanation and the text descriptions for screen readers. Builds strings; never touches math
//! that belongs in core.

use crate::fmt::{mn, mn_plain, msub, sig, step_sub};
use steplab_core::{status_text, Lab, Optimizer, OptimizerKind, Point, Record};

/// "Adagrad · lr 1.5 · eps 0": the caption core also prints on the SVG figure, so the two never differ.
pub fn caption(optimizer: &Optimizer) -> String {
    steplab_core::figure::caption(optimizer, &crate::fmt::short)
}

/// A point as readout text: one number in 1-D, a pair in 2-D.
fn coords(p: Point, dim: usize) -> String {
    if dim == 1 {
        sig(p[0], 4)
    } else {
        format!("({}, {})", sig(p[0], 4), sig(p[1], 4))
    }
}

/// The readout block of panel `panel`: a definition list and the update equation. Everything in it is
/// static markup or numbers; no user text.
pub fn panel_html(lab: &Lab, panel: usize) -> String {
    let record = lab.shown(panel);
    let optimizer = &lab.scenario().panels[panel].optimizer;
    let dim = lab.scenario().loss.dim();
    let mut rows = String::new();
    let mut row = |term: &str, value: String| {
        rows.push_str(&format!("<div><dt>{term}</dt><dd>{value}</dd></div>"));
    };
    row("n", record.n.to_string());
    row("x<sub>n</sub>", coords(record.x, dim));
    row("f(x<sub>n</sub>)", sig(record.loss, 4));
    row("g<sub>n</sub>", coords(record.gradient, dim));
    for (slot, values) in optimizer.kind().slots().iter().zip(record.slots) {
        row(slot.symbol, coords(values, dim));
    }
    row("η<sub>eff</sub>", coords(record.effective_lr, dim));
    row("step", coords(record.step, dim));
    format!("<dl>{rows}</dl><div class=\"equation\">{}</div>", equation(lab, panel, record))
}

/// The symbol of what the effective rate multiplies.
fn direction_symbol(optimizer: &Optimizer) -> &'static str {
    match optimizer.kind() {
        OptimizerKind::Momentum if optimizer.get("nesterov") == Some(1.0) => {
            "<mo>(</mo><mi>g</mi><mo>+</mo><mi>β</mi><mi>v</mi><mo>)</mo>"
        }
        OptimizerKind::Momentum => "<mi>v</mi>",
        OptimizerKind::Adam => "<mover><mi>m</mi><mo>^</mo></mover>",
        _ => "<mi>g</mi>",
    }
}

/// How the effective rate is made, in symbols, and with today's numbers where they fit on one line.
fn rate_formula(optimizer: &Optimizer, record: &Record) -> (String, Option<String>) {
    let value = |name: &str| optimizer.get(name).unwrap_or(0.0);
    let (eps, inside) = (value("eps"), value("eps_in_sqrt") == 1.0);
    // √s, √(s + ε) or √s + ε, in symbols and in numbers.
    let root = |symbol: &str, s: f64| -> (String, String) {
        if eps == 0.0 {
            (format!("<msqrt>{symbol}</msqrt>"), format!("<msqrt>{}</msqrt>", mn(s)))
        } else if inside {
            (
                format!("<msqrt>{symbol}<mo>+</mo><mi>ε</mi></msqrt>"),
                format!("<msqrt>{}<mo>+</mo>{}</msqrt>", mn(s), mn(eps)),
            )
        } else {
            (
                format!("<mrow><msqrt>{symbol}</msqrt><mo>+</mo><mi>ε</mi></mrow>"),
                format!("<mrow><msqrt>{}</msqrt><mo>+</mo>{}</mrow>", mn(s), mn(eps)),
            )
        }
    };
    let lr = value("lr");
    match optimizer.kind() {
        OptimizerKind::Sgd | OptimizerKind::Momentum => ("<mi>η</mi>".to_owned(), Some(mn(lr))),
        OptimizerKind::Adagrad => {
            let (symbols, numbers) = root("<mi>Σ</mi><msup><mi>g</mi><mn>2</mn></msup>", record.slots[0][0]);
            let symbolic = format!("<mfrac><mi>η</mi>{symbols}</mfrac>");
            // With lr_decay the numerator changes every step; the symbols and the result say enough.
            let numeric = (value("lr_decay") == 0.0).then(|| format!("<mfrac>{}{numbers}</mfrac>", mn(lr)));
            (symbolic, numeric)
        }
        OptimizerKind::RmsProp => {
            let (symbols, numbers) = root("<mi>E</mi><mo>[</mo><msup><mi>g</mi><mn>2</mn></msup><mo>]</mo>", record.slots[0][0]);
            (format!("<mfrac><mi>η</mi>{symbols}</mfrac>"), Some(format!("<mfrac>{}{numbers}</mfrac>", mn(lr))))
        }
        OptimizerKind::Adadelta => (
            "<mi>η</mi><mo>·</mo><mfrac><msqrt><mi>E</mi><mo>[</mo><msup><mi>Δ</mi><mn>2</mn></msup><mo>]</mo><mo>+</mo><mi>ε</mi></msqrt><msqrt><mi>E</mi><mo>[</mo><msup><mi>g</mi><mn>2</mn></msup><mo>]</mo><mo>+</mo><mi>ε</mi></msqrt></mfrac>".to_owned(),
            None,
        ),
        OptimizerKind::Adam => (
            "<mfrac><mi>η</mi><mrow><msqrt><mover><mi>v</mi><mo>^</mo></mover></msqrt><mo>+</mo><mi>ε</mi></mrow></mfrac>".to_owned(),
            None,
        ),
    }
}

/// Three short lines of MathML: how η_eff is made (with today's numbers where they fit), the update
/// rule, and the update with today's numbers (first coordinate).
fn equation(lab: &Lab, panel: usize, record: &Record) -> String {
    let optimizer = &lab.scenario().panels[panel].optimizer;
    let n = record.n;
    let eta_eff = msub("η", "<mi>eff</mi>");
    let (symbolic, numeric) = rate_formula(optimizer, record);
    let rate_line = match optimizer.kind() {
        // η_eff is just η: say it once.
        OptimizerKind::Sgd | OptimizerKind::Momentum => {
            format!("{eta_eff}<mo>=</mo>{symbolic}<mo>=</mo>{}", mn_plain(record.effective_lr[0]))
        }
        _ => format!(
            "{eta_eff}<mo>=</mo>{symbolic}{}<mo>=</mo>{}",
            numeric.map(|text| format!("<mo>=</mo>{text}")).unwrap_or_default(),
            mn_plain(record.effective_lr[0])
        ),
    };
    let d = direction_symbol(optimizer);
    let d_n = if d == "<mi>g</mi>" { msub("g", "<mi>n</mi>") } else { d.to_owned() };
    if lab.scenario().loss.dim() == 2 {
        return equation_2d(&symbolic, &eta_eff, &d_n, record);
    }
    let rule_line = format!(
        "{}<mo>=</mo>{}<mo>−</mo>{eta_eff}<mo>·</mo>{d_n}",
        msub("x", "<mrow><mi>n</mi><mo>+</mo><mn>1</mn></mrow>"),
        msub("x", "<mi>n</mi>"),
    );
    let number_line = format!(
        "{}<mo>=</mo>{}<mo>−</mo>{}<mo>·</mo>{}<mo>=</mo>{}",
        msub("x", &step_sub(n + 1)),
        mn_plain(record.x[0]),
        mn(record.effective_lr[0]),
        mn(record.direction[0]),
        mn_plain(record.x[0] + record.step[0]),
    );
    [rate_line, rule_line, number_line].map(|line| format!("<math display=\"block\">{line}</math>")).concat()
}

/// In 2-D every coordinate has its own effective rate: the rule once, then one line of numbers per
/// coordinate, so the reader sees a steep coordinate get a small rate and a flat one a large rate.
fn equation_2d(symbolic: &str, eta_eff: &str, d_n: &str, record: &Record) -> String {
    // A no-break space as a character, not an entity, so the readout can be patched in place.
    let rate_line = format!("{eta_eff}<mo>=</mo>{symbolic}<mtext>\u{a0}per coordinate</mtext>");
    let rule_line = format!(
        "{}<mo>=</mo>{}<mo>−</mo>{eta_eff}<mo>⊙</mo>{d_n}",
        msub("x", "<mrow><mi>n</mi><mo>+</mo><mn>1</mn></mrow>"),
        msub("x", "<mi>n</mi>"),
    );
    let mut lines = vec![rate_line, rule_line];
    for axis in 0..2 {
        lines.push(format!(
            "{}<mo>:</mo><mspace width=\"0.4em\"/>{}<mo>−</mo>{}<mo>·</mo>{}<mo>=</mo>{}",
            msub("x", &format!("<mn>{}</mn>", axis + 1)),
            mn_plain(record.x[axis]),
            mn(record.effective_lr[axis]),
            mn(record.direction[axis]),
            mn_plain(record.x[axis] + record.step[axis]),
        ));
    }
    lines.iter().map(|line| format!("<math display=\"block\">{line}</math>")).collect()
}

/// A text description of panel `panel` for its canvas's `aria-label`.
pub fn describe(lab: &Lab, panel: usize) -> String {
    let spec = &lab.scenario().panels[panel];
    let record = lab.shown(panel);
    let dim = lab.scenario().loss.dim();
    format!(
        "{}: {} on {}. Step {}: x = {}, loss {}. {}.",
        spec.title,
        caption(&spec.optimizer),
        lab.scenario().loss.name(),
        record.n,
        coords(record.x, dim),
        sig(record.loss, 3),
        status_text(lab.run(panel), record)
    )
}

/// The explanation's live sentence, tied to the first panel whose rate adapts.
pub fn live_note(lab: &Lab) -> String {
    let adaptive = (0..lab.scenario().panels.len())
        .find(|&p| !matches!(lab.scenario().panels[p].optimizer.kind(), OptimizerKind::Sgd | OptimizerKind::Momentum));
    let Some(panel) = adaptive else {
        return "None of the three panels adapts its rate right now: pick Adagrad, RMSProp, Adadelta or Adam in a \
                panel's settings to see a rate that changes."
            .to_owned();
    };
    let spec = &lab.scenario().panels[panel];
    let record = lab.shown(panel);
    let first = lab.run(panel).record(0).map_or(record.effective_lr[0], |r| r.effective_lr[0]);
    let kind = spec.optimizer.kind();
    if record.n == 0 {
        return format!(
            "In “{}”, {} starts with an effective rate of {}. Press play or step to watch it change.",
            spec.title,
            kind.name(),
            sig(first, 3)
        );
    }
    let why = match kind {
        OptimizerKind::Adagrad => format!("because Σg² has grown to {}", sig(record.slots[0][0], 3)),
        OptimizerKind::RmsProp => format!("as the running mean E[g²] is now {}", sig(record.slots[0][0], 3)),
        OptimizerKind::Adadelta => format!("as E[g²] is now {}", sig(record.slots[0][0], 3)),
        _ => format!("as the second moment v is now {}", sig(record.slots[1][0], 3)),
    };
    let trend = if record.effective_lr[0] < first {
        "has fallen"
    } else if record.effective_lr[0] > first {
        "has risen"
    } else {
        "is still"
    };
    format!(
        "In “{}”, after {} steps {}'s effective rate {trend} from {} to {}, {why}.",
        spec.title,
        record.n,
        kind.name(),
        sig(first, 3),
        sig(record.effective_lr[0], 3)
    )
}
