#!/usr/bin/env python3
"""Write a classic pcap (Ethernet, IPv4, TCP) of about SIZE megabytes to PATH: keep-alive
connections to a web server, 16 open at a time with their packets interleaved, each
carrying 40 exchanges (browser GETs with cookies, JSON POSTs; HTML responses of 0.5 to
6 KB with Content-Length, chunked responses, 304s), cut into 1448-byte segments with the
ACKs a real capture holds. Deterministic (fixed seed).

usage: bench/gen_pcap.py SIZE_MB PATH"""
import random
import struct
import sys

size = int(sys.argv[1]) * 1024 * 1024
path = sys.argv[2]
rng = random.Random(9293)
WORDS = b"the quick brown fox jumps over the lazy dog http message header body line".split()
MSS = 1448


def text(n):
    out = b" ".join(rng.choice(WORDS) for _ in range(n // 5 + 1))
    return out[:n]


def request():
    if rng.random() < 0.8:
        return (b"GET /%s/%d?q=%s HTTP/1.1\r\nHost: www.example.com\r\n"
                b"User-Agent: Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0\r\n"
                b"Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\nAccept-Encoding: gzip\r\n"
                b"Cookie: session=%d; theme=dark\r\nConnection: keep-alive\r\n\r\n"
                % (rng.choice(WORDS), rng.randint(1, 99999), rng.choice(WORDS), rng.randint(1, 1 << 40)))
    body = b'{"name": "%s", "count": %d}' % (rng.choice(WORDS), rng.randint(0, 1000))
    return (b"POST /api/items HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body))


def response():
    r = rng.random()
    if r < 0.6:
        body = b"<!doctype html>\n<html><body>\n" + text(rng.randint(500, 6000)) + b"\n</body></html>\n"
        return (b"HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\n"
                b"Content-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n"
                b"Connection: keep-alive\r\n\r\n%s" % (len(body), body))
    if r < 0.85:
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (text(rng.randint(20, 800)) for _ in range(rng.randint(1, 5))))
        return (b"HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Type: text/plain\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n")
    return b"HTTP/1.1 304 Not Modified\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\nETag: \"abc\"\r\n\r\n"


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


class Conn:
    def __init__(self, n):
        self.client = bytes([10, 0, (n >> 8) & 255, n & 255 or 1])
        self.server = bytes([10, 1, 0, 1])
        self.cport = 20000 + n % 40000
        self.cseq = rng.randint(0, 1 << 32 - 1)
        self.sseq = rng.randint(0, 1 << 32 - 1)
        self.left = 40
        self.packets = self.script()

    def seg(self, from_client, flags, payload=b""):
        src, dst = (self.client, self.server) if from_client else (self.server, self.client)
        sport, dport = (self.cport, 80) if from_client else (80, self.cport)
        seq, ack = (self.cseq, self.sseq) if from_client else (self.sseq, self.cseq)
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff, ack & 0xffffffff, 5 << 4, flags, 65535, 0, 0)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(payload), 0, 0x4000, 64, 6, 0, src, dst)
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
        eth = b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00"
        n = len(payload) + (1 if flags & 0x03 else 0)  # SYN and FIN take a number
        if from_client:
            self.cseq += n
        else:
            self.sseq += n
        return eth + ip + tcp + payload

    def send(self, from_client, data):
        for i in range(0, len(data), MSS):
            yield self.seg(from_client, 0x18, data[i:i + MSS])
            yield self.seg(not from_client, 0x10)

    def script(self):
        yield self.seg(True, 0x02)
        yield self.seg(False, 0x12)
        yield self.seg(True, 0x10)
        for _ in range(self.left):
            yield from self.send(True, request())
            yield from self.send(False, response())
        yield self.seg(True, 0x11)
        yield self.seg(False, 0x11)
        yield self.seg(True, 0x10)


with open(path, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
    written, conns, next_id, t = 24, [], 0, 1_700_000_000_000_000
    while written < size or conns:
        while len(conns) < 16 and written < size:
            next_id += 1
            conns.append(Conn(next_id))
        c = rng.choice(conns)
        for _ in range(rng.randint(1, 6)):
            p = next(c.packets, None)
            if p is None:
                conns.remove(c)
                break
            t += rng.randint(5, 200)
            f.write(struct.pack("<IIII", t // 1_000_000, t % 1_000_000, len(p), len(p)) + p)
            written += 16 + len(p)
