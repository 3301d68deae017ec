//! The README's commands: `cargo xtask serve` and `cargo xtask test`, and for releases and measurements
//! `cargo xtask dist [--out DIR]` (the release page in a folder checked to work from any static host and
//! sub-path, with its files' gzipped sizes; CI's Pages build is exactly this) and `cargo xtask bench`
//! (criterion's throughput of the core and the page measured in headless Chromium, written into
//! docs/PERFORMANCE.md). Each first installs what a fresh machine lacks, so rustup, cargo and Node.js are
//! all a user needs beforehand.

mod exports;
mod loader;
mod minify;
mod page;
mod pictures;
mod pins;
mod precompress;
mod selfcontained;
mod setup;
mod shell;
mod suites;
mod tally;

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use setup::Purpose;
use shell::{run_ok, say, Workspace};

const DEFAULT_PORT: u16 = 8080;
/// `cargo xtask dist` without `--out`, at the workspace root (the folder Trunk.toml names too).
const DEFAULT_DIST: &str = "dist";
/// The page the benchmark measures: a release build, as in the test suite's target/e2e-dist.
const BENCH_DIST: &str = "target/bench-dist";

const USAGE: &str = "\
usage:
  cargo xtask serve [--port N]   build Step Lab and serve it on http://127.0.0.1:N/ (default 8080)
  cargo xtask test               run every check and test suite; ends with `N passed, N failed`
  cargo xtask dist [--out DIR]   build the release page into DIR (default: dist/ at the workspace root),
                                 check that it is self-contained (relative links to its own files only,
                                 so it works under any sub-path) and list its files with gzipped sizes
  cargo xtask bench              measure the core (criterion) and the release page (headless Chromium),
                                 print the figures against their budgets and write them into
                                 docs/PERFORMANCE.md; a missed budget is reported, not an error

The first run installs what is missing: the wasm32 target, trunk, wasm-bindgen-cli, the npm
packages of tests/, and (for `test` and `bench`) Debian's chromium and chromium-driver.";

