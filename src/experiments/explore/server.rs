//! The explorer's HTTP server (tiny_http, one request at a time, the comparisons on the
//! driver's threads): the page, `GET /api/levers`, `POST /api/compare`, `POST /api/save`.
//! A compare request that a newer one has overtaken while it waited is answered 409 without
//! running; a request past the limits gets 400 with the limit named.

use super::{BadRequest, Explorer, Request};
use crate::error::{Error, Result};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::io::Read;
use std::net::SocketAddr;
use std::time::Duration;
use tiny_http::{Header, Method, Response};

/// The page: one file, its script and style inline, no network.
pub const PAGE: &str = include_str!("page.html");

/// How long the server waits for a request before it looks whether it was asked to stop.
const POLL: Duration = Duration::from_millis(100);

/// The explorer listening on an address.
pub struct Server {
    http: tiny_http::Server,
    explorer: Explorer,
}

impl Server {
    /// Listens on `addr` (port 0 picks a free one).
    pub fn bind(explorer: Explorer, addr: SocketAddr) -> Result<Server> {
        let http = tiny_http::Server::http(addr)
            .map_err(|e| Error::Write(format!("cannot listen on {addr}: {e}")))?;
        Ok(Server { http, explorer })
    }

    /// The address it listens on.
    pub fn addr(&self) -> Result<SocketAddr> {
        (self.http.server_addr().to_ip())
            .ok_or_else(|| Error::Internal("the explorer listens on no IP address".into()))
    }

    /// Answers requests until [`crate::engine::blocks::stop_requested`] (Ctrl-C).
    pub fn run(&self) -> Result<()> {
        let mut pending = VecDeque::new();
        while !crate::engine::blocks::stop_requested() {
            if pending.is_empty() {
                match self.http.recv_timeout(POLL) {
                    Ok(Some(r)) => pending.push_back(r),
                    Ok(None) => continue,
                    Err(e) => return Err(Error::io("the explorer's socket", e)),
                }
            }
            while let Ok(Some(r)) = self.http.try_recv() {
                pending.push_back(r);
            }
            let Some(request) = pending.pop_front() else {
                continue;
            };
            let overtaken = is_compare(&request) && pending.iter().any(is_compare);
            let _ = match overtaken {
                true => request.respond(json_response(
                    409,
                    &json!({"error": "superseded by a newer request"}),
                )),
                false => self.handle(request),
            };
        }
        Ok(())
    }

    fn handle(&self, mut request: tiny_http::Request) -> std::io::Result<()> {
        let url = request.url().split('?').next().unwrap_or("").to_string();
        let response = match (request.method(), url.as_str()) {
            (Method::Get, "/" | "/index.html") => {
                let page = Response::from_string(PAGE)
                    .with_header(header("Content-Type", "text/html; charset=utf-8"));
                return request.respond(page.with_header(header("Content-Security-Policy", CSP)));
            }
            (Method::Get, "/api/levers") => json_response(200, &self.explorer.levers_json()),
            (Method::Post, "/api/compare" | "/api/save") => match read_body(&mut request) {
                Ok(body) => self.post(&url, &body),
                Err(e) => json_response(400, &json!({"error": e.0})),
            },
            (_, "/" | "/index.html" | "/api/levers" | "/api/compare" | "/api/save") => {
                json_response(
                    405,
                    &json!({"error": format!("{} does not take {}", url, request.method())}),
                )
            }
            _ => json_response(
                404,
                &json!({"error": format!("no such page: {url}; the API is GET /api/levers, POST /api/compare, POST /api/save")}),
            ),
        };
        request.respond(response)
    }

    /// A compare or save request: 400 for what the client got wrong, 500 for the rest.
    fn post(&self, url: &str, body: &[u8]) -> Response<std::io::Cursor<Vec<u8>>> {
        let request = match self.explorer.request(body) {
            Ok(r) => r,
            Err(BadRequest(e)) => return json_response(400, &json!({"error": e})),
        };
        let result = match url {
            "/api/save" => self.save(&request),
            _ => self.explorer.answer(&request, 1),
        };
        match result {
            Ok(v) => json_response(200, &v),
            Err(e @ Error::Input(_)) => json_response(400, &json!({"error": e.to_string()})),
            Err(e) => json_response(500, &json!({"error": e.to_string()})),
        }
    }

    fn save(&self, r: &Request) -> Result<Value> {
        let dir = self.explorer.save(r)?;
        Ok(json!({"folder": dir.display().to_string(), "command": self.explorer.command(r)}))
    }
}

/// No network but the server itself: scripts and styles inline, requests to this origin.
const CSP: &str = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:";

fn is_compare(r: &tiny_http::Request) -> bool {
    *r.method() == Method::Post && r.url().split('?').next() == Some("/api/compare")
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

fn json_response(status: u16, value: &Value) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_string(value.to_string())
        .with_status_code(status)
        .with_header(header("Content-Type", "application/json"))
}
