"""The leak matrix for files: a document or image that only hidden content uses never reaches a
visitor, by any route.

States of the page that uses the file: a draft never published (utkast), an unpublished edit of
a live page that adds the file in its draft revision only (andring), a page behind a password
(losenord) or for logged-in users only (inloggning), a page whose `expire_at` has passed while it
is still live (utgangen), and an unpublished page (avpublicerad). Routes: the images and
documents API (listing, search, field filter, detail), the download (/dokument/), the original
image and its rendition (/media/), the site search (HTML and JSON) and its suggestions, the
result and lesson feeds, the open data files that name results, and the HTML of public pages.

Each hidden file's title is a word of its own (HEMLIGTDOK… for documents, HEMLIGBILD… for images)
that is also its file name and so part of every address of it. The pages that use a hidden file
name it in their title, key findings, a lesson and the link text, as the visible page names its
visible twin (SYNLIGTDOK, SYNLIGBILD): every route must show the visible twin, so the check can
fail, and none of the hidden words. The expired page names its file nowhere in its own text:
whether an expired page's *text* still reaches search, feeds and open data is the expired-page
work's matter; here its file must not.
"""

import json

import pytest
from wagtail.models import Page

from home import files
from home.models import StandardPage
from larande.models import EvaluationResultPage
from tests.file_support import (
    add_document_in_draft,
    add_image_in_draft,
    delete_files,
    expire,
    make_document,
    make_image,
    make_rendition,
    page_with_image,
    path_of,
    restrict,
    result_with_document,
)
from tests.publishing_support import indicator, sections, shared_content, unpublish

pytestmark = pytest.mark.django_db

VISIBLE_DOCUMENT = "SYNLIGTDOK"
VISIBLE_IMAGE = "SYNLIGBILD"
STATES = ("utkast", "andring", "losenord", "inloggning", "utgangen", "avpublicerad")


def document_word(state: str) -> str:
    return f"HEMLIGTDOK{state.upper()}"


def image_word(state: str) -> str:
    return f"HEMLIGBILD{state.upper()}"


HIDDEN_WORDS = [document_word(state) for state in STATES] + [image_word(state) for state in STATES]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Visible files on visible pages and hidden files in every state; built once for the module,
    rolled back after it, and the files removed from disk."""
    written = []
    with shared_content(django_db_blocker):
        try:
            yield _build_world(written)
        finally:
            # Before the rollback, while the renditions are still in the database.
            delete_files(*written)


def _build_world(written: list) -> dict:
    pages = sections()
    ind = indicator(name="Indikator för filer")
    visible_document = make_document(VISIBLE_DOCUMENT)
    visible_image = make_image(VISIBLE_IMAGE, colour=(0, 128, 0))
    written += [visible_document, visible_image]
    visible_result = result_with_document(
        pages["results"],
        f"Resultat om {VISIBLE_DOCUMENT}",
        visible_document,
        mention=VISIBLE_DOCUMENT,
        values=[(ind, 2023, 5, None)],
    )
    visible_page = page_with_image(f"Sida med {VISIBLE_IMAGE}", visible_image, mention=VISIBLE_IMAGE)

    hidden = {}
    for state in STATES:
        document = make_document(document_word(state))
        image = make_image(image_word(state), colour=(200, 0, 0))
        written += [document, image]
        hidden[state] = {"document": document, "image": image}
        if state == "andring":
            # The visible pages themselves get a draft that adds the hidden files.
            add_document_in_draft(visible_result, document, mention=document_word(state))
            add_image_in_draft(visible_page, image, mention=image_word(state))
            continue
        # The expired pages name their files nowhere in their own text (see the module docstring).
        doc_mention = "rapporten" if state == "utgangen" else document_word(state)
        img_mention = "bilden" if state == "utgangen" else image_word(state)
        result = result_with_document(
            pages["results"],
            f"Resultat om {doc_mention} {state}",
            document,
            mention=doc_mention,
            values=[(ind, 2024, 6, None)],
            live=state != "utkast",
        )
        page = page_with_image(f"Sida om {img_mention} {state}", image, mention=img_mention, live=state != "utkast")
        for hidden_page in (result, page):
            if state == "losenord":
                restrict(hidden_page, "password")
            elif state == "inloggning":
                restrict(hidden_page, "login")
            elif state == "utgangen":
                expire(hidden_page)
            elif state == "avpublicerad":
                unpublish(hidden_page, None)
        hidden[state]["pages"] = (result, page)

    # The renditions an editor's preview of the draft (or the page before it went hidden) made.
    renditions = {state: make_rendition(entry["image"]) for state, entry in hidden.items()}
    visible_rendition = make_rendition(visible_image)

    # Sanity: the world is what the module says it is.
    for state, entry in hidden.items():
        assert not files.is_visible(entry["document"]), state
        assert not files.is_visible(entry["image"]), state
    assert files.is_visible(visible_document) and files.is_visible(visible_image)
    live_result = EvaluationResultPage.objects.get(pk=visible_result.pk)
    assert live_result.live and live_result.has_unpublished_changes
    assert VISIBLE_DOCUMENT in live_result.title and document_word("andring") not in live_result.title
    assert StandardPage.objects.get(pk=visible_page.pk).has_unpublished_changes
    for state, entry in hidden.items():
        if state != "andring":
            ids = [page.pk for page in entry["pages"]]
            assert not files.visible_pages().filter(pk__in=ids).exists(), state
            # Wagtail itself still counts the expired pages as live and public until cron runs.
            assert Page.objects.live().public().filter(pk__in=ids).count() == (2 if state == "utgangen" else 0)
    return {
        "hidden": hidden,
        "renditions": renditions,
        "visible_document": visible_document,
        "visible_image": visible_image,
        "visible_rendition": visible_rendition,
        "visible_result": visible_result,
        "visible_page": visible_page,
    }


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _assert_no_hidden_file(text: str, where: str, *, asked: str = ""):
    """None of the hidden words in `text`, apart from where the route repeats the visitor's query."""
    lowered = text.lower().replace(asked.lower(), "") if asked else text.lower()
    leaked = [word for word in HIDDEN_WORDS if word.lower() in lowered]
    assert not leaked, f"{where} visar dolda filer: {leaked}"


