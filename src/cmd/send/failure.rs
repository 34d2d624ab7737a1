//! The one line `send` prints on standard error when an exchange fails, in the chosen
//! language, every byte from outside (host names, the resolver's words, a Location)
//! made visible.

use std::time::Duration;

use crate::client::{CaProblem, ClientError, TlsProblem, UrlProblem};
use crate::cmd::errors::io_text;
use crate::explain::{Label, Lang};
use crate::render::visible;

/// `10 s`, `500 ms`.
pub fn duration(d: Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{} ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

fn url_problem(why: UrlProblem) -> Label {
    match why {
        UrlProblem::Scheme => Label::UrlScheme,
        UrlProblem::Spaces => Label::UrlSpaces,
        UrlProblem::UserInfo => Label::UrlUserInfo,
        UrlProblem::Port => Label::UrlPort,
        UrlProblem::NoHost => Label::UrlNoHost,
        UrlProblem::NotAuthority => Label::UrlNotAuthority,
    }
}

/// Why a handshake failed, in words.
fn tls_problem(why: &TlsProblem, lang: Lang) -> String {
    match why {
        TlsProblem::UnknownIssuer => Label::TlsUnknownIssuer.text(lang).into(),
        TlsProblem::NameMismatch => Label::TlsNameMismatch.text(lang).into(),
        TlsProblem::Expired => Label::TlsExpired.text(lang).into(),
        TlsProblem::NotYetValid => Label::TlsNotYetValid.text(lang).into(),
        TlsProblem::BadCertificate(what) => Label::TlsBadCertificate.fill(lang, &[what]),
        TlsProblem::Alert(what) => Label::TlsAlert.fill(lang, &[what]),
        TlsProblem::NotTls => Label::TlsNotTls.text(lang).into(),
        TlsProblem::Closed => Label::TlsClosed.text(lang).into(),
        TlsProblem::TimedOut(after) => Label::TlsTimedOut.fill(lang, &[&duration(*after)]),
        TlsProblem::Other(what) => what.clone(),
    }
}

/// A client error as one line (without the `httpdump: ` prefix).
pub fn client_error(err: &ClientError, lang: Lang) -> String {
    let text = match err {
        ClientError::BadUrl { url, why } => {
            Label::SendBadUrl.fill(lang, &[url, url_problem(*why).text(lang)])
        }
        ClientError::Resolve { host, why } => Label::SendResolve.fill(lang, &[host, why]),
        ClientError::ResolveTimeout { host, after } => {
            Label::SendResolveTimeout.fill(lang, &[host, &duration(*after)])
        }
        ClientError::Refused { addr } => Label::SendRefused.fill(lang, &[addr]),
        ClientError::ConnectTimeout { addr, after } => {
            Label::SendConnectTimeout.fill(lang, &[addr, &duration(*after)])
        }
        ClientError::Connect { addr, why } => {
            Label::SendConnect.fill(lang, &[addr, &io_text(why, lang)])
        }
        ClientError::Tls { host, why } => {
            Label::SendTlsFailed.fill(lang, &[host, &tls_problem(why, lang)])
        }
        ClientError::CaCert { path, why } => {
            let why = match why {
                CaProblem::NoCertificate => Label::CaNoCertificate.text(lang).to_string(),
                CaProblem::Unreadable(what) => Label::CaUnreadable.fill(lang, &[what]),
            };
            Label::SendCaCert.fill(lang, &[path, &why])
        }
        ClientError::Write {
            after: Some(after), ..
        } => Label::SendWriteTimeout.fill(lang, &[&duration(*after)]),
        ClientError::Write { why, after: None } => {
            Label::SendWrite.fill(lang, &[&io_text(why, lang)])
        }
    };
    visible(text.as_bytes())
}
