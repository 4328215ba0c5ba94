//! `/projects/:id/replicate`: starts a draft project in the user's region from a project of
//! another region (objectives, indicators with their targets to set again, partners and their
//! roles, budget), linked to its source.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use rihub_domain::initiative::Initiative;
use rihub_domain::permissions::{self, Action, Scope};
use rihub_domain::project::Project;
use rihub_domain::region::Region;
use rihub_domain::sync::mutation::Op;
use rihub_domain::sync::record::{Kind, fields_of};

use crate::api::ApiError;
use crate::components::form_state::FormState;
use crate::components::local_data::{LocalDataGate, WholeRecords};
use crate::components::localized_text::{LocalizedText, reader_lang};
use crate::components::status::{Empty, ErrorNotice, forbidden};
use crate::context::use_session;
use crate::i18n::*;
use crate::labels;
use crate::links;
use crate::store::records;
use crate::sync::use_sync;

#[component]
pub fn ReplicatePage() -> impl IntoView {
    let params = use_params_map();
    let sync = use_sync();
    let session = use_session();
    let id = params.with_untracked(|p| p.get("id")).unwrap_or_default();
    let keys = vec![records::key(Kind::Project, &id)];
    let page = move || {
        let found = sync.records.with_untracked(|r| {
            let source = records::project(r, &id)?;
            let source_region = records::initiative(r, &source.initiative)?.fields.region;
            let roles = session.roles();
            // Newest cycle first: the initiatives a replica most likely belongs under.
            let targets: Vec<Initiative> = records::initiatives(r)
                .into_iter()
                .filter(|i| i.fields.region != source_region && i.fields.merged_into.is_none())
                .filter(|i| permissions::allows(&roles, Action::CreateProject, Scope::Region(i.fields.region)))
                .collect();
            // Said at once to someone who may create projects in no other region.
            let may =
                Region::ALL.into_iter().any(|r| r != source_region && permissions::allows(&roles, Action::CreateProject, Scope::Region(r)));
            Some((source, targets, may))
        });
        match found {
            Some((_, _, false)) => forbidden(),
            Some((source, targets, true)) => view! { <ReplicateForm source targets/> }.into_any(),
            None => view! { <ErrorNotice error=ApiError::NotFound/> }.into_any(),
        }
    };
    let (keys, page) = (Signal::stored(keys), StoredValue::new(page));
    view! { <LocalDataGate><WholeRecords keys>{move || page.with_value(|page| page())}</WholeRecords></LocalDataGate> }
}

#[component]
fn ReplicateForm(source: Project, targets: Vec<Initiative>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let navigate = use_navigate();
    let state = FormState::new();
    let chosen = RwSignal::new(targets.first().map(|i| i.id.clone()).unwrap_or_default());
    let back = links::project(&source.id);
    let title = source.fields.title.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let copy = source.fields.replicate(&source.id);
        if chosen.get_untracked().is_empty() || !state.begin(copy.validate()) {
            return;
        }
        let id = records::random_id();
        let mut fields = fields_of(&copy);
        fields.insert("initiative".into(), chosen.get_untracked().into());
        let op = Op::Create { key: records::key(Kind::Project, &id), fields };
        state.save(sync, op, links::project(&id), navigate.clone());
    };
    view! {
        <h1>{t!(i18n, replicate.title)}</h1>
        <p><LocalizedText text=title/></p>
        <p class="muted">{t!(i18n, replicate.intro)}</p>
        {if targets.is_empty() {
            view! { <Empty>{t!(i18n, replicate.no_initiative)}</Empty> <p><a href=back>{t!(i18n, common.back)}</a></p> }.into_any()
        } else {
            view! {
                <form class="record-form" on:submit=submit>
                    {move || state.failure.get().map(|e| view! { <ErrorNotice error=e/> })}
                    <div class="field">
                        <label for="replicate-initiative">{t!(i18n, replicate.initiative)}</label>
                        <select id="replicate-initiative" prop:value=move || chosen.get() on:change=move |ev| chosen.set(event_target_value(&ev))>
                            {targets.into_iter().map(|i| {
                                let title = i.fields.title.best(reader_lang(i18n.get_locale_untracked())).map(|(_, t)| t).unwrap_or_default();
                                let label = format!("{} {} – {title}", i.fields.code, labels::conference(i18n.get_locale_untracked(), i.fields.cycle));
                                view! { <option value=i.id.clone()>{label}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="actions">
                        <button type="submit" class="primary" id="replicate-create" disabled=move || state.pending.get()>{t!(i18n, replicate.create)}</button>
                        <a class="button" href=back>{t!(i18n, common.cancel)}</a>
                    </div>
                </form>
            }.into_any()
        }}
    }
}
