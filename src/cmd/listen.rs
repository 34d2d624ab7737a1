//! `httpdump listen`: turn the options into a server configuration, start the printer,
//! run the server until Ctrl-C or SIGTERM, and report what it served.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context as _};
use tokio::sync::watch;

use super::serving::{announce, on_signals, start_printer, wind_down, Signals};
use super::Outcome;
use crate::cli::{Env, ListenArgs, ReplyArgs};
use crate::explain::{count, Label, Lang};
use crate::server::reply::{Reply, ReplySpec};
use crate::server::save::SaveDir;
use crate::server::{Config, CutOff, Server, Stats};

pub fn run(args: &ListenArgs, env: &Env) -> anyhow::Result<Outcome> {
    let reply = build_reply(&args.reply, env)?;
    let save = match &args.save {
        Some(dir) => Some(
            SaveDir::open(dir, args.save_sync)
                .with_context(|| format!("--save {}", dir.display()))?,
        ),
        None => None,
    };
    let config = Config {
        addr: SocketAddr::new(args.bind, args.port),
        reply,
        echo: args.reply.echo,
        echo_options: args.show.render_options(env),
        show_response: args.show_response,
        save,
        max_head: args.max_head,
        max_body: args.max_body,
        timeout: args.timeout,
        max_connections: args.max_connections,
        lang: env.lang,
        live: super::live::hub(&args.live, args.show.render_options(env)),
    };
    // One thread serves every connection, as one nginx worker does: a request costs a
    // few microseconds of our own work against twice that in the kernel, and a second
    // worker only adds wake-ups between threads. Tables and JSON are drawn off this
    // thread, by the printer's two (`server::output`), which take items in batches
    // (docs/performance.md, "listen on one thread").
    let mut runtime = tokio::runtime::Builder::new_current_thread();
    let runtime = runtime
        .enable_all()
        .build()
        .context("starting the runtime")?;
    runtime.block_on(serve(config, args, env))
}

async fn serve(config: Config, args: &ListenArgs, env: &Env) -> anyhow::Result<Outcome> {
    let invalid_reply = config.reply.invalid.clone();
    let live = config.live.clone();
    let (stop_tx, stop) = watch::channel(false);
    let stop_tx = Arc::new(stop_tx);
    let (output, printer_thread) = start_printer(args.quiet, &args.show, env, &stop_tx);
    // Before "listening on": a Ctrl-C right after it must not kill the process.
    let signals = Signals::new().context("watching for Ctrl-C")?;
    let addr = config.addr;
    let server = Server::bind(config, output)
        .await
        .with_context(|| Label::CannotListen.fill(env.lang, &[&addr.to_string()]))?;
    let local = server.local_addr().context("reading the bound address")?;
    let try_addr = announce(local, env.lang);
    let url = format!("http://{try_addr}/");
    eprintln!("{}", Label::ListenTry.fill(env.lang, &[&url]));
    if let Some(why) = invalid_reply {
        eprintln!("{}", Label::ListenInvalidReply.fill(env.lang, &[&why]));
    }
    let page = super::live::open(&args.live, live, env, &url, stop.clone()).await?;

    let (kill_tx, kill) = watch::channel(false);
    tokio::spawn(on_signals(
        signals,
        stop_tx.clone(),
        kill_tx,
        server.in_flight(),
        env.lang,
    ));
    let stats = server.run(stop, kill).await;
    wind_down(page, printer_thread).await;
    for cut in stats
        .cut_off_list
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
    {
        eprintln!("{}", cut_off_line(cut, env.lang));
    }
    eprintln!("{}", summary(&stats, env.lang));
    Ok(Outcome::Ok)
}

/// What a second Ctrl-C cut off, for standard error.
fn cut_off_line(cut: &CutOff, lang: Lang) -> String {
    Label::ListenCutOff.fill(
        lang,
        &[
            &cut.connection.to_string(),
            &cut.nth.to_string(),
            &cut.peer.to_string(),
            &count(cut.bytes, Label::CountByte, Label::CountBytes, lang),
        ],
    )
}

/// The reply from the options, checked before the server starts.
fn build_reply(args: &ReplyArgs, env: &Env) -> anyhow::Result<Reply> {
    let mut spec = ReplySpec {
        status: Some(args.status),
        reason: args.reason.clone(),
        headers: args.headers.clone(),
        body: args.body.as_ref().map(|b| b.as_bytes().to_vec()),
        exact: None,
        allow_invalid: args.allow_invalid,
        lang: env.lang,
    };
    if let Some(path) = &args.body_file {
        spec.body =
            Some(std::fs::read(path).with_context(|| format!("--body-file {}", path.display()))?);
    }
    if let Some(path) = &args.response_file {
        let bytes =
            std::fs::read(path).with_context(|| format!("--response-file {}", path.display()))?;
        if bytes.is_empty() {
            bail!(
                "{}",
                Label::ReplyEmpty.fill(env.lang, &[&path.display().to_string()])
            );
        }
        spec.exact = Some(bytes);
        return Reply::build(&spec)
            .with_context(|| Label::ReplyNotValid.fill(env.lang, &[&path.display().to_string()]));
    }
    if args
        .reason
        .as_deref()
        .is_some_and(|r| r.contains(['\r', '\n']))
    {
        bail!("{}", Label::ReplyOneLine.text(env.lang));
    }
    Ok(Reply::build(&spec)?)
}

/// The summary printed when `listen` stops: "3 connections, 5 requests (1 error), 812 bytes received, 640 bytes sent".
fn summary(stats: &Stats, lang: Lang) -> String {
    let get = |c: &AtomicU64| c.load(Ordering::Relaxed) as usize;
    let counted = |c: &AtomicU64, one: Label, many: Label| count(get(c), one, many, lang);
    let mut s = Label::ListenStopped.fill(
        lang,
        &[
            &counted(
                &stats.connections,
                Label::CountConnection,
                Label::CountConnections,
            ),
            &counted(&stats.requests, Label::CountRequest, Label::CountRequests),
            &counted(&stats.errors, Label::CountError, Label::CountErrors),
            &counted(&stats.bytes_in, Label::CountByte, Label::CountBytes),
            &counted(&stats.bytes_out, Label::CountByte, Label::CountBytes),
        ],
    );
    let refused = get(&stats.refused);
    if refused > 0 {
        s.push_str(&Label::ListenRefused.fill(lang, &[&refused.to_string()]));
    }
    let cut = get(&stats.cut_off);
    if cut > 0 {
        let requests = count(cut, Label::CountRequest, Label::CountRequests, lang);
        s.push_str(&Label::ListenCutOffCount.fill(lang, &[&requests]));
    }
    s
}
