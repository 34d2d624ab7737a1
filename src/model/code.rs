//! The code of every diagnostic, with its severity and what it is about: the one list
//! the lints, the wire parser, the transcript readers and `listen` emit from, and the one
//! place a severity is decided. The texts are in explain/data/diagnostics.tsv, one row a code (a test checks
//! both ways); JSON shows [`Code::as_str`].

use super::Severity;

macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident => $code:literal, $severity:ident, $subject:ident;)*) => {
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

            /// What it is about.
            pub fn subject(self) -> Subject {
                match self {
                    $(Code::$name => Subject::$subject,)*
                }
            }
        }
    };
}

/// What a diagnostic is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// The bytes of the message.
    Bytes,
    /// How a tool captured the message (a transcript), not its bytes.
    Capture,
    /// What reached `listen`, not how its bytes are formed.
    Listen,
    /// How `send` read a response, not how its bytes are formed.
    Send,
}

codes! {
    BareLf => "bare-lf", Warning, Bytes;
    ObsFold => "obs-fold", Warning, Bytes;
    SpaceBeforeColon => "space-before-colon", Warning, Bytes;
    InvalidFieldChar => "invalid-field-char", Warning, Bytes;
    MissingHost => "missing-host", Error, Bytes;
    DuplicateHost => "duplicate-host", Error, Bytes;
    TransferEncodingWithContentLength => "transfer-encoding-with-content-length", Error, Bytes;
    DuplicateContentLength => "duplicate-content-length", Warning, Bytes;
    ContentLengthMismatch => "content-length-mismatch", Error, Bytes;
    TransferEncodingHttp10 => "transfer-encoding-http10", Error, Bytes;
    TransferEncodingNotChunked => "transfer-encoding-not-chunked", Warning, Bytes;
    LowercaseMethod => "lowercase-method", Warning, Bytes;
    UnknownMethod => "unknown-method", Note, Bytes;
    AbsoluteFormTarget => "absolute-form-target", Note, Bytes;
    StatusCodeRange => "status-code-range", Error, Bytes;
    UnknownStatus => "unknown-status", Note, Bytes;
    MissingReasonPhrase => "missing-reason-phrase", Note, Bytes;
    BodyNotAllowed => "body-not-allowed", Error, Bytes;
    LengthOnBodilessStatus => "length-on-bodiless-status", Warning, Bytes;
    BodyWithoutLength => "body-without-length", Error, Bytes;
    TranscriptTruncated => "transcript-truncated", Warning, Capture;
    TranscriptNoCr => "transcript-no-cr", Note, Capture;
    TranscriptCrCrLf => "transcript-crcrlf", Note, Capture;
    TranscriptBodyMismatch => "transcript-body-mismatch", Warning, Capture;
    TranscriptBodyDecoded => "transcript-body-decoded", Note, Capture;
    TranscriptHttp2 => "transcript-http2", Note, Capture;
    TranscriptInterimBlank => "transcript-interim-blank", Note, Capture;
    TranscriptChunksJoined => "transcript-chunks-joined", Note, Capture;
    TranscriptHeadRepeated => "transcript-head-repeated", Note, Capture;
    TranscriptDots => "transcript-dots", Note, Capture;
    TranscriptLineWrapped => "transcript-line-wrapped", Note, Capture;
    TranscriptTextInHead => "transcript-text-in-head", Warning, Capture;
    /// How a message was rebuilt from a HAR entry (src/source/har).
    HarHttp2 => "har-http2", Note, Capture;
    HarVersionUnknown => "har-version-unknown", Note, Capture;
    HarHostAdded => "har-host-added", Note, Capture;
    HarValueSplit => "har-value-split", Note, Capture;
    HarBodyFromParams => "har-body-from-params", Note, Capture;
    HarBodyNotRecorded => "har-body-not-recorded", Note, Capture;
    HarBodyDecoded => "har-body-decoded", Note, Capture;
    HarBase64Invalid => "har-base64-invalid", Warning, Capture;
    HarLengthSet => "har-length-set", Note, Capture;
    HarLengthAdded => "har-length-added", Note, Capture;
    HarRechunked => "har-rechunked", Note, Capture;
    HarNoResponse => "har-no-response", Warning, Capture;
    /// A response sent to `listen`.
    ListenResponse => "listen-response", Error, Listen;
    /// A response `send` stopped reading at `--max-body`.
    SendBodyCut => "send-body-cut", Warning, Send;
    /// Bytes of a TCP stream the capture missed before a message.
    CaptureGap => "capture-gap", Warning, Capture;
    /// A TCP stream whose start the capture missed.
    CaptureNoStart => "capture-no-start", Note, Capture;
}

#[cfg(test)]
mod tests {
    use super::{Code, Subject};

    #[test]
    fn the_subject_agrees_with_the_name() {
        for &code in Code::ALL {
            let by_name = match code.as_str() {
                c if c.starts_with("transcript-")
                    || c.starts_with("har-")
                    || c.starts_with("capture-") =>
                {
                    Subject::Capture
                }
                c if c.starts_with("listen-") => Subject::Listen,
                c if c.starts_with("send-") => Subject::Send,
                _ => Subject::Bytes,
            };
            assert_eq!(code.subject(), by_name, "{}", code.as_str());
        }
    }
}
