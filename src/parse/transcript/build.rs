//! From events to items: gather each message's head lines, the body the tool showed or
//! only counted, and its notes; rebuild the message's wire bytes (CRLF where a terminal
//! lost it) and let the raw parser read them, so the model is the one raw input gives.
//! What the transcript changed or left out becomes context and diagnostics.

use super::{Dir, Ending, Event, TLine};
use crate::input::{Item, Stray};
use crate::message::{BodyHidden, Context, Diagnostic, Framing, Message, Severity, Source};
use crate::parse::{
    looks_like_start_line, parse_head_only, parse_message, ParseOptions, Parsed, State,
};

struct HeadLine {
    text: Vec<u8>,
    ending: Ending,
    line: usize,
}

/// Body bytes as the tool printed them, with the transcript line of each piece.
#[derive(Default)]
struct Shown {
    bytes: Vec<u8>,
    origins: Vec<(usize, usize)>,
    exact: bool,
    caveat: Option<&'static str>,
}

impl Shown {
    /// Drop the first `n` bytes.
    fn drop_front(&mut self, n: usize) {
        self.bytes.drain(..n);
        let first = self.origins.iter().rposition(|(o, _)| *o <= n).unwrap_or(0);
        self.origins.drain(..first);
        for (o, _) in &mut self.origins {
            *o = o.saturating_sub(n);
        }
    }

    fn first_line(&self) -> usize {
        self.origins.first().map_or(0, |o| o.1)
    }
}

/// One message as the transcript shows it.
struct Draft {
    dir: Dir,
    head: Vec<HeadLine>,
    done: bool,
    /// The head ended without its blank line (cut off, or a new message began).
    cut: bool,
    /// The blank line after a 1xx head was added (curl does not print it).
    interim: bool,
    shown: Option<Shown>,
    hidden_parts: Option<u64>,
    hidden_total: Option<u64>,
    notes: Vec<String>,
    title: Vec<String>,
}

enum Piece {
    Draft(Box<Draft>),
    Stray { bytes: Vec<u8>, line: usize },
}

fn last_draft(pieces: &mut [Piece], dir: Dir) -> Option<&mut Draft> {
    pieces.iter_mut().rev().find_map(|p| match p {
        Piece::Draft(d) if d.dir == dir => Some(&mut **d),
        _ => None,
    })
}

fn is_interim_status(text: &[u8]) -> bool {
    text.starts_with(b"HTTP/")
        && text
            .split(|&b| b == b' ')
            .nth(1)
            .is_some_and(|code| code.len() == 3 && code[0] == b'1')
}

/// Turn a transcript's events into items.
pub(super) fn build(events: Vec<Event>, lines: &[TLine], source: Source) -> Vec<Item> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut pending_notes = Vec::new();
    let mut command: Option<String> = None;
    let mut connection: Option<String> = None;
    let mut saw_cr = false;
    for event in events {
        match event {
            Event::Command(c) => command = Some(c),
            Event::Connection(c) => connection = Some(c),
            Event::Note(text) => pending_notes.push(format!("* {text}")),
            Event::Stray { bytes, line } => pieces.push(Piece::Stray { bytes, line }),
            Event::Hidden { dir, bytes, total } => {
                if let Some(d) = last_draft(&mut pieces, dir) {
                    if total {
                        d.hidden_total = Some(bytes);
                    } else {
                        d.hidden_parts = Some(d.hidden_parts.unwrap_or(0).saturating_add(bytes));
                    }
                }
            }
            Event::Body {
                dir,
                bytes,
                origins,
                exact,
                caveat,
            } => match last_draft(&mut pieces, dir).filter(|d| d.done) {
                Some(d) => {
                    let shown = d.shown.get_or_insert_with(|| Shown {
                        exact: true,
                        ..Shown::default()
                    });
                    let base = shown.bytes.len();
                    shown.bytes.extend_from_slice(&bytes);
                    shown
                        .origins
                        .extend(origins.iter().map(|(o, l)| (o + base, *l)));
                    shown.exact &= exact;
                    shown.caveat = shown.caveat.or(caveat);
                }
                None => pieces.push(Piece::Stray {
                    bytes,
                    line: origins.first().map_or(1, |o| o.1),
                }),
            },
            Event::Head {
                dir,
                text,
                ending,
                line,
            } => {
                saw_cr |= matches!(ending, Ending::CrLf | Ending::CrCrLf);
                let starts = looks_like_start_line(&text);
                let open = last_draft(&mut pieces, dir).filter(|d| !d.done);
                let head_line = HeadLine { text, ending, line };
                match open {
                    Some(d) if head_line.text.is_empty() => {
                        d.head.push(head_line);
                        d.done = true;
                        continue;
                    }
                    Some(d) if starts => {
                        d.done = true;
                        if d.head.len() == 1 && is_interim_status(&d.head[0].text) {
                            d.interim = true;
                            let line = d.head[0].line;
                            d.head.push(HeadLine {
                                text: Vec::new(),
                                ending: Ending::CrLf,
                                line,
                            });
                        } else {
                            d.cut = true;
                        }
                    }
                    Some(d) => {
                        d.head.push(head_line);
                        continue;
                    }
                    None if head_line.text.is_empty() => continue,
                    None => {}
                }
                let mut title = Vec::new();
                title.extend(command.iter().map(|c| format!("$ {c}")));
                title.extend(connection.iter().map(|c| format!("connected to {c}")));
                pieces.push(Piece::Draft(Box::new(Draft {
                    dir,
                    head: vec![head_line],
                    done: false,
                    cut: false,
                    interim: false,
                    shown: None,
                    hidden_parts: None,
                    hidden_total: None,
                    notes: std::mem::take(&mut pending_notes),
                    title,
                })));
            }
        }
    }
    if let Some(Piece::Draft(d)) = pieces
        .iter_mut()
        .rev()
        .find(|p| matches!(p, Piece::Draft(_)))
    {
        d.notes.append(&mut pending_notes);
    }
    let mut out = Out {
        items: Vec::new(),
        state: State::default(),
        opts: ParseOptions {
            allow_h2_text: true,
            ..ParseOptions::default()
        },
        offset: 0,
        lines,
        source,
        // Curl writes CRLF; a transcript without a single CR went through a terminal.
        // HTTPie and xh print heads with LF whatever was sent.
        assume_crlf: source == Source::Httpie || !saw_cr,
    };
    for piece in pieces {
        match piece {
            Piece::Stray { bytes, line } => out.stray(bytes, line),
            Piece::Draft(d) => out.draft(*d),
        }
    }
    out.items
}

