//! Checks of single argument values (a status code, a bind address, a duration) that say
//! what is wrong in both languages.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// A value refused by one of the parsers below, in both languages: clap shows the English
/// (its `Display`), and the Chinese usage errors (cmd/usage.rs) find the Chinese through
/// the error's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadValue {
    pub en: String,
    pub zh: String,
}

impl std::fmt::Display for BadValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for BadValue {}

/// A status code: three digits, 100 to 999 (RFC 9110 section 15).
pub(super) fn parse_status(text: &str) -> Result<u16, BadValue> {
    match text.trim().parse::<u16>() {
        Ok(code) if (100..=999).contains(&code) => Ok(code),
        _ => Err(BadValue {
            en: "a status code has three digits, 100 to 999 (e.g. 200, 404)".into(),
            zh: "状态码是三位数字,从 100 到 999(例如 200、404)".into(),
        }),
    }
}

/// An IP address, or a host name looked up now. Of the addresses a name has, a loopback
/// one is taken first (IPv4 before IPv6, as `localhost` in the hints is `127.0.0.1`), so
/// `--bind localhost` never opens the server to the network.
pub(super) fn parse_bind(text: &str) -> Result<IpAddr, BadValue> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok(ip);
    }
    let failed = |why: String| BadValue {
        en: format!("not an IP address, and the host name could not be looked up: {why}"),
        zh: format!("不是 IP 地址,也无法解析这个主机名:{why}"),
    };
    let addrs: Vec<IpAddr> = std::net::ToSocketAddrs::to_socket_addrs(&(text, 0))
        .map_err(|e| failed(e.to_string()))?
        .map(|a| a.ip())
        .collect();
    let loopback_v4 = addrs.iter().find(|ip| ip.is_loopback() && ip.is_ipv4());
    loopback_v4
        .or_else(|| addrs.iter().find(|ip| ip.is_loopback()))
        .or_else(|| addrs.first())
        .copied()
        .ok_or_else(|| failed("no address".into()))
}

/// `--live`: a port (on 127.0.0.1), or an address (or host name) and a port:
/// `8081`, `0.0.0.0:8081`, `[::1]:8081`, `localhost:8081`.
pub(super) fn parse_live(text: &str) -> Result<SocketAddr, BadValue> {
    if let Ok(port) = text.parse::<u16>() {
        return Ok(SocketAddr::new([127, 0, 0, 1].into(), port));
    }
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let Some((host, port)) = text.rsplit_once(':') else {
        return Err(BadValue {
            en: "expected a port (8081) or an address and a port (0.0.0.0:8081)".into(),
            zh: "应为端口(8081)或地址加端口(0.0.0.0:8081)".into(),
        });
    };
    let port = port.parse::<u16>().map_err(|_| BadValue {
        en: format!("{port:?} is not a port number (0 to 65535)"),
        zh: format!("{port:?} 不是端口号(0 到 65535)"),
    })?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    Ok(SocketAddr::new(parse_bind(host)?, port))
}

/// `10`, `2.5` (seconds), `500ms`, `3s`.
pub(super) fn parse_duration(text: &str) -> Result<Duration, String> {
    let (number, scale) = if let Some(ms) = text.strip_suffix("ms") {
        (ms, 0.001)
    } else {
        (text.strip_suffix('s').unwrap_or(text), 1.0)
    };
    match number.trim().parse::<f64>() {
        Ok(n) if n > 0.0 && n.is_finite() => Ok(Duration::from_secs_f64(n * scale)),
        _ => Err(format!(
            "{text:?} is not a duration such as 10, 2.5 or 500ms"
        )),
    }
}
