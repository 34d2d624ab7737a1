//! `httpdump parse` through the real binary.

use assert_cmd::Command;

fn httpdump() -> Command {
    let mut cmd = Command::cargo_bin("httpdump").unwrap();
    cmd.env_remove("NO_COLOR").env("LANG", "C");
    cmd
}

#[test]
fn juejin_request_table() {
    let out = httpdump()
        .args(["parse", "fixtures/juejin-request.http", "--width", "80"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.starts_with("Request 1: GET / HTTP/1.1\n"), "{text}");
    assert!(text.contains("Host"), "{text}");
}
