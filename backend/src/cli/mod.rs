//! The `jiafang` command line: serve, migrate, load the demo, manage accounts.

mod add_user;
pub mod campaign;
pub mod report;
pub mod retention;
pub mod roster_import;
pub mod visit_import;

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use shared::Role;

use crate::db::Db;
use crate::{demo, Config};

#[derive(Parser, Debug)]
#[command(name = "jiafang", version, about = "Jiafang (家访): home–school collaboration for universities")]
pub struct Cli {
    /// `sqlite://path/to/file.db` (created if missing) or `postgres://user@host/db`.
    #[arg(long, env = "JIAFANG_DATABASE_URL", default_value = "sqlite://data/jiafang.db", global = true)]
    pub database_url: String,

    #[command(subcommand)]
    pub command: Command,
}

// Parsed once at start-up: the size of the serve variant costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the API and the front end.
    Serve(ServeArgs),
    /// Create or update the database schema, then exit.
    Migrate,
    /// Load the demo school into an empty database.
    Demo {
        /// The server's secret key, which seals the demo admin's TOTP secret: the one `serve` uses.
        #[arg(long, env = "JIAFANG_SECRET_FILE", default_value = "data/jiafang.secret")]
        secret_file: PathBuf,
    },
    /// Import data from a file.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// A campaign's summary (the dashboard's figures) as JSON, xlsx or printable HTML.
    Report {
        /// The campaign's name, e.g. 2024年寒假家访.
        #[arg(long)]
        campaign: String,
        #[arg(long, value_enum, default_value = "json")]
        format: report::Format,
        /// Where to write it (standard output by default).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Write every record to FILE (gzip'd JSON lines), consistent while the server is serving.
    /// Sessions and sign-in attempts are left out. The file holds personal data: keep it safe.
    Backup { file: PathBuf },
    /// Restore a backup into an empty database (SQLite or PostgreSQL, whichever it came from);
    /// everyone signs in again afterwards.
    Restore {
        file: PathBuf,
        /// Replace whatever the database holds.
        #[arg(long)]
        force: bool,
    },
    /// Remove what the campaigns' retention periods no longer keep (issue 19), now; the server
    /// does it daily by itself. With --dry-run: only list what would go.
    Retention {
        #[arg(long)]
        dry_run: bool,
    },
    /// Home-visit campaigns.
    Campaign {
        #[command(subcommand)]
        command: campaign::CampaignCommand,
    },
    /// Staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    #[arg(long, env = "JIAFANG_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// The front end built by Trunk.
    #[arg(long, env = "JIAFANG_STATIC_DIR", default_value = "frontend/dist")]
    pub static_dir: PathBuf,
    /// Cookies only over HTTPS (`Secure`, `__Host-` prefix). Required with --production.
    #[arg(long, env = "JIAFANG_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Production: refuses to start without --secure-cookies; logs as JSON.
    #[arg(long, env = "JIAFANG_PRODUCTION")]
    pub production: bool,
    /// Read the client's address from X-Forwarded-For, as set by a reverse proxy on this host
    /// (127.0.0.0/8, ::1); for proxies elsewhere name them with --trusted-proxies.
    #[arg(long, env = "JIAFANG_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// The reverse proxies whose X-Forwarded-For is believed, as addresses or CIDR networks
    /// separated by commas (e.g. 10.0.0.5,10.1.0.0/16); implies --trust-proxy. The header is read
    /// only from them, and the client is the right-most address in it that is not one of them.
    #[arg(long, env = "JIAFANG_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_proxy)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Let a visit's author correct it after its campaign is closed (off: closed campaigns are
    /// read-only records).
    #[arg(long, env = "JIAFANG_CLOSED_CAMPAIGN_CORRECTIONS")]
    pub closed_campaign_corrections: bool,
    /// Load the demo school first if the database has no accounts yet.
    #[arg(long, env = "JIAFANG_DEMO")]
    pub demo: bool,
    /// The server's secret key (family links are derived from it, TOTP secrets sealed with it);
    /// created if missing. Keep it as long as the backups, stored apart from them: a backup
    /// restores onto a server with this same key.
    #[arg(long, env = "JIAFANG_SECRET_FILE", default_value = "data/jiafang.secret")]
    pub secret_file: PathBuf,
    /// How long an admin's password reset link works, in hours.
    #[arg(long, env = "JIAFANG_RESET_LINK_HOURS", default_value_t = 72, value_parser = clap::value_parser!(i64).range(1..=720))]
    pub reset_link_hours: i64,
    /// From which hour (Beijing time, 0–23) the daily retention run starts.
    #[arg(long, env = "JIAFANG_RETENTION_HOUR", default_value_t = 3, value_parser = clap::value_parser!(u32).range(0..=23))]
    pub retention_hour: u32,
    #[command(flatten)]
    pub channels: crate::notify::config::ChannelArgs,
}

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// A student roster (.xlsx or .csv, see docs/roster-template.md). Prints a report; exits
    /// non-zero when rows were rejected. With --template FILE: writes the xlsx template and exits.
    Roster {
        #[arg(required_unless_present = "template")]
        file: Option<PathBuf>,
        /// Write the roster template (.xlsx: headers, column notes, one example row) to this file
        /// and exit; nothing is imported.
        #[arg(long, conflicts_with_all = ["file", "dry_run", "sheet"])]
        template: Option<PathBuf>,
        /// Check and compare only: write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The sheet of an xlsx file (the first by default).
        #[arg(long)]
        sheet: Option<String>,
    },
    /// Home visits recorded on paper or in Excel (see README, "Visit import"). Prints a report;
    /// exits non-zero when rows were rejected. Importing the same file again changes nothing.
    Visits {
        file: PathBuf,
        /// The campaign's name, e.g. 2024年寒假家访.
        #[arg(long)]
        campaign: String,
        /// Check only: write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account. The password is read from standard input (one line), never from a flag.
    Add {
        #[arg(long)]
        username: String,
        /// The name shown to others, e.g. 王老师.
        #[arg(long)]
        name: String,
        /// admin, school_leader, college_leader, counselor, class_advisor or service_staff.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The college of a college leader, counselor or class advisor (created if new).
        #[arg(long)]
        college: Option<String>,
        /// The department of service staff: counselling, financial_aid or career.
        #[arg(long, value_parser = parse_department)]
        department: Option<shared::Department>,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::from_code(text)
        .ok_or_else(|| "expected admin, college_leader, counselor, class_advisor or service_staff".into())
}

fn parse_department(text: &str) -> Result<shared::Department, String> {
    shared::Department::from_code(text).ok_or_else(|| "expected counselling, financial_aid or career".into())
}

impl Cli {
    /// The command line from `args` (the program's name first), or clap's message; for tests.
    pub fn from_args(args: &[&str]) -> Result<Cli, String> {
        Cli::try_parse_from(args).map_err(|e| e.to_string())
    }
}

/// The whole program: reads the command line, starts logging, runs the command. The `jiafang`
/// binary is this, and so is the tests crate's `jiafang-under-test` (Cargo hands a package's
/// integration tests only that package's own binaries, and the crash tests need a process).
pub async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let json = matches!(&cli.command, Command::Serve(a) if a.production)
        || std::env::var("JIAFANG_LOG_FORMAT").is_ok_and(|f| f == "json");
    crate::logging::init(json);
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve(&cli.database_url, args).await,
        Command::Migrate => {
            let db = Db::connect(&cli.database_url).await?;
            db.migrate().await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Report { campaign, format, output } => {
            report::run(&cli.database_url, &campaign, format, output.as_deref()).await
        }
        Command::Demo { secret_file } => {
            let key = crate::secret::Secret::load_or_create(&secret_file)?;
            let db = Db::connect(&cli.database_url).await?;
            db.migrate().await?;
            demo::load(&db, &key).await?;
            println!("demo data loaded (DEMO — not real people)");
            Ok(())
        }
        Command::Import { command: ImportCommand::Roster { template: Some(template), .. } } => {
            roster_import::write_template(&template)
        }
        Command::Import { command: ImportCommand::Roster { file, dry_run, sheet, .. } } => {
            let file = file.context("需要名单文件 / a roster FILE is needed")?;
            let rejected =
                roster_import::roster(&cli.database_url, &file, dry_run, sheet.as_deref(), &mut std::io::stdout())
                    .await?;
            if rejected > 0 {
                anyhow::bail!("{rejected} 行被拒绝 / {rejected} rows were rejected");
            }
            Ok(())
        }
        Command::Import { command: ImportCommand::Visits { file, campaign, dry_run } } => {
            let out = &mut std::io::stdout();
            let rejected = visit_import::run(&cli.database_url, &file, &campaign, dry_run, out).await?;
            if rejected > 0 {
                anyhow::bail!("{rejected} 行被拒绝 / {rejected} rows were rejected");
            }
            Ok(())
        }
        Command::Retention { dry_run } => retention::run(&cli.database_url, dry_run).await,
        Command::Backup { file } => {
            let db = Db::connect(&cli.database_url).await?;
            let summary = crate::backup::backup(&db, &file).await?;
            println!("backed up {summary} to {}", file.display());
            Ok(())
        }
        Command::Restore { file, force } => {
            let db = Db::connect(&cli.database_url).await?;
            let summary = crate::backup::restore(&db, &file, force).await?;
            println!("restored {summary} from {}; the schema is up to date", file.display());
            Ok(())
        }
        Command::Campaign { command } => campaign::run(&cli.database_url, command, &mut std::io::stdout()).await,
        Command::User { command: UserCommand::Add { username, name, role, college, department } } => {
            add_user::add_user(&cli.database_url, username, name, role, college, department).await
        }
    }
}

