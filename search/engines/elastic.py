"""The scale-out engine: Elasticsearch 8, documents and queries written with elasticsearch-dsl.

Analysis mirrors `search.text` (Swedish stop words, Snowball with the project's suffix rules,
ASCII folding after stemming); `manage.py check_search` compares the two on a live cluster.
Elasticsearch answers on its own: its fuzziness for near spellings (a wrong first letter too) and
its term suggester over the words as written for "Menade du …?".

Glossary synonyms are a `synonym_graph` filter in the search analyzer only (the index analyzer
has none, so a changed glossary needs no reindex).

How a changed glossary reaches Elasticsearch: the rules are written inline in the index
settings, and an update closes the index, puts the new filter settings and opens it again
(about two seconds; searches meanwhile answer from the database engine). The Synonyms API
(`PUT _synonyms/<id>`, reloading analyzers without a close) would avoid that pause, but it
needs delete-by-query and synonyms-set support that the project's local and CI node (the
Maven Central integ-test distribution with scripts/elasticsearch/compat-plugin) does not
have; inline rules work on every Elasticsearch 8.

Searches go to the alias `<prefix>`; a rebuild fills a new index `<prefix>-<timestamp>` and
moves the alias in one atomic request, so searches keep answering during a rebuild.
"""

import logging
import re
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe
from elasticsearch import Elasticsearch, NotFoundError, helpers
from elasticsearch_dsl import (
    A,
    Document,
    Float,
    Index,
    Integer,
    Keyword,
    Q,
    Search,
    SearchAsYouType,
    Text,
    analyzer,
    normalizer,
    token_filter,
)
from wagtail.models import Page

from portal.visibility import hidden_live_page_ids, visible_pages
from search.documents import TYPE_LABELS, TYPE_ORDER, IndexDocument
from search.models import PendingUpdate
from search.snippets import highlight
from search.text import STEM_PASSES, STOP_WORDS, SUFFIX_RULES, analyse

from .base import (
    FACETS,
    EngineResult,
    EngineUnavailable,
    FacetCount,
    Filters,
    Hit,
    SearchEngine,
    Suggestion,
    corrected_query,
)
from .database import DatabaseEngine, named_concepts

logger = logging.getLogger(__name__)

TEXT_FIELDS = ["title^10", "labels^8", "definition^4", "tag_names^3", "summary^2", "body"]
# As in the database engine: a query of up to two words needs all of them, longer ones 60 %.
MINIMUM_SHOULD_MATCH = "-40%"
FACET_SIZE = 50
MAX_RESULT_WINDOW = 10_000
# Never "labels": hidden labels (common misspellings) are for finding, not for showing.
HIGHLIGHT_FIELDS = ("definition", "summary", "body")


# A synonym filter needs at least one rule; this one maps a word to itself.
PLACEHOLDER_RULE = "lärportalen, larportalen"


def glossary_filter_settings(rules: list[str]) -> dict:
    """The settings of the glossary synonym filter.

    `expand: false` maps every label of a concept to its term (the first label of each rule)
    rather than to all labels: a concept page holds every one of its labels, and a query
    expanded to all of them would score that page once per label. Documents that use the
    other labels literally are still found by the fuzzy clause, which analyses without
    synonyms. `lenient` skips a rule that analyses to nothing.
    """
    return {
        "type": "synonym_graph",
        "synonyms": list(rules) or [PLACEHOLDER_RULE],
        "expand": False,
        "lenient": True,
    }


def _analysis(rules: list[str]):
    """(index analyzer, search analyzer, folded analyzer) with the given glossary rules."""
    stop = token_filter("sv_stop", "stop", stopwords=sorted(STOP_WORDS))
    snowball = token_filter("sv_snowball", "snowball", language="Swedish")
    suffixes = [
        token_filter(f"sv_suffix_{i}", "pattern_replace", pattern=pattern, replacement=replacement)
        for i, (pattern, replacement) in enumerate(SUFFIX_RULES, 1)
    ]
    stemming = [snowball, *suffixes] * STEM_PASSES
    glossary = token_filter("sv_glossary", **glossary_filter_settings(rules))
    index_analyzer = analyzer("sv_index", tokenizer="standard", filter=["lowercase", stop, *stemming, "asciifolding"])
    search_analyzer = analyzer(
        "sv_search", tokenizer="standard", filter=["lowercase", stop, *stemming, "asciifolding", glossary]
    )
    folded = analyzer("sv_folded", tokenizer="standard", filter=["lowercase", "asciifolding"])
    return index_analyzer, search_analyzer, folded


