"""The anonymous page cache in the portal (portal/pagecache.py, portal/content_version.py).

On the demo content, with the page cache on (it is off in the other tests): what is cached, what
never is, the HTTP headers and 304s, bad input, and for each kind of change the very next anonymous
request shows the new state on every address it affects. Through a live server, Redis and Varnish:
tests/test_page_cache_http.py.
"""

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from larande.models import ConceptPage, EvaluationResultPage, GuidancePage, Region, ResultIndexPage
from portal.content_version import content_version
from tests.publishing_support import publish

pytestmark = pytest.mark.django_db

HOME = "/"
LISTING = "/resultat/"
FEED = "/resultat/rss/"
OPEN_DATA = "/oppna-data/resultat.json"
SKOS = "/oppna-data/begrepp.ttl"
SITEMAP = "/sitemap.xml"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_MAX_QUERY_ENTRIES = 50


@pytest.fixture
def result(demo_content):
    return EvaluationResultPage.objects.live().order_by("path").first()


def _get(client, path, **extra):
    response = client.get(path, **extra)
    assert response.status_code < 500, (path, response.status_code)
    return response


def _text(response) -> str:
    return response.content.decode()


def _warm(client, paths):
    for path in paths:
        first = _get(client, path)
        assert first["X-Page-Cache"] in ("miss", "hit"), (path, first.get("X-Page-Cache"))
        assert _get(client, path)["X-Page-Cache"] == "hit", path


def _search(term: str) -> str:
    return f"/sok/?q={term}"


# --- What is cached, and the headers ------------------------------------------------------------------


def test_anonymous_pages_are_served_from_the_cache_with_public_headers(demo_content, client, result):
    paths = [HOME, "/begrepp/kontext/", LISTING, result.url, FEED, SITEMAP, OPEN_DATA, SKOS, _search("utfall")]
    for path in paths:
        miss = _get(client, path)
        assert miss.status_code == 200 and miss["X-Page-Cache"] == "miss", path
        hit = _get(client, path)
        assert hit["X-Page-Cache"] == "hit", path
        assert hit.content == miss.content and hit["Content-Type"] == miss["Content-Type"], path
        for response in (miss, hit):
            cache_control = response["Cache-Control"]
            assert "public" in cache_control and "max-age=0" in cache_control and "s-maxage=600" in cache_control
            assert response["ETag"] and response["Last-Modified"]
            assert "cookie" not in response.get("Vary", "").lower(), (path, response.get("Vary"))
            assert not response.cookies
            # The security headers come from the middleware outside the cache, on hits too.
            assert "default-src 'self'" in response["Content-Security-Policy"]
            assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"
        assert hit["ETag"] == miss["ETag"]


def test_a_hit_runs_no_query(demo_content, client, result, django_assert_num_queries):
    _warm(client, [result.url, HOME])
    with django_assert_num_queries(0):
        assert _get(client, result.url)["X-Page-Cache"] == "hit"
        assert _get(client, HOME)["X-Page-Cache"] == "hit"


