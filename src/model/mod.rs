//! The ground floor: what a message is ([`Message`] and its lines, headers, body and
//! diagnostics), what a parse error is, and the items a source yields. It depends on
//! nothing else in the crate, so every other part may use it.

mod code;
mod context;
mod error;
mod exchange;
pub mod grammar;
mod har;
mod item;
mod message;
mod packet;
mod relay;

pub use code::{Code, Subject};
pub use context::{BodyHidden, Capture, Context, Origin, Role, SourceKind};
pub use error::{ErrorKind, ParseError};
pub use exchange::{Connection, Direction, Exchange, Timing, TlsFacts};
pub use har::{HarEntry, HarTimings, Step};
pub use item::{Item, Stray};
pub use message::*;
pub use packet::{
    CaptureError, CaptureErrorKind, CaptureNote, Captured, Packet, StreamKind, StreamNote,
    TcpStream,
};
pub use relay::{RelayDirection, Relayed};
