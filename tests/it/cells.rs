//! What a table cell shows (issue 12): line-ending marks in symbols or escapes
//! (`--endings`, `HTTPDUMP_ENDINGS`), whitespace around a header's name and value,
//! the parts of a chunked body, and the colours of `--color always`.

use std::io::Write;

use crate::parse_cli::httpdump;

/// `httpdump parse` of `bytes` (written to a file) with `args`; stdout.
fn parse_bytes(bytes: &[u8], args: &[&str]) -> String {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(bytes).unwrap();
    let path = file.path().to_str().unwrap().to_string();
    let out = httpdump()
        .arg("parse")
        .arg(&path)
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).expect("output is UTF-8")
}

/// The table row whose `#` column is `no`.
fn row(text: &str, no: usize) -> String {
    let want = format!("│ {no:>2} ┆");
    let short = format!("│ {no} ┆");
    text.lines()
        .find(|l| l.starts_with(&want) || l.starts_with(&short))
        .unwrap_or_else(|| panic!("no row {no} in\n{text}"))
        .to_string()
}

const REQUEST: &[u8] = b"GET / HTTP/1.1\r\nHost: example.com\r\nX-Bare: lf\n\r\n";

#[test]
fn endings_are_symbols_by_default() {
    let text = parse_bytes(REQUEST, &[]);
    assert!(row(&text, 0).contains("GET / HTTP/1.1␍␊"), "{text}");
    assert!(row(&text, 2).contains("lf␊ "), "{text}");
    assert!(!text.contains("\\r\\n"), "{text}");
}

#[test]
fn endings_escapes_by_flag_show_no_control_pictures() {
    let text = parse_bytes(REQUEST, &["--endings", "escapes", "--hex"]);
    assert!(row(&text, 0).contains("GET / HTTP/1.1\\r\\n"), "{text}");
    assert!(row(&text, 1).contains("example.com\\r\\n"), "{text}");
    assert!(row(&text, 2).contains("lf\\n "), "{text}");
    assert!(!text.contains('␍') && !text.contains('␊'), "{text}");
    // The packet view keeps a column per byte: CR and LF are dots, as in xxd.
    let first = text.lines().find(|l| l.contains("47 45 54")).unwrap();
    assert!(first.contains("GET / HTTP/1.1..  #0"), "{text}");
}

#[test]
fn endings_escapes_by_environment_and_the_flag_wins() {
    let by_env = |value: &str, args: &[&str]| {
        let out = httpdump()
            .env("HTTPDUMP_ENDINGS", value)
            .args(["parse", "fixtures/juejin-request.http"])
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, text, _) = by_env("escapes", &[]);
    assert_eq!(code, Some(0));
    assert!(
        text.contains("HTTP/1.1\\r\\n") && !text.contains('␍'),
        "{text}"
    );
    let (_, text, _) = by_env("escapes", &["--endings", "symbols"]);
    assert!(text.contains("HTTP/1.1␍␊"), "{text}");
    let (code, _, err) = by_env("boxes", &[]);
    assert_eq!(code, Some(2), "a bad value is a usage error");
    assert!(err.contains("boxes") && err.contains("escapes"), "{err}");
}
