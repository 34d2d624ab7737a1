//! Errors through the real binary: an empty input said to be empty, curl's own failure
//! shown instead of "no HTTP message", usage errors and I/O errors in Chinese with
//! `--lang zh` (or a Chinese locale), and `--help` saying that it is English.

use std::process::Command;

use crate::parse_cli::httpdump;

/// Exit code and standard error of `httpdump ARGS`, standard output checked empty.
fn failing(args: &[&str]) -> (Option<i32>, String) {
    let out = httpdump().args(args).output().unwrap();
    assert!(out.stdout.is_empty(), "{args:?}");
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn an_empty_input_is_said_to_be_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.http");
    std::fs::write(&path, b"").unwrap();
    let path = path.to_str().unwrap();
    for input in ["auto", "raw", "curl", "httpie"] {
        let (code, err) = failing(&["parse", "--input", input, path]);
        assert_eq!(code, Some(1), "{input}");
        assert_eq!(err, format!("httpdump: {path} is empty: nothing to show\n"));
    }
    let out = httpdump()
        .args(["parse", "-"])
        .write_stdin(Vec::new())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "httpdump: standard input is empty: nothing to show\n"
    );
    let (_, err) = failing(&["--lang", "zh", "parse", path]);
    assert_eq!(err, format!("httpdump: {path} 是空的:没有可显示的内容\n"));
}

#[test]
fn a_saved_curl_that_could_not_connect_shows_curls_failure() {
    let (code, err) = failing(&["parse", "fixtures/curl/connection-refused.txt"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "httpdump: fixtures/curl/connection-refused.txt: curl could not connect: \
         * connect to 127.0.0.1 port 9 failed: Connection refused\n"
    );
    let (_, err) = failing(&[
        "--lang",
        "zh",
        "parse",
        "fixtures/curl/connection-refused.txt",
    ]);
    assert!(
        err.contains("curl 没能连上服务器:* connect to 127.0.0.1 port 9 failed"),
        "{err}"
    );
}

/// A port nothing listens on: bound, read, closed.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// `curl ARGS URL 2>&1 | httpdump parse -`, as a student would type it.
fn curl_piped(curl_args: &[&str], url: &str) -> (Option<i32>, String) {
    let curl = Command::new("curl")
        .args(curl_args)
        .arg(url)
        .output()
        .expect("running curl");
    let mut transcript = curl.stderr;
    transcript.extend_from_slice(&curl.stdout);
    let out = httpdump()
        .args(["parse", "-"])
        .write_stdin(transcript)
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn curl_against_a_server_that_is_down_shows_connection_refused() {
    let url = format!("http://127.0.0.1:{}/", closed_port());
    let (code, err) = curl_piped(&["-sv"], &url);
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with("httpdump: -: curl could not connect: ")
            && err.contains("Connection refused"),
        "{err}"
    );
    // Without -v curl prints only its one error line.
    let (code, err) = curl_piped(&["-sS"], &url);
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with("httpdump: -: curl could not connect: curl: (7) Failed to connect"),
        "{err}"
    );
}

#[test]
fn usage_errors_are_in_chinese_with_lang_zh() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--lang", "zh", "parse", "--bogus", "a"],
            "错误:未知的参数 '--bogus'",
        ),
        (
            &["parse", "--lang=zh", "--formt", "json", "a"],
            "你是不是想用 '--format'?",
        ),
        (
            &["--lang", "zh", "parse", "--format", "xml", "a"],
            "错误:'--format <FORMAT>' 的值 'xml' 无效;可选的值:table、json、raw",
        ),
        (
            &["--lang", "zh", "listen", "0", "--status"],
            "错误:'--status <CODE>' 需要一个值,但没有给出",
        ),
        (&["--lang", "zh", "parse"], "错误:缺少必需的参数:<FILE>..."),
        (&["--lang", "zh", "pars", "a"], "错误:未知的子命令 'pars'"),
        (
            &["--lang", "zh", "--width", "10", "parse", "a"],
            "错误:'--width <WIDTH>' 的值 '10' 无效",
        ),
    ];
    for (args, said) in cases {
        let (code, err) = failing(args);
        assert_eq!(code, Some(2), "{args:?}");
        assert!(err.starts_with("错误:"), "{args:?}: {err}");
        assert!(err.contains(said), "{args:?}: {err}");
        assert!(err.contains("帮助文本只有英文"), "{err}");
    }
}

