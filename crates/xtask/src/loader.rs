//! Trunk writes the module script that starts the wasm inline in index.html, which a strict Content
//! Security Policy (`script-src 'self'`) refuses. As a Trunk `post_build` hook (`cargo xtask
//! post-build`), this moves that script into its own file beside the glue, named after a hash of
//! its content so that caches stay correct, and leaves a `<script type="module" src>` in its place. The
//! moved script waits for the first paint before it asks for the wasm and its JavaScript glue.

use std::fs;
use std::path::Path;

const OPEN: &str = "<script type=\"module\">";
const CLOSE: &str = "</script>";

/// Put in the boot script before it starts the wasm: wait until the first pictures (`www/first.js`) have
/// been painted, then ask for the wasm. On a slow link the wasm's download would otherwise share the
/// bandwidth with what the first paint needs, and Lighthouse's simulation counts it before the largest
/// paint whenever the request starts before that paint on the real load (which a busy machine makes
/// happen). Where the browser reports element timing (Chromium), the paint is the pictures' own entries
/// (`elementtiming="first-picture"`), a picture that failed counting as done; elsewhere, the pictures
/// decoded and two frames later. A hidden tab paints no frames, and a picture that takes longer than a
/// second must not hold the app back: neither waits.
const AFTER_FIRST_PAINT: &str = "if (document.visibilityState !== 'hidden') await new Promise(function (go) {\n\
  setTimeout(go, 1000);\n\
  var pictures = Array.prototype.slice.call(document.querySelectorAll('#panels .first-picture[src]'));\n\
  if ((PerformanceObserver.supportedEntryTypes || []).indexOf('element') >= 0) {\n\
    var left = pictures.length;\n\
    var done = function () { if (--left <= 0) go(); };\n\
    if (!left) return go();\n\
    pictures.forEach(function (p) {\n\
      if (p.complete && !p.naturalWidth) done(); else p.addEventListener('error', done);\n\
    });\n\
    new PerformanceObserver(function (list) {\n\
      list.getEntries().forEach(function (e) { if (e.identifier === 'first-picture') done(); });\n\
    }).observe({ type: 'element', buffered: true });\n\
  } else {\n\
    Promise.all(pictures.map(function (p) { return p.decode().catch(function () {}); })).then(function () {\n\
      requestAnimationFrame(function () { requestAnimationFrame(function () { setTimeout(go, 0); }); });\n\
    });\n\
  }\n\
});\n";

/// Put at the top of the boot script: `window.steplabExport(link, kind, steps, save, failed)`, which the
/// page's Export menu calls (`share::export`). The export module (`crates/export`, its glue `glue`) is
/// imported the first time, then kept; a load that failed is tried again on the next call. `save` gets
/// the file's text, `failed` the error.
fn export_loader(glue: &str) -> String {
    format!(
        "var exportModule = null;\n\
         window.steplabExport = function (query, kind, steps, save, failed) {{\n\
         if (!exportModule) exportModule = import('./{glue}').then(function (m) {{\n\
         return m.default().then(function () {{ return m; }});\n\
         }});\n\
         var loading = exportModule;\n\
         loading.then(function (m) {{ return m.file(query, kind, steps); }}).then(save, function (error) {{\n\
         if (exportModule === loading) exportModule = null;\n\
         failed(error);\n\
         }});\n\
         }};\n"
    )
}

/// Rewrites `dir/index.html` in place, the boot script loading the export module whose glue is
/// `export_glue`; returns the name of the script file written. The page's own glue is no longer
/// preloaded or imported up front: see [`after_first_paint`].
pub fn externalize(dir: &Path, export_glue: &str) -> Result<String, String> {
    let index = dir.join("index.html");
    let html = fs::read_to_string(&index).map_err(|err| format!("cannot read {}: {err}", index.display()))?;
    let (rewritten, name, script) = split(&html, export_glue)?;
    fs::write(dir.join(&name), script).map_err(|err| format!("cannot write {name}: {err}"))?;
    fs::write(&index, rewritten).map_err(|err| format!("cannot write {}: {err}", index.display()))?;
    Ok(name)
}

