//! The link grammar, a public contract (course pages keep old links): `?loss=<id>&x0=<x>[,<y>]&a=<opt>
//! &b=<opt>&c=<opt>&t=<step>&speed=<steps/s>&ta=<title>&tb=…&tc=…`, where `<opt>` is an optimizer id
//! alone or `id:key=value,key=value`. Parsing is total: any input gives a valid scenario plus a notice
//! for every value that was ignored or changed. Numbers are printed by a formatter the caller passes,
//! so the wasm build can use the browser's instead of carrying Rust's float formatting.

use crate::clock::{Ticker, MAX_STEP};
use crate::ensemble::{DEFAULT_RUNS, MAX_RUNS};
use crate::expr::Expr;
use crate::lab::{Scenario, SparseSetup, Title, PANELS};
use crate::loss::{CustomLoss, Loss, LossFn, Objective, CUSTOM_REACH};
use crate::noise::{Noise, MAX_SIGMA};
use crate::num::{clamp, NumberFormat, NumberRead, Point, View};
use crate::optimizer::{Optimizer, OptimizerKind};
use crate::presets;
use crate::run::DIVERGENCE_BOUND;
use crate::sparse::{Spread, MAX_FEATURES, MIN_FEATURES};
use crate::sweep::{SweepSpec, HORIZON_LIMITS, RATE_LIMITS};

/// The panel keys, in order.
pub const PANEL_KEYS: [&str; PANELS] = ["a", "b", "c"];
const TITLE_KEYS: [&str; PANELS] = ["ta", "tb", "tc"];

/// Every key of the grammar (the README's link table lists them all; a test checks).
pub const KEYS: [&str; 27] = [
    "preset",
    "loss",
    "scale",
    "view",
    "x0",
    "a",
    "b",
    "c",
    "ta",
    "tb",
    "tc",
    "t",
    "speed",
    "embed",
    "hide",
    "overlay",
    "noise",
    "seed",
    "runs",
    "horizon",
    "lrs",
    "lab",
    "features",
    "rare",
    "spread",
    "label_noise",
    "shift",
];

/// Longest title kept; longer ones are cut (with a notice).
pub const MAX_TITLE: usize = 40;
/// Longest piece of user text repeated inside a notice.
const MAX_ECHO: usize = 24;

/// A parsed link: the scenario and what else the link asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub scenario: Scenario,
    /// Open at this step, paused.
    pub t: Option<u32>,
    /// Steps per second.
    pub speed: Option<f64>,
    /// The preset the link started from, if any (its keys may have been overridden).
    pub preset: Option<&'static str>,
    /// `embed=1`: only the panels and what `hide` leaves, for an iframe in a course page.
    pub embed: bool,
    pub hide: Hide,
    /// `overlay=1`: a 2-D loss shows the three paths on one surface instead of three.
    pub overlay: bool,
    /// What was ignored or changed, in the order found.
    pub notices: Vec<Notice>,
}

/// Parts of the page a link can hide (`hide=controls,readouts,charts,explanation,sweep`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hide {
    pub controls: bool,
    pub readouts: bool,
    pub charts: bool,
    pub explanation: bool,
    /// The learning-rate sweep strip.
    pub sweep: bool,
}

