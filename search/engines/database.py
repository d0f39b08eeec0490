"""The embedded search engine: the database's own full-text index.

SQLite: an FTS5 table (`search_fts`, one row per document, rowid = the document's id, columns
without positions) ranked with `bm25`, one over the titles' words with prefix indexes for
autocomplete (`search_fts_words`), and a trigram FTS5 table over the vocabulary for near
spellings. PostgreSQL: `tsvector` columns on the document table with weights (A: title and
labels, B: definition and tags, C: summary, D: body) and GIN indexes, ranked with `ts_rank_cd`,
and `pg_trgm` over the vocabulary for near spellings. Created by migrations 0002 and 0004.

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
import re
from collections import Counter, defaultdict
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

# SQLite: the FTS5 columns searched (`search_fts`, which keeps which columns a term is in but not
# its positions: migration 0004), and bm25's weight for each. The folded words of the titles that
# autocomplete matches are a table of their own (`search_fts_words`, with positions).
FTS_COLUMNS = ("title", "labels", "definition", "tags", "summary", "body", "exact")
FTS_WEIGHTS = (10.0, 8.0, 4.0, 3.0, 2.0, 1.0, 0.0)
FTS_SEARCHED = "{title labels definition tags summary body}"
# The head of a document: what the cheap first score counts four times.
FTS_HEAD = "{title labels definition tags}"
# The fields whose terms the vocabulary counts documents for.
COUNTED_FIELDS = ("title", "labels", "definition", "tags", "summary", "body")
BM25_K1 = 1.2
BM25_B = 0.75
# The exact-title terms have a column of their own, so that they do not lengthen the title's;
# a match there adds about what three title matches of a rare word do.
EXACT_SCORE = 40.0
# PostgreSQL: weights D, C, B, A as ts_rank_cd takes them, and the rank at which a term gives
# half its maximum score.
PG_WEIGHTS = "{0.03, 0.1, 0.3, 1.0}"
PG_SATURATION = 0.5
# PostgreSQL: what the exact-title term adds to a document's score (ts_rank_cd of one title match is 1).
EXACT_BONUS = 3.0
# PostgreSQL: the head of a document (title, exact titles and labels: A; definition and tags: B),
# served by a GIN index of its own (migration 0003); and how much of the body the rank vector holds.
PG_HEAD = "ts_filter(d.search_vector, '{a,b}')"
RANK_BODY_TERMS = 300
# Only the best candidates by the cheap first score (which reads no text) are scored in full:
# the work per query stays bounded however many documents match. Past them, the first score orders.
CANDIDATES = 200
# PostgreSQL: at most this many combinations of `required` groups are matched by the index itself.
MAX_COMBINATIONS = 60
# PostgreSQL: when fewer documents than this are expected to match, each is tested on its vector
# (one pass); otherwise the index's lists per word are counted.
FEW_MATCHES = 1500
# Autocomplete orders at most this many matching titles (of each kind: starting with what is
# typed, or with a later word that does).
AUTOCOMPLETE_CANDIDATES = 500
# What an exact title adds to the first score: more than any number of groups could.
FIRST_EXACT = 100.0
# Bounded matching, as Elasticsearch counts totals exactly only up to a limit (track_total_hits):
# when more than SAMPLE_ABOVE documents are expected to match, only an even sample of about
# SAMPLE_TARGET of them (documents whose id modulo SAMPLE_BUCKETS is below a cut) is matched,
# besides every document with a query word in its head (title, labels, definition, tags) or an
# exact title (the pool): the documents that rank above the others with as many of the words are
# all there, each with its exact coverage; the work stays bounded however common the words, the
# total is given as "more than COUNT_LIMIT" and the facet counts are those of the sample (and
# labelled so). When the sample turns out smaller than its estimate (COUNT_LIMIT matches or
# fewer), the query is matched again in full.
COUNT_LIMIT = 1000
SAMPLE_ABOVE = 2000
SAMPLE_TARGET = 1100
SAMPLE_BUCKETS = 64


def _exact_term(terms) -> str:
    return (EXACT_PREFIX + "0".join(terms))[:TERM_MAX_LENGTH]


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


def counted_terms(fields: dict[str, str]) -> set[str]:
    """The terms a document is counted for in the vocabulary: those of its searched fields."""
    return {t for name in COUNTED_FIELDS for t in fields[name].split()}


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
    # How many documents hold each term of the query (from the vocabulary), and in all.
    df: dict[str, int] = field(default_factory=dict)
    total: int = 1

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


def _placeholders(values) -> str:
    """`%s, %s, …` for a list of values (an empty string literal for none: `x NOT IN ('')`)."""
    return ", ".join(["%s"] * len(values)) or "''"


def _literal(term: str) -> bool:
    """Whether a term is plain letters and digits: the only thing ever put into a match expression."""
    return bool(term) and term.isalnum()


# --- the two dialects ---------------------------------------------------------------------------


class _SQLite:
    """FTS5: match expressions of quoted strings; the candidates' scores are computed here (BM25)."""

    @staticmethod
    def quote(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    def any_of(self, alternatives) -> str:
        """Any of the alternatives (each a sequence of terms, all required), without columns."""
        return " OR ".join(
            self.quote(t[0]) if len(t) == 1 else "(" + " AND ".join(map(self.quote, t)) + ")" for t in alternatives
        )

    def expression(self, alternatives, columns: str = FTS_SEARCHED) -> str:
        """A match expression for any of the alternatives in these columns."""
        return f"{columns} : ({self.any_of(alternatives)})"

    def write(self, rows, fresh: bool) -> None:
        # FTS5 replaces a row with the same rowid itself (`OR REPLACE`): no delete first.
        verb = "INSERT" if fresh else "INSERT OR REPLACE"
        with connection.cursor() as cursor:
            cursor.executemany(
                f"{verb} INTO search_fts (rowid, {', '.join(FTS_COLUMNS)}) "  # noqa: S608 - fixed names
                f"VALUES (%s, {', '.join(['%s'] * len(FTS_COLUMNS))})",
                [(row_id, *(fields[c] for c in FTS_COLUMNS)) for row_id, fields in rows],
            )
            cursor.executemany(
                f"{verb} INTO search_fts_words (rowid, words) VALUES (%s, %s)",  # noqa: S608 - fixed names
                [(row_id, fields["words"]) for row_id, fields in rows],
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
            cursor.execute("DELETE FROM search_fts_words")

    def indexed_terms(self, keys) -> dict[str, set[str]]:
        """The searched terms of each of these documents (by key) the index holds now (before a change)."""
        keys = list(keys)
        if not keys:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.key, {', '.join('f.' + c for c in COUNTED_FIELDS)} FROM {_table(SearchDocument)} d "  # noqa: S608
                f"JOIN search_fts f ON f.rowid = d.id WHERE d.key IN ({', '.join(['%s'] * len(keys))})",
                keys,
            )
            return {row[0]: {t for text in row[1:] for t in (text or "").split()} for row in cursor.fetchall()}

    def total_sql(self) -> str:
        return f"SELECT COUNT(*) FROM {_table(SearchDocument)}"  # noqa: S608 - a fixed name

    def greatest(self) -> str:
        return "MAX"

    def matched(
        self,
        groups,
        bonus,
        required: int,
        where: str,
        where_params: list,
        weights: list[float],
        few=False,
        sample=None,
        live=None,
    ):
        """SQL of the documents matching `required` groups at least and passing `where` (on `d`):
        (id, coverage, first, bonus, doc_type, year, boost, sampled). `first` is the cheap score
        that chooses the candidates: each group's weight, four times when it is in the title, a
        label, the definition or a tag. Only FTS5's lists of row ids are read: no score per row.

        `sample` (a number of buckets out of SAMPLE_BUCKETS; None: every document): a bounded
        match for a query that matches thousands. Only the documents in the sample (rowid modulo
        SAMPLE_BUCKETS below `sample`, an even spread over the index) and the pool (a query word
        in the head, an exact title) are matched; `sampled` tells which were in the sample.
        Every row of a document kept is kept, so its coverage is exact.

        `live`: about how many documents each group's list holds (0: none can match). When every
        group that can match is required, FTS5 intersects their lists itself (one part whose rows
        all match) instead of each list's rows being counted. Otherwise a match misses at most
        m = (groups that can match) - `required` of them, so a match holding a group holds one
        of every m + 1 of the others (`_blocks`, the rarest first): FTS5 gives each group's rows
        only for documents holding one of each such block, intersected in C. Fewer rows to count,
        the same matches and coverage: every row of a match is kept."""
        live = live or [1] * len(groups)
        every = required >= 2 and sum(1 for size in live if size) == required
        blocks: dict[int, list[list[int]]] = {}
        if required >= 2 and not every:
            alive = [g for _size, g in sorted((size, g) for g, size in enumerate(live) if size)]
            blocks = {g: _blocks([o for o in alive if o != g], len(alive) - required + 1) for g in alive}
        heads, head_params = [], []
        for g, alternatives in enumerate(groups):
            if not live[g]:
                continue
            heads.append(
                f"SELECT rowid AS id, 0 AS c, {3 * weights[g]:.4f} AS f, 99 AS b, 0 AS s "  # noqa: S608
                "FROM search_fts WHERE search_fts MATCH %s"
            )
            head_params.append(self.expression([t for t, _f in alternatives], FTS_HEAD))
        for level, (terms, value) in enumerate(bonus, 1):
            heads.append(
                f"SELECT rowid AS id, 0 AS c, {FIRST_EXACT * value:g} AS f, {level:d} AS b, 0 AS s "  # noqa: S608
                "FROM search_fts WHERE search_fts MATCH %s"
            )
            head_params.append(self.expression([(t,) for t in terms], "exact"))
        keep, in_sample = "", "1"
        if sample is not None:
            in_sample = f"(rowid %% {SAMPLE_BUCKETS:d} < {sample:d})"
            # `+rowid`: a filter on FTS5's rows, never a constraint FTS5 would run the match again for.
            keep = f" AND ({in_sample} OR +rowid IN (SELECT id FROM h))"  # noqa: S608 - fixed names
        # Each row carries its own contributions (coverage, first score, exact level, sample):
        # the aggregate only adds them up, no expression per row.
        parts, params = ["SELECT * FROM h"], []
        if every:
            terms = [[t for t, _f in alternatives] for g, alternatives in enumerate(groups) if live[g]]
            first = sum(w for w, alive in zip(weights, live, strict=True) if alive)
            parts.append(
                f"SELECT rowid AS id, {required:d} AS c, {first:.4f} AS f, 99 AS b, {in_sample} AS s "  # noqa: S608
                f"FROM search_fts WHERE search_fts MATCH %s{keep}"
            )
            params.append(f"{FTS_SEARCHED} : (" + " AND ".join(f"({self.any_of(t)})" for t in terms) + ")")
        for g, alternatives in enumerate(groups):
            if every:
                break
            if not live[g]:
                continue
            parts.append(
                f"SELECT rowid AS id, 1 AS c, {weights[g]:.4f} AS f, 99 AS b, {in_sample} AS s "  # noqa: S608
                f"FROM search_fts WHERE search_fts MATCH %s{keep}"
            )
            needed = [[t for o in block for t, _f in groups[o]] for block in blocks.get(g, ())]
            own = [t for t, _f in alternatives]
            params.append(f"{FTS_SEARCHED} : (" + " AND ".join(f"({self.any_of(t)})" for t in [own, *needed]) + ")")
        grouped = (
            f"WITH h AS MATERIALIZED ({' UNION ALL '.join(heads)}) "  # noqa: S608
            "SELECT id, SUM(c) AS coverage, SUM(f) AS first, MIN(b) AS bonus, MAX(s) AS sampled "
            f"FROM ({' UNION ALL '.join(parts)}) x GROUP BY id HAVING SUM(c) >= {required:d}"
        )
        # The covering index: the documents' rows themselves (their text) are never read here.
        sql = (
            "SELECT p.id AS id, p.coverage AS coverage, p.first * d.boost AS first, "  # noqa: S608
            "CASE WHEN p.bonus = 99 THEN 0 ELSE p.bonus END AS bonus, "
            "d.doc_type AS doc_type, d.year AS year, d.boost AS boost, p.sampled AS sampled "
            f"FROM ({grouped}) p JOIN {_table(SearchDocument)} d INDEXED BY search_doc_rank ON d.id = p.id "
            f"WHERE {where}"
        )
        return sql, head_params + params + list(where_params)

    def near_candidates(self, term: str, low: int, high: int) -> list[tuple[str, str, int]]:
        """Vocabulary terms sharing trigrams with `term` (any of them: a wrong first letter is no
        obstacle), that some document holds and that can be suggested: (term, word, documents)."""
        grams = sorted({term[i : i + 3] for i in range(len(term) - 2)})
        if not grams:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT v.term, v.word, v.documents FROM search_vocab_trigram t JOIN {_table(SearchVocabulary)} v "  # noqa: S608
                "ON v.id = t.rowid WHERE search_vocab_trigram MATCH %s AND v.length BETWEEN %s AND %s "
                "AND v.documents > 0 AND v.word <> '' ORDER BY t.rank LIMIT 200",
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
                # At most AUTOCOMPLETE_CANDIDATES titles are ordered: a prefix of two common letters
                # matches thousands at 50,000 pages, and sorting them all cost tens of milliseconds.
                cursor.execute(
                    "SELECT d.id, d.title, d.url, d.doc_type, d.page_id FROM (SELECT rowid AS id "  # noqa: S608
                    f"FROM search_fts_words WHERE search_fts_words MATCH %s LIMIT {AUTOCOMPLETE_CANDIDATES:d}) f "
                    f"JOIN {_table(SearchDocument)} d ON d.id = f.id "
                    f"WHERE d.doc_type NOT IN ({_placeholders(exclude_types)}) "
                    f"AND d.id NOT IN ({', '.join(['%s'] * len(seen))}) "
                    "ORDER BY d.boost DESC, d.title LIMIT %s",
                    [expression, *exclude_types, *seen, limit - len(rows)],
                )
                rows += cursor.fetchall()
            if len(rows) >= limit:
                break
        return rows

    # -- the candidates' scores: FTS5's bm25 per field, computed from the indexed terms ----------

    def averages(self) -> tuple[int, float]:
        """(rows, average terms per row over all columns), from FTS5's own averages record."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT block FROM search_fts_data WHERE id = 1")
            row = cursor.fetchone()
        values = _varints(bytes(row[0])) if row and row[0] else []
        if not values or not values[0]:
            return 0, 1.0
        return values[0], max(sum(values[1:]) / values[0], 1.0)

    def scores(self, candidates, groups, idf: dict[str, float], bonus_values) -> dict[int, float]:
        """id → score of each candidate (id, bonus level, boost): per group its best alternative,
        per alternative its factor times the sum over its terms and the fields of the field's
        weight times BM25's saturated term frequency (k1 1.2, b 0.75, the row's length over the
        average) times the term's idf: what FTS5's `bm25` gives per field, for these rows only."""
        ids = [c[0] for c in candidates]
        if not ids:
            return {}
        _rows, average = self.averages()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, {', '.join(FTS_COLUMNS)} FROM search_fts "  # noqa: S608 - fixed names
                f"WHERE rowid IN ({', '.join(['%s'] * len(ids))})",
                ids,
            )
            rows = {row[0]: row[1:] for row in cursor.fetchall()}
        wanted = sorted({t for alternatives in groups for terms, _f in alternatives for t in terms})
        # Terms are separated by single spaces: one pass per field finds every wanted term in it
        # (a whole term: space or the end on both sides), instead of one count per term and field.
        pattern = re.compile(r"(?<![^ ])(?:" + "|".join(map(re.escape, wanted)) + r")(?![^ ])")
        scores = {}
        for doc_id, level, boost in candidates:
            texts = rows.get(doc_id)
            if texts is None:
                continue
            length = 0
            frequencies = []
            for i, text in enumerate(texts):
                if not text:
                    continue
                length += text.count(" ") + 1
                if FTS_WEIGHTS[i] and (found := pattern.findall(text)):
                    frequencies.append((FTS_WEIGHTS[i], Counter(found)))
            norm = BM25_K1 * (1 - BM25_B + BM25_B * length / average)
            # Each term found: its BM25 sum over the fields, computed once.
            term_scores: dict[str, float] = {}
            for weight, counts in frequencies:
                for t, tf in counts.items():
                    term_scores[t] = term_scores.get(t, 0.0) + idf[t] * weight * tf * (BM25_K1 + 1) / (tf + norm)
            total = 0.0
            for alternatives in groups:
                best = 0.0
                for terms, factor in alternatives:
                    if all(t in term_scores for t in terms):
                        best = max(best, sum(term_scores[t] for t in terms) * factor)
                total += best
            scores[doc_id] = (total + (bonus_values.get(level, 0.0) if level else 0.0)) * boost
        return scores


def _varints(data: bytes) -> list[int]:
    """SQLite's variable-length integers, one after another (FTS5's averages record)."""
    values, i = [], 0
    while i < len(data):
        value = 0
        for k in range(9):
            byte = data[i]
            i += 1
            if k == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values


class _PostgreSQL:
    """tsvector columns: `search_vector` (everything, weighted) matched through its GIN index, its
    title, labels, definition and tags (`ts_filter(…, '{a,b}')`, a GIN index of their own) for the
    cheap first score, and the smaller `rank_vector` that `ts_rank_cd` scores the candidates on."""

    @staticmethod
    def quote(term: str) -> str:
        return "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"

    def alternative(self, terms) -> str:
        return self.quote(terms[0]) if len(terms) == 1 else "(" + " & ".join(map(self.quote, terms)) + ")"

    def any_of(self, alternatives, weights: str = "") -> str:
        """Any of the alternatives; `weights` (":AB") restricts each term to those weights."""
        if weights:
            alternatives = [[t + weights for t in map(self.quote, terms)] for terms in alternatives]
            return "(" + " | ".join(a[0] if len(a) == 1 else "(" + " & ".join(a) + ")" for a in alternatives) + ")"
        return "(" + " | ".join(self.alternative(t) for t in alternatives) + ")"

    def write(self, rows, fresh: bool) -> None:
        table = _table(SearchDocument)
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                chunk = rows[start : start + BATCH]
                values = ", ".join(["(%s::bigint, %s, %s, %s, %s, %s, %s)"] * len(chunk))
                params = []
                for row_id, fields in chunk:
                    params += [
                        row_id,
                        " ".join((fields["title"], fields["exact"], fields["labels"])),
                        fields["definition"] + " " + fields["tags"],
                        fields["summary"],
                        fields["body"],
                        " ".join(fields["body"].split()[:RANK_BODY_TERMS]),
                        fields["words"],
                    ]
                cursor.execute(
                    f"UPDATE {table} AS d SET search_vector = v.h || "  # noqa: S608 - only placeholders are interpolated
                    "setweight(to_tsvector('simple', v.c), 'C') || setweight(to_tsvector('simple', v.e), 'D'), "
                    "rank_vector = v.h || setweight(to_tsvector('simple', v.c), 'C') || "
                    "setweight(to_tsvector('simple', v.l), 'D'), title_vector = to_tsvector('simple', v.w) "
                    "FROM (SELECT id, setweight(to_tsvector('simple', a), 'A') || "
                    "setweight(to_tsvector('simple', b), 'B') AS h, c, e, l, w "
                    f"FROM (VALUES {values}) AS x (id, a, b, c, e, l, w)) AS v WHERE d.id = v.id",
                    params,
                )

    def clear(self) -> None:
        pass  # the vectors are columns of the documents, deleted with them

    def indexed_terms(self, keys) -> dict[str, set[str]]:
        """The searched terms of each of these documents (by key) the index holds now (before a change)."""
        keys = list(keys)
        if not keys:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT key, tsvector_to_array(search_vector) FROM {_table(SearchDocument)} "  # noqa: S608
                f"WHERE key IN ({', '.join(['%s'] * len(keys))}) AND search_vector IS NOT NULL",
                keys,
            )
            return {row[0]: {t for t in row[1] if not t.startswith(EXACT_PREFIX)} for row in cursor.fetchall()}

    def total_sql(self) -> str:
        # The planner's row estimate once the table is large (exact enough for an idf), else a count.
        table = _table(SearchDocument)
        return (
            "SELECT CASE WHEN c.reltuples >= 10000 THEN c.reltuples::bigint "  # noqa: S608 - a fixed name
            f"ELSE (SELECT COUNT(*) FROM {table}) END FROM pg_class c WHERE c.oid = '{table}'::regclass"
        )

    def greatest(self) -> str:
        return "GREATEST"

    def matched(
        self,
        groups,
        bonus,
        required: int,
        where: str,
        where_params: list,
        weights: list[float],
        few=False,
        sample=None,
        live=None,
    ):
        """As `_SQLite.matched` (GIN intersects the lists itself; `live`: groups no document holds
        are left out of the condition it tests). `few` (an estimate): few documents match
        `required` of the groups. The sample is
        `d.id % SAMPLE_BUCKETS < sample` (an expression index, migration 0004), so that the GIN
        index's rows and the sample's are intersected before a row is read."""
        if few and required > 1 and sample is None:
            return self.matched_rows(groups, bonus, required, where, where_params, weights, live)
        table = _table(SearchDocument)
        parts, params = [], []
        columns = (
            "d.id AS id, {c:d} AS c, {f} AS f, {b:d} AS b, {s} AS s, "
            "d.boost AS boost, d.doc_type AS doc_type, d.year AS year"
        )
        queries = [self.any_of([t for t, _f in alternatives]) for alternatives in groups]
        # With several words only documents matching `required` of them count: the GIN index finds
        # those (any `required` of the groups) before a row is read, when that is few combinations.
        restrict = ""
        alive = _alive(queries, live, required)
        if required > 1 and math.comb(len(alive), required) <= MAX_COMBINATIONS:
            restrict = " & " + _at_least(required, alive)
        keep, keep_params, in_sample = "", [], "1"
        if sample is not None:
            in_sample = f"(d.id %% {SAMPLE_BUCKETS:d} < {sample:d})::int"
            keep_params = [" | ".join(queries + [self.any_of([(t,) for t in terms]) for terms, _v in bonus])]
            keep = f" AND (d.id %% {SAMPLE_BUCKETS:d} < {sample:d} OR {PG_HEAD} @@ to_tsquery('simple', %s))"
        for g, query in enumerate(queries):
            parts.append(
                f"SELECT {columns.format(c=1, f=f'{weights[g]:.4f}', b=99, s=in_sample)} FROM {table} d "  # noqa: S608
                f"WHERE d.search_vector @@ to_tsquery('simple', %s){keep} AND {where}"
            )
            parts.append(
                f"SELECT {columns.format(c=0, f=f'{3 * weights[g]:.4f}', b=99, s=0)} FROM {table} d "  # noqa: S608
                f"WHERE {PG_HEAD} @@ to_tsquery('simple', %s) AND {where}"
            )
            params += [query + restrict, *keep_params, *where_params, query, *where_params]
        for level, (terms, value) in enumerate(bonus, 1):
            parts.append(
                f"SELECT {columns.format(c=0, f=f'{FIRST_EXACT * value:g}', b=level, s=0)} FROM {table} d "  # noqa: S608
                f"WHERE {PG_HEAD} @@ to_tsquery('simple', %s) AND {where}"
            )
            params += [self.any_of([(t,) for t in terms]), *where_params]
        sql = (
            "SELECT id, SUM(c) AS coverage, SUM(f) * boost AS first, "  # noqa: S608 - only placeholders are interpolated
            "CASE WHEN MIN(b) = 99 THEN 0 ELSE MIN(b) END AS bonus, doc_type, year, boost, MAX(s) AS sampled "
            f"FROM ({' UNION ALL '.join(parts)}) x GROUP BY id, boost, doc_type, year "
            f"HAVING SUM(c) >= {required:d}"
        )
        return sql, params

    def matched_rows(
        self, groups, bonus, required: int, where: str, where_params: list, weights: list[float], live=None
    ):
        """As `matched`, in one pass over the rows the GIN index finds: those matching any
        `required` of the groups (when that is a few combinations; else any group, and the rest is
        left to the coverage). Coverage, head (weights A and B) and exact titles are then tested on
        each such row's vector, which is small; no row is read that cannot match."""
        queries = [self.any_of([t for t, _f in alternatives]) for alternatives in groups]
        heads = [self.any_of([t for t, _f in alternatives], ":AB") for alternatives in groups]
        alive = _alive(queries, live, required)
        if required > 1 and math.comb(len(alive), required) <= MAX_COMBINATIONS:
            match = _at_least(required, alive)
        else:
            match = " | ".join(queries)
        vector = "v.vector @@ to_tsquery('simple', %s)"
        coverage = " + ".join(f"({vector})::int" for _q in queries)
        first = " + ".join(f"{w:.4f} * (({vector})::int + 2 * ({vector})::int)" for w in weights)
        params = list(queries) + [p for q, h in zip(queries, heads, strict=True) for p in (q, h)]
        bonus_sql = "0"
        if bonus:
            first += " + " + " + ".join(f"{FIRST_EXACT * value:g} * ({vector})::int" for _t, value in bonus)
            whens = " ".join(f"WHEN {vector} THEN {level:d}" for level, _b in enumerate(bonus, 1))
            bonus_sql = f"CASE {whens} ELSE 0 END"
            exact = [self.any_of([(t,) for t in terms], ":A") for terms, _value in bonus]
            params += exact + exact
        table = _table(SearchDocument)
        # The vector is read (and decompressed) once per row, not once per test: `|| ''` makes a
        # plain copy that the tests share (OFFSET 0 keeps the subquery from being merged away).
        rows = (
            "SELECT d.id AS id, d.doc_type AS doc_type, d.year AS year, d.boost AS boost, "  # noqa: S608
            f"d.search_vector || ''::tsvector AS vector FROM {table} d "
            f"WHERE d.search_vector @@ to_tsquery('simple', %s) AND {where} OFFSET 0"
        )
        sql = (
            f"SELECT * FROM (SELECT v.id AS id, {coverage} AS coverage, ({first}) * v.boost AS first, "  # noqa: S608
            f"{bonus_sql} AS bonus, v.doc_type AS doc_type, v.year AS year, v.boost AS boost, 1 AS sampled "
            f"FROM ({rows}) v) m WHERE coverage >= {required:d}"
        )
        return sql, params + [match, *where_params]

    def scored(self, candidates_sql: str, groups, weights_by_alternative, bonus_values):
        """SQL of (id, score) for the candidates (`candidates_sql`: id, bonus): `ts_rank_cd` on the
        rank vector per alternative, saturated, times its weight; a group scores its best
        alternative, groups add up, the exact-title bonus is added, all times the boost."""
        ranks, rank_params, score_parts = [], [], []
        for g, alternatives in enumerate(groups):
            best = []
            for a, (terms, _factor) in enumerate(alternatives):
                rank = f"k.r{len(ranks)}"
                ranks.append(f"ts_rank_cd('{PG_WEIGHTS}', d.rank_vector, to_tsquery('simple', %s)) AS r{len(ranks)}")
                rank_params.append(self.alternative(terms))
                # Saturated as BM25's term frequency is: many mentions in the body do not add up
                # to more than a title, and a title with five labels not to five titles.
                best.append(f"{rank} / ({rank} + {PG_SATURATION:g}) * {weights_by_alternative[g][a]:.4f}")
            score_parts.append(best[0] if len(best) == 1 else f"GREATEST({', '.join(best)})")
        whens = " ".join(f"WHEN {level:d} THEN {value:g}" for level, value in bonus_values.items())
        bonus_sql = f"CASE c.bonus {whens} ELSE 0 END" if whens else "0"
        sql = (
            f"SELECT c.id AS id, ({' + '.join(score_parts)} + {bonus_sql}) * d.boost AS score "  # noqa: S608
            f"FROM ({candidates_sql}) c JOIN {_table(SearchDocument)} d ON d.id = c.id, "
            f"LATERAL (SELECT {', '.join(ranks)} OFFSET 0) k"
        )
        return sql, rank_params

    def near_candidates(self, term: str, low: int, high: int) -> list[tuple[str, str, int]]:
        """Vocabulary terms similar by trigrams (pg_trgm's GIN index; the first letter may differ)
        that some document holds and that can be suggested: (term, word, documents)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, word, documents FROM {_table(SearchVocabulary)} "  # noqa: S608 - only placeholders
                "WHERE term %% %s AND length BETWEEN %s AND %s AND documents > 0 AND word <> '' "
                "ORDER BY similarity(term, %s) DESC LIMIT 200",
                [term, low, high, term],
            )
            return cursor.fetchall()

    def autocomplete(self, words: list[str], exclude_types, limit: int) -> list[tuple]:
        query = " <-> ".join(self.quote(w) for w in words) + ":*"
        start = " " + " ".join(words).replace("%", "").replace("_", "") + "%"
        # Titles that start with what is typed first, then titles with a later word that does; at
        # most AUTOCOMPLETE_CANDIDATES of each are ordered (a prefix of two common letters matches
        # thousands at 50,000 pages, and sorting them all cost tens of milliseconds).
        part = (
            "(SELECT d.id, d.title, d.url, d.doc_type, d.page_id, d.boost, {later:d} AS later "  # noqa: S608
            f"FROM {_table(SearchDocument)} d WHERE d.title_vector @@ to_tsquery('simple', %s) "
            "AND d.title_norm {like} %s "
            f"AND d.doc_type NOT IN ({_placeholders(exclude_types)}) LIMIT {AUTOCOMPLETE_CANDIDATES:d})"
        )
        # As for searches, the GIN index must find the titles: with LIMIT the planner would rather
        # read the table from the start until enough titles pass (59 ms at 50,000 pages, 16 this way).
        return DatabaseEngine._execute(
            "SELECT id, title, url, doc_type, page_id FROM ("  # noqa: S608 - only placeholders
            f"{part.format(later=0, like='LIKE')} UNION ALL {part.format(later=1, like='NOT LIKE')}"
            ") c ORDER BY later, boost DESC, title LIMIT %s",
            [query, start, *exclude_types, query, start, *exclude_types, limit],
        )


def _alive(queries: list[str], live, required: int) -> list[str]:
    """The groups' queries less those of groups no document holds (`live` 0): they never count
    towards `required`, and a smaller condition is less for GIN to test on every listed row. All
    of them when fewer than `required` are left (nothing matches then anyway)."""
    alive = [q for q, size in zip(queries, live or [1] * len(queries), strict=True) if size]
    return alive if len(alive) >= required else queries


def _blocks(others: list[int], size: int) -> list[list[int]]:
    """Disjoint blocks of `size` of the groups `others` (rarest first; the rest left out), one of
    which a match holds in every block: a document matching `required` groups and this one misses
    at most `size` - 1 of the others, too few to miss a whole block (pigeonhole)."""
    if size < 1:
        return []  # fewer groups can match than are required: nothing matches anyway
    return [others[i : i + size] for i in range(0, len(others) - size + 1, size)]


def _at_least(k: int, queries: list[str]) -> str:
    """A tsquery true when at least `k` of `queries` are: split in halves, i of the first half and
    k - i of the second. The same condition as every combination of k, a fraction of its size
    (21 combinations of 5 of 7 words are 105 terms, this 40), and GIN tests it on every row the
    words' lists hold."""
    n = len(queries)
    if k <= 0:
        return ""
    if k == 1:
        return queries[0] if n == 1 else "(" + " | ".join(queries) + ")"
    if k == n:
        return "(" + " & ".join(queries) + ")"
    left, right = queries[: n // 2], queries[n // 2 :]
    options = []
    for i in range(max(0, k - len(right)), min(k, len(left)) + 1):
        parts = [p for p in (_at_least(i, left), _at_least(k - i, right)) if p]
        options.append(parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")")
    return options[0] if len(options) == 1 else "(" + " | ".join(options) + ")"


def _expected_matches(plan: QueryPlan, required: int) -> float:
    """How many documents would match `required` of the groups if words fell independently (each
    group as likely as its commonest alternative): enough to tell a handful from thousands."""
    chances = [0.0] * (len(plan.groups) + 1)
    chances[0] = 1.0
    for group in plan.groups:
        p = min(
            max((plan.df.get(t, 0) for terms, _f in group.alternatives for t in terms), default=0) / plan.total, 1.0
        )
        for k in range(len(chances) - 1, 0, -1):
            chances[k] = chances[k] * (1 - p) + chances[k - 1] * p
        chances[0] *= 1 - p
    return plan.total * sum(chances[required:])


def _sample_buckets(expected: float) -> int | None:
    """How many of the SAMPLE_BUCKETS buckets a bounded match takes (about SAMPLE_TARGET of the
    expected matches), or None to match every document (few are expected)."""
    if expected <= SAMPLE_ABOVE:
        return None
    return max(1, min(SAMPLE_BUCKETS - 1, math.ceil(SAMPLE_BUCKETS * SAMPLE_TARGET / expected)))


def _facets_sql(names, sampled: bool = False) -> tuple[str, list]:
    """`UNION ALL` parts counting the facet values of the documents in `m` (of its sample only
    when `sampled`): the type and the year from the documents' own columns, the others from the
    facet table (its covering index)."""
    sql, params = "", []
    m = "(SELECT * FROM m WHERE sampled = 1) m" if sampled else "m"
    if "typ" in names:
        sql += f" UNION ALL SELECT 2, COUNT(*), NULL, 'typ', doc_type, NULL FROM {m} GROUP BY doc_type"  # noqa: S608
    if "ar" in names:
        sql += (
            f" UNION ALL SELECT 2, COUNT(*), NULL, 'ar', CAST(year AS TEXT), NULL FROM {m} "  # noqa: S608
            "WHERE year IS NOT NULL GROUP BY year"
        )
    others = [name for name in names if name not in ("typ", "ar")]
    if others:
        # From each matching document to its values (the covering index), never the other way round.
        join = (
            f"{m} CROSS JOIN {_table(SearchFacet)} f INDEXED BY search_facet_doc_value"
            if connection.vendor == "sqlite"
            else f"{m} JOIN {_table(SearchFacet)} f ON TRUE"
        )
        sql += (
            " UNION ALL SELECT 2, COUNT(*), NULL, f.facet, f.value, MIN(f.label) "  # noqa: S608 - only placeholders
            f"FROM {join} WHERE f.document_id = m.id "
            f"AND f.facet IN ({', '.join(['%s'] * len(others))}) GROUP BY f.facet, f.value"
        )
        params += others
    return sql, params


def _facet_label(facet: str, value, label) -> str:
    if facet == "typ":
        return TYPE_LABELS.get(value, value)
    if facet == "ar":
        return str(value)
    return label


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

    def index_documents(
        self, documents, fresh: bool = False, vocabulary: dict | None = None, counts: Counter | None = None
    ) -> None:
        """Add or replace documents. `fresh`: the index holds none of them (a rebuild), so rows are
        inserted in bulk without looking for old ones. `vocabulary` and `counts`: collect the
        documents' words and their document counts there (a rebuild writes them once at the end)
        instead of writing them now."""
        documents = [d for d in documents if d is not None]
        if not documents:
            return
        db = dialect()
        with transaction.atomic():
            if fresh:
                rows = SearchDocument.objects.bulk_create([self._row(d) for d in documents], batch_size=BATCH)
                before: dict[str, set[str]] = {}
            else:
                before = db.indexed_terms(d.key for d in documents)
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
            db.write([(row.pk, fields) for row, (fields, _words) in zip(rows, analysed, strict=True)], fresh)
            words = {} if vocabulary is None else vocabulary
            delta = Counter() if counts is None else counts
            for document, (fields, document_words) in zip(documents, analysed, strict=True):
                for term, word in document_words.items():
                    if term not in words or len(word) < len(words[term]):
                        words[term] = word
                now = counted_terms(fields)
                old = before.get(document.key, set())
                delta.update(now - old)
                delta.subtract(old - now)
            if counts is None:
                self.add_vocabulary(words, delta)

    def add_vocabulary(self, words: dict[str, str], counts: Counter) -> None:
        """Add the changes in `counts` (term → documents gained or lost; a rebuild: term → count)
        to the vocabulary's document counts, new terms with their words from `words` (term → its
        shortest word; none: a term only ever seen in tags, counted but never suggested)."""
        gained = [
            (term, words.get(term, "")[:TERM_MAX_LENGTH], len(term), change)
            for term, change in sorted(counts.items())
            if term and change > 0 and len(term) <= TERM_MAX_LENGTH
        ]
        lost = [(term, -change) for term, change in sorted(counts.items()) if change < 0]
        greatest = dialect().greatest()
        table = _table(SearchVocabulary)
        with connection.cursor() as cursor:
            for start in range(0, len(gained), BATCH):
                chunk = gained[start : start + BATCH]
                cursor.execute(
                    f"INSERT INTO {table} (term, word, length, documents) "  # noqa: S608
                    f"VALUES {', '.join(['(%s, %s, %s, %s)'] * len(chunk))} ON CONFLICT (term) DO UPDATE SET "
                    f"documents = {table}.documents + excluded.documents, "
                    f"word = CASE WHEN {table}.word = '' THEN excluded.word ELSE {table}.word END",
                    [value for row in chunk for value in row],
                )
            for start in range(0, len(lost), BATCH):
                chunk = lost[start : start + BATCH]
                cursor.execute(
                    f"WITH v (term, n) AS (VALUES {', '.join(['(%s, CAST(%s AS INTEGER))'] * len(chunk))}) "  # noqa: S608
                    f"UPDATE {table} SET documents = {greatest}(documents - v.n, 0) FROM v WHERE {table}.term = v.term",
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
        keys = list(keys)
        if not keys:
            return
        with transaction.atomic():
            removed = Counter()
            for terms in dialect().indexed_terms(keys).values():
                removed.subtract(terms)
            SearchDocument.objects.filter(key__in=keys).delete()
            self.add_vocabulary({}, removed)

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
        plan.df, plan.total = self.document_counts(t for group in groups for a, _f in group.alternatives for t in a)
        self._add_near_spellings(plan)
        if len(groups) == 1 or (groups and all(group.concept for group in groups)):
            # One concept named any way at all, or only concepts ("skillnad mellan effekt och
            # resultat"): each of their labels as a whole title counts too.
            for group in groups:
                for sequence, factor in group.alternatives:
                    plan.bonus.setdefault(_exact_term(sequence), factor)
        return plan

    @staticmethod
    def document_counts(terms) -> tuple[dict[str, int], int]:
        """How many documents hold each term (from the vocabulary), and how many there are: one query."""
        terms = sorted(t for t in set(terms) if _literal(t))
        placeholders = ", ".join(["%s"] * len(terms)) or "''"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, documents FROM {_table(SearchVocabulary)} "  # noqa: S608 - only placeholders
                f"WHERE term IN ({placeholders}) AND documents > 0 UNION ALL SELECT '', ({dialect().total_sql()})",
                terms,
            )
            rows = cursor.fetchall()
        return {term: count for term, count in rows if term}, max(next((c for t, c in rows if not t), 1) or 1, 1)

    def near_terms(self, term: str) -> list[tuple[str, str, int, int]]:
        """Indexed terms within typing distance of `term`: (term, word, distance, documents), nearest first."""
        limit = allowed_typos(term)
        if limit == 0 or term.startswith(EXACT_PREFIX) or term.isdigit():
            return []
        found = []
        for candidate, word, documents in dialect().near_candidates(term, len(term) - limit, len(term) + limit):
            distance = edit_distance(term, candidate, limit)
            if distance <= limit and candidate != term:
                found.append((candidate, word, distance, documents))
        found.sort(key=lambda f: (f[2], f[0]))
        return found[: MAX_FUZZY_CANDIDATES * 3]

    def _add_near_spellings(self, plan: QueryPlan) -> None:
        """Words no document holds get the nearest indexed words as alternatives."""
        single = [g for g in plan.groups if len(g.alternatives) == 1 and len(g.alternatives[0][0]) == 1]
        missing = [g for g in single if not plan.df.get(g.alternatives[0][0][0])][:MAX_FUZZY_WORDS]
        for group in missing:
            # Nearest first, then the most common: the likeliest intended word.
            found = sorted(self.near_terms(group.alternatives[0][0][0]), key=lambda c: (c[2], -c[3], c[0]))
            for candidate, _word, distance, documents in found[:MAX_FUZZY_CANDIDATES]:
                group.alternatives.append(((candidate,), 0.6 / distance))
                plan.df[candidate] = documents
            if found:
                group.corrected = found[0][1]

    @staticmethod
    def suggestion_for(query: str, plan: QueryPlan) -> str | None:
        """The query with each word the index lacks replaced by its nearest indexed word ("Menade du …?")."""
        return corrected_query(query, {g.words[0]: g.corrected for g in plan.groups if g.corrected})

    # --- searching ------------------------------------------------------------------------------

    @staticmethod
    def _where(filters: Filters, hidden) -> tuple[str, list]:
        """The condition (on the document `d`) for the documents a visitor may see that pass the
        filters, and its params. `hidden`: ids of live pages still in the index a visitor may not see."""
        where, params = ["1 = 1"], []
        if hidden:
            where.append(f"(d.page_id IS NULL OR d.page_id NOT IN ({', '.join(['%s'] * len(hidden))}))")
            params += list(hidden)
        for facet, values in filters.values:
            if facet == "typ":  # the type and the year are columns of the document itself
                where.append(f"d.doc_type IN ({', '.join(['%s'] * len(values))})")
                params += list(values)
            elif facet == "ar":
                years = [int(v) for v in values if v.isdigit() and len(v) <= 4]
                where.append(f"d.year IN ({', '.join(['%s'] * len(years))})" if years else "1 = 0")
                params += years
            else:
                where.append(
                    f"d.id IN (SELECT document_id FROM {_table(SearchFacet)} "  # noqa: S608
                    f"WHERE facet = %s AND value IN ({', '.join(['%s'] * len(values))}))"
                )
                params += [facet, *values]
        return " AND ".join(where), params

    @staticmethod
    def _idf(plan: QueryPlan, terms) -> float:
        """A smooth idf (1 + log(N / df)) of the rarest of the terms: a rare synonym does not
        outweigh the word that was typed."""
        df = max(min((plan.df.get(t, 0) for t in terms), default=0), 1)
        return 1.0 + math.log(max(plan.total / df, 1.0))

    def _matched_sql(self, plan: QueryPlan, filters: Filters, hidden=(), bounded: bool = True):
        """SQL selecting (id, coverage, first, bonus, doc_type, year, boost, sampled) of every
        matching document a visitor may see (or of a bounded sample and the pool, see
        SAMPLE_ABOVE), its params, the exact-title levels (terms, factor), and whether it is bounded."""
        where, where_params = self._where(filters, hidden)
        weights = [max(f * self._idf(plan, t) for t, f in group.alternatives) for group in plan.groups]
        bonus = {term: factor for term, factor in plan.bonus.items() if _literal(term)}
        levels = _bonus_levels(bonus, 1.0)
        groups = [group.alternatives for group in plan.groups]
        required = plan.required_groups()
        expected = _expected_matches(plan, required)
        sample = _sample_buckets(expected) if bounded else None
        # About how many documents each group's list holds; 0: none (a word not in the index,
        # without near spellings), so the group cannot match.
        live = [sum(min(plan.df.get(t, 0) for t in terms) for terms, _f in group) for group in groups]
        sql, params = dialect().matched(
            groups, levels, required, where, where_params, weights, expected <= FEW_MATCHES, sample, live
        )
        return sql, params, levels, sample is not None

    def search(
        self, query: str, filters: Filters, offset: int, limit: int, concepts=None, private_q=None
    ) -> EngineResult:
        if concepts is None:
            concepts = glossary.published_glossary(private_q)
        plan = self.plan(query, concepts)
        if not plan.groups:
            return EngineResult(total=0)
        hidden = hidden_live_page_ids()
        selected = filters.as_dict()
        own = [name for name in FACETS if name not in selected]
        bounded = True
        while True:
            sql, params, levels, sampled = self._matched_sql(plan, filters, hidden, bounded)
            rows, hits = self._search_rows(plan, sql, params, levels, own, sampled, offset, limit)
            total = next((row[1] for row in rows if row[0] == 1), 0)
            if not sampled or total > COUNT_LIMIT:
                break
            bounded = False  # fewer matches than estimated: match them all, for exact counts
        facets: dict[str, list[FacetCount]] = {name: [] for name in FACETS}
        for _kind, count, _score, facet, value, label in (row for row in rows if row[0] == 2):
            facets[facet].append(FacetCount(value=str(value), label=_facet_label(facet, value, label), count=count))
        facets_sampled = sampled
        # A facet's own selection does not narrow its counts: OR within a facet, AND between facets.
        for name in selected:
            other_sql, other_params, _levels, other_sampled = self._matched_sql(plan, filters.without(name), hidden)
            facets[name] = self._facet_counts(other_sql, other_params, name, other_sampled)
            facets_sampled = facets_sampled or other_sampled
        return EngineResult(
            total=min(total, COUNT_LIMIT) if sampled else total,
            total_exact=not sampled,
            hits=self._hits(hits, plan, private_q),
            facets=facets,
            facets_exact=not facets_sampled,
            suggestion=self.suggestion_for(query, plan),
        )

    def _search_rows(self, plan: QueryPlan, sql, params, levels, own, sampled: bool, offset: int, limit: int):
        """One statement: the candidates (SQLite) or the page of hits (PostgreSQL), the number of
        matches and the facets, from one evaluation of the match; (rows, hits) as (id, score)."""
        facets_sql, facets_params = _facets_sql(own, sampled)
        if isinstance(dialect(), _PostgreSQL):
            ranked_sql, ranked_params = self._ranked_sql(plan, levels, offset, limit)
            statement = (
                f"WITH m AS MATERIALIZED ({sql}), {ranked_sql} "  # noqa: S608 - only placeholders are interpolated
                "UNION ALL SELECT 1, COUNT(*), NULL, NULL, NULL, NULL FROM m" + facets_sql
            )
            rows = self._execute(statement, params + ranked_params + facets_params)
            return rows, [(row[1], row[2]) for row in rows if row[0] == 0]
        statement = (
            f"WITH m AS MATERIALIZED ({sql}) "  # noqa: S608 - only placeholders are interpolated
            "SELECT 0, id, boost, coverage, bonus, first FROM "
            f"(SELECT * FROM m ORDER BY coverage DESC, first DESC, id LIMIT {CANDIDATES:d}) c "
            "UNION ALL SELECT 1, COUNT(*), NULL, NULL, NULL, NULL FROM m" + facets_sql
        )
        rows = self._execute(statement, params + facets_params)
        candidates = [row[1:] for row in rows if row[0] == 0]
        hits = self._sqlite_ranked(plan, levels, candidates)[offset : offset + limit]
        if offset + limit > len(candidates) == CANDIDATES:
            # Past the candidates: in the order of the first score.
            start = max(offset, CANDIDATES)
            more = self._execute(
                f"SELECT id, first FROM ({sql}) m ORDER BY coverage DESC, first DESC, id LIMIT %s OFFSET %s",  # noqa: S608
                params + [offset + limit - start, start],
            )
            hits += more
        return rows, hits

    def _ranked_sql(self, plan: QueryPlan, levels, offset: int, limit: int, pages_only: bool = False):
        """PostgreSQL: CTEs after `m` ending in `SELECT 0, id, score, …` of the page of hits: the best
        candidates by the first score scored in full (`scored`), the others after them by the first score."""
        groups = [
            [(terms, factor * self._idf(plan, terms)) for terms, factor in group.alternatives] for group in plan.groups
        ]
        weights_by_alternative = [[w for _t, w in group] for group in groups]
        bonus_values = {level: EXACT_BONUS * value for level, (_terms, value) in enumerate(levels, 1)}
        scope = (
            f"SELECT * FROM m WHERE EXISTS (SELECT 1 FROM {_table(SearchDocument)} d "  # noqa: S608
            "WHERE d.id = m.id AND d.page_id IS NOT NULL)"
            if pages_only
            else "SELECT * FROM m"
        )
        candidates = "SELECT id, bonus FROM c"
        scored, scored_params = dialect().scored(candidates, groups, weights_by_alternative, bonus_values)
        if offset + limit <= CANDIDATES:
            page = (
                "SELECT c.id, r.score FROM c JOIN r ON r.id = c.id "
                "ORDER BY c.coverage DESC, r.score DESC, c.id LIMIT %s OFFSET %s"
            )
        else:
            page = (
                f"SELECT s.id, COALESCE(r.score, s.first) AS score FROM ({scope}) s LEFT JOIN r ON r.id = s.id "  # noqa: S608
                "ORDER BY s.coverage DESC, CASE WHEN r.id IS NULL THEN 1 ELSE 0 END, r.score DESC, s.first DESC, s.id "
                "LIMIT %s OFFSET %s"
            )
        sql = (
            f"c AS MATERIALIZED ({scope} ORDER BY coverage DESC, first DESC, id LIMIT {CANDIDATES:d}), "  # noqa: S608
            f"r AS MATERIALIZED ({scored}) "
            f"SELECT 0, id, score, NULL, NULL, NULL FROM ({page}) h "
        )
        return sql, scored_params + [limit, offset]

    def _sqlite_ranked(self, plan: QueryPlan, levels, candidates) -> list[tuple[int, float]]:
        """SQLite: the candidates (id, boost, coverage, bonus, first) scored in full, best first."""
        groups = [group.alternatives for group in plan.groups]
        idf = {t: self._idf(plan, (t,)) for group in groups for terms, _f in group for t in terms}
        bonus_values = {level: EXACT_SCORE * value for level, (_terms, value) in enumerate(levels, 1)}
        scores = _SQLite().scores([(c[0], c[3], c[1]) for c in candidates], groups, idf, bonus_values)
        coverage = {c[0]: c[2] for c in candidates}
        ranked = sorted(scores.items(), key=lambda item: (-coverage[item[0]], -item[1], item[0]))
        return ranked

    def ranked_page_ids(self, query: str, limit: int, concepts=None, private_q=None) -> list[int]:
        """The ids of the pages matching a query, best first, as `search` ranks them (for the API)."""
        if concepts is None:
            concepts = glossary.published_glossary(private_q)
        plan = self.plan(query, concepts)
        if not plan.groups:
            return []
        sql, params, levels, _sampled = self._matched_sql(plan, Filters(), hidden_live_page_ids())
        table = _table(SearchDocument)
        if isinstance(dialect(), _PostgreSQL):
            ranked_sql, ranked_params = self._ranked_sql(plan, levels, 0, limit, pages_only=True)
            rows = self._execute(f"WITH m AS MATERIALIZED ({sql}), {ranked_sql}", params + ranked_params)
            ids = [row[1] for row in rows]
        else:
            rows = self._execute(
                f"SELECT m.id, m.boost, m.coverage, m.bonus, m.first FROM ({sql}) m JOIN {table} d ON d.id = m.id "  # noqa: S608
                "WHERE d.page_id IS NOT NULL ORDER BY m.coverage DESC, m.first DESC, m.id LIMIT %s",
                params + [limit],
            )
            head = [doc_id for doc_id, _score in self._sqlite_ranked(plan, levels, rows[:CANDIDATES])]
            ids = head + [row[0] for row in rows[CANDIDATES:]]
        pages = dict(SearchDocument.objects.filter(pk__in=ids).values_list("pk", "page_id"))
        return [pages[i] for i in ids if pages.get(i)]

    @staticmethod
    def _execute(statement, params) -> list[tuple]:
        with connection.cursor() as cursor:
            if connection.vendor != "sqlite":
                # Matching is the GIN indexes' work: with a common word the planner would rather
                # read the whole table (every vector), which is what made searches slow. For this
                # statement only; JIT compiling and parallel workers cost more than it takes.
                with transaction.atomic():
                    cursor.execute(
                        "SET LOCAL enable_seqscan = off; SET LOCAL jit = off; "
                        "SET LOCAL max_parallel_workers_per_gather = 0"
                    )
                    cursor.execute(statement, params)
                    return cursor.fetchall()
            # A quoted word FTS5 still cannot read (a character its tokenizer sees differently)
            # finds nothing rather than failing the page; SQLite's transaction survives the error.
            try:
                cursor.execute(statement, params)
                return cursor.fetchall()
            except DatabaseError:
                return []

    def _facet_counts(self, matched_sql, params, facet: str, sampled: bool = False) -> list[FacetCount]:
        facets_sql, facets_params = _facets_sql([facet], sampled)
        rows = self._execute(
            f"WITH m AS MATERIALIZED ({matched_sql}) SELECT 0, 0, NULL, NULL, NULL, NULL WHERE 1 = 0" + facets_sql,  # noqa: S608
            params + facets_params,
        )
        return [
            FacetCount(value=str(value), label=_facet_label(name, value, label), count=count)
            for _kind, count, _score, name, value, label in rows
        ]

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
