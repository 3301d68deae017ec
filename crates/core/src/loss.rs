//! The catalogue of built-in loss functions: value, analytic gradient, and what a page needs to show one
//! (a stable id for links, a display name, a formula, a default window and a default start), and the
//! losses a teacher types (`LossFn::Custom`).

use crate::expr::Expr;
use crate::num::{NumberFormat, Plot, Point, View};
use std::sync::Arc;

/// A built-in loss function. The id (see [`Loss::id`]) is part of the link grammar and never changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Loss {
    /// x²
    Quadratic,
    /// √(1+x²) − 1: a bowl whose slope is nearly constant away from the bottom.
    SmoothAbs,
    /// x⁴: flat at the bottom, steep at the walls.
    Quartic,
    /// x⁴ − 3x² + x: two minima of different depth.
    DoubleWell,
    /// x·cos(0.15πx), d2l.ai's non-convex example.
    XCos,
    /// 0.1x₁² + 2x₂², d2l.ai's ill-conditioned bowl.
    Ellipse,
    /// (1−x₁)² + 100(x₂−x₁²)²
    Rosenbrock,
    /// x₁² − x₂²
    Saddle,
    /// (x₁²+x₂−11)² + (x₁+x₂²−7)²
    Himmelblau,
    /// (1.5−x₁+x₁x₂)² + (2.25−x₁+x₁x₂²)² + (2.625−x₁+x₁x₂³)²
    Beale,
}

const XCOS_FREQ: f64 = 0.15 * std::f64::consts::PI;

impl Loss {
    /// Every built-in loss, 1-D first, in the order a menu shows them.
    pub const ALL: [Loss; 10] = [
        Loss::Quadratic,
        Loss::SmoothAbs,
        Loss::Quartic,
        Loss::DoubleWell,
        Loss::XCos,
        Loss::Ellipse,
        Loss::Rosenbrock,
        Loss::Saddle,
        Loss::Himmelblau,
        Loss::Beale,
    ];

