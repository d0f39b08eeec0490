"""A real Varnish (Debian's varnishd) with the repository's VCL, and plain HTTP, for the cache tests.

`varnish_required()` guards a test that needs Varnish: skipped locally with a reason when
VARNISH_URL is not set (`scripts/services.sh start varnish` sets it), a failure in CI
(REQUIRE_SERVICES). The test then starts a varnishd of its own on a free port in front of its own
server (a live server's port), as the Redis tests start their own redis-server, so that it can
stop it mid-test and never touches the shared one.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.cache_support import free_port
from tests.conftest import program_required, service_required

VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish" / "default.vcl"


def varnish_required() -> str:
    """The path of `varnishd`, when Varnish is available here (see the module docstring)."""
    service_required("VARNISH_URL", "Varnish")
    return program_required("varnishd", "varnish", "varnish")


def vcl_for(backend_port: int) -> str:
    """The repository's VCL with the backend on this loopback port."""
    text = VCL.read_text()
    return re.sub(r'\.port = "\d+";', f'.port = "{backend_port}";', text, count=1)


class VarnishServer:
    """A varnishd of this test's own in front of 127.0.0.1:`backend_port`; stop() ends it mid-test."""

    def __init__(self, binary: str, backend_port: int):
        self.binary = binary
        self.backend_port = backend_port
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="larportalen-test-varnish-")
        os.chmod(self.dir, 0o755)  # noqa: S103 - varnishd's unprivileged users read the VCL's copy here
        self.pid: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> VarnishServer:
        vcl = Path(self.dir) / "default.vcl"
        vcl.write_text(vcl_for(self.backend_port))
        pidfile = Path(self.dir) / "varnishd.pid"
        subprocess.run(
            [self.binary, "-a", f"127.0.0.1:{self.port}", "-f", str(vcl), "-n", f"{self.dir}/work",
             "-s", "malloc,64m", "-P", str(pidfile), "-T", "none"],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if pidfile.exists() and pidfile.read_text().strip():
                self.pid = int(pidfile.read_text())
                if _answers(self.url):
                    return self
            time.sleep(0.1)
        raise RuntimeError("varnishd did not start within 20 s")

    def stop(self) -> None:
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and _alive(self.pid):
                time.sleep(0.05)
            self.pid = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _answers(url: str) -> bool:
    try:
        fetch(url + "/", timeout=1)
    except OSError:
        return False
    return True


@contextmanager
def varnish_server(binary: str, backend_port: int):
    server = VarnishServer(binary, backend_port).start()
    try:
        yield server
    finally:
        server.close()


@dataclass
class Fetched:
    status: int
    headers: dict
    text: str


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def fetch(url: str, headers: dict | None = None, method: str = "GET", timeout: float = 30) -> Fetched:
    """One request, redirects not followed; any status is an answer."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)  # noqa: S310 - loopback only
    try:
        with _opener.open(request, timeout=timeout) as response:
            headers = {k.lower(): v for k, v in response.headers.items()}
            return Fetched(response.status, headers, response.read().decode())
    except urllib.error.HTTPError as error:
        body = error.read().decode(errors="replace")
        return Fetched(error.code, {k.lower(): v for k, v in error.headers.items()}, body)
