//! Shell completions, the manual page and `--help` through the real binary.

use crate::parse_cli::httpdump;

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = httpdump().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(
            script.contains("httpdump") && script.contains("parse"),
            "{shell}: {script}"
        );
        assert!(
            script.contains("max-body-lines"),
            "{shell} completes options"
        );
    }
    httpdump().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_page_documents_every_command() {
    let out = httpdump().arg("man").output().unwrap();
    assert!(out.status.success());
    let roff = String::from_utf8(out.stdout).unwrap();
    assert!(
        roff.starts_with(".ie") || roff.contains(".TH httpdump"),
        "{roff}"
    );
    assert!(
        roff.contains("httpdump\\-parse") || roff.contains("httpdump-parse"),
        "{roff}"
    );
    assert!(roff.contains("max\\-body\\-lines"), "{roff}");
}

#[test]
fn help_of_every_command_has_examples() {
    let top = httpdump().arg("--help").output().unwrap();
    let text = String::from_utf8(top.stdout).unwrap();
    assert!(text.contains("Examples:"), "{text}");
    let commands: Vec<String> = text
        .split("Commands:")
        .nth(1)
        .unwrap()
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 3, "{commands:?}");
    for c in commands {
        let out = httpdump().args([c.as_str(), "--help"]).output().unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(
            help.contains("Examples:"),
            "`httpdump {c} --help` has no examples:\n{help}"
        );
    }
}

#[test]
fn man_page_examples_are_tagged_paragraphs_and_synopses_name_httpdump() {
    let out = httpdump().arg("man").output().unwrap();
    let roff = String::from_utf8(out.stdout).unwrap();
    for sub in [
        "parse",
        "listen",
        "send",
        "relay",
        "explain",
        "completions",
        "man",
    ] {
        assert!(
            roff.contains(&format!(".SH SYNOPSIS\n\\fBhttpdump {sub}\\fR")),
            "{sub}: {roff}"
        );
    }
    // An example is a command in bold on its own, its description below it, so roff
    // cannot fill the two into one wrapped paragraph.
    assert!(
        roff.contains(".TP\n\\fBhttpdump listen 8080\\fR\na server that shows each request\n"),
        "{roff}"
    );
    assert!(!roff.contains(".SH EXTRA"), "{roff}");
    assert_eq!(roff.matches(".SH EXAMPLES").count(), 8, "{roff}");
}

#[test]
fn top_level_help_shows_listen_and_explain_examples() {
    let out = httpdump().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("  httpdump listen 8080 "), "{help}");
    assert!(
        help.contains("  httpdump explain content-length "),
        "{help}"
    );
}

/// The help of `--timeout` and `--max-connections` says what the server does now: an idle
/// client is closed without a 408, and at the limit a request begun 2 s ago gives way.
#[test]
fn listen_help_tells_timeout_and_connection_limit_as_they_are() {
    let out = httpdump()
        .args(["listen", "--help"])
        .env("COLUMNS", "200")
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(
            "in the middle of a request it then gets 408; idle between requests it is closed"
        ),
        "{help}"
    );
    assert!(flat.contains("[default: 60]"), "{help}");
    assert!(
        flat.contains("else the one waiting for the rest of a request begun 2 s ago or more"),
        "{help}"
    );
}
