//! The code of every diagnostic, with its severity: the one list the lints, the wire
//! parser, the transcript readers and `listen` emit from, and the one place a severity is
//! decided. The texts are in explain/data/diagnostics.tsv, one row a code (a test checks
//! both ways); JSON shows [`Code::as_str`].

use super::Severity;

macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident => $code:literal, $severity:ident;)*) => {
        /// What a diagnostic is about.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[$doc])* $name,)*
        }

        impl Code {
            /// Every code, in the order of the table.
            pub const ALL: &'static [Code] = &[$(Code::$name,)*];

            /// The stable kebab-case name, e.g. `missing-host`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $code,)*
                }
            }

            /// How bad it is.
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$name => Severity::$severity,)*
                }
            }
        }
    };
}

codes! {
    BareLf => "bare-lf", Warning;
    ObsFold => "obs-fold", Warning;
    SpaceBeforeColon => "space-before-colon", Warning;
    InvalidFieldChar => "invalid-field-char", Warning;
    MissingHost => "missing-host", Error;
    DuplicateHost => "duplicate-host", Error;
    TransferEncodingWithContentLength => "transfer-encoding-with-content-length", Error;
    DuplicateContentLength => "duplicate-content-length", Warning;
    ContentLengthMismatch => "content-length-mismatch", Error;
    TransferEncodingHttp10 => "transfer-encoding-http10", Error;
    TransferEncodingNotChunked => "transfer-encoding-not-chunked", Warning;
    LowercaseMethod => "lowercase-method", Warning;
    UnknownMethod => "unknown-method", Note;
    AbsoluteFormTarget => "absolute-form-target", Note;
    StatusCodeRange => "status-code-range", Error;
    UnknownStatus => "unknown-status", Note;
    MissingReasonPhrase => "missing-reason-phrase", Note;
    BodyNotAllowed => "body-not-allowed", Error;
    LengthOnBodilessStatus => "length-on-bodiless-status", Warning;
    BodyWithoutLength => "body-without-length", Error;
    // How a tool captured the message (a transcript), not its bytes.
    TranscriptTruncated => "transcript-truncated", Warning;
    TranscriptNoCr => "transcript-no-cr", Note;
    TranscriptCrCrLf => "transcript-crcrlf", Note;
    TranscriptBodyMismatch => "transcript-body-mismatch", Warning;
    TranscriptBodyDecoded => "transcript-body-decoded", Note;
    TranscriptHttp2 => "transcript-http2", Note;
    TranscriptInterimBlank => "transcript-interim-blank", Note;
    TranscriptChunksJoined => "transcript-chunks-joined", Note;
    TranscriptHeadRepeated => "transcript-head-repeated", Note;
    TranscriptDots => "transcript-dots", Note;
    TranscriptLineWrapped => "transcript-line-wrapped", Note;
    TranscriptTextInHead => "transcript-text-in-head", Warning;
    /// A response sent to `listen`.
    ListenResponse => "listen-response", Error;
}
