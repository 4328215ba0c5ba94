//! Numbers, money, times and plural forms in the interface language, through the browser's
//! Intl: the browser already holds the rules for all six languages, so the app carries none.

use js_sys::{Array, Date, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::i18n::*;

fn locales(locale: Locale) -> Array {
    Array::of1(&locale.as_str().into())
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let options = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&options, &(*k).into(), &(*v).into());
    }
    options
}

fn format_number(n: f64, locale: Locale, pairs: &[(&str, &str)]) -> String {
    let format = Intl::NumberFormat::new(&locales(locale), &options(pairs)).format();
    format.call1(&JsValue::NULL, &n.into()).ok().and_then(|s| s.as_string()).unwrap_or_else(|| n.to_string())
}

/// A number with the language's digits and grouping ("12 345" in French, "١٢٬٣٤٥" in Arabic).
pub fn number(n: f64, locale: Locale) -> String {
    format_number(n, locale, &[])
}

/// A share (0.0 to 1.0) as a whole percentage ("45 %" in French, "٪٤٥" in Arabic).
pub fn percent(share: f64, locale: Locale) -> String {
    format_number(share, locale, &[("style", "percent")])
}

/// An amount of money in whole units of a currency, the language's way ("500 000 $US").
pub fn money(amount: i64, currency: &str, locale: Locale) -> String {
    // Intl throws on a malformed currency code; the domain's rule keeps stored codes well formed.
    if !rihub_domain::project::is_currency_code(currency) {
        return format!("{} {currency}", number(amount as f64, locale));
    }
    format_number(amount as f64, locale, &[("style", "currency"), ("currency", currency), ("maximumFractionDigits", "0")])
}

/// A time today, or a date and time, in the interface language.
pub fn local_time(ms: f64, locale: Locale) -> String {
    let date = Date::new(&ms.into());
    let today = Date::new_0().to_date_string() == date.to_date_string();
    let mut pairs = vec![("hour", "2-digit"), ("minute", "2-digit")];
    if !today {
        pairs.extend([("day", "numeric"), ("month", "short")]);
    }
    date.to_locale_string(locale.as_str(), &options(&pairs)).into()
}

/// A calendar date ("2026-03-01") written the language's way.
pub fn date(iso: &str, locale: Locale) -> String {
    let date = Date::new(&format!("{iso}T00:00:00Z").into());
    if date.get_time().is_nan() {
        return iso.to_string();
    }
    date.to_locale_date_string(
        locale.as_str(),
        &options(&[("day", "numeric"), ("month", "long"), ("year", "numeric"), ("timeZone", "UTC")]),
    )
    .into()
}

/// The language's plural category for `n`: zero, one, two, few, many or other.
pub fn plural_category(n: f64, locale: Locale) -> String {
    Intl::PluralRules::new(&locales(locale), &Object::new()).select(n).into()
}

/// A message with a count, in the plural form the language needs for it. Each plural message
/// is a locale section with the six forms, the count written as `{n}`.
#[macro_export]
macro_rules! plural {
    ($i18n:expr, $section:ident, $n:expr) => {{
        let locale = $i18n.get_locale();
        let n = $n as f64;
        let form = match $crate::intl::plural_category(n, locale).as_str() {
            "zero" => $crate::i18n::t_string!($i18n, $section.zero).to_string(),
            "one" => $crate::i18n::t_string!($i18n, $section.one).to_string(),
            "two" => $crate::i18n::t_string!($i18n, $section.two).to_string(),
            "few" => $crate::i18n::t_string!($i18n, $section.few).to_string(),
            "many" => $crate::i18n::t_string!($i18n, $section.many).to_string(),
            _ => $crate::i18n::t_string!($i18n, $section.other).to_string(),
        };
        form.replace("{n}", &$crate::intl::number(n, locale))
    }};
}

