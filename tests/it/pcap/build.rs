//! A small writer of capture files for tests: TCP conversations scripted segment by
//! segment (out of order, repeated, overlapping, missing), wrapped in a chosen link layer
//! (Ethernet, 802.1Q, Linux cooked v1/v2, BSD null, raw IP) and written as pcap (either
//! byte order, micro- or nanoseconds) or pcapng. IP and TCP headers come from etherparse.

use std::net::{IpAddr, SocketAddr};

use etherparse::PacketBuilder;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Link {
    Ethernet,
    Vlan(u16),
    Sll,
    Sll2,
    Null,
    Raw,
}

impl Link {
    pub fn linktype(self) -> u32 {
        match self {
            Link::Ethernet | Link::Vlan(_) => 1,
            Link::Sll => 113,
            Link::Sll2 => 276,
            Link::Null => 0,
            Link::Raw => 101,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
/// The file format: classic pcap little- or big-endian, nanosecond pcap, or pcapng.
pub enum Format {
    Le,
    Be,
    Nanos,
    Ng,
}

/// One segment of a scripted conversation.
#[derive(Clone, Debug)]
pub struct Seg {
    pub from_client: bool,
    /// Offset of the first payload byte in its direction (0 = the byte after the SYN).
    pub offset: u32,
    pub data: Vec<u8>,
    pub syn: bool,
    pub fin: bool,
    pub rst: bool,
}

pub fn data(from_client: bool, offset: u32, bytes: &[u8]) -> Seg {
    Seg {
        from_client,
        offset,
        data: bytes.to_vec(),
        syn: false,
        fin: false,
        rst: false,
    }
}

pub fn syn(from_client: bool) -> Seg {
    Seg {
        syn: true,
        ..data(from_client, 0, b"")
    }
}

pub fn fin(from_client: bool, offset: u32) -> Seg {
    Seg {
        fin: true,
        ..data(from_client, offset, b"")
    }
}

pub const CLIENT_ISN: u32 = 0xffff_fff0; // wraps around within the first bytes
pub const SERVER_ISN: u32 = 5000;

/// The usual opening: SYN, SYN-ACK.
pub fn handshake() -> Vec<Seg> {
    vec![syn(true), syn(false)]
}

/// The segments of a conversation as IP packets (with TCP inside).
pub fn ip_packets(client: SocketAddr, server: SocketAddr, segs: &[Seg]) -> Vec<Vec<u8>> {
    segs.iter()
        .map(|s| {
            let (src, dst, isn) = if s.from_client {
                (client, server, CLIENT_ISN)
            } else {
                (server, client, SERVER_ISN)
            };
            let seq = if s.syn {
                isn
            } else {
                isn.wrapping_add(1).wrapping_add(s.offset)
            };
            let builder = match (src.ip(), dst.ip()) {
                (IpAddr::V4(a), IpAddr::V4(b)) => PacketBuilder::ipv4(a.octets(), b.octets(), 64),
                (IpAddr::V6(a), IpAddr::V6(b)) => PacketBuilder::ipv6(a.octets(), b.octets(), 64),
                _ => panic!("mixed address families"),
            };
            let mut tcp = builder.tcp(src.port(), dst.port(), seq, 65535);
            // Every segment but the client's SYN acknowledges something.
            if !(s.syn && s.from_client) {
                tcp = tcp.ack(1);
            }
            if s.syn {
                tcp = tcp.syn();
            }
            if s.fin {
                tcp = tcp.fin();
            }
            if s.rst {
                tcp = tcp.rst();
            }
            let mut out = Vec::new();
            tcp.write(&mut out, &s.data).unwrap();
            out
        })
        .collect()
}

/// An IP packet in a link layer's frame.
pub fn frame(link: Link, ip: &[u8]) -> Vec<u8> {
    let v6 = ip[0] >> 4 == 6;
    let ether_type: u16 = if v6 { 0x86dd } else { 0x0800 };
    let macs = [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2];
    let mut out = Vec::new();
    match link {
        Link::Ethernet => {
            out.extend_from_slice(&macs);
            out.extend_from_slice(&ether_type.to_be_bytes());
        }
        Link::Vlan(id) => {
            out.extend_from_slice(&macs);
            out.extend_from_slice(&0x8100u16.to_be_bytes());
            out.extend_from_slice(&id.to_be_bytes());
            out.extend_from_slice(&ether_type.to_be_bytes());
        }
        Link::Sll => {
            out.extend_from_slice(&0u16.to_be_bytes()); // to us
            out.extend_from_slice(&772u16.to_be_bytes()); // loopback
            out.extend_from_slice(&6u16.to_be_bytes());
            out.extend_from_slice(&[2, 0, 0, 0, 0, 1, 0, 0]);
            out.extend_from_slice(&ether_type.to_be_bytes());
        }
        Link::Sll2 => {
            out.extend_from_slice(&ether_type.to_be_bytes());
            out.extend_from_slice(&[0, 0]); // reserved
            out.extend_from_slice(&1u32.to_be_bytes()); // interface index
            out.extend_from_slice(&772u16.to_be_bytes());
            out.extend_from_slice(&[0, 6]); // packet type, address length
            out.extend_from_slice(&[2, 0, 0, 0, 0, 1, 0, 0]);
        }
        Link::Null => {
            let family: u32 = if v6 { 30 } else { 2 };
            out.extend_from_slice(&family.to_le_bytes());
        }
        Link::Raw => {}
    }
    out.extend_from_slice(ip);
    out
}

/// A capture file of frames, each at `start_ns + i * 1 ms` (nanoseconds since 1970).
pub fn file(format: Format, link: Link, frames: &[Vec<u8>], start_ns: u64) -> Vec<u8> {
    let times = (0..frames.len() as u64).map(|i| start_ns + i * 1_000_000);
    match format {
        Format::Ng => pcapng(
            &[(link.linktype(), 9)],
            frames.iter().zip(times).map(|(f, t)| (0, t, f.as_slice())),
        ),
        _ => pcap(format, link.linktype(), frames.iter().zip(times)),
    }
}

fn pcap<'a>(
    format: Format,
    linktype: u32,
    frames: impl Iterator<Item = (&'a Vec<u8>, u64)>,
) -> Vec<u8> {
    let be = format == Format::Be;
    let u32b = |v: u32| if be { v.to_be_bytes() } else { v.to_le_bytes() };
    let u16b = |v: u16| if be { v.to_be_bytes() } else { v.to_le_bytes() };
    let nanos = format == Format::Nanos;
    let mut out = Vec::new();
    out.extend_from_slice(&u32b(if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 }));
    out.extend_from_slice(&u16b(2));
    out.extend_from_slice(&u16b(4));
    out.extend_from_slice(&u32b(0));
    out.extend_from_slice(&u32b(0));
    out.extend_from_slice(&u32b(262_144));
    out.extend_from_slice(&u32b(linktype));
    for (f, t) in frames {
        let frac = if nanos {
            t % 1_000_000_000
        } else {
            t % 1_000_000_000 / 1000
        };
        out.extend_from_slice(&u32b((t / 1_000_000_000) as u32));
        out.extend_from_slice(&u32b(frac as u32));
        out.extend_from_slice(&u32b(f.len() as u32));
        out.extend_from_slice(&u32b(f.len() as u32));
        out.extend_from_slice(f);
    }
    out
}

fn block(out: &mut Vec<u8>, kind: u32, body: &[u8]) {
    let padded = body.len().div_ceil(4) * 4;
    let len = (12 + padded) as u32;
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(body);
    out.resize(out.len() + padded - body.len(), 0);
    out.extend_from_slice(&len.to_le_bytes());
}

/// A pcapng file: interfaces given as (link type, if_tsresol), then packets as
/// (interface, time in ns, frame). An unknown block (type 0x0BAD) sits before the first
/// packet, to be skipped.
pub fn pcapng<'a>(
    interfaces: &[(u32, u8)],
    packets: impl Iterator<Item = (u32, u64, &'a [u8])>,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut shb = Vec::new();
    shb.extend_from_slice(&0x1a2b_3c4du32.to_le_bytes());
    shb.extend_from_slice(&1u16.to_le_bytes());
    shb.extend_from_slice(&0u16.to_le_bytes());
    shb.extend_from_slice(&(-1i64).to_le_bytes());
    block(&mut out, 0x0a0d_0d0a, &shb);
    for &(linktype, tsresol) in interfaces {
        let mut idb = Vec::new();
        idb.extend_from_slice(&(linktype as u16).to_le_bytes());
        idb.extend_from_slice(&0u16.to_le_bytes());
        idb.extend_from_slice(&262_144u32.to_le_bytes());
        // if_tsresol option (code 9, length 1), then opt_endofopt.
        idb.extend_from_slice(&9u16.to_le_bytes());
        idb.extend_from_slice(&1u16.to_le_bytes());
        idb.extend_from_slice(&[tsresol, 0, 0, 0]);
        idb.extend_from_slice(&[0, 0, 0, 0]);
        block(&mut out, 1, &idb);
    }
    block(&mut out, 0x0bad, b"an unknown block, skipped");
    for (iface, ns, f) in packets {
        let resolution = 10u64.pow(u32::from(interfaces[iface as usize].1));
        let ts = ns as u128 * resolution as u128 / 1_000_000_000;
        let mut epb = Vec::new();
        epb.extend_from_slice(&iface.to_le_bytes());
        epb.extend_from_slice(&((ts >> 32) as u32).to_le_bytes());
        epb.extend_from_slice(&(ts as u32).to_le_bytes());
        epb.extend_from_slice(&(f.len() as u32).to_le_bytes());
        epb.extend_from_slice(&(f.len() as u32).to_le_bytes());
        epb.extend_from_slice(f);
        epb.resize(20 + f.len().div_ceil(4) * 4, 0);
        block(&mut out, 6, &epb);
    }
    out
}

/// A pcapng file whose packets are simple packet blocks (no interface number, no time)
/// on one Ethernet interface.
pub fn pcapng_simple(frames: &[Vec<u8>]) -> Vec<u8> {
    let mut out = pcapng(&[(1, 6)], std::iter::empty());
    for f in frames {
        let mut spb = (f.len() as u32).to_le_bytes().to_vec();
        spb.extend_from_slice(f);
        block(&mut out, 3, &spb);
    }
    out
}

/// A whole conversation as a capture file.
pub fn capture(format: Format, link: Link, client: &str, server: &str, segs: &[Seg]) -> Vec<u8> {
    let packets = ip_packets(client.parse().unwrap(), server.parse().unwrap(), segs);
    let frames: Vec<Vec<u8>> = packets.iter().map(|p| frame(link, p)).collect();
    file(format, link, &frames, START_NS)
}

/// 2026-01-02 03:04:05.123456789 UTC.
pub const START_NS: u64 = 1_767_323_045_123_456_789;
