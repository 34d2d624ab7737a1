//! The message of every parse error, English and Chinese side by side. Templates hold
//! `{0}`, `{1}` ... filled from the error's numbers, as labels do.

use super::i18n::{fill, Label, Lang, Text};
use crate::model::ErrorKind;

const fn t(en: &'static str, zh: &'static str) -> Text {
    Text { en, zh }
}

/// The message of a parse error in `lang`.
/// Why a capture file could not be read on, in `lang`.
pub fn capture_error_text(err: &crate::model::CaptureError, lang: Lang) -> String {
    use crate::model::CaptureErrorKind as K;
    let at = err.offset.to_string();
    match &err.kind {
        K::Truncated => Label::CaptureTruncated.fill(lang, &[&at]),
        K::Malformed(why) => Label::CaptureMalformed.fill(lang, &[&at, why]),
        K::TooLarge(limit) => Label::CaptureTooLarge.fill(lang, &[&at, &limit.to_string()]),
    }
}

pub fn error_text(kind: &ErrorKind, lang: Lang) -> String {
    let (text, args) = error_template(kind, lang);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    fill(text.get(lang), &args)
}

/// One error of every kind, its numbers left at zero: what `httpdump explain` looks up by
/// code (`no-colon`, `tls`, ...).
pub fn error_kinds() -> Vec<ErrorKind> {
    use ErrorKind as K;
    vec![
        K::NotStartLine,
        K::BadRequestLine,
        K::BadMethod,
        K::BadTarget,
        K::BadVersion,
        K::BadStatusCode,
        K::BadReason,
        K::NoColon,
        K::EmptyHeaderName,
        K::BadHeaderName,
        K::SpaceBeforeColon,
        K::BadHeaderValue,
        K::BareCr,
        K::ObsFold,
        K::TooManyHeaders { limit: 0 },
        K::HeadTooLarge { limit: 0 },
        K::BodyTooLarge {
            limit: 0,
            length: None,
        },
        K::BadContentLength,
        K::BadTransferEncoding,
        K::BadChunkSize,
        K::ChunkSizeSpace,
        K::BadChunkExtension,
        K::BadChunkEnd,
        K::TruncatedHead,
        K::TruncatedBody {
            expected: 0,
            got: 0,
        },
        K::TruncatedChunked,
        K::Tls,
        K::Http2Preface,
        K::TimedOut {
            idle_ms: 0,
            in_head: true,
        },
        K::SlotTaken {
            after_ms: 0,
            in_head: true,
            limit: 0,
        },
    ]
}

/// What an error of this kind says, its numbers (counts, bytes, seconds) shown as `N`.
pub fn error_meaning(kind: &ErrorKind, lang: Lang) -> String {
    let (text, args) = error_template(kind, lang);
    let number = |a: &str| a.trim_end_matches(" s").bytes().all(|b| b.is_ascii_digit());
    let shown: Vec<&str> = args
        .iter()
        .map(|a| if number(a) { "N" } else { a.as_str() })
        .collect();
    fill(text.get(lang), &shown)
}

/// A wait in milliseconds as people say it: `60 s`, `2.5 s`.
fn seconds(ms: u64) -> String {
    if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", ms as f64 / 1000.0)
    }
}

/// Which part of a message was still being waited for.
fn unfinished(in_head: bool) -> Text {
    if in_head {
        t(
            "the head was not finished (no blank line yet)",
            "首部还没有结束(还没有空白行)",
        )
    } else {
        t("the body was not finished", "报文主体还没有结束")
    }
}

