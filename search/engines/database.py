"""The embedded search engine: the database's own full-text index.

SQLite: an FTS5 table (`search_fts`, one row per document, rowid = the document's id) ranked with
`bm25`, prefix indexes for autocomplete, and a trigram FTS5 table over the vocabulary for near
spellings. PostgreSQL: `tsvector` columns on the document table with weights (A: title and
labels, B: definition and tags, C: summary, D: body) and GIN indexes, ranked with `ts_rank_cd`,
and `pg_trgm` over the vocabulary for near spellings. Both are created by migration 0002.

The text is analysed once, in Python (`search.text`: Swedish Snowball stems, folded), and the
database indexes those terms as they are: both databases tokenise on plain words only ('simple'
configuration, FTS5's unicode61), so they never stem again, and the same terms reach both.

A query never reaches the database as syntax: each query word (or glossary label found in the
query) becomes a group of alternative terms — the stem, its glossary synonyms, near spellings
when the word is not in the index — and each term is quoted as a literal. Documents are ranked
by how many groups they match, then by the database's relevance score times the document's boost.
The index holds only what a visitor may see (it is updated in the same transaction as the
content); the hits shown are checked against the live, public pages once more.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import DatabaseError, connection, transaction
from django.db.models.functions import Substr
from wagtail.models import Page

from portal.visibility import hidden_live_page_ids, visible_pages
from search import glossary
from search.documents import TYPE_LABELS, IndexDocument, normalised_title
from search.models import SearchDocument, SearchFacet, SearchVocabulary
from search.snippets import SCAN_CHARS, highlight
from search.text import (
    MAX_QUERY_TERMS,
    allowed_typos,
    analyse,
    analyse_words,
    edit_distance,
    fold,
    tokenise,
)

from .base import FACETS, EngineResult, FacetCount, Filters, Hit, SearchEngine, Suggestion, corrected_query

# A whole title or label equal to the whole query is indexed as one extra term ("zqkortsik0effek"),
# letters and digits only so that both databases keep it as one word.
EXACT_PREFIX = "zq"
TERM_MAX_LENGTH = 64
MAX_FUZZY_WORDS = 5
MAX_FUZZY_CANDIDATES = 4
BATCH = 500

# SQLite: the FTS5 columns, and bm25's weight for each (the last one, folded title words, is for
# autocomplete only and is never searched by `search`).
FTS_COLUMNS = ("title", "labels", "definition", "tags", "summary", "body", "exact", "words")
FTS_WEIGHTS = (10.0, 8.0, 4.0, 3.0, 2.0, 1.0, 0.0, 0.0)
FTS_SEARCHED = "{title labels definition tags summary body}"
# The exact-title terms have a column of their own, so that they do not lengthen the title's;
# a match there adds about what three title matches of a rare word do.
EXACT_SCORE = 40.0
# PostgreSQL: weights D, C, B, A as ts_rank_cd takes them, and the rank at which a term gives
# half its maximum score.
PG_WEIGHTS = "{0.03, 0.1, 0.3, 1.0}"
PG_SATURATION = 0.5
# PostgreSQL: what the exact-title term adds to a document's score (ts_rank_cd of one title match is 1).
EXACT_BONUS = 3.0


def _exact_term(terms) -> str:
    return (EXACT_PREFIX + "0".join(terms))[:TERM_MAX_LENGTH]


def _terms_text(text: str) -> str:
    return " ".join(t for t in analyse(text) if len(t) <= TERM_MAX_LENGTH)


def analyse_document(document: IndexDocument) -> tuple[dict[str, str], dict[str, str]]:
    """Each text of a document analysed once: the indexed fields (terms separated by spaces, as
    the databases index them), and term → the shortest word that produced it (the vocabulary
    "Menade du …?" draws from)."""
    vocabulary: dict[str, str] = {}

    def terms_of(text: str, remember: bool = True) -> list[str]:
        terms = []
        for word, term in analyse_words(text):
            if len(term) > TERM_MAX_LENGTH:
                continue
            terms.append(term)
            if remember and (term not in vocabulary or len(word) < len(vocabulary[term])):
                vocabulary[term] = word
        return terms

    title_terms = terms_of(document.title)
    exact = [_exact_term(title_terms)] if title_terms else []
    labels = []
    for label in document.labels:
        terms = terms_of(label)
        if terms:
            labels.append(" ".join(terms))
            exact.append(_exact_term(terms))
    fields = {
        "title": " ".join(title_terms),
        "exact": " ".join(dict.fromkeys(exact)),
        "labels": " ".join(labels),
        "definition": " ".join(terms_of(document.definition)),
        "tags": " ".join(terms_of(" ".join(name for _slug, name in document.tags), remember=False)),
        "summary": " ".join(terms_of(document.summary)),
        "body": " ".join(terms_of(document.body)),
        # Folded, not stemmed: autocomplete matches what is typed against the title's words.
        "words": " ".join(fold(t) for t in tokenise(document.title)),
    }
    return fields, vocabulary


@dataclass
class Group:
    """One query word (or one glossary label in the query) and the terms that may stand for it."""

    words: list[str]
    alternatives: list[tuple[tuple[str, ...], float]] = field(default_factory=list)
    corrected: str = ""  # the nearest indexed word, when the word itself is not in the index
    concept: bool = False  # whether the group is a glossary label


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


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _bonus_levels(bonus: dict[str, float], score: float) -> list[tuple[list[str], float]]:
    """The exact-title terms by what they add: the typed words' own in full, a synonym's (a label
    two concepts may share, "impact") half."""
    own = [term for term, factor in bonus.items() if factor >= 1.0]
    synonyms = [term for term, factor in bonus.items() if factor < 1.0]
    return [(terms, value) for terms, value in ((own, score), (synonyms, score / 2)) if terms]


def _bm25_idf(total: int, df: int) -> float:
    return max(math.log((total - df + 0.5) / (df + 0.5)), 1e-6)


def _one_hot(position: int) -> str:
    """bm25's column weights with 1 for one column and 0 for the others."""
    return ", ".join("1" if i == position else "0" for i in range(len(FTS_COLUMNS)))


