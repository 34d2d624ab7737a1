//! The `--live` page for a projector: the page itself (markup, stylesheet and its one
//! script, self-contained), and the HTML fragment of each item the listener publishes,
//! drawn by the same table, diagnostics and packet-view code as the `--echo` page
//! (html.rs). Every byte from the network is made visible and HTML-escaped here, on the
//! server; the script only inserts these fragments and sets text, never builds markup
//! from values.

use super::anatomy::{self, message_notes, message_rows, Source};
use super::escape::visible;
use super::html::{escape_into, push_diagnostics, push_hex, push_para, push_rich, push_table, CSS};
use super::rich::{Rich, Tone};
use super::words::{error_title, message_title, place, summary};
use super::RenderOptions;
use crate::explain::{self, Label, Lang};
use crate::model::{Context, Item, Message, ParseError, RelayDirection, Role, StartLine};

/// The page's own script; the listener allows it (and nothing else) by its hash.
pub const SCRIPT: &str = include_str!("live.js");
/// What the live page adds to the `--echo` stylesheet: the bar, the cards, dark colours.
const LIVE_CSS: &str = include_str!("live.css");
/// The longest path a card keeps for the filter, in characters.
const PATH_CHARS: usize = 200;

/// The page's stylesheet, exactly as it sits in its `<style>` (the listener hashes it).
pub fn style() -> String {
    let mut css = String::with_capacity(CSS.len() + LIVE_CSS.len());
    css.push_str(CSS);
    css.push_str(LIVE_CSS);
    css
}

/// The page: an empty list the script fills from `/events`. `history` is how many
/// exchanges it keeps; `listening` the main listener's address, for the waiting line.
pub fn page(lang: Lang, history: usize, listening: &str) -> String {
    let mut page = String::with_capacity(16 * 1024 + SCRIPT.len());
    page.push_str("<!DOCTYPE html>\n<html lang=\"");
    page.push_str(lang.html_lang());
    page.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    page.push_str("<meta name=\"color-scheme\" content=\"light dark\">\n");
    page.push_str("<link rel=\"icon\" href=\"data:,\">\n<title>");
    escape_into(&mut page, Label::LiveTitle.text(lang));
    page.push_str("</title>\n<style>");
    page.push_str(&style());
    page.push_str("</style>\n</head>\n<body class=\"live\" data-history=\"");
    page.push_str(&history.to_string());
    page.push('"');
    // The script's words, as text it reads from the body's data set.
    let words = [
        ("pause", Label::LivePause),
        ("resume", Label::LiveResume),
        ("connected", Label::LiveConnected),
        ("reconnecting", Label::LiveReconnecting),
        ("paused", Label::LivePaused),
        ("missed", Label::LiveMissed),
        ("noanswer", Label::LiveNoAnswer),
        ("methods", Label::LiveMethods),
        ("statuses", Label::LiveStatuses),
    ];
    for (key, label) in words {
        page.push_str(" data-w-");
        page.push_str(key);
        page.push_str("=\"");
        escape_into(&mut page, label.text(lang));
        page.push('"');
    }
    page.push_str(">\n<header class=\"bar\">\n<h1>");
    escape_into(&mut page, Label::LiveTitle.text(lang));
    page.push_str(" <span id=\"state\" class=\"state\"></span></h1>\n<div class=\"tools\">");
    for (id, label) in [
        ("pause", Label::LivePause),
        ("clear", Label::LiveClear),
        ("theme", Label::LiveTheme),
    ] {
        page.push_str("<button type=\"button\" id=\"");
        page.push_str(id);
        page.push_str("\">");
        escape_into(&mut page, label.text(lang));
        page.push_str("</button>");
    }
    page.push_str("<input id=\"filter\" type=\"search\" autocomplete=\"off\" placeholder=\"");
    escape_into(&mut page, Label::LiveFilter.text(lang));
    page.push_str("\" aria-label=\"");
    escape_into(&mut page, Label::LiveFilter.text(lang));
    page.push_str("\"></div>\n<p id=\"counts\" class=\"counts\"></p>\n");
    page.push_str("<p id=\"notice\" class=\"notice\" hidden></p>\n</header>\n");
    push_para(
        &mut page,
        "intro\" id=\"empty",
        &Label::LiveWaiting.fill(lang, &[listening]),
    );
    page.push_str("<main id=\"list\"></main>\n<script>");
    page.push_str(SCRIPT);
    page.push_str("</script>\n</body>\n</html>\n");
    page
}

