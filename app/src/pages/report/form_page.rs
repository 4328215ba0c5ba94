//! `/projects/:id/reports/new` and `/reports/:id/edit`: writing an experience report. Every save
//! is a synced edit, so a draft written offline waits in the outbox like any other.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};
use rihub_domain::experience::{IndicatorResult, ReportFields, may_write};
use rihub_domain::project::{Money, Project};
use rihub_domain::role::Role;
use rihub_domain::sync::mutation::Op;
use rihub_domain::sync::record::{Kind, SyncedRecord, fields_of};
use rihub_domain::text::Text;

use crate::api::ApiError;
use crate::components::form_state::{ContentLanguagePicker, FormState, SaveButton, parse_number};
use crate::components::local_data::{LocalDataGate, WholeRecords};
use crate::components::localized_text::{LocalizedText, reader_lang};
use crate::components::status::{ErrorNotice, forbidden};
use crate::components::text_field::{TextAccess, plain_field, text_field};
use crate::context::use_session;
use crate::i18n::*;
use crate::links;
use crate::store::records;
use crate::sync::use_sync;

#[component]
pub fn ReportFormPage() -> impl IntoView {
    let params = use_params_map();
    let sync = use_sync();
    let session = use_session();
    let id = params.with_untracked(|p| p.get("id")).unwrap_or_default();
    let is_edit = use_location().pathname.get_untracked().starts_with("/reports/");
    // Editing a report: it and its project; a new one: the project it is on.
    let keys = {
        let id = id.clone();
        Memo::new(move |_| match is_edit {
            true => sync.records.with(|r| records::report_and_project(r, &id)),
            false => vec![records::key(Kind::Project, &id)],
        })
    };
    let roles = move || session.roles();
    let form = move || {
        let roles = roles();
        let found = sync.records.with_untracked(|r| {
            let (project, initial, base) = match is_edit {
                true => {
                    let report = records::report(r, &id)?;
                    let base = r.get(&records::key(Kind::Report, &id)).cloned()?;
                    (records::project(r, &report.project)?, report, Some((id.clone(), base)))
                }
                false => {
                    let project = records::project(r, &id)?;
                    // A delegate writes about their own country's part; a coordinator about the whole.
                    let whole = roles.iter().any(|r| matches!(r, Role::Admin | Role::Coordinator { .. }));
                    let state = roles.iter().find_map(|r| match r {
                        Role::Delegate { member_state } => Some(member_state.clone()),
                        _ => None,
                    });
                    let own_state = state.filter(|_| !whole);
                    (project.clone(), blank(&project, own_state), None)
                }
            };
            let region = records::region(r, &records::key(Kind::Project, &project.id));
            // Said at once to someone who may not write it, rather than at Save.
            let allowed = region.is_some_and(|region| may_write(&roles, region, &project.fields, initial.member_state.as_deref()));
            Some((project, initial, base, allowed))
        });
        match found {
            Some((_, _, _, false)) => forbidden(),
            Some((project, initial, base, true)) => view! { <ReportForm project initial base/> }.into_any(),
            None => view! { <ErrorNotice error=ApiError::NotFound/> }.into_any(),
        }
    };
    let form = StoredValue::new(form);
    view! { <LocalDataGate><WholeRecords keys>{move || form.with_value(|form| form())}</WholeRecords></LocalDataGate> }
}

fn blank(project: &Project, member_state: Option<String>) -> ReportFields {
    ReportFields {
        project: project.id.clone(),
        member_state,
        title: Text::default(),
        context: Text::default(),
        what_was_done: Text::default(),
        results: Vec::new(),
        what_worked: Text::default(),
        what_did_not: Text::default(),
        lessons: Text::default(),
        stakeholders: Vec::new(),
        money_used: Vec::new(),
        in_kind_used: Text::default(),
        recommended_for_replication: false,
        published_at: None,
    }
}

