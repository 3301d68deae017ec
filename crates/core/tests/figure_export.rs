//! The exports a user takes away: CSV and JSON trajectories (checked against d2l.ai's printed numbers and
//! read back with a strict JSON reader) and the triptych SVG (checked for what it shows and where).

use steplab_core::figure::{self, MARGIN, PANEL_COLOURS, PANEL_WIDTH, PLOT_BOTTOM, PLOT_TOP};
use steplab_core::surface;
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
    scenario.panels[1].title = steplab_core::Title::Chosen("a\"b\\c<d>\nend\u{1}".to_owned());
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
            if name == "d" {
                out.extend(path_points(value).into_iter().flat_map(|(x, y)| [x, y]));
                continue;
            }
            let tokens = value.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-')).filter(|t| !t.is_empty());
            out.extend(tokens.map(|t| t.parse::<f64>().unwrap_or_else(|_| panic!("{name}=\"{value}\""))));
        }
    }
    out
}

#[test]
fn the_figure_shows_three_curves_titles_and_colours() {
    let mut scenario = Scenario::seed();
    scenario.panels[0].title = steplab_core::Title::Chosen("a\"b\\c<d> & 'e'".to_owned());
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

// --- SVG: heatmaps, contours, clipping, undefined regions ---

const LOG: &str = "?loss=expr:log(x)&x0=0.5&a=sgd:lr=1";

/// `svg` without the images' `data:` URLs, whose base64 may spell anything.
fn without_images(svg: &str) -> String {
    let mut out = String::new();
    let mut rest = svg;
    while let Some(at) = rest.find("href=\"data:") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        rest = &rest[rest[6..].find('"').map_or(rest.len(), |end| end + 7)..];
    }
    out + rest
}

/// Each panel's part of the figure, a to c.
fn panels(svg: &str) -> Vec<&str> {
    let parts: Vec<&str> = svg.split("<g class=\"panel\"").skip(1).collect();
    assert_eq!(parts.len(), 3, "{svg}");
    parts
}

/// The value of attribute `name` of the first element that starts with `opening` in `text`.
fn attr<'a>(text: &'a str, opening: &str, name: &str) -> &'a str {
    let element = &text[text.find(opening).unwrap_or_else(|| panic!("no {opening} in {text}"))..];
    let element =
        &element[..opening.len() + element[opening.len()..].find('>').unwrap_or(element.len() - opening.len())];
    let key = format!(" {name}=\"");
    let at = element.find(&key).unwrap_or_else(|| panic!("no {name} in {element}")) + key.len();
    &element[at..at + element[at..].find('"').unwrap()]
}

fn numbers(text: &str) -> Vec<f64> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter(|t| !t.is_empty())
        .map(|t| t.parse().unwrap_or_else(|_| panic!("{t:?} in {text:?}")))
        .collect()
}

/// The (x, y) pairs of a `points` list or of a path made of `M` and coordinate pairs.
fn pairs(text: &str) -> Vec<(f64, f64)> {
    numbers(text).chunks_exact(2).map(|p| (p[0], p[1])).collect()
}

/// The points of a path's `d` as SVG reads it, for the commands the figures write: `M` and a point (the
/// pairs after it are absolute too), `l` and steps from one point to the next (`M1,2l3-.5 .5,1M…`), and
/// the horizontal and vertical lines `H`, `h`, `V`, `v`.
/// Positions are added up in tenths, as they were written.
fn path_points(d: &str) -> Vec<(f64, f64)> {
    let mut points: Vec<(i64, i64)> = Vec::new();
    let mut numbers: Vec<i64> = Vec::new();
    let mut command = ' ';
    let mut flush = |command: char, numbers: &mut Vec<i64>| {
        let last = |points: &Vec<(i64, i64)>| *points.last().unwrap_or_else(|| panic!("{command} first in {d}"));
        if matches!(command, 'h' | 'H' | 'v' | 'V') {
            for &n in numbers.iter() {
                let (x, y) = last(&points);
                points.push(match command {
                    'h' => (x + n, y),
                    'H' => (n, y),
                    'v' => (x, y + n),
                    _ => (x, n),
                });
            }
        } else {
            assert!(numbers.len().is_multiple_of(2), "{d}");
            for pair in numbers.chunks_exact(2) {
                let at = match command {
                    'l' => {
                        let (x, y) = last(&points);
                        (x + pair[0], y + pair[1])
                    }
                    'M' | 'L' => (pair[0], pair[1]),
                    _ => panic!("{command} in {d}"),
                };
                points.push(at);
            }
        }
        numbers.clear();
    };
    let mut rest = d;
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_alphabetic() {
            flush(command, &mut numbers);
            command = c;
            rest = &rest[1..];
        } else if c == ',' || c == ' ' || c == '\n' {
            rest = &rest[1..];
        } else {
            let sign = usize::from(c == '-');
            let mut end = sign;
            let mut dot = false;
            for ch in rest[sign..].chars() {
                if ch.is_ascii_digit() || (ch == '.' && !dot) {
                    dot |= ch == '.';
                    end += 1;
                } else {
                    break;
                }
            }
            let value: f64 = rest[..end].parse().unwrap_or_else(|_| panic!("{:?} in {d}", &rest[..end]));
            numbers.push((value * 10.0).round() as i64);
            rest = &rest[end..];
        }
    }
    flush(command, &mut numbers);
    points.into_iter().map(|(x, y)| (x as f64 / 10.0, y as f64 / 10.0)).collect()
}

