//! HAR files (HTTP Archive 1.2, what browsers' DevTools "Save all as HAR" writes): each
//! entry of `log.entries` becomes a request and a response, rebuilt as HTTP/1.x bytes
//! ([`rebuild`]) and read by the wire parser like any other input, with the entry's facts
//! on [`Context::har`]. The file is streamed: one entry is held at a time, so memory
//! follows the largest entry, not the file.

mod entry;
mod rebuild;

use std::fmt;
use std::io::{self, BufRead, Read};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use self::entry::Entry;
use self::rebuild::Rebuilt;
use crate::model::{
    BodyHidden, Context, Diagnostic, HarEntry, HarTimings, Item, SourceKind, Step, Stray,
};
use crate::wire::{parse_head_only, parse_message, ParseOptions, Parsed, State};

/// Why a HAR file could not be read to its end (the entries before it were handed over).
#[derive(Debug)]
pub enum HarError {
    /// Reading the file failed.
    Io(io::Error),
    /// The consumer of the items failed (the output went away).
    Sink(io::Error),
    /// Not JSON, cut short, or JSON of another shape: where and what.
    Json {
        problem: Problem,
        line: usize,
        column: usize,
        detail: String,
    },
    /// JSON with no `log.entries`.
    NoEntries,
}

/// What was wrong with the JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Not JSON at all.
    Syntax,
    /// The file ends in the middle of a value.
    Truncated,
    /// JSON, but a field holds the wrong kind of value.
    Shape,
}

/// Whether input that starts with `prefix` is a HAR rather than HTTP or a transcript:
/// its first byte that is not blank (after a UTF-8 BOM) opens a JSON object, which
/// neither can start with. `None` while `prefix` holds only blanks.
pub fn looks_like_har(prefix: &[u8]) -> Option<bool> {
    let prefix = prefix.strip_prefix(b"\xef\xbb\xbf").unwrap_or(prefix);
    let first = prefix.iter().find(|b| !b.is_ascii_whitespace())?;
    Some(*first == b'{')
}

/// Read a HAR file and hand each rebuilt message (or what could not be read) to `each`,
/// in order: an entry's request, then its response. Returns how many entries there were.
pub fn read(
    input: impl Read,
    mut each: impl FnMut(Item) -> io::Result<()>,
) -> Result<usize, HarError> {
    let mut builder = Builder {
        state: State::default(),
        offset: 0,
    };
    let mut sink_error = None;
    let mut on_entry = |number: usize, entry: Entry| -> bool {
        for item in builder.entry(number, &entry) {
            if let Err(e) = each(item) {
                sink_error = Some(e);
                return false;
            }
        }
        true
    };
    let mut input = io::BufReader::with_capacity(256 * 1024, input);
    // Editors on Windows save JSON with a byte-order mark, which JSON itself does not allow.
    if input
        .fill_buf()
        .map_err(HarError::Io)?
        .starts_with(b"\xef\xbb\xbf")
    {
        input.consume(3);
    }
    let mut de = serde_json::Deserializer::from_reader(input);
    let found = Top(&mut on_entry).deserialize(&mut de).and_then(|n| {
        de.end()?;
        Ok(n)
    });
    if let Some(e) = sink_error {
        return Err(HarError::Sink(e));
    }
    match found {
        Ok(Some(n)) => Ok(n),
        Ok(None) => Err(HarError::NoEntries),
        Err(e) => Err(json_error(e)),
    }
}

fn json_error(e: serde_json::Error) -> HarError {
    use serde_json::error::Category;
    let problem = match e.classify() {
        Category::Io => return HarError::Io(e.into()),
        Category::Syntax => Problem::Syntax,
        Category::Eof => Problem::Truncated,
        Category::Data => Problem::Shape,
    };
    let (line, column) = (e.line(), e.column());
    let text = e.to_string();
    // serde_json ends its text with the position, which the caller words itself.
    let suffix = format!(" at line {line} column {column}");
    let detail = text.strip_suffix(&suffix).unwrap_or(&text).to_string();
    HarError::Json {
        problem,
        line,
        column,
        detail,
    }
}

/// Called with each entry as it is read; `false` stops reading.
type OnEntry<'a> = dyn FnMut(usize, Entry) -> bool + 'a;

/// The top-level object: finds `log`, skips everything else. `None` without `log.entries`.
struct Top<'a, 'b>(&'a mut OnEntry<'b>);

