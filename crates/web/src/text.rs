//! Words and numbers under the graphs, as pure functions of the model (tested natively): each panel's
//! readout (n, x, g, the accumulators, the effective rate, the step) and its update equation in MathML
//! with today's numbers, the captions, the explanation's live sentence and the descriptions for screen
//! readers.
//!
//! A readout is written through a [`Sink`]: once into markup when its shape changes (another optimizer,
//! dimension or variant), keeping an element for every number, and then every step into a list of texts
//! for those elements only, so that a step never parses markup again.

use crate::fmt::sig;
use steplab_core::optimizer::Rule;
use steplab_core::{status_text, Lab, Optimizer, OptimizerKind, PanelSpec, Point, Record, Status};

/// A panel's title as shown ("Too fast!", or "Adam, lr 0.001" when neutral).
pub fn title(spec: &PanelSpec) -> String {
    spec.title(&crate::fmt::short)
}

/// "Adagrad · lr 1.5 · eps 0": the caption core also prints on the SVG figure, so the two never differ.
pub fn caption(spec: &PanelSpec) -> String {
    spec.caption(&crate::fmt::short)
}

/// Panel `panel`'s status in words, as its badge shows it.
pub fn status(lab: &Lab, panel: usize) -> String {
    status_text(lab.run(panel), lab.shown(panel), &crate::fmt::short)
}

/// The element that holds a number of a readout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    /// A definition's value.
    Dd,
    /// A MathML number.
    Mn,
    /// A MathML operator (a parenthesis around a negative number, empty otherwise).
    Mo,
}

impl Tag {
    pub fn name(self) -> &'static str {
        match self {
            Tag::Dd => "dd",
            Tag::Mn => "mn",
            Tag::Mo => "mo",
        }
    }
}

/// Where a readout is written: its fixed markup and its numbers.
pub trait Sink {
    /// Markup that depends only on the readout's shape (trusted: static text of this crate).
    fn markup(&mut self, markup: &str);
    /// A number (or a parenthesis) in its own element.
    fn value(&mut self, tag: Tag, text: String);
}

/// Builds the markup, with each value in an element marked `data-v`, in order.
#[derive(Default)]
pub struct Markup(pub String);

impl Sink for Markup {
    fn markup(&mut self, markup: &str) {
        self.0.push_str(markup);
    }

    fn value(&mut self, tag: Tag, text: String) {
        let name = tag.name();
        // A parenthesis that is empty for a positive number must take no room either.
        let spacing = if tag == Tag::Mo { " lspace=\"0\" rspace=\"0\"" } else { "" };
        self.0.push_str(&format!("<{name}{spacing} data-v>{text}</{name}>"));
    }
}

/// Collects only the values, in the order of the markup's `data-v` elements.
#[derive(Default)]
pub struct Values(pub Vec<String>);

impl Sink for Values {
    fn markup(&mut self, _: &str) {}

    fn value(&mut self, _: Tag, text: String) {
        self.0.push(text);
    }
}

/// What decides a readout's markup: the optimizer's kind and the variants that change its equation, and
/// the dimension. Two records of the same shape differ only in their numbers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shape {
    kind: OptimizerKind,
    /// Nesterov's look-ahead (momentum).
    look_ahead: bool,
    /// Where ε sits: `None` when it is 0, `Some(true)` inside the root.
    eps: Option<bool>,
    /// Adagrad's lr changes every step (lr_decay > 0).
    decaying: bool,
    dim: usize,
    /// The start is where the function is undefined: no step to show.
    undefined: bool,
    /// Per coordinate, the step no longer changes x at the shown precision (or the numbers are so small
    /// that their arithmetic stops adding up): the update line says so instead of printing sums.
    frozen: [bool; 2],
    /// The gradients are noisy: the readout shows the one the optimizer used beside the true one.
    noisy: bool,
}

/// The shape of panel `panel`'s readout.
pub fn shape(lab: &Lab, panel: usize) -> Shape {
    let optimizer = &lab.scenario().panels[panel].optimizer;
    let (look_ahead, eps, decaying) = match optimizer.rule() {
        Rule::Sgd { .. } | Rule::Adadelta { .. } | Rule::Adam { .. } => (false, None, false),
        Rule::Momentum { nesterov, .. } => (nesterov, None, false),
        Rule::Adagrad { eps, eps_in_sqrt, lr_decay, .. } => {
            (false, (eps != 0.0).then_some(eps_in_sqrt), lr_decay != 0.0)
        }
        Rule::RmsProp { eps, eps_in_sqrt, .. } => (false, (eps != 0.0).then_some(eps_in_sqrt), false),
    };
    let record = lab.shown(panel);
    let dim = lab.scenario().loss.dim();
    let undefined = matches!(record.status, Status::Undefined { .. });
    let frozen = [0, 1].map(|axis| axis < dim && !undefined && frozen(record, axis));
    let noisy = lab.scenario().noise.is_on();
    Shape { kind: optimizer.kind(), look_ahead, eps, decaying, dim, undefined, frozen, noisy }
}