/// Removes Trunk's `<link rel="preload">` of the wasm from `dir/index.html`; returns whether there was one.
///
/// The wasm is most of the page's bytes. Preloaded from the head, it shares a slow link with the
/// stylesheet and the first pictures from the start, and Lighthouse's simulated slow 4G then counts the
/// whole download before the largest paint (measured: largest contentful paint 3.2 s with the preload,
/// 1.5 s without). Without it, the boot script asks for the wasm once the first pictures are painted
/// ([`AFTER_FIRST_PAINT`]) and the app is ready about one round trip later (time to interactive 3.6 → 3.9 s).
pub fn drop_wasm_preload(dir: &Path) -> Result<bool, String> {
    let index = dir.join("index.html");
    let html = fs::read_to_string(&index).map_err(|err| format!("cannot read {}: {err}", index.display()))?;
    let Some(rewritten) = without_wasm_preload(&html) else { return Ok(false) };
    fs::write(&index, rewritten).map_err(|err| format!("cannot write {}: {err}", index.display()))?;
    Ok(true)
}

fn without_wasm_preload(html: &str) -> Option<String> {
    without_link(html, "<link rel=\"preload\"", ".wasm\"")
}

/// `html` without the first tag that opens with `opening` and contains `inside`, if there is one.
fn without_link(html: &str, opening: &str, inside: &str) -> Option<String> {
    let mut from = 0;
    while let Some(found) = html[from..].find(opening) {
        let start = from + found;
        let end = start + html[start..].find('>')? + 1;
        if html[start..end].contains(inside) {
            return Some(format!("{}{}", &html[..start], &html[end..]));
        }
        from = end;
    }
    None
}

/// The page without its inline module script (nor the glue's preload), the file name for the script, and
/// the script.
fn split(html: &str, export_glue: &str) -> Result<(String, String, String), String> {
    let start = html.find(OPEN).ok_or("index.html has no inline module script (did Trunk change its loader?)")?;
    let body_start = start + OPEN.len();
    let length = html[body_start..].find(CLOSE).ok_or("the inline module script is not closed")?;
    let (script, glue) = after_first_paint(html[body_start..body_start + length].trim(), export_glue)?;
    let name = format!("boot-{:016x}.js", fnv1a(script.as_bytes()));
    let tag = format!("<script type=\"module\" src=\"./{name}\"></script>");
    let rewritten = format!("{}{tag}{}", &html[..start], &html[body_start + length + CLOSE.len()..]);
    let rewritten =
        without_link(&rewritten, "<link rel=\"modulepreload\"", &format!("href=\"{glue}\"")).unwrap_or(rewritten);
    Ok((rewritten, name, script))
}

/// Trunk's loader (`import init, * as bindings from '<glue>'; const wasm = await init({ module_or_path:
/// '<wasm>' }); …`) made to start nothing before the first paint ([`AFTER_FIRST_PAINT`]): neither the
/// wasm nor its glue, which a static import (and Trunk's preload of it) would fetch beside the
/// stylesheet and the pictures, sharing a slow link with them (26 KB raw, measured in
/// docs/PERFORMANCE.md). After the paint the two are asked for together: the wasm's response is handed
/// to `init` while the glue loads. Returns the script and the glue's path. The export module's loader
/// goes first.
fn after_first_paint(loader: &str, export_glue: &str) -> Result<(String, String), String> {
    const IMPORT: &str = "import init";
    let unknown = || format!("Trunk's loader is not the one the post-build hook knows how to rewrite:\n{loader}");
    let start = loader.find(IMPORT).ok_or_else(unknown)?;
    let end = start + loader[start..].find('\n').ok_or_else(unknown)?;
    // `import init, * as bindings from './app.js';` or `import init from './app.js';`
    let import = loader[start..end].trim_end_matches(';');
    let (names, glue) = import[IMPORT.len()..].split_once(" from ").ok_or_else(unknown)?;
    let namespace = match names.trim() {
        "" => "glue",
        names => names.strip_prefix(", * as ").ok_or_else(unknown)?,
    };
    let glue = glue.trim().trim_matches('\'');
    let wasm_argument = loader.find("module_or_path: '").ok_or_else(unknown)? + "module_or_path: ".len();
    let wasm_end = wasm_argument + 1 + loader[wasm_argument + 1..].find('\'').ok_or_else(unknown)? + 1;
    let wasm = &loader[wasm_argument..wasm_end];
    let rest = format!("{}wasmResponse{}", &loader[end + 1..wasm_argument], &loader[wasm_end..]);
    let script = format!(
        "{}{}{AFTER_FIRST_PAINT}const wasmResponse = fetch({wasm});\nconst {namespace} = await import('{glue}');\n\
         const init = {namespace}.default;\n{}\n",
        &loader[..start],
        export_loader(export_glue),
        rest.trim(),
    );
    if !script.contains("init({ module_or_path: wasmResponse })") {
        return Err(unknown());
    }
    Ok((script, glue.to_owned()))
}

