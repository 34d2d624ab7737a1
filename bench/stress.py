#!/usr/bin/env python3
"""Load generators for bench/stress.sh: attacks and awkward clients against
`httpdump listen` and nginx on loopback, each bounded in count and time.

    python3 bench/stress.py BIN [--quick] [--no-nginx]

Prints one table: scenario, server, peak RSS (VmHWM of the serving process), requests
sent, answered, lost, and a note. Standard library only.
"""

import os
import random
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HOST = "127.0.0.1"
BODY = b"Hello, Destined Person.\r\n"
QUICK = "--quick" in sys.argv
NGINX = "--no-nginx" not in sys.argv and subprocess.call(
    ["sh", "-c", "command -v nginx"], stdout=subprocess.DEVNULL) == 0

# Counts and limits; --quick divides the counts for a smoke run.
SCALE = 10 if QUICK else 1
IDLE = 1000 // SCALE          # idle connections in the flood
SLOW = 600 // SCALE           # slowloris clients (more than listen's 512 slots)
SLOW_SECONDS = 12             # how long the slowloris clients trickle
NEVER_READ = 50 // SCALE      # clients that pipeline big GETs and never read
NEVER_READ_EACH = 20
BIG = 1 << 20                 # bytes of the large response / POST body
POSTS = 100 // SCALE          # large POSTs while stdout is stalled
PIPELINE = 10_000 // SCALE    # pipelined requests, split anywhere
PIPE_CONNS = 10
REPLY_WAIT = 5.0              # a real client waits this long for an answer


