//! The `steplab` binary as a user runs it: what it prints, what it writes and how it exits.

use std::path::PathBuf;
use std::process::{Command, Output};

const D2L_ADAGRAD: &str = "?loss=ellipse&x0=-5,-2&a=adagrad:lr=0.4,eps=0.000001,eps_in_sqrt=1";

fn steplab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steplab")).args(args).output().expect("the steplab binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 on stdout")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 on stderr")
}

/// A path in the system's temporary directory that no other test (or test run) uses.
fn temp_file(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("steplab-cli-{}-{name}", std::process::id()))
}

#[test]
fn trace_reproduces_d2l_adagrad_on_the_ellipse() {
    let output = steplab(&["trace", D2L_ADAGRAD, "--steps", "20"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "", "a clean link gives no notices");
    let text = stdout(&output);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("panel,n,x1,x2,loss,eff_lr1,eff_lr2,status"));
    assert_eq!(text.lines().count(), 1 + 3 * 21);
    let row: Vec<&str> = text.lines().find(|l| l.starts_with("a,20,")).expect("row a,20").split(',').collect();
    let (x1, x2): (f64, f64) = (row[2].parse().unwrap(), row[3].parse().unwrap());
    // d2l.ai prints (−2.382563, −0.158591).
    assert!((x1 + 2.382563).abs() <= 5e-7, "x1 = {x1}");
    assert!((x2 + 0.158591).abs() <= 5e-7, "x2 = {x2}");
    // Full precision, not six decimals.
    assert!(row[2].len() > 12, "{}", row[2]);
}

#[test]
fn trace_defaults_to_a_hundred_steps_of_csv() {
    let output = steplab(&["trace", "?loss=quadratic"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("panel,n,x1,loss,eff_lr1,status\na,0,4,16,"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("c,100,")), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("c,101,")));
}

#[test]
fn tiny_and_huge_numbers_are_printed_in_exponent_form_as_python_and_javascript_do() {
    // Adagrad on the seed converges to about 4e-94 by step 100: 94 zeros would be unreadable.
    let output = steplab(&["trace", ""]);
    let row = stdout(&output).lines().find(|l| l.starts_with("c,100,")).unwrap().to_owned();
    let x: Vec<&str> = row.split(',').collect();
    assert!(x[2].contains("e-"), "{row}");
    assert!(x[2].len() <= 24, "{row}");
    assert_eq!(x[2].parse::<f64>().ok().map(|v| v > 0.0 && v < 1e-80), Some(true), "{row}");
    // Diverging runs pass 1e21 before they stop: JavaScript's and Python's `1e+21` form.
    let output = steplab(&["trace", "?loss=quartic&x0=2&scale=1000&a=sgd:lr=1", "--steps", "4", "--format", "json"]);
    let text = stdout(&output);
    assert!(text.contains("e+"), "{text}");
    assert!(!text.contains("000000000000"), "{text}");
}

#[test]
fn trace_prints_json_on_request() {
    let output = steplab(&["trace", D2L_ADAGRAD, "--steps", "2", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("{\"query\":\"loss=ellipse&x0=-5,-2&a=adagrad:lr=0.4,eps=0.000001,eps_in_sqrt=1"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("]}"), "{text}");
    assert!(text.contains("{\"n\":2,\"x\":["), "{text}");
}

#[test]
fn too_many_steps_are_lowered_to_the_last_one_with_a_note() {
    let output = steplab(&["trace", "", "--steps=5000"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("steplab: note: --steps 5000 is more than 1000"), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.lines().any(|l| l.starts_with("b,1000,")));
    assert!(!text.lines().any(|l| l.starts_with("b,1001,")));
}

#[test]
fn notices_go_to_stderr_and_the_command_still_runs() {
    let output = steplab(&["trace", "?loss=quadratic&zzz=1&a=sgd:lr=1e9", "--steps", "1"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let errors = stderr(&output);
    let lines: Vec<&str> = errors.lines().collect();
    assert_eq!(
        lines,
        [
            "steplab: notice: a.lr: 1000000000 is outside the allowed range, so 100 was used.",
            "steplab: notice: “zzz” is not part of a Step Lab link and was ignored."
        ]
    );
    assert!(stdout(&output).contains("\na,1,"), "{}", stdout(&output));
}

#[test]
fn unusable_input_exits_with_2_and_says_why() {
    let cases: [(&[&str], &str); 9] = [
        (&["trace", "garbage"], "nothing in “garbage” is part of a Step Lab link"),
        (&["trace", "?loss=nope&a=warp"], "is part of a Step Lab link"),
        (&["trace"], "trace needs a query"),
        (&["trace", "", "--steps", "x"], "--steps must be a whole number"),
        (&["trace", "", "--steps", "-3"], "--steps must be a whole number"),
        (&["trace", "", "--steps"], "--steps needs a value"),
        (&["trace", "", "--format", "xml"], "--format must be csv or json"),
        (&["figure", "?loss=quadratic"], "figure needs --out"),
        (&["plot", "?loss=quadratic"], "unknown command “plot”"),
    ];
    for (args, message) in cases {
        let output = steplab(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains(message), "{args:?}: {}", stderr(&output));
        assert_eq!(stdout(&output), "", "{args:?}");
    }
}

#[test]
fn help_prints_usage_and_no_arguments_is_a_mistake() {
    let help = steplab(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("steplab trace \"<query>\" [--steps N] [--format csv|json]"), "{}", stdout(&help));
    assert!(stdout(&help).contains("steplab figure \"<query>\" --out FILE.svg [--steps N]"));
    let nothing = steplab(&[]);
    assert_eq!(nothing.status.code(), Some(2));
    assert!(stderr(&nothing).contains("Usage:"));
}

#[test]
fn figure_writes_an_svg_of_the_three_panels() {
    let path = temp_file("figure.svg");
    let output = steplab(&["figure", "?loss=quadratic&x0=4&a=sgd:lr=1.5&ta=Boom", "--out", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let svg = std::fs::read_to_string(&path).expect("the figure was written");
    std::fs::remove_file(&path).ok();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{svg}");
    assert_eq!(svg.matches("<polyline class=\"curve\"").count(), 3);
    assert!(svg.contains(">Boom</text>"));
    // Drawn at step 60 by default: the too-large rate diverged at step 18 (|4·(−2)¹⁸| > 1e6).
    assert!(svg.contains(">diverged at step 18: |x| &gt; 1e6</text>"), "{svg}");
    assert!(svg.contains("% of the way after 60 steps</text>"), "{svg}");
}

#[test]
fn figure_draws_the_step_asked_for() {
    let path = temp_file("step.svg");
    let output = steplab(&["figure", "", "--steps", "1", "--out", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let svg = std::fs::read_to_string(&path).expect("the figure was written");
    std::fs::remove_file(&path).ok();
    assert_eq!(svg.matches("after 1 step</text>").count(), 3, "{svg}");
}

#[test]
fn a_figure_that_cannot_be_written_exits_with_2() {
    let path = temp_file("no-such-dir").join("fig.svg");
    let output = steplab(&["figure", "", "--out", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot write"), "{}", stderr(&output));
}
