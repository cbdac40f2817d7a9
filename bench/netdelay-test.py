#!/usr/bin/env python3
"""bench/netdelay-test.py [NETDELAY_BINARY]: a self-test of the benchmark's
delaying proxy (bench/netdelay.c), in a few seconds, on loopback only.

Without an argument it builds bench/netdelay.c into a scratch directory
(cc -O2 -Wall -Wextra -Werror, as scripts/bench.sh does). Then, against an
echo server of its own, at delays 0 and 1 ms:
  - 8 connections at once each send 4 MiB (different bytes on each) and read
    the echo while sending; one of them reads slowly, so the proxy must hold
    back and resume (back-pressure); every connection must get back exactly
    what it sent, in order, then a clean end of stream after its half-close;
  - a connection whose server closes first: the client still gets every byte
    the server sent before closing, then the end of stream;
  - ping-pong of a small message: no round trip through the proxy is
    shorter than the delay (its p50, and straight to the server, are
    printed; how close to the delay it stays is measured by the benchmark,
    not asserted by a test);
  - SIGTERM writes the stats line (chunks, mean_us, p50_us, p99_us, max_us).
Prints TAP lines ("ok - ..." / "not ok - ..."); exits 1 when any failed."""
import hashlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LOOP = "127.0.0.1"
failed = 0


def tap(ok, what):
    global failed
    print(("ok - " if ok else "not ok - ") + what, flush=True)
    failed += 0 if ok else 1


def free_port():
    s = socket.socket()
    s.bind((LOOP, 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Echo:
    """Echoes every connection; on end of stream it half-closes too. With
    close_first, it sends `close_first` bytes, then closes without reading."""

    def __init__(self, close_first=0):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((LOOP, 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.close_first = close_first
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self.handle, args=(c,), daemon=True).start()

    def handle(self, c):
        with c:
            if self.close_first:
                c.sendall(pattern(99, self.close_first))
                return
            while True:
                d = c.recv(65536)
                if not d:
                    c.shutdown(socket.SHUT_WR)
                    return
                c.sendall(d)


def pattern(seed, n):
    out, i = [], 0
    while sum(map(len, out)) < n:
        out.append(hashlib.sha256(b"%d-%d" % (seed, i)).digest() * 64)
        i += 1
    return b"".join(out)[:n]


def start_proxy(binary, target, delay, stats):
    port = free_port()
    p = subprocess.Popen([binary, str(port), str(target), str(delay), "--stats", stats])
    for _ in range(100):
        try:
            socket.create_connection((LOOP, port), timeout=1).close()
            return p, port
        except OSError:
            time.sleep(0.02)
    p.kill()
    raise SystemExit("not ok - the proxy did not start listening")


def transfer(port, seed, size, slow, result):
    """Sends size bytes while reading the echo; result[seed] = (ok, detail)."""
    try:
        s = socket.create_connection((LOOP, port), timeout=30)
        data = pattern(seed, size)

        def send():
            for i in range(0, size, 50000):
                s.sendall(data[i:i + 50000])
            s.shutdown(socket.SHUT_WR)

        t = threading.Thread(target=send)
        t.start()
        got = bytearray()
        while True:
            d = s.recv(16384 if slow else 262144)
            if not d:
                break
            got += d
            if slow:
                time.sleep(0.0005)
        t.join()
        s.close()
        result[seed] = (bytes(got) == data, "%d of %d bytes back%s" % (
            len(got), size, "" if bytes(got) == data[:len(got)] else ", not the bytes sent"))
    except Exception as e:  # noqa: BLE001 (a test reports every failure)
        result[seed] = (False, repr(e))


def rtt(port, n=300):
    """(min, p50) of n round trips of a small message, in ms."""
    s = socket.create_connection((LOOP, port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    v = []
    for _ in range(n):
        t = time.perf_counter()
        s.sendall(b"x" * 40)
        got = 0
        while got < 40:
            got += len(s.recv(4096))
        v.append(time.perf_counter() - t)
    s.close()
    v.sort()
    return v[0] * 1000, v[len(v) // 2] * 1000


def main():
    tmp = tempfile.mkdtemp(prefix="netdelay-test.")
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(tmp, "netdelay")
    if len(sys.argv) <= 1:
        r = subprocess.run(["cc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", binary,
                            os.path.join(HERE, "netdelay.c")])
        tap(r.returncode == 0, "bench/netdelay.c builds with -Wall -Wextra -Werror")
        if r.returncode:
            return 1
    echo = Echo()
    closer = Echo(close_first=3 * 1024 * 1024)
    for delay in ("0", "1"):
        stats = os.path.join(tmp, "stats-%s.txt" % delay)
        proxy, port = start_proxy(binary, echo.port, delay, stats)
        try:
            result, size = {}, 4 * 1024 * 1024
            ts = [threading.Thread(target=transfer, args=(port, seed, size, seed == 0, result)) for seed in range(8)]
            t0 = time.monotonic()
            for t in ts:
                t.start()
            for t in ts:
                t.join(60)
            bad = ["conn %d: %s" % (k, v[1]) for k, v in sorted(result.items()) if not v[0]]
            tap(len(result) == 8 and not bad,
                "delay %s ms: 8 connections x 4 MiB each way (one slow reader) come back byte for byte, "
                "then end of stream (%.1f s)%s" % (delay, time.monotonic() - t0, "; " + "; ".join(bad) if bad else ""))

            cproxy, cport = start_proxy(binary, closer.port, delay, os.path.join(tmp, "c.txt"))
            try:
                s = socket.create_connection((LOOP, cport), timeout=10)
                got = bytearray()
                while True:
                    d = s.recv(65536)
                    if not d:
                        break
                    got += d
                s.close()
                tap(bytes(got) == pattern(99, 3 * 1024 * 1024),
                    "delay %s ms: the server closing first: every byte it sent arrives, then end of stream" % delay)
            finally:
                cproxy.terminate()
                cproxy.wait(10)

            (_, direct), (fastest, through) = rtt(echo.port), rtt(port)
            nominal = float(delay)
            tap(fastest >= nominal,
                "delay %s ms: no round trip through the proxy is shorter than the delay (fastest %.3f ms; "
                "p50 %.3f ms through, %.3f ms direct)" % (delay, fastest, through, direct))
        finally:
            proxy.send_signal(signal.SIGTERM)
            try:
                rc = proxy.wait(10)
            except subprocess.TimeoutExpired:
                proxy.kill()
                rc = "hung"
        line = open(stats).read().split() if os.path.exists(stats) else []
        kv = dict(zip(line[0::2], line[1::2]))
        tap(rc == 0 and all(k in kv for k in ("chunks", "mean_us", "p50_us", "p99_us", "max_us"))
            and int(kv["chunks"]) > 0,
            "delay %s ms: SIGTERM ends it (exit %s) and writes its stats: %s" % (delay, rc, " ".join(line[2:])))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
