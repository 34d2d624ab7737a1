//! Tables at a terminal's width, through the real binary: Chromium's request at 80 and
//! 120 columns (header names whole, no line ending alone on a line, no line wider than
//! asked), and one numbering of messages in titles and JSON.

use crate::parse_cli::httpdump;

/// The table `parse` prints for `file` at `width` columns, without colour.
fn table(file: &str, width: u16) -> String {
    let out = httpdump()
        .args([
            "parse",
            "--color",
            "never",
            "--width",
            &width.to_string(),
            file,
        ])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The cells of the grid's rows (title row and rules left out), trimmed.
fn rows(table: &str) -> Vec<Vec<&str>> {
    table
        .lines()
        .filter(|l| l.starts_with("│ ") && !l.contains(" ┆ part "))
        .map(|l| {
            l.trim_matches('│')
                .split('┆')
                .map(str::trim)
                .collect::<Vec<_>>()
        })
        .collect()
}

const CHROMIUM: &str = "fixtures/chromium-request.http";

/// The header names of the Chromium request, as sent.
fn chromium_names() -> Vec<String> {
    let raw = std::fs::read_to_string(CHROMIUM).unwrap();
    let head = raw.split("\r\n\r\n").next().unwrap();
    head.lines()
        .skip(1)
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect()
}

fn assert_readable_at(width: u16) {
    let text = table(CHROMIUM, width);
    for line in text.lines() {
        assert!(
            line.chars().count() <= usize::from(width),
            "wider than {width}: {line}\n{text}"
        );
    }
    let rows = rows(&text);
    // Every name is whole in one cell: the values wrap instead.
    let names: Vec<&str> = rows
        .iter()
        .filter(|r| r[1] == "header")
        .map(|r| r[2])
        .collect();
    assert_eq!(names, chromium_names(), "\n{text}");
    assert!(
        rows.iter()
            .filter(|r| r[1].is_empty())
            .all(|r| r[2].is_empty()),
        "a name went on in a second line\n{text}"
    );
    // A line ending is never alone on a line, except on the blank line.
    for row in &rows {
        if row[3].starts_with('␍') || row[3].starts_with('␊') {
            assert_eq!(row[1], "blank line", "{row:?}\n{text}");
        }
    }
    // The table takes the whole width, as the long values need it.
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert_eq!(widest, usize::from(width), "\n{text}");
}

#[test]
fn chromium_request_at_80_columns_keeps_header_names_whole() {
    assert_readable_at(80);
}

#[test]
fn chromium_request_at_120_columns_keeps_header_names_whole() {
    assert_readable_at(120);
}

#[test]
fn a_name_too_long_for_the_column_breaks_after_a_hyphen() {
    // At 60 columns `Upgrade-Insecure-Requests` cannot stay whole.
    let text = table(CHROMIUM, 60);
    let rows = rows(&text);
    let at = rows
        .iter()
        .position(|r| r[2].starts_with("Upgrade-"))
        .expect("an Upgrade-Insecure-Requests row");
    let mut name = String::new();
    for row in &rows[at..] {
        if row[2].is_empty() || (row[1] == "header" && !name.is_empty()) {
            break;
        }
        assert!(
            row[2].ends_with('-') || row[2] == "Requests",
            "broken inside a word: {:?}\n{text}",
            row[2]
        );
        name.push_str(row[2]);
    }
    assert_eq!(name, "Upgrade-Insecure-Requests", "\n{text}");
}

/// The number in each title: "Request 2: ..." -> 2.
fn title_numbers(table: &str) -> Vec<u64> {
    table
        .lines()
        .filter_map(|l| {
            let rest = ["Request ", "Response ", "Message "]
                .iter()
                .find_map(|kind| l.strip_prefix(kind))?;
            rest.split(':').next()?.parse().ok()
        })
        .collect()
}

#[test]
fn titles_and_json_number_messages_the_same_way() {
    for file in [
        "fixtures/error-then-valid.http",
        "fixtures/exchange.http",
        "fixtures/head-exchange.http",
        "fixtures/status-codes.http",
    ] {
        let out = httpdump()
            .args(["parse", "--color", "never", file])
            .output()
            .unwrap();
        let titles = title_numbers(&String::from_utf8(out.stdout).unwrap());
        let out = httpdump()
            .args(["parse", "--format", "json", file])
            .output()
            .unwrap();
        let indexes: Vec<u64> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                v["index"].as_u64().unwrap()
            })
            .collect();
        assert_eq!(titles, indexes, "{file}");
        let order: Vec<u64> = (1..=titles.len() as u64).collect();
        assert_eq!(titles, order, "{file}");
    }
    // The broken message is number 1, so the request after it is number 2.
    let text = table("fixtures/error-then-valid.http", 100);
    assert!(text.starts_with("Message 1: could not be read\n"), "{text}");
    assert!(
        text.contains("\nRequest 2: GET /after HTTP/1.1\n"),
        "{text}"
    );
}
