//! The lines of a message, kept small: head and trailer lines are stored one by one, but
//! body data and runs of whole chunks are stored as byte ranges and split into lines again
//! when read. A body of ten million one-byte lines then costs a few words, not a few
//! hundred megabytes (issue 10, item 7).

use super::{Line, LineEnding, Part, Span};

/// Every line of a message or fragment, in order. Reading them needs the message's `raw`
/// bytes, which the ranges point into.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Lines {
    segments: Vec<Segment>,
    len: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    One(Line),
    /// Body data (or a chunk's data: `part`), a line per LF. A last piece without LF
    /// ends in `end`; when `end` is a real ending and the data ends in LF, an empty line
    /// after it carries `end`.
    Data {
        span: Span,
        end: LineEnding,
        count: usize,
        part: Part,
    },
    /// Whole chunks back to back: chunk-size line, data lines, and the closing line
    /// ending as a chunk-end line of its own. Only chunks whose size line was checked
    /// are put here, so reading them cannot fail.
    Chunks {
        span: Span,
        count: usize,
    },
}

impl Segment {
    fn count(&self) -> usize {
        match self {
            Segment::One(_) => 1,
            Segment::Data { count, .. } | Segment::Chunks { count, .. } => *count,
        }
    }
}

impl From<Vec<Line>> for Lines {
    fn from(lines: Vec<Line>) -> Self {
        Lines {
            len: lines.len(),
            segments: lines.into_iter().map(Segment::One).collect(),
        }
    }
}

impl Lines {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Offset just past the last line's ending (0 when there are no lines).
    pub fn end(&self) -> usize {
        match self.segments.last() {
            None => 0,
            Some(Segment::One(line)) => line.end(),
            Some(Segment::Data {
                span, end, count, ..
            }) => {
                // An empty run has no line to end; otherwise the ending follows the data.
                if *count == 0 {
                    span.start
                } else {
                    span.end + end.len()
                }
            }
            Some(Segment::Chunks { span, .. }) => span.end,
        }
    }

    pub fn push(&mut self, line: Line) {
        self.segments.push(Segment::One(line));
        self.len += 1;
    }

    pub fn extend(&mut self, other: Lines) {
        self.len += other.len;
        self.segments.extend(other.segments);
    }

    /// Body data `raw[span]`, a line per LF; the last piece (if it has no LF) ends in `end`.
    pub fn push_data(&mut self, raw: &[u8], span: Span, end: LineEnding) {
        self.push_part_data(raw, span, end, Part::Body);
    }

    /// The data of a chunk that did not end well (cut short, or not followed by a line
    /// ending): its lines are chunk data, without a chunk end.
    pub fn push_chunk_data(&mut self, raw: &[u8], span: Span) {
        self.push_part_data(raw, span, LineEnding::None, Part::ChunkData);
    }

    fn push_part_data(&mut self, raw: &[u8], span: Span, end: LineEnding, part: Part) {
        let count = data_lines(&raw[span.clone()], end);
        if count > 0 {
            self.segments.push(Segment::Data {
                span,
                end,
                count,
                part,
            });
            self.len += count;
        }
    }

    /// A whole chunk: its size line at `chunk.start` (already checked), its data
    /// `raw[data]` and the closing line ending `end` (not none) right after the data.
    pub fn push_chunk(&mut self, raw: &[u8], chunk: Span, data: Span, end: LineEnding) {
        debug_assert!(end != LineEnding::None);
        let count = 1 + data_lines(&raw[data], LineEnding::None) + 1;
        self.len += count;
        if let Some(Segment::Chunks { span, count: n }) = self.segments.last_mut() {
            if span.end == chunk.start {
                span.end = chunk.end;
                *n += count;
                return;
            }
        }
        self.segments.push(Segment::Chunks { span: chunk, count });
    }

    /// The lines in order, read over `raw`.
    pub fn iter<'a>(&'a self, raw: &'a [u8]) -> Iter<'a> {
        Iter {
            raw,
            segments: self.segments.iter(),
            cursor: Cursor::Idle,
        }
    }

