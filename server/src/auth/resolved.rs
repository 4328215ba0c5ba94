//! Sessions this process has just resolved. Every HTTP request and every sync push resolves
//! its session, and asking the database each time cost two queries per push (about a tenth of
//! the sync throughput, `docs/benchmarks.md`). A resolved session is trusted for `FRESH`
//! without asking again. A sign-out or an account's change is forgotten as soon as this process
//! reads it from the revocation log (`super::revocations`), within a fraction of `FRESH`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::current_user::CurrentUser;

/// How long a resolved session is used without reading it again.
pub const FRESH: Duration = Duration::from_secs(1);
/// Entries kept before stale ones are swept out.
const SWEEP_AT: usize = 10_000;

#[derive(Default)]
pub struct Resolved {
    /// By the SHA-256 of the session token.
    sessions: Mutex<HashMap<String, Entry>>,
}

struct Entry {
    user: CurrentUser,
    /// By the server's clock: when the session must be read again (its expiry, or when its
    /// use is next to be recorded).
    until: i64,
    at: Instant,
}

impl Resolved {
    /// The user of session `hash` if it was resolved less than `FRESH` ago and has not expired
    /// by `now` (seconds since the epoch).
    pub fn fresh(&self, hash: &str, now: i64) -> Option<CurrentUser> {
        let sessions = self.sessions.lock().ok()?;
        sessions.get(hash).filter(|e| e.at.elapsed() < FRESH && e.until > now).map(|e| e.user.clone())
    }

    /// Remembers that session `hash` belongs to `user`, to be read again by `until` (seconds
    /// by the server's clock) at the latest.
    pub fn keep(&self, hash: String, user: CurrentUser, until: i64) {
        let Ok(mut sessions) = self.sessions.lock() else { return };
        if sessions.len() >= SWEEP_AT {
            sessions.retain(|_, e| e.at.elapsed() < FRESH);
        }
        sessions.insert(hash, Entry { user, until, at: Instant::now() });
    }

    /// Forgets session `hash` (signed out).
    pub fn forget(&self, hash: &str) {
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.remove(hash);
        }
    }

    /// Forgets every session of `user` (roles, status or language changed).
    pub fn forget_user(&self, user: &str) {
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.retain(|_, e| e.user.id != user);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str) -> CurrentUser {
        CurrentUser {
            id: id.into(),
            email: format!("{id}@example.org"),
            name: id.into(),
            roles: Vec::new(),
            lang: None,
            session: String::new(),
            expires_at: 100,
        }
    }

    #[test]
    fn a_kept_session_is_fresh_until_it_expires_or_is_forgotten() {
        let resolved = Resolved::default();
        resolved.keep("a".into(), user("ana"), 100);
        resolved.keep("b".into(), user("ana"), 100);
        resolved.keep("c".into(), user("ben"), 100);
        assert_eq!(resolved.fresh("a", 99).map(|u| u.id), Some("ana".into()));
        assert!(resolved.fresh("a", 100).is_none(), "due to be read again by the server's clock");
        assert!(resolved.fresh("z", 0).is_none(), "never resolved");
        resolved.forget("a");
        assert!(resolved.fresh("a", 0).is_none());
        resolved.forget_user("ana");
        assert!(resolved.fresh("b", 0).is_none());
        assert!(resolved.fresh("c", 0).is_some(), "another user's session stays");
    }

    #[test]
    fn a_kept_session_goes_stale() {
        let resolved = Resolved::default();
        resolved.sessions.lock().unwrap().insert("a".into(), Entry { user: user("ana"), until: 100, at: Instant::now() - FRESH });
        assert!(resolved.fresh("a", 0).is_none());
    }
}
