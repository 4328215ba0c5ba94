//! `/search?q=…`: initiatives, projects and experience reports of every region, found by the
//! server's full-text indexes in the six languages; offline, by exact words over the records on
//! this device. The query and filters live in the address, so a search can be shared and the
//! back button returns to it.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use rihub_domain::cycle::Cycle;
use rihub_domain::initiative::{InitiativeStatus, Priority};
use rihub_domain::project::ProjectStatus;
use rihub_domain::region::Region;
use rihub_domain::search::{Filters, Found, SEARCHED, local_matches, query_words};
use rihub_domain::sync::record::{Kind, RecordKey};
use rihub_domain::text::Text;

use crate::api::{self, ApiError};
use crate::components::found_list::FoundList;
use crate::components::status::{Empty, ErrorNotice};
use crate::i18n::*;
use crate::labels;
use crate::links;
use crate::store::records::{self, Records};
use crate::sync::use_sync;

const FILTERS: [&str; 5] = ["region", "cycle", "priority", "status", "kind"];

#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let query = use_query_map();
    let navigate = use_navigate();
    let q = Memo::new(move |_| query.with(|m| m.get("q").unwrap_or_default()));
    let filters = Memo::new(move |_| {
        let get = |name: &str| query.with(|m| m.get(name)).filter(|v| !v.is_empty());
        Filters { region: get("region"), cycle: get("cycle"), priority: get("priority"), status: get("status"), kind: get("kind") }
    });
    let typed = RwSignal::new(q.get_untracked());
    let results = LocalResource::new(move || {
        let (q, filters) = (q.get(), filters.get());
        async move {
            if q.trim().is_empty() {
                return None;
            }
            Some(api::get::<Vec<Found>>(&format!("/api/search?{}", encode(&q, &filters))).await)
        }
    });
    // Offline, the records on this device answer (and answer again as they load).
    let local = Memo::new(move |_| {
        let (q, filters) = (q.get(), filters.get());
        sync.records.with(|r| local_search(r, &q, &filters))
    });
    // The form's choices, sent to the address (and so to the search) on submit.
    let chosen = FILTERS.map(|name| RwSignal::new(query.with_untracked(|m| m.get(name)).unwrap_or_default()));
    let [region, cycle, priority, status, kind] = chosen;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.is_empty());
        let filters =
            Filters { region: value(region), cycle: value(cycle), priority: value(priority), status: value(status), kind: value(kind) };
        navigate(&links::search(&encode(&typed.get_untracked(), &filters)), Default::default());
    };
    view! {
        <h1>{t!(i18n, search.title)}</h1>
        <p class="muted">{t!(i18n, search.intro)}</p>
        <form class="filters search-form" role="search" on:submit=submit>
            <label class="search-words">
                <span>{t!(i18n, search.words)}</span>
                <input id="search-q" name="q" type="search" dir="auto" prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
            </label>
            <FilterSelect name="kind" label=move || t_string!(i18n, search.record_type).to_string() value=kind
                options=move || SEARCHED.iter().map(|k| (k.code().to_string(), labels::record_kind(i18n.get_locale(), *k))).collect()/>
            <FilterSelect name="region" label=move || t_string!(i18n, initiatives.region).to_string() value=region
                options=move || Region::ALL.iter().map(|r| (r.code().to_string(), labels::region(i18n.get_locale(), *r))).collect()/>
            <FilterSelect name="cycle" label=move || t_string!(i18n, initiatives.cycle).to_string() value=cycle
                options=move || Cycle::ALL.iter().rev().map(|c| (c.code().to_string(), labels::conference(i18n.get_locale(), *c))).collect()/>
            <FilterSelect name="priority" label=move || t_string!(i18n, initiatives.priority).to_string() value=priority
                options=move || Priority::ALL.iter().map(|p| (p.key().to_string(), labels::priority(i18n.get_locale(), *p))).collect()/>
            <FilterSelect name="status" label=move || t_string!(i18n, initiatives.status).to_string() value=status
                options=move || status_options(i18n.get_locale())/>
            <div class="actions"><button type="submit" class="primary">{t!(i18n, search.submit)}</button></div>
        </form>
        <div aria-live="polite">
            {move || match results.get() {
                Some(None) => ().into_any(),
                None => view! { <p class="status loading" role="status"><span class="spinner" aria-hidden="true"></span>{t!(i18n, search.searching)}</p> }.into_any(),
                Some(Some(Err(ApiError::Offline))) => view! {
                    <p class="notice">{t!(i18n, search.offline)}</p>
                    {move || found_or_none(local.get())}
                }.into_any(),
                Some(Some(Err(e))) => view! { <ErrorNotice error=e retry=Callback::new(move |_| results.refetch())/> }.into_any(),
                Some(Some(Ok(found))) => found_or_none(found),
            }}
        </div>
    }
}

