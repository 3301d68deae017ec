//! The bottom layer: points and windows of the optimizer's space, their place on a picture (`Plot`),
//! `clamp`, and numbers as text. Every other module may use this one; it uses none of them.
//!
//! Numbers are read and printed through functions the caller passes ([`NumberRead`], [`NumberFormat`]),
//! so that the wasm build can use the browser's instead of Rust's float formatting and parsing (which
//! cost the page ~10 and ~15 KB gzipped). Native callers (the CLI, tests) use [`read`] and [`print`],
//! which print exactly what JavaScript's `Number.prototype.toString` prints, so a link, a CSV file or a
//! JSON file reads the same whether the page or the CLI wrote it.

/// A point in the optimizer's space. 1-D losses use only the first coordinate; the second stays 0.
pub type Point = [f64; 2];

/// A rectangle of the plane, in world coordinates.
///
/// For a 1-D loss, `x` is the range of the parameter and `y` the range of the loss value shown; for a
/// 2-D loss, `x` and `y` are the ranges of the two coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub x: (f64, f64),
    pub y: (f64, f64),
}

/// A world window placed on a rectangle of a picture or a canvas (`left..right` × `top..bottom`, in its
/// pixels, y growing downward). The one mapping between the optimizer's space and pixels: the page's
/// canvases (`steplab-web`'s `view::Frame`) and the figures (`figure`) both place points through it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plot {
    pub world: View,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Plot {
    /// `world` shown in a `width`×`height` box, `inset` (sides, above and below) kept free around it.
    pub fn inset(world: View, width: f64, height: f64, inset: (f64, f64)) -> Plot {
        Plot { world, left: inset.0, right: width - inset.0, top: inset.1, bottom: height - inset.1 }
    }

    /// The same plot shrunk along one axis so that a unit of x and a unit of y take the same pixels (a
    /// circle stays round), centred where it was. A window without a usable aspect stays as it is.
    pub fn letterboxed(self) -> Plot {
        let aspect = (self.world.y.1 - self.world.y.0) / (self.world.x.1 - self.world.x.0);
        let (w, h) = (self.width(), self.height());
        if !(aspect.is_finite() && aspect > 0.0) {
            return self;
        }
        let mut plot = self;
        if h > w * aspect {
            let spare = (h - w * aspect) / 2.0;
            plot.top += spare;
            plot.bottom -= spare;
        } else {
            let spare = (w - h / aspect) / 2.0;
            plot.left += spare;
            plot.right -= spare;
        }
        plot
    }

    /// The plot's width in pixels, at least 1.
    pub fn width(&self) -> f64 {
        (self.right - self.left).max(1.0)
    }

    /// The plot's height in pixels, at least 1.
    pub fn height(&self) -> f64 {
        (self.bottom - self.top).max(1.0)
    }

    /// World → pixels.
    pub fn to_px(&self, x: f64, y: f64) -> (f64, f64) {
        let (x0, x1) = self.world.x;
        let (y0, y1) = self.world.y;
        (self.left + (x - x0) / (x1 - x0) * self.width(), self.top + (y1 - y) / (y1 - y0) * self.height())
    }

    /// Pixels → world.
    pub fn to_world(&self, px: f64, py: f64) -> (f64, f64) {
        let (x0, x1) = self.world.x;
        let (y0, y1) = self.world.y;
        (x0 + (px - self.left) / self.width() * (x1 - x0), y1 - (py - self.top) / self.height() * (y1 - y0))
    }
}

/// `value` limited to `min..=max` (NaN gives `min`). Unlike `f64::clamp` it cannot panic, and so it keeps
/// Rust's float formatting (which `f64::clamp`'s assertion message needs) out of the wasm build.
pub fn clamp(value: f64, min: f64, max: f64) -> f64 {
    value.max(min).min(max)
}

/// `value` rounded to `digits` significant digits (what a short label needs before it is printed):
/// 1234.5 → 1235, 0.0012345 → 0.001235. Zero, infinities and NaN stay as they are.
pub fn round_significant(value: f64, digits: i32) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    let shift = digits - 1 - value.abs().log10().floor() as i32;
    if !(-300..=300).contains(&shift) {
        return value;
    }
    // Dividing by an exact power of ten gives the nearest double to the rounded decimal.
    if shift >= 0 {
        let scale = 10f64.powi(shift);
        (value * scale).round() / scale
    } else {
        let scale = 10f64.powi(-shift);
        (value / scale).round() * scale
    }
}

/// Prints a number for a link, a notice or a file (the shortest text that reads back the same).
pub type NumberFormat<'a> = &'a dyn Fn(f64) -> String;

/// Reads a decimal number (already checked to hold only digits, `.`, `-`, `+`, `e`, `E`); `None` when
/// it is not one. The wasm build passes the browser's parser to stay free of Rust's.
pub type NumberRead<'a> = &'a dyn Fn(&str) -> Option<f64>;

