//! One message as a self-contained HTML page (what `listen --echo` shows a browser): its
//! anatomy table with the `--explain` note under each row, the diagnostics and the packet
//! view, drawn from the same rows as the terminal table. Every byte of the message is
//! first made visible (escape.rs), then HTML-escaped, so no input can add markup or
//! control bytes; the page has no script and loads nothing.

use std::io::{self, Write};

use super::anatomy::{message_notes, message_rows, Row};
use super::hex::{ascii, hex_rows, HexRow};
use super::rich::{Rich, Tone};
use super::words::{diagnostic_line, message_title, summary};
use super::{Endings, RenderOptions};
use crate::explain::{part_label, Label, Lang};
use crate::model::{Message, StartLine};

/// The stylesheet, inlined into every page.
pub(super) const CSS: &str = include_str!("html.css");

/// Append `text` with the characters that mean something in HTML escaped; the same
/// function serves text and attribute values, so quotes are escaped too.
pub(super) fn escape_into(out: &mut String, text: &str) {
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

/// The class of a tone in the stylesheet; `None` for plain text.
fn tone_class(tone: Tone) -> Option<&'static str> {
    Some(match tone {
        Tone::Plain => return None,
        Tone::Title => "t-title",
        Tone::Method => "t-method",
        Tone::Target => "t-target",
        Tone::Version => "t-version",
        Tone::Status(code) => match code {
            100..=199 => "t-s1",
            200..=299 => "t-s2",
            300..=399 => "t-s3",
            400..=499 => "t-s4",
            _ => "t-s5",
        },
        Tone::HeaderName => "t-header-name",
        Tone::HeaderValue => return None,
        Tone::BlankLine => "t-blank",
        Tone::Body => return None,
        Tone::Chunk => "t-chunk",
        Tone::Trailer => "t-trailer",
        Tone::PartLabel => "t-part",
        Tone::Dim => "t-dim",
        Tone::Ending => "t-ending",
        Tone::Space => "t-space",
        Tone::Escape => "t-escape",
        Tone::Error => "t-error",
        Tone::Warning => "t-warning",
        Tone::Note => "t-note",
    })
}

/// A line-ending byte as a small `CR` or `LF` key: the control pictures `␍␊` the
/// terminal shows are missing from many fonts.
fn push_ending_key(out: &mut String, byte: u8) {
    out.push_str(match byte {
        b'\r' => "<span class=\"eol\">CR</span>",
        _ => "<span class=\"eol\">LF</span>",
    });
}

/// Rich text as HTML: a `<span>` per toned run. A line ending's keys are tied to the
/// character before them, so that a narrow window never shows them alone on a line.
pub(super) fn push_rich(out: &mut String, rich: &Rich<'_>) {
    let runs = &rich.runs;
    let mut i = 0;
    while i < runs.len() {
        let run = &runs[i];
        let ending = match runs.get(i + 1) {
            Some(next) if next.tone == Tone::Ending && run.tone != Tone::Ending => Some(next),
            _ => None,
        };
        if run.tone == Tone::Ending {
            push_tied(out, None, &run.text);
        } else if let Some(ending) = ending {
            // An escape (`\t`) stays whole; of other text only the last character.
            let cut = match run.tone {
                Tone::Escape => 0,
                _ => run.text.char_indices().last().map_or(0, |(at, _)| at),
            };
            push_run(out, run.tone, &run.text[..cut]);
            push_tied(out, Some((run.tone, &run.text[cut..])), &ending.text);
            i += 1;
        } else {
            push_run(out, run.tone, &run.text);
        }
        i += 1;
    }
}

/// Text in a tone's `<span>`, or bare when the tone has no class.
fn push_run(out: &mut String, tone: Tone, text: &str) {
    if text.is_empty() {
        return;
    }
    match tone_class(tone) {
        Some(class) => {
            out.push_str("<span class=\"");
            out.push_str(class);
            out.push_str("\">");
            escape_into(out, text);
            out.push_str("</span>");
        }
        None => escape_into(out, text),
    }
}

