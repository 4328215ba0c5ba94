//! The sync state, always on screen: online or not, changes waiting, time of the last sync;
//! and the notices that ask the person to act (sign in again, reload).

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::new_version::update_now;
use crate::i18n::*;
use crate::intl::local_time;
use crate::links;
use crate::sync::{Connection, LocalData, use_sync};

/// The sync state; `on_page` for the Sync page's own copy of it, which leaves the element ids
/// to the header's (ids are unique on a page).
#[component]
pub fn SyncStatus(#[prop(optional)] on_page: bool) -> impl IntoView {
    let id = move |id: &'static str| (!on_page).then_some(id);
    let i18n = use_i18n();
    let sync = use_sync();
    let state = move || match sync.connection.get() {
        Connection::Online => ("online", t_string!(i18n, sync.online).to_string()),
        Connection::Connecting => ("connecting", t_string!(i18n, sync.connecting).to_string()),
        Connection::Offline => ("offline", t_string!(i18n, sync.offline).to_string()),
        Connection::SignedOut => ("signed-out", t_string!(i18n, sync.signed_out).to_string()),
        Connection::Outdated => ("outdated", t_string!(i18n, sync.update_needed).to_string()),
    };
    let pending = move || sync.pending.with(Vec::len);
    // Until the device's queue is read, how many changes wait is not known: say nothing rather
    // than "all changes synced".
    let known = move || !matches!(sync.data.get(), LocalData::Loading);
    let attention = move || sync.rejected.with(Vec::len) + sync.conflicts.with(Vec::len);
    let last = move || match sync.last_synced.get() {
        Some(ms) => t!(i18n, sync.last_synced, time = move || local_time(ms, i18n.get_locale())).into_any(),
        None => t!(i18n, sync.never_synced).into_any(),
    };
    view! {
        <a class="sync-status" id=id("sync-status") href=links::SYNC data-connection=move || state().0
            data-caught-up=move || sync.caught_up.get().to_string()
            title=move || t_string!(i18n, sync.details).to_string()>
            <span class="dot" aria-hidden="true"></span>
            // Announced whole when either part changes: "Offline, 2 changes waiting".
            <span class="state" role="status" aria-atomic="true">
                <span class="connection">{move || state().1}</span>
                <span class="visually-hidden">", "</span>
                <span class="pending" id=id("pending-count") data-count=move || known().then(|| pending().to_string())>
                    {move || match (known(), pending()) {
                        (false, _) => None,
                        (true, 0) => Some(t!(i18n, sync.all_synced).into_any()),
                        (true, n) => Some(crate::plural!(i18n, plural_waiting, n).into_any()),
                    }}
                </span>
            </span>
            <span class="last-synced muted">{last}</span>
            <Show when=move || attention() != 0>
                <span class="badge warn" id=id("attention-count")>{attention}</span>
            </Show>
        </a>
    }
}

/// How far reading the records saved on this device, or receiving a snapshot, has come: the
/// pages already show what is there, and this says how much is still to come.
#[component]
pub fn ProgressNotice() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    move || {
        let count = move |n: u64| crate::intl::number(n as f64, i18n.get_locale());
        let (reading, p) = match (sync.reading.get(), sync.receiving.get()) {
            (Some(p), _) => (true, p),
            (None, Some(p)) => (false, p),
            (None, None) => return None,
        };
        let (done, total) = (move || count(p.done), move || count(p.total));
        Some(view! {
            <div class="notice progress" id="progress-notice">
                <progress max=p.total value=p.done aria-labelledby="progress-text"></progress>
                <span id="progress-text">
                    {if reading { t!(i18n, sync.reading, done, total).into_any() } else { t!(i18n, sync.receiving, done, total).into_any() }}
                </span>
            </div>
        })
    }
}

/// Asks the person to sign in again or to reload when sync cannot go on without them.
#[component]
pub fn SyncNotice() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let location = use_location();
    let login_href = move || links::login(&location.pathname.get());
    move || match sync.connection.get() {
        Connection::SignedOut => Some(
            view! {
                <div class="notice warn" role="alert" id="signed-out-notice">
                    <p>{t!(i18n, sync.sign_in_again)}</p>
                    <a class="button primary" href=login_href>{t!(i18n, login.title)}</a>
                </div>
            }
            .into_any(),
        ),
        Connection::Outdated => Some(
            view! {
                <div class="notice warn" role="alert" id="outdated-notice">
                    <p>{t!(i18n, sync.outdated)}</p>
                    <button type="button" on:click=|_| update_now()>{t!(i18n, sync.reload)}</button>
                </div>
            }
            .into_any(),
        ),
        _ => None,
    }
}