    /// The lines outside runs of body data, each with its number among all lines, read
    /// over `raw`: what the lints that look at head, trailer and chunk lines need,
    /// without splitting every body into lines again. A run of body data is skipped by
    /// its count; a body line stored on its own still comes, so callers that want no
    /// body line filter `Part::Body` and `Part::ChunkData` as before.
    pub fn numbered_outside_data<'a>(
        &'a self,
        raw: &'a [u8],
    ) -> impl Iterator<Item = (usize, Line)> + 'a {
        let mut first = 0;
        self.segments.iter().flat_map(move |segment| {
            let start = first;
            first += segment.count();
            let lines = match segment {
                Segment::Data { .. } => None,
                _ => Some(Iter {
                    raw,
                    segments: [].iter(),
                    cursor: Cursor::start(segment),
                }),
            };
            lines
                .into_iter()
                .flatten()
                .enumerate()
                .map(move |(i, line)| (start + i, line))
        })
    }

    /// Line `no`, read over `raw` (for tests; the crate reads lines in order).
    #[cfg(test)]
    pub fn get(&self, raw: &[u8], no: usize) -> Option<Line> {
        let mut first = 0;
        for segment in &self.segments {
            let count = segment.count();
            if no < first + count {
                let mut iter = Iter {
                    raw,
                    segments: [].iter(),
                    cursor: Cursor::start(segment),
                };
                return iter.nth(no - first);
            }
            first += count;
        }
        None
    }
}

/// How many lines `push_data` makes of `data`.
fn data_lines(data: &[u8], end: LineEnding) -> usize {
    let lfs = data.iter().filter(|&&b| b == b'\n').count();
    let unfinished = data.last().is_some_and(|&b| b != b'\n');
    lfs + usize::from(unfinished || end != LineEnding::None)
}

/// The lines of [`Lines`], made as they are read.
pub struct Iter<'a> {
    raw: &'a [u8],
    segments: std::slice::Iter<'a, Segment>,
    cursor: Cursor,
}

enum Cursor {
    Idle,
    One(Line),
    Data(DataCursor),
    Chunks {
        /// Where the next chunk-size line starts.
        next: usize,
        stop: usize,
        data: Option<DataCursor>,
        /// The chunk-end line that follows the current chunk's data.
        end: Option<Line>,
    },
}

impl Cursor {
    fn start(segment: &Segment) -> Cursor {
        match segment {
            Segment::One(line) => Cursor::One(*line),
            Segment::Data {
                span, end, part, ..
            } => Cursor::Data(DataCursor::new(span, *end, *part)),
            Segment::Chunks { span, .. } => Cursor::Chunks {
                next: span.start,
                stop: span.end,
                data: None,
                end: None,
            },
        }
    }
}

struct DataCursor {
    pos: usize,
    stop: usize,
    end: LineEnding,
    part: Part,
    done: bool,
}

impl DataCursor {
    fn new(span: &Span, end: LineEnding, part: Part) -> Self {
        DataCursor {
            pos: span.start,
            stop: span.end,
            end,
            part,
            done: false,
        }
    }

    fn next(&mut self, raw: &[u8]) -> Option<Line> {
        if self.done {
            return None;
        }
        let part = self.part;
        let body = |start, len, ending| Line {
            part,
            start,
            len,
            ending,
        };
        if self.pos < self.stop {
            if let Some(l) = crate::model::grammar::next_line(&raw[..self.stop], self.pos) {
                self.pos = l.end();
                return Some(body(l.start, l.len, l.ending));
            }
            self.done = true;
            return Some(body(self.pos, self.stop - self.pos, self.end));
        }
        self.done = true;
        (self.end != LineEnding::None).then(|| body(self.stop, 0, self.end))
    }
}

