//! What `relay` adds to a message's title (exchange, client and upstream connections,
//! timing, how much of a streamed body the table holds) and the same facts as JSON fields.

use std::io::{self, Write};
use std::time::Duration;

use super::escape::visible;
use crate::explain::{count, Label, Lang};
use crate::model::{Context, RelayDirection};

/// The title parts of a relayed message: "exchange 3", "client connection 2
/// (127.0.0.1:51432)", "upstream connection 1 (127.0.0.1:3000)", and for a response how
/// long after its request it was whole. Safe text.
pub fn relay_words(context: &Context, lang: Lang) -> Vec<String> {
    let Some(relay) = &context.relay else {
        return Vec::new();
    };
    let mut words = vec![
        Label::RelayExchange.fill(lang, &[&relay.exchange.to_string()]),
        visible(
            Label::RelayClient
                .fill(lang, &[&relay.client.to_string(), &relay.client_peer])
                .as_bytes(),
        ),
    ];
    match &relay.upstream {
        Some((n, addr)) => words.push(visible(
            Label::RelayUpstream
                .fill(lang, &[&n.to_string(), addr])
                .as_bytes(),
        )),
        // A reply relay made itself (502, 504, 400) went nowhere upstream.
        None if relay.direction == RelayDirection::Response => {
            words.push(Label::RelayMadeHere.text(lang).to_string());
        }
        None => {}
    }
    if let Some(elapsed) = relay.elapsed {
        words.push(Label::RelayTook.fill(lang, &[&shown(elapsed)]));
    }
    if let Some(total) = relay.body_total {
        let kept = context_kept(context);
        words.push(Label::RelayBodyTotal.fill(
            lang,
            &[
                &count(total as usize, Label::CountByte, Label::CountBytes, lang),
                &count(kept, Label::CountByte, Label::CountBytes, lang),
            ],
        ));
    }
    words
}

/// The body bytes a cut message holds.
fn context_kept(context: &Context) -> usize {
    context.relay.as_ref().map_or(0, |r| r.kept)
}

/// A duration as people read it: `0.25 ms`, `12.3 ms`, `1.20 s`.
fn shown(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

/// What `relay` adds to a message's JSON object (docs/json.md): `exchange`,
/// `direction`, `client_connection`, `client_peer`, `upstream_connection`, `upstream`,
/// `elapsed_ms`, `body_total`, `rewritten`.
pub(super) fn relay_fields<W: Write + ?Sized>(
    obj: &mut super::json::Obj<W>,
    context: &Context,
) -> io::Result<()> {
    let Some(relay) = &context.relay else {
        return Ok(());
    };
    obj.value("exchange", &relay.exchange)?;
    obj.value("direction", &relay.direction.as_str())?;
    obj.value("client_connection", &relay.client)?;
    obj.value("client_peer", &relay.client_peer)?;
    obj.value("upstream_connection", &relay.upstream.as_ref().map(|u| u.0))?;
    obj.value("upstream", &relay.upstream.as_ref().map(|u| &u.1))?;
    let ms = |d: Duration| (d.as_secs_f64() * 1_000_000.0).round() / 1000.0;
    obj.value("elapsed_ms", &relay.elapsed.map(ms))?;
    obj.value("body_total", &relay.body_total)?;
    let rewritten: Vec<_> = relay
        .rewritten
        .iter()
        .map(|(was, now)| {
            serde_json::json!({
                "received": (!was.is_empty()).then(|| String::from_utf8_lossy(was)),
                "forwarded": String::from_utf8_lossy(now),
            })
        })
        .collect();
    obj.value("rewritten", &rewritten)?;
    Ok(())
}

/// The notes after a request table naming the lines relay changed on the way. Safe text.
pub fn rewritten_notes(context: &Context, lang: Lang) -> Vec<String> {
    let Some(relay) = &context.relay else {
        return Vec::new();
    };
    let n = relay.exchange.to_string();
    relay
        .rewritten
        .iter()
        .map(|(was, now)| {
            if was.is_empty() {
                Label::RelayAdded.fill(lang, &[&n, &visible(now)])
            } else {
                Label::RelayRewritten.fill(lang, &[&n, &visible(was), &visible(now)])
            }
        })
        .collect()
}
