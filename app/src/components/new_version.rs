//! "A new version is available": offered only once every change of this device is synced, so
//! a new version never starts with an outbox the old one wrote and did not send.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use crate::i18n::*;
use crate::sync::settled::once_settled;
use crate::sync::use_sync;

#[wasm_bindgen(module = "/js/service_worker.js")]
extern "C" {
    #[wasm_bindgen(js_name = registerServiceWorker)]
    fn register_service_worker(on_update: &Closure<dyn FnMut()>);
    #[wasm_bindgen(js_name = activateUpdate)]
    fn activate_update();
    /// Takes the new version whatever the outbox holds, then reloads: for a server that no
    /// longer speaks this version's protocol, with which the outbox would never empty.
    #[wasm_bindgen(js_name = updateNow)]
    pub fn update_now();
}

#[component]
pub fn NewVersion() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let available = RwSignal::new(false);
    once_settled(move || {
        let on_update = Closure::<dyn FnMut()>::new(move || available.set(true));
        register_service_worker(&on_update);
        // The service worker calls back for the app's whole life.
        on_update.forget();
    });
    let waiting = move || sync.pending.with(|p| !p.is_empty());
    view! {
        <Show when=move || available.get()>
            <div class="notice info" role="status" id="new-version">
                <p>{t!(i18n, sync.new_version)}</p>
                <button type="button" class="primary" disabled=waiting on:click=|_| activate_update()>{t!(i18n, sync.reload)}</button>
                <Show when=waiting><p class="muted">{t!(i18n, sync.new_version_waits)}</p></Show>
            </div>
        </Show>
    }
}
