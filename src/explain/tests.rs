//! Unit tests of the teaching tables: registries, labels, languages, parse error texts.

use super::errors::*;
use super::headers::*;
use super::i18n::*;
use super::methods::*;
use super::status::*;

#[test]
fn every_status_code_of_the_registry_is_there_in_both_languages() {
    let all = all_statuses();
    assert_eq!(all.len(), 64, "the IANA registry assigns 64 values");
    for s in all {
        assert!(
            (100..=599).contains(&s.code) && !s.phrase.is_empty(),
            "{}",
            s.code
        );
        assert!(!s.text.en.is_empty() && has_cjk(s.text.zh), "{}", s.code);
        assert!(status_class(s.code).is_some());
    }
    assert_eq!(status(301).unwrap().phrase, "Moved Permanently");
    assert_eq!(status(413).unwrap().phrase, "Content Too Large");
    assert!(status(299).is_none());
    assert!(status_note(301, Lang::Zh).contains("永久移动"));
    assert!(status_note(299, Lang::En).starts_with("not in the IANA"));
}

#[test]
fn every_method_of_the_registry_is_there_in_both_languages() {
    let all = all_methods();
    assert_eq!(
        all.len(),
        39,
        "the IANA registry lists 39 methods besides the reserved *"
    );
    for m in all {
        assert!(!m.text.en.is_empty() && has_cjk(m.text.zh), "{}", m.name);
        assert!(
            !m.safe || m.idempotent,
            "{}: safe methods are idempotent",
            m.name
        );
    }
    let get = method(b"get").unwrap();
    assert_eq!((get.name, get.safe, get.idempotent), ("GET", true, true));
    let post = method(b"POST").unwrap();
    assert_eq!((post.safe, post.idempotent), (false, false));
    assert!(method(b"BREW").is_none());
    assert!(method_note(b"GET", Lang::Zh).contains("安全、幂等"));
    assert!(method_note(b"get", Lang::En).starts_with("not in the IANA"));
}

#[test]
fn headers_cover_the_common_fields_case_insensitively() {
    let registered = all_headers()
        .iter()
        .filter(|h| h.registration != Registration::Unregistered)
        .count();
    assert!(registered >= 80, "{registered}");
    for h in all_headers() {
        assert!(
            !h.text.en.is_empty() && has_cjk(h.text.zh) && !h.reference.is_empty(),
            "{}",
            h.name
        );
        assert_eq!(header(h.name.to_ascii_lowercase().as_bytes()), Some(h));
    }
    assert_eq!(
        header(b"CONTENT-LENGTH").unwrap().reference,
        "RFC 9110 section 8.6"
    );
    assert_eq!(
        header(b"set-cookie").unwrap().reference,
        "RFC 6265 section 4.1"
    );
    assert!(matches!(
        classify_header(b"X-Frame-Options"),
        HeaderVerdict::Known(_)
    ));
    assert_eq!(classify_header(b"X-Request-Id"), HeaderVerdict::Private);
    assert_eq!(classify_header(b"x-forwarded-for"), HeaderVerdict::Private);
    assert_eq!(classify_header(b"Foo-Bar"), HeaderVerdict::NotRegistered);
    assert_eq!(
        header_note(b"Host", Lang::Zh),
        "目标服务器的主机名和端口;每个 HTTP/1.1 请求都必须带(RFC 9110 第 7.2 节)"
    );
    assert!(header_note(b"X-Powered-By", Lang::En).starts_with("X- prefix: a private convention"));
    assert!(header_note(b"Foo-Bar", Lang::Zh).starts_with("不在 IANA"));
    assert!(header_note(b"Sec-Fetch-Mode", Lang::En).contains("not in the IANA registry"));
    assert!(header_note(b"Pragma", Lang::En).contains("deprecated"));
}

