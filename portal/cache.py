"""The portal's cache backends: Django's own Redis and file caches, made to fail soft.

A cache is an accelerator, never a dependency: when Redis is unreachable (stopped, a wrong or
blackholed address, out of memory, a read-only replica after a failover) or the cache directory
cannot be written, the portal goes on without it. Every operation then behaves as on an empty
cache that keeps nothing:

- reads miss (`get` returns the default, `get_many` nothing, `has_key` False),
- writes are skipped (`set`, `touch`; `add` returns False: nothing was added),
- `incr`/`decr` raise `CacheUnavailable`, a ValueError, as on a missing key (their documented
  contract, which every caller already handles),
- nothing else raises.

Why Django's backends subclassed rather than a library: django-redis' IGNORE_EXCEPTIONS comes
closest, but it only swallows Redis errors (logging each one, or none), with no circuit breaker,
it does nothing for the file cache, which production uses without Redis, and it would replace the
backend the portal already runs on with another dependency. The two subclasses below wrap each
public operation in one guard and add the atomic operations the portal needs; everything else is
Django's own code.

The guard:

- **Short timeouts.** Redis connections time out after REDIS_CONNECT_TIMEOUT/REDIS_TIMEOUT
  (0.5 s each by default) and are never retried, so a blackholed address costs at most one
  timeout per request that tries it.
- **A circuit breaker per process.** After a failure the cache is not tried again for
  BREAKER_SECONDS (5 s): meanwhile every operation answers as above without touching the network
  or the disk. The first operation after the pause tries again.
- **One warning, not one per call.** A failure is logged at most once per WARNING_INTERVAL
  (60 s) per process and cache, with the number of failures held back; so is the recovery.
- **Invalidations are not lost.** A `delete` that fails (or is skipped while the breaker is open)
  is remembered in the process and replayed before its next operation once the cache answers, so
  a value that should have been forgotten during the outage (the glossary's version, Wagtail's
  site root paths) is not served when Redis comes back with its old data. A replayed delete can
  only cause a miss. (A process that ends before the cache comes back takes its list with it:
  after such an outage, emptying the cache is the safe step; see README, Drift.)

Atomic counting (the suggestion form's rate limit) is `count_hit()`: one counter per key whose
period starts with its first hit. On Redis it is one Lua script (SET NX EX, INCR, TTL), so the
period is set in the same step as the first count and a counter can never lose its expiry; on
the file cache, `add`, `incr`/`decr` and `count_hit` hold an exclusive `flock` on a lock file in
the cache directory, so they are atomic across all processes on the host.

OPTIONS understood by both backends (besides Django's and redis-py's own): BREAKER_SECONDS,
WARNING_INTERVAL.
"""

from __future__ import annotations

import logging
import math
import os
import pickle
import re
import tempfile
import threading
import time
import zlib
from contextlib import contextmanager, suppress
from urllib.parse import urlsplit, urlunsplit

from django.core.cache import cache as default_cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.core.files import locks

logger = logging.getLogger(__name__)

DEFAULT_BREAKER_SECONDS = 5.0
DEFAULT_WARNING_INTERVAL = 60.0
DEFAULT_REDIS_TIMEOUT = 0.5
# Deletes remembered during an outage, per process and cache; the portal deletes a handful of keys.
MAX_MISSED_DELETES = 1000


def clock() -> float:
    """Seconds on the clock the circuit breakers and throttled warnings read.

    Monotonic, so a change of the wall clock (NTP, daylight saving, an operator) never opens or
    closes a breaker. Looked up at every call, so the tests move it instead of sleeping through a
    pause (tests/conftest.py::breaker_clock).
    """
    return time.monotonic()


class CacheUnavailable(ValueError):
    """Raised by incr()/decr() while the cache cannot be reached: the same as a missing key."""


class ThrottledWarning:
    """A warning logged at most once per interval (per process), with the count of the ones held back."""

    def __init__(self, log: logging.Logger, interval: float = DEFAULT_WARNING_INTERVAL):
        self.log = log
        self.interval = interval
        self._lock = threading.Lock()
        self._last = -math.inf
        self._held = 0

    def warn(self, message: str, *args) -> bool:
        """Log the warning unless one went out less than `interval` seconds ago; True when logged."""
        now = clock()
        with self._lock:
            if now - self._last < self.interval:
                self._held += 1
                return False
            held, self._held, self._last = self._held, 0, now
        suffix = f" ({held} more since the last warning)" if held else ""
        self.log.warning(message + suffix, *args)
        return True

    def reset(self) -> None:
        with self._lock:
            self._last, self._held = -math.inf, 0


