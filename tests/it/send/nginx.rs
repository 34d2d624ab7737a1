//! `send` against nginx: plain HTTP (a file, 404, HEAD, chunked, a redirect) and HTTPS
//! with a certificate the test makes with the openssl CLI.

use super::*;

/// nginx serving a page, a redirect and a gzipped text, plain and over TLS.
struct Nginx {
    running: crate::nginx::Nginx,
    port: u16,
    tls_port: u16,
    /// Serves a certificate that expired in 2020.
    expired_port: u16,
}

fn openssl(dir: &std::path::Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("running openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA, and a certificate for the name localhost (not for 127.0.0.1) signed by it.
fn make_certificates(dir: &std::path::Path) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=httpdump test CA",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ],
    );
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
    );
    // The same name, by the same CA, valid for one day in 2020 only. `openssl x509` cannot
    // date a certificate in the past; `openssl ca` can, with its small database.
    std::fs::write(dir.join("index.txt"), "").unwrap();
    std::fs::write(dir.join("serial"), "01\n").unwrap();
    std::fs::write(
        dir.join("ca.cnf"),
        "[ca]\ndefault_ca = own\n[own]\ndatabase = index.txt\nserial = serial\n\
         new_certs_dir = .\ndefault_md = sha256\npolicy = any\n[any]\ncommonName = supplied\n\
         [ext]\nsubjectAltName = DNS:localhost\nbasicConstraints = CA:FALSE\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "ca",
            "-batch",
            "-config",
            "ca.cnf",
            "-cert",
            "ca.pem",
            "-keyfile",
            "ca.key",
            "-in",
            "server.csr",
            "-out",
            "expired.pem",
            "-startdate",
            "20200101000000Z",
            "-enddate",
            "20200102000000Z",
            "-extensions",
            "ext",
        ],
    );
}

impl Nginx {
    fn start() -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        make_certificates(d);
        std::fs::create_dir_all(d.join("html")).unwrap();
        std::fs::write(d.join("html/index.html"), "<h1>lesson</h1>\n").unwrap();
        std::fs::write(d.join("html/new.txt"), "moved here\n").unwrap();
        std::fs::write(d.join("html/big.txt"), "chunk me ".repeat(500)).unwrap();
        let (port, tls_port, expired_port) = (closed_port(), closed_port(), closed_port());
        let p = d.display();
        let http = format!(
            "  default_type text/plain;\n\
               gzip on;\n  gzip_min_length 1;\n  gzip_types text/plain;\n\
               server {{\n    listen 127.0.0.1:{port};\n    root {p}/html;\n\
                 location = /old {{ return 301 /new.txt; }}\n  }}\n\
               server {{\n    listen 127.0.0.1:{tls_port} ssl;\n    root {p}/html;\n\
                 ssl_certificate {p}/server.pem;\n    ssl_certificate_key {p}/server.key;\n  }}\n\
               server {{\n    listen 127.0.0.1:{expired_port} ssl;\n    root {p}/html;\n\
                 ssl_certificate {p}/expired.pem;\n    ssl_certificate_key {p}/server.key;\n  }}\n"
        );
        Nginx {
            running: crate::nginx::Nginx::start(dir, &http, &[port, tls_port, expired_port]),
            port,
            tls_port,
            expired_port,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn https(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.tls_port)
    }

    fn ca(&self) -> String {
        self.running.dir().join("ca.pem").display().to_string()
    }
}

#[test]
fn nginx_over_plain_http_and_tls() {
    let nginx = Nginx::start();

    let out = send(&[&nginx.url("/")]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("Response 1: 200 OK"), "{text}");
    assert!(text.contains("Server") && text.contains("nginx"), "{text}");
    assert!(text.contains("<h1>lesson</h1>"), "{text}");
    assert!(text.contains("(content-length)"), "{text}");

    let out = send(&[&nginx.url("/missing")]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("Response 1: 404 Not Found"));

    let out = send(&["-X", "HEAD", &nginx.url("/")]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("Response 1: 200 OK"), "{text}");
    assert!(text.contains("body 0 B (none)"), "{text}");

    let out = send(&["-H", "Accept-Encoding: gzip", &nginx.url("/big.txt")]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("Transfer-Encoding") && text.contains("chunked"),
        "{text}"
    );
    assert!(text.contains("+ last chunk"), "{text}");

    let out = send(&["-L", &nginx.url("/old")]);
    assert_code(&out, 0);
    let text = stdout(&out);
    let titles: Vec<&str> = titles(&text)
        .iter()
        .map(|t| t.split(" · ").next().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Request 1: GET /old HTTP/1.1",
            "Response 1: 301 Moved Permanently",
            "Request 2: GET /new.txt HTTP/1.1",
            "Response 2: 200 OK",
        ]
    );
    assert!(text.contains("moved here"), "{text}");

    let out = send(&["--cacert", &nginx.ca(), &nginx.https("/")]);
    assert_code(&out, 0);
    let text = stdout(&out);
    let title = titles_of(&text, "Response 1:");
    assert!(title.contains("over TLSv1."), "{title}");
    assert!(
        title.contains("ALPN http/1.1 · certificate CN=localhost"),
        "{title}"
    );
    assert!(text.contains("<h1>lesson</h1>"), "{text}");
    assert!(text.contains("TLS handshake "), "{text}");

    let out = send(&[&nginx.https("/")]);
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out),
        format!(
            "httpdump: TLS handshake with localhost failed: the certificate is not signed by a trusted authority (self-signed, or a private CA): give the CA with --cacert FILE, or skip the check with -k/--insecure\n"
        )
    );
    assert!(out.stdout.is_empty());

    let out = send(&["-k", &nginx.https("/")]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("certificate CN=localhost (not checked: --insecure)"));

    // The certificate names localhost, not the address 127.0.0.1.
    let url = format!("https://127.0.0.1:{}/", nginx.tls_port);
    let out = send(&["--cacert", &nginx.ca(), &url]);
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out),
        "httpdump: TLS handshake with 127.0.0.1 failed: the certificate is not valid for this host name\n"
    );

    // Signed by the trusted CA, for the right name, but out of date.
    let url = format!("https://localhost:{}/", nginx.expired_port);
    let out = send(&["--cacert", &nginx.ca(), &url]);
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out),
        "httpdump: TLS handshake with localhost failed: the certificate has expired\n"
    );
    assert!(out.stdout.is_empty());
}

fn titles_of<'a>(text: &'a str, start: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no {start} in {text}"))
}
