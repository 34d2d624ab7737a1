//! Body text as a tool printed it, and making it fit what the head says: a terminal
//! drops CRs and adds a final newline, and `curl -i` prints the head again in front.

use super::origins::Origins;

/// Body bytes as the tool printed them, with the transcript line of each piece.
#[derive(Default)]
pub(super) struct Shown {
    pub bytes: Vec<u8>,
    pub origins: Origins,
    pub exact: bool,
    pub caveat: Option<crate::model::Code>,
}

impl Shown {
    /// Drop the first `n` bytes; `transcript` tells where the new first line starts.
    pub fn drop_front(&mut self, n: usize, transcript: &[u8]) {
        self.origins.drop_front(&self.bytes, n, transcript);
        self.bytes.drain(..n);
    }

    /// The first piece's transcript line and where that line starts in the transcript.
    pub fn first_line(&self) -> (usize, usize) {
        self.origins.first().unwrap_or((0, 0))
    }
}

/// `curl -i`/`-I` print the response head again on the output: leave that copy out.
pub(super) fn strip_head_copy(shown: &mut Shown, start_line: &[u8], transcript: &[u8]) -> bool {
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
        .min()
        // A copy at the very end of the transcript lost its blank line with the blank
        // lines a terminal copy adds there (cut before reading).
        .or_else(|| shown.bytes.ends_with(b"\n").then_some(shown.bytes.len()));
    match end {
        Some(end) => {
            shown.drop_front(end, transcript);
            true
        }
        None => false,
    }
}

/// Make the printed body `want` bytes long if a terminal's changes explain the
/// difference: lost CRs, or a newline added at the end. The lengths are worked out
/// first, so only the change that fits is made (no copy of the body per try).
pub(super) fn fit(shown: &mut Shown, want: u64, assume_crlf: bool) -> bool {
    let len = shown.bytes.len() as u64;
    if len == want || shown.exact {
        return len == want;
    }
    let bytes = &shown.bytes;
    let final_newline: u64 = if bytes.ends_with(b"\r\n") {
        2
    } else if bytes.ends_with(b"\n") {
        1
    } else {
        0
    };
    // (put CRs back, bytes to cut at the end), in the order they are tried.
    let mut tries = Vec::new();
    if assume_crlf {
        let bare = bytes
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' && (i == 0 || bytes[i - 1] != b'\r'))
            .count() as u64;
        tries.push((bare > 0, len + bare, 0));
        if final_newline > 0 {
            tries.push((bare > 0, len + bare - 2, 2));
        }
    }
    if final_newline > 0 {
        tries.push((false, len - final_newline, final_newline));
    }
    let Some(&(crlf, _, cut)) = tries.iter().find(|t| t.1 == want) else {
        return false;
    };
    if crlf {
        crlfify(shown);
    }
    let keep = shown.bytes.len() - cut as usize;
    shown.bytes.truncate(keep);
    true
}

/// Every bare LF made CRLF, the origins moved along.
fn crlfify(shown: &mut Shown) {
    shown.origins.crlfify(&shown.bytes);
    let mut bytes = Vec::with_capacity(shown.bytes.len() + shown.bytes.len() / 8);
    for (i, &b) in shown.bytes.iter().enumerate() {
        if b == b'\n' && (i == 0 || shown.bytes[i - 1] != b'\r') {
            bytes.push(b'\r');
        }
        bytes.push(b);
    }
    shown.bytes = bytes;
}
