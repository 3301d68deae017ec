//! `steplab`: Step Lab's scenarios outside the browser. A scenario is given as a page link's query
//! (`?loss=…&a=…`); `trace` prints every panel's trajectory as CSV or JSON, `figure` draws the triptych
//! as an SVG, `sweep` prints what every panel's optimizer comes to at each rate of a learning-rate sweep,
//! as CSV or JSON. Everything is computed by steplab-core; this file only reads arguments and writes
//! output (the sweep's CSV and JSON are laid out here, the trajectories' by `steplab_core::export`).

use std::fmt::Write as _;
use std::io::{self, Write};
use std::process::ExitCode;
use steplab_core::link::{self, NoticeKind, PANEL_KEYS};
// One printer for every number the CLI writes, the page's (JavaScript's) layout: full precision, and
// exponent form below 1e-6 and from 1e21 on, so a CSV or JSON file reads the same from either.
use steplab_core::num::print as shortest;
use steplab_core::sparse::SparseLab;
use steplab_core::sweep::{self, Curve, Outcome, SweepSpec, HORIZON_LIMITS, RATE_LIMITS, TOLERANCE};
use steplab_core::{export, figure, Lab, Scenario, MAX_STEP};

const USAGE: &str = "\
Step Lab from the command line: the page's scenarios, as data or as a figure.

Usage:
  steplab trace \"<query>\" [--steps N] [--format csv|json]
  steplab figure \"<query>\" --out FILE.svg [--steps N]
  steplab sweep \"<query>\" [--from A] [--to B] [--points P] [--steps N] [--format csv|json]
  steplab --help

<query> is a Step Lab link's query, e.g. \"?loss=quadratic&x0=4&a=sgd:lr=0.95&c=adagrad:lr=1.5\"
(quote it: & means something to the shell). \"\" is the page's opening scenario.

trace    prints every panel's steps 0..=N (default 100) to stdout. CSV columns:
         panel,n,x1[,x2],loss,eff_lr1[,eff_lr2],status (x2 and eff_lr2 for 2-D losses only).
         For the sparse-feature lab (lab=sparse) the examples 0..=N instead: panel,n,loss, then per
         feature i: w<i>,g<i>,acc<i>,eff_lr<i>,seen<i> (the weight, the gradient, the optimizer's
         first accumulator, the effective rate, how many examples so far had the feature).
figure   writes the three panels at step N (default: the link's t, else 60) as an SVG.
sweep    runs each panel's optimizer, its other settings fixed, for N steps (default: the link's
         horizon, else 100) at P rates log-spaced from A to B (default: the link's lrs, else 61
         from 1e-4 to 100), from the link's start and with its noise. CSV columns:
         panel,lr,outcome,result,works,diverged_at: result is left, diverged or undefined (no
         loss or slope at the start); outcome is the share of the start's loss gap left after N
         steps (result left only); works is 1 when at most 1e-6 is left, else 0; diverged_at is
         the step at which a diverged run went out of bounds (empty when it was still running
         away at step N). JSON: {\"query\",\"horizon\",\"tolerance\",\"panels\":[{\"panel\",
         \"optimizer\" (as in links, without lr),\"lr\" (the panel's own),\"band\" ([first,last]
         rate of the widest run of rates that work, or null),\"band_decades\",\"rates\":[{\"lr\",
         \"outcome\",\"result\",\"works\",\"diverged_at\"}]}]}, null where a CSV cell is empty.

For trace and figure, N is at most 1000 (more is lowered to it). For sweep, N is 10 to 1000,
A and B are from 1e-6 to 100 (the rates every optimizer takes) with B at least 10 times A,
and P is 2 to 1000. Anything in the
query that could not be used is reported on stderr; the command still runs. Exit status: 0 on
success, 2 for unusable input.";

/// The default number of steps `trace` prints and the default step `figure` draws.
const TRACE_STEPS: u32 = 100;
const FIGURE_STEP: u32 = 60;
/// The most rates one sweep may try.
const MAX_POINTS: usize = 1000;

