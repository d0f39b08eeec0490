"""What one uncached page costs the worker: time and queries per public page type, in process.

Builds the demo content in a throwaway SQLite database (never the dev database), then serves each
page type through Django's whole stack (every middleware, the page cache off, DEBUG off,
production settings over plain HTTP: portal.settings.run) with a direct WSGI call, no network.
Each address is requested a few times to warm the process (the per-version caches: navigation,
coverage, SKOS graph, JSON-LD), then timed N times; the table shows the median, the p90, the
queries per request and the ratio to an in-process anchor: rendering a trivial template through
the same stack, so that figures from a busy machine and a quiet one compare. Goal (issue 13):
≤ 15 ms and ≤ 12 queries for every page type.

    .venv/bin/python bench/render_bench.py [--requests 40]
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MS, BUDGET_QUERIES = 15.0, 12


def page_types() -> dict[str, str]:
    """Page type → address in the demo content (Django is set up here)."""
    from django.urls import reverse
    from taggit.models import Tag
    from wagtail.models import Page

    from home.models import HomePage, StandardPage
    from larande import models as m

    def first(model):
        page = model.objects.live().public().order_by("path").first()
        return page.url if page else None

    question = m.EvaluationQuestion.objects.order_by("pk").first()
    tag = Tag.objects.order_by("pk").first()
    addresses = {
        "startsida": first(HomePage),
        "standardsida": first(StandardPage),
        "vägledning (index)": first(m.FrameworkIndexPage),
        "vägledning (kapitel)": first(m.GuidancePage),
        "begrepp (index)": first(m.GlossaryIndexPage),
        "begrepp": first(m.ConceptPage),
        "effektkedjor (index)": first(m.ChainIndexPage),
        "effektkedja": first(m.EffectChainPage),
        "resultat (index)": first(m.ResultIndexPage),
        "resultat": first(m.EvaluationResultPage),
        "lärdomar": first(m.LessonIndexPage),
        "frågor (lista)": reverse("larande:question_list"),
        "fråga": reverse("larande:question_detail", args=[question.pk]) if question else None,
        "tagg": reverse("larande:tag", args=[tag.slug]) if tag else None,
        "sök": "/sok/?q=utfall",
        "begrepp.ttl": "/oppna-data/begrepp.ttl",
        "webbplatskarta": "/sitemap.xml",
    }
    assert Page.objects.exists()
    return {name: url for name, url in addresses.items() if url}


def wsgi_get(handler, url: str) -> tuple[int, bytes]:
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status = []
    body = b"".join(handler(environ, lambda s, h, exc_info=None: status.append(s)))
    return int(status[0].split()[0]), body


def measure(handler, url: str, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        status, _body = wsgi_get(handler, url)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        wsgi_get(handler, url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        wsgi_get(handler, url)
    times.sort()
    return {
        "status": status,
        "ms": statistics.median(times),
        "p90": times[int(len(times) * 0.9) - 1],
        "queries": len(queries.captured_queries),
    }


def budget_misses(figures: dict) -> list[str]:
    """What a page type misses, in words for the table: its status, its time, its queries."""
    misses = []
    if figures["status"] != 200:
        misses.append(f"status {figures['status']}")
    if figures["ms"] > BUDGET_MS:
        misses.append(f"tid > {BUDGET_MS:g} ms")
    if figures["queries"] > BUDGET_QUERIES:
        misses.append(f"frågor > {BUDGET_QUERIES}")
    return misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--folder", help="keep the database here and reuse it on the next run")
    options, _ = parser.parse_known_args()

    folder = Path(options.folder or tempfile.mkdtemp(prefix="larportalen-render-bench-"))
    built = (folder / "db.sqlite3").exists()
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.run",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
        "CACHE_DIR": str(folder / "cache"),
        "ELASTICSEARCH_URL": "",
        "PAGE_CACHE": "false",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ.update(env)
    print("Bygger demoinnehållet i en tillfällig databas …" if not built else "Återanvänder databasen", flush=True)
    for command in [] if built else (["migrate", "--noinput"], ["build_demo_content"], ["rebuild_search_index"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import path

    # The anchor: a trivial template through the same middleware, as a page with no content would cost.
    template = engines["django"].from_string("<!doctype html><title>{{ title }}</title><p>{{ text }}</p>")
    import portal.urls

    portal.urls.urlpatterns.insert(
        0, path("__bench-anchor__/", lambda request: HttpResponse(template.render({"title": "x", "text": "y"})))
    )
    handler = get_wsgi_application()
    connection.force_debug_cursor = False
    assert not settings.DEBUG and not settings.PAGE_CACHE_ENABLED

    anchor = measure(handler, "/__bench-anchor__/", options.requests * 2)
    print(f"\n{options.requests} anrop per adress efter uppvärmning, i processen, sidcachen av, DEBUG av")
    print(f"Ankare (en trivial mall genom samma mellanlager): {anchor['ms']:.2f} ms\n")
    print(f"{'sidtyp':<22} {'adress':<40} {'ms':>7} {'p90':>7} {'frågor':>7} {'× ankare':>9}  mål")
    failures = []
    for name, url in page_types().items():
        figures = measure(handler, url, options.requests)
        misses = budget_misses(figures)
        if misses:
            failures.append(name)
        print(
            f"{name:<22} {url[:40]:<40} {figures['ms']:>7.2f} {figures['p90']:>7.2f} {figures['queries']:>7} "
            f"{figures['ms'] / anchor['ms']:>9.1f}  {'NEJ (' + ', '.join(misses) + ')' if misses else 'ja'}",
            flush=True,
        )
    print(f"\nMål: ≤ {BUDGET_MS:g} ms och ≤ {BUDGET_QUERIES} frågor per sidtyp.")
    print("Alla sidtyper inom målen." if not failures else f"Över målet: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
