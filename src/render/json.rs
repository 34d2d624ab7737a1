//! JSON Lines: one object per message or error, in the schema of docs/json.md. Strings
//! are escaped so that no control character (C0, DEL, C1) or bidi mark is written raw.

use std::io::{self, Write};

use base64::Engine;
use chrono::SecondsFormat;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::ser::Formatter;

use crate::explain::{self, Lang};
use crate::model::ParseError;
use crate::model::{Context, Header, Message, Role, StartLine};

/// A compact formatter that also escapes DEL, C1 controls and every other character
/// [`super::escape::is_unsafe_char`] names (format characters, line and paragraph
/// separators), which JSON allows raw but a terminal would obey or hide.
#[derive(Default)]
struct SafeFormatter;

impl Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // The common case, ASCII without DEL, is checked word-at-a-time and by memchr.
        let bytes = fragment.as_bytes();
        if fragment.is_ascii() && !bytes.contains(&0x7f) {
            return w.write_all(bytes);
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if super::escape::is_unsafe_char(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                // Outside the BMP (tag characters), JSON needs a surrogate pair.
                for unit in c.encode_utf16(&mut [0; 2]) {
                    write!(w, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
}

/// Bytes as a JSON string: as they are when UTF-8, with `\xNN` for invalid bytes.
struct BytesJson<'a>(&'a [u8]);

impl Serialize for BytesJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(self.0) {
            Ok(text) => s.serialize_str(text),
            Err(_) => {
                let mut text = String::with_capacity(self.0.len() + 8);
                for chunk in self.0.utf8_chunks() {
                    text.push_str(chunk.valid());
                    for b in chunk.invalid() {
                        text.push_str(&format!("\\x{b:02x}"));
                    }
                }
                s.serialize_str(&text)
            }
        }
    }
}

struct Headers<'a>(&'a Message, &'a [Header]);

impl Serialize for Headers<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.1.len()))?;
        for h in self.1 {
            seq.serialize_element(&HeaderJson {
                name: BytesJson(self.0.bytes(&h.name)),
                value: BytesJson(self.0.bytes(&h.value)),
            })?;
        }
        seq.end()
    }
}

#[derive(serde::Serialize)]
struct HeaderJson<'a> {
    name: BytesJson<'a>,
    value: BytesJson<'a>,
}

/// The lines of a message or fragment.
struct LinesJson<'a> {
    raw: &'a [u8],
    base: usize,
    lines: &'a crate::model::Lines,
    source_lines: &'a crate::model::SourceLines,
}

#[derive(serde::Serialize)]
struct LineJson<'a> {
    number: usize,
    part: &'static str,
    offset: usize,
    length: usize,
    ending: &'static str,
    text: BytesJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_line: Option<usize>,
}

impl Serialize for LinesJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.lines.len()))?;
        for (number, line) in self.lines.iter(self.raw).enumerate() {
            seq.serialize_element(&LineJson {
                number,
                part: line.part.as_str(),
                offset: self.base + line.start,
                length: line.wire_len(),
                ending: line.ending.as_str(),
                text: BytesJson(&self.raw[line.content()]),
                source_line: self.source_lines.get(number),
            })?;
        }
        seq.end()
    }
}

struct BodyJson<'a>(&'a Message);

impl Serialize for BodyJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let msg = self.0;
        let bytes = msg.body_bytes();
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("length", &bytes.len())?;
        map.serialize_entry("framing", msg.body.framing.map_or("none", |f| f.as_str()))?;
        match std::str::from_utf8(bytes) {
            Ok(text) => map.serialize_entry("text", text)?,
            Err(_) => {
                map.serialize_entry("text", &())?;
                map.serialize_entry(
                    "base64",
                    &base64::engine::general_purpose::STANDARD.encode(bytes),
                )?;
            }
        }
        map.end()
    }
}

struct Diagnostics<'a>(&'a Message, Lang);

#[derive(serde::Serialize)]
struct DiagnosticJson<'a> {
    severity: &'static str,
    code: &'static str,
    line: Option<usize>,
    offset: usize,
    message: &'a str,
}

impl Serialize for Diagnostics<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.diagnostics.len()))?;
        for d in &self.0.diagnostics {
            let message = explain::diagnostic_text(d, self.1);
            seq.serialize_element(&DiagnosticJson {
                severity: d.severity().as_str(),
                code: d.code.as_str(),
                line: d.line,
                offset: d.offset,
                message: &message,
            })?;
        }
        seq.end()
    }
}

/// A message as one JSON object, its `message` texts in the given language.
struct MessageJson<'a>(&'a Message, Lang);

