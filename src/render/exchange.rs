//! What `send` adds to a message's title (where it was sent or received, over which TLS),
//! the timing line after each exchange, and the same facts as JSON fields.

use std::io::{self, Write};
use std::time::Duration;

use super::escape::visible;
use super::rich::Tone;
use super::{Format, Sink};
use crate::explain::{Label, Lang};
use crate::model::{Context, Direction, Exchange, Timing};

/// The title parts of a message `send` wrote or read: "sent to localhost
/// (127.0.0.1:8080)" and, over TLS, "over TLSv1.3 · TLS13_… · ALPN http/1.1 ·
/// certificate CN=localhost". Safe text.
pub fn exchange_words(context: &Context, lang: Lang) -> Vec<String> {
    let Some(exchange) = &context.exchange else {
        return Vec::new();
    };
    let conn = &exchange.connection;
    // A name is followed by the address it resolved to; an address stands alone.
    let named = conn.host.parse::<std::net::IpAddr>().is_err();
    let whom = if named {
        Label::SendHostAt.fill(lang, &[&conn.host, &conn.peer])
    } else {
        conn.peer.clone()
    };
    let label = match exchange.direction {
        Direction::Sent => Label::SendSentTo,
        Direction::Received => Label::SendReceivedFrom,
    };
    let mut words = vec![visible(label.fill(lang, &[&whom]).as_bytes())];
    if let Some(tls) = &conn.tls {
        let none = Label::SendNone.text(lang);
        let subject = match (&tls.subject, tls.unverified) {
            (_, true) => format!(
                "{}{}",
                tls.subject.as_deref().unwrap_or(none),
                Label::SendTlsUnchecked.text(lang)
            ),
            (Some(subject), false) => subject.clone(),
            (None, false) => none.to_string(),
        };
        let alpn = tls.alpn.as_deref().unwrap_or(none);
        let text = Label::SendTls.fill(lang, &[&tls.version, &tls.cipher, alpn, &subject]);
        words.push(visible(text.as_bytes()));
    }
    words
}

/// A duration as people read it: `0.25 ms`, `12.3 ms`, `1.20 s`.
fn shown(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

/// "timing: 127.0.0.1:8080 · DNS 0.01 ms · connect 0.12 ms · first byte 1.02 ms · total
/// 1.30 ms", or for an exchange on a connection already open, without its steps.
pub fn timing_line(exchange: &Exchange, timing: &Timing, lang: Lang) -> String {
    let peer = &exchange.connection.peer;
    if timing.reused {
        return Label::SendTimingReused.fill(
            lang,
            &[peer, &shown(timing.first_byte), &shown(timing.total)],
        );
    }
    let tls = timing.tls.map_or(String::new(), |d| {
        Label::SendTimingTls.fill(lang, &[&shown(d)])
    });
    Label::SendTiming.fill(
        lang,
        &[
            peer,
            &shown(timing.resolve),
            &shown(timing.connect),
            &tls,
            &shown(timing.first_byte),
            &shown(timing.total),
        ],
    )
}

impl Sink {
    /// The timing line of an exchange, in a table's format; JSON carries the same facts
    /// in the response's object and raw output has no room for it.
    pub fn timing(&self, exchange: &Exchange, out: &mut impl Write) -> io::Result<()> {
        let Some(timing) = &exchange.timing else {
            return Ok(());
        };
        if self.format != Format::Table {
            return Ok(());
        }
        let mut text = String::new();
        let line = timing_line(exchange, timing, self.options.lang);
        self.theme
            .paint(&mut text, Tone::Dim, &visible(line.as_bytes()));
        writeln!(out, "{text}\n")
    }
}

/// What `send` adds to a message's JSON object (docs/json.md): `exchange`, `direction`,
/// `connection`, `peer`, `host`, `tls`, and on a final response `timing` (ms) and,
/// when the body was not read to its end, `cut_at`.
pub(super) fn exchange_fields<W: Write + ?Sized>(
    obj: &mut super::json::Obj<W>,
    context: &Context,
) -> io::Result<()> {
    let Some(exchange) = &context.exchange else {
        return Ok(());
    };
    let conn = &exchange.connection;
    obj.num("exchange", exchange.number)?;
    obj.str("direction", exchange.direction.as_str())?;
    let tls = conn.tls.as_ref().map(|t| {
        serde_json::json!({
            "version": t.version,
            "cipher": t.cipher,
            "alpn": t.alpn,
            "subject": t.subject,
            "verified": !t.unverified,
        })
    });
    // As `listen`'s: the connection's number and the other side's address.
    obj.num("connection", conn.number)?;
    obj.str("peer", &conn.peer)?;
    obj.str("host", &conn.host)?;
    obj.value("tls", &tls)?;
    if let Some(t) = &exchange.timing {
        let ms = |d: Duration| (d.as_secs_f64() * 1_000_000.0).round() / 1000.0;
        obj.value(
            "timing",
            &serde_json::json!({
                "reused": t.reused,
                "resolve_ms": ms(t.resolve),
                "connect_ms": ms(t.connect),
                "tls_ms": t.tls.map(ms),
                "first_byte_ms": ms(t.first_byte),
                "total_ms": ms(t.total),
            }),
        )?;
    }
    if let Some(cut) = exchange.cut_at {
        obj.num("cut_at", cut)?;
    }
    Ok(())
}
