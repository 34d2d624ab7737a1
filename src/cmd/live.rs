//! `--live` as `listen` and `relay` both start it: a hub for the publishers, then the
//! page's own listener and its start-up lines once the main listener is up.

use anyhow::Context as _;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::cli::{Env, LiveArgs};
use crate::explain::Label;
use crate::live::{LiveHub, LivePage};
use crate::render::RenderOptions;

/// The hub to publish to, when `--live` asks for a page.
pub(super) fn hub(args: &LiveArgs, opts: RenderOptions) -> Option<LiveHub> {
    args.live
        .map(|_| LiveHub::new(opts, args.live_history as usize))
}

/// Bind the page (after the main listener, whose link `url` is), say where it is (and
/// that its link carries a token when it is open beyond loopback), and serve it until
/// `stop`. The handle ends once the viewers had their last events (see
/// [`LivePage::run`]): await it before leaving the runtime.
pub(super) async fn open(
    args: &LiveArgs,
    hub: Option<LiveHub>,
    env: &Env,
    url: &str,
    stop: watch::Receiver<bool>,
) -> anyhow::Result<Option<JoinHandle<()>>> {
    let (Some(hub), Some(at)) = (hub, args.live) else {
        return Ok(None);
    };
    let page = LivePage::bind(at, hub, args.live_history as usize, env.lang, url)
        .await
        .with_context(|| Label::CannotListen.fill(env.lang, &[&at.to_string()]))?;
    let link = page.url().context("reading the live page's address")?;
    eprintln!("{}", Label::LiveListening.fill(env.lang, &[&link]));
    if page.needs_token() {
        eprintln!("{}", Label::LiveTokenNote.text(env.lang));
    }
    Ok(Some(tokio::spawn(page.run(stop))))
}
