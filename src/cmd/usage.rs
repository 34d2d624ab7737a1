//! Usage errors (an unknown flag, a bad or missing value) in Chinese. clap words them in
//! English only; it does expose what went wrong (`ErrorKind`) and about what (`ContextKind`),
//! and from that they are worded again here. English keeps clap's own rendering, and a kind
//! not worded here falls back to it too. The Chinese lives here and not in the label table
//! because only this file says it, and its English is clap's.

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::cli::BadValue;
use crate::explain::Lang;

/// Show a usage error in `lang` and give the exit code clap would (2 for an error, 0 for
/// `--help` and `--version`, which stay English).
pub fn report(err: &clap::Error, lang: Lang) -> i32 {
    match (lang, chinese(err)) {
        (Lang::Zh, Some(text)) => {
            eprint!("{text}");
            2
        }
        _ => {
            // clap's own output; a failed write to stderr has nowhere to be reported.
            let _ = err.print();
            err.exit_code()
        }
    }
}

/// The Chinese for a usage error, or `None` for `--help`, `--version` and the rare kinds
/// left in English.
fn chinese(err: &clap::Error) -> Option<String> {
    let get = |kind| err.get(kind).map(value_text).unwrap_or_default();
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let mut tips = Vec::new();
    let line = match err.kind() {
        ErrorKind::InvalidValue if value.is_empty() => format!("'{arg}' 需要一个值,但没有给出"),
        ErrorKind::InvalidValue => {
            let valid = get(ContextKind::ValidValue);
            if let Some(s) = err.get(ContextKind::SuggestedValue) {
                tips.push(format!("你是不是想用 '{}'?", value_text(s)));
            }
            format!("'{arg}' 的值 '{value}' 无效;可选的值:{valid}")
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(err).map(|source| {
                match source.downcast_ref::<BadValue>() {
                    Some(bad) => bad.zh.clone(),
                    None => source.to_string(),
                }
            });
            match why {
                Some(why) => format!("'{arg}' 的值 '{value}' 无效:{why}"),
                None => format!("'{arg}' 的值 '{value}' 无效"),
            }
        }
        ErrorKind::UnknownArgument => {
            if let Some(s) = err.get(ContextKind::SuggestedArg) {
                tips.push(format!("你是不是想用 '{}'?", value_text(s)));
            } else if arg.starts_with('-') {
                tips.push(format!("若 '{arg}' 是一个值而不是选项,写成 '-- {arg}'"));
            }
            format!("未知的参数 '{arg}'")
        }
        ErrorKind::InvalidSubcommand => {
            let sub = get(ContextKind::InvalidSubcommand);
            if let Some(s) = err.get(ContextKind::SuggestedSubcommand) {
                tips.push(format!("你是不是想用 '{}'?", value_text(s)));
            }
            format!("未知的子命令 '{sub}'")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数:{arg}"),
        ErrorKind::MissingSubcommand => "需要一个子命令(parse、listen ……)".to_string(),
        ErrorKind::ArgumentConflict => {
            let prior = get(ContextKind::PriorArg);
            format!("参数 '{arg}' 不能与 '{prior}' 一起使用")
        }
        ErrorKind::TooManyValues => format!("'{arg}' 的值 '{value}' 多余:它不接受更多的值"),
        ErrorKind::NoEquals => format!("'{arg}' 的值要用 = 连写,例如 {arg}=值"),
        ErrorKind::InvalidUtf8 => "参数不是合法的 UTF-8".to_string(),
        _ => return None,
    };
    let mut out = format!("错误:{line}\n");
    for tip in tips {
        out.push_str(&format!("\n  提示:{tip}\n"));
    }
    if let Some(usage) = err.get(ContextKind::Usage) {
        let usage = value_text(usage);
        let usage = usage.trim().strip_prefix("Usage:").unwrap_or(&usage).trim();
        out.push_str(&format!("\n用法:{usage}\n"));
    }
    out.push_str("\n更多信息请运行 '--help'(帮助文本只有英文)。\n");
    Some(out)
}

/// A context value as plain text (no colour codes), lists joined with commas.
fn value_text(value: &ContextValue) -> String {
    match value {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(list) => list.join("、"),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(list) => list
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("、"),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}
