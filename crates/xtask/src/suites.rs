//! `cargo xtask test`: every suite runs even after another failed, each check (fmt, clippy, the
//! release build) counts as one test, and the run ends with the plain `N passed, N failed` line.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use crate::setup::CHROMEDRIVER;
use crate::shell::{describe, human_duration, run, run_watching_stdout, say, Workspace};
use crate::tally::{self, Counts};
use crate::{page, selfcontained};

/// Kept apart from `dist/`, which `cargo xtask serve` and `cargo xtask dist` build into.
const E2E_DIST: &str = "target/e2e-dist";
const PLAYWRIGHT_REPORT: &str = "tests/playwright-report/results.json";

struct Outcome {
    name: &'static str,
    counts: Counts,
    elapsed: Duration,
    note: Option<String>,
}

pub fn run_all(workspace: &Workspace) -> Counts {
    let mut outcomes = vec![
        check("rustfmt", workspace.cargo().args(["fmt", "--all", "--check"])),
        check(
            "clippy (native)",
            workspace.cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]),
        ),
        check(
            "clippy (wasm32)",
            workspace.cargo().args([
                "clippy",
                "-p",
                "steplab-core",
                "-p",
                "steplab-web",
                "--target",
                "wasm32-unknown-unknown",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        // The browser tests are only compiled by their own run; let a type error show up here, with the lints.
        check(
            "clippy (wasm32 browser tests)",
            workspace.cargo().args([
                "clippy",
                "-p",
                "steplab-web",
                "--target",
                "wasm32-unknown-unknown",
                "--tests",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        // The web crate's session, gestures and texts are plain Rust and tested natively too.
        libtest("cargo test (native)", workspace.cargo().args(["test", "--workspace"])),
        libtest(
            "wasm-bindgen tests (headless Chromium)",
            workspace
                .cargo()
                .args(["test", "-p", "steplab-web", "--target", "wasm32-unknown-unknown"])
                .env("CHROMEDRIVER", CHROMEDRIVER),
        ),
    ];
    let build = check("trunk build --release", &mut page::release_build(workspace, Path::new(E2E_DIST)));
    let built = build.counts.failed == 0;
    outcomes.push(build);
    if built {
        outcomes.push(no_float_text(workspace));
        outcomes.push(self_contained(workspace));
    }
    outcomes.push(if built {
        playwright(workspace)
    } else {
        Outcome {
            name: "Playwright (end to end)",
            counts: Counts::ONE_FAILED,
            elapsed: Duration::ZERO,
            note: Some("not run: the release build failed".into()),
        }
    });
    print_summary(&outcomes)
}

/// Rust's float formatting and parsing cost the page ~10 and ~15 KB gzipped, and a single `format!("{}", x)`
/// of an f64 (or an `f64::clamp`, whose panic message formats floats) brings them back unnoticed. The
/// release wasms (the page's and the export module's) keep their function names until wasm-bindgen strips
/// them, so look for them there.
fn no_float_text(workspace: &Workspace) -> Outcome {
    const NAME: &str = "no float formatting or parsing in the wasm";
    let started = Instant::now();
    say(&format!("== {NAME}"));
    // The page's wasm and the export module's (loaded on the first export).
    let release = workspace.root.join("target/wasm32-unknown-unknown/release");
    let mut problems = Vec::new();
    for wasm in ["steplab_web.wasm", "steplab_export.wasm"].map(|name| release.join(name)) {
        match fs::read(&wasm) {
            Ok(bytes) => {
                let found: Vec<&str> = ["flt2dec", "dec2flt"]
                    .into_iter()
                    .filter(|needle| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
                    .collect();
                if !found.is_empty() {
                    problems.push(format!(
                        "{} found in {}: some code formats or parses an f64 with Rust's own routines; \
                         use the browser's (crates/web/src/fmt.rs)",
                        found.join(" and "),
                        wasm.display()
                    ));
                }
            }
            Err(err) => problems.push(format!("cannot read {}: {err}", wasm.display())),
        }
    }
    let (counts, note) = if problems.is_empty() {
        (Counts::ONE_PASSED, None)
    } else {
        let note = problems.join("; ");
        say(&note);
        (Counts::ONE_FAILED, Some(note))
    };
    Outcome { name: NAME, counts, elapsed: started.elapsed(), note }
}

/// The check of `cargo xtask dist`, on the build the browser tests use: relative references to files that
/// exist, no other host, matching integrity hashes (selfcontained.rs).
fn self_contained(workspace: &Workspace) -> Outcome {
    const NAME: &str = "dist is self-contained";
    let started = Instant::now();
    println!();
    say(&format!("== {NAME}: {E2E_DIST}"));
    let dir = workspace.root.join(E2E_DIST);
    let mut verdict = selfcontained::verify(&dir);
    selfcontained::print_sizes(&verdict);
    verdict.problems.extend(crate::pictures::check(&dir));
    // As `cargo xtask dist` does: the precompressed copies, made in a scratch copy of the folder (the
    // browser tests keep theirs as Trunk built it) and checked against their originals.
    let scratch = workspace.root.join("target/precompress-check");
    let copied = fs::remove_dir_all(&scratch)
        .or_else(|err| if err.kind() == std::io::ErrorKind::NotFound { Ok(()) } else { Err(err) })
        .and_then(|()| fs::create_dir_all(&scratch))
        .and_then(|()| {
            for entry in fs::read_dir(&dir)?.flatten() {
                if entry.file_type()?.is_file() {
                    fs::copy(entry.path(), scratch.join(entry.file_name()))?;
                }
            }
            Ok(())
        });
    match copied.map_err(|err| err.to_string()).and_then(|()| crate::precompress::write(&scratch)) {
        Ok(_) => verdict.problems.extend(crate::precompress::check(&scratch)),
        Err(err) => verdict.problems.push(format!("cannot precompress a copy of {E2E_DIST}: {err}")),
    }
    let (counts, note) = if verdict.problems.is_empty() {
        (Counts::ONE_PASSED, None)
    } else {
        say(&verdict.summary(&dir));
        let first = &verdict.problems[0];
        let more = verdict.problems.len() - 1;
        let note = if more == 0 { first.clone() } else { format!("{first}; and {more} more above") };
        (Counts::ONE_FAILED, Some(note))
    };
    Outcome { name: NAME, counts, elapsed: started.elapsed(), note }
}

/// A command whose success is the whole result.
fn check(name: &'static str, command: &mut Command) -> Outcome {
    heading(name, command);
    let started = Instant::now();
    let (counts, note) = match run(command) {
        Ok(status) if status.success() => (Counts::ONE_PASSED, None),
        Ok(status) => (Counts::ONE_FAILED, Some(format!("exited with {status}"))),
        Err(err) => (Counts::ONE_FAILED, Some(err)),
    };
    Outcome { name, counts, elapsed: started.elapsed(), note }
}

/// `cargo test`-like commands: the sum of every test binary's `test result:` line.
fn libtest(name: &'static str, command: &mut Command) -> Outcome {
    heading(name, command);
    let started = Instant::now();
    let mut counts = Counts::default();
    let result = run_watching_stdout(command, |line| {
        if let Some(found) = tally::libtest_result(line) {
            counts += found;
        }
    });
    let note = not_counted_failure(&mut counts, result);
    Outcome { name, counts, elapsed: started.elapsed(), note }
}

fn playwright(workspace: &Workspace) -> Outcome {
    let name = "Playwright (end to end)";
    let report = workspace.root.join(PLAYWRIGHT_REPORT);
    // A report left from an earlier run must never be counted as this one.
    let _ = fs::remove_file(&report);
    let mut command = workspace.command(playwright_bin(workspace));
    command
        .arg("test")
        .current_dir(workspace.tests_dir())
        .env("STEPLAB_DIST", workspace.root.join(E2E_DIST))
        .env("STEPLAB_REPORT_JSON", &report);
    heading(name, &command);
    let started = Instant::now();
    let result = run(&mut command);
    let mut counts =
        fs::read_to_string(&report).ok().and_then(|text| tally::playwright_stats(&text)).unwrap_or_default();
    let mut note = not_counted_failure(&mut counts, result);
    if counts == Counts::default() && note.is_none() {
        note = Some(format!("no report at {}", report.display()));
        counts = Counts::ONE_FAILED;
    }
    Outcome { name, counts, elapsed: started.elapsed(), note }
}

fn playwright_bin(workspace: &Workspace) -> PathBuf {
    workspace.tests_dir().join("node_modules/.bin/playwright")
}

/// A runner that fails without reporting a failed test (a compile error, a crashed browser)
/// still fails the run: it counts as one failed test.
fn not_counted_failure(counts: &mut Counts, result: Result<ExitStatus, String>) -> Option<String> {
    let problem = match result {
        Ok(status) if status.success() => return None,
        Ok(status) => format!("exited with {status}"),
        Err(err) => err,
    };
    if counts.failed == 0 {
        *counts += Counts::ONE_FAILED;
        Some(format!("{problem} before any test failed"))
    } else {
        Some(problem)
    }
}

fn heading(name: &str, command: &Command) {
    println!();
    say(&format!("== {name}: {}", describe(command)));
}

fn print_summary(outcomes: &[Outcome]) -> Counts {
    println!();
    say("== summary");
    let mut total = Counts::default();
    for outcome in outcomes {
        let verdict = if outcome.counts.failed == 0 { "ok" } else { "FAILED" };
        let note = outcome.note.as_deref().map(|note| format!("  ({note})")).unwrap_or_default();
        println!(
            "  {verdict:<6} {:<40} {:>22}  {:>10}{note}",
            outcome.name,
            outcome.counts.to_string(),
            human_duration(outcome.elapsed)
        );
        total += outcome.counts;
    }
    total
}