#[test]
fn usage_errors_follow_the_locale_and_an_explicit_lang_wins() {
    let out = httpdump()
        .env("LANG", "zh_CN.UTF-8")
        .args(["parse", "--bogus", "a"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("错误:未知的参数 '--bogus'"), "{err}");
    let out = httpdump()
        .env("LANG", "zh_CN.UTF-8")
        .args(["--lang", "en", "parse", "--bogus", "a"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error: unexpected argument '--bogus'"),
        "{err}"
    );
    // After `--`, `--lang zh` are file names, not the language.
    let (code, err) = failing(&["parse", "--bogus", "--", "--lang", "zh"]);
    assert_eq!(code, Some(2));
    assert!(
        err.starts_with("error: unexpected argument '--bogus'"),
        "{err}"
    );
}

#[test]
fn io_errors_are_worded_in_both_languages_with_the_path() {
    let (code, err) = failing(&["parse", "/no/such/file.http"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "httpdump: /no/such/file.http: no such file or directory\n"
    );
    let (_, err) = failing(&["--lang", "zh", "parse", "/no/such/file.http"]);
    assert_eq!(err, "httpdump: /no/such/file.http: 没有这个文件或目录\n");
    let (code, err) = failing(&["--lang", "zh", "parse", "src"]);
    assert_eq!(code, Some(2));
    assert_eq!(err, "httpdump: src: 读取时:是目录,不是文件\n");
    let (_, err) = failing(&["parse", "src"]);
    assert_eq!(err, "httpdump: src: reading: is a directory, not a file\n");
}

#[test]
fn help_says_it_is_in_english() {
    let out = httpdump()
        .args(["--lang", "zh", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("This help is in English only"), "{help}");
    assert!(help.contains("帮助文本只有英文"), "{help}");
    assert!(help.contains("httpdump listen 8080"), "{help}");
}

#[test]
fn curls_failure_line_is_escaped_like_any_other_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("refused.txt");
    std::fs::write(
        &path,
        "* connect to evil\u{202e}txt.exe port 9 failed: Connection refused\x1b[2J\n",
    )
    .unwrap();
    let (code, err) = failing(&["parse", path.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(err.contains("curl could not connect: "), "{err}");
    assert!(
        !err.contains('\u{202e}') && !err.contains('\x1b'),
        "{err:?}"
    );
    assert!(err.contains("port 9 failed: Connection refused"), "{err}");
}

/// `--strict` is offered where it does something, and its help says what that is: an
/// exit code for `parse` and `send`, a 502 for `relay`; `listen` has no such flag.
#[test]
fn strict_is_offered_only_where_it_does_something_and_says_what() {
    let help = |command: &str| {
        let out = httpdump().args([command, "--help"]).output().unwrap();
        assert!(out.status.success(), "{command}");
        String::from_utf8(out.stdout).unwrap()
    };
    for command in ["parse", "send"] {
        assert!(
            help(command).contains("Exit with code 1 when a message has lint warnings too"),
            "{command}"
        );
    }
    let relay = help("relay");
    assert!(relay.contains("--strict"), "{relay}");
    assert!(
        relay.contains("Answer 502 Bad Gateway instead of passing on"),
        "{relay}"
    );
    assert!(!relay.contains("Exit with code 1 when"), "{relay}");
    assert!(!help("listen").contains("--strict"));
    let (code, err) = failing(&["listen", "0", "--strict"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--strict"), "{err}");
}