/// Why a command did not run, in one sentence; either way the exit status is 2.
enum Failure {
    /// Something in the command line or the query.
    Usage(String),
    /// The output could not be written.
    Output(String),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Trace,
    Figure,
    Sweep,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Format {
    Csv,
    Json,
}

/// The command line after parsing, before anything is computed.
struct Command {
    kind: Kind,
    query: String,
    /// The last step (`trace`), the step drawn (`figure`) or the horizon (`sweep`).
    steps: Option<u32>,
    format: Option<Format>,
    out: Option<String>,
    /// The sweep's range of rates and their number; what is not given comes from the query.
    from: Option<f64>,
    to: Option<f64>,
    points: Option<usize>,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    if args.iter().any(|a| a == "--help" || a == "-h") || args[0] == "help" {
        // Help cut short by `| head` is still help.
        let _ = print(&format!("{USAGE}\n"));
        return ExitCode::SUCCESS;
    }
    match parse_args(&args).and_then(|command| run(&command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("steplab: {message}");
            eprintln!("Run `steplab --help` for usage.");
            ExitCode::from(2)
        }
        Err(Failure::Output(message)) => {
            eprintln!("steplab: {message}");
            ExitCode::from(2)
        }
    }
}

fn parse_args(args: &[String]) -> Result<Command, Failure> {
    let kind = match args[0].as_str() {
        "trace" => Kind::Trace,
        "figure" => Kind::Figure,
        "sweep" => Kind::Sweep,
        other => return Err(Failure::Usage(format!("unknown command “{other}” (expected trace, figure or sweep)"))),
    };
    let mut command = Command {
        kind,
        query: String::new(),
        steps: None,
        format: None,
        out: None,
        from: None,
        to: None,
        points: None,
    };
    let mut query = None;
    let mut rest = args[1..].iter();
    while let Some(arg) = rest.next() {
        if !arg.starts_with("--") {
            if query.is_some() {
                return Err(Failure::Usage(format!("one query only; “{arg}” is one too many (quote the query)")));
            }
            query = Some(arg.clone());
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_owned())),
            None => (arg.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| rest.next().cloned())
                .ok_or_else(|| Failure::Usage(format!("{flag} needs a value")))
        };
        let sweep = kind == Kind::Sweep;
        match flag {
            "--steps" if sweep => command.steps = Some(parse_horizon(&value()?)?),
            "--steps" => command.steps = Some(parse_steps(&value()?)?),
            "--format" if kind != Kind::Figure => {
                command.format = Some(match value()?.as_str() {
                    "csv" => Format::Csv,
                    "json" => Format::Json,
                    other => return Err(Failure::Usage(format!("--format must be csv or json, not “{other}”"))),
                })
            }
            "--out" if kind == Kind::Figure => command.out = Some(value()?),
            "--from" if sweep => command.from = Some(parse_rate(flag, &value()?)?),
            "--to" if sweep => command.to = Some(parse_rate(flag, &value()?)?),
            "--points" if sweep => command.points = Some(parse_points(&value()?)?),
            _ => return Err(Failure::Usage(format!("{} does not take {flag}", args[0]))),
        }
    }
    command.query =
        query.ok_or_else(|| Failure::Usage(format!("{} needs a query, e.g. \"?loss=quadratic\"", args[0])))?;
    if kind == Kind::Figure && command.out.is_none() {
        return Err(Failure::Usage("figure needs --out FILE.svg".to_owned()));
    }
    Ok(command)
}

/// A whole number of steps; more than [`MAX_STEP`] is lowered to it with a note.
fn parse_steps(text: &str) -> Result<u32, Failure> {
    let steps: u64 = text
        .parse()
        .map_err(|_| Failure::Usage(format!("--steps must be a whole number from 0 to {MAX_STEP}, not “{text}”")))?;
    if steps > u64::from(MAX_STEP) {
        eprintln!("steplab: note: --steps {steps} is more than {MAX_STEP}, the last step there is; using {MAX_STEP}.");
    }
    Ok(steps.min(u64::from(MAX_STEP)) as u32)
}

