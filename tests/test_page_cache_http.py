"""The page cache over real HTTP: a live server, Varnish (deploy/varnish/default.vcl) and Redis.

For each kind of change, the very next anonymous request, straight to the server and through
Varnish, shows the new state on every address it affects; a page that becomes private is never
served from any cache again. Varnish or Redis stopped: the portal still answers and publishes.
The cache is Redis (REDIS_URL) when it is there, else the cache on disk.
"""

import os

import pytest
from django.test import override_settings
from wagtail.models import PageViewRestriction

from larande.models import EvaluationResultPage, Region
from tests.cache_support import file_caches, forget_keys, redis_caches, redis_server, redis_server_required
from tests.page_cache_support import fetch, varnish_required, varnish_server
from tests.publishing_support import publish, result_page, sections

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LISTING = "/resultat/"
PATHS = ["/", LISTING, "/resultat/rss/", "/sitemap.xml", "/oppna-data/resultat.json"]


def _caches(tmp_path) -> dict:
    url = os.environ.get("REDIS_URL")
    return redis_caches(url) if url else file_caches(tmp_path / "cache")


@pytest.fixture
def portal(live_server, tmp_path, settings):
    """The live server with the page cache on, Varnish in front of it (purged on every change)."""
    binary = varnish_required()
    port = int(live_server.url.rsplit(":", 1)[1])
    with varnish_server(binary, port) as varnish, override_settings(CACHES=_caches(tmp_path)):
        from django.core.cache import cache

        settings.PAGE_CACHE_ENABLED = True
        settings.PURGE_REPEAT_SECONDS = 0.05
        settings.WAGTAILFRONTENDCACHE = {
            "varnish": {"BACKEND": "portal.frontend_cache.TimeoutHTTPBackend", "LOCATION": varnish.url, "TIMEOUT": 1}
        }
        pages = sections()
        result = result_page(pages["results"], "Utvärdering av klusterstöd", lessons=["Samverkan tar tid."])
        try:
            yield {"direct": live_server.url, "varnish": varnish.url, "server": varnish, "result": result}
        finally:
            forget_keys(cache)


def _both(portal, path, **headers):
    return [fetch(portal[origin] + path, headers) for origin in ("direct", "varnish")]


def _warm(portal, paths):
    for path in paths:
        for _ in range(2):
            _both(portal, path)
        through = fetch(portal["varnish"] + path)
        assert through.status == 200, path
        assert through.headers["x-varnish-cache"] == "hit", (path, through.headers)


def test_every_change_shows_at_once_straight_and_through_varnish(portal):
    result = portal["result"]
    url = result.url
    _warm(portal, [url, *PATHS])

    # Edit and publish: the page, the listing, the start page, the feed, open data.
    page = EvaluationResultPage.objects.get(pk=result.pk)
    page.title = "Zebrautvärdering av klusterstöd"
    publish(page)
    for path in [url, *PATHS[:3], PATHS[4]]:
        for response in _both(portal, path):
            assert "Zebrautvärdering" in response.text, path

    # A record: a region's new name shows on the result at once.
    region = Region.objects.create(name="Okapiregionen", slug="okapiregionen")
    page = EvaluationResultPage.objects.get(pk=result.pk)
    page.regions.add(region)
    publish(page)
    _warm(portal, [url])
    region.name = "Tapirregionen"
    region.save()
    for response in _both(portal, url):
        assert "Tapirregionen" in response.text

    # Private: never served from any cache to an anonymous visitor again.
    _warm(portal, [url, LISTING])
    restriction = PageViewRestriction.objects.create(page=result, restriction_type=PageViewRestriction.LOGIN)
    for _ in range(3):
        for response in _both(portal, url):
            assert response.status == 302 and "Zebrautvärdering" not in response.text
        for response in _both(portal, LISTING):
            assert "Zebrautvärdering" not in response.text
    restriction.delete()
    for response in _both(portal, url):
        assert response.status == 200 and "Zebrautvärdering" in response.text

    # Unpublish: gone everywhere.
    _warm(portal, [url, *PATHS])
    EvaluationResultPage.objects.get(pk=result.pk).unpublish()
    for response in _both(portal, url):
        assert response.status == 404
    for path in PATHS:
        for response in _both(portal, path):
            assert "Zebrautvärdering" not in response.text, path


def test_varnish_passes_personal_requests_and_honours_conditionals(portal):
    url = portal["result"].url
    _warm(portal, [url])
    first = fetch(portal["varnish"] + url)
    assert "public" in first.headers["cache-control"] and "cookie" not in first.headers.get("vary", "").lower()
    assert fetch(portal["varnish"] + url, {"If-None-Match": first.headers["etag"]}).status == 304
    for _ in range(2):
        personal = fetch(portal["varnish"] + url, {"Cookie": "sessionid=okand"})
        assert personal.headers["x-varnish-cache"] == "miss" and personal.headers["x-page-cache"] == "bypass"
    # Other cookies are stripped: still the cached page.
    assert fetch(portal["varnish"] + url, {"Cookie": "analys=1"}).headers["x-varnish-cache"] == "hit"
    # Admin and POST always reach the portal.
    assert fetch(portal["varnish"] + "/admin/login/").headers["x-varnish-cache"] == "miss"
    assert fetch(portal["varnish"] + "/sok/?x=1").headers["x-varnish-cache"] == "miss"
    # PURGE only from loopback's allowed addresses: here it is, and everything is banned.
    assert fetch(portal["varnish"] + "/", method="PURGE").status == 200
    assert fetch(portal["varnish"] + url).headers["x-varnish-cache"] == "miss"


def test_varnish_down_the_portal_serves_and_publishes(portal):
    result = portal["result"]
    _warm(portal, [result.url])
    portal["server"].stop()
    page = EvaluationResultPage.objects.get(pk=result.pk)
    page.title = "Publicerad medan Varnish var nere"
    publish(page)  # the purge fails fast and is logged; publishing goes on
    response = fetch(portal["direct"] + result.url)
    assert response.status == 200 and "medan Varnish var nere" in response.text


def test_redis_down_pages_render_uncached_and_publishing_works(live_server):
    binary = redis_server_required()
    with redis_server(binary) as redis, override_settings(CACHES=redis_caches(redis.url), PAGE_CACHE_ENABLED=True):
        pages = sections()
        result = result_page(pages["results"], "Utvärdering av regionalt stöd")
        for _ in range(2):
            assert fetch(live_server.url + result.url).headers["x-page-cache"] in ("miss", "hit")
        assert fetch(live_server.url + result.url).headers["x-page-cache"] == "hit"
        redis.kill()
        for path in [result.url, *PATHS, "/sok/?q=st%C3%B6d"]:
            response = fetch(live_server.url + path)
            assert response.status == 200, path
            assert response.headers["x-page-cache"] == "bypass", path
        page = EvaluationResultPage.objects.get(pk=result.pk)
        page.title = "Ändrad medan Redis var nere"
        publish(page)
        assert "medan Redis var nere" in fetch(live_server.url + result.url).text
