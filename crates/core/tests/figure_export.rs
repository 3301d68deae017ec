//! The exports a user takes away: CSV and JSON trajectories (checked against d2l.ai's printed numbers and
//! read back with a strict JSON reader) and the triptych SVG (checked for what it shows and where).

use steplab_core::figure::{self, MARGIN, PANEL_COLOURS, PANEL_WIDTH, PLOT_BOTTOM, PLOT_TOP};
use steplab_core::{export, link, Lab, Scenario};

use steplab_core::num::print as shortest;

/// The lab a link describes, with its clock at `t`.
fn lab(query: &str, t: u32) -> Lab {
    let link = link::parse(query);
    assert!(link.notices.is_empty(), "{query}: {:?}", link.notices);
    let mut lab = Lab::new(link.scenario);
    lab.seek(t);
    lab
}

const D2L_ADAGRAD: &str = "?loss=ellipse&x0=-5,-2&a=adagrad:lr=0.4,eps=0.000001,eps_in_sqrt=1";
const DIVERGING: &str = "?loss=quadratic&x0=4&a=sgd:lr=1.5";

/// d2l.ai prints six decimals; we check to half a unit in the last one.
fn assert_d2l(actual: f64, printed: f64) {
    assert!((actual - printed).abs() <= 5e-7, "got {actual}, d2l.ai printed {printed}");
}

// --- CSV ---

#[test]
fn csv_has_one_column_per_coordinate_and_one_row_per_panel_and_step() {
    let one_d = export::csv(&lab("", 10), 10, &shortest);
    let lines: Vec<&str> = one_d.lines().collect();
    assert_eq!(lines[0], "panel,n,x1,loss,eff_lr1,status");
    assert_eq!(lines.len(), 1 + 3 * 11);
    assert!(lines[1].starts_with("a,0,4,"), "{}", lines[1]);
    assert!(lines[12].starts_with("b,0,"), "{}", lines[12]);
    assert!(lines[33].starts_with("c,10,"), "{}", lines[33]);
    assert!(lines[1..].iter().all(|l| l.split(',').count() == 6), "{one_d}");

    let two_d = export::csv(&lab(D2L_ADAGRAD, 10), 10, &shortest);
    let lines: Vec<&str> = two_d.lines().collect();
    assert_eq!(lines[0], "panel,n,x1,x2,loss,eff_lr1,eff_lr2,status");
    assert_eq!(lines.len(), 1 + 3 * 11);
    assert!(lines[1].starts_with("a,0,-5,-2,"), "{}", lines[1]);
    assert!(lines[1..].iter().all(|l| l.split(',').count() == 8), "{two_d}");
}

#[test]
fn csv_reproduces_d2l_adagrad_on_the_ellipse() {
    let text = export::csv(&lab(D2L_ADAGRAD, 20), 20, &shortest);
    let row = text.lines().find(|l| l.starts_with("a,20,")).expect("a row for step 20");
    let cells: Vec<&str> = row.split(',').collect();
    let x1: f64 = cells[2].parse().unwrap();
    let x2: f64 = cells[3].parse().unwrap();
    assert_d2l(x1, -2.382563);
    assert_d2l(x2, -0.158591);
    assert_eq!(cells[7], "running");
}

#[test]
fn csv_advances_a_lab_that_has_not_got_there_yet() {
    let at_zero = lab(D2L_ADAGRAD, 0);
    assert_eq!(export::csv(&at_zero, 20, &shortest), export::csv(&lab(D2L_ADAGRAD, 20), 20, &shortest));
    assert_eq!(at_zero.t(), 0, "the caller's lab is left as it was");
}

#[test]
fn a_diverging_panel_stops_at_its_last_finite_step() {
    // x_n = 4·(−2)ⁿ leaves ±1e6 at n = 18 (4·2¹⁸ ≈ 1.05e6), so the last finite step is 17.
    let text = export::csv(&lab(DIVERGING, 30), 30, &shortest);
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("a,")).collect();
    assert_eq!(rows.len(), 18);
    let last: Vec<&str> = rows[17].split(',').collect();
    assert_eq!((last[1], last[2], last[5]), ("17", "-524288", "diverged"));
    assert_eq!(text.lines().filter(|l| l.starts_with("b,")).count(), 31);
}

// --- JSON ---

