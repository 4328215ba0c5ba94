//! A consultation's consolidated results: the published ones for everyone; before that, the
//! region's coordinators see them forming from the submissions, and publish them (`PublishButton`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use rihub_domain::consultation::ConsultationFields;
use rihub_domain::consultation::results::{FinancingKind, aggregate};
use rihub_domain::consultation::window::{self, Phase};
use rihub_domain::sync::mutation::{FieldChange, Op};
use rihub_domain::sync::record::Kind;

use super::draft::{InitiativeName, download_href};
use super::standing::device_now;
use crate::api::ApiError;
use crate::components::pending_notice::PendingNotice;
use crate::components::status::ErrorNotice;
use crate::i18n::*;
use crate::intl;
use crate::labels;
use crate::store::records;
use crate::sync::use_sync;

#[component]
pub fn ResultsView(id: String, c: ConsultationFields, manages: bool) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let published = c.results.clone();
    let initiatives = c.initiatives.clone();
    let live_id = id.clone();
    // Published: the server's results. Before: what the submissions on this device give.
    let results = Memo::new(move |_| match &published {
        Some(r) => r.clone(),
        None => sync.records.with(|r| aggregate(&initiatives, &records::submitted_answers(r, &live_id))),
    });
    let is_published = c.is_published();
    let top = move || results.with(|r| r.priorities.iter().map(|p| p.points).fold(0.0, f64::max)).max(1.0);
    view! {
        <section id="results" aria-labelledby="results-heading" data-published=is_published.to_string()>
            <h2 id="results-heading">{t!(i18n, consultation.results)}</h2>
            <p class="muted">
                {move || t_string!(i18n, consultation.results_count, count = intl::number(results.with(|r| r.submissions) as f64, i18n.get_locale())).to_string()}
                {(!is_published).then(|| view! { " · "{t!(i18n, consultation.not_published)} })}
            </p>
            {(manages && !is_published).then(|| view! { <PublishButton id=id.clone() c=c.clone()/> })}
            <h3>{t!(i18n, consultation.ranking)}</h3>
            <table id="priority-results" class="stacks">
                <thead><tr>
                    <th scope="col">{t!(i18n, consultation.place)}</th><th scope="col">{t!(i18n, consultation.initiative)}</th>
                    <th scope="col">{t!(i18n, consultation.points)}</th><th scope="col">{t!(i18n, consultation.mean_rank)}</th>
                    <th scope="col">{t!(i18n, consultation.spread)}</th><th scope="col">{t!(i18n, consultation.ranked_by)}</th>
                </tr></thead>
                <tbody>
                    {move || results.get().priorities.into_iter().map(|p| {
                        let share = p.points / top();
                        view! {
                            <tr data-initiative=p.initiative.clone()>
                                <td data-label=move || t_string!(i18n, consultation.place).to_string()>{move || intl::number(p.place as f64, i18n.get_locale())}</td>
                                <td data-label=move || t_string!(i18n, consultation.initiative).to_string()><InitiativeName id=p.initiative.clone()/></td>
                                <td data-label=move || t_string!(i18n, consultation.points).to_string()>
                                    <span class="bar" style=format!("inline-size: {:.0}%", share * 100.0)></span>
                                    {move || intl::number(p.points, i18n.get_locale())}
                                </td>
                                <td data-label=move || t_string!(i18n, consultation.mean_rank).to_string()>{move || intl::number((p.mean_rank * 100.0).round() / 100.0, i18n.get_locale())}</td>
                                <td data-label=move || t_string!(i18n, consultation.spread).to_string()>{move || intl::number((p.spread * 100.0).round() / 100.0, i18n.get_locale())}</td>
                                <td data-label=move || t_string!(i18n, consultation.ranked_by).to_string()>{move || intl::number(p.ranked_by as f64, i18n.get_locale())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h3>{t!(i18n, consultation.partners)}</h3>
            <table id="partner-results" class="stacks">
                <tbody>
                    {move || results.get().partners.into_iter().map(|p| view! {
                        <tr>
                            <th scope="row" dir="auto">{p.organization.clone()}</th>
                            <td>{move || labels::org_kind(i18n.get_locale(), p.kind)}</td>
                            <td>{move || t_string!(i18n, consultation.suggested_by, count = intl::number(p.suggested_by as f64, i18n.get_locale())).to_string()}</td>
                            <td dir="auto">{p.roles.join("; ")}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <h3>{t!(i18n, consultation.financing)}</h3>
            <table id="financing-results" class="stacks">
                <tbody>
                    {move || results.get().financing.into_iter().map(|f| view! {
                        <tr>
                            <th scope="row">{move || match f.kind {
                                FinancingKind::Cash => t_string!(i18n, consultation.cash).to_string(),
                                FinancingKind::InKind => t_string!(i18n, consultation.in_kind).to_string(),
                            }}</th>
                            <td>{let (total, currency) = (f.total, f.currency.clone()); move || intl::money(total, &currency, i18n.get_locale())}</td>
                            <td>{move || t_string!(i18n, consultation.offers, count = intl::number(f.offers as f64, i18n.get_locale())).to_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="actions">
                <a class="button" id="export-csv" download=format!("results-{id}.csv") href=move || download_href("text/csv", &results.get().to_csv())>{t!(i18n, consultation.export_csv)}</a>
                <a class="button" id="export-json" download=format!("results-{id}.json") href=move || download_href("application/json", &serde_json::to_string_pretty(&results.get()).unwrap_or_default())>{t!(i18n, consultation.export_json)}</a>
            </p>
        </section>
    }
}

/// The coordinator's "publish" action, offered after the close.
#[component]
pub fn PublishButton(id: String, c: ConsultationFields) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let (error, set_error) = signal(None::<ApiError>);
    // The device's clock, read again every ten seconds, so that the button appears when the
    // consultation closes while the page is open (the server's clock decides).
    let now = RwSignal::new(device_now());
    if let Ok(tick) = set_interval_with_handle(move || now.set(device_now()), std::time::Duration::from_secs(10)) {
        on_cleanup(move || tick.clear());
    }
    let closed = move || window::phase(&c, now.get()) == Phase::Closed;
    let key = records::key(Kind::Consultation, &id);
    let publish = move |_| {
        let base = sync.records.with_untracked(|r| r.get(&key).map(|r| r.rev("published_at")).unwrap_or(0));
        // The server stamps the time; any value asks it to publish.
        let op =
            Op::Edit { key: key.clone(), changes: vec![FieldChange { field: "published_at".into(), value: device_now().into(), base }] };
        spawn_local(async move {
            if let Err(rejected) = sync.mutate(op).await {
                set_error.set(Some(rejected.into()));
            }
        });
    };
    view! {
        <PendingNotice key=records::key(Kind::Consultation, &id)/>
        {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
        {move || closed().then(|| view! {
            <p class="actions">
                <button type="button" class="primary" id="publish-results" on:click=publish.clone()>{t!(i18n, consultation.publish)}</button>
                <span class="hint">{t!(i18n, consultation.publish_hint)}</span>
            </p>
        })}
    }
}