impl Hide {
    /// The names in the grammar, in order.
    pub const NAMES: [&'static str; 5] = ["controls", "readouts", "charts", "explanation", "sweep"];

    pub fn get(&self, name: &str) -> bool {
        match name {
            "controls" => self.controls,
            "readouts" => self.readouts,
            "charts" => self.charts,
            "explanation" => self.explanation,
            "sweep" => self.sweep,
            _ => false,
        }
    }

    /// Sets a part by name; false for a name that is not a part.
    pub fn set(&mut self, name: &str, hidden: bool) -> bool {
        let slot = match name {
            "controls" => &mut self.controls,
            "readouts" => &mut self.readouts,
            "charts" => &mut self.charts,
            "explanation" => &mut self.explanation,
            "sweep" => &mut self.sweep,
            _ => return false,
        };
        *slot = hidden;
        true
    }

    /// `controls,charts` (empty when nothing is hidden).
    pub fn text(&self) -> String {
        Hide::NAMES.iter().filter(|name| self.get(name)).copied().collect::<Vec<_>>().join(",")
    }
}

/// Something in a link that was not used as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// The key it was found under (shortened if absurdly long).
    pub key: String,
    pub kind: NoticeKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NoticeKind {
    /// A key this version does not know; ignored.
    UnknownKey,
    /// The same key twice; the first one counts.
    Duplicate,
    /// Not a number (or not the right count of numbers); `used` instead.
    NotANumber { text: String, used: Used },
    /// Out of range; clamped to `to`.
    Clamped { from: f64, to: f64 },
    /// A count or a seed that is not a whole number; rounded to `to`.
    Rounded { from: f64, to: f64 },
    /// An id or a word that names nothing; `used` instead.
    UnknownId { text: String, used: Used },
    /// An optimizer has no hyperparameter by this name; ignored.
    UnknownParam { optimizer: &'static str, name: String },
    /// A title cut to [`MAX_TITLE`] characters.
    TitleCut,
    /// `loss=expr:…` that does not parse (the parser's message, with the position); `used` instead.
    BadExpression { message: String, used: String },
    /// `view=…` that is not a usable window.
    BadView { text: String },
    /// `x0` with more coordinates than the loss has: the extra one was ignored.
    ExtraCoordinate { ignored: f64 },
    /// `x0` with one coordinate for a surface: the second kept this value.
    MissingCoordinate { kept: f64 },
    /// A key that means something only for a surface, given with a curve; ignored.
    SurfaceOnly,
    /// `lrs=…` that is not a range of learning rates; the default range was used.
    BadRange { text: String },
    /// A key of the sparse-feature lab, given without `lab=sparse`; ignored.
    SparseOnly,
}

/// What a link got instead of a value it could not use, for the notice to say.
#[derive(Clone, Debug, PartialEq)]
pub enum Used {
    /// Nothing was used: the key was left out.
    Nothing,
    /// This number, and what it is ("this panel's default", "Adam's default", "").
    Number(f64, &'static str),
    /// This start (its coordinates, as many as the loss has).
    Start(Point, usize),
    /// These words (an id, "off").
    Words(String),
    /// This optimizer (the panel's default).
    Optimizer(Optimizer),
}

impl Used {
    fn text(&self, fmt: NumberFormat) -> String {
        match self {
            Used::Nothing => "it was left out".to_owned(),
            Used::Number(value, "") => format!("{} was used", fmt(*value)),
            Used::Number(value, what) => format!("{} ({what}) was used", fmt(*value)),
            Used::Start(p, 1) => format!("the default start, {}, was used", fmt(p[0])),
            Used::Start(p, _) => format!("the default start, ({}, {}), was used", fmt(p[0]), fmt(p[1])),
            Used::Words(words) => format!("{words} was used"),
            Used::Optimizer(optimizer) => format!("this panel's default, {}, was used", optimizer_text(optimizer, fmt)),
        }
    }
}

impl Notice {
    fn new(key: &str, kind: NoticeKind) -> Notice {
        Notice { key: echo(key), kind }
    }

    /// The notice in one sentence for the page or stderr.
    pub fn text(&self, fmt: NumberFormat) -> String {
        let key = &self.key;
        match &self.kind {
            NoticeKind::UnknownKey => format!("“{key}” is not part of a Step Lab link and was ignored."),
            NoticeKind::Duplicate => format!("“{key}” appeared more than once; the first one was used."),
            NoticeKind::NotANumber { text, used } => {
                format!("{key}: “{text}” is not a number here, so {}.", used.text(fmt))
            }
            NoticeKind::Clamped { from, to } => {
                format!("{key}: {} is outside the allowed range, so {} was used.", fmt(*from), fmt(*to))
            }
            NoticeKind::Rounded { from, to } => {
                format!("{key}: {} is not a whole number, so {} was used.", fmt(*from), fmt(*to))
            }
            NoticeKind::UnknownId { text, used } => format!("{key}: “{text}” is not known, so {}.", used.text(fmt)),
            NoticeKind::UnknownParam { optimizer, name } => {
                format!("{key}: {optimizer} has no setting “{name}”; it was ignored.")
            }
            NoticeKind::TitleCut => format!("{key}: the title was cut to {MAX_TITLE} characters."),
            NoticeKind::BadExpression { message, used } => {
                format!("{key}: the expression could not be used ({message}), so {used} was used.")
            }
            NoticeKind::BadView { text } => {
                format!("{key}: “{text}” is not a window (x0,x1,y0,y1 with x0 < x1 and y0 < y1); the default was used.")
            }
            NoticeKind::ExtraCoordinate { ignored } => {
                format!(
                    "{key}: this loss is a curve with one coordinate, so the second, {}, was ignored.",
                    fmt(*ignored)
                )
            }
            NoticeKind::MissingCoordinate { kept } => {
                format!(
                    "{key}: this loss is a surface with two coordinates; only one was given, so x₂ kept {}.",
                    fmt(*kept)
                )
            }
            NoticeKind::SurfaceOnly => {
                format!("{key}: only a surface (a 2-D loss) has paths to overlay; it was ignored.")
            }
            NoticeKind::SparseOnly => {
                format!("{key}: this belongs to the sparse-feature lab (lab=sparse); it was ignored.")
            }
            NoticeKind::BadRange { text } => format!(
                "{key}: “{text}” is not a range of rates (from,to within {}–{}, a decade or more); {}–{} was used.",
                fmt(RATE_LIMITS.0),
                fmt(RATE_LIMITS.1),
                fmt(SweepSpec::default().from),
                fmt(SweepSpec::default().to),
            ),
        }
    }
}

/// At most [`MAX_ECHO`] characters of user text, for repeating it in a notice.
fn echo(text: &str) -> String {
    let mut out: String = text.chars().take(MAX_ECHO).collect();
    if text.chars().count() > MAX_ECHO {
        out.push('…');
    }
    out
}

/// Decodes `%XX` escapes and `+` (a space in query strings); invalid escapes stay as they are, and
/// invalid UTF-8 becomes U+FFFD.
pub fn percent_decode(text: &str) -> String {
    decode(text, true)
}

/// Like [`percent_decode`], but `+` stays a plus when `plus_is_space` is false: a teacher who types
/// `loss=expr:x^2+y^2` by hand means a sum (a space would be written `%20`).
fn decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' if plus_is_space => out.push(b' '),
            b'%' => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (bytes.get(i + 1).and_then(|&b| hex(b)), bytes.get(i + 2).and_then(|&b| hex(b))) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Escapes everything but unreserved characters (and the grammar's `:`, `,` and `=` inside values, which
/// stay readable), so a title with `&` or `#` survives.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'!' | b'(' | b')' | b',' | b':' => {
                out.push(byte as char)
            }
            b' ' => out.push_str("%20"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(HEX[usize::from(byte >> 4)] as char);
                out.push(HEX[usize::from(byte & 15)] as char);
            }
        }
    }
    out
}

