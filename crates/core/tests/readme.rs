//! The README is the contract course authors read: its link table and optimizer table must say what the
//! parser and the optimizers do. Read from README.md itself, so that either side drifting fails here.

use std::path::Path;
use steplab_core::link::{self, KEYS};
use steplab_core::presets::PRESETS;
use steplab_core::{Loss, OptimizerKind};

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).expect("README.md")
}

/// The rows of the markdown table whose header row starts with `| {first} |`.
fn table(text: &str, first: &str) -> Vec<Vec<String>> {
    let mut lines = text.lines().skip_while(|l| !l.starts_with(&format!("| {first} |"))).skip(2);
    let mut rows = Vec::new();
    for line in lines.by_ref() {
        if !line.starts_with('|') {
            break;
        }
        rows.push(line.trim_matches('|').split(" | ").map(|cell| cell.trim().to_owned()).collect());
    }
    rows
}

/// The names in backquotes in a cell: "`a`, `b`, `c`" → a, b, c.
fn quoted(cell: &str) -> Vec<String> {
    cell.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

#[test]
fn the_link_table_lists_every_key_the_parser_knows_and_no_other() {
    let text = readme();
    let rows = table(&text, "key");
    let mut listed: Vec<String> = rows.iter().flat_map(|row| quoted(&row[0])).collect();
    listed.sort();
    let mut known: Vec<String> = KEYS.iter().map(|k| k.to_string()).collect();
    known.sort();
    assert_eq!(listed, known);
    // Every loss and preset id it names exists, and every one that exists is named.
    let row = |key: &str| rows.iter().find(|r| quoted(&r[0]).contains(&key.to_owned())).expect(key).clone();
    let losses = quoted(&row("loss")[2]);
    for loss in Loss::ALL {
        assert!(losses.contains(&loss.id().to_owned()), "{} is missing from the link table", loss.id());
    }
    let presets = quoted(&row("preset")[2]);
    for preset in &PRESETS {
        assert!(presets.contains(&preset.id.to_owned()), "{} is missing from the link table", preset.id);
    }
    assert!(row("loss")[2].contains("`expr:"), "typed functions are documented");
    // What the table says of a few keys, checked against the parser.
    assert!(link::parse("overlay=1&loss=quadratic").notices.iter().any(|n| n.key == "overlay"));
    assert!(link::parse("view=-1,1,0,2&loss=ellipse").notices.is_empty());
}

/// The number written right after `after` in `text` ("`eps` 1e-6" → 1e-6).
fn number_after(text: &str, after: &str) -> Option<f64> {
    let rest = &text[text.find(after)? + after.len()..];
    let word: String = rest.trim_start().chars().take_while(|c| c.is_ascii_digit() || ".e-+".contains(*c)).collect();
    word.trim_end_matches(['.', ',']).parse().ok()
}

/// The two numbers of "[a, b]" right after `after`.
fn range_after(text: &str, after: &str) -> Option<(f64, f64)> {
    let rest = &text[text.find(after)? + after.len()..];
    let inside = rest.trim_start().strip_prefix('[')?.split(']').next()?;
    let (a, b) = inside.split_once(',')?;
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}

#[test]
fn the_optimizer_table_gives_every_hyperparameter_with_its_default() {
    let text = readme();
    let rows = table(&text, "optimizer");
    assert_eq!(rows.len(), OptimizerKind::ALL.len());
    for kind in OptimizerKind::ALL {
        let row = rows.iter().find(|r| r[0] == format!("`{}`", kind.id())).unwrap_or_else(|| panic!("{}", kind.id()));
        for spec in kind.params() {
            let said = number_after(&row[1], &format!("`{}`", spec.name));
            assert_eq!(said, Some(spec.default), "{}.{} in the README: {}", kind.id(), spec.name, row[1]);
        }
    }
}

#[test]
fn the_ranges_the_readme_states_are_the_ranges_in_force() {
    let text = readme().replace('\n', " ");
    for kind in OptimizerKind::ALL {
        for spec in kind.params() {
            let claim = match spec.name {
                "lr" => "Every `lr` lies in",
                "beta" | "decay" | "rho" | "b1" => "(`beta`, `decay`, `rho`, `b1`) in",
                "b2" => "`b2` in",
                "acc0" => "`acc0` in",
                "lr_decay" => "`lr_decay` in",
                _ => continue,
            };
            assert_eq!(range_after(&text, claim), Some((spec.min, spec.max)), "{}.{}", kind.id(), spec.name);
        }
    }
}
