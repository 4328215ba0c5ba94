//! `/duplicates`: pairs of initiatives whose objectives overlap, side by side, for admins and
//! coordinators. A person decides: link them as related, or merge one into the other (it
//! stays, pointing to the one that continues). Nothing happens by itself.

use leptos::prelude::*;
use leptos::task::spawn_local;
use rihub_domain::initiative::{Initiative, InitiativeFields};
use rihub_domain::permissions::{self, Action, Scope};
use rihub_domain::search::{Found, Pair};
use rihub_domain::sync::mutation::Op;
use rihub_domain::sync::record::{Kind, fields_of};

use crate::api::{self, ApiError};
use crate::components::local_data::LocalDataGate;
use crate::components::localized_text::LocalizedText;
use crate::components::status::{Empty, ErrorNotice, Loading};
use crate::context::use_session;
use crate::i18n::*;
use crate::intl;
use crate::labels;
use crate::links;
use crate::store::records;
use crate::sync::use_sync;

#[component]
pub fn DuplicatesPage() -> impl IntoView {
    let i18n = use_i18n();
    let pairs = LocalResource::new(|| api::get::<Vec<Pair>>("/api/duplicates"));
    // Pairs decided on this page leave the list at once; the server's list follows shortly.
    let decided = RwSignal::new(Vec::<(String, String)>::new());
    view! {
        <h1>{t!(i18n, duplicates.title)}</h1>
        <p class="muted">{t!(i18n, duplicates.intro)}</p>
        // The pair is shown from this device's copy of both initiatives, so the list waits for it.
        <LocalDataGate>{move || match pairs.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorNotice error=e retry=Callback::new(move |_| pairs.refetch())/> }.into_any(),
            Some(Ok(list)) => {
                let open: Vec<Pair> = list.into_iter().filter(|p| !decided.with(|d| d.contains(&(p.a.id.clone(), p.b.id.clone())))).collect();
                match open.is_empty() {
                    true => view! { <Empty>{t!(i18n, duplicates.none)}</Empty> }.into_any(),
                    false => view! { <ul class="cards">{open.into_iter().map(|pair| view! { <PairView pair decided/> }).collect_view()}</ul> }.into_any(),
                }
            }
        }}</LocalDataGate>
    }
}

/// A pair as this device has its two initiatives: shown once both are here (one created
/// elsewhere may arrive after the server's list), and kept current as they are edited.
#[component]
fn PairView(pair: Pair, decided: RwSignal<Vec<(String, String)>>) -> impl IntoView {
    let sync = use_sync();
    let failure = RwSignal::new(None::<ApiError>);
    let (a, b) = (pair.a.id.clone(), pair.b.id.clone());
    let both = Memo::new(move |_| sync.records.with(|r| records::initiative(r, &a).zip(records::initiative(r, &b))));
    move || both.get().map(|(a, b)| view! { <PairCard pair=pair.clone() a b decided failure/> })
}

#[component]
fn PairCard(
    pair: Pair,
    a: Initiative,
    b: Initiative,
    decided: RwSignal<Vec<(String, String)>>,
    failure: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let session = use_session();
    let may_edit = move |i: &Initiative| {
        session.me.with_untracked(|m| {
            m.as_ref().is_some_and(|m| permissions::allows(&m.roles, Action::EditInitiative, Scope::Region(i.fields.region)))
        })
    };
    let ids = (a.id.clone(), b.id.clone());
    // Writes `change` to `target`, as it is on this device now, as a synced edit.
    let decide = move |target: Initiative, change: fn(&mut InitiativeFields, String), other: String| {
        let ids = ids.clone();
        spawn_local(async move {
            let key = records::key(Kind::Initiative, &target.id);
            let current = sync.records.with_untracked(|r| r.get(&key).cloned().zip(records::initiative(r, &target.id)));
            let Some((base, mut now)) = current else { return };
            change(&mut now.fields, other);
            match sync.mutate(Op::edit_from(&key, &base, &fields_of(&now.fields))).await {
                Ok(()) => decided.update(|d| d.push(ids)),
                Err(rejected) => failure.set(Some(rejected.into())),
            }
        });
    };
    let link = {
        let (a, b) = (a.clone(), b.clone());
        let (target, other) = if may_edit(&a) { (a, b.id) } else { (b, a.id) };
        let allowed = may_edit(&target);
        allowed.then(|| {
            let decide = decide.clone();
            view! { <button type="button" class="link-related" on:click=move |_| decide(target.clone(), |f, o| f.related.push(o), other.clone())>{t!(i18n, duplicates.link)}</button> }
        })
    };
    let side = move |this: Initiative, other: Initiative, found: Found| {
        // Merging the other into this one is an edit of the other.
        let merge = may_edit(&other).then(|| {
            let decide = decide.clone();
            let (other, this_id) = (other.clone(), this.id.clone());
            view! { <button type="button" class="merge-into" on:click=move |_| decide(other.clone(), |f, o| f.merged_into = Some(o), this_id.clone())>{t!(i18n, duplicates.merge_into)}</button> }
        });
        let (region, cycle) = (this.fields.region, this.fields.cycle);
        view! {
            <div class="duplicate-side">
                <p class="card-meta">
                    <span class="code" dir="ltr">{this.fields.code.clone()}" "{move || labels::conference(i18n.get_locale(), cycle)}</span>
                    <span>{move || labels::region(i18n.get_locale(), region)}</span>
                </p>
                <h2><a href=links::initiative(&this.id)><LocalizedText text=found.title/></a></h2>
                <p><LocalizedText text=this.fields.objective.clone() fallback="—"/></p>
                {merge}
            </div>
        }
    };
    let score = pair.b.score;
    let shared = pair.b.shared.join(", ");
    let nobody = link.is_none() && !may_edit(&a) && !may_edit(&b);
    view! {
        <li class="card duplicate-pair">
            <p class="card-meta">
                <span>{t!(i18n, similar.score)}": "{move || intl::percent(score, i18n.get_locale())}</span>
                <span>{t!(i18n, similar.shared)}": "<span dir="auto">{shared}</span></span>
            </p>
            <div class="side-by-side">
                {side(a.clone(), b.clone(), pair.a.clone())}
                {side(b, a, pair.b.clone())}
            </div>
            {move || failure.get().map(|e| view! { <ErrorNotice error=e/> })}
            <p class="actions">{link}{nobody.then(|| view! { <span class="hint">{t!(i18n, duplicates.not_allowed)}</span> })}</p>
        </li>
    }
}
