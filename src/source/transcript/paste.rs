//! What a copy from a terminal takes besides the capture: the blank lines below the
//! output and the next shell prompt (on a line of its own, or glued to a body that had no
//! final newline). Both are cut from the end of the transcript before it is read, as the
//! leading prompt is read as the command and not as text.

/// The transcript without the blank lines and the shell prompt a copy took at its end.
pub(super) fn without_tail(bytes: &[u8]) -> &[u8] {
    let mut end = without_blank_lines(bytes);
    let content_end = bytes[..end]
        .iter()
        .rposition(|&b| b != b'\n' && b != b'\r')
        .map_or(0, |i| i + 1);
    let start = bytes[..content_end]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |lf| lf + 1);
    let last = &bytes[start..content_end];
    if is_prompt(last) {
        // The prompt's own line: what came before it ends with that line's LF.
        end = without_blank_lines(&bytes[..start]);
    } else if let Some(at) = leading_prompt(bytes).and_then(|p| glued_prompt(last, p)) {
        end = start + at;
    }
    &bytes[..end]
}

/// Where the transcript ends once whitespace-only lines at its end are left out (the
/// last line keeps its line ending).
fn without_blank_lines(bytes: &[u8]) -> usize {
    let Some(last) = bytes.iter().rposition(|b| !b.is_ascii_whitespace()) else {
        return bytes.len();
    };
    match bytes[last..].iter().position(|&b| b == b'\n') {
        Some(lf) => last + lf + 1,
        None => bytes.len(),
    }
}

/// The characters a shell prompt ends with (`$`, `#`, `%`, `>`, and two that themes use).
const MARKS: [&str; 6] = ["$", "#", "%", ">", "❯", "λ"];

/// A line that is a shell prompt and nothing else: `$`, `user@host:~/src$`, `[user@host
/// ~]$`, `PS C:\Users\ada>`, `~ ❯` (trailing spaces allowed).
fn is_prompt(line: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(line) else {
        return false;
    };
    let s = s.trim_end();
    let Some((mark, decoration)) = MARKS
        .iter()
        .find_map(|m| s.strip_suffix(m).map(|d| (*m, d)))
    else {
        return false;
    };
    // A lone `>` is curl's blank head line (`> ` with its space trimmed), not a prompt.
    if mark == ">" && decoration.trim().is_empty() {
        return false;
    }
    let decoration = decoration.trim_end();
    if let Some(path) = decoration.strip_prefix("PS ") {
        return path.len() >= 2 && path.as_bytes()[1] == b':' && !path.contains(' ');
    }
    if let Some(inner) = decoration
        .strip_prefix('[')
        .and_then(|d| d.strip_suffix(']'))
    {
        return inner.contains('@') && inner.split(' ').count() == 2 && words_ok(inner);
    }
    // `$` alone, or `~ ❯`, `host:~/src%`: a path or a host, and the mark.
    decoration.is_empty()
        || (!decoration.contains(' ')
            && decoration.contains(['@', ':', '~', '/'])
            && words_ok(decoration))
}

fn words_ok(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_alphanumeric() || "_.-@:~/+ ".contains(c))
}

/// Where the leading prompt (`prompt`, e.g. `user@host:~$ `) starts again at the end
/// of a line that has text before it: the next prompt glued to a body with no final
/// newline. Only a prompt seen before is looked for: `...hereuser@host:~$` cannot be
/// told apart otherwise.
fn glued_prompt(line: &[u8], prompt: &str) -> Option<usize> {
    let prompt = prompt.trim_end().as_bytes();
    let line = line.trim_ascii_end();
    (!prompt.is_empty() && line.len() > prompt.len() && line.ends_with(prompt))
        .then(|| line.len() - prompt.len())
}

/// The prompt in front of the command on the transcript's first line of text
/// (`user@host:~$ ` in `user@host:~$ curl -v ...`), if there is one.
fn leading_prompt(bytes: &[u8]) -> Option<&str> {
    let first = bytes
        .split(|&b| b == b'\n')
        .find(|l| !l.trim_ascii().is_empty())?;
    let text = std::str::from_utf8(first).ok()?.trim_end_matches('\r');
    let command = super::detect::command_line(text.as_bytes(), false)?;
    let prompt = &text[..text.find(command.as_str())?];
    // A bare `$ ` could end any text: only a prompt that names a user, host or drive.
    prompt.contains(['@', ':', '\\']).then_some(prompt)
}

#[cfg(test)]
mod tests {
    use super::without_tail;

    #[test]
    fn the_next_prompt_and_blank_lines_are_cut() {
        let cases: [(&str, &str); 10] = [
            ("body\nuser@host:~$ ", "body\n"),
            ("body\nuser@host:~$", "body\n"),
            ("body\n\n\n", "body\n"),
            ("body\n\nuser@host:~/src$ \n\n", "body\n"),
            (
                "a@b:~$ curl x\nno newlinea@b:~$ ",
                "a@b:~$ curl x\nno newline",
            ),
            (
                "[a@b ~]$ curl x\nno newline[a@b ~]$",
                "[a@b ~]$ curl x\nno newline",
            ),
            ("curl x\nno newlinea@b:~$ ", "curl x\nno newlinea@b:~$ "),
            ("body\n$ ", "body\n"),
            ("body\nPS C:\\Users\\ada> ", "body\n"),
            ("body\n~ ❯ ", "body\n"),
        ];
        for (input, kept) in cases {
            assert_eq!(without_tail(input.as_bytes()), kept.as_bytes(), "{input:?}");
        }
    }

    #[test]
    fn text_that_only_looks_a_little_like_a_prompt_stays() {
        for input in [
            "Total: 5$",
            "mail me at ada@example.org",
            "a > b",
            "price in $",
            "* Connection #0 to host 127.0.0.1 left intact\n",
            "50%",
            "$ curl x\ncosts 5$",
            "> GET / HTTP/1.1\n> Host: a\n> \n",
            "> GET / HTTP/1.1\n> Host: a\n>",
        ] {
            assert_eq!(
                without_tail(input.as_bytes()),
                input.as_bytes(),
                "{input:?}"
            );
        }
    }
}
