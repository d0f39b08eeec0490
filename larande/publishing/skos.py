"""The glossary as SKOS: /oppna-data/begrepp.ttl (Turtle) and /oppna-data/begrepp.jsonld (JSON-LD).

One `skos:ConceptScheme` (the glossary page's address, with a `skos:prefLabel` in Swedish and
English) holds every live, public concept. A
concept's URI is its permalink (/permalank/<id>/), which stays the same when editors rename or
move the page. Labels: the term and the English term as `skos:prefLabel` (@sv, @en: one per
language, S14), other labels and the other English labels as `skos:altLabel` (@sv, @en) and the
misspellings that help search as `skos:hiddenLabel`, which SKOS made for exactly that (machine
matching, never shown). The chain levels are one `skos:Collection`
each. Relations, replacements and everything else come from `published_concepts()`, so nothing
from a draft, unpublished or private concept is ever part of the graph, and no concept is
`skos:related` to one above or below it (SKOS S27, larande/glossary/hierarchy.py).
"""

import json
import re

from django.urls import reverse
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

from core.levels import ChainLevel
from larande.publishing.opendata import (
    LICENCE,
    PUBLISHER,
    PublishedConcepts,
    absolute_url,
    page_url,
    permalink_url,
    published_concepts,
)
from portal.visibility import visible_pages
from search.text import plain_text

SCHEME_TITLE = "Lärportalens begrepp"
SCHEME_TITLE_EN = "Lärportalen glossary"
SCHEME_DESCRIPTION = (
    "Begreppen i Lärportalens ramverk för strategiskt lärande: termer, definitioner, andra "
    "benämningar, nivåer i effektkedjan och hur begreppen hänger ihop."
)
# Prefixes used in Turtle and in the JSON-LD @context.
PREFIXES = {"skos": SKOS, "dct": DCTERMS, "owl": OWL, "foaf": FOAF, "rdfs": RDFS, "xsd": XSD}
# Compact JSON-LD: short keys, language maps for labels and notes, plain strings for links.
# Every key maps back to the same triples, so the JSON-LD and the Turtle are the same graph.
_LANGUAGE_MAP = ("prefLabel", "altLabel", "hiddenLabel", "definition", "scopeNote")
_LINKS = ("broader", "narrower", "related", "member", "hasTopConcept")
JSONLD_CONTEXT = {
    **{prefix: str(namespace) for prefix, namespace in PREFIXES.items()},
    **{name: {"@id": f"skos:{name}", "@container": "@language"} for name in _LANGUAGE_MAP},
    **{name: {"@id": f"skos:{name}", "@type": "@id", "@container": "@set"} for name in _LINKS},
    "inScheme": {"@id": "skos:inScheme", "@type": "@id"},
    "topConceptOf": {"@id": "skos:topConceptOf", "@type": "@id"},
    "isReplacedBy": {"@id": "dct:isReplacedBy", "@type": "@id"},
    "replaces": {"@id": "dct:replaces", "@type": "@id", "@container": "@set"},
    "deprecated": {"@id": "owl:deprecated", "@type": "xsd:boolean"},
    "modified": {"@id": "dct:modified", "@type": "xsd:dateTime"},
    "license": {"@id": "dct:license", "@type": "@id"},
    "publisher": {"@id": "dct:publisher", "@type": "@id"},
    "page": {"@id": "foaf:page", "@type": "@id"},
}
# Characters an IRI may not contain (RFC 3987); a web address an editor typed is escaped, so a
# stray quote or bracket cannot break the Turtle.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')


def _iri(address: str) -> URIRef:
    return URIRef(_NOT_IN_IRI.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), address.strip()))


def concept_uri(request, concept) -> URIRef:
    """A concept's stable URI: its permalink on the host the file was downloaded from."""
    return URIRef(permalink_url(request, concept))


def _scheme_address(request) -> str:
    """The glossary page's address; the open data page's if the glossary is not public itself."""
    from larande.models import GlossaryIndexPage

    glossary = visible_pages(GlossaryIndexPage).only("id", "url_path", "path", "depth").first()
    address = page_url(request, glossary) if glossary is not None else ""
    return address or absolute_url(request, reverse("outputs:open_data")) + "#begrepp"


def _level_uri(scheme: str, level: ChainLevel) -> URIRef:
    # The glossary filtered on the level is the page that lists the collection's members.
    if "#" in scheme:
        return URIRef(f"{scheme}-niva-{level.value.lower()}")
    return URIRef(f"{scheme}?niva={level.value}")


def _timestamp(value) -> Literal | None:
    return Literal(value.replace(microsecond=0), datatype=XSD.dateTime) if value else None


def _disjoint_labels(concept) -> tuple[list[str], list[str]]:
    """Other and hidden labels without repeats of the term or of each other: SKOS keeps a
    concept's preferred, alternative and hidden labels disjoint (integrity condition S13)."""
    seen = {concept.title.lower()}
    alt_labels = [label for label in concept.labels if label.lower() not in seen]
    seen.update(label.lower() for label in alt_labels)
    hidden_labels = [label for label in concept.hidden_label_list if label.lower() not in seen]
    return alt_labels, hidden_labels


