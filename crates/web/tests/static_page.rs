//! The static page says, before the wasm runs, what the wasm will: the loss menu lists every loss the
//! core knows, in its order and with its names, the default link's formula is there already, and early.js knows every part a link can hide (it puts the
//! link's layout on the page before the first paint, so that nothing moves when the wasm applies it).
#![cfg(not(target_arch = "wasm32"))]

use steplab_core::link::Hide;
use steplab_core::Loss;

fn www(file: &str) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../www/").to_owned() + file;
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("cannot read {path}: {err}"))
}

/// The `value` and text of every `<option>` in `html`, in order.
fn options(html: &str) -> Vec<(String, String)> {
    html.split("<option value=\"")
        .skip(1)
        .map(|rest| {
            let (value, rest) = rest.split_once('"').expect("a quoted value");
            let text = rest.split_once('>').expect("an option's text").1.split_once("</option>").expect("closed").0;
            (value.to_owned(), text.to_owned())
        })
        .collect()
}

#[test]
fn the_loss_menu_lists_every_loss_by_dimension_then_your_own() {
    let html = www("index.html");
    let menu = html.split_once("<select id=\"loss\">").expect("the loss menu").1.split_once("</select>").unwrap().0;
    let mut expected: Vec<(String, String)> = Vec::new();
    for dim in [1, 2] {
        for loss in Loss::ALL.into_iter().filter(|loss| loss.dim() == dim) {
            expected.push((loss.id().to_owned(), loss.name().to_owned()));
        }
    }
    expected.push(("custom".to_owned(), "Your own function (type it)".to_owned()));
    assert_eq!(options(menu), expected);
    assert!(menu.contains("<optgroup label=\"1-D curves\">") && menu.contains("<optgroup label=\"2-D surfaces\">"));
    // The default link's loss is the one selected before the wasm runs.
    let default = steplab_core::Scenario::seed().loss.id();
    assert!(menu.contains(&format!("<option value=\"{default}\" selected>")), "{default} selected");
    // And its formula, as the wasm writes it.
    let formula = steplab_core::Scenario::seed().objective().formula(&steplab_web::fmt::short);
    assert!(html.contains(&format!("<span id=\"formula\" class=\"formula\">{formula}</span>")), "{formula}");
}

#[test]
fn early_js_knows_every_part_a_link_can_hide() {
    let script = www("early.js");
    let names = script.split_once("/^(controls").expect("early.js's list of parts").1.split_once(")$/").unwrap().0;
    let names = format!("controls{names}");
    assert_eq!(names.split('|').collect::<Vec<_>>(), Hide::NAMES);
}

#[test]
fn early_js_knows_the_presets_that_open_the_sparse_lab() {
    let script = www("early.js");
    let listed =
        script.split_once("/^(sparse|").map(|(_, rest)| format!("sparse|{}", rest.split_once(")$/").unwrap().0));
    let listed: Vec<String> =
        listed.expect("early.js's list of sparse presets").split('|').map(str::to_owned).collect();
    let sparse: Vec<String> = steplab_core::presets::PRESETS
        .iter()
        .filter(|preset| steplab_core::link::parse(preset.query).scenario.sparse.is_some())
        .map(|preset| preset.id.to_owned())
        .collect();
    assert_eq!(listed, sparse);
}