def test_conditional_requests_get_304_from_the_content_version(demo_content, client):
    first = _get(client, HOME)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert _get(client, HOME, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert _get(client, HOME, HTTP_IF_NONE_MATCH="*").status_code == 304
    assert _get(client, HOME, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert _get(client, HOME, HTTP_IF_NONE_MATCH='"något-annat"').status_code == 200
    for malformed in ("igår", "Mon, 32 Foo 2024 99:99:99 GMT", "x" * 5000):
        assert _get(client, HOME, HTTP_IF_MODIFIED_SINCE=malformed).status_code == 200
    head = client.head(HOME)
    assert head.status_code == 200 and head["ETag"] == etag
    # A change moves the version: the old ETag and date no longer match.
    publish(ConceptPage.objects.live().first())
    assert _get(client, HOME, HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert _get(client, HOME, HTTP_IF_NONE_MATCH=_get(client, HOME)["ETag"]).status_code == 304


def test_404_is_cached_and_other_statuses_are_not(demo_content, client):
    assert _get(client, "/finns-inte/").status_code == 404
    hit = _get(client, "/finns-inte/")
    assert hit.status_code == 404 and hit["X-Page-Cache"] == "hit"
    assert "Sidan" in _text(hit) or "hittades" in _text(hit)
    # A redirect (the address without its slash) and a refused open-data parameter are never stored.
    assert _get(client, "/resultat").status_code == 301
    assert _get(client, "/oppna-data/resultat.json?_=1").status_code in (200, 400)
    bad = _get(client, "/oppna-data/resultat.json?x=1")
    assert bad.status_code == 400 and bad["X-Page-Cache"] == "bypass"


# --- What is never cached ---------------------------------------------------------------------------------


def test_unknown_query_strings_bypass_the_cache_and_store_nothing(demo_content, client):
    before = _cache_entries()
    for n in range(300):
        response = _get(client, f"/?x={n}")
        assert response.status_code == 200 and response["X-Page-Cache"] == "bypass"
        assert "public" not in response.get("Cache-Control", "")
    assert _cache_entries() == before


def test_distinct_searches_are_bounded_per_content_version(demo_content, client, settings):
    settings.PAGE_CACHE_MAX_QUERY_ENTRIES = 20
    before = _cache_entries()
    statuses = {_get(client, _search(f"ord{n}")).status_code for n in range(200)}
    assert statuses == {200}
    assert _cache_entries() - before <= 20
    # Huge and many parameters: answered, never stored.
    assert _get(client, _search("a" * 5000))["X-Page-Cache"] == "bypass"
    assert _get(client, "/sok/?" + "&".join(f"typ=t{n}" for n in range(40)))["X-Page-Cache"] == "bypass"
    assert _cache_entries() - before <= 20


def test_a_repeated_search_term_in_another_order_is_an_entry_of_its_own(demo_content, client):
    """Search reads the last `q`: the same values in another order ask for another page."""
    forward, backward = "/sok/?q=utfall&q=resurser", "/sok/?q=resurser&q=utfall"
    _warm(client, [forward])
    response = _get(client, backward)
    assert response["X-Page-Cache"] == "miss"
    assert _text(response) == _text(_get(client, "/sok/?q=utfall"))
    assert _text(_get(client, forward)) == _text(_get(client, "/sok/?q=resurser"))
    # The order of different parameters still makes no difference.
    _warm(client, ["/sok/?q=utfall&typ=begrepp"])
    assert _get(client, "/sok/?typ=begrepp&q=utfall")["X-Page-Cache"] == "hit"


def test_huge_headers_and_odd_hosts_never_answer_500(demo_content, client):
    assert _get(client, HOME, HTTP_ACCEPT="text/html" * 2000, HTTP_USER_AGENT="x" * 20000).status_code == 200
    assert _get(client, HOME, HTTP_HOST="ond.example.org").status_code == 400
    assert _get(client, HOME, HTTP_IF_NONE_MATCH='"' * 3000).status_code == 200


def test_logged_in_users_get_their_own_uncached_pages(demo_content, client, result):
    _warm(client, [result.url])
    client.force_login(_editor())
    response = _get(client, result.url)
    assert response["X-Page-Cache"] == "bypass"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_session_cookie_bypasses_the_cache(demo_content, client, settings):
    _warm(client, [HOME])
    client.cookies[settings.SESSION_COOKIE_NAME] = "okänd-session"
    assert _get(client, HOME)["X-Page-Cache"] == "bypass"


def test_forms_with_csrf_tokens_are_never_cached(demo_content, client):
    concept = ConceptPage.objects.live().order_by("path").first()
    PageViewRestriction.objects.create(page=concept, restriction_type=PageViewRestriction.PASSWORD, password="x")
    for _ in range(2):
        response = _get(client, concept.url)
        assert response.status_code == 200 and 'name="csrfmiddlewaretoken"' in _text(response)
        assert response["X-Page-Cache"] == "bypass" and "public" not in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]


def test_previews_are_never_cached(demo_content, client, result):
    client.force_login(_editor())
    response = client.get(f"/admin/pages/{result.pk}/edit/preview/")
    assert "X-Page-Cache" not in response
    client.logout()
    assert _get(client, result.url)["X-Page-Cache"] == "miss"


def test_the_cache_unreachable_means_uncached_pages(demo_content, client, settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailSoftRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1, "BREAKER_SECONDS": 0.2},
        }
    }
    from django.core.cache import caches

    caches._settings = None
    if hasattr(caches._connections, "default"):
        del caches._connections.default
    try:
        for path in (HOME, LISTING, _search("utfall")):
            response = _get(client, path)
            assert response.status_code == 200 and response["X-Page-Cache"] == "bypass"
        assert content_version() is None
        publish(ConceptPage.objects.live().first())  # publishing still works
    finally:
        del caches._connections.default


# --- Never stale --------------------------------------------------------------------------------------


def _affected(result) -> list[str]:
    return [result.url, LISTING, HOME, FEED, SITEMAP, OPEN_DATA, "/api/v2/pages/?type=larande.EvaluationResultPage"]


