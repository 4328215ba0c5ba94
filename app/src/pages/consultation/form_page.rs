//! `/consultations/new`: a coordinator opens a consultation of their region's Member States on
//! some of its initiatives, with opening and closing times in a chosen time zone.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use rihub_domain::consultation::ConsultationFields;
use rihub_domain::consultation::access::{self, Act, Target};
use rihub_domain::region::Region;
use rihub_domain::sync::mutation::Op;
use rihub_domain::sync::record::{Kind, fields_of};
use rihub_domain::text::Text;
use rihub_domain::validation::{FieldError, Problem};

use crate::components::field_message::FieldMessage;
use crate::components::form_state::{ContentLanguagePicker, FormState, SaveButton, toggle};
use crate::components::localized_text::{LocalizedText, reader_lang};
use crate::components::status::{ErrorNotice, forbidden};
use crate::components::text_field::{TextAccess, text_field};
use crate::context::use_session;
use crate::i18n::*;
use crate::intl;
use crate::labels;
use crate::links;
use crate::store::records;
use crate::sync::use_sync;

/// Time zones offered besides the browser's own: UTC and those of the regional offices.
const ZONES: [&str; 7] =
    ["UTC", "Africa/Addis_Ababa", "America/Sao_Paulo", "Africa/Cairo", "Asia/Bangkok", "Europe/Moscow", "Europe/Zurich"];

#[component]
pub fn ConsultationFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sync = use_sync();
    let navigate = use_navigate();
    let regions = move || {
        let roles = session.roles_tracked();
        Region::ALL
            .into_iter()
            .filter(|r| access::allows(&roles, Act::Manage, Target { region: *r, member_state: None, published: false }))
            .collect::<Vec<_>>()
    };
    // Said at once to someone who may open no consultation, rather than at Save.
    let Some(first_region) = regions().first().copied() else { return forbidden() };
    let zone = intl::browser_time_zone();
    let fields = RwSignal::new(ConsultationFields {
        region: first_region,
        title: Text::default(),
        intro: Text::default(),
        opens_at: 0,
        closes_at: 0,
        time_zone: zone.clone(),
        initiatives: Vec::new(),
        published_at: None,
        results: None,
        reminders: Vec::new(),
    });
    let (opens, closes) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let lang = RwSignal::new(reader_lang(i18n.get_locale_untracked()));
    let state = FormState::new();
    let errors = state.errors;
    let initiatives = Memo::new(move |_| {
        let region = fields.with(|f| f.region);
        let mut list = sync.records.with(records::initiatives);
        list.retain(|i| i.fields.region == region);
        list.sort_by(|a, b| b.fields.cycle.cmp(&a.fields.cycle).then_with(|| a.fields.list_order().cmp(&b.fields.list_order())));
        list
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut f = fields.get_untracked();
        let zone = f.time_zone.clone();
        let time = |value: String, field: &str| {
            intl::zoned_to_utc(&value, &zone).ok_or(FieldError { field: field.into(), problem: Problem::Required })
        };
        let checked = match (time(opens.get_untracked(), "opens_at"), time(closes.get_untracked(), "closes_at")) {
            (Ok(o), Ok(c)) => {
                f.opens_at = o;
                f.closes_at = c;
                f.validate()
            }
            (o, c) => Err([o.err(), c.err()].into_iter().flatten().collect()),
        };
        if !state.begin(checked) {
            return;
        }
        let id = records::random_id();
        let op = Op::Create { key: records::key(Kind::Consultation, &id), fields: fields_of(&f) };
        state.save(sync, op, links::consultation(&id), navigate.clone());
    };
    let datetime = move |name: &'static str, label: AnyView, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=name>{label}</label>
                <input id=name type="datetime-local" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                <FieldMessage errors field=name/>
            </div>
        }
    };
    view! {
        <h1>{t!(i18n, consultations.new)}</h1>
        <form class="record-form" on:submit=submit novalidate>
            {move || state.failure.get().map(|e| view! { <ErrorNotice error=e/> })}
            <div class="field">
                <label for="region">{t!(i18n, initiative.region)}</label>
                <select id="region" prop:value=move || fields.with(|f| f.region.code())
                    on:change=move |ev| if let Some(r) = Region::from_code(&event_target_value(&ev)) { fields.update(|f| { f.region = r; f.initiatives.clear(); }) }>
                    {regions().into_iter().map(|r| view! { <option value=r.code()>{move || labels::region(i18n.get_locale(), r)}</option> }).collect_view()}
                </select>
            </div>
            <ContentLanguagePicker lang/>
            {text_field(fields, lang, errors, "title", t!(i18n, consultation.title), TextAccess { get: |f: &ConsultationFields| &f.title, get_mut: |f: &mut ConsultationFields| &mut f.title }, false)}
            {text_field(fields, lang, errors, "intro", t!(i18n, consultation.intro), TextAccess { get: |f: &ConsultationFields| &f.intro, get_mut: |f: &mut ConsultationFields| &mut f.intro }, true)}
            <fieldset class="row">
                {datetime("opens_at", t!(i18n, consultation.opens_at).into_any(), opens)}
                {datetime("closes_at", t!(i18n, consultation.closes_at).into_any(), closes)}
                <div class="field">
                    <label for="time_zone">{t!(i18n, consultation.time_zone)}</label>
                    <select id="time_zone" prop:value=move || fields.with(|f| f.time_zone.clone())
                        on:change=move |ev| fields.update(|f| f.time_zone = event_target_value(&ev))>
                        {std::iter::once(zone.clone()).chain(ZONES.iter().filter(|z| **z != zone).map(|z| z.to_string()))
                            .filter(|z| intl::is_known_time_zone(z))
                            .map(|z| view! { <option value=z.clone()>{z.clone()}</option> }).collect_view()}
                    </select>
                </div>
            </fieldset>
            <fieldset id="initiatives">
                <legend>{t!(i18n, consultation.initiatives)}</legend>
                <For each=move || initiatives.get() key=|i| i.id.clone() let:i>
                    {
                        let id = i.id.clone();
                        let checked_id = id.clone();
                        view! {
                            <label class="check">
                                <input type="checkbox" value=id.clone() prop:checked=move || fields.with(|f| f.initiatives.contains(&checked_id))
                                    on:change=move |ev| fields.update(|f| toggle(&mut f.initiatives, id.clone(), event_target_checked(&ev)))/>
                                <span dir="ltr" class="code">{i.fields.code.clone()}" "{let cycle = i.fields.cycle; move || labels::conference(i18n.get_locale(), cycle)}</span>" "
                                <LocalizedText text=i.fields.title.clone()/>
                            </label>
                        }
                    }
                </For>
                <FieldMessage errors field="initiatives"/>
            </fieldset>
            <div class="actions">
                <SaveButton state/>
                <a href=links::CONSULTATIONS>{t!(i18n, common.cancel)}</a>
            </div>
        </form>
    }
    .into_any()
}
