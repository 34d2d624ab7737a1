//! Issue 5's round trip: what `curl -v` printed about a request, parsed by `httpdump
//! parse`, is the request `httpdump listen` received and printed.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

use super::{curl, Server};

fn parse_transcript(transcript: &[u8]) -> Vec<Value> {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("httpdump"))
        .args(["parse", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(transcript).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "parse failed on:\n{}",
        String::from_utf8_lossy(transcript)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The fields both sides must agree on: start line, headers in order, head lines.
fn head_of(m: &Value) -> (Value, Value, Value, Value, Vec<Value>) {
    let head_lines: Vec<Value> = m["lines"]
        .as_array()
        .unwrap()
        .iter()
        .take_while(|l| l["part"] != "body")
        .map(|l| serde_json::json!([l["part"], l["text"]]))
        .collect();
    (
        m["method"].clone(),
        m["target"].clone(),
        m["version"].clone(),
        m["headers"].clone(),
        head_lines,
    )
}

#[test]
fn curl_transcript_parses_to_the_request_listen_printed() {
    let server = Server::start(&["--format", "json"]);
    let urls = [server.url("/lesson?step=1"), server.url("/form")];
    // `--stderr -` puts curl's verbose lines and the body on one stream, like `2>&1`.
    let out = curl(&[
        "-v",
        "--stderr",
        "-",
        "-H",
        "X-Lesson: 3",
        &urls[0],
        "-d",
        "name=xiaoming&lang=zh",
        &urls[1],
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let transcript = out.stdout;
    let stopped = server.stop();

    let printed: Vec<Value> = stopped
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(printed.len(), 2, "{}", stopped.stdout);
    let parsed = parse_transcript(&transcript);
    let requests: Vec<&Value> = parsed.iter().filter(|m| m["kind"] == "request").collect();
    let responses: Vec<&Value> = parsed.iter().filter(|m| m["kind"] == "response").collect();
    assert_eq!((requests.len(), responses.len()), (2, 2), "{parsed:?}");
    for (seen, sent) in printed.iter().zip(&requests) {
        assert_eq!(sent["source"], "curl");
        assert_eq!(head_of(seen), head_of(sent));
    }
    // curl does not print the body it uploads: the transcript says so, listen has it.
    assert_eq!(requests[1]["body_shown"], false);
    assert_eq!(printed[1]["body"]["text"], "name=xiaoming&lang=zh");
    // The replies curl printed are the article's reply that listen sent.
    assert_eq!(responses[0]["status"], 200);
    assert_eq!(responses[0]["headers"][0]["value"], "pdudo_web_sites");
    assert_eq!(responses[0]["body"]["text"], "Hello, Destined Person.\r\n");
}
