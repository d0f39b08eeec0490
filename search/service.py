"""The one entry point for searching: `search()` and `autocomplete()`. Views never know which engine answered.

Elasticsearch answers when it is configured, reachable and not behind; otherwise the database
engine does, and the response carries a notice saying so. The definition card, the glossary
suggestions in autocomplete are computed here, the same for both engines; "Menade du …?" and
near spellings are each engine's own.
"""

import logging
import math
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.cache import cache

from core.levels import ChainLevel
from portal.cache import cache_available
from portal.visibility import private_pages_q

from . import glossary
from .documents import TYPE_LABELS, TYPE_ORDER
from .engines import EngineUnavailable, database_engine, elasticsearch_configured, elasticsearch_engine
from .engines.base import FACETS, FacetCount, Filters, Hit, Suggestion
from .index import elasticsearch_resting, is_stale, replay_pending, rest_elasticsearch
from .text import MAX_QUERY_CHARS, MAX_QUERY_TERMS, analyse, clean_query, fold, normalise

logger = logging.getLogger(__name__)

PAGE_SIZE = 10
MAX_PAGE = 500  # Elasticsearch answers at most 10,000 hits deep
MAX_FACET_VALUES = 10
AUTOCOMPLETE_LIMIT = 10
AUTOCOMPLETE_MIN_CHARS = 2
_SLUG = re.compile(r"^[\w-]{1,100}$")

NOTICE_TRUNCATED = (
    f"Sökfrågan var för lång. Vi sökte på början av den: högst {MAX_QUERY_CHARS} tecken och {MAX_QUERY_TERMS} ord."
)
NOTICE_FALLBACK = (
    "Den vanliga sökmotorn svarar inte just nu. Resultaten kommer från reservsökningen och kan skilja sig något."
)


@dataclass
class FacetGroup:
    name: str
    label: str
    values: list[FacetCount]
    selected: tuple[str, ...] = ()


@dataclass
class SearchResponse:
    """Everything a search page or the JSON needs."""

    query: str
    page: int = 1
    total: int = 0
    num_pages: int = 0
    results: list[Hit] = field(default_factory=list)
    facets: list[FacetGroup] = field(default_factory=list)
    definition: glossary.DefinitionCard | None = None
    suggestion: str | None = None
    notices: list[str] = field(default_factory=list)
    engine: str = ""
    filters: Filters = field(default_factory=Filters)
    # False: more than `total` documents match; the count stopped there (as Elasticsearch's
    # track_total_hits), and only the first `total` hits can be paged through.
    total_exact: bool = True
    # False: the facet counts are those of an even sample of the matches, not of all of them.
    facets_exact: bool = True

    @property
    def has_query(self) -> bool:
        return bool(self.query)

    @property
    def total_text(self) -> str:
        """The number of hits as the page says it: "12 träffar", "1 träff", "Fler än 1 000 träffar"."""
        number = f"{self.total:,}".replace(",", "\u00a0")
        if not self.total_exact:
            return f"Fler än {number} träffar"
        return f"{number} träff" if self.total == 1 else f"{number} träffar"

    def as_json(self) -> dict:
        """The JSON of `/sok/?format=json`. Each result's `snippet` is HTML: escaped text with
        `<mark>` around the matched words, exactly as the results page shows it."""
        return {
            "query": self.query,
            "total": self.total,
            # False: "total" is a lower bound (more match than were counted), as Elasticsearch's
            # `"relation": "gte"`; `total_text` says it in Swedish.
            "total_exact": self.total_exact,
            "total_text": self.total_text if self.query else "",
            "page": self.page,
            "pages": self.num_pages,
            "definition": self.definition.as_json() if self.definition else None,
            "results": [
                {"title": h.title, "url": h.url, "type": h.type_label, "snippet": str(h.snippet)} for h in self.results
            ],
            "facets": {
                group.name: [{"value": v.value, "label": v.label, "count": v.count} for v in group.values]
                for group in self.facets
            },
            # False: each facet count is that of an even sample of the hits, not of all of them.
            "facets_exact": self.facets_exact,
            "suggestion": self.suggestion,
            "notices": self.notices,
        }


