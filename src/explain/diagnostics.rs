//! The text of every diagnostic in both languages, from data/diagnostics.tsv (code, RFC
//! reference, English, Chinese): one row for each [`Code`], whose severity is its own.

use std::sync::OnceLock;

use super::i18n::{cite, fill, Label, Lang, Text};
use super::tsv::table;
use crate::model::{Code, Diagnostic};

/// One diagnostic code of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagnosticInfo {
    pub code: Code,
    /// The rule it comes from, e.g. `RFC 9112 section 3.2`.
    pub reference: &'static str,
    /// Text templates with `{0}`, `{1}` ... for the diagnostic's args.
    /// What it is or means, in both languages.
    pub text: Text,
}

/// Every diagnostic code, in file order.
pub fn all_diagnostics() -> &'static [DiagnosticInfo] {
    static TABLE: OnceLock<Vec<DiagnosticInfo>> = OnceLock::new();
    table(&TABLE, include_str!("data/diagnostics.tsv"), 4, |r| {
        DiagnosticInfo {
            code: *Code::ALL
                .iter()
                .find(|c| c.as_str() == r[0])
                .unwrap_or_else(|| panic!("diagnostics.tsv: {:?} is not a Code", r[0])),
            reference: r[1],
            text: Text { en: r[2], zh: r[3] },
        }
    })
}

/// The table entry for a code.
pub fn diagnostic_info(code: Code) -> Option<&'static DiagnosticInfo> {
    all_diagnostics().iter().find(|d| d.code == code)
}

/// The text of a diagnostic in `lang`, arguments filled in, ending with its RFC reference.
pub fn diagnostic_text(d: &Diagnostic, lang: Lang) -> String {
    let Some(info) = diagnostic_info(d.code) else {
        return d.code.as_str().to_string();
    };
    let args: Vec<&str> = d.args.iter().map(String::as_str).collect();
    let text = fill(info.text.get(lang), &args);
    let reference = cite(info.reference, lang);
    Label::Parenthesized.fill(lang, &[&text, &reference])
}
