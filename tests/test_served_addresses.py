"""Every absolute URL the portal writes is on the address it is served on, not the Site record's.

The demo site is `localhost:80`; these tests ask on http://127.0.0.1:8123/ (the way `make run`
serves with PORT=8123) and on https://127.0.0.1/, and collect every absolute URL in the sitemap,
robots.txt, the feeds, the SKOS and JSON-LD files, the open data, a result page's share metadata
and JSON-LD, and the API (html_url, detail_url, download_url, parents, the find redirect).
"""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from tests.file_support import delete_files, make_document, result_with_document
from tests.publishing_support import shared_content

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1:8123"
ORIGIN = f"http://{HOST}"
URL = re.compile(r"https?://[^\s\"'<>]+")
# Addresses outside the portal that the files name on purpose (licences, vocabularies, schemas).
EXTERNAL = re.compile(
    r"^https?://(creativecommons\.org|www\.w3\.org|purl\.org|xmlns\.com|schema\.org|www\.sitemaps\.org|"
    r"www\.google\.com|ogp\.me|www\.example\.se|rdfs\.org)([/#]|$)"
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from larande.demo.build import build_demo_content
    from larande.models import ResultIndexPage

    with shared_content(django_db_blocker):
        build_demo_content()
        document = make_document("Rapport om adresser")
        result = result_with_document(
            ResultIndexPage.objects.get(), "Resultat med rapport", document, mention="rapporten"
        )
        try:
            yield {"document": document, "result": result}
        finally:
            delete_files(document)


def _get(client, path, secure=False, **extra):
    response = client.get(path, HTTP_HOST=HOST if not secure else "127.0.0.1", secure=secure, **extra)
    assert response.status_code == 200, (path, response.status_code)
    return response


def _portal_urls(text: str) -> set[str]:
    return {url.rstrip(".,;)") for url in URL.findall(text) if not EXTERNAL.match(url)}


def _assert_on(origin: str, urls: set[str], what: str):
    assert urls, f"{what}: inga adresser"
    wrong = sorted(url for url in urls if not url.startswith(origin + "/"))
    assert not wrong, f"{what}: {wrong[:5]}"


def test_the_sitemap_lists_pages_on_the_address_it_was_asked_on(client, demo):
    root = ET.fromstring(_get(client, "/sitemap.xml").content)  # noqa: S314 - the portal's own sitemap
    locations = {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    _assert_on(ORIGIN, locations, "sitemap.xml")
    assert f"{ORIGIN}/begrepp/" in locations
    # Every listed address answers there.
    assert all(client.get(url.removeprefix(ORIGIN), HTTP_HOST=HOST).status_code == 200 for url in locations)


def test_the_sitemap_follows_https_and_the_default_port(client, demo):
    root = ET.fromstring(_get(client, "/sitemap.xml", secure=True).content)  # noqa: S314
    locations = {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    _assert_on("https://127.0.0.1", locations, "sitemap.xml över https")


@pytest.mark.parametrize(
    "path",
    [
        "/robots.txt",
        "/resultat/rss/",
        "/resultat/atom/",
        "/lardomar/rss/",
        "/lardomar/atom/",
        "/oppna-data/begrepp.ttl",
        "/oppna-data/begrepp.jsonld",
        "/oppna-data/begrepp.csv",
        "/oppna-data/resultat.json",
        "/api/v2/",
    ],
)
def test_files_and_feeds_write_the_served_address(client, demo, path):
    _assert_on(ORIGIN, _portal_urls(_get(client, path).content.decode()), path)


def test_a_result_page_shares_its_served_address(client, demo):
    result = demo["result"]
    html = _get(client, result.url).content.decode()
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1)
    assert canonical == f"{ORIGIN}{result.url}"
    assert re.search(r'<meta property="og:url" content="([^"]+)"', html).group(1) == canonical
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    _assert_on(ORIGIN, _portal_urls(json.dumps(ld)), "JSON-LD")
    _assert_on(ORIGIN, _portal_urls(html), result.url)


def test_the_api_writes_the_served_address_everywhere(client, demo):
    from larande.models import ConceptPage

    concept = ConceptPage.objects.live().get(slug="utfall")
    texts = [
        _get(client, "/api/v2/pages/?limit=100&fields=*").content.decode(),
        _get(client, f"/api/v2/pages/{concept.pk}/").content.decode(),
        _get(client, f"/api/v2/pages/{demo['result'].pk}/?fields=*").content.decode(),
        _get(client, "/api/v2/documents/").content.decode(),
        _get(client, f"/api/v2/documents/{demo['document'].pk}/").content.decode(),
    ]
    for text in texts:
        _assert_on(ORIGIN, _portal_urls(text), text[:80])
    detail = json.loads(texts[1])
    assert detail["meta"]["html_url"] == f"{ORIGIN}{concept.url}"
    assert detail["meta"]["detail_url"] == f"{ORIGIN}/api/v2/pages/{concept.pk}/"
    assert detail["meta"]["parent"]["meta"]["html_url"] == f"{ORIGIN}/begrepp/"
    assert detail["relations"]["broader"], "utfall har överordnade begrepp"
    document = json.loads(texts[4])
    assert document["meta"]["download_url"].startswith(f"{ORIGIN}/dokument/{demo['document'].pk}/")


def test_the_api_find_redirects_to_the_served_address(client, demo):
    response = client.get("/api/v2/pages/find/?html_path=/begrepp/", HTTP_HOST=HOST)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{ORIGIN}/api/v2/pages/")


def test_skos_concept_uris_are_permalinks_on_the_served_address(client, demo):
    from larande.models import ConceptPage

    graph = Graph().parse(data=_get(client, "/oppna-data/begrepp.ttl").content.decode(), format="turtle")
    concept = ConceptPage.objects.live().get(slug="utfall")
    uri = URIRef(f"{ORIGIN}/permalank/{concept.pk}/")
    assert (uri, SKOS.prefLabel, None) in graph
    # The URI is the permalink: it leads to the concept's page wherever the page now lives.
    response = client.get(str(uri).removeprefix(ORIGIN), HTTP_HOST=HOST)
    assert response.status_code == 302 and response["Location"] == concept.url


def test_only_urls_of_the_requests_own_site_move_to_its_address(home):
    from django.test import RequestFactory
    from wagtail.models import Site

    from portal.origin import on_request_origin

    request = RequestFactory().get("/", HTTP_HOST=HOST)
    assert on_request_origin("http://localhost/begrepp/?niva=D", request) == f"{ORIGIN}/begrepp/?niva=D"
    assert on_request_origin("http://localhost", request) == ORIGIN
    assert on_request_origin("http://localhost:8000/begrepp/", request) == "http://localhost:8000/begrepp/"
    assert on_request_origin("https://annan.example.se/x/", request) == "https://annan.example.se/x/"
    assert on_request_origin("/begrepp/", request) == "/begrepp/"
    # A stand-in request on a host ALLOWED_HOSTS refuses (Wagtail makes such) leaves URLs alone.
    refused = RequestFactory().get("/", HTTP_HOST="okand.example.se")
    assert on_request_origin("http://localhost/begrepp/", refused) == "http://localhost/begrepp/"

    # With a second site, a URL of that site keeps its own address.
    other_root = home.add_child(instance=type(home)(title="Annan", slug="annan"))
    Site.objects.create(hostname="annan.example.se", port=80, root_page=other_root, site_name="Annan")
    assert on_request_origin("http://annan.example.se/", request) == "http://annan.example.se/"
    assert on_request_origin("http://localhost/begrepp/", request) == f"{ORIGIN}/begrepp/"
