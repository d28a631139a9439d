use std::path::PathBuf;

use crate::auth::limits::Limit;
use crate::auth::session::SessionConfig;

/// Everything `serve` needs; built from the command line in `cli`, or directly by tests.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    /// The front end's built files (Trunk's `dist`); `None` serves the API alone.
    pub static_dir: Option<PathBuf>,
    pub session: SessionConfig,
    /// Refuses to start without secure cookies and turns off development conveniences.
    pub production: bool,
    /// The reverse proxies (addresses or CIDR networks) whose `X-Forwarded-For` is believed: the
    /// header is read only when the peer is one of them, and the client is the right-most
    /// address in it that is not one of them (see `api::auth::client_ip`). Empty: never read.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Added delay per failed sign-in beyond the third, so that guessing gets slow.
    pub login_backoff_ms: u64,
    pub login_limit_per_account: Limit,
    pub login_limit_per_address: Limit,
    /// The largest JSON body accepted.
    pub max_body_bytes: usize,
    /// The largest body `POST /api/visits/sync` accepts: a tablet's chunk of visits kept
    /// offline, larger than any other JSON body (`shared::sync`).
    pub max_sync_body_bytes: usize,
    /// Failed tries at a family link or a class link's identification, per address.
    pub family_limit_per_address: Limit,
    /// Exports (rosters, dashboards, message lists) per staff user.
    pub export_limit_per_user: Limit,
    /// Visit import previews per staff user (each looks up a file's worth of student numbers).
    pub preview_limit_per_user: Limit,
    /// Password hashes waiting for a core beyond those running (one per core); more get 503.
    pub hash_queue_depth: usize,
    /// Whether a visit's author may still correct it once its campaign is closed. Off by
    /// default: a closed campaign is a record, read-only.
    pub closed_campaign_corrections: bool,
    /// How long an admin's password reset link works (72 hours by default: a weekend).
    pub reset_link_valid_secs: i64,
    /// Derives family links' tokens and seals TOTP secrets (see `crate::secret`); random unless
    /// loaded from a file.
    pub secret: crate::secret::Secret,
    /// The delivery channels (SMS, e-mail, WeCom) and the worker's pacing; none by default.
    pub channels: crate::notify::ChannelConfig,
    /// From which hour (Beijing time) the daily retention run starts (`crate::retention::job`);
    /// `None`: no run (tests, and `Config::new`; `serve` sets 3 unless told otherwise).
    pub retention_hour: Option<u32>,
}

impl Config {
    pub fn new(database_url: impl Into<String>) -> Config {
        Config {
            database_url: database_url.into(),
            static_dir: None,
            session: SessionConfig::default(),
            production: false,
            trusted_proxies: Vec::new(),
            login_backoff_ms: 400,
            login_limit_per_account: Limit { max: 10, window_secs: 15 * 60 },
            login_limit_per_address: Limit { max: 50, window_secs: 15 * 60 },
            max_body_bytes: 256 * 1024,
            max_sync_body_bytes: shared::sync::SYNC_BODY_BYTES,
            family_limit_per_address: Limit { max: 20, window_secs: 15 * 60 },
            export_limit_per_user: Limit { max: 60, window_secs: 15 * 60 },
            preview_limit_per_user: Limit { max: 60, window_secs: 15 * 60 },
            hash_queue_depth: 128,
            closed_campaign_corrections: false,
            reset_link_valid_secs: 72 * 3600,
            secret: crate::secret::Secret::random(),
            channels: crate::notify::ChannelConfig::default(),
            retention_hour: None,
        }
    }

    pub fn check(&self) -> anyhow::Result<()> {
        if self.production && !self.session.secure {
            anyhow::bail!(
                "--production needs HTTPS-only cookies: pass --secure-cookies (JIAFANG_SECURE_COOKIES=true) and serve over HTTPS"
            );
        }
        self.channels.check()
    }
}
