//! Running other programs from the workspace root with the tools xtask installs first on PATH,
//! echoing what runs so the user can repeat any step by hand.

use std::env;
use std::ffi::{OsStr, OsString};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub struct Workspace {
    pub root: PathBuf,
    search_path: OsString,
}

impl Workspace {
    pub fn locate() -> Result<Workspace, String> {
        // xtask lives in crates/xtask, so the root is fixed relative to its manifest.
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest_dir
            .ancestors()
            .nth(2)
            .filter(|root| root.join("Cargo.toml").is_file())
            .ok_or_else(|| format!("cannot find the workspace root above {}", manifest_dir.display()))?
            .to_path_buf();
        let search_path = tool_search_path(&root)?;
        Ok(Workspace { root, search_path })
    }

    pub fn tests_dir(&self) -> PathBuf {
        self.root.join("tests")
    }

    /// A command run from the workspace root. npm's binaryen comes first on PATH because
    /// Trunk must find its wasm-opt 132, not an older one from the system.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.root).env("PATH", &self.search_path).env("TRUNK_SKIP_VERSION_CHECK", "true");
        command
    }

    /// `cargo` of the toolchain that runs xtask, so nested builds never switch toolchains.
    pub fn cargo(&self) -> Command {
        self.command(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
    }

    /// The first line a `--version` flag prints, or None when the program is missing.
    pub fn version_of(&self, program: &str) -> Option<String> {
        let output = self.command(program).arg("--version").output().ok()?;
        if !output.status.success() {
            return None;
        }
        let text = String::from_utf8_lossy(&output.stdout);
        text.lines().next().map(|line| line.trim().to_string())
    }
}

fn tool_search_path(root: &Path) -> Result<OsString, String> {
    let mut dirs = vec![root.join("tests/node_modules/.bin")];
    // `cargo install` puts binaries here; some shells run cargo without it on PATH.
    if let Some(cargo_home) = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
    {
        dirs.push(cargo_home.join("bin"));
    }
    dirs.extend(env::var_os("PATH").iter().flat_map(env::split_paths));
    env::join_paths(dirs).map_err(|err| format!("cannot build PATH for the tools: {err}"))
}

/// Shows a command as the user would type it.
pub fn describe(command: &Command) -> String {
    let program =
        Path::new(command.get_program()).file_name().unwrap_or(command.get_program()).to_string_lossy().into_owned();
    let mut words = vec![program];
    words.extend(command.get_args().map(|arg| arg.to_string_lossy().into_owned()));
    words.join(" ")
}

/// Runs with the child's output going straight to the terminal, so installers show progress.
pub fn run(command: &mut Command) -> Result<ExitStatus, String> {
    say(&format!("$ {}", describe(command)));
    command.status().map_err(|err| format!("cannot start `{}`: {err}", describe(command)))
}

/// Like [`run`] but fails unless the command succeeds.
pub fn run_ok(command: &mut Command) -> Result<(), String> {
    let status = run(command)?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(command)))
    }
}

/// Runs, echoing the child's stdout line by line to ours and handing each line to `on_line`
/// (stderr goes straight through: cargo prints its progress there).
pub fn run_watching_stdout(command: &mut Command, mut on_line: impl FnMut(&str)) -> Result<ExitStatus, String> {
    say(&format!("$ {}", describe(command)));
    let mut child =
        command.stdout(Stdio::piped()).spawn().map_err(|err| format!("cannot start `{}`: {err}", describe(command)))?;
    if let Some(stdout) = child.stdout.take() {
        let mut echo = io::stdout().lock();
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|err| format!("cannot read the output: {err}"))?;
            // A closed terminal must not stop the run; the child's exit status still counts.
            let _ = writeln!(echo, "{line}").and_then(|()| echo.flush());
            on_line(&line);
        }
    }
    child.wait().map_err(|err| format!("cannot wait for `{}`: {err}", describe(command)))
}

pub fn say(message: &str) {
    println!("xtask: {message}");
}

pub fn human_duration(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds < 60.0 {
        format!("{seconds:.1} s")
    } else {
        format!("{} min {:02} s", duration.as_secs() / 60, duration.as_secs() % 60)
    }
}

/// Runs `step` and reports how long it took, so the install estimates can be checked.
pub fn timed<T>(what: &str, step: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    let started = Instant::now();
    let result = step();
    let verdict = if result.is_ok() { "done" } else { "failed" };
    say(&format!("{what}: {verdict} in {}", human_duration(started.elapsed())));
    result
}
