//! The controls' markup and the mapping between their positions and model values: each panel's
//! optimizer menu and hyperparameter fields, the log-scale learning-rate and speed sliders. Input handlers
//! only report intent; the model clamps and decides.

use crate::fmt::short;
// The browser's Math keeps libm's pow and log out of the wasm.
use js_sys::Math;
use steplab_core::{Optimizer, OptimizerKind, ParamScale};

/// The learning-rate slider spans the whole valid range, 1e-6 to 100, on a log scale in this many steps.
pub const LR_SLIDER_STEPS: f64 = 1000.0;
const LR_LOG_MIN: f64 = -6.0;
const LR_LOG_SPAN: f64 = 8.0;

/// Slider position → learning rate, rounded to two significant digits so a dragged slider gives tidy
/// numbers (the number field beside it takes any exact value).
pub fn lr_from_slider(position: f64) -> f64 {
    round_sig(Math::pow(10.0, LR_LOG_MIN + LR_LOG_SPAN * position / LR_SLIDER_STEPS))
}

pub fn lr_to_slider(lr: f64) -> f64 {
    ((Math::log10(lr) - LR_LOG_MIN) / LR_LOG_SPAN * LR_SLIDER_STEPS).round()
}

/// The speed slider: 0..100 ↦ 0.5..60 steps per second on a log scale.
pub fn speed_from_slider(position: f64) -> f64 {
    round_sig(0.5 * Math::pow(120.0, position / 100.0))
}

pub fn speed_to_slider(speed: f64) -> f64 {
    (Math::log(speed / 0.5) / Math::log(120.0) * 100.0).round()
}

/// Two significant digits.
fn round_sig(value: f64) -> f64 {
    js_sys::Number::from(value).to_precision(2).map(|s| js_sys::parse_float(&String::from(s))).unwrap_or(value)
}

/// The settings of one panel: the optimizer menu, then a field per hyperparameter. Only static names and
/// numbers go into this markup.
pub fn settings_html(optimizer: &Optimizer) -> String {
    let mut html = String::from("<label class=\"row\">Optimizer <select data-kind>");
    for kind in OptimizerKind::ALL {
        let selected = if kind == optimizer.kind() { " selected" } else { "" };
        html.push_str(&format!("<option value=\"{}\"{selected}>{}</option>", kind.id(), kind.name()));
    }
    html.push_str("</select></label>");
    for (spec, value) in optimizer.params() {
        let name = spec.name;
        let about = spec.about;
        match spec.scale {
            ParamScale::Flag => {
                let checked = if value == 1.0 { " checked" } else { "" };
                html.push_str(&format!(
                    "<label class=\"row check\" title=\"{about}\"><input type=\"checkbox\" data-param=\"{name}\"{checked}> {name}</label>"
                ));
            }
            _ if name == "lr" => {
                html.push_str(&format!(
                    "<div class=\"row lr\"><span>lr</span><input type=\"range\" data-lr-slider min=\"0\" max=\"{}\" step=\"1\" value=\"{}\" aria-label=\"learning rate, log scale\"><input type=\"number\" data-param=\"lr\" min=\"{}\" max=\"{}\" step=\"any\" value=\"{}\" aria-label=\"learning rate\" title=\"{about}\"></div>",
                    LR_SLIDER_STEPS as u32,
                    lr_to_slider(value) as i32,
                    short(spec.min),
                    short(spec.max),
                    short(value)
                ));
            }
            _ => {
                html.push_str(&format!(
                    "<label class=\"row\" title=\"{about}\"><span>{name}</span><input type=\"number\" data-param=\"{name}\" min=\"{}\" max=\"{}\" step=\"any\" value=\"{}\"></label>",
                    short(spec.min),
                    short(spec.max),
                    short(value)
                ));
            }
        }
    }
    html
}

/// A panel's optimizer switched to `kind`: its defaults, keeping the learning rate the reader chose
/// (Adadelta's lr is a multiplier that defaults to 1, so it starts from its own default).
pub fn switch_kind(current: &Optimizer, kind: OptimizerKind) -> Optimizer {
    let fresh = Optimizer::new(kind);
    if kind == OptimizerKind::Adadelta || current.kind() == OptimizerKind::Adadelta {
        return fresh;
    }
    fresh.with("lr", current.lr()).unwrap_or(fresh)
}

/// The optimizer with `name` set to the nearest valid value to `value`; unchanged for unknown names or NaN.
pub fn with_param(current: &Optimizer, name: &str, value: f64) -> Optimizer {
    let Some((_, spec)) = current.kind().param(name) else { return *current };
    match spec.clamp(value) {
        Some(valid) => current.with(name, valid).unwrap_or(*current),
        None => *current,
    }
}
