"""Terms explained in place: the glossary's concepts linked, with their definitions, where pages use them.

How it works:

- Templates mark rendered prose (rich text and StreamField text) with `|explainable`, which wraps it
  in the comments below. `{% explain_terms %}` in base.html finds the marked segments of a page and
  links, in page order, the **first occurrence per page** of each recommended concept whose
  explanation is switched on: its term or one of its other labels, in any inflected form. Words
  are compared as the search compares them (`search.text`: Swedish Snowball stemming and the same
  suffix rules), so "utfallet" finds Utfall and "prestationerna" finds Prestationer.
- Matching walks a trie of label stems over the words of each text, taking the longest match at
  each position ("kortsiktiga effekter" before "effekter"). There is no regular expression built
  from concept names, so a term like `C++`, `(a)` or `*` is just words (or none). Labels that
  cannot be matched safely are left out: one-letter labels, labels that are a single stop word,
  numbers and labels without letters.
- Deprecated concepts, concepts switched off by their editors and the concept whose own page is
  shown still take part in matching, but are never linked: their words are then not linked as
  some shorter concept either.
- Never inside headings (also table headers and captions), links, code, buttons, labels, form
  controls, SVG or anything marked `data-no-terms`.
- The result is cached by the glossary's version and a hash of the page's marked prose: it is
  computed once per published revision (and once per preview), not on every request. The
  glossary version changes whenever a concept is published, unpublished, moved, deleted or
  restricted, so explanations never show a draft definition or link to a page a visitor cannot see.

The same matcher finds **deprecated** terms for editors: the warning shown when a page is saved or
previewed and the admin report of live pages that use deprecated terms (`larande.glossary.term_admin`).
"""

from __future__ import annotations

import hashlib
import threading
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString
from django.core.cache import cache
from django.db import models, transaction
from django.utils.html import strip_tags
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site

from portal.content_version import changes_live_content
from search.glossary import Concept, load_glossary
from search.text import MAX_TOKEN_CHARS, STOP_WORDS, WORD_PATTERN, plain_text, stem, tokenise

# Rendered prose is marked with these comments (rich text never contains comments: Wagtail's
# whitelister removes them), and the region tag explains the terms between them.
SEGMENT_START = "<!--lp-terms-->"
SEGMENT_END = "<!--/lp-terms-->"

GLOSSARY_VERSION_KEY = "terms:glossary-version"
RESULT_CACHE_SECONDS = 7 * 24 * 3600
# Longest label (in words) that can match; longer labels are not looked for in texts.
MAX_LABEL_WORDS = 8

# Elements whose text is never explained: headings, links and other interactive or code content.
EXCLUDED_ELEMENTS = frozenset(
    {
        "a",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "th",
        "caption",
        "legend",
        "code",
        "pre",
        "kbd",
        "samp",
        "var",
        "script",
        "style",
        "template",
        "noscript",
        "button",
        "label",
        "select",
        "option",
        "textarea",
        "summary",
        "svg",
        "math",
        "iframe",
        "abbr",
        "dfn",
    }
)
OPT_OUT_ATTRIBUTE = "data-no-terms"


# --- Words --------------------------------------------------------------------------------------


# Verbal nouns ("verkan", "påverkan", "lärande") share their stem with the verb's forms ("verkar",
# "påverkas", "lära"); a label word with one of these endings only matches words that begin with it
# ("verkans", "lärandet"), so that a verb is not explained as the noun.
STRICT_ENDINGS = ("an", "ande", "ende")


def _words(text: str):
    """(start, end, word, stem) for each word of a text, positions in the text itself, word in lower case."""
    for match in WORD_PATTERN.finditer(text):
        word = unicodedata.normalize("NFKC", match.group()).lower()
        if len(word) > MAX_TOKEN_CHARS:
            yield match.start(), match.end(), word, None
            continue
        yield match.start(), match.end(), word, stem(word)


def _strict_prefixes(label: str) -> tuple[str | None, ...]:
    """Per word of a label: the prefix a text word must start with, or None when any form may match."""
    return tuple(word if word.endswith(STRICT_ENDINGS) and len(word) > 4 else None for word in tokenise(label))


def label_stems(label: str) -> tuple[str, ...] | None:
    """A label as the stems it must match, or None when it cannot be matched safely in running text."""
    words = tokenise(label)
    if not words or len(words) > MAX_LABEL_WORDS:
        return None
    letters = sum(1 for ch in "".join(words) if ch.isalpha())
    if letters < 2:  # one-letter terms ("A", "C++", "(a)") would match everywhere
        return None
    if len(words) == 1 and (words[0] in STOP_WORDS or words[0].isdigit()):
        return None
    return tuple(stem(word) for word in words)


