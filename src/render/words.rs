//! The words around a table that the terminal and the HTML page both show: a message's
//! title, the summary of bytes per part, and a diagnostic's line. Safe text (every byte
//! from the input made visible), in the options' language.

use chrono::{DateTime, Local, Timelike};

use super::escape::visible;
use super::rich::{Rich, Tone};
use crate::explain::{self, count, framing_label, Label, Lang};
use crate::model::{
    Context, Diagnostic, Framing, Kind, Message, ParseError, Role, Severity, StartLine,
};

/// A message's title in parts to be joined with " · ": "Request 1: GET / HTTP/1.1"
/// first (with what a transcript or a listener's answer adds), then where a listener met
/// it: "connection 1, #1 on it", "from 127.0.0.1:54404 at 20:04:36.140". Safe text
/// without colour. The number is the message's `index`, as in JSON.
pub fn message_title(msg: &Message, lang: Lang) -> Vec<String> {
    let kind = match msg.kind() {
        Kind::Request => Label::TitleRequest,
        Kind::Response => Label::TitleResponse,
    };
    let mut index = itoa::Buffer::new();
    let head = kind.fill(lang, &[index.format(msg.index), &title_words(msg, lang)]);
    title_parts(head, &msg.context, lang)
}

/// "Message 2: could not be read", in the same parts as [`message_title`].
pub fn error_title(err: &ParseError, lang: Lang) -> Vec<String> {
    let head = Label::TitleUnreadable.fill(lang, &[&err.index.to_string()]);
    title_parts(head, &err.fragment.context, lang)
}

/// The head of a title with the words of its context after it.
fn title_parts(mut head: String, context: &Context, lang: Lang) -> Vec<String> {
    head.push_str(&title_tail(context, lang));
    let mut parts = vec![head];
    parts.extend(origin_words(context, lang));
    parts.extend(super::exchange::exchange_words(context, lang));
    parts.extend(super::har::har_words(context, lang));
    parts.extend(super::relay::relay_words(context, lang));
    parts.extend(super::packet::packet_words(context, lang));
    parts
}

/// The words after "Request 1:" in a title.
fn title_words(msg: &Message, lang: Lang) -> String {
    let mut words = Rich::new();
    match &msg.start {
        StartLine::Request {
            method,
            target,
            version,
        } => {
            words.push_bytes(msg.bytes(method), Tone::Method);
            words.push(Tone::Plain, " ");
            words.push_cut(msg.bytes(target), Tone::Target, (60, lang));
            words.push(Tone::Plain, " ");
            words.push_bytes(msg.bytes(version), Tone::Version);
        }
        StartLine::Response { status, reason, .. } => {
            words.push(Tone::Plain, status.to_string());
            if !reason.is_empty() {
                words.push(Tone::Plain, " ");
                words.push_cut(msg.bytes(reason), Tone::Body, (60, lang));
            }
        }
    }
    words.plain()
}

/// The parts of the summary under a table: "start line 16 B", "headers 62 B in 3 lines", ...
pub fn summary(msg: &Message, lang: Lang) -> Vec<String> {
    let sizes = msg.part_sizes();
    // Numbers as text without an allocation each.
    let mut nums = [(); 6].map(|()| itoa::Buffer::new());
    let [body, decoded, start, headers, blank, total] = &mut nums;
    let framing = match msg.body.framing {
        // A chunked body's length is decided by its chunks: say how many.
        Some(Framing::Chunked) => {
            let chunks = count(msg.chunk_count(), Label::ChunkOne, Label::ChunkMany, lang);
            Label::FramingChunks.fill(lang, &[&chunks])
        }
        framing => framing_label(framing).text(lang).to_string(),
    };
    let framing = framing.as_str();
    let body = if msg.body.decoded.is_some() {
        Label::SummaryBodyDecoded.fill(
            lang,
            &[
                body.format(sizes.body),
                decoded.format(msg.body_bytes().len()),
                framing,
            ],
        )
    } else {
        Label::SummaryBody.fill(lang, &[body.format(sizes.body), framing])
    };
    let lines = count(msg.headers.len(), Label::LineOne, Label::LineMany, lang);
    let text = Label::Summary.fill(
        lang,
        &[
            start.format(sizes.start_line),
            headers.format(sizes.headers),
            &lines,
            blank.format(sizes.blank_line),
            &body,
            total.format(msg.raw.len()),
        ],
    );
    // The template joins its parts with " · ", where a narrow table may break the line.
    text.split(" · ").map(str::to_string).collect()
}

