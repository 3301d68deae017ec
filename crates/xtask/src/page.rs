//! The release build of the page: one Trunk command for every task that builds it.

use std::path::Path;
use std::process::Command;

use crate::shell::Workspace;

/// `trunk build --release --dist <dist>`, run from the workspace root (Trunk.toml there sets the
/// relative `public_url` and the hook that moves the inline loader into its own file).
pub fn release_build(workspace: &Workspace, dist: &Path) -> Command {
    let mut command = workspace.command("trunk");
    command.args(["build", "--release", "--dist"]).arg(dist);
    command
}
