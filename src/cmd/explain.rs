//! `httpdump explain`: the built-in tables as a reference. Look one term up (a header, a
//! status code, a method, a diagnostic code; a term can be several), or print a whole
//! table, as small comfy-table grids drawn like the anatomy tables.

use std::io::{self, Write};

use anyhow::Context as _;
use comfy_table::{presets, ContentArrangement, Table};

use super::Outcome;
use crate::cli::{Env, ExplainArgs, TableChoice};
use crate::explain::{
    all_diagnostics, all_headers, all_methods, all_statuses, cite, diagnostic_info, error_kinds,
    error_meaning, fill, header, method, status, status_class, DiagnosticInfo, HeaderInfo, Label,
    Lang, MethodInfo, Registration,
};
use crate::model::{ErrorKind, Severity};
use crate::render::{Theme, Tone};

pub fn run(args: &ExplainArgs, env: &Env) -> anyhow::Result<Outcome> {
    let look = Look {
        lang: env.lang,
        width: env.width,
        theme: Theme::new(env.color),
    };
    let text = match (&args.list, &args.term) {
        (Some(which), _) => look.list(*which),
        (None, Some(term)) => match look.term(term) {
            Some(text) => text,
            None => {
                eprintln!("httpdump: {}", unknown(term, env.lang));
                return Ok(Outcome::InputErrors);
            }
        },
        // clap requires one of the two.
        (None, None) => return Ok(Outcome::Failed),
    };
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .context(Label::WhileWriting.text(env.lang))?;
    Ok(Outcome::Ok)
}

/// How to draw: the language, the width and the colours.
struct Look {
    lang: Lang,
    width: u16,
    theme: Theme,
}

impl Look {
    /// Every entry called `term`, one small table each, or `None` when there is none.
    fn term(&self, term: &str) -> Option<String> {
        let term = term.trim();
        let mut found = Vec::new();
        if let Some(info) = header(term.as_bytes()) {
            found.push(self.header(info));
        }
        if let Ok(code) = term.parse::<u16>() {
            if status_class(code).is_some() {
                found.push(self.status(code));
            }
        }
        if let Some(info) = method(term.as_bytes()) {
            found.push(self.method(info));
        }
        let diagnostic = all_diagnostics()
            .iter()
            .find(|d| d.code.as_str().eq_ignore_ascii_case(term));
        if let Some(info) = diagnostic.and_then(|d| diagnostic_info(d.code)) {
            found.push(self.diagnostic(info));
        }
        if let Some(kind) = error_kinds()
            .into_iter()
            .find(|k| k.code().eq_ignore_ascii_case(term))
        {
            found.push(self.parse_error(&kind));
        }
        (!found.is_empty()).then(|| found.join("\n"))
    }

    fn header(&self, info: &HeaderInfo) -> String {
        let l = self.lang;
        let name = self.paint(Tone::HeaderName, info.name);
        self.card(&[
            (Label::KindHeader, name),
            (Label::RowMeaning, info.text.get(l).to_string()),
            (
                Label::RowRegistry,
                registration(info.registration, l).into(),
            ),
            (Label::RowReference, cite(info.reference, l)),
        ])
    }

    fn status(&self, code: u16) -> String {
        let l = self.lang;
        let class = status_class(code).map_or("", |c| c.text(l)).to_string();
        let code_text = self.paint(Tone::Title, &code.to_string());
        match status(code) {
            Some(info) => self.card(&[
                (Label::KindStatus, code_text),
                (Label::RowPhrase, info.phrase.to_string()),
                (Label::RowMeaning, info.text.get(l).to_string()),
                (Label::RowClass, class),
                (Label::RowReference, cite(info.reference, l)),
            ]),
            None => self.card(&[
                (Label::KindStatus, code_text),
                (Label::RowRegistry, Label::StatusUnregistered.text(l).into()),
                (Label::RowClass, class),
            ]),
        }
    }