def test_edit_and_publish_shows_on_every_address(demo_content, client, result):
    paths = [path for path in _affected(result) if path != SITEMAP] + [_search("Zebrarapport")]
    _warm(client, paths)
    page = EvaluationResultPage.objects.get(pk=result.pk)
    page.title = "Zebrarapport om klusterinitiativ"
    publish(page)
    for path in paths:
        response = _get(client, path)
        assert "Zebrarapport" in _text(response), path
        assert response["X-Page-Cache"] == "miss", path


def test_unpublish_and_delete_show_at_once(demo_content, client, result):
    paths = _affected(result)
    _warm(client, paths)
    title = result.title
    EvaluationResultPage.objects.get(pk=result.pk).unpublish()
    assert _get(client, result.url).status_code == 404
    for path in paths[1:]:
        assert title not in _text(_get(client, path)), path
    other = EvaluationResultPage.objects.live().exclude(pk=result.pk).first()
    if other is not None:
        _warm(client, [other.url, LISTING])
        other.delete()
        assert _get(client, other.url).status_code == 404
        assert other.title not in _text(_get(client, LISTING))


def test_new_result_appears_in_listing_home_and_feed(demo_content, client):
    _warm(client, [LISTING, HOME, FEED, OPEN_DATA])
    from tests.publishing_support import result_page

    result_page(ResultIndexPage.objects.get(), "Giraffutvärdering av något nytt", published_on=timezone.localdate())
    for path in (LISTING, HOME, FEED, OPEN_DATA):
        assert "Giraffutvärdering" in _text(_get(client, path)), path


def test_move_and_slug_change_show_at_once(demo_content, client, result):
    _warm(client, [result.url, SITEMAP])
    page = EvaluationResultPage.objects.get(pk=result.pk)
    page.slug = "ny-adress-for-resultatet"
    publish(page)
    assert _get(client, result.url).status_code == 404
    assert "ny-adress-for-resultatet" in _text(_get(client, SITEMAP))
    guidance = GuidancePage.objects.live().order_by("path").last()
    old_url = guidance.url
    _warm(client, [old_url])
    guidance.move(Page.objects.get(pk=ResultIndexPage.objects.get().pk), pos="last-child")
    assert _get(client, old_url).status_code in (301, 302, 404)  # Wagtail may leave a redirect
    assert _get(client, GuidancePage.objects.get(pk=guidance.pk).url).status_code == 200


def test_a_page_that_becomes_private_is_never_served_from_the_cache(demo_content, client, result):
    paths = _affected(result)
    _warm(client, paths)
    PageViewRestriction.objects.create(page=result, restriction_type=PageViewRestriction.LOGIN)
    for _ in range(3):
        response = _get(client, result.url)
        assert response.status_code == 302 and result.title not in _text(response)
        for path in paths[1:]:
            assert result.title not in _text(_get(client, path)), path


def test_concept_changes_reach_every_page_that_explains_it(demo_content, client):
    concept, pages = _explained_concept()
    _warm(client, pages)
    concept = ConceptPage.objects.get(pk=concept.pk)
    concept.short_definition = "Flodhästdefinitionen som är ny."
    publish(concept)
    for path in pages:
        assert "Flodhästdefinitionen" in _text(_get(client, path)), path


def test_record_changes_show_at_once(demo_content, client, result):
    region = Region.objects.filter(results__live=True).first()
    result = region.results.filter(live=True).first()
    _warm(client, [result.url, LISTING, OPEN_DATA])
    region.name = "Okapiregionen"
    region.save()
    assert content_version() is not None
    shown = "".join(_text(_get(client, path)) for path in (result.url, LISTING, OPEN_DATA))
    assert "Okapiregionen" in shown


def test_scheduled_go_live_and_expiry_show_at_once(demo_content, client, result):
    page = EvaluationResultPage.objects.get(pk=result.pk)
    _warm(client, [result.url, LISTING])
    expiry = timezone.now() + datetime.timedelta(hours=1)
    page.expire_at = expiry
    publish(page)
    assert _get(client, result.url).status_code == 200
    # Entries never outlive the next scheduled change, in the cache or in Varnish.
    s_maxage = int(re.search(r"s-maxage=(\d+)", _get(client, LISTING)["Cache-Control"]).group(1))
    assert s_maxage <= 600
    with time_machine.travel(expiry + datetime.timedelta(seconds=5), tick=False):
        assert _get(client, result.url).status_code == 404
        assert result.title not in _text(_get(client, LISTING))

    draft = EvaluationResultPage.objects.get(pk=result.pk)
    draft.title = "Pantertitel som går live senare"
    go_live = timezone.now() + datetime.timedelta(hours=3)
    draft.go_live_at = go_live
    draft.save_revision().publish()
    with time_machine.travel(go_live + datetime.timedelta(seconds=5), tick=False):
        assert "Pantertitel" in _text(_get(client, LISTING))


