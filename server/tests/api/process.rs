//! `rihub-server` as its own process, for what only a real process shows: a kill in the middle
//! of a write, the command line beside a running server.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::Client;
use serde_json::json;

/// The binary of this crate.
pub const BIN: &str = env!("CARGO_BIN_EXE_rihub-server");

/// `rihub-server serve --demo` on the database at `url`; killed when dropped.
pub struct ServerProcess {
    child: Child,
    pub base: String,
}

impl ServerProcess {
    /// Starts it on `port` and waits until it answers.
    pub async fn start(url: &str, port: u16) -> ServerProcess {
        let child = Command::new(BIN)
            .args(["serve", "--demo"])
            .env("RIHUB_DATABASE_URL", url)
            .env("RIHUB_BIND", format!("127.0.0.1:{port}"))
            .env("RIHUB_LOG", "error")
            .stdout(Stdio::null())
            .spawn()
            .expect("start rihub-server");
        // Held from the start, so that a server that never answers is killed when this panics.
        let server = ServerProcess { child, base: format!("http://127.0.0.1:{port}") };
        for _ in 0..600 {
            if reqwest::get(format!("{}/healthz", server.base)).await.is_ok_and(|r| r.status().is_success()) {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("rihub-server did not come up on port {port}");
    }

    /// Kills it on the spot (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        self.child.kill().expect("SIGKILL the server");
        self.child.wait().expect("reap the server");
    }

    /// Stops it as an operator would (SIGTERM), and waits.
    pub fn stop(mut self) {
        let _ = Command::new("kill").arg(self.child.id().to_string()).status();
        let _ = self.child.wait();
    }

    /// A client signed in as the demo user `email`.
    pub async fn login(&self, email: &str) -> Client {
        let client = Client::builder().cookie_store(true).build().expect("client");
        let r = client
            .post(format!("{}/api/auth/login", self.base))
            .json(&json!({"email": email, "password": rihub_server::demo::DEMO_PASSWORD}))
            .send()
            .await
            .expect("login");
        assert!(r.status().is_success(), "sign in as {email}");
        client
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}
