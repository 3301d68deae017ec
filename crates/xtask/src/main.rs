//! The README's two commands, `cargo xtask serve` and `cargo xtask test`. Both first install
//! what a fresh machine lacks, so rustup, cargo and Node.js are all a user needs beforehand.

mod loader;
mod page;
mod pins;
mod selfcontained;
mod setup;
mod shell;
mod suites;
mod tally;

use std::net::TcpListener;
use std::process::ExitCode;

use setup::Purpose;
use shell::{run_ok, say, Workspace};

const DEFAULT_PORT: u16 = 8080;

const USAGE: &str = "\
usage:
  cargo xtask serve [--port N]   build Step Lab and serve it on http://127.0.0.1:N/ (default 8080)
  cargo xtask test               run every check and test suite; ends with `N passed, N failed`

The first run installs what is missing: the wasm32 target, trunk, wasm-bindgen-cli, the npm
packages of tests/, and (for `test`) Debian's chromium and chromium-driver.";

#[derive(Debug, PartialEq, Eq)]
enum Task {
    Serve {
        port: u16,
    },
    Test,
    Help,
    /// Trunk's post-build hook (see loader.rs); not for users.
    ExternalizeLoader,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = match parse(&args) {
        Ok(task) => task,
        Err(err) => {
            eprintln!("xtask: {err}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(task) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("xtask: error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: &[String]) -> Result<Task, String> {
    let Some((task, options)) = args.split_first() else {
        return Ok(Task::Help);
    };
    match task.as_str() {
        "serve" => Ok(Task::Serve { port: parse_port(options)? }),
        "test" if options.is_empty() => Ok(Task::Test),
        "test" => Err(format!("`test` takes no options, got `{}`", options.join(" "))),
        "help" | "--help" | "-h" => Ok(Task::Help),
        "externalize-loader" => Ok(Task::ExternalizeLoader),
        other => Err(format!("unknown task `{other}`")),
    }
}

fn parse_port(options: &[String]) -> Result<u16, String> {
    let value = match options {
        [] => return Ok(DEFAULT_PORT),
        [flag, value] if flag == "--port" => value.as_str(),
        [joined] if joined.starts_with("--port=") => &joined["--port=".len()..],
        _ => return Err(format!("`serve` takes only `--port N`, got `{}`", options.join(" "))),
    };
    value
        .parse::<u16>()
        .ok()
        .filter(|port| *port != 0)
        .ok_or_else(|| format!("`{value}` is not a port number between 1 and 65535"))
}

fn run(task: Task) -> Result<ExitCode, String> {
    match task {
        Task::Help => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Task::Serve { port } => serve(port),
        Task::Test => test(),
        Task::ExternalizeLoader => {
            let staging =
                std::env::var_os("TRUNK_STAGING_DIR").ok_or("externalize-loader runs as Trunk's post_build hook")?;
            let name = loader::externalize(std::path::Path::new(&staging))?;
            say(&format!("moved Trunk's inline loader into {name} (Content-Security-Policy: script-src 'self')"));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn serve(port: u16) -> Result<ExitCode, String> {
    // Trunk finds a busy port only after the build; tell the user before any wait.
    TcpListener::bind(("127.0.0.1", port))
        .map_err(|err| format!("cannot listen on 127.0.0.1:{port} ({err}); choose another with --port N"))?;
    let workspace = Workspace::locate()?;
    setup::prepare(&workspace, Purpose::Serve)?;
    say(&format!("Step Lab will be at http://127.0.0.1:{port}/ once the build below finishes (Ctrl-C stops it)"));
    let port = port.to_string();
    // Without --disable-address-lookup Trunk also lists every name the machine resolves to.
    let serve = ["serve", "--release", "--address", "127.0.0.1", "--port", &port, "--disable-address-lookup"];
    run_ok(workspace.command("trunk").args(serve))?;
    Ok(ExitCode::SUCCESS)
}

fn test() -> Result<ExitCode, String> {
    let workspace = Workspace::locate()?;
    setup::prepare(&workspace, Purpose::Test)?;
    let total = suites::run_all(&workspace);
    // The closing line CI reads: alone on its line and last.
    println!("{total}");
    Ok(if total.failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|word| word.to_string()).collect()
    }

    #[test]
    fn serve_defaults_to_port_8080() {
        assert_eq!(parse(&args(&["serve"])), Ok(Task::Serve { port: 8080 }));
    }

    #[test]
    fn serve_takes_a_port_in_either_spelling() {
        assert_eq!(parse(&args(&["serve", "--port", "9000"])), Ok(Task::Serve { port: 9000 }));
        assert_eq!(parse(&args(&["serve", "--port=9001"])), Ok(Task::Serve { port: 9001 }));
    }

    #[test]
    fn a_bad_port_is_explained() {
        let err = parse(&args(&["serve", "--port", "80000"])).unwrap_err();
        assert!(err.contains("80000"), "{err}");
        assert!(parse(&args(&["serve", "--port", "0"])).is_err());
        assert!(parse(&args(&["serve", "--port"])).is_err());
    }

    #[test]
    fn unknown_tasks_and_options_are_refused() {
        assert!(parse(&args(&["deploy"])).is_err());
        assert!(parse(&args(&["test", "--fast"])).is_err());
        assert_eq!(parse(&args(&[])), Ok(Task::Help));
    }
}
