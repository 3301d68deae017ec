//! Is a built page folder self-contained? It must work copied as it is to any static host and under any
//! sub-path (`https://example.org/courses/steplab/`), so:
//!
//! - every reference in its HTML, JavaScript and CSS (`src`, `href`, `srcset`, `import … from`,
//!   `import()`, `new URL(…)`, `fetch(…)`, `url(…)`, `@import`) is a relative URL naming a file of the
//!   folder: no `/x.js` (it would point at the host's root), no `//host/…`, no `http:`/`https:` or other
//!   scheme except `data:`, and no `..` out of the folder;
//! - no file holds an absolute `http://` or `https://` URL anywhere in its text (the wasm's strings
//!   included), apart from the W3C's XML namespaces (`http://www.w3.org/2000/svg`), which are names and
//!   never fetched;
//! - every `integrity` attribute (Trunk writes them) matches the file it guards, as a browser checks.
//!
//! Reading a page this way is deliberately simple (no full HTML or JavaScript parser): it knows the shapes
//! Trunk and wasm-bindgen write, and errs on the side of reporting.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// One file of the folder: its path inside it (with `/`), its size and its size gzipped at level 9.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSize {
    pub name: String,
    pub bytes: u64,
    pub gzipped: u64,
}

#[derive(Debug, Default)]
pub struct Verdict {
    /// Every file, sorted by name.
    pub files: Vec<FileSize>,
    /// What breaks self-containment, one sentence each, naming the file; empty when the folder is fine.
    pub problems: Vec<String>,
}

impl Verdict {
    pub fn total(&self) -> (u64, u64) {
        self.files.iter().fold((0, 0), |(bytes, gzipped), file| (bytes + file.bytes, gzipped + file.gzipped))
    }

    /// The problems as one message, for an error or a summary note.
    pub fn summary(&self, dir: &Path) -> String {
        let count = self.problems.len();
        let list: String = self.problems.iter().map(|problem| format!("\n  - {problem}")).collect();
        format!("{} is not self-contained ({count} problem{}):{list}", dir.display(), if count == 1 { "" } else { "s" })
    }
}

/// Checks the folder `dir`; an unreadable folder is a problem like any other.
pub fn verify(dir: &Path) -> Verdict {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    if let Err(err) = collect(dir, "", &mut files) {
        problems.push(format!("cannot read {}: {err}", dir.display()));
        return Verdict { files: Vec::new(), problems };
    }
    // The precompressed copies (`cargo xtask dist`) are checked by precompress.rs, not read as pages.
    files.retain(|(name, _)| !crate::precompress::is_copy(name));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let names: BTreeSet<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    if !names.contains("index.html") {
        problems.push(format!("{} has no index.html", dir.display()));
    }

    let mut references = Vec::new();
    let mut integrities = Vec::new();
    for (name, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        let found = match extension(name) {
            "html" | "htm" => {
                let (found, guarded) = html_references(&text);
                integrities.extend(guarded.into_iter().map(|guard| (name.as_str(), guard)));
                found
            }
            "js" | "mjs" => js_references(&text),
            "css" => css_references(&text),
            _ => Vec::new(),
        };
        references.extend(found.into_iter().map(|reference| (name.as_str(), reference)));
        for url in absolute_urls(bytes) {
            problems.push(format!(
                "{name}: holds the absolute URL `{url}`; the page may load only files of its own folder"
            ));
        }
    }

    // wasm-bindgen's glue falls back to `new URL('<crate>_bg.wasm', import.meta.url)`, a name Trunk changes
    // (it adds a hash); the fallback is dead when a loader passes the real file as `module_or_path`, or
    // fetches it to hand over the response (our boot script: `crates/xtask/src/loader.rs`).
    let loader_passes_wasm = references.iter().any(|(file, reference)| {
        reference.origin == Origin::LoaderWasm
            && matches!(resolve(file, reference), Ok(Some(path)) if names.contains(path.as_str()))
    });
    for (file, reference) in &references {
        match resolve(file, reference) {
            Ok(Some(path)) if names.contains(path.as_str()) => {}
            Ok(Some(_)) if reference.origin == Origin::BindgenDefault && loader_passes_wasm => {}
            Ok(Some(path)) => problems.push(format!(
                "{file}: `{}` names {path}, which is not in the folder{}",
                reference.url,
                if reference.origin == Origin::BindgenDefault {
                    " (wasm-bindgen's default path; no loader passes `module_or_path` to a file that is)"
                } else {
                    ""
                }
            )),
            Ok(None) => {}
            Err(why) => problems.push(format!("{file}: `{}` is {why}", reference.url)),
        }
    }

    for (file, (url, integrity)) in &integrities {
        let reference = Reference { url: url.clone(), origin: Origin::Markup };
        let Ok(Some(path)) = resolve(file, &reference) else { continue };
        // A missing file is reported above.
        let Some((_, bytes)) = files.iter().find(|(name, _)| *name == path) else { continue };
        if let Err(why) = check_integrity(integrity, bytes) {
            problems.push(format!("{file}: the integrity of `{url}` {why}; a browser would refuse the file"));
        }
    }

    let files = files
        .iter()
        .map(|(name, bytes)| FileSize { name: name.clone(), bytes: bytes.len() as u64, gzipped: gzipped_size(bytes) })
        .collect();
    Verdict { files, problems }
}

