"""RSS 2.0 and Atom feeds of published results and lessons: valid feeds (parsed with feedparser),
newest first, linking to the pages, announced in <link rel="alternate"> tags."""

import datetime

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string

from larande.models import EvaluationResultPage
from larande.publishing import feeds
from tests.publishing_support import chain_page, indicator, result_page, sections

pytestmark = pytest.mark.django_db

FEEDS = {
    "/resultat/rss/": "rss20",
    "/resultat/atom/": "atom10",
    "/lardomar/rss/": "rss20",
    "/lardomar/atom/": "atom10",
}


def build_site():
    """Two published results with lessons, shared by the module (tests/conftest.py `site`)."""
    pages = sections()
    ind = indicator()
    chain = chain_page(pages["chains"], "Kedja för innovation")
    older = result_page(
        pages["results"],
        "Utvärdering av klustren",
        lessons=["Kluster behöver processledare.", "Mät effekter efter två år."],
        values=[(ind, 2023, 7, 8)],
        chains=[chain],
        published_on=datetime.date(2023, 5, 1),
    )
    newer = result_page(
        pages["results"],
        "Jämställdhet i nyföretagandet",
        lessons=["Könsuppdelad statistik räcker inte."],
        published_on=datetime.date(2024, 9, 1),
        key_findings="Kvinnor startar allt fler företag; effekten av insatserna är oklar.",
    )
    return {**pages, "older": older, "newer": newer}


def _parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, feedparser.parse(response.content)


@pytest.mark.parametrize(("url", "version"), FEEDS.items())
def test_feeds_are_valid_rss_or_atom(client, site, url, version):
    response, feed = _parse(client, url)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    assert feed.feed.title.startswith("Lärportalen")
    assert feed.feed.get("language", "sv") == "sv"
    assert response["Content-Type"].startswith("application/rss+xml" if version == "rss20" else "application/atom+xml")
    assert feed.entries, "flödet är tomt"
    for entry in feed.entries:
        assert entry.link.startswith("http://testserver/resultat/")
        assert entry.id.startswith("http://testserver/permalank/")


@pytest.mark.parametrize("url", ["/resultat/rss/", "/resultat/atom/"])
def test_results_feed_lists_results_newest_first_with_their_key_findings(client, site, url):
    _, feed = _parse(client, url)
    assert [entry.title for entry in feed.entries] == ["Jämställdhet i nyföretagandet", "Utvärdering av klustren"]
    newest = feed.entries[0]
    assert newest.link == "http://testserver/resultat/jamstalldhet-i-nyforetagandet/"
    assert "Kvinnor startar allt fler företag" in newest.summary
    # The editorial publication date, at midnight Swedish time.
    assert ("01 Sep 2024 00:00:00 +0200" in newest.published) or newest.published.startswith(
        "2024-09-01T00:00:00+02:00"
    )
    assert "Exempelutvärderarna AB" in newest.get("author", "")


@pytest.mark.parametrize("url", ["/lardomar/rss/", "/lardomar/atom/"])
def test_lessons_feed_links_each_lesson_to_its_place_on_the_result(client, site, url):
    _, feed = _parse(client, url)
    assert [entry.title for entry in feed.entries] == [
        "Könsuppdelad statistik räcker inte.",
        "Kluster behöver processledare.",
        "Mät effekter efter två år.",
    ]
    first = site["newer"].lessons.get()
    assert feed.entries[0].link == f"http://testserver/resultat/jamstalldhet-i-nyforetagandet/#lardom-{first.pk}"
    assert "Jämställdhet i nyföretagandet" in feed.entries[0].summary
    assert len({entry.id for entry in feed.entries}) == 3


def test_feeds_are_valid_and_empty_when_nothing_is_published(client, site):
    for result in EvaluationResultPage.objects.live():
        result.unpublish()
    for url in FEEDS:
        _, feed = _parse(client, url)
        assert not feed.bozo and feed.entries == []


def test_feeds_are_bounded_in_size_and_queries(client, site, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_SIZE", 4)
    for n in range(6):
        result_page(site["results"], f"Resultat nummer {n}", lessons=[f"Lärdom {n}"])
    for url in FEEDS:
        with django_assert_max_num_queries(8):
            _, feed = _parse(client, url)
        assert len(feed.entries) == 4


def test_feed_links_announce_every_feed_and_each_answers(client, site):
    html = render_to_string("components/feed_links.html")
    links = BeautifulSoup(html, "html.parser").find_all("link", rel="alternate")
    found = {(link["type"], link["href"]) for link in links}
    assert found == {
        ("application/rss+xml", "/resultat/rss/"),
        ("application/atom+xml", "/resultat/atom/"),
        ("application/rss+xml", "/lardomar/rss/"),
        ("application/atom+xml", "/lardomar/atom/"),
    }
    assert all(link["title"].startswith("Lärportalen:") for link in links)
    for _, href in found:
        assert client.get(href).status_code == 200