/// FNV-1a, 64 bits: enough to tell two versions of a small script apart for caching.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Trunk's loader as Trunk 0.21 writes it.
    const PAGE: &str = "<head><script type=\"module\">\nimport init, * as bindings from './app.js';\n\
                        const wasm = await init({ module_or_path: './app_bg.wasm' });\n\n\
                        window.wasmBindings = bindings;\n\n\
                        dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {detail: {wasm}}));\n</script>\
                        <link rel=\"modulepreload\" href=\"./app.js\" crossorigin=\"anonymous\" integrity=\"sha384-x\">\
                        <link rel=\"modulepreload\" href=\"./other.js\"></head><body></body>";

    #[test]
    fn only_the_wasms_preload_goes() {
        let page = "<head><link rel=\"preload\" href=\"./a.css\" as=\"style\"><link rel=\"modulepreload\" href=\"./app.js\">\
                    <link rel=\"preload\" href=\"./app_bg.wasm\" crossorigin=\"anonymous\" as=\"fetch\" type=\"application/wasm\"></head>";
        assert_eq!(
            without_wasm_preload(page).unwrap(),
            "<head><link rel=\"preload\" href=\"./a.css\" as=\"style\"><link rel=\"modulepreload\" href=\"./app.js\"></head>"
        );
        assert_eq!(without_wasm_preload("<head></head>"), None);
    }

    #[test]
    fn the_inline_loader_moves_into_a_file_named_by_its_content() {
        let (html, name, script) = split(PAGE, "export-1.js").unwrap();
        let loader = export_loader("export-1.js");
        assert!(loader.contains("import('./export-1.js')"), "{loader}");
        // Nothing is asked for before the paint; then the wasm and the glue together.
        assert_eq!(
            script,
            format!(
                "{loader}{AFTER_FIRST_PAINT}const wasmResponse = fetch('./app_bg.wasm');\n\
                 const bindings = await import('./app.js');\nconst init = bindings.default;\n\
                 const wasm = await init({{ module_or_path: wasmResponse }});\n\n\
                 window.wasmBindings = bindings;\n\n\
                 dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {{detail: {{wasm}}}}));\n"
            )
        );
        assert!(name.starts_with("boot-") && name.ends_with(".js"));
        // The glue's preload goes; another stays.
        assert_eq!(
            html,
            format!(
                "<head><script type=\"module\" src=\"./{name}\"></script><link rel=\"modulepreload\" href=\"./other.js\"></head><body></body>"
            )
        );
        let (_, other, _) = split(&PAGE.replace("window.wasmBindings", "window.glue"), "export-1.js").unwrap();
        assert_ne!(name, other, "a different script gets a different name");
    }

    #[test]
    fn a_page_without_an_inline_loader_is_an_error() {
        assert!(split("<head></head>", "e.js").is_err());
        assert!(split("<script type=\"module\">unclosed", "e.js").is_err());
        assert!(split("<script type=\"module\">import './app.js';</script>", "e.js").is_err(), "no wasm started");
        let unknown = "<script type=\"module\">\nimport init, { x } from './app.js';\nawait init({ module_or_path: './a.wasm' });\n</script>";
        assert!(split(unknown, "e.js").is_err(), "an import the hook cannot rewrite");
        let plain = "<script type=\"module\">\nimport init from './app.js';\nawait init({ module_or_path: './a.wasm' });\n</script>";
        let (_, _, script) = split(plain, "e.js").unwrap();
        assert!(
            script.ends_with(
                "const wasmResponse = fetch('./a.wasm');\nconst glue = await import('./app.js');\n\
                 const init = glue.default;\nawait init({ module_or_path: wasmResponse });\n"
            ),
            "{script}"
        );
    }
}