/// Prints every file with its size and gzipped size, and the total.
pub fn print_sizes(verdict: &Verdict) {
    let width = verdict.files.iter().map(|file| file.name.chars().count()).max().unwrap_or(0).max(12);
    println!("  {:<width$}  {:>9}  {:>9}", "file", "bytes", "gzipped");
    for file in &verdict.files {
        println!("  {:<width$}  {:>9}  {:>9}  ({})", file.name, file.bytes, file.gzipped, kb(file.gzipped));
    }
    let (bytes, gzipped) = verdict.total();
    let total = format!("total ({} files)", verdict.files.len());
    println!("  {total:<width$}  {bytes:>9}  {gzipped:>9}  ({})", kb(gzipped));
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

fn collect(dir: &Path, prefix: &str, files: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        // Follows links, as a static host would.
        let metadata = fs::metadata(entry.path())?;
        if metadata.is_dir() {
            collect(&entry.path(), &format!("{name}/"), files)?;
        } else {
            files.push((name, fs::read(entry.path())?));
        }
    }
    Ok(())
}

fn extension(name: &str) -> &str {
    name.rsplit_once('.').map(|(_, extension)| extension).unwrap_or("")
}

fn gzipped_size(bytes: &[u8]) -> u64 {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::new(9));
    // Writing into a Vec cannot fail.
    encoder.write_all(bytes).expect("gzip into memory");
    encoder.finish().expect("gzip into memory").len() as u64
}

/// How a reference is resolved, and the two shapes of wasm-bindgen's loading that need telling apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// HTML attributes, CSS, `import`, `new URL(…, import.meta.url)`: relative to the file itself.
    Markup,
    /// `fetch('…')` and friends: relative to the page (index.html at the top of the folder).
    Page,
    /// `init({ module_or_path: '…' })`, Trunk's loader handing the glue the wasm, or `fetch('….wasm')`, a
    /// loader fetching it to hand over the response; page-relative.
    LoaderWasm,
    /// `module_or_path = new URL('…', import.meta.url)`, the glue's fallback when no path is passed.
    BindgenDefault,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Reference {
    url: String,
    origin: Origin,
}

fn markup(url: impl Into<String>) -> Reference {
    Reference { url: url.into(), origin: Origin::Markup }
}