def parse_filters(params) -> Filters:
    """Facet selections from request parameters; malformed or unknown values are dropped, never an error."""
    selected: dict[str, list[str]] = {}
    for name in FACETS:
        values = []
        for raw in params.getlist(name)[:MAX_FACET_VALUES]:
            value = normalise(raw)[:100]
            if name == "typ":
                value = value if value in TYPE_LABELS else ""
            elif name == "niva":
                level = ChainLevel.parse(value)
                value = level.value if level else ""
            elif name == "ar":
                value = value if value.isdigit() and 1900 <= int(value) <= 2200 else ""
            elif not _SLUG.match(value):
                value = ""
            if value and value not in values:
                values.append(value)
        if values:
            selected[name] = sorted(values)
    return Filters.from_dict(selected)


def parse_page(raw) -> int:
    """A page number from a parameter: anything that is not a positive whole number means page 1."""
    try:
        page = int(str(raw).strip()[:6])
    except (TypeError, ValueError):
        return 1
    return min(max(page, 1), MAX_PAGE)


def _engines():
    """The engines to try, in order, and the notice to show if the first one was skipped."""
    db = database_engine()
    if not elasticsearch_configured():
        return [db], None
    es = elasticsearch_engine()
    if elasticsearch_resting(es.alias):
        return [db], NOTICE_FALLBACK
    if is_stale(es.alias) and not _try_replay(es.alias):
        return [db], NOTICE_FALLBACK
    return [es, db], None


REPLAY_INTERVAL = 30  # seconds between attempts to catch Elasticsearch up from searches
# alias → time.monotonic() of this process's next attempt, for when the shared cache is unavailable.
_next_replay_here: dict[str, float] = {}


def _try_replay(alias: str) -> bool:
    """Catch Elasticsearch up with missed updates, at most once per interval across requests.

    The shared cache makes it once per interval for all processes; while the cache is unavailable,
    each process keeps to the interval on its own, so the updates are still replayed.
    """
    if not cache.add(f"search:replay:{alias}", True, REPLAY_INTERVAL):
        if cache_available():
            return False
        now = time.monotonic()
        if _next_replay_here.get(alias, 0.0) > now:
            return False
        _next_replay_here[alias] = now + REPLAY_INTERVAL
    return replay_pending()


def _facet_groups(facets: dict, filters: Filters) -> list[FacetGroup]:
    selected = filters.as_dict()
    groups = []
    for name, label in FACETS.items():
        values = list(facets.get(name, []))
        # Selected values stay visible (so they can be removed) even when nothing matches them.
        present = {v.value for v in values}
        for value in selected.get(name, ()):
            if value not in present:
                values.append(FacetCount(value=value, label=_label_for(name, value), count=0))
        if name == "typ":
            values.sort(key=lambda v: TYPE_ORDER.get(v.value, 99))
        elif name == "niva":
            values.sort(key=lambda v: -(ChainLevel.parse(v.value).rank if ChainLevel.parse(v.value) else 0))
        elif name == "ar":
            values.sort(key=lambda v: v.value, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.label.lower()))
        if values:
            groups.append(FacetGroup(name=name, label=label, values=values, selected=selected.get(name, ())))
    return groups


def _label_for(name: str, value: str) -> str:
    if name == "typ":
        return TYPE_LABELS.get(value, value)
    if name == "niva":
        level = ChainLevel.parse(value)
        return f"{level.value} – {level.label}" if level else value
    return value


