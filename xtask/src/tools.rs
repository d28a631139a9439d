//! Installs the tools the front end and the browser tests need, only when missing, at exact versions.
//! Trunk.toml sets `offline = true`, so Trunk itself never downloads anything: it uses what is on
//! PATH, and fails if the version differs from the one Trunk.toml pins.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Once;

use anyhow::{bail, Context, Result};

use crate::cmd::{self, cargo, on_path, output, run};

/// 0.22 needs a newer rustc than the one this project builds with.
pub const TRUNK_VERSION: &str = "0.21.14";

/// binaryen from npm (its wasm-opt is a Node.js script around binaryen compiled to wasm, so it
/// runs anywhere Node.js does). Debian's binaryen (v108) must never be used: its output breaks
/// the page. Trunk.toml's `[tools] wasm_opt` must be `version_<major>`, which is what this prints
/// for `wasm-opt --version` ("wasm-opt version 132 (version_132)").
pub const BINARYEN_VERSION: &str = "132.0.0";

/// Everything `trunk build --release` needs. Returns whether wasm-opt is available.
pub fn frontend() -> Result<bool> {
    let wasm_bindgen_version = locked_wasm_bindgen()?;
    check_trunk_toml(&wasm_bindgen_version)?;
    // `cargo install` puts binaries there; it may be missing from PATH in a minimal shell.
    cmd::add_to_path(&cargo_home().join("bin"), false);
    wasm_target()?;
    trunk()?;
    wasm_bindgen(&wasm_bindgen_version)?;
    wasm_opt()
}

