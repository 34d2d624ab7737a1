//! The parallel printer against the serial one: same bytes, same verdict, same error,
//! over generated streams and limits small enough that a short stream makes many
//! batches, items that go alone, and a full in-flight bound.

use std::io::{self, Read, Write};
use std::sync::Arc;

use proptest::prelude::*;

use super::{print, Gate, Judge, Limits, Stop};
use crate::explain::Lang;
use crate::model::Item;
use crate::pipeline;
use crate::render::{Format, RenderOptions, Sink, Theme};
use crate::source::reader::MessageReader;
use crate::wire::ParseOptions;

fn fails(item: &Item, strict: bool) -> bool {
    match item {
        Item::Error(_) => true,
        Item::Message(m) => {
            crate::explain::has_errors(&m.diagnostics)
                || (strict && crate::explain::fails_strict(&m.diagnostics))
        }
        Item::Stray(_) => false,
    }
}

/// Hands out its bytes in small reads, calling the gate before each, as `parse` does.
struct Trickle {
    bytes: io::Cursor<Vec<u8>>,
    step: usize,
    gate: Gate,
    /// Fail with this error once the bytes are used up, instead of ending.
    fail_at_end: bool,
}

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.gate.before_read();
        let n = buf.len().min(self.step);
        let got = self.bytes.read(&mut buf[..n])?;
        if got == 0 && self.fail_at_end {
            return Err(io::Error::other("the input broke off"));
        }
        Ok(got)
    }
}

fn sink(format: Format, hex: bool, lang: Lang) -> Sink {
    let options = RenderOptions {
        hex,
        lang,
        ..RenderOptions::default()
    };
    Sink::new(format, Theme::new(false), options)
}

/// What the serial loop writes: every item, then the error if reading failed.
fn serial(
    stream: &[u8],
    printer: &Sink,
    step: usize,
    fail_at_end: bool,
) -> (Vec<u8>, bool, Option<String>) {
    let input = Trickle {
        bytes: io::Cursor::new(stream.to_vec()),
        step,
        gate: Gate::default(),
        fail_at_end,
    };
    let mut out = Vec::new();
    let mut failed = false;
    for item in pipeline::linted(MessageReader::new(input, ParseOptions::default())) {
        match item {
            Ok(item) => {
                failed |= fails(&item, false);
                printer.item(&item, &mut out).unwrap();
            }
            Err(e) => return (out, failed, Some(e.to_string())),
        }
    }
    (out, failed, None)
}

fn parallel(
    stream: &[u8],
    printer: Sink,
    limits: Limits,
    step: usize,
    fail_at_end: bool,
) -> (Vec<u8>, bool, Option<String>) {
    let gate = Gate::default();
    let input = Trickle {
        bytes: io::Cursor::new(stream.to_vec()),
        step,
        gate: gate.clone(),
        fail_at_end,
    };
    // The workers lint, as `parse` has them do.
    let items = MessageReader::new(input, ParseOptions::default());
    let judge = Judge {
        fails,
        strict: false,
        lint: true,
    };
    let mut out = Vec::new();
    match print(
        items,
        gate,
        Arc::new(printer),
        judge,
        limits,
        false,
        &mut out,
    ) {
        Ok(failed) => (out, failed, None),
        Err(Stop::Read(e)) => (out, false, Some(e.to_string())),
        Err(Stop::Write(e)) => panic!("writing to memory failed: {e}"),
    }
}

/// One message or piece of junk of a stream, chosen by `kind`.
fn piece(kind: u8, n: usize, body: usize) -> Vec<u8> {
    let body = "x".repeat(body);
    match kind % 7 {
        0 => format!("GET /item/{n} HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n").into(),
        1 => format!(
            "POST /form/{n} HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into(),
        2 => format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}",
            body.len()
        )
        .into(),
        3 => format!(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{body}\r\n0\r\n\r\n",
            body.len()
        )
        .into(),
        // A header without a colon: an error item, then resynchronisation.
        4 => format!("GET /bad/{n} HTTP/1.1\r\nHost a\r\n\r\n").into(),
        // Blank lines between messages: a stray item.
        5 => b"\r\n\r\n".to_vec(),
        // A lint: bare LF line endings, and non-ASCII in a value.
        _ => format!("GET /lf/{n} HTTP/1.1\nHost: b\nX-Name: caf\u{e9} {n}\n\n").into(),
    }
}

fn stream(pieces: &[(u8, usize)]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for (n, &(kind, body)) in pieces.iter().enumerate() {
        bytes.extend(piece(kind, n, body));
    }
    bytes
}

