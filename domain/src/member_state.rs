//! ITU Member States and the ITU-D region each belongs to.
//!
//! Codes are ISO 3166-1 alpha-2. The region of a country is the region of the ITU regional
//! office that serves it. The list is sorted by code so lookups can binary-search it.

use serde::{Deserialize, Serialize};

use crate::region::Region;

/// A Member State: ISO code and ITU-D region. Its names, in the six languages, are data the
/// app loads when a page shows them (`member_state_names.json`, beside this file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberState {
    pub code: &'static str,
    pub region: Region,
}

/// Finds a Member State by its ISO 3166-1 alpha-2 code (case-insensitive).
pub fn lookup(code: &str) -> Option<&'static MemberState> {
    let code = code.to_ascii_uppercase();
    MEMBER_STATES.binary_search_by(|m| m.code.cmp(code.as_str())).ok().map(|i| &MEMBER_STATES[i])
}

/// The Member States of one region, in code order.
pub fn of_region(region: Region) -> impl Iterator<Item = &'static MemberState> {
    MEMBER_STATES.iter().filter(move |m| m.region == region)
}

const fn ms(code: &'static str, region: Region) -> MemberState {
    MemberState { code, region }
}

use Region::{Afr, Ams, Arb, Asp, Cis, Eur};

/// All ITU Member States, sorted by code.
pub static MEMBER_STATES: &[MemberState] = &[
    ms("AD", Eur),
    ms("AE", Arb),
    ms("AF", Asp),
    ms("AG", Ams),
    ms("AL", Eur),
    ms("AM", Cis),
    ms("AO", Afr),
    ms("AR", Ams),
    ms("AT", Eur),
    ms("AU", Asp),
    ms("AZ", Cis),
    ms("BA", Eur),
    ms("BB", Ams),
    ms("BD", Asp),
    ms("BE", Eur),
    ms("BF", Afr),
    ms("BG", Eur),
    ms("BH", Arb),
    ms("BI", Afr),
    ms("BJ", Afr),
    ms("BN", Asp),
    ms("BO", Ams),
    ms("BR", Ams),
    ms("BS", Ams),
    ms("BT", Asp),
    ms("BW", Afr),
    ms("BY", Cis),
    ms("BZ", Ams),
    ms("CA", Ams),
    ms("CD", Afr),
    ms("CF", Afr),
    ms("CG", Afr),
    ms("CH", Eur),
    ms("CI", Afr),
    ms("CL", Ams),
    ms("CM", Afr),
    ms("CN", Asp),
    ms("CO", Ams),
    ms("CR", Ams),
    ms("CU", Ams),
    ms("CV", Afr),
    ms("CY", Eur),
    ms("CZ", Eur),
    ms("DE", Eur),
    ms("DJ", Arb),
    ms("DK", Eur),
    ms("DM", Ams),
    ms("DO", Ams),
    ms("DZ", Arb),
    ms("EC", Ams),
    ms("EE", Eur),
    ms("EG", Arb),
    ms("ER", Afr),
    ms("ES", Eur),
    ms("ET", Afr),
    ms("FI", Eur),
    ms("FJ", Asp),
    ms("FM", Asp),
    ms("FR", Eur),
    ms("GA", Afr),
    ms("GB", Eur),
    ms("GD", Ams),
    ms("GE", Cis),
    ms("GH", Afr),
    ms("GM", Afr),
    ms("GN", Afr),
    ms("GQ", Afr),
    ms("GR", Eur),
    ms("GT", Ams),
    ms("GW", Afr),
    ms("GY", Ams),
    ms("HN", Ams),
    ms("HR", Eur),
    ms("HT", Ams),
    ms("HU", Eur),
    ms("ID", Asp),
    ms("IE", Eur),
    ms("IL", Eur),
    ms("IN", Asp),
    ms("IQ", Arb),
    ms("IR", Asp),
    ms("IS", Eur),
    ms("IT", Eur),
    ms("JM", Ams),
    ms("JO", Arb),
    ms("JP", Asp),
    ms("KE", Afr),
    ms("KG", Cis),
    ms("KH", Asp),
    ms("KI", Asp),
    ms("KM", Arb),
    ms("KN", Ams),
    ms("KP", Asp),
    ms("KR", Asp),
    ms("KW", Arb),
    ms("KZ", Cis),
    ms("LA", Asp),
    ms("LB", Arb),
    ms("LC", Ams),
    ms("LI", Eur),
    ms("LK", Asp),
    ms("LR", Afr),
    ms("LS", Afr),
    ms("LT", Eur),
    ms("LU", Eur),
    ms("LV", Eur),
    ms("LY", Arb),
    ms("MA", Arb),
    ms("MC", Eur),
    ms("MD", Cis),
    ms("ME", Eur),
    ms("MG", Afr),
    ms("MH", Asp),
    ms("MK", Eur),
    ms("ML", Afr),
    ms("MM", Asp),
    ms("MN", Asp),
    ms("MR", Arb),
    ms("MT", Eur),
    ms("MU", Afr),
    ms("MV", Asp),
    ms("MW", Afr),
    ms("MX", Ams),
    ms("MY", Asp),
    ms("MZ", Afr),
    ms("NA", Afr),
    ms("NE", Afr),
    ms("NG", Afr),
    ms("NI", Ams),
    ms("NL", Eur),
    ms("NO", Eur),
    ms("NP", Asp),
    ms("NR", Asp),
    ms("NZ", Asp),
    ms("OM", Arb),
    ms("PA", Ams),
    ms("PE", Ams),
    ms("PG", Asp),
    ms("PH", Asp),
    ms("PK", Asp),
    ms("PL", Eur),
    ms("PT", Eur),
    ms("PW", Asp),
    ms("PY", Ams),
    ms("QA", Arb),
    ms("RO", Eur),
    ms("RS", Eur),
    ms("RU", Cis),
    ms("RW", Afr),
    ms("SA", Arb),
    ms("SB", Asp),
    ms("SC", Afr),
    ms("SD", Arb),
    ms("SE", Eur),
    ms("SG", Asp),
    ms("SI", Eur),
    ms("SK", Eur),
    ms("SL", Afr),
    ms("SM", Eur),
    ms("SN", Afr),
    ms("SO", Arb),
    ms("SR", Ams),
    ms("SS", Afr),
    ms("ST", Afr),
    ms("SV", Ams),
    ms("SY", Arb),
    ms("SZ", Afr),
    ms("TD", Afr),
    ms("TG", Afr),
    ms("TH", Asp),
    ms("TJ", Cis),
    ms("TL", Asp),
    ms("TM", Cis),
    ms("TN", Arb),
    ms("TO", Asp),
    ms("TR", Eur),
    ms("TT", Ams),
    ms("TV", Asp),
    ms("TZ", Afr),
    ms("UA", Cis),
    ms("UG", Afr),
    ms("US", Ams),
    ms("UY", Ams),
    ms("UZ", Cis),
    ms("VA", Eur),
    ms("VC", Ams),
    ms("VE", Ams),
    ms("VN", Asp),
    ms("VU", Asp),
    ms("WS", Asp),
    ms("YE", Arb),
    ms("ZA", Afr),
    ms("ZM", Afr),
    ms("ZW", Afr),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_and_unique_so_binary_search_works() {
        for pair in MEMBER_STATES.windows(2) {
            assert!(pair[0].code < pair[1].code, "{} then {}", pair[0].code, pair[1].code);
        }
    }

    #[test]
    fn holds_every_itu_member_state() {
        assert_eq!(MEMBER_STATES.len(), 194);
        for region in Region::ALL {
            assert!(of_region(region).count() >= 10, "{region:?} has too few states");
        }
    }

    #[test]
    fn looks_up_by_code_in_any_case() {
        assert_eq!(lookup("ke").map(|m| m.region), Some(Region::Afr));
        assert_eq!(lookup("EG").map(|m| m.region), Some(Region::Arb));
        assert_eq!(lookup("PG").map(|m| m.region), Some(Region::Asp));
        assert_eq!(lookup("XX"), None);
    }

    #[test]
    fn the_app_has_every_state_named_in_the_six_languages() {
        let names: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>> =
            serde_json::from_str(include_str!("member_state_names.json")).expect("the names are JSON");
        let codes: Vec<&str> = MEMBER_STATES.iter().map(|m| m.code).collect();
        assert_eq!(names.keys().map(String::as_str).collect::<Vec<_>>(), codes, "one entry per Member State");
        for (code, by_lang) in &names {
            for lang in crate::lang::Lang::ALL {
                assert!(by_lang.get(lang.code()).is_some_and(|n| !n.trim().is_empty()), "{code} has no {} name", lang.code());
            }
            // A Latin letter in a Cyrillic, Chinese or Arabic name is a typing slip (UNTERM's
            // Russian "Czechia" had one).
            for lang in ["ru", "zh", "ar"] {
                assert!(!by_lang[lang].chars().any(|c| c.is_ascii_alphabetic()), "{code}'s {lang} name has a Latin letter");
            }
        }
        // The UN's formal short names, not the colloquial ones.
        assert_eq!(names["BO"]["fr"], "Bolivie (État plurinational de)");
        assert_eq!(names["TZ"]["ru"], "Объединенная Республика Танзания");
    }
}
