//! Says that a record shown has edits not yet sent.

use leptos::prelude::*;
use rihub_domain::sync::record::RecordKey;

use crate::i18n::*;
use crate::sync::use_sync;

#[component]
pub fn PendingNotice(key: RecordKey) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    view! {
        <Show when=move || sync.pending.with(|p| p.contains(&key))>
            <p class="notice pending" role="status" id="pending-notice">{t!(i18n, sync.pending_here)}</p>
        </Show>
    }
}
