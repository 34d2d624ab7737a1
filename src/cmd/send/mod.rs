//! `httpdump send`: be the client. A request is built as curl builds it (or read from a
//! `--raw` file, exactly), written to the server, and shown with the responses read, as
//! the same anatomy tables; `-L` follows redirects, each exchange with its own tables.

mod exchange;
pub(crate) mod failure;
mod redirect;
mod save;
mod shower;

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{anyhow, Context as _};

use super::Outcome;
use crate::cli::{Env, SendArgs};
use crate::client::conn::{self, Settings};
use crate::client::request::{self, HeaderArg, HeaderProblem, Spec};
use crate::client::tls::{self, Trust};
use crate::client::url::Url;
use crate::client::ClientError;
use crate::explain::{Label, Lang};
use crate::model::grammar::is_tchar;
use crate::model::Item;
use crate::render::{Sink, Theme};
use crate::source::reader::parse_all;
use crate::wire::{self, ParseOptions, Parsed, State};
use exchange::{Answer, Open, Outgoing};
use failure::client_error;
use redirect::{follow, redirect};
use save::SaveDir;
use shower::Shower;

/// The most redirects `-L` follows, as curl's default of 50 is more than a lesson needs.
const MAX_REDIRECTS: usize = 10;

/// The largest file `--raw`, `--data-file` or `--cacert` reads.
const MAX_FILE: u64 = 64 * 1024 * 1024;

pub fn run(args: &SendArgs, env: &Env) -> anyhow::Result<Outcome> {
    let lang = env.lang;
    let sink = Sink::new(
        args.show.format,
        Theme::new(env.color),
        args.show.render_options(env),
    );
    let save = match &args.save {
        Some(dir) => Some(SaveDir::open(dir).with_context(|| format!("--save {}", dir.display()))?),
        None => None,
    };
    let trust = if args.insecure {
        Trust::Nothing
    } else if let Some(path) = &args.cacert {
        let pem = read_file(path, "--cacert", lang)?;
        Trust::File {
            name: path.display().to_string(),
            pem,
        }
    } else {
        Trust::System
    };
    let mut client = Client {
        show: Shower::new(sink, env, args.strict, save),
        trust,
        tls: None,
        args,
        connections: 0,
    };
    let target = match (&args.url, &args.to) {
        (Some(url), _) => Url::parse(url),
        (None, Some(to)) => Url::authority(to),
        (None, None) => Err(ClientError::BadUrl {
            url: String::new(),
            why: crate::client::UrlProblem::NoHost,
        }),
    };
    let target = match target {
        Ok(url) => url,
        Err(e) => {
            client.show.fail(&client_error(&e, lang));
            return Ok(Outcome::Failed);
        }
    };
    let result = match &args.raw {
        Some(path) => client.raw(path, target),
        None => client.built(target),
    };
    match result {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Err(e.into()),
        Err(e) => return Err(anyhow::Error::new(e).context(Label::WhileWriting.text(lang))),
    }
    client
        .show
        .flush()
        .context(Label::WhileWriting.text(lang))?;
    Ok(client.show.outcome)
}

/// A file's bytes, refused past [`MAX_FILE`]; `-` is standard input.
fn read_file(path: &Path, flag: &str, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let name = path.display().to_string();
    let failed = |why: String| anyhow!(Label::SendFile.fill(lang, &[flag, &name, &why]));
    let mut bytes = Vec::new();
    let read = if path == Path::new("-") {
        io::stdin()
            .lock()
            .take(MAX_FILE + 1)
            .read_to_end(&mut bytes)
    } else {
        File::open(path).and_then(|f| f.take(MAX_FILE + 1).read_to_end(&mut bytes))
    };
    read.map_err(|e| failed(super::errors::io_text(&e, lang)))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(failed(
            Label::SendFileTooBig.fill(lang, &[&MAX_FILE.to_string()]),
        ));
    }
    Ok(bytes)
}

struct Client<'a> {
    show: Shower<'a>,
    trust: Trust,
    /// The TLS configuration, made at the first `https://` URL.
    tls: Option<Arc<rustls::ClientConfig>>,
    args: &'a SendArgs,
    connections: usize,
}

