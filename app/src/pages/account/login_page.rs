//! `/login`: email and password. Failures say what happened without telling whether the
//! account exists.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use rihub_domain::api::{LoginRequest, Me};

use crate::api::{self, ApiError};
use crate::components::shell::LanguagePicker;
use crate::components::status::ErrorNotice;
use crate::context::{remember_lang, remember_me, use_session};
use crate::i18n::*;
use crate::links;
use rihub_domain::error_code::ErrorCode;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let body = LoginRequest { email: email.get_untracked(), password: password.get_untracked() };
        // Only same-site paths are followed after signing in.
        let next = query
            .with_untracked(|q| q.get("next"))
            .filter(|n| n.starts_with('/') && !n.starts_with("//"))
            .unwrap_or_else(|| links::INITIATIVES.into());
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::send::<_, Me>(gloo_net::http::Method::POST, "/api/auth/login", &body).await {
                Ok(me) => {
                    if let Some(locale) = me.lang.as_deref().and_then(|c| Locale::get_all().iter().copied().find(|l| l.as_str() == c)) {
                        i18n.set_locale(locale);
                        remember_lang(locale.as_str());
                    }
                    remember_me(Some(&me));
                    session.me.set(Some(me));
                    navigate(&next, Default::default());
                }
                Err(ApiError::Unauthenticated) => error.set(Some(ApiError::Refused(ErrorCode::BadCredentials))),
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    view! {
        <main id="main" class="narrow login">
            <div class="login-tools"><LanguagePicker/></div>
            <h1>{t!(i18n, app.name)}</h1>
            <p>{t!(i18n, login.intro)}</p>
            <form on:submit=submit novalidate>
                <h2>{t!(i18n, login.title)}</h2>
                <div class="field">
                    <label for="email">{t!(i18n, login.email)}</label>
                    <input id="email" name="email" type="email" autocomplete="username" required dir="ltr"
                        prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="password">{t!(i18n, login.password)}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required dir="ltr"
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                </div>
                {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
                <button type="submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { t_string!(i18n, login.working).to_string() } else { t_string!(i18n, login.submit).to_string() }}
                </button>
            </form>
        </main>
    }
}
