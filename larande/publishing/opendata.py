"""Open data: the portal's results, lessons, recommendations, evaluation questions, indicators and
concepts as datasets.

Each dataset is a list of columns (a JSON key, a Swedish CSV heading and a description for the
data description page) and a function that builds its rows from what the public site shows:
only live, public results and their lessons and values; questions and indicators are public
records, and the chains they point to are kept to live, public ones; only live, public concepts,
related only to each other. Every dataset is built in a fixed number of queries, whatever the
amount of content. The concepts are also published as SKOS (larande/publishing/skos.py).

CSV is UTF-8 with a byte order mark (so Excel reads å, ä and ö right), comma separated, every
field quoted as needed, decimals with a point, dates as ISO 8601 and lists joined with "; ".
"""

import csv
import datetime
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from core.collation import swedish_sort_key
from core.levels import ChainLevel
from larande.glossary.hierarchy import drop_hierarchical_pairs
from portal.visibility import visible_pages
from search.text import plain_text

LICENCE = {
    "namn": "CC0 1.0 Universell (fri från upphovsrätt)",
    "url": "https://creativecommons.org/publicdomain/zero/1.0/deed.sv",
}
PUBLISHER = "Lärportalen – ramverk för strategiskt lärande"
LIST_SEPARATOR = "; "
FORMATS = ("csv", "json")
# Formats only datasets with `skos=True` have: the glossary as linked data (larande/publishing/skos.py).
SKOS_FORMATS = ("ttl", "jsonld")
# A spreadsheet treats a cell that starts with one of these as a formula; text cells that do get a
# leading apostrophe in the CSV so opening the file never runs anything (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    description: str
    kind: str = "text"  # text, number, integer, date, boolean, list, url


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable  # (request) -> list[dict]
    skos: bool = False  # also served as SKOS Turtle (.ttl) and JSON-LD (.jsonld)

    @property
    def formats(self) -> tuple[str, ...]:
        return FORMATS + SKOS_FORMATS if self.skos else FORMATS

    def filename(self, fmt: str) -> str:
        return f"{self.slug}.{fmt}"

    def url(self, fmt: str) -> str:
        return reverse("outputs:open_data_download", args=[self.filename(fmt)])


