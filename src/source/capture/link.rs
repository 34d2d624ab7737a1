//! From a captured frame to a TCP segment, through the link layer (Ethernet with 802.1Q
//! tags, Linux cooked capture v1 and v2, BSD null/loopback, raw IP) and IPv4 or IPv6,
//! with `etherparse` reading every header.

use std::net::{IpAddr, SocketAddr};

use etherparse::{EtherType, NetSlice, SlicedPacket, TransportSlice};

/// One TCP segment as the capture holds it.
pub struct Segment<'a> {
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub seq: u32,
    pub syn: bool,
    pub ack: bool,
    pub fin: bool,
    pub rst: bool,
    pub payload: &'a [u8],
}

/// What a frame is, as far as following TCP goes.
pub enum Decoded<'a> {
    Tcp(Segment<'a>),
    /// An IP fragment: its TCP header and payload cannot be read without the others.
    Fragment,
    /// Not TCP (UDP, ARP, ICMP...) or too short to say: nothing to follow.
    Other,
    /// A link type this reader does not know.
    UnknownLink,
}

/// pcap link types (https://www.tcpdump.org/linktypes.html).
const NULL: i32 = 0;
const ETHERNET: i32 = 1;
const RAW_OPENBSD: i32 = 12;
const RAW_BSD: i32 = 14;
const RAW: i32 = 101;
const LOOP: i32 = 108;
const LINUX_SLL: i32 = 113;
const IPV4: i32 = 228;
const IPV6: i32 = 229;
const LINUX_SLL2: i32 = 276;

pub fn decode(linktype: i32, data: &[u8]) -> Decoded<'_> {
    let sliced = match linktype {
        ETHERNET => SlicedPacket::from_ethernet(data),
        // Cooked captures name the protocol as an EtherType: v1 last of its 16 bytes, v2
        // first of its 20. Read here, since etherparse's SLL refuses the loopback's
        // hardware type (772), which is what `-i any` records for `lo`.
        LINUX_SLL => match data.get(..16) {
            Some(head) => SlicedPacket::from_ether_type(
                EtherType(u16::from_be_bytes([head[14], head[15]])),
                &data[16..],
            ),
            None => return Decoded::Other,
        },
        LINUX_SLL2 => match data.get(..20) {
            Some(head) => SlicedPacket::from_ether_type(
                EtherType(u16::from_be_bytes([head[0], head[1]])),
                &data[20..],
            ),
            None => return Decoded::Other,
        },
        // The address family (in either byte order) only repeats the IP version.
        NULL | LOOP => match data.get(4..) {
            Some(ip) => SlicedPacket::from_ip(ip),
            None => return Decoded::Other,
        },
        RAW | RAW_OPENBSD | RAW_BSD | IPV4 | IPV6 => SlicedPacket::from_ip(data),
        _ => return Decoded::UnknownLink,
    };
    let Ok(sliced) = sliced else {
        return Decoded::Other;
    };
    let (src, dst, fragmented) = match &sliced.net {
        Some(NetSlice::Ipv4(ip)) => (
            IpAddr::V4(ip.header().source_addr()),
            IpAddr::V4(ip.header().destination_addr()),
            ip.is_payload_fragmented(),
        ),
        Some(NetSlice::Ipv6(ip)) => (
            IpAddr::V6(ip.header().source_addr()),
            IpAddr::V6(ip.header().destination_addr()),
            ip.is_payload_fragmented(),
        ),
        _ => return Decoded::Other,
    };
    if fragmented {
        return Decoded::Fragment;
    }
    let Some(TransportSlice::Tcp(tcp)) = &sliced.transport else {
        return Decoded::Other;
    };
    Decoded::Tcp(Segment {
        src: SocketAddr::new(src, tcp.source_port()),
        dst: SocketAddr::new(dst, tcp.destination_port()),
        seq: tcp.sequence_number(),
        syn: tcp.syn(),
        ack: tcp.ack(),
        fin: tcp.fin(),
        rst: tcp.rst(),
        payload: tcp.payload(),
    })
}
