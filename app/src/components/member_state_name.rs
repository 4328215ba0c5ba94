//! Member State names in the six languages: data fetched the first time a page shows one (kept
//! out of the first download) and cached by the service worker for offline use. Until they are
//! here, or if they cannot be fetched, a state shows as its ISO code.

use js_sys::{JSON, Reflect};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::components::localized_text::reader_lang;
use crate::i18n::*;

/// The names as the browser parsed them: `{"KE": {"en": "Kenya", …}, …}`. Read through the
/// browser's JSON rather than decoded into Rust maps, which would add their decoder to the
/// first download (the header names a delegate's Member State).
#[derive(Clone, Copy)]
struct MemberStateNames {
    names: RwSignal<Option<JsValue>, LocalStorage>,
    /// A fetch is under way or done.
    asked: StoredValue<bool>,
}

pub fn provide_member_state_names() {
    provide_context(MemberStateNames { names: RwSignal::new_local(None), asked: StoredValue::new(false) });
}

/// `object[key]` when it is there.
fn member(object: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(object, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// Where the build put the names (`<meta name="rihub-member-states">`, a hashed file).
fn data_url() -> Option<String> {
    let meta = document().query_selector("meta[name=rihub-member-states]").ok()??;
    meta.get_attribute("content")
}

/// Fetches the names once; a failed fetch is tried again by the next name asked for.
fn load(loaded: MemberStateNames) {
    if loaded.asked.get_value() {
        return;
    }
    loaded.asked.set_value(true);
    spawn_local(async move {
        let fetched = match data_url() {
            Some(url) => match gloo_net::http::Request::get(&url).send().await {
                Ok(response) if response.ok() => response.text().await.ok().and_then(|text| JSON::parse(&text).ok()),
                _ => None,
            },
            None => None,
        };
        match fetched {
            Some(names) => loaded.names.set(Some(names)),
            None => loaded.asked.set_value(false),
        }
    });
}

/// The name of the Member State `code` in the reader's language, tracked: it changes from the
/// code to the name once the names arrive, and with the interface language. The names are
/// fetched when the first one is asked for.
pub fn use_member_state_name() -> impl Fn(&str) -> String + Copy + 'static {
    let i18n = use_i18n();
    let loaded = expect_context::<MemberStateNames>();
    move |code: &str| {
        load(loaded);
        let lang = reader_lang(i18n.get_locale());
        loaded.names.with(|names| {
            let of_state = names.as_ref().and_then(|n| member(n, &code.to_ascii_uppercase()));
            let name = of_state.and_then(|by_lang| member(&by_lang, lang.code()).or_else(|| member(&by_lang, "en")));
            name.and_then(|n| n.as_string()).unwrap_or_else(|| code.to_string())
        })
    }
}
