"""Scheduled publishing and expiry take effect on time whether or not cron has run.

Time is moved with time-machine, never waited for. Every check that something is hidden has a
twin that is visible through the same route, so the check can fail.
"""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageLogEntry

from larande.models import EvaluationResultPage
from portal import scheduling
from tests.publishing_support import publish, result_page

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def _visible_everywhere(client, page) -> dict[str, bool]:
    """Whether each route shows the result: its page, the listing, search, feed, API, sitemap,
    open data."""
    title = page.title
    return {
        "sidan": client.get(f"/resultat/{page.slug}/").status_code == 200,
        "listan": title in client.get("/resultat/").content.decode(),
        "sök": title in client.get("/sok/", {"q": title, "format": "json"}).content.decode(),
        "rss": title in client.get("/resultat/rss/").content.decode(),
        "api": title in client.get("/api/v2/pages/?type=larande.EvaluationResultPage&limit=100").content.decode(),
        "webbplatskartan": page.slug in client.get("/sitemap.xml").content.decode(),
        "öppna data": title in client.get("/oppna-data/resultat.csv").content.decode(),
    }


def test_an_expired_page_disappears_from_every_route_without_cron(client, site):
    twin = result_page(site["results"], "Resultat som gäller", expire_at=timezone.now() + 24 * HOUR)
    page = result_page(site["results"], "Resultat som upphör", expire_at=timezone.now() + HOUR)
    assert all(_visible_everywhere(client, page).values())

    with time_machine.travel(timezone.now() + 2 * HOUR, tick=False):
        shown = _visible_everywhere(client, page)
        assert not any(shown.values()), shown
        assert all(_visible_everywhere(client, twin).values())

    page = EvaluationResultPage.objects.get(pk=page.pk)
    assert not page.live and page.expired
    assert PageLogEntry.objects.filter(page=page, action="wagtail.unpublish.scheduled").count() == 1


def test_a_scheduled_result_goes_live_on_time_without_cron(client, site):
    page = result_page(site["results"], "Resultat som väntar", live=False)
    page = EvaluationResultPage.objects.get(pk=page.pk)
    page.go_live_at = timezone.now() + HOUR
    page.save_revision().publish()
    assert not EvaluationResultPage.objects.get(pk=page.pk).live
    assert not any(_visible_everywhere(client, page).values())

    with time_machine.travel(timezone.now() + HOUR + datetime.timedelta(seconds=1), tick=False):
        shown = _visible_everywhere(client, page)
        assert all(shown.values()), shown
    assert EvaluationResultPage.objects.get(pk=page.pk).live


def test_an_expired_page_is_never_served_even_if_the_scheduler_has_not_run(client, site):
    """A queryset update bypasses the signals, so the cached "nothing due" is stale: the page
    itself still answers 404, and its visible twin 200."""
    twin = result_page(site["results"], "Tvilling")
    page = result_page(site["results"], "Utgånget utan signal")
    client.get("/")  # caches "nothing due"
    assert cache.get(scheduling.NEXT_DUE_KEY) == scheduling.NOTHING_DUE
    EvaluationResultPage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - HOUR)
    assert client.get(f"/resultat/{page.slug}/").status_code == 404
    assert client.get(f"/resultat/{twin.slug}/").status_code == 200


def test_publishing_a_nearer_expiry_replaces_the_cached_next_time(client, site):
    later = result_page(site["results"], "Upphör om en vecka", expire_at=timezone.now() + 7 * 24 * HOUR)
    client.get("/")
    assert cache.get(scheduling.NEXT_DUE_KEY) == later.expire_at
    sooner = EvaluationResultPage.objects.get(pk=result_page(site["results"], "Upphör snart").pk)
    sooner.expire_at = timezone.now() + HOUR
    publish(sooner)
    with time_machine.travel(timezone.now() + 2 * HOUR, tick=False):
        assert client.get(f"/resultat/{sooner.slug}/").status_code == 404
        assert client.get(f"/resultat/{later.slug}/").status_code == 200


def test_a_request_costs_no_scheduling_query_once_the_next_time_is_cached(client, site):
    result_page(site["results"], "Upphör någon gång", expire_at=timezone.now() + 24 * HOUR)
    client.get("/resultat/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/resultat/").status_code == 200
    scheduling_queries = [q["sql"] for q in queries.captured_queries if "min(" in q["sql"].lower()]
    assert scheduling_queries == []


def test_with_nothing_scheduled_nothing_runs(client, site, monkeypatch):
    ran = []
    monkeypatch.setattr(scheduling, "run_due_changes", lambda: ran.append(True))
    result_page(site["results"], "Utan schema")
    assert client.get("/resultat/").status_code == 200
    assert ran == []
