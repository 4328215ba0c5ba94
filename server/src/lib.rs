//! rihub's server: the HTTP API, sessions, the SurrealDB store, and the built app.
//!
//! # Layout
//! - [`launch`] starts everything on a listener until `shutdown` resolves; tests call it on
//!   port 0 through [`build`].
//! - [`router`] lists every route; [`routes`] holds the handlers, one module per resource.
//! - [`auth`]: passwords, sessions, the login rate limiter.
//! - [`db`]: connection, migrations and named queries; [`demo`] loads demo data.
//! - [`error`]: the one error type and how each kind maps to an HTTP status.

pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod limits;
pub mod local_admin;
pub mod router;
pub mod routes;
pub mod search;
pub mod state;
pub mod static_files;
pub mod sync;
pub mod user_command;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use config::Config;
use state::AppState;

/// Content Security Policy: scripts only from this origin (wasm needs 'wasm-unsafe-eval',
/// which allows compiling WebAssembly, not evaluating strings); no inline script or style.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                   img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
                   base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Connects to the database, applies migrations, loads demo data if asked, and returns
/// the application router with its state. `origin` is the public origin of the site.
pub async fn build(config: &Config, origin: String) -> anyhow::Result<(Router, AppState)> {
    let db = config.database.open(config.clock.clone()).await?;
    if config.demo {
        demo::load(&db).await?;
    } else if !db::users::has_admin(&db).await? {
        tracing::warn!(
            "no admin account exists; create one with: rihub-server user add --email you@example.org --name 'Your Name' --role admin"
        );
    }
    let feed = sync::feed::Feed::start(db.clone());
    let search = search::Search::start(db.clone(), &feed);
    let sessions = Arc::new(auth::resolved::Resolved::default());
    let state = AppState {
        revocations: auth::revocations::Revocations::start(db.clone(), sessions.clone()),
        db,
        secure_cookies: origin.starts_with("https://"),
        origin: Arc::from(origin),
        session_policy: config.sessions,
        admin_token: Arc::default(),
        trusted_proxies: config.trusted_proxies.clone().into(),
        limits: limits::Limits::new(config.ceilings),
        sessions,
        feed,
        presence: Default::default(),
        search,
    };
    let app = Router::new()
        .merge(router::api(state.clone()))
        .merge(static_files::service(&config.dist))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::session::middleware::<AppState>))
        .layer(CompressionLayer::new())
        .layer(set_header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(set_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set_header(header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
        .layer(set_header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(TraceLayer::new_for_http());
    Ok((app, state))
}

fn set_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
}

/// Serves rihub on `listener` until `shutdown` resolves, then finishes in-flight requests.
pub async fn launch(config: Config, listener: TcpListener, shutdown: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
    let local = listener.local_addr()?;
    let origin = config.public_origin.clone().map(|o| o.trim_end_matches('/').to_string()).unwrap_or_else(|| format!("http://{local}"));
    let (app, state) = build(&config, origin.clone()).await?;
    // Kept open while the server runs; the file goes when this is dropped.
    let _channel = match config.database.embedded_path() {
        Some(path) => Some(local_admin::open(&state, path, local)?),
        None => None,
    };
    tracing::info!(%origin, database = %config.database.url, "rihub listening on http://{local}");
    // Sync messages are small and answered at once; Nagle's algorithm would hold each one back
    // until the previous is acknowledged, tens of milliseconds with delayed acknowledgements.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "cannot set TCP_NODELAY");
        }
    });
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).with_graceful_shutdown(shutdown).await?;
    tracing::info!("rihub stopped");
    Ok(())
}