impl<'de> DeserializeSeed<'de> for Top<'_, '_> {
    type Value = Option<usize>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a HAR object with \"log\"")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<usize>, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "log" && found.is_none() {
                found = map.next_value_seed(Log(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// The `log` object: finds `entries`.
struct Log<'a, 'b>(&'a mut OnEntry<'b>);

impl<'de> DeserializeSeed<'de> for Log<'_, '_> {
    type Value = Option<usize>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Log<'_, '_> {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a \"log\" object with \"entries\"")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<usize>, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "entries" && found.is_none() {
                found = Some(map.next_value_seed(Entries(&mut *self.0))?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// `log.entries`: each entry handed over as soon as it is read.
struct Entries<'a, 'b>(&'a mut OnEntry<'b>);

impl<'de> DeserializeSeed<'de> for Entries<'_, '_> {
    type Value = usize;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Entries<'_, '_> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of entries")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut n = 0;
        while let Some(entry) = seq.next_element::<Entry>()? {
            n += 1;
            if !(self.0)(n, entry) {
                return Err(de::Error::custom("output closed"));
            }
        }
        Ok(n)
    }
}

/// Rebuilds entries into items, numbering them and counting their bytes as one input.
struct Builder {
    state: State,
    /// Where the next rebuilt message starts, counting rebuilt bytes as if they were raw.
    offset: usize,
}

impl Builder {
    /// An entry's request and response (or the request alone, with a note, when the HAR
    /// recorded no response).
    fn entry(&mut self, number: usize, entry: &Entry) -> Vec<Item> {
        let facts = HarEntry {
            entry: number,
            started: entry.started_date_time.clone(),
            server_ip: entry.server_ip_address.clone().filter(|s| !s.is_empty()),
            connection: entry.connection.clone().filter(|s| !s.is_empty()),
            protocol: None,
            timings: None,
            comment: entry.comment.clone().filter(|s| !s.is_empty()),
        };
        let is_head = entry
            .request
            .method
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case("HEAD"));
        let mut request = rebuild::request(entry);
        let response = entry
            .response
            .as_ref()
            .and_then(|r| rebuild::response(r, is_head));
        if response.is_none() {
            request
                .notes
                .push(rebuild::no_response_note(entry.response.as_ref()));
        }
        let protocol = |recorded: Option<&str>, rebuilt: &Rebuilt| {
            rebuilt.h2_text.then(|| recorded.unwrap_or("").to_string())
        };
        let mut items = Vec::with_capacity(2);
        let req_facts = HarEntry {
            protocol: protocol(entry.request.http_version.as_deref(), &request),
            ..facts.clone()
        };
        items.push(self.read(request, req_facts));
        if let Some(res) = response {
            let recorded = entry
                .response
                .as_ref()
                .and_then(|r| r.http_version.as_deref());
            let res_facts = HarEntry {
                entry: number,
                protocol: protocol(recorded, &res),
                timings: entry.timings.as_ref().map(timings),
                ..HarEntry::default()
            };
            items.push(self.read(res, res_facts));
        }
        items
    }

    /// Read rebuilt bytes through the wire parser and put the entry's facts on the item.
    fn read(&mut self, rebuilt: Rebuilt, facts: HarEntry) -> Item {
        let opts = ParseOptions {
            allow_h2_text: rebuilt.h2_text,
            ..ParseOptions::default()
        };
        let offset = self.offset;
        let parsed = match rebuilt.hidden {
            Some(_) => parse_head_only(&rebuilt.bytes, offset, &mut self.state, &opts),
            None => parse_message(&rebuilt.bytes, offset, &mut self.state, &opts, true),
        };
        self.offset += rebuilt.bytes.len();
        let context = Context {
            source: SourceKind::Har,
            body_hidden: rebuilt.hidden.map(|bytes| BodyHidden { bytes }),
            har: Some(facts),
            ..Context::default()
        };
        let notes = rebuilt
            .notes
            .into_iter()
            .map(|(code, args)| Diagnostic::new(code, None, offset, args));
        match parsed {
            Parsed::Complete { mut message, .. } => {
                message.diagnostics.extend(notes);
                message.context = context;
                Item::Message(message)
            }
            Parsed::Error { mut error, .. } => {
                error.fragment.context = context;
                Item::Error(error)
            }
            // With `eof` the parser always decides; should it not, the bytes are still shown.
            Parsed::Partial { .. } => Item::Stray(Stray {
                offset,
                bytes: rebuilt.bytes,
                blank: false,
            }),
        }
    }
}

/// The entry's `timings` as the model keeps them.
fn timings(t: &entry::Timings) -> HarTimings {
    let step = |v: Option<f64>| v.map(Step::from_ms);
    HarTimings {
        blocked: step(t.blocked),
        dns: step(t.dns),
        connect: step(t.connect),
        ssl: step(t.ssl),
        send: step(t.send),
        wait: step(t.wait),
        receive: step(t.receive),
    }
}
