//! The administrator channel of a running server, for its own command line. An embedded
//! database is locked by the process that opened it, so while a server runs on it
//! `rihub-server user …` and `rihub-server backup` ask that server instead: on start it writes
//! its loopback address and a fresh token to a file beside the database, readable by its owner
//! only (`<database>.admin.json`), and removes it when it stops. The command line reads the file
//! and sends the token with each request; nothing else can reach these routes.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use crate::auth::token;
use crate::error::{ApiJson, AppError};
use crate::state::AppState;
use crate::user_command::{UserCommand, run_user_command};

/// Where a running server and its command line meet, as the file holds it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Channel {
    pub url: String,
    pub token: String,
}

/// The channel file of the embedded database at `database`.
pub fn file_for(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".admin.json");
    PathBuf::from(name)
}

/// The open channel of a running server; the file goes when it is dropped.
pub struct Opened {
    file: PathBuf,
}

impl Drop for Opened {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.file);
    }
}

/// Opens the channel of a server listening on `local` with the embedded database at
/// `database`: a new token, whose hash `state` checks from now on.
pub fn open(state: &AppState, database: &Path, local: SocketAddr) -> anyhow::Result<Opened> {
    let host = if local.ip().is_unspecified() { SocketAddr::from(([127, 0, 0, 1], local.port())) } else { local };
    let channel = Channel { url: format!("http://{host}"), token: token::new_token() };
    let file = file_for(database);
    let text = serde_json::to_string(&channel)?;
    write_private(&file, &text).with_context(|| format!("cannot write {}", file.display()))?;
    let _ = state.admin_token.set(token::hash(&channel.token));
    Ok(Opened { file })
}

fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    create_private(file)?.write_all(text.as_bytes())
}

/// Creates `file` anew, readable and writable by its owner only: the channel's token, and
/// backups (which hold password hashes and every draft).
pub fn create_private(file: &Path) -> std::io::Result<std::fs::File> {
    let _ = std::fs::remove_file(file);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(file)
}

/// Refuses a request that does not carry this server's channel token.
fn check(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let expected = state.admin_token.get().ok_or(AppError::NotFound("this API route"))?;
    let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    match given {
        Some(t) if token::looks_valid(t) && token::hash(t) == *expected => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// `POST /api/admin/local/user`: a `rihub-server user …` command; answers with what it prints.
pub async fn user_command(State(state): State<AppState>, headers: HeaderMap, ApiJson(command): ApiJson<UserCommand>) -> Response {
    if let Err(e) = check(&state, &headers) {
        return e.into_response();
    }
    let answer = run_user_command(&state.db, command).await;
    state.revocations.nudge();
    match answer {
        Ok(text) => (StatusCode::OK, text).into_response(),
        Err(e) => (StatusCode::BAD_REQUEST, format!("{e:#}")).into_response(),
    }
}

/// `GET /api/admin/local/backup`: the database's export, as it is at the start of the request.
pub async fn backup(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(e) = check(&state, &headers) {
        return e.into_response();
    }
    match state.db.export_stream().await {
        Ok(stream) => Body::from_stream(stream.map(|chunk| chunk.map_err(std::io::Error::other))).into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}

/// The channel of the server running on the embedded database at `database`, if one runs.
fn find(database: &Path) -> anyhow::Result<Channel> {
    let file = file_for(database);
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("the database is locked, but no running server's channel is at {}", file.display()))?;
    Ok(serde_json::from_str(&text)?)
}

fn request(channel: &Channel, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new().request(method, format!("{}{path}", channel.url)).bearer_auth(&channel.token)
}

/// Runs a user command on the server running on `database`; returns what it prints.
pub async fn ask_user_command(database: &Path, command: &UserCommand) -> anyhow::Result<String> {
    let channel = find(database)?;
    let answer = request(&channel, reqwest::Method::POST, "/api/admin/local/user")
        .json(command)
        .send()
        .await
        .context("cannot reach the running server")?;
    let ok = answer.status().is_success();
    let text = answer.text().await?;
    if ok { Ok(text) } else { anyhow::bail!("{text}") }
}

/// Writes the export of the server running on `database` to `out`.
pub async fn ask_backup(database: &Path, out: std::fs::File) -> anyhow::Result<()> {
    let mut out = tokio::fs::File::from_std(out);
    use tokio::io::AsyncWriteExt;
    let channel = find(database)?;
    let answer =
        request(&channel, reqwest::Method::GET, "/api/admin/local/backup").send().await.context("cannot reach the running server")?;
    anyhow::ensure!(answer.status().is_success(), "the running server could not export: {}", answer.text().await.unwrap_or_default());
    let mut body = answer.bytes_stream();
    while let Some(chunk) = body.next().await {
        out.write_all(&chunk.context("the export stopped before its end")?).await?;
    }
    out.flush().await?;
    Ok(())
}
