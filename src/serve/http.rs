//! The preview's own small HTTP server: GET and HEAD of the built files, the live-reload poll,
//! and nothing else. Plain std on purpose: it serves one editor on 127.0.0.1, a few hundred lines
//! with one thread per connection need no async stack, and every request path is checked here
//! (decoded, then refused if it would leave the site) before a file is read.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::inject::inject;
use super::{Shared, View, LIVE_JS, MAX_REQUEST, OVERLAY_CSS, POLL_WAIT};

pub(super) struct Request {
    pub(super) method: String,
    pub(super) target: String,
    pub(super) host: Option<String>,
}

pub(super) struct Response {
    pub(super) status: u16,
    pub(super) content_type: std::borrow::Cow<'static, str>,
    pub(super) body: Vec<u8>,
    pub(super) location: Option<String>,
}

impl Response {
    pub(super) fn new(
        status: u16,
        content_type: impl Into<std::borrow::Cow<'static, str>>,
        body: impl Into<Vec<u8>>,
    ) -> Self {
        Response { status, content_type: content_type.into(), body: body.into(), location: None }
    }

    pub(super) fn text(status: u16, body: &str) -> Self {
        Response::new(status, "text/plain; charset=utf-8", format!("{body}\n"))
    }
}

pub(super) fn handle(mut stream: TcpStream, shared: &Shared, port: u16) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    // A client that stops reading must not hold a thread forever.
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let (response, head_only) = match read_request(&mut stream) {
        None => (Response::text(400, "bad request"), false),
        Some(req) => (respond(&req, shared, port), req.method == "HEAD"),
    };
    let _ = write_response(&mut stream, &response, head_only);
}

/// Reads the request line and headers (no body: only GET and HEAD are served).
pub(super) fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 2048];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 || buf.len() + n > MAX_REQUEST {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&buf);
    let mut lines = text.split("\r\n");
    let mut parts = lines.next()?.split(' ');
    let (method, target) = (parts.next()?.to_string(), parts.next()?.to_string());
    let host = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.trim().to_string());
    Some(Request { method, target, host })
}

pub(super) fn write_response(stream: &mut TcpStream, r: &Response, head_only: bool) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        r.body.len()
    );
    if let Some(loc) = &r.location {
        head.push_str(&format!("Location: {loc}\r\n"));
    }
    if r.status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&r.body)?;
    }
    stream.flush()
}

pub(super) fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        _ => "Service Unavailable",
    }
}

pub(super) fn respond(req: &Request, shared: &Shared, port: u16) -> Response {
    if req.method != "GET" && req.method != "HEAD" {
        return Response::text(405, "only GET and HEAD");
    }
    // Only our own origin: a page on another site that rebinds a name to 127.0.0.1 cannot read.
    if let Some(host) = &req.host {
        if host != &format!("127.0.0.1:{port}") && host != &format!("localhost:{port}") {
            return Response::text(403, "unknown host");
        }
    }
    let (path, query) = req.target.split_once('?').unwrap_or((&req.target, ""));
    match path {
        "/__oberih/live.js" => Response::new(200, "text/javascript; charset=utf-8", LIVE_JS),
        "/__oberih/overlay.css" => Response::new(200, "text/css; charset=utf-8", OVERLAY_CSS),
        "/__oberih/poll.js" => poll(shared, query),
        _ => {
            let _reading = shared.reading();
            serve_file(path, query, &View::of(shared))
        }
    }
}

/// Answers `/__oberih/poll.js?since=ID` once the build id differs from `ID`, or after
/// [`POLL_WAIT`] with the same id (the script then polls again).
pub(super) fn poll(shared: &Shared, query: &str) -> Response {
    let since = query.split('&').find_map(|p| p.strip_prefix("since=")).unwrap_or("");
    let deadline = Instant::now() + POLL_WAIT;
    let mut state = shared.lock();
    while state.build_id() == since {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        state = match shared.changed.wait_timeout(state, left) {
            Ok((guard, _)) => guard,
            Err(poisoned) => poisoned.into_inner().0,
        };
    }
    let id = serde_json::Value::String(state.build_id());
    drop(state);
    Response::new(200, "text/javascript; charset=utf-8", format!("window.__oberihLive&&window.__oberihLive({id});\n"))
}

// ------------------------------------------------------------------------------------ files

