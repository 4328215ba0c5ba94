//! The root component and the route table.

use leptos::prelude::*;

use crate::components::shell::Shell;
use crate::context::remembered_lang;
use crate::context::{provide_region_filter, provide_session};
use crate::i18n::*;
use crate::pages::{
    admin_users_page::AdminUsersPage, consultation_form_page::ConsultationFormPage, consultation_page::ConsultationPage,
    consultations_page::ConsultationsPage, duplicates_page::DuplicatesPage, initiative_form_page::InitiativeFormPage,
    initiative_page::InitiativePage, initiatives_page::InitiativesPage, invite_page::InvitePage, login_page::LoginPage,
    not_found_page::NotFoundPage, project_form_page::ProjectFormPage, project_page::ProjectPage, replicate_page::ReplicatePage,
    report_form_page::ReportFormPage, report_page::ReportPage, search_page::SearchPage, sync_page::SyncPage, translate_page::TranslatePage,
    translations_page::TranslationsPage,
};
use crate::router::{ParamsMap, match_path, provide_location, provide_params};
use crate::sync::provide_sync;
use crate::sync::settled::once_settled;

/// The pages in a few groups, each a wasm chunk of its own (`docs/decisions.md`): the first
/// download is the shell and one group; the others are fetched once the first screen has its
/// records, so the app keeps working if the network goes (the service worker precaches them
/// too). A page whose chunk cannot be fetched says so and offers to try again.
macro_rules! lazy_page_groups {
    ($($(#[$doc:meta])* $group:ident { $($page:ident),* $(,)? })*) => {
        /// Every page the route table can show.
        // Named as the page components are.
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy, PartialEq)]
        enum Page {
            $($($page,)*)*
        }

        impl Page {
            /// Fetches the page's chunk if this device has not yet, then makes its view.
            async fn load(self) -> Result<fn() -> AnyView, leptos::wasm_split::SplitLoaderError> {
                match self {
                    $($(Page::$page => $group::view($group::Page::$page).await,)*)*
                }
            }
        }

        $(
            $(#[$doc])*
            mod $group {
                use super::*;

                #[allow(clippy::enum_variant_names)]
                pub enum Page {
                    $($page),*
                }

                /// What makes the page's view: a function in the chunk, called again whenever
                /// the page is shown anew.
                #[leptos::wasm_split::wasm_split($group, wasm_split_path = ::leptos::wasm_split, preload(preload), fallible)]
                pub fn view(page: Page) -> Result<fn() -> AnyView, leptos::wasm_split::SplitLoaderError> {
                    Ok(match page {
                        $(Page::$page => || view! { <$page/> }.into_any(),)*
                    })
                }
            }
        )*

        /// Fetches every group's chunk, one after another.
        fn preload_every_group() {
            leptos::task::spawn_local(async {
                // A group that fails now is fetched again when one of its pages opens.
                $(let _ = $group::preload().await;)*
            });
        }
    };
}

lazy_page_groups! {
    /// Pages for someone not signed in.
    signed_out { LoginPage, InvitePage }
    /// The first screen.
    initiatives { InitiativesPage }
    /// The record pages.
    reading { InitiativePage, ProjectPage, ReportPage }
    /// Forms and translations.
    writing { InitiativeFormPage, ProjectFormPage, ReportFormPage, ReplicatePage, TranslatePage, TranslationsPage }
    /// Consultations of Member States.
    consulting { ConsultationsPage, ConsultationPage, ConsultationFormPage }
    /// Search, duplicates, sync details, user administration.
    tools { SearchPage, DuplicatesPage, SyncPage, AdminUsersPage }
}

/// Paths and their pages, the first that fits wins; all but two are shown inside the shell.
const ROUTES: [(&str, Page); 22] = [
    ("/login", Page::LoginPage),
    ("/invite/:token", Page::InvitePage),
    ("/", Page::InitiativesPage),
    ("/initiatives/new", Page::InitiativeFormPage),
    ("/initiatives/:id", Page::InitiativePage),
    ("/initiatives/:id/edit", Page::InitiativeFormPage),
    ("/initiatives/:id/projects/new", Page::ProjectFormPage),
    ("/projects/:id", Page::ProjectPage),
    ("/projects/:id/edit", Page::ProjectFormPage),
    ("/projects/:id/reports/new", Page::ReportFormPage),
    ("/projects/:id/replicate", Page::ReplicatePage),
    ("/reports/:id", Page::ReportPage),
    ("/reports/:id/edit", Page::ReportFormPage),
    ("/search", Page::SearchPage),
    ("/duplicates", Page::DuplicatesPage),
    ("/sync", Page::SyncPage),
    ("/translate/:kind/:id", Page::TranslatePage),
    ("/translations", Page::TranslationsPage),
    ("/consultations", Page::ConsultationsPage),
    ("/consultations/new", Page::ConsultationFormPage),
    ("/consultations/:id", Page::ConsultationPage),
    ("/admin/users", Page::AdminUsersPage),
];

/// Whether the page is shown inside the shell, with its header and navigation (all but signing
/// in and accepting an invitation).
fn is_framed(page: Page) -> bool {
    !matches!(page, Page::LoginPage | Page::InvitePage)
}

/// The page on screen: what makes its view, and the path's parameters it was made for.
struct Shown {
    /// Which page this is, counting every one the route table chose since the app started.
    serial: u64,
    view: fn() -> AnyView,
    params: ParamsMap,
    framed: bool,
}

impl Shown {
    /// Before the first page's code has come.
    fn nothing() -> Self {
        Shown { serial: 0, view: || ().into_any(), params: ParamsMap::default(), framed: false }
    }
}

/// Shows the page of the current path once its code is on the device; until then the
/// previous page stays, and `opening` counts the pages still waiting for their code (the
/// progress bar along the top edge).
fn route(pathname: Memo<String>, opening: RwSignal<u32>) -> RwSignal<Shown> {
    let shown = RwSignal::new(Shown::nothing());
    let matched =
        Memo::new(move |_| pathname.with(|path| ROUTES.iter().find_map(|(pattern, page)| Some((*page, match_path(pattern, path)?)))));
    // A newer link followed while a page is loading wins over it.
    let latest = StoredValue::new(0u64);
    Effect::new(move |_| {
        latest.update_value(|n| *n += 1);
        let serial = latest.get_value();
        let Some((page, params)) = matched.get() else {
            shown.set(Shown { serial, view: || view! { <NotFoundPage/> }.into_any(), ..Shown::nothing() });
            return;
        };
        opening.update(|n| *n += 1);
        leptos::task::spawn_local(async move {
            let view = page.load().await.unwrap_or(|| view! { <PageUnavailable/> }.into_any());
            opening.update(|n| *n -= 1);
            if latest.get_value() == serial {
                shown.set(Shown { serial, view, params, framed: is_framed(page) });
            }
        });
    });
    shown
}

/// Where the shown page goes: at the top for the pages outside the shell, in the shell's
/// `<main>` for the others.
#[component]
pub fn Outlet(framed: bool) -> impl IntoView {
    let shown = expect_context::<RwSignal<Shown>>();
    let here = Memo::new(move |_| shown.with(|s| (s.framed == framed).then_some(s.serial)));
    move || here.get().map(|_| shown.with_untracked(|s| s.view)())
}

/// A page whose code could not be fetched: trying again reloads it.
#[component]
fn PageUnavailable() -> impl IntoView {
    let i18n = use_i18n();
    let reload = |_| {
        let _ = window().location().reload();
    };
    view! {
        <div class="notice error" role="alert">
            <p>{t!(i18n, errors.page_unavailable)}</p>
            <button type="button" on:click=reload>{t!(i18n, common.retry)}</button>
        </div>
    }
}

#[component]
pub fn App() -> impl IntoView {
    let location = provide_location();
    let session = provide_session();
    provide_region_filter();
    provide_sync(session);
    once_settled(preload_every_group);
    let opening = RwSignal::new(0);
    let is_opening = move || opening.get() > 0;
    let shown = route(location.pathname, opening);
    provide_context(shown);
    provide_params(Memo::new(move |_| shown.with(|s| s.params.clone())));
    let framed = Memo::new(move |_| shown.with(|s| s.framed));
    view! {
        <I18nContextProvider>
            <RememberedLanguage/>
            <Show when=is_opening>
                <div class="opening-page" role="progressbar" aria-label=move || t_string!(use_i18n(), nav.opening_page)></div>
            </Show>
            {move || if framed.get() { view! { <Shell/> }.into_any() } else { view! { <Outlet framed=false/> }.into_any() }}
        </I18nContextProvider>
    }
}

/// Starts in the language last chosen on this device, if any; otherwise the browser's.
#[component]
fn RememberedLanguage() -> impl IntoView {
    let i18n = use_i18n();
    // In an effect: the provider sets the browser's language in its own first effect, and
    // effects run in the order they were made, so this one comes after it.
    Effect::new(move |_| {
        if let Some(locale) = remembered_lang().and_then(|code| Locale::get_all().iter().copied().find(|l| l.as_str() == code)) {
            i18n.set_locale(locale);
        }
    });
}
