//! The URLs `send` accepts: `http://` or `https://`, a host (a name, an IPv4 address or
//! a bracketed IPv6 one), an optional port, and the path with its query. A `Location`
//! from a redirect is resolved against the URL it came from (RFC 3986 section 5).

use super::{ClientError, UrlProblem};

/// A URL split into what a client needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    /// `https://`: the bytes go over TLS.
    pub tls: bool,
    /// The host as written, without brackets for IPv6.
    pub host: String,
    pub port: u16,
    /// The request target: path and query, `/` when the URL has none. A fragment is
    /// dropped (it never goes to the server).
    pub target: String,
}

impl Url {
    /// Parse `text`; a URL without a scheme is taken as `http://`, as curl does.
    pub fn parse(text: &str) -> Result<Url, ClientError> {
        let bad = |why: UrlProblem| ClientError::BadUrl {
            url: text.to_string(),
            why,
        };
        if text.bytes().any(|b| b.is_ascii_control() || b == b' ') {
            return Err(bad(UrlProblem::Spaces));
        }
        let (tls, rest) = match text.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => (false, rest),
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") => (true, rest),
            Some(_) => return Err(bad(UrlProblem::Scheme)),
            None => (false, text),
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        if authority.contains('@') {
            return Err(bad(UrlProblem::UserInfo));
        }
        let (host, port) = split_host_port(authority).ok_or_else(|| bad(UrlProblem::Port))?;
        if host.is_empty() {
            return Err(bad(UrlProblem::NoHost));
        }
        let port = port.unwrap_or(if tls { 443 } else { 80 });
        Ok(Url {
            tls,
            host: host.to_string(),
            port,
            target: target_of(tail),
        })
    }

    /// `host:port` as given to `--to` (plain HTTP).
    pub fn authority(text: &str) -> Result<Url, ClientError> {
        let bad = |why: UrlProblem| ClientError::BadUrl {
            url: text.to_string(),
            why,
        };
        match split_host_port(text) {
            Some((host, Some(port))) if !host.is_empty() => Ok(Url {
                tls: false,
                host: host.to_string(),
                port,
                target: "/".into(),
            }),
            _ => Err(bad(UrlProblem::NotAuthority)),
        }
    }

    /// The `Host` header's value: the port only when it is not the scheme's default.
    pub fn host_header(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let default = if self.tls { 443 } else { 80 };
        if self.port == default {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }

    /// The whole URL again, e.g. for a redirect's note.
    pub fn to_text(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://{}{}", self.host_header(), self.target)
    }

    /// Where a `Location` value points, seen from this URL.
    pub fn join(&self, location: &str) -> Result<Url, ClientError> {
        let location = location.trim();
        let lower = location.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return Url::parse(location);
        }
        if let Some(rest) = location.strip_prefix("//") {
            let scheme = if self.tls { "https" } else { "http" };
            return Url::parse(&format!("{scheme}://{rest}"));
        }
        if location.contains("://") {
            return Url::parse(location);
        }
        let mut next = self.clone();
        next.target = if location.starts_with('/') {
            target_of(location)
        } else if location.starts_with('?') {
            let path = self.target.split('?').next().unwrap_or("/");
            target_of(&format!("{path}{location}"))
        } else if location.is_empty() || location.starts_with('#') {
            self.target.clone()
        } else {
            let path = self.target.split('?').next().unwrap_or("/");
            let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
            target_of(&format!("{dir}{location}"))
        };
        next.target = remove_dot_segments(&next.target);
        Ok(next)
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`; `None` when the port is not a number.
fn split_host_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':')?)),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) if !host.contains(':') => (host, Some(port)),
            Some(_) => return None,
            None => (authority, None),
        }
    };
    let port = match port {
        None | Some("") => None,
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.bytes().all(|b| b.is_ascii_digit()) => Some(n),
            _ => return None,
        },
    };
    Some((host, port))
}

/// The path and query of what follows the authority, `/` when empty, without a fragment.
fn target_of(tail: &str) -> String {
    let tail = tail.split('#').next().unwrap_or("");
    if tail.is_empty() {
        "/".into()
    } else if tail.starts_with('?') {
        format!("/{tail}")
    } else {
        tail.to_string()
    }
}

/// `/a/b/../c` -> `/a/c` (RFC 3986 section 5.2.4), the query left alone.
fn remove_dot_segments(target: &str) -> String {
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let mut text = format!("/{}", out.join("/"));
    if let Some(q) = query {
        text.push('?');
        text.push_str(q);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_host_port_and_target() {
        let u = Url::parse("http://example.com:8080/a?b=1#frag").unwrap();
        assert_eq!(
            (u.tls, u.host.as_str(), u.port),
            (false, "example.com", 8080)
        );
        assert_eq!(u.target, "/a?b=1");
        let u = Url::parse("https://[::1]/").unwrap();
        assert_eq!((u.host.as_str(), u.port), ("::1", 443));
        assert_eq!(u.host_header(), "[::1]");
        assert_eq!(
            Url::parse("juejin.cn").unwrap().to_text(),
            "http://juejin.cn/"
        );
        assert!(Url::parse("ftp://x/").is_err());
        assert!(Url::parse("http://x:99999/").is_err());
        assert!(Url::parse("http:///").is_err());
    }

    #[test]
    fn locations_resolve_against_the_url() {
        let base = Url::parse("http://h:81/a/b?q").unwrap();
        assert_eq!(base.join("/x").unwrap().to_text(), "http://h:81/x");
        assert_eq!(base.join("c").unwrap().to_text(), "http://h:81/a/c");
        assert_eq!(base.join("../c").unwrap().to_text(), "http://h:81/c");
        assert_eq!(base.join("?z").unwrap().to_text(), "http://h:81/a/b?z");
        assert_eq!(base.join("//o/p").unwrap().to_text(), "http://o/p");
        assert_eq!(base.join("https://o/").unwrap().to_text(), "https://o/");
    }
}
