"""A TCP relay in front of the ingest that cuts every connection through it every `every` seconds, as an ingest that
accepts a push and then drops it does.

It runs in its own process (`FlakyProxy` starts it): PyAV connects an RTMP output while holding the GIL, so a relay on
a thread of the pushing process could not answer the handshake it waits for.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


class FlakyProxy:
    def __init__(self, target_port: int, every: float) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.streaming.live.flaky_proxy", str(target_port), str(every)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        self.port = int(self._process.stdout.readline())
        self.cuts = 0

    def close(self) -> None:
        self._process.terminate()
        out, _ = self._process.communicate(timeout=10)
        self.cuts = out.count("cut")


def _serve(target_port: int, every: float) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print(listener.getsockname()[1], flush=True)
    relayed: list[socket.socket] = []
    lock = threading.Lock()

    def pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)

    def cut_every() -> None:
        while True:
            time.sleep(every)
            with lock:
                sockets = relayed[:]
                relayed.clear()
            for sock in sockets:
                # shutdown, not just close: close() leaves the connection open while a relay thread sits in recv()
                # on it, and nginx would keep the old publisher (refusing the new one as "already publishing").
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()
            print("cut", flush=True)

    threading.Thread(target=cut_every, daemon=True).start()
    while True:
        client, _ = listener.accept()
        upstream = socket.create_connection(("127.0.0.1", target_port), timeout=5)
        upstream.settimeout(None)
        with lock:
            relayed.extend((client, upstream))
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=pipe, args=(a, b), daemon=True).start()


if __name__ == "__main__":
    _serve(int(sys.argv[1]), float(sys.argv[2]))
