//! Versions the build depends on, read from the files that pin them: Cargo.lock for the
//! `wasm-bindgen` crate and Trunk.toml for the CLI Trunk expects. The two must agree, because
//! Trunk downloads a matching CLI when they differ and downloads fail on this project's machines.

/// The single locked version of `name` in a Cargo.lock text, or why there is not exactly one.
pub fn locked_version(lock: &str, name: &str) -> Result<String, String> {
    let versions: Vec<&str> = lock
        .split("[[package]]")
        .skip(1)
        .filter(|block| string_value(block, "name") == Some(name))
        .filter_map(|block| string_value(block, "version"))
        .collect();
    match versions.as_slice() {
        [version] => Ok((*version).to_string()),
        [] => Err(format!("Cargo.lock has no package `{name}`")),
        several => Err(format!(
            "Cargo.lock has several versions of `{name}` ({}); the CLI can match only one, so pin it with `=`",
            several.join(", ")
        )),
    }
}

/// The wasm-bindgen version Trunk.toml tells Trunk to use, if it names one.
pub fn trunk_wasm_bindgen(trunk_toml: &str) -> Option<&str> {
    string_value(trunk_toml, "wasm_bindgen")
}

/// The value of the first `key = "value"` line in a TOML fragment. Both files only need flat
/// string keys, which keeps xtask free of a TOML dependency.
fn string_value<'a>(toml: &'a str, key: &str) -> Option<&'a str> {
    toml.lines().find_map(|line| {
        let (left, right) = line.split_once('=')?;
        if left.trim() != key {
            return None;
        }
        right.trim().strip_prefix('"')?.split('"').next()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "cfg-if",
]
"#;

    #[test]
    fn finds_the_exact_package_not_one_with_a_longer_name() {
        assert_eq!(locked_version(LOCK, "wasm-bindgen"), Ok("0.2.130".into()));
    }

    #[test]
    fn a_missing_package_is_an_error_that_names_it() {
        let err = locked_version(LOCK, "trunk").unwrap_err();
        assert!(err.contains("`trunk`"), "{err}");
    }

    #[test]
    fn two_locked_versions_are_refused() {
        let lock = format!("{LOCK}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.99\"\n");
        let err = locked_version(&lock, "wasm-bindgen").unwrap_err();
        assert!(err.contains("0.2.130, 0.2.99"), "{err}");
    }

    #[test]
    fn reads_the_wasm_bindgen_pin_of_trunk_toml() {
        let trunk = "[build]\noffline = true\n\n[tools]\nwasm_bindgen = \"0.2.130\"\nwasm_opt = \"version_132\"\n";
        assert_eq!(trunk_wasm_bindgen(trunk), Some("0.2.130"));
        assert_eq!(trunk_wasm_bindgen("[build]\n"), None);
    }
}
