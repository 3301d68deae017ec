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
    assert!(stdout(&help)
        .contains("steplab sweep \"<query>\" [--from A] [--to B] [--points P] [--steps N] [--format csv|json]"));
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

// The learning-rate sweep.

/// Gradient descent on x² (panels a and b) and Adagrad without ε (panel c), from x = 4.
const PARABOLA: &str = "?loss=quadratic&x0=4&a=sgd&b=sgd&c=adagrad:eps=0";

/// The rows of a sweep's CSV for one panel, split into cells.
fn rows<'a>(csv: &'a str, panel: &str) -> Vec<Vec<&'a str>> {
    csv.lines().skip(1).map(|l| l.split(',').collect::<Vec<_>>()).filter(|row| row[0] == panel).collect()
}

#[test]
fn sweep_finds_where_gradient_descent_on_a_parabola_diverges() {
    let output = steplab(&["sweep", PARABOLA]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "", "a clean link gives no notices");
    let text = stdout(&output);
    assert_eq!(text.lines().next(), Some("panel,lr,outcome,result,works,diverged_at"));
    // The default grid: 61 rates from 1e-4 to 100 per panel.
    assert_eq!(text.lines().count(), 1 + 3 * 61);
    let a = rows(&text, "a");
    assert_eq!(a.len(), 61);
    assert!(a.iter().all(|row| row.len() == 6), "{text}");
    assert_eq!((a[0][1], a[40][1], a[60][1]), ("0.0001", "1", "100"));
    // x ↦ (1 − 2·lr)·x: lr 1 bounces between ±4 with all of the loss left, anything larger diverges.
    let first = a.iter().position(|row| row[3] == "diverged").expect("a rate that diverges");
    let rate = |row: &Vec<&str>| row[1].parse::<f64>().unwrap();
    assert!(rate(&a[first]) > 1.0 && rate(&a[first - 1]) <= 1.0, "{:?} then {:?}", a[first - 1], a[first]);
    assert!(a[first..].iter().all(|row| row[3] == "diverged" && row[2].is_empty() && row[4] == "0"));
    assert_eq!(a[40], ["a", "1", "1", "left", "0", ""]);
    // It passed the bound within the horizon: a step is given, and the larger the rate, the sooner.
    let steps: Vec<u32> = a[first..].iter().map(|row| row[5].parse().expect("the step it diverged at")).collect();
    assert!(steps.windows(2).all(|w| w[1] <= w[0]) && steps[0] <= 100, "{steps:?}");
    // Rates just under 1 find the minimum (a millionth of the loss left); 1e-4 barely moves.
    assert_eq!(a[first - 2][4], "1", "{:?}", a[first - 2]);
    assert_eq!(a[0][3..5], ["left", "0"]);
    assert!(a[0][2].parse::<f64>().unwrap() > 0.9, "{:?}", a[0]);
    // The two gradient descent panels are the same optimizer: the same rows.
    let b = rows(&text, "b");
    assert!(a.iter().zip(&b).all(|(x, y)| x[1..] == y[1..]));
    // Adagrad without ε is not stopped by the rate that stops gradient descent.
    assert_eq!(rows(&text, "c")[first][3], "left");
}

