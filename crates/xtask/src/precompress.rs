//! Part of `cargo xtask dist`: beside every file a browser fetches, a gzip (`.gz`) and a brotli (`.br`)
//! copy, for hosts that serve precompressed files instead of compressing on each request (nginx's
//! `gzip_static`/`brotli_static`, Caddy's `precompressed`, Netlify and Cloudflare Pages do it themselves;
//! GitHub Pages compresses by itself and ignores them). And the check that each copy holds exactly its
//! original.

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

/// The kinds of file worth compressing (text and wasm; PNG and the like are compressed already).
const COMPRESSIBLE: [&str; 8] = ["html", "js", "mjs", "css", "wasm", "ts", "svg", "json"];

/// Whether `name` is a precompressed copy.
pub fn is_copy(name: &str) -> bool {
    name.ends_with(".gz") || name.ends_with(".br")
}

fn compressible(name: &str) -> bool {
    !is_copy(name) && name.rsplit_once('.').is_some_and(|(_, ext)| COMPRESSIBLE.contains(&ext))
}

/// One file and the sizes of its copies.
pub struct Compressed {
    pub name: String,
    pub bytes: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// The files in `dir` and its folders, as paths relative to it with `/`.
fn files(dir: &Path) -> Result<Vec<String>, String> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> std::io::Result<()> {
        for entry in fs::read_dir(dir)?.flatten() {
            let Ok(name) = entry.file_name().into_string() else { continue };
            if entry.file_type()?.is_dir() {
                walk(&entry.path(), &format!("{prefix}{name}/"), out)?;
            } else {
                out.push(format!("{prefix}{name}"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out).map_err(|err| format!("cannot list {}: {err}", dir.display()))?;
    out.sort();
    Ok(out)
}

/// Writes `X.gz` (gzip level 9) and `X.br` (brotli quality 11) beside every compressible file of `dir`
/// and its folders.
pub fn write(dir: &Path) -> Result<Vec<Compressed>, String> {
    let names: Vec<String> = files(dir)?.into_iter().filter(|name| compressible(name)).collect();
    let mut written = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let bytes = fs::read(&path).map_err(|err| format!("cannot read {name}: {err}"))?;
        let gzip = gzip(&bytes)?;
        let brotli = brotli(&bytes)?;
        fs::write(dir.join(format!("{name}.gz")), &gzip).map_err(|err| format!("cannot write {name}.gz: {err}"))?;
        fs::write(dir.join(format!("{name}.br")), &brotli).map_err(|err| format!("cannot write {name}.br: {err}"))?;
        written.push(Compressed {
            name,
            bytes: bytes.len() as u64,
            gzip: gzip.len() as u64,
            brotli: brotli.len() as u64,
        });
    }
    Ok(written)
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).map_err(|err| format!("gzip: {err}"))?;
    encoder.finish().map_err(|err| format!("gzip: {err}"))
}

fn brotli(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map_err(|err| format!("brotli: {err}"))?;
    Ok(out)
}

/// What is wrong with the copies in `dir`: a compressible file without both, a copy without its original,
/// or a copy that does not decompress to its original's bytes.
pub fn check(dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let names = match files(dir) {
        Ok(names) => names,
        Err(err) => return vec![err],
    };
    for name in &names {
        if compressible(name) {
            for suffix in [".gz", ".br"] {
                if !names.contains(&format!("{name}{suffix}")) {
                    problems.push(format!("{name} has no {suffix} copy"));
                }
            }
        }
        let Some((original, kind)) = name.rsplit_once('.').filter(|_| is_copy(name)) else { continue };
        let Ok(expected) = fs::read(dir.join(original)) else {
            problems.push(format!("{name} is a copy of {original}, which is not there"));
            continue;
        };
        let Ok(copy) = fs::read(dir.join(name)) else {
            problems.push(format!("cannot read {name}"));
            continue;
        };
        let mut decoded = Vec::new();
        let read = if kind == "gz" {
            flate2::read::GzDecoder::new(&copy[..]).read_to_end(&mut decoded).map(|_| ())
        } else {
            brotli::BrotliDecompress(&mut &copy[..], &mut decoded)
        };
        if read.is_err() || decoded != expected {
            problems.push(format!("{name} does not decompress to {original}"));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_hold_their_originals_and_the_check_sees_a_stale_one() {
        let dir = std::env::temp_dir().join(format!("steplab-precompress-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("index.html"), "<!doctype html><p>".repeat(200)).unwrap();
        fs::write(dir.join("picture.png"), [137u8, 80, 78, 71]).unwrap();
        fs::create_dir_all(dir.join("first")).unwrap();
        fs::write(dir.join("first/default-a.svg"), "<svg/>").unwrap();
        let written = write(&dir).unwrap();
        let names: Vec<&str> = written.iter().map(|file| file.name.as_str()).collect();
        assert_eq!(names, ["first/default-a.svg", "index.html"], "the compressible files, in folders too");
        let written = &written[1..];
        assert!(written[0].brotli < written[0].gzip && written[0].gzip < written[0].bytes);
        assert_eq!(check(&dir), Vec::<String>::new());
        fs::write(dir.join("index.html"), "changed").unwrap();
        let problems = check(&dir);
        assert!(problems.iter().any(|p| p.contains("index.html.gz does not decompress")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("index.html.br does not decompress")), "{problems:?}");
        fs::remove_file(dir.join("index.html.br")).unwrap();
        assert!(check(&dir).iter().any(|p| p == "index.html has no .br copy"));
        fs::remove_dir_all(&dir).unwrap();
    }
}
