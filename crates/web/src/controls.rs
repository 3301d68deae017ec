//! Each panel's settings as markup (the optimizer menu and a field per hyperparameter), and the mapping
//! between the log-scale sliders' positions and model values. Input handlers only report intent; the
//! session clamps and decides.

use crate::fmt::{self, short};
use steplab_core::lab::SparseSetup;
use steplab_core::sparse::Spread;
use steplab_core::{Optimizer, OptimizerKind, ParamScale, ParamSpec};

/// The learning-rate slider spans the whole valid range, 1e-6 to 100, on a log scale in this many steps.
pub const LR_SLIDER_STEPS: f64 = 1000.0;
const LR_LOG_MIN: f64 = -6.0;
const LR_LOG_SPAN: f64 = 8.0;
/// The name a settings field goes by when the reader edits the learning-rate slider.
pub const LR_SLIDER: &str = "lr-slider";

/// Slider position → learning rate, rounded to two significant digits so a dragged slider gives tidy
/// numbers (the number field beside it takes any exact value).
pub fn lr_from_slider(position: f64) -> f64 {
    round_sig(fmt::pow10(LR_LOG_MIN + LR_LOG_SPAN * position / LR_SLIDER_STEPS))
}

pub fn lr_to_slider(lr: f64) -> f64 {
    ((fmt::log10(lr) - LR_LOG_MIN) / LR_LOG_SPAN * LR_SLIDER_STEPS).round()
}

/// The sparse lab's data with the field `id` (one of its controls) set from the text typed there; a number
/// out of range is brought inside it, and a text that is no number changes nothing (`None`). An empty
/// shift field means no shift.
pub fn sparse_setup(current: SparseSetup, id: &str, text: &str) -> Option<SparseSetup> {
    let number = fmt::read(text.trim()).filter(|v| v.is_finite());
    let mut setup = current;
    match id {
        "sparse-features" => setup.features = steplab_core::clamp(number?.round(), 2.0, 8.0) as usize,
        "sparse-rare" => setup.rare_percent = steplab_core::clamp(number?, 0.1, 50.0),
        "sparse-spread" => setup.spread = Spread::from_id(text)?,
        "sparse-label-noise" => setup.label_noise = steplab_core::clamp(number?, 0.0, 10.0),
        "sparse-shift" if text.trim().is_empty() => setup.shift = None,
        "sparse-shift" => setup.shift = Some(steplab_core::clamp(number?.round(), 1.0, 1000.0) as u32),
        _ => return None,
    }
    Some(setup)
}

/// The speeds the phone's speed button cycles through, steps per second.
pub const SPEEDS: [f64; 6] = [0.5, 2.0, 4.0, 8.0, 16.0, 60.0];

/// The speed after `speed` on the speed button: the next one up, back to the slowest after the fastest.
pub fn next_speed(speed: f64) -> f64 {
    SPEEDS.into_iter().find(|&s| s > speed + 1e-9).unwrap_or(SPEEDS[0])
}

/// The speed slider: 0..100 ↦ 0.5..60 steps per second on a log scale.
pub fn speed_from_slider(position: f64) -> f64 {
    round_sig(0.5 * fmt::pow(120.0, position / 100.0))
}

pub fn speed_to_slider(speed: f64) -> f64 {
    (fmt::ln(speed / 0.5) / fmt::ln(120.0) * 100.0).round()
}

/// Two significant digits.
fn round_sig(value: f64) -> f64 {
    fmt::read(&fmt::compact(value, 2).replace('−', "-")).unwrap_or(value)
}

/// The settings of one panel: the optimizer menu, then a field per hyperparameter, each with the name
/// people read and the link's name beside it. Only static names and numbers go into this markup.
pub fn settings_html(optimizer: &Optimizer) -> String {
    let mut html = String::from("<label class=\"row\">Optimizer <select data-kind>");
    for kind in OptimizerKind::ALL {
        let selected = if kind == optimizer.kind() { " selected" } else { "" };
        html.push_str(&format!("<option value=\"{}\"{selected}>{}</option>", kind.id(), kind.name()));
    }
    html.push_str("</select></label>");
    for (spec, value) in optimizer.params() {
        let (name, label, about) = (spec.name, spec.label, spec.about);
        let names = format!("<span>{label} <code>{name}</code></span>");
        match spec.scale {
            ParamScale::Flag => {
                let checked = if value == 1.0 { " checked" } else { "" };
                html.push_str(&format!(
                    "<label class=\"row check\" title=\"{about}\"><input type=\"checkbox\" data-param=\"{name}\"{checked}> {names}</label>"
                ));
            }
            ParamScale::Linear | ParamScale::Log if name == "lr" => {
                html.push_str(&format!(
                    "<div class=\"row lr\" title=\"{about}\">{names}<input type=\"range\" data-lr-slider min=\"0\" max=\"{}\" step=\"1\" value=\"{}\" aria-label=\"learning rate, log scale\"><input type=\"number\" data-param=\"lr\" min=\"{}\" max=\"{}\" step=\"any\" value=\"{}\" aria-label=\"learning rate\"></div>",
                    LR_SLIDER_STEPS as u32,
                    lr_to_slider(value) as i32,
                    short(spec.min),
                    short(spec.max),
                    short(value)
                ));
            }
            ParamScale::Linear | ParamScale::Log => {
                html.push_str(&format!(
                    "<label class=\"row\" title=\"{about}\">{names}<input type=\"number\" data-param=\"{name}\" min=\"{}\" max=\"{}\" step=\"any\" value=\"{}\"></label>",
                    short(spec.min),
                    short(spec.max),
                    short(value)
                ));
            }
        }
    }
    if optimizer.kind() == OptimizerKind::Adadelta {
        html.push_str(
            "<p class=\"row note\">Adadelta sizes its steps itself; its lr only multiplies them (1 as published), \
             so it does not keep the learning rate the panel had.</p>",
        );
    }
    html
}