/// A finite number, or `None`. Accepts what people type: `1.5`, `-2`, `1e-3`, `.5`.
fn number(text: &str, read: NumberRead) -> Option<f64> {
    let text = text.trim();
    // Rust also reads "inf" and "NaN": a link must not smuggle those in.
    let plausible = !text.is_empty()
        && text.len() <= 32
        && text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    plausible.then(|| read(text)).flatten().filter(|v| v.is_finite())
}

/// Parses a query string (with or without the leading `?`). Never fails. Native only (see [`crate::num::read`]);
/// the page calls [`parse_with`] and the browser's parser.
#[cfg(not(target_arch = "wasm32"))]
pub fn parse(query: &str) -> Link {
    parse_with(query, &crate::num::read)
}

/// [`parse`] with the caller's number reader.
pub fn parse_with(query: &str, read: NumberRead) -> Link {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut notices = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    let mut scenario = Scenario::seed();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for piece in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
        let key = percent_decode(key);
        if key.is_empty() {
            notices.push(Notice::new(piece, NoticeKind::UnknownKey));
            continue;
        }
        if seen.contains(&key) {
            notices.push(Notice::new(&key, NoticeKind::Duplicate));
            continue;
        }
        seen.push(key.clone());
        let value = decode(value, key != "loss");
        pairs.push((key, value));
    }
    // A preset supplies every key the link does not give itself.
    let mut preset = None;
    let mut from_preset: Vec<String> = Vec::new();
    if let Some((_, id)) = pairs.iter().find(|(k, _)| k == "preset") {
        match presets::preset(id.trim()) {
            Some(found) => {
                preset = Some(found.id);
                for piece in found.query.split('&') {
                    let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
                    if !pairs.iter().any(|(k, _)| k == key) {
                        pairs.push((key.to_owned(), percent_decode(value)));
                        from_preset.push(key.to_owned());
                    }
                }
            }
            None => notices.push(Notice::new("preset", NoticeKind::UnknownId { text: echo(id), used: Used::Nothing })),
        }
    }
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());

    // Which lab: the triptych, or the sparse-feature lab with its own default panels.
    match get("lab").map(str::trim) {
        None | Some("triptych") => {}
        Some("sparse") => {
            scenario.sparse = Some(SparseSetup::default());
            scenario.panels = SparseSetup::default_panels();
        }
        Some(other) => notices.push(Notice::new(
            "lab",
            NoticeKind::UnknownId { text: echo(other), used: Used::Words("the triptych".to_owned()) },
        )),
    }

    // The loss first: it decides the default start and the dimension.
    if let Some(id) = get("loss") {
        if let Some(text) = id.strip_prefix("expr:") {
            match Expr::parse_with(text, read) {
                Ok(expr) => {
                    scenario.loss = LossFn::custom(expr);
                    scenario.start = scenario.loss.default_start();
                }
                Err(err) => notices.push(Notice::new(
                    "loss",
                    NoticeKind::BadExpression { message: err.to_string(), used: scenario.loss.id() },
                )),
            }
        } else {
            match Loss::from_id(id.trim()) {
                Some(loss) => {
                    scenario.loss = loss.into();
                    scenario.start = loss.default_start();
                }
                None => notices.push(Notice::new(
                    "loss",
                    NoticeKind::UnknownId { text: echo(id), used: Used::Words(scenario.loss.id()) },
                )),
            }
        }
    }
    if let Some(text) = get("scale") {
        if let Some(value) = checked_number("scale", text, &mut notices, read, Used::Number(scenario.scale, "")) {
            scenario.scale = clamp_noting("scale", value, Objective::MIN_SCALE, Objective::MAX_SCALE, &mut notices);
        }
    }
    if let Some(text) = get("view") {
        match parse_view(text, &scenario, read) {
            Some(view) => scenario.view = Some(view),
            None => notices.push(Notice::new("view", NoticeKind::BadView { text: echo(text) })),
        }
    }
    if let Some(text) = get("x0") {
        parse_start(text, &mut scenario, &mut notices, read);
    }
    if scenario.view.is_some() {
        // The loss's own start (or the one kept when x0 was unusable) may lie outside a window the link
        // chose; bring it in.
        let view = scenario.view();
        scenario.start[0] = clamp(scenario.start[0], view.x.0, view.x.1);
        if scenario.loss.dim() == 2 {
            scenario.start[1] = clamp(scenario.start[1], view.y.0, view.y.1);
        }
    }
    for (panel, key) in PANEL_KEYS.iter().enumerate() {
        if let Some(text) = get(key) {
            let default = scenario.panels[panel].optimizer;
            if let Some(optimizer) = parse_optimizer(key, text, &mut notices, read, &default) {
                scenario.panels[panel].optimizer = optimizer;
            }
        }
    }
    for (panel, key) in TITLE_KEYS.iter().enumerate() {
        if let Some(text) = get(key) {
            if text.chars().filter(|c| !c.is_control()).collect::<String>().trim().chars().count() > MAX_TITLE {
                notices.push(Notice::new(key, NoticeKind::TitleCut));
            }
            let title = clean_title(text);
            // A preset's title describes its setting; the link's own is the author's choice.
            scenario.panels[panel].title = if title.is_empty() {
                Title::Neutral
            } else if from_preset.iter().any(|k| k == key) {
                Title::Describes(title)
            } else {
                Title::Chosen(title)
            };
        }
    }
    // Titles that describe the seed's or the preset's setting give way to neutral ones where the link
    // changed that setting (another loss, another optimizer for the panel).
    let described = match preset.and_then(presets::preset) {
        Some(found) => parse_with(found.query, read).scenario,
        None if scenario.sparse.is_some() => Scenario { panels: SparseSetup::default_panels(), ..Scenario::seed() },
        None => Scenario::seed(),
    };
    let loss_changed = scenario.loss != described.loss || scenario.scale != described.scale;
    for (panel, before) in scenario.panels.iter_mut().zip(&described.panels) {
        if loss_changed || panel.optimizer != before.optimizer {
            panel.setting_changed();
        }
    }
    let t = get("t").and_then(|text| {
        let value = checked_number("t", text, &mut notices, read, Used::Words("step 0, playing,".to_owned()))?;
        let clamped = clamp_noting("t", value.round(), 0.0, f64::from(MAX_STEP), &mut notices);
        Some(clamped as u32)
    });
    let speed = get("speed").and_then(|text| {
        let value = checked_number("speed", text, &mut notices, read, Used::Number(8.0, "steps per second"))?;
        Some(clamp_noting("speed", value, Ticker::MIN_SPEED, Ticker::MAX_SPEED, &mut notices))
    });
    // Noise, its seed and the ensemble; the sweep's horizon and range.
    if let Some(text) = get("noise") {
        if let Some(value) = checked_number("noise", text, &mut notices, read, Used::Number(0.0, "no noise")) {
            scenario.noise.sigma = clamp_noting("noise", value, 0.0, MAX_SIGMA, &mut notices);
        }
    }
    let whole = |key: &str, min: u32, max: u32, default: u32, notices: &mut Vec<Notice>| {
        let text = get(key)?;
        let value = checked_number(key, text, notices, read, Used::Number(f64::from(default), ""))?;
        let clamped = clamp_noting(key, value, f64::from(min), f64::from(max), notices);
        if clamped != clamped.round() {
            notices.push(Notice::new(key, NoticeKind::Rounded { from: clamped, to: clamped.round() }));
        }
        Some(clamped.round() as u32)
    };
    if let Some(seed) = whole("seed", 0, u32::MAX, Noise::NONE.seed, &mut notices) {
        scenario.noise.seed = seed;
    }
    if let Some(runs) = whole("runs", 1, MAX_RUNS, DEFAULT_RUNS, &mut notices) {
        scenario.runs = runs;
    }
    let (shortest, longest) = HORIZON_LIMITS;
    if let Some(horizon) = whole("horizon", shortest, longest, SweepSpec::default().horizon, &mut notices) {
        scenario.sweep.horizon = horizon;
    }
    if let Some(text) = get("lrs") {
        let numbers: Option<Vec<f64>> = text.split(',').map(|p| number(p, read)).collect();
        match numbers.as_deref() {
            Some(&[from, to]) if from >= RATE_LIMITS.0 && to <= RATE_LIMITS.1 && to >= 10.0 * from => {
                scenario.sweep.from = from;
                scenario.sweep.to = to;
            }
            _ => notices.push(Notice::new("lrs", NoticeKind::BadRange { text: echo(text) })),
        }
    }
    // The sparse lab's data (the seed is the one read above).
    let sparse_keys = ["features", "rare", "spread", "label_noise", "shift"];
    if let Some(setup) = &mut scenario.sparse {
        let limits = (MIN_FEATURES as u32, MAX_FEATURES as u32, setup.features as u32);
        if let Some(features) = whole("features", limits.0, limits.1, limits.2, &mut notices) {
            setup.features = features as usize;
        }
        if let Some(text) = get("rare") {
            let used = Used::Number(setup.rare_percent, "percent");
            if let Some(value) = checked_number("rare", text, &mut notices, read, used) {
                setup.rare_percent = clamp_noting("rare", value, 0.1, 50.0, &mut notices);
            }
        }
        if let Some(text) = get("spread") {
            match Spread::from_id(text.trim()) {
                Some(spread) => setup.spread = spread,
                None => notices.push(Notice::new(
                    "spread",
                    NoticeKind::UnknownId { text: echo(text), used: Used::Words(setup.spread.id().to_owned()) },
                )),
            }
        }
        if let Some(text) = get("label_noise") {
            let used = Used::Number(setup.label_noise, "");
            if let Some(value) = checked_number("label_noise", text, &mut notices, read, used) {
                setup.label_noise = clamp_noting("label_noise", value, 0.0, 10.0, &mut notices);
            }
        }
        if let Some(shift) = whole("shift", 1, MAX_STEP, MAX_STEP / 2, &mut notices) {
            setup.shift = Some(shift);
        }
    } else {
        for key in sparse_keys.into_iter().filter(|key| get(key).is_some()) {
            notices.push(Notice::new(key, NoticeKind::SparseOnly));
        }
    }
    let flag = |key: &str, notices: &mut Vec<Notice>| match get(key).map(str::trim) {
        None | Some("0") | Some("false") => false,
        Some("1") | Some("true") | Some("") => true,
        Some(other) => {
            let used = Used::Words("off (0)".to_owned());
            notices.push(Notice::new(key, NoticeKind::UnknownId { text: echo(other), used }));
            false
        }
    };
    let embed = flag("embed", &mut notices);
    let mut overlay = flag("overlay", &mut notices);
    if overlay && scenario.loss.dim() == 1 {
        notices.push(Notice::new("overlay", NoticeKind::SurfaceOnly));
        overlay = false;
    }
    let mut hide = Hide::default();
    for name in get("hide").unwrap_or("").split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if !hide.set(name, true) {
            notices.push(Notice::new("hide", NoticeKind::UnknownId { text: echo(name), used: Used::Nothing }));
        }
    }
    for (key, _) in &pairs {
        if !KEYS.contains(&key.as_str()) {
            notices.push(Notice::new(key, NoticeKind::UnknownKey));
        }
    }
    Link { scenario, t, speed, preset, embed, hide, overlay, notices }
}