    /// The stable id used in links (`?loss=smooth-abs`).
    pub fn id(self) -> &'static str {
        match self {
            Loss::Quadratic => "quadratic",
            Loss::SmoothAbs => "smooth-abs",
            Loss::Quartic => "quartic",
            Loss::DoubleWell => "double-well",
            Loss::XCos => "xcos",
            Loss::Ellipse => "ellipse",
            Loss::Rosenbrock => "rosenbrock",
            Loss::Saddle => "saddle",
            Loss::Himmelblau => "himmelblau",
            Loss::Beale => "beale",
        }
    }

    /// The loss with this id, if there is one.
    pub fn from_id(id: &str) -> Option<Loss> {
        Loss::ALL.into_iter().find(|loss| loss.id() == id)
    }

    /// A short human name for menus and captions.
    pub fn name(self) -> &'static str {
        match self {
            Loss::Quadratic => "Quadratic bowl",
            Loss::SmoothAbs => "Smooth absolute value",
            Loss::Quartic => "Quartic",
            Loss::DoubleWell => "Double well",
            Loss::XCos => "x·cos(0.15πx)",
            Loss::Ellipse => "Ill-conditioned ellipse",
            Loss::Rosenbrock => "Rosenbrock valley",
            Loss::Saddle => "Saddle",
            Loss::Himmelblau => "Himmelblau",
            Loss::Beale => "Beale",
        }
    }

    /// The formula as plain Unicode text, for the page and the CLI.
    pub fn formula(self) -> String {
        format!("{} = {}", if self.dim() == 2 { "f(x₁, x₂)" } else { "f(x)" }, self.expression())
    }

    /// The right-hand side of the formula ("x²").
    pub fn expression(self) -> &'static str {
        match self {
            Loss::Quadratic => "x²",
            Loss::SmoothAbs => "√(1 + x²) − 1",
            Loss::Quartic => "x⁴",
            Loss::DoubleWell => "x⁴ − 3x² + x",
            Loss::XCos => "x·cos(0.15πx)",
            Loss::Ellipse => "0.1x₁² + 2x₂²",
            Loss::Rosenbrock => "(1 − x₁)² + 100(x₂ − x₁²)²",
            Loss::Saddle => "x₁² − x₂²",
            Loss::Himmelblau => "(x₁² + x₂ − 11)² + (x₁ + x₂² − 7)²",
            Loss::Beale => "(1.5 − x₁ + x₁x₂)² + (2.25 − x₁ + x₁x₂²)² + (2.625 − x₁ + x₁x₂³)²",
        }
    }

    /// 1 or 2: how many coordinates the loss reads.
    pub fn dim(self) -> usize {
        match self {
            Loss::Quadratic | Loss::SmoothAbs | Loss::Quartic | Loss::DoubleWell | Loss::XCos => 1,
            Loss::Ellipse | Loss::Rosenbrock | Loss::Saddle | Loss::Himmelblau | Loss::Beale => 2,
        }
    }

    /// The loss at `p`.
    pub fn value(self, p: Point) -> f64 {
        let [x, y] = p;
        match self {
            Loss::Quadratic => x * x,
            Loss::SmoothAbs => (1.0 + x * x).sqrt() - 1.0,
            Loss::Quartic => x.powi(4),
            Loss::DoubleWell => x.powi(4) - 3.0 * x * x + x,
            Loss::XCos => x * (XCOS_FREQ * x).cos(),
            Loss::Ellipse => 0.1 * x * x + 2.0 * y * y,
            Loss::Rosenbrock => (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2),
            Loss::Saddle => x * x - y * y,
            Loss::Himmelblau => (x * x + y - 11.0).powi(2) + (x + y * y - 7.0).powi(2),
            Loss::Beale => {
                let [a, b, c] = beale_terms(x, y);
                a * a + b * b + c * c
            }
        }
    }

    /// The analytic gradient at `p` (the second coordinate is 0 for a 1-D loss).
    pub fn gradient(self, p: Point) -> Point {
        let [x, y] = p;
        match self {
            Loss::Quadratic => [2.0 * x, 0.0],
            Loss::SmoothAbs => [x / (1.0 + x * x).sqrt(), 0.0],
            Loss::Quartic => [4.0 * x.powi(3), 0.0],
            Loss::DoubleWell => [4.0 * x.powi(3) - 6.0 * x + 1.0, 0.0],
            Loss::XCos => {
                let phase = XCOS_FREQ * x;
                [phase.cos() - phase * phase.sin(), 0.0]
            }
            Loss::Ellipse => [0.2 * x, 4.0 * y],
            Loss::Rosenbrock => {
                let valley = y - x * x;
                [-2.0 * (1.0 - x) - 400.0 * x * valley, 200.0 * valley]
            }
            Loss::Saddle => [2.0 * x, -2.0 * y],
            Loss::Himmelblau => {
                let u = x * x + y - 11.0;
                let v = x + y * y - 7.0;
                [4.0 * x * u + 2.0 * v, 2.0 * u + 4.0 * y * v]
            }
            Loss::Beale => {
                let [a, b, c] = beale_terms(x, y);
                [
                    2.0 * (a * (y - 1.0) + b * (y * y - 1.0) + c * (y.powi(3) - 1.0)),
                    2.0 * x * (a + 2.0 * b * y + 3.0 * c * y * y),
                ]
            }
        }
    }

    /// The window a page shows by default.
    pub fn default_view(self) -> View {
        let (x, y) = match self {
            Loss::Quadratic => ((-5.0, 5.0), (-1.5, 26.0)),
            Loss::SmoothAbs => ((-5.0, 5.0), (-0.25, 4.3)),
            Loss::Quartic => ((-2.0, 2.0), (-1.0, 16.5)),
            Loss::DoubleWell => ((-2.2, 2.2), (-3.8, 12.0)),
            Loss::XCos => ((-10.0, 10.0), (-8.5, 8.5)),
            Loss::Ellipse => ((-6.0, 6.0), (-3.0, 3.0)),
            Loss::Rosenbrock => ((-2.0, 2.0), (-1.0, 3.0)),
            Loss::Saddle => ((-2.0, 2.0), (-2.0, 2.0)),
            Loss::Himmelblau => ((-5.0, 5.0), (-5.0, 5.0)),
            Loss::Beale => ((-4.5, 4.5), (-4.5, 4.5)),
        };
        View { x, y }
    }

    /// Where a run starts unless the reader moves it.
    pub fn default_start(self) -> Point {
        match self {
            Loss::Quadratic => [4.0, 0.0],
            Loss::SmoothAbs => [4.0, 0.0],
            Loss::Quartic => [1.5, 0.0],
            Loss::DoubleWell => [2.0, 0.0],
            Loss::XCos => [-7.0, 0.0],
            Loss::Ellipse => [-5.0, -2.0],
            Loss::Rosenbrock => [-1.2, 1.0],
            Loss::Saddle => [-1.5, 0.01],
            Loss::Himmelblau => [0.0, 0.0],
            Loss::Beale => [1.0, 1.5],
        }
    }

    /// The local minimizers inside the default view (to 1e-12), used to tell how far a run has come.
    /// Empty where there is none (the saddle).
    pub fn minimizers(self) -> &'static [Point] {
        match self {
            Loss::Quadratic | Loss::SmoothAbs | Loss::Quartic | Loss::Ellipse => &[[0.0, 0.0]],
            Loss::DoubleWell => &[[-1.300_839_565_941_577, 0.0], [1.130_901_122_629_986, 0.0]],
            Loss::XCos => &[[-1.825_684_578_672_34, 0.0], [7.269_388_146_311_475, 0.0]],
            Loss::Rosenbrock => &[[1.0, 1.0]],
            Loss::Saddle => &[],
            Loss::Himmelblau => &[
                [3.0, 2.0],
                [-2.805_118_086_952_745, 3.131_312_518_250_573],
                [-3.779_310_253_377_747, -3.283_185_991_286_169],
                [3.584_428_340_330_492, -1.848_126_526_964_403],
            ],
            Loss::Beale => &[[3.0, 0.5]],
        }
    }
}

