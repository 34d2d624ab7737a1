#!/usr/bin/env python3
"""Write a stream of realistic HTTP/1.1 requests and responses, about SIZE megabytes,
to standard output: browser GETs, JSON POSTs, HTML and JSON responses, chunked
responses with trailers, 304s and redirects. Deterministic (fixed seed)."""
import random
import sys

size = int(sys.argv[1]) * 1024 * 1024 if len(sys.argv) > 1 else 200 * 1024 * 1024
rng = random.Random(9112)
out = sys.stdout.buffer

UA = [
    b"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    b"curl/7.88.1",
    b"Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0",
]
WORDS = b"the quick brown fox jumps over the lazy dog http message header body line".split()


def text(n):
    lines, cur = [], []
    total = 0
    while total < n:
        w = rng.choice(WORDS)
        cur.append(w)
        total += len(w) + 1
        if len(cur) > 10:
            lines.append(b" ".join(cur))
            cur = []
    lines.append(b" ".join(cur))
    return b"\n".join(lines)[:n]


def get():
    path = b"/%s/%d?q=%s" % (rng.choice(WORDS), rng.randint(1, 99999), rng.choice(WORDS))
    return (b"GET " + path + b" HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: " + rng.choice(UA) +
            b"\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            b"Accept-Language: en-US,en;q=0.9,zh-CN;q=0.8\r\nAccept-Encoding: gzip, deflate, br\r\n"
            b"Cookie: session=%d; theme=dark; _ga=GA1.2.%d\r\nConnection: keep-alive\r\n\r\n"
            % (rng.randint(1, 1 << 40), rng.randint(1, 1 << 30)))


def post():
    body = b'{"name": "%s", "count": %d, "tags": ["%s", "%s"]}' % (
        rng.choice(WORDS), rng.randint(0, 1000), rng.choice(WORDS), rng.choice(WORDS))
    return (b"POST /api/items HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: " + rng.choice(UA) +
            b"\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body) + body)


def html():
    body = b"<!doctype html>\n<html><body>\n" + text(rng.randint(500, 6000)) + b"\n</body></html>\n"
    return (b"HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\n"
            b"Content-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\nConnection: keep-alive\r\n"
            b"Cache-Control: max-age=3600\r\nETag: \"%x\"\r\n\r\n" % (len(body), rng.randint(1, 1 << 32)) + body)


def chunked():
    parts = []
    for _ in range(rng.randint(1, 5)):
        c = text(rng.randint(20, 800))
        parts.append(b"%x\r\n" % len(c) + c + b"\r\n")
    return (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
            b"Trailer: X-Checksum\r\n\r\n" + b"".join(parts) + b"0\r\nX-Checksum: %d\r\n\r\n" % rng.randint(1, 1 << 20))


def small():
    return rng.choice([
        b"HTTP/1.1 304 Not Modified\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\nETag: \"abc\"\r\n\r\n",
        b"HTTP/1.1 301 Moved Permanently\r\nLocation: https://www.example.com/\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 204 No Content\r\nServer: nginx\r\n\r\n",
    ])


makers = [get, get, post, html, chunked, small]
written = 0
batch = []
while written < size:
    m = rng.choice(makers)()
    batch.append(m)
    written += len(m)
    if len(batch) >= 1000:
        out.write(b"".join(batch))
        batch = []
out.write(b"".join(batch))