impl Serialize for MessageJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let msg = self.0;
        let mut map = s.serialize_map(None)?;
        match &msg.start {
            StartLine::Request {
                method,
                target,
                version,
            } => {
                map.serialize_entry("kind", "request")?;
                map.serialize_entry("index", &msg.index)?;
                map.serialize_entry("method", &BytesJson(msg.bytes(method)))?;
                map.serialize_entry("target", &BytesJson(msg.bytes(target)))?;
                map.serialize_entry("version", &BytesJson(msg.bytes(version)))?;
            }
            StartLine::Response {
                version,
                status,
                reason,
            } => {
                map.serialize_entry("kind", "response")?;
                map.serialize_entry("index", &msg.index)?;
                map.serialize_entry("version", &BytesJson(msg.bytes(version)))?;
                map.serialize_entry("status", status)?;
                map.serialize_entry("reason", &BytesJson(msg.bytes(reason)))?;
            }
        }
        map.serialize_entry("headers", &Headers(msg, &msg.headers))?;
        map.serialize_entry("trailers", &Headers(msg, &msg.trailers))?;
        map.serialize_entry("body", &BodyJson(msg))?;
        map.serialize_entry(
            "lines",
            &LinesJson {
                raw: &msg.raw,
                base: msg.offset,
                lines: &msg.lines,
                source_lines: &msg.context.source_lines,
            },
        )?;
        map.serialize_entry("diagnostics", &Diagnostics(msg, self.1))?;
        map.serialize_entry("source", msg.context.source.as_str())?;
        if let Some(hidden) = msg.context.body_hidden {
            map.serialize_entry("body_shown", &false)?;
            map.serialize_entry("body_hidden_bytes", &hidden.bytes)?;
        }
        if let Some(printed) = &msg.context.printed_body {
            map.serialize_entry("printed_body", &String::from_utf8_lossy(printed))?;
        }
        listener_fields(&mut map, &msg.context)?;
        super::exchange::exchange_fields(&mut map, &msg.context)?;
        super::har::har_fields(&mut map, &msg.context)?;
        super::relay::relay_fields(&mut map, &msg.context)?;
        super::packet::packet_fields(&mut map, &msg.context)?;
        map.end()
    }
}

struct ErrorJson<'a>(&'a ParseError, Lang);

impl Serialize for ErrorJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("kind", "error")?;
        map.serialize_entry("index", &e.index)?;
        map.serialize_entry("line", &e.line)?;
        map.serialize_entry("offset", &e.offset)?;
        map.serialize_entry("code", e.kind.code())?;
        map.serialize_entry("message", &explain::error_text(&e.kind, self.1))?;
        map.serialize_entry(
            "lines",
            &LinesJson {
                raw: &e.fragment.raw,
                base: e.fragment.offset,
                lines: &e.fragment.lines,
                source_lines: &e.fragment.context.source_lines,
            },
        )?;
        map.serialize_entry("source", e.fragment.context.source.as_str())?;
        listener_fields(&mut map, &e.fragment.context)?;
        super::exchange::exchange_fields(&mut map, &e.fragment.context)?;
        super::har::har_fields(&mut map, &e.fragment.context)?;
        super::relay::relay_fields(&mut map, &e.fragment.context)?;
        super::packet::packet_fields(&mut map, &e.fragment.context)?;
        map.end()
    }
}

/// What a listener adds (docs/json.md): the connection and peer; for a request, when it
/// arrived; for an answer, the request it answers; for a refused request, the status.
fn listener_fields<M: SerializeMap>(map: &mut M, context: &Context) -> Result<(), M::Error> {
    let Some(origin) = &context.origin else {
        return Ok(());
    };
    map.serialize_entry("connection", &origin.connection)?;
    map.serialize_entry("peer", &origin.peer)?;
    match origin.role {
        Role::Request => map.serialize_entry(
            "received_at",
            &origin.at.to_rfc3339_opts(SecondsFormat::Millis, false),
        )?,
        Role::Answer | Role::InterimAnswer => map.serialize_entry("answers", &origin.number)?,
    }
    if let Some(status) = context.answered {
        map.serialize_entry("answered", &status)?;
    }
    Ok(())
}

fn write_json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, SafeFormatter);
    // `From` keeps the kind of an I/O error (a closed pipe must stay `BrokenPipe`).
    value.serialize(&mut ser).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// Write one message as a JSON line; `message` texts are in `lang`.
pub fn write_message(out: &mut impl Write, msg: &Message, lang: Lang) -> io::Result<()> {
    write_json(out, &MessageJson(msg, lang))
}

/// Write one error as a JSON line; its `message` is in `lang`.
pub fn write_error(out: &mut impl Write, err: &ParseError, lang: Lang) -> io::Result<()> {
    write_json(out, &ErrorJson(err, lang))
}
