//! `steplab`: Step Lab's scenarios outside the browser. A scenario is given as a page link's query
//! (`?loss=…&a=…`); `trace` prints every panel's trajectory as CSV or JSON, `figure` draws the triptych
//! as an SVG. Everything is computed by steplab-core; this file only reads arguments and writes output.

use std::io::{self, Write};
use std::process::ExitCode;
use steplab_core::link::{self, NoticeKind};
// One printer for every number the CLI writes, the page's (JavaScript's) layout: full precision, and
// exponent form below 1e-6 and from 1e21 on, so a CSV or JSON file reads the same from either.
use steplab_core::num::print as shortest;
use steplab_core::{export, figure, Lab, MAX_STEP};

const USAGE: &str = "\
Step Lab from the command line: the page's scenarios, as data or as a figure.

Usage:
  steplab trace \"<query>\" [--steps N] [--format csv|json]
  steplab figure \"<query>\" --out FILE.svg [--steps N]
  steplab --help

<query> is a Step Lab link's query, e.g. \"?loss=quadratic&x0=4&a=sgd:lr=0.95&c=adagrad:lr=1.5\"
(quote it: & means something to the shell). \"\" is the page's opening scenario.

trace    prints every panel's steps 0..=N (default 100) to stdout. CSV columns:
         panel,n,x1[,x2],loss,eff_lr1[,eff_lr2],status (x2 and eff_lr2 for 2-D losses only).
figure   writes the three panels at step N (default: the link's t, else 60) as an SVG.

N is at most 1000. Anything in the query that could not be used is reported on stderr; the
command still runs. Exit status: 0 on success, 2 for unusable input.";

/// The default number of steps `trace` prints and the default step `figure` draws.
const TRACE_STEPS: u32 = 100;
const FIGURE_STEP: u32 = 60;

/// Why a command did not run, in one sentence; either way the exit status is 2.
enum Failure {
    /// Something in the command line or the query.
    Usage(String),
    /// The output could not be written.
    Output(String),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Format {
    Csv,
    Json,
}

/// The command line after parsing, before anything is computed.
struct Command {
    figure: bool,
    query: String,
    steps: Option<u32>,
    format: Option<Format>,
    out: Option<String>,
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
    let figure = match args[0].as_str() {
        "trace" => false,
        "figure" => true,
        other => return Err(Failure::Usage(format!("unknown command “{other}” (expected trace or figure)"))),
    };
    let mut command = Command { figure, query: String::new(), steps: None, format: None, out: None };
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
        match flag {
            "--steps" => command.steps = Some(parse_steps(&value()?)?),
            "--format" if !figure => {
                command.format = Some(match value()?.as_str() {
                    "csv" => Format::Csv,
                    "json" => Format::Json,
                    other => return Err(Failure::Usage(format!("--format must be csv or json, not “{other}”"))),
                })
            }
            "--out" if figure => command.out = Some(value()?),
            _ => return Err(Failure::Usage(format!("{} does not take {flag}", args[0]))),
        }
    }
    command.query =
        query.ok_or_else(|| Failure::Usage(format!("{} needs a query, e.g. \"?loss=quadratic\"", args[0])))?;
    if figure && command.out.is_none() {
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

fn run(command: &Command) -> Result<(), Failure> {
    let parsed = link::parse(&command.query);
    for notice in &parsed.notices {
        eprintln!("steplab: notice: {}", notice.text(&shortest));
    }
    let pieces = query_pieces(&command.query);
    if !pieces.is_empty() && !pieces.iter().any(|piece| usable(piece)) {
        return Err(Failure::Usage(format!("nothing in “{}” is part of a Step Lab link", command.query)));
    }
    let mut lab = Lab::new(parsed.scenario);
    if command.figure {
        lab.seek(command.steps.or(parsed.t).unwrap_or(FIGURE_STEP));
        let path = command.out.as_deref().unwrap_or_default();
        if let Err(err) = std::fs::write(path, figure::triptych_svg(&lab, &shortest)) {
            return Err(Failure::Output(format!("cannot write {path}: {err}")));
        }
    } else {
        let steps = command.steps.unwrap_or(TRACE_STEPS);
        lab.seek(steps);
        let text = match command.format.unwrap_or(Format::Csv) {
            Format::Csv => export::csv(&lab, steps, &shortest),
            Format::Json => export::json(&lab, steps, &shortest),
        };
        if let Err(err) = print(&text) {
            return Err(Failure::Output(format!("cannot write to stdout: {err}")));
        }
    }
    Ok(())
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
