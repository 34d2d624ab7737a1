//! `httpdump relay`: turn the options into a relay configuration, start the printer,
//! relay until Ctrl-C or SIGTERM, and report what passed.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context as _};
use tokio::sync::watch;

use super::serving::{announce, on_signals, start_printer, wind_down, Signals};
use super::Outcome;
use crate::cli::{Env, RelayArgs};
use crate::client::tls::{self, Trust};
use crate::client::url::Url;
use crate::explain::{count, Label, Lang};
use crate::relay::{Config, Relay, Stats, Target};
use crate::server::save::SaveDir;

pub fn run(args: &RelayArgs, env: &Env) -> anyhow::Result<Outcome> {
    let to = match &args.to {
        Some(text) => {
            let url = Url::parse(text).map_err(|e| {
                anyhow::anyhow!(
                    "--to {text}: {}",
                    super::send::failure::client_error(&e, env.lang)
                )
            })?;
            if url.target != "/" {
                bail!(
                    "--to {text}: only a scheme, host and port (the path comes from each request)"
                );
            }
            Some(Target {
                host: url.host,
                port: url.port,
                tls: url.tls,
            })
        }
        None => None,
    };
    if let Some(dir) = &args.save {
        SaveDir::open(dir, false).with_context(|| format!("--save {}", dir.display()))?;
    }
    let trust = match (&args.cacert, args.insecure) {
        (_, true) => Trust::Nothing,
        (Some(path), false) => Trust::File {
            name: path.display().to_string(),
            pem: std::fs::read(path).with_context(|| format!("--cacert {}", path.display()))?,
        },
        (None, false) => Trust::System,
    };
    let tls = tls::config(&trust)
        .map_err(|e| anyhow::anyhow!("{}", super::send::failure::client_error(&e, env.lang)))?;
    let config = Config {
        addr: SocketAddr::new(args.bind, args.port),
        to,
        rewrite_host: args.rewrite_host,
        forwarded: args.forwarded,
        strict: args.strict,
        save: args.save.clone(),
        max_head: args.max_head,
        timeout: args.timeout,
        max_connections: args.max_connections,
        tls: Some(tls),
        lang: env.lang,
        live: super::live::hub(&args.live, args.show.render_options(env)),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    runtime.block_on(serve(config, args, env))
}

async fn serve(config: Config, args: &RelayArgs, env: &Env) -> anyhow::Result<Outcome> {
    let live = config.live.clone();
    let (stop_tx, stop) = watch::channel(false);
    let stop_tx = Arc::new(stop_tx);
    let (output, printer_thread) = start_printer(args.quiet, &args.show, env, &stop_tx);
    let signals = Signals::new().context("watching for Ctrl-C")?;
    let addr = config.addr;
    let to = config.to.clone();
    let relay = Relay::bind(config, output)
        .with_context(|| Label::CannotListen.fill(env.lang, &[&addr.to_string()]))?;
    let local = relay.local_addr().context("reading the bound address")?;
    let try_addr = announce(local, env.lang);
    let url = match &to {
        Some(target) => {
            let scheme = if target.tls { "https" } else { "http" };
            let upstream = format!("{scheme}://{}", target.authority());
            let url = format!("http://{try_addr}/");
            eprintln!(
                "{} · {}",
                Label::RelayTo.fill(env.lang, &[&upstream]),
                Label::RelayTryReverse.fill(env.lang, &[&url])
            );
            url
        }
        None => {
            let url = format!("http://{try_addr}");
            eprintln!("{}", Label::RelayTryForward.fill(env.lang, &[&url]));
            url
        }
    };
    let page = super::live::open(&args.live, live, env, &url, stop.clone()).await?;
    let (kill_tx, kill) = watch::channel(false);
    tokio::spawn(on_signals(
        signals,
        stop_tx.clone(),
        kill_tx,
        relay.in_flight(),
        env.lang,
    ));
    let stats = relay.run(stop, kill).await;
    wind_down(page, printer_thread).await;
    eprintln!("{}", summary(&stats, env.lang));
    Ok(Outcome::Ok)
}

/// "stopped: 3 connections, 5 exchanges (1 error), 812 bytes from clients, 4096 bytes
/// from upstreams".
fn summary(stats: &Stats, lang: Lang) -> String {
    let get = |c: &AtomicU64| c.load(Ordering::Relaxed) as usize;
    let counted = |c: &AtomicU64, one: Label, many: Label| count(get(c), one, many, lang);
    Label::RelayStopped.fill(
        lang,
        &[
            &counted(
                &stats.connections,
                Label::CountConnection,
                Label::CountConnections,
            ),
            &counted(
                &stats.exchanges,
                Label::CountExchange,
                Label::CountExchanges,
            ),
            &counted(&stats.errors, Label::CountError, Label::CountErrors),
            &counted(&stats.from_clients, Label::CountByte, Label::CountBytes),
            &counted(&stats.from_upstreams, Label::CountByte, Label::CountBytes),
        ],
    )
}
