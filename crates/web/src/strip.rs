//! The learning-rate sweep strip under the panels: for each panel's optimizer, how much of the loss is
//! left after the sweep's horizon at every rate (log scale both ways), the band of rates that work, runs
//! that diverged in a lane of their own at the top, and each panel's own rate as a dot. A press, a drag or
//! a tap sets the rate of the panel whose curve is nearest; the arrow keys move the chosen panel's rate.
//! The geometry and the texts are plain Rust, tested natively; `draw` paints it.

use crate::draw::Palette;
use crate::fmt;
use crate::session::{Intent, Session};
use steplab_core::lab::PANELS;
use steplab_core::sweep::{Curve, Outcome, TOLERANCE};
use wasm_bindgen::JsValue;
use web_sys::CanvasRenderingContext2d;

/// The lowest share shown (lower ones, and 0, sit on the bottom edge).
const FLOOR_DECADES: f64 = -16.0;
/// The highest (a run that ended ten times worse than it started, or more).
const CEILING_DECADES: f64 = 1.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
/// The lane of runs that diverged, above the plot.
const LANE: f64 = 16.0;
const TOP: f64 = 4.0;
/// The rate labels, then one thin bar per panel for its band.
const TICKS: f64 = 18.0;
const BAND_ROW: f64 = 7.0;
/// How close (CSS px) a press must be to a dot to take that panel.
const DOT_REACH: f64 = 22.0;

/// How the strip maps rates and outcomes to CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StripFrame {
    pub width: f64,
    pub height: f64,
    /// The rates' range, in decades.
    pub from: f64,
    pub to: f64,
}

impl StripFrame {
    pub fn new(width: f64, height: f64, from: f64, to: f64) -> StripFrame {
        StripFrame { width, height, from: fmt::log10(from), to: fmt::log10(to) }
    }

    fn plot_top(&self) -> f64 {
        TOP + LANE
    }

    fn plot_bottom(&self) -> f64 {
        (self.height - TICKS - PANELS as f64 * BAND_ROW - 4.0).max(self.plot_top() + 10.0)
    }

    /// The x of a rate.
    pub fn x(&self, lr: f64) -> f64 {
        let span = (self.to - self.from).max(1e-9);
        LEFT + (fmt::log10(lr) - self.from) / span * (self.width - LEFT - RIGHT).max(1.0)
    }

    /// The rate at `x`, to two significant digits (what a link should say), inside the range.
    pub fn rate_at(&self, x: f64) -> f64 {
        let share = steplab_core::clamp((x - LEFT) / (self.width - LEFT - RIGHT).max(1.0), 0.0, 1.0);
        let rate = fmt::pow10(self.from + share * (self.to - self.from));
        fmt::read(&fmt::compact(rate, 2).replace('−', "-")).unwrap_or(rate)
    }

    /// The y of an outcome: a share left on the log scale, or the lane of runs that diverged (`None` for a
    /// start where nothing can run).
    pub fn y(&self, outcome: Outcome) -> Option<f64> {
        match outcome {
            Outcome::Left(left) => {
                let decades = if left > 0.0 { fmt::log10(left) } else { FLOOR_DECADES };
                let decades = steplab_core::clamp(decades, FLOOR_DECADES, CEILING_DECADES);
                let share = (CEILING_DECADES - decades) / (CEILING_DECADES - FLOOR_DECADES);
                Some(self.plot_top() + share * (self.plot_bottom() - self.plot_top()))
            }
            Outcome::Diverged(_) => Some(TOP + LANE / 2.0),
            Outcome::Undefined => None,
        }
    }

    /// The y of a share left (for the grid and the tolerance line).
    fn y_of_share(&self, share: f64) -> f64 {
        self.y(Outcome::Left(share)).unwrap_or(0.0)
    }
}

