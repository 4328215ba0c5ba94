//! Pages that read synced records wait here until the device's copy is loaded, and a record
//! page until it holds its records whole.

use leptos::prelude::*;
use rihub_domain::sync::record::RecordKey;

use crate::components::status::Loading;
use crate::i18n::*;
use crate::sync::{Connection, LocalData, use_sync};

#[derive(Clone, PartialEq)]
enum Gate {
    Ready,
    Waiting,
    NeedsNetwork,
    Failed(String),
}

/// Shows `children` once the device's records are read; a `first_screen` (one that needs only
/// the initiatives and consultations, read first) shows while the others are read.
#[component]
pub fn LocalDataGate(#[prop(optional)] first_screen: bool, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    // A memo, so that only a real change re-renders the page below: a form must never be
    // rebuilt (and lose what is typed) because a sync round confirmed what was already known.
    let gate = Memo::new(move |_| match sync.data.get() {
        LocalData::Ready => Gate::Ready,
        LocalData::Reading if first_screen => Gate::Ready,
        LocalData::Loading | LocalData::Reading => Gate::Waiting,
        LocalData::NeverSynced if matches!(sync.connection.get(), Connection::Online | Connection::Connecting) => Gate::Waiting,
        LocalData::NeverSynced => Gate::NeedsNetwork,
        LocalData::Failed(error) => Gate::Failed(error),
    });
    move || match gate.get() {
        Gate::Ready => children().into_any(),
        Gate::Waiting => view! { <Loading/> }.into_any(),
        Gate::NeedsNetwork => view! { <p class="notice warn" role="alert">{t!(i18n, sync.first_sync_needed)}</p> }.into_any(),
        Gate::Failed(error) => view! {
            <p class="notice error" role="alert">{t!(i18n, sync.local_failed, error = move || error.clone())}</p>
        }
        .into_any(),
    }
}

/// Shows `children` once this device holds the records `keys` whole (inside a
/// `LocalDataGate`). Opening them pins them (kept whole from now on, see `working_set`); one
/// held only as a summary is fetched, and until it arrives the page says so, or that it opens
/// once the device is online. Apart from the gate, so that the first screen's code has none of it.
#[component]
pub fn WholeRecords(#[prop(into)] keys: Signal<Vec<RecordKey>>, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    Effect::new(move |_| keys.get().into_iter().for_each(|key| sync.open(key)));
    let summaries = Memo::new(move |_| keys.with(|keys| sync.records.with(|r| keys.iter().any(|k| r.get(k).is_some_and(|r| r.summary)))));
    move || match summaries.get() {
        false => children().into_any(),
        true if sync.connection.get() == Connection::Online => view! { <Loading/> }.into_any(),
        true => view! { <p class="notice warn" role="status" id="summary-only">{t!(i18n, sync.summary_only)}</p> }.into_any(),
    }
}
