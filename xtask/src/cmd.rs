//! Small process and path helpers shared by the subcommands.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

/// The workspace root. The xtask is always compiled in place, so its manifest directory is stable.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// Cargo's target directory, honouring CARGO_TARGET_DIR like cargo does.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// A cargo command run from the workspace root. `cargo run` sets CARGO to the cargo that started
/// us, so nested builds use the same toolchain.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// Prints the command line, runs it with inherited output and fails unless it exits with 0.
pub fn run(cmd: &mut Command) -> Result<()> {
    let line = describe(cmd);
    eprintln!("xtask: $ {line}");
    // Nothing we run should ever wait for a keyboard (CI has no stdin).
    let status = cmd.stdin(Stdio::null()).status().with_context(|| format!("could not start `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// Standard output of a command that succeeded, or None (missing program, non-zero exit).
pub fn output<S: AsRef<OsStr>>(program: impl AsRef<OsStr>, args: &[S]) -> Option<String> {
    let out = Command::new(program).args(args).stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Whether an executable of that name is on PATH (a plain lookup, so no `which` is needed).
pub fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| is_executable(&dir.join(name))))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file() || path.with_extension("exe").is_file()
    }
}

/// Adds `dir` to our own PATH, which every command we start inherits: in front (it wins over
/// other copies of the same tool) or at the back (only a fallback).
pub fn add_to_path(dir: &Path, in_front: bool) {
    let old = std::env::var_os("PATH").unwrap_or_default();
    let others: Vec<PathBuf> = std::env::split_paths(&old).filter(|d| d != dir).collect();
    let dirs =
        if in_front { [vec![dir.to_path_buf()], others].concat() } else { [others, vec![dir.to_path_buf()]].concat() };
    // Only fails for a directory containing the separator; keep the old PATH then.
    if let Ok(path) = std::env::join_paths(dirs) {
        std::env::set_var("PATH", path);
    }
}

pub fn is_root() -> bool {
    output("id", &["-u"]).as_deref() == Some("0")
}

fn describe(cmd: &Command) -> String {
    let mut words = vec![cmd.get_program().to_string_lossy().into_owned()];
    words.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    let envs: Vec<String> =
        cmd.get_envs().filter_map(|(k, v)| Some(format!("{}={}", k.to_string_lossy(), v?.to_string_lossy()))).collect();
    if envs.is_empty() {
        words.join(" ")
    } else {
        format!("{} {}", envs.join(" "), words.join(" "))
    }
}
