"""Redis stopped mid-test: the portal answers every public address, editors publish, unpublish
and delete, search answers; and once Redis is back, the cache is used again.

The portal runs on the demo content with its production cache backend pointed at a redis-server
of this test's own (so it can be killed without touching the shared one). Nothing is mocked.
"""

import logging
import re
import signal
import time
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import override_settings
from redis import Redis

from larande.models import ConceptPage, EvaluationResultPage, GuidancePage
from portal.cache import cache_available, reset_health
from tests.admin_forms import PUBLISH, edit_url, form_data, merged
from tests.cache_support import (
    TEST_BREAKER_SECONDS,
    TEST_TIMEOUT,
    blackhole_url,
    redis_caches,
    redis_server,
    redis_server_required,
)

# Where a visitor starts; everything else is found by following links from these.
SEEDS = [
    "/",
    "/sitemap.xml",
    "/robots.txt",
    "/resultat/rss/",
    "/lardomar/atom/",
    "/oppna-data/",
    "/sok/?q=utfall",
    "/sok/?q=utfallet&format=json",
    "/sok/?q=effekter&niva=C",
    "/sok/forslag/?q=ut",
    "/sok/forslag/?q=prest",
    "/ramverket/dokument/",
    "/api/v2/pages/",
    "/finns-inte/",
]
MAX_URLS = 700
SKIP = re.compile(r"^/(admin|django-admin|static|media)/")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture(scope="module")
def redis_binary():
    """Checked before the demo content is built, so that a run without Redis skips at once."""
    return redis_server_required()


@pytest.fixture(scope="module")
def demo(redis_binary, demo_content):
    """The demo content for the module, built after Redis is known to be here."""


@pytest.fixture
def redis(redis_binary, demo, db):
    """The portal's cache on a Redis server of this test's own."""
    reset_health()
    with redis_server(redis_binary) as server, override_settings(CACHES=redis_caches(server.url)):
        yield server
    reset_health()