impl Link {
    /// The query that reproduces this link: the expanded scenario (never `preset=`, so the link keeps
    /// working even if a preset changes), the clock, and the embedding options.
    pub fn to_query(&self, fmt: NumberFormat) -> String {
        let mut query = to_query(&self.scenario, self.t, self.speed, fmt);
        if self.overlay {
            query.push_str("&overlay=1");
        }
        if self.embed {
            query.push_str("&embed=1");
        }
        let hide = self.hide.text();
        if !hide.is_empty() {
            query.push_str("&hide=");
            query.push_str(&hide);
        }
        query
    }
}

fn checked_number(key: &str, text: &str, notices: &mut Vec<Notice>, read: NumberRead, used: Used) -> Option<f64> {
    let value = number(text, read);
    if value.is_none() {
        notices.push(Notice::new(key, NoticeKind::NotANumber { text: echo(text), used }));
    }
    value
}

/// A title as the page keeps it: no control characters, no outer spaces, at most [`MAX_TITLE`]
/// characters (cut, then trimmed again: a cut can end in spaces that the next parse would drop).
pub fn clean_title(text: &str) -> String {
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    let cut: String = clean.trim().chars().take(MAX_TITLE).collect();
    cut.trim_end().to_owned()
}

fn clamp_noting(key: &str, value: f64, min: f64, max: f64, notices: &mut Vec<Notice>) -> f64 {
    let clamped = clamp(value, min, max);
    if clamped != value {
        notices.push(Notice::new(key, NoticeKind::Clamped { from: value, to: clamped }));
    }
    clamped
}

