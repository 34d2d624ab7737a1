//! Where a request goes and what is forwarded of its head: in reverse mode the `--to`
//! server and the head as received (unless `--rewrite-host`); in forward mode the host
//! an absolute target (`GET http://host/path`) or CONNECT names, with the target made
//! origin-form as RFC 9112 section 3.2.2 asks of a proxy. Each changed line is kept,
//! as received and as forwarded, for the table. `--forwarded` adds two lines.

use std::net::SocketAddr;

use super::upstream::Target;
use crate::client::url::Url;
use crate::explain::{Label, Lang};
use crate::model::{Message, StartLine};

/// Lines changed on the way: (as received, as forwarded); an empty first is added.
pub(super) type Changed = Vec<(Vec<u8>, Vec<u8>)>;

/// What to do with a request head.
pub(super) struct Route {
    pub(super) target: Target,
    /// The head to forward.
    pub(super) head: Vec<u8>,
    pub(super) rewritten: Changed,
    /// CONNECT in forward mode: answer 200 and tunnel.
    pub(super) connect: bool,
}

/// What relay was asked, besides the head.
pub(super) struct Ask<'a> {
    pub(super) to: Option<&'a Target>,
    pub(super) rewrite_host: bool,
    pub(super) forwarded: bool,
    pub(super) peer: SocketAddr,
    pub(super) lang: Lang,
}

/// The route of `message`, whose head is its first `len` raw bytes; `Err` is why it
/// cannot go anywhere (a 400).
pub(super) fn route(message: &Message, len: usize, ask: &Ask) -> Result<Route, String> {
    let head = &message.raw[..len];
    let StartLine::Request { method, target, .. } = &message.start else {
        unreachable!("a client sends requests");
    };
    let method_bytes = &head[method.clone()];
    let target_bytes = &head[target.clone()];
    let mut edits: Vec<(std::ops::Range<usize>, Vec<u8>)> = Vec::new();
    let (target, connect) = match ask.to {
        Some(to) => (to.clone(), false),
        None if method_bytes == b"CONNECT" => {
            let text = String::from_utf8_lossy(target_bytes);
            let url = Url::authority(&text)
                .map_err(|_| Label::RelayNeedsAbsolute.text(ask.lang).to_string())?;
            (to_target(&url), true)
        }
        None => {
            let text = String::from_utf8_lossy(target_bytes);
            let absolute = text.contains("://");
            let url = Url::parse(&text)
                .ok()
                .filter(|_| absolute)
                .ok_or_else(|| Label::RelayNeedsAbsolute.text(ask.lang).to_string())?;
            edits.push((target.clone(), url.target.clone().into_bytes()));
            (to_target(&url), false)
        }
    };
    if ask.rewrite_host {
        let authority = host_value(&target);
        for h in &message.headers {
            if message.bytes(&h.name).eq_ignore_ascii_case(b"host") {
                edits.push((h.value.clone(), authority.clone().into_bytes()));
            }
        }
    }
    let mut added = Vec::new();
    if ask.forwarded {
        let ip = ask.peer.ip();
        let node = if ip.is_ipv6() {
            format!("\"[{ip}]\"")
        } else {
            ip.to_string()
        };
        added.push(format!("Forwarded: for={node}").into_bytes());
        added.push(format!("X-Forwarded-For: {ip}").into_bytes());
    }
    let (head, rewritten) = apply(head, edits, &added);
    Ok(Route {
        target,
        head,
        rewritten,
        connect,
    })
}

fn to_target(url: &Url) -> Target {
    Target {
        host: url.host.clone(),
        port: url.port,
        tls: url.tls,
    }
}

/// The Host value for `target`: the port only when it is not the scheme's default.
fn host_value(target: &Target) -> String {
    let default = if target.tls { 443 } else { 80 };
    if target.port == default {
        if target.host.contains(':') {
            format!("[{}]", target.host)
        } else {
            target.host.clone()
        }
    } else {
        target.authority()
    }
}

/// `head` with each span replaced and `added` lines put before the blank line, and each
/// changed line as received and as forwarded (without line endings).
fn apply(
    head: &[u8],
    mut edits: Vec<(std::ops::Range<usize>, Vec<u8>)>,
    added: &[Vec<u8>],
) -> (Vec<u8>, Changed) {
    if edits.is_empty() && added.is_empty() {
        return (head.to_vec(), Vec::new());
    }
    edits.sort_by_key(|(span, _)| span.start);
    let mut out = Vec::with_capacity(head.len() + 128);
    let mut rewritten = Vec::new();
    let mut at = 0;
    for (span, new) in &edits {
        if span.start < at {
            continue;
        }
        let (line_start, line_end) = line_around(head, span.start);
        let mut now = head[line_start..span.start].to_vec();
        now.extend_from_slice(new);
        now.extend_from_slice(&head[span.end..line_end]);
        rewritten.push((head[line_start..line_end].to_vec(), now));
        out.extend_from_slice(&head[at..span.start]);
        out.extend_from_slice(new);
        at = span.end;
    }
    // The blank line ending the head: CR LF or a bare LF; added lines end the same way.
    let blank = if head.ends_with(b"\r\n") { 2 } else { 1 };
    let blank_at = head.len() - blank;
    out.extend_from_slice(&head[at..blank_at]);
    for line in added {
        out.extend_from_slice(line);
        out.extend_from_slice(&head[blank_at..]);
        rewritten.push((Vec::new(), line.clone()));
    }
    out.extend_from_slice(&head[blank_at..]);
    (out, rewritten)
}

/// The line holding byte `at`: from its start to its content's end (no CR LF).
fn line_around(head: &[u8], at: usize) -> (usize, usize) {
    let start = head[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = head[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(head.len(), |i| at + i);
    let end = if end > start && head[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_target_keeps_the_rest_of_the_head() {
        let head = b"GET http://a/x?y HTTP/1.1\r\nHost: a\r\n\r\n";
        let (out, changed) = apply(head, vec![(4..16, b"/x?y".to_vec())], &[]);
        assert_eq!(out, b"GET /x?y HTTP/1.1\r\nHost: a\r\n\r\n");
        assert_eq!(changed[0].0, b"GET http://a/x?y HTTP/1.1");
        assert_eq!(changed[0].1, b"GET /x?y HTTP/1.1");
    }

    #[test]
    fn added_lines_end_like_the_blank_line() {
        let (out, changed) = apply(b"GET / HTTP/1.1\nHost: a\n\n", vec![], &[b"X: 1".to_vec()]);
        assert_eq!(out, b"GET / HTTP/1.1\nHost: a\nX: 1\n\n");
        assert_eq!(changed, vec![(Vec::new(), b"X: 1".to_vec())]);
    }
}
