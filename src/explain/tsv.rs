//! Reading the tables embedded from `data/*.tsv`: one record a line, fields split by tabs,
//! blank lines and `#` comments skipped. The data is compiled in, so a malformed row is a
//! bug caught by the tests that load every table, not an input error.

use std::sync::OnceLock;

/// The records of `text`, each with exactly `fields` fields.
fn records(text: &'static str, fields: usize) -> Vec<Vec<&'static str>> {
    text.lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let cols: Vec<&'static str> = line.split('\t').collect();
            assert_eq!(
                cols.len(),
                fields,
                "embedded table row has wrong field count: {line}"
            );
            cols
        })
        .collect()
}

/// A table built once from `text`: each record of `fields` fields turned into a `T` by `row`.
pub(super) fn table<T: Send + Sync>(
    cell: &'static OnceLock<Vec<T>>,
    text: &'static str,
    fields: usize,
    row: fn(&[&'static str]) -> T,
) -> &'static [T] {
    cell.get_or_init(|| records(text, fields).iter().map(|r| row(r)).collect())
}

/// A reference such as `RFC 9110 section 7.2` as written in `lang`.
pub fn cite(reference: &str, lang: super::Lang) -> String {
    match lang {
        super::Lang::En => reference.to_string(),
        super::Lang::Zh => {
            // "RFC 9110 section 7.2" -> "RFC 9110 第 7.2 节"; other references stay as they are.
            let mut out = String::new();
            for (i, part) in reference.split("; ").enumerate() {
                if i > 0 {
                    out.push(';');
                }
                match part.split_once(" section ") {
                    Some((doc, sec)) => out.push_str(&format!("{doc} 第 {sec} 节")),
                    None => match part.split_once(" appendix ") {
                        Some((doc, sec)) => out.push_str(&format!("{doc} 附录 {sec}")),
                        None => out.push_str(part),
                    },
                }
            }
            out
        }
    }
}

/// `template` with `{0}`, `{1}`, ... replaced by `args` (a missing argument becomes empty).
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((close, after[..close].parse::<usize>().ok()?)))
        {
            Some((close, n)) => {
                out.push_str(args.get(n).copied().unwrap_or(""));
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
