//! The `jiafang` command line, built inside the tests crate so that its integration tests can
//! start the server as a process of its own and kill it (`env!("CARGO_BIN_EXE_jiafang-under-test")`:
//! Cargo gives a package's tests only that package's binaries).

#[tokio::main]
async fn main() -> std::process::ExitCode {
    backend::cli::main().await
}