/// Whether coordinate `axis`'s update shows nothing a reader can check: x and x + step read the same at
/// four digits, or a number in the sum is subnormal (below 2.2e−308, where arithmetic loses digits).
fn frozen(record: &Record, axis: usize) -> bool {
    let (x, next) = (record.x[axis], record.x[axis] + record.step[axis]);
    let numbers = [x, next, record.effective_lr[axis], record.direction[axis], record.step[axis]];
    let subnormal = numbers.iter().any(|v| v.is_subnormal());
    subnormal || sig(x, 4) == sig(next, 4)
}

/// A number as readout text: one in 1-D, a pair in 2-D.
fn coords(p: Point, dim: usize) -> String {
    if dim == 1 {
        sig(p[0], 4)
    } else {
        format!("({}, {})", sig(p[0], 4), sig(p[1], 4))
    }
}

/// A readout number in a MathML `<mn>`.
fn mn(sink: &mut dyn Sink, value: f64) {
    sink.value(Tag::Mn, sig(value, 4));
}

/// A number that may be negative where a minus precedes it: in parentheses then, so `− (−0.6)` reads
/// right. The parentheses have elements of their own, empty for a positive number.
fn signed(sink: &mut dyn Sink, value: f64) {
    let negative = value < 0.0;
    sink.value(Tag::Mo, if negative { "(" } else { "" }.to_owned());
    mn(sink, value);
    sink.value(Tag::Mo, if negative { ")" } else { "" }.to_owned());
}

fn msub(base: &str, sub: &str) -> String {
    format!("<msub><mi>{base}</mi>{sub}</msub>")
}

/// The readout of panel `panel`: a definition list and the update equation.
pub fn readout(sink: &mut dyn Sink, lab: &Lab, panel: usize) {
    let record = lab.shown(panel);
    let optimizer = &lab.scenario().panels[panel].optimizer;
    let dim = lab.scenario().loss.dim();
    let mut rows = vec![
        ("n", record.n.to_string()),
        ("x<sub>n</sub>", coords(record.x, dim)),
        ("f(x<sub>n</sub>)", sig(record.loss, 4)),
        ("g<sub>n</sub>", coords(record.gradient, dim)),
    ];
    let noisy = lab.scenario().noise.is_on();
    if noisy {
        // What the optimizer was given: the gradient plus this step's noise.
        rows.push(("g̃<sub>n</sub> <span class=\"term-note\">(noisy, used)</span>", coords(record.used_gradient, dim)));
    }
    for (slot, values) in optimizer.kind().slots().iter().zip(record.slots) {
        rows.push((slot.symbol, coords(values, dim)));
    }
    rows.push(("η<sub>eff</sub>", coords(record.effective_lr, dim)));
    rows.push(("step", coords(record.step, dim)));
    sink.markup("<dl>");
    for (term, value) in rows {
        sink.markup(&format!("<div><dt>{term}</dt>"));
        sink.value(Tag::Dd, value);
        sink.markup("</div>");
    }
    // Focusable, since a long equation scrolls sideways in a narrow panel (and the keys must scroll it too).
    sink.markup("</dl><div class=\"equation\" tabindex=\"0\" role=\"group\" aria-label=\"The update, worked out\">");
    equation(sink, optimizer, record, dim, noisy);
    sink.markup("</div>");
}

/// The symbol of what the effective rate multiplies (with noise, the gradient used is g̃).
fn direction_symbol(optimizer: &Optimizer, noisy: bool) -> &'static str {
    match optimizer.rule() {
        Rule::Sgd { .. } | Rule::Adagrad { .. } | Rule::RmsProp { .. } | Rule::Adadelta { .. } if noisy => {
            "<msub><mover><mi>g</mi><mo>~</mo></mover><mi>n</mi></msub>"
        }
        Rule::Momentum { nesterov: true, .. } => "<mo>(</mo><mi>g</mi><mo>+</mo><mi>β</mi><mi>v</mi><mo>)</mo>",
        Rule::Momentum { nesterov: false, .. } => "<mi>v</mi>",
        Rule::Adam { .. } => "<mover><mi>m</mi><mo>^</mo></mover>",
        Rule::Sgd { .. } | Rule::Adagrad { .. } | Rule::RmsProp { .. } | Rule::Adadelta { .. } => {
            "<msub><mi>g</mi><mi>n</mi></msub>"
        }
    }
}