def free_port():
    s = socket.socket()
    s.bind((HOST, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def vm_hwm_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class Server:
    """One server process for one scenario; `pid_for_rss` is the process that serves."""

    def stop(self):
        raise NotImplementedError


class Httpdump(Server):
    name = "httpdump"

    def __init__(self, binary, args=(), stdout="file"):
        self.out = tempfile.TemporaryFile()
        self.err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [binary, "listen", "0", "--color", "never", "--width", "100", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if stdout == "pipe" else self.out,
            stderr=subprocess.PIPE,
            env={**os.environ, "LANG": "C"},
        )
        line = self.proc.stderr.readline().decode()
        if not line.startswith("listening on http://"):
            raise SystemExit(f"stress: httpdump did not start: {line!r}")
        self.port = int(line.rsplit(":", 1)[1])
        # Keep draining stderr so the server never blocks on it.
        threading.Thread(target=self._drain_err, daemon=True).start()
        self.pid_for_rss = self.proc.pid
        self.pump = None

    def _drain_err(self):
        for line in self.proc.stderr:
            self.err.write(line)

    def rss(self):
        return vm_hwm_kib(self.pid_for_rss)

    def drain_stdout(self):
        """For a stalled stdout: start reading it now, into the file."""
        def pump():
            while True:
                chunk = self.proc.stdout.read(65536)
                if not chunk:
                    return
                self.out.write(chunk)
        self.pump = threading.Thread(target=pump, daemon=True)
        self.pump.start()

    def stop(self, limit=15):
        """SIGTERM, then wait (bounded); returns (exit code, tables shown, panics on stderr)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(limit)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = f"killed after {limit} s"
        if self.pump:
            self.pump.join(limit)
        self.out.seek(0)
        shown = sum(1 for line in self.out if line.startswith(b"Request "))
        self.err.seek(0)
        panics = self.err.read().count(b"panicked")
        return code, shown, panics


class Nginx(Server):
    name = "nginx"

    def __init__(self, big_file):
        self.dir = tempfile.mkdtemp(prefix="stress-nginx-")
        self.port = free_port()
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""worker_processes 1;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    client_body_temp_path {self.dir}/body;
    proxy_temp_path {self.dir}/proxy;
    fastcgi_temp_path {self.dir}/fastcgi;
    uwsgi_temp_path {self.dir}/uwsgi;
    scgi_temp_path {self.dir}/scgi;
    keepalive_requests 1000000;
    client_max_body_size 10m;
    server {{
        listen {HOST}:{self.port};
        location = /big {{ default_type text/plain; alias {big_file}; }}
        location / {{ default_type text/plain; return 200 "Hello, Destined Person.\\r\\n"; }}
    }}
}}
""")
        self.proc = subprocess.Popen(
            ["nginx", "-p", self.dir, "-c", conf, "-g", "daemon off;"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while True:
            try:
                socket.create_connection((HOST, self.port), 0.2).close()
                break
            except OSError:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise SystemExit("stress: nginx did not start")
                time.sleep(0.05)
        self.pid_for_rss = self._worker()

    def _worker(self):
        try:
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                kids = f.read().split()
            return int(kids[0]) if kids else self.proc.pid
        except OSError:
            return self.proc.pid

    def rss(self):
        return vm_hwm_kib(self.pid_for_rss)

    def stop(self, limit=10):
        self.proc.send_signal(signal.SIGQUIT)
        try:
            code = self.proc.wait(limit)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = "killed"
        return code, None, 0


def request(port, data=b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", wait=REPLY_WAIT):
    """One request on a fresh connection; returns (status or None, seconds)."""
    started = time.time()
    try:
        with socket.create_connection((HOST, port), wait) as s:
            s.settimeout(wait)
            s.sendall(data)
            head = b""
            while b"\r\n" not in head:
                chunk = s.recv(4096)
                if not chunk:
                    break
                head += chunk
        status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/1.") else None
    except (OSError, ValueError, IndexError):
        status = None
    return status, time.time() - started


def idle_flood(server):
    """IDLE connections that send nothing, then 10 real requests one after another."""
    idle = []
    for _ in range(IDLE):
        try:
            idle.append(socket.create_connection((HOST, server.port), 2))
        except OSError:
            break
    results = [request(server.port) for _ in range(10)]
    answered = sum(1 for status, _ in results if status == 200)
    others = sorted({s for s, _ in results if s != 200}, key=str)
    worst = max(t for _, t in results)
    for s in idle:
        s.close()
    return 10, answered, f"{len(idle)} idle open; slowest {worst:.2f} s" + (
        f"; got {others}" if others else "")


def slowloris(server):
    """SLOW clients trickle a never-ending head a byte at a time; real clients come too."""
    stop = time.time() + SLOW_SECONDS
    slow = []
    for _ in range(SLOW):
        try:
            s = socket.create_connection((HOST, server.port), 2)
            s.setblocking(False)
            slow.append(s)
        except OSError:
            break
    head = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10_000
    results = []

    def real_clients():
        while time.time() < stop - REPLY_WAIT:
            results.append(request(server.port))
            time.sleep(0.5)

    t = threading.Thread(target=real_clients)
    t.start()
    at = 0
    while time.time() < stop:
        for s in slow:
            try:
                s.send(head[at:at + 1])
            except OSError:
                pass
        at += 1
        time.sleep(0.2)
    t.join()
    for s in slow:
        s.close()
    answered = sum(1 for status, _ in results if status == 200)
    others = sorted({s for s, _ in results if s != 200}, key=str)
    worst = max((t for _, t in results), default=0)
    return len(results), answered, f"{len(slow)} slow clients; slowest {worst:.2f} s" + (
        f"; got {others}" if others else "")


def never_reading(server):
    """Clients pipeline GETs of a 1 MiB reply and never read; then a real request."""
    clients = []
    ask = b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n" * NEVER_READ_EACH
    for _ in range(NEVER_READ):
        try:
            s = socket.create_connection((HOST, server.port), 2)
            s.sendall(ask)
            clients.append(s)
        except OSError:
            break
    time.sleep(3)  # let the server fill whatever it buffers: this is what is measured
    status, took = request(server.port, b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
    rss = server.rss()
    for s in clients:
        s.close()
    return 1, int(status == 200), (
        f"{len(clients)}x{NEVER_READ_EACH} GET /big unread; real one: {status} in {took:.2f} s"), rss


def stalled_stdout(server):
    """Large POSTs (body of short lines) while nobody reads the server's stdout.

    Each POST goes on its own connection, at most POSTS of them for 40 s. A server that
    bounds what it holds for the printer must at some point stop answering and hold the
    client back instead; the client then keeps its connection open, stdout is drained,
    and the held request must be answered after all (held back is not lost)."""
    line = b"x" * 63 + b"\n"
    body = line * (BIG // len(line))
    post = (b"POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
    answered = 0
    held = None
    deadline = time.time() + 40
    sent = 0
    for _ in range(POSTS):
        if time.time() > deadline:
            break
        sent += 1
        s = socket.create_connection((HOST, server.port), REPLY_WAIT)
        s.settimeout(REPLY_WAIT)
        try:
            s.sendall(post)
            answered += s.recv(64).startswith(b"HTTP/1.1 200 ")
            s.close()
        except OSError:
            held = s  # held back: the server waits for room in its output queue
            break
    rss = server.rss()
    server.drain_stdout()
    note = "stdout unread during the POSTs"
    if held is not None:
        try:
            held.settimeout(30)
            got = held.recv(64)
            answered += got.startswith(b"HTTP/1.1 200 ")
            note += "; POST %d held back, answered once drained: %s" % (
                sent, "yes" if got.startswith(b"HTTP/1.1 200 ") else "no")
        except OSError as e:
            note += "; POST %d held back, then failed: %s" % (sent, e)
        held.close()
    return sent, answered, note, rss


def split_pipelines(server):
    """PIPELINE requests on PIPE_CONNS connections, written in random pieces."""
    per = PIPELINE // PIPE_CONNS
    one = [b"GET /p HTTP/1.1\r\nHost: x\r\n\r\n",
           b"POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world",
           b"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
           b"5\r\nhello\r\n0\r\n\r\n"]
    counts = [0] * PIPE_CONNS
    deadline = time.time() + 60
    rng = random.Random(10)

    def conn(i):
        data = b"".join(rng.choice(one) for _ in range(per))
        try:
            s = socket.create_connection((HOST, server.port), 5)
        except OSError:
            return
        got = bytearray()
        at = 0
        s.setblocking(False)
        while time.time() < deadline:
            want_write = at < len(data)
            r, w, _ = select.select([s], [s] if want_write else [], [], 0.5)
            if w:
                n = rng.randint(1, 300)
                try:
                    at += s.send(data[at:at + n])
                except OSError:
                    break
                if at >= len(data):
                    s.shutdown(socket.SHUT_WR)
            if r:
                try:
                    chunk = s.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                got += chunk
            if not r and not w and not want_write:
                break  # nothing more within half a second after all was sent
        counts[i] = got.count(b"HTTP/1.1 200 ")
        s.close()

    threads = [threading.Thread(target=conn, args=(i,)) for i in range(PIPE_CONNS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return per * PIPE_CONNS, sum(counts), f"{PIPE_CONNS} connections, pieces of 1-300 bytes"


def main():
    binary = sys.argv[1]
    big = tempfile.NamedTemporaryFile(delete=False)
    big.write(os.urandom(BIG // 2).hex().encode())
    big.close()
    os.chmod(big.name, 0o644)  # nginx's worker runs as another user
    rows = []

    def row(scenario, server, sent, answered, note, rss=None, shown=None, code=None):
        rss = rss if rss is not None else server.rss()
        if shown is not None:
            lost = sent - min(answered, shown)
            note += f"; tables shown {shown}"
        else:
            lost = sent - answered
        if code not in (None, 0):
            note += f"; exit {code}"
        rows.append((scenario, server.name, f"{rss / 1024:.1f} MiB" if rss else "?",
                     sent, answered, lost, note))
        print(f"  {scenario} / {server.name}: done", file=sys.stderr, flush=True)

    def each(scenario, fn, args=(), nginx=True, show=False):
        servers = [lambda: Httpdump(binary, args)]
        if nginx and NGINX:
            servers.append(lambda: Nginx(big.name))
        for make in servers:
            server = make()
            try:
                out = fn(server)
            finally:
                rss = server.rss()
                code, shown, panics = server.stop()
            sent, answered, note = out[:3]
            if panics:
                note += f"; {panics} panics on stderr"
            row(scenario, server, sent, answered, note,
                rss=out[3] if len(out) > 3 else rss,
                shown=shown if show and server.name == "httpdump" else None, code=code)

    each("idle flood", idle_flood)
    each("slowloris", slowloris)
    each("never-reading client", never_reading, ["--body-file", big.name])
    # Stalled stdout: httpdump only (nginx prints nothing per request).
    server = Httpdump(binary, stdout="pipe")
    try:
        sent, answered, note, rss = stalled_stdout(server)
    finally:
        code, shown, panics = server.stop(limit=30)
    if panics:
        note += f"; {panics} panics on stderr"
    row("stalled stdout", server, sent, answered, note, rss=rss, shown=shown, code=code)
    each("split pipelines", split_pipelines, show=True)
    os.unlink(big.name)

    head = ("scenario", "server", "peak RSS", "sent", "answered", "lost", "note")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    for r in [head, tuple("-" * w for w in widths)] + rows:
        print(" | ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())


if __name__ == "__main__":
    main()