    fn method(&self, info: &MethodInfo) -> String {
        let l = self.lang;
        self.card(&[
            (Label::KindMethod, self.paint(Tone::Method, info.name)),
            (Label::RowMeaning, info.text.get(l).to_string()),
            (Label::MethodSafe, yes_no(info.safe, l).into()),
            (Label::MethodIdempotent, yes_no(info.idempotent, l).into()),
            (Label::RowReference, cite(info.reference, l)),
        ])
    }

    fn diagnostic(&self, info: &DiagnosticInfo) -> String {
        let l = self.lang;
        let (severity, tone) = self.severity(info.code.severity());
        self.card(&[
            (
                Label::KindDiagnostic,
                self.paint(Tone::Title, info.code.as_str()),
            ),
            (Label::RowSeverity, self.paint(tone, severity.text(l))),
            (Label::RowMeaning, meaning(info, l)),
            (Label::RowReference, cite(info.reference, l)),
        ])
    }

    /// A code of a message that could not be read (JSON's error objects carry it).
    fn parse_error(&self, kind: &ErrorKind) -> String {
        let l = self.lang;
        self.card(&[
            (Label::KindParseError, self.paint(Tone::Title, kind.code())),
            (
                Label::RowSeverity,
                self.paint(Tone::Error, Label::SeverityError.text(l)),
            ),
            (Label::RowMeaning, error_meaning(kind, l)),
        ])
    }

    fn severity(&self, severity: Severity) -> (Label, Tone) {
        match severity {
            Severity::Error => (Label::SeverityError, Tone::Error),
            Severity::Warning => (Label::SeverityWarning, Tone::Warning),
            Severity::Note => (Label::SeverityNote, Tone::Note),
        }
    }

    /// `text` in the theme's colour for `tone`.
    fn paint(&self, tone: Tone, text: &str) -> String {
        let mut out = String::new();
        self.theme.paint(&mut out, tone, text);
        out
    }

    /// A whole table, a row per entry.
    fn list(&self, which: TableChoice) -> String {
        let (head, rows) = self.entries(which);
        let mut table = self.table();
        table.set_header(
            head.iter()
                .map(|h| self.paint(Tone::Title, h.text(self.lang))),
        );
        for row in rows {
            table.add_row(row);
        }
        format!("{table}\n")
    }

    /// A table's column titles and its rows, one per entry.
    fn entries(&self, which: TableChoice) -> (Vec<Label>, Vec<Vec<String>>) {
        let l = self.lang;
        let name = |s: &str| self.paint(Tone::HeaderName, s);
        match which {
            TableChoice::Headers => (
                vec![
                    Label::KindHeader,
                    Label::RowRegistry,
                    Label::RowReference,
                    Label::RowMeaning,
                ],
                all_headers()
                    .iter()
                    .map(|h| {
                        vec![
                            name(h.name),
                            registration(h.registration, l).into(),
                            cite(h.reference, l),
                            h.text.get(l).into(),
                        ]
                    })
                    .collect(),
            ),
            TableChoice::Status => (
                vec![
                    Label::KindStatus,
                    Label::RowPhrase,
                    Label::RowReference,
                    Label::RowMeaning,
                ],
                all_statuses()
                    .iter()
                    .map(|s| {
                        vec![
                            self.paint(Tone::Title, &s.code.to_string()),
                            s.phrase.into(),
                            cite(s.reference, l),
                            s.text.get(l).into(),
                        ]
                    })
                    .collect(),
            ),
            TableChoice::Methods => (
                vec![
                    Label::KindMethod,
                    Label::MethodSafe,
                    Label::MethodIdempotent,
                    Label::RowReference,
                    Label::RowMeaning,
                ],
                all_methods()
                    .iter()
                    .map(|m| {
                        vec![
                            self.paint(Tone::Method, m.name),
                            yes_no(m.safe, l).into(),
                            yes_no(m.idempotent, l).into(),
                            cite(m.reference, l),
                            m.text.get(l).into(),
                        ]
                    })
                    .collect(),
            ),
            TableChoice::Diagnostics => (
                vec![
                    Label::KindDiagnostic,
                    Label::RowSeverity,
                    Label::RowReference,
                    Label::RowMeaning,
                ],
                all_diagnostics()
                    .iter()
                    .map(|d| {
                        let (severity, tone) = self.severity(d.code.severity());
                        vec![
                            self.paint(Tone::Title, d.code.as_str()),
                            self.paint(tone, severity.text(l)),
                            cite(d.reference, l),
                            meaning(d, l),
                        ]
                    })
                    .collect(),
            ),
        }
    }