class _Health:
    """The circuit breaker of one cache (backend class and location) in this process.

    Django makes one backend instance per thread; the state lives here so that all of a process's
    threads share it.
    """

    def __init__(self, name: str):
        self.name = name
        self.breaker_seconds = DEFAULT_BREAKER_SECONDS
        self.warning = ThrottledWarning(logger)
        self.recovery = ThrottledWarning(logger)  # a flapping cache logs no more than twice per interval
        self._lock = threading.Lock()
        self._closed_at = 0.0  # clock() time from which the cache may be tried again
        self._down_since: float | None = None
        self._missed_deletes: dict[tuple, None] = {}  # (key, version), in order

    def allows(self) -> bool:
        return clock() >= self._closed_at

    @property
    def down(self) -> bool:
        return self._down_since is not None

    def failed(self, operation: str, error: BaseException) -> None:
        now = clock()
        with self._lock:
            self._closed_at = now + self.breaker_seconds
            if self._down_since is None:
                self._down_since = now
        self.warning.warn(
            "Cache %s unavailable (%s: %s: %s); the portal goes on without it, retrying every %g s",
            self.name,
            operation,
            type(error).__name__,
            error,
            self.breaker_seconds,
        )

    def recovered(self) -> None:
        """Mark the cache as answering again (after an operation succeeded)."""
        with self._lock:
            if self._down_since is None:
                return
            outage, self._down_since = clock() - self._down_since, None
        self.recovery.warn("Cache %s answers again after %.1f s", self.name, outage)

    def take_missed_deletes(self) -> list[tuple]:
        with self._lock:
            missed, self._missed_deletes = list(self._missed_deletes), {}
        return missed

    def remember_delete(self, key, version) -> None:
        with self._lock:
            if len(self._missed_deletes) < MAX_MISSED_DELETES:
                self._missed_deletes[(key, version)] = None
                return
        self.warning.warn("Cache %s: too many deletes missed during the outage; some are not replayed", self.name)

    def reset(self) -> None:
        with self._lock:
            self._closed_at, self._down_since, self._missed_deletes = 0.0, None, {}
        self.warning.reset()
        self.recovery.reset()


_health_lock = threading.Lock()
_guarding = threading.local()
_healths: dict[str, _Health] = {}


def _health_for(name: str) -> _Health:
    with _health_lock:
        if name not in _healths:
            _healths[name] = _Health(name)
        return _healths[name]


def reset_health() -> None:
    """Close every circuit breaker and forget missed deletes in this process (for tests)."""
    with _health_lock:
        for health in _healths.values():
            health.reset()


