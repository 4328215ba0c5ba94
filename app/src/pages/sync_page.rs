//! `/sync`: the state of sync, the changes the server did not accept (with their content, to
//! copy or retry) and the values overwritten by concurrent edits.

use leptos::prelude::*;
use rihub_domain::region::Region;
use rihub_domain::sync::mutation::{Mutation, Op};
use rihub_domain::sync::outcome::Refusal;
use rihub_domain::sync::working_set::WorkingSet;

use crate::components::conflicts::{ConflictList, show_value};
use crate::components::localized_text::reader_lang;
use crate::components::status::Empty;
use crate::components::sync_status::SyncStatus;
use crate::context::use_session;
use crate::i18n::*;
use crate::labels;
use crate::links;
use crate::sync::use_sync;

#[component]
pub fn SyncPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    view! {
        <h1>{t!(i18n, sync.title)}</h1>
        <SyncStatus on_page=true/>
        <section aria-labelledby="rejected-heading">
            <h2 id="rejected-heading">{t!(i18n, sync.not_accepted)}</h2>
            <Show when=move || !sync.rejected.with(Vec::is_empty) fallback=move || view! { <Empty>{t!(i18n, sync.none_rejected)}</Empty> }>
                <p>{t!(i18n, sync.not_accepted_intro)}</p>
                <ul class="cards" id="rejected-list">
                    <For each=move || sync.rejected.get() key=|(m, _)| (m.client.clone(), m.seq) let:item>
                        <RejectedItem mutation=item.0 refusal=item.1/>
                    </For>
                </ul>
            </Show>
        </section>
        <ConflictList/>
        <Show when=move || sync.conflicts.with(Vec::is_empty)>
            <Empty>{t!(i18n, sync.no_conflicts)}</Empty>
        </Show>
        <FollowedRegions/>
    }
}

/// The regions this device keeps whole besides the person's own (see `working_set`).
#[component]
fn FollowedRegions() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    let own = move || WorkingSet::new(&session.roles_tracked(), &[], &[]).regions;
    let region_item = move |region: Region| {
        let is_own = move || own().contains(&region);
        let checked = move || is_own() || sync.follow.with(|f| f.contains(&region));
        let toggle = move |_| {
            let mut follow = sync.follow.get_untracked();
            match follow.contains(&region) {
                true => follow.retain(|r| *r != region),
                false => follow.push(region),
            }
            follow.sort_unstable();
            sync.follow(follow);
        };
        view! {
            <li>
                <label>
                    <input type="checkbox" data-region=region.code() prop:checked=checked disabled=is_own on:change=toggle/>
                    " "{move || labels::region(i18n.get_locale(), region)}
                    {move || is_own().then(|| format!(" ({})", t_string!(i18n, sync.follow_own)))}
                </label>
            </li>
        }
    };
    view! {
        <section aria-labelledby="follow-heading">
            <h2 id="follow-heading">{t!(i18n, sync.follow_title)}</h2>
            <p>{t!(i18n, sync.follow_intro)}</p>
            <ul class="plain" id="followed-regions">{Region::ALL.into_iter().map(region_item).collect_view()}</ul>
        </section>
    }
}

#[component]
fn RejectedItem(mutation: Mutation, refusal: Refusal) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let key = mutation.op.key().clone();
    let kind = key.kind;
    let what = match &mutation.op {
        Op::Create { .. } => t!(i18n, sync.op_create).into_any(),
        Op::Edit { .. } => t!(i18n, sync.op_edit).into_any(),
        Op::Delete { .. } => t!(i18n, sync.op_delete).into_any(),
        Op::Submit { .. } => t!(i18n, sync.op_submit).into_any(),
    };
    let values: Vec<(String, serde_json::Value)> = match &mutation.op {
        Op::Create { fields, .. } => fields.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Op::Edit { changes, .. } => changes.iter().map(|c| (c.field.clone(), c.value.clone())).collect(),
        Op::Delete { .. } => Vec::new(),
        Op::Submit { content, .. } => {
            content.as_object().map(|c| c.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default()
        }
    };
    let copy_text = serde_json::to_string_pretty(&mutation.op).unwrap_or_default();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let _ = window().navigator().clipboard().write_text(&copy_text);
        copied.set(true);
    };
    let (client, seq) = (mutation.client.clone(), mutation.seq);
    let retry = {
        let client = client.clone();
        move |_| sync.retry(client.clone(), seq)
    };
    let discard = move |_| sync.discard(client.clone(), seq);
    view! {
        <li class="card rejected-item">
            <div class="card-meta">
                <span class="badge">{what}</span>
                <a href=sync.records.with_untracked(|r| links::record(r, &key)) dir="ltr">{key.id.clone()}</a>
            </div>
            <p class="reason"><strong>{t!(i18n, sync.reason)}": "</strong>{move || labels::refusal(i18n.get_locale(), &refusal)}</p>
            <dl class="facts">
                {values.into_iter().map(|(field, value)| view! {
                    <dt>{move || labels::field(i18n.get_locale(), kind, &field)}</dt>
                    <dd dir="auto">{move || show_value(&value, reader_lang(i18n.get_locale()))}</dd>
                }).collect_view()}
            </dl>
            <div class="actions">
                <button type="button" on:click=copy>{move || if copied.get() { t_string!(i18n, common.copied) } else { t_string!(i18n, common.copy) }}</button>
                <button type="button" class="retry" on:click=retry>{t!(i18n, common.retry)}</button>
                <button type="button" class="link" on:click=discard>{t!(i18n, sync.dismiss)}</button>
            </div>
        </li>
    }
}