def absolute_url(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def page_url(request, page) -> str:
    """The page's address on the host the file was downloaded from, like the feeds' links."""
    url = page.get_url(request)
    return absolute_url(request, url) if url else ""


def permalink_url(request, page) -> str:
    """The page's stable address (/permalank/<id>/): also a concept's URI in the SKOS files."""
    return absolute_url(request, reverse("outputs:permalink", args=[page.pk]))


def _level_pair(code: str) -> tuple[str, str]:
    level = ChainLevel.parse(code)
    return (level.value, level.label) if level else ("", "")


def _public_results():
    from larande.models import EvaluationResultPage

    return visible_pages(EvaluationResultPage)


def _public_chain_ids() -> set[int]:
    from larande.models import EffectChainPage

    return set(visible_pages(EffectChainPage).values_list("pk", flat=True))


def _sorted_names(items, attr="name") -> list[str]:
    return sorted((getattr(item, attr) for item in items), key=str.lower)


# --- Concepts ------------------------------------------------------------------------------------


@dataclass
class PublishedConcepts:
    """Every live, public concept and the relations between them, loaded in a fixed number of queries.

    Relations point only to concepts in this set, so nothing about a draft, unpublished or
    private concept (not even its term) can reach an export through a relation. `related` is
    symmetric, like on the concept page, and never joins a concept to one above or below it;
    `narrower` is the inverse of `broader`.
    """

    concepts: list  # Swedish alphabetical order
    by_id: dict
    broader: dict
    narrower: dict
    related: dict
    sources: dict

    def replacement(self, concept):
        """The live, public concept to use instead of a deprecated one, or None (as the concept
        page shows it: only a deprecated concept has one)."""
        if not concept.is_deprecated or not concept.use_instead_id:
            return None
        return self.by_id.get(concept.use_instead_id)


def _relation_pairs(field_name: str, public_ids) -> list[tuple[int, int]]:
    """(from, to) ids of a concept-to-concept relation, for relations leaving a public concept."""
    from larande.models import ConceptPage

    field = ConceptPage._meta.get_field(field_name)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    return list(
        through.objects.filter(**{f"{source}__in": public_ids})
        .order_by("pk")
        .values_list(f"{source}_id", f"{target}_id")
    )


def published_concepts(with_tags: bool = True) -> PublishedConcepts:
    """The glossary as anonymous visitors see it, for the concept exports (CSV, JSON, SKOS)."""
    from larande.models import ConceptPage, ConceptSource

    public = visible_pages(ConceptPage)
    queryset = public.prefetch_related("tags") if with_tags else public
    concepts = sorted(queryset, key=lambda c: (swedish_sort_key(c.title), c.pk))
    by_id = {concept.pk: concept for concept in concepts}
    public_ids = public.values("pk")

    def ordered(ids) -> list:
        return sorted((by_id[pk] for pk in set(ids)), key=lambda c: (swedish_sort_key(c.title), c.pk))

    broader_ids: dict[int, list[int]] = {pk: [] for pk in by_id}
    narrower_ids: dict[int, list[int]] = {pk: [] for pk in by_id}
    for child, parent in _relation_pairs("broader", public_ids):
        if child in by_id and parent in by_id and child != parent:
            broader_ids[child].append(parent)
            narrower_ids[parent].append(child)
    related_ids: dict[int, list[int]] = {pk: [] for pk in by_id}
    related_pairs = [
        (one, other)
        for one, other in _relation_pairs("related", public_ids)
        if one in by_id and other in by_id and one != other
    ]
    # A concept is never related to one above or below it (SKOS S27, larande/glossary/hierarchy.py).
    for one, other in drop_hierarchical_pairs(related_pairs, broader_ids):
        related_ids[one].append(other)
        related_ids[other].append(one)
    sources: dict[int, list] = {pk: [] for pk in by_id}
    for source in ConceptSource.objects.filter(concept__in=public_ids).order_by("concept_id", "sort_order", "pk"):
        sources[source.concept_id].append(source)
    return PublishedConcepts(
        concepts=concepts,
        by_id=by_id,
        broader={pk: ordered(ids) for pk, ids in broader_ids.items()},
        narrower={pk: ordered(ids) for pk, ids in narrower_ids.items()},
        related={pk: ordered(ids) for pk, ids in related_ids.items()},
        sources=sources,
    )


def source_text(source) -> str:
    """A concept's source as one line: title, reference and web address, as far as they are given."""
    return ", ".join(part for part in (source.title, " ".join(source.citation.split()), source.url) if part)


# --- Rows ----------------------------------------------------------------------------------------


def result_rows(request) -> list[dict]:
    """One row per live, public evaluation result, newest first."""
    from larande.models import EffectChainPage

    chains = visible_pages(EffectChainPage).only("id", "title")
    results = (
        _public_results()
        .order_by("-published_on", "-first_published_at", "-pk")
        .prefetch_related("regions", "priorities", "tags", Prefetch("chains", queryset=chains))
    )
    return [
        {
            "id": result.pk,
            "titel": result.title,
            "adress": page_url(request, result),
            "permanent_lank": permalink_url(request, result),
            "publiceringsdatum": result.published_on,
            "period_borjar": result.period_start,
            "period_slutar": result.period_end,
            "regioner": _sorted_names(result.regions.all()),
            "rus_prioriteringar": _sorted_names(result.priorities.all(), "title"),
            "utvarderare": result.evaluator,
            "vad_utvarderades": result.evaluated,
            "viktigaste_slutsatserna": result.key_findings,
            "effektkedjor": _sorted_names(result.chains.all(), "title"),
            "taggar": _sorted_names(result.tags.all()),
            "fiktivt_exempel": result.is_fictitious,
        }
        for result in results
    ]


def lesson_rows(request) -> list[dict]:
    """One row per lesson of a live, public result, newest result first."""
    from larande.models import Lesson

    lessons = (
        Lesson.objects.filter(result__in=_public_results())
        .select_related("result")
        .prefetch_related("tags", "result__regions")
        .order_by("-result__published_on", "result__path", "sort_order", "pk")
    )
    rows = []
    for lesson in lessons:
        code, label = _level_pair(lesson.chain_level)
        result_url = page_url(request, lesson.result)
        rows.append(
            {
                "id": lesson.pk,
                "lardom": lesson.statement,
                "niva": code,
                "nivans_namn": label,
                "taggar": _sorted_names(lesson.tags.all()),
                "resultat_id": lesson.result_id,
                "resultat": lesson.result.title,
                "adress": f"{result_url}#{lesson.anchor}" if result_url else "",
                "publiceringsdatum": lesson.result.published_on,
                "regioner": _sorted_names(lesson.result.regions.all()),
            }
        )
    return rows


def recommendation_rows(request) -> list[dict]:
    """One row per recommendation of a live, public result, newest result first, with its status
    history (larande/evaluation/tracker.py)."""
    from larande.evaluation.models import result_priorities, result_regions
    from larande.evaluation.tracker import STATUS_SLUGS, attach_histories, public_recommendations

    recommendations, results = public_recommendations()
    regions, region_names = result_regions(results)
    priorities, priority_names = result_priorities(results)
    rows = []
    for recommendation in attach_histories(recommendations.select_related("result")):
        code, label = _level_pair(recommendation.chain_level)
        result = recommendation.result
        result_url = page_url(request, result)
        rows.append(
            {
                "id": str(recommendation.key),
                "rekommendation": recommendation.text,
                "agarens_svar": recommendation.response,
                "status": STATUS_SLUGS.get(recommendation.status, recommendation.status),
                "statusens_namn": recommendation.get_status_display(),
                "status_sedan": recommendation.status_since,
                "statushistorik": [
                    f"{change.changed_on.isoformat()} {change.get_status_display()}"
                    for change in recommendation.history
                ],
                "niva": code,
                "nivans_namn": label,
                "resultat_id": result.pk,
                "resultat": result.title,
                "adress": f"{result_url}#{recommendation.anchor}" if result_url else "",
                "publiceringsdatum": result.published_on,
                "regioner": sorted((region_names[s] for s in regions.get(result.pk, ())), key=str.lower),
                "rus_prioriteringar": sorted((priority_names[s] for s in priorities.get(result.pk, ())), key=str.lower),
            }
        )
    return rows


def question_rows(request) -> list[dict]:
    """One row per evaluation question, in the order of the question list."""
    from larande.models import EvaluationQuestion, QuestionKind

    public_chains = _public_chain_ids()
    questions = EvaluationQuestion.objects.prefetch_related("indicators", "tags", "chains").order_by(
        "kind", "chain_level", "text"
    )
    kinds = dict(QuestionKind.choices)
    rows = []
    for question in questions:
        code, label = _level_pair(question.chain_level)
        rows.append(
            {
                "id": question.pk,
                "fraga": question.text,
                "typ": question.kind,
                "typens_namn": kinds.get(question.kind, ""),
                "niva": code,
                "nivans_namn": label,
                "forklaring": question.explanation,
                "indikatorer": _sorted_names(question.indicators.all()),
                "effektkedjor": _sorted_names([c for c in question.chains.all() if c.pk in public_chains], "title"),
                "taggar": _sorted_names(question.tags.all()),
                "adress": absolute_url(request, reverse("larande:question_detail", args=[question.pk])),
            }
        )
    return rows


def indicator_rows(request) -> list[dict]:
    """One row per indicator and year of the indicator register; an indicator without values gets
    one row without a year, so every indicator is listed."""
    from larande.models import Indicator

    rows = []
    for indicator in Indicator.objects.prefetch_related("values").order_by("name"):
        code, label = _level_pair(indicator.chain_level)
        base = {
            "indikator_id": indicator.pk,
            "indikator": indicator.name,
            "definition": indicator.definition,
            "enhet": indicator.unit,
            "kalla": indicator.source,
            "niva": code,
            "nivans_namn": label,
        }
        values = sorted(indicator.values.all(), key=lambda v: v.year)
        for value in values or [None]:
            rows.append(
                {
                    **base,
                    "ar": value.year if value else None,
                    "varde": value.value if value else None,
                    "malvarde": value.target if value else None,
                }
            )
    return rows


def reported_value_rows(request) -> list[dict]:
    """One row per indicator value reported by a live, public result."""
    from larande.models import ReportedIndicatorValue

    values = (
        ReportedIndicatorValue.objects.filter(result__in=_public_results())
        .select_related("result", "indicator")
        .order_by("-result__published_on", "result__path", "indicator__name", "year", "pk")
    )
    return [
        {
            "resultat_id": value.result_id,
            "resultat": value.result.title,
            "resultat_adress": page_url(request, value.result),
            "indikator_id": value.indicator_id,
            "indikator": value.indicator.name,
            "enhet": value.indicator.unit,
            "ar": value.year,
            "varde": value.value,
            "malvarde": value.target,
        }
        for value in values
    ]


def concept_rows(request) -> list[dict]:
    """One row per live, public concept, A–Ö in Swedish order. Hidden labels (misspellings that
    only help search) are left out, as on the concept page."""
    from larande.models import ConceptStatus

    published = published_concepts()
    statuses = dict(ConceptStatus.choices)
    rows = []
    for concept in published.concepts:
        code, label = _level_pair(concept.chain_level)
        replacement = published.replacement(concept)
        rows.append(
            {
                "id": concept.pk,
                "uri": permalink_url(request, concept),
                "begrepp": concept.title,
                "engelsk_term": concept.english_term,
                "engelska_benamningar": concept.english_label_list,
                "andra_benamningar": concept.labels,
                "definition": concept.short_definition,
                "forklaring": plain_text(concept.explanation),
                "niva": code,
                "nivans_namn": label,
                "status": concept.status,
                "statusens_namn": statuses.get(concept.status, ""),
                "anvand_i_stallet": replacement.title if replacement else "",
                "overordnade": [c.title for c in published.broader[concept.pk]],
                "relaterade": [c.title for c in published.related[concept.pk]],
                "kallor": [source_text(source) for source in published.sources[concept.pk]],
                "taggar": _sorted_names(concept.tags.all()),
                "adress": page_url(request, concept),
            }
        )
    return rows


# --- Datasets ------------------------------------------------------------------------------------

_LEVEL = Column("niva", "Nivå", "Nivå i effektkedjan som bokstav A–G (tom om ingen nivå är angiven).")
_LEVEL_NAME = Column("nivans_namn", "Nivåns namn", "Nivåns namn, till exempel Utfall.")
_TAGS = Column("taggar", "Taggar", "Taggar.", "list")

DATASETS = {
    dataset.slug: dataset
    for dataset in (
        Dataset(
            "resultat",
            "Utvärderingsresultat",
            "Publicerade resultat från uppföljningar och utvärderingar, ett per rad, senast publicerade först.",
            (
                Column("id", "Id", "Resultatets id i portalen.", "integer"),
                Column("titel", "Titel", "Resultatets titel."),
                Column("adress", "Adress", "Resultatsidans adress.", "url"),
                Column("permanent_lank", "Permanent länk", "En adress som alltid leder till resultatet.", "url"),
                Column("publiceringsdatum", "Publiceringsdatum", "Datum då resultatet publicerades.", "date"),
                Column("period_borjar", "Perioden börjar", "Första dagen i den period som utvärderades.", "date"),
                Column("period_slutar", "Perioden slutar", "Sista dagen i den period som utvärderades.", "date"),
                Column("regioner", "Regioner", "Regioner som resultatet gäller.", "list"),
                Column("rus_prioriteringar", "RUS-prioriteringar", "Prioriteringar i RUS som berörs.", "list"),
                Column("utvarderare", "Utvärderare", "Vem som gjorde utvärderingen."),
                Column("vad_utvarderades", "Vad utvärderades", "Vad som utvärderades."),
                Column("viktigaste_slutsatserna", "Viktigaste slutsatserna", "De viktigaste slutsatserna i korthet."),
                Column("effektkedjor", "Effektkedjor", "Publicerade effektkedjor som utvärderades.", "list"),
                _TAGS,
                Column("fiktivt_exempel", "Fiktivt exempel", "Ja om resultatet är ett påhittat exempel.", "boolean"),
            ),
            result_rows,
        ),
        Dataset(
            "lardomar",
            "Lärdomar",
            "Lärdomar från de publicerade resultaten, en per rad.",
            (
                Column("id", "Id", "Lärdomens id i portalen.", "integer"),
                Column("lardom", "Lärdom", "Lärdomen."),
                _LEVEL,
                _LEVEL_NAME,
                _TAGS,
                Column("resultat_id", "Resultatets id", "Id för resultatet som lärdomen kommer från.", "integer"),
                Column("resultat", "Resultat", "Titeln på resultatet som lärdomen kommer från."),
                Column("adress", "Adress", "Lärdomens plats på resultatsidan.", "url"),
                Column("publiceringsdatum", "Publiceringsdatum", "Datum då resultatet publicerades.", "date"),
                Column("regioner", "Regioner", "Regioner som resultatet gäller.", "list"),
            ),
            lesson_rows,
        ),
        Dataset(
            "rekommendationer",
            "Rekommendationer",
            "Rekommendationer från de publicerade resultaten med ägarens svar, status och statushistorik, en per rad.",
            (
                Column("id", "Id", "Rekommendationens beständiga id (UUID)."),
                Column("rekommendation", "Rekommendation", "Rekommendationen."),
                Column("agarens_svar", "Ägarens svar", "Vad ägaren svarat (tomt om svar saknas)."),
                Column("status", "Status", "planerad, pagar, genomford eller avvisad."),
                Column("statusens_namn", "Statusens namn", "Planerad, Pågår, Genomförd eller Avvisad."),
                Column("status_sedan", "Status sedan", "Dagen då rekommendationen fick sin nuvarande status.", "date"),
                Column(
                    "statushistorik",
                    "Statushistorik",
                    "Varje status rekommendationen haft, äldst först, som datum och status.",
                    "list",
                ),
                _LEVEL,
                _LEVEL_NAME,
                Column(
                    "resultat_id", "Resultatets id", "Id för resultatet som rekommendationen kommer från.", "integer"
                ),
                Column("resultat", "Resultat", "Titeln på resultatet som rekommendationen kommer från."),
                Column("adress", "Adress", "Rekommendationens plats på resultatsidan.", "url"),
                Column("publiceringsdatum", "Publiceringsdatum", "Datum då resultatet publicerades.", "date"),
                Column("regioner", "Regioner", "Regioner som resultatet gäller.", "list"),
                Column("rus_prioriteringar", "RUS-prioriteringar", "Prioriteringar i RUS som berörs.", "list"),
            ),
            recommendation_rows,
        ),
        Dataset(
            "utvarderingsfragor",
            "Utvärderingsfrågor",
            "Ramverkets utvärderingsfrågor: processorienterade och summerande, med nivå i effektkedjan.",
            (
                Column("id", "Id", "Frågans id i portalen.", "integer"),
                Column("fraga", "Fråga", "Frågan."),
                Column("typ", "Typ", "process (processorienterad) eller summative (summerande)."),
                Column("typens_namn", "Typens namn", "Processorienterad eller Summerande."),
                _LEVEL,
                _LEVEL_NAME,
                Column("forklaring", "Förklaring", "Förklaring till frågan."),
                Column("indikatorer", "Indikatorer", "Indikatorer som kan besvara frågan.", "list"),
                Column("effektkedjor", "Effektkedjor", "Publicerade effektkedjor som frågan hör till.", "list"),
                _TAGS,
                Column("adress", "Adress", "Frågans sida i portalen.", "url"),
            ),
            question_rows,
        ),
        Dataset(
            "indikatorer",
            "Indikatorer med värden",
            "Indikatorregistret: en rad per indikator och år med värde och målvärde. En indikator utan "
            "värden har en rad utan år.",
            (
                Column("indikator_id", "Indikatorns id", "Indikatorns id i portalen.", "integer"),
                Column("indikator", "Indikator", "Indikatorns namn."),
                Column("definition", "Definition", "Vad indikatorn mäter."),
                Column("enhet", "Enhet", "Enhet, till exempel antal eller procent."),
                Column("kalla", "Källa", "Varifrån värdena kommer."),
                _LEVEL,
                _LEVEL_NAME,
                Column("ar", "År", "Året som värdet gäller.", "integer"),
                Column("varde", "Värde", "Uppmätt värde (tomt om det saknas).", "number"),
                Column("malvarde", "Målvärde", "Målvärde för året (tomt om det saknas).", "number"),
            ),
            indicator_rows,
        ),
        Dataset(
            "indikatorvarden",
            "Rapporterade indikatorvärden",
            "Indikatorvärden som de publicerade resultaten redovisar, en rad per resultat, indikator och år.",
            (
                Column("resultat_id", "Resultatets id", "Id för resultatet som redovisar värdet.", "integer"),
                Column("resultat", "Resultat", "Resultatets titel."),
                Column("resultat_adress", "Resultatets adress", "Resultatsidans adress.", "url"),
                Column("indikator_id", "Indikatorns id", "Indikatorns id i portalen.", "integer"),
                Column("indikator", "Indikator", "Indikatorns namn."),
                Column("enhet", "Enhet", "Indikatorns enhet."),
                Column("ar", "År", "Året som värdet gäller.", "integer"),
                Column("varde", "Värde", "Redovisat värde.", "number"),
                Column("malvarde", "Målvärde", "Målvärde (tomt om det saknas).", "number"),
            ),
            reported_value_rows,
        ),
        Dataset(
            "begrepp",
            "Begrepp",
            "Ramverkets publicerade begrepp A–Ö med definition, nivå i effektkedjan och relationer, ett per rad. "
            "Begreppen finns också som SKOS i Turtle och JSON-LD.",
            (
                Column("id", "Id", "Begreppets id i portalen.", "integer"),
                Column(
                    "uri",
                    "URI",
                    "Begreppets beständiga adress (permanent länk); samma URI som i SKOS-filerna.",
                    "url",
                ),
                Column("begrepp", "Begrepp", "Termen, det ord som rekommenderas."),
                Column("engelsk_term", "Engelsk term", "Den engelska term som rekommenderas (tom om den saknas)."),
                Column(
                    "engelska_benamningar",
                    "Andra engelska benämningar",
                    "Andra engelska ord för begreppet, utöver den engelska termen.",
                    "list",
                ),
                Column("andra_benamningar", "Andra benämningar", "Synonymer och andra ord som används.", "list"),
                Column("definition", "Definition", "Kort definition i en eller två meningar."),
                Column("forklaring", "Förklaring", "Längre förklaring som ren text (tom om den saknas)."),
                _LEVEL,
                _LEVEL_NAME,
                Column("status", "Status", "recommended (rekommenderad) eller deprecated (avrådd)."),
                Column("statusens_namn", "Statusens namn", "Rekommenderad eller Avrådd."),
                Column(
                    "anvand_i_stallet",
                    "Använd i stället",
                    "För ett avrått begrepp: termen som ska användas i stället (tom om den inte är publicerad).",
                ),
                Column("overordnade", "Överordnade begrepp", "Bredare begrepp som begreppet ingår i.", "list"),
                Column("relaterade", "Relaterade begrepp", "Begrepp som hänger ihop med begreppet.", "list"),
                Column("kallor", "Källor", "Källor till definitionen: titel, referens och webbadress.", "list"),
                _TAGS,
                Column("adress", "Adress", "Begreppets sida i portalen.", "url"),
            ),
            concept_rows,
            skos=True,
        ),
    )
}


# --- Rendering -----------------------------------------------------------------------------------


def _csv_number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # 7.00 → "7", 7.50 → "7.5": the value, not the database's fixed decimals.
        normalized = value.normalize()
        return format(normalized, "f") if normalized == normalized.to_integral() else str(normalized)
    return str(value)


def _csv_text(value: str) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_cell(column: Column, value) -> str:
    """A value as its CSV cell: numbers plain, lists joined, booleans ja/nej, text made formula-safe."""
    if column.kind in ("number", "integer"):
        return _csv_number(value)
    if column.kind == "boolean":
        return "ja" if value else "nej"
    if column.kind == "date":
        return value.isoformat() if isinstance(value, datetime.date) else ""
    if column.kind == "list":
        return _csv_text(LIST_SEPARATOR.join(value or []))
    return _csv_text(value)


def to_csv(dataset: Dataset, rows: list[dict]) -> str:
    """The dataset as CSV text with a BOM, Swedish headings in the first row."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([column.heading for column in dataset.columns])
    for row in rows:
        writer.writerow([csv_cell(column, row.get(column.key)) for column in dataset.columns])
    return buffer.getvalue()


def _json_value(column: Column, value):
    if column.kind == "number" and isinstance(value, Decimal):
        normalized = value.normalize()
        return int(normalized) if normalized == normalized.to_integral() else float(normalized)
    return value


def to_json(dataset: Dataset, rows: list[dict]) -> str:
    """The dataset as a JSON document: a description of the dataset and its columns, then the rows."""
    document = {
        "datamangd": dataset.slug,
        "titel": dataset.title,
        "beskrivning": dataset.description,
        "utgivare": PUBLISHER,
        "licens": LICENCE,
        "skapad": timezone.now().replace(microsecond=0),
        "antal_rader": len(rows),
        "kolumner": [
            {"namn": column.key, "rubrik_i_csv": column.heading, "beskrivning": column.description, "typ": column.kind}
            for column in dataset.columns
        ],
        "rader": [{column.key: _json_value(column, row.get(column.key)) for column in dataset.columns} for row in rows],
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
