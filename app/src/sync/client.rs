//! The sync WebSocket: the only code that holds a connection to the server. It speaks the
//! messages of `rihub_domain::sync::wire` and reports what arrives to its owner.

use rihub_domain::sync::wire::{ClientMessage, ServerMessage};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{MessageEvent, WebSocket};

/// What the socket reports.
pub enum Event {
    Opened,
    Message(ServerMessage),
    /// The connection failed or closed; the owner decides when to try again.
    Closed,
}

pub struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut()>,
}

fn socket_url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" { "wss" } else { "ws" };
    Some(format!("{scheme}://{}/api/sync/socket", location.host().ok()?))
}

impl Socket {
    /// Opens `/api/sync/socket` on this site; the session cookie goes with it.
    pub fn open(report: impl Fn(Event) + Clone + 'static) -> Option<Socket> {
        let ws = WebSocket::new(&socket_url()?).ok()?;
        let r = report.clone();
        let on_open = Closure::<dyn FnMut()>::new(move || r(Event::Opened));
        let r = report.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(text) = e.data().as_string() else { return };
            match serde_json::from_str::<ServerMessage>(&text) {
                Ok(message) => r(Event::Message(message)),
                // A newer server may send messages this build does not know: skip them.
                Err(e) => web_sys::console::warn_1(&format!("unknown sync message: {e}").into()),
            }
        });
        let on_close = Closure::<dyn FnMut()>::new(move || report(Event::Closed));
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Some(Socket { ws, _on_open: on_open, _on_message: on_message, _on_close: on_close })
    }

    /// Sends a message if the socket is open; false if it could not.
    pub fn send(&self, message: &ClientMessage) -> bool {
        self.ws.ready_state() == WebSocket::OPEN && serde_json::to_string(message).is_ok_and(|text| self.ws.send_with_str(&text).is_ok())
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        // Detach first: a socket closed on purpose must not report that it closed.
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}