/// A loss from the catalogue, or one a teacher typed (`loss=expr:…`).
#[derive(Clone, Debug, PartialEq)]
pub enum LossFn {
    Builtin(Loss),
    Custom(Arc<CustomLoss>),
}

/// A typed expression with the window and start a page shows it in by default.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomLoss {
    pub expr: Expr,
    pub view: View,
    pub start: Point,
}

/// How far from 0 a typed expression's window reaches at first, along x (and y in 2-D).
pub const CUSTOM_REACH: f64 = 5.0;
/// The farthest a typed expression's window may reach (the runs' divergence bound).
pub const MAX_CUSTOM_REACH: f64 = 1e6;

impl CustomLoss {
    /// The expression with a sensible default window: x (and y) over ±[`CUSTOM_REACH`]; for a 1-D curve,
    /// the loss range from the 2nd to the 98th percentile of 401 samples, padded by a tenth, so that one
    /// pole (1/x) or one steep wall (exp) does not flatten the rest. The start is the finite sample nearest
    /// to 3 (or to (−3, 2) in 2-D).
    pub fn new(expr: Expr) -> CustomLoss {
        let two_d = expr.dim() == 2;
        let wanted: Point = if two_d { [-3.0, 2.0] } else { [3.0, 0.0] };
        let (lo, hi) = (-CUSTOM_REACH, CUSTOM_REACH);
        let samples = 401;
        let mut start = wanted;
        let mut best = f64::INFINITY;
        for i in 0..samples {
            let x = lo + (hi - lo) * i as f64 / (samples - 1) as f64;
            let p = if two_d { [x, wanted[1]] } else { [x, 0.0] };
            let distance = (x - wanted[0]).abs();
            if expr.value(p).is_finite() && distance < best {
                best = distance;
                start = p;
            }
        }
        let view = CustomLoss::window(&expr, [CUSTOM_REACH; 2]);
        CustomLoss { expr, view, start }
    }

