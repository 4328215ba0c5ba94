//! State every page shares: who is signed in, and which region the user is looking at.

use leptos::prelude::*;
use rihub_domain::api::Me;
use rihub_domain::region::Region;
use rihub_domain::role::Role;

/// The signed-in user; `None` until `/api/me` answers, or after signing out.
#[derive(Clone, Copy)]
pub struct SessionContext {
    pub me: RwSignal<Option<Me>>,
}

impl SessionContext {
    /// The signed-in person's roles (none while nobody is), read without tracking.
    pub fn roles(self) -> Vec<Role> {
        self.me.with_untracked(|m| m.as_ref().map(|m| m.roles.clone()).unwrap_or_default())
    }

    /// The same, tracked: what reads it runs again when the roles change.
    pub fn roles_tracked(self) -> Vec<Role> {
        self.me.with(|m| m.as_ref().map(|m| m.roles.clone()).unwrap_or_default())
    }
}

pub fn provide_session() -> SessionContext {
    let ctx = SessionContext { me: RwSignal::new(None) };
    provide_context(ctx);
    ctx
}

pub fn use_session() -> SessionContext {
    expect_context::<SessionContext>()
}

/// The region chosen in the header; pages use it as their default filter.
#[derive(Clone, Copy)]
pub struct RegionContext(pub RwSignal<Option<Region>>);

pub fn provide_region_filter() {
    provide_context(RegionContext(RwSignal::new(None)));
}

pub fn use_region_filter() -> RwSignal<Option<Region>> {
    expect_context::<RegionContext>().0
}

const ME_KEY: &str = "rihub.me";
const LANG_KEY: &str = "rihub.lang";

fn stored(key: &str) -> Option<String> {
    leptos::prelude::window().local_storage().ok().flatten()?.get_item(key).ok()?
}

fn store(key: &str, value: Option<&str>) {
    let Some(storage) = leptos::prelude::window().local_storage().ok().flatten() else { return };
    let _ = match value {
        Some(text) => storage.set_item(key, text),
        None => storage.remove_item(key),
    };
}

/// Keeps who is signed in on this device, so the app opens offline (`None`: forget it).
pub fn remember_me(me: Option<&Me>) {
    store(ME_KEY, me.and_then(|m| serde_json::to_string(m).ok()).as_deref());
}

pub fn remembered_me() -> Option<Me> {
    serde_json::from_str(&stored(ME_KEY)?).ok()
}

/// Keeps the interface language chosen on this device (the account keeps it too, when online).
pub fn remember_lang(code: &str) {
    store(LANG_KEY, Some(code));
}

pub fn remembered_lang() -> Option<String> {
    stored(LANG_KEY)
}