/// `x0=<x>` or `x0=<x>,<y>`: clamped into the loss's window (a start off the picture helps nobody).
fn parse_start(text: &str, scenario: &mut Scenario, notices: &mut Vec<Notice>, read: NumberRead) {
    let parts: Vec<&str> = text.split(',').collect();
    let dim = scenario.loss.dim();
    let numbers: Option<Vec<f64>> = parts.iter().map(|p| number(p, read)).collect();
    let Some(numbers) = numbers.filter(|n| n.len() == 1 || n.len() == 2) else {
        let used = Used::Start(scenario.start, dim);
        notices.push(Notice::new("x0", NoticeKind::NotANumber { text: echo(text), used }));
        return;
    };
    // The wrong number of coordinates is said, not silently mended.
    if dim == 1 && numbers.len() == 2 {
        notices.push(Notice::new("x0", NoticeKind::ExtraCoordinate { ignored: numbers[1] }));
    }
    if dim == 2 && numbers.len() == 1 {
        notices.push(Notice::new("x0", NoticeKind::MissingCoordinate { kept: scenario.start[1] }));
    }
    // A start in a link is the author's choice: a typed expression's automatic window grows to show it,
    // as a window the link sets itself would (a built-in loss keeps its window and clamps the start).
    if let (LossFn::Custom(custom), None) = (&scenario.loss, scenario.view) {
        let reach =
            [CustomLoss::reach_for(numbers[0]), numbers.get(1).map_or(CUSTOM_REACH, |&y| CustomLoss::reach_for(y))];
        let reach = if dim == 2 { reach } else { [reach[0], CUSTOM_REACH] };
        if reach.iter().any(|&r| r > CUSTOM_REACH) {
            let mut view = CustomLoss::window(&custom.expr, reach);
            if dim == 1 {
                view.y = (view.y.0 * scenario.scale, view.y.1 * scenario.scale);
            }
            scenario.view = Some(view);
        }
    }
    let view = scenario.view();
    let ranges = [view.x, if dim == 2 { view.y } else { (-DIVERGENCE_BOUND, DIVERGENCE_BOUND) }];
    let mut start = scenario.start;
    for i in 0..dim.min(numbers.len()) {
        start[i] = clamp_noting("x0", numbers[i], ranges[i].0, ranges[i].1, notices);
    }
    scenario.start = start;
}

