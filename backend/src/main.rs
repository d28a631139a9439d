use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = backend::cli::Cli::parse();
    let json = matches!(&cli.command, backend::cli::Command::Serve(a) if a.production)
        || std::env::var("JIAFANG_LOG_FORMAT").is_ok_and(|f| f == "json");
    backend::logging::init(json);
    match backend::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
