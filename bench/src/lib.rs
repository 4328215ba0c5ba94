//! What the load tools share: a release rihub server started as its own process (in-memory
//! database, demo data), signing in, and percentiles.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::json;

pub const PASSWORD: &str = "rihub-demo-2026";

pub struct Server {
    child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts the `rihub-server` built next to this tool, and waits until it answers.
    pub async fn start() -> Result<Server> {
        let exe = std::env::current_exe()?.with_file_name("rihub-server");
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        // The server's log is shown only when asked for (`RIHUB_LOG=rihub_server=debug`).
        let log = std::env::var("RIHUB_LOG").ok();
        let child = Command::new(&exe)
            .args(["serve", "--demo"])
            .env("RIHUB_DATABASE_URL", "mem://")
            .env("RIHUB_BIND", format!("127.0.0.1:{port}"))
            .env("RIHUB_LOG", log.as_deref().unwrap_or("error"))
            .stdout(if log.is_some() { Stdio::inherit() } else { Stdio::null() })
            .spawn()
            .with_context(|| format!("cannot start {}", exe.display()))?;
        let server = Server { child, base: format!("http://127.0.0.1:{port}") };
        for _ in 0..600 {
            if reqwest::get(format!("{}/healthz", server.base)).await.is_ok_and(|r| r.status().is_success()) {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("the server did not start")
    }

    /// Resident memory of the server process in MiB (Linux): `VmHWM` the peak, `VmRSS` now.
    pub fn memory_mib(&self, which: &str) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let kib: f64 = status.lines().find(|l| l.starts_with(which))?.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    }

    /// Signs in as a demo user; returns the client (holding the session) and the cookie.
    pub async fn login(&self, email: &str) -> Result<(reqwest::Client, String)> {
        let client = reqwest::Client::builder().cookie_store(true).build()?;
        let r = client.post(format!("{}/api/auth/login", self.base)).json(&json!({"email": email, "password": PASSWORD})).send().await?;
        let cookie = r.headers().get("set-cookie").context("no session cookie")?.to_str()?.split(';').next().unwrap_or("").to_string();
        Ok((client, cookie))
    }
}

/// The `p` percentile (0–1) of sorted microseconds, in milliseconds.
pub fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}