/// Rust's own decimal parser, for native callers. Not in the wasm build, which must use the browser's
/// (Rust's parser brings ~15 KB of tables): using it there is a compile error, not a silent 15 KB.
#[cfg(not(target_arch = "wasm32"))]
pub fn read(text: &str) -> Option<f64> {
    text.parse().ok()
}

/// The shortest decimal that reads back as `value`, laid out as JavaScript's `Number.prototype.toString`
/// lays it out (and so as the page prints it): plain digits from 1e-6 up to 1e21, exponent form outside
/// (`3.8735897747855983e-91`, `1e+21`), `0` for both zeros, `NaN`, `Infinity`, `-Infinity`. Native only,
/// like [`read`].
#[cfg(not(target_arch = "wasm32"))]
pub fn print(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if value == 0.0 {
        return "0".to_owned();
    }
    // Rust's `{:e}` gives the shortest round-trip digits, as JavaScript does: `d.ddde±x`.
    let scientific = format!("{:e}", value.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let sign = if value < 0.0 { "-" } else { "" };
    format!("{sign}{}", layout(&digits, exponent + 1))
}

/// ECMAScript's Number::toString layout of the digits `digits` (no leading zero) whose decimal point sits
/// after `point` of them (negative or past the end for small and large numbers).
#[cfg(not(target_arch = "wasm32"))]
fn layout(digits: &str, point: i32) -> String {
    let k = digits.len() as i32;
    if k <= point && point <= 21 {
        format!("{digits}{}", "0".repeat((point - k) as usize))
    } else if 0 < point && point <= 21 {
        let (whole, fraction) = digits.split_at(point as usize);
        format!("{whole}.{fraction}")
    } else if -6 < point && point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else {
        let exponent = point - 1;
        let sign = if exponent < 0 { '-' } else { '+' };
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        format!("{first}{dot}{rest}e{sign}{}", exponent.unsigned_abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plot_maps_its_window_onto_its_rectangle_and_back() {
        let world = View { x: (-2.0, 6.0), y: (0.0, 10.0) };
        let plot = Plot::inset(world, 400.0, 220.0, (8.0, 10.0));
        // Corners to corners, y downward on the picture.
        assert_eq!(plot.to_px(-2.0, 10.0), (8.0, 10.0));
        assert_eq!(plot.to_px(6.0, 0.0), (392.0, 210.0));
        assert_eq!(plot.to_world(200.0, 110.0), (2.0, 5.0));
        // A square window in a wide box keeps its proportions, centred.
        let square = Plot::inset(View { x: (-1.0, 1.0), y: (-1.0, 1.0) }, 400.0, 220.0, (8.0, 10.0)).letterboxed();
        assert_eq!((square.width(), square.height()), (200.0, 200.0));
        assert_eq!(square.to_px(0.0, 0.0), (200.0, 110.0));
        // A window without an aspect (zero width) is left alone rather than turned into NaN.
        let flat = Plot::inset(View { x: (1.0, 1.0), y: (0.0, 1.0) }, 400.0, 220.0, (8.0, 10.0));
        assert_eq!(flat.letterboxed(), flat);
    }

    #[test]
    fn prints_as_javascript_does() {
        // Each pair is (value, what `String(value)` gives in a browser).
        let cases: [(f64, &str); 20] = [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-2.5, "-2.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (100.0, "100"),
            (1e-6, "0.000001"),
            (1.5e-7, "1.5e-7"),
            (1e-7, "1e-7"),
            (3.8735897747855983e-91, "3.8735897747855983e-91"),
            (123456789012345680000.0, "123456789012345680000"),
            (1e21, "1e+21"),
            (-1.5e300, "-1.5e+300"),
            (f64::MIN_POSITIVE * f64::EPSILON, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (0.000123, "0.000123"),
            (3.5999999999999996, "3.5999999999999996"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for (value, expected) in cases {
            assert_eq!(print(value), expected, "{value:?}");
        }
    }

    #[test]
    fn printing_round_trips_exactly() {
        let mut x = 0.1f64;
        for _ in 0..2000 {
            for value in [x, -x, 1.0 / x, x * 1e-200, x * 1e200] {
                assert_eq!(read(&print(value)), Some(value), "{value:e}");
            }
            x = x * 1.37 + 1e-3;
        }
    }

    #[test]
    fn rounding_to_significant_digits_prints_short() {
        assert_eq!(print(round_significant(1234.5678, 4)), "1235");
        assert_eq!(print(round_significant(-0.0012345678, 4)), "-0.001235");
        assert_eq!(print(round_significant(2.4374, 2)), "2.4");
        assert_eq!(print(round_significant(3.9999, 2)), "4");
        assert_eq!(print(round_significant(4.941e-324, 4)), "5e-324");
        assert_eq!(round_significant(0.0, 3), 0.0);
    }

    #[test]
    fn clamp_never_panics_and_sends_nan_to_the_minimum() {
        assert_eq!(clamp(5.0, 0.0, 1.0), 1.0);
        assert_eq!(clamp(-5.0, 0.0, 1.0), 0.0);
        assert_eq!(clamp(f64::NAN, 0.0, 1.0), 0.0);
    }
}
