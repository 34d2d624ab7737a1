//! Body text as a tool printed it, and making it fit what the head says: a terminal
//! drops CRs and adds a final newline, and `curl -i` prints the head again in front.

/// Body bytes as the tool printed them, with the transcript line of each piece.
#[derive(Default)]
pub(super) struct Shown {
    pub bytes: Vec<u8>,
    pub origins: Vec<(usize, usize)>,
    pub exact: bool,
    pub caveat: Option<&'static str>,
}

impl Shown {
    /// Drop the first `n` bytes.
    pub fn drop_front(&mut self, n: usize) {
        self.bytes.drain(..n);
        let first = self.origins.iter().rposition(|(o, _)| *o <= n).unwrap_or(0);
        self.origins.drain(..first);
        for (o, _) in &mut self.origins {
            *o = o.saturating_sub(n);
        }
    }

    pub fn first_line(&self) -> usize {
        self.origins.first().map_or(0, |o| o.1)
    }
}

/// Which transcript line each offset of printed bytes came from, for offsets that only
/// grow (the lines of one message, in order): each lookup goes on from where the last
/// stopped, so a whole body is mapped in one walk over its origins, not one per line.
pub(super) struct LineOf<'a> {
    origins: &'a [(usize, usize)],
    at: usize,
}

impl<'a> LineOf<'a> {
    /// `origins`: (offset, transcript line) pairs, offsets ascending.
    pub fn new(origins: &'a [(usize, usize)]) -> Self {
        LineOf { origins, at: 0 }
    }

    /// The line of the last origin at or before `offset` (the first origin if none is).
    pub fn line(&mut self, offset: usize) -> Option<usize> {
        if self.origins.get(self.at).is_some_and(|o| o.0 > offset) {
            // A step back (not made by any caller today): search instead of walking.
            self.at = self
                .origins
                .partition_point(|o| o.0 <= offset)
                .saturating_sub(1);
        }
        while self.origins.get(self.at + 1).is_some_and(|o| o.0 <= offset) {
            self.at += 1;
        }
        self.origins.get(self.at).map(|o| o.1)
    }
}

/// `curl -i`/`-I` print the response head again on the output: leave that copy out.
pub(super) fn strip_head_copy(shown: &mut Shown, start_line: &[u8]) -> bool {
    if !shown.bytes.starts_with(start_line) {
        return false;
    }
    let end = [&b"\r\n\r\n"[..], b"\n\n"]
        .iter()
        .filter_map(|sep| {
            shown
                .bytes
                .windows(sep.len())
                .position(|w| w == *sep)
                .map(|at| at + sep.len())
        })
        .min();
    match end {
        Some(end) => {
            shown.drop_front(end);
            true
        }
        None => false,
    }
}

/// Make the printed body `want` bytes long if a terminal's changes explain the
/// difference: lost CRs, or a newline added at the end.
pub(super) fn fit(shown: &mut Shown, want: u64, assume_crlf: bool) -> bool {
    let len = |s: &Shown| s.bytes.len() as u64;
    if len(shown) == want || shown.exact {
        return len(shown) == want;
    }
    let mut tries = vec![trim_last_newline(shown)];
    if assume_crlf {
        let crlf = crlfify(shown);
        tries.push(trim_last_newline(&crlf));
        tries.insert(0, Some(crlf));
    }
    match tries.into_iter().flatten().find(|t| len(t) == want) {
        Some(found) => {
            *shown = found;
            true
        }
        None => false,
    }
}

fn trim_last_newline(shown: &Shown) -> Option<Shown> {
    let cut = if shown.bytes.ends_with(b"\r\n") {
        2
    } else if shown.bytes.ends_with(b"\n") {
        1
    } else {
        return None;
    };
    let mut bytes = shown.bytes.clone();
    bytes.truncate(bytes.len() - cut);
    Some(Shown {
        bytes,
        origins: shown.origins.clone(),
        exact: shown.exact,
        caveat: shown.caveat,
    })
}

/// Every bare LF made CRLF, the origins moved along.
fn crlfify(shown: &Shown) -> Shown {
    let mut bytes = Vec::with_capacity(shown.bytes.len() + 16);
    let mut moved = Vec::with_capacity(shown.bytes.len());
    for (i, &b) in shown.bytes.iter().enumerate() {
        moved.push(bytes.len());
        if b == b'\n' && (i == 0 || shown.bytes[i - 1] != b'\r') {
            bytes.push(b'\r');
        }
        bytes.push(b);
    }
    moved.push(bytes.len());
    let origins = shown
        .origins
        .iter()
        .map(|(o, l)| (moved.get(*o).copied().unwrap_or(bytes.len()), *l))
        .collect();
    Shown {
        bytes,
        origins,
        exact: shown.exact,
        caveat: shown.caveat,
    }
}
