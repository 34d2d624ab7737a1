//! TLS for `https://` with rustls (ring): the root certificates (the system's, or
//! `--cacert`'s), `--insecure`, ALPN offering only `http/1.1`, what the handshake settled
//! (version, cipher, ALPN, the certificate's subject), and why a handshake failed, in
//! words a student can act on.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct};
use rustls::{Error as TlsError, RootCertStore, SignatureScheme};

use super::{CaProblem, ClientError, TlsProblem};
use crate::model::TlsFacts;

/// Where trusted root certificates come from.
#[derive(Clone, Debug)]
pub enum Trust {
    /// The operating system's store.
    System,
    /// Only the certificates in this PEM file's bytes (`--cacert`, as curl's).
    File { name: String, pem: Vec<u8> },
    /// No check at all (`--insecure`).
    Nothing,
}

/// The client configuration for `trust`.
pub fn config(trust: &Trust) -> Result<Arc<ClientConfig>, ClientError> {
    // ring, not aws-lc-rs (which needs cmake to build); without post-quantum key
    // exchange, which a lesson about HTTP/1.1 does not miss.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| ClientError::Tls {
            host: String::new(),
            why: TlsProblem::Other(e.to_string()),
        })?;
    let mut config = match trust {
        Trust::Nothing => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoCheck(provider)))
            .with_no_client_auth(),
        Trust::System => {
            let mut roots = RootCertStore::empty();
            let found = rustls_native_certs::load_native_certs();
            roots.add_parsable_certificates(found.certs);
            builder.with_root_certificates(roots).with_no_client_auth()
        }
        Trust::File { name, pem } => {
            let bad = |why| ClientError::CaCert {
                path: name.clone(),
                why,
            };
            let mut roots = RootCertStore::empty();
            for cert in CertificateDer::pem_slice_iter(pem) {
                let cert = cert.map_err(|e| bad(CaProblem::Unreadable(e.to_string())))?;
                roots
                    .add(cert)
                    .map_err(|e| bad(CaProblem::Unreadable(e.to_string())))?;
            }
            if roots.is_empty() {
                return Err(bad(CaProblem::NoCertificate));
            }
            builder.with_root_certificates(roots).with_no_client_auth()
        }
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// A connection to `host` (its name is sent as SNI and checked against the certificate).
pub fn connection(config: Arc<ClientConfig>, host: &str) -> Result<ClientConnection, ClientError> {
    let name = ServerName::try_from(host.to_string()).map_err(|_| ClientError::Tls {
        host: host.to_string(),
        why: TlsProblem::Other("not a valid server name".into()),
    })?;
    ClientConnection::new(config, name).map_err(|e| ClientError::Tls {
        host: host.to_string(),
        why: TlsProblem::Other(e.to_string()),
    })
}

/// What the finished handshake settled.
pub fn facts(conn: &ClientConnection, unverified: bool) -> TlsFacts {
    let version = conn.protocol_version().map_or(String::new(), |v| {
        let text = format!("{v:?}");
        // `TLSv1_3` -> `TLSv1.3`
        text.replace('_', ".")
    });
    let cipher = conn
        .negotiated_cipher_suite()
        .map_or(String::new(), |s| format!("{:?}", s.suite()));
    let alpn = conn
        .alpn_protocol()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let subject = conn
        .peer_certificates()
        .and_then(|certs| certs.first())
        .and_then(|cert| subject_of(cert.as_ref()));
    TlsFacts {
        version,
        cipher,
        alpn,
        subject,
        unverified,
    }
}

/// Why a handshake failed, from the error rustls gave (inside an I/O error).
pub fn problem(err: &std::io::Error) -> TlsProblem {
    use std::io::ErrorKind as K;
    if let Some(tls) = err.get_ref().and_then(|e| e.downcast_ref::<TlsError>()) {
        return match tls {
            TlsError::InvalidCertificate(cert) => match cert {
                CertificateError::UnknownIssuer => TlsProblem::UnknownIssuer,
                CertificateError::NotValidForName
                | CertificateError::NotValidForNameContext { .. } => TlsProblem::NameMismatch,
                CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                    TlsProblem::Expired
                }
                CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                    TlsProblem::NotYetValid
                }
                other => TlsProblem::BadCertificate(format!("{other:?}")),
            },
            TlsError::AlertReceived(alert) => TlsProblem::Alert(format!("{alert:?}")),
            TlsError::InvalidMessage(_) | TlsError::InappropriateMessage { .. } => {
                TlsProblem::NotTls
            }
            other => TlsProblem::Other(other.to_string()),
        };
    }
    match err.kind() {
        K::UnexpectedEof | K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe => {
            TlsProblem::Closed
        }
        _ => TlsProblem::Other(err.to_string()),
    }
}

/// Accepts any certificate (`--insecure`); handshake signatures are still checked, so
/// the connection is encrypted, only not to a checked name.
#[derive(Debug)]
struct NoCheck(Arc<CryptoProvider>);

impl ServerCertVerifier for NoCheck {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, TlsError> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// One DER element: its tag, its contents and what follows it.
fn element(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |len, &b| (len << 8) | usize::from(b));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The subject of a certificate, e.g. `CN=localhost, O=Lesson`: the attributes people
/// know by name, in the certificate's order. `None` if the DER does not read.
pub fn subject_of(der: &[u8]) -> Option<String> {
    const SEQUENCE: u8 = 0x30;
    let (_, cert, _) = element(der).filter(|e| e.0 == SEQUENCE)?;
    let (_, tbs, _) = element(cert).filter(|e| e.0 == SEQUENCE)?;
    let mut rest = tbs;
    // [0] version (optional), serial, signature algorithm, issuer, validity, subject.
    if rest.first() == Some(&0xa0) {
        rest = element(rest)?.2;
    }
    for _ in 0..4 {
        rest = element(rest)?.2;
    }
    let (_, mut names, _) = element(rest).filter(|e| e.0 == SEQUENCE)?;
    let mut parts = Vec::new();
    while !names.is_empty() {
        let (_, set, next) = element(names)?;
        names = next;
        let (_, pair, _) = element(set)?;
        let (_, oid, value) = element(pair)?;
        let (_, text, _) = element(value)?;
        let key = match oid {
            [0x55, 0x04, 0x03] => "CN",
            [0x55, 0x04, 0x06] => "C",
            [0x55, 0x04, 0x07] => "L",
            [0x55, 0x04, 0x08] => "ST",
            [0x55, 0x04, 0x0a] => "O",
            [0x55, 0x04, 0x0b] => "OU",
            _ => continue,
        };
        parts.push(format!("{key}={}", String::from_utf8_lossy(text)));
    }
    Some(parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_lengths_that_overrun_are_refused() {
        assert_eq!(element(&[0x30, 0x05, 1, 2]), None);
        assert_eq!(element(&[0x30, 0x85, 1, 1, 1, 1, 1]), None);
        assert_eq!(
            element(&[0x30, 0x81, 0x01, 7]),
            Some((0x30, &[7][..], &[][..]))
        );
        assert_eq!(subject_of(&[0x30, 0x00]), None);
    }
}
