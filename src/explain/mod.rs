//! Teaching data: what each diagnostic, header, status code and method means, kept as
//! tables that renderers look up.

use crate::message::Diagnostic;

/// The text of a diagnostic, with its arguments filled in.
pub fn diagnostic_text(d: &Diagnostic) -> String {
    let arg = |i: usize| d.args.get(i).map(String::as_str).unwrap_or("");
    match d.code {
        "bare-lf" => format!(
            "line ends in a bare LF instead of CRLF ({} such lines in this message); RFC 9112 section 2.2 lets recipients accept it",
            arg(0)
        ),
        "obs-fold" => "obsolete line folding: a header value continued on a line starting with whitespace (RFC 9112 section 5.2)".to_string(),
        "space-before-colon" => format!(
            "whitespace between header name {:?} and the colon (RFC 9112 section 5.1 forbids it)",
            arg(0)
        ),
        other => other.to_string(),
    }
}
