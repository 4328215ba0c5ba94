//! `/initiatives/:id/projects/new` and `/projects/:id/edit`: the project form.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};
use rihub_domain::lang::Lang;
use rihub_domain::organization::OrgKind;
use rihub_domain::permissions::{self, Action, Scope};
use rihub_domain::project::{Indicator, Money, Partner, PartnerRole, ProjectFields, ProjectStatus};
use rihub_domain::region::Region;
use rihub_domain::sync::mutation::Op;
use rihub_domain::sync::record::{Kind, SyncedRecord, fields_of};
use rihub_domain::text::Text;
use rihub_domain::validation::FieldError;

use crate::api::ApiError;
use crate::components::field_message::FieldMessage;
use crate::components::form_state::{ContentLanguagePicker, FormState, SaveButton, parse_number};
use crate::components::local_data::{LocalDataGate, WholeRecords};
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
pub fn ProjectFormPage() -> impl IntoView {
    let params = use_params_map();
    let sync = use_sync();
    let session = use_session();
    let id = params.with_untracked(|p| p.get("id"));
    let is_edit = use_location().pathname.get_untracked().starts_with("/projects/");
    let keys = id.iter().filter(|_| is_edit).map(|id| records::key(Kind::Project, id)).collect::<Vec<_>>();
    // Said at once to someone whose role does not allow it, rather than at Save.
    let may = move |action, region: Option<Region>| {
        session
            .me
            .with_untracked(|m| m.as_ref().is_some_and(|m| region.is_some_and(|r| permissions::allows(&m.roles, action, Scope::Region(r)))))
    };
    let form = move || match (id.clone(), is_edit) {
        // The form starts from the record as it is now; its save merges field by field.
        (Some(id), true) => {
            let found = sync.records.with_untracked(|r| {
                let project = records::project(r, &id)?;
                Some((project, r.get(&records::key(Kind::Project, &id)).cloned()?, records::region(r, &records::key(Kind::Project, &id))))
            });
            match found {
                Some((_, _, region)) if !may(Action::EditProject, region) => forbidden(),
                Some((p, base, _)) => {
                    view! { <ProjectForm initiative=p.initiative.clone() initial=p.fields.clone() base=Some((id.clone(), base))/> }
                        .into_any()
                }
                None => view! { <ErrorNotice error=ApiError::NotFound/> }.into_any(),
            }
        }
        (initiative, _) => {
            let initiative = initiative.unwrap_or_default();
            match sync.records.with_untracked(|r| records::region(r, &records::key(Kind::Initiative, &initiative))) {
                None => view! { <ErrorNotice error=ApiError::NotFound/> }.into_any(),
                Some(region) if !may(Action::CreateProject, Some(region)) => forbidden(),
                Some(_) => view! { <ProjectForm initiative initial=blank() base=None/> }.into_any(),
            }
        }
    };
    let (keys, form) = (Signal::stored(keys), StoredValue::new(form));
    view! { <LocalDataGate><WholeRecords keys>{move || form.with_value(|form| form())}</WholeRecords></LocalDataGate> }
}

fn blank() -> ProjectFields {
    ProjectFields {
        title: Text::default(),
        summary: Text::default(),
        countries: Vec::new(),
        partners: Vec::new(),
        status: ProjectStatus::Planned,
        start: None,
        end: None,
        budget: None,
        indicators: Vec::new(),
        outcomes: Text::default(),
        replicated_from: None,
    }
}