# --- The API ---------------------------------------------------------------------------------------

API_LISTINGS = [
    ("/api/v2/documents/?limit=100", VISIBLE_DOCUMENT),
    ("/api/v2/documents/?limit=100&fields=*", VISIBLE_DOCUMENT),
    ("/api/v2/documents/?limit=100&order=-title", VISIBLE_DOCUMENT),
    ("/api/v2/images/?limit=100", VISIBLE_IMAGE),
    ("/api/v2/images/?limit=100&fields=*", VISIBLE_IMAGE),
    ("/api/v2/images/?limit=100&order=-title", VISIBLE_IMAGE),
]


@pytest.mark.parametrize(("url", "visible"), API_LISTINGS, ids=[url for url, _ in API_LISTINGS])
def test_api_listings_show_only_visible_files(client, world, url, visible):
    response = client.get(url)
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["items"]]
    assert visible in titles
    _assert_no_hidden_file(response.content.decode(), url)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("endpoint", ["documents", "images"])
def test_api_search_filter_and_detail_find_no_hidden_file(client, world, state, endpoint):
    kind = "document" if endpoint == "documents" else "image"
    hidden = world["hidden"][state][kind]
    visible = world[f"visible_{kind}"]
    for query in ("search={}", "title={}"):
        found = client.get(f"/api/v2/{endpoint}/?" + query.format(hidden.title))
        assert found.status_code == 200, query
        assert found.json()["meta"]["total_count"] == 0, (query, state)
        control = client.get(f"/api/v2/{endpoint}/?" + query.format(visible.title))
        assert [item["id"] for item in control.json()["items"]] == [visible.pk], query
    detail = client.get(f"/api/v2/{endpoint}/{hidden.pk}/")
    assert detail.status_code == 404
    _assert_no_hidden_file(detail.content.decode(), f"API-detalj ({state})")
    assert client.get(f"/api/v2/{endpoint}/{visible.pk}/").status_code == 200


def test_api_download_urls_are_the_portals_own_and_answer(client, world):
    document = client.get(f"/api/v2/documents/{world['visible_document'].pk}/").json()
    assert path_of(document["meta"]["download_url"]) == world["visible_document"].url
    assert world["visible_document"].url.startswith("/dokument/")
    image = client.get(f"/api/v2/images/{world['visible_image'].pk}/").json()
    assert path_of(image["meta"]["download_url"]) == world["visible_image"].file.url
    assert world["visible_image"].file.url.startswith("/media/original_images/")
    for url in (document["meta"]["download_url"], image["meta"]["download_url"]):
        response = client.get(path_of(url))
        assert response.status_code == 200, url
        _text(response)