/// `view=x0,x1,y0,y1` (or `x0,x1` for a curve, keeping the loss range): finite, ordered, neither
/// narrower than 1e-6 nor wider than 1e6, inside ±1e6. `None` otherwise.
fn parse_view(text: &str, scenario: &Scenario, read: NumberRead) -> Option<View> {
    let numbers: Option<Vec<f64>> = text.split(',').map(|p| number(p, read)).collect();
    let numbers = numbers?;
    let default = scenario.objective().view();
    let view = match numbers[..] {
        [x0, x1, y0, y1] => View { x: (x0, x1), y: (y0, y1) },
        [x0, x1] if scenario.loss.dim() == 1 => View { x: (x0, x1), y: default.y },
        _ => return None,
    };
    let fits = |(lo, hi): (f64, f64)| {
        lo < hi && (1e-6..=1e6).contains(&(hi - lo)) && lo.abs() <= DIVERGENCE_BOUND && hi.abs() <= DIVERGENCE_BOUND
    };
    (fits(view.x) && fits(view.y)).then_some(view)
}

/// `sgd` or `adagrad:lr=1.5,eps=0`: the optimizer's defaults, then the settings given. An unknown id keeps
/// the panel's `default` optimizer (`None`); unknown settings are skipped, out-of-range ones clamped, and
/// one that is not a number takes the panel's own value when the panel's default is of the same kind
/// (`a=sgd:lr=abc` gives panel a's 2.5), else the optimizer's default.
fn parse_optimizer(
    key: &str,
    text: &str,
    notices: &mut Vec<Notice>,
    read: NumberRead,
    default: &Optimizer,
) -> Option<Optimizer> {
    let (id, settings) = text.split_once(':').unwrap_or((text, ""));
    let Some(kind) = OptimizerKind::from_id(id.trim()) else {
        let used = Used::Optimizer(*default);
        notices.push(Notice::new(key, NoticeKind::UnknownId { text: echo(id), used }));
        return None;
    };
    let mut optimizer = Optimizer::new(kind);
    let mut seen: Vec<&str> = Vec::new();
    for setting in settings.split(',').filter(|s| !s.is_empty()) {
        let (name, value) = setting.split_once('=').unwrap_or((setting, ""));
        let name = name.trim();
        let label = format!("{key}.{}", echo(name));
        let Some((_, spec)) = kind.param(name) else {
            notices.push(Notice::new(key, NoticeKind::UnknownParam { optimizer: kind.id(), name: echo(name) }));
            continue;
        };
        if seen.contains(&name) {
            notices.push(Notice::new(&label, NoticeKind::Duplicate));
            continue;
        }
        seen.push(name);
        let fallback = match default.get(name) {
            Some(own) if default.kind() == kind => Used::Number(own, "this panel's default"),
            _ => Used::Number(spec.default, kind.name()),
        };
        let Some(value) = checked_number(&label, value, notices, read, fallback.clone()) else {
            if let Used::Number(own, _) = fallback {
                optimizer.set(name, own).ok();
            }
            continue;
        };
        let Some(clamped) = spec.clamp(value) else { continue };
        if clamped != value {
            notices.push(Notice::new(&label, NoticeKind::Clamped { from: value, to: clamped }));
        }
        // In range by construction.
        optimizer.set(name, clamped).ok();
    }
    Some(optimizer)
}

