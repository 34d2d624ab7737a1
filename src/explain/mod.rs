//! Teaching data: what each header, status code, method and diagnostic means, in English
//! and Chinese, kept as tables (data/*.tsv and the label table in i18n/labels.rs) that renderers
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

pub(crate) use diagnostics::{all_diagnostics, diagnostic_info, diagnostic_text, DiagnosticInfo};
pub(crate) use errors::{capture_error_text, error_kinds, error_meaning, error_text};
pub(crate) use headers::{all_headers, header, HeaderInfo, Registration};
pub(crate) use i18n::{cite, count, fill};
pub use i18n::{Label, Lang, Text};
pub(crate) use lints::{apply_lints, fails_strict, has_errors};
pub(crate) use methods::{all_methods, method, MethodInfo};
pub(crate) use notes::{fragment_notes, framing_label, message_notes, part_label, Note};
pub(crate) use status::{all_statuses, status, status_class};

#[cfg(test)]
mod lint_tests;
#[cfg(test)]
mod tests;
