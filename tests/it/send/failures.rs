//! Failures before any response: one clear line on standard error and exit 2.

use super::*;

#[test]
fn connection_refused_is_one_line() {
    let port = closed_port();
    let out = send(&[&format!("http://127.0.0.1:{port}/")]);
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out),
        format!("httpdump: connection refused by 127.0.0.1:{port}: no server is listening on that port\n")
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn an_unresolvable_name_is_one_line() {
    let out = send(&["--timeout", "5", "http://nope.invalid/"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(
        err.starts_with("httpdump: could not resolve host nope.invalid: "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn bad_urls_and_arguments_say_what_is_wrong() {
    for (args, want) in [
        (
            &["ftp://example.com/"][..],
            "httpdump: bad URL ftp://example.com/: only http:// and https:// URLs can be sent (HTTP/2 and other protocols are out of scope)\n",
        ),
        (
            &["http://example.com:99999/"][..],
            "httpdump: bad URL http://example.com:99999/: the port is not a number from 1 to 65535\n",
        ),
        (
            &["-H", "no colon", "http://127.0.0.1:1/"][..],
            "httpdump: --header \"no colon\": expected 'Name: value'\n",
        ),
        (
            &["-X", "GE T", "http://127.0.0.1:1/"][..],
            "httpdump: -X \"GE T\": a method is a token: letters, digits and !#$%&'*+-.^_`|~ only, no spaces\n",
        ),
        (
            &["--raw", "/nonexistent/req.http", "--to", "127.0.0.1:1"][..],
            "httpdump: --raw /nonexistent/req.http: no such file or directory\n",
        ),
    ] {
        let out = send(args);
        assert_code(&out, 2);
        assert_eq!(stderr(&out), want, "{args:?}");
    }
}

#[test]
fn the_chinese_failure_line() {
    let port = closed_port();
    let out = send(&["--lang", "zh", &format!("http://127.0.0.1:{port}/")]);
    assert_code(&out, 2);
    assert_eq!(
        stderr(&out),
        format!("httpdump: 127.0.0.1:{port} 拒绝连接:那个端口上没有服务器在监听\n")
    );
}