    /// The window of `expr` reaching ±`reach[0]` along x (and ±`reach[1]` along y in 2-D); for a curve the
    /// loss range as in [`CustomLoss::new`].
    pub fn window(expr: &Expr, reach: Point) -> View {
        let x = (-reach[0], reach[0]);
        if expr.dim() == 2 {
            return View { x, y: (-reach[1], reach[1]) };
        }
        let samples = 401;
        let mut values = Vec::with_capacity(samples);
        for i in 0..samples {
            let value = expr.value([x.0 + (x.1 - x.0) * i as f64 / (samples - 1) as f64, 0.0]);
            if value.is_finite() {
                values.push(value);
            }
        }
        // A plain insertion sort: 401 numbers once per typed function, and it keeps the standard
        // library's sort (several KB) out of the wasm.
        for i in 1..values.len() {
            let mut j = i;
            while j > 0 && values[j - 1] > values[j] {
                values.swap(j - 1, j);
                j -= 1;
            }
        }
        let pick = |q: f64| values.get(((values.len().max(1) - 1) as f64 * q).round() as usize).copied();
        let (low, high) = match (pick(0.02), pick(0.98)) {
            (Some(low), Some(high)) if high > low => (low, high),
            (Some(v), Some(_)) => (v - 1.0, v + 1.0),
            _ => (-1.0, 1.0),
        };
        let pad = 0.1 * (high - low);
        View { x, y: (low - pad, high + pad) }
    }

    /// How far the window must reach to show `start`: [`CUSTOM_REACH`] when that shows it already, else
    /// the first of 10, 20, 50, 100, 200, … that leaves a tenth to spare, at most [`MAX_CUSTOM_REACH`].
    pub fn reach_for(start: f64) -> f64 {
        // NaN lands here too.
        if start.is_nan() || start.abs() <= CUSTOM_REACH {
            return CUSTOM_REACH;
        }
        let needed = 1.1 * start.abs();
        let mut decade = 10.0;
        loop {
            for step in [1.0, 2.0, 5.0] {
                let reach = step * decade;
                if reach >= needed || reach >= MAX_CUSTOM_REACH {
                    return reach.min(MAX_CUSTOM_REACH);
                }
            }
            decade *= 10.0;
        }
    }
}

impl From<Loss> for LossFn {
    fn from(loss: Loss) -> LossFn {
        LossFn::Builtin(loss)
    }
}

impl PartialEq<Loss> for LossFn {
    fn eq(&self, other: &Loss) -> bool {
        *self == LossFn::Builtin(*other)
    }
}

impl LossFn {
    /// A typed expression as a loss.
    pub fn custom(expr: Expr) -> LossFn {
        LossFn::Custom(Arc::new(CustomLoss::new(expr)))
    }

    /// The built-in loss, if it is one.
    pub fn builtin(&self) -> Option<Loss> {
        match self {
            LossFn::Builtin(loss) => Some(*loss),
            LossFn::Custom(_) => None,
        }
    }

    /// The link's value: a catalogue id, or `expr:` and the expression (not yet percent-encoded).
    pub fn id(&self) -> String {
        match self {
            LossFn::Builtin(loss) => loss.id().to_owned(),
            LossFn::Custom(custom) => format!("expr:{}", custom.expr.text()),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            LossFn::Builtin(loss) => loss.name(),
            LossFn::Custom(_) => "Your function",
        }
    }

    pub fn formula(&self) -> String {
        format!("{} = {}", self.left_side(), self.expression())
    }

