//! Teaching data: what each header, status code, method and diagnostic means, in English
//! and Chinese, kept as tables (data/*.tsv and the label table in i18n.rs) that renderers
//! look up; and the protocol lints that find diagnostics in a parsed message.

mod diagnostics;
mod errors;
mod headers;
mod i18n;
mod lints;
mod methods;
mod notes;
mod status;
mod tsv;

pub use diagnostics::diagnostic_text;
pub use errors::error_text;
pub use i18n::{count, Label, Lang, Text};
pub use lints::{apply_lints, fails_strict, has_errors};
pub use notes::{fragment_notes, framing_label, message_notes, part_label, Note};
pub use status::status;

#[cfg(test)]
mod lint_tests;
#[cfg(test)]
mod tests;
