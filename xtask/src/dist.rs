//! The front end as it ships: `trunk build --release` into frontend/dist (the staff's desk app,
//! from index.html), again into frontend/dist/f (the parent's slim page, from family.html, served
//! at `/f`) and frontend/dist/field (the counselors' field app, from field.html, served at
//! `/field/`), then every text and wasm file pre-compressed next to itself (`.br`, `.gz`). The server sends those as they are
//! (tower-http's `ServeDir::precompressed_br/gzip`), so the strongest settings cost nothing per
//! request, and parents on slow mobile networks download the least.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::cmd::{self, cargo, run};

/// The files worth compressing; images and fonts are compressed already.
const COMPRESSED_EXTENSIONS: &[&str] = &["wasm", "js", "css", "html"];

pub fn dist_dir() -> PathBuf {
    cmd::root().join("frontend/dist")
}

/// Builds frontend/dist; `wasm_opt` says whether the tools step found wasm-opt, for a better error.
pub fn build(wasm_opt: bool) -> Result<PathBuf> {
    let root = cmd::root();
    if !root.join("frontend/index.html").exists() {
        bail!("frontend/index.html does not exist yet, so there is no front end to build");
    }
    // Trunk.toml sets offline = true, which makes Trunk's cargo build --offline: every crate,
    // for every target, must already be downloaded.
    run(cargo().arg("fetch"))?;
    // --skip-version-check: Trunk would otherwise ask crates.io whether it is the newest release.
    // The desk app first: Trunk empties its dist folder, which holds the other two.
    let trunk = |extra: &[&str]| {
        run(Command::new("trunk").args(["build", "--release", "--skip-version-check"]).args(extra).current_dir(&root))
    };
    let family = ["frontend/family.html", "--dist", "frontend/dist/f", "--public-url", "/f/"];
    let field = ["frontend/field.html", "--dist", "frontend/dist/field", "--public-url", "/field/"];
    let built = trunk(&[]).and_then(|()| trunk(&family)).and_then(|()| trunk(&field));
    if let Err(err) = built {
        if !wasm_opt {
            return Err(err.context("trunk build failed, and wasm-opt was not available (see the warning above)"));
        }
        return Err(err);
    }
    let dist = dist_dir();
    precompress(&dist)?;
    Ok(dist)
}

fn precompress(dist: &Path) -> Result<()> {
    let mut files = Vec::new();
    collect(dist, &mut files)?;
    files.sort();
    eprintln!("xtask: pre-compressing {} files in {}", files.len(), dist.display());
    let (mut raw_total, mut br_total, mut gz_total) = (0, 0, 0);
    for file in &files {
        let data = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let br = brotli(&data)?;
        let gz = gzip(&data)?;
        write(&with_suffix(file, "br"), &br)?;
        write(&with_suffix(file, "gz"), &gz)?;
        let name = file.strip_prefix(dist).unwrap_or(file).display();
        eprintln!("  {name:<48} {:>9} raw {:>9} br {:>9} gz", data.len(), br.len(), gz.len());
        raw_total += data.len();
        br_total += br.len();
        gz_total += gz.len();
    }
    eprintln!("  {:<48} {raw_total:>9} raw {br_total:>9} br {gz_total:>9} gz", "total");
    Ok(())
}

/// Files to compress under `dir`, recursively.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| COMPRESSED_EXTENSIONS.contains(&e)) {
            files.push(path);
        }
    }
    Ok(())
}

fn brotli(data: &[u8]) -> Result<Vec<u8>> {
    // Quality 11 (the maximum) with the standard 4 MiB window (lgwin 22) that every browser decodes.
    let mut writer = brotli::CompressorWriter::new(Vec::new(), 64 * 1024, 11, 22);
    writer.write_all(data)?;
    // into_inner finishes the stream (a flush would only add an empty block).
    Ok(writer.into_inner())
}

fn gzip(data: &[u8]) -> Result<Vec<u8>> {
    // flate2 writes mtime 0 in the header, so the same input always gives the same bytes.
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data)?;
    Ok(encoder.finish()?)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    name.into()
}

fn write(path: &Path, data: &[u8]) -> Result<()> {
    std::fs::write(path, data).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn compressed_files_decode_to_the_original() {
        let data = "<html>家访 Jiafang</html>".repeat(200).into_bytes();
        let mut unbrotli = Vec::new();
        brotli::Decompressor::new(brotli(&data).unwrap().as_slice(), 4096).read_to_end(&mut unbrotli).unwrap();
        assert_eq!(unbrotli, data);
        let mut ungzip = Vec::new();
        flate2::read::GzDecoder::new(gzip(&data).unwrap().as_slice()).read_to_end(&mut ungzip).unwrap();
        assert_eq!(ungzip, data);
        assert_eq!(with_suffix(Path::new("dist/app.wasm"), "br"), Path::new("dist/app.wasm.br"));
    }
}
