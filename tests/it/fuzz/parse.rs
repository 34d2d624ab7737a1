//! `httpdump parse` under fuzz: every input kind and output format, from stdin or a file;
//! it must exit 0, 1 or 2, print only safe characters, valid JSON Lines, tables within
//! `--width`, and give back the exact input with `--input raw --format raw`.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use unicode_width::UnicodeWidthStr;

use super::{input, unsafe_char, Bytes};

/// One run of the binary may take this long; a slower one is a hang.
const RUN_LIMIT: Duration = Duration::from_secs(10);

struct Run {
    /// None: killed by a signal (or by us, after RUN_LIMIT).
    code: Option<i32>,
    timed_out: bool,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Run `httpdump parse ARGS` with `input` on stdin (`-`) or in a temporary file.
fn run_parse(args: &[String], input: &[u8], from_file: bool) -> Run {
    let file = from_file.then(|| {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(input).unwrap();
        file
    });
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("httpdump"))
        .arg("parse")
        .args(args)
        .arg(file.as_ref().map_or("-".into(), |f| f.path().to_owned()))
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .stdin(if from_file {
            Stdio::null()
        } else {
            Stdio::piped()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting httpdump");
    let writer = child.stdin.take().map(|mut stdin| {
        let input = input.to_vec();
        // The binary may stop reading early (an error); a broken pipe is not ours to judge.
        std::thread::spawn(move || drop(stdin.write_all(&input)))
    });
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let stdout = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        out.read_to_end(&mut bytes).unwrap();
        bytes
    });
    let stderr = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        err.read_to_end(&mut bytes).unwrap();
        bytes
    });
    let deadline = Instant::now() + RUN_LIMIT;
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            timed_out = true;
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    if let Some(writer) = writer {
        writer.join().unwrap();
    }
    Run {
        code: status.code(),
        timed_out,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

#[derive(Debug, Clone)]
struct Options {
    input: &'static str,
    format: &'static str,
    hex: bool,
    explain: bool,
    zh: bool,
    width: u16,
    max_body_lines: u8,
    from_file: bool,
}

impl Options {
    fn args(&self) -> Vec<String> {
        let mut args: Vec<String> = [
            "--color",
            "never",
            "--input",
            self.input,
            "--format",
            self.format,
        ]
        .map(String::from)
        .to_vec();
        args.extend(["--width".into(), self.width.to_string()]);
        args.extend(["--max-body-lines".into(), self.max_body_lines.to_string()]);
        for (on, flag) in [
            (self.hex, "--hex"),
            (self.explain, "--explain"),
            (self.zh, "--lang=zh"),
        ] {
            if on {
                args.push(flag.into());
            }
        }
        args
    }
}

fn options() -> impl Strategy<Value = Options> {
    (
        proptest::sample::select(vec!["auto", "raw", "curl", "httpie"]),
        proptest::sample::select(vec!["table", "table", "json", "raw"]),
        any::<(bool, bool, bool, bool)>(),
        prop_oneof![40..=60u16, Just(80u16), Just(100u16), Just(200u16)],
        proptest::sample::select(vec![0u8, 1, 3, 20]),
    )
        .prop_map(
            |(input, format, (hex, explain, zh, from_file), width, max_body_lines)| Options {
                input,
                format,
                hex,
                explain,
                zh,
                width,
                max_body_lines,
                from_file,
            },
        )
}

/// Every check a user could notice, as a list of what went wrong (empty: all good).
fn problems(opts: &Options, input: &[u8], run: &Run) -> Vec<String> {
    let mut found = Vec::new();
    if run.timed_out {
        found.push(format!("still running after {RUN_LIMIT:?}"));
    }
    match run.code {
        Some(0..=2) => {}
        Some(code) => found.push(format!("exit code {code}")),
        None => found.push("killed by a signal".into()),
    }
    found.extend(unsafe_char("stderr", &run.stderr, false));
    if String::from_utf8_lossy(&run.stderr).contains("panicked") {
        found.push("a panic message on stderr".into());
    }
    if opts.format == "raw" {
        // The messages' own bytes: only raw input is promised back byte for byte.
        if opts.input == "raw" && run.stdout != input {
            found.push(format!(
                "--format raw gave back {} bytes for {} of input: {:?}",
                run.stdout.len(),
                input.len(),
                Bytes(run.stdout.clone())
            ));
        }
        return found;
    }
    found.extend(unsafe_char("stdout", &run.stdout, false));
    let stdout = String::from_utf8_lossy(&run.stdout);
    // Every line, the packet view's included, fits --width.
    let width = opts.width;
    for line in stdout.lines() {
        if opts.format == "json" {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(line) {
                found.push(format!("not a JSON line ({e}): {line:?}"));
            }
        } else if line.width() > usize::from(width) {
            found.push(format!(
                "a table line {} columns wide for --width {}: {line:?}",
                line.width(),
                opts.width
            ));
        }
    }
    found
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        // Each shrink step runs the binary: keep shrinking short but useful.
        max_shrink_iters: 300,
        max_shrink_time: 30_000,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config(800))]

    /// Mutated fixtures and arbitrary bytes, every input kind, every output format.
    #[test]
    fn parse_survives_mutated_and_arbitrary_input(input in input(), opts in options()) {
        let run = run_parse(&opts.args(), &input.0, opts.from_file);
        let found = problems(&opts, &input.0, &run);
        prop_assert!(
            found.is_empty(),
            "httpdump parse {} {}\n{}\nstderr: {}",
            opts.args().join(" "),
            if opts.from_file { "FILE" } else { "-" },
            found.join("\n"),
            String::from_utf8_lossy(&run.stderr)
        );
    }
}

proptest! {
    #![proptest_config(config(300))]

    /// `--input raw --format raw` is the exact bytes back, whatever they are.
    #[test]
    fn raw_format_gives_back_the_input_exactly(input in input(), hex in any::<bool>()) {
        let opts = Options {
            input: "raw",
            format: "raw",
            hex,
            explain: false,
            zh: false,
            width: 100,
            max_body_lines: 20,
            from_file: false,
        };
        let run = run_parse(&opts.args(), &input.0, false);
        let found = problems(&opts, &input.0, &run);
        prop_assert!(found.is_empty(), "{}", found.join("\n"));
    }
}