/// The items being produced, and what rebuilding them needs.
struct Out<'a> {
    items: Vec<Item>,
    state: State,
    opts: ParseOptions,
    /// Where the next rebuilt message starts, counting rebuilt bytes as if they were raw.
    offset: usize,
    lines: &'a [TLine<'a>],
    source: Source,
    assume_crlf: bool,
}

/// How a message's body is rebuilt.
enum Plan {
    /// The head says there is none (or it is known only from the head).
    Head,
    /// Bytes that are the body on the wire, `shift` bytes of framing before `shown`.
    Wire { shown: Shown, shift: usize },
    /// The body passed but was not printed (or not as sent).
    Hidden(Option<u64>),
}

impl Out<'_> {
    fn stray(&mut self, bytes: Vec<u8>, line: usize) {
        let offset = self
            .lines
            .get(line.saturating_sub(1))
            .map_or(0, |l| l.offset);
        let blank = bytes.iter().all(u8::is_ascii_whitespace);
        self.items.push(Item::Stray(Stray {
            offset,
            bytes,
            blank,
        }));
    }

    fn diag(
        &self,
        severity: Severity,
        code: &'static str,
        line: Option<usize>,
        args: Vec<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            code,
            line,
            offset: self.offset,
            args,
        }
    }

    fn draft(&mut self, mut d: Draft) {
        let mut diagnostics = Vec::new();
        let mut head = Vec::new();
        let mut head_src = Vec::new();
        let (mut no_cr, mut cr_cr) = (false, false);
        for hl in &d.head {
            head.extend_from_slice(&hl.text);
            head.extend_from_slice(match hl.ending {
                Ending::Lf if !self.assume_crlf => b"\n",
                Ending::Lf => {
                    no_cr = true;
                    b"\r\n"
                }
                Ending::CrCrLf => {
                    cr_cr = true;
                    b"\r\n"
                }
                Ending::CrLf | Ending::None => b"\r\n",
            });
            head_src.push(hl.line);
        }
        if !d.done || d.cut {
            let line = d.head.last().map_or(0, |l| l.line);
            diagnostics.push(self.diag(
                Severity::Warning,
                "transcript-truncated",
                Some(head_src.len()),
                vec![line.to_string()],
            ));
            head.extend_from_slice(b"\r\n");
            head_src.push(line);
        }
        if no_cr {
            diagnostics.push(self.diag(Severity::Note, "transcript-no-cr", None, vec![]));
        }
        if cr_cr {
            diagnostics.push(self.diag(Severity::Note, "transcript-crcrlf", None, vec![]));
        }
        if d.interim {
            d.notes.push(
                "curl does not print the blank line that ends a 1xx response; it is added here"
                    .to_string(),
            );
        }
        let mut extra = Vec::new();
        let mut after = None;
        let plan = match parse_head_only(&head, self.offset, &mut self.state.clone(), &self.opts) {
            Parsed::Complete { message, .. } => {
                self.plan(&mut d, &message, &mut diagnostics, &mut extra, &mut after)
            }
            _ => Plan::Head,
        };
        let (parsed, hidden, body_src) = match plan {
            Plan::Wire { shown, shift } => {
                let mut buf = head.clone();
                if shift > 0 {
                    buf.extend_from_slice(format!("{:x}\r\n", shown.bytes.len()).as_bytes());
                    buf.extend_from_slice(&shown.bytes);
                    buf.extend_from_slice(b"\r\n0\r\n\r\n");
                } else {
                    buf.extend_from_slice(&shown.bytes);
                }
                let parsed = parse_message(&buf, self.offset, &mut self.state, &self.opts, true);
                (parsed, None, Some((shown.origins, shift)))
            }
            Plan::Hidden(bytes) => {
                let parsed = parse_head_only(&head, self.offset, &mut self.state, &self.opts);
                (parsed, Some(BodyHidden { bytes }), None)
            }
            Plan::Head => {
                let parsed = parse_head_only(&head, self.offset, &mut self.state, &self.opts);
                (parsed, None, None)
            }
        };
        let h2 = d.head.first().is_some_and(|l| is_h2(&l.text));
        if h2 {
            d.title.insert(0, "HTTP/2 shown as text".to_string());
            d.notes.push(
                "HTTP/2 sends this head as binary frames (HPACK-compressed fields, no CRLF, no blank line): curl prints it as text lines, so the byte counts here are of that text, not of the wire"
                    .to_string(),
            );
        }
        let title = (!d.title.is_empty()).then(|| format!("— {}", d.title.join(" · ")));
        let map_lines = |lines: &[crate::message::Line]| -> Vec<usize> {
            let head_len = head.len();
            lines
                .iter()
                .enumerate()
                .map(|(i, line)| match (head_src.get(i), &body_src) {
                    (Some(&src), _) if line.start < head_len => src,
                    (_, Some((origins, shift))) => {
                        let at = line.start.saturating_sub(head_len + shift);
                        origins
                            .iter()
                            .take_while(|(o, _)| *o <= at)
                            .last()
                            .or(origins.first())
                            .map_or(0, |o| o.1)
                    }
                    _ => head_src.last().copied().unwrap_or(0),
                })
                .collect()
        };
        match parsed {
            Parsed::Complete {
                mut message,
                consumed,
            } => {
                message.diagnostics.extend(diagnostics);
                message.context = Context {
                    source: self.source,
                    title,
                    body_hidden: hidden,
                    source_lines: map_lines(&message.lines),
                    notes: d.notes,
                    json_extra: extra,
                };
                self.offset += consumed;
                self.items.push(Item::Message(message));
            }
            Parsed::Error { mut error, .. } => {
                error.fragment.context = Context {
                    source: self.source,
                    title,
                    source_lines: map_lines(&error.fragment.lines),
                    notes: d.notes,
                    ..Context::default()
                };
                self.offset += error.fragment.raw.len();
                self.items.push(Item::Error(error));
            }
            Parsed::Partial { .. } => {}
        }
        if let Some((bytes, line)) = after {
            self.stray(bytes, line);
        }
    }

    /// Decide how to rebuild the body from what the head says and what was printed.
    fn plan(
        &self,
        d: &mut Draft,
        head: &Message,
        diagnostics: &mut Vec<Diagnostic>,
        extra: &mut Vec<(&'static str, serde_json::Value)>,
        after: &mut Option<(Vec<u8>, usize)>,
    ) -> Plan {
        let mut shown = d.shown.take();
        if let Some(s) = &mut shown {
            if !s.exact {
                strip_head_copy(s, &d.head[0].text, &mut d.notes);
            }
        }
        let shown = shown.filter(|s| s.exact || !s.bytes.iter().all(u8::is_ascii_whitespace));
        let content_length = head
            .header_values("content-length")
            .next()
            .and_then(|v| std::str::from_utf8(v).ok()?.trim().parse::<u64>().ok());
        let framing = head.body.framing.unwrap_or(Framing::None);
        if framing == Framing::None {
            if let Some(s) = shown {
                let line = s.first_line();
                *after = Some((s.bytes, line));
            }
            return Plan::Head;
        }
        let counted = d.hidden_total.or(d.hidden_parts);
        let Some(mut shown) = shown else {
            return Plan::Hidden(counted.or(content_length));
        };
        if let Some(caveat) = shown.caveat {
            d.notes.push(caveat.to_string());
        }
        let keep_printed = |shown: &Shown, extra: &mut Vec<_>| {
            extra.push((
                "printed_body",
                serde_json::Value::String(String::from_utf8_lossy(&shown.bytes).into_owned()),
            ));
        };
        let encoding = head
            .header_values("content-encoding")
            .find(|v| !v.trim_ascii().eq_ignore_ascii_case(b"identity"));
        if let (Some(encoding), false) = (encoding, shown.exact) {
            diagnostics.push(self.diag(
                Severity::Note,
                "transcript-body-decoded",
                None,
                vec![
                    String::from_utf8_lossy(encoding).into_owned(),
                    shown.bytes.len().to_string(),
                ],
            ));
            keep_printed(&shown, extra);
            return Plan::Hidden(counted.or(content_length));
        }
        match framing {
            Framing::ContentLength => {
                let want = content_length.unwrap_or(0);
                if fit(&mut shown, want, self.assume_crlf) {
                    return Plan::Wire { shown, shift: 0 };
                }
                diagnostics.push(self.diag(
                    Severity::Warning,
                    "transcript-body-mismatch",
                    None,
                    vec![shown.bytes.len().to_string(), want.to_string()],
                ));
                keep_printed(&shown, extra);
                Plan::Hidden(Some(want))
            }
            Framing::Chunked if !shown.exact => {
                d.notes.push(format!(
                    "curl prints a chunked body without its chunk framing; it is shown here as one chunk of {} bytes",
                    shown.bytes.len()
                ));
                let shift = format!("{:x}\r\n", shown.bytes.len()).len();
                Plan::Wire { shown, shift }
            }
            _ => Plan::Wire { shown, shift: 0 },
        }
    }
}

