//! JSON strings as httpdump writes them (docs/json.md): JSON's own escapes, plus `\uXXXX`
//! for DEL and every other character [`super::escape::is_unsafe_char`] names, and `\xNN`
//! text for bytes that are not UTF-8. A fast path writes whole runs of safe bytes at once;
//! [`SafeFormatter`] through serde_json is the clear slow path, kept for the few values
//! still serialized by serde and as the reference the fast path is tested against.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

use super::escape::is_unsafe_char;

/// A compact formatter that also escapes DEL, C1 controls and every other character
/// [`super::escape::is_unsafe_char`] names (format characters, line and paragraph
/// separators), which JSON allows raw but a terminal would obey or hide.
#[derive(Default)]
pub(super) struct SafeFormatter;

impl Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe_char(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                write_unicode_escape(w, c)?;
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
}

/// Any serde value as compact JSON with httpdump's escaping: the slow path, for values
/// that are rare (`send`'s TLS and timing objects).
pub(super) fn write_value<W: Write + ?Sized>(w: &mut W, value: &impl Serialize) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(&mut *w, SafeFormatter);
    // `From` keeps the kind of an I/O error (a closed pipe must stay `BrokenPipe`).
    value.serialize(&mut ser).map_err(io::Error::from)
}

/// A character outside the BMP (tag characters) needs a surrogate pair in JSON.
fn write_unicode_escape<W: Write + ?Sized>(w: &mut W, c: char) -> io::Result<()> {
    for unit in c.encode_utf16(&mut [0; 2]) {
        write!(w, "\\u{unit:04x}")?;
    }
    Ok(())
}

/// True for an ASCII byte written as it is inside a JSON string.
const fn plain(b: u8) -> bool {
    b >= 0x20 && b < 0x7f && b != b'"' && b != b'\\'
}

/// How long the run of plain ASCII bytes at the start of `bytes` is. Sixteen bytes are
/// checked at a time without branching per byte, which the compiler turns into SIMD.
fn plain_run(bytes: &[u8]) -> usize {
    let mut i = 0;
    let mut chunks = bytes.chunks_exact(16);
    for chunk in &mut chunks {
        let stop = chunk.iter().fold(false, |acc, &b| acc | !plain(b));
        if stop {
            break;
        }
        i += 16;
    }
    i + bytes[i..].iter().take_while(|&&b| plain(b)).count()
}

/// The escape of an ASCII byte that is not plain, as serde_json writes it (and `\u007f`
/// for DEL).
fn write_ascii_escape<W: Write + ?Sized>(w: &mut W, b: u8) -> io::Result<()> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match b {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => {
            let hex = [
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ];
            return w.write_all(&hex);
        }
    };
    w.write_all(&[b'\\', short])
}

/// The character at the start of `bytes` (which starts with a non-ASCII byte) and its
/// length, or the number of bytes that are not UTF-8 there, counted as `utf8_chunks`
/// counts them (the longest start of a sequence that could have been valid).
fn next_char(bytes: &[u8]) -> Result<(char, usize), usize> {
    let window = &bytes[..bytes.len().min(4)];
    let valid = match std::str::from_utf8(window) {
        Ok(text) => text,
        Err(e) if e.valid_up_to() > 0 => {
            std::str::from_utf8(&window[..e.valid_up_to()]).unwrap_or_default()
        }
        // An incomplete sequence can only be cut by the end of the input.
        Err(e) => return Err(e.error_len().unwrap_or(window.len())),
    };
    match valid.chars().next() {
        Some(c) => Ok((c, c.len_utf8())),
        None => Err(1),
    }
}