/// The little JSON a test needs: the value of a whole document, or why it is not one.
#[derive(Debug, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    fn parse(text: &str) -> Result<Json, String> {
        let mut chars = text.trim_end().chars().peekable();
        let value = Json::value(&mut chars)?;
        match chars.next() {
            None => Ok(value),
            Some(c) => Err(format!("“{c}” after the value")),
        }
    }

    fn value(chars: &mut std::iter::Peekable<std::str::Chars>) -> Result<Json, String> {
        let first = chars.peek().copied();
        let mut word = |word: &str, value: Json| {
            let read: String = chars.by_ref().take(word.len()).collect();
            if read == word {
                Ok(value)
            } else {
                Err(format!("“{read}” is not {word}"))
            }
        };
        match first {
            Some('n') => word("null", Json::Null),
            Some('t') => word("true", Json::Bool(true)),
            Some('f') => word("false", Json::Bool(false)),
            Some('"') => Json::text(chars).map(Json::Text),
            Some('-' | '0'..='9') => {
                let mut number = String::new();
                while let Some(c) = chars.next_if(|c| c.is_ascii_digit() || "+-.eE".contains(*c)) {
                    number.push(c);
                }
                number.parse().map(Json::Number).map_err(|_| format!("“{number}” is not a number"))
            }
            Some('[') => {
                chars.next();
                let mut items = Vec::new();
                while chars.next_if_eq(&']').is_none() {
                    if !items.is_empty() && chars.next() != Some(',') {
                        return Err("no comma between items".to_owned());
                    }
                    items.push(Json::value(chars)?);
                }
                Ok(Json::Array(items))
            }
            Some('{') => {
                chars.next();
                let mut members = Vec::new();
                while chars.next_if_eq(&'}').is_none() {
                    if !members.is_empty() && chars.next() != Some(',') {
                        return Err("no comma between members".to_owned());
                    }
                    let key = Json::text(chars)?;
                    if chars.next() != Some(':') {
                        return Err(format!("no colon after “{key}”"));
                    }
                    members.push((key, Json::value(chars)?));
                }
                Ok(Json::Object(members))
            }
            other => Err(format!("{other:?} starts no value")),
        }
    }

    /// A string literal (the escapes the CLI writes: \" \\ \uXXXX).
    fn text(chars: &mut std::iter::Peekable<std::str::Chars>) -> Result<String, String> {
        if chars.next() != Some('"') {
            return Err("a string was expected".to_owned());
        }
        let mut text = String::new();
        loop {
            match chars.next().ok_or("an unterminated string")? {
                '"' => return Ok(text),
                '\\' => match chars.next() {
                    Some(c @ ('"' | '\\' | '/')) => text.push(c),
                    Some('u') => {
                        let hex: String = chars.by_ref().take(4).collect();
                        let code = u32::from_str_radix(&hex, 16).map_err(|_| "a bad \\u escape")?;
                        text.push(char::from_u32(code).ok_or("a bad \\u escape")?);
                    }
                    other => return Err(format!("the escape {other:?}")),
                },
                c if u32::from(c) < 0x20 => return Err("a control character in a string".to_owned()),
                c => text.push(c),
            }
        }
    }

    /// The member `key` of an object.
    fn get(&self, key: &str) -> &Json {
        match self {
            Json::Object(members) => &members.iter().find(|(k, _)| k == key).unwrap_or_else(|| panic!("no {key}")).1,
            _ => panic!("{self:?} is not an object"),
        }
    }

    fn items(&self) -> &[Json] {
        match self {
            Json::Array(items) => items,
            _ => panic!("{self:?} is not an array"),
        }
    }

    fn number(&self) -> f64 {
        match self {
            Json::Number(value) => *value,
            _ => panic!("{self:?} is not a number"),
        }
    }

    fn text_value(&self) -> &str {
        match self {
            Json::Text(text) => text,
            _ => panic!("{self:?} is not a string"),
        }
    }
}

#[test]
fn the_test_json_reader_refuses_what_is_not_json() {
    for bad in ["{\"a\":NaN}", "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\":1", "\"tab\there\"", "[Infinity]", "[1]]"] {
        assert!(Json::parse(bad).is_err(), "{bad}");
    }
    let good = Json::parse("{\"a\":[1e-7,-2.5,null,true,\"\\u00e9\\\"\"],\"b\":{}}\n").unwrap();
    assert_eq!(good.get("a").items()[4], Json::Text("é\"".to_owned()));
}

