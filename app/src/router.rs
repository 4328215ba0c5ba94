//! Where the app is and how it moves: the address bar as a signal, links followed without
//! reloading, the browser's back and forward, and the page's path parameters.
//!
//! The route table itself is in `app.rs`. This takes the place of `leptos_router`, whose nested
//! routes, view transitions and server rendering this app does not use and which made a tenth
//! of the code every visitor downloads first (`docs/decisions.md`).

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The address shown, changed by [`use_navigate`], followed links, and back and forward.
#[derive(Clone, Copy)]
pub struct Location {
    /// The path, as `/initiatives/abc`.
    pub pathname: Memo<String>,
    /// What follows `?`, without it.
    search: Memo<String>,
    url: RwSignal<Url>,
}

#[derive(Clone)]
struct Url {
    pathname: String,
    search: String,
}

impl Url {
    fn current() -> Self {
        let location = window().location();
        Url {
            pathname: location.pathname().unwrap_or_else(|_| "/".into()),
            search: location.search().unwrap_or_default().trim_start_matches('?').to_string(),
        }
    }
}

/// Named values of a path (`:id`) or of a query string.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParamsMap(Vec<(String, String)>);

impl ParamsMap {
    pub fn get(&self, name: &str) -> Option<String> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }
}

/// The path parameters of the page on screen, set by the route table as it shows a page.
#[derive(Clone, Copy)]
struct PageParams(Memo<ParamsMap>);

/// Starts following the address: links inside the app and back and forward change the page
/// without reloading it.
pub fn provide_location() -> Location {
    let url = RwSignal::new(Url::current());
    let location = Location {
        pathname: Memo::new(move |_| url.with(|u| u.pathname.clone())),
        search: Memo::new(move |_| url.with(|u| u.search.clone())),
        url,
    };
    provide_context(location);
    // Back, forward, and following a `#fragment` link on the same page.
    let popstate = window_event_listener(ev::popstate, move |_| url.set(Url::current()));
    let clicks = window_event_listener(ev::click, move |ev| {
        if let Some(href) = followed_in_app(&ev) {
            ev.prevent_default();
            go(url, &href);
        }
    });
    on_cleanup(move || {
        popstate.remove();
        clicks.remove();
    });
    location
}

/// The path parameters pages read with [`use_params_map`].
pub fn provide_params(params: Memo<ParamsMap>) {
    provide_context(PageParams(params));
}

pub fn use_location() -> Location {
    expect_context()
}

pub fn use_params_map() -> Memo<ParamsMap> {
    expect_context::<PageParams>().0
}

/// The query string's values, decoded.
pub fn use_query_map() -> Memo<ParamsMap> {
    let search = use_location().search;
    Memo::new(move |_| search.with(|s| query_values(s)))
}

/// Moves to `to`, a path with an optional query (`/search?q=…`).
pub fn use_navigate() -> impl Fn(&str) + Clone + 'static {
    let url = use_location().url;
    move |to: &str| go(url, to)
}

/// A new entry in the browser's history, at the top of the page.
fn go(url: RwSignal<Url>, to: &str) {
    let Ok(history) = window().history() else { return };
    if history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to)).is_ok() {
        url.set(Url::current());
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// The path and query a click on a link inside the app goes to; `None` for anything the
/// browser should do itself: another site, a download, a new tab or window, a `#fragment` of
/// this page.
fn followed_in_app(ev: &web_sys::MouseEvent) -> Option<String> {
    if ev.default_prevented() || ev.button() != 0 || ev.meta_key() || ev.alt_key() || ev.ctrl_key() || ev.shift_key() {
        return None;
    }
    let link = ev.target()?.dyn_into::<web_sys::Element>().ok()?.closest("a[href]").ok()??.dyn_into::<web_sys::HtmlAnchorElement>().ok()?;
    let opens_elsewhere = !matches!(link.target().as_str(), "" | "_self");
    if opens_elsewhere || link.has_attribute("download") || link.rel().split_whitespace().any(|r| r == "external") {
        return None;
    }
    let here = window().location();
    if link.origin() != here.origin().ok()? {
        return None;
    }
    let (path, search) = (link.pathname(), link.search());
    let same_page = here.pathname().ok()? == path && here.search().ok()? == search;
    if same_page && !link.hash().is_empty() {
        return None;
    }
    Some(format!("{path}{search}"))
}

fn query_values(search: &str) -> ParamsMap {
    ParamsMap(
        search
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(&name.replace('+', " ")), decode(&value.replace('+', " ")))
            })
            .collect(),
    )
}

/// A path segment or query value with its `%xx` escapes undone (as it was if they are broken).
fn decode(part: &str) -> String {
    js_sys::decode_uri_component(part).ok().and_then(|s| s.as_string()).unwrap_or_else(|| part.to_string())
}

/// The parameters of `path` if it has the shape of `pattern` (`/initiatives/:id`).
pub fn match_path(pattern: &str, path: &str) -> Option<ParamsMap> {
    let mut expected = pattern.split('/').filter(|s| !s.is_empty());
    let mut given = path.split('/').filter(|s| !s.is_empty());
    let mut params = Vec::new();
    loop {
        match (expected.next(), given.next()) {
            (None, None) => return Some(ParamsMap(params)),
            (Some(e), Some(g)) => match e.strip_prefix(':') {
                Some(name) => params.push((name.to_string(), decode(g))),
                None if e == g => {}
                None => return None,
            },
            _ => return None,
        }
    }
}

/// A link of the main navigation, marked as the current page (`aria-current`) when the path
/// is it or under it.
#[component]
pub fn A(href: &'static str, children: Children) -> impl IntoView {
    let pathname = use_location().pathname;
    let current = move || pathname.with(|p| is_under(p, href)).then_some("page");
    view! { <a href=href aria-current=current>{children()}</a> }
}

fn is_under(path: &str, href: &str) -> bool {
    let (mut path, mut href) = (path.split('/'), href.split('/'));
    loop {
        match (href.next(), path.next()) {
            (None, _) => return true,
            (Some(h), Some(p)) if h == p => {}
            _ => return false,
        }
    }
}
