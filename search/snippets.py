"""Snippets: a short window of a document's text around the words that matched, marked up safely."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .text import STOP_WORDS, stem

_WORD = re.compile(r"[^\W_]+")
SNIPPET_WORDS = 32
# Only the start of a long text is scanned: snippets must stay cheap on any page size.
SCAN_CHARS = 8_000


def highlight(text: str, terms: set[str], words: int = SNIPPET_WORDS) -> SafeString:
    """About `words` words of `text` around the densest cluster of matches, matches wrapped in <mark>.

    Everything is HTML-escaped; only the <mark> elements added here are markup.
    """
    text = (text or "")[:SCAN_CHARS]
    tokens = list(_WORD.finditer(text))
    if not tokens:
        return mark_safe("")  # noqa: S308 - an empty string
    matched = [
        i
        for i, m in enumerate(tokens)
        if (token := m.group().lower()) not in STOP_WORDS and len(token) <= 40 and stem(token) in terms
    ]
    start = 0
    if matched:
        # The window start (at a match, less a little lead) that covers the most matches.
        best, best_count = matched[0], 0
        for i in matched:
            count = sum(1 for j in matched if i <= j < i + words)
            if count > best_count:
                best, best_count = i, count
        start = max(0, best - 4)
    end = min(len(tokens), start + words)
    char_start = tokens[start].start() if start else 0
    char_end = tokens[end - 1].end() if end < len(tokens) else len(text)
    marked = set(matched)
    parts, cursor = [], char_start
    for i in range(start, end):
        m = tokens[i]
        if i in marked:
            parts.append(escape(text[cursor : m.start()]))
            parts.append("<mark>" + escape(m.group()) + "</mark>")
            cursor = m.end()
    parts.append(escape(text[cursor:char_end]))
    snippet = "".join(parts).strip()
    if start > 0:
        snippet = "… " + snippet
    if end < len(tokens):
        snippet += " …"
    return mark_safe(snippet)  # noqa: S308 - every piece of text above is escaped
