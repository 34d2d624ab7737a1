//! One HAR entry back into HTTP/1.x bytes: a request line from the method and URL, the
//! headers in the recorded order and case, the body from `postData` or `content`; then
//! whatever framing the bytes need to be read back (a Host header, a Content-Length, a
//! chunk), each such change said by a diagnostic.

use base64::Engine as _;

use super::entry::{Content, Entry, Field, PostData, Request, Response};
use crate::model::grammar::{last_coding, status_has_no_body};
use crate::model::Code;

/// The bytes of one rebuilt message and what was changed or left out to make them.
pub(super) struct Rebuilt {
    pub bytes: Vec<u8>,
    /// The HTTP version is HTTP/2 or HTTP/3, shown as text.
    pub h2_text: bool,
    /// The HAR holds no body: only the head is read, the body counted by this size.
    pub hidden: Option<Option<u64>>,
    pub notes: Vec<(Code, Vec<String>)>,
}

/// The start line's version token for a recorded `httpVersion`, and whether it is the
/// text form of HTTP/2 or HTTP/3 (which then keeps pseudo-header fields).
pub(super) fn version(
    recorded: Option<&str>,
    notes: &mut Vec<(Code, Vec<String>)>,
) -> (&'static str, bool) {
    let recorded = recorded.unwrap_or("").trim();
    let lower = recorded.to_ascii_lowercase();
    let token = match lower.as_str() {
        "http/1.1" => "HTTP/1.1",
        "http/1.0" => "HTTP/1.0",
        "h2" | "h2c" | "http/2" | "http/2.0" => "HTTP/2",
        v if v == "h3" || v.starts_with("h3-") || v == "http/3" || v == "http/3.0" => "HTTP/3",
        _ => {
            notes.push((Code::HarVersionUnknown, vec![recorded.to_string()]));
            return ("HTTP/1.1", false);
        }
    };
    let h2 = token.starts_with("HTTP/2") || token.starts_with("HTTP/3");
    if h2 {
        notes.push((Code::HarHttp2, vec![token.to_string()]));
    }
    (token, h2)
}

/// The request of an entry.
pub(super) fn request(entry: &Entry) -> Rebuilt {
    let req = &entry.request;
    let mut notes = Vec::new();
    let (token, h2_text) = version(req.http_version.as_deref(), &mut notes);
    let method = req.method.as_deref().unwrap_or("GET");
    let url = req.url.as_deref().unwrap_or("/");
    let (authority, target) = split_url(url);
    let target = if method.eq_ignore_ascii_case("CONNECT") {
        authority.map_or(target, str::to_string)
    } else {
        target
    };
    let mut headers = fields(&req.headers, &mut notes);
    let has_host = headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host"));
    // HTTP/2 carries the authority in `:authority`, never a Host line: add none there.
    if let (false, false, Some(host)) = (has_host, h2_text, authority) {
        headers.insert(0, ("Host".to_string(), host.to_string()));
        notes.push((Code::HarHostAdded, vec![host.to_string()]));
    }
    let (body, hidden) = request_body(req, &headers, &mut notes);
    let mut head = format!("{method} {target} {token}\r\n").into_bytes();
    let body = match hidden {
        Some(_) => Vec::new(),
        None => frame(&mut headers, body, &mut notes),
    };
    finish(&mut head, &headers, &body);
    Rebuilt {
        bytes: head,
        h2_text,
        hidden,
        notes,
    }
}

/// The response of an entry, or `None` when the HAR has none (status 0: blocked,
/// cancelled, failed); `head` tells a response to HEAD, which has no body.
pub(super) fn response(res: &Response, head: bool) -> Option<Rebuilt> {
    let status = res.status.as_deref()?.trim().parse::<u16>().ok();
    let status = status.filter(|s| (100..1000).contains(s))?;
    let mut notes = Vec::new();
    let (token, h2_text) = version(res.http_version.as_deref(), &mut notes);
    let reason = res.status_text.as_deref().unwrap_or("");
    let mut headers = fields(&res.headers, &mut notes);
    let mut line = format!("{token} {status}");
    // HTTP/1.1 keeps the space before an empty reason; HTTP/2 has no reason at all.
    if !h2_text || !reason.is_empty() {
        line.push(' ');
        line.push_str(reason);
    }
    line.push_str("\r\n");
    let mut bytes = line.into_bytes();
    let no_body = head || status_has_no_body(status);
    let content = res.content.as_ref();
    let text = content.and_then(|c| c.text.as_deref());
    // An empty text with a size or length is a body the tool did not keep (a redirect's).
    let text = text.filter(|t| !t.is_empty() || unrecorded_size(content, &headers).is_none());
    let (body, hidden) = match (text.and(content), no_body) {
        (_, true) => (Vec::new(), None),
        (Some(content), false) => (content_bytes(content, &mut notes), None),
        (None, false) => match unrecorded_size(content, &headers) {
            Some(size) => {
                let shown = size.map_or("?".to_string(), |s| s.to_string());
                notes.push((Code::HarBodyNotRecorded, vec![shown]));
                (Vec::new(), Some(size))
            }
            None => (Vec::new(), None),
        },
    };
    if !body.is_empty() {
        let coding = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-encoding"))
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty() && !v.eq_ignore_ascii_case("identity"));
        if let Some(coding) = coding {
            notes.push((Code::HarBodyDecoded, vec![coding]));
        }
    }
    let body = if no_body || hidden.is_some() {
        Vec::new()
    } else {
        frame(&mut headers, body, &mut notes)
    };
    finish(&mut bytes, &headers, &body);
    Some(Rebuilt {
        bytes,
        h2_text,
        hidden,
        notes,
    })
}