#[derive(Debug, PartialEq, Eq)]
enum Task {
    Serve {
        port: u16,
    },
    Test,
    Dist {
        /// As given on the command line (relative to the current directory); None for the default.
        out: Option<PathBuf>,
    },
    Bench,
    Help,
    /// Trunk's post-build hook (loader.rs, minify.rs); not for users.
    PostBuild,
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
        "bench" if options.is_empty() => Ok(Task::Bench),
        "test" | "bench" => Err(format!("`{task}` takes no options, got `{}`", options.join(" "))),
        "dist" => Ok(Task::Dist { out: parse_out(options)? }),
        "help" | "--help" | "-h" => Ok(Task::Help),
        "post-build" => Ok(Task::PostBuild),
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

fn parse_out(options: &[String]) -> Result<Option<PathBuf>, String> {
    let value = match options {
        [] => return Ok(None),
        [flag, value] if flag == "--out" => value.as_str(),
        [joined] if joined.starts_with("--out=") => &joined["--out=".len()..],
        _ => return Err(format!("`dist` takes only `--out DIR`, got `{}`", options.join(" "))),
    };
    if value.is_empty() {
        return Err("`--out` needs a folder".into());
    }
    Ok(Some(PathBuf::from(value)))
}

fn run(task: Task) -> Result<ExitCode, String> {
    match task {
        Task::Help => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Task::Serve { port } => serve(port),
        Task::Test => test(),
        Task::Dist { out } => dist(out),
        Task::Bench => bench(),
        Task::PostBuild => {
            let staging = std::env::var_os("TRUNK_STAGING_DIR").ok_or("post-build runs as Trunk's post_build hook")?;
            let staging = std::path::Path::new(&staging);
            let workspace = Workspace::locate()?;
            let (export_glue, export_bytes) = exports::write(staging, &workspace)?;
            say(&format!("built the export module, loaded on the first export: {export_glue} and its wasm ({export_bytes} bytes)"));
            let name = loader::externalize(staging, &export_glue)?;
            say(&format!("moved Trunk's inline loader into {name} (Content-Security-Policy: script-src 'self')"));
            if loader::drop_wasm_preload(staging)? {
                say(
                    "removed the wasm's preload: the first paint does not share the link with it (docs/PERFORMANCE.md)",
                );
            }
            let (links, bytes) = pictures::write(staging)?;
            say(&format!("drew the first pictures of {links} links ({bytes} bytes of SVG in {}/)", pictures::FOLDER));
            let esbuild = workspace.tests_dir().join("node_modules/.bin/esbuild");
            for (file, before, after) in minify::minify(staging, &esbuild)? {
                say(&format!("minified {file}: {before} → {after} bytes"));
            }
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

fn dist(out: Option<PathBuf>) -> Result<ExitCode, String> {
    let workspace = Workspace::locate()?;
    let out = match out {
        Some(out) => page::absolute(&out),
        None => workspace.root.join(DEFAULT_DIST),
    };
    // Before any install or build: Trunk empties this folder.
    page::check_out_dir(&out, &workspace.root)?;
    setup::prepare(&workspace, Purpose::Dist)?;
    run_ok(&mut page::release_build(&workspace, &out))?;
    say(&format!("checking that {} is self-contained", out.display()));
    let mut verdict = selfcontained::verify(&out);
    selfcontained::print_sizes(&verdict);
    verdict.problems.extend(pictures::check(&out));
    if !verdict.problems.is_empty() {
        return Err(verdict.summary(&out));
    }
    say(&format!(
        "{} is self-contained: every reference is relative and names a file in it, no other host is named, \
         and the integrity hashes match; copy it to any static host, under any path",
        out.display()
    ));
    let written = precompress::write(&out)?;
    let problems = precompress::check(&out);
    if !problems.is_empty() {
        return Err(format!("the precompressed copies are wrong: {}", problems.join("; ")));
    }
    say("beside each file, a .gz and a .br copy for hosts that serve precompressed files (README, \"Deploying\"):");
    for file in &written {
        println!("  {:<44} {:>9} bytes  gzip {:>8}  brotli {:>8}", file.name, file.bytes, file.gzip, file.brotli);
    }
    // What a browser loads for the default link: every file but the TypeScript declaration, which is for
    // authors, and the presets' first pictures (the default link's are inside index.html).
    // Nor the export module, loaded on the first export only.
    let loaded = written.iter().filter(|file| {
        !file.name.ends_with(".d.ts") && !file.name.starts_with("first/") && !file.name.starts_with("export-")
    });
    let (gzip, brotli) = loaded.fold((0, 0), |(g, b), file| (g + file.gzip, b + file.brotli));
    println!("  the page: gzip {:.1} KB, brotli {:.1} KB", gzip as f64 / 1024.0, brotli as f64 / 1024.0);
    Ok(ExitCode::SUCCESS)
}

fn bench() -> Result<ExitCode, String> {
    let workspace = Workspace::locate()?;
    setup::prepare(&workspace, Purpose::Bench)?;
    run_ok(&mut page::release_build(&workspace, Path::new(BENCH_DIST)))?;
    // Results land in target/criterion, where the page half reads them.
    run_ok(workspace.cargo().args(["bench", "-p", "steplab-core", "--bench", "throughput"]))?;
    let docs = workspace.root.join("docs");
    fs::create_dir_all(&docs).map_err(|err| format!("cannot create {}: {err}", docs.display()))?;
    // Its output (the budget table) streams through; it exits nonzero only when it could not measure.
    run_ok(
        workspace
            .command("node")
            .args(["tools/bench.mjs", "../target/bench-dist", "../target/criterion", "../docs/PERFORMANCE.md"])
            .current_dir(workspace.tests_dir()),
    )?;
    say("benchmark done: figures over budget are marked in the table above; docs/PERFORMANCE.md is updated");
    Ok(ExitCode::SUCCESS)
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
    fn dist_defaults_to_the_workspace_dist_folder() {
        assert_eq!(parse(&args(&["dist"])), Ok(Task::Dist { out: None }));
    }

    #[test]
    fn dist_takes_an_output_folder_in_either_spelling() {
        let out = |path: &str| Ok(Task::Dist { out: Some(PathBuf::from(path)) });
        assert_eq!(parse(&args(&["dist", "--out", "public"])), out("public"));
        assert_eq!(parse(&args(&["dist", "--out=/tmp/site"])), out("/tmp/site"));
    }

    #[test]
    fn a_bad_dist_option_is_explained() {
        let err = parse(&args(&["dist", "--port", "9000"])).unwrap_err();
        assert!(err.contains("--out DIR") && err.contains("--port 9000"), "{err}");
        assert!(parse(&args(&["dist", "--out"])).is_err());
        assert!(parse(&args(&["dist", "--out="])).is_err());
        assert!(parse(&args(&["dist", "--out", "a", "b"])).is_err());
    }

    #[test]
    fn bench_takes_no_options() {
        assert_eq!(parse(&args(&["bench"])), Ok(Task::Bench));
        let err = parse(&args(&["bench", "--quick"])).unwrap_err();
        assert!(err.contains("`bench` takes no options") && err.contains("--quick"), "{err}");
    }

    #[test]
    fn unknown_tasks_and_options_are_refused() {
        assert!(parse(&args(&["deploy"])).is_err());
        assert!(parse(&args(&["test", "--fast"])).is_err());
        assert_eq!(parse(&args(&[])), Ok(Task::Help));
    }
}
