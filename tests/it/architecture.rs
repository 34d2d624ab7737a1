//! The allowed directions between modules (docs/architecture.md), checked on the source:
//! every `crate::X` path (in `use` lines, `use crate::{...}` groups over several lines,
//! inline paths, and `super::` climbing to the crate root) of each file under src/ must
//! name a module its own top-level module may use. Test code (`*tests.rs` files and
//! everything after `#[cfg(test)]`) may build its inputs with any part, and is skipped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Which top-level module may use which. `main` is the binary (it names the library
/// `httpdump::`); `lib` only declares the modules. Mirrored in docs/architecture.md.
const ALLOWED: &[(&str, &[&str])] = &[
    ("main", &["cli", "cmd"]),
    ("lib", &[]),
    ("model", &[]),
    ("wire", &["model"]),
    ("explain", &["model"]),
    ("source", &["model", "wire"]),
    ("client", &["model", "wire"]),
    ("pipeline", &["model", "explain"]),
    ("render", &["model", "explain"]),
    ("cli", &["model", "explain", "render"]),
    ("live", &["model", "wire", "explain", "render"]),
    (
        "server",
        &[
            "model", "wire", "explain", "render", "pipeline", "source", "live",
        ],
    ),
    (
        "relay",
        &[
            "model", "wire", "explain", "render", "pipeline", "client", "server", "live",
        ],
    ),
    (
        "cmd",
        &[
            "model", "wire", "explain", "source", "pipeline", "render", "server", "client",
            "relay", "cli", "live",
        ],
    ),
];

/// One use of a module that its user may not use.
#[derive(Debug, PartialEq, Eq)]
struct Violation {
    file: String,
    line: usize,
    from: String,
    to: String,
}

/// The module path of a file below src/, e.g. `render/table.rs` -> [render, table],
/// `server/mod.rs` -> [server], `main.rs` -> [main].
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The text of a line without its `//` comment (a `//` inside a string literal stays).
fn code_of(line: &str) -> &str {
    let bytes = line.as_bytes();
    let mut in_str = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_str => i += 1,
            b'"' => in_str = !in_str,
            b'/' if !in_str && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
        i += 1;
    }
    line
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The top-level modules that `source` (the file at module path `path`) refers to, with
/// the 1-based line of each reference. `root` is `crate` inside the library and
/// `httpdump` in the binary.
fn references(path: &[String], root: &str, source: &str) -> Vec<(usize, String)> {
    // Code only, joined into one text (groups span lines), with each byte's line.
    let mut text = String::new();
    let mut line_of = Vec::new();
    for (n, line) in source.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = code_of(line);
        text.push_str(code);
        text.push('\n');
        line_of.extend(std::iter::repeat(n + 1).take(code.len() + 1));
    }
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !text.is_char_boundary(i) || i > 0 && (is_ident(bytes[i - 1]) || bytes[i - 1] == b':') {
            i += 1;
            continue;
        }
        let rest = &text[i..];
        // `root::` names the crate; each `super::` climbs one level from this file.
        let after = if let Some(r) = rest.strip_prefix(root).and_then(|r| r.strip_prefix("::")) {
            Some(r)
        } else if rest.starts_with("super::") {
            let mut r = rest;
            let mut depth = path.len();
            while let Some(next) = r.strip_prefix("super::") {
                r = next;
                depth = depth.saturating_sub(1);
            }
            // Only a climb to the crate root leaves the file's own module.
            (depth == 0).then_some(r)
        } else {
            None
        };
        let Some(after) = after else {
            i += 1;
            continue;
        };
        let start = text.len() - after.len();
        if after.starts_with('{') {
            // A group: the first segment of each entry at the top level of the braces.
            let mut depth = 0;
            let mut entry_start = true;
            for (k, c) in after.char_indices() {
                match c {
                    '{' => {
                        depth += 1;
                        entry_start = depth == 1;
                    }
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => entry_start = true,
                    c if entry_start && depth == 1 && (c.is_alphanumeric() || c == '_') => {
                        let name: String = after[k..]
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        if name != "self" {
                            found.push((line_of[start + k], name));
                        }
                        entry_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && name != "self" {
                found.push((line_of[start], name));
            }
        }
        i = start;
    }
    found
}

/// The forbidden references of one file. `rel` is its path below src/.
fn check_source(rel: &Path, source: &str) -> Vec<Violation> {
    let name = rel.file_name().unwrap().to_string_lossy();
    if name.ends_with("tests.rs") {
        return Vec::new();
    }
    let path = module_path(rel);
    let from = path[0].clone();
    let root = if from == "main" { "httpdump" } else { "crate" };
    let allowed: &[&str] = ALLOWED
        .iter()
        .find(|(m, _)| *m == from)
        .map(|(_, a)| *a)
        .unwrap_or_else(|| {
            panic!(
                "{from} (src/{}) is not in ALLOWED: add it, and to docs/architecture.md",
                rel.display()
            )
        });
    references(&path, root, source)
        .into_iter()
        .filter(|(_, to)| *to != from && !allowed.contains(&to.as_str()))
        .map(|(line, to)| Violation {
            file: format!("src/{}", rel.display()),
            line,
            from: from.clone(),
            to,
        })
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_uses_only_what_it_may() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(files.len() > 40, "src/ was not walked: {files:?}");
    let mut violations = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        violations.extend(check_source(file.strip_prefix(&src).unwrap(), &source));
    }
    let report: Vec<String> = violations
        .iter()
        .map(|v| format!("{}:{}: {} may not use {}", v.file, v.line, v.from, v.to))
        .collect();
    assert!(
        report.is_empty(),
        "forbidden directions (see docs/architecture.md):\n{}",
        report.join("\n")
    );
}