/// The size of a response body the HAR announces but does not hold (`content.size`,
/// else Content-Length; `None` inside when only `chunked` tells), or `None` when the
/// response had no body.
fn unrecorded_size(content: Option<&Content>, headers: &[(String, String)]) -> Option<Option<u64>> {
    if let Some(size) = content.and_then(|c| c.size).filter(|s| *s > 0.0) {
        return Some(Some(size as u64));
    }
    let named = |name: &'static str| {
        headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
    };
    if let Some(length) = named("content-length").find_map(|(_, v)| v.trim().parse::<u64>().ok()) {
        return (length > 0).then_some(Some(length));
    }
    named("transfer-encoding").next().map(|_| None)
}

/// Chrome's `_error` (or nothing) as the tail of the `har-no-response` note.
pub(super) fn no_response_note(res: Option<&Response>) -> (Code, Vec<String>) {
    let why = res
        .and_then(|r| r.error.as_deref())
        .filter(|e| !e.is_empty())
        .map_or(String::new(), |e| format!(": {e}"));
    (Code::HarNoResponse, vec![why])
}

/// The headers as recorded; a value with line breaks (Firefox joins repeated
/// `Set-Cookie` fields with LF) becomes one field per line.
fn fields(recorded: &[Field], notes: &mut Vec<(Code, Vec<String>)>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in recorded {
        let name = f.name.clone().unwrap_or_default();
        let value = f.value.as_deref().unwrap_or("");
        if value.contains(['\r', '\n']) {
            let split = value.split(['\r', '\n']).filter(|v| !v.is_empty());
            out.extend(split.map(|v| (name.clone(), v.to_string())));
            if !notes
                .iter()
                .any(|(c, a)| *c == Code::HarValueSplit && a[0] == name)
            {
                notes.push((Code::HarValueSplit, vec![name]));
            }
        } else {
            out.push((name, value.to_string()));
        }
    }
    out
}

/// The body of a request: `postData.text`, else its `params` form-encoded; `hidden` when
/// the HAR says there was a body but holds none of it.
fn request_body(
    req: &Request,
    headers: &[(String, String)],
    notes: &mut Vec<(Code, Vec<String>)>,
) -> (Vec<u8>, Option<Option<u64>>) {
    let Some(post) = &req.post_data else {
        return (Vec::new(), None);
    };
    if let Some(text) = &post.text {
        return (text.as_bytes().to_vec(), None);
    }
    if !post.params.is_empty() && !is_multipart(post) {
        notes.push((Code::HarBodyFromParams, vec![post.params.len().to_string()]));
        let mut form = form_urlencoded::Serializer::new(String::new());
        for p in &post.params {
            form.append_pair(
                p.name.as_deref().unwrap_or(""),
                p.value.as_deref().unwrap_or(""),
            );
        }
        return (form.finish().into_bytes(), None);
    }
    // A postData without text or params: a body only when a size or a length says so.
    let length = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .find_map(|(_, v)| v.trim().parse::<u64>().ok());
    let size = req.body_size.filter(|s| *s > 0.0).map(|s| s as u64);
    match size.or(length).filter(|n| *n > 0) {
        Some(size) => {
            notes.push((Code::HarBodyNotRecorded, vec![size.to_string()]));
            (Vec::new(), Some(Some(size)))
        }
        None => (Vec::new(), None),
    }
}

fn is_multipart(post: &PostData) -> bool {
    post.mime_type.as_deref().is_some_and(|m| {
        m.trim_start()
            .to_ascii_lowercase()
            .starts_with("multipart/")
    })
}

/// `content.text`, base64-decoded when `encoding` says so.
fn content_bytes(content: &Content, notes: &mut Vec<(Code, Vec<String>)>) -> Vec<u8> {
    let text = content.text.as_deref().unwrap_or("");
    let base64 = content
        .encoding
        .as_deref()
        .is_some_and(|e| e.trim().eq_ignore_ascii_case("base64"));
    if !base64 {
        return text.as_bytes().to_vec();
    }
    // Some tools wrap base64 at 76 columns: line breaks are not part of the data.
    let packed: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    match base64::engine::general_purpose::STANDARD.decode(packed.as_bytes()) {
        Ok(bytes) => bytes,
        Err(e) => {
            notes.push((Code::HarBase64Invalid, vec![e.to_string()]));
            text.as_bytes().to_vec()
        }
    }
}

