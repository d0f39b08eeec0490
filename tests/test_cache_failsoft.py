"""The portal's cache backends fail soft, count atomically and stay fast at a wrong address.

Against real services only: the file cache on a real directory (taken away mid-test), a real
Redis (the shared one in REDIS_URL, or one of the test's own that it stops and pauses), and
real broken addresses (a closed port, a blackhole, a server that never answers).
"""

import logging
import multiprocessing
import os
import shutil
import signal
import time
import uuid

import pytest
from django.core.cache import cache
from django.test import override_settings
from redis import Redis

from portal import cache as portal_cache
from portal.cache import CacheUnavailable, FailSoftFileBasedCache, FailSoftRedisCache, cache_available
from tests.cache_support import (
    TEST_BREAKER_SECONDS,
    TEST_TIMEOUT,
    blackhole_url,
    closed_port,
    file_caches,
    forget_keys,
    redis_caches,
    redis_server,
    redis_server_required,
    silent_server_url,
)
from tests.cache_workers import hammer, make_cache
from tests.conftest import service_required

WORKERS = 4
ROUNDS = 150


@pytest.fixture(autouse=True)
def closed_breakers():
    portal_cache.reset_health()
    yield
    portal_cache.reset_health()


def _cache_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "portal.cache" and r.levelno == logging.WARNING]


def _everything_fails_soft(c):
    """Every operation the portal (and Wagtail, and Django) uses answers as on an empty cache."""
    assert c.get("k") is None
    assert c.get("k", "standard") == "standard"
    assert c.get_many(["k", "l"]) == {}
    assert c.has_key("k") is False
    assert "k" not in c
    assert c.set("k", 1) is None
    assert c.set_many({"k": 1, "l": 2}) == ["k", "l"]
    assert c.add("k", 1) is False
    assert c.touch("k") is False
    assert c.get_or_set("k", lambda: "räknat") == "räknat"
    with pytest.raises(ValueError):
        c.incr("k")
    with pytest.raises(CacheUnavailable):
        c.decr("k")
    assert c.delete("k") is False
    assert c.delete_many(["k", "l"]) is None
    assert c.count_hit("k", 60) is None
    assert c.uncount_hit("k") is None
    assert c.clear() is None


# --- The file cache ------------------------------------------------------------------------------------


def test_file_cache_works_and_incr_keeps_the_expiry(tmp_path):
    c = FailSoftFileBasedCache(str(tmp_path / "cache"), {})
    c.set("tal", 1, 100)
    expiry = c._read_entry(c._key_to_file("tal"))[0]
    assert c.incr("tal") == 2 and c.decr("tal", 2) == 0
    # Django's BaseCache.incr sets the value again with the default timeout (300 s): not here.
    assert c._read_entry(c._key_to_file("tal")) == (expiry, 0)
    assert c.add("tal", 5) is False and c.add("annat", 5) is True and c.get("annat") == 5
    assert c.count_hit("träffar", 60) == (1, 60)
    hits, left = c.count_hit("träffar", 60)
    assert hits == 2 and 59 <= left <= 60
    c.uncount_hit("träffar")
    assert c.get("träffar") == 1
    with pytest.raises(ValueError):
        c.incr("saknas")
    assert c.get_many(["tal", "annat"]) == {"tal": 0, "annat": 5}
    assert cache_available(c)


def test_file_cache_fails_soft_when_its_directory_goes_and_recovers(tmp_path, caplog, breaker_clock):
    directory = tmp_path / "cache"
    c = FailSoftFileBasedCache(str(directory), {"OPTIONS": {"BREAKER_SECONDS": TEST_BREAKER_SECONDS}})
    c.set("sida", "<p>cachad</p>")
    assert c.get("sida") == "<p>cachad</p>"
    # The directory is replaced by a file: nothing can be read, written or created there any more.
    # (Permissions would not do: the tests may run as root, whom no mode bits stop.)
    shutil.rmtree(directory)
    directory.write_text("inte en katalog")
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        for _ in range(20):
            _everything_fails_soft(c)
    assert not cache_available(c)
    warnings = _cache_warnings(caplog)
    assert len(warnings) == 1, warnings  # one warning, not one per call
    assert "unavailable" in warnings[0] and "FailSoftFileBasedCache" in warnings[0]

    directory.unlink()
    breaker_clock.advance(TEST_BREAKER_SECONDS)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        c.set("sida", "<p>ny</p>")
        assert c.get("sida") == "<p>ny</p>"
    assert cache_available(c)
    assert any("answers again" in message for message in _cache_warnings(caplog))


