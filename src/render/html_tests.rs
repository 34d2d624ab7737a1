//! The HTML page: hostile input stays text, the rows and notes are those of the table.

use super::*;
use crate::model::Item;
use crate::pipeline::lint_all;
use crate::source::reader::parse_all;
use crate::wire::ParseOptions;

fn message(bytes: &[u8]) -> Message {
    match lint_all(parse_all(bytes, ParseOptions::default())).remove(0) {
        Item::Message(m) => *m,
        other => panic!("not a message: {other:?}"),
    }
}

fn page(bytes: &[u8], lang: Lang) -> String {
    let opts = RenderOptions {
        lang,
        ..RenderOptions::default()
    };
    let mut out = Vec::new();
    write_page(&mut out, &message(bytes), &opts, Some(Label::PageIntro)).unwrap();
    String::from_utf8(out).expect("the page is UTF-8")
}

/// The text of the `<tr class="row">` rows, tags dropped, entities kept.
fn rows(page: &str) -> Vec<String> {
    page.split("<tr class=\"row\">")
        .skip(1)
        .map(|r| {
            let r = &r[..r.find("</tr>").unwrap()];
            let mut text = String::new();
            let mut in_tag = false;
            for c in r.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text
        })
        .collect()
}

#[test]
fn escape_into_escapes_the_five() {
    let mut out = String::new();
    escape_into(&mut out, r#"a<b>&"c" 'd' 中"#);
    assert_eq!(out, "a&lt;b&gt;&amp;&quot;c&quot; &#39;d&#39; 中");
}

#[test]
fn hostile_header_values_stay_text() {
    // The parser refuses control bytes in a header, so ESC comes in the body.
    let body = b"\x1b[2J the screen is cleared";
    let mut request = format!(
        "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: {}\r\n",
        body.len()
    )
    .into_bytes();
    request
        .extend_from_slice(b"X-Evil: <script>alert(\"1\")</script> '' & \xe2\x80\xae rtl \xff\r\n");
    request.extend_from_slice(b"X-Attr: \" onmouseover=\"alert(1)\r\n\r\n");
    request.extend_from_slice(body);
    let page = page(&request, Lang::En);
    assert!(!page.to_lowercase().contains("<script"), "{page}");
    assert!(
        page.contains("&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt;"),
        "{page}"
    );
    assert!(page.contains("&#39;"), "{page}");
    assert!(page.contains("&amp; "), "{page}");
    assert!(!page.contains("\" onmouseover"), "{page}");
    // ESC, the bidi override and the invalid byte are shown as escapes, never raw.
    assert!(
        page.contains("<span class=\"t-escape\">\\x1b</span>[2J"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"t-escape\">\\u{202e}</span>"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"t-escape\">\\xff</span>"),
        "{page}"
    );
    assert!(!page.contains('\u{202e}'));
    let controls: Vec<char> = page
        .chars()
        .filter(|&c| crate::render::escape::is_unsafe_char(c) && c != '\n')
        .collect();
    assert!(controls.is_empty(), "raw control characters: {controls:?}");
}

#[test]
fn a_hostile_target_is_escaped_in_the_title_too() {
    let page = page(b"GET /a?<b>=%22' HTTP/1.1\r\nHost: a\r\n\r\n", Lang::En);
    let title = &page[page.find("<title>").unwrap()..page.find("</title>").unwrap()];
    assert!(title.contains("/a?&lt;b&gt;=%22&#39;"), "{title}");
    assert!(!page.contains("<b>"), "{page}");
}

#[test]
fn rows_are_numbered_from_zero_with_visible_line_endings() {
    let page = page(
        b"GET /anything?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: */*\r\n\r\n",
        Lang::En,
    );
    let rows = rows(&page);
    assert_eq!(
        rows,
        [
            "0request lineGET /anything?x=1 HTTP/1.1CRLF028",
            "1headerHost127.0.0.1:8080CRLF2822",
            "2headerAccept*/*CRLF5013",
            "3blank lineCRLF632",
        ]
    );
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
}

#[test]
fn every_row_has_its_notes_and_the_page_has_the_bytes() {
    let page = page(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", Lang::En);
    let notes = page.matches("<tr class=\"note\">").count();
    // The request line's shape and its three parts, Host, the blank line, no body.
    assert_eq!(notes, 7, "{page}");
    assert!(page.contains("RFC 9112 section 3"), "{page}");
    assert!(page.contains("No problems found."), "{page}");
    assert!(
        page.contains("<td class=\"bytes\">47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31<span class=\"crlf\"> 0d 0a</span></td>"),
        "{page}"
    );
    assert!(page.contains(
        "<td class=\"ascii\">GET / HTTP/1.1<span class=\"eol\">CR</span><span class=\"eol\">LF</span></td>"
    ));
}

#[test]
fn diagnostics_are_listed() {
    let page = page(b"GET / HTTP/1.1\n\n", Lang::En);
    assert!(page.contains("<ul class=\"diagnostics\">"), "{page}");
    assert!(page.contains("missing-host"), "{page}");
    assert!(!page.contains("No problems found."));
}

#[test]
fn chinese_page() {
    let page = page(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", Lang::Zh);
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    let rows = rows(&page);
    assert!(rows[0].contains("请求行"), "{rows:?}");
    assert!(rows[1].contains("首部行"), "{rows:?}");
    assert!(rows[2].contains("空白行"), "{rows:?}");
    assert!(page.contains("线路上的字节"));
}

#[test]
fn the_page_loads_nothing_and_runs_nothing() {
    let page = page(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", Lang::En);
    for word in ["<script", "src=", "http://", "https://", "@import", "url("] {
        assert!(!page.contains(word), "{word} in the page");
    }
}