class FailSoftMixin:
    """The guard around every public cache operation (see the module docstring)."""

    # What counts as "the cache is unavailable": set by each backend.
    failure_exceptions: tuple[type[BaseException], ...] = (OSError,)

    def _init_failsoft(self, location: str, params: dict) -> dict:
        """Take this mixin's OPTIONS out of `params` (Django's backends pass OPTIONS on to their clients)."""
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        breaker = float(options.pop("BREAKER_SECONDS", DEFAULT_BREAKER_SECONDS))
        interval = float(options.pop("WARNING_INTERVAL", DEFAULT_WARNING_INTERVAL))
        params["OPTIONS"] = options
        self._health = _health_for(f"{type(self).__name__}({location})")
        self._health.breaker_seconds = breaker
        self._health.warning.interval = self._health.recovery.interval = interval
        return params

    def is_available(self) -> bool:
        """False while the circuit breaker is open: the cache failed moments ago and is not tried."""
        return self._health.allows()

    def _guard(self, operation: str, fallback, call, *args, **kwargs):
        if getattr(_guarding, "active", False):
            # Called by another operation (Django's get_many calls get): the outer one decides.
            return call(*args, **kwargs)
        health = self._health
        if not health.allows():
            return fallback()
        _guarding.active = True
        try:
            if health.down:
                # Before anything is read again: a value that should have been forgotten meanwhile
                # must not be served even once.
                self._replay_deletes(health.take_missed_deletes())
            result = call(*args, **kwargs)
        except self.failure_exceptions as error:
            health.failed(operation, error)
            return fallback()
        finally:
            _guarding.active = False
        if health.down:
            health.recovered()
        return result

    def _replay_deletes(self, missed: list[tuple]) -> None:
        """Delete what was missed; on failure remember what is left and raise."""
        for done, (key, version) in enumerate(missed):
            try:
                super().delete(key, version=version)
            except self.failure_exceptions:
                for key_left, version_left in missed[done:]:
                    self._health.remember_delete(key_left, version_left)
                raise

    # --- the operations -------------------------------------------------------------------------

    def get(self, key, default=None, version=None):
        return self._guard("get", lambda: default, super().get, key, default, version=version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", dict, super().get_many, keys, version=version)

    def has_key(self, key, version=None):
        return self._guard("has_key", lambda: False, super().has_key, key, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("set", lambda: None, super().set, key, value, timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that were not stored.
        return self._guard("set_many", lambda: list(data), super().set_many, data, timeout, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("add", lambda: False, self._add, key, value, timeout, version)

    def _add(self, key, value, timeout, version):
        return super().add(key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard("touch", lambda: False, super().touch, key, timeout, version=version)

    def incr(self, key, delta=1, version=None):
        def unavailable():
            raise CacheUnavailable(f"Key '{key}' not found: the cache is unavailable.")

        return self._guard("incr", unavailable, self._incr, key, delta, version)

    def _incr(self, key, delta, version):
        return super().incr(key, delta, version=version)

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version=version)

    def delete(self, key, version=None):
        def missed():
            self._health.remember_delete(key, version)
            return False

        return self._guard("delete", missed, super().delete, key, version=version)

    def delete_many(self, keys, version=None):
        keys = list(keys)

        def missed():
            for key in keys:
                self._health.remember_delete(key, version)

        return self._guard("delete_many", missed, super().delete_many, keys, version=version)

    def clear(self):
        return self._guard("clear", lambda: None, super().clear)

    def count_hit(self, key, window: int, version=None) -> tuple[int, int] | None:
        """Count a hit atomically: (hits in the period, seconds left of it), None when unavailable.

        The period (`window` seconds) starts with the key's first hit.
        """
        return self._guard("count_hit", lambda: None, self._count_hit, key, int(window), version)

    def uncount_hit(self, key, version=None) -> None:
        """Take back one hit (never below zero); nothing when the period has ended or the cache is down."""
        self._guard("uncount_hit", lambda: None, self._uncount_hit, key, version)


# --- Redis ------------------------------------------------------------------------------------------

# Atomic in Redis (a script runs alone): the period is set with the first hit, and a counter
# found without an expiry (left by an older non-atomic increment) gets one.
_COUNT_HIT = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
end
return {hits, ttl}
"""

_UNCOUNT_HIT = """
local hits = tonumber(redis.call('GET', KEYS[1]))
if hits and hits > 0 then
    return redis.call('DECR', KEYS[1])
end
return -1
"""

# Django's incr() checks EXISTS and then sends INCRBY: a key that expires in between is created
# again by INCRBY, without an expiry. One script does both in one step.
_INCR_IF_EXISTS = """
if redis.call('EXISTS', KEYS[1]) == 1 then
    return {1, redis.call('INCRBY', KEYS[1], ARGV[1])}
end
return {0, 0}
"""


def _without_password(url: str) -> str:
    """A Redis URL fit for a log line: the password, if any, left out."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class FailSoftRedisCache(FailSoftMixin, RedisCache):
    """Django's RedisCache with short timeouts, no retries, a circuit breaker and atomic counters."""

    def __init__(self, server, params):
        import redis  # noqa: PLC0415 - as Django's backend does: only where Redis is configured
        from redis.backoff import NoBackoff  # noqa: PLC0415
        from redis.retry import Retry  # noqa: PLC0415

        self.failure_exceptions = (redis.RedisError, OSError)
        servers = re.split("[;,]", server) if isinstance(server, str) else list(server)
        params = self._init_failsoft(",".join(_without_password(url) for url in servers), params)
        options = params["OPTIONS"]
        options.setdefault("socket_connect_timeout", DEFAULT_REDIS_TIMEOUT)
        options.setdefault("socket_timeout", DEFAULT_REDIS_TIMEOUT)
        # One attempt: the breaker, not a retry loop, decides when to try again.
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, params)

    def _client(self, key):
        return self._cache.get_client(key, write=True)

    def _incr(self, key, delta, version):
        key = self.make_and_validate_key(key, version=version)
        found, value = self._client(key).eval(_INCR_IF_EXISTS, 1, key, int(delta))
        if not found:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def _count_hit(self, key, window, version):
        key = self.make_and_validate_key(key, version=version)
        hits, ttl = self._client(key).eval(_COUNT_HIT, 1, key, max(1, window))
        return int(hits), max(1, int(ttl))

    def _uncount_hit(self, key, version):
        key = self.make_and_validate_key(key, version=version)
        self._client(key).eval(_UNCOUNT_HIT, 1, key)


# --- Files ------------------------------------------------------------------------------------------


class FailSoftFileBasedCache(FailSoftMixin, FileBasedCache):
    """Django's FileBasedCache, failing soft on OSError, with add/incr/count_hit atomic across processes."""

    failure_exceptions = (OSError,)
    lock_name = "atomic.lock"  # not *.djcache: never culled, cleared or read as an entry

    def __init__(self, dir, params):
        params = self._init_failsoft(os.path.abspath(dir), params)
        try:
            super().__init__(dir, params)
        except OSError as error:  # the directory cannot be created: every operation will fail soft
            self._health.failed("create directory", error)

    @contextmanager
    def _exclusive(self):
        """An exclusive lock shared by every process that uses this cache directory."""
        self._createdir()
        with open(os.path.join(self._dir, self.lock_name), "ab") as lock_file:
            locks.lock(lock_file, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(lock_file)

    def _read_entry(self, fname):
        """(expiry, value) of the live entry in a cache file, or None."""
        try:
            with open(fname, "rb") as f:
                try:
                    expiry = pickle.load(f)  # noqa: S301 - our own cache files, as Django reads them
                except EOFError:
                    return None
                if expiry is not None and expiry < time.time():
                    return None
                return expiry, pickle.loads(zlib.decompress(f.read()))  # noqa: S301
        except FileNotFoundError:
            return None

    def _write_entry(self, fname, expiry, value):
        """Write an entry with an absolute expiry, atomically (a new file moved into place)."""
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as f:
                f.write(pickle.dumps(expiry, self.pickle_protocol))
                f.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
            os.replace(tmp_path, fname)
        except BaseException:
            with suppress(FileNotFoundError):
                os.remove(tmp_path)
            raise

    def _add(self, key, value, timeout, version):
        with self._exclusive():
            return super()._add(key, value, timeout, version)

    def _incr(self, key, delta, version):
        with self._exclusive():
            fname = self._key_to_file(key, version)
            entry = self._read_entry(fname)
            if entry is None:
                raise ValueError(f"Key '{key}' not found")
            expiry, value = entry
            value += delta
            self._write_entry(fname, expiry, value)  # the entry keeps its expiry, unlike BaseCache.incr
            return value

    def _count_hit(self, key, window, version):
        window = max(1, window)
        with self._exclusive():
            fname = self._key_to_file(key, version)
            entry = self._read_entry(fname)
            now = time.time()
            if entry is None or not isinstance(entry[1], int) or entry[0] is None:
                self._cull()
                expiry, hits = now + window, 1
            else:
                expiry, hits = entry[0], entry[1] + 1
            self._write_entry(fname, expiry, hits)
        return hits, max(1, math.ceil(expiry - now))

    def _uncount_hit(self, key, version):
        with self._exclusive():
            fname = self._key_to_file(key, version)
            entry = self._read_entry(fname)
            if entry is not None and isinstance(entry[1], int) and entry[1] > 0:
                self._write_entry(fname, entry[0], entry[1] - 1)


# --- For callers ------------------------------------------------------------------------------------


def cache_available(cache=None) -> bool:
    """False while the cache is known to be unavailable (it failed moments ago); True for backends
    that cannot fail (local memory in development and tests)."""
    cache = cache or default_cache
    is_available = getattr(cache, "is_available", None)
    return True if is_available is None else is_available()


def count_hit(key: str, window: int, cache=None) -> tuple[int, int] | None:
    """Count a hit on `key` in a period of `window` seconds that starts with the first hit.

    Returns (hits so far in the period, seconds left of it), or None when the cache is unavailable.
    Atomic on the fail-soft backends; on others (local memory: one process) as near as add/incr get.
    """
    cache = cache or default_cache
    counter = getattr(cache, "count_hit", None)
    if counter is not None:
        return counter(key, window)
    now = time.time()
    started_key = f"{key}:start"
    if cache.add(key, 1, window):
        cache.set(started_key, now, window)
        return 1, window
    try:
        hits = cache.incr(key)
    except ValueError:  # the period ended between add() and incr()
        cache.set(key, 1, window)
        cache.set(started_key, now, window)
        return 1, window
    started = cache.get(started_key, now)
    return hits, max(1, math.ceil(started + window - now))


def uncount_hit(key: str, cache=None) -> None:
    """Take back a hit counted with count_hit() (a refused submission does not use up the limit)."""
    cache = cache or default_cache
    uncounter = getattr(cache, "uncount_hit", None)
    if uncounter is not None:
        uncounter(key)
        return
    with suppress(ValueError):
        if cache.get(key, 0) > 0:
            cache.decr(key)
