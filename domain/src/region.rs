//! The six ITU-D regions and their regional offices.

use serde::{Deserialize, Serialize};

/// An ITU-D region, by the code used in initiative codes (AFR1, ASP2 …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Region {
    #[serde(rename = "AFR")]
    Afr,
    #[serde(rename = "AMS")]
    Ams,
    #[serde(rename = "ARB")]
    Arb,
    #[serde(rename = "ASP")]
    Asp,
    #[serde(rename = "CIS")]
    Cis,
    #[serde(rename = "EUR")]
    Eur,
}

impl Region {
    pub const ALL: [Region; 6] = [Region::Afr, Region::Ams, Region::Arb, Region::Asp, Region::Cis, Region::Eur];

    pub fn code(self) -> &'static str {
        match self {
            Region::Afr => "AFR",
            Region::Ams => "AMS",
            Region::Arb => "ARB",
            Region::Asp => "ASP",
            Region::Cis => "CIS",
            Region::Eur => "EUR",
        }
    }

    pub fn from_code(code: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|r| r.code().eq_ignore_ascii_case(code))
    }

    /// English name; the UI translates it by code.
    pub fn name(self) -> &'static str {
        match self {
            Region::Afr => "Africa",
            Region::Ams => "Americas",
            Region::Arb => "Arab States",
            Region::Asp => "Asia and the Pacific",
            Region::Cis => "Commonwealth of Independent States",
            Region::Eur => "Europe",
        }
    }

    /// The regional telecommunication organization of the region.
    pub fn telecom_organization(self) -> &'static str {
        match self {
            Region::Afr => "ATU",
            Region::Ams => "CITEL",
            Region::Arb => "Arab Preparatory Group",
            Region::Asp => "APT",
            Region::Cis => "RCC",
            Region::Eur => "CEPT",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_ignore_case() {
        for r in Region::ALL {
            assert_eq!(Region::from_code(r.code()), Some(r));
            assert_eq!(Region::from_code(&r.code().to_lowercase()), Some(r));
        }
        assert_eq!(Region::from_code("XYZ"), None);
    }

    #[test]
    fn serializes_as_code() {
        assert_eq!(serde_json::to_string(&Region::Asp).unwrap(), r#""ASP""#);
    }
}
