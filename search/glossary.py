"""The glossary as the search sees it: the single source of synonyms and of the definition card.

Every live, public concept contributes one synonym group: its term, English term and other
English labels, other labels and hidden labels. Both engines expand queries with these groups (the database engine here,
Elasticsearch through a synonyms set generated from them), and the definition card is matched
here, the same way for both engines.
"""

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from django.urls import reverse
from wagtail.models import Site

from larande.glossary.models import split_labels
from larande.models import ConceptPage, ConceptStatus
from portal.content_cache import cached_on_content
from portal.content_version import content_version
from portal.visibility import visible_pages

from .text import STOP_WORDS, analyse, edit_distance, fold, stem, tokenise

# Words people wrap around a term when they ask what it means ("vad betyder utfall?").
_QUESTION_WORDS = (
    "betyder betyda betydelse betydelsen menas mening meningen innebär innebörd innebörden definition "
    "definitionen definiera definierar definieras förklara förklaring begreppet termen ordet "
    # A question comparing two concepts ("skillnad mellan effekt och resultat") is about the two.
    "skillnad skillnaden skillnader jämför jämföra jämförelse versus vs "
    "what is are the a an meaning of mean means define definition difference between compare"
)


@dataclass(frozen=True)
class Concept:
    """A live, public concept with every form that names it (the term first)."""

    id: int
    title: str
    url: str
    definition: str
    level: str
    deprecated: bool
    use_instead_id: int | None
    labels: tuple[str, ...]
    hidden: frozenset[str] = frozenset()  # labels (lower case) that are for finding only, never shown
    other_labels: tuple[str, ...] = ()  # the "andra benämningar" alone, without the term
    explain: bool = True  # whether pages explain the concept where they use it (larande.glossary.terms)

    def is_hidden(self, label: str) -> bool:
        return label.lower() in self.hidden


@dataclass(frozen=True)
class DefinitionCard:
    """What the search shows first when the query names a concept."""

    title: str
    url: str
    definition: str
    level: str = ""
    matched_label: str = ""
    replacement_title: str = ""
    replacement_url: str = ""

    def as_json(self) -> dict:
        return {"title": self.title, "url": self.url, "definition": self.definition}


def page_url(url_path: str, root_paths, serve_prefix: str) -> str | None:
    """A page's URL from its url_path, as `Page.get_url()` gives it, without loading the page."""
    for _site_id, root_path, root_url, _language in root_paths:
        if url_path.startswith(root_path):
            path = serve_prefix + url_path[len(root_path) :]
            return path if len(root_paths) == 1 else root_url + path
    return None


class Glossary(tuple):
    """The live, public concepts, hashed by identity: what is built from them (label indexes) is
    cached per glossary object, without hashing thousands of concepts on every search."""

    def __hash__(self):
        return id(self)


# The glossary of the current content version, in this process (one entry: the version moves on
# every change to published content, `portal.content_version`).
_current: dict[str, Glossary] = {}


def published_glossary(private_q=None) -> Glossary:
    """`load_glossary()` for the current content version: computed once per version for every
    process (the shared cache), and kept in this process until the version moves."""
    version = content_version()
    if version is None:
        return Glossary(load_glossary(private_q))
    found = _current.get(version[0])
    if found is None:
        found = Glossary(cached_on_content("search-glossary", lambda: load_glossary(private_q)))
        _current.clear()
        _current[version[0]] = found
    return found