#[test]
fn sweep_prints_json_that_says_what_the_csv_says() {
    let output = steplab(&["sweep", PARABOLA, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let json = Json::parse(&text).unwrap_or_else(|why| panic!("{why}: {text}"));
    assert_eq!(json.get("horizon").number(), 100.0);
    assert_eq!(json.get("tolerance").number(), 1e-6);
    assert_eq!(json.get("query"), &Json::Text("loss=quadratic&x0=4&a=sgd&ta=&b=sgd&tb=&c=adagrad:eps=0&tc=".into()));
    let panels = json.get("panels").items();
    assert_eq!(panels.len(), 3);
    let ids: Vec<&Json> = panels.iter().map(|p| p.get("panel")).collect();
    assert_eq!(ids, [&Json::Text("a".into()), &Json::Text("b".into()), &Json::Text("c".into())]);
    assert_eq!(panels[2].get("optimizer"), &Json::Text("adagrad:eps=0".into()));
    // The optimizer as a link writes it, without the rate the sweep varies; the panel's own rate apart.
    let csv = stdout(&steplab(&["sweep", PARABOLA]));
    for (panel, key) in panels.iter().zip(["a", "b", "c"]) {
        let rates = panel.get("rates").items();
        let rows = rows(&csv, key);
        assert_eq!(rates.len(), rows.len());
        for (rate, row) in rates.iter().zip(&rows) {
            assert_eq!(rate.get("lr").number(), row[1].parse::<f64>().unwrap());
            let outcome = match row[2] {
                "" => Json::Null,
                share => Json::Number(share.parse().unwrap()),
            };
            assert_eq!(rate.get("outcome"), &outcome);
            assert_eq!(rate.get("result"), &Json::Text(row[3].to_owned()));
            assert_eq!(rate.get("works"), &Json::Bool(row[4] == "1"));
            let at = match row[5] {
                "" => Json::Null,
                step => Json::Number(step.parse().unwrap()),
            };
            assert_eq!(rate.get("diverged_at"), &at);
        }
        // The band: the widest run of neighbouring rates that work.
        let works: Vec<bool> = rows.iter().map(|row| row[4] == "1").collect();
        let band = panel.get("band").items();
        let first = rows.iter().position(|row| row[1].parse::<f64>().unwrap() == band[0].number()).unwrap();
        let last = rows.iter().position(|row| row[1].parse::<f64>().unwrap() == band[1].number()).unwrap();
        assert!(works[first..=last].iter().all(|w| *w), "{key}");
        let widest = works.split(|w| !w).map(<[bool]>::len).max().unwrap();
        assert_eq!(last - first + 1, widest, "{key}");
        // Ten rates a decade, each standing for one tenth of a decade.
        assert!((panel.get("band_decades").number() - widest as f64 / 10.0).abs() < 1e-9, "{key}");
    }
    // Gradient descent's band ends below 1, where x² stops shrinking.
    assert!(panels[0].get("band").items()[1].number() < 1.0);
    assert_eq!(panels[0].get("optimizer"), &Json::Text("sgd".into()));
    let own = |query: &str, panel: usize| {
        let text = stdout(&steplab(&["sweep", query, "--format", "json", "--points", "2"]));
        let json = Json::parse(&text).unwrap();
        let panel = &json.get("panels").items()[panel];
        (panel.get("optimizer").text_value().to_owned(), panel.get("lr").number())
    };
    assert_eq!(own("?c=adagrad:lr=0.7,eps=0", 2), ("adagrad:eps=0".to_owned(), 0.7));
}

#[test]
fn a_sweep_without_a_band_and_one_where_nothing_is_defined() {
    // From x = −1, √x has no value: every rate of every panel is undefined, and no panel has a band.
    let output = steplab(&["sweep", "?loss=expr:sqrt(x)&x0=-1", "--points", "3", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json = Json::parse(&stdout(&output)).unwrap();
    for panel in json.get("panels").items() {
        assert_eq!(panel.get("band"), &Json::Null);
        assert_eq!(panel.get("band_decades").number(), 0.0);
        assert!(panel.get("rates").items().iter().all(|r| r.get("result") == &Json::Text("undefined".into())));
    }
    let csv = stdout(&steplab(&["sweep", "?loss=expr:sqrt(x)&x0=-1", "--points", "3"]));
    assert!(csv.lines().skip(1).all(|l| l.ends_with(",,undefined,0,")), "{csv}");
}

#[test]
fn sweep_flags_override_the_links_rates_and_horizon() {
    let flags = ["--from", "0.01", "--to", "10", "--points", "31", "--steps", "50"];
    let output = steplab(&[&["sweep", PARABOLA][..], &flags].concat());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 1 + 3 * 31);
    let a = rows(&text, "a");
    assert_eq!((a[0][1], a[10][1], a[20][1], a[30][1]), ("0.01", "0.1", "1", "10"));
    // A shorter horizon leaves more of the loss at a slow rate than the default 100 steps do.
    let longer = stdout(&steplab(&["sweep", PARABOLA, "--from", "0.01", "--to", "10", "--points", "31"]));
    let left = |rows: &[Vec<&str>]| rows[0][2].parse::<f64>().unwrap();
    assert!(left(&a) > left(&rows(&longer, "a")), "{} vs {}", a[0][2], rows(&longer, "a")[0][2]);
    // Without flags, the link's own lrs and horizon are the defaults; flags win over them.
    let linked = format!("{PARABOLA}&lrs=0.01,10&horizon=50");
    assert_eq!(stdout(&steplab(&["sweep", &linked, "--points", "31"])), text);
    let overridden = steplab(&["sweep", &linked, "--points=31", "--steps=100", "--from=0.01"]);
    assert_eq!(stdout(&overridden), longer);
    // One flag of the range may be given alone; the other end is the link's.
    let from = stdout(&steplab(&["sweep", PARABOLA, "--from", "1", "--points", "3"]));
    assert_eq!(rows(&from, "a").iter().map(|row| row[1]).collect::<Vec<_>>(), ["1", "10", "100"]);
}

#[test]
fn bad_sweep_flags_exit_with_2_and_say_why() {
    let cases: [(&[&str], &str); 14] = [
        (&["sweep", PARABOLA, "--points", "0"], "--points must be a whole number from 2 to 1000, not “0”"),
        (&["sweep", PARABOLA, "--points", "1001"], "--points must be a whole number from 2 to 1000"),
        (&["sweep", PARABOLA, "--points", "2.5"], "--points must be a whole number"),
        (&["sweep", PARABOLA, "--from", "10", "--to", "1"], "the rates must span a decade or more"),
        (&["sweep", PARABOLA, "--from", "1", "--to", "5"], "not 1 to 5"),
        // The link's range is 1e-4 to 100: --from 50 alone leaves less than a decade.
        (&["sweep", PARABOLA, "--from", "50"], "not 50 to 100"),
        (&["sweep", PARABOLA, "--from", "0"], "--from must be a learning rate from 0.000001 to 100, not “0”"),
        (&["sweep", PARABOLA, "--to", "1e5"], "--to must be a learning rate from 0.000001 to 100"),
        (&["sweep", PARABOLA, "--from", "1e-8", "--to", "1"], "--from must be a learning rate from 0.000001 to 100"),
        (&["sweep", PARABOLA, "--to", "NaN"], "--to must be a learning rate"),
        (&["sweep", PARABOLA, "--steps", "5"], "--steps (the sweep's horizon) must be a whole number from 10 to 1000"),
        (&["sweep", PARABOLA, "--steps", "5000"], "from 10 to 1000, not “5000”"),
        (&["sweep", PARABOLA, "--out", "x.svg"], "sweep does not take --out"),
        (&["trace", PARABOLA, "--points", "3"], "trace does not take --points"),
    ];
    for (args, message) in cases {
        let output = steplab(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains(message), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains("Run `steplab --help` for usage."), "{args:?}");
        assert_eq!(stdout(&output), "", "{args:?}");
    }
    let output = steplab(&["sweep"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("sweep needs a query"), "{}", stderr(&output));
}

#[test]
fn sweep_reports_what_it_could_not_use_and_still_runs() {
    let output = steplab(&["sweep", "?loss=quadratic&zzz=1&lrs=5", "--points", "2"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let errors = stderr(&output);
    assert!(errors.contains("steplab: notice: lrs: “5” is not a range of rates"), "{errors}");
    assert!(errors.contains("steplab: notice: “zzz” is not part of a Step Lab link and was ignored."), "{errors}");
    // The default range was used.
    assert_eq!(rows(&stdout(&output), "a").iter().map(|row| row[1]).collect::<Vec<_>>(), ["0.0001", "100"]);
}

// Noise: the same link gives the same numbers, and its seed decides them.

#[test]
fn noise_and_its_seed_decide_a_trace() {
    let trace = |query: &str, format: &str| {
        let output = steplab(&["trace", query, "--format", format]);
        assert_eq!(output.status.code(), Some(0), "{query}: {}", stderr(&output));
        assert_eq!(stderr(&output), "", "{query}");
        stdout(&output)
    };
    for format in ["csv", "json"] {
        let noisy = trace("?loss=quadratic&noise=1&seed=3", format);
        assert_eq!(trace("?loss=quadratic&noise=1&seed=3", format), noisy, "the same seed, the same run");
        assert_ne!(trace("?loss=quadratic&noise=1&seed=4", format), noisy, "another seed, another run");
        let clean = trace("?loss=quadratic", format);
        assert_ne!(noisy, clean);
        assert_eq!(trace("?loss=quadratic&noise=0", format), clean, "σ = 0 is no noise");
        // A seed draws nothing without noise (the JSON's link keeps the seed that was chosen).
        let seeded = trace("?loss=quadratic&noise=0&seed=4", format);
        assert_eq!(seeded.replace("&seed=4", ""), clean, "a seed draws nothing without noise");
    }
    // The noise is in the gradients, not in the start: step 0 is the same, step 1 is not.
    let noisy = trace("?loss=quadratic&noise=1&seed=3", "csv");
    let clean = trace("?loss=quadratic", "csv");
    assert_eq!(noisy.lines().nth(1), clean.lines().nth(1));
    assert_ne!(noisy.lines().nth(2), clean.lines().nth(2));
    assert!(trace("?loss=quadratic&noise=1&seed=3", "json").contains("\"query\":\"loss=quadratic"));
    assert!(trace("?loss=quadratic&noise=1&seed=3", "json").contains("&noise=1&seed=3"), "the link keeps the noise");
}

#[test]
fn a_noisy_figure_is_the_same_every_time_and_not_the_noiseless_one() {
    let draw = |query: &str, name: &str| {
        let path = temp_file(name);
        let output = steplab(&["figure", query, "--out", path.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(0), "{query}: {}", stderr(&output));
        let svg = std::fs::read_to_string(&path).expect("the figure was written");
        std::fs::remove_file(&path).ok();
        assert!(svg.starts_with("<svg "), "{svg}");
        svg
    };
    let noisy = draw("?loss=quadratic&noise=1&seed=3", "noisy-1.svg");
    assert_eq!(draw("?loss=quadratic&noise=1&seed=3", "noisy-2.svg"), noisy);
    assert_ne!(draw("?loss=quadratic&noise=1&seed=4", "noisy-3.svg"), noisy);
    assert_ne!(draw("?loss=quadratic", "clean.svg"), noisy);
}

#[test]
fn a_noisy_sweep_depends_on_its_seed_and_nothing_else() {
    let sweep = |query: &str| {
        let output = steplab(&["sweep", query, "--points", "7"]);
        assert_eq!(output.status.code(), Some(0), "{query}: {}", stderr(&output));
        stdout(&output)
    };
    let noisy = sweep("?loss=quadratic&noise=1&seed=3");
    assert_eq!(sweep("?loss=quadratic&noise=1&seed=3"), noisy);
    assert_ne!(sweep("?loss=quadratic&noise=1&seed=4"), noisy);
    assert_ne!(sweep("?loss=quadratic"), noisy);
    assert_eq!(sweep("?loss=quadratic&noise=0"), sweep("?loss=quadratic"));
}

/// The sweep's limits are the rates every optimizer takes (1e-6 to 100): a link asking for more is told so
/// and gets the default range; the flags are refused (above); the top and the bottom rates are really run.
#[test]
fn a_sweep_runs_only_rates_the_optimizers_take() {
    let output = steplab(&["sweep", &format!("{PARABOLA}&lrs=1e-8,1")]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stderr(&output).contains("lrs:"), "{}", stderr(&output));
    let text = stdout(&output);
    let a = rows(&text, "a");
    assert_eq!((a[0][1], a.last().unwrap()[1]), ("0.0001", "100"));
    let output = steplab(&["sweep", PARABOLA, "--from", "1e-6", "--to", "100"]);
    let text = stdout(&output);
    let a = rows(&text, "a");
    assert_eq!(a[0][1], "0.000001");
    assert!(a[0][2].parse::<f64>().unwrap() > 0.99, "at 1e-6 nearly all of the loss is left: {:?}", a[0]);
    assert_eq!(a.last().unwrap()[3], "diverged", "{:?}", a.last());
}

/// The sparse-feature lab: trace prints the weights per feature, the same every run for a seed, and its
/// first rows follow the data (gradient descent from w = 0: the first gradient is −y on each active
/// feature); figure and sweep say they are for the triptych.
#[test]
fn trace_covers_the_sparse_lab() {
    let query = "?lab=sparse&features=3&rare=3&seed=5&a=sgd:lr=0.5";
    let output = steplab(&["trace", query, "--steps", "20"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("panel,n,loss,w1,g1,acc1,eff_lr1,seen1,w2,g2,acc2,eff_lr2,seen2,w3,g3,acc3,eff_lr3,seen3")
    );
    assert_eq!(text.lines().count(), 1 + 3 * 21);
    let first: Vec<&str> = text.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(&first[..2], ["a", "0"]);
    for feature in 0..3 {
        let (w, g, seen) = (first[3 + 5 * feature], first[4 + 5 * feature], first[7 + 5 * feature]);
        assert_eq!(w, "0", "all weights start at 0");
        // Active (seen once): the gradient is the residual, −y; inactive: 0.
        if seen == "1" {
            assert!(g.parse::<f64>().unwrap() != 0.0 || first[2] == "0");
        } else {
            assert_eq!(g, "0");
        }
    }
    assert_eq!(stdout(&steplab(&["trace", query, "--steps", "20"])), text, "the same data every time");
    assert_ne!(stdout(&steplab(&["trace", &query.replace("seed=5", "seed=6"), "--steps", "20"])), text);
    let json = stdout(&steplab(&["trace", query, "--steps", "5", "--format", "json"]));
    assert!(
        json.starts_with("{\"query\":") && json.contains("\"data\":{\"features\":3,\"shares\":[0.9,0.6,0.03]"),
        "{json}"
    );
    for command in ["figure", "sweep"] {
        let output = steplab(&[command, query, "--out", "x.svg"][..if command == "figure" { 4 } else { 2 }]);
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains("is for the triptych"), "{}", stderr(&output));
    }
}
