//! The three runs of a lab as text for other tools: CSV for spreadsheets and plotting scripts, JSON for
//! programs. Numbers are printed by the caller's formatter, so the wasm build carries no float formatting;
//! JSON is written by hand (serde_json would bloat the wasm).

use crate::clock::MAX_STEP;
use crate::lab::{Lab, Scenario, PANELS};
use crate::link::{self, PANEL_KEYS};
use crate::num::{NumberFormat, Point};
use crate::run::Record;
use crate::sparse::SparseLab;
use std::borrow::Cow;
use std::fmt::Write;

/// Every panel's records from step 0 to `steps` (clamped to [`MAX_STEP`]) as CSV: a header
/// `panel,n,x1[,x2],loss,eff_lr1[,eff_lr2],status` (the second coordinates only for a 2-D loss), then
/// one row per panel (a, b, c) and step. A run that diverged stops at its last finite step.
pub fn csv(lab: &Lab, steps: u32, fmt: NumberFormat) -> String {
    let lab = advanced(lab, steps);
    let dim = lab.scenario().loss.dim();
    let mut out = String::with_capacity(64 * PANELS * (steps as usize + 1));
    out.push_str(if dim == 2 {
        "panel,n,x1,x2,loss,eff_lr1,eff_lr2,status\n"
    } else {
        "panel,n,x1,loss,eff_lr1,status\n"
    });
    for (panel, key) in PANEL_KEYS.iter().enumerate() {
        for record in records(&lab, panel, steps) {
            out.push_str(key);
            // Writing into a String cannot fail.
            let _ = write!(out, ",{}", record.n);
            for value in record.x[..dim].iter().chain([&record.loss]).chain(&record.effective_lr[..dim]) {
                out.push(',');
                // A quantity that is not defined there (a start where the loss has no value) is left empty.
                if value.is_finite() {
                    out.push_str(&fmt(*value));
                }
            }
            out.push(',');
            out.push_str(record.status.kind());
            out.push('\n');
        }
    }
    out
}

/// Every panel's records from step 0 to `steps` as one JSON object: `{"query", "loss", "panels": [{"id",
/// "title", "optimizer", "hyper", "steps": [{"n", "x", "loss", "gradient", "effective_lr", "step",
/// "status"}]}]}`. Vectors have one entry per coordinate of the loss.
pub fn json(lab: &Lab, steps: u32, fmt: NumberFormat) -> String {
    let lab = advanced(lab, steps);
    let scenario = lab.scenario();
    let dim = scenario.loss.dim();
    let mut out = String::with_capacity(256 * PANELS * (steps as usize + 1));
    out.push_str("{\"query\":");
    json_string(&mut out, &link::to_query(scenario, None, None, fmt));
    out.push_str(",\"loss\":");
    json_string(&mut out, &scenario.loss.id());
    out.push_str(",\"panels\":[");
    for (panel, spec) in scenario.panels.iter().enumerate() {
        if panel > 0 {
            out.push(',');
        }
        out.push_str("{\"id\":");
        json_string(&mut out, PANEL_KEYS[panel]);
        out.push_str(",\"title\":");
        json_string(&mut out, &spec.title(fmt));
        out.push_str(",\"optimizer\":");
        json_string(&mut out, spec.optimizer.kind().id());
        out.push_str(",\"hyper\":{");
        for (i, (param, value)) in spec.optimizer.params().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_string(&mut out, param.name);
            out.push(':');
            json_number(&mut out, value, fmt);
        }
        out.push_str("},\"steps\":[");
        for (i, record) in records(&lab, panel, steps).enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{{\"n\":{},\"x\":", record.n);
            json_point(&mut out, record.x, dim, fmt);
            out.push_str(",\"loss\":");
            json_number(&mut out, record.loss, fmt);
            out.push_str(",\"gradient\":");
            json_point(&mut out, record.gradient, dim, fmt);
            out.push_str(",\"effective_lr\":");
            json_point(&mut out, record.effective_lr, dim, fmt);
            out.push_str(",\"step\":");
            json_point(&mut out, record.step, dim, fmt);
            out.push_str(",\"status\":");
            json_string(&mut out, record.status.kind());
            out.push('}');
        }
        out.push_str("]}");
    }
    out.push_str("]}\n");
    out
}

/// The sparse lab's panels from example 0 to `steps` as CSV: `panel,n,loss,` then per feature i (1-based)
/// `w{i},g{i},acc{i},eff_lr{i},seen{i}` (the weight before the example, the gradient on it, the
/// optimizer's first accumulator, the effective rate, how many examples so far had the feature).
pub fn sparse_csv(lab: &SparseLab, steps: u32, fmt: NumberFormat) -> String {
    let lab = sparse_advanced(lab, steps);
    let features = lab.data().features;
    let mut out = String::with_capacity(48 * features * PANELS * (steps as usize + 1));
    out.push_str("panel,n,loss");
    for i in 1..=features {
        let _ = write!(out, ",w{i},g{i},acc{i},eff_lr{i},seen{i}");
    }
    out.push('\n');
    for (panel, key) in PANEL_KEYS.iter().enumerate() {
        for record in lab.run(panel).history().take_while(|r| r.n <= steps.min(MAX_STEP)) {
            let _ = write!(out, "{key},{},{}", record.n, fmt(record.loss));
            for i in 0..features {
                for value in [record.w[i], record.gradient[i], record.slots[0][i], record.effective_lr[i]] {
                    out.push(',');
                    out.push_str(&fmt(value));
                }
                let _ = write!(out, ",{}", record.seen[i]);
            }
            out.push('\n');
        }
    }
    out
}

