//! Opening a connection: the name looked up (on a thread, waited for no longer than the
//! timeout), each address tried with a connect timeout, read and write timeouts set,
//! and for `https://` the TLS handshake. Each step is timed for the timing line.

use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::{ClientConfig, ClientConnection, StreamOwned};

use super::url::Url;
use super::{is_timeout, tls, ClientError, TlsProblem};
use crate::model::{Connection, TlsFacts};

/// The bytes of a connection, in the clear or through TLS.
pub enum Stream {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
}

impl Stream {
    fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(tcp) => tcp,
            Stream::Tls(tls) => &tls.sock,
        }
    }

    /// How long a read may wait for a byte (the 100-continue wait is shorter).
    pub fn set_read_timeout(&self, timeout: Duration) -> io::Result<()> {
        self.tcp().set_read_timeout(Some(timeout))
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(tcp) => tcp.read(buf),
            // Many servers close without TLS's close_notify; the bytes before it stand.
            Stream::Tls(tls) => match tls.read(buf) {
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(0),
                other => other,
            },
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(tcp) => tcp.write(buf),
            Stream::Tls(tls) => tls.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(tcp) => tcp.flush(),
            Stream::Tls(tls) => tls.flush(),
        }
    }
}

/// An open connection and what opening it took.
pub struct Connected {
    pub stream: Stream,
    pub facts: Connection,
    pub resolve: Duration,
    pub connect: Duration,
    pub tls: Option<Duration>,
}

/// How to connect.
pub struct Settings {
    /// For each step: the lookup, the TCP connect, each read and write.
    pub timeout: Duration,
    /// For `https://` URLs.
    pub tls: Option<(Arc<ClientConfig>, bool)>,
}

/// Connect to `url`'s host and port (connection `number`).
pub fn connect(url: &Url, settings: &Settings, number: usize) -> Result<Connected, ClientError> {
    let started = Instant::now();
    let addrs = resolve(&url.host, url.port, settings.timeout)?;
    let resolve = started.elapsed();
    let connecting = Instant::now();
    let tcp = connect_any(&addrs, settings.timeout)?;
    let connect = connecting.elapsed();
    let peer = tcp
        .peer_addr()
        .map_or_else(|_| addrs[0].to_string(), |a| a.to_string());
    let set = |tcp: &TcpStream| -> io::Result<()> {
        tcp.set_read_timeout(Some(settings.timeout))?;
        tcp.set_write_timeout(Some(settings.timeout))?;
        tcp.set_nodelay(true)
    };
    set(&tcp).map_err(|why| ClientError::Connect {
        addr: peer.clone(),
        why,
    })?;
    let mut facts = Connection {
        number,
        host: url.host.clone(),
        peer,
        tls: None,
    };
    if !url.tls {
        return Ok(Connected {
            stream: Stream::Plain(tcp),
            facts,
            resolve,
            connect,
            tls: None,
        });
    }
    let (config, unverified) = settings.tls.clone().ok_or_else(|| ClientError::Tls {
        host: url.host.clone(),
        why: TlsProblem::Other("no TLS configuration".into()),
    })?;
    let shaking = Instant::now();
    let (stream, tls_facts) = handshake(tcp, config, &url.host, unverified, settings.timeout)?;
    facts.tls = Some(tls_facts);
    Ok(Connected {
        stream,
        facts,
        resolve,
        connect,
        tls: Some(shaking.elapsed()),
    })
}

fn handshake(
    mut tcp: TcpStream,
    config: Arc<ClientConfig>,
    host: &str,
    unverified: bool,
    timeout: Duration,
) -> Result<(Stream, TlsFacts), ClientError> {
    let mut conn = tls::connection(config, host)?;
    while conn.is_handshaking() {
        if let Err(e) = conn.complete_io(&mut tcp) {
            let why = if is_timeout(&e) {
                TlsProblem::TimedOut(timeout)
            } else {
                tls::problem(&e)
            };
            return Err(ClientError::Tls {
                host: host.to_string(),
                why,
            });
        }
    }
    let facts = tls::facts(&conn, unverified);
    Ok((Stream::Tls(Box::new(StreamOwned::new(conn, tcp))), facts))
}

/// The addresses of `host`: an IP address as it is, a name looked up on a thread that is
/// waited for at most `timeout` (the system resolver has no timeout of its own to set).
fn resolve(host: &str, port: u16, timeout: Duration) -> Result<Vec<SocketAddr>, ClientError> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let (tx, rx) = mpsc::channel();
    let name = host.to_string();
    std::thread::spawn(move || {
        let _ = tx.send((name.as_str(), port).to_socket_addrs().map(Vec::from_iter));
    });
    let failed = |why: String| ClientError::Resolve {
        host: host.to_string(),
        why,
    };
    match rx.recv_timeout(timeout) {
        Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
        Ok(Ok(_)) => Err(failed("no address".into())),
        Ok(Err(e)) => Err(failed(e.to_string())),
        Err(_) => Err(ClientError::ResolveTimeout {
            host: host.to_string(),
            after: timeout,
        }),
    }
}

/// The first address that accepts, each tried for at most `timeout`; the last failure
/// is the one reported.
fn connect_any(addrs: &[SocketAddr], timeout: Duration) -> Result<TcpStream, ClientError> {
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect_timeout(addr, timeout) {
            Ok(tcp) => return Ok(tcp),
            Err(e) => last = Some((addr, e)),
        }
    }
    let Some((addr, why)) = last else {
        return Err(ClientError::Resolve {
            host: String::new(),
            why: "no address".into(),
        });
    };
    let addr = addr.to_string();
    Err(match why.kind() {
        io::ErrorKind::ConnectionRefused => ClientError::Refused { addr },
        _ if is_timeout(&why) => ClientError::ConnectTimeout {
            addr,
            after: timeout,
        },
        _ => ClientError::Connect { addr, why },
    })
}