/// The sweep's horizon: a whole number of steps within [`HORIZON_LIMITS`]. Unlike `trace`'s steps, a
/// number outside is refused rather than moved to the nearest limit: a sweep over another horizon than
/// the one asked for would quietly answer another question.
fn parse_horizon(text: &str) -> Result<u32, Failure> {
    let (shortest, longest) = HORIZON_LIMITS;
    text.parse().ok().filter(|steps| (shortest..=longest).contains(steps)).ok_or_else(|| {
        Failure::Usage(format!(
            "--steps (the sweep's horizon) must be a whole number from {shortest} to {longest}, not “{text}”"
        ))
    })
}

/// A learning rate for `--from` or `--to`: a number within [`RATE_LIMITS`].
fn parse_rate(flag: &str, text: &str) -> Result<f64, Failure> {
    let (low, high) = RATE_LIMITS;
    steplab_core::num::read(text).filter(|rate| (low..=high).contains(rate)).ok_or_else(|| {
        Failure::Usage(format!(
            "{flag} must be a learning rate from {} to {}, not “{text}”",
            shortest(low),
            shortest(high)
        ))
    })
}

/// How many rates a sweep tries: a whole number from 2 to [`MAX_POINTS`].
fn parse_points(text: &str) -> Result<usize, Failure> {
    text.parse()
        .ok()
        .filter(|points| (2..=MAX_POINTS).contains(points))
        .ok_or_else(|| Failure::Usage(format!("--points must be a whole number from 2 to {MAX_POINTS}, not “{text}”")))
}

fn run(command: &Command) -> Result<(), Failure> {
    let parsed = link::parse(&command.query);
    for notice in &parsed.notices {
        eprintln!("steplab: notice: {}", notice.text(&shortest));
    }
    let pieces = query_pieces(&command.query);
    if !pieces.is_empty() && !pieces.iter().any(|piece| usable(piece)) {
        return Err(Failure::Usage(format!("nothing in “{}” is part of a Step Lab link", command.query)));
    }
    let format = command.format.unwrap_or(Format::Csv);
    // The sparse-feature lab: trace prints its weights per feature; the figure and the sweep are the
    // triptych's.
    if let Some(data) = parsed.scenario.sparse_data() {
        if command.kind != Kind::Trace {
            return Err(Failure::Usage(format!(
                "{} is for the triptych; the sparse-feature lab (lab=sparse) has trace",
                if command.kind == Kind::Figure { "figure" } else { "sweep" }
            )));
        }
        let scenario = &parsed.scenario;
        let lab = SparseLab::new(data, [0, 1, 2].map(|p| scenario.panels[p].optimizer));
        let steps = command.steps.unwrap_or(TRACE_STEPS);
        let text = match format {
            Format::Csv => export::sparse_csv(&lab, steps, &shortest),
            Format::Json => export::sparse_json(&lab, scenario, steps, &shortest),
        };
        return print(&text).map_err(|err| Failure::Output(format!("cannot write to stdout: {err}")));
    }
    let text = match command.kind {
        Kind::Figure => {
            let mut lab = Lab::new(parsed.scenario);
            lab.seek(command.steps.or(parsed.t).unwrap_or(FIGURE_STEP));
            let path = command.out.as_deref().unwrap_or_default();
            if let Err(err) = std::fs::write(path, figure::triptych_svg(&lab, &shortest)) {
                return Err(Failure::Output(format!("cannot write {path}: {err}")));
            }
            return Ok(());
        }
        Kind::Trace => {
            let mut lab = Lab::new(parsed.scenario);
            let steps = command.steps.unwrap_or(TRACE_STEPS);
            lab.seek(steps);
            match format {
                Format::Csv => export::csv(&lab, steps, &shortest),
                Format::Json => export::json(&lab, steps, &shortest),
            }
        }
        Kind::Sweep => {
            let mut scenario = parsed.scenario;
            scenario.sweep = sweep_spec(command, scenario.sweep)?;
            match format {
                Format::Csv => sweep_csv(&scenario),
                Format::Json => sweep_json(&scenario),
            }
        }
    };
    print(&text).map_err(|err| Failure::Output(format!("cannot write to stdout: {err}")))
}

