//! Counting passed and failed tests from what the runners print: libtest's and
//! wasm-bindgen-test's `test result:` lines and the stats of Playwright's JSON report.

use std::fmt;
use std::ops::AddAssign;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
}

impl Counts {
    pub const ONE_PASSED: Counts = Counts { passed: 1, failed: 0 };
    pub const ONE_FAILED: Counts = Counts { passed: 0, failed: 1 };
}

impl AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} passed, {} failed", self.passed, self.failed)
    }
}

/// Reads `test result: ok. 3 passed; 0 failed; 1 ignored; ...`, the closing line of each test
/// binary under `cargo test` and of wasm-bindgen-test-runner.
pub fn libtest_result(line: &str) -> Option<Counts> {
    let line = without_ansi(line);
    let rest = line.trim_start().strip_prefix("test result:")?;
    let (_, fields) = rest.split_once('.')?;
    let mut passed = None;
    let mut failed = None;
    for field in fields.split(';') {
        let mut words = field.split_whitespace();
        match (words.next(), words.next()) {
            (Some(n), Some("passed")) => passed = n.parse().ok(),
            (Some(n), Some("failed")) => failed = n.parse().ok(),
            _ => {}
        }
    }
    Some(Counts { passed: passed?, failed: failed? })
}

/// Reads the top-level `stats` object of Playwright's JSON report. A flaky test (failed, then
/// passed on retry) counts as passed, as Playwright itself exits 0 for it.
pub fn playwright_stats(report: &str) -> Option<Counts> {
    // `stats` is the report's last top-level key and a flat object of numbers and one string.
    let key = report.rfind("\"stats\"")?;
    let open = key + report[key..].find('{')?;
    let close = open + report[open..].find('}')?;
    let stats = &report[open + 1..close];
    Some(Counts {
        passed: json_number(stats, "expected")? + json_number(stats, "flaky").unwrap_or(0),
        failed: json_number(stats, "unexpected")?,
    })
}

fn json_number(object: &str, key: &str) -> Option<u64> {
    let quoted = format!("\"{key}\"");
    let after = &object[object.find(&quoted)? + quoted.len()..];
    let value = after.trim_start().strip_prefix(':')?.trim_start();
    let digits = value.find(|c: char| !c.is_ascii_digit()).unwrap_or(value.len());
    value[..digits].parse().ok()
}

/// Drops terminal colour codes (`ESC [ ... letter`), which some runners print even into a pipe.
fn without_ansi(line: &str) -> String {
    let mut plain = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for code in chars.by_ref() {
                if code.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_passing_libtest_line() {
        let line = "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.03s";
        assert_eq!(libtest_result(line), Some(Counts { passed: 12, failed: 0 }));
    }

    #[test]
    fn reads_a_failing_libtest_line() {
        let line = "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.20s";
        assert_eq!(libtest_result(line), Some(Counts { passed: 3, failed: 2 }));
    }

    #[test]
    fn reads_a_coloured_wasm_bindgen_test_line() {
        let line =
            "test result: \u{1b}[32mok\u{1b}[0m. 4 passed; 0 failed; 0 ignored; 0 filtered out; finished in 0.05s";
        assert_eq!(libtest_result(line), Some(Counts { passed: 4, failed: 0 }));
    }

    #[test]
    fn ignores_other_lines() {
        assert_eq!(libtest_result("test optimizers::adam ... ok"), None);
        assert_eq!(libtest_result("running 3 tests"), None);
        assert_eq!(libtest_result("test result: garbled"), None);
    }

    #[test]
    fn reads_playwright_stats_at_the_end_of_the_report() {
        let report = r#"{"config":{},"suites":[{"specs":[{"tests":[{"status":"expected"}]}]}],"errors":[],
            "stats":{"startTime":"2026-11-29T10:00:00.000Z","duration":4242.5,"expected":5,"skipped":1,"unexpected":2,"flaky":1}}"#;
        assert_eq!(playwright_stats(report), Some(Counts { passed: 6, failed: 2 }));
    }

    #[test]
    fn a_report_without_stats_gives_nothing() {
        assert_eq!(playwright_stats(r#"{"suites":[]}"#), None);
    }

    #[test]
    fn counts_add_up_and_print_as_the_closing_line() {
        let mut total = Counts::ONE_PASSED;
        total += Counts::ONE_FAILED;
        total += Counts { passed: 10, failed: 0 };
        assert_eq!(total.to_string(), "11 passed, 1 failed");
    }
}