/// √s, √(s + ε) or √s + ε around the accumulator `symbol`, in symbols; with `numbers`, the same with the
/// numbers `s` and ε.
fn root(sink: &mut dyn Sink, symbol: &str, eps: Option<bool>, numbers: Option<(f64, f64)>) {
    sink.markup(if eps == Some(false) { "<mrow><msqrt>" } else { "<msqrt>" });
    match numbers {
        None => sink.markup(symbol),
        Some((s, _)) => mn(sink, s),
    }
    match (eps, numbers) {
        (None, _) => sink.markup("</msqrt>"),
        (Some(true), None) => sink.markup("<mo>+</mo><mi>ε</mi></msqrt>"),
        (Some(true), Some((_, eps))) => {
            sink.markup("<mo>+</mo>");
            mn(sink, eps);
            sink.markup("</msqrt>");
        }
        (Some(false), None) => sink.markup("</msqrt><mo>+</mo><mi>ε</mi></mrow>"),
        (Some(false), Some((_, eps))) => {
            sink.markup("</msqrt><mo>+</mo>");
            mn(sink, eps);
            sink.markup("</mrow>");
        }
    }
}

/// How the effective rate is made, in symbols, then with today's numbers where they fit on one line.
fn rate_formula(sink: &mut dyn Sink, optimizer: &Optimizer, record: &Record, with_numbers: bool) {
    const SUM_SQ: &str = "<mi>Σ</mi><msup><mi>g</mi><mn>2</mn></msup>";
    const MEAN_SQ: &str = "<mi>E</mi><mo>[</mo><msup><mi>g</mi><mn>2</mn></msup><mo>]</mo>";
    let s = record.slots[0][0];
    match optimizer.rule() {
        Rule::Sgd { lr } | Rule::Momentum { lr, .. } => {
            if with_numbers {
                mn(sink, lr);
            } else {
                sink.markup("<mi>η</mi>");
            }
        }
        Rule::Adagrad { lr, eps, eps_in_sqrt, .. } | Rule::RmsProp { lr, eps, eps_in_sqrt, .. } => {
            let symbol = if optimizer.kind() == OptimizerKind::Adagrad { SUM_SQ } else { MEAN_SQ };
            let place = (eps != 0.0).then_some(eps_in_sqrt);
            sink.markup("<mfrac>");
            if with_numbers {
                mn(sink, lr);
                root(sink, symbol, place, Some((s, eps)));
            } else {
                sink.markup("<mi>η</mi>");
                root(sink, symbol, place, None);
            }
            sink.markup("</mfrac>");
        }
        Rule::Adadelta { .. } => sink.markup(
            "<mi>η</mi><mo>·</mo><mfrac><msqrt><mi>E</mi><mo>[</mo><msup><mi>Δ</mi><mn>2</mn></msup><mo>]</mo><mo>+</mo>\
             <mi>ε</mi></msqrt><msqrt><mi>E</mi><mo>[</mo><msup><mi>g</mi><mn>2</mn></msup><mo>]</mo><mo>+</mo><mi>ε</mi>\
             </msqrt></mfrac>",
        ),
        Rule::Adam { .. } => sink.markup(
            "<mfrac><mi>η</mi><mrow><msqrt><mover><mi>v</mi><mo>^</mo></mover></msqrt><mo>+</mo><mi>ε</mi></mrow></mfrac>",
        ),
    }
}

/// Whether the rate's formula is shown a second time with today's numbers: where they fit on one line,
/// and not for gradient descent and momentum, whose effective rate is just η.
fn rate_has_numbers(optimizer: &Optimizer) -> bool {
    match optimizer.rule() {
        Rule::Adagrad { lr_decay, .. } => lr_decay == 0.0,
        Rule::RmsProp { .. } => true,
        Rule::Sgd { .. } | Rule::Momentum { .. } | Rule::Adadelta { .. } | Rule::Adam { .. } => false,
    }
}

