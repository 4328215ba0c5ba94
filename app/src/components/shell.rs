//! The frame around every signed-in page: header, navigation, language and region pickers.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use rihub_domain::api::Me;
use rihub_domain::lang::Lang;
use rihub_domain::permissions::{self, Action};
use rihub_domain::region::Region;

use crate::api::{self, ApiError};
use crate::components::new_version::NewVersion;
use crate::components::reminders::Reminders;
use crate::components::sync_status::{ProgressNotice, SyncNotice, SyncStatus};
use crate::context::{remember_lang, remember_me, remembered_me, use_region_filter, use_session};
use crate::i18n::*;
use crate::labels;
use crate::links;
use crate::sync::use_sync;

/// Whether the page at `path` is shown in the shell (all but signing in and accepting an
/// invitation).
fn is_framed(path: &str) -> bool {
    path != links::LOGIN && !path.starts_with("/invite/")
}

/// The frame of every page but signing in and accepting an invitation, around `children` (the
/// route table).
#[component]
pub fn Shell(children: ChildrenFn) -> impl IntoView {
    let location = use_location();
    let framed = Memo::new(move |_| is_framed(&location.pathname.get()));
    move || match framed.get() {
        true => view! { <Framed children=children.clone()/> }.into_any(),
        false => children().into_any(),
    }
}

/// Loads the session once (from this device when offline) and starts sync for that user;
/// sends people who are not signed in to the login page.
#[component]
fn Framed(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let sync = use_sync();
    let navigate = use_navigate();
    let location = use_location();
    let failed = RwSignal::new(None::<ApiError>);
    let load = move || {
        let navigate = navigate.clone();
        let here = location.pathname.get_untracked();
        spawn_local(async move {
            match api::get::<Me>("/api/me").await {
                Ok(me) => {
                    remember_me(Some(&me));
                    session.me.set(Some(me));
                }
                Err(ApiError::Unauthenticated) => navigate(&links::login(&here), Default::default()),
                // Offline: work as the person last signed in on this device; sync resumes later.
                Err(e) => match remembered_me() {
                    Some(me) => session.me.set(Some(me)),
                    None => failed.set(Some(e)),
                },
            }
        });
    };
    if session.me.get_untracked().is_none() {
        load();
    }
    Effect::new(move |_| {
        if let Some(me) = session.me.get() {
            sync.start(me.id, me.roles);
        }
    });
    view! {
        // `target="_self"`: the browser follows it (the router would only scroll), and moves
        // the keyboard's focus to the page's content.
        <a class="skip" href="#main" target="_self">{t!(use_i18n(), nav.skip)}</a>
        <Header/>
        <SyncNotice/>
        <ProgressNotice/>
        <NewVersion/>
        <Reminders/>
        <main id="main" tabindex="-1">
            {move || match (session.me.get(), failed.get()) {
                (Some(_), _) => children().into_any(),
                (None, Some(e)) => view! { <crate::components::status::ErrorNotice error=e/> }.into_any(),
                (None, None) => view! { <crate::components::status::Loading/> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let region = use_region_filter();
    let sync = use_sync();
    let navigate = use_navigate();
    let is_admin = move || session.me.with(|m| m.as_ref().is_some_and(|m| permissions::allows_somewhere(&m.roles, Action::ManageUsers)));
    let may_review = move || session.me.with(|m| m.as_ref().is_some_and(|m| rihub_domain::search::may_review_duplicates(&m.roles)));
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // Signing out must work offline too: the local state is cleared either way. The
            // user's unsent changes stay in their own database for their next sign-in.
            let _ = api::send::<_, ()>(gloo_net::http::Method::POST, "/api/auth/logout", &()).await;
            remember_me(None);
            sync.stop();
            session.me.set(None);
            navigate(links::LOGIN, Default::default());
        });
    };
    let user_line = move || {
        session.me.get().map(|m| {
            // A Member State by its code here: fetching its name would add to the first download.
            let roles: Vec<String> = m.roles.iter().map(|r| labels::role_label(i18n.get_locale(), r, str::to_string)).collect();
            view! { <span class="user"><span class="visually-hidden">{t!(i18n, nav.signed_in_as)}" "</span><strong>{m.name}</strong><span class="roles">{roles.join(", ")}</span></span> }
        })
    };
    // On a phone the navigation and the tools sit behind a menu button; opening a page, or
    // Escape, closes it.
    let menu_open = RwSignal::new(false);
    let toggle = NodeRef::<leptos::html::Button>::new();
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    let escape = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && menu_open.get_untracked() {
            menu_open.set(false);
            if let Some(button) = toggle.get_untracked() {
                let _ = button.focus();
            }
        }
    };
    view! {
        <header class="app-header" class:menu-open=move || menu_open.get() on:keydown=escape>
            <a class="brand" href=links::INITIATIVES>{t!(i18n, app.name)}</a>
            <SyncStatus/>
            <button type="button" id="menu-toggle" class="menu-toggle" node_ref=toggle aria-controls="header-menu"
                aria-expanded=move || menu_open.get().to_string() on:click=move |_| menu_open.update(|open| *open = !*open)>
                <span class="menu-icon" aria-hidden="true"></span>{t!(i18n, nav.menu)}
            </button>
            <div id="header-menu" class="header-menu">
                <nav aria-label=move || t_string!(i18n, nav.main).to_string()>
                    <A href=links::INITIATIVES>{t!(i18n, nav.initiatives)}</A>
                    <A href=links::CONSULTATIONS>{t!(i18n, nav.consultations)}</A>
                    <A href=links::TRANSLATIONS>{t!(i18n, nav.translations)}</A>
                    <A href=links::SEARCH>{t!(i18n, nav.search)}</A>
                    <Show when=may_review><A href=links::DUPLICATES>{t!(i18n, nav.duplicates)}</A></Show>
                    <Show when=is_admin><A href=links::USERS>{t!(i18n, nav.admin)}</A></Show>
                </nav>
                <div class="header-tools">
                    <label class="compact">
                        <span>{t!(i18n, nav.region_filter)}</span>
                        <select id="region-filter" on:change=move |ev| region.set(Region::from_code(&event_target_value(&ev)))
                            prop:value=move || region.get().map(|r| r.code()).unwrap_or("")>
                            <option value="">{t!(i18n, nav.all_regions)}</option>
                            {Region::ALL.into_iter().map(|r| view! { <option value=r.code()>{move || labels::region(i18n.get_locale(), r)}</option> }).collect_view()}
                        </select>
                    </label>
                    <LanguagePicker/>
                    {user_line}
                    <button type="button" class="link" on:click=sign_out>{t!(i18n, nav.sign_out)}</button>
                </div>
            </div>
        </header>
    }
}

/// Switches the interface language; remembered on the account when signed in.
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let change = move |ev: leptos::ev::Event| {
        let code = event_target_value(&ev);
        if let Some(locale) = Locale::get_all().iter().copied().find(|l| l.as_str() == code) {
            i18n.set_locale(locale);
            remember_lang(&code);
            if session.me.get_untracked().is_some() {
                spawn_local(async move {
                    let _ = api::send::<_, ()>(gloo_net::http::Method::PUT, "/api/me/lang", &serde_json::json!({"lang": code})).await;
                });
            }
        }
    };
    view! {
        <label class="compact">
            <span>{t!(i18n, nav.language)}</span>
            <select id="language" on:change=change prop:value=move || i18n.get_locale().as_str()>
                {Lang::ALL.into_iter().map(|l| view! { <option value=l.code() lang=l.code()>{l.endonym()}</option> }).collect_view()}
            </select>
        </label>
    }
}