pub(super) fn serve_file(raw: &str, query: &str, view: &View) -> Response {
    let Some(decoded) = percent_decode(raw) else { return Response::text(400, "bad path") };
    let Some(rel) = safe_relative(&decoded) else { return Response::text(403, "path refused") };
    let Some(site) = &view.site else { return no_site(&decoded, view) };
    let mut file = site.join(rel);
    if file.is_dir() {
        // Relative links inside the page only work from the folder's own address.
        if !decoded.ends_with('/') {
            let mut r = Response::text(301, "moved");
            let to = folder_address(raw);
            r.location = Some(if query.is_empty() { to } else { format!("{to}?{query}") });
            return r;
        }
        file = file.join("index.html");
    }
    match read_inside(site, &file) {
        Some(bytes) => page(200, content_type(&file), bytes, view),
        // Browsers ask for it on their own; a site without one should not fill the console.
        None if decoded == "/favicon.ico" => Response::new(204, "image/x-icon", Vec::new()),
        None => match read_inside(site, &site.join("404.html")) {
            Some(bytes) => page(404, "text/html; charset=utf-8", bytes, view),
            None => Response::text(404, "not found"),
        },
    }
}

/// The address of a folder, ending in `/`, with runs of slashes made one: `//uk` must not become
/// `//uk/`, which a browser reads as the host `uk` (an open redirect).
pub(super) fn folder_address(raw: &str) -> String {
    let segments: Vec<&str> = raw.split('/').filter(|s| !s.is_empty()).collect();
    format!("/{}/", segments.join("/"))
}

/// Before any build has succeeded there is no site: pages show the diagnostics alone.
pub(super) fn no_site(decoded: &str, view: &View) -> Response {
    let last = decoded.rsplit('/').next().unwrap_or("");
    let is_page = last.is_empty() || last.ends_with(".html") || !last.contains('.');
    if view.error.is_none() || !is_page {
        return Response::text(503, "the site has not been built yet");
    }
    let html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
        <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
        <title>Build failed · oberih serve</title></head><body></body></html>";
    Response::new(500, "text/html; charset=utf-8", inject(html, view))
}

/// Reads a file only if it really lies inside the site (no symlink leads out).
pub(super) fn read_inside(site: &Path, file: &Path) -> Option<Vec<u8>> {
    let real = file.canonicalize().ok()?;
    let site = site.canonicalize().ok()?;
    if !real.starts_with(&site) || !real.is_file() {
        return None;
    }
    std::fs::read(real).ok()
}

pub(super) fn page(
    status: u16,
    content_type: impl Into<std::borrow::Cow<'static, str>>,
    bytes: Vec<u8>,
    view: &View,
) -> Response {
    let content_type = content_type.into();
    if !content_type.starts_with("text/html") {
        return Response::new(status, content_type, bytes);
    }
    match String::from_utf8(bytes) {
        Ok(html) => Response::new(status, content_type, inject(&html, view)),
        Err(e) => Response::new(status, content_type, e.into_bytes()),
    }
}

/// `%XX` escapes decoded; `None` for a bad escape or a result that is not UTF-8.
pub(super) fn percent_decode(s: &str) -> Option<String> {
    // The crate passes a malformed escape through as it is; a request with one is refused.
    let well_formed = s
        .match_indices('%')
        .all(|(i, _)| s.get(i + 1..i + 3).is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit())));
    if !well_formed {
        return None;
    }
    percent_encoding::percent_decode_str(s).decode_utf8().ok().map(|d| d.into_owned())
}

/// The site-relative path of a decoded request path; `None` if it tries to leave the site.
pub(super) fn safe_relative(decoded: &str) -> Option<PathBuf> {
    let rest = decoded.strip_prefix('/')?;
    let mut rel = PathBuf::new();
    for seg in rest.split('/') {
        if seg.is_empty() || seg == "." {
            continue;
        }
        if seg == ".." || seg.contains(['\\', '\0', ':']) {
            return None;
        }
        rel.push(seg);
    }
    Some(rel)
}

pub(super) fn content_type(path: &Path) -> String {
    use mime_guess::mime;
    let guess = mime_guess::from_path(path).first_or_octet_stream();
    // Pages, stylesheets, scripts and data are written as UTF-8: say so, so no browser guesses.
    let textual = guess.type_() == mime::TEXT || [mime::JAVASCRIPT, mime::JSON, mime::XML].contains(&guess.subtype());
    if textual {
        format!("{}; charset=utf-8", guess.essence_str())
    } else {
        guess.essence_str().to_string()
    }
}