/// The sweep the query describes with the command line's flags in place of its own settings. Each flag
/// was checked on its own; here the range as a whole must span a decade or more, as a link's `lrs` must.
fn sweep_spec(command: &Command, linked: SweepSpec) -> Result<SweepSpec, Failure> {
    let spec = SweepSpec {
        from: command.from.unwrap_or(linked.from),
        to: command.to.unwrap_or(linked.to),
        points: command.points.unwrap_or(linked.points),
        horizon: command.steps.unwrap_or(linked.horizon),
    };
    if spec.to < 10.0 * spec.from {
        return Err(Failure::Usage(format!(
            "the rates must span a decade or more (--to at least 10 times --from), not {} to {}",
            shortest(spec.from),
            shortest(spec.to)
        )));
    }
    Ok(spec)
}

/// Every panel's sweep over `scenario.sweep`: its optimizer at each rate, from the scenario's start, with
/// its noise (one run per rate, drawn with the link's seed).
fn curves(scenario: &Scenario) -> Vec<Curve> {
    let objective = scenario.objective();
    scenario
        .panels
        .iter()
        .map(|panel| sweep::curve(&objective, &panel.optimizer, scenario.start, scenario.noise, &scenario.sweep))
        .collect()
}

/// An outcome as the files write it: the share left (for a run that finished), the word, and the step
/// at which a diverged run left the finite world or the bound (when it did before the horizon).
fn cells(outcome: Outcome) -> (Option<f64>, &'static str, Option<u32>) {
    match outcome {
        Outcome::Left(left) => (Some(left), "left", None),
        Outcome::Diverged(step) => (None, "diverged", step),
        Outcome::Undefined => (None, "undefined", None),
    }
}

/// The sweep as CSV: `panel,lr,outcome,result,works,diverged_at`, one row per panel (a, b, c) and rate,
/// from the smallest rate up; a cell that does not apply is empty.
fn sweep_csv(scenario: &Scenario) -> String {
    let mut out = String::from("panel,lr,outcome,result,works,diverged_at\n");
    for (key, curve) in PANEL_KEYS.iter().zip(curves(scenario)) {
        for (&lr, &outcome) in curve.rates.iter().zip(&curve.outcomes) {
            let (left, result, at) = cells(outcome);
            let left = left.map(shortest).unwrap_or_default();
            let at = at.map(|n| n.to_string()).unwrap_or_default();
            // Writing into a String cannot fail.
            let _ = writeln!(out, "{key},{},{left},{result},{},{at}", shortest(lr), u8::from(outcome.works()));
        }
    }
    out
}

/// The sweep as one JSON object: `{"query", "horizon", "tolerance", "panels": [{"panel", "optimizer",
/// "lr", "band", "band_decades", "rates": [{"lr", "outcome", "result", "works", "diverged_at"}]}]}`.
/// `query` reproduces the scenario with the sweep's range and horizon (not its number of rates, which no
/// link holds); `optimizer` is the panel's optimizer as a link writes it but without its rate, which the
/// sweep varies, and `lr` is that rate; `band` is the first and last rate of the widest run of rates
/// that work, or null. Every rate's object has all five keys, null where the CSV has an empty cell.
fn sweep_json(scenario: &Scenario) -> String {
    let spec = scenario.sweep;
    let mut out = String::from("{\"query\":");
    export::json_string(&mut out, &link::to_query(scenario, None, None, &shortest));
    let _ = write!(out, ",\"horizon\":{},\"tolerance\":{},\"panels\":[", spec.horizon, shortest(TOLERANCE));
    for (i, (panel, curve)) in scenario.panels.iter().zip(curves(scenario)).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"panel\":");
        export::json_string(&mut out, PANEL_KEYS[i]);
        out.push_str(",\"optimizer\":");
        export::json_string(&mut out, &link::optimizer_text(&without_rate(&panel.optimizer), &shortest));
        out.push_str(",\"lr\":");
        json_number(&mut out, Some(panel.optimizer.lr()));
        out.push_str(",\"band\":");
        match curve.band() {
            Some((first, last)) => {
                let _ = write!(out, "[{},{}]", shortest(curve.rates[first]), shortest(curve.rates[last]));
            }
            None => out.push_str("null"),
        }
        out.push_str(",\"band_decades\":");
        json_number(&mut out, Some(curve.band_decades(&spec)));
        out.push_str(",\"rates\":[");
        for (j, (&lr, &outcome)) in curve.rates.iter().zip(&curve.outcomes).enumerate() {
            if j > 0 {
                out.push(',');
            }
            let (left, result, at) = cells(outcome);
            out.push_str("{\"lr\":");
            json_number(&mut out, Some(lr));
            out.push_str(",\"outcome\":");
            json_number(&mut out, left);
            let _ = write!(out, ",\"result\":\"{result}\",\"works\":{},\"diverged_at\":", outcome.works());
            match at {
                Some(n) => {
                    let _ = write!(out, "{n}");
                }
                None => out.push_str("null"),
            }
            out.push('}');
        }
        out.push_str("]}");
    }
    out.push_str("]}\n");
    out
}