#[component]
fn ProjectForm(initiative: String, initial: ProjectFields, base: Option<(String, SyncedRecord)>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let navigate = use_navigate();
    let fields = RwSignal::new(initial);
    let lang = RwSignal::new(reader_lang(i18n.get_locale_untracked()));
    let state = FormState::new();
    let errors = state.errors;
    let is_new = base.is_none();
    let id = base.as_ref().map(|(id, _)| id.clone());
    // What the person typed, kept as typed: parsing on every keystroke and writing the parsed
    // value back would eat a trailing comma, a minus sign or a currency typed before the amount.
    let countries_text = RwSignal::new(fields.with_untracked(|f| f.countries.join(", ")));
    let amount_text = RwSignal::new(fields.with_untracked(|f| f.budget.as_ref().map(|b| b.amount.to_string()).unwrap_or_default()));
    let currency_text =
        RwSignal::new(fields.with_untracked(|f| f.budget.as_ref().map(|b| b.currency.clone()).unwrap_or_else(|| "USD".into())));
    let set_budget = move || {
        let amount = amount_text.get_untracked().trim().parse::<i64>().ok();
        let currency = currency_text.get_untracked().trim().to_uppercase();
        fields.update(|f| f.budget = amount.map(|amount| Money { amount, currency }));
    };
    let cancel_href = id.as_ref().map(|id| links::project(id)).unwrap_or_else(|| links::initiative(&initiative));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = fields.get_untracked();
        if !state.begin(f.validate()) {
            return;
        }
        let id = id.clone().unwrap_or_else(records::random_id);
        let key = records::key(Kind::Project, &id);
        let mut all = fields_of(&f);
        all.insert("initiative".into(), initiative.clone().into());
        let op = match &base {
            None => Op::Create { key, fields: all },
            Some((_, base)) => Op::edit_from(&key, base, &all),
        };
        state.save(sync, op, links::project(&id), navigate.clone());
    };

    let t_title = move || t_string!(i18n, project.title).to_string();
    view! {
        <h1>{move || if is_new { t_string!(i18n, project.create).to_string() } else { t_string!(i18n, project.edit).to_string() }}</h1>
        <form class="record-form" on:submit=submit novalidate>
            {move || state.failure.get().map(|e| view! { <ErrorNotice error=e/> })}
            <ContentLanguagePicker lang/>
            {text_field(fields, lang, errors, "title", t_title, TextAccess { get: |f: &ProjectFields| &f.title, get_mut: |f: &mut ProjectFields| &mut f.title }, false)}
            {text_field(fields, lang, errors, "summary", t!(i18n, project.summary), TextAccess { get: |f: &ProjectFields| &f.summary, get_mut: |f: &mut ProjectFields| &mut f.summary }, true)}
            {plain_field(errors, "countries", t!(i18n, project.countries), "text",
                move || countries_text.get(),
                move |v| {
                    fields.update(|f| f.countries = v.split([',', ' ']).map(|c| c.trim().to_uppercase()).filter(|c| !c.is_empty()).collect());
                    countries_text.set(v);
                },
                Some(t!(i18n, project.countries_hint).into_any()))}
            <fieldset class="row">
                <div class="field">
                    <label for="status">{t!(i18n, project.status)}</label>
                    <select id="status" on:change=move |ev| if let Some(s) = ProjectStatus::from_key(&event_target_value(&ev)) { fields.update(|f| f.status = s) }
                        prop:value=move || fields.with(|f| f.status.key())>
                        {ProjectStatus::ALL.into_iter().map(|s| view! { <option value=s.key()>{move || labels::project_status(i18n.get_locale(), s)}</option> }).collect_view()}
                    </select>
                </div>
                {plain_field(errors, "start", t!(i18n, project.start), "date",
                    move || fields.with(|f| f.start.map(|d| d.to_string()).unwrap_or_default()),
                    move |v| fields.update(|f| f.start = v.parse().ok()), None)}
                {plain_field(errors, "end", t!(i18n, project.end), "date",
                    move || fields.with(|f| f.end.map(|d| d.to_string()).unwrap_or_default()),
                    move |v| fields.update(|f| f.end = v.parse().ok()), None)}
            </fieldset>
            <fieldset class="row">
                <legend>{t!(i18n, project.budget)}</legend>
                {plain_field(errors, "budget.amount", t!(i18n, project.amount), "number",
                    move || amount_text.get(),
                    move |v| {
                        amount_text.set(v);
                        set_budget();
                    }, None)}
                {plain_field(errors, "budget.currency", t!(i18n, project.currency), "text",
                    move || currency_text.get(),
                    move |v| {
                        currency_text.set(v);
                        set_budget();
                    }, None)}
            </fieldset>
            <PartnersEditor fields errors/>
            <IndicatorsEditor fields errors lang/>
            {text_field(fields, lang, errors, "outcomes", t!(i18n, project.outcomes), TextAccess { get: |f: &ProjectFields| &f.outcomes, get_mut: |f: &mut ProjectFields| &mut f.outcomes }, true)}
            <div class="actions">
                <SaveButton state/>
                <a class="button" href=cancel_href>{t!(i18n, common.cancel)}</a>
            </div>
        </form>
    }
}