/// The path inside the folder that `reference`, found in `file`, names; None for a reference to no file
/// (an empty URL, a `#fragment`, a `data:` URL); an error saying why for one that is not relative.
fn resolve(file: &str, reference: &Reference) -> Result<Option<String>, String> {
    let url = reference.url.trim();
    if url.is_empty() || url.starts_with('#') {
        return Ok(None);
    }
    if url.starts_with("//") || url.starts_with("\\\\") {
        return Err("a protocol-relative URL, which leaves the folder for another host".into());
    }
    if url.starts_with('/') || url.starts_with('\\') {
        return Err(format!(
            "an absolute path, which points at the host's root and breaks when the page is served under a \
             sub-path; write it relative, as `./{}`",
            url.trim_start_matches(['/', '\\'])
        ));
    }
    if let Some(scheme) = scheme(url) {
        return if scheme.eq_ignore_ascii_case("data") {
            Ok(None)
        } else {
            Err(format!("a `{scheme}:` URL; the page may load only files of its own folder, by relative URLs"))
        };
    }
    let path = url.split(['?', '#']).next().unwrap_or("");
    let base = match reference.origin {
        Origin::Page | Origin::LoaderWasm => "",
        Origin::Markup | Origin::BindgenDefault => file.rsplit_once('/').map(|(dir, _)| dir).unwrap_or(""),
    };
    let mut parts: Vec<String> = base.split('/').filter(|part| !part.is_empty()).map(str::to_owned).collect();
    let segments: Vec<&str> = path.split('/').collect();
    for (index, segment) in segments.iter().enumerate() {
        match *segment {
            "." | "" => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("a path that climbs out of the folder with `..`".into());
                }
            }
            segment => parts.push(percent_decode(segment)),
        }
        let last = index + 1 == segments.len();
        if last && matches!(*segment, "." | ".." | "") {
            // A folder: the host serves its index.html.
            parts.push("index.html".into());
        }
    }
    Ok(Some(parts.join("/")))
}

/// The scheme of an absolute URL (`https` of `https://…`), if the text starts with one.
fn scheme(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

const URL_ATTRIBUTES: &[&str] =
    &["src", "href", "poster", "data", "action", "formaction", "manifest", "background", "xlink:href", "cite"];
const SRCSET_ATTRIBUTES: &[&str] = &["srcset", "imagesrcset"];

/// The references of an HTML page (attributes, and inline scripts and styles), and its integrity
/// attributes as (the URL they guard, the attribute's value).
fn html_references(html: &str) -> (Vec<Reference>, Vec<(String, String)>) {
    let lower = html.to_ascii_lowercase();
    let mut references = Vec::new();
    let mut integrities = Vec::new();
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            at = rest.find("-->").map(|end| start + end + 3).unwrap_or(html.len());
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("</") || rest.starts_with("<?") {
            at = rest.find('>').map(|end| start + end + 1).unwrap_or(html.len());
            continue;
        }
        let (name, attributes, end) = parse_tag(html, start + 1);
        at = end;
        if name.is_empty() {
            continue;
        }
        for (key, value) in &attributes {
            if URL_ATTRIBUTES.contains(&key.as_str()) {
                references.push(markup(value.clone()));
            } else if SRCSET_ATTRIBUTES.contains(&key.as_str()) {
                references
                    .extend(value.split(',').filter_map(|candidate| candidate.split_whitespace().next()).map(markup));
            } else if key == "style" {
                references.extend(css_references(value));
            }
        }
        if let Some((_, integrity)) = attributes.iter().find(|(key, _)| key == "integrity") {
            let guarded = attributes.iter().find(|(key, _)| key == "href" || key == "src");
            if let Some((_, url)) = guarded {
                integrities.push((url.clone(), integrity.clone()));
            }
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            let body_end = lower[end..].find(&close).map(|offset| end + offset).unwrap_or(html.len());
            let body = &html[end..body_end];
            references.extend(if name == "script" { js_references(body) } else { css_references(body) });
            at = body_end;
        }
    }
    (references, integrities)
}

/// Reads a start tag from just after its `<`: the lower-case name, the attributes (names lower-cased,
/// values with the common character references decoded) and where the tag ends.
fn parse_tag(html: &str, from: usize) -> (String, Vec<(String, String)>, usize) {
    let bytes = html.as_bytes();
    let mut i = from;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-' || bytes[i] == b':') {
        i += 1;
    }
    let name = html[from..i].to_ascii_lowercase();
    let mut attributes = Vec::new();
    if name.is_empty() {
        return (name, attributes, from);
    }
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            return (name, attributes, (i + 1).min(bytes.len()));
        }
        let key_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let key = html[key_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && matches!(bytes[i], b'"' | b'\'') {
                let quote = bytes[i];
                let value_start = i + 1;
                i = html[value_start..].find(quote as char).map(|end| value_start + end).unwrap_or(bytes.len());
                value = decode_entities(&html[value_start..i]);
                i = (i + 1).min(bytes.len());
            } else {
                let value_start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                value = decode_entities(&html[value_start..i]);
            }
        }
        attributes.push((key, value));
    }
}

