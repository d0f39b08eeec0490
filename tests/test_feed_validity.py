"""The feeds against their standards: Atom as RFC 4287 requires it (id, title, updated, and an
author on the feed or on every entry, §4.1.1), RSS 2.0's required channel and item elements, and
feedparser's well-formedness check (`bozo`)."""

import datetime
import xml.etree.ElementTree as ET

import feedparser
import pytest

from larande.models import Recommendation
from tests.factories import RecommendationIndexPageFactory
from tests.publishing_support import result_page, sections

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
ATOM_FEEDS = ["/resultat/atom/", "/lardomar/atom/", "/rekommendationer/atom/"]
RSS_FEEDS = ["/resultat/rss/", "/lardomar/rss/", "/rekommendationer/rss/"]


def build_site():
    """The content sections and one result with lessons, shared by the module (the `site` fixture)."""
    pages = sections()
    RecommendationIndexPageFactory(publish=True)
    result_page(
        pages["results"],
        "Utvärdering av klustren",
        lessons=["Kluster behöver processledare.", "Mät effekter efter två år."],
        recommendations=[Recommendation(text="Ge klustren processledare & tid.", response="<Görs> 2025.")],
        published_on=datetime.date(2023, 5, 1),
    )
    return pages


def _feed(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return ET.fromstring(response.content), parsed  # noqa: S314 - the portal's own feed


def _text(element, name):
    child = element.find(name)
    return (child.text or "").strip() if child is not None else ""


@pytest.mark.parametrize("url", ATOM_FEEDS)
def test_atom_feeds_have_every_element_rfc_4287_requires(client, site, url):
    root, parsed = _feed(client, url, HTTP_HOST="127.0.0.1:8123")
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert _text(root, f"{ATOM}{name}"), f"{url} saknar atom:{name}"
    entries = root.findall(f"{ATOM}entry")
    assert entries, url
    feed_authors = root.findall(f"{ATOM}author")
    # §4.1.1: the feed has an author, or every entry has one. The portal names itself on the feed.
    assert feed_authors, f"{url}: flödet saknar atom:author"
    assert [_text(author, f"{ATOM}name") for author in feed_authors] == ["Lärportalen"]
    assert _text(feed_authors[0], f"{ATOM}uri") == "http://127.0.0.1:8123/"
    assert parsed.feed.author == "Lärportalen"
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert _text(entry, f"{ATOM}{name}"), f"{url}: en post saknar atom:{name}"
        # §4.1.2: without atom:content an entry needs a link rel="alternate".
        assert entry.find(f"{ATOM}content") is not None or any(
            link.get("rel", "alternate") == "alternate" for link in entry.findall(f"{ATOM}link")
        )
    # §4.2.7.2: a feed should name its own address, absolutely.
    self_links = [link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_links == [f"http://127.0.0.1:8123{url}"]


def test_a_results_entry_keeps_its_evaluator_as_author(client, site):
    root, _ = _feed(client, "/resultat/atom/")
    entry = root.find(f"{ATOM}entry")
    assert _text(entry.find(f"{ATOM}author"), f"{ATOM}name")


@pytest.mark.parametrize("url", RSS_FEEDS)
def test_rss_feeds_have_the_required_channel_and_item_elements(client, site, url):
    root, _ = _feed(client, url)
    channel = root.find("channel")
    for name in ("title", "link", "description"):
        assert _text(channel, name), f"{url} saknar {name}"
    for item in channel.findall("item"):
        assert _text(item, "title") or _text(item, "description")
        assert _text(item, "guid")