/// The panel a press at `at` is about: the one whose dot is within reach, else the one whose curve passes
/// nearest above or below `at` (a curve that diverged there counts at its lane); `current` when none has a
/// point there.
pub fn pick(session: &Session, frame: &StripFrame, at: (f64, f64), current: usize) -> usize {
    let dots = (0..PANELS).filter_map(|panel| {
        let (lr, outcome) = session.sweep_dot(panel)?;
        let y = frame.y(outcome)?;
        Some((panel, (frame.x(lr) - at.0).hypot(y - at.1)))
    });
    if let Some((panel, _)) = dots.filter(|(_, d)| *d <= DOT_REACH).min_by(|a, b| a.1.total_cmp(&b.1)) {
        return panel;
    }
    let rate = frame.rate_at(at.0);
    let curves = (0..PANELS).filter_map(|panel| {
        let curve = session.sweep_curve(panel)?;
        let y = frame.y(outcome_near(curve, rate)?)?;
        Some((panel, (y - at.1).abs()))
    });
    curves.min_by(|a, b| a.1.total_cmp(&b.1)).map_or(current, |(panel, _)| panel)
}

/// The outcome at the grid rate nearest to `rate` (on the log scale).
fn outcome_near(curve: &Curve, rate: f64) -> Option<Outcome> {
    let target = fmt::log10(rate);
    curve
        .rates
        .iter()
        .zip(&curve.outcomes)
        .min_by(|a, b| (fmt::log10(*a.0) - target).abs().total_cmp(&(fmt::log10(*b.0) - target).abs()))
        .map(|(_, outcome)| *outcome)
}

/// The rate ten times a tenth of a decade up or down from `lr` (Shift: a whole decade), two digits.
pub fn nudged(lr: f64, up: bool, whole_decade: bool) -> f64 {
    let step = if whole_decade { 1.0 } else { 0.1 };
    let rate = fmt::pow10(fmt::log10(lr) + if up { step } else { -step });
    fmt::read(&fmt::compact(rate, 2).replace('−', "-")).unwrap_or(rate)
}

/// Pointers on the strip: a press sets the rate of the panel it picks (a mouse at once, a finger once it
/// moves sideways or lifts without moving: a vertical swipe scrolls the page), a drag follows, and letting
/// go commits the rate (a new history entry). The keys: 1, 2, 3 choose a panel, ← and → move its rate by a
/// tenth of a decade (Shift: a decade).
#[derive(Debug, Default)]
pub struct StripGesture {
    /// The panel the strip sets (the last one picked).
    pub panel: usize,
    pressed: Option<Press>,
}

#[derive(Clone, Copy, Debug)]
struct Press {
    pointer: i32,
    /// Where a finger landed, while it waits to show which way it goes.
    waiting: Option<(f64, f64)>,
    /// The finger went too far to be a tap.
    moved: bool,
    /// The rate set last.
    rate: Option<f64>,
}

/// How far (CSS px) a finger moves before it counts as a drag or stops being a tap.
const SLOP: f64 = 8.0;

impl StripGesture {
    fn set(&mut self, rate: f64, commit: bool) -> Vec<Intent> {
        if let Some(press) = &mut self.pressed {
            press.rate = Some(rate);
        }
        vec![Intent::SetHyper { panel: self.panel, name: "lr".to_owned(), value: rate, commit }]
    }

    pub fn down(
        &mut self,
        session: &Session,
        frame: &StripFrame,
        pointer: i32,
        at: (f64, f64),
        touch: bool,
    ) -> Vec<Intent> {
        self.panel = pick(session, frame, at, self.panel);
        self.pressed = Some(Press { pointer, waiting: touch.then_some(at), moved: false, rate: None });
        if touch {
            Vec::new()
        } else {
            self.set(frame.rate_at(at.0), false)
        }
    }

    pub fn moved(&mut self, frame: &StripFrame, pointer: i32, at: (f64, f64)) -> Vec<Intent> {
        let Some(mut press) = self.pressed.filter(|p| p.pointer == pointer) else { return Vec::new() };
        if let Some(landed) = press.waiting {
            let (dx, dy) = (at.0 - landed.0, at.1 - landed.1);
            if dx.hypot(dy) <= SLOP {
                return Vec::new();
            }
            press.moved = true;
            if dx.abs() <= dy.abs() {
                self.pressed = Some(press);
                return Vec::new();
            }
            press.waiting = None;
        }
        self.pressed = Some(press);
        self.set(frame.rate_at(at.0), false)
    }

