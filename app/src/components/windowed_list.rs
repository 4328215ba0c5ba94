//! A long list that renders only the rows near the screen, so that an initiative with 25,000
//! projects costs what one with 60 does. Short lists render whole, as any list.
//!
//! Windowed rows have one height (`.windowed > li` in the style sheet): the list's height and
//! the offset of its first rendered row are counted in rows, measured once rendered.

use std::sync::Arc;

use leptos::html::Ul;
use leptos::prelude::*;

/// Lists longer than this are windowed.
const WHOLE_UP_TO: usize = 200;
/// Rows rendered beyond each edge of the screen, so that fast scrolling and the keyboard's
/// focus (which scrolls the focused row into view) find rows already there.
const OVERSCAN: usize = 12;
/// The distance from one row to the next until it is measured (px).
const PITCH_GUESS: f64 = 120.0;

/// `items` as `<ul class=class>` of `row(item)` (each an `<li>`), windowed past
/// `WHOLE_UP_TO` rows.
pub fn windowed_list<T, V>(items: Vec<T>, class: &'static str, row: impl Fn(T) -> V + Clone + Send + Sync + 'static) -> AnyView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    if items.len() <= WHOLE_UP_TO {
        return view! { <ul class=class>{items.into_iter().map(row).collect_view()}</ul> }.into_any();
    }
    let count = items.len();
    let items = Arc::new(items);
    let list = NodeRef::<Ul>::new();
    let pitch = RwSignal::new(PITCH_GUESS);
    let shown = RwSignal::new(0..OVERSCAN * 3);
    let scheduled = StoredValue::new(false);
    let measure = move || {
        scheduled.set_value(false);
        let (Some(list), Some(window)) = (list.get_untracked(), web_sys::window()) else { return };
        if let Some(first) = list.first_element_child()
            && let Some(second) = first.next_element_sibling()
        {
            let measured = second.get_bounding_client_rect().top() - first.get_bounding_client_rect().top();
            if measured > 0.0 && (measured - pitch.get_untracked()).abs() > 0.5 {
                pitch.set(measured);
            }
        }
        let pitch = pitch.get_untracked();
        let screen = window.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(800.0);
        let above = (-list.get_bounding_client_rect().top()).max(0.0);
        let first = ((above / pitch) as usize).min(count);
        let on_screen = (screen / pitch).ceil() as usize;
        let range = first.saturating_sub(OVERSCAN)..(first + on_screen + OVERSCAN).min(count);
        if range != shown.get_untracked() {
            shown.set(range);
        }
    };
    // At most one measurement per frame, however many scroll events come.
    let schedule = move || {
        if !scheduled.get_value() {
            scheduled.set_value(true);
            request_animation_frame(measure);
        }
    };
    let scrolled = window_event_listener(leptos::ev::scroll, move |_| schedule());
    let resized = window_event_listener(leptos::ev::resize, move |_| schedule());
    on_cleanup(move || {
        scrolled.remove();
        resized.remove();
    });
    Effect::new(move |_| {
        if list.get().is_some() {
            schedule();
        }
    });
    let offset = move || format!("{}px", shown.with(|r| r.start) as f64 * pitch.get());
    let height = move || format!("{}px", count as f64 * pitch.get());
    view! {
        <ul class=format!("{class} windowed") node_ref=list style:padding-block-start=offset style:block-size=height>
            <For each=move || shown.get() key=|i| *i children=move |i| row(items[i].clone())/>
        </ul>
    }
    .into_any()
}
