//! Where a streamed body ends, found as its bytes pass: a Content-Length count, chunked
//! (size lines, data, trailers) or until the connection closes. The wire parser decided
//! the framing from the head; this follows it over bytes that are never all in memory.
//! Only the framing is checked here; the table's copy of the body is parsed in full.

/// The longest chunk-size or trailer line followed (a chunk extension may be long, but
/// not without bound).
const MAX_LINE: usize = 8 * 1024;

#[derive(Debug)]
pub(super) enum Body {
    /// This many bytes still to come.
    Fixed(u64),
    Chunked(Chunk),
    /// Until the sender closes.
    UntilClose,
}

#[derive(Debug)]
pub(super) enum Chunk {
    /// In a chunk-size line, holding its first bytes.
    Size(Vec<u8>),
    /// This many data bytes still to come.
    Data(u64),
    /// The line ending after a chunk's data.
    DataEnd,
    /// In the trailer section, holding the line so far.
    Trailer(Vec<u8>),
    Done,
}

/// The framing broke: why, in words for a note.
#[derive(Debug)]
pub(super) struct Broken(pub(super) String);

impl Body {
    pub(super) fn chunked() -> Body {
        Body::Chunked(Chunk::Size(Vec::new()))
    }

    /// Whether the body has ended (an until-close body ends with the connection).
    pub(super) fn done(&self) -> bool {
        matches!(self, Body::Fixed(0) | Body::Chunked(Chunk::Done))
    }

    /// How many of `bytes` belong to the body (it may end within them).
    pub(super) fn advance(&mut self, bytes: &[u8]) -> Result<usize, Broken> {
        match self {
            Body::Fixed(left) => {
                let n = (*left).min(bytes.len() as u64);
                *left -= n;
                Ok(n as usize)
            }
            Body::UntilClose => Ok(bytes.len()),
            Body::Chunked(chunk) => {
                let mut used = 0;
                while used < bytes.len() && !matches!(chunk, Chunk::Done) {
                    used += chunk.step(&bytes[used..])?;
                }
                Ok(used)
            }
        }
    }
}

impl Chunk {
    /// Take what belongs to the current state from the front of `bytes`; at least one.
    fn step(&mut self, bytes: &[u8]) -> Result<usize, Broken> {
        match self {
            Chunk::Size(line) => {
                let Some(end) = memchr::memchr(b'\n', bytes) else {
                    grow(line, bytes)?;
                    return Ok(bytes.len());
                };
                grow(line, &bytes[..end])?;
                let size = chunk_size(line)?;
                *self = if size == 0 {
                    Chunk::Trailer(Vec::new())
                } else {
                    Chunk::Data(size)
                };
                Ok(end + 1)
            }
            Chunk::Data(left) => {
                let n = (*left).min(bytes.len() as u64);
                *left -= n;
                if *left == 0 {
                    *self = Chunk::DataEnd;
                }
                Ok(n as usize)
            }
            Chunk::DataEnd => match bytes[0] {
                b'\r' => Ok(1),
                b'\n' => {
                    *self = Chunk::Size(Vec::new());
                    Ok(1)
                }
                _ => Err(Broken("no line break after a chunk's data".into())),
            },
            Chunk::Trailer(line) => {
                let Some(end) = memchr::memchr(b'\n', bytes) else {
                    grow(line, bytes)?;
                    return Ok(bytes.len());
                };
                grow(line, &bytes[..end])?;
                let blank = line.is_empty() || line == b"\r";
                *self = if blank {
                    Chunk::Done
                } else {
                    Chunk::Trailer(Vec::new())
                };
                Ok(end + 1)
            }
            Chunk::Done => Ok(0),
        }
    }
}

fn grow(line: &mut Vec<u8>, more: &[u8]) -> Result<(), Broken> {
    if line.len() + more.len() > MAX_LINE {
        return Err(Broken("a chunk-size or trailer line is too long".into()));
    }
    line.extend_from_slice(more);
    Ok(())
}

/// The size of a chunk-size line (hex, before any `;extension`).
fn chunk_size(line: &[u8]) -> Result<u64, Broken> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let end = line
        .iter()
        .position(|&b| b == b';' || b == b' ' || b == b'\t')
        .unwrap_or(line.len());
    let digits = &line[..end];
    let bad = || {
        Broken(format!(
            "not a chunk size: {:?}",
            String::from_utf8_lossy(line)
        ))
    };
    if digits.is_empty() || digits.len() > 15 {
        return Err(bad());
    }
    let text = std::str::from_utf8(digits).map_err(|_| bad())?;
    u64::from_str_radix(text, 16).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &mut Body, bytes: &[u8], step: usize) -> usize {
        let mut used = 0;
        for piece in bytes.chunks(step) {
            used += body.advance(piece).unwrap();
            if body.done() {
                break;
            }
        }
        used
    }

    #[test]
    fn chunked_ends_after_trailers_however_the_bytes_are_cut() {
        let wire = b"4;x=1\r\nWiki\r\n5\r\npedia\r\n0\r\nExpires: never\r\n\r\nNEXT";
        for step in 1..wire.len() {
            let mut body = Body::chunked();
            assert_eq!(run(&mut body, wire, step), wire.len() - 4, "step {step}");
            assert!(body.done());
        }
    }

    #[test]
    fn chunked_with_bare_lf_and_no_trailers() {
        let wire = b"3\nabc\n0\n\nGET";
        let mut body = Body::chunked();
        assert_eq!(run(&mut body, wire, 2), wire.len() - 3);
        assert!(body.done());
    }

    #[test]
    fn fixed_stops_at_its_length() {
        let mut body = Body::Fixed(5);
        assert_eq!(body.advance(b"hello world").unwrap(), 5);
        assert!(body.done());
    }

    #[test]
    fn a_bad_size_is_broken() {
        assert!(Body::chunked().advance(b"zz\r\n").is_err());
        assert!(Body::chunked().advance(&[b'1'; MAX_LINE + 1]).is_err());
    }
}
