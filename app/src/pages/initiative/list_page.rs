//! `/`: the initiatives, filtered by cycle, region, status, priority and text.

use leptos::prelude::*;
use rihub_domain::api::InitiativeListItem;
use rihub_domain::cycle::Cycle;
use rihub_domain::initiative::{InitiativeStatus, Priority};
use rihub_domain::permissions::{self, Action};
use rihub_domain::region::Region;

use crate::components::local_data::LocalDataGate;
use crate::components::localized_text::LocalizedText;
use crate::components::status::Empty;
use crate::context::{use_region_filter, use_session};
use crate::i18n::*;
use crate::labels;
use crate::links;
use crate::store::records;
use crate::sync::{LocalData, use_sync};

#[component]
pub fn InitiativesPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sync = use_sync();
    let region = use_region_filter();
    let cycle = RwSignal::new(None::<Cycle>);
    let status = RwSignal::new(None::<InitiativeStatus>);
    let priority = RwSignal::new(None::<Priority>);
    let q = RwSignal::new(String::new());

    // Filtering runs over the records on this device, so the list works offline too.
    let items = Memo::new(move |_| {
        let text = q.get();
        let needle = text.trim();
        let (region, cycle, status, priority) = (region.get(), cycle.get(), status.get(), priority.get());
        sync.records.with(|all| {
            let counts = records::project_counts(all);
            records::initiatives(all)
                .into_iter()
                .filter(|i| region.is_none_or(|r| i.fields.region == r))
                .filter(|i| cycle.is_none_or(|c| i.fields.cycle == c))
                .filter(|i| status.is_none_or(|s| i.fields.status == s))
                .filter(|i| priority.is_none_or(|p| i.fields.priorities.contains(&p)))
                .filter(|i| needle.is_empty() || i.fields.matches_text(needle))
                .map(|i| InitiativeListItem { project_count: counts.get(&i.id).copied().unwrap_or(0), initiative: i })
                .collect::<Vec<_>>()
        })
    });
    let may_create =
        move || session.me.with(|m| m.as_ref().is_some_and(|m| permissions::allows_somewhere(&m.roles, Action::CreateInitiative)));

    view! {
        <div class="page-head">
            <h1>{t!(i18n, initiatives.title)}</h1>
            <Show when=may_create><a class="button primary" href=links::NEW_INITIATIVE>{t!(i18n, initiatives.new)}</a></Show>
        </div>
        <form class="filters" role="search" on:submit=|ev| ev.prevent_default()>
            <label>
                <span>{t!(i18n, initiatives.search)}</span>
                <input id="search" type="search" dir="auto" placeholder=move || t_string!(i18n, initiatives.search_hint).to_string()
                    prop:value=move || q.get() on:input=move |ev| q.set(event_target_value(&ev))/>
            </label>
            <label>
                <span>{t!(i18n, initiatives.cycle)}</span>
                <select id="filter-cycle" on:change=move |ev| cycle.set(Cycle::from_code(&event_target_value(&ev)))>
                    <option value="">{t!(i18n, initiatives.any)}</option>
                    {Cycle::ALL.into_iter().rev().map(|c| view! { <option value=c.code()>{move || labels::conference(i18n.get_locale(), c)}</option> }).collect_view()}
                </select>
            </label>
            <label>
                <span>{t!(i18n, initiatives.region)}</span>
                <select id="filter-region" on:change=move |ev| region.set(Region::from_code(&event_target_value(&ev)))
                    prop:value=move || region.get().map(|r| r.code()).unwrap_or("")>
                    <option value="">{t!(i18n, initiatives.any)}</option>
                    {Region::ALL.into_iter().map(|r| view! { <option value=r.code()>{move || labels::region(i18n.get_locale(), r)}</option> }).collect_view()}
                </select>
            </label>
            <label>
                <span>{t!(i18n, initiatives.status)}</span>
                <select id="filter-status" on:change=move |ev| status.set(InitiativeStatus::from_key(&event_target_value(&ev)))>
                    <option value="">{t!(i18n, initiatives.any)}</option>
                    {InitiativeStatus::ALL.into_iter().map(|s| view! { <option value=s.key()>{move || labels::status(i18n.get_locale(), s)}</option> }).collect_view()}
                </select>
            </label>
            <label>
                <span>{t!(i18n, initiatives.priority)}</span>
                <select id="filter-priority" on:change=move |ev| priority.set(Priority::from_key(&event_target_value(&ev)))>
                    <option value="">{t!(i18n, initiatives.any)}</option>
                    {Priority::ALL.into_iter().map(|p| view! { <option value=p.key()>{move || labels::priority(i18n.get_locale(), p)}</option> }).collect_view()}
                </select>
            </label>
        </form>
        <LocalDataGate first_screen=true>{move || match items.get() {
            list if list.is_empty() => view! { <Empty>{t!(i18n, initiatives.empty)}</Empty> }.into_any(),
            list => {
                let count = list.len();
                view! {
                    <p class="muted" aria-live="polite">{t!(i18n, initiatives.count, count = move || crate::intl::number(count as f64, i18n.get_locale()))}</p>
                    <ul class="cards" id="initiative-list">
                        {list.into_iter().map(|item| view! { <InitiativeCard item/> }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}</LocalDataGate>
    }
}

#[component]
fn InitiativeCard(item: InitiativeListItem) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let i = item.initiative;
    let f = i.fields;
    let href = links::initiative(&i.id);
    let projects = item.project_count;
    let region = f.region;
    let cycle = f.cycle;
    let status = f.status;
    view! {
        <li class="card">
            <div class="card-meta">
                <span class="code" dir="ltr">{f.code.clone()}</span>
                <span>{move || labels::conference(i18n.get_locale(), cycle)}</span>
                <span>{move || labels::region(i18n.get_locale(), region)}</span>
                <span class="badge">{move || labels::status(i18n.get_locale(), status)}</span>
                {(!f.verified).then(|| view! { <span class="badge warn" title=move || t_string!(i18n, initiatives.unverified_hint).to_string()>{t!(i18n, initiatives.unverified)}</span> })}
            </div>
            <h2><a href=href><LocalizedText text=f.title/></a></h2>
            // Counted once every project saved on this device is read.
            <Show when=move || sync.data.get() == LocalData::Ready>
                <p class="muted">{t!(i18n, initiatives.projects, count = move || crate::intl::number(projects as f64, i18n.get_locale()))}</p>
            </Show>
        </li>
    }
}
