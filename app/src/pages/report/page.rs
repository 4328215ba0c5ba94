//! `/reports/:id`: an experience report: what a project did and learned, its results against
//! the project's indicators, and similar records of other regions. Its writers edit, translate
//! and publish it here.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use rihub_domain::experience::{ReportFields, may_write};
use rihub_domain::initiative::Initiative;
use rihub_domain::project::Project;
use rihub_domain::sync::mutation::Op;
use rihub_domain::sync::record::Kind;
use rihub_domain::text::Text;

use crate::api::ApiError;
use crate::components::conflicts::ConflictList;
use crate::components::local_data::{LocalDataGate, WholeRecords};
use crate::components::localized_text::LocalizedText;
use crate::components::member_state_name::use_member_state_name;
use crate::components::pending_notice::PendingNotice;
use crate::components::similar::Similar;
use crate::components::status::ErrorNotice;
use crate::context::use_session;
use crate::i18n::*;
use crate::intl;
use crate::labels;
use crate::links;
use crate::store::records;
use crate::sync::use_sync;

#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let sync = use_sync();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let data = Memo::new(move |_| {
        let id = id();
        sync.records.with(|r| {
            let report = records::report(r, &id)?;
            let project = records::project(r, &report.project)?;
            let initiative = records::initiative(r, &project.initiative)?;
            Some((id, report, project, initiative))
        })
    });
    view! {
        <LocalDataGate>
            <WholeRecords keys=Memo::new(move |_| sync.records.with(|r| records::report_and_project(r, &id())))>
                {move || match data.get() {
                    None => view! { <ErrorNotice error=ApiError::NotFound/> }.into_any(),
                    Some((id, report, project, initiative)) => view! { <ReportView id report project initiative/> }.into_any(),
                }}
            </WholeRecords>
            {move || view! { <Similar key=records::key(Kind::Report, &id())/> }}
        </LocalDataGate>
    }
}

#[component]
fn ReportView(id: String, report: ReportFields, project: Project, initiative: Initiative) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sync = use_sync();
    let region = initiative.fields.region;
    let may_edit = {
        let (project, state) = (project.fields.clone(), report.member_state.clone());
        move || session.me.with(|m| m.as_ref().is_some_and(|m| may_write(&m.roles, region, &project, state.as_deref())))
    };
    let key = records::key(Kind::Report, &id);
    let failure = RwSignal::new(None::<ApiError>);
    let publish = {
        let key = key.clone();
        move |_| {
            let Some(base) = sync.records.with_untracked(|r| r.get(&key).cloned()) else { return };
            // Only "publish" is sent, from the record as it is now; the server stamps its own time.
            let mut fields = base.fields.clone();
            fields.insert("published_at".into(), ((js_sys::Date::now() / 1000.0) as i64).into());
            let op = Op::edit_from(&key, &base, &fields);
            spawn_local(async move {
                if let Err(rejected) = sync.mutate(op).await {
                    failure.set(Some(rejected.into()));
                }
            });
        }
    };
    let published_at = report.published_at;
    let sections: Vec<(&'static str, Text)> = vec![
        ("context", report.context.clone()),
        ("what_was_done", report.what_was_done.clone()),
        ("what_worked", report.what_worked.clone()),
        ("what_did_not", report.what_did_not.clone()),
        ("lessons", report.lessons.clone()),
        ("in_kind_used", report.in_kind_used.clone()),
    ];
    let indicators = project.fields.indicators.clone();
    let results = report.results.clone();
    let money = report.money_used.clone();
    view! {
        <article class="record report">
            <PendingNotice key=key.clone()/>
            <ConflictList key=key.clone()/>
            <p class="card-meta">
                <span class="badge">{t!(i18n, report.kind)}</span>
                <span>{move || labels::region(i18n.get_locale(), region)}</span>
                {match published_at {
                    Some(at) => view! { <span class="badge">{t!(i18n, report.published)}" "{move || intl::local_time(at as f64 * 1000.0, i18n.get_locale())}</span> }.into_any(),
                    None => view! { <span class="badge warn">{t!(i18n, report.draft)}</span> }.into_any(),
                }}
                {report.recommended_for_replication.then(|| view! { <span class="badge good">{t!(i18n, report.recommended)}</span> })}
            </p>
            <div class="page-head">
                <h1><LocalizedText text=report.title.clone()/></h1>
                <Show when=may_edit.clone()>
                    <a class="button" id="edit-report" href=links::edit_report(&id)>{t!(i18n, report.edit)}</a>
                    <a class="button" href=links::translate(&records::key(Kind::Report, &id), None)>{t!(i18n, common.translate)}</a>
                </Show>
            </div>
            {published_at.is_none().then(|| view! { <p class="notice">{t!(i18n, report.draft_notice)}</p> })}
            {move || failure.get().map(|e| view! { <ErrorNotice error=e/> })}
            <Show when=move || may_edit() && published_at.is_none()>
                <p class="actions">
                    <button type="button" class="primary" id="publish-report" on:click=publish.clone()>{t!(i18n, report.publish)}</button>
                    <span class="hint">{t!(i18n, report.publish_hint)}</span>
                </p>
            </Show>
            <dl class="facts">
                <dt>{t!(i18n, report.on_project)}</dt>
                <dd><a href=links::project(&project.id)><LocalizedText text=project.fields.title.clone()/></a></dd>
                {report.member_state.clone().map(|state| view! {
                    <dt>{t!(i18n, report.state_part)}</dt>
                    <dd>{let state_name = use_member_state_name(); move || state_name(&state)}</dd>
                })}
                {sections.into_iter().filter(|(_, text)| !text.is_empty()).map(|(field, text)| view! {
                    <dt>{move || labels::text_field(i18n.get_locale(), Kind::Report, field)}</dt>
                    <dd class="long-text"><LocalizedText text/></dd>
                }).collect_view()}
                {(!report.stakeholders.is_empty()).then(|| view! {
                    <dt>{t!(i18n, report.stakeholders)}</dt>
                    <dd dir="auto">{report.stakeholders.join(", ")}</dd>
                })}
                {(!money.is_empty()).then(|| view! {
                    <dt>{t!(i18n, report.money_used)}</dt>
                    <dd>{move || money.iter().map(|m| intl::money(m.amount, &m.currency, i18n.get_locale())).collect::<Vec<_>>().join(" · ")}</dd>
                })}
            </dl>
            {(!results.is_empty()).then(|| view! {
                <h2>{t!(i18n, report.results)}</h2>
                <table class="stacks">
                    <thead><tr><th scope="col">{t!(i18n, project.indicator_name)}</th><th scope="col">{t!(i18n, project.target)}</th><th scope="col">{t!(i18n, report.achieved)}</th></tr></thead>
                    <tbody>
                        {results.into_iter().filter_map(|r| indicators.get(r.indicator).cloned().map(|ind| (r, ind))).map(|(r, ind)| view! {
                            <tr>
                                <td data-label=move || t_string!(i18n, project.indicator_name).to_string()><LocalizedText text=ind.name.clone()/>" "<span class="muted">{ind.unit.clone()}</span></td>
                                <td data-label=move || t_string!(i18n, project.target).to_string()>{move || intl::number(ind.target, i18n.get_locale())}</td>
                                <td data-label=move || t_string!(i18n, report.achieved).to_string()>{move || intl::number(r.achieved, i18n.get_locale())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </article>
    }
}
