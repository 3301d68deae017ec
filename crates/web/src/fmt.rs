//! Numbers as text, and the few transcendental functions the page needs. In the wasm build they are the
//! browser's (`Number.prototype.toString`/`toPrecision`/`toExponential`, `Math`), so that the wasm
//! carries none of Rust's float formatting or parsing (~25 KB gzipped) nor libm's pow and log; natively
//! (the session and text tests, `cargo test -p steplab-web`) they are plain Rust that prints the same text.
//! The one known difference: a number exactly halfway between two roundings (0.125 to two digits) rounds
//! up in the browser and to even in Rust.

/// The shortest text that reads back as the same number ("2.5", "0.05", "1e-10").
pub fn short(value: f64) -> String {
    imp::short(value)
}

/// Reads a decimal number (the link codec's `NumberRead`); `None` when it is not one.
pub fn read(text: &str) -> Option<f64> {
    imp::read(text)
}

/// `digits` significant digits for readouts, keeping trailing zeros so columns do not jitter; scientific
/// when tiny or huge ("−0.7500", "1.50e−7"). Minus signs rather than hyphens.
pub fn sig(value: f64, digits: u8) -> String {
    if value == 0.0 {
        return "0".to_owned();
    }
    // A quantity that is not defined (a start where the loss has no value) shows as a dash, an infinite
    // one as ∞: never "NaN".
    if value.is_nan() {
        return "—".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "∞" } else { "−∞" }.to_owned();
    }
    let magnitude = value.abs();
    let digits = digits.clamp(1, 21);
    let text = if (1e-3..1e5).contains(&magnitude) {
        imp::to_precision(value, digits)
    } else {
        imp::to_exponential(value, digits - 1)
    };
    text.replace('-', "−")
}

/// A compact label: at most `digits` significant digits without trailing zeros ("8", "0.75", "1.5e−7").
pub fn compact(value: f64, digits: u8) -> String {
    let rounded = read(&imp::to_precision(value, digits.clamp(1, 21))).unwrap_or(value);
    short(rounded).replace('-', "−")
}

/// 10^x.
pub fn pow10(x: f64) -> f64 {
    imp::pow(10.0, x)
}

/// base^x.
pub fn pow(base: f64, x: f64) -> f64 {
    imp::pow(base, x)
}

pub fn log10(x: f64) -> f64 {
    imp::log10(x)
}

/// The natural logarithm.
pub fn ln(x: f64) -> f64 {
    imp::ln(x)
}

pub fn exp(x: f64) -> f64 {
    imp::exp(x)
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use js_sys::{Math, Number};

    pub fn short(value: f64) -> String {
        String::from(Number::from(value).to_string_with_radix(10).unwrap_or_else(|_| "?".into()))
    }

    pub fn read(text: &str) -> Option<f64> {
        let value = Number::from(wasm_bindgen::JsValue::from_str(text)).value_of();
        (!value.is_nan()).then_some(value)
    }

    pub fn to_precision(value: f64, digits: u8) -> String {
        Number::from(value).to_precision(digits).map(String::from).unwrap_or_else(|_| short(value))
    }

    pub fn to_exponential(value: f64, fraction: u8) -> String {
        Number::from(value).to_exponential(fraction).map(String::from).unwrap_or_else(|_| short(value))
    }

    pub fn pow(base: f64, x: f64) -> f64 {
        Math::pow(base, x)
    }

    pub fn log10(x: f64) -> f64 {
        Math::log10(x)
    }

    pub fn ln(x: f64) -> f64 {
        Math::log(x)
    }

    pub fn exp(x: f64) -> f64 {
        Math::exp(x)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    pub fn short(value: f64) -> String {
        steplab_core::num::print(value)
    }

    pub fn read(text: &str) -> Option<f64> {
        // The browser's Number() reads "", "  " and "0x10" too; the page never hands it those.
        steplab_core::num::read(text.trim())
    }

    /// `Number.prototype.toPrecision`: exponent form when the exponent is below −6 or at least `digits`.
    pub fn to_precision(value: f64, digits: u8) -> String {
        if !value.is_finite() {
            return short(value);
        }
        let scientific = format!("{:.*e}", usize::from(digits - 1), value);
        let exponent: i32 = scientific.split_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0);
        if exponent < -6 || exponent >= i32::from(digits) {
            js_exponent(&scientific)
        } else {
            format!("{:.*}", (i32::from(digits) - 1 - exponent).max(0) as usize, value)
        }
    }

    /// `Number.prototype.toExponential`: `fraction` digits after the point, a signed exponent.
    pub fn to_exponential(value: f64, fraction: u8) -> String {
        if !value.is_finite() {
            return short(value);
        }
        js_exponent(&format!("{:.*e}", usize::from(fraction), value))
    }

    /// Rust's `1.50e5` as JavaScript writes it, `1.50e+5`.
    fn js_exponent(scientific: &str) -> String {
        match scientific.split_once('e') {
            Some((mantissa, exponent)) if !exponent.starts_with('-') => format!("{mantissa}e+{exponent}"),
            _ => scientific.to_owned(),
        }
    }

    pub fn pow(base: f64, x: f64) -> f64 {
        base.powf(x)
    }

    pub fn log10(x: f64) -> f64 {
        x.log10()
    }

    pub fn ln(x: f64) -> f64 {
        x.ln()
    }

    pub fn exp(x: f64) -> f64 {
        x.exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readout_numbers_read_as_the_browser_prints_them() {
        // What `toPrecision(4)` / `toExponential(3)` give in a browser, with the minus sign swapped in.
        assert_eq!(sig(-0.75, 4), "−0.7500");
        assert_eq!(sig(2.5, 4), "2.500");
        assert_eq!(sig(1234.5678, 4), "1235");
        assert_eq!(sig(99999.0, 4), "1.000e+5");
        assert_eq!(sig(1.5e-7, 3), "1.50e−7");
        assert_eq!(sig(4.941e-324, 4), "4.941e−324");
        assert_eq!(sig(0.0012345, 3), "0.00123");
        assert_eq!(sig(0.0, 4), "0");
        assert_eq!(sig(f64::NAN, 4), "—");
        assert_eq!(sig(f64::NEG_INFINITY, 4), "−∞");
        assert_eq!(compact(8.0, 2), "8");
        assert_eq!(compact(0.7512, 2), "0.75");
        assert_eq!(compact(-1.53e-7, 2), "−1.5e−7");
        assert_eq!(short(1e-10), "1e-10");
        assert_eq!(short(2.5), "2.5");
        assert_eq!(read(" 0.5 "), Some(0.5));
        assert_eq!(read("abc"), None);
    }
}