    /// The pointer went up: a tap sets the rate where it landed; a drag commits the rate it set.
    pub fn up(&mut self, frame: &StripFrame, pointer: i32) -> Vec<Intent> {
        let Some(press) = self.pressed.filter(|p| p.pointer == pointer) else { return Vec::new() };
        self.pressed = None;
        match (press.waiting, press.moved, press.rate) {
            (Some(landed), false, _) => self.set(frame.rate_at(landed.0), true),
            (None, _, Some(rate)) => self.set(rate, true),
            _ => Vec::new(),
        }
    }

    /// The browser took the pointer (to scroll): a waiting finger was no tap; a drag keeps its rate.
    pub fn cancel(&mut self, frame: &StripFrame, pointer: i32) -> Vec<Intent> {
        match self.pressed {
            Some(press) if press.pointer == pointer && press.waiting.is_some() => {
                self.pressed = None;
                Vec::new()
            }
            _ => self.up(frame, pointer),
        }
    }

    /// A key on the focused strip; `None` when it is not one of the strip's (see [`is_key`]).
    pub fn key(&mut self, session: &Session, key: &str, shift: bool) -> Option<Vec<Intent>> {
        match key {
            "1" | "2" | "3" => {
                self.panel = usize::from(key.as_bytes()[0] - b'1');
                Some(Vec::new())
            }
            "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" => {
                let lr = session.lab().scenario().panels[self.panel].optimizer.lr();
                let up = matches!(key, "ArrowRight" | "ArrowUp");
                let intent = Intent::SetHyper {
                    panel: self.panel,
                    name: "lr".to_owned(),
                    value: nudged(lr, up, shift),
                    commit: true,
                };
                Some(vec![intent])
            }
            _ => None,
        }
    }
}

/// Whether a key pressed on the focused strip is one of its own.
pub fn is_key(key: &str) -> bool {
    matches!(key, "1" | "2" | "3" | "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown")
}

/// One sentence per panel: over how many decades of rate it works, and where.
pub fn summary(session: &Session) -> String {
    let scenario = session.lab().scenario();
    let spec = scenario.sweep;
    let parts: Vec<String> = (0..PANELS)
        .filter_map(|panel| {
            let curve = session.sweep_curve(panel)?;
            let name = scenario.panels[panel].title(&fmt::short);
            Some(match curve.band() {
                Some((first, last)) => {
                    // A band that reaches an end of the range may go on beyond it.
                    let low = if first == 0 { " or less" } else { "" };
                    let high = if last + 1 == curve.rates.len() { " or more" } else { "" };
                    let (from, to) = (fmt::compact(curve.rates[first], 2), fmt::compact(curve.rates[last], 2));
                    if first == last {
                        // Not "over 0.1 decades (0.063 to 0.063)": one rate of the sweep's.
                        format!("{name} works at one rate of those tried: {from}{low}{high}")
                    } else {
                        let width = decades(curve.band_decades(&spec));
                        format!("{name} works over {width} of rates ({from}{low} to {to}{high})")
                    }
                }
                None if curve.outcomes.iter().all(|o| *o == Outcome::Undefined) => {
                    format!("{name} cannot start here")
                }
                None => format!("{name} works at none of these rates"),
            })
        })
        .collect();
    let noise = if scenario.noise.is_on() {
        " (With noise, each rate runs with the link's seed, and a fixed rate's loss stops at a floor.)"
    } else {
        ""
    };
    format!("Within {} steps and a millionth of the loss left: {}.{noise}", spec.horizon, parts.join("; "))
}

fn decades(count: f64) -> String {
    let rounded = fmt::compact(count, 2);
    if rounded == "1" {
        "1 decade".to_owned()
    } else {
        format!("{rounded} decades")
    }
}