/// Three short lines of MathML: how η_eff is made, the update rule, and the update with today's numbers;
/// in 2-D one line of numbers per coordinate, so the reader sees a steep coordinate get a small rate.
fn equation(sink: &mut dyn Sink, optimizer: &Optimizer, record: &Record, dim: usize, noisy: bool) {
    let eta_eff = msub("η", "<mi>eff</mi>");
    let math = "<math display=\"block\">";
    sink.markup(math);
    sink.markup(&format!("{eta_eff}<mo>=</mo>"));
    rate_formula(sink, optimizer, record, false);
    if dim == 2 {
        sink.markup("<mtext>\u{a0}per coordinate</mtext></math>");
    } else {
        if rate_has_numbers(optimizer) {
            sink.markup("<mo>=</mo>");
            rate_formula(sink, optimizer, record, true);
        }
        sink.markup("<mo>=</mo>");
        mn(sink, record.effective_lr[0]);
        sink.markup("</math>");
    }
    let times = if dim == 2 { "<mo>⊙</mo>" } else { "<mo>·</mo>" };
    sink.markup(&format!(
        "{math}{}<mo>=</mo>{}<mo>−</mo>{eta_eff}{times}{}</math>",
        msub("x", "<mrow><mi>n</mi><mo>+</mo><mn>1</mn></mrow>"),
        msub("x", "<mi>n</mi>"),
        direction_symbol(optimizer, noisy),
    ));
    if matches!(record.status, Status::Undefined { .. }) {
        sink.markup(&format!("{math}<mtext>No step: the update is not defined here.</mtext></math>"));
        return;
    }
    for axis in 0..dim {
        sink.markup(math);
        if dim == 2 {
            sink.markup(&format!(
                "{}<mo>:</mo><mspace width=\"0.4em\"/>",
                msub("x", &format!("<mn>{}</mn>", axis + 1))
            ));
        } else {
            sink.markup("<msub><mi>x</mi>");
            sink.value(Tag::Mn, (record.n + 1).to_string());
            sink.markup("</msub><mo>=</mo>");
        }
        if frozen(record, axis) {
            // Printing x − η·d = x' here would show arithmetic that does not add up at four digits.
            mn(sink, record.x[axis]);
            sink.markup("<mtext>\u{a0}(a step of </mtext>");
            mn(sink, record.step[axis]);
            sink.markup("<mtext> is too small to show)</mtext></math>");
            continue;
        }
        mn(sink, record.x[axis]);
        sink.markup("<mo>−</mo>");
        mn(sink, record.effective_lr[axis]);
        sink.markup("<mo>·</mo>");
        signed(sink, record.direction[axis]);
        sink.markup("<mo>=</mo>");
        mn(sink, record.x[axis] + record.step[axis]);
        sink.markup("</math>");
    }
}

/// A text description of panel `panel` for its canvas's `aria-label`.
pub fn describe(lab: &Lab, panel: usize) -> String {
    let spec = &lab.scenario().panels[panel];
    let record = lab.shown(panel);
    let dim = lab.scenario().loss.dim();
    format!(
        "{}: {} on {}. Step {}: x = {}, loss {}. {}.",
        title(spec),
        caption(spec),
        lab.scenario().loss.name(),
        record.n,
        coords(record.x, dim),
        sig(record.loss, 3),
        status(lab, panel)
    )
}