/// A strict reader for the JSON we write (RFC 8259 without surrogate pairs): enough to prove the output
/// is valid and to read values back.
#[derive(Debug, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    fn get(&self, key: &str) -> &Json {
        match self {
            Json::Object(fields) => &fields.iter().find(|(k, _)| k == key).unwrap_or_else(|| panic!("no {key}")).1,
            other => panic!("not an object: {other:?}"),
        }
    }
    fn at(&self, index: usize) -> &Json {
        match self {
            Json::List(items) => &items[index],
            other => panic!("not a list: {other:?}"),
        }
    }
    fn len(&self) -> usize {
        match self {
            Json::List(items) => items.len(),
            other => panic!("not a list: {other:?}"),
        }
    }
    fn number(&self) -> f64 {
        match self {
            Json::Number(v) => *v,
            other => panic!("not a number: {other:?}"),
        }
    }
    fn text(&self) -> &str {
        match self {
            Json::Text(t) => t,
            other => panic!("not a string: {other:?}"),
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn parse(text: &str) -> Result<Json, String> {
        let mut reader = Reader { bytes: text.as_bytes(), at: 0 };
        let value = reader.value()?;
        reader.space();
        if reader.at != reader.bytes.len() {
            return Err(format!("trailing text at {}", reader.at));
        }
        Ok(value)
    }

    fn space(&mut self) {
        while matches!(self.bytes.get(self.at), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Result<(), String> {
        self.space();
        if self.bytes.get(self.at) == Some(&byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(format!("expected '{}' at {}", byte as char, self.at))
        }
    }

    fn value(&mut self) -> Result<Json, String> {
        self.space();
        match self.bytes.get(self.at) {
            Some(b'{') => {
                self.at += 1;
                let mut fields = Vec::new();
                self.space();
                if self.bytes.get(self.at) == Some(&b'}') {
                    self.at += 1;
                    return Ok(Json::Object(fields));
                }
                loop {
                    self.space();
                    let key = self.string()?;
                    self.eat(b':')?;
                    fields.push((key, self.value()?));
                    self.space();
                    match self.bytes.get(self.at) {
                        Some(b',') => self.at += 1,
                        Some(b'}') => {
                            self.at += 1;
                            return Ok(Json::Object(fields));
                        }
                        _ => return Err(format!("expected , or }} at {}", self.at)),
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.space();
                if self.bytes.get(self.at) == Some(&b']') {
                    self.at += 1;
                    return Ok(Json::List(items));
                }
                loop {
                    items.push(self.value()?);
                    self.space();
                    match self.bytes.get(self.at) {
                        Some(b',') => self.at += 1,
                        Some(b']') => {
                            self.at += 1;
                            return Ok(Json::List(items));
                        }
                        _ => return Err(format!("expected , or ] at {}", self.at)),
                    }
                }
            }
            Some(b'"') => self.string().map(Json::Text),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'n') => self.word("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(format!("unexpected byte at {}", self.at)),
        }
    }

    fn word(&mut self, word: &str, value: Json) -> Result<Json, String> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(format!("bad literal at {}", self.at))
        }
    }

    /// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    fn number(&mut self) -> Result<Json, String> {
        let start = self.at;
        let digits = |r: &mut Self| {
            let from = r.at;
            while r.bytes.get(r.at).is_some_and(u8::is_ascii_digit) {
                r.at += 1;
            }
            r.at - from
        };
        if self.bytes[self.at] == b'-' {
            self.at += 1;
        }
        let int_start = self.at;
        let int_digits = digits(self);
        if int_digits == 0 || (int_digits > 1 && self.bytes[int_start] == b'0') {
            return Err(format!("bad number at {start}"));
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if digits(self) == 0 {
                return Err(format!("bad fraction at {start}"));
            }
        }
        if matches!(self.bytes.get(self.at), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.bytes.get(self.at), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return Err(format!("bad exponent at {start}"));
            }
        }
        let text = std::str::from_utf8(&self.bytes[start..self.at]).unwrap();
        text.parse().map(Json::Number).map_err(|e| format!("{text}: {e}"))
    }

    fn string(&mut self) -> Result<String, String> {
        if self.bytes.get(self.at) != Some(&b'"') {
            return Err(format!("expected a string at {}", self.at));
        }
        self.at += 1;
        let mut out = Vec::new();
        loop {
            let byte = *self.bytes.get(self.at).ok_or("unterminated string")?;
            self.at += 1;
            match byte {
                b'"' => return String::from_utf8(out).map_err(|e| e.to_string()),
                b'\\' => {
                    let escape = *self.bytes.get(self.at).ok_or("unterminated escape")?;
                    self.at += 1;
                    match escape {
                        b'"' | b'\\' | b'/' => out.push(escape),
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex = std::str::from_utf8(self.bytes.get(self.at..self.at + 4).ok_or("short \\u")?)
                                .map_err(|e| e.to_string())?;
                            let code = u32::from_str_radix(hex, 16).map_err(|e| e.to_string())?;
                            let c = char::from_u32(code).ok_or("surrogate")?;
                            out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                            self.at += 4;
                        }
                        _ => return Err(format!("bad escape at {}", self.at)),
                    }
                }
                0..=0x1f => return Err(format!("raw control character in a string at {}", self.at)),
                _ => out.push(byte),
            }
        }
    }
}