fn found_or_none(found: Vec<Found>) -> AnyView {
    let i18n = use_i18n();
    match found.is_empty() {
        true => view! { <Empty>{t!(i18n, search.none)}</Empty> }.into_any(),
        false => view! { <FoundList found/> }.into_any(),
    }
}

/// A labelled select of one filter, "any" first.
#[component]
fn FilterSelect(
    name: &'static str,
    label: impl Fn() -> String + Send + Sync + 'static,
    value: RwSignal<String>,
    options: impl Fn() -> Vec<(String, String)> + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label>
            <span>{label}</span>
            <select id=format!("search-{name}") name=name prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="">{t!(i18n, search.any)}</option>
                {move || options().into_iter().map(|(value, text)| view! { <option value=value>{text}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// Every status a searched record can have, once each.
fn status_options(l: Locale) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = InitiativeStatus::ALL.iter().map(|s| (s.key().to_string(), labels::status(l, *s))).collect();
    for s in ProjectStatus::ALL {
        if !options.iter().any(|(k, _)| k == s.key()) {
            options.push((s.key().to_string(), labels::project_status(l, s)));
        }
    }
    options.push(("published".into(), td_string!(l, report.published).to_string()));
    options
}

fn encode(q: &str, filters: &Filters) -> String {
    let values = [&filters.region, &filters.cycle, &filters.priority, &filters.status, &filters.kind];
    let mut parts = vec![format!("q={}", js_sys::encode_uri_component(q))];
    for (name, value) in FILTERS.iter().zip(values) {
        if let Some(v) = value {
            parts.push(format!("{name}={}", js_sys::encode_uri_component(v)));
        }
    }
    parts.join("&")
}

/// The device's search: every word of `q` in a record's texts, with the filters applied to
/// what the device knows of each record.
fn local_search(all: &Records, q: &str, filters: &Filters) -> Vec<Found> {
    let words = query_words(q);
    let mut found = Vec::new();
    for (key, record) in all.iter().filter(|(k, _)| SEARCHED.contains(&k.kind)) {
        let Some(matches) = local_matches(key.kind, &record.fields, &words) else { continue };
        let region = records::region(all, key);
        let initiative = initiative_of(all, key);
        let status = match key.kind {
            Kind::Report if record.get("published_at").is_null() => "draft".to_string(),
            Kind::Report => "published".to_string(),
            _ => record.get("status").as_str().unwrap_or_default().to_string(),
        };
        let keep = filters.kind.as_deref().is_none_or(|k| k == key.kind.code())
            && filters.region.as_deref().is_none_or(|r| region.is_some_and(|own| own.code() == r))
            && filters.status.as_deref().is_none_or(|s| s == status)
            && filters.cycle.as_deref().is_none_or(|c| initiative.as_ref().is_some_and(|i| i.fields.cycle.code() == c))
            && filters
                .priority
                .as_deref()
                .is_none_or(|p| initiative.as_ref().is_some_and(|i| i.fields.priorities.iter().any(|own| own.key() == p)));
        if keep {
            let title: Text = serde_json::from_value(record.get("title").clone()).unwrap_or_default();
            found.push(Found { kind: key.kind, id: key.id.clone(), region, title, score: 0.0, matches, shared: Vec::new() });
        }
    }
    found
}

/// The initiative a record is under (itself, for an initiative).
fn initiative_of(all: &Records, key: &RecordKey) -> Option<rihub_domain::initiative::Initiative> {
    records::initiative(all, &records::initiative_id(all, key)?)
}
