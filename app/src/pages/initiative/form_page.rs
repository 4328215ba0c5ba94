//! `/initiatives/new` and `/initiatives/:id/edit`: the initiative form. The same domain
//! validation the server runs is run here first, so messages appear before a round trip.
//! Saving queues the change in the outbox and shows the record at once; the server's answer
//! arrives through sync (a refusal lands in the 'not accepted' list).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use rihub_domain::cycle::Cycle;
use rihub_domain::initiative::{InitiativeFields, InitiativeStatus, Level, Priority, Sector, initiative_id};
use rihub_domain::permissions::{self, Action, Scope};
use rihub_domain::region::Region;
use rihub_domain::sync::mutation::Op;
use rihub_domain::sync::record::{Kind, SyncedRecord, fields_of};
use rihub_domain::text::Text;

use crate::api::ApiError;
use crate::components::field_message::FieldMessage;
use crate::components::form_state::{ContentLanguagePicker, FormState, SaveButton, toggle};
use crate::components::local_data::LocalDataGate;
use crate::components::localized_text::reader_lang;
use crate::components::status::{ErrorNotice, forbidden};
use crate::components::text_field::{TextAccess, plain_field, text_field};
use crate::context::use_session;
use crate::i18n::*;
use crate::labels;
use crate::links;
use crate::store::records;
use crate::sync::use_sync;

#[component]
pub fn InitiativeFormPage() -> impl IntoView {
    let params = use_params_map();
    let session = use_session();
    let sync = use_sync();
    let id = params.with_untracked(|p| p.get("id"));
    // Said at once to someone whose role does not allow it, rather than at Save.
    let form = move || {
        let roles = session.roles();
        match id.clone() {
            None if !permissions::allows_somewhere(&roles, Action::CreateInitiative) => forbidden(),
            None => {
                let region = Region::ALL
                    .into_iter()
                    .find(|r| permissions::allows(&roles, Action::CreateInitiative, Scope::Region(*r)))
                    .unwrap_or(Region::Afr);
                view! { <InitiativeForm initial=blank(region) base=None/> }.into_any()
            }
            // The form starts from the record as it is now; later changes by others do not reset
            // what the person is typing (their edit merges field by field when saved).
            Some(id) => {
                let found =
                    sync.records.with_untracked(|r| records::initiative(r, &id).zip(r.get(&records::key(Kind::Initiative, &id)).cloned()));
                match found {
                    Some((initiative, _))
                        if !permissions::allows(&roles, Action::EditInitiative, Scope::Region(initiative.fields.region)) =>
                    {
                        forbidden()
                    }
                    Some((initiative, base)) => {
                        view! { <InitiativeForm initial=initiative.fields base=Some((id.clone(), base))/> }.into_any()
                    }
                    None => view! { <ErrorNotice error=ApiError::NotFound/> }.into_any(),
                }
            }
        }
    };
    view! { <LocalDataGate>{form.clone()}</LocalDataGate> }
}

fn blank(region: Region) -> InitiativeFields {
    InitiativeFields {
        cycle: Cycle::CURRENT,
        code: format!("{}1", region.code()),
        region,
        title: Text::default(),
        objective: Text::default(),
        expected_results: Text::default(),
        priorities: Vec::new(),
        level: Level::Regional,
        sectors: vec![Sector::D],
        status: InitiativeStatus::Draft,
        verified: false,
        continues: None,
        related: Vec::new(),
        merged_into: None,
    }
}