def load_glossary(private_q=None) -> tuple[Concept, ...]:
    """Live, public concepts (one query, plus one for the view restrictions unless `private_q` is given)."""
    rows = (
        visible_pages(ConceptPage, private_q)
        .order_by("path")
        .values_list(
            "id",
            "title",
            "url_path",
            "short_definition",
            "english_term",
            "english_alt_labels",
            "other_labels",
            "hidden_labels",
            "chain_level",
            "status",
            "use_instead_id",
            "explain_in_texts",
        )
    )
    root_paths = Site.get_site_root_paths()
    serve_prefix = reverse("wagtail_serve", args=("",))
    concepts = []
    for pk, title, url_path, definition, term_en, labels_en, other, hidden, level, status, use_instead, explain in rows:
        english = "\n".join((term_en, labels_en))
        url = page_url(url_path, root_paths, serve_prefix)
        if not url:
            continue
        concepts.append(
            Concept(
                id=pk,
                title=title,
                url=url,
                definition=definition,
                level=level,
                deprecated=status == ConceptStatus.DEPRECATED,
                use_instead_id=use_instead,
                labels=_labels(title, english, other, hidden),
                hidden=_hidden(title, english, other, hidden),
                other_labels=tuple(label for label in split_labels(other) if label.lower() != title.lower()),
                explain=explain,
            )
        )
    return tuple(concepts)


@lru_cache(maxsize=50_000)
def _labels(title, english, other, hidden) -> tuple[str, ...]:
    return tuple(split_labels("\n".join([title, english, other, hidden])))


@lru_cache(maxsize=50_000)
def _hidden(title, english, other, hidden) -> frozenset[str]:
    shown = {label.lower() for label in split_labels("\n".join([title, english, other]))}
    return frozenset(label.lower() for label in split_labels(hidden) if label.lower() not in shown)


@lru_cache(maxsize=50_000)
def label_terms(label: str) -> tuple[str, ...]:
    """A label as a sequence of search terms."""
    return tuple(analyse(label))


@lru_cache(maxsize=50_000)
def _folded(text: str) -> str:
    """Words without stop words, folded but not stemmed: catches typos that change the stem."""
    return " ".join(fold(t) for t in tokenise(text) if t not in STOP_WORDS)


def _card_typos(text: str) -> int:
    """Edits allowed between a query and a label: stricter than for ranking, as a wrong card misleads."""
    length = len(text.replace(" ", ""))
    if length <= 3:
        return 0
    return 1 if length <= 7 else 2


_QUESTION_TERMS = frozenset(analyse(_QUESTION_WORDS))


def without_question_words(query: str) -> str:
    """The query without the words of a question about meaning ("vad betyder utfall" → "utfall"),
    unless nothing else would be left."""
    words = tokenise(query)
    kept = [w for w in words if w in STOP_WORDS or stem(w) not in _QUESTION_TERMS]
    return " ".join(kept) if any(w not in STOP_WORDS for w in kept) else query


def synonym_groups(concepts: list[Concept]) -> list[tuple[str, ...]]:
    """One group of labels per concept that has more than one way of being named."""
    groups = []
    for concept in concepts:
        seen, group = set(), []
        for label in concept.labels:
            terms = label_terms(label)
            if terms and terms not in seen:
                seen.add(terms)
                group.append(label)
        if len(group) > 1:
            groups.append(tuple(group))
    return groups


_RULE_UNSAFE = re.compile(r"[^\w\s]+")


def synonym_rules(concepts: list[Concept]) -> list[str]:
    """The groups as Solr-format equivalence rules ("utfall, outcome") for Elasticsearch.

    Punctuation (commas and "=>" are rule syntax) and stop words are left out: a stop word inside
    a multi-word synonym would leave a gap that Elasticsearch refuses to parse.
    """
    rules = []
    for group in synonym_groups(concepts):
        labels = []
        for label in group:
            words = [w for w in tokenise(_RULE_UNSAFE.sub(" ", label)) if w not in STOP_WORDS]
            if words:
                labels.append(" ".join(words))
        labels = list(dict.fromkeys(labels))
        if len(labels) > 1:
            rules.append(", ".join(labels))
    return rules


@dataclass(frozen=True)
class _Entry:
    concept: Concept
    label: str
    is_term: bool
    terms: tuple[str, ...]
    joined: str  # the terms joined by spaces
    folded: str  # the label's words folded, not stemmed


def _bigrams(text: str) -> set[str]:
    padded = f" {text} "
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


# The most edits a definition card allows (`_card_typos`): near matching looks no further.
_MAX_CARD_TYPOS = 2


