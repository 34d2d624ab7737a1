//! JSON Lines: one object per message or error, in the schema of docs/json.md, written
//! member by member straight to the output (the schema is fixed, so serde's generic map
//! machinery is not needed). Strings are escaped by [`super::json_str`] so that no
//! control character (C0, DEL, C1) or bidi mark is written raw.

use std::io::{self, Write};

use base64::Engine;
use chrono::SecondsFormat;
use serde::Serialize;

use super::json_str::{write_bytes, write_str, write_value};
use crate::explain::{self, Lang};
use crate::model::ParseError;
use crate::model::{Context, Header, Lines, Message, Role, SourceLines, StartLine};

/// One JSON object being written: its members in order, commas between them.
pub(super) struct Obj<'w, W: Write + ?Sized> {
    w: &'w mut W,
    first: bool,
}

impl<'w, W: Write + ?Sized> Obj<'w, W> {
    fn open(w: &'w mut W) -> io::Result<Self> {
        w.write_all(b"{")?;
        Ok(Obj { w, first: true })
    }

    /// Start a member: the output, ready for its value. Keys are the schema's own ASCII
    /// names, which need no escaping; the comma, key and colon go out in one write.
    fn key(&mut self, key: &str) -> io::Result<&mut W> {
        let mut member = [0u8; 40];
        let comma = usize::from(!std::mem::take(&mut self.first));
        member[0] = b',';
        member[comma] = b'"';
        let end = comma + 1 + key.len();
        member[comma + 1..end].copy_from_slice(key.as_bytes());
        member[end..end + 2].copy_from_slice(b"\":");
        self.w.write_all(&member[..end + 2])?;
        Ok(&mut *self.w)
    }

    pub(super) fn str(&mut self, key: &str, value: &str) -> io::Result<()> {
        let w = self.key(key)?;
        write_str(w, value)
    }

    fn bytes(&mut self, key: &str, value: &[u8]) -> io::Result<()> {
        let w = self.key(key)?;
        write_bytes(w, value)
    }

    pub(super) fn num(&mut self, key: &str, value: impl itoa::Integer) -> io::Result<()> {
        let w = self.key(key)?;
        write_num(w, value)
    }

    fn opt_num(&mut self, key: &str, value: Option<impl itoa::Integer>) -> io::Result<()> {
        let w = self.key(key)?;
        match value {
            Some(n) => write_num(w, n),
            None => w.write_all(b"null"),
        }
    }

    /// A value of the rare kinds, through serde (the slow path).
    pub(super) fn value(&mut self, key: &str, value: &impl Serialize) -> io::Result<()> {
        let w = self.key(key)?;
        write_value(w, value)
    }

    fn close(self) -> io::Result<()> {
        self.w.write_all(b"}")
    }
}

fn write_num<W: Write + ?Sized>(w: &mut W, n: impl itoa::Integer) -> io::Result<()> {
    w.write_all(itoa::Buffer::new().format(n).as_bytes())
}

/// `[a,b,c]`, each element written by `each`.
fn write_array<W: Write + ?Sized, T>(
    w: &mut W,
    items: impl IntoIterator<Item = T>,
    mut each: impl FnMut(&mut W, T) -> io::Result<()>,
) -> io::Result<()> {
    w.write_all(b"[")?;
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        each(w, item)?;
    }
    w.write_all(b"]")
}

fn write_headers<W: Write + ?Sized>(
    w: &mut W,
    msg: &Message,
    headers: &[Header],
) -> io::Result<()> {
    // A header's object is small: it is built whole, then goes out in one write.
    let mut one = Vec::with_capacity(256);
    w.write_all(b"[")?;
    for (i, h) in headers.iter().enumerate() {
        one.clear();
        if i > 0 {
            one.push(b',');
        }
        one.extend_from_slice(b"{\"name\":");
        write_bytes(&mut one, msg.bytes(&h.name))?;
        one.extend_from_slice(b",\"value\":");
        write_bytes(&mut one, msg.bytes(&h.value))?;
        one.push(b'}');
        w.write_all(&one)?;
    }
    w.write_all(b"]")
}

/// A number, digit by digit: a call to copy one to six bytes costs more than the bytes.
fn push_num(one: &mut Vec<u8>, n: impl itoa::Integer) {
    one.extend(itoa::Buffer::new().format(n).bytes());
}

