//! The capture file itself: pcap (either byte order, micro- or nanosecond timestamps) and
//! pcapng (sections, several interfaces each with its link type and timestamp
//! resolution, enhanced and simple packet blocks; other blocks skipped), read block by
//! block through `pcap-parser`'s streaming readers, so memory holds one block.

use std::io::{self, Read};

use crate::model::{CaptureError, CaptureErrorKind};
use chrono::DateTime;

use crate::model::Captured;
use pcap_parser::pcapng::Block;
use pcap_parser::traits::PcapReaderIterator;
use pcap_parser::{LegacyPcapReader, PcapBlockOwned, PcapError, PcapNGReader};

/// The first four bytes of a pcapng file (a section header block).
const PCAPNG_MAGIC: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];

/// Whether `prefix` starts like a pcap or pcapng file.
pub fn is_capture(prefix: &[u8]) -> bool {
    let Some(magic) = prefix.get(..4) else {
        return false;
    };
    magic == PCAPNG_MAGIC
        || [0xa1b2_c3d4u32, 0xa1b2_3c4d, 0xa1b2_cd34]
            .iter()
            .any(|m| magic == m.to_be_bytes() || magic == m.to_le_bytes())
}

/// A captured frame: its link type, capture time and bytes.
pub struct Frame {
    pub linktype: i32,
    pub at: Captured,
}

/// The interface a pcapng packet names: its link type and clock.
#[derive(Clone, Copy)]
struct Interface {
    linktype: i32,
    /// Timestamp units per second.
    resolution: u64,
    offset: i64,
}

/// The first buffer, and the most a block may take: a block larger than this is refused
/// rather than given memory its length field asks for.
const START_CAPACITY: usize = 256 * 1024;
const MAX_BLOCK: usize = 64 * 1024 * 1024;

/// Reads frames from a capture file.
pub struct FileReader<'r> {
    inner: Box<dyn PcapReaderIterator + 'r>,
    capacity: usize,
    /// For pcap: the one link type and whether timestamps are in nanoseconds.
    legacy: Option<(i32, bool)>,
    /// For pcapng: the interfaces of the current section.
    interfaces: Vec<Interface>,
    /// Bytes of the file consumed before the block being read (for error positions).
    offset: u64,
}

impl<'r> FileReader<'r> {
    pub fn new(reader: impl Read + 'r, prefix: &[u8]) -> io::Result<Self> {
        let inner: Box<dyn PcapReaderIterator + 'r> = if prefix.starts_with(&PCAPNG_MAGIC) {
            Box::new(PcapNGReader::new(START_CAPACITY, reader).map_err(|e| bad(&e, 0))?)
        } else {
            Box::new(LegacyPcapReader::new(START_CAPACITY, reader).map_err(|e| bad(&e, 0))?)
        };
        Ok(FileReader {
            inner,
            capacity: START_CAPACITY,
            legacy: None,
            interfaces: Vec::new(),
            offset: 0,
        })
    }

    /// The next frame, its bytes put in `data`; `None` at the end of the file.
    pub fn next_frame(&mut self, data: &mut Vec<u8>) -> io::Result<Option<Frame>> {
        loop {
            let frame = match self.inner.next() {
                Ok((size, block)) => {
                    let frame = read_block(&mut self.legacy, &mut self.interfaces, block, data);
                    self.inner.consume(size);
                    self.offset += size as u64;
                    frame
                }
                Err(PcapError::Eof) => return Ok(None),
                Err(PcapError::Incomplete(_)) => {
                    if self.inner.reader_exhausted() {
                        return Err(truncated(self.offset));
                    }
                    self.inner.refill().map_err(|e| bad(&e, self.offset))?;
                    continue;
                }
                Err(PcapError::BufferTooSmall) => {
                    if self.capacity >= MAX_BLOCK {
                        return Err(failed(CaptureErrorKind::TooLarge(MAX_BLOCK), self.offset));
                    }
                    self.capacity *= 4;
                    self.inner.grow(self.capacity);
                    self.inner.refill().map_err(|e| bad(&e, self.offset))?;
                    continue;
                }
                Err(PcapError::UnexpectedEof) => return Err(truncated(self.offset)),
                Err(e) => return Err(bad(&e, self.offset)),
            };
            if let Some(frame) = frame {
                return Ok(Some(frame));
            }
        }
    }
}

/// A packet block as a frame; headers and other blocks update what is known.
fn read_block(
    legacy: &mut Option<(i32, bool)>,
    interfaces: &mut Vec<Interface>,
    block: PcapBlockOwned,
    data: &mut Vec<u8>,
) -> Option<Frame> {
    match block {
        PcapBlockOwned::LegacyHeader(header) => {
            *legacy = Some((header.network.0, header.is_nanosecond_precision()));
            None
        }
        PcapBlockOwned::Legacy(packet) => {
            let (linktype, nanos) = (*legacy)?;
            let frac = if nanos {
                packet.ts_usec
            } else {
                packet.ts_usec.saturating_mul(1000)
            };
            data.clear();
            data.extend_from_slice(packet.data);
            Some(Frame {
                linktype,
                at: time(i64::from(packet.ts_sec), frac),
            })
        }
        PcapBlockOwned::NG(Block::SectionHeader(_)) => {
            // Interface numbers start again in each section.
            interfaces.clear();
            None
        }
        PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => {
            interfaces.push(Interface {
                linktype: idb.linktype.0,
                resolution: idb.ts_resolution().unwrap_or(1_000_000).max(1),
                offset: idb.ts_offset(),
            });
            None
        }
        PcapBlockOwned::NG(Block::EnhancedPacket(epb)) => {
            let iface = *interfaces.get(epb.if_id as usize)?;
            let ts = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
            let secs = (ts / iface.resolution) as i64 + iface.offset;
            let frac = (ts % iface.resolution) as u128 * 1_000_000_000 / iface.resolution as u128;
            data.clear();
            data.extend_from_slice(epb.data);
            Some(Frame {
                linktype: iface.linktype,
                at: time(secs, frac as u32),
            })
        }
        PcapBlockOwned::NG(Block::SimplePacket(spb)) => {
            // A simple packet has no time and belongs to the first interface.
            let iface = *interfaces.first()?;
            let len = (spb.origlen as usize).min(spb.data.len());
            data.clear();
            data.extend_from_slice(&spb.data[..len]);
            Some(Frame {
                linktype: iface.linktype,
                at: None,
            })
        }
        PcapBlockOwned::NG(_) => None,
    }
}

fn time(secs: i64, nanos: u32) -> Captured {
    DateTime::from_timestamp(secs, nanos.min(999_999_999))
}

fn failed(kind: CaptureErrorKind, offset: u64) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, CaptureError { kind, offset })
}

fn truncated(offset: u64) -> io::Error {
    failed(CaptureErrorKind::Truncated, offset)
}

fn bad(e: &PcapError<&[u8]>, offset: u64) -> io::Error {
    let what = match e {
        PcapError::HeaderNotRecognized => "not pcap or pcapng".to_string(),
        PcapError::NomError(_, kind) | PcapError::OwnedNomError(_, kind) => format!("{kind:?}"),
        other => format!("{other:?}"),
    };
    failed(CaptureErrorKind::Malformed(what), offset)
}