pub fn wasm_target() -> Result<()> {
    let Some(installed) = output("rustup", &["target", "list", "--installed"]) else {
        eprintln!("xtask: warning: rustup not found; assuming the toolchain has wasm32-unknown-unknown");
        return Ok(());
    };
    if installed.lines().any(|t| t.trim() == "wasm32-unknown-unknown") {
        eprintln!("xtask: found rust target wasm32-unknown-unknown");
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn trunk() -> Result<()> {
    let wanted = format!("trunk {TRUNK_VERSION}");
    if output("trunk", &["--version"]).as_deref() == Some(wanted.as_str()) {
        eprintln!("xtask: found {wanted}");
        return Ok(());
    }
    eprintln!("xtask: installing {wanted}");
    run(cargo().args(["install", &format!("trunk@{TRUNK_VERSION}"), "--locked"]))?;
    expect_version("trunk", &wanted)
}

fn wasm_bindgen(version: &str) -> Result<()> {
    // wasm-bindgen-cli must match the wasm-bindgen library exactly, or the generated glue breaks.
    let wanted = format!("wasm-bindgen {version}");
    if output("wasm-bindgen", &["--version"]).as_deref() == Some(wanted.as_str()) {
        eprintln!("xtask: found {wanted}");
        return Ok(());
    }
    eprintln!("xtask: installing wasm-bindgen-cli {version} (the version in Cargo.lock)");
    // Not --locked: with its own lock file, wasm-bindgen-cli fails to install on this toolchain.
    run(cargo().args(["install", "wasm-bindgen-cli", "--version", version]))?;
    expect_version("wasm-bindgen", &wanted)
}

fn wasm_opt() -> Result<bool> {
    let dir = cmd::target_dir().join("tools/binaryen");
    let bin_dir = dir.join("node_modules/.bin");
    // In front of PATH, so it wins over any other wasm-opt (Debian's v108 in particular).
    cmd::add_to_path(&bin_dir, true);
    let wanted = wasm_opt_version_tag();
    if wasm_opt_tag(bin_dir.join("wasm-opt")).as_deref() == Some(wanted.as_str()) {
        eprintln!("xtask: found wasm-opt {wanted} (npm binaryen) in {}", bin_dir.display());
        return Ok(true);
    }
    if !on_path("npm") || !on_path("node") {
        eprintln!(
            "xtask: warning: npm/node not found, so no wasm-opt ({wanted}): release builds that run wasm-opt will \
             fail; install Node.js and npm (e.g. `apt-get install nodejs npm`)"
        );
        return Ok(false);
    }
    eprintln!("xtask: installing wasm-opt from npm binaryen@{BINARYEN_VERSION} into {}", dir.display());
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let package = format!("binaryen@{BINARYEN_VERSION}");
    run(Command::new("npm").args(["install", "--no-audit", "--no-fund", "--prefix"]).arg(&dir).arg(&package))?;
    match wasm_opt_tag(bin_dir.join("wasm-opt")) {
        Some(tag) if tag == wanted => Ok(true),
        other => bail!("after installing {package}, wasm-opt reports {other:?} instead of {wanted}"),
    }
}

/// What Trunk reads from `wasm-opt --version`: the third word, as `version_<word>`.
fn wasm_opt_tag(program: PathBuf) -> Option<String> {
    let text = output(program, &["--version"])?;
    Some(format!("version_{}", text.split(' ').nth(2)?))
}

fn wasm_opt_version_tag() -> String {
    format!("version_{}", BINARYEN_VERSION.split('.').next().unwrap_or(BINARYEN_VERSION))
}

fn expect_version(program: &str, wanted: &str) -> Result<()> {
    match output(program, &["--version"]) {
        Some(found) if found == wanted => Ok(()),
        found => {
            bail!("installed {wanted}, but `{program} --version` now says {found:?}: is another one earlier on PATH?")
        }
    }
}

fn cargo_home() -> PathBuf {
    match std::env::var_os("CARGO_HOME") {
        Some(home) => home.into(),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"),
    }
}

/// Chromium and ChromeDriver for the browser tests, and brotli (optional, for bundle size reports).
pub fn browser() -> Result<()> {
    let missing: Vec<&str> = [("chromium", "chromium"), ("chromedriver", "chromium-driver")]
        .into_iter()
        .filter(|(program, _)| !on_path(program))
        .map(|(_, package)| package)
        .collect();
    let root = cmd::is_root();
    if missing.is_empty() {
        eprintln!("xtask: found chromium and chromedriver");
    } else {
        if !root {
            bail!(
                "the browser tests need Chromium and ChromeDriver; install them (Debian: `sudo apt-get install {}`) \
                 and run again",
                missing.join(" ")
            );
        }
        apt_install(&missing)?;
    }
    if !on_path("brotli") {
        let installed = if root { apt_install(&["brotli"]) } else { Err(anyhow::anyhow!("not running as root")) };
        if let Err(err) = installed {
            eprintln!("xtask: warning: no `brotli` command ({err:#}); bundle size reports will lack brotli sizes");
        }
    }
    Ok(())
}

/// The SMTP server the delivery tests send staff e-mail to (`tests::receivers::SmtpServer`).
pub const AIOSMTPD_VERSION: &str = "1.4.6";

/// Python's aiosmtpd for the delivery tests, installed with pip when `python3` lacks it.
/// Debian's `wrk`, the load generator of the sign-up storm benchmark.
pub fn load_generator() -> Result<()> {
    if on_path("wrk") {
        eprintln!("xtask: found wrk");
        return Ok(());
    }
    if !cmd::is_root() {
        bail!("the storm benchmark needs wrk; install it (Debian: `sudo apt-get install wrk`) and run again");
    }
    apt_install(&["wrk"])
}

pub fn smtp_server() -> Result<()> {
    let found = output("python3", &["-c", "import aiosmtpd; print(aiosmtpd.__version__)"]);
    if let Some(version) = found.filter(|v| !v.is_empty()) {
        eprintln!("xtask: found aiosmtpd {version}");
        return Ok(());
    }
    if !on_path("python3") {
        bail!("the delivery tests need python3 with aiosmtpd; install python3 (Debian: `apt-get install python3-pip`)");
    }
    eprintln!("xtask: installing aiosmtpd {AIOSMTPD_VERSION} with pip");
    let pinned = format!("aiosmtpd=={AIOSMTPD_VERSION}");
    run(Command::new("python3").args(["-m", "pip", "install", "--user", &pinned])).or_else(|_| {
        // Debian's system Python refuses --user installs (PEP 668) unless told otherwise.
        run(Command::new("python3").args(["-m", "pip", "install", "--user", "--break-system-packages", &pinned]))
    })
}

fn apt_install(packages: &[&str]) -> Result<()> {
    // The package lists may be missing or stale on a fresh machine; refresh them once per run.
    static UPDATE: Once = Once::new();
    let mut updated = Ok(());
    UPDATE.call_once(|| updated = run(Command::new("apt-get").arg("update")));
    updated?;
    run(Command::new("apt-get").env("DEBIAN_FRONTEND", "noninteractive").args(["install", "-y"]).args(packages))
}

/// The `wasm-bindgen` version in the workspace's Cargo.lock.
pub fn locked_wasm_bindgen() -> Result<String> {
    let path = cmd::root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let versions = locked_versions(&lock, "wasm-bindgen");
    match versions.as_slice() {
        [one] => Ok(one.to_string()),
        [] => bail!("no wasm-bindgen package in Cargo.lock"),
        many => bail!("Cargo.lock has several wasm-bindgen versions ({}); the front end needs one", many.join(", ")),
    }
}

/// Versions of the `[[package]]` entries named `package` in a Cargo.lock.
fn locked_versions<'a>(lock: &'a str, package: &str) -> Vec<&'a str> {
    let mut versions = Vec::new();
    let mut name = None;
    for line in lock.lines().map(str::trim) {
        if line == "[[package]]" {
            name = None;
        } else if let Some(value) = string_value(line, "name") {
            name = Some(value);
        } else if let (Some(value), Some(n)) = (string_value(line, "version"), name) {
            if n == package {
                versions.push(value);
            }
        }
    }
    versions
}