impl Client<'_> {
    /// Connect to `url`, or say why not (and exit 2).
    fn open(&mut self, url: &Url) -> Option<Open> {
        let opened_at = Instant::now();
        let tls = match (url.tls, &self.tls) {
            (false, _) => None,
            (true, Some(config)) => Some(config.clone()),
            (true, None) => match tls::config(&self.trust) {
                Ok(config) => {
                    self.tls = Some(config.clone());
                    Some(config)
                }
                Err(e) => {
                    self.show.fail(&client_error(&e, self.show.lang));
                    return None;
                }
            },
        };
        let settings = Settings {
            timeout: self.args.timeout,
            tls: tls.map(|config| (config, matches!(self.trust, Trust::Nothing))),
        };
        self.connections += 1;
        match conn::connect(url, &settings, self.connections) {
            Ok(conn) => Some(Open::new(
                conn,
                opened_at,
                self.args.max_body,
                self.args.timeout,
            )),
            Err(e) => {
                self.show.fail(&client_error(&e, self.show.lang));
                None
            }
        }
    }

    /// A request built from the flags, and the redirects after it with `-L`.
    fn built(&mut self, url: Url) -> io::Result<()> {
        let lang = self.show.lang;
        let mut spec = match self.spec(url) {
            Ok(spec) => spec,
            Err(text) => {
                self.show.fail(&text);
                return Ok(());
            }
        };
        for number in 1.. {
            let Some(mut open) = self.open(&spec.url) else {
                return Ok(());
            };
            let bytes = request::build(&spec);
            let request = outgoing(&bytes);
            let answer = exchange::single(
                &mut self.show,
                &mut open,
                request,
                number,
                self.args.timeout,
            )?;
            let Answer::Final(response) = answer else {
                return Ok(());
            };
            if !self.args.follow {
                return Ok(());
            }
            let Some((status, location)) = redirect(&response) else {
                return Ok(());
            };
            let shown = crate::render::visible(&location);
            if number > MAX_REDIRECTS {
                let text =
                    Label::SendTooManyRedirects.fill(lang, &[&MAX_REDIRECTS.to_string(), &shown]);
                self.show.fail(&text);
                return Ok(());
            }
            let next = match spec.url.join(&String::from_utf8_lossy(&location)) {
                Ok(next) => next,
                Err(e) => {
                    let why = client_error(&e, lang);
                    self.show
                        .fail(&Label::SendBadLocation.fill(lang, &[&shown, &why]));
                    return Ok(());
                }
            };
            let line = Label::SendRedirect.fill(
                lang,
                &[
                    &status.to_string(),
                    crate::explain::status(status).map_or("", |s| s.phrase),
                    &next.to_text(),
                    &number.to_string(),
                    &MAX_REDIRECTS.to_string(),
                ],
            );
            self.show.line(&line)?;
            spec = follow(spec, status, next);
        }
        Ok(())
    }

    /// The request the flags describe, or why they do not make one.
    fn spec(&self, url: Url) -> Result<Spec, String> {
        let args = self.args;
        let lang = self.show.lang;
        let mut headers = Vec::new();
        for text in &args.headers {
            let shown = format!("{text:?}");
            let header = HeaderArg::parse(text).map_err(|why| match why {
                HeaderProblem::Form => Label::ReplyHeaderForm.fill(lang, &[&shown]),
                HeaderProblem::OneLine => Label::ReplyHeaderOneLine.fill(lang, &[&shown]),
                HeaderProblem::Name(name) => {
                    Label::ReplyHeaderName.fill(lang, &[&shown, &format!("{name:?}")])
                }
                HeaderProblem::Value => Label::ReplyHeaderValue.fill(lang, &[&shown]),
            })?;
            headers.push(header);
        }
        let (body, form) = match (&args.data, &args.data_file) {
            (Some(text), _) => (Some(text.as_bytes().to_vec()), true),
            (None, Some(path)) => {
                let bytes = read_file(path, "--data-file", lang).map_err(|e| e.to_string())?;
                (Some(bytes), false)
            }
            (None, None) => (None, false),
        };
        let method = match &args.method {
            Some(m) if m.is_empty() || !m.bytes().all(is_tchar) => {
                return Err(Label::SendBadMethod.fill(lang, &[&format!("{m:?}")]));
            }
            Some(m) => m.clone(),
            None if body.is_some() => "POST".into(),
            None => "GET".into(),
        };
        Ok(Spec {
            method,
            url,
            headers,
            body,
            form,
            http10: args.http10,
        })
    }

    /// A file's requests, exactly, pipelined on one connection.
    fn raw(&mut self, path: &Path, url: Url) -> io::Result<()> {
        let lang = self.show.lang;
        let name = path.display().to_string();
        let bytes = match read_file(path, "--raw", lang) {
            Ok(bytes) => bytes,
            Err(e) => {
                self.show.fail(&e.to_string());
                return Ok(());
            }
        };
        if bytes.is_empty() {
            self.show.fail(&Label::SendRawEmpty.fill(lang, &[&name]));
            return Ok(());
        }
        let (converted, fixed) = request::crlf_heads(&bytes);
        let bytes = if self.args.crlf {
            if fixed > 0 {
                self.show
                    .note(&Label::SendCrlfDone.fill(lang, &[&name, &fixed.to_string()]));
            }
            converted
        } else {
            if fixed > 0 {
                self.show
                    .note(&Label::SendBareLf.fill(lang, &[&name, &fixed.to_string()]));
            }
            bytes
        };
        let requests = split_requests(&bytes);
        if !requests.iter().any(|r| !matches!(r.item, Item::Stray(_))) {
            self.show.fail(&Label::SendNoRequest.fill(lang, &[&name]));
            return Ok(());
        }
        let Some(mut open) = self.open(&url) else {
            return Ok(());
        };
        exchange::pipelined(
            &mut self.show,
            &mut open,
            requests,
            &bytes,
            self.args.timeout,
        )
    }
}