def _local(url: str, base: str) -> str | None:
    """A link as a path on this site, or None for other sites, fragments and files we do not serve."""
    parts = urlsplit(urljoin(base, url.strip()))
    if parts.scheme not in ("http", "https") or parts.hostname not in ("testserver", "localhost", "127.0.0.1"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if SKIP.match(path) else path


def _links(url: str, response) -> list[str]:
    kind = response.get("Content-Type", "")
    body = response.content.decode(errors="replace")
    base = f"http://testserver{url}"
    if "html" in kind:
        # lxml (several times faster than html.parser) finds the same links on every page crawled here.
        soup = BeautifulSoup(body, "lxml")
        found = [a["href"] for a in soup.find_all(["a", "link"], href=True)]
    elif "xml" in kind:  # the sitemap and the feeds
        found = re.findall(r"<(?:loc|link|id|guid)\b[^>]*>([^<]+)</", body) + re.findall(r'href="([^"]+)"', body)
    elif "json" in kind:
        found = re.findall(r'"(?:url|html_url|href|detail_url)":\s*"([^"]+)"', body)
    else:
        return []
    return [path for path in (_local(link, base) for link in found if link) if path]


def crawl(client) -> dict[str, object]:
    """Every address reachable from the seeds: path → response."""
    seen, queue, responses = set(SEEDS), list(SEEDS), {}
    while queue and len(responses) < MAX_URLS:
        url = queue.pop(0)
        response = client.get(url)
        responses[url] = response
        # Pages behind a query string (facets, search pages) are fetched but not followed further.
        if response.status_code == 200 and ("?" not in url or url in SEEDS):
            for link in _links(url, response):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    return responses


def _comparable(response) -> str:
    return CSRF.sub("", response.content.decode(errors="replace"))


def _redis_keys(server) -> list[str]:
    client = Redis.from_url(server.url)
    try:
        return [key.decode() for key in client.keys("*")]
    finally:
        client.close()


def test_the_portal_works_with_redis_stopped_mid_test(
    redis, client, admin_client, django_capture_on_commit_callbacks, breaker_clock
):
    up = crawl(client)
    statuses = {url: r.status_code for url, r in up.items()}
    assert len(up) >= 100, sorted(up)
    assert not [url for url, status in statuses.items() if status >= 500]
    assert statuses["/finns-inte/"] == 404
    # The cache is in use: Wagtail's site paths, the glossary's version, explained texts, the document.
    keys = _redis_keys(redis)
    for used in ("wagtail_site_root_paths", "terms:glossary-version", "terms:explained:", "ramverk-dokument:html"):
        assert any(used in key for key in keys), used

    redis.kill()

    # Every public address answers as it did, and every page says the same (rendered uncached).
    started = time.monotonic()
    down = {url: client.get(url) for url in up}
    assert {url: r.status_code for url, r in down.items()} == statuses
    pages = [url for url, r in up.items() if r.status_code == 200 and "text/html" in r.get("Content-Type", "")]
    assert len(pages) >= 50
    for url in pages:
        assert _comparable(down[url]) == _comparable(up[url]), url
    assert not cache_available()
    # Not a timeout per request: the breaker answers without the network.
    assert time.monotonic() - started < len(up) * 2

    # Term explanations are still made (uncached) while Redis is down.
    chapter = GuidancePage.objects.live().first()
    assert 'class="term' in client.get(chapter.url).content.decode()

    # Search and autocomplete answer.
    data = client.get("/sok/", {"q": "utfall", "format": "json"}).json()
    assert data["results"] and data["definition"]["title"] == "Utfall"
    assert client.get("/sok/forslag/", {"q": "utf"}).json()["suggestions"][0]["title"] == "Utfall"

    # A visitor suggests a concept: taken without the rate limit (fail open).
    suggestion = {"name": "", "term": "Förändringsteori", "reason": "Används i flera regioners planer."}
    assert client.post("/begrepp/foresla/", suggestion).status_code == 303

    # Editors publish, unpublish and delete pages, in the admin as they would.
    concept = ConceptPage.objects.live().get(title="Utfall")
    with django_capture_on_commit_callbacks(execute=True):
        data = merged(form_data(admin_client.get(edit_url(concept))), {"title": "Utfall (omskrivet)"}, PUBLISH)
        assert admin_client.post(edit_url(concept), data).status_code == 302
    assert ConceptPage.objects.get(pk=concept.pk).title == "Utfall (omskrivet)"
    assert "Utfall (omskrivet)" in client.get(concept.url).content.decode()
    assert client.get("/sok/", {"q": "omskrivet", "format": "json"}).json()["results"][0]["url"] == concept.url

    result = EvaluationResultPage.objects.live().first()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/pages/{result.pk}/unpublish/", {"include_descendants": "on"})
        assert response.status_code == 302
    assert not EvaluationResultPage.objects.get(pk=result.pk).live
    assert client.get(result.url).status_code == 404
    assert result.title not in client.get("/resultat/rss/").content.decode()

    doomed = GuidancePage.objects.live().last()
    doomed_url = doomed.url
    in_document = client.get("/ramverket/dokument/").content.decode().count(doomed.title)
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(f"/admin/pages/{doomed.pk}/delete/").status_code == 302
    assert not GuidancePage.objects.filter(pk=doomed.pk).exists()
    assert client.get(doomed_url).status_code == 404
    assert client.get("/ramverket/dokument/").content.decode().count(doomed.title) < in_document
    assert client.get("/").status_code == 200

    # Redis comes back (empty): after the breaker's pause the portal uses it again.
    redis.start()  # back once it answers PING
    breaker_clock.advance(TEST_BREAKER_SECONDS)
    assert client.get(chapter.url).status_code == 200
    assert cache_available()
    keys = _redis_keys(redis)
    assert any("wagtail_site_root_paths" in key for key in keys)
    assert any("terms:explained:" in key for key in keys)
    cache.set("efter", "igen", 60)
    assert cache.get("efter") == "igen"


def test_an_unpublished_concept_is_not_explained_after_redis_returns(redis, client, breaker_clock):
    """Redis paused (it keeps its data) while a concept is unpublished: once it answers again,
    no page explains that concept from a cached text of before."""
    pause = 3  # the breaker's: long enough that nothing is sent to the paused server after the first try
    with override_settings(CACHES=redis_caches(redis.url, BREAKER_SECONDS=pause)):
        # Explained, and cached under the glossary's current version.
        chapter = next(p for p in GuidancePage.objects.live() if "/begrepp/utfall/" in _html(client, p.url))
        concept = ConceptPage.objects.live().get(title="Utfall")
        redis.process.send_signal(signal.SIGSTOP)
        try:
            client.get("/")  # times out: the breaker opens
            concept.unpublish()  # the glossary's version is deleted: skipped, remembered
            assert "/begrepp/utfall/" not in _html(client, chapter.url)
        finally:
            redis.process.send_signal(signal.SIGCONT)
        breaker_clock.advance(pause)
        assert "/begrepp/utfall/" not in _html(client, chapter.url)
        assert cache_available()


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_blackholed_redis_address_costs_one_timeout_per_pause(home, client, caplog):
    """A wrong address where connecting hangs: requests answer, and only the first one after each
    pause of the breaker waits for the connect timeout."""
    reset_health()
    paths = ("/", "/sok/?q=utfall", "/sok/forslag/?q=ut", "/sitemap.xml", "/finns-inte/")
    with (
        blackhole_url() as url,
        override_settings(CACHES=redis_caches(url)),
        caplog.at_level(logging.WARNING, logger="portal.cache"),
    ):
        started = time.monotonic()
        for path in paths:
            assert client.get(path).status_code == (404 if path == "/finns-inte/" else 200)
        elapsed = time.monotonic() - started
    reset_health()
    assert elapsed < TEST_TIMEOUT + 10  # one connect timeout, the rest is rendering
    assert len([r for r in caplog.records if r.name == "portal.cache"]) == 1
