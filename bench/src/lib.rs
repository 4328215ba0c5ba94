//! What the load tools share: a release rihub server started as its own process (demo data),
//! signing in, sync sockets, and percentiles.

pub mod texts;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

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

/// The ceilings meant for people (sockets and pushes per session, sign-ins per account), as
/// configured by default, or lifted for a load in which every simulated client is one session
/// of one user.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Ceilings {
    Default,
    Lifted,
}

impl Server {
    /// Starts the `rihub-server` built next to this tool on an in-memory database, and waits
    /// until it answers.
    pub async fn start(ceilings: Ceilings) -> Result<Server> {
        Server::start_on(ceilings, "mem://").await
    }

    /// The same, on the database at `database` (`mem://`, `surrealkv://path`).
    pub async fn start_on(ceilings: Ceilings, database: &str) -> Result<Server> {
        let exe = std::env::current_exe()?.with_file_name("rihub-server");
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        // The server's log is shown only when asked for (`RIHUB_LOG=rihub_server=debug`).
        let log = std::env::var("RIHUB_LOG").ok();
        let mut command = Command::new(&exe);
        command
            .args(["serve", "--demo"])
            .env("RIHUB_DATABASE_URL", database)
            .env("RIHUB_BIND", format!("127.0.0.1:{port}"))
            .env("RIHUB_LOG", log.as_deref().unwrap_or("error"))
            .stdout(if log.is_some() { Stdio::inherit() } else { Stdio::null() });
        if ceilings == Ceilings::Lifted {
            for name in ["SOCKETS_PER_SESSION", "SOCKETS_PER_USER", "PUSHES_PER_MINUTE", "HELLOS_PER_MINUTE", "SIGN_INS_PER_ACCOUNT"] {
                command.env(format!("RIHUB_MAX_{name}"), "100000000");
            }
        }
        let child = command.spawn().with_context(|| format!("cannot start {}", exe.display()))?;
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

    /// CPU time the server process has used so far, in seconds.
    pub fn cpu_seconds(&self) -> Option<f64> {
        cpu_seconds(self.child.id())
    }

    /// Signs in as a demo user; returns the client (holding the session) and the cookie.
    pub async fn login(&self, email: &str) -> Result<(reqwest::Client, String)> {
        let client = reqwest::Client::builder().cookie_store(true).build()?;
        let r = client.post(format!("{}/api/auth/login", self.base)).json(&json!({"email": email, "password": PASSWORD})).send().await?;
        let cookie = r.headers().get("set-cookie").context("no session cookie")?.to_str()?.split(';').next().unwrap_or("").to_string();
        Ok((client, cookie))
    }
}

pub type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A sync socket signed in with `cookie`, as a browser of the server's own origin opens it.
pub async fn connect(base: &str, cookie: &str) -> Result<Socket> {
    let mut request = format!("{}/api/sync/socket", base.replacen("http", "ws", 1)).into_client_request()?;
    request.headers_mut().insert("cookie", cookie.parse()?);
    request.headers_mut().insert("origin", base.parse()?);
    // A small read buffer, like the server's: the default 128 KiB is zeroed on every read,
    // which would cost the load tool the CPU it shares with the server.
    let config = WebSocketConfig::default().read_buffer_size(8 * 1024);
    // Without Nagle's algorithm, as browsers open their sockets.
    Ok(tokio_tungstenite::connect_async_with_config(request, Some(config), true).await?.0)
}

pub async fn send(sink: &mut SplitSink<Socket, Message>, message: Value) -> Result<()> {
    Ok(sink.send(Message::Text(message.to_string().into())).await?)
}

pub async fn next(stream: &mut SplitStream<Socket>) -> Option<Value> {
    loop {
        match stream.next().await? {
            Ok(Message::Text(text)) => return serde_json::from_str(&text).ok(),
            Ok(_) => continue,
            Err(_) => return None,
        }
    }
}

/// CPU time (user and system) process `pid` has used, in seconds, from `/proc/<pid>/stat`
/// (Linux). With the server and the load tool on one machine, it shows what each took of it.
pub fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields are counted after the command name, which is in parentheses and may hold spaces:
    // the 14th and 15th fields (utime, stime) are the 12th and 13th after it.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // Counted in USER_HZ, which Linux fixes at 100 per second.
    Some(ticks as f64 / 100.0)
}

/// The `p` percentile (0–1) of sorted microseconds, in milliseconds.
pub fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

/// The origin (client id, client sequence number) of each change in a `changes` message, found
/// by its keys instead of by parsing the message: skipping every record through a JSON parser
/// was over half of the load tool's time at 1,000 clients, taken from the server it shares the
/// cores with. A change's `client` comes just before its `client_seq`, and inside a JSON string
/// a quote is escaped, so neither key can be matched within a record's text.
pub fn origins(message: &str) -> impl Iterator<Item = (&str, u64)> {
    const CLIENT: &str = r#""client":""#;
    const CLIENT_SEQ: &str = r#"","client_seq":"#;
    memchr::memmem::find_iter(message.as_bytes(), CLIENT_SEQ).filter_map(move |at| {
        let (before, after) = (&message[..at], &message[at + CLIENT_SEQ.len()..]);
        let id = before.rfind('"')? + 1;
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        before[..id].ends_with(CLIENT).then_some((&before[id..], after[..digits].parse().ok()?))
    })
}

#[cfg(test)]
mod tests {
    use super::origins;

    #[test]
    fn origins_are_read_from_each_change_and_not_from_record_text() {
        let message = r#"{"changes":{"changes":[{"seq":7,"key":{"kind":"initiative","id":"a"},"record":{"title":{"en":"say \"client\":\"x\" and \"client_seq\":9"}},"conflicts":[],"client":"bench-1","client_seq":12},{"seq":8,"key":{"kind":"initiative","id":"b"},"record":null,"conflicts":[],"client":"bench-22","client_seq":3}]}}"#;
        let expected: Vec<(String, u64)> = serde_json::from_str::<serde_json::Value>(message).unwrap()["changes"]["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["client"].as_str().unwrap().to_string(), c["client_seq"].as_u64().unwrap()))
            .collect();
        let found: Vec<(String, u64)> = origins(message).map(|(c, s)| (c.to_string(), s)).collect();
        assert_eq!(found, expected);
        assert_eq!(found, [("bench-1".to_string(), 12), ("bench-22".to_string(), 3)]);
    }
}
