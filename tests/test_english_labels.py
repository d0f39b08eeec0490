"""One English term per concept, and other English labels in a field of their own: the data
migration that splits old values, the admin form, the concept page, SKOS (one prefLabel@en, the
rest altLabel@en), the CSV/JSON exports, the API and the search on both engines."""

import csv
import importlib
import io
import json

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS
from wagtail.models import Revision

from larande.models import ConceptPage
from search import service
from tests.admin_forms import PUBLISH, all_error_messages, edit_url, field_errors, form_data, merged
from tests.search_support import make_engine_fixtures
from tests.test_pages_support import concept, glossary

pytestmark = pytest.mark.django_db

migration = importlib.import_module("larande.migrations.0004_english_alt_labels")


@pytest.fixture
def kedja(home):
    return concept(
        glossary(home),
        "Effektkedja",
        "En modell av hur insatser leder till effekter.",
        english_term="logic model",
        english_alt_labels="results chain\ntheory of change",
        other_labels="programlogik",
    )


# --- The data migration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (("logic model; results chain; theory of change", ""), ("logic model", "results chain\ntheory of change")),
        (("outcome", ""), ("outcome", "")),
        (("", ""), ("", "")),
        ((" inputs ;resources; ", ""), ("inputs", "resources")),
        (("effect; impact; Effect", "impact"), ("effect", "impact")),
        ((";", ""), ("", "")),
    ],
)
def test_splitting_an_old_english_term(before, after):
    assert migration.split_english_term(*before) == after


def test_the_migration_splits_pages_and_every_revision(home):
    index = glossary(home)
    page = concept(index, "Effektkedja", english_term="logic model")
    # What older content holds: several English words in the term, in the page and its revisions.
    ConceptPage.objects.filter(pk=page.pk).update(english_term="logic model; results chain; theory of change")
    page.refresh_from_db()
    old = page.save_revision(clean=False)
    Revision.objects.filter(pk=old.pk).update(
        content={**old.content, "english_term": "logic model; results chain", "english_alt_labels": ""}
    )
    other = concept(index, "Utfall", english_term="outcome")

    migration.forwards(apps, None)

    page.refresh_from_db()
    assert (page.english_term, page.english_alt_labels) == ("logic model", "results chain\ntheory of change")
    old.refresh_from_db()
    assert (old.content["english_term"], old.content["english_alt_labels"]) == ("logic model", "results chain")
    assert ConceptPage.objects.get(pk=other.pk).english_term == "outcome"
    # Publishing the migrated draft keeps the split form.
    old.publish()
    page.refresh_from_db()
    assert page.english_term == "logic model" and page.english_label_list == ["results chain"]

    migration.backwards(apps, None)
    page.refresh_from_db()
    assert (page.english_term, page.english_alt_labels) == ("logic model; results chain", "")


# --- The admin --------------------------------------------------------------------------------------


def test_editors_keep_one_english_term_and_list_the_others(admin_client, kedja):
    response = admin_client.get(edit_url(kedja))
    data = form_data(response)
    # The panel shows the field, with the labels one per line.
    assert [line.strip() for line in data["english_alt_labels"][0].strip().splitlines()] == [
        "results chain",
        "theory of change",
    ]
    before = Revision.page_revisions.filter(object_id=str(kedja.pk)).count()
    response = admin_client.post(edit_url(kedja), merged(data, {"english_term": "logic model; results chain"}, PUBLISH))
    assert response.status_code == 200
    assert any("Andra engelska benämningar" in error for error in field_errors(response, "english_term"))
    assert Revision.page_revisions.filter(object_id=str(kedja.pk)).count() == before

    response = admin_client.post(
        edit_url(kedja),
        merged(data, {"english_alt_labels": "results chain\ntheory of change\nprogram theory"}, PUBLISH),
    )
    assert response.status_code == 302, all_error_messages(response)
    kedja.refresh_from_db()
    assert kedja.english_label_list == ["results chain", "theory of change", "program theory"]


