//! Telling what an input is from its first bytes, and the reader that counts them.

use std::io::{self, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::parallel::Gate;
use crate::explain::{Label, Lang};
use crate::source::har;
use crate::source::transcript::{detect, InputKind};

/// Read just enough of the input to tell what it is; the bytes read stay in `prefix`.
pub(super) fn sniff(
    input: &mut impl Read,
    prefix: &mut Vec<u8>,
    lang: Lang,
) -> anyhow::Result<InputKind> {
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(kind) = detect(prefix, false) {
            return Ok(kind);
        }
        let n = match input.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(anyhow::Error::new(e).context(Label::WhileReading.text(lang))),
        };
        if n == 0 {
            return Ok(detect(prefix, true).unwrap_or(InputKind::Unknown));
        }
        prefix.extend_from_slice(&chunk[..n]);
    }
}

/// Read until the first byte that is not blank and say whether it opens a JSON object:
/// a HAR file, which neither HTTP nor a transcript can start with. The bytes read stay in
/// `prefix`.
pub(super) fn sniff_har(
    input: &mut impl Read,
    prefix: &mut Vec<u8>,
    lang: Lang,
) -> anyhow::Result<bool> {
    let mut chunk = [0u8; 8192];
    // Blank lines before a message are allowed; a megabyte of them decides nothing.
    while prefix.len() < 1024 * 1024 {
        if let Some(is_har) = har::looks_like_har(prefix) {
            return Ok(is_har);
        }
        let n = match input.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(anyhow::Error::new(e).context(Label::WhileReading.text(lang))),
        };
        if n == 0 {
            break;
        }
        prefix.extend_from_slice(&chunk[..n]);
    }
    Ok(false)
}

/// Read until `buf` holds `n` bytes or the input ends.
pub(super) fn read_up_to(input: &mut impl Read, buf: &mut Vec<u8>, n: usize) -> io::Result<()> {
    let mut byte = [0u8; 16];
    while buf.len() < n {
        let want = (n - buf.len()).min(byte.len());
        match input.read(&mut byte[..want]) {
            Ok(0) => break,
            Ok(got) => buf.extend_from_slice(&byte[..got]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A reader that counts the bytes it hands out, so an empty input can be told apart, and
/// that sends on what was parsed before it may wait for more ([`Gate::before_read`]).
pub(super) struct Counted<R> {
    pub(super) inner: R,
    pub(super) read: Arc<AtomicU64>,
    pub(super) gate: Gate,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.gate.before_read();
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Why curl exchanged no HTTP at all, from the lines it printed (`* connect to ... failed:
/// Connection refused`, `curl: (6) Could not resolve host: ...`), or `None` when it does
/// not say. The line is shown as curl printed it, control characters dropped and cut short.
pub(super) fn curl_failure(bytes: &[u8], lang: Lang) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let said = |what: &str| {
        lines.iter().find(|l| {
            let info = l.strip_prefix("== Info: ").or_else(|| l.strip_prefix("* "));
            info.is_some_and(|l| l.contains(what)) || (l.starts_with("curl: (") && l.contains(what))
        })
    };
    let (label, line) = if let Some(line) = said("failed: ") {
        (Label::CurlNoConnect, line)
    } else if let Some(line) = said("Could not resolve host") {
        (Label::CurlNoResolve, line)
    } else if let Some(line) = said("Failed to connect") {
        (Label::CurlNoConnect, line)
    } else {
        let line = lines.iter().find(|l| l.starts_with("curl: ("))?;
        (Label::CurlFailed, line)
    };
    // curl's own words, but bytes of the input all the same: escaped like any other.
    let cut: String = line.chars().take(200).collect();
    let shown = crate::render::visible(cut.as_bytes());
    Some(label.fill(lang, &[&shown]))
}