#[component]
fn ReportForm(project: Project, initial: ReportFields, base: Option<(String, SyncedRecord)>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let navigate = use_navigate();
    let fields = RwSignal::new(initial);
    let lang = RwSignal::new(reader_lang(i18n.get_locale_untracked()));
    let state = FormState::new();
    let errors = state.errors;
    let is_new = base.is_none();
    let id = base.as_ref().map(|(id, _)| id.clone());
    // Typed as typed (see the project form): parsed only into the record.
    let stakeholders_text = RwSignal::new(fields.with_untracked(|f| f.stakeholders.join("\n")));
    let money = fields.with_untracked(|f| f.money_used.first().cloned());
    let amount_text = RwSignal::new(money.as_ref().map(|m| m.amount.to_string()).unwrap_or_default());
    let currency_text = RwSignal::new(money.map(|m| m.currency).unwrap_or_else(|| "USD".into()));
    let set_money = move || {
        let amount = amount_text.get_untracked().trim().parse::<i64>().ok();
        let currency = currency_text.get_untracked().trim().to_uppercase();
        fields.update(|f| f.money_used = amount.map(|amount| Money { amount, currency }).into_iter().collect());
    };
    let cancel_href = id.as_ref().map(|id| links::report(id)).unwrap_or_else(|| links::project(&project.id));
    let project_fields = project.fields.clone();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = fields.get_untracked();
        if !state.begin(f.validate(&project_fields)) {
            return;
        }
        let id = id.clone().unwrap_or_else(records::random_id);
        let key = records::key(Kind::Report, &id);
        let all = fields_of(&f);
        let op = match &base {
            None => Op::Create { key, fields: all },
            Some((_, base)) => Op::edit_from(&key, base, &all),
        };
        state.save(sync, op, links::report(&id), navigate.clone());
    };

    let access = |get: fn(&ReportFields) -> &Text, get_mut: fn(&mut ReportFields) -> &mut Text| TextAccess { get, get_mut };
    let text = move |name: &'static str, multiline: bool, access: TextAccess<ReportFields>| {
        text_field(fields, lang, errors, name, move || crate::labels::text_field(i18n.get_locale(), Kind::Report, name), access, multiline)
    };
    let indicators = project.fields.indicators.clone();
    view! {
        <h1>{move || if is_new { t_string!(i18n, report.create).to_string() } else { t_string!(i18n, report.edit).to_string() }}</h1>
        <p class="muted">{t!(i18n, report.on_project)}": "<LocalizedText text=project.fields.title.clone()/></p>
        <form class="record-form" on:submit=submit novalidate>
            {move || state.failure.get().map(|e| view! { <ErrorNotice error=e/> })}
            <ContentLanguagePicker lang/>
            {text("title", false, access(|f| &f.title, |f| &mut f.title))}
            {text("context", true, access(|f| &f.context, |f| &mut f.context))}
            {text("what_was_done", true, access(|f| &f.what_was_done, |f| &mut f.what_was_done))}
            {(!indicators.is_empty()).then(|| view! {
                <fieldset>
                    <legend>{t!(i18n, report.results)}</legend>
                    {indicators.into_iter().enumerate().map(|(i, ind)| {
                        let input_id = format!("result-{i}");
                        let achieved = move || fields.with(|f| f.results.iter().find(|r| r.indicator == i).map(|r| r.achieved.to_string()).unwrap_or_default());
                        let set = move |v: String| fields.update(|f| {
                            f.results.retain(|r| r.indicator != i);
                            if let Some(achieved) = parse_number(&v) {
                                f.results.push(IndicatorResult { indicator: i, achieved, note: Text::default() });
                                f.results.sort_by_key(|r| r.indicator);
                            }
                        });
                        view! {
                            <div class="field">
                                <label for=input_id.clone()><LocalizedText text=ind.name.clone()/>" ("{t!(i18n, project.target)}": "{ind.target}")"</label>
                                <input id=input_id type="text" inputmode="decimal" prop:value=achieved on:input=move |ev| set(event_target_value(&ev))/>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
            })}
            {text("what_worked", true, access(|f| &f.what_worked, |f| &mut f.what_worked))}
            {text("what_did_not", true, access(|f| &f.what_did_not, |f| &mut f.what_did_not))}
            {text("lessons", true, access(|f| &f.lessons, |f| &mut f.lessons))}
            <div class="field">
                <label for="stakeholders">{t!(i18n, report.stakeholders)}</label>
                <textarea id="stakeholders" rows="3" dir="auto" aria-describedby="stakeholders-hint" prop:value=move || stakeholders_text.get()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        fields.update(|f| f.stakeholders = v.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect());
                        stakeholders_text.set(v);
                    }></textarea>
                <span class="hint" id="stakeholders-hint">{t!(i18n, report.stakeholders_hint)}</span>
            </div>
            <fieldset class="row">
                <legend>{t!(i18n, report.money_used)}</legend>
                {plain_field(errors, "money_used.0.amount", t!(i18n, project.amount), "number", move || amount_text.get(),
                    move |v| { amount_text.set(v); set_money(); }, None)}
                {plain_field(errors, "money_used.0.currency", t!(i18n, project.currency), "text", move || currency_text.get(),
                    move |v| { currency_text.set(v); set_money(); }, None)}
            </fieldset>
            {text("in_kind_used", true, access(|f| &f.in_kind_used, |f| &mut f.in_kind_used))}
            <label class="check">
                <input id="recommended" type="checkbox" prop:checked=move || fields.with(|f| f.recommended_for_replication)
                    on:change=move |ev| fields.update(|f| f.recommended_for_replication = event_target_checked(&ev))/>
                {t!(i18n, report.recommended)}
            </label>
            <div class="actions">
                <SaveButton state/>
                <a class="button" href=cancel_href>{t!(i18n, common.cancel)}</a>
            </div>
        </form>
    }
}
