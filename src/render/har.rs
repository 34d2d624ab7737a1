//! What a HAR entry adds to a rebuilt message: the title's parts (rebuilt from which
//! entry, the protocol, when it started, the server and connection, the timings) and the
//! same facts as the JSON object's `har` field.

use std::io::{self, Write};

use super::escape::visible;
use crate::explain::{Label, Lang};
use crate::model::{Context, HarTimings, Step};

/// The title parts of a message rebuilt from a HAR entry. Safe text.
pub fn har_words(context: &Context, lang: Lang) -> Vec<String> {
    let Some(har) = &context.har else {
        return Vec::new();
    };
    let mut words = vec![Label::HarRebuilt.fill(lang, &[&har.entry.to_string()])];
    if let Some(protocol) = &har.protocol {
        words.push(Label::HarProtocol.fill(lang, &[protocol]));
    }
    if let Some(started) = &har.started {
        words.push(Label::HarStarted.fill(lang, &[started]));
    }
    if let Some(ip) = &har.server_ip {
        words.push(Label::HarServer.fill(lang, &[ip]));
    }
    if let Some(connection) = &har.connection {
        words.push(Label::HarConnection.fill(lang, &[connection]));
    }
    if let Some(timings) = &har.timings {
        words.push(timing_words(timings, lang));
    }
    if let Some(comment) = &har.comment {
        let cut: String = comment.chars().take(200).collect();
        words.push(Label::HarComment.fill(lang, &[&cut]));
    }
    words.iter().map(|w| visible(w.as_bytes())).collect()
}

/// "timings: blocked 0.52 ms, DNS n/a, ...": the steps the entry recorded.
fn timing_words(timings: &HarTimings, lang: Lang) -> String {
    let steps: Vec<String> = timings
        .steps()
        .into_iter()
        .filter_map(|(name, step)| {
            let label = match name {
                "blocked" => Label::HarStepBlocked,
                "dns" => Label::HarStepDns,
                "connect" => Label::HarStepConnect,
                "ssl" => Label::HarStepSsl,
                "send" => Label::HarStepSend,
                "wait" => Label::HarStepWait,
                _ => Label::HarStepReceive,
            };
            let name = label.text(lang);
            Some(match step? {
                Step::NotApplicable => Label::HarStepNa.fill(lang, &[name]),
                Step::Micros(us) => Label::HarStep.fill(lang, &[name, &ms(us)]),
            })
        })
        .collect();
    let sep = Label::HarStepSeparator.text(lang);
    Label::HarTimings.fill(lang, &[&steps.join(sep)])
}

/// Milliseconds as people read them: `0.52 ms`, `12.3 ms`, `1.20 s`.
fn ms(us: u64) -> String {
    let ms = us as f64 / 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

/// The `har` field of a rebuilt message's JSON object (docs/json.md).
pub(super) fn har_fields<W: Write + ?Sized>(
    obj: &mut super::json::Obj<W>,
    context: &Context,
) -> io::Result<()> {
    let Some(har) = &context.har else {
        return Ok(());
    };
    let timings = har.timings.as_ref().map(|t| {
        let steps = t
            .steps()
            .into_iter()
            .map(|(name, step)| (name.to_string(), serde_json::json!(step.map(Step::ms))));
        serde_json::Value::Object(steps.collect())
    });
    obj.value(
        "har",
        &serde_json::json!({
            "entry": har.entry,
            "started": har.started,
            "server_ip": har.server_ip,
            "connection": har.connection,
            "protocol": har.protocol,
            "timings": timings,
            "comment": har.comment,
        }),
    )
}
