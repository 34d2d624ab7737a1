//! `parse` on bytes of another protocol: a TLS record or the HTTP/2 preface is named in
//! one line on stderr, with exit code 1, whichever way it comes in.

use std::io::Write;

use crate::parse_cli::httpdump;

/// A TLS 1.2 record holding the start of a ClientHello, as `curl https://` sends it.
fn client_hello() -> Vec<u8> {
    let mut body = vec![1, 0, 0, 0x2c, 3, 3];
    body.extend([0x5a; 32]);
    body.extend([0, 0, 2, 0x13, 1, 1, 0]);
    let mut record = vec![0x16, 3, 1, 0, body.len() as u8];
    record.extend(body);
    record
}

fn file_with(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(bytes).unwrap();
    file
}

#[test]
fn a_tls_record_is_named_in_one_line() {
    let file = file_with(&client_hello());
    let path = file.path().to_str().unwrap();
    let out = httpdump().args(["parse", path]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "httpdump: {path}: this is TLS (encrypted), not plain HTTP: the client used \
             https://, but httpdump speaks plain HTTP; use http://\n"
        )
    );
    let out = httpdump()
        .args(["parse", "--lang", "zh", "-"])
        .write_stdin(client_hello())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).starts_with("httpdump: -: 这是 TLS(加密数据)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_http2_preface_is_named_in_one_line() {
    let out = httpdump()
        .args(["parse", "-"])
        .write_stdin(&b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"[..])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "httpdump: -: this is the HTTP/2 connection preface (PRI * HTTP/2.0): httpdump \
         speaks HTTP/1.x only; send HTTP/1.1 (curl: without --http2-prior-knowledge)\n"
    );
}

#[test]
fn read_as_raw_the_records_are_one_error_without_a_table() {
    let mut input = client_hello();
    input.extend(client_hello());
    let out = httpdump()
        .args([
            "parse", "--input", "raw", "--color", "never", "--width", "200", "-",
        ])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Message 1: could not be read\nerror: line 0, byte 0: this is TLS (encrypted), not \
         plain HTTP: the client used https://, but httpdump speaks plain HTTP; use http://\n\n"
    );
}
