#[tokio::main]
async fn main() -> std::process::ExitCode {
    backend::cli::main().await
}
