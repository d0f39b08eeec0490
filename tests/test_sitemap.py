"""/sitemap.xml lists every live, public page with its last-modified date and nothing else."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from wagtail.models import Page

from tests.publishing_support import (
    HIDDEN_STATES,
    PENDING_CHANGES,
    chain_page,
    indicator,
    marker,
    result_page,
    sections,
    user_in,
)

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def build_site():
    """The module's world, built once for it by the `site` fixture (tests/conftest.py)."""
    from home.roles import KOMMUNIKATOR

    pages = sections()
    user = user_in(KOMMUNIKATOR)
    ind = indicator()
    visible = result_page(pages["results"], "Synligt resultat")
    hidden = [
        put_in_state(result_page(pages["results"], f"{marker(state)} resultat", live=False), user)
        for state, put_in_state in HIDDEN_STATES.items()
    ]
    hidden += [chain_page(pages["chains"], "Utkast till kedja", live=False)]
    pending = []
    for state, change in PENDING_CHANGES.items():
        page = result_page(pages["results"], f"Publicerat med {state}")
        change(page, marker(state), ind, user)
        pending.append(page)
    return {"visible": visible, "hidden": hidden, "pending": pending, "sections": pages}


def _entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - the portal's own sitemap
    return {
        url.find("s:loc", NS).text: url.find("s:lastmod", NS).text if url.find("s:lastmod", NS) is not None else None
        for url in root.findall("s:url", NS)
    }


def _path(loc):
    return "/" + loc.split("://", 1)[1].split("/", 1)[1]


def test_sitemap_lists_exactly_the_live_public_pages_with_lastmod(client, site):
    entries = _entries(client)
    expected = {
        page.get_url()
        for page in Page.objects.live().public().descendant_of(site["visible"].get_site().root_page, inclusive=True)
    }
    assert {_path(loc) for loc in entries} == expected
    assert "/resultat/synligt-resultat/" in expected
    assert all(lastmod for lastmod in entries.values()), "en sida saknar lastmod"


def test_lastmod_is_the_date_the_page_was_last_published(client, site):
    entries = {_path(loc): lastmod for loc, lastmod in _entries(client).items()}
    visible = Page.objects.get(pk=site["visible"].pk)
    # The date in Swedish time, as the sitemap writes it.
    assert entries["/resultat/synligt-resultat/"] == timezone.localtime(visible.last_published_at).date().isoformat()


def test_drafts_unpublished_scheduled_moderated_and_private_pages_are_left_out(client, site):
    paths = {_path(loc) for loc in _entries(client)}
    for page in site["hidden"]:
        assert page.url not in paths, page.title
    text = client.get("/sitemap.xml").content.decode()
    assert "hemlig" not in text.lower()
    for page in site["pending"]:
        assert page.url in paths, "en publicerad sida med ett nytt utkast ska finnas kvar"


def test_a_private_section_hides_everything_below_it(client, site):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=site["sections"]["results"], restriction_type=PageViewRestriction.LOGIN)
    paths = {_path(loc) for loc in _entries(client)}
    assert not any(path.startswith("/resultat/") for path in paths)
    assert "/begrepp/" in paths


def test_sitemap_queries_do_not_grow_with_content(client, site, django_assert_max_num_queries):
    # The first request after an expiry is due also unpublishes the expired page: warm up first.
    client.get("/sitemap.xml")
    with django_assert_max_num_queries(25):
        client.get("/sitemap.xml")
    for n in range(10):
        result_page(site["sections"]["results"], f"Fler resultat {n}")
    with django_assert_max_num_queries(25):
        client.get("/sitemap.xml")


def test_sitemap_ignores_a_bad_page_number(client, site):
    assert client.get("/sitemap.xml?p=abc").status_code == 404
    assert client.get("/sitemap.xml?p=999").status_code == 404
