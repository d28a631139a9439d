//! `cargo xtask run`: everything from a fresh clone to a served page, in release mode so what you
//! try is what ships.

use std::net::SocketAddr;
use std::process::Command;

use anyhow::{Context, Result};

use crate::cmd::{self, cargo, run as run_cmd};
use crate::{dist, tools};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/jiafang.db";

use shared::demo::{DEMO_PASSWORD, DEMO_SIGN_INS, DEMO_TOTP_SECRET};

pub fn run(demo: bool, bind: SocketAddr, database_url: &str) -> Result<()> {
    let wasm_opt = tools::frontend()?;
    let dist = dist::build(wasm_opt)?;
    run_cmd(cargo().args(["build", "--release", "-p", "backend"]))?;

    let mut server = Command::new(cmd::target_dir().join("release/jiafang"));
    server.current_dir(cmd::root()).args(["--database-url", database_url, "serve", "--bind", &bind.to_string()]);
    server.arg("--static-dir").arg(&dist);
    if demo {
        server.arg("--demo");
    }
    print_banner(demo, bind);
    exec(server)
}

fn print_banner(demo: bool, bind: SocketAddr) {
    // A wildcard address is not something a browser can open; show the local one instead.
    let mut shown = bind;
    if bind.ip().is_unspecified() {
        shown.set_ip(if bind.is_ipv4() { [127, 0, 0, 1].into() } else { std::net::Ipv6Addr::LOCALHOST.into() });
    }
    eprintln!();
    eprintln!("  Jiafang: http://{shown}/");
    if demo {
        eprintln!();
        eprintln!("  DEMO sign-ins (demo data only: these accounts and the school are made up):");
        for (username, role) in DEMO_SIGN_INS {
            eprintln!("    {username:<12} {role}");
        }
        eprintln!("  DEMO password for all of them: {DEMO_PASSWORD}");
        eprintln!("  admin also needs a code: DEMO TOTP secret {DEMO_TOTP_SECRET} (authenticator app, or");
        eprintln!("    `oathtool --totp -b {DEMO_TOTP_SECRET}`)");
        eprintln!("  (The demo school is loaded only into a database without accounts.)");
    } else {
        eprintln!("  No demo data. Create the first account with:");
        eprintln!("    target/release/jiafang user add --username U --name N --role admin   (password on stdin)");
    }
    eprintln!();
}

/// Replaces this process with the server, so Ctrl-C and SIGTERM reach it directly (`cargo run`
/// itself execs us the same way) and it shuts down gracefully.
#[cfg(unix)]
fn exec(mut server: Command) -> Result<()> {
    use std::os::unix::process::CommandExt;
    let err = server.exec();
    Err(err).with_context(|| format!("starting {}", server.get_program().to_string_lossy()))
}

/// Without exec, the console delivers Ctrl-C to the whole process group, the server included; we
/// just wait for it.
#[cfg(not(unix))]
fn exec(mut server: Command) -> Result<()> {
    let status = server.status().context("starting the server")?;
    anyhow::ensure!(status.success(), "the server exited with {status}");
    Ok(())
}