def test_a_file_cache_whose_directory_cannot_be_made_starts_and_fails_soft(tmp_path, caplog):
    blocker = tmp_path / "fil"
    blocker.write_text("")
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        c = FailSoftFileBasedCache(str(blocker / "cache"), {})
        _everything_fails_soft(c)
    assert len(_cache_warnings(caplog)) == 1


def test_the_portal_serves_pages_with_an_unwritable_file_cache(tmp_path, home, client):
    blocker = tmp_path / "fil"
    blocker.write_text("")
    with override_settings(CACHES=file_caches(blocker / "cache")):
        response = client.get("/")
        assert response.status_code == 200
        assert "Lärportalen" in response.content.decode()
        assert not cache_available()


# --- Atomic across processes -------------------------------------------------------------------------


def _run_workers(backend: str, location: str, prefix: str, operation: str, key: str) -> list:
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing shared but the cache
    barrier, results = context.Barrier(WORKERS), context.Queue()
    workers = [
        context.Process(target=hammer, args=(backend, location, prefix, operation, key, ROUNDS, barrier, results))
        for _ in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    try:
        answers = [results.get(timeout=60) for _ in workers]
    finally:
        for worker in workers:
            worker.join(30)
            if worker.is_alive():
                worker.kill()
    assert all(worker.exitcode == 0 for worker in workers)
    return answers


@pytest.fixture(params=["file", "redis"])
def shared_cache(request, tmp_path):
    """A backend every worker process reaches: the file cache in a directory, or the shared Redis."""
    if request.param == "redis":
        service_required("REDIS_URL", "Redis")
        return "portal.cache.FailSoftRedisCache", os.environ["REDIS_URL"]
    return "portal.cache.FailSoftFileBasedCache", str(tmp_path / "cache")


@pytest.mark.parametrize("operation", ["incr", "count_hit"])
def test_counting_is_exact_across_processes(shared_cache, operation):
    backend, location = shared_cache
    prefix, key = f"test-{uuid.uuid4().hex[:8]}", "räknare"
    parent = make_cache(backend, location, prefix)
    if operation == "incr":
        assert parent.add(key, 0, 600)
    try:
        answers = _run_workers(backend, location, prefix, operation, key)
        everything = sorted(answer for worker in answers for answer in worker)
        # Every increment answered a different number, and none was lost.
        assert everything == list(range(1, WORKERS * ROUNDS + 1))
        assert parent.get(key) == WORKERS * ROUNDS
    finally:
        parent.delete(key)


def test_add_has_one_winner_across_processes(shared_cache):
    backend, location = shared_cache
    prefix, key = f"test-{uuid.uuid4().hex[:8]}", "lås"
    parent = make_cache(backend, location, prefix)
    try:
        answers = _run_workers(backend, location, prefix, "add", key)
        for n in range(ROUNDS):
            assert sum(worker[n] for worker in answers) == 1, f"{key}:{n}"
    finally:
        parent.delete_many([f"{key}:{n}" for n in range(ROUNDS)])


# --- Redis ---------------------------------------------------------------------------------------------


@pytest.fixture
def shared_redis():
    service_required("REDIS_URL", "Redis")
    c = FailSoftRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}"})
    yield c
    forget_keys(c)


