//! Part of the post-build hook: the first picture, what the page shows before its wasm has started. For
//! the default link and every triptych preset it draws each panel's plot at step 0 with core's own figure
//! code (`figure::plot_svg`, the code behind `steplab figure`), and puts into index.html, as a JSON data
//! block, what the panels' texts will say (titles, captions, statuses). A preset's three pictures are one
//! file, `first/<name>.svg`, whose views `#a`, `#b` and `#c` show one panel's each (`figure::plots_svg`):
//! the first paint waits for one request, not three. The default link's pictures go into index.html
//! itself, as `data:` URLs in the `data-src` of the three `img.first-picture` elements (first.js makes
//! them the `src`: an image with a `src` in the markup would be loaded before first.js can change it): the
//! most opened link paints them with its first paint, without a request (they are about 2 KB gzipped
//! together). `www/first.js` picks the entry that matches the link. The check makes sure that every
//! preset's pictures are in the folder and the default's in the page.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use steplab_core::lab::PANELS;
use steplab_core::{figure, link, num, presets, status_text, Lab};

/// The folder of the pictures, inside the page's folder.
pub const FOLDER: &str = "first";
/// Where the data block goes: just before this line of www/index.html.
const ANCHOR: &str = "<!-- first pictures -->";
const LETTERS: [char; PANELS] = ['a', 'b', 'c'];

/// One link the page has a first picture for.
struct Entry {
    name: String,
    /// The loss menu's value and the formula shown beside it.
    loss: String,
    formula: String,
    titles: Vec<String>,
    captions: Vec<String>,
    statuses: Vec<String>,
    kinds: Vec<&'static str>,
    /// Whether the pictures are of a surface: the page places those inside the plot's margins.
    surface: bool,
    /// Each panel's picture (none for the sparse lab's presets) …
    pictures: Vec<String>,
    /// … and the three in one file (the same drawing; empty for the default link, whose pictures are in
    /// the page, and where there are no pictures).
    file: String,
}

/// The default link (`default`) and every preset of the triptych, by the name the boot script looks up.
/// The sparse-feature lab's presets get their texts (titles and captions) without pictures: their plots
/// at step 0 are empty axes, and their statuses are the lab's own. Links that open on one surface
/// (`overlay=1`) keep the static page's reserved frames.
fn entries() -> Vec<Entry> {
    let links = std::iter::once(("default", "")).chain(presets::PRESETS.iter().map(|p| (p.id, p.query)));
    let mut entries = Vec::new();
    for (name, query) in links {
        let parsed = link::parse(query);
        if parsed.overlay {
            continue;
        }
        let sparse = parsed.scenario.sparse_data().is_some();
        let scenario = parsed.scenario;
        let lab = Lab::new(scenario.clone());
        let print = &num::print;
        let panels = 0..PANELS;
        entries.push(Entry {
            name: name.to_owned(),
            loss: scenario.loss.builtin().map_or("custom", |loss| loss.id()).to_owned(),
            formula: scenario.objective().formula(print),
            titles: panels.clone().map(|p| scenario.panels[p].title(print)).collect(),
            captions: panels.clone().map(|p| scenario.panels[p].caption(print)).collect(),
            statuses: panels
                .clone()
                .map(|p| if sparse { String::new() } else { status_text(lab.run(p), lab.shown(p), print) })
                .collect(),
            kinds: panels.clone().map(|p| if sparse { "" } else { lab.shown(p).status.kind() }).collect(),
            surface: scenario.objective().dim() == 2,
            pictures: if sparse { Vec::new() } else { panels.map(|p| figure::plot_svg(&lab, p)).collect() },
            file: if sparse || name == "default" { String::new() } else { figure::plots_svg(&lab) },
        });
    }
    entries
}

/// Writes the pictures into `dir/first/` and the data block into `dir/index.html`; returns how many
/// links have one and the pictures' total size in bytes.
pub fn write(dir: &Path) -> Result<(usize, usize), String> {
    let entries = entries();
    let folder = dir.join(FOLDER);
    fs::create_dir_all(&folder).map_err(|err| format!("cannot create {}: {err}", folder.display()))?;
    let mut bytes = 0;
    for entry in entries.iter().filter(|entry| !entry.file.is_empty()) {
        let path = folder.join(format!("{}.svg", entry.name));
        fs::write(&path, &entry.file).map_err(|err| format!("cannot write {}: {err}", path.display()))?;
        bytes += entry.file.len();
    }
    let index = dir.join("index.html");
    let html = fs::read_to_string(&index).map_err(|err| format!("cannot read {}: {err}", index.display()))?;
    let html = insert_block(&html, &block(&entries))?;
    let html = inline_default(&html, &entries[0])?;
    fs::write(&index, html).map_err(|err| format!("cannot write {}: {err}", index.display()))?;
    Ok((entries.iter().filter(|entry| !entry.pictures.is_empty()).count(), bytes))
}

