//! What a packet capture adds: a message's TCP stream, capture time and the request a
//! response answers, in its title and as JSON fields; and the line listing a stream that
//! carried no HTTP (or packets that could not be followed).

use std::io::{self, Write};

use chrono::SecondsFormat;

use super::escape::visible;
use super::{Format, Sink};
use crate::explain::{Label, Lang};
use crate::model::{CaptureNote, Context, StreamKind, TcpStream};

fn stream_words(stream: &TcpStream, lang: Lang) -> String {
    Label::PacketStream.fill(
        lang,
        &[&stream.number.to_string(), &stream.client, &stream.server],
    )
}

fn time_words(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S%.f UTC").to_string()
}

/// The title parts of a message read from a capture: "TCP stream 0: 127.0.0.1:40312 →
/// 127.0.0.1:8080", "captured 2026-12-07 22:10:01.123456 UTC", "answers message 1".
pub fn packet_words(context: &Context, lang: Lang) -> Vec<String> {
    let Some(packet) = &context.packet else {
        return Vec::new();
    };
    let mut words = vec![stream_words(&packet.stream, lang)];
    if let Some(at) = &packet.at {
        words.push(Label::PacketAt.fill(lang, &[&time_words(at)]));
    }
    if let Some(request) = packet.answers {
        words.push(Label::PacketAnswers.fill(lang, &[&request.to_string()]));
    }
    words.iter().map(|w| visible(w.as_bytes())).collect()
}

/// What a capture adds to a message's JSON object (docs/json.md): `tcp_stream`,
/// `client`, `server`, `from_client`, `captured_at` and, on a response, `answers`.
pub(super) fn packet_fields<W: Write + ?Sized>(
    obj: &mut super::json::Obj<W>,
    context: &Context,
) -> io::Result<()> {
    let Some(packet) = &context.packet else {
        return Ok(());
    };
    obj.value("tcp_stream", &packet.stream.number)?;
    obj.value("client", &packet.stream.client)?;
    obj.value("server", &packet.stream.server)?;
    obj.value("from_client", &packet.from_client)?;
    obj.value(
        "captured_at",
        &packet
            .at
            .map(|at| at.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
    )?;
    if let Some(request) = packet.answers {
        obj.value("answers", &request)?;
    }
    Ok(())
}

/// The words of a capture note, as a table shows them.
pub fn note_words(note: &CaptureNote, lang: Lang) -> String {
    match note {
        CaptureNote::Stream(s) => {
            let what = match s.kind {
                StreamKind::Tls => Label::PacketTls,
                StreamKind::Http2 => Label::PacketHttp2,
                StreamKind::Other => Label::PacketNoHttp,
                StreamKind::Empty => Label::PacketEmpty,
                StreamKind::Switched => Label::PacketSwitched,
            };
            let bytes = Label::PacketBytes.fill(
                lang,
                &[&s.client_bytes.to_string(), &s.server_bytes.to_string()],
            );
            let mut text = format!(
                "{} · {} · {bytes}",
                stream_words(&s.stream, lang),
                what.text(lang)
            );
            if let Some(at) = &s.at {
                text.push_str(" · ");
                text.push_str(&Label::PacketAt.fill(lang, &[&time_words(at)]));
            }
            visible(text.as_bytes())
        }
        CaptureNote::Fragments { count } => {
            Label::PacketFragments.fill(lang, &[&count.to_string()])
        }
        CaptureNote::LinkType { linktype, count } => {
            Label::PacketLinkType.fill(lang, &[&count.to_string(), &linktype.to_string()])
        }
    }
}

impl Sink {
    /// A note from a capture: a dim line in a table, an object in JSON (docs/json.md),
    /// nothing in raw output.
    pub fn capture_note(&self, note: &CaptureNote, out: &mut impl Write) -> io::Result<()> {
        match self.format {
            // Wrapped to the table width, as `listen`'s notes are.
            Format::Table => self.note(&note_words(note, self.options.lang), out),
            Format::Json => {
                let value = note_json(note, self.options.lang);
                super::json_str::write_value(&mut *out, &value)?;
                out.write_all(b"\n")
            }
            Format::Raw => Ok(()),
        }
    }
}

fn note_json(note: &CaptureNote, lang: Lang) -> serde_json::Value {
    let message = note_words(note, lang);
    match note {
        CaptureNote::Stream(s) => serde_json::json!({
            "kind": "stream",
            "tcp_stream": s.stream.number,
            "client": s.stream.client,
            "server": s.stream.server,
            "carries": s.kind.as_str(),
            "client_bytes": s.client_bytes,
            "server_bytes": s.server_bytes,
            "captured_at": s.at.map(|at| at.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            "message": message,
        }),
        CaptureNote::Fragments { count } => serde_json::json!({
            "kind": "fragments",
            "count": count,
            "message": message,
        }),
        CaptureNote::LinkType { linktype, count } => serde_json::json!({
            "kind": "link-type",
            "linktype": linktype,
            "count": count,
            "message": message,
        }),
    }
}
