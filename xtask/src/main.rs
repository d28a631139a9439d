//! `cargo xtask`: the project's two commands, `run` and `test`, written in Rust so that a fresh clone
//! needs nothing but cargo to build, serve and check Jiafang.

mod bench;
mod cmd;
mod dist;
mod fuzz;
mod run;
mod seam;
mod test;
mod tools;

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", about = "Build, serve and test Jiafang")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install the tools, build the front end and the server (release), then serve with DEMO data.
    Run {
        /// Start with an empty database instead of loading the demo school.
        #[arg(long)]
        no_demo: bool,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// `sqlite://path/to/file.db` or `postgres://user@host/db`.
        #[arg(long, default_value = run::DEFAULT_DATABASE_URL)]
        database_url: String,
    },
    /// fmt, clippy, wasm check, front-end build, then every test (SQLite; PostgreSQL too if
    /// JIAFANG_TEST_POSTGRES is set). Arguments after `--` go to each `cargo test`.
    Test {
        /// Skip fmt, clippy and the wasm32 check, for quick local iterations.
        #[arg(long)]
        skip_lint: bool,
        /// Passed verbatim to `cargo test`, e.g. `-- browser` or `-- browser -- --nocapture`.
        #[arg(last = true)]
        cargo_test_args: Vec<String>,
    },
    /// Build in release and run every benchmark; the report goes to target/bench/report.md and
    /// report.json.
    Bench {
        /// Run only the named benchmark(s), e.g. `--only storm`.
        #[arg(long)]
        only: Vec<String>,
    },
    /// Fuzz the API with schemathesis from its OpenAPI document, signed in as each role, on a
    /// fresh seeded database: no server error, no answer outside the document.
    FuzzApi {
        /// Many more examples per operation (tens of minutes) instead of the quick run of `test`.
        #[arg(long)]
        long: bool,
        /// A PostgreSQL server (`postgres://user@host:port/db`) to fuzz on instead of SQLite; a
        /// fresh database is created there and dropped afterwards.
        #[arg(long)]
        database: Option<String>,
    },
    /// Install the build and test tools only (aiosmtpd for the delivery tests; add --browser for
    /// Chromium and ChromeDriver).
    #[command(hide = true)]
    Tools {
        #[arg(long)]
        browser: bool,
    },
    /// Build the front end into frontend/dist (release, pre-compressed) and stop.
    #[command(hide = true)]
    Dist,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run { no_demo, bind, database_url } => run::run(!no_demo, bind, &database_url),
        Command::Test { skip_lint, cargo_test_args } => test::test(skip_lint, &cargo_test_args),
        Command::Bench { only } => bench::bench(&only),
        Command::FuzzApi { long, database } => fuzz::fuzz_api(long, database.as_deref()),
        Command::Tools { browser } => tools::frontend().and_then(|_| tools::smtp_server()).and_then(|_| {
            if browser {
                tools::browser()
            } else {
                Ok(())
            }
        }),
        Command::Dist => tools::frontend().and_then(dist::build).map(|_| ()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
