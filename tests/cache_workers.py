"""Worker processes for the atomicity tests: importable by a fresh interpreter without Django's apps."""

import os

from django.utils.module_loading import import_string


def make_cache(backend: str, location: str, prefix: str):
    """A cache backend built directly (no settings), as each gunicorn worker would build its own."""
    params = {"KEY_PREFIX": prefix}
    if "Redis" in backend:
        params["OPTIONS"] = {"socket_timeout": 5}  # busy, not broken: two processes per core here
    return import_string(backend)(location, params)


def hammer(backend: str, location: str, prefix: str, operation: str, key: str, rounds: int, barrier, results):
    """One worker: wait for the others, then `rounds` operations as fast as it can; report the answers."""
    cache = make_cache(backend, location, prefix)
    barrier.wait(60)
    answers = []
    for n in range(rounds):
        if operation == "incr":
            answers.append(cache.incr(key))
        elif operation == "count_hit":
            answers.append(cache.count_hit(key, 600)[0])
        elif operation == "add":
            answers.append(cache.add(f"{key}:{n}", os.getpid(), 600))
    results.put(answers)
