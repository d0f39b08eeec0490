"""The search pages as visitors use them, on both engines: HTML, JSON, autocomplete and bad input."""

import datetime
import re

import pytest
from django.urls import reverse

from search.text import MAX_QUERY_CHARS
from tests.factories import (
    ConceptPageFactory,
    EvaluationQuestionFactory,
    EvaluationResultPageFactory,
    GuidancePageFactory,
    RegionFactory,
)
from tests.search_support import make_engine_fixtures


def build():
    ConceptPageFactory(
        title="Utfall",
        english_term="outcome",
        other_labels="direkt resultat",
        hidden_labels="utfal",
        chain_level="D",
        short_definition="Utfall beskriver hur de som deltagit i aktiviteterna har påverkats av deltagandet.",
        tags=["effektkedjor"],
        publish=True,
    )
    ConceptPageFactory(
        title="Utvärdering",
        english_term="evaluation",
        short_definition="En systematisk bedömning av en insats och dess resultat.",
        publish=True,
    )
    ConceptPageFactory(
        title="Prestationer",
        english_term="outputs",
        hidden_labels="prestatoner",
        chain_level="E",
        short_definition="Prestationer beskriver hur mycket aktiviteter som genomförts.",
        publish=True,
    )
    GuidancePageFactory(
        title="Effektkedjor",
        intro="Hur utfall och effekter hänger ihop.",
        body=[{"type": "paragraph", "value": "<p>Utfallet inträffar direkt när aktiviteten genomförs.</p>"}],
        publish=True,
    )
    EvaluationQuestionFactory(
        text="Innebär nätverken att deltagarna får ökad kunskap?", chain_level="D", explanation="Ett utfall."
    )
    EvaluationResultPageFactory(
        title="Utvärdering av nätverken",
        key_findings="Deltagarnas utfall var goda.",
        published_on=datetime.date(2023, 5, 1),
        regions=[RegionFactory(name="Region Västerbotten")],
        publish=True,
    )
    for n in range(14):
        GuidancePageFactory(title=f"Kluster i praktiken {n}", intro="Om kluster och klusterinitiativ.", publish=True)


search_content, search_engine = make_engine_fixtures(build)

NASTY = [
    "",
    "   ",
    '"',
    '"utfall',
    "((utfall",
    "utfall)",
    "-",
    "- -utfall",
    "&",
    "&&",
    "|",
    "||",
    "*",
    "utf*",
    "?",
    "AND",
    "utfall AND OR NOT effekt",
    "NOT",
    "live:false",
    "title:x",
    "_id:1",
    "utfall~2",
    "utfall^10",
    "/utfall/",
    "{!lucene}utfall",
    "\\",
    "\x00",
    "utf\x00all",
    "\x1b[31mutfall",
    "\u200b\u202eutfall",
    "🙂",
    "utfall 🙂🙂",
    "ümlaut ß æøå",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%",
    "_",
    "%_%",
    "utfall " * 2000,
    "x" * 60_000,
    # FTS5's and tsquery's own syntax: the databases must only ever see quoted words.
    '"utfall',
    'utfall" OR "',
    "NEAR(utfall effekt, 2)",
    "utfall NEAR effekt",
    "^utfall",
    "-utfall",
    "utfall:*",
    "utfall & !effekt | (resultat",
    "utfall <-> effekt",
    "utfall <2> effekt",
    "{title body} : utfall",
    "title:utfall body:effekt",
    "utfall AND (effekt OR",
    "((((utfall",
    "utfall))))",
    "'utfall'",
    "utfall''",
    "rank:bm25",
    "zqutfall",
    "ut\x00fall 🙂 NEAR",
    "🙂" * 30_000,
]


@pytest.mark.parametrize("query", NASTY, ids=range(len(NASTY)))
def test_bad_input_never_breaks_search(search_engine, client, query):
    for path, params in (
        ("/sok/", {"q": query}),
        ("/sok/", {"q": query, "format": "json"}),
        ("/sok/forslag/", {"q": query}),
        ("/sok/", {"q": query, "sida": query[:20], "typ": query[:20], "niva": query[:5], "ar": query[:8]}),
    ):
        response = client.get(path, params)
        assert response.status_code in (200, 400), (path, response.status_code)
        if params.get("format") == "json" or path.endswith("forslag/"):
            response.json()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "99999999999999999999", "", "2e3", "١"])
def test_any_page_number_answers(search_engine, client, page):
    response = client.get("/sok/", {"q": "kluster", "sida": page})
    assert response.status_code == 200
    assert "Kluster i praktiken" in response.content.decode()


def test_page_past_the_end_shows_the_last_page(search_engine, client):
    data = client.get("/sok/", {"q": "kluster", "format": "json", "sida": "40"}).json()
    assert data["total"] == 14
    assert data["page"] == 2 and data["pages"] == 2
    assert len(data["results"]) == 4


def test_long_query_is_cut_and_says_so_in_swedish(search_engine, client):
    response = client.get("/sok/", {"q": "utfallet " * 500})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sökfrågan var för lång" in html
    assert f"{MAX_QUERY_CHARS} tecken" in html
    assert "Utfall" in html
    data = client.get("/sok/", {"q": "x" * 60_000, "format": "json"}).json()
    assert len(data["query"]) <= MAX_QUERY_CHARS
    assert any("för lång" in notice for notice in data["notices"])