#[component]
fn InitiativeForm(initial: InitiativeFields, base: Option<(String, SyncedRecord)>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sync = use_sync();
    let navigate = use_navigate();
    let fields = RwSignal::new(initial);
    let lang = RwSignal::new(reader_lang(i18n.get_locale_untracked()));
    let state = FormState::new();
    let errors = state.errors;
    let is_new = base.is_none();
    let cancel_href = base.as_ref().map(|(id, _)| links::initiative(id)).unwrap_or_else(|| links::INITIATIVES.into());
    let allowed_regions = move || {
        let roles = session.roles_tracked();
        Region::ALL.into_iter().filter(|r| permissions::allows(&roles, Action::CreateInitiative, Scope::Region(*r))).collect::<Vec<_>>()
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = fields.get_untracked();
        let id = initiative_id(f.cycle, &f.code);
        let key = records::key(Kind::Initiative, &id);
        let op = match &base {
            None => Op::Create { key: key.clone(), fields: fields_of(&f) },
            Some((_, base)) => Op::edit_from(&key, base, &fields_of(&f)),
        };
        if !state.begin(f.validate()) {
            return;
        }
        state.save(sync, op, links::initiative(&id), navigate.clone());
    };
    let t_title = move || t_string!(i18n, initiative.title).to_string();

    view! {
        <h1>{move || if is_new { t_string!(i18n, initiative.create).to_string() } else { t_string!(i18n, initiative.edit).to_string() }}</h1>
        <form class="record-form" on:submit=submit novalidate>
            {move || state.failure.get().map(|e| view! { <ErrorNotice error=e/> })}
            <fieldset class="row">
                <div class="field">
                    <label for="cycle">{t!(i18n, initiative.cycle)}</label>
                    <select id="cycle" disabled=!is_new on:change=move |ev| if let Some(c) = Cycle::from_code(&event_target_value(&ev)) { fields.update(|f| f.cycle = c) }
                        prop:value=move || fields.with(|f| f.cycle.code())>
                        {Cycle::ALL.into_iter().rev().map(|c| view! { <option value=c.code()>{move || labels::conference(i18n.get_locale(), c)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="region">{t!(i18n, initiative.region)}</label>
                    <select id="region" disabled=!is_new on:change=move |ev| if let Some(r) = Region::from_code(&event_target_value(&ev)) { fields.update(|f| f.region = r) }
                        prop:value=move || fields.with(|f| f.region.code())>
                        {move || {
                            let mut regions = allowed_regions();
                            let current = fields.with_untracked(|f| f.region);
                            if !regions.contains(&current) { regions.push(current); }
                            regions.into_iter().map(|r| view! { <option value=r.code()>{labels::region(i18n.get_locale(), r)}</option> }).collect_view()
                        }}
                    </select>
                </div>
                {plain_field(errors, "code", t!(i18n, initiative.code), "text",
                    move || fields.with(|f| f.code.clone()), move |v| if is_new { fields.update(|f| f.code = v.trim().to_uppercase()) },
                    Some(t!(i18n, initiative.code_hint).into_any()))}
            </fieldset>
            <ContentLanguagePicker lang/>
            {text_field(fields, lang, errors, "title", t_title, TextAccess { get: |f: &InitiativeFields| &f.title, get_mut: |f: &mut InitiativeFields| &mut f.title }, false)}
            {text_field(fields, lang, errors, "objective", t!(i18n, initiative.objective), TextAccess { get: |f: &InitiativeFields| &f.objective, get_mut: |f: &mut InitiativeFields| &mut f.objective }, true)}
            {text_field(fields, lang, errors, "expected_results", t!(i18n, initiative.expected_results), TextAccess { get: |f: &InitiativeFields| &f.expected_results, get_mut: |f: &mut InitiativeFields| &mut f.expected_results }, true)}
            <fieldset>
                <legend>{t!(i18n, initiative.priorities)}</legend>
                {Priority::ALL.into_iter().map(|p| view! {
                    <label class="check">
                        <input type="checkbox" prop:checked=move || fields.with(|f| f.priorities.contains(&p))
                            on:change=move |ev| fields.update(|f| toggle(&mut f.priorities, p, event_target_checked(&ev)))/>
                        {move || labels::priority(i18n.get_locale(), p)}
                    </label>
                }).collect_view()}
                <FieldMessage errors field="priorities"/>
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, initiative.sectors)}</legend>
                {Sector::ALL.into_iter().map(|s| view! {
                    <label class="check">
                        <input type="checkbox" prop:checked=move || fields.with(|f| f.sectors.contains(&s))
                            on:change=move |ev| fields.update(|f| toggle(&mut f.sectors, s, event_target_checked(&ev)))/>
                        {move || labels::sector(i18n.get_locale(), s)}
                    </label>
                }).collect_view()}
            </fieldset>
            <fieldset class="row">
                <div class="field">
                    <label for="level">{t!(i18n, initiative.level)}</label>
                    <select id="level" on:change=move |ev| if let Some(l) = Level::ALL.into_iter().find(|l| l.key() == event_target_value(&ev)) { fields.update(|f| f.level = l) }
                        prop:value=move || fields.with(|f| f.level.key())>
                        {Level::ALL.into_iter().map(|l| view! { <option value=l.key()>{move || labels::level(i18n.get_locale(), l)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="status">{t!(i18n, initiative.status)}</label>
                    <select id="status" on:change=move |ev| if let Some(s) = InitiativeStatus::from_key(&event_target_value(&ev)) { fields.update(|f| f.status = s) }
                        prop:value=move || fields.with(|f| f.status.key())>
                        {InitiativeStatus::ALL.into_iter().map(|s| view! { <option value=s.key()>{move || labels::status(i18n.get_locale(), s)}</option> }).collect_view()}
                    </select>
                </div>
            </fieldset>
            {plain_field(errors, "continues", t!(i18n, initiative.continues), "text",
                move || fields.with(|f| f.continues.clone().unwrap_or_default()),
                move |v| fields.update(|f| f.continues = Some(v.trim().to_lowercase()).filter(|v| !v.is_empty())),
                Some(t!(i18n, initiative.continues_hint).into_any()))}
            <label class="check">
                <input type="checkbox" id="verified" prop:checked=move || fields.with(|f| f.verified)
                    on:change=move |ev| fields.update(|f| f.verified = event_target_checked(&ev))/>
                {t!(i18n, initiative.verified)}
            </label>
            <div class="actions">
                <SaveButton state/>
                <a class="button" href=cancel_href>{t!(i18n, common.cancel)}</a>
            </div>
        </form>
    }
}