/// `html` with `block` in place of the anchor comment (or of an earlier block: a second run of the hook
/// on the same folder replaces it).
fn insert_block(html: &str, block: &str) -> Result<String, String> {
    const OPEN: &str = "<script type=\"application/json\" id=\"first-pictures\">";
    if let Some(start) = html.find(OPEN) {
        let end = html[start..].find("</script>").ok_or("index.html: the first-pictures block is not closed")?;
        let end = start + end + "</script>".len();
        return Ok(format!("{}{block}{}", &html[..start], &html[end..]));
    }
    let at = html.find(ANCHOR).ok_or_else(|| format!("index.html has no `{ANCHOR}` line for the first pictures"))?;
    Ok(format!("{}{block}{}", &html[..at], &html[at + ANCHOR.len()..]))
}

/// `html` with the default link's pictures as the `data-src` of the `img.first-picture` of each panel
/// (`data-panel="a"` …), replacing any set by an earlier run.
fn inline_default(html: &str, default: &Entry) -> Result<String, String> {
    let mut html = html.to_owned();
    for (letter, svg) in LETTERS.iter().zip(&default.pictures) {
        let tag =
            format!("<img class=\"first-picture\" alt=\"\" elementtiming=\"first-picture\" data-panel=\"{letter}\"");
        let at = html.find(&tag).ok_or_else(|| format!("index.html has no `{tag}>` for the default picture"))?;
        let end = at + html[at..].find('>').ok_or("index.html: an unclosed first-picture tag")?;
        html.replace_range(at..end, &format!("{tag} data-src=\"{}\"", data_url(svg)));
    }
    Ok(html)
}

/// An SVG as a `data:` URL for an HTML attribute: percent-encoded where a URL or the attribute needs it.
fn data_url(svg: &str) -> String {
    let mut url = String::from("data:image/svg+xml,");
    for c in svg.chars() {
        match c {
            '"' => url.push_str("%22"),
            '#' => url.push_str("%23"),
            '%' => url.push_str("%25"),
            '<' => url.push_str("%3C"),
            '>' => url.push_str("%3E"),
            '&' => url.push_str("%26"),
            '\n' => url.push_str("%0A"),
            c => url.push(c),
        }
    }
    url
}

/// The data block: `{"<name>":{"l":loss,"f":formula,"t":[titles],"c":[captions],"s":[statuses],
/// "k":[status kinds]},…}`, one link per line; a surface's entry also has `"d":2`, and an entry without
/// pictures (the sparse lab's) `"p":0`.
fn block(entries: &[Entry]) -> String {
    let mut out = String::from("<script type=\"application/json\" id=\"first-pictures\">{");
    for (i, entry) in entries.iter().enumerate() {
        let list = |items: &[String]| items.iter().map(|item| json_string(item)).collect::<Vec<_>>().join(",");
        let kinds: Vec<String> = entry.kinds.iter().map(|kind| kind.to_string()).collect();
        let _ = write!(
            out,
            "{}\n{}:{{\"l\":{},\"f\":{},\"t\":[{}],\"c\":[{}],\"s\":[{}],\"k\":[{}]{}}}",
            if i == 0 { "" } else { "," },
            json_string(&entry.name),
            json_string(&entry.loss),
            json_string(&entry.formula),
            list(&entry.titles),
            list(&entry.captions),
            list(&entry.statuses),
            list(&kinds),
            if entry.pictures.is_empty() {
                ",\"p\":0"
            } else if entry.surface {
                ",\"d\":2"
            } else {
                ""
            },
        );
    }
    out.push_str("\n}</script>");
    out
}