@lru_cache(maxsize=4)
def glossary_index(concepts: tuple[Concept, ...]):
    """Labels by their exact terms, all labels, and the labels by their terms' length and letter
    pairs (for near matching: only labels about as long as the query can be near it); rebuilt
    only when the glossary changes."""
    exact: dict[tuple[str, ...], list[_Entry]] = {}
    entries = []
    pairs: dict[tuple[int, str], list[int]] = {}
    for concept in concepts:
        for position, label in enumerate(concept.labels):
            terms = label_terms(label)
            if not terms:
                continue
            entry = _Entry(concept, label, position == 0, terms, " ".join(terms), _folded(label))
            exact.setdefault(terms, []).append(entry)
            for pair in _bigrams(entry.joined) | _bigrams(entry.folded):
                pairs.setdefault((len(entry.joined), pair), []).append(len(entries))
            entries.append(entry)
    return exact, entries, pairs


def _near_entries(entries, pairs, length: int, *texts) -> list:
    """The labels that may be within `_MAX_CARD_TYPOS` edits of any of the texts: as long as the
    query's terms (`length`, give or take as many) and sharing enough letter pairs (an edit
    changes at most two), found through the index, not by scanning: a long question costs no
    more with 2,500 concepts than with 50."""
    lengths = range(max(length - _MAX_CARD_TYPOS, 0), length + _MAX_CARD_TYPOS + 1)
    candidates = set()
    for text in texts:
        grams = _bigrams(text)
        counts = Counter(i for gram in grams for n in lengths for i in pairs.get((n, gram), ()))
        needed = len(grams) - 2 * _MAX_CARD_TYPOS
        candidates.update(i for i, count in counts.items() if count >= needed)
    return [entries[i] for i in sorted(candidates)]


def _rank(entry: _Entry, distance: int) -> tuple:
    # Nearest first; the term itself beats other labels; a recommended concept beats a deprecated one.
    return (distance, not entry.is_term, entry.concept.deprecated, entry.concept.title)


def _best_match(query_terms: tuple[str, ...], query_folded: str, concepts) -> _Entry | None:
    exact, entries, pairs = glossary_index(concepts)
    if query_terms in exact:
        return min(exact[query_terms], key=lambda e: _rank(e, 0))
    joined = " ".join(query_terms)
    best, best_rank = None, None
    for entry in _near_entries(entries, pairs, len(joined), joined, query_folded):
        limit = _card_typos(entry.joined)
        if limit == 0 or abs(len(entry.joined) - len(joined)) > limit:
            continue
        distance = min(
            edit_distance(joined, entry.joined, limit),
            edit_distance(query_folded, entry.folded, limit),
        )
        if distance <= limit and (best_rank is None or _rank(entry, distance) < best_rank):
            best, best_rank = entry, _rank(entry, distance)
    return best


def find_definition(query: str, concepts) -> DefinitionCard | None:
    """The concept the query names (by term, label, inflection or misspelling), as a card; or None."""
    concepts = concepts if isinstance(concepts, tuple) else tuple(concepts)
    terms = tuple(analyse(query))
    if not terms or len(terms) > 8:
        return None
    candidates = [(terms, _folded(query))]
    stripped = tuple(t for t in terms if t not in _QUESTION_TERMS)
    if stripped and stripped != terms:
        candidates.append((stripped, " ".join(stripped)))
    for query_terms, query_folded in candidates:
        entry = _best_match(query_terms, query_folded, concepts)
        if entry is None:
            continue
        concept = entry.concept
        replacement = None
        if concept.deprecated and concept.use_instead_id:
            replacement = next((c for c in concepts if c.id == concept.use_instead_id), None)
        return DefinitionCard(
            title=concept.title,
            url=concept.url,
            definition=concept.definition,
            level=concept.level,
            matched_label="" if entry.is_term or concept.is_hidden(entry.label) else entry.label,
            replacement_title=replacement.title if replacement else "",
            replacement_url=replacement.url if replacement else "",
        )
    return None