fn is_h2(start_line: &[u8]) -> bool {
    let version = if start_line.starts_with(b"HTTP/") {
        start_line.split(|&b| b == b' ').next().unwrap_or_default()
    } else {
        start_line.rsplit(|&b| b == b' ').next().unwrap_or_default()
    };
    matches!(version, b"HTTP/2" | b"HTTP/2.0" | b"HTTP/3" | b"HTTP/3.0")
}

/// `curl -i`/`-I` print the response head again on the output: leave that copy out.
fn strip_head_copy(shown: &mut Shown, start_line: &[u8], notes: &mut Vec<String>) {
    if !shown.bytes.starts_with(start_line) {
        return;
    }
    let end = [&b"\r\n\r\n"[..], b"\n\n"]
        .iter()
        .filter_map(|sep| {
            shown
                .bytes
                .windows(sep.len())
                .position(|w| w == *sep)
                .map(|at| at + sep.len())
        })
        .min();
    if let Some(end) = end {
        shown.drop_front(end);
        notes.push(
            "curl printed this head again on its output (-i or -I); that copy is left out"
                .to_string(),
        );
    }
}

/// Make the printed body `want` bytes long if a terminal's changes explain the
/// difference: lost CRs, or a newline added at the end.
fn fit(shown: &mut Shown, want: u64, assume_crlf: bool) -> bool {
    let len = |s: &Shown| s.bytes.len() as u64;
    if len(shown) == want || shown.exact {
        return len(shown) == want;
    }
    let mut tries = vec![trim_last_newline(shown)];
    if assume_crlf {
        let crlf = crlfify(shown);
        tries.push(trim_last_newline(&crlf));
        tries.insert(0, Some(crlf));
    }
    match tries.into_iter().flatten().find(|t| len(t) == want) {
        Some(found) => {
            *shown = found;
            true
        }
        None => false,
    }
}