fn decode_entities(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The static references of a script: module imports and re-exports, dynamic `import('…')`,
/// `new URL('…', import.meta.url)`, `fetch('…')`, `new Worker('…')` and Trunk's `module_or_path: '…'`.
/// Text built at run time (a template with `${…}`) cannot be checked and is skipped.
fn js_references(js: &str) -> Vec<Reference> {
    let mut references = Vec::new();
    let patterns: &[(&str, Origin)] = &[
        ("from", Origin::Markup),
        ("import", Origin::Markup),
        ("import(", Origin::Markup),
        ("new URL(", Origin::Markup),
        ("fetch(", Origin::Page),
        ("new Worker(", Origin::Page),
        ("importScripts(", Origin::Page),
        ("module_or_path:", Origin::LoaderWasm),
    ];
    for (pattern, origin) in patterns {
        for (start, _) in js.match_indices(pattern) {
            let before = js[..start].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.') {
                continue;
            }
            let after = &js[start + pattern.len()..];
            let Some(url) = string_literal(after.trim_start()) else { continue };
            let origin = if *pattern == "new URL(" && is_bindgen_default(&js[..start], &url, after) {
                Origin::BindgenDefault
            } else if *pattern == "fetch(" && url.ends_with(".wasm") {
                Origin::LoaderWasm
            } else {
                *origin
            };
            references.push(Reference { url, origin });
        }
    }
    references
}

/// Whether the `new URL(…)` at the end of `before`, naming `url` and followed by `after`, is wasm-bindgen's
/// fallback `module_or_path = new URL('<crate>_bg.wasm', import.meta.url)`, as written or minified
/// (`r===void 0&&(r=new URL("x_bg.wasm",import.meta.url))`, where the parameter's name is gone).
fn is_bindgen_default(before: &str, url: &str, after: &str) -> bool {
    if before.trim_end().ends_with("module_or_path =") {
        return true;
    }
    let rest = after.trim_start();
    let rest = rest.get(url.len() + 2..).unwrap_or("").trim_start();
    url.ends_with("_bg.wasm")
        && !url.contains('/')
        && rest.strip_prefix(',').is_some_and(|r| r.trim_start().starts_with("import.meta.url"))
}

/// The value of the string literal at the start of `text`, if there is a static one.
fn string_literal(text: &str) -> Option<String> {
    let quote = text.chars().next().filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let mut value = String::new();
    let mut chars = text[1..].chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => value.push(chars.next()?),
            c if c == quote => {
                return (!(quote == '`' && value.contains("${"))).then_some(value);
            }
            '\n' if quote != '`' => return None,
            c => value.push(c),
        }
    }
    None
}

/// The references of a style sheet: `url(…)` and `@import "…"`, outside comments.
fn css_references(css: &str) -> Vec<Reference> {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start + 2..].find("*/").map(|end| &rest[start + 2 + end + 2..]).unwrap_or("");
    }
    text.push_str(rest);
    let lower = text.to_ascii_lowercase();
    let mut references = Vec::new();
    for (start, _) in lower.match_indices("url(") {
        let inside = text[start + 4..].trim_start();
        let url = match string_literal(inside) {
            Some(url) => url,
            None => inside.split(')').next().unwrap_or("").trim().to_owned(),
        };
        references.push(markup(url));
    }
    for (start, _) in lower.match_indices("@import") {
        if let Some(url) = string_literal(text[start + 7..].trim_start()) {
            references.push(markup(url));
        }
    }
    references
}

/// Every `http://` or `https://` URL in the bytes except the W3C's namespace names, once each.
fn absolute_urls(bytes: &[u8]) -> BTreeSet<String> {
    const ALLOWED: &str = "http://www.w3.org/";
    let lower = bytes.to_ascii_lowercase();
    let mut found = BTreeSet::new();
    for prefix in ["http://", "https://"] {
        let prefix = prefix.as_bytes();
        for start in (0..lower.len()).filter(|&start| lower[start..].starts_with(prefix)) {
            let end = bytes[start..]
                .iter()
                .position(|&b| !b.is_ascii_graphic() || matches!(b, b'"' | b'\'' | b'`' | b'<' | b'>' | b')'))
                .map_or(bytes.len(), |length| start + length);
            let url = String::from_utf8_lossy(&bytes[start..end]).into_owned();
            if !url.to_ascii_lowercase().starts_with(ALLOWED) {
                found.insert(url);
            }
        }
    }
    found
}

