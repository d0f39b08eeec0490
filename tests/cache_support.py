"""Real Redis servers and broken addresses for the cache tests; nothing here mocks Redis.

- `redis_server_required()` guards a test that needs Redis: skipped locally with a reason when
  REDIS_URL is not set, a failure in CI (REQUIRE_SERVICES). Tests that stop Redis start their own
  `RedisServer` (Debian's `redis-server`, the one scripts/services.sh runs) on a free port, so
  they can kill it without touching the shared one.
- Broken addresses: a closed port (refused at once), a blackhole (a listening socket whose accept
  queue is full: the kernel drops new connections, so connecting hangs until the timeout) and a
  silent server (accepts, never answers: every read hangs until the timeout).
- The worker processes that prove counters atomic live in `tests/cache_workers.py`, which a
  fresh interpreter can import without Django's apps.
"""

from __future__ import annotations

import select
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager

from tests.conftest import program_required, service_required

# Short for tests; production defaults are in portal/cache.py and portal/settings/production.py.
TEST_TIMEOUT = 0.25
TEST_BREAKER_SECONDS = 0.5


def redis_server_required() -> str:
    """The path of `redis-server`, when Redis is available here (see the module docstring)."""
    service_required("REDIS_URL", "Redis")
    return program_required("redis-server", "redis-server", "redis")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_caches(url: str, **options) -> dict:
    """CACHES for the portal's fail-soft Redis backend at `url`, with short test timeouts."""
    return {
        "default": {
            "BACKEND": "portal.cache.FailSoftRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
            "OPTIONS": {
                "socket_connect_timeout": TEST_TIMEOUT,
                "socket_timeout": TEST_TIMEOUT,
                "BREAKER_SECONDS": TEST_BREAKER_SECONDS,
                **options,
            },
        }
    }


def file_caches(directory, **options) -> dict:
    return {
        "default": {
            "BACKEND": "portal.cache.FailSoftFileBasedCache",
            "LOCATION": str(directory),
            "OPTIONS": {"BREAKER_SECONDS": TEST_BREAKER_SECONDS, **options},
        }
    }


def forget_keys(cache) -> None:
    """Remove a test's keys: on Redis only those under its own prefix (other runs share the server)."""
    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):
        client = cache._cache.get_client(None, write=True)
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*"))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


class RedisServer:
    """A redis-server of this test's own on a free loopback port; kill() stops it mid-test."""

    def __init__(self, binary: str):
        self.binary = binary
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="larportalen-test-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        # Nothing saved: a restart comes back empty, like the shared test server.
        self.process = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", self.dir,
             "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", ""],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}")
            if self.ping():
                return self
            time.sleep(0.05)
        raise RuntimeError("redis-server did not answer PING within 10 s")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        """Stop the server at once (SIGKILL): no goodbye to its clients."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def close(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def redis_server(binary: str):
    server = RedisServer(binary).start()
    try:
        yield server
    finally:
        server.close()


@contextmanager
def closed_port():
    """A Redis URL where nothing listens: every connection is refused at once."""
    yield f"redis://127.0.0.1:{free_port()}/0"


@contextmanager
def blackhole_url():
    """A Redis URL where connecting hangs (no SYN-ACK) until the connect timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):  # fill the accept queue; later connections are dropped by the kernel
        filler = socket.socket()
        filler.setblocking(False)
        try:
            filler.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(filler)
    # The first filler's handshake puts it in the queue, which is then full (backlog 0). Waited for
    # with a deadline: the kernel completes it, there is nothing to move instead.
    if not select.select([], fillers[:1], [], 5)[1]:
        raise RuntimeError("the blackhole's accept queue did not fill within 5 s")
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


@contextmanager
def silent_server_url():
    """A Redis URL of a server that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.1)
    held, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()
