//! Presence: who else has this record open right now.

use leptos::prelude::*;
use rihub_domain::sync::record::RecordKey;

use crate::context::use_session;
use crate::i18n::*;
use crate::sync::use_sync;

/// Announces that this page shows `key`, and lists the other people viewing it.
#[component]
pub fn Viewers(key: RecordKey) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    sync.viewing(Some(key.clone()));
    on_cleanup(move || sync.stop_viewing(&key));
    let others = move || {
        let me = session.me.with(|m| m.as_ref().map(|m| m.id.clone()).unwrap_or_default());
        sync.viewers.with(|v| v.iter().filter(|v| v.user != me).map(|v| v.name.clone()).collect::<Vec<_>>())
    };
    view! {
        <Show when=move || !others().is_empty()>
            <p class="viewers" id="viewers" aria-live="polite">
                <span class="dot" aria-hidden="true"></span>
                {t!(i18n, sync.viewing_too, names = move || others().join(", "))}
            </p>
        </Show>
    }
}
