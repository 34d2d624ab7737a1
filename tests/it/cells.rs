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

/// The name and value cells of a row (the third and fourth columns), trimmed.
fn name_value(row: &str) -> (String, String) {
    let cells: Vec<&str> = row.split('┆').map(str::trim).collect();
    (cells[2].to_string(), cells[3].to_string())
}

#[test]
fn whitespace_before_the_colon_shows_in_the_name_cell() {
    let text = parse_bytes(b"GET / HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n", &[]);
    assert_eq!(
        name_value(&row(&text, 1)),
        ("Host·".into(), "127.0.0.1␍␊".into()),
        "{text}"
    );
    assert!(
        text.contains("whitespace between header name and colon"),
        "{text}"
    );
    let text = parse_bytes(b"GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", &[]);
    assert_eq!(name_value(&row(&text, 1)).0, "Host→", "{text}");
    let text = parse_bytes(b"GET / HTTP/1.1\r\nBad Name: v\r\n\r\n", &[]);
    assert_eq!(name_value(&row(&text, 1)).0, "Bad·Name", "{text}");
}

#[test]
fn whitespace_around_a_value_shows_but_the_one_conventional_space_does_not() {
    let request =
        b"GET / HTTP/1.1\r\nHost: a\r\nX-Tab:\tb\r\nX-Two:  c \r\nX-End: d\t\r\nX-Mid: e f\r\n\r\n";
    let text = parse_bytes(request, &[]);
    let cells: Vec<_> = (1..=5).map(|no| name_value(&row(&text, no)).1).collect();
    assert_eq!(cells, ["a␍␊", "→b␍␊", "··c·␍␊", "d→␍␊", "e f␍␊"], "{text}");
    let text = parse_bytes(request, &["--endings", "escapes"]);
    let cells: Vec<_> = (2..=4).map(|no| name_value(&row(&text, no)).1).collect();
    assert_eq!(cells, ["\\tb\\r\\n", "··c·\\r\\n", "d\\t\\r\\n"], "{text}");
}

#[test]
fn a_folded_line_shows_the_whitespace_that_folds_it() {
    let response = b"HTTP/1.1 200 OK\r\nX-Folded: a\r\n \tb\r\nContent-Length: 0\r\n\r\n";
    let text = parse_bytes(response, &[]);
    assert_eq!(
        name_value(&row(&text, 2)),
        ("".into(), "·→b␍␊".into()),
        "{text}"
    );
}

#[test]
fn the_listener_shows_the_space_it_rejects() {
    use std::io::Read;
    let server = crate::listen::Server::start(&[]);
    let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n")
        .unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).unwrap();
    assert!(reply.starts_with(b"HTTP/1.1 400 "), "{reply:?}");
    let stopped = server.stop();
    assert_eq!(
        name_value(&row(&stopped.stdout, 1)),
        ("Host·".into(), "127.0.0.1␍␊".into()),
        "{}",
        stopped.stdout
    );
}

#[test]
fn the_echo_page_marks_whitespace_too() {
    let server = crate::listen::Server::start(&["--echo"]);
    let out = crate::listen::curl(&[
        "-s",
        "-H",
        "Accept: text/html",
        "-H",
        "X-Pad:   padded ",
        &server.url("/"),
    ]);
    server.stop();
    let page = String::from_utf8(out.stdout).unwrap();
    // curl drops the spaces after the colon but keeps the trailing one.
    assert!(
        page.contains("padded<span class=\"tied\"><span class=\"t-space\">·</span><span class=\"eol\">CR</span>"),
        "{page}"
    );
}

/// The part column of every row with a number, in order.
fn parts(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with('│'))
        .map(|l| l.split('┆').map(str::trim).collect::<Vec<_>>())
        .filter(|cells| {
            cells[0]
                .trim_start_matches('│')
                .trim()
                .parse::<usize>()
                .is_ok()
        })
        .map(|cells| cells[1].to_string())
        .collect()
}

