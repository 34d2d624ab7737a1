//! The request `send` writes: built as curl builds it (`Host`, `User-Agent`, `Accept`,
//! then the `-H` headers in the order and case given, `Content-Length` for a body), or a
//! file's bytes, whose bare LF line endings `--crlf` turns into CRLF in heads only
//! (a body's bytes are data and stay).

use super::url::Url;
use crate::model::grammar::is_tchar;
use crate::model::{LineEnding, Part};
use crate::wire::{self, ParseOptions, Parsed, State};

/// A `-H` argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderArg {
    /// `Name: value`: sent as written.
    Send { name: String, value: String },
    /// `Name:` with nothing after: a default header of that name is not sent.
    Remove(String),
}

/// Why a `-H` argument was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderProblem {
    /// No colon (or semicolon, curl's way to send an empty value).
    Form,
    /// CR or LF in it.
    OneLine,
    /// The name is not a token.
    Name(String),
    /// A control character in the value.
    Value,
}

impl HeaderArg {
    /// `Name: value`, `Name:` (remove a default) or `Name;` (send it empty), as curl reads them.
    pub fn parse(text: &str) -> Result<HeaderArg, HeaderProblem> {
        if text.contains(['\r', '\n']) {
            return Err(HeaderProblem::OneLine);
        }
        let (name, value, empty) = match (text.split_once(':'), text.strip_suffix(';')) {
            (Some((name, value)), _) => (name, value.trim_matches([' ', '\t']), false),
            (None, Some(name)) => (name, "", true),
            (None, None) => return Err(HeaderProblem::Form),
        };
        if name.is_empty() || !name.bytes().all(is_tchar) {
            return Err(HeaderProblem::Name(name.to_string()));
        }
        if value
            .bytes()
            .any(|b| (b.is_ascii_control() && b != b'\t') || b == 0x7f)
        {
            return Err(HeaderProblem::Value);
        }
        Ok(if value.is_empty() && !empty {
            HeaderArg::Remove(name.to_string())
        } else {
            HeaderArg::Send {
                name: name.to_string(),
                value: value.to_string(),
            }
        })
    }

    fn name(&self) -> &str {
        match self {
            HeaderArg::Send { name, .. } | HeaderArg::Remove(name) => name,
        }
    }
}

/// What to build a request from.
#[derive(Clone, Debug)]
pub struct Spec {
    pub method: String,
    pub url: Url,
    pub headers: Vec<HeaderArg>,
    pub body: Option<Vec<u8>>,
    /// The body came from `-d` (curl then says it is a form).
    pub form: bool,
    pub http10: bool,
}

/// The request's exact bytes.
pub fn build(spec: &Spec) -> Vec<u8> {
    let version = if spec.http10 { "HTTP/1.0" } else { "HTTP/1.1" };
    let mut head = format!("{} {} {version}\r\n", spec.method, spec.url.target);
    let given = |name: &str| {
        spec.headers
            .iter()
            .any(|h| h.name().eq_ignore_ascii_case(name))
    };
    let user_agent = format!("httpdump/{}", env!("CARGO_PKG_VERSION"));
    let mut defaults = vec![
        ("Host", spec.url.host_header()),
        ("User-Agent", user_agent),
        ("Accept", "*/*".to_string()),
    ];
    if let Some(body) = &spec.body {
        defaults.push(("Content-Length", body.len().to_string()));
        if spec.form {
            defaults.push((
                "Content-Type",
                "application/x-www-form-urlencoded".to_string(),
            ));
        }
    }
    // The Host, User-Agent and Accept defaults come first, the body's last, as in curl.
    let (first, last) = defaults.split_at(3);
    let mut push = |name: &str, value: &str| {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    };
    for (name, value) in first.iter().filter(|(n, _)| !given(n)) {
        push(name, value);
    }
    for header in &spec.headers {
        if let HeaderArg::Send { name, value } = header {
            push(name, value);
        }
    }
    for (name, value) in last.iter().filter(|(n, _)| !given(n)) {
        push(name, value);
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    if let Some(body) = &spec.body {
        bytes.extend_from_slice(body);
    }
    bytes
}

/// `bytes` with every bare LF that ends a line of a head (start line, headers, the blank
/// line, chunk-size lines and trailers) or lies between messages made CRLF, and how many
/// were. Body bytes are left as they are: they are counted by Content-Length.
pub fn crlf_heads(bytes: &[u8]) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 16);
    let mut fixed = 0;
    let mut state = State::default();
    let opts = ParseOptions::default();
    let mut pos = 0;
    let lf_to_crlf = |out: &mut Vec<u8>, chunk: &[u8]| -> usize {
        let mut n = 0;
        for (i, &b) in chunk.iter().enumerate() {
            if b == b'\n' && (i == 0 || chunk[i - 1] != b'\r') {
                out.push(b'\r');
                n += 1;
            }
            out.push(b);
        }
        n
    };
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        let blank = rest
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        if blank > 0 {
            fixed += lf_to_crlf(&mut out, &rest[..blank]);
            pos += blank;
            continue;
        }
        match wire::parse_message(rest, pos, &mut state, &opts, true) {
            Parsed::Complete { message, consumed } => {
                for line in message.lines.iter(&message.raw) {
                    out.extend_from_slice(&message.raw[line.content()]);
                    let data = matches!(line.part, Part::Body | Part::ChunkData);
                    match line.ending {
                        LineEnding::Lf if !data => {
                            out.extend_from_slice(b"\r\n");
                            fixed += 1;
                        }
                        ending => {
                            let end = line.start + line.len;
                            out.extend_from_slice(&message.raw[end..end + ending.len()]);
                        }
                    }
                }
                pos += consumed;
            }
            Parsed::Error { consumed, .. } => {
                let n = consumed.clamp(1, rest.len());
                fixed += lf_to_crlf(&mut out, &rest[..n]);
                pos += n;
            }
            Parsed::Partial { .. } => {
                fixed += lf_to_crlf(&mut out, rest);
                pos = bytes.len();
            }
        }
    }
    (out, fixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_parse_like_curls() {
        assert_eq!(
            HeaderArg::parse("X-A:  1 "),
            Ok(HeaderArg::Send {
                name: "X-A".into(),
                value: "1".into()
            })
        );
        assert_eq!(
            HeaderArg::parse("Accept:"),
            Ok(HeaderArg::Remove("Accept".into()))
        );
        assert_eq!(
            HeaderArg::parse("X-Empty;"),
            Ok(HeaderArg::Send {
                name: "X-Empty".into(),
                value: String::new()
            })
        );
        assert_eq!(HeaderArg::parse("nope"), Err(HeaderProblem::Form));
        assert_eq!(
            HeaderArg::parse("a b: c"),
            Err(HeaderProblem::Name("a b".into()))
        );
    }

    #[test]
    fn crlf_fixes_heads_not_bodies() {
        let raw =
            b"POST / HTTP/1.1\nHost: a\nContent-Length: 4\n\na\nb\n\nGET / HTTP/1.1\r\nHost: a\n\n";
        let (out, n) = crlf_heads(raw);
        assert_eq!(
            out,
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\na\nb\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"
        );
        assert_eq!(n, 7);
    }
}
