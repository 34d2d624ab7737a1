//! Fuzz-style properties through the real binary: mutated fixtures and arbitrary bytes fed
//! to every input kind and output format of `parse`, and to a running `listen`. This file
//! holds the inputs (fixtures, mutations) and the checks every output must pass; the
//! properties are in the modules below.
//!
//! Each case runs the real binary, so case counts are kept to a few hundred per property
//! and every run has a time limit: the whole module takes well under a minute on 2 cores.

mod listen;
mod parse;
mod server;

use std::fmt;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::Index;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Bytes shown in a failure as an escaped byte string, so a shrunk case can be pasted
/// into `printf` to reproduce it.
#[derive(Clone)]
pub(crate) struct Bytes(pub(crate) Vec<u8>);

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b\"{}\" ({} bytes)", self.0.escape_ascii(), self.0.len())
    }
}

/// Every fixture's bytes, read once: raw messages and curl/HTTPie/xh transcripts.
pub(crate) fn fixtures() -> &'static [(String, Vec<u8>)] {
    static ALL: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    ALL.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut all = Vec::new();
        for dir in [root.clone(), root.join("curl")] {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if path.is_file() && name != "README.md" {
                    all.push((name, std::fs::read(&path).unwrap()));
                }
            }
        }
        all.sort();
        assert!(all.len() > 20, "fixtures not found in {}", root.display());
        all
    })
}

/// Pieces the mutations insert: line ends, NUL, ESC and other controls, lone high bytes
/// and cut UTF-8, invisible and bidi characters, and numbers that overflow a length.
const PIECES: &[&[u8]] = &[
    b"\r",
    b"\n",
    b"\r\n",
    b"\r\n\r\n",
    b"\0",
    b"\x1b",
    b"\x1b[31m",
    b"\x1b]0;title\x07",
    b"\x7f",
    b"\t",
    b"\x08",
    b"\x80",
    b"\x9b",
    b"\xff",
    b"\xe2\x80",
    "\u{85}".as_bytes(),
    "\u{202e}".as_bytes(),
    "\u{200b}".as_bytes(),
    "\u{061c}".as_bytes(),
    "\u{00ad}".as_bytes(),
    "\u{feff}".as_bytes(),
    "\u{2028}".as_bytes(),
    "\u{2029}".as_bytes(),
    "\u{2066}".as_bytes(),
    "\u{e0041}".as_bytes(),
    b" ",
    b":",
    b";",
    b"0",
    b"-1",
    b"99999999999999999999",
    b"ffffffffffffffff",
    b"0x7fffffffffffffff",
    b"Content-Length: 5\r\n",
    b"Transfer-Encoding: chunked\r\n",
    b"HTTP/1.1 200 OK\r\n",
    b"GET / HTTP/1.1\r\n",
    b"> ",
    b"< ",
    b"* ",
    b"\n0000: ",
    b"\n=> Send header, 18446744073709551615 bytes (0xffffffffffffffff)\n",
    b"\n<= Recv data, 99999999999 bytes (0x174876e7ff)\n",
    b"\n== Info: ",
];

#[derive(Debug, Clone)]
pub(crate) enum Mutation {
    Flip(Index, u8),
    Set(Index, u8),
    Insert(Index, usize),
    Truncate(Index),
    Delete(Index, usize),
    Duplicate(Index, Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => (any::<Index>(), 0..8u8).prop_map(|(i, bit)| Mutation::Flip(i, bit)),
        1 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        4 => (any::<Index>(), 0..PIECES.len()).prop_map(|(i, p)| Mutation::Insert(i, p)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        1 => (any::<Index>(), 1..64usize).prop_map(|(i, n)| Mutation::Delete(i, n)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Duplicate(a, b)),
    ]
}

/// Apply one mutation; indexes are taken within the current length (plus one, so the end
/// is a place too).
fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let at = |i: &Index, len: usize| i.index(len + 1);
    match m {
        Mutation::Flip(i, bit) if !bytes.is_empty() => {
            let at = i.index(bytes.len());
            bytes[at] ^= 1 << bit;
        }
        Mutation::Set(i, b) if !bytes.is_empty() => {
            let at = i.index(bytes.len());
            bytes[at] = *b;
        }
        Mutation::Insert(i, p) => {
            let at = at(i, bytes.len());
            bytes.splice(at..at, PIECES[*p].iter().copied());
        }
        Mutation::Truncate(i) => bytes.truncate(at(i, bytes.len())),
        Mutation::Delete(i, n) => {
            let from = at(i, bytes.len());
            let to = (from + n).min(bytes.len());
            bytes.drain(from..to);
        }
        Mutation::Duplicate(a, b) => {
            // A slice of at most 256 bytes, copied to another place: repeated headers,
            // repeated messages, a body that runs into the next start line.
            let (x, y) = (at(a, bytes.len()), at(b, bytes.len()));
            let (from, to) = (x.min(y), x.max(y).min(x.min(y) + 256));
            let slice = bytes[from..to].to_vec();
            bytes.splice(to..to, slice);
        }
        _ => {}
    }
}

/// Mutated fixtures (most cases), arbitrary bytes, and arbitrary bytes from an HTTP-like
/// alphabet that reach deeper into the parsers than noise does.
pub(crate) fn input() -> impl Strategy<Value = Bytes> {
    let mutated = (
        0..fixtures().len(),
        proptest::collection::vec(mutation(), 1..6),
    )
        .prop_map(|(f, ms)| {
            let mut bytes = fixtures()[f].1.clone();
            for m in &ms {
                apply(&mut bytes, m);
            }
            Bytes(bytes)
        });
    let alphabet: Vec<u8> = b"GETPOSTHTP/1.0 \r\n\r\n::;=-0123456789abcdefxX\t\x00\x1b\x7f\x80\xc2\xad\xe2\x80\xae<>*= "
        .to_vec();
    prop_oneof![
        6 => mutated,
        1 => proptest::collection::vec(any::<u8>(), 0..1024).prop_map(Bytes),
        2 => proptest::collection::vec(proptest::sample::select(alphabet), 0..512).prop_map(Bytes),
    ]
}

/// What a user could see that they should not: text that is not UTF-8, a C0 control other
/// than `\n` (so no ESC, CR or TAB), DEL and C1 controls, format characters (bidi marks,
/// zero-width characters, soft hyphen, BOM) and line or paragraph separators.
pub(crate) fn unsafe_char(what: &str, bytes: &[u8], allow_cr: bool) -> Option<String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.valid_up_to();
            let around = &bytes[at.saturating_sub(40)..(at + 8).min(bytes.len())];
            return Some(format!(
                "{what} is not UTF-8 at byte {at}: {}",
                around.escape_ascii()
            ));
        }
    };
    for (at, c) in text.char_indices() {
        let bad = match c {
            '\n' => false,
            '\r' => !allow_cr,
            _ => matches!(
                c.general_category(),
                GeneralCategory::Control
                    | GeneralCategory::Format
                    | GeneralCategory::LineSeparator
                    | GeneralCategory::ParagraphSeparator
            ),
        };
        if bad {
            let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
            let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
            return Some(format!(
                "{what} has raw U+{:04X} at byte {at}, in the line {:?}",
                c as u32,
                &text[line_start..line_end]
            ));
        }
    }
    None
}