/// The value ↑ or ↓ gives a number field: on a log scale (learning rates, ε) a tenth of a decade, rounded
/// to two digits as the slider does (1, 1.3, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 7.9, 10), a whole decade with
/// Shift; on a linear scale a hundredth of the range, rounded to that step (a tenth with Shift). Within
/// the range either way.
pub fn stepped(spec: &ParamSpec, value: f64, up: bool, big: bool) -> f64 {
    let value = if value.is_finite() { value } else { spec.default };
    let next = match spec.scale {
        ParamScale::Log if value <= 0.0 => {
            if up {
                spec.min.max(1e-8)
            } else {
                value
            }
        }
        ParamScale::Log => {
            // On a grid of tenths of a decade, so that the values are the same whichever way one came.
            let tenths =
                (10.0 * fmt::log10(value)).round() + if big { 10.0 } else { 1.0 } * if up { 1.0 } else { -1.0 };
            round_sig(fmt::pow10(tenths / 10.0))
        }
        ParamScale::Linear | ParamScale::Flag => {
            let step = fmt::pow10((fmt::log10(spec.max - spec.min)).round() - if big { 1.0 } else { 2.0 });
            let steps = (value / step).round() + if up { 1.0 } else { -1.0 };
            if step < 1.0 {
                let per = (1.0 / step).round();
                steps / per
            } else {
                steps * step
            }
        }
    };
    spec.clamp(next).unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sliders_map_log_positions_to_tidy_values_and_back() {
        assert_eq!(lr_from_slider(750.0), 1.0);
        assert_eq!(lr_from_slider(0.0), 1e-6);
        assert_eq!(lr_from_slider(1000.0), 100.0);
        assert_eq!(lr_to_slider(1.0), 750.0);
        assert_eq!(speed_from_slider(100.0), 60.0);
        assert_eq!(speed_from_slider(0.0), 0.5);
        assert_eq!(speed_to_slider(8.0), 58.0);
        assert_eq!(next_speed(8.0), 16.0);
        assert_eq!(next_speed(10.0), 16.0, "a speed set on the slider goes to the next one up");
        assert_eq!(next_speed(60.0), 0.5, "round again");
        let setup = SparseSetup::default();
        assert_eq!(sparse_setup(setup, "sparse-features", "12").map(|s| s.features), Some(8));
        assert_eq!(sparse_setup(setup, "sparse-rare", "abc"), None);
        assert_eq!(sparse_setup(setup, "sparse-shift", "250").and_then(|s| s.shift), Some(250));
        assert_eq!(sparse_setup(setup, "sparse-shift", " ").map(|s| s.shift), Some(None));
        assert_eq!(sparse_setup(setup, "sparse-spread", "tail").map(|s| s.spread), Some(Spread::Tail));
    }

    #[test]
    fn arrow_keys_step_on_the_log_scale_as_the_slider_does() {
        let (_, lr) = OptimizerKind::Sgd.param("lr").unwrap();
        let mut value = 1.0;
        let mut seen = Vec::new();
        for _ in 0..10 {
            value = stepped(lr, value, true, false);
            seen.push(value);
        }
        assert_eq!(seen, [1.3, 1.6, 2.0, 2.5, 3.2, 4.0, 5.0, 6.3, 7.9, 10.0]);
        assert_eq!(stepped(lr, 0.05, false, true), 0.005);
        assert_eq!(stepped(lr, 100.0, true, false), 100.0, "no further than the range");
        let (_, beta) = OptimizerKind::Momentum.param("beta").unwrap();
        assert_eq!(stepped(beta, 0.9, true, false), 0.91);
        assert_eq!(stepped(beta, 0.9, false, true), 0.8);
        let (_, eps) = OptimizerKind::Adagrad.param("eps").unwrap();
        assert_eq!(stepped(eps, 0.0, true, false), 1e-8, "from 0 a log field starts somewhere");
    }

    #[test]
    fn settings_have_a_field_per_hyperparameter() {
        let html = settings_html(&Optimizer::new(OptimizerKind::RmsProp));
        for name in ["lr", "decay", "eps", "eps_in_sqrt"] {
            assert!(html.contains(&format!("data-param=\"{name}\"")), "{name}");
        }
        // People read "ε inside the root", with the link's name as a hint.
        assert!(html.contains("ε inside the root <code>eps_in_sqrt</code>"), "{html}");
        assert!(settings_html(&Optimizer::new(OptimizerKind::Adadelta)).contains("its lr only multiplies them"));
        assert!(html.contains("<option value=\"rmsprop\" selected>"));
    }
}