/// A built request as the wire parser reads it, to be shown as it is written.
fn outgoing(bytes: &[u8]) -> Outgoing {
    let mut state = State::default();
    let item = match wire::parse_message(bytes, 0, &mut state, &ParseOptions::default(), true) {
        Parsed::Complete { message, .. } => Item::Message(message),
        Parsed::Error { error, .. } => Item::Error(error),
        // At the end of the input a parse is never partial; shown as bytes if it were.
        Parsed::Partial { .. } => Item::Stray(crate::model::Stray {
            offset: 0,
            bytes: bytes.to_vec(),
            blank: false,
        }),
    };
    let is_head = matches!(&item, Item::Message(m) if m.method() == Some(b"HEAD"));
    Outgoing {
        item,
        bytes: bytes.to_vec(),
        is_head,
    }
}

/// A file's items, each request with the bytes from its start to the next request's
/// (a request that cannot be read is still sent and waits for its answer). Bytes before
/// the first request go with it; stray bytes show as they come.
fn split_requests(bytes: &[u8]) -> Vec<Outgoing> {
    let items = parse_all(bytes, ParseOptions::default());
    let starts: Vec<Option<usize>> = items
        .iter()
        .map(|item| match item {
            Item::Message(m) => Some(m.offset),
            Item::Error(e) => Some(e.fragment.offset),
            Item::Stray(_) => None,
        })
        .collect();
    let mut bounds: Vec<usize> = starts.iter().flatten().copied().collect();
    bounds.push(bytes.len());
    let mut next = 1;
    let mut from = 0;
    let mut out = Vec::new();
    for (item, start) in items.into_iter().zip(starts) {
        match start {
            None => out.push(Outgoing {
                item,
                bytes: Vec::new(),
                is_head: false,
            }),
            Some(_) => {
                let to = bounds[next];
                next += 1;
                let is_head = matches!(&item, Item::Message(m) if m.method() == Some(b"HEAD"));
                out.push(Outgoing {
                    item,
                    bytes: bytes[from..to].to_vec(),
                    is_head,
                });
                from = to;
            }
        }
    }
    out
}
