//! `/initiatives/:id`: one initiative with its projects.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use rihub_domain::api::InitiativeDetail;
use rihub_domain::permissions::{self, Action, Scope};
use rihub_domain::project::Project;
use rihub_domain::sync::record::Kind;

use crate::api::ApiError;
use crate::components::conflicts::ConflictList;
use crate::components::local_data::LocalDataGate;
use crate::components::localized_text::LocalizedText;
use crate::components::pending_notice::PendingNotice;
use crate::components::similar::Similar;
use crate::components::status::{Empty, ErrorNotice};
use crate::components::viewers::Viewers;
use crate::components::windowed_list::windowed_list;
use crate::context::use_session;
use crate::i18n::*;
use crate::labels;
use crate::links;
use crate::store::records;
use crate::sync::use_sync;

#[component]
pub fn InitiativePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let sync = use_sync();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let detail = Memo::new(move |_| {
        let id = id();
        sync.records.with(|r| {
            let initiative = records::initiative(r, &id)?;
            // Links go both ways: those this one names, and those that name it.
            let mut related = initiative.fields.related.clone();
            for other in records::initiatives(r) {
                if (other.fields.related.contains(&id) || other.fields.merged_into.as_ref() == Some(&id)) && !related.contains(&other.id) {
                    related.push(other.id);
                }
            }
            Some((InitiativeDetail { projects: records::projects_of(r, &id), initiative }, related))
        })
    });
    view! {
        <LocalDataGate>
            {move || match detail.get() {
                None => view! { <ErrorNotice error=ApiError::NotFound/> }.into_any(),
                Some((detail, related)) => view! { <InitiativeView detail related/> }.into_any(),
            }}
            // Outside the record's view, which re-renders on every change: presence stays put.
            {move || view! { <Viewers key=records::key(Kind::Initiative, &id())/> }}
            {move || view! { <Similar key=records::key(Kind::Initiative, &id())/> }}
        </LocalDataGate>
        <p><a href=links::INITIATIVES>{t!(i18n, common.back)}</a></p>
    }
}

#[component]
fn InitiativeView(detail: InitiativeDetail, related: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let i = detail.initiative;
    let f = i.fields.clone();
    let key = records::key(Kind::Initiative, &i.id);
    let scope = Scope::Region(f.region);
    let can = move |action| session.me.with(|m| m.as_ref().is_some_and(|m| permissions::allows(&m.roles, action, scope)));
    let (start, end) = f.cycle.period();
    let region = f.region;
    let cycle = f.cycle;
    let status = f.status;
    let level = f.level;
    let priorities = f.priorities.clone();
    let sectors = f.sectors.clone();
    let edit_href = links::edit_initiative(&i.id);
    let new_project_href = links::new_project(&i.id);
    let translate_href = links::translate(&records::key(Kind::Initiative, &i.id), None);
    view! {
        <article class="record">
            <PendingNotice key=key.clone()/>
            <ConflictList key/>
            <div class="card-meta">
                <span class="code" dir="ltr">{f.code.clone()}</span>
                <span>{move || labels::conference(i18n.get_locale(), cycle)}</span>
                <span>{move || labels::region(i18n.get_locale(), region)}</span>
                <span class="badge">{move || labels::status(i18n.get_locale(), status)}</span>
                {(!f.verified).then(|| view! { <span class="badge warn">{t!(i18n, initiatives.unverified)}</span> })}
            </div>
            <div class="page-head">
                <h1 id="initiative-title"><LocalizedText text=f.title.clone()/></h1>
                <Show when=move || can(Action::EditInitiative)>
                    <a class="button" id="edit-initiative" href=edit_href.clone()>{t!(i18n, common.edit)}</a>
                    <a class="button" id="translate-record" href=translate_href.clone()>{t!(i18n, common.translate)}</a>
                </Show>
            </div>
            <dl class="facts">
                <dt>{t!(i18n, initiative.objective)}</dt>
                <dd><LocalizedText text=f.objective.clone() fallback="—"/></dd>
                <dt>{t!(i18n, initiative.expected_results)}</dt>
                <dd><LocalizedText text=f.expected_results.clone() fallback="—"/></dd>
                <dt>{t!(i18n, initiative.action_plan)}</dt>
                <dd>{move || labels::action_plan(i18n.get_locale(), cycle)}" ("{move || labels::conference(i18n.get_locale(), cycle)}")"</dd>
                <dt>{t!(i18n, initiative.period)}</dt>
                // The years run left to right; the value stays beside its label on a right-to-left page.
                <dd><bdi dir="ltr">{format!("{start}–{end}")}</bdi></dd>
                <dt>{t!(i18n, initiative.office)}</dt>
                <dd>{move || labels::office(i18n.get_locale(), region)}</dd>
                <dt>{t!(i18n, initiative.level)}</dt>
                <dd>{move || labels::level(i18n.get_locale(), level)}</dd>
                <dt>{t!(i18n, initiative.priorities)}</dt>
                <dd>{move || priorities.iter().map(|p| labels::priority(i18n.get_locale(), *p)).collect::<Vec<_>>().join(" · ")}</dd>
                <dt>{t!(i18n, initiative.sectors)}</dt>
                <dd>{move || sectors.iter().map(|s| labels::sector(i18n.get_locale(), *s)).collect::<Vec<_>>().join(" · ")}</dd>
                {f.merged_into.clone().map(|m| view! {
                    <dt>{t!(i18n, initiative.merged_into)}</dt>
                    <dd id="merged-into"><a href=links::initiative(&m) dir="ltr">{m.clone()}</a></dd>
                })}
                {(!related.is_empty()).then(|| view! {
                    <dt>{t!(i18n, initiative.related)}</dt>
                    <dd id="related">{related.iter().map(|r| view! { <a href=links::initiative(r) dir="ltr">{r.clone()}</a>" " }).collect_view()}</dd>
                })}
                {f.continues.clone().map(|c| view! {
                    <dt>{t!(i18n, initiative.continues)}</dt>
                    <dd><a href=links::initiative(&c) dir="ltr">{c.clone()}</a></dd>
                })}
            </dl>
            <section aria-labelledby="projects-heading">
                <div class="page-head">
                    <h2 id="projects-heading">{t!(i18n, initiative.projects)}</h2>
                    <Show when=move || can(Action::CreateProject)>
                        <a class="button" href=new_project_href.clone()>{t!(i18n, initiative.new_project)}</a>
                    </Show>
                </div>
                {if detail.projects.is_empty() {
                    view! { <Empty>{t!(i18n, initiative.no_projects)}</Empty> }.into_any()
                } else {
                    let count = detail.projects.len();
                    let shown = move || crate::intl::number(count as f64, i18n.get_locale());
                    view! {
                        <p class="muted" id="initiative-project-count" data-count=count>{t!(i18n, initiatives.projects, count = shown)}</p>
                        {windowed_list(detail.projects, "cards", |p| view! { <ProjectCard project=p/> })}
                    }
                    .into_any()
                }}
            </section>
        </article>
    }
}

#[component]
fn ProjectCard(project: Project) -> impl IntoView {
    let i18n = use_i18n();
    let status = project.fields.status;
    let countries = project.fields.countries.join(", ");
    view! {
        <li class="card">
            <div class="card-meta">
                <span class="badge">{move || labels::project_status(i18n.get_locale(), status)}</span>
                <span dir="ltr">{countries}</span>
            </div>
            <h3><a href=links::project(&project.id)><LocalizedText text=project.fields.title/></a></h3>
        </li>
    }
}