#[test]
fn the_checker_flags_forbidden_uses() {
    let render = Path::new("render/table.rs");
    let flagged = check_source(render, "//! A sink.\n\nuse crate::wire::parse_message;\n");
    assert_eq!(
        flagged,
        [Violation {
            file: "src/render/table.rs".into(),
            line: 3,
            from: "render".into(),
            to: "wire".into(),
        }]
    );
    // A group over several lines, an inline path, and `super::` up to the crate root.
    let group = "use crate::{\n    model::Item,\n    source::reader::parse_all,\n};\nfn f() { crate::server::run(); }\n";
    let found: Vec<(usize, String)> = check_source(render, group)
        .into_iter()
        .map(|v| (v.line, v.to))
        .collect();
    assert_eq!(found, [(3, "source".into()), (5, "server".into())]);
    let climbed = check_source(Path::new("render/mod.rs"), "use super::wire::Parsed;\n");
    assert_eq!(climbed.len(), 1, "{climbed:?}");
    // Allowed uses, comments and test code are not flagged.
    let fine = "use crate::model::Item; // not crate::wire\nuse super::rich::Rich;\n#[cfg(test)]\nmod tests { use crate::wire::Parsed; }\n";
    assert_eq!(check_source(render, fine), []);
    // The binary names the library by its crate name.
    let main = check_source(Path::new("main.rs"), "use httpdump::render::Printer;\n");
    assert_eq!(main.len(), 1, "{main:?}");
}

#[test]
fn docs_architecture_lists_the_same_directions() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md"))
            .unwrap();
    // Rows of the table: | `module` | `a`, `b` | why |
    let mut in_doc = BTreeSet::new();
    for line in doc.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 || !cells[1].starts_with('`') {
            continue;
        }
        let module = cells[1]
            .trim_matches('`')
            .trim_end_matches(".rs")
            .to_string();
        let uses: BTreeSet<String> = cells[2]
            .split(',')
            .map(|u| u.trim().trim_matches('`').to_string())
            .filter(|u| !u.is_empty() && u != "nothing")
            .collect();
        in_doc.insert((module, uses));
    }
    let in_test: BTreeSet<(String, BTreeSet<String>)> = ALLOWED
        .iter()
        .map(|(m, a)| (m.to_string(), a.iter().map(|s| s.to_string()).collect()))
        .collect();
    assert_eq!(in_doc, in_test);
}
