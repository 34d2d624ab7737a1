//! What each header field is for: the common fields of the IANA HTTP Field Name Registry
//! (data/headers.tsv), looked up case-insensitively, with a verdict for names not in it.

use std::sync::OnceLock;

use super::i18n::{cite, Label, Lang, Text};
use super::tsv::table;

/// Where a field name stands in the IANA registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Registration {
    Permanent,
    Provisional,
    Deprecated,
    Obsoleted,
    /// Common in the wild (browsers send it) but not in the registry.
    Unregistered,
}

/// One header field of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderInfo {
    /// The name as the registry spells it.
    pub name: &'static str,
    pub registration: Registration,
    /// Where it is defined, e.g. `RFC 9110 section 7.2`.
    pub reference: &'static str,
    /// What it is or means, in both languages.
    pub text: Text,
}

/// Every header field of the table, in file order.
pub fn all_headers() -> &'static [HeaderInfo] {
    static TABLE: OnceLock<Vec<HeaderInfo>> = OnceLock::new();
    table(&TABLE, include_str!("data/headers.tsv"), 5, |r| {
        HeaderInfo {
            name: r[0],
            registration: match r[1] {
                "permanent" => Registration::Permanent,
                "provisional" => Registration::Provisional,
                "deprecated" => Registration::Deprecated,
                "obsoleted" => Registration::Obsoleted,
                "unregistered" => Registration::Unregistered,
                other => panic!("headers.tsv: unknown status {other:?} for {}", r[0]),
            },
            reference: r[2],
            text: Text { en: r[3], zh: r[4] },
        }
    })
}

/// The table entry for a field name, ignoring ASCII case.
pub fn header(name: &[u8]) -> Option<&'static HeaderInfo> {
    all_headers()
        .iter()
        .find(|h| h.name.as_bytes().eq_ignore_ascii_case(name))
}

/// What a reader should know about a field name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderVerdict {
    Known(&'static HeaderInfo),
    /// Not in the table, and named `X-...`: a private convention.
    Private,
    /// Not in the table.
    NotRegistered,
}

/// Look a field name up, falling back to the `X-` convention and "not registered".
pub fn classify_header(name: &[u8]) -> HeaderVerdict {
    match header(name) {
        Some(info) => HeaderVerdict::Known(info),
        None if name.len() > 2 && name[..2].eq_ignore_ascii_case(b"x-") => HeaderVerdict::Private,
        None => HeaderVerdict::NotRegistered,
    }
}

/// One line about a header for `--explain`: its purpose and reference, or why it is unknown.
pub fn header_note(name: &[u8], lang: Lang) -> String {
    let info = match classify_header(name) {
        HeaderVerdict::Known(info) => info,
        HeaderVerdict::Private => return Label::HeaderPrivate.text(lang).to_string(),
        HeaderVerdict::NotRegistered => return Label::HeaderUnregistered.text(lang).to_string(),
    };
    let reference = cite(info.reference, lang);
    let standing = match info.registration {
        Registration::Permanent => None,
        Registration::Provisional => Some(Label::HeaderProvisional.text(lang).to_string()),
        Registration::Deprecated => Some(Label::HeaderDeprecated.text(lang).to_string()),
        Registration::Obsoleted => Some(Label::HeaderObsoleted.text(lang).to_string()),
        Registration::Unregistered => Some(Label::HeaderNotRegisteredBy.fill(lang, &[&reference])),
    };
    let about = match standing {
        Some(s) if info.registration == Registration::Unregistered => s,
        Some(s) => Label::Semicolon.fill(lang, &[&s, &reference]),
        None => reference,
    };
    Label::Parenthesized.fill(lang, &[info.text.get(lang), &about])
}