/// An error of a feature (a refused file, a refused row, a conflict) as one bilingual line.
pub(crate) fn explain(error: crate::error::Error) -> anyhow::Error {
    use crate::error::Error;
    match error {
        Error::Validation(fields) => {
            anyhow::anyhow!(fields.iter().map(|(_, m)| format!("{} / {}", m.zh, m.en)).collect::<Vec<_>>().join("; "))
        }
        Error::Conflict(m) | Error::Status { message: m, .. } => anyhow::anyhow!("{} / {}", m.zh, m.en),
        other => anyhow::anyhow!(other),
    }
}

/// An address (a network of one) or a CIDR network.
fn parse_proxy(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("{text:?} is neither an IP address nor a CIDR network such as 10.0.0.0/8"))
}

/// The proxies to believe: those named, else with `--trust-proxy` a proxy on this host.
pub fn trusted_proxies(trust_proxy: bool, named: Vec<ipnet::IpNet>) -> Vec<ipnet::IpNet> {
    if !named.is_empty() || !trust_proxy {
        return named;
    }
    ["127.0.0.0/8", "::1/128"].iter().filter_map(|n| n.parse().ok()).collect()
}

async fn serve(database_url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let mut config = Config::new(database_url);
    config.static_dir = Some(args.static_dir.clone()).filter(|d| d.join("index.html").exists());
    if config.static_dir.is_none() {
        tracing::warn!(dir = %args.static_dir.display(), "no front end found there; serving the API only");
    }
    config.session.secure = args.secure_cookies;
    config.production = args.production;
    config.trusted_proxies = trusted_proxies(args.trust_proxy, args.trusted_proxies);
    config.closed_campaign_corrections = args.closed_campaign_corrections;
    config.secret = crate::secret::Secret::load_or_create(&args.secret_file)?;
    config.reset_link_valid_secs = args.reset_link_hours * 3600;
    config.channels = args.channels.into_config();
    config.retention_hour = Some(args.retention_hour);
    config.check()?;
    let mut family_link = None;
    if args.demo {
        let db = Db::connect(database_url).await?;
        db.migrate().await?;
        if !demo::has_users(&db).await? {
            println!("loading the demo school (DEMO data — not real people) …");
            demo::load(&db, &config.secret).await?;
        }
        family_link = demo::family_link(&db, &config.secret).await?;
        db.close().await;
    }
    let listener = tokio::net::TcpListener::bind(args.bind).await.with_context(|| format!("binding {}", args.bind))?;
    let address = listener.local_addr()?;
    println!("Jiafang is serving on http://{address}");
    if let Some(path) = family_link {
        println!("家长链接（演示）/ A parent's link to the next parents' meeting (demo): http://{address}{path}");
    }
    crate::serve(config, listener, shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}

#[cfg(test)]
mod tests;