/// `text` as a JSON string that is also safe inside a `<script>` element (no `<` at all).
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\u003c"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What is wrong with the first pictures of the page in `dir`: no data block, or an entry whose pictures
/// are not all in the folder.
pub fn check(dir: &Path) -> Vec<String> {
    let Ok(html) = fs::read_to_string(dir.join("index.html")) else {
        return vec!["cannot read index.html".into()];
    };
    let Some(start) = html.find("id=\"first-pictures\">") else {
        return vec!["index.html has no first-pictures data block (the post-build hook writes it)".into()];
    };
    let body = &html[start..];
    let body = &body[..body.find("</script>").unwrap_or(body.len())];
    // Each link's name, and whether it has pictures.
    let names: Vec<(&str, bool)> = body
        .lines()
        .filter_map(|line| {
            let name = line.trim_start_matches(',').strip_prefix('"')?.split('"').next()?;
            Some((name, !line.contains("\"p\":0")))
        })
        .collect();
    let mut problems = Vec::new();
    let inlined =
        html.matches("class=\"first-picture\" alt=\"\" elementtiming=\"first-picture\" data-panel=\"").count();
    let filled = html.matches("data-src=\"data:image/svg+xml,%3Csvg").count();
    if inlined != LETTERS.len() || filled != LETTERS.len() {
        problems
            .push(format!("index.html has {filled} of its {inlined} default first pictures filled in (3 expected)"));
    }
    if !names.contains(&("default", true)) {
        problems.push("the first-pictures block has no entry for the default link".into());
    }
    for (name, _) in names.into_iter().filter(|(name, pictured)| *pictured && *name != "default") {
        let file = format!("{FOLDER}/{name}.svg");
        if !dir.join(&file).is_file() {
            problems.push(format!("index.html: the first pictures {file} are not in the folder"));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_and_the_default_link_have_their_texts_and_the_triptychs_their_three_pictures() {
        let entries = entries();
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names[0], "default");
        for preset in &presets::PRESETS {
            let parsed = link::parse(preset.query);
            assert_eq!(names.contains(&preset.id), !parsed.overlay, "{}", preset.id);
            let Some(entry) = entries.iter().find(|e| e.name == preset.id) else { continue };
            // The sparse lab's presets: their titles and captions, no pictures and no statuses.
            let sparse = parsed.scenario.sparse_data().is_some();
            assert_eq!(entry.pictures.len(), if sparse { 0 } else { PANELS }, "{}", preset.id);
            assert!(entry.titles.iter().all(|t| !t.is_empty()) && entry.captions.iter().all(|c| !c.is_empty()));
            assert_eq!(entry.statuses.iter().all(|s| s.is_empty()), sparse, "{}", preset.id);
        }
        let sparse = entries.iter().find(|e| e.name == "sparse").unwrap();
        assert_eq!(sparse.titles[0], "Safe rate: the rare weight crawls");
        assert_eq!(sparse.captions[2], "Adagrad · lr 1 · eps 1e-8");
        let default = &entries[0];
        assert_eq!(default.titles, ["Too fast!", "Too slow!", "Spot on!"]);
        for entry in &entries {
            for svg in &entry.pictures {
                assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "), "{svg}");
                assert!(svg.contains("class=\"ball\""), "{}: a ball at the start", entry.name);
                assert!(!svg.contains("NaN") && !svg.contains("inf"), "{}", entry.name);
            }
        }
    }

    #[test]
    fn the_block_replaces_the_anchor_then_itself_and_the_check_finds_missing_pictures() {
        let dir = std::env::temp_dir().join(format!("steplab-pictures-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let plots: String = LETTERS
            .map(|l| {
                format!("<img class=\"first-picture\" alt=\"\" elementtiming=\"first-picture\" data-panel=\"{l}\">")
            })
            .concat();
        fs::write(dir.join("index.html"), format!("<body>\n{plots}\n{ANCHOR}\n</body>")).unwrap();
        let (count, _) = write(&dir).unwrap();
        let html = fs::read_to_string(dir.join("index.html")).unwrap();
        assert!(!html.contains(ANCHOR) && html.matches("id=\"first-pictures\"").count() == 1);
        assert_eq!(
            html.matches("data-panel=\"a\" data-src=\"data:image/svg+xml,%3Csvg xmlns=%22http").count(),
            1,
            "{html}"
        );
        assert!(
            html.contains("\n\"bounce\":{\"l\":\"quadratic\",\"f\":\"f(x) = x²\",\"t\":[\"Rate 1: for ever\","),
            "{html}"
        );
        // Only a surface's entry says so (the page places its pictures inside the plot's margins).
        let line = |name: &str| html.lines().find(|line| line.starts_with(&format!("\"{name}\":"))).unwrap_or("");
        assert!(line("ellipse").ends_with(",\"d\":2},") && !line("bounce").contains("\"d\""), "{html}");
        // The sparse lab's presets: texts only, and no picture files asked for.
        assert!(line("sparse").contains(",\"p\":0") && !dir.join(FOLDER).join("sparse.svg").exists(), "{html}");
        // The default link's pictures are in the page only.
        assert!(dir.join(FOLDER).join("ellipse.svg").is_file() && !dir.join(FOLDER).join("default.svg").exists());
        assert_eq!(check(&dir), Vec::<String>::new());
        write(&dir).unwrap();
        let again = fs::read_to_string(dir.join("index.html")).unwrap();
        assert_eq!(again, html, "a second run replaces the block");
        assert!(count >= 10);
        fs::remove_file(dir.join(FOLDER).join("bounce.svg")).unwrap();
        assert_eq!(check(&dir), ["index.html: the first pictures first/bounce.svg are not in the folder"]);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn json_strings_are_safe_in_a_script_element() {
        assert_eq!(json_string("a\"b\\c</script>\n"), "\"a\\\"b\\\\c\\u003c/script>\\u000a\"");
    }
}
