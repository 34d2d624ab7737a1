//! Making untrusted bytes safe to show: every control character, invalid UTF-8 byte and
//! invisible bidirectional mark becomes a visible escape, so input can never drive the
//! terminal it is shown on.

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// A piece of text as it will be shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text that is safe to print as it is.
    Text(&'a str),
    /// The visible stand-in for a byte or character that is not.
    Escape(String),
}

/// True for a character that must not reach a terminal or a reader raw: controls (Cc:
/// C0, DEL, C1), format characters (Cf: bidi marks and overrides, zero-width ones, the
/// soft hyphen, the Arabic letter mark, tags) and the line and paragraph separators (Zl,
/// Zp). Decided by the Unicode general category, so new marks are covered as the tables
/// are updated, not as someone remembers them.
pub fn is_unsafe_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    )
}

/// The escape shown for an unsafe character.
pub fn escape_char(c: char) -> String {
    match c {
        '\t' => "\\t".into(),
        '\r' => "\\r".into(),
        '\n' => "\\n".into(),
        c if (c as u32) < 0x80 => format!("\\x{:02x}", c as u32),
        c => format!("\\u{{{:x}}}", c as u32),
    }
}

/// Call `f` with each piece of `bytes`, in order.
pub fn for_each_piece<'a>(bytes: &'a [u8], mut f: impl FnMut(Piece<'a>)) {
    if bytes.iter().all(|&b| (0x20..0x7f).contains(&b)) {
        // Printable ASCII: the common case, one piece.
        if !bytes.is_empty() {
            f(Piece::Text(std::str::from_utf8(bytes).unwrap_or_default()));
        }
        return;
    }
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        let mut start = 0;
        for (i, c) in valid.char_indices() {
            if is_unsafe_char(c) {
                if start < i {
                    f(Piece::Text(&valid[start..i]));
                }
                f(Piece::Escape(escape_char(c)));
                start = i + c.len_utf8();
            }
        }
        if start < valid.len() {
            f(Piece::Text(&valid[start..]));
        }
        for &b in chunk.invalid() {
            f(Piece::Escape(format!("\\x{b:02x}")));
        }
    }
}

/// `bytes` as a safe string, escapes inline.
pub fn visible(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for_each_piece(bytes, |p| match p {
        Piece::Text(t) => out.push_str(t),
        Piece::Escape(e) => out.push_str(&e),
    });
    out
}

/// True when the bytes are better shown as hex than as text: not UTF-8, or with NUL or
/// many control bytes.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.is_empty() {
        return false;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n' | 0x0c) || b == 0x7f)
        .count();
    if sample.contains(&0) || controls * 10 > sample.len() {
        return true;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => false,
        // A sample cut in the middle of a character is still text.
        Err(e) => e.error_len().is_some() || bytes.len() == sample.len(),
    }
}

/// The first `n` bytes as spaced hex, e.g. `89 50 4e 47`.
pub fn hex_preview(bytes: &[u8], n: usize) -> String {
    let mut out = String::with_capacity(n * 3);
    for (i, b) in bytes.iter().take(n).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_byte_is_escaped() {
        for b in (0u8..0x20).chain([0x7f]) {
            let shown = visible(&[b'a', b, b'z']);
            assert!(shown.starts_with('a') && shown.ends_with('z'));
            assert!(
                !shown.bytes().any(|c| c < 0x20 || c == 0x7f),
                "{b:#x} -> {shown:?}"
            );
        }
    }

    #[test]
    fn c1_controls_and_invalid_utf8_are_escaped() {
        assert_eq!(visible("a\u{9b}b".as_bytes()), "a\\u{9b}b");
        assert_eq!(visible(&[b'a', 0x9b, b'b']), "a\\x9bb");
        assert_eq!(visible("\u{202e}x".as_bytes()), "\\u{202e}x");
        assert_eq!(visible("中文".as_bytes()), "中文");
    }

    #[test]
    fn invisible_characters_are_found_by_category() {
        for c in [
            '\u{ad}',
            '\u{61c}',
            '\u{200b}',
            '\u{200d}',
            '\u{2028}',
            '\u{2029}',
            '\u{2066}',
            '\u{feff}',
            '\u{e0041}',
            '\u{85}',
        ] {
            assert!(is_unsafe_char(c), "{c:?}");
        }
        for c in ['a', ' ', 'é', '中', '\u{a0}', '\u{3000}', '😀', '\u{fffd}'] {
            assert!(!is_unsafe_char(c), "{c:?}");
        }
        assert_eq!(visible("a\u{ad}b".as_bytes()), "a\\u{ad}b");
    }

    #[test]
    fn binary_detection() {
        assert!(!looks_binary(b"hello\r\nworld"));
        assert!(looks_binary(b"\x89PNG\r\n\x1a\n\0\0"));
        assert!(looks_binary(&[0xff, 0xfe, 0x41]));
        assert!(!looks_binary("你好".as_bytes()));
    }
}