/// A parse error's text, with the numbers it is filled from.
fn error_template(kind: &ErrorKind, lang: Lang) -> (Text, Vec<String>) {
    let text = match kind {
        ErrorKind::NotStartLine => t(
            "not a request line (METHOD target HTTP/1.1) or status line (HTTP/1.1 200 OK)",
            "不是请求行(方法 目标 HTTP/1.1)也不是响应行(HTTP/1.1 200 OK)",
        ),
        ErrorKind::BadRequestLine => t(
            "request line must be three parts separated by single spaces: method, target, version",
            "请求行必须是用单个空格分隔的三部分:方法、请求目标、协议版本",
        ),
        ErrorKind::BadMethod => t("invalid character in method", "方法中有非法字符"),
        ErrorKind::BadTarget => t(
            "invalid character in request target",
            "请求目标中有非法字符",
        ),
        ErrorKind::BadVersion => t(
            "invalid HTTP version (expected HTTP/1.0 or HTTP/1.1)",
            "HTTP 版本无效(应为 HTTP/1.0 或 HTTP/1.1)",
        ),
        ErrorKind::BadStatusCode => t("status code must be three digits", "状态码必须是三位数字"),
        ErrorKind::BadReason => t("invalid character in reason phrase", "短语中有非法字符"),
        ErrorKind::NoColon => t("header line has no colon", "首部行没有冒号"),
        ErrorKind::EmptyHeaderName => t(
            "header line has no name before the colon",
            "首部行冒号前没有字段名",
        ),
        ErrorKind::BadHeaderName => t(
            "invalid character in header name",
            "首部字段名中有非法字符",
        ),
        ErrorKind::SpaceBeforeColon => t(
            "whitespace between header name and colon",
            "首部字段名与冒号之间有空白",
        ),
        ErrorKind::BadHeaderValue => t(
            "invalid character in header value",
            "首部字段值中有非法字符",
        ),
        ErrorKind::BareCr => t("CR not followed by LF", "CR 后面没有 LF"),
        ErrorKind::ObsFold => t(
            "obsolete line folding (line starts with whitespace)",
            "过时的折行(行以空白开头)",
        ),
        ErrorKind::TooManyHeaders { limit } => {
            let text = t("more than {0} header lines", "首部行超过 {0} 行");
            return (text, vec![limit.to_string()]);
        }
        ErrorKind::HeadTooLarge { limit } => {
            let text = t("head is larger than {0} bytes", "首部超过 {0} 字节");
            return (text, vec![limit.to_string()]);
        }
        ErrorKind::BodyTooLarge {
            limit,
            length: Some(length),
        } => {
            let text = t(
                "body of {1} bytes is larger than the limit of {0} bytes",
                "{1} 字节的主体超过了 {0} 字节的上限",
            );
            return (text, vec![limit.to_string(), length.to_string()]);
        }
        ErrorKind::BodyTooLarge {
            limit,
            length: None,
        } => {
            let text = t(
                "body is larger than the limit of {0} bytes",
                "主体超过了 {0} 字节的上限",
            );
            return (text, vec![limit.to_string()]);
        }
        ErrorKind::BadContentLength => t("invalid Content-Length", "Content-Length 无效"),
        ErrorKind::BadTransferEncoding => t(
            "Transfer-Encoding does not end in chunked, so the body length is unknown",
            "Transfer-Encoding 的最后一个编码不是 chunked,无法确定主体长度",
        ),
        ErrorKind::BadChunkSize => t(
            "invalid chunk-size line (expected hex digits)",
            "块大小行无效(应为十六进制数字)",
        ),
        ErrorKind::ChunkSizeSpace => t(
            "whitespace at the end of a chunk-size line (allowed only before ';', RFC 9112 section 7.1)",
            "块大小行末尾有空白(只允许出现在 ; 之前,RFC 9112 第 7.1 节)",
        ),
        ErrorKind::BadChunkExtension => t(
            "invalid chunk extension (expected ;name or ;name=value, RFC 9112 section 7.1.1)",
            "块扩展无效(应为 ;名称 或 ;名称=值,RFC 9112 第 7.1.1 节)",
        ),
        ErrorKind::BadChunkEnd => t("chunk data is not followed by CRLF", "块数据后面没有 CRLF"),
        ErrorKind::TruncatedHead => t(
            "input ended inside the head (no blank line yet)",
            "输入在首部中间结束(还没有空白行)",
        ),
        ErrorKind::TruncatedBody { expected, got } => {
            let text = t(
                "body cut off: Content-Length says {0} bytes, input has {1}",
                "主体被截断:Content-Length 声明 {0} 字节,输入只有 {1} 字节",
            );
            return (text, vec![expected.to_string(), got.to_string()]);
        }
        ErrorKind::TruncatedChunked => t(
            "chunked body cut off before the last chunk (0)",
            "分块主体在最后一块(0)之前被截断",
        ),
        ErrorKind::Tls => t(
            "this is TLS (encrypted), not plain HTTP: the client used https://, but httpdump speaks plain HTTP; use http://",
            "这是 TLS(加密数据),不是明文 HTTP:客户端用了 https://,而 httpdump 只讲明文 HTTP;请改用 http://",
        ),
        ErrorKind::Http2Preface => t(
            "this is the HTTP/2 connection preface (PRI * HTTP/2.0): httpdump speaks HTTP/1.x only; send HTTP/1.1 (curl: without --http2-prior-knowledge)",
            "这是 HTTP/2 的连接前言(PRI * HTTP/2.0):httpdump 只懂 HTTP/1.x;请发送 HTTP/1.1(curl:不要加 --http2-prior-knowledge)",
        ),
        ErrorKind::TimedOut { idle_ms, in_head } => {
            let text = t(
                "no byte for {0}; {1}: --timeout",
                "{0} 没有收到任何字节;{1}:见 --timeout",
            );
            return (text, vec![seconds(*idle_ms), unfinished(*in_head).get(lang).to_string()]);
        }
        ErrorKind::SlotTaken {
            after_ms,
            in_head,
            limit,
        } => {
            let text = t(
                "still unfinished after {0} while every connection slot was taken (--max-connections {2}): closed to make room for a new client; {1}",
                "过了 {0} 仍未收完,而连接位置都已占满(--max-connections {2}):为给新客户端腾出位置而关闭;{1}",
            );
            let args = vec![
                seconds(*after_ms),
                unfinished(*in_head).get(lang).to_string(),
                limit.to_string(),
            ];
            return (text, args);
        }
    };
    (text, Vec::new())
}