def test_results_page_shows_card_results_and_facets(search_engine, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = client.get("/sok/", {"q": "utfallet"})
    html = response.content.decode()
    assert response.status_code == 200
    card = html.index('class="definition-card"')
    results = html.index('class="search-results__list"')
    assert card < results
    assert "Utfall beskriver hur de som deltagit" in html[card:results]
    first_result = re.search(r'class="search-result__title"><a href="([^"]+)">([^<]+)</a>', html)
    assert first_result.group(2) == "Utfall"
    assert "<mark>" in html
    assert "Begrepp" in html and "Vägledning" in html
    assert re.search(r"Begrepp\s*<span class=\"facet__count\">\(\d+", html)
    assert "typ=begrepp" in html


def test_search_works_without_javascript(search_engine, client):
    html = client.get("/sok/", {"q": "utfall"}).content.decode()
    form = re.search(r'<form class="search-box[^"]*" role="search" action="/sok/" method="get"', html)
    assert form
    assert 'name="q"' in html
    # Facets and pages are plain links that keep the query.
    assert re.search(r'href="\?q=utfall&amp;typ=begrepp"', html)


def test_json_has_the_documented_shape(search_engine, client):
    response = client.get("/sok/", {"q": "outcome", "format": "json"})
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert {"query", "total", "definition", "results", "facets", "suggestion"} <= set(data)
    assert data["definition"] == {
        "title": "Utfall",
        "url": "/begrepp/utfall/",
        "definition": "Utfall beskriver hur de som deltagit i aktiviteterna har påverkats av deltagandet.",
    }
    assert data["results"][0]["title"] == "Utfall"
    assert set(data["results"][0]) == {"title", "url", "type", "snippet"}
    assert data["results"][0]["type"] == "Begrepp"
    assert set(data["facets"]) == {"typ", "niva", "tagg", "region", "ar"}
    assert data["suggestion"] is None
    assert client.get("/sok/", {"q": "zzzqqq", "format": "json"}).json()["definition"] is None


def test_question_results_link_to_the_question_page(search_engine, client):
    data = client.get("/sok/", {"q": "nätverken ökad kunskap", "format": "json"}).json()
    question = next(r for r in data["results"] if r["type"] == "Utvärderingsfråga")
    assert re.fullmatch(r"/utvarderingsfragor/\d+/", question["url"])
    assert client.get(question["url"]).status_code == 200


def test_region_and_year_facets(search_engine, client):
    data = client.get("/sok/", {"q": "nätverken", "format": "json"}).json()
    assert {"value": "2023", "label": "2023", "count": 1} in data["facets"]["ar"]
    assert data["facets"]["region"][0]["label"] == "Region Västerbotten"
    filtered = client.get("/sok/", {"q": "nätverken", "format": "json", "region": "region-vasterbotten"}).json()
    assert [r["title"] for r in filtered["results"]] == ["Utvärdering av nätverken"]


def test_unknown_facet_values_give_empty_results_not_errors(search_engine, client):
    data = client.get("/sok/", {"q": "utfall", "format": "json", "typ": "nonsens", "tagg": "finns-inte"}).json()
    assert data["total"] == 0
    data = client.get("/sok/", {"q": "utfall", "format": "json", "typ": "nonsens"}).json()
    assert data["total"] > 0  # an unknown type is ignored


def test_autocomplete_from_two_letters_concepts_first(search_engine, client):
    assert client.get("/sok/forslag/", {"q": "u"}).json()["suggestions"] == []
    suggestions = client.get("/sok/forslag/", {"q": "ut"}).json()["suggestions"]
    assert [s["title"] for s in suggestions[:2]] == ["Utfall", "Utvärdering"]
    assert suggestions[0]["url"] == "/begrepp/utfall/"
    assert all(s["type"] == "Begrepp" for s in suggestions[:2])
    assert len(client.get("/sok/forslag/", {"q": "kl"}).json()["suggestions"]) == 10


def test_autocomplete_finds_concepts_by_english_and_folded_labels(search_engine, client):
    assert client.get("/sok/forslag/", {"q": "outc"}).json()["suggestions"][0]["title"] == "Utfall"
    assert client.get("/sok/forslag/", {"q": "utvard"}).json()["suggestions"][0]["title"] == "Utvärdering"
    assert client.get("/sok/forslag/", {"q": "effektk"}).json()["suggestions"][0]["title"] == "Effektkedjor"


def test_header_search_box_is_enhanced_by_autocomplete_script(search_engine, client):
    html = client.get("/sok/").content.decode()
    assert 'data-autocomplete="/sok/forslag/"' in html
    assert "js/autocomplete.js" in html
    assert reverse("search_autocomplete") == "/sok/forslag/"


def test_empty_query_prompts(search_engine, client):
    response = client.get("/sok/", {"q": "  "})
    assert response.status_code == 200
    assert "Skriv ett ord i sökrutan" in response.content.decode()


def test_a_question_about_meaning_searches_its_subject(search_engine, client):
    data = client.get("/sok/", {"q": "Vad betyder utfallet?", "format": "json"}).json()
    assert data["definition"]["title"] == "Utfall"
    assert data["results"][0]["title"] == "Utfall"


def test_hidden_labels_find_but_are_never_shown(search_engine, client):
    suggestions = client.get("/sok/forslag/", {"q": "prestato"}).json()["suggestions"]
    assert [s["title"] for s in suggestions] == ["Prestationer"]
    assert suggestions[0]["label"] == ""
    response = client.get("/sok/", {"q": "prestatoner"})
    html = response.content.decode()
    card = html[html.index('class="definition-card"') : html.index("</section>")]
    assert "Prestationer" in card
    assert "prestatoner" not in card  # the query is echoed elsewhere, but the card never shows the label
    assert "prestatoner" not in str(client.get("/sok/", {"q": "prestatoner", "format": "json"}).json()["results"])
    english = client.get("/sok/", {"q": "outputs"}).content.decode()
    assert "”outputs” är ett annat namn för Prestationer" in english
