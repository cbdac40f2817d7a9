#!/usr/bin/env python3
"""bench/netdelay.py: a TCP proxy on loopback that adds a fixed delay to
every round trip, for the benchmark's network phase.

    netdelay.py LISTEN_PORT TARGET_PORT DELAY_MS [--stats FILE]

Listens on 127.0.0.1:LISTEN_PORT, forwards every connection to
127.0.0.1:TARGET_PORT, and holds each chunk of bytes for DELAY_MS / 2 in each
direction, so a request and its answer together take DELAY_MS longer. Chunks
keep their order and are not throttled: a chunk is released DELAY_MS / 2 after
it arrived, whatever is queued behind it (a link with latency, not a slow
link). Only loopback is ever listened on or connected to. It runs until
SIGTERM or SIGINT; with --stats it writes, on exit, how late chunks were
released beyond their due time (the proxy's own added cost: mean, p50, p99,
max in microseconds), so the benchmark can report it.
"""
import asyncio
import signal
import sys
import time

LOOPBACK = "127.0.0.1"


class Stats:
    def __init__(self):
        self.late_us = []

    def add(self, late_s):
        if len(self.late_us) < 2_000_000:
            self.late_us.append(max(0.0, late_s) * 1e6)

    def summary(self):
        v = sorted(self.late_us)
        if not v:
            return "chunks 0"
        def q(p):
            return v[min(len(v) - 1, int(p * len(v)))]
        return "chunks %d mean_us %.1f p50_us %.1f p99_us %.1f max_us %.1f" % (
            len(v), sum(v) / len(v), q(0.5), q(0.99), v[-1])


async def pump(reader, writer, half_delay, stats):
    """Copy reader to writer, each chunk released half_delay after arrival."""
    queue = asyncio.Queue()

    async def receive():
        try:
            while True:
                data = await reader.read(65536)
                await queue.put((time.monotonic() + half_delay, data))
                if not data:
                    return
        except (ConnectionError, asyncio.CancelledError):
            await queue.put((time.monotonic(), b""))

    recv = asyncio.ensure_future(receive())
    try:
        while True:
            due, data = await queue.get()
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                break
            stats.add(time.monotonic() - due)
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        recv.cancel()
        try:
            writer.close()
        except Exception:
            pass


async def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    listen, target, delay_ms = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    stats_file = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--stats" else None
    half = delay_ms / 2000.0
    stats = Stats()

    async def handle(creader, cwriter):
        try:
            sreader, swriter = await asyncio.open_connection(LOOPBACK, target)
        except OSError:
            cwriter.close()
            return
        for s in (cwriter, swriter):
            sock = s.get_extra_info("socket")
            if sock is not None:
                import socket
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        await asyncio.gather(pump(creader, swriter, half, stats), pump(sreader, cwriter, half, stats))

    server = await asyncio.start_server(handle, LOOPBACK, listen)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()
    if stats_file:
        with open(stats_file, "w") as f:
            f.write("delay_ms %s %s\n" % (delay_ms, stats.summary()))


if __name__ == "__main__":
    asyncio.run(main())