def test_redis_sets_the_window_with_the_first_hit(shared_redis):
    c = shared_redis
    assert c.count_hit("träffar", 600) == (1, 600)
    hits, left = c.count_hit("träffar", 600)
    assert hits == 2 and 599 <= left <= 600
    client = c._cache.get_client(None, write=True)
    key = c.make_and_validate_key("träffar")
    assert 0 < client.ttl(key) <= 600
    # A counter left without an expiry (by Django's EXISTS-then-INCRBY incr, racing an expiry) gets one.
    client.set(c.make_and_validate_key("gammal"), 7)
    assert c.count_hit("gammal", 600)[0] == 8
    assert 0 < client.ttl(c.make_and_validate_key("gammal")) <= 600
    c.uncount_hit("träffar")
    assert c.get("träffar") == 1
    c.uncount_hit("träffar")
    c.uncount_hit("träffar")
    assert c.get("träffar") == 0  # never below zero
    with pytest.raises(ValueError):
        c.incr("saknas")
    assert not client.exists(c.make_and_validate_key("saknas"))  # incr never creates a key
    c.set("tal", 1, 600)
    assert c.incr("tal", 4) == 5 and 0 < client.ttl(c.make_and_validate_key("tal")) <= 600


@pytest.mark.parametrize("address", ["closed port", "blackhole", "silent server"])
def test_a_wrong_redis_address_fails_soft_in_bounded_time(address, caplog):
    opened = {"closed port": closed_port, "blackhole": blackhole_url, "silent server": silent_server_url}[address]
    with opened() as url, caplog.at_level(logging.WARNING, logger="portal.cache"):
        c = FailSoftRedisCache(
            url,
            {
                "OPTIONS": {
                    "socket_connect_timeout": TEST_TIMEOUT,
                    "socket_timeout": TEST_TIMEOUT,
                    "BREAKER_SECONDS": 60,
                }
            },
        )
        started = time.monotonic()
        for _ in range(50):
            _everything_fails_soft(c)
        elapsed = time.monotonic() - started
    # One timeout at most (the first operation); then the breaker answers without the network.
    assert elapsed < TEST_TIMEOUT + 1.0, elapsed
    assert len(_cache_warnings(caplog)) == 1


def test_redis_stopped_mid_test_fails_soft_and_recovers(caplog, breaker_clock):
    binary = redis_server_required()
    with redis_server(binary) as server, override_settings(CACHES=redis_caches(server.url)):
        cache.set("sida", "cachad", 600)
        assert cache.get("sida") == "cachad"
        server.kill()
        with caplog.at_level(logging.WARNING, logger="portal.cache"):
            started = time.monotonic()
            for _ in range(20):
                _everything_fails_soft(cache)
            assert time.monotonic() - started < 2
        assert len(_cache_warnings(caplog)) == 1
        assert not cache_available()
        server.start()  # back once it answers PING
        breaker_clock.advance(TEST_BREAKER_SECONDS)
        cache.set("sida", "igen", 600)
        assert cache.get("sida") == "igen"
        assert cache_available()
        assert cache.count_hit("träffar", 60) == (1, 60)


def test_a_delete_missed_while_redis_hangs_is_replayed_before_the_next_read(breaker_clock):
    """Redis paused (SIGSTOP) keeps its data: a delete it missed must not let the old value back."""
    binary = redis_server_required()
    with redis_server(binary) as server, override_settings(CACHES=redis_caches(server.url)):
        cache.set("version", "gammal", None)
        os.kill(server.process.pid, signal.SIGSTOP)
        try:
            started = time.monotonic()
            assert cache.get("sida") is None  # times out: the breaker opens
            # Skipped, never sent (a command sent before the pause would still run after it):
            # remembered instead.
            assert cache.delete("version") is False
            assert cache.get("version") is None  # not tried: a miss
            assert time.monotonic() - started < TEST_TIMEOUT + 1
        finally:
            os.kill(server.process.pid, signal.SIGCONT)
        breaker_clock.advance(TEST_BREAKER_SECONDS)
        assert cache.get("version") is None
        # Gone from Redis itself, not only hidden from this process.
        client = Redis.from_url(server.url)
        try:
            assert client.keys("*version*") == []
        finally:
            client.close()
