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
    date.to_locale_date_string(locale.as_str(), &options(&[("day", "numeric"), ("month", "long"), ("year", "numeric"), ("timeZone", "UTC")])).into()
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