fn trim_last_newline(shown: &Shown) -> Option<Shown> {
    let cut = if shown.bytes.ends_with(b"\r\n") {
        2
    } else if shown.bytes.ends_with(b"\n") {
        1
    } else {
        return None;
    };
    let mut bytes = shown.bytes.clone();
    bytes.truncate(bytes.len() - cut);
    Some(Shown {
        bytes,
        origins: shown.origins.clone(),
        exact: shown.exact,
        caveat: shown.caveat,
    })
}

/// Every bare LF made CRLF, the origins moved along.
fn crlfify(shown: &Shown) -> Shown {
    let mut bytes = Vec::with_capacity(shown.bytes.len() + 16);
    let mut moved = Vec::with_capacity(shown.bytes.len());
    for (i, &b) in shown.bytes.iter().enumerate() {
        moved.push(bytes.len());
        if b == b'\n' && (i == 0 || shown.bytes[i - 1] != b'\r') {
            bytes.push(b'\r');
        }
        bytes.push(b);
    }
    moved.push(bytes.len());
    let origins = shown
        .origins
        .iter()
        .map(|(o, l)| (moved.get(*o).copied().unwrap_or(bytes.len()), *l))
        .collect();
    Shown {
        bytes,
        origins,
        exact: shown.exact,
        caveat: shown.caveat,
    }
}
