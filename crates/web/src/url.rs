//! The address bar follows the session: a discrete change adds a history entry at once; a continuous one
//! (dragging, typing, zooming, stepping) replaces the current entry at most every [`URL_EVERY_MS`], the
//! last one at the next frame after that, because browsers throttle faster writes.

use crate::session::UrlWrite;
use wasm_bindgen::JsValue;

/// The address bar is rewritten at most this often (ms) by replacements.
pub const URL_EVERY_MS: f64 = 250.0;

pub struct UrlSync {
    /// The query in the address bar (with its `?`).
    written: String,
    written_at: f64,
    /// A replacement is waiting for its turn.
    pending: bool,
}

impl UrlSync {
    /// The address bar holds `query` when the page opens.
    pub fn new(query: &str) -> UrlSync {
        UrlSync { written: query.to_owned(), written_at: f64::NEG_INFINITY, pending: false }
    }

    /// The query in the address bar.
    pub fn current(&self) -> &str {
        &self.written
    }

    /// The browser went back or forward: the address bar already holds `query`.
    pub fn restored(&mut self, query: String) {
        self.written = query;
        self.pending = false;
    }

    /// The session's link is now `query`; `write` says how the address bar follows.
    pub fn request(&mut self, write: UrlWrite, query: impl FnOnce() -> String, now: f64) {
        match write {
            UrlWrite::Push => self.write(query(), true, now),
            UrlWrite::Replace if now - self.written_at >= URL_EVERY_MS => self.write(query(), false, now),
            UrlWrite::Replace => self.pending = true,
        }
    }

    /// A waiting replacement whose turn has come (once a frame).
    pub fn flush_due(&mut self, query: impl FnOnce() -> String, now: f64) {
        if self.pending && now - self.written_at >= URL_EVERY_MS {
            self.write(query(), false, now);
        }
    }

    /// Writes a waiting replacement now (before the link is shown or copied).
    pub fn flush(&mut self, query: String, now: f64) {
        self.write(query, false, now);
    }

    fn write(&mut self, query: String, push: bool, now: f64) {
        self.pending = false;
        if query == self.written {
            return;
        }
        let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else { return };
        let written = if push {
            history.push_state_with_url(&JsValue::NULL, "", Some(&query))
        } else {
            history.replace_state_with_url(&JsValue::NULL, "", Some(&query))
        };
        if written.is_ok() {
            self.written = query;
            self.written_at = now;
        }
    }
}