/// One of the schema's own names (a line's part, its ending) as a JSON string: plain
/// ASCII words, which need no escaping.
fn push_name(one: &mut Vec<u8>, name: &str) {
    debug_assert!(name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    one.push(b'"');
    one.extend(name.bytes());
    one.push(b'"');
}

/// The lines of a message or fragment: `raw` holds them, `base` is its offset in the input.
fn write_lines<W: Write + ?Sized>(
    w: &mut W,
    raw: &[u8],
    base: usize,
    lines: &Lines,
    source_lines: &SourceLines,
) -> io::Result<()> {
    // A line's object is small: it is built whole, then goes out in one write.
    let mut one = Vec::with_capacity(256);
    w.write_all(b"[")?;
    for (number, line) in lines.iter(raw).enumerate() {
        one.clear();
        if number > 0 {
            one.push(b',');
        }
        one.extend_from_slice(b"{\"number\":");
        push_num(&mut one, number);
        one.extend_from_slice(b",\"part\":");
        push_name(&mut one, line.part.as_str());
        one.extend_from_slice(b",\"offset\":");
        push_num(&mut one, base + line.start);
        one.extend_from_slice(b",\"length\":");
        push_num(&mut one, line.wire_len());
        one.extend_from_slice(b",\"ending\":");
        push_name(&mut one, line.ending.as_str());
        one.extend_from_slice(b",\"text\":");
        write_bytes(&mut one, &raw[line.content()])?;
        if let Some(source_line) = source_lines.get(number) {
            one.extend_from_slice(b",\"source_line\":");
            push_num(&mut one, source_line);
        }
        one.push(b'}');
        w.write_all(&one)?;
    }
    w.write_all(b"]")
}

fn write_body<W: Write + ?Sized>(w: &mut W, msg: &Message) -> io::Result<()> {
    let bytes = msg.body_bytes();
    let mut obj = Obj::open(w)?;
    obj.num("length", bytes.len())?;
    obj.str("framing", msg.body.framing.map_or("none", |f| f.as_str()))?;
    match std::str::from_utf8(bytes) {
        Ok(text) => obj.str("text", text)?,
        Err(_) => {
            obj.key("text")?.write_all(b"null")?;
            let base64 = base64::engine::general_purpose::STANDARD.encode(bytes);
            obj.str("base64", &base64)?;
        }
    }
    obj.close()
}

fn write_diagnostics<W: Write + ?Sized>(w: &mut W, msg: &Message, lang: Lang) -> io::Result<()> {
    write_array(w, &msg.diagnostics, |w, d| {
        let mut obj = Obj::open(w)?;
        obj.str("severity", d.severity().as_str())?;
        obj.str("code", d.code.as_str())?;
        obj.opt_num("line", d.line)?;
        obj.num("offset", d.offset)?;
        obj.str("message", &explain::diagnostic_text(d, lang))?;
        obj.close()
    })
}

/// What a listener adds (docs/json.md): the connection and peer; for a request, when it
/// arrived; for an answer, the request it answers; for a refused request, the status.
fn listener_fields<W: Write + ?Sized>(obj: &mut Obj<W>, context: &Context) -> io::Result<()> {
    let Some(origin) = &context.origin else {
        return Ok(());
    };
    obj.num("connection", origin.connection)?;
    obj.str("peer", &origin.peer)?;
    match origin.role {
        Role::Request => obj.str(
            "received_at",
            &origin.at.to_rfc3339_opts(SecondsFormat::Millis, false),
        )?,
        Role::Answer | Role::InterimAnswer => obj.num("answers", origin.number)?,
    }
    if let Some(status) = context.answered {
        obj.num("answered", status)?;
    }
    Ok(())
}

/// Write one message as a JSON line; `message` texts are in `lang`.
pub fn write_message(out: &mut impl Write, msg: &Message, lang: Lang) -> io::Result<()> {
    let mut obj = Obj::open(out)?;
    match &msg.start {
        StartLine::Request {
            method,
            target,
            version,
        } => {
            obj.str("kind", "request")?;
            obj.num("index", msg.index)?;
            obj.bytes("method", msg.bytes(method))?;
            obj.bytes("target", msg.bytes(target))?;
            obj.bytes("version", msg.bytes(version))?;
        }
        StartLine::Response {
            version,
            status,
            reason,
        } => {
            obj.str("kind", "response")?;
            obj.num("index", msg.index)?;
            obj.bytes("version", msg.bytes(version))?;
            obj.num("status", *status)?;
            obj.bytes("reason", msg.bytes(reason))?;
        }
    }
    write_headers(obj.key("headers")?, msg, &msg.headers)?;
    write_headers(obj.key("trailers")?, msg, &msg.trailers)?;
    write_body(obj.key("body")?, msg)?;
    let context = &msg.context;
    write_lines(
        obj.key("lines")?,
        &msg.raw,
        msg.offset,
        &msg.lines,
        &context.source_lines,
    )?;
    write_diagnostics(obj.key("diagnostics")?, msg, lang)?;
    obj.str("source", context.source.as_str())?;
    if let Some(hidden) = context.body_hidden {
        obj.key("body_shown")?.write_all(b"false")?;
        obj.opt_num("body_hidden_bytes", hidden.bytes)?;
    }
    if let Some(printed) = &context.printed_body {
        obj.str("printed_body", &String::from_utf8_lossy(printed))?;
    }
    listener_fields(&mut obj, context)?;
    super::exchange::exchange_fields(&mut obj, context)?;
    super::har::har_fields(&mut obj, context)?;
    super::relay::relay_fields(&mut obj, context)?;
    super::packet::packet_fields(&mut obj, context)?;
    obj.close()?;
    out.write_all(b"\n")
}

/// Write one error as a JSON line; its `message` is in `lang`.
pub fn write_error(out: &mut impl Write, err: &ParseError, lang: Lang) -> io::Result<()> {
    let context = &err.fragment.context;
    let mut obj = Obj::open(out)?;
    obj.str("kind", "error")?;
    obj.num("index", err.index)?;
    obj.num("line", err.line)?;
    obj.num("offset", err.offset)?;
    obj.str("code", err.kind.code())?;
    obj.str("message", &explain::error_text(&err.kind, lang))?;
    write_lines(
        obj.key("lines")?,
        &err.fragment.raw,
        err.fragment.offset,
        &err.fragment.lines,
        &context.source_lines,
    )?;
    obj.str("source", context.source.as_str())?;
    listener_fields(&mut obj, context)?;
    super::exchange::exchange_fields(&mut obj, context)?;
    super::har::har_fields(&mut obj, context)?;
    super::relay::relay_fields(&mut obj, context)?;
    super::packet::packet_fields(&mut obj, context)?;
    obj.close()?;
    out.write_all(b"\n")
}