/// A number, or `null` for none or for a value JSON cannot hold.
fn json_number(out: &mut String, value: Option<f64>) {
    match value.filter(|v| v.is_finite()) {
        Some(v) => out.push_str(&shortest(v)),
        None => out.push_str("null"),
    }
}

/// `optimizer` with its rate set back to the default, so that its link text names only the settings a
/// sweep keeps fixed.
fn without_rate(optimizer: &steplab_core::Optimizer) -> steplab_core::Optimizer {
    let default = optimizer.params().find(|(spec, _)| spec.name == "lr").map(|(spec, _)| spec.default);
    default.and_then(|lr| optimizer.with("lr", lr).ok()).unwrap_or(*optimizer)
}

/// Writes `text` to stdout; a reader that stops early (`| head`) is not an error.
fn print(text: &str) -> io::Result<()> {
    match io::stdout().lock().write_all(text.as_bytes()) {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        result => result,
    }
}

/// The `key=value` pieces of a query.
fn query_pieces(query: &str) -> Vec<&str> {
    query.strip_prefix('?').unwrap_or(query).split('&').filter(|piece| !piece.is_empty()).collect()
}

/// Whether the parser uses a piece of a query: parsed on its own, its key is known and its value was not
/// replaced by a default. (A bad setting inside an optimizer, `a.lr`, still leaves the optimizer used.)
fn usable(piece: &str) -> bool {
    link::parse(piece).notices.iter().all(|notice| match notice.kind {
        NoticeKind::UnknownKey => false,
        NoticeKind::UnknownId { .. } | NoticeKind::NotANumber { .. } => notice.key.contains('.'),
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use steplab_core::OptimizerKind;

    /// The help text gives the sweep's defaults and limits as numbers; they must be the core's.
    #[test]
    fn the_help_states_the_sweeps_defaults_and_limits_as_the_core_has_them() {
        let spec = SweepSpec::default();
        assert_eq!((spec.from, spec.to, spec.points, spec.horizon), (1e-4, 100.0, 61, 100));
        assert!(USAGE.contains("(default: the link's\n         horizon, else 100)"), "{USAGE}");
        assert!(USAGE.contains("else 61\n         from 1e-4 to 100)"), "{USAGE}");
        assert_eq!(TOLERANCE, 1e-6);
        assert!(USAGE.contains("works is 1 when at most 1e-6 is left"), "{USAGE}");
        let (low, high) = RATE_LIMITS;
        let (shortest_horizon, longest_horizon) = HORIZON_LIMITS;
        assert_eq!((low, high), (1e-6, 100.0), "the help says 1e-6 and 100");
        let limits = format!(
            "For sweep, N is {shortest_horizon} to {longest_horizon},\nA and B are from 1e-6 to 100 (the rates every \
             optimizer takes) with B at least 10 times A,\nand P is 2 to {MAX_POINTS}."
        );
        assert!(USAGE.contains(&limits), "{USAGE}");
        assert!(USAGE.contains(&format!("N is at most {MAX_STEP}")), "{USAGE}");
        for kind in OptimizerKind::ALL {
            let lr = kind.params().iter().find(|spec| spec.name == "lr").expect("every optimizer has a rate");
            assert_eq!((lr.min, lr.max), (1e-6, 100.0), "{}", kind.id());
        }
    }
}