    /// One entry as two columns: what each row says, and the entry's value for it.
    fn card(&self, rows: &[(Label, String)]) -> String {
        let mut table = self.table();
        for (label, value) in rows {
            let label = self.paint(Tone::PartLabel, label.text(self.lang));
            table.add_row(vec![label, value.clone()]);
        }
        format!("{table}\n")
    }

    /// An empty table in the anatomy tables' look, no wider than `--width`.
    fn table(&self) -> Table {
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(self.width);
        table
    }
}

/// A diagnostic's text with its placeholders shown as `…`: a lookup has no message to
/// take them from.
fn meaning(info: &DiagnosticInfo, lang: Lang) -> String {
    fill(info.text.get(lang), &["…", "…", "…"])
}

fn registration(r: Registration, lang: Lang) -> &'static str {
    match r {
        Registration::Permanent => Label::RegPermanent.text(lang),
        Registration::Provisional => Label::HeaderProvisional.text(lang),
        Registration::Deprecated => Label::HeaderDeprecated.text(lang),
        Registration::Obsoleted => Label::HeaderObsoleted.text(lang),
        Registration::Unregistered => Label::RegUnregistered.text(lang),
    }
}

fn yes_no(b: bool, lang: Lang) -> &'static str {
    if b {
        Label::Yes.text(lang)
    } else {
        Label::No.text(lang)
    }
}

/// The line for a term in no table: the closest names, and where to see them all.
fn unknown(term: &str, lang: Lang) -> String {
    let mut line = Label::ExplainUnknown.fill(lang, &[&format!("{term:?}")]);
    let close = closest(term);
    if !close.is_empty() {
        let or = Label::Or.text(lang);
        let hint = Label::ExplainDidYouMean.fill(lang, &[&close.join(or)]);
        line = Label::Semicolon.fill(lang, &[&line, &hint]);
    }
    line.push('\n');
    line.push_str(Label::NotePrefix.text(lang));
    line.push_str(Label::ExplainSeeList.text(lang));
    line
}

/// Up to three names from the tables nearest to `term`: those it starts first, then by
/// edit distance; lowercase for headers and diagnostics as a user types them.
fn closest(term: &str) -> Vec<String> {
    let term = term.trim().to_ascii_lowercase();
    let names = all_headers()
        .iter()
        .map(|h| h.name.to_ascii_lowercase())
        .chain(all_methods().iter().map(|m| m.name.to_string()))
        .chain(
            all_diagnostics()
                .iter()
                .map(|d| d.code.as_str().to_string()),
        )
        .chain(all_statuses().iter().map(|s| s.code.to_string()))
        .chain(error_kinds().into_iter().map(|k| k.code().to_string()));
    let mut scored: Vec<(bool, usize, String)> = names
        .filter_map(|name| {
            let distance = strsim::osa_distance(&term, &name.to_ascii_lowercase());
            let near = distance <= (term.chars().count() / 3).max(1);
            let starts = term.len() >= 3 && name.to_ascii_lowercase().starts_with(&term);
            (near || starts).then_some((!starts, distance, name))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.2.eq_ignore_ascii_case(&b.2));
    scored
        .into_iter()
        .take(3)
        .map(|(_, _, name)| name)
        .collect()
}
