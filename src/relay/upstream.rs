//! The upstream side: where a request goes (the `--to` server, or the host an absolute
//! target or CONNECT names), and opening that connection, the name looked up and the
//! TCP (and, for `https://`, TLS) handshake each within the timeout. A failure is one
//! line of words, for the 502 body and the table.

use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::ServerName;
use rustls::ClientConfig;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::client::tls;
use crate::explain::{Label, Lang};

/// A socket in the clear or through TLS, read and written alike.
pub(super) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// Where to connect: one upstream connection is reused while requests go to the same.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub tls: bool,
}

impl Target {
    /// `host:port`, IPv6 in brackets, as a Host header or CONNECT names it.
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// An open upstream connection.
pub(super) struct Upstream {
    pub(super) io: Box<dyn Io>,
    pub(super) target: Target,
    /// The relay-wide number of this upstream connection, from 1.
    pub(super) number: u64,
    /// The address connected to, e.g. `127.0.0.1:3000`.
    pub(super) peer: String,
}

/// What opening an upstream connection failed with: a 504 for a timeout, else a 502.
pub(super) struct Failed {
    pub(super) timed_out: bool,
    pub(super) why: String,
}

/// Open a connection to `target`, each step within `timeout`.
pub(super) async fn connect(
    target: &Target,
    tls_config: Option<&Arc<ClientConfig>>,
    timeout: Duration,
    number: u64,
    lang: Lang,
) -> Result<Upstream, Failed> {
    let authority = target.authority();
    let fail = |timed_out, why: String| Failed { timed_out, why };
    let addrs = match tokio::time::timeout(
        timeout,
        tokio::net::lookup_host((target.host.as_str(), target.port)),
    )
    .await
    {
        Err(_) => {
            let after = format!("{:?}", timeout);
            return Err(fail(
                true,
                Label::RelaySilent.fill(lang, &[&authority, &after]),
            ));
        }
        Ok(Err(e)) => {
            let why = Label::RelayUnresolved.fill(lang, &[&target.host, &e.to_string()]);
            return Err(fail(false, why));
        }
        Ok(Ok(addrs)) => addrs.collect::<Vec<_>>(),
    };
    let mut last = Label::RelayUnresolved.fill(lang, &[&target.host, "no address"]);
    let mut timed_out = false;
    for addr in addrs {
        match tokio::time::timeout(timeout, TcpStream::connect(addr)).await {
            Ok(Ok(tcp)) => {
                let _ = tcp.set_nodelay(true);
                let peer = addr.to_string();
                let io: Box<dyn Io> = if target.tls {
                    handshake(tcp, target, tls_config, timeout, lang)
                        .await
                        .map_err(|why| fail(false, why))?
                } else {
                    Box::new(tcp)
                };
                return Ok(Upstream {
                    io,
                    target: target.clone(),
                    number,
                    peer,
                });
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                timed_out = false;
                last = Label::RelayRefused.fill(lang, &[&addr.to_string()]);
            }
            Ok(Err(e)) => {
                timed_out = false;
                last = Label::RelayConnectFailed.fill(lang, &[&addr.to_string(), &e.to_string()]);
            }
            Err(_) => {
                timed_out = true;
                let after = format!("{timeout:?}");
                last = Label::RelaySilent.fill(lang, &[&addr.to_string(), &after]);
            }
        }
    }
    Err(fail(timed_out, last))
}

async fn handshake(
    tcp: TcpStream,
    target: &Target,
    config: Option<&Arc<ClientConfig>>,
    timeout: Duration,
    lang: Lang,
) -> Result<Box<dyn Io>, String> {
    let failed = |why: String| Label::RelayTlsFailed.fill(lang, &[&target.authority(), &why]);
    let config = config.ok_or_else(|| failed("no TLS configuration".into()))?;
    let name = ServerName::try_from(target.host.clone())
        .map_err(|_| failed("not a valid server name".into()))?;
    let connector = TlsConnector::from(config.clone());
    match tokio::time::timeout(timeout, connector.connect(name, tcp)).await {
        Ok(Ok(stream)) => Ok(Box::new(stream)),
        Ok(Err(e)) => Err(failed(format!("{:?}", tls::problem(&e)))),
        Err(_) => Err(failed(format!("no answer within {timeout:?}"))),
    }
}