def _only_space(gap: str) -> bool:
    return bool(gap) and not gap.strip()


# --- The glossary as the matcher sees it ----------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    concept: Concept
    label: str
    rank: tuple  # lower wins when two concepts have a label with the same stems
    prefixes: tuple = ()  # see _strict_prefixes

    def accepts(self, words) -> bool:
        pairs = zip(self.prefixes, words, strict=True)
        return all(prefix is None or word[2].startswith(prefix) for prefix, word in pairs)


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    concept: Concept
    label: str


@dataclass
class ExplainResult:
    segments: list[str]
    linked: list[int] = field(default_factory=list)  # concept ids, in page order


class TermMatcher:
    """A trie of every matchable label's stems; finds the longest label at each word."""

    def __init__(self, concepts):
        self.concepts = {concept.id: concept for concept in concepts}
        self._trie: dict = {}
        for concept in concepts:
            for index, label in enumerate(concept_labels(concept)):
                stems = label_stems(label)
                if stems is None:
                    continue
                rank = (index != 0, concept.deprecated, not concept.explain, concept.id)
                node = self._trie
                for word_stem in stems:
                    node = node.setdefault(word_stem, {})
                entries = node.setdefault(None, [])
                entries.append(_Entry(concept, label, rank, _strict_prefixes(label)))
                entries.sort(key=lambda entry: entry.rank)

    def __len__(self):
        return len(self.concepts)

    def find(self, text: str):
        """Every longest, non-overlapping label occurrence in a plain text, in order."""
        if not text or not self._trie:
            return
        words = list(_words(text))
        i, count = 0, len(words)
        while i < count:
            best = self._longest_at(text, words, i)
            if best is None:
                i += 1
                continue
            last, entry = best
            yield Match(words[i][0], words[last][1], entry.concept, entry.label)
            i = last + 1

    def _longest_at(self, text, words, i):
        """(index of the last word, entry) of the longest label starting at word i, or None."""
        node, candidates, j = self._trie, [], i
        while j < len(words):
            start, _end, _word, word_stem = words[j]
            if word_stem is None or (j > i and not _only_space(text[words[j - 1][1] : start])):
                break
            node = node.get(word_stem)
            if node is None:
                break
            if None in node:
                candidates.append((j, node[None]))
            j += 1
        for last, entries in reversed(candidates):
            for entry in entries:
                if entry.accepts(words[i : last + 1]):
                    return last, entry
        return None


def concept_labels(concept) -> list[str]:
    """The forms matched in texts: the term first, then the other labels (not hidden or English)."""
    return [concept.title, *concept.other_labels]


# --- Glossary version and the per-process matcher -----------------------------------------------

_matcher_lock = threading.Lock()
_matcher_state: dict = {"version": None, "matcher": None}


