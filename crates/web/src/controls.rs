//! Each panel's settings as markup (the optimizer menu and a field per hyperparameter), and the mapping
//! between the log-scale sliders' positions and model values. Input handlers only report intent; the
//! session clamps and decides.

use crate::fmt::{self, short};
use steplab_core::{Optimizer, OptimizerKind, ParamScale};

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
            ParamScale::Linear | ParamScale::Log if name == "lr" => {
                html.push_str(&format!(
                    "<div class=\"row lr\"><span>lr</span><input type=\"range\" data-lr-slider min=\"0\" max=\"{}\" step=\"1\" value=\"{}\" aria-label=\"learning rate, log scale\"><input type=\"number\" data-param=\"lr\" min=\"{}\" max=\"{}\" step=\"any\" value=\"{}\" aria-label=\"learning rate\" title=\"{about}\"></div>",
                    LR_SLIDER_STEPS as u32,
                    lr_to_slider(value) as i32,
                    short(spec.min),
                    short(spec.max),
                    short(value)
                ));
            }
            ParamScale::Linear | ParamScale::Log => {
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
    }

    #[test]
    fn settings_have_a_field_per_hyperparameter() {
        let html = settings_html(&Optimizer::new(OptimizerKind::RmsProp));
        for name in ["lr", "decay", "eps", "eps_in_sqrt"] {
            assert!(html.contains(&format!("data-param=\"{name}\"")), "{name}");
        }
        assert!(html.contains("<option value=\"rmsprop\" selected>"));
    }
}
