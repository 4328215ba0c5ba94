//! Login rate limiting: failed attempts counted per account and per client address in fixed
//! windows. Kept in memory: with several server processes each counts its own share, which
//! still bounds guessing to (processes × limit) per window.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const PER_ACCOUNT: u32 = 5;
pub const PER_ADDRESS: u32 = 30;

#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (Instant, u32)>>,
}

impl LoginLimiter {
    /// Seconds to wait if either key is over its limit.
    pub fn check(&self, account: &str, address: &str) -> Result<(), u64> {
        let now = Instant::now();
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let blocked = |key: &str, limit: u32| {
            map.get(key)
                .filter(|(start, n)| now.duration_since(*start) < WINDOW && *n >= limit)
                .map(|(start, _)| (WINDOW - now.duration_since(*start)).as_secs().max(1))
        };
        match blocked(&format!("a:{account}"), PER_ACCOUNT).or(blocked(&format!("i:{address}"), PER_ADDRESS)) {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }

    pub fn record_failure(&self, account: &str, address: &str) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        for key in [format!("a:{account}"), format!("i:{address}")] {
            let entry = map.entry(key).or_insert((now, 0));
            if now.duration_since(entry.0) >= WINDOW {
                *entry = (now, 0);
            }
            entry.1 += 1;
        }
    }

    /// A successful login clears the account's count (not the address's).
    pub fn record_success(&self, account: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&format!("a:{account}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_an_account_after_five_failures_from_anywhere() {
        let l = LoginLimiter::default();
        for i in 0..PER_ACCOUNT {
            assert!(l.check("a@x", &format!("10.0.0.{i}")).is_ok());
            l.record_failure("a@x", &format!("10.0.0.{i}"));
        }
        assert!(l.check("a@x", "10.0.0.99").is_err());
        assert!(l.check("b@x", "10.0.0.99").is_ok());
    }

    #[test]
    fn blocks_an_address_trying_many_accounts() {
        let l = LoginLimiter::default();
        for i in 0..PER_ADDRESS {
            l.record_failure(&format!("user{i}@x"), "10.0.0.1");
        }
        assert!(l.check("fresh@x", "10.0.0.1").is_err());
        assert!(l.check("fresh@x", "10.0.0.2").is_ok());
    }

    #[test]
    fn success_resets_the_account() {
        let l = LoginLimiter::default();
        for _ in 0..PER_ACCOUNT {
            l.record_failure("a@x", "1");
        }
        l.record_success("a@x");
        assert!(l.check("a@x", "2").is_ok());
    }
}
