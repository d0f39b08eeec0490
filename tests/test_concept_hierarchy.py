"""SKOS integrity condition S27 (skos:related is disjoint with skos:broaderTransitive): the admin
refuses a concept related to one above or below it, with the message at the field; the exports
never state such a pair; the demo content keeps the rule. And the concept scheme has a prefLabel."""

import csv
import io
import warnings

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS
from wagtail.models import Revision

from larande.glossary.hierarchy import drop_hierarchical_pairs, relation_errors, stored_pairs
from larande.models import ConceptPage
from tests.admin_forms import PUBLISH, all_error_messages, edit_url, field_errors, form_data, merged
from tests.publishing_support import start_page
from tests.test_pages_support import concept, glossary

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


def build_world():
    """effektkedja ⊃ kontext; resultat ⊃ effekt ⊃ långsiktiga effekter; hållbar tillväxt on its own:
    built once for the module (tests/conftest.py: `world`)."""
    index = glossary(start_page())
    kedja = concept(index, "Effektkedja")
    kontext = concept(index, "Kontext", broader=[kedja])
    resultat = concept(index, "Resultat")
    effekt = concept(index, "Effekt", broader=[resultat])
    langsiktiga = concept(index, "Långsiktiga effekter", broader=[effekt])
    hallbar = concept(index, "Hållbar tillväxt")
    return {
        "index": index,
        "kedja": kedja,
        "kontext": kontext,
        "resultat": resultat,
        "effekt": effekt,
        "langsiktiga": langsiktiga,
        "hallbar": hallbar,
    }


@pytest.fixture
def terms(world):
    """The module's glossary and concepts, fresh for each test."""
    return world


def _post(admin_client, page, **lists):
    data = form_data(admin_client.get(edit_url(page)))
    chosen = {name: [str(other.pk) for other in pages] for name, pages in lists.items()}
    return admin_client.post(edit_url(page), merged(data, chosen, PUBLISH))


def _assert_refused(response, page, field, *words):
    assert response.status_code == 200, "sidan sparades"
    errors = field_errors(response, field)
    assert errors, all_error_messages(response)
    for word in words:
        assert any(word in error for error in errors), (word, errors)
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 1, "något sparades"


# --- The admin ------------------------------------------------------------------------------------


def test_a_concept_cannot_have_the_same_concept_as_broader_and_related(admin_client, terms):
    kontext = terms["kontext"]
    response = _post(admin_client, kontext, broader=[terms["kedja"]], related=[terms["kedja"]])
    _assert_refused(response, kontext, "related", "”Effektkedja” är överordnat ”Kontext”", "Ta bort ”Effektkedja”")
    assert not ConceptPage.objects.get(pk=kontext.pk).related.exists()


def test_nor_a_concept_above_it_through_others(admin_client, terms):
    page = terms["langsiktiga"]
    response = _post(admin_client, page, broader=[terms["effekt"]], related=[terms["resultat"]])
    _assert_refused(response, page, "related", "”Resultat” är överordnat ”Långsiktiga effekter” via ”Effekt”")


def test_nor_a_concept_below_it(admin_client, terms):
    page = terms["resultat"]
    response = _post(admin_client, page, related=[terms["langsiktiga"]])
    _assert_refused(response, page, "related", "”Långsiktiga effekter” är underordnat ”Resultat” via ”Effekt”")


def test_a_new_broader_concept_that_another_concept_relates_to_is_refused_at_broader(admin_client, terms):
    # Hållbar tillväxt names Långsiktiga effekter as related; making it broader than Effekt would put
    # it above Långsiktiga effekter too.
    hallbar, effekt = terms["hallbar"], terms["effekt"]
    hallbar.related.set([terms["langsiktiga"]])
    hallbar.save()
    response = _post(admin_client, effekt, broader=[terms["resultat"], hallbar])
    _assert_refused(
        response,
        effekt,
        "broader",
        "Med ”Hållbar tillväxt” som överordnat begrepp blir ”Hållbar tillväxt” överordnat ”Långsiktiga effekter”",
        "angivet på ”Hållbar tillväxt”",
    )


def test_related_siblings_and_cousins_are_fine(admin_client, terms):
    page = terms["kontext"]
    response = _post(admin_client, page, broader=[terms["kedja"]], related=[terms["effekt"], terms["hallbar"]])
    assert response.status_code == 302, all_error_messages(response)
    assert set(ConceptPage.objects.get(pk=page.pk).related.all()) == {terms["effekt"], terms["hallbar"]}


