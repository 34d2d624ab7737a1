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
