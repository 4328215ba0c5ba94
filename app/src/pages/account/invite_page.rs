//! `/invite/:token`: accept an invitation by choosing a name and a password.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use rihub_domain::api::{AcceptInvite, InviteInfo, Me};

use crate::api;
use crate::components::form_state::FormState;
use crate::components::status::{ErrorNotice, Loading};
use crate::components::text_field::plain_field;
use crate::context::use_session;
use crate::i18n::*;
use crate::links;

#[component]
pub fn InvitePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
    let info = LocalResource::new({
        let token = token.clone();
        move || {
            let token = token.clone();
            async move { api::get::<InviteInfo>(&format!("/api/invites/{token}")).await }
        }
    });
    view! {
        <main id="main" class="narrow">
            <h1>{t!(i18n, invite.title)}</h1>
            {move || match info.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                Some(Ok(i)) => view! { <AcceptForm info=i token=token.clone()/> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn AcceptForm(info: InviteInfo, token: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let name = RwSignal::new(info.name.clone());
    let password = RwSignal::new(String::new());
    let state = FormState::new();
    let errors = state.errors;
    let email = info.email.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !state.begin(Ok(())) {
            return;
        }
        let token = token.clone();
        let navigate = navigate.clone();
        let body = AcceptInvite { name: name.get_untracked(), password: password.get_untracked() };
        spawn_local(async move {
            match api::send::<_, Me>(gloo_net::http::Method::POST, &format!("/api/invites/{token}"), &body).await {
                Ok(me) => {
                    state.succeed();
                    session.me.set(Some(me));
                    navigate(links::INITIATIVES, Default::default());
                }
                Err(e) => state.fail(e),
            }
        });
    };
    view! {
        <p>{t!(i18n, invite.intro, email = move || email.clone())}</p>
        <form class="record-form" on:submit=submit novalidate>
            {plain_field(errors, "name", t!(i18n, invite.name), "text", move || name.get(), move |v| name.set(v), None)}
            {plain_field(errors, "password", t!(i18n, invite.password), "password", move || password.get(), move |v| password.set(v),
                Some(t!(i18n, invite.password_hint).into_any()))}
            {move || state.failure.get().map(|e| view! { <ErrorNotice error=e/> })}
            <button type="submit" class="primary" disabled=move || state.pending.get()>{t!(i18n, invite.accept)}</button>
        </form>
    }
}