/// Paints the strip on a `frame`-sized canvas.
pub fn draw(ctx: &CanvasRenderingContext2d, frame: &StripFrame, dpr: f64, session: &Session, palette: &Palette) {
    let ctx = crate::pen::Pen(ctx);
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0).ok();
    ctx.clear_rect(0.0, 0.0, frame.width, frame.height);
    let (top, bottom) = (frame.plot_top(), frame.plot_bottom());
    let right = frame.width - RIGHT;
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_line_width(1.0);
    // The grid: shares left at 1, 1e-4, … and rates at whole decades.
    ctx.set_stroke_style_str(palette.faint);
    ctx.set_fill_style_str(palette.muted);
    ctx.begin_path();
    for decades in [0.0, -4.0, -8.0, -12.0, -16.0] {
        let y = frame.y_of_share(fmt::pow10(decades));
        ctx.move_to(LEFT, y);
        ctx.line_to(right, y);
        let label = if decades == 0.0 { "1".to_owned() } else { format!("1e{}", decades as i32) };
        ctx.fill_text(&label, 4.0, y + 4.0).ok();
    }
    let (first, last) = (frame.from.ceil() as i32, frame.to.floor() as i32);
    let every = ((last - first) / 8 + 1).max(1);
    let mut decade = first;
    while decade <= last {
        let x = frame.x(fmt::pow10(f64::from(decade)));
        ctx.move_to(x, top);
        ctx.line_to(x, bottom);
        let label = fmt::short(fmt::pow10(f64::from(decade)));
        // Centred under its line, but inside the canvas (about 6 px per character).
        let width = 6.0 * label.len() as f64;
        ctx.fill_text(&label, steplab_core::clamp(x - width / 2.0, 0.0, frame.width - width), bottom + 13.0).ok();
        decade += every;
    }
    ctx.stroke();
    ctx.fill_text("diverged", 4.0, TOP + LANE / 2.0 + 4.0).ok();
    // Works below this line.
    let tolerance = frame.y_of_share(TOLERANCE);
    ctx.set_stroke_style_str(palette.muted);
    ctx.set_line_dash(&[4.0, 3.0].into_iter().map(JsValue::from_f64).collect::<js_sys::Array>()).ok();
    ctx.begin_path();
    ctx.move_to(LEFT, tolerance);
    ctx.line_to(right, tolerance);
    ctx.stroke();
    ctx.set_line_dash(&js_sys::Array::new()).ok();
    ctx.set_text_align("right");
    ctx.fill_text("works below", right, tolerance - 3.0).ok();
    ctx.set_text_align("left");

    for panel in 0..PANELS {
        let Some(curve) = session.sweep_curve(panel) else { continue };
        let colour = palette.panels[panel];
        ctx.set_stroke_style_str(colour);
        ctx.set_fill_style_str(colour);
        ctx.set_line_width([3.0, 2.2, 1.5][panel]);
        // The curve, broken where runs diverged (those sit in the lane, as small marks).
        ctx.begin_path();
        let mut drawing = false;
        for (&lr, &outcome) in curve.rates.iter().zip(&curve.outcomes) {
            let x = frame.x(lr);
            match outcome {
                Outcome::Left(_) => {
                    let y = frame.y(outcome).unwrap_or(bottom);
                    if drawing {
                        ctx.line_to(x, y);
                    } else {
                        ctx.move_to(x, y);
                        drawing = true;
                    }
                }
                Outcome::Diverged(_) | Outcome::Undefined => drawing = false,
            }
        }
        ctx.stroke();
        let lane = TOP + LANE / 2.0 + (panel as f64 - 1.0) * 3.0;
        for (&lr, &outcome) in curve.rates.iter().zip(&curve.outcomes) {
            if let Outcome::Diverged(_) = outcome {
                ctx.fill_rect(frame.x(lr) - 1.0, lane - 1.0, 2.5, 2.5);
            }
        }
        // The band of rates that work, as a bar under the rate labels.
        if let Some((first, last)) = curve.band() {
            let half = 0.5 * (frame.x(curve.rates[1.min(curve.rates.len() - 1)]) - frame.x(curve.rates[0]));
            let y = bottom + TICKS + panel as f64 * BAND_ROW;
            let (x0, x1) = (frame.x(curve.rates[first]) - half, frame.x(curve.rates[last]) + half);
            ctx.fill_rect(x0.max(LEFT), y, (x1.min(right) - x0.max(LEFT)).max(1.0), BAND_ROW - 3.0);
        }
    }
    ctx.set_fill_style_str(palette.muted);
    ctx.fill_text("works", 4.0, bottom + TICKS + 8.0).ok();
    // Each panel's own rate.
    for panel in 0..PANELS {
        let Some((lr, outcome)) = session.sweep_dot(panel) else { continue };
        let Some(y) = frame.y(outcome) else { continue };
        let x = frame.x(lr);
        if !(LEFT - 6.0..=right + 6.0).contains(&x) {
            continue;
        }
        ctx.begin_path();
        ctx.arc(x, y, 6.0, 0.0, std::f64::consts::TAU).ok();
        ctx.set_fill_style_str(palette.panels[panel]);
        ctx.fill();
        ctx.set_stroke_style_str(palette.background);
        ctx.set_line_width(2.0);
        ctx.stroke();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use steplab_core::link;

    fn session(query: &str) -> Session {
        Session::new(link::parse_with(query, &fmt::read), true, false).0
    }

    #[test]
    fn rates_and_outcomes_map_to_pixels_and_back_to_readable_rates() {
        let frame = StripFrame::new(656.0, 170.0, 1e-4, 100.0);
        assert_eq!(frame.x(1e-4), LEFT);
        assert_eq!(frame.x(100.0), 656.0 - RIGHT);
        assert_eq!(frame.rate_at(frame.x(1.0)), 1.0);
        assert_eq!(frame.rate_at(frame.x(0.0372)), 0.037, "two significant digits");
        assert_eq!(frame.rate_at(-50.0), 1e-4, "inside the range");
        let (worse, none) = (frame.y(Outcome::Left(10.0)).unwrap(), frame.y(Outcome::Left(0.0)).unwrap());
        assert!(worse < none, "less left is lower");
        assert!(frame.y(Outcome::Diverged(Some(3))).unwrap() < worse, "the diverged lane is above");
        assert_eq!(frame.y(Outcome::Undefined), None);
        assert_eq!(nudged(1.0, true, false), 1.3);
        assert_eq!(nudged(1.0, false, true), 0.1);
    }

    #[test]
    fn a_press_takes_the_nearest_dot_or_curve() {
        let session = session("preset=bounce");
        let frame = StripFrame::new(656.0, 170.0, 1e-4, 100.0);
        // Panel b's dot (rate 0.9).
        let (lr, outcome) = session.sweep_dot(1).unwrap();
        let at = (frame.x(lr) + 3.0, frame.y(outcome).unwrap() - 2.0);
        assert_eq!(pick(&session, &frame, at, 0), 1);
        // At rate 10 gradient descent diverges (a and b in the lane) and Adagrad converges (at the bottom).
        let low = (frame.x(10.0), frame.y(Outcome::Left(1e-15)).unwrap());
        assert_eq!(pick(&session, &frame, low, 0), 2);
        let lane = (frame.x(10.0), frame.y(Outcome::Diverged(None)).unwrap() + 3.0);
        assert_eq!(pick(&session, &frame, lane, 2), 0, "a and b tie there: the first");
    }

    fn set(panel: usize, value: f64, commit: bool) -> Intent {
        Intent::SetHyper { panel, name: "lr".to_owned(), value, commit }
    }

    #[test]
    fn a_mouse_sets_at_once_a_finger_only_sideways_or_by_a_tap() {
        let session = session("preset=bounce");
        let frame = StripFrame::new(656.0, 170.0, 1e-4, 100.0);
        let mut gesture = StripGesture::default();
        let (lr, outcome) = session.sweep_dot(1).unwrap();
        let on_b = (frame.x(lr), frame.y(outcome).unwrap());
        assert_eq!(gesture.down(&session, &frame, 1, on_b, false), [set(1, 0.9, false)]);
        let right = frame.x(3.0);
        assert_eq!(gesture.moved(&frame, 1, (right, on_b.1)), [set(1, 3.0, false)]);
        assert_eq!(gesture.up(&frame, 1), [set(1, 3.0, true)], "letting go commits");
        // A finger: nothing until it shows its way; downwards is the page's.
        assert_eq!(gesture.down(&session, &frame, 2, on_b, true), []);
        assert_eq!(gesture.moved(&frame, 2, (on_b.0 + 2.0, on_b.1 + 30.0)), []);
        assert_eq!(gesture.cancel(&frame, 2), []);
        assert_eq!(gesture.down(&session, &frame, 3, on_b, true), []);
        assert_eq!(gesture.moved(&frame, 3, (right, on_b.1 + 2.0)), [set(1, 3.0, false)]);
        assert_eq!(gesture.up(&frame, 3), [set(1, 3.0, true)]);
        // A tap sets the rate where it landed.
        gesture.down(&session, &frame, 4, on_b, true);
        assert_eq!(gesture.up(&frame, 4), [set(1, 0.9, true)]);
        // Keys: choose panel c, a tenth of a decade up from its 1.5.
        assert_eq!(gesture.key(&session, "3", false), Some(vec![]));
        assert_eq!(gesture.key(&session, "ArrowRight", false), Some(vec![set(2, 1.9, true)]));
        assert_eq!(gesture.key(&session, "x", false), None);
    }

    #[test]
    fn the_explanations_claims_hold_on_the_page() {
        // "On a simple bowl, gradient descent works over about as many decades as Adagrad" (the seed).
        let seed = session("");
        let spec = seed.lab().scenario().sweep;
        let width = |s: &Session, panel: usize| s.sweep_curve(panel).unwrap().band_decades(&spec);
        assert!((width(&seed, 2) - width(&seed, 0)).abs() <= 0.3, "{} {}", width(&seed, 2), width(&seed, 0));
        // "Where some directions are much steeper: a fifth of a decade against two decades" (the ellipse).
        let ellipse = session("preset=ellipse");
        assert!(
            width(&ellipse, 0) <= 0.2 && width(&ellipse, 2) >= 2.0,
            "{} {}",
            width(&ellipse, 0),
            width(&ellipse, 2)
        );
        // "Multiply the loss by 100: gradient descent's band moves two decades to the left, Adagrad's stays."
        let (plain, scaled) = (session("preset=bounce"), session("preset=scale"));
        let band = |s: &Session, panel: usize| s.sweep_curve(panel).unwrap().band().unwrap();
        let (before, after) = (band(&plain, 1), band(&scaled, 1));
        assert_eq!((after.0 + 20, after.1 + 20), before, "twenty tenths of a decade");
        assert_eq!(band(&plain, 2), band(&scaled, 2));
    }

    #[test]
    fn a_band_of_one_rate_is_named_as_one_rate_not_as_a_range() {
        // With noise, the fixed rates of the noise preset reach a millionth of the loss at one rate only.
        let noisy = session("preset=noise");
        let text = summary(&noisy);
        assert_eq!(noisy.sweep_curve(0).unwrap().band().map(|(first, last)| first == last), Some(true));
        assert!(text.contains("Rate 0.1: jitters works at one rate of those tried: 0.063;"), "{text}");
        assert!(!text.contains(" to 0.063)"), "{text}");
    }

    #[test]
    fn the_summary_says_how_wide_each_band_is() {
        let session = session("loss=quadratic&x0=4&a=sgd&b=sgd:lr=0.5&c=adagrad:eps=0&ta=GD&tb=GD2&tc=Adagrad");
        let text = summary(&session);
        assert!(
            text.starts_with("Within 100 steps and a millionth of the loss left: GD works over 1.4 decades"),
            "{text}"
        );
        assert!(text.contains("(0.04 to 0.79)"), "{text}");
        assert!(text.contains("Adagrad works over 2.3 decades of rates (0.63 to 100 or more)"), "{text}");
    }
}
