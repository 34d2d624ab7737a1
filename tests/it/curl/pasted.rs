//! Transcripts pasted from a terminal with more than the capture (issue 12, item 3): the
//! next shell prompt after the body or glued to it, blank lines below the output, and a
//! long line the terminal wrapped at 80 columns. Made from real `curl -sv` runs in a pty
//! against `python3 -m http.server` (fixtures/curl/README.md says how).

use super::*;

const PYTHON: [&str; 5] = [
    "Server",
    "Date",
    "Content-type",
    "Content-Length",
    "Last-Modified",
];

/// The response of a pasted fixture: its body is shown, whole, with no warning.
fn shown_body(file: &str) -> Value {
    let ms = messages(&fixture(file));
    assert_eq!(ms.len(), 2, "{file}: {ms:#?}");
    assert_request(
        &ms[0],
        "GET",
        ms[0]["target"].as_str().unwrap(),
        "HTTP/1.1",
        &["Host", "User-Agent", "Accept"],
    );
    let response = ms[1].clone();
    assert_response(&response, "HTTP/1.0", 200, "OK", &PYTHON);
    assert!(response.get("body_shown").is_none(), "{response}");
    assert!(response.get("printed_body").is_none(), "{response}");
    assert!(!codes(&response).contains(&"transcript-body-mismatch"));
    response
}

/// The table of `path`, and its words with each run of white space made one space (the
/// notes wrap at the width).
fn table_of(path: &str, lang: &str) -> (String, String) {
    let out = httpdump()
        .args(["parse", "--width", "100", "--lang", lang, path])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (text, words)
}

fn table(file: &str, lang: &str) -> String {
    table_of(&fixture(file), lang).0
}

#[test]
fn the_next_prompt_after_the_body_is_not_body() {
    let response = shown_body("pasted-prompt-after.txt");
    assert_eq!(
        body(&response),
        "Hello from the classroom server.\nSecond line.\n"
    );
    let lines = response["lines"].as_array().unwrap();
    let last = lines.last().unwrap();
    assert_eq!(last["text"], "Second line.");
    assert_eq!(last["source_line"], 20);
    let text = table("pasted-prompt-after.txt", "en");
    assert!(!text.contains("user@host"), "{text}");
    assert!(!text.contains("skipped"), "{text}");
}

#[test]
fn the_next_prompt_glued_to_a_body_without_final_newline_is_cut_off() {
    let response = shown_body("pasted-prompt-glued.txt");
    assert_eq!(body(&response), "no final newline here");
    let text = table("pasted-prompt-glued.txt", "en");
    assert!(text.contains("┆ no final newline here "), "{text}");
    assert!(!text.contains("user@host:~$ "), "{text}");
}

#[test]
fn blank_lines_below_the_output_add_no_row() {
    let response = shown_body("pasted-blank-lines.txt");
    assert_eq!(
        body(&response),
        "Hello from the classroom server.\nSecond line.\n"
    );
    let lines = response["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 9, "{response}");
    let text = table("pasted-blank-lines.txt", "en");
    let rows: Vec<&str> = text.lines().filter(|l| l.contains("┆ body ")).collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(!text.lines().any(|l| l.contains("┆ ␊ ")), "{text}");
}

#[test]
fn a_header_wrapped_at_80_columns_is_joined_back_with_a_note() {
    let ms = messages(&fixture("pasted-wrapped-header.txt"));
    let ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
              Chrome/120.0.0.0 Safari/537.36";
    assert_eq!(header(&ms[0], "User-Agent"), ua);
    assert_eq!(names(&ms[0]), ["Host", "User-Agent", "Accept"]);
    assert_eq!(ms[0]["lines"][2]["source_line"], 8);
    assert_eq!(ms[0]["lines"][3]["source_line"], 10);
    let note = ms[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "transcript-line-wrapped")
        .unwrap_or_else(|| panic!("{}", ms[0]));
    assert_eq!(note["severity"], "note");
    assert_eq!(
        body(&ms[1]),
        "Hello from the classroom server.\nSecond line.\n"
    );

    let (en, words) = table_of(&fixture("pasted-wrapped-header.txt"), "en");
    // The command in the title, wrapped too, is whole again.
    assert!(
        words.contains("Safari/537.36' http://127.0.0.1:39147/hello.txt"),
        "{en}"
    );
    assert!(
        words.contains("transcript line 9 continues line 8: a terminal 80 columns wide"),
        "{en}"
    );
    assert!(
        words.contains("copy from a wider window or save curl's output with 2>file"),
        "{en}"
    );
    assert!(!en.contains("skipped"), "{en}");
    let (zh, words) = table_of(&fixture("pasted-wrapped-header.txt"), "zh");
    assert!(words.contains("记录第 9 行是第 8 行的续行"), "{zh}");
    assert!(words.contains("2>文件"), "{zh}");
}

/// A row of text inside a head that a terminal cannot have wrapped (the line before it is
/// too short to have reached a window's edge): skipped and flagged, line numbers given.
#[test]
fn text_inside_a_head_that_is_no_wrap_is_flagged_with_its_line() {
    let transcript = "> GET / HTTP/1.1\n> Host: a\n> User-Agent: cu\nrl/8\n> Accept: */*\n> \n";
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), transcript).unwrap();
    let path = file.path().to_str().unwrap();
    let (ms, code) = json(&[path]);
    assert_eq!(code, 0, "{ms:#?}");
    assert_eq!(header(&ms[0], "User-Agent"), "cu");
    assert_eq!(names(&ms[0]), ["Host", "User-Agent", "Accept"]);
    let flag = ms[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "transcript-text-in-head")
        .unwrap_or_else(|| panic!("{}", ms[0]));
    assert_eq!(flag["severity"], "warning");
    let (en, words) = table_of(path, "en");
    assert!(
        words.contains("transcript line 4 is inside this head"),
        "{en}"
    );
    assert!(
        words.contains("if a terminal wrapped line 3 when it was copied"),
        "{en}"
    );
    assert!(
        words.contains("copy from a wider window or save curl's output with 2>file"),
        "{en}"
    );
    // The row is not lost: it is shown as skipped.
    assert!(words.contains("rl/8"), "{en}");
    let (zh, words) = table_of(path, "zh");
    assert!(words.contains("记录第 4 行位于这个头部之中"), "{zh}");
}
