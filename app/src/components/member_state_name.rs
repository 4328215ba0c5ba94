//! Member State names in the six languages: data fetched the first time a page shows one (kept
//! out of the first download) and cached by the service worker for offline use. Until they are
//! here, or if they cannot be fetched, a state shows as its ISO code.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::localized_text::reader_lang;
use crate::i18n::*;

/// Names by ISO code, then by language code.
type Names = HashMap<String, HashMap<String, String>>;

#[derive(Clone, Copy)]
struct MemberStateNames {
    names: RwSignal<Option<Arc<Names>>>,
    /// A fetch is under way or done.
    asked: StoredValue<bool>,
}

pub fn provide_member_state_names() {
    provide_context(MemberStateNames { names: RwSignal::new(None), asked: StoredValue::new(false) });
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
                Ok(response) if response.ok() => response.json::<Names>().await.ok(),
                _ => None,
            },
            None => None,
        };
        match fetched {
            Some(names) => loaded.names.set(Some(Arc::new(names))),
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
            let of_state = names.as_ref().and_then(|n| n.get(&code.to_ascii_uppercase()));
            of_state.and_then(|by_lang| by_lang.get(lang.code()).or_else(|| by_lang.get("en"))).cloned().unwrap_or_else(|| code.to_string())
        })
    }
}