/// `bytes` as a JSON string (quotes included): as they are where UTF-8 (escaped as
/// above), with the text `\xNN` (its backslash escaped) for each byte that is not.
pub(super) fn write_bytes<W: Write + ?Sized>(w: &mut W, bytes: &[u8]) -> io::Result<()> {
    w.write_all(b"\"")?;
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        i += plain_run(&bytes[i..]);
        let Some(&b) = bytes.get(i) else { break };
        if b < 0x80 {
            w.write_all(&bytes[start..i])?;
            write_ascii_escape(w, b)?;
            i += 1;
            start = i;
            continue;
        }
        match next_char(&bytes[i..]) {
            // Safe text stays in the run, to be written with it.
            Ok((c, len)) if !is_unsafe_char(c) => i += len,
            Ok((c, len)) => {
                w.write_all(&bytes[start..i])?;
                write_unicode_escape(w, c)?;
                i += len;
                start = i;
            }
            Err(len) => {
                w.write_all(&bytes[start..i])?;
                for b in &bytes[i..i + len] {
                    write!(w, "\\\\x{b:02x}")?;
                }
                i += len;
                start = i;
            }
        }
    }
    w.write_all(&bytes[start..])?;
    w.write_all(b"\"")
}

/// Text as a JSON string, quotes included.
pub(super) fn write_str<W: Write + ?Sized>(w: &mut W, text: &str) -> io::Result<()> {
    write_bytes(w, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The slow path: what httpdump wrote before the fast path, through serde_json.
    fn reference(bytes: &[u8]) -> Vec<u8> {
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(_) => {
                let mut text = String::new();
                for chunk in bytes.utf8_chunks() {
                    text.push_str(chunk.valid());
                    for b in chunk.invalid() {
                        text.push_str(&format!("\\x{b:02x}"));
                    }
                }
                text
            }
        };
        let mut out = Vec::new();
        write_value(&mut out, &text).unwrap();
        out
    }

    fn fast(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        write_bytes(&mut out, bytes).unwrap();
        out
    }

    /// Bytes drawn mostly from the awkward ones: every escape, DEL, C1 controls, bidi
    /// marks, CJK, emoji, tag characters, lone continuation and lead bytes.
    fn awkward() -> impl Strategy<Value = Vec<u8>> {
        let pieces = prop_oneof![
            4 => "[ -~]{0,40}".prop_map(String::into_bytes),
            2 => any::<u8>().prop_map(|b| vec![b]),
            2 => any::<char>().prop_map(|c| c.to_string().into_bytes()),
            1 => prop::sample::select(vec![
                "\"", "\\", "\u{7f}", "\u{85}", "\u{9b}", "\u{ad}", "\u{200b}", "\u{202e}",
                "\u{2028}", "\u{feff}", "\u{e0041}", "中文", "😀", "é", "\u{a0}", "\u{fffd}",
            ])
            .prop_map(|s| s.as_bytes().to_vec()),
        ];
        prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn fast_path_writes_what_serde_wrote(bytes in awkward()) {
            let (fast, reference) = (fast(&bytes), reference(&bytes));
            prop_assert_eq!(String::from_utf8_lossy(&fast), String::from_utf8_lossy(&reference));
        }

        #[test]
        fn any_bytes_are_written_as_serde_wrote_them(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            prop_assert_eq!(fast(&bytes), reference(&bytes));
        }
    }

    #[test]
    fn every_single_byte_and_char_matches() {
        for b in 0..=255u8 {
            assert_eq!(
                fast(&[b'a', b, b'z']),
                reference(&[b'a', b, b'z']),
                "{b:#x}"
            );
        }
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let text = format!("ab{c}cd");
            assert_eq!(fast(text.as_bytes()), reference(text.as_bytes()), "{c:?}");
        }
    }

    #[test]
    fn runs_longer_than_a_chunk_keep_their_escapes() {
        let text = "0123456789abcdef\"0123456789abcdef\u{202e}0123456789abcdefgh\\";
        assert_eq!(
            String::from_utf8(fast(text.as_bytes())).unwrap(),
            "\"0123456789abcdef\\\"0123456789abcdef\\u202e0123456789abcdefgh\\\\\""
        );
    }
}