/// A line ending's keys, with the text before them, where no line may break.
fn push_tied(out: &mut String, before: Option<(Tone, &str)>, ending: &str) {
    out.push_str("<span class=\"tied\">");
    if let Some((tone, text)) = before {
        push_run(out, tone, text);
    }
    // Keys whichever marks the terminal uses (`␍␊` or `\r\n`): a key needs no font.
    if ending.contains('␍') || ending.contains("\\r") {
        push_ending_key(out, b'\r');
    }
    push_ending_key(out, b'\n');
    out.push_str("</span>");
}

/// Write the page for one message. Notes and the packet view are always shown; `intro`
/// is a line under the title saying where the page comes from.
pub fn write_page(
    out: &mut impl Write,
    msg: &Message,
    opts: &RenderOptions,
    intro: Option<Label>,
) -> io::Result<()> {
    let opts = RenderOptions {
        explain: true,
        ..opts.clone()
    };
    let lang = opts.lang;
    let mut page = String::with_capacity(32 * 1024);
    let title = message_title(msg, lang);
    page.push_str("<!DOCTYPE html>\n<html lang=\"");
    page.push_str(lang.html_lang());
    page.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // An empty icon, so that a browser does not ask the server for /favicon.ico.
    page.push_str("<link rel=\"icon\" href=\"data:,\">\n<title>");
    escape_into(&mut page, &title.join(" · "));
    page.push_str("</title>\n<style>\n");
    page.push_str(CSS);
    page.push_str("</style>\n</head>\n<body>\n<h1 class=\"t-title\">");
    // The start line is the heading; where it came from is a line under it.
    escape_into(&mut page, &title[0]);
    page.push_str("</h1>\n");
    if title.len() > 1 {
        push_para(&mut page, "context", &title[1..].join(" · "));
    }
    if let Some(intro) = intro {
        push_para(&mut page, "intro", intro.text(lang));
    }
    for note in &msg.context.notes {
        push_para(
            &mut page,
            "context",
            &super::escape::visible(note.as_bytes()),
        );
    }
    let notes = message_notes(msg, &opts);
    push_table(&mut page, &message_rows(msg, &notes, &opts), lang);
    push_para(&mut page, "summary", &summary(msg, lang).join(" · "));

    page.push_str("<h2>");
    escape_into(&mut page, Label::PageDiagnostics.text(lang));
    page.push_str("</h2>\n");
    if msg.diagnostics.is_empty() {
        push_para(
            &mut page,
            "diagnostics",
            Label::PageNoDiagnostics.text(lang),
        );
    } else {
        push_diagnostics(&mut page, msg, lang);
    }

    page.push_str("<h2>");
    escape_into(&mut page, Label::PageBytes.text(lang));
    page.push_str("</h2>\n");
    push_hex(&mut page, msg, &opts);
    page.push_str("</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

/// A message's diagnostics as a list, a line each.
pub(super) fn push_diagnostics(out: &mut String, msg: &Message, lang: Lang) {
    out.push_str("<ul class=\"diagnostics\">\n");
    for d in &msg.diagnostics {
        out.push_str("<li>");
        push_rich(out, &diagnostic_line(d, lang));
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

pub(super) fn push_para(out: &mut String, class: &str, text: &str) {
    out.push_str("<p class=\"");
    out.push_str(class);
    out.push_str("\">");
    escape_into(out, text);
    out.push_str("</p>\n");
}

fn push_cell(out: &mut String, class: &str, f: impl FnOnce(&mut String)) {
    out.push_str("<td class=\"");
    out.push_str(class);
    out.push_str("\">");
    f(out);
    out.push_str("</td>");
}

fn push_number(out: &mut String, n: Option<usize>) {
    push_cell(out, "num", |out| {
        if let Some(n) = n {
            out.push_str(&n.to_string());
        }
    });
}

/// The anatomy table: a `<tbody>` per row, holding the row and the notes about it.
pub(super) fn push_table(out: &mut String, rows: &[Row<'_>], lang: Lang) {
    out.push_str("<table class=\"anatomy\">\n<thead><tr>");
    let heads = [
        (Label::ColNumber, "num"),
        (Label::ColPart, "part"),
        (Label::ColName, "name"),
        (Label::ColValue, "value"),
        (Label::ColOffset, "num"),
        (Label::ColLen, "num"),
    ];
    for (label, class) in heads {
        out.push_str("<th class=\"");
        out.push_str(class);
        out.push_str("\">");
        escape_into(out, label.text(lang));
        out.push_str("</th>");
    }
    out.push_str("</tr></thead>\n");
    for row in rows {
        out.push_str("<tbody class=\"p-");
        out.push_str(row.part.as_str());
        out.push_str("\">\n<tr class=\"row\">");
        push_number(out, row.number);
        push_cell(out, "part", |out| escape_into(out, row.label.text(lang)));
        push_cell(out, "name", |out| push_rich(out, &row.name));
        push_cell(out, "value", |out| push_rich(out, &row.value));
        push_number(out, row.offset);
        push_number(out, row.len);
        out.push_str("</tr>\n");
        for note in &row.notes {
            out.push_str("<tr class=\"note\"><td></td><td class=\"text\" colspan=\"5\">");
            push_rich(out, note);
            out.push_str("</td></tr>\n");
        }
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n");
}

/// The packet view: a table row per 16 bytes of a line, as `--hex` prints it.
pub(super) fn push_hex(out: &mut String, msg: &Message, opts: &RenderOptions) {
    let lang = opts.lang;
    out.push_str("<table class=\"hex\">\n<thead><tr>");
    for label in [
        Label::HexOffset,
        Label::HexBytes,
        Label::HexAscii,
        Label::HexLine,
    ] {
        out.push_str("<th>");
        escape_into(out, label.text(lang));
        out.push_str("</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let view = (&msg.raw[..], msg.offset, &msg.lines);
    let (rows, more) = hex_rows(view, opts.max_body_lines, super::hex::PER_ROW);
    for row in &rows {
        push_hex_row(out, row, &msg.start, lang);
    }
    if let Some((offset, rest)) = more {
        out.push_str("<tr>");
        push_number(out, Some(offset));
        out.push_str("<td class=\"more\" colspan=\"3\">");
        escape_into(out, &Label::HexMoreBytes.fill(lang, &[&rest.to_string()]));
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// One row of bytes; CR and LF are dimmed, so that each line visibly ends in `0d 0a`.
fn push_hex_row(out: &mut String, row: &HexRow<'_>, start: &StartLine, lang: Lang) {
    out.push_str("<tr class=\"p-");
    out.push_str(row.part.as_str());
    out.push_str("\">");
    push_number(out, Some(row.offset));
    let is_crlf = |b: &u8| matches!(b, b'\r' | b'\n');
    push_cell(out, "bytes", |out| {
        let mut dim = false;
        for (i, b) in row.bytes.iter().enumerate() {
            if is_crlf(b) != dim {
                out.push_str(if dim {
                    "</span>"
                } else {
                    "<span class=\"crlf\">"
                });
                dim = !dim;
            }
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&format!("{b:02x}"));
        }
        if dim {
            out.push_str("</span>");
        }
    });
    push_cell(out, "ascii", |out| {
        for &b in row.bytes {
            if is_crlf(&b) {
                push_ending_key(out, b);
            } else {
                let mut buf = [0; 4];
                escape_into(out, ascii(b, Endings::Symbols).encode_utf8(&mut buf));
            }
        }
    });
    push_cell(out, "line t-part", |out| {
        if let Some(no) = row.line {
            let label = part_label(row.part, Some(start)).text(lang);
            escape_into(out, &format!("#{no} {label}"));
        }
    });
    out.push_str("</tr>\n");
}

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;
