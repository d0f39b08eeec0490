"""Bounded matching in the database engine: a query matching very many documents is matched on an
even sample and the pool (query words in the head, exact titles), its total is a lower bound said
so in Swedish, and its facets are labelled as the sample's. The limits are lowered here so that a
few dozen pages are "very many"; the code is the same that runs at 50,000 pages."""

import datetime

import pytest
from django.test import override_settings

from search import service
from search.engines import database as db_engine
from tests.factories import ConceptPageFactory, EvaluationResultPageFactory, GuidancePageFactory, RegionFactory
from tests.search_support import engine_settings, make_engine_fixtures

PAGES = 80


def build():
    ConceptPageFactory(
        title="Kluster",
        english_term="cluster",
        short_definition="Ett kluster är en samling företag och organisationer i samma bransch.",
        publish=True,
    )
    for n in range(PAGES):
        GuidancePageFactory(
            title=f"Kapitel {n}",
            intro="Om regional utveckling.",
            body=[{"type": "paragraph", "value": f"<p>Här nämns kluster och samverkan ({n}).</p>"}],
            publish=True,
        )
    region = RegionFactory(name="Region Jämtland Härjedalen")
    for n in range(6):
        EvaluationResultPageFactory(
            title=f"Utvärdering {n}",
            key_findings="Klustret växte.",
            findings="<p>Kluster i länet.</p>",
            published_on=datetime.date(2022, 3, 1),
            regions=[region],
            publish=True,
        )


search_content, _search_engine = make_engine_fixtures(build)


@pytest.fixture
def bounded(search_content, db, monkeypatch):
    """The database engine with limits small enough that "kluster" (87 documents) is bounded."""
    monkeypatch.setattr(db_engine, "COUNT_LIMIT", 10)
    monkeypatch.setattr(db_engine, "SAMPLE_ABOVE", 20)
    monkeypatch.setattr(db_engine, "SAMPLE_TARGET", 30)
    with override_settings(**engine_settings("database", search_content)):
        yield


@pytest.fixture
def exact(search_content, db):
    with override_settings(**engine_settings("database", search_content)):
        yield


def test_many_matches_give_a_bounded_total_said_in_swedish(bounded, client):
    response = service.search("kluster")
    assert response.total == 10 and not response.total_exact
    assert response.total_text == "Fler än 10 träffar"
    assert response.num_pages == 1
    # The pool holds the document with the word in its title: the concept is still first.
    assert response.results[0].title == "Kluster"
    assert not response.facets_exact
    html = client.get("/sok/", {"q": "kluster"}).content.decode()
    assert "Fler än 10 träffar för ”kluster”" in html
    assert "Träffarna räknas exakt upp till 10." in html
    assert "räknade i ett jämnt urval av träffarna" in html
    data = client.get("/sok/", {"q": "kluster", "format": "json"}).json()
    assert (data["total"], data["total_exact"], data["total_text"]) == (10, False, "Fler än 10 träffar")
    assert data["facets_exact"] is False


def test_sample_facet_counts_are_a_part_of_the_matches(bounded):
    response = service.search("kluster")
    counts = {v.value: v.count for g in response.facets if g.name == "typ" for v in g.values}
    # An even sample: fewer than all 80 guidance pages, but some.
    assert 0 < counts["vagledning"] < PAGES


def test_few_matches_are_counted_exactly(bounded):
    response = service.search("samling")
    assert response.total_exact and response.facets_exact
    assert response.total == 1
    assert response.total_text == "1 träff"


def test_a_sample_smaller_than_expected_is_matched_again_in_full(bounded):
    # The estimate ignores filters: with the type filter far fewer match, and they are counted exactly.
    response = service.search("kluster", service.parse_filters(_params(typ="resultat")))
    assert response.total_exact
    assert response.total == 6


def test_without_the_small_limits_everything_is_exact(exact):
    response = service.search("kluster")
    assert response.total_exact and response.facets_exact
    assert response.total == PAGES + 7
    assert response.total_text == "87 träffar"
    assert response.results[0].title == "Kluster"


def test_bounded_pages_never_repeat_a_hit(bounded, monkeypatch):
    monkeypatch.setattr(db_engine, "CANDIDATES", 4)
    monkeypatch.setattr(db_engine, "COUNT_LIMIT", 20)
    first = service.search("kluster", page=1)
    second = service.search("kluster", page=2)
    assert not first.total_exact and first.num_pages == 2
    keys = [h.key for h in first.results + second.results]
    assert len(keys) == 20 and len(set(keys)) == 20


def _params(**values):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name, value in values.items():
        query[name] = value
    return query


def test_a_word_no_document_holds_leaves_the_others_all_required(exact):
    # Three words, two required; "qqxyzzy" matches nothing, so both others must match: FTS5 and
    # GIN intersect their lists themselves. Only the guidance pages mention both.
    response = service.search("kluster samverkan qqxyzzy")
    assert response.total_exact
    assert response.total == PAGES
    assert {hit.title.split()[0] for hit in response.results} == {"Kapitel"}
