//! Where a consultation stands, by this device's clock (for display only: the server's clock
//! decides what is accepted).

use rihub_domain::consultation::ConsultationFields;
use rihub_domain::consultation::window::{Phase, phase};

use crate::i18n::*;
use crate::intl;

/// Seconds since the Unix epoch by this device's clock (for display only: the server decides).
pub fn device_now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Where a consultation stands, said in the interface language: the phase and its next time.
pub fn standing(c: &ConsultationFields, locale: Locale) -> String {
    let now = device_now();
    match (c.is_published(), phase(c, now)) {
        (true, _) => td_string!(locale, consultations.published).to_string(),
        (false, Phase::Upcoming) => td_string!(locale, consultations.opens, when = intl::relative(c.opens_at - now, locale)).to_string(),
        (false, Phase::Open) => td_string!(locale, consultations.closes, when = intl::relative(c.closes_at - now, locale)).to_string(),
        (false, Phase::Closed) => td_string!(locale, consultations.closed).to_string(),
    }
}