def test_a_pair_stored_on_another_concept_does_not_block_unrelated_edits(admin_client, terms):
    # Content from before the rule: Effektkedja names Kontext, which is below it, as related.
    kedja, kontext = terms["kedja"], terms["kontext"]
    ConceptPage.related.through.objects.create(from_conceptpage=kedja, to_conceptpage=kontext)
    data = form_data(admin_client.get(edit_url(kontext)))
    response = admin_client.post(edit_url(kontext), merged(data, {"short_definition": "Ny definition."}, PUBLISH))
    assert response.status_code == 302, all_error_messages(response)
    # Editing Effektkedja, where the pair is stated, says what to fix.
    response = _post(admin_client, kedja, related=[kontext])
    _assert_refused(response, kedja, "related", "”Kontext” är underordnat ”Effektkedja”")


def test_the_rule_for_a_new_concept(terms):
    errors = relation_errors(None, [terms["effekt"].pk], [terms["resultat"].pk, terms["hallbar"].pk])
    assert list(errors) == ["related"] and len(errors["related"]) == 1
    assert "”Resultat” är överordnat ”det här begreppet” via ”Effekt”" in errors["related"][0]
    assert relation_errors(None, [terms["effekt"].pk], [terms["hallbar"].pk]) == {}


# --- The exports ----------------------------------------------------------------------------------


def _related_to_broader_transitive(graph: Graph) -> list:
    return [
        (s, o)
        for s, o in graph.subject_objects(SKOS.related)
        if o in set(graph.transitive_objects(s, SKOS.broader)) - {s}
        or s in set(graph.transitive_objects(o, SKOS.broader)) - {o}
    ]


def test_the_exports_never_relate_a_concept_to_one_above_or_below_it(client, terms):
    through = ConceptPage.related.through
    # Pairs that slipped in without the admin form: direct, transitive, from below and from above.
    for one, other in [("kontext", "kedja"), ("langsiktiga", "resultat"), ("resultat", "effekt"), ("kedja", "kontext")]:
        through.objects.create(from_conceptpage=terms[one], to_conceptpage=terms[other])
    through.objects.create(from_conceptpage=terms["kontext"], to_conceptpage=terms["hallbar"])  # a fine pair

    graph = Graph().parse(data=client.get("/oppna-data/begrepp.ttl").content.decode(), format="turtle")
    assert _related_to_broader_transitive(graph) == []
    kontext, hallbar = (URIRef(f"{HOST}/permalank/{terms[k].pk}/") for k in ("kontext", "hallbar"))
    assert set(graph.objects(kontext, SKOS.related)) == {hallbar}
    assert (hallbar, SKOS.related, kontext) in graph
    assert (kontext, SKOS.broader, URIRef(f"{HOST}/permalank/{terms['kedja'].pk}/")) in graph
    with warnings.catch_warnings():
        # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph inside.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        jsonld = Graph().parse(data=client.get("/oppna-data/begrepp.jsonld").content.decode(), format="json-ld")
    assert _related_to_broader_transitive(jsonld) == []

    rows = {
        row["Begrepp"]: row
        for row in csv.DictReader(io.StringIO(client.get("/oppna-data/begrepp.csv").content.decode("utf-8-sig")))
    }
    assert rows["Kontext"]["Relaterade begrepp"] == "Hållbar tillväxt"
    assert rows["Effektkedja"]["Relaterade begrepp"] == ""
    assert rows["Resultat"]["Relaterade begrepp"] == ""


def test_drop_hierarchical_pairs_keeps_only_unordered_pairs():
    broader = {1: [2], 2: [3], 4: [3], 5: [5]}
    pairs = [(1, 3), (3, 1), (1, 2), (1, 4), (2, 4), (5, 6)]
    assert drop_hierarchical_pairs(pairs, broader) == [(1, 4), (2, 4), (5, 6)]


def test_the_concept_scheme_has_a_preferred_label(client, terms):
    graph = Graph().parse(data=client.get("/oppna-data/begrepp.ttl").content.decode(), format="turtle")
    scheme = next(graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert set(graph.objects(scheme, SKOS.prefLabel)) == {
        Literal("Lärportalens begrepp", lang="sv"),
        Literal("Lärportalen glossary", lang="en"),
    }


# --- The demo content -----------------------------------------------------------------------------


def test_the_demo_content_keeps_the_rule(client, db):
    from tests.demo_template import demo_content

    demo_content()
    broader: dict[int, list[int]] = {}
    for child, parent in stored_pairs("broader"):
        broader.setdefault(child, []).append(parent)
    related = stored_pairs("related")
    assert related and drop_hierarchical_pairs(related, broader) == related
    kontext = ConceptPage.objects.get(slug="kontext")
    assert not kontext.related.filter(slug="effektkedja").exists()
    assert not ConceptPage.objects.get(slug="effektkedja").related.filter(slug="kontext").exists()
    graph = Graph().parse(data=client.get("/oppna-data/begrepp.ttl").content.decode(), format="turtle")
    assert _related_to_broader_transitive(graph) == []
    # Every concept keeps a term and a definition: the demo glossary is otherwise unchanged.
    assert kontext.broader.filter(slug="effektkedja").exists()
