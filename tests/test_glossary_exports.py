"""The glossary's exports and print view: begrepp.csv/.json (open data), begrepp.ttl/.jsonld (SKOS)
and /begrepp/skriv-ut/, all showing exactly the live, public concepts and nothing of the others."""

import csv
import io
import json
import re
import warnings

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, SKOS, XSD

from larande.models import ConceptPage, ConceptSource, ConceptStatus
from larande.publishing.opendata import DATASETS, LICENCE
from tests.browser import axe_violations, browser_test, chromium_browser, new_page
from tests.factories import home_page
from tests.test_pages_support import assert_queries_do_not_grow, concept, glossary, main_text, make_private

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
EXPORT_QUERY_BUDGET = 8
PRINT_QUERY_BUDGET = 14
# Words that exist only in drafts, unpublished or private concepts, hidden labels and draft revisions.
SECRETS = ("Utkastbegrepp", "Avpublicerat", "Hemligt begrepp", "Nytt namn i utkast", "Hemlig källa", "Dold definition")
HIDDEN_LABELS = ("uttfall", "utfahll")
CSV_HEADINGS = [
    "Id",
    "URI",
    "Begrepp",
    "Engelsk term",
    "Andra engelska benämningar",
    "Andra benämningar",
    "Definition",
    "Förklaring",
    "Nivå",
    "Nivåns namn",
    "Status",
    "Statusens namn",
    "Använd i stället",
    "Överordnade begrepp",
    "Relaterade begrepp",
    "Källor",
    "Taggar",
    "Adress",
]


def _permalink(page) -> str:
    return f"{HOST}/permalank/{page.pk}/"


def _build(home) -> dict:
    """A glossary with every kind of concept a visitor may and may not see, related to each other."""
    index = glossary(home)
    draft = concept(index, "Utkastbegrepp", "Dold definition i ett utkast.", live=False)
    unpublished = concept(
        index, "Avpublicerat", "Dold definition, avpublicerad.", sources=[ConceptSource(title="Hemlig källa")]
    )
    unpublished.unpublish()
    private = concept(index, "Hemligt begrepp", "Dold definition bakom lösenord.")
    make_private(private)
    effekt = concept(index, "Effekt", "Förändring som följer av insatsen.")
    prestation = concept(index, "Prestation", "Hur mycket som har genomförts.", chain_level="E")
    utfall = concept(
        index,
        "Utfall",
        "Hur deltagarna har påverkats av deltagandet.",
        chain_level="D",
        english_term="outcome",
        other_labels="direkt resultat\ndeltagarresultat",
        hidden_labels="uttfall, utfahll",
        explanation="<h3>Så används ordet</h3><p>Utfallet inträffar <strong>direkt</strong> &amp; mäts.</p>",
        broader=[effekt, draft, private],
        related=[prestation, unpublished, draft],
        sources=[
            ConceptSource(title="Ramverk för strategiskt lärande", url="https://example.org/ramverk"),
            ConceptSource(title="Lärprojektet", citation="Regionala resultat, 2023."),
        ],
        tags=["uppföljning", "effektkedjan"],
    )
    kortsiktig = concept(
        index, "Kortsiktig effekt", "Det som händer när deltagarna använder utfallet.", chain_level="C"
    )
    kortsiktig.broader.add(effekt)
    kortsiktig.save_revision().publish()
    output = concept(
        index, "Output", "Ett äldre ord för prestation.", status=ConceptStatus.DEPRECATED, use_instead=prestation
    )
    old = concept(
        index, "Gammalt ord", "Ersatt av något hemligt.", status=ConceptStatus.DEPRECATED, use_instead=private
    )
    # Drafts and private concepts pointing at public ones must not show up as their narrower or related.
    for hidden in (draft, private):
        hidden.broader.add(utfall)
        hidden.related.add(effekt)
        hidden.save()
    aatgard = concept(index, "Åtgärd", "Något som görs.")
    aktivitet = concept(index, "aktivitet", "Det som genomförs.", chain_level="F")
    renamed = concept(index, "Levande", "Ett begrepp med ett utkast.")
    renamed.title = "Nytt namn i utkast"
    renamed.save_revision()
    return {
        "index": index,
        "effekt": effekt,
        "prestation": prestation,
        "utfall": utfall,
        "kortsiktig": kortsiktig,
        "output": output,
        "old": old,
        "aatgard": aatgard,
        "aktivitet": aktivitet,
        "renamed": ConceptPage.objects.get(pk=renamed.pk),
        "draft": draft,
        "unpublished": unpublished,
        "private": private,
    }