/// The body's bytes on the wire, the headers made to frame them: a chunked body as one
/// chunk, a Content-Length set to the recorded body's length, or one added.
fn frame(
    headers: &mut Vec<(String, String)>,
    body: Vec<u8>,
    notes: &mut Vec<(Code, Vec<String>)>,
) -> Vec<u8> {
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding")
            && last_coding(v.as_bytes()).eq_ignore_ascii_case(b"chunked")
    });
    let len = body.len().to_string();
    if chunked {
        let mut wire = Vec::with_capacity(body.len() + 32);
        if !body.is_empty() {
            notes.push((Code::HarRechunked, vec![len]));
            wire.extend_from_slice(format!("{:x}\r\n", body.len()).as_bytes());
            wire.extend_from_slice(&body);
            wire.extend_from_slice(b"\r\n");
        }
        wire.extend_from_slice(b"0\r\n\r\n");
        return wire;
    }
    let mut lengths = headers
        .iter_mut()
        .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .peekable();
    if lengths.peek().is_some() {
        let mut set = None;
        for (_, value) in lengths {
            if value.trim() != len {
                set.get_or_insert_with(|| value.trim().to_string());
                *value = len.clone();
            }
        }
        if let Some(was) = set {
            notes.push((Code::HarLengthSet, vec![was, len]));
        }
    } else if !body.is_empty() {
        notes.push((Code::HarLengthAdded, vec![len.clone()]));
        headers.push(("Content-Length".to_string(), len));
    }
    body
}

/// Append the header lines, the blank line and the body.
fn finish(bytes: &mut Vec<u8>, headers: &[(String, String)], body: &[u8]) {
    for (name, value) in headers {
        bytes.extend_from_slice(name.as_bytes());
        bytes.extend_from_slice(b": ");
        bytes.extend_from_slice(value.as_bytes());
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(body);
}

/// The authority (without user info) and the origin-form target (path and query, no
/// fragment) of a URL, kept as recorded rather than normalized; a URL without a scheme
/// is taken as a target already.
fn split_url(url: &str) -> (Option<&str>, String) {
    let url = url.split('#').next().unwrap_or(url);
    let Some(scheme_end) = url.find("://") else {
        let target = if url.is_empty() { "/" } else { url };
        return (None, target.to_string());
    };
    let rest = &url[scheme_end + 3..];
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    // `http://host?q` asks for `/?q`; an empty path is `/`.
    let path = &rest[end..];
    let target = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    (Some(authority), target)
}

#[cfg(test)]
mod tests {
    use super::{split_url, version};
    use crate::model::Code;

    #[test]
    fn every_spelling_of_a_version_that_tools_write() {
        for (recorded, token, h2) in [
            ("HTTP/1.1", "HTTP/1.1", false),
            ("http/1.1", "HTTP/1.1", false),
            ("HTTP/1.0", "HTTP/1.0", false),
            ("h2", "HTTP/2", true),
            ("HTTP/2.0", "HTTP/2", true),
            ("http/2.0", "HTTP/2", true),
            ("HTTP/2", "HTTP/2", true),
            ("h3", "HTTP/3", true),
            ("h3-29", "HTTP/3", true),
        ] {
            let mut notes = Vec::new();
            assert_eq!(
                version(Some(recorded), &mut notes),
                (token, h2),
                "{recorded}"
            );
            let codes: Vec<Code> = notes.iter().map(|(c, _)| *c).collect();
            let expected: &[Code] = if h2 { &[Code::HarHttp2] } else { &[] };
            assert_eq!(codes, expected, "{recorded}");
        }
        for recorded in [None, Some(""), Some("unknown")] {
            let mut notes = Vec::new();
            assert_eq!(version(recorded, &mut notes), ("HTTP/1.1", false));
            assert_eq!(notes[0].0, Code::HarVersionUnknown);
        }
    }

    #[test]
    fn a_url_gives_its_authority_and_origin_form_target() {
        for (url, authority, target) in [
            (
                "http://127.0.0.1:8080/a/b?x=1#frag",
                Some("127.0.0.1:8080"),
                "/a/b?x=1",
            ),
            ("https://user:pw@example.org", Some("example.org"), "/"),
            ("http://example.org?q=1", Some("example.org"), "/?q=1"),
            ("http://[::1]:8080/x", Some("[::1]:8080"), "/x"),
            ("/already/a/target", None, "/already/a/target"),
            ("", None, "/"),
        ] {
            assert_eq!(split_url(url), (authority, target.to_string()), "{url}");
        }
    }
}