def _placeholders(values) -> str:
    """`%s, %s, …` for a list of values (an empty string literal for none: `x NOT IN ('')`)."""
    return ", ".join(["%s"] * len(values)) or "''"


def _literal(term: str) -> bool:
    """Whether a term is plain letters and digits: the only thing ever put into a match expression."""
    return bool(term) and term.isalnum()


# --- the two dialects ---------------------------------------------------------------------------


class _SQLite:
    """FTS5: match expressions of quoted strings, `bm25` (lower is better), fts5vocab for counts."""

    @staticmethod
    def quote(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    def alternative(self, terms) -> str:
        inner = self.quote(terms[0]) if len(terms) == 1 else "(" + " AND ".join(map(self.quote, terms)) + ")"
        return FTS_SEARCHED + " : " + inner

    def any_of(self, terms) -> str:
        return "exact : (" + " OR ".join(map(self.quote, terms)) + ")"

    def write(self, rows, fresh: bool) -> None:
        with connection.cursor() as cursor:
            if not fresh:
                ids = [row_id for row_id, _fields in rows]
                for start in range(0, len(ids), BATCH):
                    chunk = ids[start : start + BATCH]
                    cursor.execute(
                        f"DELETE FROM search_fts WHERE rowid IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                        chunk,
                    )
            cursor.executemany(
                f"INSERT INTO search_fts (rowid, {', '.join(FTS_COLUMNS)}) "  # noqa: S608 - fixed names
                f"VALUES (%s, {', '.join(['%s'] * len(FTS_COLUMNS))})",
                [(row_id, *(fields[c] for c in FTS_COLUMNS)) for row_id, fields in rows],
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    def matches(self, groups, bonus, required: int, filters_sql: str):
        """SQL of (id, score, coverage): one MATCH per alternative of each group; a group scores its
        best alternative (a concept page holding ten synonyms does not score ten times), groups add
        up, the exact-title terms add a bonus but no coverage; `required` groups at least.

        `groups`: per group, [(alternative's terms, factor)]; `bonus`: exact-title term → factor.
        """
        counts = self.document_counts(t for alternatives in groups for terms, _f in alternatives for t in terms)
        total = max(SearchDocument.objects.count(), 1)
        parts, params = [], []
        for g, alternatives in enumerate(groups):
            for terms, factor in alternatives:
                # bm25 once per field (its weight 1 there, 0 elsewhere), weighted here: with all
                # weights in one call, bm25 saturates the sum and a title counts hardly more than
                # a definition. bm25's idf (near zero for common words) is replaced by a smooth
                # one, so that a rare synonym does not outweigh the word that was typed.
                dfs = [min(max(counts.get(t, 0), 1), total) for t in terms]
                bm25_idf = sum(_bm25_idf(total, df) for df in dfs)
                idf = sum(1.0 + math.log(max(total / df, 1.0)) for df in dfs)
                fields = " + ".join(
                    f"{weight:g} * bm25(search_fts, {_one_hot(i)})" for i, weight in enumerate(FTS_WEIGHTS) if weight
                )
                parts.append(
                    f"SELECT rowid AS id, {g:d} AS g, {-factor * idf / bm25_idf:.6f} * ({fields}) AS s "  # noqa: S608
                    "FROM search_fts WHERE search_fts MATCH %s"
                )
                params.append(self.alternative(terms))
        for terms, score in _bonus_levels(bonus, EXACT_SCORE):
            parts.append(f"SELECT rowid AS id, -1 AS g, {score:g} AS s FROM search_fts WHERE search_fts MATCH %s")  # noqa: S608
            params.append(self.any_of(terms))
        per_group = f"SELECT id, g, MAX(s) AS s FROM ({' UNION ALL '.join(parts)}) x GROUP BY id, g"  # noqa: S608
        sql = (
            "SELECT d.id AS id, SUM(pg.s) * d.boost AS score, "  # noqa: S608 - only placeholders are interpolated
            "SUM(CASE WHEN pg.g >= 0 THEN 1 ELSE 0 END) AS coverage "
            f"FROM ({per_group}) pg JOIN {_table(SearchDocument)} d ON d.id = pg.id "
            f"WHERE {filters_sql} GROUP BY d.id, d.boost "
            f"HAVING SUM(CASE WHEN pg.g >= 0 THEN 1 ELSE 0 END) >= {required:d}"
        )
        return sql, params

    def document_counts(self, terms) -> dict[str, int]:
        """How many documents hold each term, from FTS5's own vocabulary (any field: the folded
        title words of autocomplete too, which rarely equal a stem)."""
        terms = sorted(t for t in set(terms) if _literal(t))
        if not terms:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term, doc FROM search_fts_vocab "  # noqa: S608 - only placeholders
                f"WHERE term IN ({', '.join(['%s'] * len(terms))})",
                terms,
            )
            return {term: count for term, count in cursor.fetchall() if count}

    def near_candidates(self, term: str, low: int, high: int) -> list[tuple[str, str]]:
        """Vocabulary terms sharing trigrams with `term` (any of them: a wrong first letter is no obstacle)."""
        grams = sorted({term[i : i + 3] for i in range(len(term) - 2)})
        if not grams:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT v.term, v.word FROM search_vocab_trigram t JOIN {_table(SearchVocabulary)} v "  # noqa: S608
                "ON v.id = t.rowid WHERE search_vocab_trigram MATCH %s AND v.length BETWEEN %s AND %s "
                "ORDER BY t.rank LIMIT 200",
                [" OR ".join(self.quote(g) for g in grams), low, high],
            )
            return cursor.fetchall()

    def autocomplete(self, words: list[str], exclude_types, limit: int) -> list[tuple]:
        phrase = self.quote(" ".join(words)) + " *"
        rows: list[tuple] = []
        # Titles that start with what is typed come first, then titles with a later word that does.
        for expression in (f"words : ^ {phrase}", f"words : {phrase}"):
            seen = [r[0] for r in rows] or [0]
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT d.id, d.title, d.url, d.doc_type, d.page_id FROM search_fts f "  # noqa: S608
                    f"JOIN {_table(SearchDocument)} d ON d.id = f.rowid WHERE search_fts MATCH %s "
                    f"AND d.doc_type NOT IN ({_placeholders(exclude_types)}) "
                    f"AND d.id NOT IN ({', '.join(['%s'] * len(seen))}) "
                    "ORDER BY d.boost DESC, d.title LIMIT %s",
                    [expression, *exclude_types, *seen, limit - len(rows)],
                )
                rows += cursor.fetchall()
            if len(rows) >= limit:
                break
        return rows