/// The explanation's live sentence, tied to the first panel whose rate adapts.
pub fn live_note(lab: &Lab) -> String {
    let panels = &lab.scenario().panels;
    let Some(panel) = (0..panels.len()).find(|&p| panels[p].optimizer.kind().adapts()) else {
        let adaptive: Vec<&str> = OptimizerKind::ALL.iter().filter(|k| k.adapts()).map(|k| k.name()).collect();
        let (last, rest) = adaptive.split_last().map_or(("", &[][..]), |(last, rest)| (*last, rest));
        return format!(
            "None of the three panels adapts its rate right now: pick {} or {last} in a panel's settings to see a \
             rate that changes.",
            rest.join(", ")
        );
    };
    let spec = &panels[panel];
    let record = lab.shown(panel);
    let first = lab.run(panel).record(0).map_or(record.effective_lr, |r| r.effective_lr);
    let kind = spec.optimizer.kind();
    let dim = lab.scenario().loss.dim();
    // Enough digits to tell the two rates apart (an Adam rate that rose from 0.0010308 to 0.0010310), the
    // same for every number of the sentence.
    let digits = (0..dim).map(|axis| distinguishing_digits(first[axis], record.effective_lr[axis])).max().unwrap_or(3);
    let show =
        |p: Point| if dim == 1 { sig(p[0], digits) } else { format!("({}, {})", sig(p[0], digits), sig(p[1], digits)) };
    if record.n == 0 {
        let rate = if dim == 1 { "an effective rate" } else { "effective rates" };
        return format!(
            "In “{}”, {} starts with {rate} of {}. Press play or step to watch {} change.",
            title(spec),
            kind.name(),
            show(first),
            if dim == 1 { "it" } else { "them" }
        );
    }
    let why = match kind {
        OptimizerKind::Adagrad => format!("because Σg² has grown to {}", show(record.slots[0])),
        OptimizerKind::RmsProp => format!("as the running mean E[g²] is now {}", show(record.slots[0])),
        OptimizerKind::Adadelta => format!("as E[g²] is now {}", show(record.slots[0])),
        OptimizerKind::Adam => format!("as the second moment v is now {}", show(record.slots[1])),
        // Not reached: only adaptive optimizers are picked above.
        OptimizerKind::Sgd | OptimizerKind::Momentum => String::new(),
    };
    let trend = |axis: usize| {
        let (then, now) = (first[axis], record.effective_lr[axis]);
        if sig(then, digits) == sig(now, digits) {
            "not changed"
        } else if now < then {
            "fallen"
        } else {
            "risen"
        }
    };
    let moved = if dim == 1 {
        match trend(0) {
            "not changed" => format!("is still {}", show(record.effective_lr)),
            word => format!("has {word} from {} to {}", show(first), show(record.effective_lr)),
        }
    } else {
        let how = if trend(0) == trend(1) {
            format!("both have {}", trend(0))
        } else {
            format!("x₁'s has {} and x₂'s has {}", trend(0), trend(1))
        };
        format!("went from {} to {}: {how}", show(first), show(record.effective_lr))
    };
    let rates = if dim == 1 { "effective rate" } else { "effective rates (x₁, x₂)" };
    format!("In “{}”, after {} steps {}'s {rates} {moved}, {why}.", title(spec), record.n, kind.name())
}