    /// "f(x)", "f(x₁, x₂)" or, for a typed surface, "f(x, y)".
    fn left_side(&self) -> &'static str {
        match self {
            LossFn::Builtin(loss) if loss.dim() == 2 => "f(x₁, x₂)",
            LossFn::Custom(custom) if custom.expr.dim() == 2 => "f(x, y)",
            LossFn::Builtin(_) | LossFn::Custom(_) => "f(x)",
        }
    }

    /// The right-hand side of the formula.
    pub fn expression(&self) -> String {
        match self {
            LossFn::Builtin(loss) => loss.expression().to_owned(),
            LossFn::Custom(custom) => custom.expr.text(),
        }
    }

    pub fn dim(&self) -> usize {
        match self {
            LossFn::Builtin(loss) => loss.dim(),
            LossFn::Custom(custom) => custom.expr.dim(),
        }
    }

    pub fn value(&self, p: Point) -> f64 {
        match self {
            LossFn::Builtin(loss) => loss.value(p),
            LossFn::Custom(custom) => custom.expr.value(p),
        }
    }

    /// The gradient (exact for a typed expression: forward-mode automatic differentiation).
    pub fn gradient(&self, p: Point) -> Point {
        match self {
            LossFn::Builtin(loss) => loss.gradient(p),
            LossFn::Custom(custom) => custom.expr.value_and_gradient(p).1,
        }
    }

    pub fn default_view(&self) -> View {
        match self {
            LossFn::Builtin(loss) => loss.default_view(),
            LossFn::Custom(custom) => custom.view,
        }
    }

    pub fn default_start(&self) -> Point {
        match self {
            LossFn::Builtin(loss) => loss.default_start(),
            LossFn::Custom(custom) => custom.start,
        }
    }

    /// Known minimizers (none for a typed expression).
    pub fn minimizers(&self) -> &'static [Point] {
        match self {
            LossFn::Builtin(loss) => loss.minimizers(),
            LossFn::Custom(_) => &[],
        }
    }
}

/// What a run minimises: a loss times a positive scale (the scale-invariance experiment multiplies the
/// loss by 100). A plain `Loss` converts into an objective of scale 1.
#[derive(Clone, Debug, PartialEq)]
pub struct Objective {
    pub loss: LossFn,
    pub scale: f64,
}

impl Objective {
    /// A 1-D loss's curve across `plot`: its value at every pixel column, handed to `visit` as
    /// (starts a piece, x, loss), in pieces split where it is not defined (`log(x)` left of 0, `sqrt` of a
    /// negative). The page's canvas and the figures draw the same samples.
    pub fn curve(&self, plot: &Plot, mut visit: impl FnMut(bool, f64, f64)) {
        let columns = plot.width().ceil() as usize;
        let mut starts = true;
        for i in 0..=columns {
            let x = plot.to_world(plot.left + i as f64, 0.0).0;
            let value = self.value([x, 0.0]);
            if value.is_finite() {
                visit(starts, x, value);
                starts = false;
            } else {
                starts = true;
            }
        }
    }

    /// Smallest and largest scales a link may ask for.
    pub const MIN_SCALE: f64 = 1e-3;
    pub const MAX_SCALE: f64 = 1e3;

    pub fn dim(&self) -> usize {
        self.loss.dim()
    }

    pub fn value(&self, p: Point) -> f64 {
        self.scale * self.loss.value(p)
    }

    pub fn gradient(&self, p: Point) -> Point {
        self.loss.gradient(p).map(|g| self.scale * g)
    }

    /// The formula as shown, with the scale in it: "f(x) = 100·x²", "f(x) = 100·(√(1 + x²) − 1)".
    pub fn formula(&self, fmt: NumberFormat) -> String {
        if self.scale == 1.0 {
            return self.loss.formula();
        }
        let (left, right) = (self.loss.left_side(), self.loss.expression());
        // A sum (its terms are spaced, or joined by + or - in a typed expression) goes in parentheses.
        let sum = right.contains(' ') || right.chars().skip(1).any(|c| c == '+' || c == '-');
        if sum {
            format!("{left} = {}·({right})", fmt(self.scale))
        } else {
            format!("{left} = {}·{right}", fmt(self.scale))
        }
    }

    /// The loss's default window, with the loss axis of a 1-D loss scaled too.
    pub fn view(&self) -> View {
        let view = self.loss.default_view();
        if self.dim() == 1 {
            View { x: view.x, y: (view.y.0 * self.scale, view.y.1 * self.scale) }
        } else {
            view
        }
    }

    /// The loss and its gradient at `p` (one pass for a typed expression).
    pub fn value_and_gradient(&self, p: Point) -> (f64, Point) {
        let (value, gradient) = match &self.loss {
            LossFn::Builtin(loss) => (loss.value(p), loss.gradient(p)),
            LossFn::Custom(custom) => custom.expr.value_and_gradient(p),
        };
        (self.scale * value, gradient.map(|g| self.scale * g))
    }