impl Iterator for Iter<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        loop {
            let raw = self.raw;
            match &mut self.cursor {
                Cursor::Idle => {}
                Cursor::One(line) => {
                    let line = *line;
                    self.cursor = Cursor::Idle;
                    return Some(line);
                }
                Cursor::Data(data) => {
                    if let Some(line) = data.next(raw) {
                        return Some(line);
                    }
                }
                Cursor::Chunks {
                    next,
                    stop,
                    data,
                    end,
                } => {
                    if let Some(line) = data.as_mut().and_then(|d| d.next(raw)) {
                        return Some(line);
                    }
                    if let Some(line) = end.take() {
                        return Some(line);
                    }
                    if let Some(size_line) = chunk_size_line(raw, *next, *stop) {
                        let (line, chunk_data, ending) = size_line;
                        *next = chunk_data.end + ending.len();
                        *data = Some(DataCursor::new(
                            &chunk_data,
                            LineEnding::None,
                            Part::ChunkData,
                        ));
                        *end = Some(Line {
                            part: Part::ChunkEnd,
                            start: chunk_data.end,
                            len: 0,
                            ending,
                        });
                        return Some(line);
                    }
                }
            }
            self.cursor = Cursor::start(self.segments.next()?);
        }
    }
}

/// The chunk-size line at `pos` (before `stop`), the chunk's data span and its closing
/// line ending. The parser checked these bytes before storing them as chunks.
fn chunk_size_line(raw: &[u8], pos: usize, stop: usize) -> Option<(Line, Span, LineEnding)> {
    if pos >= stop {
        return None;
    }
    let l = crate::model::grammar::next_line(&raw[..stop], pos)?;
    let text = &raw[l.content()];
    let digits = text.iter().take_while(|b| b.is_ascii_hexdigit());
    let size = digits.fold(0usize, |n, &b| {
        let d = char::from(b).to_digit(16).unwrap_or(0) as usize;
        n.saturating_mul(16).saturating_add(d)
    });
    let data = l.end()..l.end().saturating_add(size).min(stop);
    let end = match raw.get(data.end..stop) {
        Some([b'\r', b'\n', ..]) => LineEnding::CrLf,
        Some([b'\n', ..]) => LineEnding::Lf,
        _ => LineEnding::None,
    };
    let line = Line {
        part: Part::ChunkSize,
        start: l.start,
        len: l.len,
        ending: l.ending,
    };
    Some((line, data, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(part: Part, start: usize, len: usize, ending: LineEnding) -> Line {
        Line {
            part,
            start,
            len,
            ending,
        }
    }

    #[test]
    fn chunks_read_back_as_the_parser_split_them() {
        use LineEnding::*;
        // A chunk whose data ends in CR closed by a bare LF, then one ending in LF.
        let raw = b"3\r\nab\r\n2\r\na\n\r\n";
        let mut lines = Lines::default();
        lines.push_chunk(raw, 0..7, 3..6, Lf);
        lines.push_chunk(raw, 7..14, 10..12, CrLf);
        let want = [
            line(Part::ChunkSize, 0, 1, CrLf),
            line(Part::ChunkData, 3, 3, None),
            line(Part::ChunkEnd, 6, 0, Lf),
            line(Part::ChunkSize, 7, 1, CrLf),
            line(Part::ChunkData, 10, 1, Lf),
            line(Part::ChunkEnd, 12, 0, CrLf),
        ];
        assert_eq!(lines.iter(raw).collect::<Vec<_>>(), want);
        assert_eq!((lines.len(), lines.end()), (6, 14));
        assert_eq!(lines.get(raw, 4), Some(want[4]));
        assert_eq!(lines.get(raw, 5), Some(want[5]));
        assert_eq!(lines.get(raw, 6), Option::None);
    }

    #[test]
    fn data_without_a_final_lf_ends_in_none() {
        let raw = b"a\r\n\nb";
        let mut lines = Lines::default();
        lines.push_data(raw, 0..5, LineEnding::None);
        let got: Vec<_> = lines.iter(raw).collect();
        assert_eq!(got.len(), 3);
        assert_eq!(got[2], line(Part::Body, 4, 1, LineEnding::None));
        assert_eq!(lines.end(), 5);
    }
}