/// The sparse lab as JSON: `{"query", "data": {"features", "shares", "weights", "label_noise", "seed",
/// "shift"}, "panels": [{"id", "title", "optimizer", "steps": [{"n", "loss", "w", "gradient",
/// "accumulator", "effective_lr", "seen"}]}]}`, vectors with one entry per feature.
pub fn sparse_json(lab: &SparseLab, scenario: &Scenario, steps: u32, fmt: NumberFormat) -> String {
    let lab = sparse_advanced(lab, steps);
    let data = lab.data();
    let features = data.features;
    let vector = |out: &mut String, values: &[f64]| {
        out.push('[');
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_number(out, *value, fmt);
        }
        out.push(']');
    };
    let mut out = String::with_capacity(128 * features * PANELS * (steps as usize + 1));
    out.push_str("{\"query\":");
    json_string(&mut out, &link::to_query(scenario, None, None, fmt));
    let _ = write!(out, ",\"data\":{{\"features\":{features},\"shares\":");
    vector(&mut out, &data.shares[..features]);
    out.push_str(",\"weights\":");
    vector(&mut out, &data.weights[..features]);
    out.push_str(",\"label_noise\":");
    json_number(&mut out, data.label_noise, fmt);
    let _ = write!(out, ",\"seed\":{},\"shift\":", data.seed);
    match data.shift_at {
        Some(shift) => {
            let _ = write!(out, "{shift}");
        }
        None => out.push_str("null"),
    }
    out.push_str("},\"panels\":[");
    for (panel, spec) in scenario.panels.iter().enumerate() {
        if panel > 0 {
            out.push(',');
        }
        out.push_str("{\"id\":");
        json_string(&mut out, PANEL_KEYS[panel]);
        out.push_str(",\"title\":");
        json_string(&mut out, &spec.title(fmt));
        out.push_str(",\"optimizer\":");
        json_string(&mut out, &link::optimizer_text(&spec.optimizer, fmt));
        out.push_str(",\"steps\":[");
        for (k, record) in lab.run(panel).history().take_while(|r| r.n <= steps.min(MAX_STEP)).enumerate() {
            if k > 0 {
                out.push(',');
            }
            let _ = write!(out, "{{\"n\":{},\"loss\":", record.n);
            json_number(&mut out, record.loss, fmt);
            for (name, values) in [
                ("w", &record.w),
                ("gradient", &record.gradient),
                ("accumulator", &record.slots[0]),
                ("effective_lr", &record.effective_lr),
            ] {
                let _ = write!(out, ",\"{name}\":");
                vector(&mut out, &values[..features]);
            }
            out.push_str(",\"seen\":[");
            for (i, seen) in record.seen[..features].iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{seen}");
            }
            out.push_str("]}");
        }
        out.push_str("]}");
    }
    out.push_str("]}\n");
    out
}

fn sparse_advanced(lab: &SparseLab, steps: u32) -> Cow<'_, SparseLab> {
    if lab.t() >= steps.min(MAX_STEP) {
        Cow::Borrowed(lab)
    } else {
        let mut copy = lab.clone();
        copy.seek(steps);
        Cow::Owned(copy)
    }
}

/// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
pub fn json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A number, or `null` where JSON has no number (records are finite, but this stays valid JSON anyway).
fn json_number(out: &mut String, value: f64, fmt: NumberFormat) {
    if value.is_finite() {
        out.push_str(&fmt(value));
    } else {
        out.push_str("null");
    }
}

fn json_point(out: &mut String, p: Point, dim: usize, fmt: NumberFormat) {
    out.push('[');
    for (i, &value) in p[..dim].iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_number(out, value, fmt);
    }
    out.push(']');
}

/// `lab` itself when its runs already reach `steps`, else a copy advanced that far.
fn advanced(lab: &Lab, steps: u32) -> Cow<'_, Lab> {
    if lab.t() >= steps.min(MAX_STEP) {
        Cow::Borrowed(lab)
    } else {
        let mut copy = lab.clone();
        copy.seek(steps);
        Cow::Owned(copy)
    }
}

fn records(lab: &Lab, panel: usize, steps: u32) -> impl Iterator<Item = &Record> {
    let steps = steps.min(MAX_STEP);
    lab.run(panel).history().take_while(move |record| record.n <= steps)
}