def glossary_version() -> str:
    """A token that changes whenever the public glossary may have changed (kept in the shared cache).

    While the cache is unavailable every call gives a new token: explanations are then worked out
    for each page as it is served, never taken from a version another process may have left behind.
    """
    version = cache.get(GLOSSARY_VERSION_KEY)
    if version is None:
        cache.add(GLOSSARY_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(GLOSSARY_VERSION_KEY) or uuid.uuid4().hex
    return version


def glossary_changed() -> None:
    """Forget the glossary's version now and again when the transaction commits (signals call this)."""
    cache.delete(GLOSSARY_VERSION_KEY)
    transaction.on_commit(lambda: cache.delete(GLOSSARY_VERSION_KEY), robust=True)


def current_matcher(version: str | None = None) -> tuple[str, TermMatcher]:
    """The matcher for the glossary as it is now, built once per glossary version in each process."""
    version = version or glossary_version()
    with _matcher_lock:
        if _matcher_state["version"] == version and _matcher_state["matcher"] is not None:
            return version, _matcher_state["matcher"]
    matcher = TermMatcher(load_glossary())
    with _matcher_lock:
        _matcher_state.update(version=version, matcher=matcher)
    return version, matcher


# --- Explaining marked prose ------------------------------------------------------------------------


def split_segments(html: str) -> tuple[list[str], list[str]] | None:
    """(the HTML around the segments, the segments) of rendered HTML, or None when nothing is marked.

    There is always one more piece around than there are segments. A marker left unclosed keeps the
    rest of the page as it is; nested markers are removed from the segment they are in.
    """
    if SEGMENT_START not in html:
        return None
    outside, segments = [], []
    rest = html
    while True:
        before, found, after = rest.partition(SEGMENT_START)
        if not found:
            outside.append(strip_markers(rest))
            return outside, segments
        segment, closed, rest = after.partition(SEGMENT_END)
        if not closed:
            outside.append(strip_markers(before + after))
            return outside, segments
        outside.append(strip_markers(before))
        segments.append(strip_markers(segment))


def strip_markers(html: str) -> str:
    return html.replace(SEGMENT_START, "").replace(SEGMENT_END, "")


def _excluded(node) -> bool:
    for parent in node.parents:
        name = getattr(parent, "name", None)
        if name in EXCLUDED_ELEMENTS:
            return True
        attrs = getattr(parent, "attrs", None)
        if attrs and (OPT_OUT_ATTRIBUTE in attrs or "term" in (attrs.get("class") or ())):
            return True
    return False


def _term_markup(soup, concept: Concept, surface: str):
    tip_id = f"begrepp-{concept.id}-forklaring"
    wrapper = soup.new_tag("span", attrs={"class": "term"})
    link = soup.new_tag(
        "a",
        attrs={"class": "term__link", "href": concept.url, "aria-describedby": tip_id, "data-term": str(concept.id)},
    )
    link.string = surface
    tip = soup.new_tag("span", attrs={"class": "term__tip", "id": tip_id, "role": "tooltip", "hidden": ""})
    term = soup.new_tag("span", attrs={"class": "term__tip-term"})
    term.string = f"{concept.title}:"
    tip.append(term)
    tip.append(NavigableString(f" {concept.definition}"))
    wrapper.append(link)
    wrapper.append(tip)
    return wrapper


def explain_segments(segments: list[str], matcher: TermMatcher, exclude_id: int | None = None) -> ExplainResult:
    """The segments with the first occurrence of each linkable concept linked, in order."""
    result = ExplainResult(segments=[])
    seen: set[int] = set()
    for segment in segments:
        soup = BeautifulSoup(segment, "html.parser")
        changed = False
        for node in list(soup.find_all(string=True)):
            if isinstance(node, Comment) or type(node) is not NavigableString or _excluded(node):
                continue
            text = str(node)
            pieces, position = [], 0
            for match in matcher.find(text):
                concept = match.concept
                linkable = concept.explain and not concept.deprecated
                if not linkable or concept.id == exclude_id or concept.id in seen:
                    continue
                seen.add(concept.id)
                result.linked.append(concept.id)
                pieces.append(NavigableString(text[position : match.start]))
                pieces.append(_term_markup(soup, concept, text[match.start : match.end]))
                position = match.end
            if pieces:
                pieces.append(NavigableString(text[position:]))
                node.replace_with(*[piece for piece in pieces if piece != ""])
                changed = True
        result.segments.append(str(soup) if changed else segment)
    return result


def explain_html(html: str, exclude_id: int | None = None) -> str:
    """Rendered page HTML with the marked prose explained (cached) and the markers removed."""
    parts = split_segments(html)
    if parts is None:
        return html
    outside, segments = parts
    version = glossary_version()
    digest = hashlib.sha256("\x00".join(segments).encode()).hexdigest()
    key = f"terms:explained:{version}:{exclude_id or 0}:{digest}"
    explained = cache.get(key)
    if explained is None:
        _, matcher = current_matcher(version)
        explained = explain_segments(segments, matcher, exclude_id).segments
        cache.set(key, explained, RESULT_CACHE_SECONDS)
    out = [outside[0]]
    for segment, after in zip(explained, outside[1:], strict=True):
        out.append(segment)
        out.append(after)
    return "".join(out)


# --- Deprecated terms, for editors ----------------------------------------------------------------

# Fields that name a concept rather than use terms in running text.
_UNSCANNED_FIELDS = frozenset(
    {
        "slug",
        "url_path",
        "draft_title",
        "seo_title",
        "other_labels",
        "hidden_labels",
        "english_term",
        "english_alt_labels",
        "path",
    }
)


@dataclass(frozen=True)
class DeprecatedUse:
    """One deprecated concept used in one place of a page (a field or a block), with how often."""

    where: str
    surface: str
    concept: Concept
    count: int
    replacement_title: str = ""


def _stream_texts(label: str, value) -> list[tuple[str, str]]:
    texts = []
    for number, child in enumerate(value, 1):
        pieces = child.block.get_searchable_content(child.value)
        text = " ".join(strip_tags(str(piece)) for piece in pieces if piece)
        if text:
            texts.append((f"{label}, block {number} ({child.block.label})", text))
    return texts


def _field_texts(obj, prefix: str = "") -> list[tuple[str, str]]:
    texts = []
    for model_field in obj._meta.concrete_fields:
        if model_field.name in _UNSCANNED_FIELDS or getattr(model_field, "choices", None):
            continue
        if prefix == "" and model_field.model is Page and model_field.name not in ("title", "search_description"):
            continue
        label = prefix + str(model_field.verbose_name).capitalize()
        value = getattr(obj, model_field.attname, None)
        if not value:
            continue
        if isinstance(model_field, StreamField):
            texts.extend(_stream_texts(label, getattr(obj, model_field.name)))
        elif isinstance(model_field, RichTextField):
            texts.append((label, plain_text(value)))
        elif isinstance(model_field, models.TextField | models.CharField):
            texts.append((label, str(value)))
    return texts


def page_texts(page) -> list[tuple[str, str]]:
    """(where, plain text) for every text of a page an editor writes: fields, blocks and inline items."""
    from modelcluster.models import get_all_child_relations

    texts = _field_texts(page)
    for relation in get_all_child_relations(type(page)):
        manager = getattr(page, relation.get_accessor_name(), None)
        if manager is None:
            continue
        verbose = str(relation.related_model._meta.verbose_name)
        for number, item in enumerate(manager.all(), 1):
            texts.extend(_field_texts(item, prefix=f"{verbose.capitalize()} {number}: "))
    return texts


def deprecated_uses(page, matcher: TermMatcher | None = None) -> list[DeprecatedUse]:
    """Every deprecated term a page uses (not counting a concept page's own term), by place and term."""
    if matcher is None:
        _, matcher = current_matcher()
    from larande.models import ConceptPage

    own_id = page.pk if isinstance(page, ConceptPage) else None
    counts: Counter = Counter()
    surfaces: dict = {}
    for where, text in page_texts(page):
        for match in matcher.find(text):
            concept = match.concept
            if concept.deprecated and concept.id != own_id:
                counts[(where, concept.id)] += 1
                surfaces.setdefault((where, concept.id), text[match.start : match.end])
    uses = []
    for (where, concept_id), count in counts.items():
        concept = matcher.concepts[concept_id]
        replacement_title = ""
        if concept.use_instead_id:
            replacement = matcher.concepts.get(concept.use_instead_id)
            if replacement is not None:
                replacement_title = replacement.title
            else:  # the replacement is not public yet: editors may still be told its name
                title = ConceptPage.objects.filter(pk=concept.use_instead_id).values_list("title", flat=True).first()
                replacement_title = title or ""
        uses.append(DeprecatedUse(where, surfaces[(where, concept_id)], concept, count, replacement_title))
    return uses


def describe_use(use: DeprecatedUse) -> str:
    times = "en gång" if use.count == 1 else f"{use.count} gånger"
    advice = f"använd ”{use.replacement_title}” i stället" if use.replacement_title else "begreppet ska inte användas"
    return f"”{use.surface}” i {use.where} ({times}) – avrått begrepp, {advice}."


# --- Keeping the glossary version current -----------------------------------------------------------


def _concept_saved(sender, instance, update_fields=None, **kwargs):
    if changes_live_content(update_fields):  # a draft save leaves the live glossary as it is
        glossary_changed()


def _concept_published(sender, instance, **kwargs):
    from larande.models import ConceptPage

    if isinstance(instance, ConceptPage):
        glossary_changed()


def _anything_changed(sender, instance=None, **kwargs):
    # Deleting, moving or renaming a page, a view restriction or a site can change which concepts a
    # visitor may see and their addresses; these are rare, so the glossary is simply reloaded.
    glossary_changed()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    from larande.models import ConceptPage

    post_save.connect(_concept_saved, sender=ConceptPage, dispatch_uid="terms-concept-saved")
    page_published.connect(_concept_published, dispatch_uid="terms-page-published")
    page_unpublished.connect(_concept_published, dispatch_uid="terms-page-unpublished")
    post_delete.connect(_anything_changed, sender=Page, dispatch_uid="terms-page-deleted")
    post_page_move.connect(_anything_changed, dispatch_uid="terms-page-moved")
    page_slug_changed.connect(_anything_changed, dispatch_uid="terms-slug-changed")
    for model in (PageViewRestriction, Site):
        post_save.connect(_anything_changed, sender=model, dispatch_uid=f"terms-{model.__name__}-saved")
        post_delete.connect(_anything_changed, sender=model, dispatch_uid=f"terms-{model.__name__}-deleted")
