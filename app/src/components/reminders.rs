//! The in-app notification of a coordinator's reminder: shown to a Member State's delegates on
//! every page while the consultation is open and their state has not submitted.
//!
//! Its code, as all that reads consultations, is in the consultation pages' chunk
//! (`app/src/app.rs`): fetched once the first screen has its records, so the first download
//! stays small.

use leptos::prelude::*;
use leptos::task::spawn_local;
use rihub_domain::consultation::window::{Phase, phase};
use rihub_domain::role::Role;

use crate::components::localized_text::LocalizedText;
use crate::context::use_session;
use crate::i18n::*;
use crate::intl;
use crate::links;
use crate::pages::consultation::standing::device_now;
use crate::store::records;
use crate::sync::settled::once_settled;
use crate::sync::use_sync;

#[component]
pub fn Reminders() -> impl IntoView {
    let due = RwSignal::new(None::<fn() -> AnyView>);
    once_settled(move || {
        spawn_local(async move {
            // Without the chunk (offline on a first visit), the reminders show on a later visit.
            if let Ok(view) = due_reminders().await {
                due.set(Some(view));
            }
        });
    });
    move || due.get().map(|view| view())
}

#[leptos::wasm_split::wasm_split(consulting, wasm_split_path = ::leptos::wasm_split, fallible)]
fn due_reminders() -> Result<fn() -> AnyView, leptos::wasm_split::SplitLoaderError> {
    Ok(|| view! { <DueReminders/> }.into_any())
}

#[component]
fn DueReminders() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    let due = Memo::new(move |_| {
        let states: Vec<String> = session.me.with(|m| {
            m.as_ref()
                .map(|m| {
                    m.roles
                        .iter()
                        .filter_map(|r| match r {
                            Role::Delegate { member_state } => Some(member_state.clone()),
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default()
        });
        let now = device_now();
        sync.records.with(|r| {
            records::consultations(r)
                .into_iter()
                .filter(|(_, c)| phase(c, now) == Phase::Open)
                .flat_map(|(id, c)| states.iter().map(move |s| (id.clone(), c.clone(), s.clone())).collect::<Vec<_>>())
                .filter(|(id, c, s)| c.reminded(s).is_some() && records::submissions(r, id, s).is_none_or(|v| v.current().is_none()))
                .map(|(id, c, _)| (id, c))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <For each=move || due.get() key=|(id, _)| id.clone() let:item>
            {
                let (id, c) = item;
                let closes = c.closes_at;
                view! {
                    <div class="notice warn reminder" role="status" data-consultation=id.clone()>
                        <p>
                            {move || t_string!(i18n, consultation.reminder_notice, when = intl::relative(closes - device_now(), i18n.get_locale())).to_string()}
                            " "<a href=links::consultation(&id)><LocalizedText text=c.title.clone()/></a>
                        </p>
                    </div>
                }
            }
        </For>
    }
}
