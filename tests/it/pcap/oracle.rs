//! Wireshark as the oracle: every HTTP message tshark dissects in the real capture
//! (`tshark -r FILE -T json -Y http`) is one `parse` shows, with the same method,
//! target, status and header lines, in the same order on each TCP stream. .ci/run
//! installs tshark; without it the test says so and checks nothing, except under CI.

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::Value;

use super::{json, PCAPNG};

/// Per TCP stream: each message as "GET /x" or "200", then its header lines.
type Messages = BTreeMap<u64, Vec<(String, Vec<String>)>>;

fn lines(v: Option<&Value>) -> Vec<String> {
    let one = |v: &Value| v.as_str().unwrap().trim_end_matches("\r\n").to_string();
    match v {
        None => Vec::new(),
        Some(Value::Array(items)) => items.iter().map(one).collect(),
        Some(v) => vec![one(v)],
    }
}

/// One `http` layer object of tshark's as a message.
fn tshark_message(http: &Value) -> Option<(String, Vec<String>)> {
    let fields = http.as_object()?;
    let start = fields.values().find(|v| {
        v.get("http.request.method").is_some() || v.get("http.response.code").is_some()
    })?;
    let head = match start.get("http.request.method") {
        Some(method) => format!(
            "{} {}",
            method.as_str()?,
            start["http.request.uri"].as_str()?
        ),
        None => start["http.response.code"].as_str()?.to_string(),
    };
    let headers = lines(
        fields
            .get("http.request.line")
            .or(fields.get("http.response.line")),
    );
    Some((head, headers))
}

fn tshark_messages(path: &str) -> Option<Messages> {
    let out = Command::new("tshark")
        .args([
            "-r",
            path,
            "-T",
            "json",
            "--no-duplicate-keys",
            "-Y",
            "http",
        ])
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let packets: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut messages = Messages::new();
    for packet in packets {
        let layers = &packet["_source"]["layers"];
        let stream: u64 = layers["tcp"]["tcp.stream"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let https = match &layers["http"] {
            Value::Array(all) => all.clone(),
            one => vec![one.clone()],
        };
        for http in &https {
            if let Some(m) = tshark_message(http) {
                messages.entry(stream).or_default().push(m);
            }
        }
    }
    Some(messages)
}

fn our_messages(path: &str) -> Messages {
    let (code, objects, stderr) = json(path, &[]);
    assert_eq!(code, 0, "{stderr}");
    let mut messages = Messages::new();
    for o in objects.iter().filter(|o| o["kind"] != "stream") {
        let head = match o["kind"].as_str().unwrap() {
            "request" => format!(
                "{} {}",
                o["method"].as_str().unwrap(),
                o["target"].as_str().unwrap()
            ),
            _ => o["status"].to_string(),
        };
        let headers = o["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                format!(
                    "{}: {}",
                    h["name"].as_str().unwrap(),
                    h["value"].as_str().unwrap()
                )
            })
            .collect();
        let stream = o["tcp_stream"].as_u64().unwrap();
        messages.entry(stream).or_default().push((head, headers));
    }
    messages
}

#[test]
fn every_message_agrees_with_tshark() {
    let Some(theirs) = tshark_messages(PCAPNG) else {
        // CI installs tshark (.ci/run): there its absence is a failure, not a skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "tshark is not installed, and CI is set: .ci/run should have installed it"
        );
        eprintln!("tshark is not installed (.ci/run installs it): nothing compared");
        return;
    };
    let ours = our_messages(PCAPNG);
    assert_eq!(theirs.values().map(Vec::len).sum::<usize>(), 16);
    assert_eq!(ours, theirs);
}
