//! Shows a multilingual text in the reader's language, or the original marked with its
//! language; a translation made from an earlier version of the original is marked outdated.

use leptos::prelude::*;
use rihub_domain::lang::Lang;
use rihub_domain::text::{Status, Text};

use crate::i18n::*;

/// The reader's interface language as a domain `Lang`.
pub fn reader_lang(locale: Locale) -> Lang {
    Lang::from_code(locale.as_str()).unwrap_or(Lang::En)
}

/// `dir="auto"` lets Arabic text with Latin codes (or the reverse) lay out correctly.
#[component]
pub fn LocalizedText(text: Text, #[prop(optional)] fallback: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let want = reader_lang(i18n.get_locale());
        match text.best(want) {
            Some((lang, s)) => {
                let s = s.to_string();
                let mark = (lang != want).then(
                    || view! { <span class="lang-mark" title=move || t_string!(i18n, common.shown_in).to_string()>{lang.code()}</span> },
                );
                let outdated = (text.status(lang) == Some(Status::Outdated)).then(|| view! {
                    <span class="lang-mark outdated" title=move || t_string!(i18n, common.outdated_hint).to_string()>{t!(i18n, common.outdated)}</span>
                });
                view! { <span lang=lang.code() dir="auto">{s}</span>{mark}{outdated} }.into_any()
            }
            None => view! { <span class="muted">{fallback}</span> }.into_any(),
        }
    }
}
