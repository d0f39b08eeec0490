"""/robots.txt and /favicon.ico: the files crawlers and browsers ask for at the site root."""

import io
import urllib.robotparser
import xml.etree.ElementTree as ET

import PIL.Image
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.browser import browser_test, chromium_browser

pytestmark = pytest.mark.django_db


def _robots(client, **extra):
    response = client.get("/robots.txt", **extra)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode("utf-8")
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(text.splitlines())
    return text, parser


def test_robots_txt_names_the_sitemap_with_an_absolute_url(client, home):
    _, parser = _robots(client, HTTP_HOST="127.0.0.1:8123")
    assert parser.site_maps() == ["http://127.0.0.1:8123/sitemap.xml"]
    _, parser = _robots(client, secure=True)
    assert parser.site_maps() == ["https://testserver/sitemap.xml"]


@pytest.mark.parametrize(
    "path, allowed",
    [
        ("/admin/", False),
        ("/admin/pages/3/edit/", False),
        ("/sok/?q=utfall", False),
        ("/sok/forslag/?q=utf", False),
        ("/api/v2/pages/", False),
        ("/", True),
        ("/begrepp/utfall/", True),
        ("/begrepp/?niva=D", True),
        ("/resultat/", True),
        ("/lardomar/atom/", True),
        ("/oppna-data/begrepp.ttl", True),
        ("/permalank/12/", True),
        ("/sitemap.xml", True),
    ],
)
def test_robots_txt_keeps_crawlers_out_of_what_is_not_content(client, home, path, allowed):
    _, parser = _robots(client)
    assert parser.can_fetch("Googlebot", "http://testserver" + path) is allowed


def test_robots_txt_answers_only_reading(client, home):
    assert client.post("/robots.txt").status_code == 405
    assert client.head("/robots.txt").status_code == 200


def test_favicon_ico_is_a_real_icon(client, home):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert "max-age" in response["Cache-Control"]
    icon = PIL.Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= set(icon.info["sizes"])


def test_pages_name_their_icons_and_the_icons_exist(client, home):
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    icons = {link["href"]: link for link in soup.select('head link[rel="icon"]')}
    assert client.get("/favicon.ico").status_code == 200 and "/favicon.ico" in icons
    svg = next(href for href, link in icons.items() if link.get("type") == "image/svg+xml")
    # Static files are WhiteNoise's in production; here the file is looked up where it is collected from.
    path = finders.find(svg.removeprefix(settings.STATIC_URL))
    assert path, svg
    root = ET.parse(path).getroot()  # noqa: S314 - the portal's own file
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    # An icon from the portal's own address: the Content-Security-Policy's img-src 'self' allows it.
    assert all(href.startswith("/") and not href.startswith("//") for href in icons)


@browser_test
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_loads_in_chromium_without_an_error_in_the_console(live_server, home):
    # Chromium asks for /favicon.ico by itself; a 404 there is an error in the console on every page.
    problems = []
    with chromium_browser() as browser:
        page = browser.new_page(locale="sv-SE")
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.goto(live_server.url + "/")
        page.wait_for_load_state("networkidle")
        # The icons the page names load too, under the Content-Security-Policy (img-src 'self').
        for href in page.eval_on_selector_all('link[rel="icon"]', "links => links.map(l => l.href)"):
            assert page.request.get(href).status == 200, href
    assert not problems, problems