/// Checks an `integrity` value as a browser does: of the hashes it lists, those of the strongest
/// algorithm count, and one of them must match.
fn check_integrity(integrity: &str, bytes: &[u8]) -> Result<(), String> {
    let hashes: Vec<(u8, &str, &str)> = integrity
        .split_whitespace()
        .filter_map(|token| {
            let (algorithm, digest) = token.split_once('-')?;
            let digest = digest.split('?').next().unwrap_or(digest);
            let strength = match algorithm.to_ascii_lowercase().as_str() {
                "sha256" => 1,
                "sha384" => 2,
                "sha512" => 3,
                _ => return None,
            };
            Some((strength, algorithm, digest))
        })
        .collect();
    let strongest = hashes
        .iter()
        .map(|(strength, ..)| *strength)
        .max()
        .ok_or_else(|| format!("is `{integrity}`, which names no sha256, sha384 or sha512 hash"))?;
    let candidates: Vec<&(u8, &str, &str)> = hashes.iter().filter(|(strength, ..)| *strength == strongest).collect();
    let actual = digest(candidates[0].1, bytes).unwrap_or_default();
    if candidates.iter().any(|(_, _, digest)| *digest == actual) {
        return Ok(());
    }
    let algorithm = candidates[0].1;
    Err(format!("says {algorithm}-{} but the file hashes to {algorithm}-{actual}", candidates[0].2))
}

/// The base64 digest of `bytes` in `algorithm` (sha256, sha384 or sha512, any case), as an integrity
/// attribute writes it after the `alg-`.
pub(crate) fn digest(algorithm: &str, bytes: &[u8]) -> Option<String> {
    match algorithm.to_ascii_lowercase().as_str() {
        "sha256" => Some(base64(&Sha256::digest(bytes))),
        "sha384" => Some(base64(&Sha384::digest(bytes))),
        "sha512" => Some(base64(&Sha512::digest(bytes))),
        _ => None,
    }
}