# A whole title in lower case: a query that names only concepts ranks those concepts first.
exact = normalizer("sv_exact", filter=["lowercase"])


# The words as written (lower case, diacritics kept): what "Menade du …?" suggests from.
SPELL_FIELD = "spell"


def document_class(rules: list[str]):
    """An elasticsearch-dsl Document class whose search analyzer holds the given glossary rules."""
    index_analyzer, search_analyzer, folded = _analysis(rules)

    def text(spell=True, **kwargs):
        # Offsets in the postings let the highlighter mark words without analysing the text again.
        # The words are copied to the spelling field too (labels are not: hidden labels are
        # common misspellings, never to be suggested).
        copy = {"copy_to": SPELL_FIELD} if spell else {}
        return Text(analyzer=index_analyzer, search_analyzer=search_analyzer, index_options="offsets", **copy, **kwargs)

    class SearchDocument(Document):
        key = Keyword()
        doc_type = Keyword()
        type_rank = Integer()
        title = text(fields={"folded": Text(analyzer=folded), "exact": Keyword(normalizer=exact)})
        labels = text(spell=False, fields={"folded": Text(analyzer=folded)})
        definition = text()
        summary = text()
        body = text()
        tag_names = text(spell=False)
        spell = Text(analyzer="standard")
        suggest = SearchAsYouType(analyzer=folded)
        url = Keyword(index=False)
        page_id = Integer()
        question_id = Integer()
        boost = Float()
        year = Integer()
        facet_typ = Keyword()
        facet_niva = Keyword()
        facet_tagg = Keyword()
        facet_region = Keyword()
        facet_ar = Keyword()
        label_typ = Keyword()
        label_niva = Keyword()
        label_tagg = Keyword()
        label_region = Keyword()
        label_ar = Keyword()

    return SearchDocument


# Facet labels are stored with their value ("d|D – Utfall") so aggregations need no lookup.
_SEPARATOR = "\x1f"


def to_source(document: IndexDocument) -> dict:
    """The Elasticsearch source of a document."""
    source = {
        "key": document.key,
        "doc_type": document.doc_type,
        "type_rank": TYPE_ORDER.get(document.doc_type, 99),
        "title": document.title,
        "labels": document.labels,
        "definition": document.definition,
        "summary": document.summary,
        "body": document.body,
        "tag_names": [name for _slug, name in document.tags],
        "suggest": document.title,
        "url": document.url,
        "page_id": document.page_id,
        "question_id": document.question_id,
        "boost": document.boost,
        "year": document.year,
    }
    for name in FACETS:
        source[f"facet_{name}"] = []
        source[f"label_{name}"] = []
    for facet, value, label in document.facet_values():
        source[f"facet_{facet}"].append(value)
        source[f"label_{facet}"].append(f"{value}{_SEPARATOR}{label}")
    return source


