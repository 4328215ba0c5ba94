//! `/projects/:id`: one project, with partners, budget and indicators.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use rihub_domain::experience::may_write;
use rihub_domain::initiative::Initiative;
use rihub_domain::permissions::{self, Action, Scope};
use rihub_domain::project::Project;
use rihub_domain::region::Region;
use rihub_domain::sync::record::Kind;

use crate::api::ApiError;
use crate::components::conflicts::ConflictList;
use crate::components::local_data::{LocalDataGate, WholeRecords};
use crate::components::localized_text::LocalizedText;
use crate::components::member_state_name::use_member_state_name;
use crate::components::pending_notice::PendingNotice;
use crate::components::similar::Similar;
use crate::components::status::{Empty, ErrorNotice};
use crate::components::viewers::Viewers;
use crate::context::use_session;
use crate::i18n::*;
use crate::intl;
use crate::labels;
use crate::links;
use crate::store::records;
use crate::sync::use_sync;

#[component]
pub fn ProjectPage() -> impl IntoView {
    let params = use_params_map();
    let sync = use_sync();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let data = Memo::new(move |_| {
        let id = id();
        sync.records.with(|r| {
            let project = records::project(r, &id)?;
            let parent = records::initiative(r, &project.initiative)?;
            Some((project, parent))
        })
    });
    view! {
        <LocalDataGate>
            <WholeRecords keys=Signal::derive(move || vec![records::key(Kind::Project, &id())])>
                {move || match data.get() {
                    None => view! { <ErrorNotice error=ApiError::NotFound/> }.into_any(),
                    Some((project, parent)) => view! { <ProjectView project parent/> }.into_any(),
                }}
            </WholeRecords>
            {move || view! { <Viewers key=records::key(Kind::Project, &id())/> }}
            {move || view! { <Similar key=records::key(Kind::Project, &id())/> }}
        </LocalDataGate>
    }
}

