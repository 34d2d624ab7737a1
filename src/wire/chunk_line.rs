//! The chunk-size line of a chunked body (RFC 9112 section 7.1): hex digits, then any
//! number of extensions `;name` or `;name=value`, with whitespace allowed only around the
//! `;` and the `=`. Anything looser is an error, not a leniency: servers and proxies that
//! disagree about where a chunk ends can be made to see different requests (smuggling).

use crate::model::grammar::is_tchar;
use crate::model::ErrorKind;

/// The size a chunk-size line announces, or what is wrong with it and where (an offset
/// within `line`).
pub(super) fn chunk_size(line: &[u8]) -> Result<u64, (ErrorKind, usize)> {
    let digits_end = line
        .iter()
        .position(|b| !b.is_ascii_hexdigit())
        .unwrap_or(line.len());
    let digits = &line[..digits_end];
    if digits.is_empty() || digits.len() > 15 {
        return Err((ErrorKind::BadChunkSize, 0));
    }
    let mut pos = digits_end;
    while pos < line.len() {
        let semi = skip_ws(line, pos);
        if semi == line.len() {
            return Err((ErrorKind::ChunkSizeSpace, pos));
        }
        if line[semi] != b';' {
            // Right after the digits this is a bad size (`5x`); later, a bad extension.
            let kind = if pos == digits_end {
                ErrorKind::BadChunkSize
            } else {
                ErrorKind::BadChunkExtension
            };
            return Err((kind, if pos == digits_end { 0 } else { semi }));
        }
        pos = extension(line, semi)?;
    }
    let digits = std::str::from_utf8(digits).map_err(|_| (ErrorKind::BadChunkSize, 0))?;
    u64::from_str_radix(digits, 16).map_err(|_| (ErrorKind::BadChunkSize, 0))
}

/// One `;name[=value]` starting at the `;` at `semi`: where it ends.
fn extension(line: &[u8], semi: usize) -> Result<usize, (ErrorKind, usize)> {
    let bad = |at| (ErrorKind::BadChunkExtension, at);
    let name_start = skip_ws(line, semi + 1);
    let name_end = token_end(line, name_start);
    if name_end == name_start {
        return Err(bad(semi));
    }
    let eq = skip_ws(line, name_end);
    if line.get(eq) != Some(&b'=') {
        return Ok(name_end);
    }
    let value_start = skip_ws(line, eq + 1);
    if line.get(value_start) == Some(&b'"') {
        return quoted_end(line, value_start).ok_or(bad(value_start));
    }
    let value_end = token_end(line, value_start);
    if value_end == value_start {
        return Err(bad(eq));
    }
    Ok(value_end)
}

fn skip_ws(line: &[u8], from: usize) -> usize {
    from + line[from..]
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()
}

fn token_end(line: &[u8], from: usize) -> usize {
    from + line[from..].iter().take_while(|&&b| is_tchar(b)).count()
}

/// Just past the closing quote of the quoted-string opening at `open` (RFC 9110
/// section 5.6.4), or `None` when it never closes or holds a control character.
fn quoted_end(line: &[u8], open: usize) -> Option<usize> {
    let text_ok = |b: u8| b == b'\t' || b == b' ' || (0x21..=0x7e).contains(&b) || b >= 0x80;
    let mut i = open + 1;
    while let Some(&b) = line.get(i) {
        match b {
            b'"' => return Some(i + 1),
            b'\\' if line.get(i + 1).is_some_and(|&n| text_ok(n)) => i += 2,
            b'\\' => return None,
            b if text_ok(b) => i += 1,
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_extensions_that_the_rfc_allows() {
        for (line, size) in [
            (&b"5"[..], 5),
            (b"1A", 26),
            (b"0", 0),
            (b"5;name", 5),
            (b"5 ; name", 5),
            (b"5;a=b;c", 5),
            (b"5;a = b", 5),
            (b"5;a=\"x \\\" y\"", 5),
            (b"5\t;a", 5),
        ] {
            assert_eq!(chunk_size(line), Ok(size), "{}", line.escape_ascii());
        }
    }

    #[test]
    fn looser_lines_are_errors_placed_at_the_offending_byte() {
        use ErrorKind::*;
        for (line, kind, at) in [
            (&b"5 "[..], ChunkSizeSpace, 1),
            (b"5\t", ChunkSizeSpace, 1),
            (b"5;a ", ChunkSizeSpace, 3),
            (b"5;", BadChunkExtension, 1),
            (b"5 ; ", BadChunkExtension, 2),
            (b"5;=x", BadChunkExtension, 1),
            (b"5;a=", BadChunkExtension, 3),
            (b"5;a=\"open", BadChunkExtension, 4),
            (b"5;a b", BadChunkExtension, 4),
            (b"5x", BadChunkSize, 0),
            (b"5 x", BadChunkSize, 0),
            (b"", BadChunkSize, 0),
            (b"1234567890abcdef", BadChunkSize, 0),
        ] {
            assert_eq!(chunk_size(line), Err((kind, at)), "{}", line.escape_ascii());
        }
    }
}