# --- What visitors see ------------------------------------------------------------------------------


def test_the_concept_page_shows_the_english_term_and_labels(client, kedja):
    soup = BeautifulSoup(client.get(kedja.url).content, "html.parser")
    assert soup.select_one(".concept__meta [lang=en]").get_text() == "logic model"
    section = soup.find(id="kallas-rubrik").find_parent("section")
    english = section.find("ul", attrs={"lang": "en"})
    assert [li.get_text() for li in english.find_all("li")] == ["results chain", "theory of change"]
    assert english["aria-labelledby"] == "kallas-engelska-rubrik"
    assert section.find(id="kallas-engelska-rubrik").get_text() == "På engelska"


def test_skos_has_one_english_preferred_label_and_the_rest_as_alternative_labels(client, kedja):
    graph = Graph().parse(data=client.get("/oppna-data/begrepp.ttl").content.decode(), format="turtle")
    uri = URIRef(f"http://testserver/permalank/{kedja.pk}/")
    assert set(graph.objects(uri, SKOS.prefLabel)) == {
        Literal("Effektkedja", lang="sv"),
        Literal("logic model", lang="en"),
    }
    assert set(graph.objects(uri, SKOS.altLabel)) == {
        Literal("programlogik", lang="sv"),
        Literal("results chain", lang="en"),
        Literal("theory of change", lang="en"),
    }


def test_the_demo_glossary_has_at_most_one_preferred_label_per_language(client, db):
    from tests.demo_template import demo_content

    demo_content()
    graph = Graph().parse(data=client.get("/oppna-data/begrepp.ttl").content.decode(), format="turtle")
    problems = []
    for subject in set(graph.subjects(SKOS.prefLabel)):
        languages = [label.language for label in graph.objects(subject, SKOS.prefLabel)]
        if len(languages) != len(set(languages)):
            problems.append((subject, sorted(graph.objects(subject, SKOS.prefLabel))))
        # S13: a label is preferred or alternative, never both.
        assert not set(graph.objects(subject, SKOS.prefLabel)) & set(graph.objects(subject, SKOS.altLabel))
    assert not problems
    kedja = ConceptPage.objects.get(slug="effektkedja")
    uri = URIRef(f"http://testserver/permalank/{kedja.pk}/")
    assert Literal("theory of change", lang="en") in set(graph.objects(uri, SKOS.altLabel))


def test_the_csv_json_and_api_list_the_english_labels(client, kedja):
    rows = list(csv.DictReader(io.StringIO(client.get("/oppna-data/begrepp.csv").content.decode("utf-8-sig"))))
    assert rows[0]["Engelsk term"] == "logic model"
    assert rows[0]["Andra engelska benämningar"] == "results chain; theory of change"
    data = json.loads(client.get("/oppna-data/begrepp.json").content)
    assert data["rader"][0]["engelska_benamningar"] == ["results chain", "theory of change"]
    api = client.get(f"/api/v2/pages/{kedja.pk}/").json()
    assert api["english_term"] == "logic model"
    assert api["english_alt_labels"] == ["results chain", "theory of change"]


# --- Search, on both engines ------------------------------------------------------------------------


def _build_search_content():
    from tests.factories import home_page

    index = glossary(home_page())
    concept(
        index,
        "Effektkedja",
        "En modell av hur insatser leder till effekter.",
        english_term="logic model",
        english_alt_labels="results chain\ntheory of change",
    )
    concept(index, "Utfall", "Hur deltagarna påverkats.", english_term="outcome")


search_content, search_engine = make_engine_fixtures(_build_search_content)


@pytest.mark.parametrize("query", ["logic model", "theory of change", "results chain"])
def test_every_english_label_finds_the_concept(search_engine, query):
    response = service.search(query)
    assert response.definition is not None and response.definition.title == "Effektkedja", query
    assert response.results and response.results[0].title == "Effektkedja"
