"""Page addresses (slugs) in plain ASCII, made from the title the same way in the browser and on
the server.

The admin's slug field (Wagtail's `SlugInput`, the Stimulus `w-slug` controller) transliterates
the title with its Latin map (å→a, ä→a, ö→o, é→e …) when `WAGTAIL_ALLOW_UNICODE_SLUGS` is False,
then drops everything but ASCII letters, digits, `_`, `-` and spaces, and joins the words with
dashes. It would drop the en and em dashes Swedish titles use in ranges ("2023–2024" became
"20232024"), so `SLUG_FORMATTERS` turns them into hyphens first. `ascii_slug` is the same rule in
Python, for a page sent without a slug (no JavaScript, a test client, autosave before the slug was
filled in). Existing pages keep their addresses: nothing here rewrites a slug that is already set.
"""

import re

from anyascii import anyascii

# Every dash-like character Swedish text uses (hyphen, non-breaking hyphen, figure dash, en dash,
# em dash, horizontal bar, minus sign) becomes a plain hyphen.
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASHES = re.compile(f"[{DASHES}]")
_NOT_SLUG = re.compile(r"[^-\w\s]", re.ASCII)
_SEPARATORS = re.compile(r"[-\s]+")

# For SlugInput(formatters=…): (JavaScript regular expression, replacement, flags).
SLUG_FORMATTERS = [(f"[{DASHES}]", "-", "g")]

MAX_LENGTH = 255


def ascii_slug(text: str) -> str:
    """`text` as a page address: ASCII letters and digits, words joined by single dashes.

    >>> ascii_slug("Utvärdering av RUS 2023–2024")
    'utvardering-av-rus-2023-2024'
    """
    text = anyascii(_DASHES.sub("-", text or "")).lower()
    text = _SEPARATORS.sub("-", _NOT_SLUG.sub("", text))
    return text[:MAX_LENGTH].strip("-_")


def available_slug(base: str, parent, instance=None) -> str:
    """`base`, or `base-2`, `base-3` … : the first that no other child of `parent` uses."""
    from wagtail.models import Page

    candidate, number = base, 1
    while not Page._slug_is_available(candidate, parent, instance):
        number += 1
        suffix = f"-{number}"
        candidate = base[: MAX_LENGTH - len(suffix)] + suffix
    return candidate