/// Trunk.toml must pin the same tool versions we install, or offline Trunk refuses to build.
fn check_trunk_toml(wasm_bindgen_version: &str) -> Result<()> {
    let path = cmd::root().join("Trunk.toml");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let expected = [("wasm_bindgen", wasm_bindgen_version.to_string()), ("wasm_opt", wasm_opt_version_tag())];
    for (key, want) in expected {
        let found = section_value(&text, "tools", key);
        if found != Some(want.as_str()) {
            bail!(
                "Trunk.toml has [tools] {key} = {found:?}, but the build installs {want:?} (wasm-bindgen from \
                 Cargo.lock, wasm-opt from xtask/src/tools.rs): set `{key} = \"{want}\"` in Trunk.toml"
            );
        }
    }
    Ok(())
}

/// A string value `key = "..."` inside `[section]` of a simple TOML file.
fn section_value<'a>(text: &'a str, section: &str, key: &str) -> Option<&'a str> {
    let mut current = "";
    for line in text.lines().map(str::trim) {
        if let Some(header) = line.strip_prefix('[') {
            current = header.trim_end_matches(']').trim();
        } else if current == section {
            if let Some(value) = string_value(line, key) {
                return Some(value);
            }
        }
    }
    None
}

fn string_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(key)?.trim_start().strip_prefix('=')?.trim_start().strip_prefix('"')?;
    rest.split('"').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_locked_versions() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n\n[[package]]\n\
                    name = \"wasm-bindgen-macro\"\nversion = \"0.2.99\"\n";
        assert_eq!(locked_versions(lock, "wasm-bindgen"), ["0.2.130"]);
        assert!(locked_versions(lock, "leptos").is_empty());
    }

    #[test]
    fn reads_section_values() {
        let toml = "[build]\noffline = true\n\n[tools]\nwasm_bindgen = \"0.2.130\" # from Cargo.lock\n";
        assert_eq!(section_value(toml, "tools", "wasm_bindgen"), Some("0.2.130"));
        assert_eq!(section_value(toml, "build", "wasm_bindgen"), None);
    }

    /// The repository's own files agree with each other.
    #[test]
    fn trunk_toml_matches_cargo_lock() {
        check_trunk_toml(&locked_wasm_bindgen().unwrap()).unwrap();
    }
}
