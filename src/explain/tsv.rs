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
