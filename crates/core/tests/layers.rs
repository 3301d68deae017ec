//! The core's modules form layers and never import in a circle: each module may use only modules of a
//! lower layer. The layers are listed once here and in lib.rs's doc comment; a `crate::` path in a
//! module's code (comments aside) that points sideways or up fails this test with the line.

use std::path::Path;

/// Lowest first. A module may use the modules of every layer before its own, and none of its own.
const LAYERS: &[&[&str]] = &[
    &["num"],
    &["expr", "noise", "optimizer"],
    &["loss"],
    &["run"],
    &["ensemble", "sparse", "sweep"],
    &["clock"],
    &["lab"],
    &["presets"],
    &["link"],
    &["export", "png", "surface"],
    &["figure"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The modules a line of code names with `crate::module`.
fn crate_paths(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let name: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if name.is_empty() {
            // `use crate::{a, b}`: every name in the braces.
            if let Some(inner) = after.strip_prefix('{').and_then(|s| s.split('}').next()) {
                for part in inner.split(',') {
                    let name: String =
                        part.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                    if !name.is_empty() {
                        found.push(name);
                    }
                }
            }
        } else {
            found.push(name);
        }
        rest = after;
    }
    found
}

#[test]
fn every_module_uses_only_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = Vec::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        if name != "lib" && path.extension().is_some_and(|e| e == "rs") {
            modules.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    assert!(modules.len() >= 12, "the core's modules were not found in {}", src.display());
    let mut problems = Vec::new();
    for (module, text) in &modules {
        let Some(own) = layer_of(module) else {
            problems.push(format!("{module}.rs is in no layer: add it to LAYERS and to lib.rs's doc comment"));
            continue;
        };
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for used in crate_paths(code) {
                match layer_of(&used) {
                    Some(layer) if layer < own => {}
                    // Re-exports at the crate root (`crate::clamp`) hide where a thing lives.
                    None => problems.push(format!("{module}.rs:{}: `crate::{used}` is not a module", number + 1)),
                    Some(_) => problems.push(format!(
                        "{module}.rs:{}: uses `{used}`, which is not in a lower layer than `{module}`",
                        number + 1
                    )),
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checker_sees_each_kind_of_path() {
    assert_eq!(crate_paths("use crate::loss::{Loss, LossFn};"), ["loss"]);
    assert_eq!(crate_paths("let v = crate::num::clamp(a, b, c) + crate::run::X;"), ["num", "run"]);
    assert_eq!(crate_paths("use crate::{lab, link};"), ["lab", "link"]);
    assert_eq!(crate_paths("let plain = 1;"), Vec::<String>::new());
}