#[test]
fn paths_are_written_as_steps_that_add_up_to_the_points() {
    let svg = figure::plot_svg(&lab("?preset=himmelblau", 0), 0);
    let d = attr(&svg, "<path class=\"contours\"", "d");
    // Steps, written short: no `0.5`, no `3.0`.
    assert!(d.starts_with('M') && d.contains('l'), "{}", &d[..200]);
    assert!(![",0.", " 0.", "-0.", "l0.", ".0"].iter().any(|long| d.contains(long)), "{}", &d[..200]);
    assert_eq!(
        path_points("M1,2l3-.5 .5,1-2,-10M-4.5,0 1,1h2"),
        [(1.0, 2.0), (4.0, 1.5), (4.5, 2.5), (2.5, -7.5), (-4.5, 0.0), (1.0, 1.0), (3.0, 1.0)]
    );
    // The points are the simplified line's, rounded: a contour of the ellipse at its level.
    let ellipse = lab("?preset=ellipse", 0);
    let svg = figure::plot_svg(&ellipse, 0);
    let points = path_points(attr(&svg, "<path class=\"contours\"", "d"));
    assert!(points.len() > 100);
    let (view, objective) = (ellipse.scenario().view(), ellipse.scenario().objective());
    let (width, height) = (374.0, 187.0);
    let values: Vec<f64> = points
        .iter()
        .map(|&(x, y)| {
            objective
                .value([view.x.0 + x / width * (view.x.1 - view.x.0), view.y.1 - y / height * (view.y.1 - view.y.0)])
        })
        .collect();
    // Consecutive points of a line lie on the same level (within the rounding to a tenth of a unit).
    let close = values.windows(2).filter(|w| (w[0] - w[1]).abs() <= 0.05 * w[0].abs().max(w[1].abs()) + 1e-3).count();
    assert!(close * 10 >= values.len() * 9, "{close} of {}", values.len());
}

/// The plot rectangle of panel `panel`: left, top, right, bottom.
fn plot(panel: usize) -> (f64, f64, f64, f64) {
    let left = PANEL_WIDTH * panel as f64 + MARGIN;
    (left, PLOT_TOP, left + PANEL_WIDTH - 2.0 * MARGIN, PLOT_BOTTOM)
}

