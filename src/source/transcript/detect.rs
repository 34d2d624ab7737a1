//! Telling what an input is from its first lines: raw HTTP, a curl transcript (verbose
//! or trace), HTTPie/xh output, or none of these.

use super::curl::{strip_prefixes, strip_progress};
use super::{split_lines, Ending, Tool};
use crate::model::grammar::looks_like_start_line;

/// What an input holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// HTTP messages as bytes.
    Raw,
    /// What a tool printed about an exchange.
    Transcript(Tool),
    /// Neither: no start line and no transcript marker anywhere in the sniffed prefix.
    Unknown,
}

/// How many bytes [`detect`] looks at, at most, before it decides.
pub const SNIFF_LIMIT: usize = 64 * 1024;

/// Decide what an input is from its first bytes. `None` asks for more bytes; with `eof`
/// (or [`SNIFF_LIMIT`] bytes) the answer is always given.
pub fn detect(prefix: &[u8], eof: bool) -> Option<InputKind> {
    let eof = eof || prefix.len() >= SNIFF_LIMIT;
    // Only the last line can lack an ending: before the end, it may still be growing.
    let lines = split_lines(prefix).filter(|l| eof || l.ending != Ending::None);
    let mut command_tool = None;
    let mut first = true;
    let mut in_first_head = false;
    for line in lines {
        let Some(text) = strip_progress(line.text) else {
            continue;
        };
        let text = strip_prefixes(text);
        if in_first_head {
            if text.is_empty() {
                return Some(InputKind::Raw);
            }
            if is_httpie_agent(text) {
                return Some(InputKind::Transcript(Tool::Httpie));
            }
            continue;
        }
        if text.trim_ascii().is_empty() {
            continue;
        }
        if text.starts_with(b"== Info:")
            || text.starts_with(b"=> Send")
            || text.starts_with(b"<= Recv")
        {
            return Some(InputKind::Transcript(Tool::CurlTrace));
        }
        if is_curl_marked(text) {
            return Some(InputKind::Transcript(Tool::CurlVerbose));
        }
        if let Some(command) = command_line(text, first && command_tool.is_none()) {
            let tool = command.split(' ').next().unwrap_or_default();
            command_tool = Some(if tool == "curl" {
                Tool::CurlVerbose
            } else {
                Tool::Httpie
            });
            continue;
        }
        if first && looks_like_start_line(text) {
            if command_tool == Some(Tool::Httpie) {
                return Some(InputKind::Transcript(Tool::Httpie));
            }
            in_first_head = true;
            continue;
        }
        first = false;
        if looks_like_start_line(text) {
            // Raw input that starts with something broken: the raw parser says where.
            return Some(InputKind::Raw);
        }
    }
    if !eof {
        return None;
    }
    Some(match (in_first_head, command_tool) {
        (true, _) => InputKind::Raw,
        (false, Some(tool)) => InputKind::Transcript(tool),
        (false, None) => InputKind::Unknown,
    })
}

fn is_curl_marked(text: &[u8]) -> bool {
    let marker = matches!(text, [b'>' | b'<' | b'*'] | [b'>' | b'<' | b'*', b' ', ..]);
    marker || text.starts_with(b"{ [") || text.starts_with(b"} [")
}

fn is_httpie_agent(text: &[u8]) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.starts_with(b"user-agent: httpie/") || lower.starts_with(b"user-agent: xh/")
}

/// The command of a shell prompt line (`$ curl -v http://...`, `user@host:~$ http -v
/// ...`): curl, HTTPie (`http`, `https`) or xh. Without a prompt, only when `bare` is
/// allowed (the transcript's first line).
pub(crate) fn command_line(text: &[u8], bare: bool) -> Option<String> {
    const PROMPTS: [&str; 6] = ["$ ", "# ", "% ", "> ", "❯ ", "λ "];
    const TOOLS: [&str; 5] = ["curl ", "http ", "https ", "xh ", "xhs "];
    let s = std::str::from_utf8(text).ok()?;
    let after_prompt = PROMPTS
        .iter()
        .filter_map(|p| s.find(p).map(|at| s[at + p.len()..].trim_start()));
    let candidates = bare
        .then_some(s.trim_start())
        .into_iter()
        .chain(after_prompt);
    for candidate in candidates {
        if TOOLS.iter().any(|t| candidate.starts_with(t)) {
            return Some(candidate.trim_end().to_string());
        }
    }
    None
}