/// An `Intl.DateTimeFormat` for `zone`, or None when the browser does not know the zone
/// (constructing one for an unknown zone throws).
fn date_format(locale: &str, pairs: &[(&str, &str)]) -> Option<Intl::DateTimeFormat> {
    let constructor: js_sys::Function =
        Reflect::get(&Reflect::get(&js_sys::global(), &"Intl".into()).ok()?, &"DateTimeFormat".into()).ok()?.into();
    let args = Array::of2(&locale.into(), &options(pairs));
    Reflect::construct(&constructor, &args).ok().map(Into::into)
}

/// The time zone this browser is set to (IANA name), UTC if it cannot tell.
pub fn browser_time_zone() -> String {
    let resolved = Intl::DateTimeFormat::new(&Array::new(), &Object::new()).resolved_options();
    Reflect::get(&resolved, &"timeZone".into()).ok().and_then(|z| z.as_string()).unwrap_or_else(|| "UTC".into())
}

/// Whether the browser knows `zone`.
pub fn is_known_time_zone(zone: &str) -> bool {
    date_format("en", &[("timeZone", zone)]).is_some()
}

/// A moment (Unix seconds) as a date and time in `zone`, the language's way.
pub fn moment_in(secs: i64, zone: &str, locale: Locale) -> String {
    let date = Date::new(&((secs as f64) * 1000.0).into());
    match date_format(locale.as_str(), &[("dateStyle", "medium"), ("timeStyle", "short"), ("timeZone", zone)]) {
        Some(format) => format.format().call1(&JsValue::NULL, &date).ok().and_then(|s| s.as_string()).unwrap_or_default(),
        None => local_time(secs as f64 * 1000.0, locale),
    }
}

/// "in 3 days", "in 2 hours", "5 minutes ago", in the language.
pub fn relative(seconds: i64, locale: Locale) -> String {
    let (value, unit) = match seconds.abs() {
        s if s >= 86_400 => (seconds / 86_400, "day"),
        s if s >= 3_600 => (seconds / 3_600, "hour"),
        _ => (seconds / 60, "minute"),
    };
    Intl::RelativeTimeFormat::new(&locales(locale), &options(&[("numeric", "auto")])).format(value as f64, unit).into()
}

/// How far the wall clock of `zone` is ahead of UTC at the moment `ms`, in milliseconds.
fn zone_offset_ms(ms: f64, zone: &str) -> Option<f64> {
    let parts_format = date_format(
        "en-US",
        &[
            ("timeZone", zone),
            ("hourCycle", "h23"),
            ("year", "numeric"),
            ("month", "numeric"),
            ("day", "numeric"),
            ("hour", "numeric"),
            ("minute", "numeric"),
            ("second", "numeric"),
        ],
    )?;
    let parts = parts_format.format_to_parts(&Date::new(&ms.into()));
    let part = |name: &str| -> Option<f64> {
        parts
            .iter()
            .find(|p| Reflect::get(p, &"type".into()).ok().and_then(|t| t.as_string()).as_deref() == Some(name))
            .and_then(|p| Reflect::get(&p, &"value".into()).ok()?.as_string()?.parse().ok())
    };
    let wall = Date::utc(part("year")?, part("month")? - 1.0)
        + ((part("day")? - 1.0) * 86_400.0 + part("hour")? * 3_600.0 + part("minute")? * 60.0 + part("second")?) * 1000.0;
    Some(wall - (ms / 1000.0).floor() * 1000.0)
}

/// A `datetime-local` value ("2026-03-01T09:30") read as a wall time in `zone`, as Unix seconds.
pub fn zoned_to_utc(local: &str, zone: &str) -> Option<i64> {
    let as_if_utc = Date::parse(&format!("{local}:00Z"));
    if as_if_utc.is_nan() {
        return None;
    }
    // The offset at the guessed moment, then again at the corrected one (a change of daylight
    // saving time between the two moves it).
    let first = as_if_utc - zone_offset_ms(as_if_utc, zone)?;
    Some(((as_if_utc - zone_offset_ms(first, zone)?) / 1000.0) as i64)
}
