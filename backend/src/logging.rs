//! Log output: readable lines in development; in production (`serve --production` or
//! `JIAFANG_LOG_FORMAT=json`) one JSON object per line with a UTC timestamp and the request's
//! span (method, path, request id, user id). The JSON encoder escapes every value, so a newline
//! in input cannot start a forged line. What is logged never includes bodies, query strings,
//! cookies or tokens: the request span holds the path only.

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::EnvFilter;

/// Unless `JIAFANG_LOG` says otherwise.
pub const DEFAULT_FILTER: &str = "info,sqlx=warn";

fn json_subscriber<W>(filter: EnvFilter, writer: W) -> impl tracing::Subscriber + Send + Sync + 'static
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).json().with_current_span(true).finish()
}

/// The process-wide logger of the command line, on standard error.
pub fn init(json: bool) {
    let filter = EnvFilter::try_from_env("JIAFANG_LOG").unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    if json {
        json_subscriber(filter, std::io::stderr).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    }
}

/// For tests: the production format, with this filter, into `writer`, for what runs on the
/// current thread until the guard drops.
pub fn capture_json<W>(filter: &str, writer: W) -> tracing::subscriber::DefaultGuard
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    tracing::subscriber::set_default(json_subscriber(EnvFilter::new(filter), writer))
}
