//! Part of Trunk's `post_build` hook: Trunk 0.21 cannot minify wasm-bindgen's JS glue (its minifier
//! stops on the glue's syntax), so esbuild (an npm package of tests/) minifies every JS and CSS file of
//! the build in place, and the `integrity` attributes of index.html are recomputed for the files that
//! changed, so that the browser still accepts them. About 2 KB gzipped less for every student.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::selfcontained::digest;

/// Minifies the `.js` and `.css` files at the top of `dir` with `esbuild`, then rewrites the integrity
/// attributes of `dir/index.html`. Returns each minified file with its size before and after.
pub fn minify(dir: &Path, esbuild: &Path) -> Result<Vec<(String, u64, u64)>, String> {
    let mut changed = Vec::new();
    let entries = fs::read_dir(dir).map_err(|err| format!("cannot list {}: {err}", dir.display()))?;
    let mut names: Vec<String> = entries.flatten().filter_map(|entry| entry.file_name().into_string().ok()).collect();
    names.sort();
    for name in names.iter().filter(|name| name.ends_with(".js") || name.ends_with(".css")) {
        let path = dir.join(name);
        let before = fs::metadata(&path).map_err(|err| format!("cannot read {name}: {err}"))?.len();
        let mut command = Command::new(esbuild);
        command.arg(&path).arg("--minify").arg("--log-level=warning").arg("--allow-overwrite");
        if name.ends_with(".js") {
            // Keep the ES module as a module: the glue's exports and `import.meta.url` stay.
            command.arg("--format=esm");
        }
        let status = command
            .arg(format!("--outfile={}", path.display()))
            .status()
            .map_err(|err| format!("cannot run {} ({err}); `npm ci` in tests/ installs it", esbuild.display()))?;
        if !status.success() {
            return Err(format!("esbuild could not minify {name} ({status})"));
        }
        let after = fs::metadata(&path).map_err(|err| format!("cannot read {name}: {err}"))?.len();
        changed.push((name.clone(), before, after));
    }
    let index = dir.join("index.html");
    let html = fs::read_to_string(&index).map_err(|err| format!("cannot read {}: {err}", index.display()))?;
    let read = |name: &str| fs::read(dir.join(name)).ok();
    fs::write(&index, with_fresh_integrity(&html, &read)).map_err(|err| format!("cannot write index.html: {err}"))?;
    Ok(changed)
}

/// `html` with every `integrity="alg-…"` attribute recomputed from the file its tag's `href` or `src`
/// names (as `read` returns it), in the same algorithm; tags whose file cannot be read are left alone.
fn with_fresh_integrity(html: &str, read: &dyn Fn(&str) -> Option<Vec<u8>>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else { break };
        let tag = &rest[open..open + close + 1];
        out.push_str(&rest[..open]);
        out.push_str(&refresh_tag(tag, read).unwrap_or_else(|| tag.to_owned()));
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The tag with its integrity recomputed, or `None` to keep it as it is.
fn refresh_tag(tag: &str, read: &dyn Fn(&str) -> Option<Vec<u8>>) -> Option<String> {
    let value = |name: &str| -> Option<&str> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(&tag[start..start + tag[start..].find('"')?])
    };
    let old = value("integrity")?;
    let file = value("href").or_else(|| value("src"))?;
    let bytes = read(file.trim_start_matches("./"))?;
    let algorithm = old.split('-').next()?;
    let fresh = format!("{algorithm}-{}", digest(algorithm, &bytes)?);
    Some(tag.replacen(&format!(" integrity=\"{old}\""), &format!(" integrity=\"{fresh}\""), 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sri384(bytes: &[u8]) -> String {
        format!("sha384-{}", digest("sha384", bytes).unwrap())
    }

    #[test]
    fn integrity_is_recomputed_from_the_files_as_they_are_now() {
        let html = "<head><link rel=\"modulepreload\" href=\"./app.js\" integrity=\"sha384-old\">\
                    <link rel=\"stylesheet\" href=\"./s.css\" integrity=\"sha256-old\"/>\
                    <link rel=\"icon\" href=\"data:,\"></head><body><p>a > b</p></body>";
        let read = |name: &str| match name {
            "app.js" => Some(b"export{}".to_vec()),
            "s.css" => Some(b"p{}".to_vec()),
            _ => None,
        };
        let fresh = with_fresh_integrity(html, &read);
        assert!(fresh.contains(&format!("href=\"./app.js\" integrity=\"{}\"", sri384(b"export{}"))), "{fresh}");
        let css = format!("sha256-{}", digest("sha256", b"p{}").unwrap());
        assert!(fresh.contains(&format!("integrity=\"{css}\"/>")), "{fresh}");
        assert!(fresh.ends_with("<p>a > b</p></body>"), "text around tags is kept: {fresh}");
        assert!(fresh.contains("<link rel=\"icon\" href=\"data:,\">"));
    }

    #[test]
    fn a_tag_whose_file_is_missing_keeps_its_integrity() {
        let html = "<script src=\"./gone.js\" integrity=\"sha384-keep\"></script>";
        assert_eq!(with_fresh_integrity(html, &|_| None), html);
    }
}
