//! Numbers as text, printed by the browser (`Number.prototype.toString`/`toPrecision`/`toExponential`)
//! so that the wasm carries none of Rust's float formatting, and a few MathML builders.

use js_sys::Number;

/// The shortest text that reads back as the same number ("2.5", "0.05", "1e-10").
pub fn short(value: f64) -> String {
    String::from(Number::from(value).to_string_with_radix(10).unwrap_or_else(|_| "?".into()))
}

/// `digits` significant digits for readouts, keeping trailing zeros so columns do not jitter; scientific
/// when tiny or huge ("−0.7500", "1.50e-7"). A minus sign rather than a hyphen.
pub fn sig(value: f64, digits: u8) -> String {
    if value == 0.0 {
        return "0".to_owned();
    }
    let n = Number::from(value);
    let magnitude = value.abs();
    let text = if (1e-3..1e5).contains(&magnitude) {
        n.to_precision(digits).map(String::from)
    } else {
        n.to_exponential(digits.saturating_sub(1)).map(String::from)
    };
    text.unwrap_or_else(|_| short(value)).replace('-', "−")
}

/// A compact label: at most `digits` significant digits without trailing zeros ("8", "0.75", "1.5e-7").
pub fn compact(value: f64, digits: u8) -> String {
    let rounded = Number::from(value).to_precision(digits).map(|s| js_sys::parse_float(&String::from(s)));
    short(rounded.unwrap_or(value)).replace('-', "−")
}

/// `<mn>` with a readout number; negative numbers in parentheses so `− (−0.6)` reads right. The
/// parentheses are inside the `<mn>`, so that a sign change keeps the markup's shape and the readout is
/// patched in place rather than parsed again (see `patch`).
pub fn mn(value: f64) -> String {
    let text = sig(value, 4);
    if value < 0.0 {
        format!("<mn>({text})</mn>")
    } else {
        format!("<mn>{text}</mn>")
    }
}

/// `<mn>` with a readout number, never in parentheses (at the start or end of an equation).
pub fn mn_plain(value: f64) -> String {
    format!("<mn>{}</mn>", sig(value, 4))
}

/// `<msub>` of an identifier with a subscript made of `sub` (raw MathML).
pub fn msub(base: &str, sub: &str) -> String {
    format!("<msub><mi>{base}</mi>{sub}</msub>")
}

/// A step subscript: `<mn>41</mn>`.
pub fn step_sub(n: u32) -> String {
    format!("<mn>{n}</mn>")
}

/// Reads a decimal number with the browser's parser (the link codec's `NumberRead`).
pub fn read(text: &str) -> Option<f64> {
    let value = js_sys::Number::from(wasm_bindgen::JsValue::from_str(text)).value_of();
    (!value.is_nan()).then_some(value)
}
