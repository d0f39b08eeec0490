"""The indexes follow the database at once: publish, unpublish, edit, move, delete, privacy, questions.

On both engines. Elasticsearch hears of a change when the transaction commits, so each change
here runs inside `django_capture_on_commit_callbacks(execute=True)`, which commits it as far as
the code can tell.
"""

import io

import pytest
from wagtail.models import PageViewRestriction

from larande.models import ConceptPage, EvaluationQuestion
from search import service
from search.documents import count_searchable
from search.engines.base import Filters
from search.rebuild import rebuild
from tests.factories import ConceptPageFactory, EvaluationQuestionFactory, GuidancePageFactory, StandardPageFactory
from tests.search_support import index_count, make_engine_fixtures

search_content, search_engine = make_engine_fixtures()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block and then its on-commit callbacks, as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def titles(query, **filters):
    return [hit.title for hit in service.search(query, Filters.from_dict(filters)).results]


def json_titles(client, query):
    return [r["title"] for r in client.get("/sok/", {"q": query, "format": "json"}).json()["results"]]


def test_publish_and_unpublish(search_engine, committed, client):
    with committed():
        concept = ConceptPageFactory(title="Kvantfluktuation", short_definition="Ett påhittat ord.", live=False)
        concept.save_revision()
    assert titles("kvantfluktuation") == []
    with committed():
        concept.get_latest_revision().publish()
    assert titles("kvantfluktuationen") == ["Kvantfluktuation"]
    assert client.get("/sok/forslag/", {"q": "kvant"}).json()["suggestions"][0]["title"] == "Kvantfluktuation"
    with committed():
        concept.refresh_from_db()
        concept.unpublish()
    assert titles("kvantfluktuation") == []
    assert json_titles(client, "kvantfluktuation") == []
    assert client.get("/sok/forslag/", {"q": "kvant"}).json()["suggestions"] == []


def test_edit_replaces_the_old_text(search_engine, committed):
    with committed():
        page = GuidancePageFactory(title="Gammal rubrik", intro="Om zebrafinkar.", publish=True)
    assert titles("zebrafinkar") == ["Gammal rubrik"]
    with committed():
        page.title = "Ny rubrik"
        page.intro = "Om pingviner."
        page.save_revision().publish()
    assert titles("zebrafinkar") == []
    assert titles("pingviner") == ["Ny rubrik"]
    # A draft edit changes nothing that visitors see.
    with committed():
        page.title = "Utkastrubrik"
        page.intro = "Om sköldpaddor."
        page.save_revision()
    assert titles("sköldpaddor") == []
    assert titles("pingviner") == ["Ny rubrik"]


def test_move_updates_url_and_visibility(search_engine, committed, client):
    with committed():
        public_parent = StandardPageFactory(title="Öppen förälder", slug="oppen", publish=True)
        other_parent = StandardPageFactory(title="Annan förälder", slug="annan", publish=True)
        private_parent = StandardPageFactory(title="Stängd förälder", slug="stangd", publish=True)
        PageViewRestriction.objects.create(page=private_parent, restriction_type=PageViewRestriction.LOGIN)
        child = StandardPageFactory(parent=public_parent, title="Flyttbar", slug="flyttbar", intro="Om ekorrar.")
        child.save_revision().publish()
    assert client.get("/sok/", {"q": "ekorrar", "format": "json"}).json()["results"][0]["url"] == "/oppen/flyttbar/"
    with committed():
        child.move(other_parent, pos="last-child")
    assert client.get("/sok/", {"q": "ekorrar", "format": "json"}).json()["results"][0]["url"] == "/annan/flyttbar/"
    with committed():
        child.refresh_from_db()
        child.move(private_parent, pos="last-child")
    assert json_titles(client, "ekorrar") == []


def test_delete(search_engine, committed):
    with committed():
        page = GuidancePageFactory(title="Kortlivad", intro="Om dagsländor.", publish=True)
    assert titles("dagsländor") == ["Kortlivad"]
    with committed():
        page.delete()
    assert titles("dagsländor") == []