#[test]
fn lang_from_env_follows_posix_precedence() {
    assert_eq!(Lang::from_env(None, None, Some("zh_CN.UTF-8")), Lang::Zh);
    assert_eq!(Lang::from_env(None, None, Some("zh_TW")), Lang::Zh);
    assert_eq!(
        Lang::from_env(None, Some("zh_HK.UTF-8"), Some("en_US.UTF-8")),
        Lang::Zh
    );
    assert_eq!(
        Lang::from_env(Some("en_US.UTF-8"), None, Some("zh_CN.UTF-8")),
        Lang::En
    );
    assert_eq!(
        Lang::from_env(Some(""), None, Some("zh_CN.UTF-8")),
        Lang::Zh,
        "empty means unset"
    );
    assert_eq!(Lang::from_env(None, None, Some("C")), Lang::En);
    assert_eq!(Lang::from_env(None, None, None), Lang::En);
    assert_eq!(Lang::from_env(None, None, Some("zhx_XX")), Lang::En);
}

#[test]
fn every_label_exists_in_both_languages_with_the_articles_terms() {
    for label in Label::ALL {
        let Text { en, zh } = label.texts();
        assert!(!en.is_empty() && !zh.is_empty(), "{label:?}");
        for n in 0..6 {
            let p = format!("{{{n}}}");
            assert_eq!(en.contains(&p), zh.contains(&p), "{label:?} {p}");
        }
    }
    let zh = |l: Label| l.text(Lang::Zh);
    assert_eq!(
        [
            zh(Label::StartLine),
            zh(Label::RequestLine),
            zh(Label::StatusLine),
            zh(Label::HeaderLine)
        ],
        ["起始行", "请求行", "响应行", "首部行"]
    );
    assert_eq!(
        [zh(Label::BlankLine), zh(Label::Body)],
        ["空白行", "报文主体"]
    );
    assert_eq!(
        [zh(Label::StatusCode), zh(Label::ReasonPhrase)],
        ["状态码", "短语"]
    );
    assert_eq!(
        Label::TitleRequest.fill(Lang::En, &["1", "GET / HTTP/1.1"]),
        "Request 1: GET / HTTP/1.1"
    );
}

#[test]
fn every_parse_error_has_chinese_text() {
    use crate::model::ErrorKind as K;
    // The kinds `explain` looks up, and some with numbers that are not zero.
    let with_numbers = [
        K::BodyTooLarge {
            limit: 9,
            length: Some(10),
        },
        K::TruncatedBody {
            expected: 9,
            got: 3,
        },
        K::SlotTaken {
            after_ms: 2_500,
            in_head: false,
            limit: 4,
        },
    ];
    for kind in super::error_kinds().into_iter().chain(with_numbers.clone()) {
        let en = error_text(&kind, Lang::En);
        let zh = error_text(&kind, Lang::Zh);
        assert!(!en.is_empty() && !has_cjk(&en), "{}: {en}", kind.code());
        assert!(has_cjk(&zh), "{}: {zh}", kind.code());
        // No slot left unfilled.
        for text in [&en, &zh] {
            assert!(!text.contains('{'), "{}: {text}", kind.code());
        }
    }
    assert!(error_text(&with_numbers[0], Lang::Zh).contains("10 字节"));
}

#[test]
fn explain_knows_every_error_code_json_documents() {
    // docs/json.md's table of error codes is the list users read; `explain` must know
    // each one, once, and no other.
    let doc = include_str!("../../docs/json.md");
    let table = &doc[doc.find("| code | what was wrong |").unwrap()..];
    let mut documented: Vec<&str> = table
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .flat_map(|l| l.split('|').nth(1).unwrap().split(','))
        .map(|c| c.trim().trim_matches('`'))
        .collect();
    let mut known: Vec<&str> = super::error_kinds().iter().map(|k| k.code()).collect();
    documented.sort_unstable();
    known.sort_unstable();
    assert_eq!(known, documented);
}

#[test]
fn fill_and_cite() {
    assert_eq!(fill("{1} after {0}, {2}", &["a", "b"]), "b after a, ");
    assert_eq!(fill("{not a slot} {0}", &["x"]), "{not a slot} x");
    assert_eq!(cite("RFC 9112 appendix B.1", Lang::Zh), "RFC 9112 附录 B.1");
    assert_eq!(
        cite("HTML Standard; RFC 7034 section 2", Lang::Zh),
        "HTML Standard;RFC 7034 第 2 节"
    );
    assert_eq!(
        cite("RFC 9110 section 7.2", Lang::En),
        "RFC 9110 section 7.2"
    );
}

/// True when `s` has a CJK ideograph: the Chinese text is really Chinese.
pub(super) fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}