def concept_graph(request, published: PublishedConcepts | None = None) -> Graph:
    """Every live, public concept as an RDF graph in the SKOS vocabulary."""
    published = published or published_concepts(with_tags=False)
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)

    address = _scheme_address(request)
    scheme = URIRef(address)
    publisher = URIRef(absolute_url(request, "/") + "#utgivare")
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, SKOS.prefLabel, Literal(SCHEME_TITLE, lang="sv")))
    graph.add((scheme, SKOS.prefLabel, Literal(SCHEME_TITLE_EN, lang="en")))
    graph.add((scheme, DCTERMS.title, Literal(SCHEME_TITLE, lang="sv")))
    graph.add((scheme, DCTERMS.description, Literal(SCHEME_DESCRIPTION, lang="sv")))
    graph.add((scheme, DCTERMS.license, _iri(LICENCE["url"])))
    graph.add((scheme, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, Literal(PUBLISHER, lang="sv")))
    published_times = [c.last_published_at for c in published.concepts if c.last_published_at]
    if published_times:
        graph.add((scheme, DCTERMS.modified, _timestamp(max(published_times))))

    collections = {}
    for level in ChainLevel.top_down():
        collection = _level_uri(address, level)
        collections[level.value] = collection
        graph.add((collection, RDF.type, SKOS.Collection))
        graph.add((collection, SKOS.prefLabel, Literal(f"Nivå {level.value} – {level.label}", lang="sv")))
        graph.add((collection, SKOS.definition, Literal(level.description, lang="sv")))

    uris = {pk: concept_uri(request, concept) for pk, concept in published.by_id.items()}
    for concept in published.concepts:
        uri = uris[concept.pk]
        graph.add((uri, RDF.type, SKOS.Concept))
        graph.add((uri, SKOS.inScheme, scheme))
        graph.add((uri, SKOS.prefLabel, Literal(concept.title, lang="sv")))
        english_term = concept.english_term.strip()
        if english_term:
            graph.add((uri, SKOS.prefLabel, Literal(english_term, lang="en")))
        alt_labels, hidden_labels = _disjoint_labels(concept)
        for label in alt_labels:
            graph.add((uri, SKOS.altLabel, Literal(label, lang="sv")))
        for label in concept.english_label_list:
            graph.add((uri, SKOS.altLabel, Literal(label, lang="en")))
        for label in hidden_labels:
            graph.add((uri, SKOS.hiddenLabel, Literal(label, lang="sv")))
        graph.add((uri, SKOS.definition, Literal(concept.short_definition, lang="sv")))
        explanation = plain_text(concept.explanation)
        if explanation:
            graph.add((uri, SKOS.scopeNote, Literal(explanation, lang="sv")))

        broader = published.broader[concept.pk]
        for other in broader:
            graph.add((uri, SKOS.broader, uris[other.pk]))
        if not broader:
            graph.add((uri, SKOS.topConceptOf, scheme))
            graph.add((scheme, SKOS.hasTopConcept, uri))
        for other in published.narrower[concept.pk]:
            graph.add((uri, SKOS.narrower, uris[other.pk]))
        for other in published.related[concept.pk]:
            graph.add((uri, SKOS.related, uris[other.pk]))

        if concept.is_deprecated:
            graph.add((uri, OWL.deprecated, Literal(True)))
        replacement = published.replacement(concept)
        if replacement is not None:
            graph.add((uri, DCTERMS.isReplacedBy, uris[replacement.pk]))
            graph.add((uris[replacement.pk], DCTERMS.replaces, uri))

        for source in published.sources[concept.pk]:
            citation = " ".join(source.citation.split())
            if source.url.strip():
                resource = _iri(source.url)
                graph.add((uri, DCTERMS.source, resource))
                graph.add((resource, DCTERMS.title, Literal(source.title)))
                if citation:
                    graph.add((resource, DCTERMS.bibliographicCitation, Literal(citation)))
            else:
                graph.add((uri, DCTERMS.source, Literal(", ".join(p for p in (source.title, citation) if p))))

        if concept.chain_level in collections:
            graph.add((collections[concept.chain_level], SKOS.member, uri))
        address = page_url(request, concept)
        if address:
            graph.add((uri, FOAF.page, URIRef(address)))
        if concept.last_published_at:
            graph.add((uri, DCTERMS.modified, _timestamp(concept.last_published_at)))
    return graph


def to_turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle", encoding="utf-8").decode("utf-8")


def to_jsonld(graph: Graph) -> str:
    """Compact JSON-LD with the context inline (no remote context to fetch), nodes ordered by @id
    so that the same content always gives the same file."""
    document = json.loads(graph.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=False))
    if isinstance(document.get("@graph"), list):
        document["@graph"].sort(key=lambda node: str(node.get("@id", "")))
    return json.dumps(document, ensure_ascii=False, indent=2)