    /// Where a straight path from `from` (where the loss is a number) toward `to` (where it is not) leaves
    /// the function's domain: the last point, to a millionth of the path, at which the loss is still a
    /// finite number. A path drawn into `log(x)` left of 0 ends there, not at the top of the picture.
    pub fn defined_until(&self, from: Point, to: Point) -> Point {
        let at = |t: f64| [from[0] + t * (to[0] - from[0]), from[1] + t * (to[1] - from[1])];
        let (mut inside, mut outside) = (0.0, 1.0);
        for _ in 0..20 {
            let middle = 0.5 * (inside + outside);
            if self.value(at(middle)).is_finite() {
                inside = middle;
            } else {
                outside = middle;
            }
        }
        at(inside)
    }

    /// Scaling moves no minimum.
    pub fn minimizers(&self) -> &'static [Point] {
        self.loss.minimizers()
    }
}

impl From<Loss> for Objective {
    fn from(loss: Loss) -> Objective {
        Objective { loss: LossFn::Builtin(loss), scale: 1.0 }
    }
}

impl From<LossFn> for Objective {
    fn from(loss: LossFn) -> Objective {
        Objective { loss, scale: 1.0 }
    }
}

/// The three residuals whose squares make up Beale's function.
fn beale_terms(x: f64, y: f64) -> [f64; 3] {
    [1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y.powi(3)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_curve_is_sampled_at_every_column_and_split_where_it_is_undefined() {
        let pieces = |objective: Objective, plot: &Plot| {
            let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
            objective.curve(plot, |starts, x, value| {
                if starts {
                    pieces.push(Vec::new());
                }
                pieces.last_mut().unwrap().push((x, value));
            });
            pieces
        };
        let plot = Plot::inset(View { x: (-2.0, 2.0), y: (-3.0, 3.0) }, 416.0, 220.0, (8.0, 10.0));
        // One column per pixel of the 400-pixel plot, ends included.
        let bowl = pieces(Objective::from(Loss::Quadratic), &plot);
        assert_eq!(bowl.len(), 1);
        assert_eq!((bowl[0].len(), bowl[0][0], bowl[0][400]), (401, (-2.0, 4.0), (2.0, 4.0)));
        // log(x) has no value left of 0: one piece, from the first column right of 0.
        let log = pieces(Objective::from(LossFn::custom(crate::expr::Expr::parse("log(x)").unwrap())), &plot);
        assert_eq!(log.len(), 1);
        assert!(log[0][0].0 > 0.0 && log[0][0].0 <= 0.01, "{:?}", log[0][0]);
        // sqrt(x² − 1) is undefined between −1 and 1: two pieces.
        let gap = pieces(Objective::from(LossFn::custom(crate::expr::Expr::parse("sqrt(x^2 - 1)").unwrap())), &plot);
        assert_eq!(gap.len(), 2);
        assert!(gap[0].last().unwrap().0 <= -1.0 && gap[1][0].0 >= 1.0);
    }

    /// Central difference with a step scaled to the point, compared with a tolerance that allows for
    /// its O(h²) truncation and the rounding of large values.
    fn check_gradient(loss: Loss, p: Point) {
        let analytic = loss.gradient(p);
        for axis in 0..loss.dim() {
            let h = 1e-5 * (1.0 + p[axis].abs());
            let mut ahead = p;
            let mut behind = p;
            ahead[axis] += h;
            behind[axis] -= h;
            let numeric = (loss.value(ahead) - loss.value(behind)) / (2.0 * h);
            let scale = 1.0 + analytic[axis].abs() + loss.value(p).abs();
            assert!(
                (numeric - analytic[axis]).abs() <= 1e-5 * scale,
                "{} at {p:?}, axis {axis}: analytic {} vs numeric {numeric}",
                loss.id(),
                analytic[axis]
            );
        }
        if loss.dim() == 1 {
            assert_eq!(analytic[1], 0.0, "{}: a 1-D loss has no second slope", loss.id());
        }
    }

    #[test]
    fn analytic_gradients_match_central_differences_on_a_grid() {
        for loss in Loss::ALL {
            let view = loss.default_view();
            let (x_span, y_span) = (view.x.1 - view.x.0, view.y.1 - view.y.0);
            for i in 0..=24 {
                for j in 0..=24 {
                    // Offset the grid so it does not sit on symmetric points only.
                    let x = view.x.0 + x_span * (i as f64 + 0.37) / 25.0;
                    let y = if loss.dim() == 2 { view.y.0 + y_span * (j as f64 + 0.61) / 25.0 } else { 0.0 };
                    check_gradient(loss, [x, y]);
                }
            }
        }
    }

    #[test]
    fn minimizers_are_stationary_and_lower_than_their_neighbours() {
        for loss in Loss::ALL {
            for &m in loss.minimizers() {
                let g = loss.gradient(m);
                assert!(g[0].abs() < 1e-9 && g[1].abs() < 1e-9, "{} at {m:?}: gradient {g:?}", loss.id());
                for (dx, dy) in [(1e-3, 0.0), (-1e-3, 0.0), (0.0, 1e-3), (0.0, -1e-3)] {
                    if loss.dim() == 1 && dy != 0.0 {
                        continue;
                    }
                    assert!(loss.value([m[0] + dx, m[1] + dy]) > loss.value(m), "{} at {m:?}", loss.id());
                }
            }
        }
    }

    #[test]
    fn a_path_into_an_undefined_region_ends_at_its_edge() {
        let log = Objective::from(LossFn::custom(crate::expr::Expr::parse("log(x)").unwrap()));
        let edge = log.defined_until([0.5, 0.0], [-1.5, 0.0]);
        assert!(edge[0] > 0.0 && edge[0] < 2e-6, "{edge:?}");
        let sqrt_2d = Objective::from(LossFn::custom(crate::expr::Expr::parse("sqrt(x*y)").unwrap()));
        let edge = sqrt_2d.defined_until([1.0, 1.0], [1.0, -1.0]);
        assert!(edge[1] >= 0.0 && edge[1] < 2e-6, "{edge:?}");
    }

    #[test]
    fn a_scaled_loss_shows_its_scale() {
        let fmt = &crate::num::print;
        assert_eq!(Objective::from(Loss::Quadratic).formula(fmt), "f(x) = x²");
        let scaled = |loss: Loss| Objective { loss: loss.into(), scale: 100.0 }.formula(fmt);
        assert_eq!(scaled(Loss::Quadratic), "f(x) = 100·x²");
        assert_eq!(scaled(Loss::SmoothAbs), "f(x) = 100·(√(1 + x²) − 1)");
        assert_eq!(scaled(Loss::Ellipse), "f(x₁, x₂) = 100·(0.1x₁² + 2x₂²)");
        let typed = LossFn::custom(crate::expr::Expr::parse("x^2-1").unwrap());
        assert_eq!(Objective { loss: typed, scale: 0.5 }.formula(fmt), "f(x) = 0.5·(x^2-1)");
    }

    #[test]
    fn ids_round_trip_and_are_unique() {
        for loss in Loss::ALL {
            assert_eq!(Loss::from_id(loss.id()), Some(loss));
        }
        assert_eq!(Loss::from_id("nope"), None);
        let mut ids: Vec<_> = Loss::ALL.iter().map(|l| l.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Loss::ALL.len());
    }

    #[test]
    fn default_starts_lie_inside_their_views() {
        for loss in Loss::ALL {
            let v = loss.default_view();
            let [x, y] = loss.default_start();
            assert!(v.x.0 < x && x < v.x.1, "{}", loss.id());
            if loss.dim() == 2 {
                assert!(v.y.0 < y && y < v.y.1, "{}", loss.id());
            } else {
                let f = loss.value([x, 0.0]);
                assert!(v.y.0 < f && f < v.y.1, "{}: the start's loss {f} is off the window", loss.id());
            }
        }
    }
}
