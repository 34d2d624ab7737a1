//! Invisible characters in header values (issue 10): every character whose Unicode
//! general category is Cc, Cf, Zl or Zp comes out as a visible escape in tables, and as a
//! `\uXXXX` escape in JSON, never raw; other non-ASCII text is left as it is.

use serde_json::Value;

use crate::parse_cli::httpdump;

/// A request whose `X-Test` header value is `a`, the character, then `z`.
fn with_char(c: char) -> Vec<u8> {
    format!("GET / HTTP/1.1\r\nHost: x\r\nX-Test: a{c}z\r\n\r\n").into_bytes()
}

fn run(args: &[&str], input: Vec<u8>) -> String {
    let out = httpdump().args(args).write_stdin(input).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    String::from_utf8(out.stdout).expect("output is UTF-8")
}

/// Arabic letter mark, soft hyphen, zero-width space, line separator, byte order mark,
/// paragraph separator, a bidi isolate and a tag character (outside the BMP).
const INVISIBLE: [char; 8] = [
    '\u{61c}',
    '\u{ad}',
    '\u{200b}',
    '\u{2028}',
    '\u{feff}',
    '\u{2029}',
    '\u{2066}',
    '\u{e0041}',
];

#[test]
fn invisible_characters_are_escaped_in_tables() {
    for c in INVISIBLE {
        for color in ["never", "always"] {
            let text = run(&["parse", "-", "--color", color], with_char(c));
            let escape = format!("\\u{{{:x}}}", c as u32);
            assert!(text.contains(&escape), "{c:?} {color}: {text}");
            assert!(!text.contains(c), "{c:?} {color}: raw in\n{text}");
        }
    }
}

#[test]
fn invisible_characters_are_escaped_in_json() {
    for c in INVISIBLE {
        let text = run(&["parse", "-", "--format", "json"], with_char(c));
        assert!(!text.contains(c), "{c:?}: raw in {text}");
        let mut units = [0; 2];
        let escape: String = c
            .encode_utf16(&mut units)
            .iter()
            .map(|u| format!("\\u{u:04x}"))
            .collect();
        assert!(text.contains(&escape), "{c:?}: {text}");
        // Escaped, the value still reads back as the same text.
        let v: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        let value = v["headers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["name"] == "X-Test")
            .unwrap()["value"]
            .clone();
        assert_eq!(value, format!("a{c}z"), "{c:?}");
    }
}

#[test]
fn visible_text_is_left_alone() {
    for c in ['é', '中', '\u{a0}', '😀'] {
        let table = run(&["parse", "-", "--color", "never"], with_char(c));
        assert!(table.contains(&format!("a{c}z")), "{c:?}: {table}");
        let json = run(&["parse", "-", "--format", "json"], with_char(c));
        assert!(json.contains(&format!("a{c}z")), "{c:?}: {json}");
    }
}
