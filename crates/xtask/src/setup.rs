//! Making a fresh machine ready: each tool is checked first and installed only when missing or
//! at the wrong version, with the installer's own output shown and the time it took.
//! Only package registries are reachable, so every tool comes from cargo, npm, rustup or apt.

use std::fs;
use std::path::Path;
use std::time::SystemTime;

use crate::pins;
use crate::shell::{run_ok, say, timed, Workspace};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
// Newer Trunk releases need a newer rustc than the workspace's 1.95.
const TRUNK_VERSION: &str = "0.21.14";
const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const MIN_NODE_MAJOR: u32 = 20;

/// What the tools are for: every purpose builds the page; only those that open it in a browser need
/// Chromium.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Serve,
    /// `cargo xtask dist`, and CI's Pages build: the page only.
    Dist,
    Test,
    /// The benchmark measures the built page in headless Chromium.
    Bench,
}

impl Purpose {
    fn needs_chromium(self) -> bool {
        matches!(self, Purpose::Test | Purpose::Bench)
    }
}

pub fn prepare(workspace: &Workspace, purpose: Purpose) -> Result<(), String> {
    say("checking tools (anything missing is installed once)");
    // Quick checks first, so a missing prerequisite shows before a long compile.
    check_node(workspace)?;
    ensure_wasm_target(workspace)?;
    ensure_npm_packages(workspace)?;
    if purpose.needs_chromium() {
        ensure_chromium(workspace)?;
    }
    ensure_wasm_bindgen(workspace)?;
    ensure_trunk(workspace)?;
    // Trunk.toml sets `offline = true`, which keeps cargo offline during trunk builds.
    run_ok(workspace.cargo().args(["fetch", "--locked"]))
}

fn check_node(workspace: &Workspace) -> Result<(), String> {
    let needed = format!("Node.js {MIN_NODE_MAJOR} or newer with npm is needed for wasm-opt and the browser tests");
    let version = workspace.version_of("node").ok_or_else(|| format!("{needed}, and `node` was not found"))?;
    let major = version.trim_start_matches('v').split('.').next().and_then(|major| major.parse::<u32>().ok());
    match major {
        Some(major) if major >= MIN_NODE_MAJOR => {}
        _ => return Err(format!("{needed}; this machine has node {version}")),
    }
    if workspace.version_of("npm").is_none() {
        return Err(format!("{needed}, and `npm` was not found"));
    }
    say(&format!("present: node {version}"));
    Ok(())
}

fn ensure_wasm_target(workspace: &Workspace) -> Result<(), String> {
    let output = workspace
        .command("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|err| format!("cannot run rustup (is Rust installed with rustup?): {err}"))?;
    let installed = String::from_utf8_lossy(&output.stdout);
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        say(&format!("present: Rust target {WASM_TARGET}"));
        return Ok(());
    }
    // RUSTUP_AUTO_INSTALL=0 on these machines: the target is never added behind our back.
    say(&format!("installing: Rust target {WASM_TARGET} (under a minute)"));
    timed(&format!("rustup target add {WASM_TARGET}"), || {
        run_ok(workspace.command("rustup").args(["target", "add", WASM_TARGET]))
    })
}