def search(raw_query: str, filters: Filters | None = None, page: int = 1) -> SearchResponse:
    """Search for a query (any string at all), with facet filters, one page of results."""
    filters = filters or Filters()
    query, truncated = clean_query(raw_query or "")
    response = SearchResponse(query=query, page=page, filters=filters)
    if truncated:
        response.notices.append(NOTICE_TRUNCATED)
    if not analyse(query):
        return response
    private_q = private_pages_q()  # the view restrictions, read once for the whole search
    concepts = glossary.published_glossary(private_q)
    response.definition = glossary.find_definition(query, concepts)
    # The engines search for the subject of a question about meaning, not for "betyder".
    engine_query = glossary.without_question_words(query)
    engines, notice = _engines()
    result = None
    for engine in engines:
        try:
            result = engine.search(
                engine_query, filters, (page - 1) * PAGE_SIZE, PAGE_SIZE, concepts=concepts, private_q=private_q
            )
            num_pages = math.ceil(result.total / PAGE_SIZE)
            if result.total and page > num_pages:
                # Past the last page (an old link, a hand-edited URL): show the last page instead.
                page = response.page = min(num_pages, MAX_PAGE)
                result = engine.search(
                    engine_query, filters, (page - 1) * PAGE_SIZE, PAGE_SIZE, concepts=concepts, private_q=private_q
                )
            response.engine = engine.name
            break
        except EngineUnavailable as error:
            logger.warning("Search engine %s failed, falling back: %s", engine.name, error)
            rest_elasticsearch(getattr(engine, "alias", engine.name))
            notice = NOTICE_FALLBACK
    if notice:
        response.notices.append(notice)
    if result is None:
        return response
    response.total = result.total
    response.total_exact = result.total_exact
    response.facets_exact = result.facets_exact
    response.num_pages = min(math.ceil(result.total / PAGE_SIZE), MAX_PAGE)
    response.results = result.hits
    response.facets = _facet_groups(result.facets, filters)
    # "Menade du …?": each engine's own (the database's vocabulary, Elasticsearch's term suggester).
    response.suggestion = result.suggestion
    return response


def ranked_page_ids(raw_query: str, limit: int = 1000) -> list[int]:
    """The ids of the pages a query finds, best first, ranked as /sok/ ranks them (for the API's
    `?search=`, which narrows them to its own live, public queryset)."""
    query, _truncated = clean_query(raw_query or "")
    if not analyse(query):
        return []
    private_q = private_pages_q()
    concepts = glossary.published_glossary(private_q)
    engine_query = glossary.without_question_words(query)
    engines, _notice = _engines()
    for engine in engines:
        try:
            return engine.ranked_page_ids(engine_query, limit, concepts=concepts, private_q=private_q)
        except EngineUnavailable as error:
            logger.warning("Search engine %s failed, falling back: %s", engine.name, error)
            rest_elasticsearch(getattr(engine, "alias", engine.name))
    return []


@lru_cache(maxsize=4)
def _folded_labels(concepts) -> list[tuple]:
    """(concept, [(position, " " + folded label, label)]) for every concept: prepared once per glossary."""
    return [
        (concept, [(position, " " + fold(normalise(label)), label) for position, label in enumerate(concept.labels)])
        for concept in concepts
    ]


def _concept_suggestions(prefix: str, concepts) -> list[Suggestion]:
    """Concepts with a label (term, English term, other labels) that has a word starting with the prefix."""
    found = []
    start = " " + prefix
    for concept, labels in _folded_labels(concepts):
        best = None
        for position, folded, label in labels:
            if folded.startswith(start):
                rank = 0 if position == 0 else 1
            elif start in folded:
                rank = 2 if position == 0 else 3
            else:
                continue
            if best is None or rank < best[0]:
                # A hidden label (a common misspelling) finds the concept but is never shown.
                best = (rank, "" if concept.is_hidden(label) else label)
        if best:
            found.append((best[0], concept.deprecated, concept.title.lower(), concept, best[1]))
    found.sort(key=lambda f: f[:3])
    return [
        Suggestion(
            title=concept.title,
            url=concept.url,
            doc_type="begrepp",
            type_label=TYPE_LABELS["begrepp"],
            detail=label if label and label != concept.title else "",
        )
        for _rank, _deprecated, _title, concept, label in found
    ]


def autocomplete(raw_query: str, limit: int = AUTOCOMPLETE_LIMIT) -> list[Suggestion]:
    """Up to `limit` suggestions for what is typed so far, concepts first, from two letters on."""
    query, _truncated = clean_query(raw_query or "")
    prefix = fold(query)
    if len(prefix.replace(" ", "")) < AUTOCOMPLETE_MIN_CHARS:
        return []
    private_q = private_pages_q()
    suggestions = _concept_suggestions(prefix, glossary.published_glossary(private_q))[:limit]
    if len(suggestions) < limit:
        engines, _notice = _engines()
        for engine in engines:
            try:
                suggestions += engine.autocomplete(query, limit - len(suggestions), private_q=private_q)
                break
            except EngineUnavailable as error:
                logger.warning("Autocomplete on %s failed, falling back: %s", engine.name, error)
                rest_elasticsearch(getattr(engine, "alias", engine.name))
    return suggestions[:limit]