/// "line 3, byte 20" or "byte 20".
pub(super) fn place(line: Option<usize>, offset: usize, lang: Lang) -> String {
    match line {
        Some(line) => Label::PlaceLine.fill(lang, &[&line.to_string(), &offset.to_string()]),
        None => Label::PlaceByte.fill(lang, &[&offset.to_string()]),
    }
}

/// "warning[code] line 3, byte 20: what is wrong", the severity in its tone.
pub fn diagnostic_line(d: &Diagnostic, lang: Lang) -> Rich<'static> {
    let (tone, severity) = match d.severity() {
        Severity::Error => (Tone::Error, Label::SeverityError),
        Severity::Warning => (Tone::Warning, Label::SeverityWarning),
        Severity::Note => (Tone::Note, Label::SeverityNote),
    };
    let mut line = Rich::new();
    line.push(
        tone,
        format!("{}[{}]", severity.text(lang), d.code.as_str()),
    );
    line.push(Tone::Plain, " ");
    line.push(Tone::Plain, place(d.line, d.offset, lang));
    line.push(Tone::Plain, Label::Colon.text(lang));
    let text = visible(explain::diagnostic_text(d, lang).as_bytes());
    line.push(Tone::Plain, text);
    line
}

/// Where a listener met a message, when it did: "connection 2, #2 on it" and
/// "from 127.0.0.1:51432 at 10:31:07.120".
fn origin_words(context: &Context, lang: Lang) -> Vec<String> {
    let Some(origin) = &context.origin else {
        return Vec::new();
    };
    let (label, peer) = match origin.role {
        Role::Request => (Label::OriginRequest, Label::OriginFrom),
        Role::Answer => (Label::OriginAnswer, Label::OriginTo),
        Role::InterimAnswer => (Label::OriginInterim, Label::OriginTo),
    };
    let (mut connection, mut nth) = (itoa::Buffer::new(), itoa::Buffer::new());
    let on = label.fill(
        lang,
        &[connection.format(origin.connection), nth.format(origin.nth)],
    );
    let peer = peer.fill(lang, &[&origin.peer, &clock_time(&origin.at)]);
    vec![visible(on.as_bytes()), visible(peer.as_bytes())]
}

/// "20:04:36.140": what chrono's `%H:%M:%S%.3f` writes, without reading a format string
/// for every message (a leap second shows as second 60, as there).
fn clock_time(at: &DateTime<Local>) -> String {
    let nano = at.nanosecond();
    let second = at.second() + nano / 1_000_000_000;
    let milli = nano % 1_000_000_000 / 1_000_000;
    format!("{:02}:{:02}:{second:02}.{milli:03}", at.hour(), at.minute())
}

/// The words after a title: what a transcript said (the command, where it connected,
/// HTTP/2), or what a listener answered.
fn title_tail(context: &Context, lang: Lang) -> String {
    let mut tail = String::new();
    if let Some(capture) = &context.capture {
        let mut words = Vec::new();
        if capture.http2 {
            words.push(Label::CapturedHttp2.text(lang).to_string());
        }
        if let Some(command) = &capture.command {
            words.push(format!("$ {command}"));
        }
        if let Some(connected) = &capture.connected {
            words.push(Label::CapturedConnected.fill(lang, &[connected]));
        }
        if !words.is_empty() {
            tail.push_str(" — ");
            tail.push_str(&visible(words.join(" · ").as_bytes()));
        }
    }
    if let Some(status) = context.answered {
        let phrase = explain::status(status).map_or("", |s| s.phrase);
        tail.push(' ');
        tail.push_str(&Label::Answered.fill(lang, &[&format!("{status} {phrase}")]));
    }
    tail
}

#[cfg(test)]
mod tests {
    use chrono::{Local, NaiveDate, TimeZone};

    use super::clock_time;

    #[test]
    fn clock_time_writes_what_chrono_formats() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        for (h, m, s, nano) in [
            (0, 0, 0, 0),
            (9, 5, 7, 1_000_000),
            (20, 4, 36, 140_999_999),
            (23, 59, 59, 999_999_999),
            (23, 59, 59, 1_500_000_000),
        ] {
            let naive = day.and_hms_nano_opt(h, m, s, nano).unwrap();
            let Some(at) = Local.from_local_datetime(&naive).earliest() else {
                continue;
            };
            let chrono = at.format("%H:%M:%S%.3f").to_string();
            assert_eq!(clock_time(&at), chrono, "{naive}");
        }
    }
}
