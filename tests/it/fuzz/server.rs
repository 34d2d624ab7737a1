//! A `httpdump listen 0` for the fuzz properties that, unlike the listen tests' harness,
//! watches stderr as it runs, so a panic in a connection task is pinned on the case that
//! caused it (such a panic drops the connection quietly, which alone looks like a clean
//! close).

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);

pub(crate) struct Watched {
    child: Child,
    pub(crate) addr: SocketAddr,
    stdout: Option<JoinHandle<Vec<u8>>>,
    /// Everything on stderr so far, and a signal for each new line.
    stderr: Arc<(Mutex<String>, Condvar)>,
    stderr_done: Option<JoinHandle<()>>,
}

pub(crate) struct Stopped {
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: String,
    pub(crate) status: ExitStatus,
}

impl Watched {
    pub(crate) fn start(args: &[&str]) -> Watched {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("httpdump"))
            .args(["listen", "0", "--color", "never", "--width", "120"])
            .args(args)
            .env("LANG", "C")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting httpdump listen");
        let mut out = child.stdout.take().unwrap();
        let stdout = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            out.read_to_end(&mut bytes).unwrap();
            bytes
        });
        let stderr = Arc::new((Mutex::new(String::new()), Condvar::new()));
        let (first_tx, first_rx) = mpsc::channel();
        let err = child.stderr.take().unwrap();
        let shared = Arc::clone(&stderr);
        let stderr_done = std::thread::spawn(move || {
            let mut reader = BufReader::new(err);
            let mut line = Vec::new();
            while reader.read_until(b'\n', &mut line).unwrap() > 0 {
                let text = String::from_utf8_lossy(&line).into_owned();
                let _ = first_tx.send(text.clone());
                shared.0.lock().unwrap().push_str(&text);
                shared.1.notify_all();
                line.clear();
            }
        });
        let first = first_rx.recv_timeout(WAIT).expect("no 'listening on' line");
        let addr = first
            .trim_end()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("first stderr line: {first:?}"))
            .parse()
            .unwrap();
        Watched {
            child,
            addr,
            stdout: Some(stdout),
            stderr,
            stderr_done: Some(stderr_done),
        }
    }

    /// How much stderr there is so far: a mark for `panic_since`.
    pub(crate) fn stderr_mark(&self) -> usize {
        self.stderr.0.lock().unwrap().len()
    }

    /// A panic message printed after `mark`, waiting up to `wait` for one to show up
    /// (the message and the dropped connection race to us).
    pub(crate) fn panic_since(&self, mark: usize, wait: Duration) -> Option<String> {
        let deadline = Instant::now() + wait;
        let (lock, signal) = &*self.stderr;
        let mut text = lock.lock().unwrap();
        loop {
            if let Some(at) = text[mark..].find("panicked") {
                let from = text[..mark + at].rfind('\n').map_or(0, |n| n + 1);
                return Some(text[from..].trim_end().to_string());
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            text = signal.wait_timeout(text, left).unwrap().0;
        }
    }

    /// SIGTERM, then wait (bounded) for the exit and collect the output.
    pub(crate) fn stop(mut self) -> Stopped {
        let pid = self.child.id().to_string();
        let ok = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(ok.success());
        let deadline = Instant::now() + WAIT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "listen did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        };
        let stdout = self.stdout.take().unwrap().join().unwrap();
        self.stderr_done.take().unwrap().join().unwrap();
        let stderr = self.stderr.0.lock().unwrap().clone();
        Stopped {
            stdout,
            stderr,
            status,
        }
    }
}

impl Drop for Watched {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
