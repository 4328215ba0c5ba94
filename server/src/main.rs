//! `rihub-server`: see `rihub-server --help`.

use clap::Parser;
use rihub_server::cli::{Cli, Command, backup, restore, run_user};
use tracing_subscriber::EnvFilter;

/// The database allocates and frees small values at a high rate from every worker thread,
/// where glibc's allocator spends a sixth of the server's time under sync load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    // The database reports expected outcomes (a key that already exists) as errors; with
    // RUST_BACKTRACE set each of them would capture a backtrace. Panics still get theirs.
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        // SAFETY: no other thread exists yet to read the environment concurrently.
        #[allow(unsafe_code, reason = "the one write of the environment, before any thread starts")]
        unsafe {
            std::env::set_var("RUST_LIB_BACKTRACE", "0")
        };
    }
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(serve())
}

async fn serve() -> anyhow::Result<()> {
    let filter = EnvFilter::try_from_env("RIHUB_LOG").unwrap_or_else(|_| EnvFilter::new("info,surrealdb=warn,surrealkv=warn"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    // One JSON object per line for log collectors; readable text otherwise.
    if std::env::var("RIHUB_LOG_FORMAT").is_ok_and(|f| f == "json") {
        logs.json().init();
    } else {
        logs.init();
    }
    match Cli::parse().command {
        Command::Serve(config) => {
            if let Some(dir) = config.database.url.strip_prefix("surrealkv://").and_then(|p| std::path::Path::new(p).parent()) {
                std::fs::create_dir_all(dir)?;
            }
            let listener = tokio::net::TcpListener::bind(config.bind).await?;
            rihub_server::launch(config, listener, shutdown_signal()).await
        }
        Command::User { db, action } => run_user(db, action).await,
        Command::Backup { db, out } => backup(db, out).await,
        Command::Restore { db, from } => restore(db, from).await,
    }
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests finish before the process exits.
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
    tracing::info!("shutting down");
}