fn base64_decode(text: &str) -> Vec<u8> {
    const DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let text = text.trim_end_matches('=');
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes() {
        let digit = DIGITS.iter().position(|&d| d == c).unwrap_or_else(|| panic!("{:?} is not base64", c as char));
        bits = bits << 6 | digit as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// Reads a PNG as the figure writes it (8-bit RGB, zlib with stored blocks), checking every checksum:
/// its width, height and RGB bytes.
fn read_png(png: &[u8]) -> (u32, u32, Vec<u8>) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "the PNG signature");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let (mut at, mut size, mut zlib, mut ended) = (8, None, Vec::new(), false);
    while at < png.len() {
        let len = be(&png[at..]) as usize;
        let (kind, data) = (&png[at + 4..at + 8], &png[at + 8..at + 8 + len]);
        assert_eq!(be(&png[at + 8 + len..]), crc32(&png[at + 4..at + 8 + len]), "CRC of {kind:?}");
        match kind {
            b"IHDR" => {
                assert_eq!(&data[8..], &[8, 2, 0, 0, 0], "8-bit RGB, no interlace");
                size = Some((be(data), be(&data[4..])));
            }
            b"IDAT" => zlib.extend_from_slice(data),
            b"IEND" => ended = true,
            other => panic!("unexpected chunk {other:?}"),
        }
        at += 12 + len;
    }
    assert!(ended && at == png.len());
    let (width, height) = size.expect("an IHDR");
    assert_eq!((u16::from(zlib[0]) << 8 | u16::from(zlib[1])) % 31, 0, "zlib header check");
    let mut raw = Vec::new();
    let mut at = 2;
    loop {
        let header = zlib[at];
        assert_eq!(header & 6, 0, "a stored block");
        let len = u16::from_le_bytes([zlib[at + 1], zlib[at + 2]]);
        assert_eq!(!len, u16::from_le_bytes([zlib[at + 3], zlib[at + 4]]));
        raw.extend_from_slice(&zlib[at + 5..at + 5 + len as usize]);
        at += 5 + len as usize;
        if header & 1 == 1 {
            break;
        }
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    assert_eq!(&zlib[at..], &((b << 16) | a).to_be_bytes(), "Adler-32, and nothing after it");
    let row = 1 + 3 * width as usize;
    assert_eq!(raw.len(), row * height as usize);
    let mut rgb = Vec::new();
    for line in raw.chunks_exact(row) {
        assert_eq!(line[0], 0, "no filter");
        rgb.extend_from_slice(&line[1..]);
    }
    (width, height, rgb)
}

#[test]
fn the_test_decoders_read_known_values() {
    assert_eq!(base64_decode("TWFu"), b"Man");
    assert_eq!(base64_decode("Zm9vYmE="), b"fooba");
    assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
}

#[test]
fn two_d_panels_show_the_heatmap_as_an_embedded_png_over_the_plot() {
    for query in ["?preset=ellipse", "?preset=himmelblau"] {
        let lab = lab(query, 60);
        let svg = figure::triptych_svg(&lab, &shortest);
        assert!(svg.len() < 250_000, "{query}: {} bytes", svg.len());
        assert!(svg.contains("xmlns:xlink=\"http://www.w3.org/1999/xlink\""));
        // What the page draws in the light theme, without its one-pixel contour lines.
        let (width, height) = (123, 90);
        let mut expected = Vec::new();
        let style = surface::SurfaceStyle { dark: false, contours: 0 };
        surface::render(&lab.scenario().objective(), lab.scenario().view(), width, height, &style, &mut expected);
        let expected: Vec<u8> = expected.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
        for (panel, part) in panels(&svg).into_iter().enumerate() {
            assert_eq!(part.matches("<image").count(), 1, "{query}");
            let (left, top, right, bottom) = plot(panel);
            let place = ["x", "y", "width", "height"].map(|name| attr(part, "<image", name).parse::<f64>().unwrap());
            assert_eq!(place, [left, top, right - left, bottom - top], "{query}: the image fills the plot");
            assert_eq!(attr(part, "<image", "preserveAspectRatio"), "none");
            let href = attr(part, "<image", "xlink:href");
            let data = href.strip_prefix("data:image/png;base64,").unwrap_or_else(|| panic!("{}", &href[..40]));
            let (w, h, rgb) = read_png(&base64_decode(data));
            assert_eq!((w, h), (width as u32, height as u32), "{query}: about one pixel per 3 units");
            assert!(rgb == expected, "{query}: the image is the page's heatmap");
        }
    }
}

#[test]
fn two_d_panels_draw_contour_lines_on_the_pages_levels() {
    for query in ["?preset=ellipse", "?preset=himmelblau"] {
        let lab = lab(query, 60);
        let svg = figure::triptych_svg(&lab, &shortest);
        let objective = lab.scenario().objective();
        let view = lab.scenario().view();
        let mut rgba = Vec::new();
        let scale =
            surface::render(&objective, view, 123, 90, &surface::SurfaceStyle { dark: false, contours: 14 }, &mut rgba);
        assert_eq!(scale.contours, 14);
        for (panel, part) in panels(&svg).into_iter().enumerate() {
            let d = attr(part, "<path class=\"contours\"", "d");
            assert!(d.starts_with('M'), "{query}");
            let lines = d.matches('M').count();
            let points = path_points(d);
            assert!(lines >= 14 && points.len() > 300, "{query}: {lines} lines, {} points", points.len());
            assert!(part.find("<path class=\"contours\"") > part.find("<image"), "the lines over the heatmap");
            // Every point lies on one of the 14 levels: its place on the colour scale is k/15.
            let (left, top, right, bottom) = plot(panel);
            let mut on_levels = [0; 14];
            for &(x, y) in &points {
                assert!((left..=right).contains(&x) && (top..=bottom).contains(&y), "{query}: ({x}, {y})");
                let world = [
                    view.x.0 + (x - left) / (right - left) * (view.x.1 - view.x.0),
                    view.y.1 - (y - top) / (bottom - top) * (view.y.1 - view.y.0),
                ];
                let slot = scale.position(objective.value(world)) * 15.0;
                let k = slot.round();
                assert!((slot - k).abs() < 0.2 && (1.0..=14.0).contains(&k), "{query}: ({x}, {y}) at {slot}/15");
                on_levels[k as usize - 1] += 1;
            }
            assert!(on_levels.iter().all(|&n| n > 0), "{query}: every level drawn: {on_levels:?}");
        }
    }
}

#[test]
fn every_panel_clips_what_moves_to_its_plot() {
    for query in ["", D2L_ADAGRAD, DIVERGING, "?preset=himmelblau"] {
        let svg = figure::triptych_svg(&lab(query, 20), &shortest);
        assert_eq!(svg.matches("<g").count(), svg.matches("</g>").count());
        for (panel, part) in panels(&svg).into_iter().enumerate() {
            let id = ["a", "b", "c"][panel];
            let clip = format!("<clipPath id=\"clip-{id}\"><rect");
            let rect = ["x", "y", "width", "height"].map(|name| attr(part, &clip, name).parse::<f64>().unwrap());
            let (left, top, right, bottom) = plot(panel);
            let pad = if query.contains("ellipse") || query.contains("preset") { 0.0 } else { figure::CLIP_PAD_1D };
            assert_eq!(rect, [left - pad, top - pad, right - left + 2.0 * pad, bottom - top + 2.0 * pad], "{query}");
            let group = format!("<g clip-path=\"url(#clip-{id})\" class=\"moving\">");
            let opening = part.find(&group).unwrap_or_else(|| panic!("{query}: no {group}"));
            let status = part.find("<text class=\"status\"").unwrap();
            for element in
                ["<polyline class=\"trail\"", "<g class=\"dots\"", "<circle class=\"start\"", "<circle class=\"ball\""]
            {
                let at = part.find(element).unwrap_or_else(|| panic!("{query}: no {element}"));
                assert!(opening < at && at < status, "{query}: {element} is not clipped");
            }
            assert!(!part[..opening].contains("<circle"), "{query}");
            // A curve is clipped too (a pole's clamped ends stay out of the margins).
            let curve = part.find("<polyline class=\"curve\"").unwrap_or(0);
            assert!(curve == 0 || part[..curve].ends_with(&format!("<g clip-path=\"url(#clip-{id})\">\n")));
        }
    }
}

#[test]
fn a_diverging_trail_stays_near_its_panel_and_is_clipped() {
    let svg = figure::triptych_svg(&lab(DIVERGING, 20), &shortest);
    let a = panels(&svg)[0];
    assert!(a.contains("clip-path=\"url(#clip-a)\""));
    let rect = ["x", "y", "width", "height"]
        .map(|name| attr(a, "<clipPath id=\"clip-a\"><rect", name).parse::<f64>().unwrap());
    let trail = pairs(attr(a, "<polyline class=\"trail\"", "points"));
    assert_eq!(trail.len(), 18, "steps 0 to 17");
    let margin = figure::OVERSHOOT;
    for (x, y) in trail {
        assert!(rect[0] - margin <= x && x <= rect[0] + rect[2] + margin, "x {x}");
        assert!(rect[1] - margin <= y && y <= rect[1] + rect[3] + margin, "y {y}");
    }
    // The far points are off the window: only the clip keeps them out of panel b.
    assert!(pairs(attr(a, "<polyline class=\"trail\"", "points")).iter().any(|&(x, _)| x > rect[0] + rect[2]));
}

#[test]
fn a_curve_has_gaps_where_the_loss_is_undefined() {
    let svg = figure::triptych_svg(&lab(LOG, 5), &shortest);
    let lower = without_images(&svg).to_lowercase();
    assert!(!lower.contains("nan") && !lower.contains("inf"), "{svg}");
    for (panel, part) in panels(&svg).into_iter().enumerate() {
        let (left, top, right, _) = plot(panel);
        let zero = (left + right) / 2.0;
        assert_eq!(part.matches("<polyline class=\"curve\"").count(), 1, "log(x) is defined right of 0 only");
        let curve = pairs(attr(part, "<polyline class=\"curve\"", "points"));
        assert!(curve.len() > 150);
        // No point left of 0, nor where a NaN used to land (above the plot).
        assert!(curve.iter().all(|&(x, y)| x > zero && y > top - 1.0), "panel {panel}: {curve:?}");
    }
    // Two pieces where log(x² − 1) is defined: |x| > 1.
    let svg = figure::triptych_svg(&lab("?loss=expr:log(x^2-1)&x0=3", 0), &shortest);
    for part in panels(&svg) {
        assert_eq!(part.matches("<polyline class=\"curve\"").count(), 2, "{part}");
    }
}

#[test]
fn a_step_out_of_the_domain_ends_at_its_edge_with_a_cross() {
    let lab = lab(LOG, 5);
    let svg = figure::triptych_svg(&lab, &shortest);
    for (panel, part) in panels(&svg).into_iter().enumerate() {
        let shown = lab.shown(panel);
        assert!(
            matches!(
                shown.status,
                steplab_core::Status::Diverged { reason: steplab_core::DivergeReason::Undefined(_), .. }
            ),
            "{:?}",
            shown.status
        );
        assert!(part.contains("fill=\"#b3261e\" data-status=\"diverged\""), "the bad red");
        // The arrow, then the × at its tip, on the plot (the edge of log's domain is far below the window).
        assert!(part.contains("<g class=\"step\""));
        let tip = pairs(attr(part, "<polygon", "points"))[0];
        let cross = pairs(attr(part, "<path class=\"cross\"", "d"));
        assert_eq!(cross.len(), 4);
        let centre = ((cross[0].0 + cross[1].0) / 2.0, (cross[0].1 + cross[1].1) / 2.0);
        assert_eq!(centre, tip, "panel {panel}");
        let (left, top, right, bottom) = plot(panel);
        assert!(left <= tip.0 && tip.0 <= right && top <= tip.1 && tip.1 <= bottom, "{tip:?}");
        assert!(part.contains("<circle class=\"ball\""));
    }
}

#[test]
fn a_start_where_the_loss_is_undefined_has_a_crossed_ring_and_no_ball() {
    let lab = lab("?loss=expr:log(x)&x0=-2", 10);
    let svg = figure::triptych_svg(&lab, &shortest);
    let view = lab.scenario().view();
    let lower = without_images(&svg).to_lowercase();
    assert!(!lower.contains("nan") && !lower.contains("inf"), "{svg}");
    for (panel, part) in panels(&svg).into_iter().enumerate() {
        assert!(!part.contains("<circle class=\"ball\""), "{part}");
        assert!(!part.contains("<g class=\"step\""), "no arrow");
        assert_eq!(attr(part, "<polyline class=\"trail\"", "points"), "");
        let (left, _, right, bottom) = plot(panel);
        let cx: f64 = attr(part, "<circle class=\"start\"", "cx").parse().unwrap();
        let cy: f64 = attr(part, "<circle class=\"start\"", "cy").parse().unwrap();
        let x = left + (right - left) * (-2.0 - view.x.0) / (view.x.1 - view.x.0);
        assert_eq!((cx, cy), (figure::px(x).parse().unwrap(), bottom), "x = −2, on the bottom line");
        let cross = pairs(attr(part, "<path class=\"cross\"", "d"));
        assert_eq!(((cross[0].0 + cross[1].0) / 2.0, (cross[0].1 + cross[1].1) / 2.0), (cx, cy));
        assert!(part.contains("data-status=\"undefined\">cannot start"), "{part}");
    }
}

#[test]
fn a_two_dimensional_loss_with_undefined_regions_draws_cleanly() {
    let lab = lab("?loss=expr:log(x*y)&x0=2,1", 10);
    let svg = figure::triptych_svg(&lab, &shortest);
    let lower = without_images(&svg).to_lowercase();
    assert!(!lower.contains("nan") && !lower.contains("inf"), "{svg}");
    let coordinates = coordinates(&without_images(&svg));
    assert!(coordinates.iter().all(|v| v.abs() <= 1200.0));
    for part in panels(&svg) {
        let href = attr(part, "<image", "xlink:href");
        let (w, h, rgb) = read_png(&base64_decode(&href["data:image/png;base64,".len()..]));
        // x·y < 0 in the top-left and bottom-right quarters: the page's background shows there.
        let pixel = |i: u32, j: u32| &rgb[3 * (j * w + i) as usize..][..3];
        assert_eq!(pixel(w / 4, h / 4), &[255, 255, 255]);
        assert_ne!(pixel(3 * w / 4, h / 4), &[255, 255, 255]);
        assert!(path_points(attr(part, "<path class=\"contours\"", "d")).len() > 100);
    }
}

// --- The first picture (one panel's plot, shown by the page before its wasm starts) ---

#[test]
fn a_curves_first_picture_stretches_to_its_box_with_round_dots_and_the_ball_in_place() {
    let lab = Lab::new(Scenario::seed());
    let objective = lab.scenario().objective();
    let view = objective.view();
    let (w, h) = (figure::PICTURE_WIDTH, figure::PICTURE_HEIGHT);
    for (panel, colour) in PANEL_COLOURS.iter().enumerate() {
        let svg = figure::plot_svg(&lab, panel);
        assert!(svg.contains("preserveAspectRatio=\"none\""), "{svg}");
        // No background: the page's card shows through, light or dark. No text: the page writes it.
        assert!(!svg.contains("<rect width") && !svg.contains("<text"), "{svg}");
        // The page's margins: 8 at the sides, 10 above and below.
        assert_eq!(figure::PLOT_INSET, (8.0, 10.0));
        let x = lab.shown(panel).x[0];
        let cx = 8.0 + (x - view.x.0) / (view.x.1 - view.x.0) * (w - 16.0);
        let cy = 10.0 + (view.y.1 - objective.value([x, 0.0])) / (view.y.1 - view.y.0) * (h - 20.0);
        let ball = format!(
            "<path class=\"ball\" d=\"M{},{} h0\" stroke=\"{colour}\" stroke-linecap=\"round\" stroke-width=\"14.0\" \
             vector-effect=\"non-scaling-stroke\"/>",
            figure::px(cx),
            figure::px(cy)
        );
        assert!(svg.contains(&ball), "panel {panel}: {ball} not in\n{svg}");
        // Every stroke keeps its width when the picture is stretched.
        for element in ["<path class=\"curve\"", "<path class=\"axes\"", "<polyline class=\"trail\""] {
            let start = svg.find(element).unwrap_or_else(|| panic!("{element} in {svg}"));
            let tag = &svg[start..start + svg[start..].find('>').unwrap()];
            assert!(tag.contains("vector-effect=\"non-scaling-stroke\""), "{tag}");
        }
        if let Some(start) = svg.find("<g class=\"step\"><line") {
            let tag = &svg[start..start + svg[start..].find("/>").unwrap()];
            assert!(tag.contains("vector-effect=\"non-scaling-stroke\""), "{tag}");
        }
    }
}

#[test]
fn a_surfaces_first_picture_keeps_its_windows_proportions_and_draws_contours_without_a_heatmap() {
    let lab = lab("?preset=ellipse", 0);
    let view = lab.scenario().view();
    let svg = figure::plot_svg(&lab, 0);
    let aspect = (view.y.1 - view.y.0) / (view.x.1 - view.x.0);
    // The window alone, at its proportions: the page puts it inside its margins (www/style.css).
    let height = (figure::PICTURE_WIDTH - 16.0) * aspect;
    assert!(svg.contains(&format!("viewBox=\"0 0 374.0 {}\"", figure::px(height))), "{svg}");
    // The ball where the window puts it, with no margin added.
    let start = lab.shown(0).x;
    let (cx, cy) =
        ((start[0] - view.x.0) / (view.x.1 - view.x.0) * 374.0, (view.y.1 - start[1]) / (view.y.1 - view.y.0) * height);
    // At the page's size whatever the picture's scale: a round-capped dot whose width is kept.
    let ball = format!(
        "<path class=\"ball\" d=\"M{},{} h0\" stroke=\"{}\" stroke-linecap=\"round\" stroke-width=\"14.0\" \
         vector-effect=\"non-scaling-stroke\"/>",
        figure::px(cx),
        figure::px(cy),
        PANEL_COLOURS[0]
    );
    assert!(svg.contains(&ball), "{ball} not in {svg}");
    assert!(!svg.contains("preserveAspectRatio") && !svg.contains("<image"), "{svg}");
    assert!(svg.contains("<path class=\"contours\""), "{svg}");
}

#[test]
fn a_presets_three_pictures_share_one_file_each_shown_by_its_view_with_nothing_else_in_reach() {
    for (query, dim) in [("?preset=bounce", 1), ("?preset=ellipse", 2)] {
        let lab = lab(query, 0);
        let file = figure::plots_svg(&lab);
        assert!(file.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "), "{file}");
        // What the pictures draw alike is written once, in the first, and used by the others: the file
        // with each `<use>` replaced by what it uses is the three pictures as they are alone.
        let mut expanded = String::new();
        let mut uses = 0;
        for line in file.lines() {
            let line = match line.strip_prefix("<use href=\"#").and_then(|rest| rest.strip_suffix("\"/>")) {
                Some(id) => {
                    uses += 1;
                    let tag = format!(" id=\"{id}\"");
                    file.lines().find(|l| l.contains(&tag)).unwrap().replacen(&tag, "", 1)
                }
                None => line.replacen(" id=\"s0\"", "", 1).replacen(" id=\"s1\"", "", 1).replacen(" id=\"s2\"", "", 1),
            };
            expanded.push_str(&line);
            expanded.push('\n');
        }
        // The curve or the contours, and the axes or the frame, at least, are shared by the three.
        assert!(uses >= 4, "{query}: {uses} uses in\n{file}");
        // The loss's drawing (contours or curve) is in the file once: two copies fewer than the three alone.
        let alone: usize = (0..3).map(|p| figure::plot_svg(&lab, p).len()).sum();
        let first = figure::plot_svg(&lab, 0);
        let loss = first.lines().find(|l| l.contains("class=\"contours\"") || l.contains("class=\"curve\"")).unwrap();
        assert!(loss.len() > 300, "{query}: {loss}");
        // (The root element, the views and the pictures' places cost about 400 bytes.)
        assert!(
            file.len() + 2 * (loss.len() - 40) <= alone + 500,
            "{query}: {} bytes, the three alone {alone}",
            file.len()
        );
        let mut corners = Vec::new();
        for (panel, id) in ["a", "b", "c"].into_iter().enumerate() {
            // The view names a box …
            let tag = format!("<view id=\"{id}\" viewBox=\"");
            let start = file.find(&tag).unwrap_or_else(|| panic!("{tag} in {file}")) + tag.len();
            let view: Vec<f64> =
                file[start..start + file[start..].find('"').unwrap()].split(' ').map(|v| v.parse().unwrap()).collect();
            let (x, y, w, h) = (view[0], view[1], view[2], view[3]);
            // … where the panel's own picture lies, drawn exactly as on its own (stretched if a curve's).
            let alone = figure::plot_svg(&lab, panel);
            let body = &alone[alone.find(" viewBox").unwrap()..];
            let placed = format!("<svg x=\"{}\" y=\"{}\"{body}", figure::px(x), figure::px(y));
            assert!(expanded.contains(&placed), "panel {panel} at ({x}, {y}) in\n{expanded}");
            let end = start + file[start..].find("/>").unwrap();
            assert_eq!(file[start..end].contains("preserveAspectRatio=\"none\""), dim == 1, "{query} {id}");
            corners.push((x, y, w, h));
        }
        // However a view is letterboxed (a box up to 40 times wider than tall, or taller than wide), the
        // space around its picture holds no other picture: the pictures lie at least 40 sizes apart on
        // both axes.
        for (i, a) in corners.iter().enumerate() {
            for b in &corners[i + 1..] {
                let size = a.2.max(a.3);
                assert!((b.0 - a.0).abs() >= figure::PICTURE_SPACING * size, "{query}: {a:?} {b:?}");
                assert!((b.1 - a.1).abs() >= figure::PICTURE_SPACING * size, "{query}: {a:?} {b:?}");
            }
        }
    }
}
