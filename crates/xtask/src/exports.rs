//! Part of Trunk's `post_build` hook: builds the export module (`crates/export`: the SVG figure, CSV and
//! JSON, which only a reader who exports needs) as a second wasm-bindgen module beside the page, named
//! after a hash of its content (`export-<hash>.js` and `export-<hash>_bg.wasm`), with the same tools and
//! settings as the page's own wasm. The boot script loads it the first time the reader exports
//! ([`loader`](crate::loader) writes that loader); every other visit does without its bytes.

use std::fs;
use std::path::{Path, PathBuf};

use crate::shell::{run_ok, Workspace};

const CRATE: &str = "steplab-export";
/// What wasm-bindgen calls the module's files.
const BINDGEN_NAME: &str = "steplab_export";

/// Builds the module into `dir`; returns the glue's file name and the two files' size in bytes.
pub fn write(dir: &Path, workspace: &Workspace) -> Result<(String, u64), String> {
    run_ok(workspace.cargo().args([
        "build",
        "--offline",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "--package",
        CRATE,
        "--features",
        "module",
    ]))?;
    let built = target_dir(workspace).join("wasm32-unknown-unknown/release").join(format!("{BINDGEN_NAME}.wasm"));
    let work = target_dir(workspace).join("export-module");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).map_err(|err| format!("cannot create {}: {err}", work.display()))?;
    run_ok(
        workspace
            .command("wasm-bindgen")
            .arg("--target")
            .arg("web")
            .arg("--no-typescript")
            .arg("--out-dir")
            .arg(&work)
            .arg(&built),
    )?;
    let bindgen_wasm = work.join(format!("{BINDGEN_NAME}_bg.wasm"));
    let optimized = work.join("optimized.wasm");
    // As Trunk runs it for the page's wasm (www/index.html's data-wasm-opt and its parameters).
    run_ok(
        workspace
            .command("wasm-opt")
            .args(["-Oz", "--converge", "--low-memory-unused", "--strip-producers"])
            .arg(&bindgen_wasm)
            .arg("-o")
            .arg(&optimized),
    )?;
    let read = |path: &Path| fs::read(path).map_err(|err| format!("cannot read {}: {err}", path.display()));
    let wasm = read(&optimized)?;
    let glue = String::from_utf8(read(&work.join(format!("{BINDGEN_NAME}.js")))?)
        .map_err(|_| "the export module's glue is not UTF-8".to_owned())?;
    let (name, glue) = named(&glue, &wasm)?;
    let wasm_name = format!("{}_bg.wasm", name.trim_end_matches(".js"));
    let write = |file: &str, bytes: &[u8]| {
        fs::write(dir.join(file), bytes).map_err(|err| format!("cannot write {file}: {err}"))
    };
    write(&wasm_name, &wasm)?;
    write(&name, glue.as_bytes())?;
    Ok((name, (wasm.len() + glue.len()) as u64))
}

fn target_dir(workspace: &Workspace) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace.root.join("target"), PathBuf::from)
}

/// The glue's file name after the module's content, and the glue with its default wasm path renamed to
/// match (the page lets the glue find its wasm beside itself).
fn named(glue: &str, wasm: &[u8]) -> Result<(String, String), String> {
    let default = format!("{BINDGEN_NAME}_bg.wasm");
    if !glue.contains(&default) {
        return Err(format!("the export module's glue does not name {default} (did wasm-bindgen change?)"));
    }
    // The entry point the boot script calls (built only with the crate's `module` feature).
    if !glue.contains("export function file(") {
        return Err("the export module has no `file` function: was it built without its `module` feature?".into());
    }
    let mut bytes = glue.as_bytes().to_vec();
    bytes.extend_from_slice(wasm);
    let name = format!("export-{:016x}", crate::loader::fnv1a(&bytes));
    Ok((format!("{name}.js"), glue.replace(&default, &format!("{name}_bg.wasm"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glue_is_named_after_the_module_and_finds_its_renamed_wasm() {
        let glue =
            "export function file(q, k, s) {}\nmodule_or_path = new URL('steplab_export_bg.wasm', import.meta.url);";
        let (name, renamed) = named(glue, b"\0asm").unwrap();
        assert!(name.starts_with("export-") && name.ends_with(".js"), "{name}");
        let wasm = name.replace(".js", "_bg.wasm");
        assert!(renamed.ends_with(&format!("module_or_path = new URL('{wasm}', import.meta.url);")), "{renamed}");
        assert_ne!(named(glue, b"\0asm\x01").unwrap().0, name, "another wasm, another name");
        assert!(named("no wasm here", b"").is_err());
        assert!(named("steplab_export_bg.wasm but no entry point", b"").is_err());
    }
}