#[component]
fn PartnersEditor(fields: RwSignal<ProjectFields>, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let i18n = use_i18n();
    // A memo, so typing in a row does not rebuild the rows (and lose focus): only adding or
    // removing one does.
    let count = Memo::new(move |_| fields.with(|f| f.partners.len()));
    let add = move |_| {
        fields.update(|f| {
            f.partners.push(Partner { name: String::new(), kind: OrgKind::InternationalOrganization, role: PartnerRole::Funding })
        })
    };
    view! {
        <fieldset>
            <legend>{t!(i18n, project.partners)}</legend>
            {move || (0..count.get()).map(|i| {
                let name_id = format!("partner-{i}-name");
                view! {
                    <div class="row list-row">
                        <div class="field">
                            <label for=name_id.clone()>{t!(i18n, project.partner_name)}</label>
                            <input id=name_id type="text" dir="auto" prop:value=move || fields.with(|f| f.partners.get(i).map(|p| p.name.clone()).unwrap_or_default())
                                on:input=move |ev| fields.update(|f| if let Some(p) = f.partners.get_mut(i) { p.name = event_target_value(&ev) })/>
                            <FieldMessage errors field=format!("partners.{i}.name")/>
                        </div>
                        <div class="field">
                            <label for=format!("partner-{i}-kind")>{t!(i18n, project.partner_kind)}</label>
                            <select id=format!("partner-{i}-kind") prop:value=move || fields.with(|f| f.partners.get(i).map(|p| p.kind.key()).unwrap_or(""))
                                on:change=move |ev| fields.update(|f| if let (Some(p), Some(k)) = (f.partners.get_mut(i), OrgKind::from_key(&event_target_value(&ev))) { p.kind = k })>
                                {OrgKind::ALL.into_iter().map(|k| view! { <option value=k.key()>{move || labels::org_kind(i18n.get_locale(), k)}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for=format!("partner-{i}-role")>{t!(i18n, project.partner_role)}</label>
                            <select id=format!("partner-{i}-role") prop:value=move || fields.with(|f| f.partners.get(i).map(|p| p.role.key()).unwrap_or(""))
                                on:change=move |ev| fields.update(|f| if let (Some(p), Some(r)) = (f.partners.get_mut(i), PartnerRole::from_key(&event_target_value(&ev))) { p.role = r })>
                                {PartnerRole::ALL.into_iter().map(|r| view! { <option value=r.key()>{move || labels::partner_role(i18n.get_locale(), r)}</option> }).collect_view()}
                            </select>
                        </div>
                        <button type="button" class="link" on:click=move |_| fields.update(|f| { if i < f.partners.len() { f.partners.remove(i); } })>{t!(i18n, common.remove)}</button>
                    </div>
                }
            }).collect_view()}
            <button type="button" on:click=add>{t!(i18n, project.add_partner)}</button>
        </fieldset>
    }
}

#[component]
fn IndicatorsEditor(fields: RwSignal<ProjectFields>, errors: RwSignal<Vec<FieldError>>, lang: RwSignal<Lang>) -> impl IntoView {
    let i18n = use_i18n();
    let count = Memo::new(move |_| fields.with(|f| f.indicators.len()));
    let add = move |_| {
        fields.update(|f| {
            f.indicators.push(Indicator { name: Text::default(), unit: String::new(), baseline: 0.0, target: 0.0, actual: None })
        })
    };
    let number = move |i: usize,
                       name: &'static str,
                       label: String,
                       get: fn(&Indicator) -> Option<f64>,
                       set: fn(&mut Indicator, Option<f64>)| {
        let id = format!("indicator-{i}-{name}");
        view! {
            <div class="field narrow-field">
                <label for=id.clone()>{label.clone()}</label>
                <input id=id type="number" step="any" dir="ltr" prop:value=move || fields.with(|f| f.indicators.get(i).and_then(get).map(|v| v.to_string()).unwrap_or_default())
                    on:change=move |ev| fields.update(|f| if let Some(ind) = f.indicators.get_mut(i) { set(ind, parse_number(&event_target_value(&ev))) })/>
            </div>
        }
    };
    view! {
        <fieldset>
            <legend>{t!(i18n, project.indicators)}</legend>
            {move || (0..count.get()).map(|i| {
                let l = i18n.get_locale();
                view! {
                    <div class="row list-row">
                        <div class="field">
                            <label for=format!("indicator-{i}-name")>{t!(i18n, project.indicator_name)}</label>
                            <input id=format!("indicator-{i}-name") type="text" dir="auto"
                                prop:value=move || fields.with(|f| f.indicators.get(i).and_then(|x| x.name.get(lang.get()).map(str::to_string)).unwrap_or_default())
                                on:input=move |ev| fields.update(|f| if let Some(x) = f.indicators.get_mut(i) { x.name.set(lang.get_untracked(), event_target_value(&ev)) })/>
                            <FieldMessage errors field=format!("indicators.{i}")/>
                        </div>
                        <div class="field narrow-field">
                            <label for=format!("indicator-{i}-unit")>{t!(i18n, project.unit)}</label>
                            <input id=format!("indicator-{i}-unit") type="text" dir="auto" prop:value=move || fields.with(|f| f.indicators.get(i).map(|x| x.unit.clone()).unwrap_or_default())
                                on:input=move |ev| fields.update(|f| if let Some(x) = f.indicators.get_mut(i) { x.unit = event_target_value(&ev) })/>
                        </div>
                        {number(i, "baseline", td_string!(l, project.baseline).to_string(), |x| Some(x.baseline), |x, v| x.baseline = v.unwrap_or(0.0))}
                        {number(i, "target", td_string!(l, project.target).to_string(), |x| Some(x.target), |x, v| x.target = v.unwrap_or(0.0))}
                        {number(i, "actual", td_string!(l, project.actual).to_string(), |x| x.actual, |x, v| x.actual = v)}
                        <button type="button" class="link" on:click=move |_| fields.update(|f| { if i < f.indicators.len() { f.indicators.remove(i); } })>{t!(i18n, common.remove)}</button>
                    </div>
                }
            }).collect_view()}
            <button type="button" on:click=add>{t!(i18n, project.add_indicator)}</button>
        </fieldset>
    }
}
