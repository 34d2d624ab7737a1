//! `--width` (issue 10): for every accepted width, no line of `parse` output is wider,
//! counted in display columns (CJK characters take two): tables, `--explain` notes,
//! the `--hex` packet view, titles, summaries and diagnostics, in English and Chinese.

use unicode_width::UnicodeWidthStr;

use crate::parse_cli::httpdump;

/// The smallest width `--width` accepts.
const MIN_WIDTH: u16 = 40;

fn widest_line(args: &[&str]) -> (usize, String) {
    let out = httpdump().args(args).output().unwrap();
    assert!(out.status.code().unwrap() <= 1, "{args:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let widest = text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0);
    (widest, text)
}

#[test]
fn no_line_is_wider_than_the_width() {
    let cases: [(&str, &[&str]); 6] = [
        ("fixtures/juejin-request.http", &[]),
        ("fixtures/juejin-request.http", &["--explain", "--hex"]),
        (
            "fixtures/chunked-trailer.http",
            &["--lang", "zh", "--explain", "--hex"],
        ),
        (
            "fixtures/juejin-response.http",
            &["--lang", "zh", "--hex", "--max-body-lines", "1"],
        ),
        ("fixtures/control-bytes.http", &["--explain"]),
        ("fixtures/curl/trace-ascii.txt", &["--hex"]),
    ];
    for width in MIN_WIDTH..=130 {
        let w = width.to_string();
        for (file, extra) in cases {
            let mut args = vec!["parse", file, "--color", "never", "--width", &w];
            args.extend_from_slice(extra);
            let (widest, text) = widest_line(&args);
            assert!(
                widest <= usize::from(width),
                "{args:?}: a line is {widest} wide:\n{text}"
            );
        }
    }
}

#[test]
fn the_hex_view_keeps_sixteen_bytes_a_row_when_there_is_room() {
    let row = "       0  47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1␍␊";
    let (_, wide) = widest_line(&[
        "parse",
        "fixtures/juejin-request.http",
        "--hex",
        "--width",
        "100",
    ]);
    assert!(wide.contains(row), "{wide}");
    // Narrower, rows of eight bytes, still starting at each line.
    let (_, narrow) = widest_line(&[
        "parse",
        "fixtures/juejin-request.http",
        "--hex",
        "--width",
        "60",
    ]);
    assert!(
        narrow.contains("       0  47 45 54 20 2f 20 48 54  GET / HT  #0 request line"),
        "{narrow}"
    );
    assert!(
        narrow.contains("       8  54 50 2f 31 2e 31 0d 0a  TP/1.1␍␊\n"),
        "{narrow}"
    );
}

#[test]
fn widths_below_the_minimum_are_refused() {
    let out = httpdump()
        .args(["parse", "fixtures/juejin-request.http", "--width", "39"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--width") && err.contains("40"), "{err}");
}