@pytest.mark.parametrize("restriction_type", [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD])
def test_privacy_of_an_ancestor(search_engine, committed, client, restriction_type):
    with committed():
        parent = StandardPageFactory(title="Förälder", slug="foralder", publish=True)
        child = StandardPageFactory(parent=parent, title="Barnsida", slug="barn", intro="Om igelkottar.")
        child.save_revision().publish()
    assert titles("igelkottar") == ["Barnsida"]
    with committed():
        restriction = PageViewRestriction.objects.create(
            page=parent, restriction_type=restriction_type, password="hemligt"
        )
    assert titles("igelkottar") == []
    data = client.get("/sok/", {"q": "igelkottar", "format": "json"}).json()
    assert data["total"] == 0 and data["results"] == [] and all(not v for v in data["facets"].values())
    with committed():
        restriction.delete()
    assert titles("igelkottar") == ["Barnsida"]


def test_concept_privacy_removes_its_definition_card(search_engine, committed):
    with committed():
        concept = ConceptPageFactory(title="Tidvatten", short_definition="Ett påhittat begrepp.", publish=True)
    assert service.search("tidvatten").definition.title == "Tidvatten"
    with committed():
        PageViewRestriction.objects.create(page=concept, restriction_type=PageViewRestriction.LOGIN)
    response = service.search("tidvatten")
    assert response.definition is None and response.results == []


def test_questions_follow_saves_and_deletes(search_engine, committed):
    with committed():
        question = EvaluationQuestionFactory(text="Ökar antalet murmeldjur i länet?")
    assert titles("murmeldjur") == ["Ökar antalet murmeldjur i länet?"]
    with committed():
        question.text = "Ökar antalet bävrar i länet?"
        question.save()
    assert titles("murmeldjur") == []
    assert titles("bävrar") == ["Ökar antalet bävrar i länet?"]
    with committed():
        EvaluationQuestion.objects.filter(pk=question.pk).delete()
        question.delete()
    assert titles("bävrar") == []


def test_published_concept_updates_the_glossary_synonyms(search_engine, committed):
    with committed():
        GuidancePageFactory(title="Om sjöfart", intro="Fyrskepp och fyrskeppens historia.", publish=True)
    assert titles("lightship", typ=["vagledning"]) == []
    with committed():
        ConceptPageFactory(
            title="Fyrskepp", english_term="lightship", short_definition="Ett fartyg som tjänar som fyr.", publish=True
        )
    # The English term now finds a chapter that only ever says "fyrskepp".
    assert titles("lightship", typ=["vagledning"]) == ["Om sjöfart"]
    with committed():
        ConceptPage.objects.get(title="Fyrskepp").unpublish()
    assert titles("lightship", typ=["vagledning"]) == []


def test_after_rebuild_the_index_holds_every_searchable_page(search_engine, committed):
    with committed():
        for n in range(3):
            GuidancePageFactory(title=f"Kapitel om räkning {n}", publish=True)
        StandardPageFactory(title="Utkast", live=False)
        EvaluationQuestionFactory()
    rebuild(stream=io.StringIO())
    assert count_searchable() == 4  # three chapters and a question; the draft is not searchable
    assert index_count() == count_searchable()


@pytest.mark.parametrize("size", [1, 40])
def test_reindexing_one_page_costs_a_fixed_number_of_queries(db, django_assert_max_num_queries, size):
    """A page's reindex (what publishing does) reads and writes a fixed number of rows, however
    long its text and however many other pages the index holds (the bench measures its time)."""
    from search import index

    GuidancePageFactory.create_batch(size, intro="Om utfall och effekter.", publish=True)
    page = GuidancePageFactory(title="Mätt kapitel", intro="Om utfall. " * size, publish=True)
    with django_assert_max_num_queries(QUERIES_PER_REINDEX):
        index.update_page(page)
    assert titles("mätt kapitel")[:1] == ["Mätt kapitel"]


# Reading the page's document (visibility, tags, URL) and writing its row, facets, full-text
# row and new vocabulary.
QUERIES_PER_REINDEX = 14