def build_world():
    """The glossary's world, built once for the module and handed to each test fresh as `world`
    (tests/conftest.py); the committing test and the empty glossaries don't ask for it and run
    before it is built."""
    return _build(home_page())


def _public(site) -> list:
    return [site[key] for key in ("effekt", "prestation", "utfall", "kortsiktig", "output", "old")] + [
        site[key] for key in ("aatgard", "aktivitet", "renamed")
    ]


def _hidden(site) -> list:
    return [site["draft"], site["unpublished"], site["private"]]


def _get(client, name, status=200):
    response = client.get(f"/oppna-data/{name}")
    assert response.status_code == status, response.content[:300]
    return response


def _csv_rows(client):
    response = _get(client, "begrepp.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="larportalen-begrepp.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]], response.content.decode("utf-8-sig")


def _turtle(client) -> tuple[Graph, str]:
    response = _get(client, "begrepp.ttl")
    assert response["Content-Type"] == "text/turtle; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="larportalen-begrepp.ttl"'
    text = response.content.decode("utf-8")
    return Graph().parse(data=text, format="turtle"), text


def _jsonld(client) -> tuple[Graph, dict, str]:
    response = _get(client, "begrepp.jsonld")
    assert response["Content-Type"] == "application/ld+json"
    assert response["Content-Disposition"] == 'attachment; filename="larportalen-begrepp.jsonld"'
    text = response.content.decode("utf-8")
    with warnings.catch_warnings():
        # rdflib 7.6's JSON-LD parser builds a ConjunctiveGraph internally and trips its own
        # deprecation warning (RDFLib/rdflib#3064, fixed after 7.6.0); nothing of ours is deprecated.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        graph = Graph().parse(data=text, format="json-ld")
    return graph, json.loads(text), text


def _literals(graph, subject, predicate) -> set[tuple[str, str | None]]:
    return {(str(o), o.language) for o in graph.objects(URIRef(subject), predicate)}


def _objects(graph, subject, predicate) -> set[str]:
    return {str(o) for o in graph.objects(URIRef(subject), predicate)}


def _print(client, params=None, status=200):
    response = client.get("/begrepp/skriv-ut/", params or {})
    assert response.status_code == status
    return response


