//! Which transcript line each byte of a printed body came from, kept as runs: a body
//! copied from consecutive transcript lines is one run whose lines are counted by the LFs
//! in the bytes, not a pair of numbers per line (issue 10, item 7). A trace's rows, which
//! break where curl's row width says and not at LFs, become one run each.

/// Where each piece of a body's bytes came from. Offsets only grow from run to run.
#[derive(Clone, Debug, Default)]
pub(crate) struct Origins {
    runs: Vec<Run>,
}

/// From `offset` on, bytes came from transcript lines `line`, `line + 1`, ... `line +
/// lines - 1`, the next line starting after each LF. `at` is where line `line` starts in
/// the transcript.
#[derive(Clone, Copy, Debug)]
struct Run {
    offset: usize,
    line: usize,
    at: usize,
    lines: usize,
    /// Where the run's last line starts in the body (to check that the next one follows).
    last: usize,
}

impl Origins {
    /// Transcript line `line`, which starts at byte `at` of the transcript, begins at
    /// `offset` of `bytes` (the body so far: everything before `offset` is written).
    pub fn push(&mut self, bytes: &[u8], offset: usize, line: usize, at: usize) {
        if let Some(run) = self.runs.last_mut() {
            let between = bytes.get(run.last..offset).unwrap_or_default();
            let follows =
                line == run.line + run.lines && between.last() == Some(&b'\n') && lfs(between) == 1;
            if follows {
                run.lines += 1;
                run.last = offset;
                return;
            }
        }
        self.runs.push(Run {
            offset,
            line,
            at,
            lines: 1,
            last: offset,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// The first piece's transcript line and where it starts in the transcript.
    pub fn first(&self) -> Option<(usize, usize)> {
        self.runs.first().map(|r| (r.line, r.at))
    }

    /// Put `other`'s pieces after these, its offsets moved by `base`.
    pub fn append(&mut self, other: Origins, base: usize) {
        self.runs.extend(other.runs.into_iter().map(|mut r| {
            r.offset += base;
            r.last += base;
            r
        }));
    }

    /// The first `n` bytes of `bytes` (whose pieces these are) were dropped: the piece
    /// that held byte `n` now starts at 0. `transcript` finds where its line starts.
    pub fn drop_front(&mut self, bytes: &[u8], n: usize, transcript: &[u8]) {
        let first = self.runs.iter().rposition(|r| r.offset <= n).unwrap_or(0);
        self.runs.drain(..first);
        if let Some(run) = self.runs.first_mut() {
            if run.offset < n {
                let k = lfs(bytes.get(run.offset..n).unwrap_or_default()).min(run.lines - 1);
                run.line += k;
                run.lines -= k;
                run.at = skip_lines(transcript, run.at, k);
            }
        }
        for run in &mut self.runs {
            run.offset = run.offset.saturating_sub(n);
            run.last = run.last.saturating_sub(n);
        }
    }

    /// `bytes` (whose pieces these are) had a CR put before every bare LF: move the
    /// pieces along. Lines are counted by LFs, so the runs stay as they are.
    pub fn crlfify(&mut self, bytes: &[u8]) {
        let mut added = 0;
        let mut pos = 0;
        let mut moved = |at: usize| {
            let end = at.min(bytes.len());
            while pos < end {
                if bytes[pos] == b'\n' && (pos == 0 || bytes[pos - 1] != b'\r') {
                    added += 1;
                }
                pos += 1;
            }
            at + added
        };
        for run in &mut self.runs {
            run.offset = moved(run.offset);
            run.last = moved(run.last);
        }
    }
}

fn lfs(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// Where the line `k` lines after the one starting at `at` starts in the transcript.
fn skip_lines(transcript: &[u8], mut at: usize, k: usize) -> usize {
    for _ in 0..k {
        match transcript
            .get(at..)
            .and_then(|t| t.iter().position(|&b| b == b'\n'))
        {
            Some(lf) => at += lf + 1,
            None => return transcript.len(),
        }
    }
    at
}

/// Which transcript line each offset of printed bytes came from, for offsets that only
/// grow (the lines of one message, in order): each lookup goes on from where the last
/// stopped, so a whole body is mapped in one walk, not one per line.
pub(crate) struct LineOf<'a> {
    runs: &'a [Run],
    bytes: &'a [u8],
    at: usize,
    /// How far into `bytes` the LFs of run `at` are counted, and how many there were.
    pos: usize,
    seen: usize,
}

impl<'a> LineOf<'a> {
    /// `origins`: the pieces of `bytes`.
    pub fn new(origins: &'a Origins, bytes: &'a [u8]) -> Self {
        let pos = origins.runs.first().map_or(0, |r| r.offset);
        LineOf {
            runs: &origins.runs,
            bytes,
            at: 0,
            pos,
            seen: 0,
        }
    }

    /// The line of the byte at `offset` (the first piece's line if it comes before).
    pub fn line(&mut self, offset: usize) -> Option<usize> {
        let runs = self.runs;
        if runs.get(self.at).is_some_and(|r| r.offset > offset) || offset < self.pos {
            // A step back (not made by any caller today): search instead of walking.
            self.at = runs
                .partition_point(|r| r.offset <= offset)
                .saturating_sub(1);
            self.pos = runs.get(self.at).map_or(0, |r| r.offset);
            self.seen = 0;
        }
        while runs.get(self.at + 1).is_some_and(|r| r.offset <= offset) {
            self.at += 1;
            self.pos = runs[self.at].offset;
            self.seen = 0;
        }
        let run = runs.get(self.at)?;
        let end = offset.min(self.bytes.len());
        if end > self.pos {
            self.seen += lfs(&self.bytes[self.pos..end]);
            self.pos = end;
        }
        Some(run.line + self.seen.min(run.lines - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::{LineOf, Origins};

    /// Lines pushed one by one, each (text with ending, transcript line).
    fn body(lines: &[(&str, usize)]) -> (Vec<u8>, Origins) {
        let mut bytes = Vec::new();
        let mut origins = Origins::default();
        for (text, line) in lines {
            origins.push(&bytes, bytes.len(), *line, *line * 100);
            bytes.extend_from_slice(text.as_bytes());
        }
        (bytes, origins)
    }

    #[test]
    fn consecutive_lines_are_one_run_and_map_back() {
        let (bytes, origins) = body(&[("a\n", 5), ("bb\n", 6), ("c\n", 7), ("d", 8)]);
        assert_eq!(origins.runs.len(), 1);
        let mut of = LineOf::new(&origins, &bytes);
        let got: Vec<_> = [0, 1, 2, 4, 5, 6, 7, 100]
            .iter()
            .map(|&o| of.line(o).unwrap())
            .collect();
        assert_eq!(got, [5, 5, 6, 6, 7, 7, 8, 8]);
        // A step back is answered too.
        assert_eq!(of.line(3), Some(6));
    }

    #[test]
    fn a_gap_or_a_line_without_lf_starts_a_run() {
        let (bytes, origins) = body(&[("a\n", 5), ("b", 7), ("c\n", 8), ("d\n", 9)]);
        assert_eq!(origins.runs.len(), 3);
        let mut of = LineOf::new(&origins, &bytes);
        let got: Vec<_> = (0..bytes.len() + 2).map(|o| of.line(o).unwrap()).collect();
        assert_eq!(got, [5, 5, 7, 8, 8, 9, 9, 9, 9]);
    }

    #[test]
    fn the_last_line_is_not_counted_past_its_ending() {
        let (bytes, origins) = body(&[("a\n", 1), ("b\n", 2)]);
        let mut of = LineOf::new(&origins, &bytes);
        assert_eq!(of.line(4), Some(2));
    }

    #[test]
    fn dropping_the_front_moves_the_first_run() {
        let (mut bytes, mut origins) = body(&[("a\n", 1), ("b\n", 2), ("c\n", 3)]);
        let transcript = b"a\nb\nc\n";
        for run in &mut origins.runs {
            run.at = 0;
        }
        origins.drop_front(&bytes, 3, transcript);
        bytes.drain(..3);
        assert_eq!(origins.first(), Some((2, 2)));
        let mut of = LineOf::new(&origins, &bytes);
        assert_eq!(of.line(0), Some(2));
        assert_eq!(of.line(1), Some(3));
    }

    #[test]
    fn crlfify_moves_runs_along() {
        let (bytes, mut origins) = body(&[("a\n", 1), ("b", 5), ("c\n", 6)]);
        origins.crlfify(&bytes);
        let crlf = b"a\r\nbc\r\n";
        let mut of = LineOf::new(&origins, crlf);
        let got: Vec<_> = (0..crlf.len()).map(|o| of.line(o).unwrap()).collect();
        assert_eq!(got, [1, 1, 1, 5, 6, 6, 6]);
    }
}
