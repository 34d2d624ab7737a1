//! The text of every diagnostic and parse error in both languages. Diagnostics come from
//! data/diagnostics.tsv (code, severity, RFC reference, English, Chinese); parse errors keep
//! their English in `ErrorKind`'s `Display` and get their Chinese here.

use std::sync::OnceLock;

use super::i18n::{Lang, Text};
use super::tsv::{cite, fill, table};
use crate::model::{seconds, ErrorKind};
use crate::model::{Diagnostic, Severity};

/// One diagnostic code of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagnosticInfo {
    /// The stable kebab-case code, e.g. `missing-host`.
    pub code: &'static str,
    pub severity: Severity,
    /// The rule it comes from, e.g. `RFC 9112 section 3.2`.
    pub reference: &'static str,
    /// Text templates with `{0}`, `{1}` ... for the diagnostic's args.
    /// What it is or means, in both languages.
    pub text: Text,
}

/// Every diagnostic code, in file order.
pub fn all_diagnostics() -> &'static [DiagnosticInfo] {
    static TABLE: OnceLock<Vec<DiagnosticInfo>> = OnceLock::new();
    table(&TABLE, include_str!("data/diagnostics.tsv"), 5, |r| {
        DiagnosticInfo {
            code: r[0],
            severity: match r[1] {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                "note" => Severity::Note,
                other => panic!("diagnostics.tsv: unknown severity {other:?} for {}", r[0]),
            },
            reference: r[2],
            text: Text { en: r[3], zh: r[4] },
        }
    })
}

/// The table entry for a code.
pub fn diagnostic_info(code: &str) -> Option<&'static DiagnosticInfo> {
    all_diagnostics().iter().find(|d| d.code == code)
}

/// The text of a diagnostic in `lang`, arguments filled in, ending with its RFC reference.
pub fn diagnostic_text(d: &Diagnostic, lang: Lang) -> String {
    let Some(info) = diagnostic_info(d.code) else {
        return d.code.to_string();
    };
    let args: Vec<&str> = d.args.iter().map(String::as_str).collect();
    let text = fill(info.text.get(lang), &args);
    let reference = cite(info.reference, lang);
    match lang {
        Lang::En => format!("{text} ({reference})"),
        Lang::Zh => format!("{text}({reference})"),
    }
}

/// The message of a parse error in `lang`.
pub fn error_text(kind: &ErrorKind, lang: Lang) -> String {
    if lang == Lang::En {
        return kind.to_string();
    }
    match kind {
        ErrorKind::TooManyHeaders { limit } => format!("首部行超过 {limit} 行"),
        ErrorKind::HeadTooLarge { limit } => format!("首部超过 {limit} 字节"),
        ErrorKind::BodyTooLarge { limit, length } => match length {
            Some(len) => format!("{len} 字节的主体超过了 {limit} 字节的上限"),
            None => format!("主体超过了 {limit} 字节的上限"),
        },
        ErrorKind::TruncatedBody { expected, got } => {
            format!("主体被截断:Content-Length 声明 {expected} 字节,输入只有 {got} 字节")
        }
        ErrorKind::TimedOut { idle_ms, in_head } => format!(
            "{} 没有收到任何字节;{}:见 --timeout",
            seconds(*idle_ms),
            unfinished_zh(*in_head)
        ),
        ErrorKind::SlotTaken {
            after_ms,
            in_head,
            limit,
        } => format!(
            "过了 {} 仍未收完,而连接位置都已占满(--max-connections {limit}):为给新客户端腾出位置而关闭;{}",
            seconds(*after_ms),
            unfinished_zh(*in_head)
        ),
        other => ERROR_ZH
            .iter()
            .find(|(code, _)| *code == other.code())
            .map_or_else(|| other.to_string(), |(_, zh)| zh.to_string()),
    }
}

fn unfinished_zh(in_head: bool) -> &'static str {
    if in_head {
        "首部还没有结束(还没有空白行)"
    } else {
        "报文主体还没有结束"
    }
}

/// Chinese for the parse errors whose text has no arguments, by `ErrorKind::code`.
const ERROR_ZH: &[(&str, &str)] = &[
    (
        "not-start-line",
        "不是请求行(方法 目标 HTTP/1.1)也不是响应行(HTTP/1.1 200 OK)",
    ),
    (
        "bad-request-line",
        "请求行必须是用单个空格分隔的三部分:方法、请求目标、协议版本",
    ),
    ("bad-method", "方法中有非法字符"),
    ("bad-target", "请求目标中有非法字符"),
    ("bad-version", "HTTP 版本无效(应为 HTTP/1.0 或 HTTP/1.1)"),
    ("bad-status-code", "状态码必须是三位数字"),
    ("bad-reason", "短语中有非法字符"),
    ("no-colon", "首部行没有冒号"),
    ("empty-header-name", "首部行冒号前没有字段名"),
    ("bad-header-name", "首部字段名中有非法字符"),
    ("space-before-colon", "首部字段名与冒号之间有空白"),
    ("bad-header-value", "首部字段值中有非法字符"),
    ("bare-cr", "CR 后面没有 LF"),
    ("obs-fold", "过时的折行(行以空白开头)"),
    ("bad-content-length", "Content-Length 无效"),
    (
        "bad-transfer-encoding",
        "Transfer-Encoding 的最后一个编码不是 chunked,无法确定主体长度",
    ),
    ("bad-chunk-size", "块大小行无效(应为十六进制数字)"),
    (
        "chunk-size-space",
        "块大小行末尾有空白(只允许出现在 ; 之前,RFC 9112 第 7.1 节)",
    ),
    (
        "bad-chunk-extension",
        "块扩展无效(应为 ;名称 或 ;名称=值,RFC 9112 第 7.1.1 节)",
    ),
    ("bad-chunk-end", "块数据后面没有 CRLF"),
    ("truncated-head", "输入在首部中间结束(还没有空白行)"),
    ("truncated-chunked", "分块主体在最后一块(0)之前被截断"),
    (
        "tls",
        "这是 TLS(加密数据),不是明文 HTTP:客户端用了 https://,而 httpdump 只讲明文 HTTP;请改用 http://",
    ),
    (
        "http2-preface",
        "这是 HTTP/2 的连接前言(PRI * HTTP/2.0):httpdump 只懂 HTTP/1.x;请发送 HTTP/1.1(curl:不要加 --http2-prior-knowledge)",
    ),
];