/// The fragment of one item a listener received or sent; `None` for bytes between
/// messages, which the page does not show.
pub fn fragment(item: &Item, opts: &RenderOptions) -> Option<String> {
    match item {
        Item::Message(m) => Some(message_fragment(m, opts)),
        Item::Error(e) => Some(error_fragment(e, opts)),
        Item::Stray(_) => None,
    }
}

/// The fragment saying which status request `number` was answered with (when the
/// answer itself is not shown).
pub fn answered(number: u64, status: u16) -> String {
    format!("<article class=\"answered\" data-n=\"{number}\" data-status=\"{status}\"></article>")
}

/// The fragment of a line about exchange `number` (relay: the lines it rewrote, a
/// tunnel's summary), added to its card after what the card already shows.
pub fn note(number: u64, text: &str) -> String {
    let mut out = format!("<article class=\"note\" data-n=\"{number}\" data-role=\"note\">");
    out.push_str("<p class=\"context\">");
    escape_into(&mut out, text);
    out.push_str("</p></article>");
    out
}

/// Which card an item goes on and what it is there: relay's exchange number and
/// direction (a 1xx passed on is interim), else a listener's `Origin`, else the item's
/// own number. `status` is the response's, for telling an interim one.
fn card_of(
    context: &Context,
    index: usize,
    status: Option<u16>,
    fallback: &'static str,
) -> (u64, &'static str) {
    if let Some(relay) = &context.relay {
        let role = match (relay.direction, status) {
            (RelayDirection::Request, _) => "request",
            // 101 is the final answer to an Upgrade: the tunnel follows it.
            (RelayDirection::Response, Some(code)) if code / 100 == 1 && code != 101 => "interim",
            (RelayDirection::Response, _) => fallback,
        };
        return (relay.exchange, role);
    }
    match &context.origin {
        Some(origin) => (origin.number, role_name(origin.role)),
        None => (index as u64, fallback),
    }
}

/// The opening tag of a card's article, with what the script filters and counts by.
fn open_article(out: &mut String, n: u64, role: &str, method: &str, path: &str, status: &str) {
    out.push_str("<article class=\"msg r-");
    out.push_str(role);
    out.push_str("\" data-n=\"");
    out.push_str(&n.to_string());
    out.push_str("\" data-role=\"");
    out.push_str(role);
    for (key, value) in [("method", method), ("path", path), ("status", status)] {
        out.push_str("\" data-");
        out.push_str(key);
        out.push_str("=\"");
        escape_into(out, value);
    }
    out.push_str("\">\n");
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Request => "request",
        Role::Answer => "answer",
        Role::InterimAnswer => "interim",
    }
}

/// Title, context, anatomy table, summary, diagnostics, and the bytes on demand.
fn message_fragment(msg: &Message, opts: &RenderOptions) -> String {
    let lang = opts.lang;
    let mut out = String::with_capacity(4 * 1024 + msg.raw.len() * 4);
    let (method, path, status) = match &msg.start {
        StartLine::Request { method, target, .. } => {
            let path: String = visible(msg.bytes(target))
                .chars()
                .take(PATH_CHARS)
                .collect();
            (visible(msg.bytes(method)), path, String::new())
        }
        StartLine::Response { status, .. } => (String::new(), String::new(), status.to_string()),
    };
    let (fallback, code) = match msg.start {
        StartLine::Request { .. } => ("request", None),
        StartLine::Response { status, .. } => ("answer", Some(status)),
    };
    let (n, role) = card_of(&msg.context, msg.index, code, fallback);
    open_article(&mut out, n, role, &method, &path, &status);
    let title = message_title(msg, lang);
    push_heading(&mut out, &title[0], "t-title");
    if title.len() > 1 {
        push_para(&mut out, "context", &title[1..].join(" · "));
    }
    for note in &msg.context.notes {
        push_para(&mut out, "context", &visible(note.as_bytes()));
    }
    let notes = message_notes(msg, opts);
    push_table(&mut out, &message_rows(msg, &notes, opts), lang);
    push_para(&mut out, "summary", &summary(msg, lang).join(" · "));
    if !msg.diagnostics.is_empty() {
        push_diagnostics(&mut out, msg, lang);
    }
    out.push_str(if opts.hex {
        "<details class=\"bytes\" open><summary>"
    } else {
        "<details class=\"bytes\"><summary>"
    });
    escape_into(&mut out, Label::PageBytes.text(lang));
    out.push_str("</summary>\n");
    push_hex(&mut out, msg, opts);
    out.push_str("</details>\n</article>");
    out
}

