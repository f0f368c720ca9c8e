"""A private nginx with the RTMP module on a free loopback port: the real ingest the push tests publish to.

`nginx_rtmp` (a pytest fixture) starts one per test, in the foreground (`daemon off;`) as a child process with its
own prefix, pid file and error log under the test's tmp_path, and stops it at teardown. `meta copy;` makes nginx-rtmp
hand the publisher's onMetaData (with its AIGC field) to subscribers unchanged; without it nginx writes its own.
`stop()` and `start()` restart it on the same port, which is how the tests cut the push. Missing nginx or the module
is a skip that says why, and a failure under REQUIRE_SERVICES=1 (scripts/ensure-system-deps installs both in test mode).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import skip_unless_required

MODULE = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class NginxRtmp:
    def __init__(self, nginx: str, prefix: Path, port: int) -> None:
        self.nginx, self.prefix, self.port = nginx, prefix, port
        self.conf = prefix / "nginx.conf"
        self.error_log = prefix / "error.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.conf.write_text(
            f"load_module {MODULE};\n"
            "daemon off;\n"
            "worker_processes 1;\n"
            f"pid {prefix / 'nginx.pid'};\n"
            f"error_log {self.error_log} info;\n"
            "events { worker_connections 64; }\n"
            "rtmp {\n"
            "  server {\n"
            f"    listen 127.0.0.1:{port};\n"
            "    chunk_size 4096;\n"
            "    application live { live on; meta copy; }\n"
            "  }\n"
            "}\n"
        )

    def url(self, key: str) -> str:
        return f"rtmp://127.0.0.1:{self.port}/live/{key}"

    def start(self) -> None:
        assert self.process is None
        self.process = subprocess.Popen(
            [self.nginx, "-c", str(self.conf), "-p", str(self.prefix), "-e", str(self.error_log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while not _listening(self.port):
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                self.process = None
                raise RuntimeError(f"nginx exited: {err} {self.log()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not listen on {self.port}: {self.log()[-2000:]}")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop at once (SIGTERM: nginx's fast shutdown closes every RTMP connection)."""
        process, self.process = self.process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()

    def log(self) -> str:
        return self.error_log.read_text(errors="replace") if self.error_log.exists() else ""


@pytest.fixture
def nginx_rtmp(tmp_path: Path) -> Iterator[NginxRtmp]:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if nginx is None:
        skip_unless_required("nginx is not installed (apt-get install nginx-light libnginx-mod-rtmp)")
    if not MODULE.exists():
        skip_unless_required(f"the nginx RTMP module is missing at {MODULE} (apt-get install libnginx-mod-rtmp)")
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    server = NginxRtmp(str(nginx), prefix, free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
