//! The explorer's HTTP server (tiny_http, one request at a time, the comparisons on the
//! driver's threads): the page, `GET /api/levers`, `POST /api/compare`, `POST /api/save`.
//! A compare request that a newer one overtakes is answered 409: without running when it
//! waited, or stopped at its comparison's next block; a request past the limits gets 400 with
//! the limit named.

use super::{BadRequest, Explorer};
use crate::error::{Error, Result};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::io::Read;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tiny_http::{Header, Method, Response};

/// The page: one file, its script and style inline, no network.
pub const PAGE: &str = include_str!("page.html");

/// How long the server waits for a request before it looks whether it was asked to stop.
const POLL: Duration = Duration::from_millis(100);

/// The explorer listening on an address.
pub struct Server {
    http: tiny_http::Server,
    explorer: Arc<Explorer>,
}

/// The comparison being computed on its own thread, and the flag that stops it.
struct Working {
    thread: std::thread::JoinHandle<()>,
    cancel: Arc<AtomicBool>,
}

impl Server {
    /// Listens on `addr` (port 0 picks a free one).
    pub fn bind(explorer: Explorer, addr: SocketAddr) -> Result<Server> {
        let http = tiny_http::Server::http(addr)
            .map_err(|e| Error::Write(format!("cannot listen on {addr}: {e}")))?;
        Ok(Server {
            http,
            explorer: Arc::new(explorer),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> Result<SocketAddr> {
        (self.http.server_addr().to_ip())
            .ok_or_else(|| Error::Internal("the explorer listens on no IP address".into()))
    }

    /// Answers requests until [`crate::engine::blocks::stop_requested`] (Ctrl-C). Pages and
    /// lever lists are answered at once; one comparison at a time runs on its own thread, and
    /// a newer compare request stops it at its next block (its client gets a 409).
    pub fn run(&self) -> Result<()> {
        let mut pending = VecDeque::new();
        let mut working: Option<Working> = None;
        while !crate::engine::blocks::stop_requested() {
            match self.http.recv_timeout(POLL) {
                Ok(Some(r)) => pending.push_back(r),
                Ok(None) => {}
                Err(e) => return Err(Error::io("the explorer's socket", e)),
            }
            if working.as_ref().is_some_and(|w| w.thread.is_finished()) {
                working = None;
            }
            if let Some(w) = working.as_ref().filter(|_| pending.iter().any(is_compare)) {
                w.cancel.store(true, Ordering::Relaxed);
            }
            while let Some(request) = pending.pop_front() {
                if !is_post(&request) {
                    let _ = self.handle(request);
                } else if is_compare(&request) && pending.iter().any(is_compare) {
                    let _ = request.respond(superseded());
                } else if working.is_none() {
                    working = Some(self.start(request));
                } else {
                    pending.push_front(request);
                    break;
                }
            }
        }
        if let Some(w) = working {
            w.cancel.store(true, Ordering::Relaxed);
            let _ = w.thread.join();
        }
        Ok(())
    }

    /// A compare or save request answered on its own thread.
    fn start(&self, mut request: tiny_http::Request) -> Working {
        let cancel = Arc::new(AtomicBool::new(false));
        let (explorer, flag) = (Arc::clone(&self.explorer), Arc::clone(&cancel));
        let thread = std::thread::spawn(move || {
            let url = path(&request).to_string();
            let response = match read_body(&mut request) {
                Ok(body) => post(&explorer, &url, &body, flag),
                Err(e) => json_response(400, &json!({"error": e.0})),
            };
            let _ = request.respond(response);
        });
        Working { thread, cancel }
    }

    /// A page, the levers, or an error for a request that is neither.
    fn handle(&self, request: tiny_http::Request) -> std::io::Result<()> {
        let url = path(&request).to_string();
        let response = match (request.method(), url.as_str()) {
            (Method::Get, "/" | "/index.html") => {
                let page = Response::from_string(PAGE)
                    .with_header(header("Content-Type", "text/html; charset=utf-8"));
                return request.respond(page.with_header(header("Content-Security-Policy", CSP)));
            }
            (Method::Get, "/api/levers") => json_response(200, &self.explorer.levers_json()),
            (_, "/" | "/index.html" | "/api/levers" | "/api/compare" | "/api/save") => {
                let method = request.method().to_string();
                json_response(
                    405,
                    &json!({"error": format!("{url} does not take {method}")}),
                )
            }
            _ => json_response(
                404,
                &json!({"error": format!("no such page: {url}; the API is GET /api/levers, POST /api/compare, POST /api/save")}),
            ),
        };
        request.respond(response)
    }
}

/// A compare or save request: 400 for what the client got wrong, 409 when a newer request
/// stopped it, 500 for the rest.
fn post(explorer: &Explorer, url: &str, body: &[u8], cancel: Arc<AtomicBool>) -> Answer {
    let request = match explorer.request(body) {
        Ok(r) => r,
        Err(BadRequest(e)) => return json_response(400, &json!({"error": e})),
    };
    let result = match url {
        "/api/save" => explorer.save(&request).map(|dir| {
            json!({"folder": dir.display().to_string(), "command": explorer.command(&request)})
        }),
        _ => explorer.answer(&request, 1, Some(cancel)),
    };
    match result {
        Ok(v) => json_response(200, &v),
        Err(Error::Interrupted) => superseded(),
        Err(e @ Error::Input(_)) => json_response(400, &json!({"error": e.to_string()})),
        Err(e) => json_response(500, &json!({"error": e.to_string()})),
    }
}

type Answer = Response<std::io::Cursor<Vec<u8>>>;

fn superseded() -> Answer {
    json_response(409, &json!({"error": "superseded by a newer request"}))
}

/// The request's path, without its query.
fn path(r: &tiny_http::Request) -> &str {
    r.url().split('?').next().unwrap_or("")
}

fn is_post(r: &tiny_http::Request) -> bool {
    *r.method() == Method::Post && matches!(path(r), "/api/compare" | "/api/save")
}

/// No network but the server itself: scripts and styles inline, requests to this origin.
const CSP: &str = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:";

fn is_compare(r: &tiny_http::Request) -> bool {
    *r.method() == Method::Post && path(r) == "/api/compare"
}

/// The body, refused past [`super::request::MAX_BODY_BYTES`].
fn read_body(request: &mut tiny_http::Request) -> std::result::Result<Vec<u8>, BadRequest> {
    let limit = super::request::MAX_BODY_BYTES;
    let mut body = Vec::new();
    (request
        .as_reader()
        .take(limit as u64 + 1)
        .read_to_end(&mut body))
    .map_err(|e| BadRequest(format!("the body could not be read: {e}")))?;
    match body.len() > limit {
        true => Err(BadRequest(format!("the body is over {limit} bytes"))),
        false => Ok(body),
    }
}

fn header(name: &str, value: &str) -> Header {
    // Both are ASCII constants of this file: the only way this fails.
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|()| unreachable!("ASCII header"))
}

fn json_response(status: u16, value: &Value) -> Answer {
    Response::from_string(value.to_string())
        .with_status_code(status)
        .with_header(header("Content-Type", "application/json"))
}