/// How many significant digits (3 to 8) show `a` and `b` as different numbers; 3 when they are equal.
fn distinguishing_digits(a: f64, b: f64) -> u8 {
    (3..=8).find(|&digits| sig(a, digits) != sig(b, digits)).unwrap_or(3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use steplab_core::link;

    fn lab(query: &str, t: u32) -> Lab {
        let mut lab = Lab::new(link::parse_with(query, &crate::fmt::read).scenario);
        lab.seek(t);
        lab
    }

    fn values(lab: &Lab, panel: usize) -> Vec<String> {
        let mut sink = Values::default();
        readout(&mut sink, lab, panel);
        sink.0
    }

    /// The markup with the text of every value element left out.
    fn without_values(markup: &str) -> Vec<&str> {
        markup.split("data-v>").map(|piece| piece.split_once('<').map_or("", |(_, rest)| rest)).collect()
    }

    #[test]
    fn every_shape_has_one_element_per_value() {
        let variants = [
            "a=sgd&b=momentum&c=momentum:nesterov=1",
            "a=adagrad&b=adagrad:eps=0&c=adagrad:eps_in_sqrt=1,lr_decay=0.5",
            "a=rmsprop&b=rmsprop:eps=0&c=rmsprop:eps_in_sqrt=1",
            "a=adadelta&b=adam&c=adam:b1=0",
        ];
        for loss in ["smooth-abs", "ellipse"] {
            for panels in variants {
                let lab = lab(&format!("loss={loss}&{panels}"), 3);
                for panel in 0..3 {
                    let mut markup = Markup::default();
                    readout(&mut markup, &lab, panel);
                    let values = values(&lab, panel);
                    assert_eq!(markup.0.matches("data-v").count(), values.len(), "{loss} {panels} {panel}");
                    // The markup is the same for every step of the same shape: only values change.
                    let later_lab = self::lab(&format!("loss={loss}&{panels}"), 9);
                    let mut later = Markup::default();
                    readout(&mut later, &later_lab, panel);
                    let same = without_values(&markup.0) == without_values(&later.0);
                    assert_eq!(same, shape(&lab, panel) == shape(&later_lab, panel), "{loss} {panels} {panel}");
                }
            }
        }
    }

    #[test]
    fn the_readout_shows_the_numbers_of_the_shown_step() {
        // After one Adagrad step from 4 with lr 1.5: x₁ = 2.5, and Σg² = g₀² + g₁².
        let lab = lab("", 1);
        let values = values(&lab, 2);
        let sum = 16.0 / 17.0 + 6.25 / 7.25;
        assert_eq!(&values[..3], ["1", "2.500", &sig(lab.shown(2).loss, 4)]);
        assert!(values.contains(&sig(sum, 4)), "{values:?}");
        // The update line ends x_{n+1} = x_n − η·(d) = x_{n+1}: the direction in parentheses only when negative.
        let (mut positive, mut negative) = (false, false);
        for t in 1..8 {
            let lab = self::lab("", t);
            let record = lab.shown(0);
            let values = super::tests::values(&lab, 0);
            let (open, close) = if record.direction[0] < 0.0 { ("(", ")") } else { ("", "") };
            let tail =
                [open.to_owned(), sig(record.direction[0], 4), close.to_owned(), sig(record.x[0] + record.step[0], 4)];
            assert!(values.ends_with(&tail), "step {t}: {values:?}");
            positive |= record.direction[0] > 0.0;
            negative |= record.direction[0] < 0.0;
        }
        assert!(positive && negative, "the bouncing panel's direction changes sign");
    }

    #[test]
    fn an_update_too_small_to_show_says_so_instead_of_printing_sums_that_do_not_add_up() {
        // At step 1000 Adagrad has reached about 5e−324, the smallest number there is.
        let late = lab("", 1000);
        let mut markup = Markup::default();
        readout(&mut markup, &late, 2);
        assert!(markup.0.contains("is too small to show)"), "{}", markup.0);
        assert!(!markup.0.contains("<mo>−</mo><mn data-v>0.8918"), "no arithmetic on subnormal numbers");
        // The ellipse's Adagrad late on, per coordinate.
        let ellipse = lab("preset=ellipse", 1000);
        let mut markup = Markup::default();
        readout(&mut markup, &ellipse, 2);
        assert!(markup.0.matches("is too small to show").count() >= 1, "{}", markup.0);
        // Early on the sums are shown and add up.
        let mut early = Markup::default();
        readout(&mut early, &lab("", 2), 2);
        assert!(!early.0.contains("too small to show"));
    }

    #[test]
    fn an_undefined_start_shows_dashes_and_no_update() {
        let undefined = lab("loss=expr:log(x)&x0=-2", 5);
        let values = values(&undefined, 0);
        assert_eq!(&values[..4], ["0", "−2.000", "—", "—"], "n, x, f and g");
        let mut markup = Markup::default();
        readout(&mut markup, &undefined, 0);
        assert!(markup.0.contains("No step: the update is not defined here."));
    }

    #[test]
    fn the_live_note_follows_the_first_adaptive_panel() {
        let note = live_note(&lab("", 10));
        // Adagrad's first effective rate is lr/|g₀| = 1.5/0.970.
        assert!(
            note.starts_with("In “Spot on!”, after 10 steps Adagrad's effective rate has fallen from 1.55 to "),
            "{note}"
        );
        assert!(note.contains("because Σg² has grown to"));
        // Adam's rate changes in the fifth digit: it is shown with enough digits to see it.
        let adam = live_note(&lab("a=adam&b=adam&c=adam", 30));
        assert!(adam.contains("has risen from 0.0010308 to 0.0010310"), "{adam}");
        // In 2-D both coordinates are reported.
        let ellipse = live_note(&lab("preset=ellipse", 5));
        assert!(ellipse.contains("effective rates (x₁, x₂) went from ("), "{ellipse}");
        // x₂'s gradient vanished after its first steps, so its rate stays where those steps left it.
        assert!(
            ellipse.contains(": x₁'s has fallen and x₂'s has not changed, because Σg² has grown to ("),
            "{ellipse}"
        );
        let none = live_note(&lab("a=sgd&b=sgd&c=momentum", 3));
        assert_eq!(
            none,
            "None of the three panels adapts its rate right now: pick Adagrad, RMSProp, Adadelta or Adam in a \
             panel's settings to see a rate that changes."
        );
    }

    #[test]
    fn descriptions_name_the_panel_the_optimizer_and_the_status() {
        let text = describe(&lab("", 40), 0);
        assert!(
            text.starts_with("Too fast!: Gradient descent · lr 2.5 on Smooth absolute value. Step 40: x = "),
            "{text}"
        );
        assert!(text.ends_with("bouncing back and forth, never settling."), "{text}");
    }
}
