//! `/consultations/:id`: a consultation. A delegate drafts their state's answers (offline too:
//! the draft is a synced record their state's delegates share), submits them and keeps the
//! receipt; the region's coordinators follow who has answered as it happens, and publish the
//! consolidated results after the close.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use rihub_domain::consultation::access::{self, Act, Target};
use rihub_domain::consultation::window::{self, Phase};
use rihub_domain::consultation::{ConsultationFields, Reminder};
use rihub_domain::member_state;
use rihub_domain::role::Role;
use rihub_domain::sync::mutation::{FieldChange, Op};
use rihub_domain::sync::record::Kind;

use super::draft::{DraftEditor, Receipt};
use super::results::ResultsView;
use super::standing::{device_now, standing};
use crate::api::ApiError;
use crate::components::local_data::LocalDataGate;
use crate::components::localized_text::LocalizedText;
use crate::components::member_state_name::use_member_state_name;
use crate::components::status::ErrorNotice;
use crate::context::use_session;
use crate::i18n::*;
use crate::intl;
use crate::labels;
use crate::links;
use crate::store::records;
use crate::sync::use_sync;

#[component]
pub fn ConsultationPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let consultation = Memo::new(move |_| sync.records.with(|r| records::consultation(r, &id.get())));
    view! {
        <LocalDataGate>
            {move || match consultation.get() {
                None => view! { <ErrorNotice error=ApiError::NotFound/> }.into_any(),
                Some(c) => view! { <ConsultationView id=id.get() c/> }.into_any(),
            }}
        </LocalDataGate>
        <p><a href=links::CONSULTATIONS>{t!(i18n, common.back)}</a></p>
    }
}

/// The Member States whose drafts this user may write in `c` (their delegations there).
fn own_states(roles: &[Role], c: &ConsultationFields) -> Vec<String> {
    roles
        .iter()
        .filter_map(|r| match r {
            Role::Delegate { member_state } => Some(member_state.clone()),
            _ => None,
        })
        .filter(|s| access::allows(roles, Act::EditDraft, Target { region: c.region, member_state: Some(s), published: c.is_published() }))
        .collect()
}

#[component]
fn ConsultationView(id: String, c: ConsultationFields) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let roles = session.roles();
    let target = Target { region: c.region, member_state: None, published: c.is_published() };
    let manages = access::allows(&roles, Act::Manage, target);
    let states = own_states(&roles, &c);
    let zone = c.time_zone.clone();
    let (opens, closes, region) = (c.opens_at, c.closes_at, c.region);
    let moment = move |secs: i64| {
        let zone = zone.clone();
        move || format!("{} ({zone})", intl::moment_in(secs, &zone, i18n.get_locale()))
    };
    let standing_of = c.clone();
    let closed = window::phase(&c, device_now()) == Phase::Closed;
    let shows_results = c.is_published() || access::allows(&roles, Act::ViewResults, target);
    view! {
        <article class="record consultation" id="consultation" data-id=id.clone()>
            <div class="card-meta">
                <span>{move || labels::region(i18n.get_locale(), region)}</span>
                <span class="badge" id="consultation-standing">{move || standing(&standing_of, i18n.get_locale())}</span>
            </div>
            <div class="page-head">
                <h1><LocalizedText text=c.title.clone()/></h1>
                {manages.then(|| view! { <a class="button" id="translate-record" href=links::translate(&records::key(Kind::Consultation, &id), None)>{t!(i18n, common.translate)}</a> })}
            </div>
            {(!c.intro.is_empty()).then(|| view! { <p><LocalizedText text=c.intro.clone()/></p> })}
            <dl class="facts">
                <dt>{t!(i18n, consultation.opens_at)}</dt><dd>{moment(opens)}</dd>
                <dt>{t!(i18n, consultation.closes_at)}</dt><dd>{moment(closes)}</dd>
            </dl>
            // After the close a state's answers can no longer change: only its receipt is left.
            {states.into_iter().map(|state| match closed {
                false => view! { <DraftEditor consultation=id.clone() c=c.clone() state/> }.into_any(),
                true => view! { <Receipt consultation=id.clone() state/> }.into_any(),
            }).collect_view()}
            {manages.then(|| view! { <StatusBoard id=id.clone() c=c.clone()/> })}
            {shows_results.then(|| view! { <ResultsView id=id.clone() c=c.clone() manages/> })}
        </article>
    }
}

/// Which Member States of the region have submitted, have a draft, or have not started; as
/// the changes arrive.
#[component]
fn StatusBoard(id: String, c: ConsultationFields) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let states: Vec<&'static member_state::MemberState> = member_state::of_region(c.region).collect();
    let state_name = use_member_state_name();
    let open = window::phase(&c, device_now()) != Phase::Closed;
    let key = StoredValue::new(records::key(Kind::Consultation, &id));
    let c = StoredValue::new(c);
    let id = StoredValue::new(id);
    // Why the last reminder was not queued (refused by the rules, or not saved).
    let remind_failed = RwSignal::new(None::<ApiError>);
    // A reminder is an edit of the consultation's reminders; the server stamps its time.
    let remind = move |state: &'static str| {
        let mut reminders = c.with_value(|c| c.reminders.clone());
        reminders.push(Reminder { member_state: state.to_string(), at: device_now() });
        let key = key.get_value();
        let base = sync.records.with_untracked(|r| r.get(&key).map(|r| r.rev("reminders")).unwrap_or(0));
        let op = Op::Edit {
            key,
            changes: vec![FieldChange { field: "reminders".into(), value: serde_json::to_value(reminders).unwrap_or_default(), base }],
        };
        spawn_local(async move {
            remind_failed.set(sync.mutate(op).await.err().map(ApiError::from));
        });
    };
    view! {
        <section aria-labelledby="states-heading">
            <h2 id="states-heading">{t!(i18n, consultation.states)}</h2>
            <table id="status-board" class="stacks">
                <tbody>
                    {states.into_iter().map(|ms| {
                        let status = move || sync.records.with(|r| id.with_value(|id| {
                            match records::submissions(r, id, ms.code).and_then(|s| s.current().cloned()) {
                                Some(v) => ("submitted", Some(v)),
                                None if records::has_draft(r, id, ms.code) => ("draft", None),
                                None => ("none", None),
                            }
                        }));
                        view! {
                            <tr data-state=ms.code data-status=move || status().0>
                                <th scope="row">{move || state_name(ms.code)}</th>
                                <td>{move || match status() {
                                    ("submitted", Some(v)) => t_string!(i18n, consultation.state_submitted, version = v.version,
                                        time = intl::local_time(v.submitted_at as f64 * 1000.0, i18n.get_locale())).to_string(),
                                    ("draft", _) => t_string!(i18n, consultation.state_draft).to_string(),
                                    _ => t_string!(i18n, consultation.state_none).to_string(),
                                }}</td>
                                <td>
                                    {move || c.with_value(|c| c.reminded(ms.code).map(|r| r.at)).map(|at| view! {
                                        <span class="muted reminded">{move || t_string!(i18n, consultation.reminded, time = intl::local_time(at as f64 * 1000.0, i18n.get_locale())).to_string()}</span>
                                    })}
                                    <Show when=move || open && status().0 != "submitted">
                                        <button type="button" class="link remind" on:click=move |_| remind(ms.code)>{t!(i18n, consultation.remind)}</button>
                                    </Show>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {move || remind_failed.get().map(|e| view! { <ErrorNotice error=e/> })}
        </section>
    }
}