def _editor():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("redaktor-cache", "r@example.org", "lösenord-för-test")


def _explained_concept():
    """A live concept and the addresses of live guidance pages that explain it in their text."""
    from django.test import Client

    probe = Client()
    for concept in ConceptPage.objects.live().order_by("path"):
        anchor = f'href="{concept.url}"'
        pages = [g.url for g in GuidancePage.objects.live().order_by("path")[:6] if anchor in _text(probe.get(g.url))]
        if pages:
            cache.clear()
            return concept, pages
    pytest.skip("no guidance page explains a concept in the demo content")


def _cache_entries() -> int:
    """Page entries in the tests' local-memory cache."""
    return sum("pagecache:entry" in key for key in getattr(cache, "_cache", {}))


# --- What a hit costs ---------------------------------------------------------------------------------


def test_a_hit_is_one_cache_read_and_never_the_entry_of_an_older_version(demo_content, client, result, monkeypatch):
    """A hit reads the version, the next scheduled change and the entry in one `get_many` (the entry's
    key guessed from the version the process read last); once the version moves, the guessed entry of
    the old version is never served, though it is still in the cache."""
    _warm(client, [result.url])
    reads, inside = [], []
    real_get, real_get_many = cache.get, cache.get_many

    def get(*args, **kwargs):
        if not inside:  # the local-memory backend's get_many calls get for each key
            reads.append("get")
        return real_get(*args, **kwargs)

    def get_many(*args, **kwargs):
        reads.append("get_many")
        inside.append(True)
        try:
            return real_get_many(*args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(cache, "get", get)
    monkeypatch.setattr(cache, "get_many", get_many)
    hit = _get(client, result.url)
    assert hit["X-Page-Cache"] == "hit"
    assert reads == ["get_many"]

    page = EvaluationResultPage.objects.get(pk=result.pk)
    page.title = "Ett nytt namn på resultatet"
    publish(page)
    after = _get(client, result.url)
    assert after["X-Page-Cache"] == "miss"
    assert "Ett nytt namn på resultatet" in _text(after)


def test_a_deploy_starts_a_content_version_of_its_own(tmp_path, settings, monkeypatch):
    """The version key carries the release, a hash of the code and templates: after a deploy that
    changes a template, nothing the previous code rendered or pickled is read again."""
    from portal import content_version as versions
    from portal.release import release

    assert versions.VERSION_KEY.endswith(release())
    compute = release.__wrapped__
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "sida.html"
    template.write_text("<h1>{{ page.title }}</h1>")
    settings.BASE_DIR = tmp_path
    monkeypatch.delenv("PORTAL_RELEASE", raising=False)
    before = compute()
    assert compute() == before
    template.write_text("<h1 class='rubrik'>{{ page.title }}</h1>")
    assert compute() != before
    monkeypatch.setenv("PORTAL_RELEASE", "2026-12-01")
    assert compute() == "2026-12-01"


def test_evaluation_plans_are_cached_and_follow_a_published_answer(demo_content, client):
    """The plan's selection is in the address: a plan is cached under it, a bad selection's 400 is not,
    and a result answering one of its questions shows in the very next plan."""
    from larande.models import EffectChainPage, QuestionAnswer

    chain = EffectChainPage.objects.live().order_by("path").first()
    question = chain.questions.order_by("pk").first()
    plan = f"/utvarderingsplan/?kedja={chain.slug}&fraga={question.pk}&visa=plan"
    _warm(client, ["/utvarderingsplan/", f"/utvarderingsplan/?kedja={chain.slug}", plan])
    for _ in range(2):
        refused = _get(client, "/utvarderingsplan/?kedja=finns-inte")
        assert refused.status_code == 400 and refused["X-Page-Cache"] != "hit"

    result = EvaluationResultPage.objects.live().order_by("path").first()
    page = EvaluationResultPage.objects.get(pk=result.pk)
    page.title = "Zebrautvärdering av klusterinitiativ"
    page.answers.add(QuestionAnswer(question=question, answer="Zebrasvar.", status="answered"))
    publish(page)
    response = _get(client, plan)
    assert response["X-Page-Cache"] == "miss"
    assert "Zebrautvärdering" in _text(response)
