//! The release build of the page, shared by `test`, `bench` and `dist`: one Trunk command, and a guard
//! for folders given by the user, since Trunk empties the folder it builds into.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::shell::Workspace;

/// `trunk build --release --dist <dist>`, run from the workspace root (Trunk.toml there sets the
/// relative `public_url` and the hook that moves the inline loader into its own file).
pub fn release_build(workspace: &Workspace, dist: &Path) -> Command {
    let mut command = workspace.command("trunk");
    command.args(["build", "--release", "--dist"]).arg(dist);
    command
}

/// Refuses an output folder whose contents Trunk must not delete: the workspace itself or a folder
/// above it, the page's sources in www/, or any folder with files in it that is not an earlier build
/// (one with an index.html at its top).
pub fn check_out_dir(out: &Path, root: &Path) -> Result<(), String> {
    let out = absolute(out);
    let root = absolute(root);
    let shown = out.display();
    if root.starts_with(&out) {
        return Err(format!("{shown} holds the workspace; Trunk empties the folder it builds into, so choose another"));
    }
    if out.starts_with(root.join("www")) {
        return Err(format!("{shown} is inside www/, the page's sources; choose another folder"));
    }
    if out.exists() && !out.is_dir() {
        return Err(format!("{shown} exists and is not a folder"));
    }
    let mut entries = fs::read_dir(&out).map(|entries| entries.flatten().peekable()).ok();
    let empty = entries.as_mut().is_none_or(|entries| entries.peek().is_none());
    if !empty && !out.join("index.html").is_file() {
        return Err(format!(
            "{shown} is not empty and holds no index.html of an earlier build; Trunk would delete everything in \
             it, so empty it yourself or choose another folder"
        ));
    }
    Ok(())
}

/// The path made absolute against the current directory, with `.` and `..` taken out where the folders
/// exist (so that `--out ../x` and `--out .` compare as the folders they name).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = std::env::current_dir().map(|cwd| cwd.join(path)).unwrap_or_else(|_| path.to_path_buf());
    // The longest existing ancestor is canonicalised; the part that does not exist yet is kept as written.
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            return rest.iter().rev().fold(canonical, |path: PathBuf, part| path.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return joined,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-page-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_new_folder_an_empty_one_and_an_earlier_build_are_fine() {
        let root = scratch("fine");
        fs::create_dir_all(root.join("www")).unwrap();
        assert_eq!(check_out_dir(&root.join("dist"), &root), Ok(()));
        fs::create_dir_all(root.join("dist")).unwrap();
        assert_eq!(check_out_dir(&root.join("dist"), &root), Ok(()));
        fs::write(root.join("dist/index.html"), "<!doctype html>").unwrap();
        fs::write(root.join("dist/app.js"), "").unwrap();
        assert_eq!(check_out_dir(&root.join("dist"), &root), Ok(()));
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn folders_trunk_must_not_empty_are_refused() {
        let root = scratch("refused");
        fs::create_dir_all(root.join("www")).unwrap();
        fs::write(root.join("www/index.html"), "<!doctype html>").unwrap();
        fs::create_dir_all(root.join("notes")).unwrap();
        fs::write(root.join("notes/todo.txt"), "keep me").unwrap();
        let err = check_out_dir(&root, &root).unwrap_err();
        assert!(err.contains("holds the workspace"), "{err}");
        assert!(check_out_dir(&root.join("www/.."), &root).is_err(), "`..` is resolved");
        assert!(check_out_dir(root.parent().unwrap(), &root).is_err());
        let err = check_out_dir(&root.join("www"), &root).unwrap_err();
        assert!(err.contains("www/"), "{err}");
        let err = check_out_dir(&root.join("notes"), &root).unwrap_err();
        assert!(err.contains("not empty"), "{err}");
        let err = check_out_dir(&root.join("notes/todo.txt"), &root).unwrap_err();
        assert!(err.contains("not a folder"), "{err}");
        fs::remove_dir_all(&root).unwrap();
    }
}
