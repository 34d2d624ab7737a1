//! What each method asks for: every method of the IANA HTTP Method Registry
//! (data/methods.tsv), with whether it is safe and idempotent (RFC 9110 section 9.2).

use std::sync::OnceLock;

use super::i18n::{cite, Label, Lang, Text};
use super::tsv::table;

/// One registered method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MethodInfo {
    pub name: &'static str,
    /// Read-only by definition (RFC 9110 section 9.2.1).
    pub safe: bool,
    /// Repeating it has the same effect as doing it once (RFC 9110 section 9.2.2).
    pub idempotent: bool,
    pub reference: &'static str,
    /// What it is or means, in both languages.
    pub text: Text,
}

/// Every registered method, in file order.
pub fn all_methods() -> &'static [MethodInfo] {
    static TABLE: OnceLock<Vec<MethodInfo>> = OnceLock::new();
    table(&TABLE, include_str!("data/methods.tsv"), 6, |r| {
        MethodInfo {
            name: r[0],
            safe: r[1] == "yes",
            idempotent: r[2] == "yes",
            reference: r[3],
            text: Text { en: r[4], zh: r[5] },
        }
    })
}

/// The registry entry for a method, ignoring ASCII case. Methods themselves are
/// case-sensitive: compare [`MethodInfo::name`] to see whether the case was right.
pub fn method(name: &[u8]) -> Option<&'static MethodInfo> {
    all_methods()
        .iter()
        .find(|m| m.name.as_bytes().eq_ignore_ascii_case(name))
}

/// One line about a method for `--explain`.
pub fn method_note(name: &[u8], lang: Lang) -> String {
    let Some(info) = method(name).filter(|m| m.name.as_bytes() == name) else {
        return Label::MethodUnregistered.text(lang).to_string();
    };
    let mut traits = Vec::new();
    if info.safe {
        traits.push(Label::MethodSafe.text(lang));
    }
    if info.idempotent {
        traits.push(Label::MethodIdempotent.text(lang));
    }
    let mut about = cite(info.reference, lang);
    if !traits.is_empty() {
        let traits = traits.join(Label::ListComma.text(lang));
        about = Label::Semicolon.fill(lang, &[&traits, &about]);
    }
    Label::Parenthesized.fill(lang, &[info.text.get(lang), &about])
}