fn small_limits(workers: usize) -> Limits {
    Limits {
        batch_bytes: 700,
        in_flight: 3000,
        direct_from: 1500,
        workers,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn parallel_output_is_the_serial_output(
        pieces in prop::collection::vec((any::<u8>(), prop_oneof![0..40usize, 1000..3000usize]), 0..60),
        format in prop_oneof![Just(Format::Table), Just(Format::Json), Just(Format::Raw)],
        hex in any::<bool>(),
        zh in any::<bool>(),
        workers in 1..4usize,
        step in prop_oneof![Just(1usize), 7..300usize, Just(65536usize)],
        broken in any::<bool>(),
    ) {
        let bytes = stream(&pieces);
        let lang = if zh { Lang::Zh } else { Lang::En };
        let want = serial(&bytes, &sink(format, hex, lang), step, broken);
        let got = parallel(&bytes, sink(format, hex, lang), small_limits(workers), step, broken);
        prop_assert_eq!(String::from_utf8_lossy(&got.0), String::from_utf8_lossy(&want.0));
        prop_assert_eq!(&got.2, &want.2);
        if want.2.is_none() {
            prop_assert_eq!(got.1, want.1);
        }
    }
}

#[test]
fn the_program_limits_give_the_serial_output_on_a_long_stream() {
    let pieces: Vec<(u8, usize)> = (0..3000u32)
        .map(|n| ((n * 7 / 3) as u8, (n as usize * 37) % 900))
        .chain([(2, 3 * 1024 * 1024), (0, 0)])
        .collect();
    let bytes = stream(&pieces);
    for format in [Format::Table, Format::Json] {
        let want = serial(&bytes, &sink(format, false, Lang::En), 65536, false);
        let got = parallel(
            &bytes,
            sink(format, false, Lang::En),
            Limits::with_workers(2),
            65536,
            false,
        );
        assert!(got.0 == want.0, "{format:?}: outputs differ");
        assert_eq!(got.1, want.1);
    }
}

/// A writer that takes `left` bytes, then fails as a closed pipe does.
struct Closing {
    left: usize,
}

impl Write for Closing {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        let n = buf.len().min(self.left);
        self.left -= n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_closed_output_stops_printing_with_a_write_error() {
    let pieces: Vec<(u8, usize)> = (0..2000u32).map(|n| (n as u8, 100)).collect();
    let bytes = stream(&pieces);
    let gate = Gate::default();
    let input = Trickle {
        bytes: io::Cursor::new(bytes),
        step: 4096,
        gate: gate.clone(),
        fail_at_end: false,
    };
    let items = pipeline::linted(MessageReader::new(input, ParseOptions::default()));
    let judge = Judge {
        fails,
        strict: false,
        lint: false,
    };
    let printer = Arc::new(sink(Format::Json, false, Lang::En));
    let mut out = Closing { left: 10_000 };
    let printed = print(
        items,
        gate,
        printer,
        judge,
        small_limits(2),
        false,
        &mut out,
    );
    match printed {
        Err(Stop::Write(e)) => assert_eq!(e.kind(), io::ErrorKind::BrokenPipe),
        Err(Stop::Read(e)) => panic!("a read error instead: {e}"),
        Ok(_) => panic!("printing went on past a closed output"),
    }
}

/// Prints `items` (of a stream that a panicking thread cuts short) on two renderers, in a
/// thread of its own, so that a hang fails the test instead of holding it forever.
fn print_cut_short(
    items: impl Iterator<Item = io::Result<Item>> + Send + 'static,
    fails: fn(&Item, bool) -> bool,
) -> std::thread::Result<Result<bool, Stop>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let printed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let judge = Judge {
                fails,
                strict: false,
                lint: false,
            };
            let printer = Arc::new(sink(Format::Json, false, Lang::En));
            let limits = small_limits(2);
            print(
                items,
                Gate::default(),
                printer,
                judge,
                limits,
                false,
                &mut Vec::new(),
            )
        }));
        let _ = tx.send(printed);
    });
    rx.recv_timeout(std::time::Duration::from_secs(20))
        .expect("printing hung after a thread panicked")
}

fn messages(n: usize) -> impl Iterator<Item = io::Result<Item>> + Send + 'static {
    let bytes = stream(&(0..n).map(|_| (0u8, 0usize)).collect::<Vec<_>>());
    MessageReader::new(io::Cursor::new(bytes), ParseOptions::default())
}

#[test]
fn a_reading_thread_that_panics_is_a_read_error_not_a_short_success() {
    let mut left = 300;
    let items = messages(1000).inspect(move |_| {
        left -= 1;
        assert!(left > 0, "a parser bug");
    });
    match print_cut_short(items, fails) {
        Ok(Err(Stop::Read(e))) => assert!(e.to_string().contains("stopped"), "{e}"),
        Ok(Err(Stop::Write(e))) => panic!("a write error instead: {e}"),
        Ok(Ok(_)) => panic!("the output was cut short and called a success"),
        Err(_) => panic!("the reading thread's panic reached the caller"),
    }
}

fn fails_on_the_500th(item: &Item, _strict: bool) -> bool {
    if let Item::Message(m) = item {
        assert!(m.index != 500, "a renderer bug");
    }
    false
}

#[test]
fn a_rendering_thread_that_panics_ends_printing_with_an_error() {
    // The message may fall to the calling thread (the panic is its own) or to the other
    // renderer (an error): never a hang, never a success.
    match print_cut_short(messages(1000), fails_on_the_500th) {
        Ok(Err(Stop::Write(e))) => assert!(e.to_string().contains("stopped"), "{e}"),
        Ok(Err(Stop::Read(e))) => panic!("a read error instead: {e}"),
        Ok(Ok(_)) => panic!("the output was cut short and called a success"),
        Err(_) => {}
    }
}
