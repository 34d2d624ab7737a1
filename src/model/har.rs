//! What a HAR file says about a message besides the fields it was rebuilt from: the
//! entry it came from, when it started, the server and connection, the protocol the
//! browser used and the timings. The renderers word it in titles and JSON.

/// The facts of one HAR entry that a rebuilt request or response carries.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct HarEntry {
    /// The entry's number in `log.entries`, from 1.
    pub entry: usize,
    /// `startedDateTime` as recorded (ISO 8601).
    pub started: Option<String>,
    /// `serverIPAddress`, when recorded.
    pub server_ip: Option<String>,
    /// `connection` (an id or a port, as the tool wrote it), when recorded.
    pub connection: Option<String>,
    /// `httpVersion` as recorded when it is not HTTP/1.x (`h2`, `HTTP/2.0`, `h3`): the
    /// message went as binary frames, and its head is shown as text.
    pub protocol: Option<String>,
    /// On the response: the entry's `timings`.
    pub timings: Option<HarTimings>,
    /// The entry's `comment`, when there is one.
    pub comment: Option<String>,
}

/// An entry's `timings` as recorded; `None` when a field is absent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct HarTimings {
    pub blocked: Option<Step>,
    pub dns: Option<Step>,
    pub connect: Option<Step>,
    pub ssl: Option<Step>,
    pub send: Option<Step>,
    pub wait: Option<Step>,
    pub receive: Option<Step>,
}

/// One step of `timings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Recorded as `-1`: the step did not apply (no DNS lookup on a reused connection).
    NotApplicable,
    /// How long it took, in microseconds (HAR gives milliseconds with decimals).
    Micros(u64),
}

impl Step {
    /// The step from its recorded milliseconds: negative means "not applicable".
    pub fn from_ms(ms: f64) -> Step {
        if ms < 0.0 || !ms.is_finite() {
            Step::NotApplicable
        } else {
            // `as` saturates: an absurd value cannot wrap.
            Step::Micros((ms * 1000.0).round() as u64)
        }
    }

    /// Milliseconds as HAR writes them, `-1` for "not applicable".
    pub fn ms(self) -> f64 {
        match self {
            Step::NotApplicable => -1.0,
            Step::Micros(us) => us as f64 / 1000.0,
        }
    }
}

impl HarTimings {
    /// Each step's HAR name and value, in the order of the HAR 1.2 spec.
    pub fn steps(&self) -> [(&'static str, Option<Step>); 7] {
        [
            ("blocked", self.blocked),
            ("dns", self.dns),
            ("connect", self.connect),
            ("ssl", self.ssl),
            ("send", self.send),
            ("wait", self.wait),
            ("receive", self.receive),
        ]
    }
}