/// `adagrad:lr=1.5,eps=0`: the id, then every hyperparameter that differs from its default.
pub fn optimizer_text(optimizer: &Optimizer, fmt: NumberFormat) -> String {
    let mut text = String::from(optimizer.kind().id());
    let mut first = true;
    for (spec, value) in optimizer.params() {
        if value != spec.default {
            text.push(if first { ':' } else { ',' });
            first = false;
            text.push_str(spec.name);
            text.push('=');
            text.push_str(&fmt(value));
        }
    }
    text
}

/// The query string (without `?`) that reproduces `scenario`, plus the clock when given.
pub fn to_query(scenario: &Scenario, t: Option<u32>, speed: Option<f64>, fmt: NumberFormat) -> String {
    let mut query = format!("loss={}", percent_encode(&scenario.loss.id()));
    if scenario.scale != 1.0 {
        query.push_str(&format!("&scale={}", fmt(scenario.scale)));
    }
    if let Some(view) = scenario.view {
        let numbers = [view.x.0, view.x.1, view.y.0, view.y.1].map(fmt);
        query.push_str(&format!("&view={}", numbers.join(",")));
    }
    query.push_str(&format!("&x0={}", fmt(scenario.start[0])));
    if scenario.loss.dim() == 2 {
        query.push(',');
        query.push_str(&fmt(scenario.start[1]));
    }
    if let Some(setup) = scenario.sparse {
        query.push_str(&format!(
            "&lab=sparse&features={}&rare={}&label_noise={}",
            setup.features,
            fmt(setup.rare_percent),
            fmt(setup.label_noise)
        ));
        if setup.spread != Spread::OneRare {
            query.push_str(&format!("&spread={}", setup.spread.id()));
        }
        if let Some(shift) = setup.shift {
            query.push_str(&format!("&shift={shift}"));
        }
    }
    // The default titles go without saying: the seed's, or the sparse lab's.
    let seed = match scenario.sparse {
        Some(_) => Scenario { panels: SparseSetup::default_panels(), ..Scenario::seed() },
        None => Scenario::seed(),
    };
    for (panel, spec) in scenario.panels.iter().enumerate() {
        query.push_str(&format!("&{}={}", PANEL_KEYS[panel], optimizer_text(&spec.optimizer, fmt)));
        // The seed's own titles go without saying; a neutral title is an empty one.
        let title = match &spec.title {
            _ if spec.title == seed.panels[panel].title => None,
            Title::Describes(text) | Title::Chosen(text) => Some(percent_encode(text)),
            Title::Neutral => Some(String::new()),
        };
        if let Some(title) = title {
            query.push_str(&format!("&{}={title}", TITLE_KEYS[panel]));
        }
    }
    // With noise its seed always goes with it (the same link must replay the same noise); without, a seed
    // or an ensemble size only when someone chose one, so that turning noise on later finds it.
    if scenario.noise.is_on() {
        query.push_str(&format!("&noise={}&seed={}", fmt(scenario.noise.sigma), scenario.noise.seed));
    } else if scenario.noise.seed != Noise::NONE.seed {
        query.push_str(&format!("&seed={}", scenario.noise.seed));
    }
    if scenario.runs != DEFAULT_RUNS {
        query.push_str(&format!("&runs={}", scenario.runs));
    }
    let sweep = SweepSpec::default();
    if scenario.sweep.horizon != sweep.horizon {
        query.push_str(&format!("&horizon={}", scenario.sweep.horizon));
    }
    if (scenario.sweep.from, scenario.sweep.to) != (sweep.from, sweep.to) {
        query.push_str(&format!("&lrs={},{}", fmt(scenario.sweep.from), fmt(scenario.sweep.to)));
    }
    if let Some(t) = t {
        query.push_str(&format!("&t={t}"));
    }
    if let Some(speed) = speed {
        query.push_str(&format!("&speed={}", fmt(speed)));
    }
    query
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::num::print as rust_fmt;

    #[test]
    fn the_issue_example_parses_without_notices() {
        let link = parse("?loss=quadratic&x0=3&a=sgd:lr=0.95&b=sgd:lr=0.05&c=adagrad:lr=1.5,eps=0");
        assert!(link.notices.is_empty(), "{:?}", link.notices);
        let s = &link.scenario;
        assert_eq!(s.loss, Loss::Quadratic);
        assert_eq!(s.start, [3.0, 0.0]);
        assert_eq!(s.panels[0].optimizer.get("lr"), Some(0.95));
        assert_eq!(s.panels[2].optimizer.kind(), OptimizerKind::Adagrad);
        assert_eq!(s.panels[2].optimizer.get("eps"), Some(0.0));
        // "Too fast!" described the seed's setting, not this one.
        assert_eq!(s.panels[0].title, Title::Neutral);
    }

    #[test]
    fn percent_escapes_decode_and_encode() {
        assert_eq!(percent_decode("Too%20fast%21+now"), "Too fast! now");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
        assert_eq!(percent_decode(&percent_encode("a&b=c #1 ü")), "a&b=c #1 ü");
    }

    #[test]
    fn bad_values_fall_back_with_a_notice_each() {
        let link = parse("loss=nope&x0=abc&a=sgd:lr=1e9,foo=2&b=warp&speed=NaN&t=-5&zzz=1&t=3");
        let keys: Vec<&str> = link.notices.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["t", "loss", "x0", "a.lr", "a", "b", "t", "speed", "zzz"]);
        assert_eq!(link.scenario.loss, Loss::SmoothAbs);
        assert_eq!(link.scenario.panels[0].optimizer.get("lr"), Some(100.0));
        assert_eq!(link.t, Some(0));
        assert_eq!(link.speed, None);
        let text = link.notices[3].text(&rust_fmt);
        assert_eq!(text, "a.lr: 1000000000 is outside the allowed range, so 100 was used.");
    }

    #[test]
    fn noise_its_seed_and_the_sweep_are_read_clamped_and_printed() {
        let link = parse("loss=quadratic&noise=0.5&seed=7&runs=30&horizon=200&lrs=0.001,10");
        assert!(link.notices.is_empty(), "{:?}", link.notices);
        let s = &link.scenario;
        assert_eq!(s.noise, Noise { sigma: 0.5, seed: 7 });
        assert_eq!((s.runs, s.sweep.horizon, s.sweep.from, s.sweep.to), (30, 200, 0.001, 10.0));
        let again = parse(&to_query(s, None, None, &rust_fmt));
        assert_eq!(&again.scenario, s);
        let bad = parse("noise=-1&seed=2.5&runs=1000&horizon=abc&lrs=10,1");
        let keys: Vec<&str> = bad.notices.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["noise", "seed", "runs", "horizon", "lrs"]);
        assert_eq!(bad.notices[1].text(&rust_fmt), "seed: 2.5 is not a whole number, so 3 was used.");
        assert_eq!(bad.scenario.noise, Noise { sigma: 0.0, seed: 3 });
        assert_eq!((bad.scenario.runs, bad.scenario.sweep), (MAX_RUNS, SweepSpec::default()));
        assert!(bad.notices[4].text(&rust_fmt).contains("0.0001–100 was used"), "{}", bad.notices[4].text(&rust_fmt));
        // Without noise, only a seed someone chose.
        assert!(to_query(&parse("seed=9").scenario, None, None, &rust_fmt).ends_with("&seed=9"));
        assert!(!to_query(&parse("").scenario, None, None, &rust_fmt).contains("seed"));
    }

    #[test]
    fn a_link_reproduces_its_scenario() {
        let mut scenario = Scenario::seed().with_loss(Loss::Ellipse.into());
        scenario.start = [-5.0, -2.0];
        scenario.panels[1].title = Title::Chosen("Slow & steady #2".to_owned());
        scenario.panels[1].optimizer = Optimizer::new(OptimizerKind::Adam).with("b2", 0.99).unwrap();
        let query = to_query(&scenario, Some(12), Some(4.0), &rust_fmt);
        let link = parse(&query);
        assert!(link.notices.is_empty(), "{query}: {:?}", link.notices);
        assert_eq!(link.scenario, scenario);
        assert_eq!((link.t, link.speed), (Some(12), Some(4.0)));
    }
}
