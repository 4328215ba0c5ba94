//! When a consultation takes drafts and submissions. Only the server's clock counts: a device's
//! clock may be wrong or an offline draft may arrive late, so the server decides on arrival.

use serde::{Deserialize, Serialize};

use super::ConsultationFields;

/// Where a consultation is in its life, at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Not open yet: delegates may prepare drafts, not submit.
    Upcoming,
    /// Open: drafts, submissions and amendments are accepted.
    Open,
    /// Closed at `closes_at`: nothing more is accepted; results can be published.
    Closed,
}

pub fn phase(c: &ConsultationFields, now: i64) -> Phase {
    if now >= c.closes_at {
        Phase::Closed
    } else if now >= c.opens_at {
        Phase::Open
    } else {
        Phase::Upcoming
    }
}

/// Why the clock refuses a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum TooEarlyOrLate {
    #[error("the consultation is not open yet")]
    NotOpen,
    #[error("the consultation closed")]
    Closed,
}

/// A submission or an amendment is accepted only while the consultation is open.
pub fn check_submission(c: &ConsultationFields, now: i64) -> Result<(), TooEarlyOrLate> {
    match phase(c, now) {
        Phase::Upcoming => Err(TooEarlyOrLate::NotOpen),
        Phase::Open => Ok(()),
        Phase::Closed => Err(TooEarlyOrLate::Closed),
    }
}

/// A draft may be prepared until the close.
pub fn check_draft(c: &ConsultationFields, now: i64) -> Result<(), TooEarlyOrLate> {
    if phase(c, now) == Phase::Closed { Err(TooEarlyOrLate::Closed) } else { Ok(()) }
}

/// Results may be published once the consultation has closed, and only once.
pub fn may_publish(c: &ConsultationFields, now: i64) -> bool {
    phase(c, now) == Phase::Closed && !c.is_published()
}

/// Seconds left before the close, while it is open.
pub fn time_left(c: &ConsultationFields, now: i64) -> Option<i64> {
    (phase(c, now) == Phase::Open).then(|| c.closes_at - now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultation::tests::consultation;

    #[test]
    fn submissions_are_taken_from_the_opening_up_to_but_not_at_the_close() {
        let c = consultation();
        assert_eq!(check_submission(&c, c.opens_at - 1), Err(TooEarlyOrLate::NotOpen));
        assert_eq!(check_submission(&c, c.opens_at), Ok(()));
        assert_eq!(check_submission(&c, c.closes_at - 1), Ok(()));
        assert_eq!(check_submission(&c, c.closes_at), Err(TooEarlyOrLate::Closed));
        assert_eq!(time_left(&c, c.closes_at - 60), Some(60));
        assert_eq!(time_left(&c, c.closes_at), None);
    }

    #[test]
    fn drafts_may_be_prepared_before_the_opening_but_not_after_the_close() {
        let c = consultation();
        assert_eq!(check_draft(&c, c.opens_at - 3600), Ok(()));
        assert_eq!(check_draft(&c, c.closes_at + 1), Err(TooEarlyOrLate::Closed));
    }

    #[test]
    fn results_are_published_after_the_close_and_once() {
        let mut c = consultation();
        assert!(!may_publish(&c, c.closes_at - 1));
        assert!(may_publish(&c, c.closes_at));
        c.published_at = Some(c.closes_at + 10);
        assert!(!may_publish(&c, c.closes_at + 20));
    }
}
