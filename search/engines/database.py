"""The embedded search engine: an inverted index in the project's own tables, portable SQL.

Works the same on SQLite and PostgreSQL (only CASE, SUM, MAX, GROUP BY, window COUNT and LIMIT).
Scoring: each query word (or glossary label found in the query) is a group of alternative terms
— the stem itself, its glossary synonyms, and near spellings when the word is not in the index.
Documents are ranked by how many groups they match, then by the sum of field weight × idf, times
the document's boost. Every query is restricted to live, public pages at query time, so the index
can never serve more than the database would.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Substr
from wagtail.models import Page

from portal.visibility import visible_pages
from search import glossary
from search.documents import TYPE_LABELS, IndexDocument, normalised_title
from search.models import SearchDocument, SearchFacet, SearchTerm, SearchVocabulary
from search.snippets import SCAN_CHARS, highlight
from search.text import (
    MAX_QUERY_TERMS,
    allowed_typos,
    analyse,
    analyse_words,
    edit_distance,
    fold,
    normalise,
)

from .base import FACETS, EngineResult, FacetCount, Filters, Hit, SearchEngine, Suggestion

# How much a word counts in each field (body words count by the square root of their frequency).
FIELD_WEIGHTS = {"title": 10.0, "labels": 8.0, "definition": 4.0, "tags": 3.0, "summary": 2.0, "body": 1.0}
# A whole title or label equal to the whole query is indexed as one extra term: "=kortsik_effek".
EXACT_PREFIX = "="
EXACT_TITLE_WEIGHT = 30.0
EXACT_LABEL_WEIGHT = 24.0
TERM_MAX_LENGTH = 64
SATURATION = 10.0  # the summed field weight at which a term gives half its maximum score
SYNONYM_FACTOR = 0.9
FUZZY_FACTOR = 0.6
MAX_FUZZY_WORDS = 5
MAX_FUZZY_CANDIDATES = 4
BATCH = 2000


def _exact_term(terms) -> str:
    return (EXACT_PREFIX + "_".join(terms))[:TERM_MAX_LENGTH]


def document_terms(document: IndexDocument) -> dict[str, float]:
    """Term → weight for one document."""
    weights: dict[str, float] = defaultdict(float)

    def add(text, weight, body=False):
        for term, count in Counter(analyse(text)).items():
            weights[term] += weight * (math.sqrt(min(count, 16)) if body else min(count, 3))

    add(document.title, FIELD_WEIGHTS["title"])
    for label in document.labels:
        add(label, FIELD_WEIGHTS["labels"])
    add(document.definition, FIELD_WEIGHTS["definition"])
    add(" ".join(name for _slug, name in document.tags), FIELD_WEIGHTS["tags"])
    add(document.summary, FIELD_WEIGHTS["summary"])
    add(document.body, FIELD_WEIGHTS["body"], body=True)
    title_terms = analyse(document.title)
    if title_terms:
        weights[_exact_term(title_terms)] = max(weights[_exact_term(title_terms)], EXACT_TITLE_WEIGHT)
    for label in document.labels:
        label_terms = analyse(label)
        if label_terms:
            weights[_exact_term(label_terms)] = max(weights[_exact_term(label_terms)], EXACT_LABEL_WEIGHT)
    return {term[:TERM_MAX_LENGTH]: weight for term, weight in weights.items()}


def document_vocabulary(document: IndexDocument) -> dict[str, str]:
    """Term → the shortest word that produced it (what "Menade du …?" shows)."""
    words: dict[str, str] = {}
    texts = [document.title, *document.labels, document.definition, document.summary, document.body]
    for text in texts:
        for word, term in analyse_words(text):
            if len(term) <= TERM_MAX_LENGTH and (term not in words or len(word) < len(words[term])):
                words[term] = word[:TERM_MAX_LENGTH]
    return words


@dataclass
class Group:
    """One query word (or one glossary label in the query) and the terms that may stand for it."""

    words: list[str]
    alternatives: list[tuple[tuple[str, ...], float]] = field(default_factory=list)
    corrected: str = ""  # the nearest indexed word, when the word itself is not in the index


@dataclass
class QueryPlan:
    groups: list[Group]
    bonus: dict[str, float]

    @property
    def terms(self) -> dict[str, float]:
        """Every term the query may match, with its factor (the best one if it appears twice)."""
        factors: dict[str, float] = {}
        for group in self.groups:
            for terms, factor in group.alternatives:
                for term in terms:
                    factors[term] = max(factors.get(term, 0.0), factor)
        return factors

    @property
    def highlight_terms(self) -> set[str]:
        """Terms to mark in snippets: the words, their one-word synonyms and near spellings.

        A word of a multi-word synonym ("direkt" of "direkt resultat") is not marked on its own.
        """
        marked = set()
        for group in self.groups:
            for terms, _factor in group.alternatives:
                if len(terms) == 1 or terms == group.alternatives[0][0]:
                    marked.update(terms)
        return marked

    def required_groups(self) -> int:
        """Groups a document must match: all of up to two, then all but 40 % (Elasticsearch's "-40%")."""
        n = len(self.groups)
        return n - math.floor(n * 0.4)


@lru_cache(maxsize=4)
def _label_index(concepts: tuple):
    """first term → [(label terms, concept id)] and concept id → its distinct label term sequences."""
    by_first: dict[str, list] = defaultdict(list)
    by_concept: dict[int, list] = {}
    for concept in concepts:
        sequences = []
        for label in concept.labels:
            terms = glossary.label_terms(label)
            if terms and terms not in sequences:
                sequences.append(terms)
                by_first[terms[0]].append((terms, concept.id))
        by_concept[concept.id] = sequences
    for entries in by_first.values():
        entries.sort(key=lambda e: -len(e[0]))
    return by_first, by_concept


def _visible_sql(private_q=None) -> tuple[str, list]:
    """SQL (and params) true for documents a visitor may see: questions, and live public pages.

    Built once per search and passed to every query of it.
    """
    sql, params = visible_pages(Page, private_q).values("id").query.sql_with_params()
    return f"(d.page_id IS NULL OR d.page_id IN ({sql}))", list(params)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


class DatabaseEngine(SearchEngine):
    name = "database"
    label = "databasen"

    # --- indexing -------------------------------------------------------------------------------

    def index_documents(self, documents, fresh: bool = False) -> None:
        """Add or replace documents. `fresh`: the index holds none of them (a rebuild), so rows are
        inserted in bulk without looking for old ones."""
        documents = [d for d in documents if d is not None]
        if not documents:
            return
        with transaction.atomic():
            if fresh:
                rows = SearchDocument.objects.bulk_create([self._row(d) for d in documents], batch_size=BATCH)
            else:
                rows = []
                for document in documents:
                    row, _created = SearchDocument.objects.update_or_create(
                        key=document.key, defaults=self._fields(document)
                    )
                    rows.append(row)
                ids = [row.pk for row in rows]
                SearchTerm.objects.filter(document_id__in=ids).delete()
                SearchFacet.objects.filter(document_id__in=ids).delete()
            terms, facets = [], []
            for row, document in zip(rows, documents, strict=True):
                terms += [
                    SearchTerm(document=row, term=term, weight=weight)
                    for term, weight in document_terms(document).items()
                ]
                facets += [
                    SearchFacet(document=row, facet=facet, value=value[:255], label=label[:255])
                    for facet, value, label in document.facet_values()
                ]
            SearchTerm.objects.bulk_create(terms, batch_size=BATCH)
            SearchFacet.objects.bulk_create(facets, batch_size=BATCH)
            self._add_vocabulary(documents)

    @staticmethod
    def _fields(document: IndexDocument) -> dict:
        return {
            "page_id": document.page_id,
            "question_id": document.question_id,
            "doc_type": document.doc_type,
            "title": document.title[:500],
            "title_norm": normalised_title(document.title)[:510],
            "url": document.url,
            "definition": document.definition,
            "text": document.text,
            "chain_level": document.chain_levels[0] if len(document.chain_levels) == 1 else "",
            "year": document.year,
            "boost": document.boost,
        }

    def _row(self, document: IndexDocument) -> SearchDocument:
        return SearchDocument(key=document.key, **self._fields(document))

    def _add_vocabulary(self, documents) -> None:
        words: dict[str, str] = {}
        for document in documents:
            for term, word in document_vocabulary(document).items():
                if term not in words or len(word) < len(words[term]):
                    words[term] = word
        SearchVocabulary.objects.bulk_create(
            [SearchVocabulary(term=t, word=w, first=t[0], length=len(t)) for t, w in words.items() if t],
            batch_size=BATCH,
            ignore_conflicts=True,
        )

    def remove_keys(self, keys) -> None:
        SearchDocument.objects.filter(key__in=list(keys)).delete()

    def clear(self) -> None:
        """Empty the index (the rebuild fills it again in the same transaction)."""
        SearchTerm.objects.all().delete()
        SearchFacet.objects.all().delete()
        SearchDocument.objects.all().delete()
        SearchVocabulary.objects.all().delete()

    def count(self) -> int:
        return SearchDocument.objects.count()

    # --- planning -------------------------------------------------------------------------------

    def plan(self, query: str, concepts, visible=None) -> QueryPlan:
        """Query words → groups of alternative terms (stem, glossary synonyms, near spellings)."""
        visible = visible or _visible_sql()
        words = analyse_words(query)[:MAX_QUERY_TERMS]
        terms = [term for _word, term in words]
        by_first, by_concept = _label_index(tuple(concepts))
        groups: list[Group] = []
        i = 0
        while i < len(terms):
            match = None
            # Longest labels first; concepts sharing the longest matching label are all taken.
            for label_terms, concept_id in by_first.get(terms[i], ()):
                if tuple(terms[i : i + len(label_terms)]) == label_terms and (
                    match is None or len(label_terms) == len(match[0])
                ):
                    match = (label_terms, match[1] | {concept_id} if match else {concept_id})
            if match:
                label_terms, concept_ids = match
                alternatives = {label_terms: 1.0}
                for concept_id in sorted(concept_ids):
                    for sequence in by_concept[concept_id]:
                        alternatives.setdefault(sequence, SYNONYM_FACTOR)
                group_words = [w for w, _t in words[i : i + len(label_terms)]]
                groups.append(Group(group_words, list(alternatives.items())))
                i += len(label_terms)
            else:
                groups.append(Group([words[i][0]], [((terms[i],), 1.0)]))
                i += 1
        plan = QueryPlan(groups, {_exact_term(terms): 1.0} if terms else {})
        self._add_near_spellings(plan, visible)
        if len(groups) == 1:
            for sequence, factor in groups[0].alternatives:
                plan.bonus.setdefault(_exact_term(sequence), factor)
        return plan

    def _visible_df(self, terms, visible) -> dict[str, int]:
        """How many visible documents hold each term."""
        terms = sorted(set(terms))
        if not terms:
            return {}
        visible_sql, params = visible
        placeholders = ", ".join(["%s"] * len(terms))
        sql = (
            f"SELECT st.term, COUNT(*) FROM {_table(SearchTerm)} st "  # noqa: S608 - only placeholders are interpolated
            f"JOIN {_table(SearchDocument)} d ON d.id = st.document_id "
            f"WHERE st.term IN ({placeholders}) AND {visible_sql} GROUP BY st.term"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, terms + params)
            return dict(cursor.fetchall())

    def near_terms(self, term: str) -> list[tuple[str, str, int]]:
        """Indexed terms within typing distance of `term`: (term, word, distance), nearest first."""
        limit = allowed_typos(term)
        if limit == 0 or term.startswith(EXACT_PREFIX) or term.isdigit():
            return []
        rows = SearchVocabulary.objects.filter(
            first=term[0], length__gte=len(term) - limit, length__lte=len(term) + limit
        ).values_list("term", "word")
        found = []
        for candidate, word in rows.iterator(chunk_size=5000):
            distance = edit_distance(term, candidate, limit)
            if distance <= limit and candidate != term:
                found.append((candidate, word, distance))
        found.sort(key=lambda f: (f[2], f[0]))
        return found[: MAX_FUZZY_CANDIDATES * 3]

    def _add_near_spellings(self, plan: QueryPlan, visible) -> None:
        """Words no visible document holds get the nearest indexed words as alternatives."""
        single = [g for g in plan.groups if len(g.alternatives) == 1 and len(g.alternatives[0][0]) == 1]
        df = self._visible_df((g.alternatives[0][0][0] for g in single), visible)
        missing = [g for g in single if not df.get(g.alternatives[0][0][0])][:MAX_FUZZY_WORDS]
        candidates = {id(g): self.near_terms(g.alternatives[0][0][0]) for g in missing}
        candidate_df = self._visible_df((c[0] for found in candidates.values() for c in found), visible)
        for group in missing:
            found = [c for c in candidates[id(group)] if candidate_df.get(c[0])]
            # Nearest first, then the most common: the likeliest intended word.
            found.sort(key=lambda c: (c[2], -candidate_df[c[0]], c[0]))
            for candidate, _word, distance in found[:MAX_FUZZY_CANDIDATES]:
                group.alternatives.append(((candidate,), FUZZY_FACTOR / distance))
            if found:
                group.corrected = found[0][1]

    @staticmethod
    def suggestion_for(query: str, plan: QueryPlan) -> str | None:
        """The query with each word the index lacks replaced by its nearest indexed word ("Menade du …?")."""
        corrections = {g.words[0]: g.corrected for g in plan.groups if g.corrected}
        if not corrections:
            return None
        fixed = []
        for word in normalise(query).split():
            bare = word.strip(".,;:!?\"'()[]{}")
            fixed.append(word.replace(bare, corrections[bare]) if bare in corrections else word)
        suggestion = " ".join(fixed)
        return suggestion if suggestion != normalise(query) else None

    def spelling_suggestion(self, query: str, concepts, private_q=None) -> str | None:
        return self.suggestion_for(query, self.plan(query, concepts, _visible_sql(private_q)))

    # --- searching ------------------------------------------------------------------------------

    def _matched_sql(self, plan: QueryPlan, filters: Filters, visible, df: dict[str, int], total_docs: int):
        """SQL selecting (id, score, coverage) of every visible matching document, and its params.

        The query's terms become a small derived table (term, group, alternative, factor, size).
        A document scores, per group, its best alternative whose terms it holds all of (so a
        concept that lists ten synonyms does not score ten times); groups add up; coverage is
        the number of groups matched. The exact-title bonus terms form a group that adds score
        but no coverage. (Grouping by document, group and alternative in turn measured faster
        on SQLite than one pass with an aggregate per group.)
        """
        selects, params = [], []
        rows = []  # (term, group, alternative, factor, size)
        for g, group in enumerate(plan.groups):
            for a, (terms, factor) in enumerate(group.alternatives):
                unique = sorted(set(terms))
                rows += [(term, g, a, factor, len(unique)) for term in unique]
        for a, (term, factor) in enumerate(plan.bonus.items()):
            rows.append((term, -1, a, factor, 1))
        for term, g, a, factor, size in rows:
            idf = 1.0 + math.log(total_docs / max(df.get(term, 0), 1))
            # Only the term comes from the user, as a parameter; the numbers are computed here.
            selects.append(
                f"SELECT CAST(%s AS VARCHAR({TERM_MAX_LENGTH})) AS term, {g:d} AS g, {a:d} AS a, "
                f"{factor * idf:.6f} AS f, {size:d} AS n"
            )
            params.append(term)
        per_alternative = (
            # A term's weight saturates as BM25's term frequency does: in the title and five labels
            # it counts for more than in the title alone, but not six times more.
            "SELECT st.document_id AS id, q.g AS g, q.a AS a, "  # noqa: S608 - only placeholders are interpolated
            f"SUM(q.f * st.weight * {SATURATION + 1:.1f} / (st.weight + {SATURATION:.1f})) AS s, "
            f"COUNT(*) AS c, MAX(q.n) AS n FROM {_table(SearchTerm)} st "
            f"JOIN ({' UNION ALL '.join(selects)}) q ON q.term = st.term GROUP BY st.document_id, q.g, q.a"
        )
        per_group = f"SELECT id, g, MAX(s) AS s FROM ({per_alternative}) pa WHERE c = n GROUP BY id, g"  # noqa: S608
        visible_sql, visible_params = visible
        where = [visible_sql]
        params += visible_params
        for facet, values in filters.values:
            where.append(
                f"d.id IN (SELECT document_id FROM {_table(SearchFacet)} "  # noqa: S608
                f"WHERE facet = %s AND value IN ({', '.join(['%s'] * len(values))}))"
            )
            params += [facet, *values]
        per_document = (
            "SELECT d.id AS id, SUM(pg.s) * d.boost AS score, "  # noqa: S608
            "SUM(CASE WHEN pg.g >= 0 THEN 1 ELSE 0 END) AS coverage "
            f"FROM ({per_group}) pg JOIN {_table(SearchDocument)} d ON d.id = pg.id "
            f"WHERE {' AND '.join(where)} GROUP BY d.id, d.boost"
        )
        sql = f"SELECT id, score, coverage FROM ({per_document}) m WHERE coverage >= %s"  # noqa: S608
        return sql, params + [plan.required_groups()]

    def search(
        self, query: str, filters: Filters, offset: int, limit: int, concepts=None, private_q=None
    ) -> EngineResult:
        if concepts is None:
            concepts = glossary.load_glossary(private_q)
        visible = _visible_sql(private_q)
        plan = self.plan(query, concepts, visible)
        if not plan.groups:
            return EngineResult(total=0)
        all_terms = set(plan.terms) | set(plan.bonus)
        df = self._visible_df(all_terms, visible)
        total_docs = max(SearchDocument.objects.count(), 1)

        def matched(with_filters):
            return self._matched_sql(plan, with_filters, visible, df, total_docs)

        sql, params = matched(filters)
        selected = filters.as_dict()
        own = [name for name in FACETS if name not in selected]
        # One statement: the page of hits, the total and the facets, from one evaluation of the match.
        statement = (
            f"WITH m AS ({sql}) "  # noqa: S608 - only placeholders are interpolated
            "SELECT 0, id, score, NULL, NULL, NULL FROM "
            "(SELECT id, score FROM m ORDER BY coverage DESC, score DESC, id LIMIT %s OFFSET %s) h "
            "UNION ALL SELECT 1, COUNT(*), NULL, NULL, NULL, NULL FROM m "
            f"UNION ALL SELECT 2, COUNT(*), NULL, f.facet, f.value, MIN(f.label) FROM {_table(SearchFacet)} f "
            f"JOIN m ON m.id = f.document_id WHERE f.facet IN ({', '.join(['%s'] * len(own)) or 'NULL'}) "
            "GROUP BY f.facet, f.value"
        )
        with connection.cursor() as cursor:
            cursor.execute(statement, params + [limit, offset] + own)
            rows = cursor.fetchall()
        hits = [(row[1], row[2]) for row in rows if row[0] == 0]
        total = next(row[1] for row in rows if row[0] == 1)
        facets: dict[str, list[FacetCount]] = {name: [] for name in FACETS}
        for _kind, count, _score, facet, value, label in (row for row in rows if row[0] == 2):
            facets[facet].append(FacetCount(value=value, label=label, count=count))
        # A facet's own selection does not narrow its counts: OR within a facet, AND between facets.
        for name in selected:
            other_sql, other_params = matched(filters.without(name))
            facets[name] = self._facet_counts(other_sql, other_params, name)
        return EngineResult(
            total=total,
            hits=self._hits(hits, plan),
            facets=facets,
            suggestion=self.suggestion_for(query, plan),
        )

    def _facet_counts(self, matched_sql, params, facet: str) -> list[FacetCount]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT f.value, MIN(f.label), COUNT(*) FROM {_table(SearchFacet)} f "  # noqa: S608
                f"JOIN ({matched_sql}) m ON m.id = f.document_id WHERE f.facet = %s GROUP BY f.value",
                params + [facet],
            )
            return [FacetCount(value=v, label=label, count=c) for v, label, c in cursor.fetchall()]

    def _hits(self, rows, plan: QueryPlan) -> list[Hit]:
        # Only the start of a long text can end up in a snippet: fetch no more than that.
        documents = (
            SearchDocument.objects.defer("text")
            .annotate(lead=Substr("text", 1, SCAN_CHARS))
            .in_bulk([doc_id for doc_id, _score in rows])
        )
        terms = plan.highlight_terms
        hits = []
        for doc_id, score in rows:
            document = documents.get(doc_id)
            if document is None:
                continue
            hits.append(
                Hit(
                    key=document.key,
                    title=document.title,
                    url=document.url,
                    doc_type=document.doc_type,
                    type_label=TYPE_LABELS.get(document.doc_type, document.doc_type),
                    snippet=highlight(document.lead, terms),
                    score=float(score or 0),
                )
            )
        return hits

    # --- autocomplete ---------------------------------------------------------------------------

    def autocomplete(self, query: str, limit: int, exclude_types=("begrepp",), private_q=None) -> list[Suggestion]:
        """Titles with a word starting with the query (folded), most important types first."""
        prefix = fold(normalise(query))
        if len(prefix) < 2:
            return []
        visible = Q(page__isnull=True) | Q(page__in=visible_pages(Page, private_q).values("id"))
        rows = (
            SearchDocument.objects.filter(visible, title_norm__contains=" " + prefix)
            .exclude(doc_type__in=exclude_types)
            .annotate(
                starts=Case(
                    When(title_norm__startswith=" " + prefix, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("starts", "-boost", "title")
            .values_list("title", "url", "doc_type")[: limit * 3]
        )
        suggestions = [
            Suggestion(title=title, url=url, doc_type=doc_type, type_label=TYPE_LABELS.get(doc_type, doc_type))
            for title, url, doc_type in rows
        ]
        return suggestions[:limit]
