//! ITU Member States and the ITU-D region each belongs to.
//!
//! Codes are ISO 3166-1 alpha-2. The region of a country is the region of the ITU regional
//! office that serves it. The list is sorted by code so lookups can binary-search it.

use serde::{Deserialize, Serialize};

use crate::region::Region;

/// A Member State: ISO code, English short name and ITU-D region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberState {
    pub code: &'static str,
    pub name: &'static str,
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

const fn ms(code: &'static str, name: &'static str, region: Region) -> MemberState {
    MemberState { code, name, region }
}

use Region::{Afr, Ams, Arb, Asp, Cis, Eur};

/// All ITU Member States, sorted by code.
pub static MEMBER_STATES: &[MemberState] = &[
    ms("AD", "Andorra", Eur),
    ms("AE", "United Arab Emirates", Arb),
    ms("AF", "Afghanistan", Asp),
    ms("AG", "Antigua and Barbuda", Ams),
    ms("AL", "Albania", Eur),
    ms("AM", "Armenia", Cis),
    ms("AO", "Angola", Afr),
    ms("AR", "Argentina", Ams),
    ms("AT", "Austria", Eur),
    ms("AU", "Australia", Asp),
    ms("AZ", "Azerbaijan", Cis),
    ms("BA", "Bosnia and Herzegovina", Eur),
    ms("BB", "Barbados", Ams),
    ms("BD", "Bangladesh", Asp),
    ms("BE", "Belgium", Eur),
    ms("BF", "Burkina Faso", Afr),
    ms("BG", "Bulgaria", Eur),
    ms("BH", "Bahrain", Arb),
    ms("BI", "Burundi", Afr),
    ms("BJ", "Benin", Afr),
    ms("BN", "Brunei Darussalam", Asp),
    ms("BO", "Bolivia", Ams),
    ms("BR", "Brazil", Ams),
    ms("BS", "Bahamas", Ams),
    ms("BT", "Bhutan", Asp),
    ms("BW", "Botswana", Afr),
    ms("BY", "Belarus", Cis),
    ms("BZ", "Belize", Ams),
    ms("CA", "Canada", Ams),
    ms("CD", "Democratic Republic of the Congo", Afr),
    ms("CF", "Central African Republic", Afr),
    ms("CG", "Congo", Afr),
    ms("CH", "Switzerland", Eur),
    ms("CI", "Côte d'Ivoire", Afr),
    ms("CL", "Chile", Ams),
    ms("CM", "Cameroon", Afr),
    ms("CN", "China", Asp),
    ms("CO", "Colombia", Ams),
    ms("CR", "Costa Rica", Ams),
    ms("CU", "Cuba", Ams),
    ms("CV", "Cabo Verde", Afr),
    ms("CY", "Cyprus", Eur),
    ms("CZ", "Czech Republic", Eur),
    ms("DE", "Germany", Eur),
    ms("DJ", "Djibouti", Arb),
    ms("DK", "Denmark", Eur),
    ms("DM", "Dominica", Ams),
    ms("DO", "Dominican Republic", Ams),
    ms("DZ", "Algeria", Arb),
    ms("EC", "Ecuador", Ams),
    ms("EE", "Estonia", Eur),
    ms("EG", "Egypt", Arb),
    ms("ER", "Eritrea", Afr),
    ms("ES", "Spain", Eur),
    ms("ET", "Ethiopia", Afr),
    ms("FI", "Finland", Eur),
    ms("FJ", "Fiji", Asp),
    ms("FM", "Micronesia", Asp),
    ms("FR", "France", Eur),
    ms("GA", "Gabon", Afr),
    ms("GB", "United Kingdom", Eur),
    ms("GD", "Grenada", Ams),
    ms("GE", "Georgia", Cis),
    ms("GH", "Ghana", Afr),
    ms("GM", "Gambia", Afr),
    ms("GN", "Guinea", Afr),
    ms("GQ", "Equatorial Guinea", Afr),
    ms("GR", "Greece", Eur),
    ms("GT", "Guatemala", Ams),
    ms("GW", "Guinea-Bissau", Afr),
    ms("GY", "Guyana", Ams),
    ms("HN", "Honduras", Ams),
    ms("HR", "Croatia", Eur),
    ms("HT", "Haiti", Ams),
    ms("HU", "Hungary", Eur),
    ms("ID", "Indonesia", Asp),
    ms("IE", "Ireland", Eur),
    ms("IL", "Israel", Eur),
    ms("IN", "India", Asp),
    ms("IQ", "Iraq", Arb),
    ms("IR", "Iran", Asp),
    ms("IS", "Iceland", Eur),
    ms("IT", "Italy", Eur),
    ms("JM", "Jamaica", Ams),
    ms("JO", "Jordan", Arb),
    ms("JP", "Japan", Asp),
    ms("KE", "Kenya", Afr),
    ms("KG", "Kyrgyzstan", Cis),
    ms("KH", "Cambodia", Asp),
    ms("KI", "Kiribati", Asp),
    ms("KM", "Comoros", Arb),
    ms("KN", "Saint Kitts and Nevis", Ams),
    ms("KP", "Democratic People's Republic of Korea", Asp),
    ms("KR", "Republic of Korea", Asp),
    ms("KW", "Kuwait", Arb),
    ms("KZ", "Kazakhstan", Cis),
    ms("LA", "Lao People's Democratic Republic", Asp),
    ms("LB", "Lebanon", Arb),
    ms("LC", "Saint Lucia", Ams),
    ms("LI", "Liechtenstein", Eur),
    ms("LK", "Sri Lanka", Asp),
    ms("LR", "Liberia", Afr),
    ms("LS", "Lesotho", Afr),
    ms("LT", "Lithuania", Eur),
    ms("LU", "Luxembourg", Eur),
    ms("LV", "Latvia", Eur),
    ms("LY", "Libya", Arb),
    ms("MA", "Morocco", Arb),
    ms("MC", "Monaco", Eur),
    ms("MD", "Moldova", Cis),
    ms("ME", "Montenegro", Eur),
    ms("MG", "Madagascar", Afr),
    ms("MH", "Marshall Islands", Asp),
    ms("MK", "North Macedonia", Eur),
    ms("ML", "Mali", Afr),
    ms("MM", "Myanmar", Asp),
    ms("MN", "Mongolia", Asp),
    ms("MR", "Mauritania", Arb),
    ms("MT", "Malta", Eur),
    ms("MU", "Mauritius", Afr),
    ms("MV", "Maldives", Asp),
    ms("MW", "Malawi", Afr),
    ms("MX", "Mexico", Ams),
    ms("MY", "Malaysia", Asp),
    ms("MZ", "Mozambique", Afr),
    ms("NA", "Namibia", Afr),
    ms("NE", "Niger", Afr),
    ms("NG", "Nigeria", Afr),
    ms("NI", "Nicaragua", Ams),
    ms("NL", "Netherlands", Eur),
    ms("NO", "Norway", Eur),
    ms("NP", "Nepal", Asp),
    ms("NR", "Nauru", Asp),
    ms("NZ", "New Zealand", Asp),
    ms("OM", "Oman", Arb),
    ms("PA", "Panama", Ams),
    ms("PE", "Peru", Ams),
    ms("PG", "Papua New Guinea", Asp),
    ms("PH", "Philippines", Asp),
    ms("PK", "Pakistan", Asp),
    ms("PL", "Poland", Eur),
    ms("PT", "Portugal", Eur),
    ms("PW", "Palau", Asp),
    ms("PY", "Paraguay", Ams),
    ms("QA", "Qatar", Arb),
    ms("RO", "Romania", Eur),
    ms("RS", "Serbia", Eur),
    ms("RU", "Russian Federation", Cis),
    ms("RW", "Rwanda", Afr),
    ms("SA", "Saudi Arabia", Arb),
    ms("SB", "Solomon Islands", Asp),
    ms("SC", "Seychelles", Afr),
    ms("SD", "Sudan", Arb),
    ms("SE", "Sweden", Eur),
    ms("SG", "Singapore", Asp),
    ms("SI", "Slovenia", Eur),
    ms("SK", "Slovakia", Eur),
    ms("SL", "Sierra Leone", Afr),
    ms("SM", "San Marino", Eur),
    ms("SN", "Senegal", Afr),
    ms("SO", "Somalia", Arb),
    ms("SR", "Suriname", Ams),
    ms("SS", "South Sudan", Afr),
    ms("ST", "Sao Tome and Principe", Afr),
    ms("SV", "El Salvador", Ams),
    ms("SY", "Syrian Arab Republic", Arb),
    ms("SZ", "Eswatini", Afr),
    ms("TD", "Chad", Afr),
    ms("TG", "Togo", Afr),
    ms("TH", "Thailand", Asp),
    ms("TJ", "Tajikistan", Cis),
    ms("TL", "Timor-Leste", Asp),
    ms("TM", "Turkmenistan", Cis),
    ms("TN", "Tunisia", Arb),
    ms("TO", "Tonga", Asp),
    ms("TR", "Türkiye", Eur),
    ms("TT", "Trinidad and Tobago", Ams),
    ms("TV", "Tuvalu", Asp),
    ms("TZ", "United Republic of Tanzania", Afr),
    ms("UA", "Ukraine", Cis),
    ms("UG", "Uganda", Afr),
    ms("US", "United States", Ams),
    ms("UY", "Uruguay", Ams),
    ms("UZ", "Uzbekistan", Cis),
    ms("VA", "Vatican", Eur),
    ms("VC", "Saint Vincent and the Grenadines", Ams),
    ms("VE", "Venezuela", Ams),
    ms("VN", "Viet Nam", Asp),
    ms("VU", "Vanuatu", Asp),
    ms("WS", "Samoa", Asp),
    ms("YE", "Yemen", Arb),
    ms("ZA", "South Africa", Afr),
    ms("ZM", "Zambia", Afr),
    ms("ZW", "Zimbabwe", Afr),
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
}