#[component]
fn ProjectView(project: Project, parent: Initiative) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let scope = Scope::Region(parent.fields.region);
    let can_edit = move || session.me.with(|m| m.as_ref().is_some_and(|m| permissions::allows(&m.roles, Action::EditProject, scope)));
    let key = records::key(Kind::Project, &project.id);
    let project_for_reports = project.clone();
    let f = project.fields;
    let status = f.status;
    let parent_href = links::initiative(&parent.id);
    let edit_href = links::edit_project(&project.id);
    let (start, end) = (f.start, f.end);
    let dates = move || {
        let locale = i18n.get_locale();
        let day = move |d: Option<chrono::NaiveDate>| d.map(|d| intl::date(&d.to_string(), locale)).unwrap_or_else(|| "…".into());
        format!("{} – {}", day(start), day(end))
    };
    let budget = f.budget.clone();
    let translate_href = links::translate(&records::key(Kind::Project, &project.id), None);
    let partners = f.partners.clone();
    let no_partners = partners.is_empty();
    let cycle = parent.fields.cycle;
    let state_name = use_member_state_name();
    view! {
        <article class="record">
            <PendingNotice key=key.clone()/>
            <ConflictList key/>
            <p class="card-meta">
                <a href=parent_href.clone()><span dir="ltr">{parent.fields.code.clone()}" "{move || labels::conference(i18n.get_locale(), cycle)}</span></a>
                <span class="badge">{move || labels::project_status(i18n.get_locale(), status)}</span>
            </p>
            <div class="page-head">
                <h1><LocalizedText text=f.title.clone()/></h1>
                <Show when=can_edit>
                    <a class="button" id="edit-project" href=edit_href.clone()>{t!(i18n, common.edit)}</a>
                    <a class="button" id="translate-record" href=translate_href.clone()>{t!(i18n, common.translate)}</a>
                </Show>
            </div>
            <dl class="facts">
                <dt>{t!(i18n, project.summary)}</dt>
                <dd><LocalizedText text=f.summary.clone() fallback="—"/></dd>
                <dt>{t!(i18n, project.countries)}</dt>
                <dd>{let countries = f.countries.clone(); move || countries.iter().map(|c| state_name(c)).collect::<Vec<_>>().join(", ")}</dd>
                <dt>{t!(i18n, project.dates)}</dt>
                <dd>{dates}</dd>
                <dt>{t!(i18n, project.budget)}</dt>
                <dd>{move || budget.as_ref().map(|b| intl::money(b.amount, &b.currency, i18n.get_locale())).unwrap_or_else(|| "—".into())}</dd>
                <dt>{t!(i18n, project.outcomes)}</dt>
                <dd><LocalizedText text=f.outcomes.clone() fallback="—"/></dd>
            </dl>
            <h2>{t!(i18n, project.partners)}</h2>
            {(!partners.is_empty()).then(|| view! {
                <table class="stacks">
                    <thead><tr><th scope="col">{t!(i18n, project.partner_name)}</th><th scope="col">{t!(i18n, project.partner_kind)}</th><th scope="col">{t!(i18n, project.partner_role)}</th></tr></thead>
                    <tbody>
                        {partners.into_iter().map(|p| view! {
                            <tr>
                                <td dir="auto" data-label=move || t_string!(i18n, project.partner_name).to_string()>{p.name.clone()}</td>
                                <td data-label=move || t_string!(i18n, project.partner_kind).to_string()>{move || labels::org_kind(i18n.get_locale(), p.kind)}</td>
                                <td data-label=move || t_string!(i18n, project.partner_role).to_string()>{move || labels::partner_role(i18n.get_locale(), p.role)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {no_partners.then(|| view! { <Empty>{t!(i18n, common.none)}</Empty> })}
            <h2>{t!(i18n, project.indicators)}</h2>
            {(!f.indicators.is_empty()).then(|| view! {
                <table class="stacks">
                    <thead><tr>
                        <th scope="col">{t!(i18n, project.indicator_name)}</th><th scope="col">{t!(i18n, project.baseline)}</th>
                        <th scope="col">{t!(i18n, project.target)}</th><th scope="col">{t!(i18n, project.actual)}</th><th scope="col">{t!(i18n, project.progress)}</th>
                    </tr></thead>
                    <tbody>
                        {f.indicators.clone().into_iter().map(|ind| {
                            let span = ind.target - ind.baseline;
                            let done = ind.actual.map(|a| if span == 0.0 { 1.0 } else { ((a - ind.baseline) / span).clamp(0.0, 1.0) });
                            view! {
                                <tr>
                                    <td data-label=move || t_string!(i18n, project.indicator_name).to_string()><LocalizedText text=ind.name.clone()/>" "<span class="muted">{ind.unit.clone()}</span></td>
                                    <td data-label=move || t_string!(i18n, project.baseline).to_string()>{move || intl::number(ind.baseline, i18n.get_locale())}</td>
                                    <td data-label=move || t_string!(i18n, project.target).to_string()>{move || intl::number(ind.target, i18n.get_locale())}</td>
                                    <td data-label=move || t_string!(i18n, project.actual).to_string()>{move || ind.actual.map(|a| intl::number(a, i18n.get_locale())).unwrap_or_else(|| "—".into())}</td>
                                    <td data-label=move || t_string!(i18n, project.progress).to_string()>{done.map(|d| view! { <progress max="1" value=d.to_string()>{move || intl::percent(d, i18n.get_locale())}</progress> })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {f.indicators.is_empty().then(|| view! { <Empty>{t!(i18n, common.none)}</Empty> })}
            <Experience project=project_for_reports region=parent.fields.region/>
            <p><a href=parent_href>{t!(i18n, common.back)}</a></p>
        </article>
    }
}

/// The project's experience reports, where it came from and where it has been replicated.
#[component]
fn Experience(project: Project, region: Region) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sync = use_sync();
    let id = project.id.clone();
    let roles = move || session.roles_tracked();
    let fields = project.fields.clone();
    // A coordinator writes about the whole project; a delegate about their country's part.
    let may_report = {
        let fields = fields.clone();
        move || {
            let roles = roles();
            may_write(&roles, region, &fields, None) || fields.countries.iter().any(|c| may_write(&roles, region, &fields, Some(c)))
        }
    };
    let reports = {
        let id = id.clone();
        Memo::new(move |_| sync.records.with(|r| records::reports_of(r, &id)))
    };
    let replicas = {
        let id = id.clone();
        Memo::new(move |_| sync.records.with(|r| records::replicas_of(r, &id)))
    };
    let source = fields.replicated_from.clone().map(|src| {
        let title = sync.records.with_untracked(|r| records::project(r, &src)).map(|p| p.fields.title);
        (src, title)
    });
    let recommended = move || reports.with(|list| list.iter().any(|(_, r)| r.is_published() && r.recommended_for_replication));
    let may_replicate = move || {
        let roles = roles();
        recommended()
            && Region::ALL.into_iter().any(|r| r != region && permissions::allows(&roles, Action::CreateProject, Scope::Region(r)))
    };
    let new_report = links::new_report(&id);
    let replicate = links::replicate(&id);
    view! {
        {source.map(|(src, title)| view! {
            <p class="notice" id="replicated-from">{t!(i18n, project.replicated_from)}": "
                <a href=links::project(&src)>{match title {
                    Some(title) => view! { <LocalizedText text=title/> }.into_any(),
                    None => view! { <span dir="ltr">{src.clone()}</span> }.into_any(),
                }}</a>
            </p>
        })}
        <section aria-labelledby="reports-heading">
            <div class="page-head">
                <h2 id="reports-heading">{t!(i18n, report.heading)}</h2>
                <Show when=may_report.clone()><a class="button" id="write-report" href=new_report.clone()>{t!(i18n, report.create)}</a></Show>
                <Show when=may_replicate><a class="button primary" id="replicate" href=replicate.clone()>{t!(i18n, replicate.button)}</a></Show>
            </div>
            {move || match reports.get() {
                list if list.is_empty() => view! { <Empty>{t!(i18n, report.none)}</Empty> }.into_any(),
                list => view! {
                    <ul class="cards" id="report-list">
                        {list.into_iter().map(|(id, r)| view! {
                            <li class="card">
                                <p class="card-meta">
                                    {match r.is_published() {
                                        true => view! { <span class="badge">{t!(i18n, report.published)}</span> }.into_any(),
                                        false => view! { <span class="badge warn">{t!(i18n, report.draft)}</span> }.into_any(),
                                    }}
                                    {r.recommended_for_replication.then(|| view! { <span class="badge good">{t!(i18n, report.recommended)}</span> })}
                                </p>
                                <a href=links::report(&id)><LocalizedText text=r.title.clone()/></a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
        {move || {
            let list = replicas.get();
            (!list.is_empty()).then(|| view! {
                <section aria-labelledby="replicas-heading" id="replicated-in">
                    <h2 id="replicas-heading">{t!(i18n, project.replicated_in)}</h2>
                    <ul>
                        {list.into_iter().map(|p| {
                            let region = sync.records.with_untracked(|r| records::region(r, &records::key(Kind::Project, &p.id)));
                            view! {
                                <li>
                                    <a href=links::project(&p.id)><LocalizedText text=p.fields.title.clone()/></a>
                                    {region.map(|r| view! { " · "<span>{move || labels::region(i18n.get_locale(), r)}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            })
        }}
    }
}
