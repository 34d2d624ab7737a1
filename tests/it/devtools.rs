//! A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe` (commands in
//! on fd 3, answers out on fd 4, each a JSON text ending in NUL): enough to load a page
//! in headless chromium at a given viewport and evaluate an expression in it, for the
//! layout checks a dumped DOM cannot make (the page's own CSP allows no script).

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{FromRawFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Time for chromium to answer one command, a page load included.
const ANSWER_WAIT: Duration = Duration::from_secs(60);

/// A pipe whose ends are closed on exec (a child gets only what it is given).
fn pipe() -> (File, File) {
    let mut fds = [0 as RawFd; 2];
    let rc = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
    assert_eq!(rc, 0, "pipe2: {}", io::Error::last_os_error());
    unsafe { (File::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])) }
}

/// Headless chromium driven over its DevTools pipe, with one page attached.
pub struct Browser {
    child: Child,
    to: File,
    from: mpsc::Receiver<Value>,
    next_id: u64,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Start chromium with a page of `width` x `height` CSS pixels.
    pub fn start(chromium: &str, (width, height): (u32, u32)) -> Browser {
        use std::os::fd::AsRawFd;
        let profile = tempfile::tempdir().unwrap();
        let (cmd_read, cmd_write) = pipe();
        let (out_read, out_write) = pipe();
        let (cmd_fd, out_fd) = (cmd_read.as_raw_fd(), out_write.as_raw_fd());
        let mut command = Command::new(chromium);
        command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-pipe",
                "--hide-scrollbars",
            ])
            .arg(format!("--window-size={width},{height}"))
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // Between fork and exec only async-signal-safe calls: fcntl and dup2. The ends
        // are first moved above 4, so that placing one on 3 cannot close the other.
        unsafe {
            command.pre_exec(move || {
                let high_cmd = libc::fcntl(cmd_fd, libc::F_DUPFD, 10);
                let high_out = libc::fcntl(out_fd, libc::F_DUPFD, 10);
                if high_cmd < 0
                    || high_out < 0
                    || libc::dup2(high_cmd, 3) < 0
                    || libc::dup2(high_out, 4) < 0
                {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().expect("starting chromium");
        drop((cmd_read, out_write));
        let (tx, from) = mpsc::channel();
        std::thread::spawn(move || read_messages(out_read, tx));
        let mut browser = Browser {
            child,
            to: cmd_write,
            from,
            next_id: 0,
            session: String::new(),
            _profile: profile,
        };
        let target = browser.call("Target.createTarget", json!({"url": "about:blank"}));
        let target = target["targetId"]
            .as_str()
            .expect("a target id")
            .to_string();
        let attached = browser.call(
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
        );
        browser.session = attached["sessionId"].as_str().expect("a session").into();
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        );
        browser
    }

    /// Load `url` and wait until the page and everything it loads are in.
    pub fn load(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url }));
        let done = format!(
            "location.href === {} && document.readyState === 'complete'",
            json!(url)
        );
        let deadline = Instant::now() + ANSWER_WAIT;
        while self.eval(&done) != json!(true) {
            assert!(Instant::now() < deadline, "{url} did not load");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The value of a JavaScript expression in the page.
    pub fn eval(&mut self, expression: &str) -> Value {
        let answer = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true}),
        );
        assert!(
            answer.get("exceptionDetails").is_none(),
            "{expression}: {answer}"
        );
        answer["result"]["value"].clone()
    }

    /// Poll `expression` until it is true, for at most `wait`; panics with `what` and
    /// the value of `show` otherwise.
    pub fn wait_for(&mut self, expression: &str, wait: Duration, what: &str, show: &str) {
        let deadline = Instant::now() + wait;
        while self.eval(expression) != json!(true) {
            if Instant::now() > deadline {
                let shown = self.eval(show);
                panic!("{what}: not so after {wait:?}: {shown}");
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Make the page see `prefers-color-scheme: dark`, as a system in dark mode.
    pub fn prefer_dark(&mut self) {
        self.call(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": "dark"}]}),
        );
    }

    /// A PNG of the viewport.
    pub fn screenshot(&mut self) -> Vec<u8> {
        use base64::Engine as _;
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}));
        let data = shot["data"].as_str().expect("screenshot data");
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .expect("base64 screenshot")
    }

    /// Send a command (to the page once one is attached) and wait for its answer.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut command = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            command["sessionId"] = json!(self.session);
        }
        let mut bytes = serde_json::to_vec(&command).unwrap();
        bytes.push(0);
        self.to.write_all(&bytes).expect("writing to chromium");
        let deadline = Instant::now() + ANSWER_WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self
                .from
                .recv_timeout(left)
                .unwrap_or_else(|e| panic!("no answer to {method}: {e}"));
            if message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Split what chromium writes on fd 4 into messages; ends when chromium does.
fn read_messages(mut from: File, to: mpsc::Sender<Value>) {
    let mut pending = Vec::new();
    let mut buf = [0; 64 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        pending.extend_from_slice(&buf[..n]);
        while let Some(end) = pending.iter().position(|&b| b == 0) {
            let message: Vec<u8> = pending.drain(..=end).collect();
            let Ok(value) = serde_json::from_slice(&message[..end]) else {
                continue;
            };
            if to.send(value).is_err() {
                return;
            }
        }
    }
}