/// A request that could not be read: its title, the lines read, and the error.
fn error_fragment(err: &ParseError, opts: &RenderOptions) -> String {
    let lang = opts.lang;
    let frag = &err.fragment;
    let mut out = String::with_capacity(2 * 1024 + frag.raw.len() * 4);
    let (n, _) = card_of(&frag.context, err.index, None, "error");
    open_article(&mut out, n, "error", "", "", "");
    let title = error_title(err, lang);
    push_heading(&mut out, &title[0], "t-title t-error");
    if title.len() > 1 {
        push_para(&mut out, "context", &title[1..].join(" · "));
    }
    if !frag.lines.is_empty() {
        let notes = if opts.explain {
            explain::fragment_notes(&frag.raw, &frag.lines, lang)
        } else {
            Vec::new()
        };
        let source = Source {
            raw: &frag.raw,
            base: frag.offset,
            lines: &frag.lines,
            start: None,
            binary_body: false,
            notes: &notes,
        };
        push_table(&mut out, &anatomy::rows(&source, opts), lang);
    }
    let mut line = Rich::new();
    line.push(Tone::Error, Label::ErrorPrefix.text(lang));
    line.push(Tone::Plain, place(Some(err.line), err.offset, lang));
    line.push(Tone::Plain, Label::Colon.text(lang));
    line.push(
        Tone::Plain,
        visible(explain::error_text(&err.kind, lang).as_bytes()),
    );
    out.push_str("<p class=\"error\">");
    push_rich(&mut out, &line);
    out.push_str("</p>\n</article>");
    out
}

fn push_heading(out: &mut String, text: &str, class: &str) {
    out.push_str("<h2 class=\"");
    out.push_str(class);
    out.push_str("\">");
    escape_into(out, text);
    out.push_str("</h2>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Item;

    fn request(raw: &[u8]) -> Item {
        let items = crate::source::reader::parse_all(raw, crate::wire::ParseOptions::default());
        items.into_iter().next().expect("an item")
    }

    #[test]
    fn hostile_bytes_are_text_in_every_field() {
        let probe = b"GET /<img/src=x/onerror=alert(1)>\"' HTTP/1.1\r\nX-A: <script>x</script>\"'\r\nContent-Length: 9\r\n\r\n<b>x</b>!";
        let html = fragment(&request(probe), &RenderOptions::default()).unwrap();
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(
            html.contains("data-path=\"/&lt;img/src=x/onerror=alert(1)&gt;&quot;&#39;\""),
            "{html}"
        );
    }

    #[test]
    fn a_note_is_text_on_its_exchanges_card() {
        let html = note(3, "exchange 3: <img src=x onerror=alert(1)>");
        assert_eq!(
            html,
            "<article class=\"note\" data-n=\"3\" data-role=\"note\"><p class=\"context\">\
             exchange 3: &lt;img src=x onerror=alert(1)&gt;</p></article>"
        );
    }

    #[test]
    fn the_page_has_one_script_and_no_inline_handler() {
        let page = page(Lang::En, 200, "http://127.0.0.1:8080/");
        assert_eq!(page.matches("<script").count(), 1);
        let handler = page.match_indices(" on").any(|(at, _)| {
            let rest = &page[at + 3..];
            let name = rest.len()
                - rest
                    .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                    .len();
            name > 0 && rest[name..].starts_with('=')
        });
        assert!(!handler, "an inline handler");
    }
}