class ElasticsearchEngine(SearchEngine):
    name = "elasticsearch"
    label = "Elasticsearch"

    def __init__(self, url: str, prefix: str, timeout: float):
        self.url = url
        self.alias = prefix
        self.timeout = timeout
        self.client = Elasticsearch(url, request_timeout=timeout, max_retries=0, retry_on_timeout=False)
        # Closing, opening and creating indices wait for shards: they get more time than a search.
        self.admin = self.client.options(request_timeout=max(timeout, 30))

    @classmethod
    def for_settings(cls) -> "ElasticsearchEngine":
        return _engine(settings.ELASTICSEARCH_URL, settings.ELASTICSEARCH_INDEX_PREFIX, settings.ELASTICSEARCH_TIMEOUT)

    # --- index management -----------------------------------------------------------------------

    def _call(self, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception as error:  # transport errors, timeouts, refusals, unexpected answers
            raise EngineUnavailable(f"Elasticsearch: {type(error).__name__}: {error}") from error

    def current_rules(self, index: str) -> list[str]:
        settings_ = self._call(self.client.indices.get_settings, index=index, name="index.analysis.filter.sv_glossary*")
        flat = settings_.body.get(index, {}).get("settings", {})
        glossary = flat.get("index", {}).get("analysis", {}).get("filter", {}).get("sv_glossary", {})
        return list(glossary.get("synonyms", []))

    def put_synonyms(self, rules: list[str]) -> bool:
        """Give the indices behind the alias these glossary rules; returns whether anything changed."""
        wanted = glossary_filter_settings(rules)
        changed = False
        for index in self.alias_targets():
            if self.current_rules(index) == wanted["synonyms"]:
                continue
            changed = True
            self._call(self.admin.indices.close, index=index)
            try:
                self._call(
                    self.admin.indices.put_settings,
                    index=index,
                    settings={"analysis": {"filter": {"sv_glossary": wanted}}},
                )
            finally:
                self._call(self.admin.indices.open, index=index, wait_for_active_shards="1")
        return changed

    def new_index_name(self) -> str:
        return f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"

    def create_index(self, name: str, rules: list[str]) -> None:
        index = Index(name, using=self.admin)
        index.settings(number_of_shards=1, number_of_replicas=0, max_result_window=MAX_RESULT_WINDOW)
        index.document(document_class(rules))
        self._call(index.create, wait_for_active_shards="1")

    def alias_targets(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias).body)
        except NotFoundError:
            return []
        except Exception as error:
            raise EngineUnavailable(f"Elasticsearch: {type(error).__name__}: {error}") from error

    def _actions(self, documents, index: str):
        for document in documents:
            yield {"_op_type": "index", "_index": index, "_id": document.key, "_source": to_source(document)}

    def apply(self, documents, removed_keys, refresh: bool = True) -> None:
        """Index some documents and remove some keys through the alias, visible to searches at once.

        `require_alias` makes a missing alias an error instead of silently creating a concrete
        index with guessed mappings: the rebuild command creates the index.
        """
        actions = list(self._actions([d for d in documents if d is not None], self.alias))
        actions += [{"_op_type": "delete", "_index": self.alias, "_id": key} for key in removed_keys]
        if not actions:
            return
        _ok, errors = self._call(
            helpers.bulk, self.client, actions, refresh=refresh, require_alias=True, raise_on_error=False
        )
        # Deleting a key that is not in the index is not a failure: it is already gone.
        failures = [e for e in errors if next(iter(e.values())).get("status") != 404]
        if failures:
            raise EngineUnavailable(f"Elasticsearch refused {len(failures)} update(s): {failures[:1]}")

    def index_documents(self, documents, refresh: bool = True) -> None:
        self.apply(documents, [], refresh=refresh)

    def remove_keys(self, keys, refresh: bool = True) -> None:
        self.apply([], keys, refresh=refresh)

    def bulk_into(self, index: str, documents, chunk_size: int = 500):
        """Index documents into a named index (used by the rebuild); yields how many were sent."""
        for ok, _item in helpers.streaming_bulk(
            self.client, self._actions(documents, index), chunk_size=chunk_size, raise_on_error=True
        ):
            if ok:
                yield 1

    def swap_alias(self, new_index: str) -> list[str]:
        """Point the alias at `new_index` in one atomic request; returns the indices it left."""
        old = self.alias_targets()
        actions = [{"remove": {"index": name, "alias": self.alias}} for name in old]
        actions.append({"add": {"index": new_index, "alias": self.alias}})
        self._call(self.client.indices.update_aliases, actions=actions)
        return [name for name in old if name != new_index]

    def delete_index(self, name: str) -> None:
        self._call(self.client.indices.delete, index=name, ignore_unavailable=True)

    def analyse(self, words) -> list[list[str]]:
        """Each word's terms as the live index's own analyzer (`sv_index`) makes them."""
        results = []
        for word in words:
            response = self._call(self.client.indices.analyze, index=self.alias, analyzer="sv_index", text=word)
            results.append([token["token"] for token in response["tokens"]])
        return results

    def refresh(self, index: str | None = None) -> None:
        self._call(self.client.indices.refresh, index=index or self.alias)

    def count(self, index: str | None = None) -> int:
        return self._call(self.client.count, index=index or self.alias)["count"]

    def keys(self, index: str | None = None) -> set[str]:
        """Every document id in the index (to reconcile after a rebuild)."""
        hits = self._call(
            lambda: list(helpers.scan(self.client, index=index or self.alias, query={"_source": False}, size=1000))
        )
        return {hit["_id"] for hit in hits}

    def drop_everything(self) -> None:
        """Delete every index this prefix has made (`<prefix>-<timestamp>`): tests, a clean start."""
        own = re.compile(rf"{re.escape(self.alias)}-\d{{20}}")
        try:
            for name in self.admin.indices.get(index=f"{self.alias}-*", expand_wildcards="all").body:
                if own.fullmatch(name):
                    self.admin.indices.delete(index=name, ignore_unavailable=True)
        except Exception as error:
            logger.info("Elasticsearch cleanup: %s", error)

    # --- searching ------------------------------------------------------------------------------

    def _query(self, query: str, named: list[str] = ()):
        main = Q(
            "multi_match",
            query=query,
            fields=TEXT_FIELDS,
            type="cross_fields",
            operator="or",
            minimum_should_match=MINIMUM_SHOULD_MATCH,
        )
        # Typos: fuzzy terms, analysed without synonyms (a fuzzy synonym graph is not allowed).
        fuzzy = Q(
            "multi_match",
            query=query,
            fields=TEXT_FIELDS,
            type="best_fields",
            fuzziness="AUTO:4,8",  # one edit up to seven letters (the first may be wrong), then two
            prefix_length=0,  # a wrong first letter too ("ytfall")
            max_expansions=20,
            analyzer="sv_index",
            minimum_should_match=MINIMUM_SHOULD_MATCH,
            boost=0.4,
        )
        # The query as a phrase of a title or label (like the database engine's exact-title term),
        # analysed without synonyms: a synonym graph inside a phrase loses its positions.
        phrase = Q(
            "multi_match", query=query, fields=["title^3", "labels^2"], type="phrase", analyzer="sv_index", boost=3
        )
        should = [main, fuzzy, phrase]
        matching = Q("bool", should=should, minimum_should_match=1)
        if named:
            # The query names only concepts ("skillnad mellan effekt och resultat"): those first.
            titles = [title.lower() for title in named]
            matching = Q("bool", must=[matching], should=[Q("terms", **{"title.exact": titles}, boost=20)])
        return Q(
            "function_score",
            query=matching,
            functions=[{"field_value_factor": {"field": "boost", "missing": 1}}],
            boost_mode="multiply",
        )

    def _visible(self, hits, private_q=None) -> list:
        """The hits the database would serve right now.

        The index follows the database within moments, but a page unpublished while
        Elasticsearch was unreachable may linger in it until the update is replayed. Checking
        the page ids of the hits shown (one query) makes sure such a page is never shown,
        and the stale entries are queued for removal.
        """
        hits = list(hits)
        page_ids = {hit.page_id for hit in hits if getattr(hit, "page_id", None)}
        visible = set(visible_pages(Page, private_q).filter(pk__in=page_ids).values_list("pk", flat=True))
        stale = [hit.key for hit in hits if getattr(hit, "page_id", None) and hit.page_id not in visible]
        if stale:
            PendingUpdate.objects.bulk_create(
                [PendingUpdate(index_name=self.alias, key=key) for key in stale], ignore_conflicts=True
            )
        return [hit for hit in hits if not getattr(hit, "page_id", None) or hit.page_id in visible]

    @staticmethod
    def _without_hidden(search):
        """The search without the live pages a visitor may not see (in a private section or
        expired): the index drops them when the change is committed; until then, no total or
        facet count may include them."""
        hidden = hidden_live_page_ids()
        return search.exclude("terms", page_id=hidden) if hidden else search

    @staticmethod
    def _facet_filter(filters: Filters):
        clauses = [Q("terms", **{f"facet_{name}": list(values)}) for name, values in filters.values]
        return Q("bool", filter=clauses) if clauses else None

    def search(
        self, query: str, filters: Filters, offset: int, limit: int, concepts=None, private_q=None
    ) -> EngineResult:
        named = named_concepts(query, concepts) if concepts else []
        search = self._without_hidden(Search(using=self.client, index=self.alias).query(self._query(query, named)))
        post_filter = self._facet_filter(filters)
        if post_filter is not None:
            search = search.post_filter(post_filter)
        for name in FACETS:
            others = self._facet_filter(filters.without(name))
            terms = A("terms", field=f"label_{name}", size=FACET_SIZE)
            search.aggs.bucket(f"f_{name}", "filter", filter=others or Q("match_all")).bucket("values", terms)
        # Highlight what the words and their glossary synonyms match; highlighting fuzzy matches
        # costs Elasticsearch seconds, so misspelled words are marked by the fallback below.
        highlight_query = Q("multi_match", query=query, fields=list(HIGHLIGHT_FIELDS), analyzer="sv_search")
        search = search.highlight_options(
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            encoder="html",
            number_of_fragments=1,
            fragment_size=200,
            highlight_query=highlight_query.to_dict(),
        ).highlight(*HIGHLIGHT_FIELDS)
        # "Menade du …?": Elasticsearch's own term suggester, over the words as written, for the
        # words no document holds (suggest_mode "missing"), a wrong first letter included.
        search = search.suggest(
            "spelling",
            query,
            term={
                "field": SPELL_FIELD,
                "suggest_mode": "missing",
                "prefix_length": 0,
                "min_word_length": 3,
                "max_edits": 2,
                "size": 1,
            },
        )
        search = search.source(["key", "title", "url", "doc_type", "definition", "summary", "page_id"])
        offset = min(offset, MAX_RESULT_WINDOW - limit)
        search = search.extra(from_=offset, size=limit, track_total_hits=True)
        response = self._call(search.execute)
        fallback_terms = None
        hits = []
        for hit in self._visible(response.hits, private_q):
            highlighted = getattr(hit.meta, "highlight", None)
            fragment = None
            if highlighted:
                for name in HIGHLIGHT_FIELDS:
                    if name in highlighted:
                        fragment = highlighted[name][0]
                        break
            if fragment:
                snippet = mark_safe(fragment)  # noqa: S308 - the html encoder escaped the text around <mark>
            else:
                if fallback_terms is None:
                    fallback_terms = _fallback_terms(query, concepts)
                snippet = highlight(" ".join(filter(None, [hit.definition or "", hit.summary or ""])), fallback_terms)
            hits.append(
                Hit(
                    key=hit.key,
                    title=hit.title,
                    url=hit.url,
                    doc_type=hit.doc_type,
                    type_label=TYPE_LABELS.get(hit.doc_type, hit.doc_type),
                    snippet=snippet,
                    score=float(hit.meta.score or 0),
                )
            )
        facets = {}
        for name in FACETS:
            buckets = response.aggregations[f"f_{name}"]["values"]["buckets"]
            values = []
            for bucket in buckets:
                value, _sep, label = bucket["key"].partition(_SEPARATOR)
                values.append(FacetCount(value=value, label=label, count=bucket["doc_count"]))
            facets[name] = values
        return EngineResult(
            total=response.hits.total.value, hits=hits, facets=facets, suggestion=self._suggestion(query, response)
        )

    @staticmethod
    def _suggestion(query: str, response) -> str | None:
        corrections = {}
        suggest = getattr(response, "suggest", None)
        for entry in suggest.to_dict().get("spelling", []) if suggest else []:
            if entry.get("options"):
                corrections[entry["text"]] = entry["options"][0]["text"]
        return corrected_query(query, corrections)

    def ranked_page_ids(self, query: str, limit: int, concepts=None, private_q=None) -> list[int]:
        """The ids of the pages matching a query, best first, as `search` ranks them (for the API)."""
        search = (
            self._without_hidden(Search(using=self.client, index=self.alias))
            .query(self._query(query, named_concepts(query, concepts) if concepts else []))
            .filter("exists", field="page_id")
            .source(["page_id"])
            .extra(size=min(limit, MAX_RESULT_WINDOW), track_total_hits=False)
        )
        response = self._call(search.execute)
        return [hit.page_id for hit in response.hits]

    def autocomplete(self, query: str, limit: int, exclude_types=("begrepp",), private_q=None) -> list[Suggestion]:
        search = (
            self._without_hidden(Search(using=self.client, index=self.alias))
            .query(
                Q(
                    "multi_match",
                    query=query,
                    type="bool_prefix",
                    fields=["suggest", "suggest._2gram", "suggest._3gram"],
                )
            )
            .exclude("terms", doc_type=list(exclude_types))
            .source(["key", "title", "url", "doc_type", "page_id"])
            .sort("_score", "type_rank")
            .extra(size=limit)
        )
        response = self._call(search.execute)
        return [
            Suggestion(
                title=hit.title,
                url=hit.url,
                doc_type=hit.doc_type,
                type_label=TYPE_LABELS.get(hit.doc_type, hit.doc_type),
            )
            for hit in self._visible(response.hits, private_q)
        ]


def _fallback_terms(query: str, concepts) -> set[str]:
    """The terms a query stands for, near spellings included, to mark up snippets Elasticsearch did not."""
    if concepts is None:
        return set(analyse(query))
    return DatabaseEngine().plan(query, concepts).highlight_terms


@lru_cache(maxsize=8)
def _engine(url: str, prefix: str, timeout: float) -> ElasticsearchEngine:
    return ElasticsearchEngine(url, prefix, timeout)