#[test]
fn the_json_reader_refuses_what_json_refuses() {
    for bad in ["{\"a\":1,}", "[01]", "\"a\nb\"", "{\"a\" 1}", "[1.]", "[NaN]", "\"\\x\"", "[1] x"] {
        assert!(Reader::parse(bad).is_err(), "{bad:?} should be refused");
    }
    assert_eq!(
        Reader::parse("[-0.5e-3, \"\\u00e9\"]").unwrap(),
        Json::List(vec![Json::Number(-0.5e-3), Json::Text("é".into())])
    );
}

#[test]
fn json_is_valid_and_reproduces_d2l() {
    let text = export::json(&lab(D2L_ADAGRAD, 20), 20, &shortest);
    let json = Reader::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(json.get("loss").text(), "ellipse");
    // The query is a link that reproduces the scenario.
    assert_eq!(link::parse(json.get("query").text()).scenario, lab(D2L_ADAGRAD, 0).scenario().clone());
    let panels = json.get("panels");
    assert_eq!(panels.len(), 3);
    let a = panels.at(0);
    assert_eq!((a.get("id").text(), a.get("optimizer").text()), ("a", "adagrad"));
    assert_eq!(a.get("hyper").get("eps").number(), 1e-6);
    assert_eq!(a.get("steps").len(), 21);
    let last = a.get("steps").at(20);
    assert_eq!(last.get("n").number(), 20.0);
    assert_eq!(last.get("x").len(), 2);
    assert_d2l(last.get("x").at(0).number(), -2.382563);
    assert_d2l(last.get("x").at(1).number(), -0.158591);
    assert_eq!(last.get("status").text(), "running");

    let one_d = Reader::parse(&export::json(&lab("", 3), 3, &shortest)).unwrap();
    let first = one_d.get("panels").at(2).get("steps").at(0);
    assert_eq!(first.get("x").len(), 1, "a 1-D loss has one coordinate");
    // Adagrad's first step is exactly lr·sign(g) (lr 1.5 in the opening scenario).
    assert_eq!(first.get("step").at(0).number(), -1.5);
}

#[test]
fn json_escapes_user_titles() {
    let mut scenario = Scenario::seed();
    scenario.panels[1].title = "a\"b\\c<d>\nend\u{1}".to_owned();
    let text = export::json(&Lab::new(scenario), 2, &shortest);
    assert!(text.contains(r#""title":"a\"b\\c<d>\u000aend\u0001""#), "{text}");
    let json = Reader::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(json.get("panels").at(1).get("title").text(), "a\"b\\c<d>\nend\u{1}");
}

// --- SVG ---

/// Every coordinate in `svg`: the numbers in its geometry attributes.
fn coordinates(svg: &str) -> Vec<f64> {
    let mut out = Vec::new();
    for name in ["cx", "cy", "x", "y", "x1", "y1", "x2", "y2", "width", "height", "points", "d"] {
        let opening = format!(" {name}=\"");
        for (at, _) in svg.match_indices(&opening) {
            let value = svg[at + opening.len()..].split('"').next().unwrap_or("");
            let tokens = value.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-')).filter(|t| !t.is_empty());
            out.extend(tokens.map(|t| t.parse::<f64>().unwrap_or_else(|_| panic!("{name}=\"{value}\""))));
        }
    }
    out
}

#[test]
fn the_figure_shows_three_curves_titles_and_colours() {
    let mut scenario = Scenario::seed();
    scenario.panels[0].title = "a\"b\\c<d> & 'e'".to_owned();
    let mut lab = Lab::new(scenario);
    lab.seek(60);
    let svg = figure::triptych_svg(&lab, &shortest);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"420\""), "{svg}");
    assert!(svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg.matches("<polyline class=\"curve\"").count(), 3);
    assert!(svg.contains(">a&quot;b\\c&lt;d&gt; &amp; &apos;e&apos;</text>"), "{svg}");
    assert!(!svg.contains("<d>"));
    for colour in PANEL_COLOURS {
        assert!(svg.contains(colour), "{colour}");
    }
    assert_eq!(PANEL_COLOURS, ["#D55E00", "#0072B2", "#009E73"]);
    assert!(svg.contains(">Gradient descent · lr 2.5</text>"), "the caption");
    assert!(svg.contains(">Adagrad · lr 1.5 · eps 0</text>"), "the caption");
    assert!(svg.contains(">converged in 7 steps</text>"), "the status");
    assert!(svg.contains(">bouncing back and forth, never settling</text>"), "the status");
    // Opening and closing tags balance.
    assert_eq!(svg.matches("<g").count(), svg.matches("</g>").count());
    assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
}