def _print_terms(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [dt.a.get_text(strip=True) for dt in soup.select("main dl dt")]


class TestConceptTable:
    """begrepp.csv and begrepp.json: one row per live, public concept."""

    def test_csv_has_one_row_per_public_concept_in_swedish_order(self, client, world):
        headings, rows, _ = _csv_rows(client)

        assert headings == CSV_HEADINGS == [column.heading for column in DATASETS["begrepp"].columns]
        assert [row["Begrepp"] for row in rows] == [
            "aktivitet",
            "Effekt",
            "Gammalt ord",
            "Kortsiktig effekt",
            "Levande",
            "Output",
            "Prestation",
            "Utfall",
            "Åtgärd",
        ]
        assert {int(row["Id"]) for row in rows} == {page.pk for page in _public(world)}

    def test_row_has_uri_labels_plain_explanation_level_relations_sources_and_tags(self, client, world):
        _, rows, _ = _csv_rows(client)
        row = next(r for r in rows if r["Begrepp"] == "Utfall")
        utfall = world["utfall"]

        assert row["Id"] == str(utfall.pk)
        assert row["URI"] == _permalink(utfall)
        assert client.get(row["URI"].removeprefix(HOST)).url == utfall.url
        assert row["Engelsk term"] == "outcome"
        assert row["Andra benämningar"] == "direkt resultat; deltagarresultat"
        assert row["Definition"] == "Hur deltagarna har påverkats av deltagandet."
        assert row["Förklaring"] == "Så används ordet Utfallet inträffar direkt & mäts."
        assert (row["Nivå"], row["Nivåns namn"]) == ("D", "Utfall")
        assert (row["Status"], row["Statusens namn"], row["Använd i stället"]) == ("recommended", "Rekommenderad", "")
        assert row["Överordnade begrepp"] == "Effekt"
        assert row["Relaterade begrepp"] == "Prestation"
        assert row["Källor"] == (
            "Ramverk för strategiskt lärande, https://example.org/ramverk; Lärprojektet, Regionala resultat, 2023."
        )
        assert row["Taggar"] == "effektkedjan; uppföljning"
        assert row["Adress"] == f"{HOST}/begrepp/utfall/"

        by_term = {r["Begrepp"]: r for r in rows}
        # Related is symmetric, as on the concept page.
        assert by_term["Prestation"]["Relaterade begrepp"] == "Utfall"
        assert by_term["Kortsiktig effekt"]["Överordnade begrepp"] == "Effekt"
        assert by_term["aktivitet"]["Nivå"] == "F" and by_term["Effekt"]["Nivå"] == ""
        assert by_term["Effekt"]["Förklaring"] == by_term["Effekt"]["Källor"] == ""

    def test_deprecated_concept_names_its_replacement_only_when_it_is_public(self, client, world):
        _, rows, _ = _csv_rows(client)
        by_term = {r["Begrepp"]: r for r in rows}

        output = by_term["Output"]
        assert (output["Status"], output["Statusens namn"], output["Använd i stället"]) == (
            "deprecated",
            "Avrådd",
            "Prestation",
        )
        old = by_term["Gammalt ord"]
        assert (old["Statusens namn"], old["Använd i stället"]) == ("Avrådd", "")

    def test_csv_and_json_leak_nothing_hidden(self, client, world):
        _, _, csv_text = _csv_rows(client)
        json_text = _get(client, "begrepp.json").content.decode("utf-8")

        for text in (csv_text, json_text):
            for secret in SECRETS + HIDDEN_LABELS:
                assert secret not in text, secret
            for page in _hidden(world):
                assert f"/permalank/{page.pk}/" not in text
            assert "Levande" in text

    def test_json_keeps_lists_and_describes_the_columns(self, client, world):
        document = json.loads(_get(client, "begrepp.json").content)

        assert document["datamangd"] == "begrepp"
        assert document["antal_rader"] == len(_public(world)) == len(document["rader"])
        assert [c["rubrik_i_csv"] for c in document["kolumner"]] == CSV_HEADINGS
        row = next(r for r in document["rader"] if r["begrepp"] == "Utfall")
        assert row["andra_benamningar"] == ["direkt resultat", "deltagarresultat"]
        assert row["overordnade"] == ["Effekt"] and row["relaterade"] == ["Prestation"]
        assert row["kallor"] == [
            "Ramverk för strategiskt lärande, https://example.org/ramverk",
            "Lärprojektet, Regionala resultat, 2023.",
        ]
        assert row["id"] == world["utfall"].pk and row["uri"] == _permalink(world["utfall"])


class TestSkos:
    """begrepp.ttl and begrepp.jsonld: the same SKOS graph in two syntaxes."""

    def test_turtle_and_json_ld_parse_back_into_exactly_the_published_concepts(self, client, world):
        turtle, turtle_text = _turtle(client)
        jsonld, document, jsonld_text = _jsonld(client)
        expected = {_permalink(page) for page in _public(world)}

        for graph in (turtle, jsonld):
            concepts = {str(s) for s in graph.subjects(RDF.type, SKOS.Concept)}
            assert concepts == expected
            assert len(concepts) == ConceptPage.objects.live().public().count() == 9
        assert isomorphic(turtle, jsonld)
        assert turtle_text.startswith("@prefix") and "a skos:Concept" in turtle_text
        # Compact JSON-LD: an inline context and short keys, not full IRIs on every node.
        assert document["@context"]["skos"] == str(SKOS) and document["@context"]["dct"] == str(DCTERMS)
        nodes = json.dumps(document["@graph"])
        assert '"prefLabel"' in nodes and str(SKOS.prefLabel) not in nodes
        utfall = next(node for node in document["@graph"] if node["@id"] == _permalink(world["utfall"]))
        assert utfall["prefLabel"] == {"sv": "Utfall", "en": "outcome"}
        assert utfall["broader"] == [_permalink(world["effekt"])]

    def test_nothing_hidden_reaches_skos_not_even_as_a_relation_target(self, client, world):
        turtle, turtle_text = _turtle(client)
        jsonld, _, jsonld_text = _jsonld(client)
        hidden_uris = {_permalink(page) for page in _hidden(world)}
        public_uris = {_permalink(page) for page in _public(world)}

        for graph, text in ((turtle, turtle_text), (jsonld, jsonld_text)):
            for secret in SECRETS:
                assert secret not in text, secret
            for page in _hidden(world):
                assert f"/permalank/{page.pk}/" not in text
            uris = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
            assert not uris & hidden_uris
            assert {uri for uri in uris if "/permalank/" in uri} == public_uris
            assert "Levande" in text

    def test_labels_definition_and_scope_note(self, client, world):
        graph, _ = _turtle(client)
        utfall, effekt = _permalink(world["utfall"]), _permalink(world["effekt"])

        assert _literals(graph, utfall, SKOS.prefLabel) == {("Utfall", "sv"), ("outcome", "en")}
        assert _literals(graph, utfall, SKOS.altLabel) == {("direkt resultat", "sv"), ("deltagarresultat", "sv")}
        assert _literals(graph, utfall, SKOS.hiddenLabel) == {("uttfall", "sv"), ("utfahll", "sv")}
        assert _literals(graph, utfall, SKOS.definition) == {("Hur deltagarna har påverkats av deltagandet.", "sv")}
        assert _literals(graph, utfall, SKOS.scopeNote) == {
            ("Så används ordet Utfallet inträffar direkt & mäts.", "sv")
        }
        assert _objects(graph, utfall, FOAF.page) == {f"{HOST}/begrepp/utfall/"}
        # Without an English term, other labels or an explanation, only the term and the definition.
        assert _literals(graph, effekt, SKOS.prefLabel) == {("Effekt", "sv")}
        for predicate in (SKOS.altLabel, SKOS.hiddenLabel, SKOS.scopeNote):
            assert _literals(graph, effekt, predicate) == set()

    def test_broader_narrower_related_and_top_concepts(self, client, world):
        graph, _ = _turtle(client)
        uri = {key: _permalink(world[key]) for key in ("effekt", "prestation", "utfall", "kortsiktig", "aatgard")}
        scheme = f"{HOST}/begrepp/"

        assert _objects(graph, uri["utfall"], SKOS.broader) == {uri["effekt"]}
        assert _objects(graph, uri["effekt"], SKOS.narrower) == {uri["utfall"], uri["kortsiktig"]}
        assert _objects(graph, uri["utfall"], SKOS.narrower) == set()
        assert _objects(graph, uri["utfall"], SKOS.related) == {uri["prestation"]}
        assert _objects(graph, uri["prestation"], SKOS.related) == {uri["utfall"]}
        assert _objects(graph, uri["effekt"], SKOS.related) == set()
        tops = {str(s) for s in graph.subjects(SKOS.topConceptOf, URIRef(scheme))}
        assert {uri["effekt"], uri["aatgard"]} <= tops
        assert not {uri["utfall"], uri["kortsiktig"]} & tops
        assert _objects(graph, scheme, SKOS.hasTopConcept) == tops
        for page in _public(world):
            assert _objects(graph, _permalink(page), SKOS.inScheme) == {scheme}

    def test_deprecation_points_only_to_a_public_replacement(self, client, world):
        graph, _ = _turtle(client)
        output, old, prestation = (_permalink(world[key]) for key in ("output", "old", "prestation"))

        assert set(graph.objects(URIRef(output), OWL.deprecated)) == {Literal(True)}
        assert _objects(graph, output, DCTERMS.isReplacedBy) == {prestation}
        assert _objects(graph, prestation, DCTERMS.replaces) == {output}
        assert set(graph.objects(URIRef(old), OWL.deprecated)) == {Literal(True)}
        assert _objects(graph, old, DCTERMS.isReplacedBy) == set()
        assert not set(graph.objects(URIRef(_permalink(world["utfall"])), OWL.deprecated))

    def test_sources_are_links_or_text(self, client, world):
        graph, _ = _turtle(client)
        sources = set(graph.objects(URIRef(_permalink(world["utfall"])), DCTERMS.source))

        assert sources == {URIRef("https://example.org/ramverk"), Literal("Lärprojektet, Regionala resultat, 2023.")}
        assert _literals(graph, "https://example.org/ramverk", DCTERMS.title) == {
            ("Ramverk för strategiskt lärande", None)
        }

    def test_a_source_address_with_odd_characters_cannot_break_the_files(self, client, world):
        ConceptSource.objects.create(concept=world["effekt"], title="Konstig", url='https://example.org/a b>"{x}')

        turtle, _ = _turtle(client)
        jsonld, _, _ = _jsonld(client)

        expected = {"https://example.org/a%20b%3E%22%7Bx%7D"}
        assert _objects(turtle, _permalink(world["effekt"]), DCTERMS.source) == expected
        assert isomorphic(turtle, jsonld)

    def test_scheme_and_level_collections(self, client, world):
        graph, _ = _turtle(client)
        scheme = URIRef(f"{HOST}/begrepp/")

        assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
        assert _literals(graph, scheme, DCTERMS.title) == {("Lärportalens begrepp", "sv")}
        assert _objects(graph, scheme, DCTERMS.license) == {LICENCE["url"]}
        modified = graph.value(scheme, DCTERMS.modified)
        assert modified.datatype == XSD.dateTime
        latest = max(page.last_published_at for page in ConceptPage.objects.live().public())
        assert modified.toPython() == latest.replace(microsecond=0)
        publisher = graph.value(scheme, DCTERMS.publisher)
        assert "Lärportalen" in str(graph.value(publisher, FOAF.name))

        collections = {str(graph.value(c, SKOS.prefLabel)): c for c in graph.subjects(RDF.type, SKOS.Collection)}
        assert len(collections) == 7
        level_d = collections["Nivå D – Utfall"]
        assert str(level_d) == f"{HOST}/begrepp/?niva=D"
        assert _objects(graph, level_d, SKOS.member) == {_permalink(world["utfall"])}
        assert _objects(graph, collections["Nivå E – Prestationer"], SKOS.member) == {_permalink(world["prestation"])}
        assert _objects(graph, collections["Nivå B – Långsiktiga effekter"], SKOS.member) == set()
        # A collection's address is the glossary filtered on the level.
        assert [c.title for c in world["index"].listing({"niva": "D"})["letter_groups"][0]["concepts"]] == ["Utfall"]


class TestExportRequests:
    """Query counts, content types and bad addresses of the concept exports and the open data page."""

    @pytest.mark.parametrize("name", ["begrepp.csv", "begrepp.json", "begrepp.ttl", "begrepp.jsonld"])
    def test_exports_take_a_fixed_number_of_queries(self, client, world, name, django_assert_max_num_queries):
        def grow(start, stop):
            for n in range(start, stop):
                concept(
                    world["index"],
                    f"Fler begrepp {n}",
                    chain_level="DEFG"[n % 4],
                    other_labels=f"annat {n}",
                    broader=[world["effekt"]],
                    related=[world["utfall"]],
                    sources=[ConceptSource(title=f"Källa {n}", url=f"https://example.org/{n}")],
                    tags=[f"tagg {n}"],
                    revision=False,
                )

        url = f"/oppna-data/{name}"
        budgets = {url: EXPORT_QUERY_BUDGET}
        responses = assert_queries_do_not_grow(client, budgets, grow, django_assert_max_num_queries, few=0, many=8)
        assert "Fler begrepp 7" in responses[url].content.decode("utf-8")

    @pytest.mark.parametrize(
        ("url", "status", "message"),
        [
            ("/oppna-data/begrepp.xml", 404, "finns som begrepp.csv, begrepp.json, begrepp.ttl och begrepp.jsonld"),
            ("/oppna-data/begrepp.rdf", 404, "Formatet ”rdf” finns inte"),
            ("/oppna-data/begrepp", 404, "Ange formatet i adressen: begrepp.csv, begrepp.json, begrepp.ttl eller"),
            ("/oppna-data/resultat.ttl", 404, "Datamängden ”resultat” finns som resultat.csv och resultat.json."),
            ("/oppna-data/begrepp.ttl?niva=D", 400, "Filerna tar inga parametrar"),
            ("/oppna-data/begrepp.jsonld?format=xml&lang=en", 400, "”format”, ”lang”"),
            ("/oppna-data/begrepp.csv?q=utfall", 400, "Ta bort ”q” ur adressen"),
        ],
    )
    def test_bad_addresses_get_a_swedish_message(self, client, world, url, status, message):
        response = client.get(url)

        assert response.status_code == status
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert message in response.content.decode("utf-8")

    def test_exports_are_read_only(self, client, world):
        assert client.post("/oppna-data/begrepp.ttl").status_code == 405
        assert client.head("/oppna-data/begrepp.jsonld").status_code == 200

    def test_open_data_page_lists_the_concepts_and_their_skos_files(self, client, world):
        soup = BeautifulSoup(client.get("/oppna-data/").content, "html.parser")
        section = soup.find(id="datamangd-begrepp").find_parent("section")
        links = {a["href"]: a.get_text(" ", strip=True) for a in section.find_all("a", href=True)}

        assert links["/oppna-data/begrepp.csv"] == "Ladda ner begrepp som CSV"
        assert "SKOS" in links["/oppna-data/begrepp.ttl"] and "Turtle" in links["/oppna-data/begrepp.ttl"]
        assert "SKOS" in links["/oppna-data/begrepp.jsonld"] and "JSON-LD" in links["/oppna-data/begrepp.jsonld"]
        other = soup.find(id="datamangd-resultat").find_parent("section")
        assert not other.find("a", href=re.compile(r"\.(ttl|jsonld)$"))
        assert "skos:Concept" in soup.find(id="skos-rubrik").find_parent("section").get_text()


class TestPrintView:
    """/begrepp/skriv-ut/: the glossary A–Ö for printing."""

    def test_lists_every_public_concept_a_to_o_grouped_by_letter(self, client, world):
        response = _print(client)
        soup = BeautifulSoup(response.content, "html.parser")

        assert soup.html["lang"] == "sv"
        assert soup.h1.get_text(" ", strip=True) == "Begrepp A–Ö"
        assert _print_terms(response) == [
            "aktivitet",
            "Effekt",
            "Gammalt ord",
            "Kortsiktig effekt",
            "Levande",
            "Output",
            "Prestation",
            "Utfall",
            "Åtgärd",
        ]
        headings = [h2.get_text(strip=True) for h2 in soup.select("main h2")]
        assert headings == ["A", "E", "G", "K", "L", "O", "P", "U", "Å"]
        text = main_text(response)
        assert "Utfall (engelska: outcome) Nivå D Utfall Andra benämningar: direkt resultat, deltagarresultat" in text
        assert "Hur deltagarna har påverkats av deltagandet." in text
        assert "Output Avrådd – använd Prestation Ett äldre ord för prestation." in text
        assert "Gammalt ord Avrådd Ersatt av något hemligt." in text
        assert soup.find(lang="en").get_text() == "outcome"

    def test_shows_nothing_hidden(self, client, world):
        html = _print(client).content.decode()
        for secret in SECRETS + HIDDEN_LABELS:
            assert secret not in html, secret

    def test_has_date_button_script_and_a_way_back(self, client, world):
        soup = BeautifulSoup(_print(client).content, "html.parser")

        button = soup.find("button", attrs={"data-print-button": True})
        assert button.get_text(strip=True) == "Skriv ut" and button.has_attr("hidden")
        assert soup.find("script", src="/static/js/print.js")
        time = soup.select_one(".glossary-print__source time")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", time["datetime"])
        assert soup.find("a", string="Tillbaka till begreppslistan")["href"] == "/begrepp/"
        assert soup.find("a", attrs={"data-print-url": f"{HOST}/begrepp/"})
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert soup.select_one("nav.breadcrumbs [aria-current=page]").get_text() == "Utskrift"

    def test_honours_the_level_filter(self, client, world):
        response = _print(client, {"niva": "d"})
        soup = BeautifulSoup(response.content, "html.parser")

        assert _print_terms(response) == ["Utfall"]
        assert "nivå D Utfall" in soup.h1.get_text()
        assert "1 begrepp på nivån D Utfall." in main_text(response)
        assert soup.find("a", string="Tillbaka till begreppslistan")["href"] == "/begrepp/?niva=D"
        empty = _print(client, {"niva": "B"})
        assert _print_terms(empty) == []
        assert "Det finns inga begrepp på nivån B Långsiktiga effekter ännu." in main_text(empty)

    @pytest.mark.parametrize("value", ["X", "Ö", "<script>", "ÅÄÖ" * 50])
    def test_an_unknown_level_gets_the_glossary_message_with_400(self, client, world, value):
        response = _print(client, {"niva": value}, status=400)

        assert _print_terms(response) == []
        assert "i effektkedjan. Välj en av nivåerna A–G." in main_text(response)
        assert "Visa alla begrepp för utskrift" in main_text(response)
        assert "data-print-button" not in response.content.decode()
        assert "<script>" not in response.content.decode().split("<main", 1)[1]
        # The glossary page, which keeps its filter form, shows the same message.
        assert "i effektkedjan. Välj en av nivåerna A–G." in main_text(client.get("/begrepp/", {"niva": value}))

    def test_query_count_is_bounded(self, client, world, django_assert_max_num_queries):
        def grow(start, stop):
            for n in range(start, stop):
                concept(
                    world["index"],
                    f"Fler begrepp {n}",
                    other_labels=f"annat {n}",
                    status=ConceptStatus.DEPRECATED,
                    use_instead=world["utfall"],
                    revision=False,
                )

        url = "/begrepp/skriv-ut/"
        budgets = {url: PRINT_QUERY_BUDGET}
        responses = assert_queries_do_not_grow(client, budgets, grow, django_assert_max_num_queries, few=0, many=10)
        assert main_text(responses[url]).count("Avrådd – använd Utfall") == 10


def test_skos_of_an_empty_glossary_is_a_scheme_without_concepts(client, home):
    glossary(home)
    graph, _ = _turtle(client)
    jsonld, _, _ = _jsonld(client)

    assert (URIRef(f"{HOST}/begrepp/"), RDF.type, SKOS.ConceptScheme) in graph
    assert not set(graph.subjects(RDF.type, SKOS.Concept))
    assert isomorphic(graph, jsonld)


def test_print_view_of_an_empty_glossary(client, home):
    glossary(home)
    assert "Inga begrepp är publicerade ännu." in main_text(_print(client))


@browser_test
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_print_view_has_no_axe_violations(live_server):
    url = live_server.url + _build(home_page())["index"].url + "skriv-ut/"
    problems = {}
    with chromium_browser() as chromium:
        for width in (1280, 320):
            page = new_page(chromium, width=width)
            for query in ("", "?niva=D", "?niva=X"):
                page.goto(url + query)
                # Shown by print.js for visitors with JavaScript, and only when there is a list to print.
                assert page.get_by_role("button", name="Skriv ut").is_visible() == (query != "?niva=X")
                found = axe_violations(page)
                if found:
                    problems[f"{query or 'alla'} @ {width}px"] = found
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
