//! WTDC cycles: each conference adopts its own set of regional initiatives.

use serde::{Deserialize, Serialize};

/// A World Telecommunication Development Conference and the period its initiatives cover.
/// Initiative codes are reused in every cycle, so an initiative is identified by (cycle, code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Cycle {
    #[serde(rename = "WTDC-14")]
    Wtdc14,
    #[serde(rename = "WTDC-17")]
    Wtdc17,
    #[serde(rename = "WTDC-22")]
    Wtdc22,
    #[serde(rename = "WTDC-25")]
    Wtdc25,
}

impl Cycle {
    pub const ALL: [Cycle; 4] = [Cycle::Wtdc14, Cycle::Wtdc17, Cycle::Wtdc22, Cycle::Wtdc25];
    /// The cycle whose initiatives are being implemented now.
    pub const CURRENT: Cycle = Cycle::Wtdc25;

    pub fn code(self) -> &'static str {
        match self {
            Cycle::Wtdc14 => "WTDC-14",
            Cycle::Wtdc17 => "WTDC-17",
            Cycle::Wtdc22 => "WTDC-22",
            Cycle::Wtdc25 => "WTDC-25",
        }
    }

    pub fn from_code(code: &str) -> Option<Cycle> {
        Cycle::ALL.into_iter().find(|c| c.code().eq_ignore_ascii_case(code))
    }

    /// A short lowercase form used in record ids ("wtdc22").
    pub fn slug(self) -> &'static str {
        match self {
            Cycle::Wtdc14 => "wtdc14",
            Cycle::Wtdc17 => "wtdc17",
            Cycle::Wtdc22 => "wtdc22",
            Cycle::Wtdc25 => "wtdc25",
        }
    }

    /// First and last year of implementation.
    pub fn period(self) -> (u16, u16) {
        match self {
            Cycle::Wtdc14 => (2015, 2017),
            Cycle::Wtdc17 => (2018, 2021),
            Cycle::Wtdc22 => (2023, 2025),
            Cycle::Wtdc25 => (2026, 2029),
        }
    }

    /// The cycle before this one, which an initiative may continue from.
    pub fn previous(self) -> Option<Cycle> {
        let i = Cycle::ALL.iter().position(|c| *c == self)?;
        i.checked_sub(1).map(|p| Cycle::ALL[p])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previous_cycle_walks_back_to_dubai() {
        assert_eq!(Cycle::Wtdc25.previous(), Some(Cycle::Wtdc22));
        assert_eq!(Cycle::Wtdc14.previous(), None);
    }

    #[test]
    fn periods_do_not_overlap() {
        for pair in Cycle::ALL.windows(2) {
            assert!(pair[0].period().1 < pair[1].period().0);
        }
    }
}
