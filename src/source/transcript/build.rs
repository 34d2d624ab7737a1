//! From events to items: gather each message's head lines, the body the tool showed or
//! only counted, and its notes; rebuild the message's wire bytes (CRLF where a terminal
//! lost it) and let the raw parser read them, so the model is the one raw input gives.
//! What the transcript changed or left out becomes context and diagnostics.

use super::drafts::{gather, Draft, Gathered};
use super::origins::{LineOf, Origins};
use super::shown::{fit, strip_head_copy, Shown};
use super::{Ending, Event};
use crate::model::SourceLines;
use crate::model::{BodyHidden, Code, Context, Diagnostic, Framing, Message, SourceKind};
use crate::model::{Item, Stray};
use crate::wire::{parse_head_only, parse_message, ParseOptions, Parsed, State};

/// Turn a transcript's events into items.
pub(super) fn build(events: Vec<Event>, transcript: &[u8], source: SourceKind) -> Vec<Item> {
    let (pieces, saw_cr) = gather(events);
    let mut out = Out {
        items: Vec::new(),
        state: State::default(),
        opts: ParseOptions {
            allow_h2_text: true,
            ..ParseOptions::default()
        },
        offset: 0,
        transcript,
        source,
        // Curl writes CRLF; a transcript without a single CR went through a terminal.
        // HTTPie and xh print heads with LF whatever was sent.
        assume_crlf: source == SourceKind::Httpie || !saw_cr,
    };
    for piece in pieces {
        match piece {
            Gathered::Stray { bytes, at } => out.stray(bytes, at),
            Gathered::Draft(d) => out.draft(*d),
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
    /// The whole transcript (to find where a line starts).
    transcript: &'a [u8],
    source: SourceKind,
    assume_crlf: bool,
}

/// How a message's body is rebuilt.
#[derive(Default)]
enum Plan {
    /// The head says there is none (or it is known only from the head).
    #[default]
    Head,
    /// Bytes that are the body on the wire, `shift` bytes of framing before `shown`.
    Wire { shown: Shown, shift: usize },
    /// The body passed but was not printed (or not as sent).
    Hidden(Option<u64>),
}

/// How to rebuild a body, and what was found deciding it.
#[derive(Default)]
struct Planned {
    plan: Plan,
    /// Notes and warnings about the capture.
    notes: Vec<Diagnostic>,
    /// What the tool printed, when it is not the body on the wire.
    printed: Option<Vec<u8>>,
    /// Printed bytes that belong to no body (the head says there is none), and where
    /// they start in the transcript.
    after: Option<(Vec<u8>, usize)>,
}

impl Planned {
    fn with(mut self, plan: Plan) -> Planned {
        self.plan = plan;
        self
    }
}

impl Out<'_> {
    fn stray(&mut self, bytes: Vec<u8>, offset: usize) {
        let blank = bytes.iter().all(u8::is_ascii_whitespace);
        self.items.push(Item::Stray(Stray {
            offset,
            bytes,
            blank,
        }));
    }

    fn diag(&self, code: Code, line: Option<usize>, args: Vec<String>) -> Diagnostic {
        Diagnostic::new(code, line, self.offset, args)
    }

    /// The head's bytes as the wire had them (line endings restored), the transcript
    /// line of each head line, and the notes about how it was printed.
    fn head_bytes(&self, d: &Draft) -> (Vec<u8>, Vec<usize>, Vec<Diagnostic>) {
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
                Code::TranscriptTruncated,
                Some(head_src.len()),
                vec![line.to_string()],
            ));
            head.extend_from_slice(b"\r\n");
            head_src.push(line);
        }
        if no_cr {
            diagnostics.push(self.diag(Code::TranscriptNoCr, None, vec![]));
        }
        if cr_cr {
            diagnostics.push(self.diag(Code::TranscriptCrCrLf, None, vec![]));
        }
        if d.interim {
            diagnostics.push(self.diag(Code::TranscriptInterimBlank, None, vec![]));
        }
        for (code, args, line) in &d.flags {
            diagnostics.push(self.diag(*code, Some(*line), args.clone()));
        }
        (head, head_src, diagnostics)
    }

    fn draft(&mut self, mut d: Draft) {
        let (head, head_src, mut diagnostics) = self.head_bytes(&d);
        let planned = match parse_head_only(&head, self.offset, &mut self.state.clone(), &self.opts)
        {
            Parsed::Complete { message, .. } => self.plan(&mut d, &message),
            _ => Planned::default(),
        };
        let Planned {
            plan,
            notes,
            printed,
            after,
        } = planned;
        diagnostics.extend(notes);
        let (parsed, hidden, body_src) = self.rebuild(&head, plan);
        let h2 = d.head.first().is_some_and(|l| is_h2(&l.text));
        if h2 {
            d.title.http2 = true;
            diagnostics.push(self.diag(Code::TranscriptHttp2, None, vec![]));
        }
        let capture = Some(d.title.clone());
        let map_lines = |lines: &crate::model::Lines, raw: &[u8]| {
            source_lines(lines, raw, head.len(), &head_src, body_src.as_ref())
        };
        match parsed {
            Parsed::Complete {
                mut message,
                consumed,
            } => {
                message.diagnostics.extend(diagnostics);
                message.context = Context {
                    source: self.source,
                    capture: capture.clone(),
                    origin: None,
                    answered: None,
                    body_hidden: hidden,
                    source_lines: map_lines(&message.lines, &message.raw),
                    notes: d.notes,
                    printed_body: printed,
                    unframed_after: 0,
                    exchange: None,
                    har: None,
                    relay: None,
                    packet: None,
                };
                self.offset += consumed;
                self.items.push(Item::Message(message));
            }
            Parsed::Error { mut error, .. } => {
                error.fragment.context = Context {
                    source: self.source,
                    capture,
                    source_lines: map_lines(&error.fragment.lines, &error.fragment.raw),
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

    /// Parse the rebuilt message: the head with the body bytes the plan gives (chunked
    /// anew when the tool printed a chunked body decoded), or the head alone; with it, a
    /// body that passed unseen and where the printed body's lines came from.
    fn rebuild(&mut self, head: &[u8], plan: Plan) -> (Parsed, Option<BodyHidden>, BodySrc) {
        match plan {
            Plan::Wire { shown, shift } => {
                let shown_len = shown.bytes.len();
                let mut front = head.to_vec();
                let mut back: &[u8] = b"";
                if shift > 0 {
                    front.extend_from_slice(format!("{shown_len:x}\r\n").as_bytes());
                    back = b"\r\n0\r\n\r\n";
                }
                let buf = around(&front, shown.bytes, back);
                let parsed = parse_message(&buf, self.offset, &mut self.state, &self.opts, true);
                (parsed, None, Some((shown.origins, shift, shown_len)))
            }
            Plan::Hidden(bytes) => {
                let parsed = parse_head_only(head, self.offset, &mut self.state, &self.opts);
                (parsed, Some(BodyHidden { bytes }), None)
            }
            Plan::Head => {
                let parsed = parse_head_only(head, self.offset, &mut self.state, &self.opts);
                (parsed, None, None)
            }
        }
    }

    /// Decide how to rebuild the body from what the head says and what was printed.
    fn plan(&self, d: &mut Draft, head: &Message) -> Planned {
        let mut out = Planned::default();
        let mut shown = d.shown.take();
        if let Some(s) = &mut shown {
            if !s.exact && strip_head_copy(s, &d.head[0].text, self.transcript) {
                out.notes
                    .push(self.diag(Code::TranscriptHeadRepeated, None, vec![]));
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
                let (_, at) = s.first_line();
                out.after = Some((s.bytes, at));
            }
            return out.with(Plan::Head);
        }
        let counted = d.hidden_total.or(d.hidden_parts);
        let Some(mut shown) = shown else {
            return out.with(Plan::Hidden(counted.or(content_length)));
        };
        if let Some(code) = shown.caveat {
            out.notes.push(self.diag(code, None, vec![]));
        }
        let encoding = head
            .header_values("content-encoding")
            .find(|v| !v.trim_ascii().eq_ignore_ascii_case(b"identity"));
        if let (Some(encoding), false) = (encoding, shown.exact) {
            out.notes.push(self.diag(
                Code::TranscriptBodyDecoded,
                None,
                vec![
                    String::from_utf8_lossy(encoding).into_owned(),
                    shown.bytes.len().to_string(),
                ],
            ));
            out.printed = Some(shown.bytes.clone());
            return out.with(Plan::Hidden(counted.or(content_length)));
        }
        match framing {
            Framing::ContentLength => {
                let want = content_length.unwrap_or(0);
                if fit(&mut shown, want, self.assume_crlf) {
                    return out.with(Plan::Wire { shown, shift: 0 });
                }
                out.notes.push(self.diag(
                    Code::TranscriptBodyMismatch,
                    None,
                    vec![shown.bytes.len().to_string(), want.to_string()],
                ));
                out.printed = Some(shown.bytes.clone());
                out.with(Plan::Hidden(Some(want)))
            }
            Framing::Chunked if !shown.exact => {
                out.notes.push(self.diag(
                    Code::TranscriptChunksJoined,
                    None,
                    vec![shown.bytes.len().to_string()],
                ));
                let shift = format!("{:x}\r\n", shown.bytes.len()).len();
                out.with(Plan::Wire { shown, shift })
            }
            _ => out.with(Plan::Wire { shown, shift: 0 }),
        }
    }
}

/// `front`, `middle` and `back` in one buffer, made from `middle`'s own (the body is
/// moved, not copied: it is the bulk).
fn around(front: &[u8], mut middle: Vec<u8>, back: &[u8]) -> Vec<u8> {
    middle.reserve_exact(front.len() + back.len());
    middle.splice(0..0, front.iter().copied());
    middle.extend_from_slice(back);
    middle
}

fn is_h2(start_line: &[u8]) -> bool {
    let version = if start_line.starts_with(b"HTTP/") {
        start_line.split(|&b| b == b' ').next().unwrap_or_default()
    } else {
        start_line.rsplit(|&b| b == b' ').next().unwrap_or_default()
    };
    matches!(version, b"HTTP/2" | b"HTTP/2.0" | b"HTTP/3" | b"HTTP/3.0")
}

/// The transcript lines a rebuilt body came from, and the framing bytes put before it.
/// The printed body's origins, the bytes of chunk framing put before it, its length.
type BodySrc = Option<(Origins, usize, usize)>;

/// The transcript line of each line of a rebuilt message: head lines by their index,
/// body lines by the origins of the printed bytes, anything else (framing added in the
/// rebuild) by the head's last line.
fn source_lines(
    lines: &crate::model::Lines,
    raw: &[u8],
    head_len: usize,
    head_src: &[usize],
    body_src: Option<&(Origins, usize, usize)>,
) -> SourceLines {
    let mut body_lines = body_src.map(|(o, shift, len)| {
        let body = raw.get(head_len + shift..).unwrap_or_default();
        (LineOf::new(o, &body[..body.len().min(*len)]), *shift)
    });
    lines
        .iter(raw)
        .enumerate()
        .map(|(i, line)| match (head_src.get(i), &mut body_lines) {
            (Some(&src), _) if line.start < head_len => src,
            (_, Some((origins, shift))) => {
                let at = line.start.saturating_sub(head_len + *shift);
                origins.line(at).unwrap_or(0)
            }
            _ => head_src.last().copied().unwrap_or(0),
        })
        .collect()
}