fn ensure_npm_packages(workspace: &Workspace) -> Result<(), String> {
    let tests = workspace.tests_dir();
    if npm_packages_current(&tests) {
        say("present: npm packages of tests/ (Playwright, binaryen's wasm-opt, esbuild)");
        return Ok(());
    }
    say("installing: npm packages of tests/ with `npm ci` (a few seconds; no browser download)");
    timed("npm ci", || run_ok(workspace.command("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&tests)))
}

/// npm writes node_modules/.package-lock.json on every install; if package-lock.json is newer,
/// someone changed the pins since.
fn npm_packages_current(tests: &Path) -> bool {
    let modified = |path: &Path| -> Option<SystemTime> { fs::metadata(path).ok()?.modified().ok() };
    let installed = modified(&tests.join("node_modules/.package-lock.json"));
    let wanted = modified(&tests.join("package-lock.json"));
    let tools_present = ["wasm-opt", "esbuild"].iter().all(|tool| tests.join("node_modules/.bin").join(tool).exists());
    match (installed, wanted) {
        (Some(installed), Some(wanted)) => tools_present && installed >= wanted,
        _ => false,
    }
}

fn ensure_chromium(workspace: &Workspace) -> Result<(), String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        say(&format!("present: {CHROMIUM} and {CHROMEDRIVER}"));
        return Ok(());
    }
    let install = "apt-get update && apt-get install -y chromium chromium-driver";
    if !is_root(workspace) {
        return Err(format!(
            "the browser tests and the benchmark need Debian's Chromium and ChromeDriver ({CHROMIUM}, \
             {CHROMEDRIVER}); install them as root with `sudo sh -c '{install}'`, then run this again"
        ));
    }
    say("installing: Debian's chromium and chromium-driver with apt-get (about 1 min)");
    timed("apt-get install chromium chromium-driver", || {
        run_ok(workspace.command("apt-get").arg("update"))?;
        run_ok(
            workspace
                .command("apt-get")
                .args(["install", "-y", "chromium", "chromium-driver"])
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )
    })
}

fn is_root(workspace: &Workspace) -> bool {
    workspace.command("id").arg("-u").output().is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

fn ensure_wasm_bindgen(workspace: &Workspace) -> Result<(), String> {
    let version = pinned_wasm_bindgen(&workspace.root)?;
    let wanted = format!("wasm-bindgen {version}");
    let found = workspace.version_of("wasm-bindgen");
    if found.as_deref() == Some(wanted.as_str()) {
        say(&format!("present: {wanted}"));
        return Ok(());
    }
    say(&format!(
        "installing: wasm-bindgen-cli {version} to match Cargo.lock{} (about 4 min on 2 cores)",
        replacing(found.as_deref())
    ));
    // Without --locked: the CLI's own lockfile names a crate version the registry no longer serves.
    timed(&format!("cargo install wasm-bindgen-cli {version}"), || {
        run_ok(workspace.cargo().args(["install", "wasm-bindgen-cli", "--version", &version]))
    })
}

/// The wasm-bindgen version of Cargo.lock, checked against Trunk.toml: if they differ, Trunk
/// tries to download its own CLI, which fails here with a less helpful message.
fn pinned_wasm_bindgen(root: &Path) -> Result<String, String> {
    let read = |name: &str| {
        fs::read_to_string(root.join(name)).map_err(|err| format!("cannot read {name} at the workspace root: {err}"))
    };
    let locked = pins::locked_version(&read("Cargo.lock")?, "wasm-bindgen")?;
    match pins::trunk_wasm_bindgen(&read("Trunk.toml")?) {
        Some(trunk) if trunk != locked => Err(format!(
            "Trunk.toml asks for wasm_bindgen = \"{trunk}\" but Cargo.lock has wasm-bindgen {locked}; \
             make them equal"
        )),
        _ => Ok(locked),
    }
}

fn ensure_trunk(workspace: &Workspace) -> Result<(), String> {
    let wanted = format!("trunk {TRUNK_VERSION}");
    let found = workspace.version_of("trunk");
    if found.as_deref() == Some(wanted.as_str()) {
        say(&format!("present: {wanted}"));
        return Ok(());
    }
    say(&format!("installing: {wanted}{} (10 to 12 min on 2 cores)", replacing(found.as_deref())));
    timed(&format!("cargo install trunk {TRUNK_VERSION}"), || {
        run_ok(
            workspace
                .cargo()
                .args(["install", "trunk", "--locked", "--version", TRUNK_VERSION])
                // Whole-program optimisation of a dev tool costs 7 of the 19 minutes and buys nothing.
                .env("CARGO_PROFILE_RELEASE_LTO", "false")
                .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"),
        )
    })
}

fn replacing(found: Option<&str>) -> String {
    found.map(|old| format!(", replacing {old}")).unwrap_or_default()
}
