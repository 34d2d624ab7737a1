#!/usr/bin/env python3
"""A curl transcript of one response whose body is SIZE_MB MiB of short lines, for timing
how `httpdump parse` maps body lines back to transcript lines.

usage: bench/gen_transcript.py SIZE_MB verbose|trace > FILE
"""
import sys

size = int(float(sys.argv[1]) * 1024 * 1024)
kind = sys.argv[2]
lines = []
total = 0
n = 0
while total < size:
    line = b"line %07d\n" % n
    lines.append(line)
    total += len(line)
    n += 1
body = b"".join(lines)
head = [
    b"HTTP/1.1 200 OK",
    b"Server: nginx/1.22.1",
    b"Content-Type: text/plain",
    b"Content-Length: %d" % len(body),
    b"",
]
out = sys.stdout.buffer
if kind == "verbose":
    out.write(b"*   Trying 127.0.0.1:8080...\n")
    out.write(b"* Connected to 127.0.0.1 (127.0.0.1) port 8080 (#0)\n")
    out.write(b"> GET /big HTTP/1.1\r\n> Host: 127.0.0.1:8080\r\n> Accept: */*\r\n> \r\n")
    for h in head:
        out.write(b"< " + h + b"\r\n")
    out.write(body)
    out.write(b"* Connection #0 to host 127.0.0.1 left intact\n")
elif kind == "trace":
    req = b"GET /big HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: */*\r\n\r\n"
    out.write(b"== Info: Connected to 127.0.0.1 (127.0.0.1) port 8080 (#0)\n")
    out.write(b"=> Send header, %d bytes (0x%x)\n" % (len(req), len(req)))
    at = 0
    for line in req.split(b"\r\n")[:-1]:
        out.write(b"%04x: %s\n" % (at, line))
        at += len(line) + 2
    for h in head:
        raw = h + b"\r\n"
        out.write(b"<= Recv header, %d bytes (0x%x)\n" % (len(raw), len(raw)))
        out.write(b"0000: %s\n" % h)
    block = 16384
    for start in range(0, len(body), block):
        chunk = body[start:start + block]
        out.write(b"<= Recv data, %d bytes (0x%x)\n" % (len(chunk), len(chunk)))
        at = 0
        for line in chunk.split(b"\n"):
            if at >= len(chunk):
                break
            out.write(b"%04x: %s\n" % (at, line))
            at += len(line) + 1
    out.write(b"== Info: Connection #0 to host 127.0.0.1 left intact\n")
else:
    sys.exit("kind must be verbose or trace")