# --- Downloads -------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", STATES)
def test_hidden_files_cannot_be_downloaded(client, world, state):
    entry = world["hidden"][state]
    addresses = {
        "dokument": entry["document"].url,
        "dokumentfil": entry["document"].file.url,
        "originalbild": entry["image"].file.url,
        "rendering": world["renditions"][state].url,
    }
    controls = {
        "dokument": world["visible_document"].url,
        "dokumentfil": world["visible_document"].file.url,
        "originalbild": world["visible_image"].file.url,
        "rendering": world["visible_rendition"].url,
    }
    for route, url in addresses.items():
        response = client.get(url)
        assert response.status_code == 404, (route, url)
        assert "Sidan finns inte" in _text(response), route
        control = client.get(controls[route])
        assert control.status_code == 200, (route, controls[route])
        assert len(_text(control)) > 0


def test_a_logged_in_visitor_without_file_rights_is_a_visitor(client, world, django_user_model):
    user = django_user_model.objects.create_user("besokare", password="lösenord-för-test")
    client.force_login(user)
    for entry in world["hidden"].values():
        assert client.get(entry["document"].url).status_code == 404
        assert client.get(entry["image"].file.url).status_code == 404
    control = client.get(world["visible_document"].url)
    assert control.status_code == 200
    assert _text(control).startswith("%PDF")


# --- Search, feeds, open data ----------------------------------------------------------------------


def _search_words():
    return [(document_word(s), s) for s in STATES] + [(image_word(s), s) for s in STATES]


@pytest.mark.parametrize(("word", "state"), _search_words(), ids=[w for w, _ in _search_words()])
def test_site_search_finds_no_hidden_file(client, world, word, state):
    visible = VISIBLE_DOCUMENT if "DOK" in word else VISIBLE_IMAGE
    data = client.get("/sok/", {"q": word, "format": "json"}).json()
    assert data["total"] == 0, data
    _assert_no_hidden_file(json.dumps({k: v for k, v in data.items() if k != "query"}), f"sökning ({word})")
    control = client.get("/sok/", {"q": visible, "format": "json"}).json()
    assert control["total"] >= 1 and visible in json.dumps(control["results"], ensure_ascii=False)

    html = client.get("/sok/", {"q": word})
    assert html.status_code == 200
    assert 'class="search-result"' not in html.content.decode()
    _assert_no_hidden_file(html.content.decode(), f"söksidan ({word})", asked=word)
    control_html = client.get("/sok/", {"q": visible}).content.decode()
    assert 'class="search-result"' in control_html

    suggestions = client.get("/sok/forslag/", {"q": word.lower()}).json()["suggestions"]
    _assert_no_hidden_file(json.dumps(suggestions), f"sökförslag ({word})")
    assert suggestions == []
    control_suggestions = client.get("/sok/forslag/", {"q": visible.lower()}).json()["suggestions"]
    assert visible in json.dumps(control_suggestions, ensure_ascii=False)


OUTPUTS = [
    "/resultat/rss/",
    "/resultat/atom/",
    "/lardomar/rss/",
    "/lardomar/atom/",
    "/oppna-data/resultat.csv",
    "/oppna-data/resultat.json",
    "/oppna-data/lardomar.csv",
    "/oppna-data/lardomar.json",
    "/oppna-data/indikatorvarden.csv",
    "/oppna-data/indikatorvarden.json",
    "/resultat/",
    "/lardomar/",
    "/",
]


@pytest.mark.parametrize("url", OUTPUTS)
def test_feeds_open_data_and_listings_show_no_hidden_file(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    text = _text(response)
    assert VISIBLE_DOCUMENT in text, f"{url} visar inte det synliga resultatets dokument"
    _assert_no_hidden_file(text, url)


def test_public_pages_show_their_published_files_only(client, world):
    result = client.get(world["visible_result"].url)
    text = _text(result)
    assert world["visible_document"].url in text
    _assert_no_hidden_file(text, "resultatsidan")

    page = _text(client.get(world["visible_page"].url))
    assert world["visible_rendition"].url in page
    _assert_no_hidden_file(page, "den allmänna sidan")
