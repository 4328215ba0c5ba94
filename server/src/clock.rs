//! The server's clock. Everything that depends on the time of day (session lifetimes, login
//! throttling, invitation and consultation deadlines, timestamps) reads it from here, so that
//! tests move time forward instead of sleeping.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

/// The wall clock, or a clock that tests set and advance.
#[derive(Clone, Default)]
pub struct Clock(Option<Arc<watch::Sender<i64>>>);

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            None => f.write_str("Clock::system"),
            Some(at) => write!(f, "Clock::manual({} ms)", *at.borrow()),
        }
    }
}

/// The longest a sleep on the wall clock waits before it looks at the time again (the
/// system's time can be set back or forward meanwhile).
const RECHECK: Duration = Duration::from_secs(60);

impl Clock {
    /// The system's time.
    pub fn system() -> Clock {
        Clock(None)
    }

    /// A clock standing at `seconds` since the Unix epoch until `advance` moves it.
    pub fn manual(seconds: i64) -> Clock {
        Clock(Some(Arc::new(watch::channel(seconds.saturating_mul(1000)).0)))
    }

    /// Milliseconds since the Unix epoch.
    pub fn now_millis(&self) -> i64 {
        match &self.0 {
            None => chrono::Utc::now().timestamp_millis(),
            Some(at) => *at.borrow(),
        }
    }

    /// Seconds since the Unix epoch: the unit of every timestamp rihub stores.
    pub fn now(&self) -> i64 {
        self.now_millis().div_euclid(1000)
    }

    /// Moves a manual clock forward, waking whatever sleeps until then. The wall clock cannot
    /// be moved: this does nothing to it.
    pub fn advance(&self, by: Duration) {
        if let Some(at) = &self.0 {
            let by = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
            at.send_modify(|t| *t = t.saturating_add(by));
        }
    }

    /// Waits until the clock reads `seconds` (since the epoch) or later.
    pub async fn sleep_until(&self, seconds: i64) {
        let due = seconds.saturating_mul(1000);
        match &self.0 {
            None => loop {
                let left = due - self.now_millis();
                if left <= 0 {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(left as u64).min(RECHECK)).await;
            },
            Some(at) => {
                let mut at = at.subscribe();
                // The sender lives as long as this clock, which the caller holds.
                let _ = at.wait_for(|t| *t >= due).await;
            }
        }
    }

    /// Waits for `duration` of this clock's time.
    pub async fn sleep(&self, duration: Duration) {
        let due = self.now_millis().saturating_add(i64::try_from(duration.as_millis()).unwrap_or(i64::MAX));
        match &self.0 {
            None => tokio::time::sleep(duration).await,
            Some(at) => {
                let _ = at.subscribe().wait_for(|t| *t >= due).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_manual_clock_wakes_its_sleepers_when_advanced() {
        let clock = Clock::manual(1_000);
        assert_eq!(clock.now(), 1_000);
        let sleeper = tokio::spawn({
            let clock = clock.clone();
            async move { clock.sleep_until(1_060).await }
        });
        tokio::task::yield_now().await;
        clock.advance(Duration::from_secs(59));
        tokio::task::yield_now().await;
        assert!(!sleeper.is_finished(), "59 s is not yet a minute");
        clock.advance(Duration::from_secs(1));
        tokio::time::timeout(Duration::from_secs(5), sleeper).await.expect("woken").expect("no panic");
        assert_eq!(clock.now(), 1_060);
    }

    #[test]
    fn the_system_clock_reads_the_time_of_day() {
        let clock = Clock::system();
        let before = chrono::Utc::now().timestamp();
        clock.advance(Duration::from_secs(3600));
        assert!((clock.now() - before).abs() <= 1, "advancing the wall clock does nothing");
    }
}