#[test]
fn each_ball_is_drawn_where_the_model_puts_it() {
    let mut lab = Lab::new(Scenario::seed());
    lab.seek(60);
    let svg = figure::triptych_svg(&lab, &shortest);
    let objective = lab.scenario().objective();
    let view = objective.view();
    let plot_width = PANEL_WIDTH - 2.0 * MARGIN;
    for panel in 0..3 {
        let x = lab.shown(panel).x[0];
        let cx = PANEL_WIDTH * panel as f64 + MARGIN + (x - view.x.0) / (view.x.1 - view.x.0) * plot_width;
        let cy = PLOT_TOP + (view.y.1 - objective.value([x, 0.0])) / (view.y.1 - view.y.0) * (PLOT_BOTTOM - PLOT_TOP);
        let ball = format!("<circle class=\"ball\" cx=\"{}\" cy=\"{}\" r=\"7\"", figure::px(cx), figure::px(cy));
        assert!(svg.contains(&ball), "panel {panel}: {ball} not in\n{svg}");
    }
    // Adagrad has converged to the bottom of the bowl: the middle of the third panel, on the zero line.
    let zero_y = figure::px(PLOT_TOP + 4.3 / 4.55 * (PLOT_BOTTOM - PLOT_TOP));
    assert!(svg.contains(&format!("<circle class=\"ball\" cx=\"1000.0\" cy=\"{zero_y}\" r=\"7\"")), "{svg}");
}

#[test]
fn a_diverging_run_draws_nothing_absurd() {
    let svg = figure::triptych_svg(&lab(DIVERGING, 60), &shortest);
    let lower = svg.to_lowercase();
    assert!(!lower.contains("nan") && !lower.contains("inf"), "{svg}");
    assert!(svg.contains(">diverged at step 18: |x| &gt; 1e6</text>"), "{svg}");
    let coordinates = coordinates(&svg);
    assert!(coordinates.len() > 100, "{svg}");
    let worst = coordinates.iter().fold(0.0_f64, |worst, v| worst.max(v.abs()));
    assert!(worst <= 1200.0, "a coordinate of {worst}");
}

#[test]
fn a_two_dimensional_loss_draws_its_paths_in_the_plane() {
    let svg = figure::triptych_svg(&lab(D2L_ADAGRAD, 20), &shortest);
    assert_eq!(svg.matches("<polyline class=\"curve\"").count(), 0, "no loss curve in 2-D");
    assert_eq!(svg.matches("<rect class=\"frame\"").count(), 3);
    assert_eq!(svg.matches("<circle class=\"ball\"").count(), 3);
    assert!(!svg.to_lowercase().contains("nan"));
    // The ellipse's window is x1 ∈ [−6, 6], x2 ∈ [−3, 3]; the start (−5, −2) is 1/12 from the left and
    // 5/6 of the way down.
    let cx = figure::px(MARGIN + (PANEL_WIDTH - 2.0 * MARGIN) / 12.0);
    let cy = figure::px(PLOT_TOP + (PLOT_BOTTOM - PLOT_TOP) * 5.0 / 6.0);
    assert!(svg.contains(&format!("<circle class=\"start\" cx=\"{cx}\" cy=\"{cy}\"")), "{svg}");
    let coordinates = coordinates(&svg);
    assert!(coordinates.len() > 100, "{svg}");
    let worst = coordinates.iter().fold(0.0_f64, |worst, v| worst.max(v.abs()));
    assert!(worst <= 1200.0, "a coordinate of {worst}");
}
