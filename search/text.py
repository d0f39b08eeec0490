"""Text analysis shared by both search engines: normalise, tokenise, stem (Swedish Snowball), fold.

The Elasticsearch analyzers in `search.engines.elastic` mirror these steps filter for filter
(lowercase → Swedish stop words → Snowball → the suffix rules below → Snowball → ASCII folding),
so a word is reduced to the same term on both engines.
"""

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer
from wagtail.rich_text import get_text_for_indexing

# A query is capped so that a pasted document cannot make the engines do unbounded work.
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 30
# Tokens longer than this are not words (hashes, pasted garbage); they are dropped everywhere.
MAX_TOKEN_CHARS = 40

# Snowball's Swedish stop list (the same list Lucene ships as `_swedish_`).
_STOP_TEXT = """
och det att i en jag hon som han på den med var sig för så till är men ett om hade de av icke mig du
henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något från ut när efter
upp vi dem vara vad över än dig kan sina här ha mot alla under någon eller allt mycket sedan ju
denna själv detta åt utan varit hur ingen mitt ni bli blev oss din dessa några deras blir mina samma
vilken er sådan vår blivit dess inom mellan sådant varför varje vilka ditt vem vilket sitta sådana
vart dina vars vårt våra ert era vilkas
"""
_SWEDISH_STOP_WORDS = tuple(_STOP_TEXT.split())

_FOLD_EXTRA = str.maketrans(
    {"æ": "ae", "ø": "o", "œ": "oe", "ß": "ss", "ð": "d", "þ": "th", "ł": "l", "đ": "d", "Æ": "AE", "Ø": "O", "Œ": "OE"}
)


def fold(text: str) -> str:
    """Remove diacritics: å→a, ä→a, ö→o, é→e (what Elasticsearch's asciifolding does to Swedish)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_EXTRA))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Written without diacritics too, so that "nar" or "for" typed on an English keyboard are stop words.
STOP_WORDS = frozenset(_SWEDISH_STOP_WORDS) | frozenset(fold(w) for w in _SWEDISH_STOP_WORDS)

# Snowball's Swedish stemmer leaves some definite forms alone ("utfallet", "effektkedjan",
# "indikatorn") and stems different forms of one word to different lengths ("indikator" →
# "indikat" but "indikatorer" → "indikator"). Two suffix rules after each pass, and three passes,
# bring the forms together ("resultatet" → "resultat" → "result"). Elasticsearch runs the same
# Snowball stemmer and the same regular expressions (`pattern_replace` filters) the same number of times.
STEM_PASSES = 3
SUFFIX_RULES = (
    (r"^(.{4,})(?:et|an)$", "$1"),
    (r"^(.{3,}or)n$", "$1"),
)
_SUFFIX_RULES_PY = tuple((re.compile(pattern), replacement.replace("$", "\\")) for pattern, replacement in SUFFIX_RULES)

_TOKEN = re.compile(r"[^\W_]+")
# A word as both engines see it (letters and digits); other modules match words with it.
WORD_PATTERN = _TOKEN
# Control and format characters (NUL, escapes, zero-width and direction marks) never carry meaning.
_CONTROL_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}

# A Snowball stemmer keeps its working state on the object between calls: one per thread, or two
# requests stemming at once in gunicorn's threads corrupt each other (IndexError).
_stemmers = threading.local()


def normalise(text: str) -> str:
    """NFKC, lower case, control characters removed, whitespace collapsed."""
    if not text:
        return ""
    text = " ".join(unicodedata.normalize("NFKC", str(text)).split())
    # Most text has no control characters at all: one check in C, and only otherwise a look at each.
    if not text.isprintable():
        text = "".join(" " if unicodedata.category(ch) in _CONTROL_CATEGORIES else ch for ch in text)
        text = " ".join(text.split())
    return text.lower()


def plain_text(html) -> str:
    """Rich text as one line of plain text: tags dropped (with a space between block elements),
    entities decoded, NUL removed (PostgreSQL refuses it), whitespace collapsed."""
    return " ".join(get_text_for_indexing(str(html or "")).replace("\x00", " ").split())


def clean_query(text: str) -> tuple[str, bool]:
    """The query as the engines will see it, and whether it had to be shortened.

    Search syntax (quotes, brackets, `field:value`, AND/OR/NOT, wildcards) has no meaning here:
    the engines only ever see words, so such input is harmless and simply searched as words.
    """
    text = normalise(text)
    truncated = False
    if len(text) > MAX_QUERY_CHARS:
        # A word said twice adds nothing; a pasted text repeats many.
        text = " ".join(dict.fromkeys(text.split()))
        truncated = True
    if len(text) > MAX_QUERY_CHARS:
        cut = text[: MAX_QUERY_CHARS + 1]
        # Cut at a word boundary so that the last word is not searched as a fragment.
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut[:MAX_QUERY_CHARS]
        truncated = True
    words = text.split()
    if len(words) > MAX_QUERY_TERMS:
        text, truncated = " ".join(words[:MAX_QUERY_TERMS]), True
    return text, truncated


def tokenise(text: str) -> list[str]:
    """Lower-case words (letters and digits) of a text, in order."""
    return [t for t in _TOKEN.findall(normalise(text)) if len(t) <= MAX_TOKEN_CHARS]


def _snowball(word: str) -> str:
    stemmer = getattr(_stemmers, "swedish", None)
    if stemmer is None:
        stemmer = _stemmers.swedish = snowballstemmer.stemmer("swedish")
    return stemmer.stemWord(word)


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """The search term for one lower-case token: Swedish Snowball and suffix rules three times, then folded.

    Stemming comes before folding because Snowball's Swedish suffixes contain å/ä/ö; folding
    afterwards makes "långsiktiga" and "langsiktiga" meet at "langsik".
    """
    if token.isdigit():
        return token
    stemmed = token
    for _ in range(STEM_PASSES):
        stemmed = _snowball(stemmed)
        for pattern, replacement in _SUFFIX_RULES_PY:
            stemmed = pattern.sub(replacement, stemmed)
    return fold(stemmed)


def analyse(text: str) -> list[str]:
    """Terms of a text, in order, stop words removed: what both the index and queries are made of."""
    return [stem(t) for t in tokenise(text) if t not in STOP_WORDS]


def analyse_words(text: str) -> list[tuple[str, str]]:
    """(surface word, term) pairs of a text, stop words removed; the surface word keeps its diacritics."""
    return [(t, stem(t)) for t in tokenise(text) if t not in STOP_WORDS]


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal string alignment distance (a swap of two letters counts once), stopping above `limit`."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        row_min = current[0]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            row_min = min(row_min, value)
        if row_min > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_typos(term: str) -> int:
    """How many edits a word may be off and still match, as Elasticsearch's `fuzziness: AUTO`."""
    if len(term) <= 2:
        return 0
    if len(term) <= 5:
        return 1
    return 2