class _PostgreSQL:
    """tsvector columns with weights and GIN indexes, `ts_rank_cd` (higher is better), pg_trgm."""

    @staticmethod
    def quote(term: str) -> str:
        return "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"

    def alternative(self, terms) -> str:
        return self.quote(terms[0]) if len(terms) == 1 else "(" + " & ".join(map(self.quote, terms)) + ")"

    def any_of(self, alternatives) -> str:
        return "(" + " | ".join(self.alternative(t) for t in alternatives) + ")"

    def write(self, rows, fresh: bool) -> None:
        table = _table(SearchDocument)
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                chunk = rows[start : start + BATCH]
                values = ", ".join(["(%s::bigint, %s, %s, %s, %s, %s)"] * len(chunk))
                params = []
                for row_id, fields in chunk:
                    params += [
                        row_id,
                        " ".join((fields["title"], fields["exact"], fields["labels"])),
                        fields["definition"] + " " + fields["tags"],
                        fields["summary"],
                        fields["body"],
                        fields["words"],
                    ]
                cursor.execute(
                    f"UPDATE {table} AS d SET search_vector = "  # noqa: S608 - only placeholders are interpolated
                    "setweight(to_tsvector('simple', v.a), 'A') || setweight(to_tsvector('simple', v.b), 'B') || "
                    "setweight(to_tsvector('simple', v.c), 'C') || setweight(to_tsvector('simple', v.e), 'D'), "
                    "title_vector = to_tsvector('simple', v.w) "
                    f"FROM (VALUES {values}) AS v (id, a, b, c, e, w) WHERE d.id = v.id",
                    params,
                )

    def clear(self) -> None:
        pass  # the vectors are columns of the documents, deleted with them

    def matches(self, groups, bonus, required: int, filters_sql: str):
        """SQL of (id, score, coverage) over the GIN index: any group (all of them when all are
        required). A group scores its best alternative (ts_rank_cd times factor times idf: ts_rank_cd
        alone does not know how rare a word is), groups add up, the exact-title terms add a bonus.
        """
        counts = self.document_counts(t for alternatives in groups for terms, _f in alternatives for t in terms)
        total = max(SearchDocument.objects.count(), 1)
        score_parts, coverage_parts, params, ranks, rank_params = [], [], [], [], []
        for alternatives in groups:
            best = []
            for terms, factor in alternatives:
                df = max(min((counts.get(t, 0) for t in terms), default=0), 1)
                weight = factor * (1.0 + math.log(total / df))
                # Each rank once per document (a lateral subquery), however often the score names it.
                rank = f"r.r{len(ranks)}"
                ranks.append(f"ts_rank_cd('{PG_WEIGHTS}', d.search_vector, to_tsquery('simple', %s)) AS r{len(ranks)}")
                rank_params.append(self.alternative(terms))
                # Saturated as BM25's term frequency is: many mentions in the body do not add up
                # to more than a title, and a title with five labels not to five titles.
                best.append(f"{rank} / ({rank} + {PG_SATURATION:g}) * {weight:.4f}")
            score_parts.append(best[0] if len(best) == 1 else f"GREATEST({', '.join(best)})")
        bonus_sql = "0"
        levels = _bonus_levels(bonus, EXACT_BONUS)
        if levels:
            whens = " ".join(f"WHEN d.search_vector @@ to_tsquery('simple', %s) THEN {score:g}" for _t, score in levels)
            bonus_sql = f"CASE {whens} ELSE 0 END"
            params += [self.any_of([(t,) for t in terms]) for terms, _score in levels]
        for alternatives in groups:
            coverage_parts.append("(d.search_vector @@ to_tsquery('simple', %s))::int")
            params.append(self.any_of([terms for terms, _f in alternatives]))
        joiner = " & " if required >= len(groups) else " | "
        # Parameters in the order the statement names them: bonus, coverage, ranks, the match.
        params += rank_params
        params.append(joiner.join(self.any_of([terms for terms, _f in alternatives]) for alternatives in groups))
        sql = (
            "SELECT id, score, coverage FROM ("  # noqa: S608 - only placeholders are interpolated
            f"SELECT d.id AS id, ({' + '.join(score_parts)} + {bonus_sql}) * d.boost AS score, "
            f"{' + '.join(coverage_parts)} AS coverage FROM {_table(SearchDocument)} d, "
            f"LATERAL (SELECT {', '.join(ranks)} OFFSET 0) r "
            f"WHERE d.search_vector @@ to_tsquery('simple', %s) AND {filters_sql}) m WHERE coverage >= {required:d}"
        )
        return sql, params

    def document_counts(self, terms) -> dict[str, int]:
        """How many documents hold each term (counted up to 1,000: enough to rank near spellings)."""
        terms = sorted(t for t in set(terms) if _literal(t))
        if not terms:
            return {}
        table = _table(SearchDocument)
        parts = [
            f"SELECT %s, (SELECT COUNT(*) FROM (SELECT 1 FROM {table} "  # noqa: S608 - only placeholders
            "WHERE search_vector @@ to_tsquery('simple', %s) LIMIT 1000) x)"
        ] * len(terms)
        params = [p for term in terms for p in (term, self.quote(term))]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            return {term: count for term, count in cursor.fetchall() if count}

    def near_candidates(self, term: str, low: int, high: int) -> list[tuple[str, str]]:
        """Vocabulary terms similar by trigrams (pg_trgm's GIN index; the first letter may differ)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, word FROM {_table(SearchVocabulary)} "  # noqa: S608 - only placeholders
                "WHERE term %% %s AND length BETWEEN %s AND %s ORDER BY similarity(term, %s) DESC LIMIT 200",
                [term, low, high, term],
            )
            return cursor.fetchall()

    def autocomplete(self, words: list[str], exclude_types, limit: int) -> list[tuple]:
        query = " <-> ".join(self.quote(w) for w in words) + ":*"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.id, d.title, d.url, d.doc_type, d.page_id FROM {_table(SearchDocument)} d "  # noqa: S608
                "WHERE d.title_vector @@ to_tsquery('simple', %s) "
                f"AND d.doc_type NOT IN ({_placeholders(exclude_types)}) "
                "ORDER BY (d.title_norm LIKE %s) DESC, d.boost DESC, d.title LIMIT %s",
                [query, *exclude_types, " " + " ".join(words).replace("%", "").replace("_", "") + "%", limit],
            )
            return cursor.fetchall()


def named_concepts(query: str, concepts) -> list[str]:
    """The titles of the concepts a query consists of, when it names two or more and nothing else
    ("skillnad mellan effekt och resultat" → Effekt, Resultat): Elasticsearch ranks them first too."""
    terms = [t for _w, t in analyse_words(query)]
    by_first, _by_concept = _label_index(concepts if isinstance(concepts, tuple) else tuple(concepts))
    titles = {concept.id: concept.title for concept in concepts}
    named, i = [], 0
    while i < len(terms):
        match = next((e for e in by_first.get(terms[i], ()) if tuple(terms[i : i + len(e[0])]) == e[0]), None)
        if match is None:
            return []
        named.append(titles[match[1]])
        i += len(match[0])
    return named if len(named) > 1 else []


def dialect():
    return _PostgreSQL() if connection.vendor == "postgresql" else _SQLite()


class DatabaseEngine(SearchEngine):
    name = "database"
    label = "databasen"

    # --- indexing -------------------------------------------------------------------------------

    def index_documents(self, documents, fresh: bool = False, vocabulary: dict | None = None) -> None:
        """Add or replace documents. `fresh`: the index holds none of them (a rebuild), so rows are
        inserted in bulk without looking for old ones. `vocabulary`: collect the documents' words
        there (a rebuild writes them once at the end) instead of writing them now."""
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
                SearchFacet.objects.filter(document_id__in=[row.pk for row in rows]).delete()
            facets = [
                (row.pk, facet, value[:255], label[:255])
                for row, document in zip(rows, documents, strict=True)
                for facet, value, label in document.facet_values()
            ]
            analysed = [analyse_document(document) for document in documents]
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {_table(SearchFacet)} (document_id, facet, value, label) "  # noqa: S608
                    "VALUES (%s, %s, %s, %s)",
                    facets,
                )
            dialect().write([(row.pk, fields) for row, (fields, _words) in zip(rows, analysed, strict=True)], fresh)
            words = {} if vocabulary is None else vocabulary
            for _fields, document_words in analysed:
                for term, word in document_words.items():
                    if term not in words or len(word) < len(words[term]):
                        words[term] = word
            if vocabulary is None:
                self.add_vocabulary(words)

    def add_vocabulary(self, words: dict[str, str]) -> None:
        """Add the terms the vocabulary lacks (term → its shortest word)."""
        rows = [(term, word[:TERM_MAX_LENGTH], len(term)) for term, word in words.items() if term]
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                chunk = rows[start : start + BATCH]
                cursor.execute(
                    f"INSERT INTO {_table(SearchVocabulary)} (term, word, length) "  # noqa: S608
                    f"VALUES {', '.join(['(%s, %s, %s)'] * len(chunk))} ON CONFLICT (term) DO NOTHING",
                    [value for row in chunk for value in row],
                )

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

    def remove_keys(self, keys) -> None:
        # SQLite's trigger removes the FTS5 rows; PostgreSQL's vectors go with the rows.
        SearchDocument.objects.filter(key__in=list(keys)).delete()

    def clear(self) -> None:
        """Empty the index (the rebuild fills it again in the same transaction)."""
        dialect().clear()
        SearchFacet.objects.all().delete()
        SearchDocument.objects.all().delete()
        SearchVocabulary.objects.all().delete()

    def count(self) -> int:
        return SearchDocument.objects.count()

    # --- planning -------------------------------------------------------------------------------

    def plan(self, query: str, concepts, visible=None) -> QueryPlan:
        """Query words → groups of alternative terms (stem, glossary synonyms, near spellings)."""
        words = [(w, t) for w, t in analyse_words(query) if _literal(t)][:MAX_QUERY_TERMS]
        terms = [term for _word, term in words]
        by_first, by_concept = _label_index(concepts if isinstance(concepts, tuple) else tuple(concepts))
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
                        if all(_literal(t) for t in sequence):
                            alternatives.setdefault(sequence, 0.9)
                group_words = [w for w, _t in words[i : i + len(label_terms)]]
                groups.append(Group(group_words, list(alternatives.items()), concept=True))
                i += len(label_terms)
            else:
                groups.append(Group([words[i][0]], [((terms[i],), 1.0)]))
                i += 1
        plan = QueryPlan(groups, {_exact_term(terms): 1.0} if terms else {})
        self._add_near_spellings(plan)
        if len(groups) == 1 or (groups and all(group.concept for group in groups)):
            # One concept named any way at all, or only concepts ("skillnad mellan effekt och
            # resultat"): each of their labels as a whole title counts too.
            for group in groups:
                for sequence, factor in group.alternatives:
                    plan.bonus.setdefault(_exact_term(sequence), factor)
        return plan

    def near_terms(self, term: str) -> list[tuple[str, str, int]]:
        """Indexed terms within typing distance of `term`: (term, word, distance), nearest first."""
        limit = allowed_typos(term)
        if limit == 0 or term.startswith(EXACT_PREFIX) or term.isdigit():
            return []
        found = []
        for candidate, word in dialect().near_candidates(term, len(term) - limit, len(term) + limit):
            distance = edit_distance(term, candidate, limit)
            if distance <= limit and candidate != term:
                found.append((candidate, word, distance))
        found.sort(key=lambda f: (f[2], f[0]))
        return found[: MAX_FUZZY_CANDIDATES * 3]

    def _add_near_spellings(self, plan: QueryPlan) -> None:
        """Words no document holds get the nearest indexed words as alternatives."""
        single = [g for g in plan.groups if len(g.alternatives) == 1 and len(g.alternatives[0][0]) == 1]
        db = dialect()
        df = db.document_counts(g.alternatives[0][0][0] for g in single)
        missing = [g for g in single if not df.get(g.alternatives[0][0][0])][:MAX_FUZZY_WORDS]
        if not missing:
            return
        candidates = {id(g): self.near_terms(g.alternatives[0][0][0]) for g in missing}
        candidate_df = db.document_counts(c[0] for found in candidates.values() for c in found)
        for group in missing:
            found = [c for c in candidates[id(group)] if candidate_df.get(c[0])]
            # Nearest first, then the most common: the likeliest intended word.
            found.sort(key=lambda c: (c[2], -candidate_df[c[0]], c[0]))
            for candidate, _word, distance in found[:MAX_FUZZY_CANDIDATES]:
                group.alternatives.append(((candidate,), 0.6 / distance))
            if found:
                group.corrected = found[0][1]

    @staticmethod
    def suggestion_for(query: str, plan: QueryPlan) -> str | None:
        """The query with each word the index lacks replaced by its nearest indexed word ("Menade du …?")."""
        return corrected_query(query, {g.words[0]: g.corrected for g in plan.groups if g.corrected})

    def spelling_suggestion(self, query: str, concepts, private_q=None) -> str | None:
        return self.suggestion_for(query, self.plan(query, concepts))

    # --- searching ------------------------------------------------------------------------------

    def _matched_sql(self, plan: QueryPlan, filters: Filters, hidden: list[int] = ()):
        """SQL selecting (id, score, coverage) of every matching document a visitor may see, and
        its params. `hidden`: ids of live pages still in the index that a visitor may not see."""
        db = dialect()
        groups = [group.alternatives for group in plan.groups]
        where, params = ["1 = 1"], []
        if hidden:
            where.append(f"(d.page_id IS NULL OR d.page_id NOT IN ({', '.join(['%s'] * len(hidden))}))")
            params += list(hidden)
        for facet, values in filters.values:
            where.append(
                f"d.id IN (SELECT document_id FROM {_table(SearchFacet)} "  # noqa: S608
                f"WHERE facet = %s AND value IN ({', '.join(['%s'] * len(values))}))"
            )
            params += [facet, *values]
        bonus = {term: factor for term, factor in plan.bonus.items() if _literal(term)}
        sql, match_params = db.matches(groups, bonus, plan.required_groups(), " AND ".join(where))
        # In both dialects the filters come after the match in the statement.
        return sql, match_params + params

    def search(
        self, query: str, filters: Filters, offset: int, limit: int, concepts=None, private_q=None
    ) -> EngineResult:
        if concepts is None:
            concepts = glossary.published_glossary(private_q)
        plan = self.plan(query, concepts)
        if not plan.groups:
            return EngineResult(total=0)
        hidden = hidden_live_page_ids()
        sql, params = self._matched_sql(plan, filters, hidden)
        selected = filters.as_dict()
        own = [name for name in FACETS if name not in selected]
        # One statement: the page of hits, the total and the facets, from one evaluation of the match.
        statement = (
            f"WITH m AS MATERIALIZED ({sql}) "  # noqa: S608 - only placeholders are interpolated
            "SELECT 0, id, score, NULL, NULL, NULL FROM "
            "(SELECT id, score FROM m ORDER BY coverage DESC, score DESC, id LIMIT %s OFFSET %s) h "
            "UNION ALL SELECT 1, COUNT(*), NULL, NULL, NULL, NULL FROM m "
            f"UNION ALL SELECT 2, COUNT(*), NULL, f.facet, f.value, MIN(f.label) FROM {_table(SearchFacet)} f "
            f"JOIN m ON m.id = f.document_id WHERE f.facet IN ({', '.join(['%s'] * len(own)) or 'NULL'}) "
            "GROUP BY f.facet, f.value"
        )
        rows = self._execute(statement, params + [limit, offset] + own)
        hits = [(row[1], row[2]) for row in rows if row[0] == 0]
        total = next((row[1] for row in rows if row[0] == 1), 0)
        facets: dict[str, list[FacetCount]] = {name: [] for name in FACETS}
        for _kind, count, _score, facet, value, label in (row for row in rows if row[0] == 2):
            facets[facet].append(FacetCount(value=value, label=label, count=count))
        # A facet's own selection does not narrow its counts: OR within a facet, AND between facets.
        for name in selected:
            other_sql, other_params = self._matched_sql(plan, filters.without(name), hidden)
            facets[name] = self._facet_counts(other_sql, other_params, name)
        return EngineResult(
            total=total,
            hits=self._hits(hits, plan, private_q),
            facets=facets,
            suggestion=self.suggestion_for(query, plan),
        )

    def ranked_page_ids(self, query: str, limit: int, concepts=None, private_q=None) -> list[int]:
        """The ids of the pages matching a query, best first, as `search` ranks them (for the API)."""
        if concepts is None:
            concepts = glossary.published_glossary(private_q)
        plan = self.plan(query, concepts)
        if not plan.groups:
            return []
        sql, params = self._matched_sql(plan, Filters(), hidden_live_page_ids())
        rows = self._execute(
            f"WITH m AS ({sql}) SELECT d.page_id FROM m JOIN {_table(SearchDocument)} d ON d.id = m.id "  # noqa: S608
            "WHERE d.page_id IS NOT NULL ORDER BY m.coverage DESC, m.score DESC, m.id LIMIT %s",
            params + [limit],
        )
        return [row[0] for row in rows]

    @staticmethod
    def _execute(statement, params) -> list[tuple]:
        with connection.cursor() as cursor:
            if connection.vendor != "sqlite":
                cursor.execute(statement, params)
                return cursor.fetchall()
            # A quoted word FTS5 still cannot read (a character its tokenizer sees differently)
            # finds nothing rather than failing the page; SQLite's transaction survives the error.
            try:
                cursor.execute(statement, params)
                return cursor.fetchall()
            except DatabaseError:
                return []

    def _facet_counts(self, matched_sql, params, facet: str) -> list[FacetCount]:
        rows = self._execute(
            f"SELECT f.value, MIN(f.label), COUNT(*) FROM {_table(SearchFacet)} f "  # noqa: S608
            f"JOIN ({matched_sql}) m ON m.id = f.document_id WHERE f.facet = %s GROUP BY f.value",
            params + [facet],
        )
        return [FacetCount(value=v, label=label, count=c) for v, label, c in rows]

    @staticmethod
    def _visible_ids(page_ids, private_q=None) -> set[int]:
        """The page ids (of a page of hits) a visitor may see right now: one query."""
        if not page_ids:
            return set()
        return set(visible_pages(Page, private_q).filter(pk__in=page_ids).values_list("pk", flat=True))

    def _hits(self, rows, plan: QueryPlan, private_q=None) -> list[Hit]:
        # Only the start of a long text can end up in a snippet: fetch no more than that.
        documents = (
            SearchDocument.objects.defer("text")
            .annotate(lead=Substr("text", 1, SCAN_CHARS))
            .in_bulk([doc_id for doc_id, _score in rows])
        )
        visible = self._visible_ids({d.page_id for d in documents.values() if d.page_id}, private_q)
        terms = plan.highlight_terms
        hits = []
        for doc_id, score in rows:
            document = documents.get(doc_id)
            if document is None or (document.page_id and document.page_id not in visible):
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
        """Titles with a word starting with the query (folded), titles that start with it first."""
        words = [w for w in (fold(t) for t in tokenise(query)) if _literal(w)]
        if len("".join(words)) < 2:
            return []
        db = dialect()
        try:
            rows = db.autocomplete(words[:10], list(exclude_types), limit * 2)
        except DatabaseError:
            if isinstance(db, _PostgreSQL):
                raise
            return []
        visible = self._visible_ids({row[4] for row in rows if row[4]}, private_q)
        suggestions = [
            Suggestion(title=title, url=url, doc_type=doc_type, type_label=TYPE_LABELS.get(doc_type, doc_type))
            for _id, title, url, doc_type, page_id in rows
            if not page_id or page_id in visible
        ]
        return suggestions[:limit]