/// Standard base64 with padding, as integrity attributes write digests.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const GLUE: &str = "export function run() {}\n\
        async function __wbg_init(module_or_path) {\n\
            if (module_or_path === undefined) {\n\
                module_or_path = new URL('app_bg.wasm', import.meta.url);\n\
            }\n\
        }\n\
        export default __wbg_init;\n";
    const BOOT: &str = "import init, * as bindings from './app-0123456789abcdef.js';\n\
        const wasm = await init({ module_or_path: './app-0123456789abcdef_bg.wasm' });\n";
    const STYLE: &str = "/* url(/not-a-reference.png) */ body { background: url(\"img/dot.svg\") }\n";
    const DOT: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"1\"/></svg>";

    /// A folder laid out as Trunk builds the page, with the given index.html.
    fn folder(name: &str, index: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-selfcontained-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("img")).unwrap();
        fs::write(dir.join("index.html"), index).unwrap();
        fs::write(dir.join("app-0123456789abcdef.js"), GLUE).unwrap();
        fs::write(dir.join("app-0123456789abcdef_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        fs::write(dir.join("boot-fedcba9876543210.js"), BOOT).unwrap();
        fs::write(dir.join("style.css"), STYLE).unwrap();
        fs::write(dir.join("img/dot.svg"), DOT).unwrap();
        dir
    }

    fn page(head: &str) -> String {
        format!(
            "<!doctype html>\n<html><head>\n<link rel=\"icon\" href=\"data:,\">\n{head}\n</head>\n\
             <body><!-- <script src=\"/commented-out.js\"></script> -->\n\
             <a href=\"./\">Step Lab</a> <a href=\"#why\">why</a> <img srcset=\"img/dot.svg 1x, ./img/dot.svg 2x\">\n\
             <svg xmlns=\"http://www.w3.org/2000/svg\"><use href=\"img/dot.svg#c\"/></svg></body></html>"
        )
    }

    fn sri(bytes: &[u8]) -> String {
        format!("sha384-{}", base64(&Sha384::digest(bytes)))
    }

    fn good_head() -> String {
        format!(
            "<link rel=\"stylesheet\" href=\"./style.css\" integrity=\"{}\"/>\n\
             <script type=\"module\" src=\"./boot-fedcba9876543210.js\"></script>\n\
             <link rel=\"modulepreload\" href=\"./app-0123456789abcdef.js\" crossorigin=anonymous integrity=\"{}\">",
            sri(STYLE.as_bytes()),
            sri(GLUE.as_bytes())
        )
    }

    fn problems_of(name: &str, index: &str) -> (Vec<String>, PathBuf) {
        let dir = folder(name, index);
        (verify(&dir).problems, dir)
    }

    #[test]
    fn a_folder_as_trunk_builds_it_passes_and_every_file_is_measured() {
        let dir = folder("good", &page(&good_head()));
        let verdict = verify(&dir);
        assert_eq!(verdict.problems, Vec::<String>::new());
        let names: Vec<&str> = verdict.files.iter().map(|file| file.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "app-0123456789abcdef.js",
                "app-0123456789abcdef_bg.wasm",
                "boot-fedcba9876543210.js",
                "img/dot.svg",
                "index.html",
                "style.css"
            ]
        );
        let glue = &verdict.files[0];
        assert_eq!(glue.bytes, GLUE.len() as u64);
        assert!(glue.gzipped > 0 && glue.gzipped < glue.bytes + 30, "{glue:?}");
        assert_eq!(verdict.total().0, verdict.files.iter().map(|file| file.bytes).sum::<u64>());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_absolute_path_fails_with_a_clear_message() {
        let head = good_head().replace("src=\"./boot-fedcba9876543210.js\"", "src=\"/x.js\"");
        let (problems, dir) = problems_of("absolute", &page(&head));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("index.html: `/x.js` is an absolute path"), "{}", problems[0]);
        assert!(problems[0].contains("sub-path") && problems[0].contains("`./x.js`"), "{}", problems[0]);
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_missing_file_fails_and_is_named() {
        let head = format!("{}\n<script src=\"js/missing.js\"></script>", good_head());
        let (problems, dir) = problems_of("missing", &page(&head));
        assert_eq!(problems, ["index.html: `js/missing.js` names js/missing.js, which is not in the folder"]);
        fs::remove_dir_all(&dir).unwrap();

        let dir = folder("missing-css", &page(&good_head()));
        fs::remove_file(dir.join("img/dot.svg")).unwrap();
        let problems = verify(&dir).problems;
        assert!(problems.iter().any(|p| p.starts_with("style.css: `img/dot.svg` names img/dot.svg")), "{problems:?}");
        fs::remove_dir_all(&dir).unwrap();

        let dir = folder("no-index", "");
        fs::remove_file(dir.join("index.html")).unwrap();
        let problems = verify(&dir).problems;
        assert!(problems.iter().any(|p| p.ends_with("has no index.html")), "{problems:?}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn other_hosts_and_the_parent_folder_fail() {
        let cases = [
            ("<script src=\"https://cdn.example.com/x.js\"></script>", "`https:` URL"),
            ("<link rel=\"stylesheet\" href=\"//cdn.example.com/x.css\">", "protocol-relative"),
            ("<img src=\"../outside.png\">", "climbs out of the folder"),
            ("<p>see http://example.org/docs</p>", "absolute URL `http://example.org/docs`"),
        ];
        for (index, (tag, expected)) in cases.iter().enumerate() {
            let (problems, dir) = problems_of(&format!("host{index}"), &page(&format!("{}\n{tag}", good_head())));
            assert!(problems.iter().any(|problem| problem.contains(expected)), "{tag}: {problems:?}");
            fs::remove_dir_all(dir).unwrap();
        }
    }

    #[test]
    fn scripts_are_read_for_imports_and_fetches() {
        let dir = folder("scripts", &page(&good_head()));
        fs::write(dir.join("boot-fedcba9876543210.js"), format!("{BOOT}fetch('/data.json');\n")).unwrap();
        fs::write(
            dir.join("extra.js"),
            "import './gone.js';\nconst m = await import(\"./app-0123456789abcdef.js\");\n",
        )
        .unwrap();
        let problems = verify(&dir).problems;
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("boot-fedcba9876543210.js: `/data.json` is an absolute path"), "{problems:?}");
        assert!(problems[1].starts_with("extra.js: `./gone.js` names gone.js"), "{problems:?}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn wasm_bindgens_minified_default_path_is_recognised() {
        let minified = "async function c(r){r===void 0&&(r=new URL(\"app_bg.wasm\",import.meta.url));return r}";
        let found = js_references(minified);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].url, "app_bg.wasm");
        assert!(found[0].origin == Origin::BindgenDefault);
        // Any other `new URL(…, import.meta.url)` is an ordinary reference that must exist.
        let other = js_references("const u=new URL(\"data/table.bin\",import.meta.url)");
        assert!(other[0].origin == Origin::Markup);
    }

    #[test]
    fn a_loader_that_fetches_the_wasm_itself_passes_it() {
        // The boot script as `loader.rs` rewrites Trunk's: the wasm fetched, the response handed over.
        let dir = folder("fetching-loader", &page(&good_head()));
        fs::write(
            dir.join("boot-fedcba9876543210.js"),
            "const r=fetch(\"./app-0123456789abcdef_bg.wasm\"),b=await import(\"./app-0123456789abcdef.js\"),\
             i=b.default,w=await i({module_or_path:r});\n",
        )
        .unwrap();
        assert_eq!(verify(&dir).problems, Vec::<String>::new());
        // Fetching a wasm that is not there is a problem of its own.
        fs::write(dir.join("boot-fedcba9876543210.js"), "const r=fetch(\"./gone_bg.wasm\");await (await import(\"./app-0123456789abcdef.js\")).default({module_or_path:r});\n").unwrap();
        let problems = verify(&dir).problems;
        assert!(problems.iter().any(|p| p.contains("./gone_bg.wasm")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("`app_bg.wasm` names app_bg.wasm")), "{problems:?}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn wasm_bindgens_default_path_counts_only_without_a_loader() {
        let dir = folder("no-loader", &page(&good_head()));
        fs::write(
            dir.join("boot-fedcba9876543210.js"),
            "import init from './app-0123456789abcdef.js';\nawait init();\n",
        )
        .unwrap();
        let problems = verify(&dir).problems;
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("`app_bg.wasm` names app_bg.wasm") && problems[0].contains("module_or_path"));
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_integrity_mismatch_fails() {
        let head = good_head().replace(&sri(STYLE.as_bytes()), &sri(b"body {}"));
        let (problems, dir) = problems_of("integrity", &page(&head));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("index.html: the integrity of `./style.css` says sha384-"), "{problems:?}");
        assert!(problems[0].contains(&format!("hashes to {}", sri(STYLE.as_bytes()))), "{problems:?}");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn integrity_follows_the_strongest_algorithm_listed() {
        let body = b"hello";
        let sha256 = format!("sha256-{}", base64(&Sha256::digest(body)));
        assert_eq!(check_integrity(&sri(body), body), Ok(()));
        assert_eq!(check_integrity(&format!("{sha256} sha384-wrong {}", sri(body)), body), Ok(()));
        assert!(check_integrity(&format!("{sha256} sha384-wrong"), body).is_err(), "sha256 is weaker than sha384");
        assert!(check_integrity("md5-abc", body).unwrap_err().contains("names no sha256"));
    }

    #[test]
    fn base64_matches_the_rfc_vectors() {
        let vectors =
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE=")];
        for (plain, encoded) in vectors {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn references_resolve_inside_the_folder() {
        let resolve_in = |file: &str, url: &str| resolve(file, &markup(url));
        assert_eq!(resolve_in("index.html", "./a.js?v=1#x"), Ok(Some("a.js".into())));
        assert_eq!(resolve_in("css/site.css", "../img/a%20b.png"), Ok(Some("img/a b.png".into())));
        assert_eq!(resolve_in("index.html", "./"), Ok(Some("index.html".into())));
        assert_eq!(resolve_in("index.html", "data:,"), Ok(None));
        assert_eq!(resolve_in("index.html", "#top"), Ok(None));
        assert!(resolve_in("index.html", "mailto:someone@example.org").is_err());
        let fetched = Reference { url: "data.json".into(), origin: Origin::Page };
        assert_eq!(resolve("js/app.js", &fetched), Ok(Some("data.json".into())));
    }
}
