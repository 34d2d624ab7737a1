//! `-L`: which responses are redirects, and the request after one (RFC 9110 section
//! 15.4): the method a 301, 302 or 303 turns into, the body kept by 307 and 308, and
//! credentials left behind on another host.

use crate::client::request::{HeaderArg, Spec};
use crate::client::url::Url;
use crate::model::Message;

/// A redirect `-L` may follow: the status and the Location.
pub fn redirect(response: &Message) -> Option<(u16, Vec<u8>)> {
    let status = response.status()?;
    if !matches!(status, 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = response.header_values("location").next()?;
    Some((status, location.to_vec()))
}

/// The request after a redirect: 303 (and 301, 302 after a POST, as browsers and curl
/// do) becomes a GET without a body; 307 and 308 keep the method and the body.
/// Credentials are not sent on to another host.
pub fn follow(mut spec: Spec, status: u16, next: Url) -> Spec {
    let to_get = match status {
        303 => spec.method != "HEAD",
        301 | 302 => spec.method == "POST",
        _ => false,
    };
    if to_get {
        spec.method = "GET".into();
        spec.body = None;
        spec.form = false;
    }
    if next.host != spec.url.host || next.port != spec.url.port {
        spec.headers.retain(|h| {
            !matches!(h, HeaderArg::Send { name, .. }
                if name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("cookie"))
        });
    }
    spec.url = next;
    spec
}
