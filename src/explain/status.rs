//! What each status code means: every code of the IANA HTTP Status Code Registry
//! (data/status.tsv), and the class a client falls back to for any other code.

use std::sync::OnceLock;

use super::i18n::{cite, Label, Lang, Text};
use super::tsv::table;

/// One registered status code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusInfo {
    pub code: u16,
    /// The reason phrase the registry gives, e.g. `Moved Permanently`.
    pub phrase: &'static str,
    pub reference: &'static str,
    /// What it is or means, in both languages.
    pub text: Text,
}

/// Every registered status code, in order.
pub fn all_statuses() -> &'static [StatusInfo] {
    static TABLE: OnceLock<Vec<StatusInfo>> = OnceLock::new();
    table(&TABLE, include_str!("data/status.tsv"), 5, |r| StatusInfo {
        code: r[0].parse().expect("status.tsv: code is a number"),
        phrase: r[1],
        reference: r[2],
        text: Text { en: r[3], zh: r[4] },
    })
}

/// The registry entry for a code.
pub fn status(code: u16) -> Option<&'static StatusInfo> {
    all_statuses().iter().find(|s| s.code == code)
}

/// The class of a code (RFC 9110 section 15), or `None` outside 100..=599.
pub fn status_class(code: u16) -> Option<Label> {
    Some(match code {
        100..=199 => Label::Class1xx,
        200..=299 => Label::Class2xx,
        300..=399 => Label::Class3xx,
        400..=499 => Label::Class4xx,
        500..=599 => Label::Class5xx,
        _ => return None,
    })
}

/// One line about a status code for `--explain`.
pub fn status_note(code: u16, lang: Lang) -> String {
    let class = status_class(code).map_or("", |c| c.text(lang));
    let about = match status(code) {
        Some(info) => {
            let reference = cite(info.reference, lang);
            Label::Parenthesized.fill(lang, &[info.text.get(lang), &reference])
        }
        None => Label::StatusUnregistered.text(lang).to_string(),
    };
    Label::Semicolon.fill(lang, &[&about, class])
}
