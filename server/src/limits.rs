//! Ceilings per session and per user on the sync socket and pushes: open sockets, hellos and
//! pushes per minute. Counted by each process for its own sockets and requests (with several
//! processes behind a load balancer, a user's sockets spread over them). Sign-ins are counted
//! in the database (`crate::auth::throttle`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The ceilings, from flags and `RIHUB_*` environment variables.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Ceilings {
    /// Open sync sockets one session may hold (a browser's tabs share its session).
    #[arg(long, env = "RIHUB_MAX_SOCKETS_PER_SESSION", default_value_t = 10)]
    pub sockets_per_session: usize,
    /// Open sync sockets one user may hold, over all their sessions.
    #[arg(long, env = "RIHUB_MAX_SOCKETS_PER_USER", default_value_t = 40)]
    pub sockets_per_user: usize,
    /// Hellos (connections that start syncing) per session per minute.
    #[arg(long, env = "RIHUB_MAX_HELLOS_PER_MINUTE", default_value_t = 60)]
    pub hellos_per_minute: u32,
    /// Pushes (of up to 100 mutations each, over the socket or HTTP) per session per minute.
    #[arg(long, env = "RIHUB_MAX_PUSHES_PER_MINUTE", default_value_t = 1200)]
    pub pushes_per_minute: u32,
    /// Successful sign-ins per account per quarter of an hour (shared by every process).
    #[arg(long, env = "RIHUB_MAX_SIGN_INS_PER_ACCOUNT", default_value_t = 10)]
    pub sign_ins_per_account: u32,
}

impl Default for Ceilings {
    fn default() -> Ceilings {
        Ceilings { sockets_per_session: 10, sockets_per_user: 40, hellos_per_minute: 60, pushes_per_minute: 1200, sign_ins_per_account: 10 }
    }
}

/// What a session does that is counted per minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counted {
    Hello,
    Push,
}

/// Which ceiling was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reached {
    SocketsPerSession,
    SocketsPerUser,
    /// Too many of these this minute; allowed again after `retry_after` seconds.
    Rate {
        counted: Counted,
        retry_after: u64,
    },
}

impl Reached {
    /// Seconds after which trying again can succeed.
    pub fn retry_after(self) -> u64 {
        match self {
            Reached::SocketsPerSession | Reached::SocketsPerUser => 30,
            Reached::Rate { retry_after, .. } => retry_after,
        }
    }

    pub fn message(self) -> String {
        match self {
            Reached::SocketsPerSession => "too many open connections for this session; close some tabs".into(),
            Reached::SocketsPerUser => "too many open connections for this account; close some tabs or devices".into(),
            Reached::Rate { counted: Counted::Hello, retry_after } => format!("too many reconnections; try again in {retry_after} seconds"),
            Reached::Rate { counted: Counted::Push, retry_after } => format!("too many pushes; try again in {retry_after} seconds"),
        }
    }
}

const MINUTE_MS: i64 = 60_000;
/// Rate windows kept before old ones are swept out.
const SWEEP_AT: usize = 10_000;

#[derive(Clone, Default)]
pub struct Limits {
    pub ceilings: Ceilings,
    counts: Arc<Mutex<Counts>>,
}

#[derive(Default)]
struct Counts {
    sockets_by_session: HashMap<String, usize>,
    sockets_by_user: HashMap<String, usize>,
    /// (session, what) → (start of its minute, in ms, and the count in it).
    windows: HashMap<(String, Counted), (i64, u32)>,
}

/// An open socket, counted until dropped.
pub struct OpenSocket {
    counts: Arc<Mutex<Counts>>,
    user: String,
    session: String,
}

impl Drop for OpenSocket {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        decrement(&mut counts.sockets_by_session, &self.session);
        decrement(&mut counts.sockets_by_user, &self.user);
    }
}

fn decrement(map: &mut HashMap<String, usize>, key: &str) {
    if let Some(n) = map.get_mut(key) {
        *n -= 1;
        if *n == 0 {
            map.remove(key);
        }
    }
}

impl Limits {
    pub fn new(ceilings: Ceilings) -> Limits {
        Limits { ceilings, counts: Arc::default() }
    }

    /// Counts a new socket of `user` on `session`, unless a ceiling is reached.
    pub fn open_socket(&self, user: &str, session: &str) -> Result<OpenSocket, Reached> {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.sockets_by_session.get(session).copied().unwrap_or(0) >= self.ceilings.sockets_per_session {
            return Err(Reached::SocketsPerSession);
        }
        if counts.sockets_by_user.get(user).copied().unwrap_or(0) >= self.ceilings.sockets_per_user {
            return Err(Reached::SocketsPerUser);
        }
        *counts.sockets_by_session.entry(session.to_string()).or_default() += 1;
        *counts.sockets_by_user.entry(user.to_string()).or_default() += 1;
        Ok(OpenSocket { counts: self.counts.clone(), user: user.to_string(), session: session.to_string() })
    }

    /// Counts one `counted` of `session` at `now_ms`, unless the session has had its minute's
    /// worth.
    pub fn count(&self, session: &str, counted: Counted, now_ms: i64) -> Result<(), Reached> {
        let ceiling = match counted {
            Counted::Hello => self.ceilings.hellos_per_minute,
            Counted::Push => self.ceilings.pushes_per_minute,
        };
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.windows.len() >= SWEEP_AT {
            counts.windows.retain(|_, (start, _)| now_ms - *start < MINUTE_MS);
        }
        let window = counts.windows.entry((session.to_string(), counted)).or_insert((now_ms, 0));
        if now_ms - window.0 >= MINUTE_MS {
            *window = (now_ms, 0);
        }
        if window.1 >= ceiling {
            let retry_after = ((window.0 + MINUTE_MS - now_ms) as u64).div_ceil(1000).max(1);
            return Err(Reached::Rate { counted, retry_after });
        }
        window.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sockets_are_counted_per_session_and_per_user_until_closed() {
        let limits = Limits::new(Ceilings { sockets_per_session: 2, sockets_per_user: 3, ..Ceilings::default() });
        let a = limits.open_socket("ana", "s1").unwrap();
        let _b = limits.open_socket("ana", "s1").unwrap();
        assert_eq!(limits.open_socket("ana", "s1").err(), Some(Reached::SocketsPerSession));
        let _c = limits.open_socket("ana", "s2").unwrap();
        assert_eq!(limits.open_socket("ana", "s3").err(), Some(Reached::SocketsPerUser));
        assert!(limits.open_socket("ben", "s4").is_ok(), "another user is not counted with ana");
        drop(a);
        assert!(limits.open_socket("ana", "s1").is_ok(), "a closed socket frees its place");
    }

    #[test]
    fn a_session_gets_its_minute_of_pushes_then_waits_for_the_next() {
        let limits = Limits::new(Ceilings { pushes_per_minute: 3, ..Ceilings::default() });
        for _ in 0..3 {
            assert_eq!(limits.count("s1", Counted::Push, 1_000), Ok(()));
        }
        assert_eq!(limits.count("s1", Counted::Push, 21_000), Err(Reached::Rate { counted: Counted::Push, retry_after: 40 }));
        assert_eq!(limits.count("s1", Counted::Hello, 21_000), Ok(()), "hellos are counted apart");
        assert_eq!(limits.count("s2", Counted::Push, 21_000), Ok(()), "another session is counted apart");
        assert_eq!(limits.count("s1", Counted::Push, 61_000), Ok(()), "a new minute");
    }
}