#[test]
fn chunked_parts_are_labelled_in_english_and_chinese() {
    let text = crate::parse_cli::httpdump()
        .args(["parse", "fixtures/chunked-trailer.http"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let body: Vec<_> = parts(&text).into_iter().skip(5).collect();
    let want = [
        "chunk size",
        "chunk data",
        "chunk end",
        "chunk size",
        "chunk data",
        "chunk end",
        "last chunk",
        "trailer",
        "blank line",
    ];
    assert_eq!(body, want, "{text}");
    // Chunk data is exactly the size (7), the CRLF after it is a row of its own.
    let (_, data) = name_value(&row(&text, 6));
    assert_eq!(data, "Mozilla", "{text}");
    assert!(row(&text, 6).ends_with("┆    109 ┆   7 │"), "{text}");
    assert!(row(&text, 7).contains("␍␊") && row(&text, 7).ends_with("┆   2 │"));
    assert!(
        text.contains("body 80 B on the wire, 24 B decoded (chunked: 2 chunks + last chunk)"),
        "{text}"
    );

    let zh = crate::parse_cli::httpdump()
        .args(["--lang", "zh", "parse", "fixtures/chunked-trailer.http"])
        .output()
        .unwrap();
    let zh = String::from_utf8(zh.stdout).unwrap();
    let body: Vec<_> = parts(&zh).into_iter().skip(5).take(7).collect();
    assert_eq!(
        body,
        [
            "块大小",
            "块数据",
            "块结束",
            "块大小",
            "块数据",
            "块结束",
            "末块"
        ],
        "{zh}"
    );
    assert!(zh.contains("(分块 chunked:2 块 + 末块)"), "{zh}");
}

#[test]
fn explain_says_what_each_chunk_part_is() {
    let run = |lang: &str| {
        let out = crate::parse_cli::httpdump()
            .args(["--lang", lang, "--width", "200", "parse", "--explain"])
            .arg("fixtures/chunked-trailer.http")
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let en = run("en");
    for note in [
        "↳ size of the next chunk in hex, then CRLF",
        "↳ the chunk's data: exactly the 7 bytes its size line announced (hex 7); a line break inside it is data (RFC 9112 section 7.1)",
        "↳ the CRLF that closes the chunk's data; the chunk size does not count it (RFC 9112 section 7.1)",
        "↳ size 0: the last chunk; trailer fields may follow, then an empty line (RFC 9112 section 7.1)",
        "↳ trailer section: fields sent after the body, often announced by a Trailer header (RFC 9112 section 7.1.2)",
    ] {
        assert!(en.contains(note), "{note}\n{en}");
    }
    let zh = run("zh");
    for note in [
        "↳ 块数据:正好是块大小行给出的 7 字节(十六进制 7);其中的换行也是数据(RFC 9112 第 7.1 节)",
        "↳ 结束块数据的 CRLF;块大小不包括它(RFC 9112 第 7.1 节)",
        "↳ 尾部字段区:在主体之后发送的字段,通常由 Trailer 首部预告(RFC 9112 第 7.1.2 节)",
    ] {
        assert!(zh.contains(note), "{note}\n{zh}");
    }
}

#[test]
fn json_lines_name_the_chunk_parts() {
    let objects = crate::parse_cli::json_of(&["fixtures/chunked-trailer.http"]);
    let lines = objects[0]["lines"].as_array().unwrap();
    let got: Vec<(&str, u64, &str, &str)> = lines[5..12]
        .iter()
        .map(|l| {
            (
                l["part"].as_str().unwrap(),
                l["length"].as_u64().unwrap(),
                l["ending"].as_str().unwrap(),
                l["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("chunk-size", 3, "crlf", "7"),
            ("chunk-data", 7, "none", "Mozilla"),
            ("chunk-end", 2, "crlf", ""),
            ("chunk-size", 4, "crlf", "11"),
            ("chunk-data", 17, "none", "Developer Network"),
            ("chunk-end", 2, "crlf", ""),
            ("last-chunk", 3, "crlf", "0"),
        ]
    );
    assert_eq!(objects[0]["body"]["framing"], "chunked");
}

#[test]
fn a_chunk_cut_short_has_data_and_no_end() {
    let text = parse_bytes(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n9\r\nMoz",
        &[],
    );
    let body: Vec<_> = parts(&text).into_iter().skip(3).collect();
    assert_eq!(body, ["chunk size", "chunk data"], "{text}");
}

/// Every SGR sequence (`ESC [ ... m`) in `text`, as its parameters.
fn sgr_codes(text: &str) -> Vec<String> {
    text.split("\x1b[")
        .skip(1)
        .filter_map(|s| s.split_once('m').map(|(codes, _)| codes.to_string()))
        .collect()
}

#[test]
fn colours_read_on_dark_and_light_backgrounds() {
    let run = |args: &[&str]| {
        let out = crate::parse_cli::httpdump()
            .args(["--color", "always", "parse", "--explain", "--hex"])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(&["fixtures/exchange.http"]);
    // Header names in the default foreground, bold: not blue (34) as before.
    assert!(text.contains("\x1b[1mHost\x1b[0m"), "{text}");
    let every = [
        "fixtures/exchange.http",
        "fixtures/chunked-trailer.http",
        "fixtures/status-codes.http",
        "fixtures/control-bytes.http",
        "fixtures/error-then-valid.http",
        "fixtures/bare-lf.http",
    ];
    for fixture in every {
        let text = run(&[fixture]);
        for codes in sgr_codes(&text) {
            for code in codes.split(';') {
                // Blue is dark on black; cyan and yellow are pale on white.
                assert!(
                    !matches!(code, "33" | "34" | "36" | "93" | "94" | "96"),
                    "{fixture}: ESC[{codes}m"
                );
            }
        }
    }
}
