"""Meta descriptions: the sentence or two a search engine or a link preview shows under a title.

Every page the portal serves has one (`<meta name="description">` in base.html):

1. the editor's own *search description* (the Promote tab), when set;
2. otherwise the page's own text, in the order its model names in `description_fields`: a
   concept's short definition, a result's key findings, a chain's intro or purpose, a page's
   intro or introduction;
3. otherwise the sentence its model gives as `default_description` (the listings);
4. a view outside the page tree passes its own sentence as `meta_description` in the context;
5. and anything else gets the portal's own description.

Plain text only (rich text is stripped of its markup), whitespace collapsed, trimmed to about
DESCRIPTION_LENGTH characters at a word boundary with an ellipsis; the template escapes it. Only
fields of the page row are read, so a description costs no query.
"""

from django.core.exceptions import FieldDoesNotExist
from wagtail.fields import RichTextField

from search.text import plain_text

DESCRIPTION_LENGTH = 160
SITE_DESCRIPTION = (
    "Lärportalen samlar ramverket för strategiskt lärande i det regionala utvecklingsarbetet: begrepp, "
    "vägledning, effektkedjor, utvärderingsresultat och lärdomar."
)
ELLIPSIS = "…"


def trim(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    """`text` as one line of at most `length` characters, cut at a word boundary with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    cut = text[: length - len(ELLIPSIS) + 1]
    space = cut.rfind(" ")
    # A word longer than half the room is cut rather than dropping almost everything.
    cut = cut[:space] if space > length // 2 else cut[: length - len(ELLIPSIS)]
    return cut.rstrip(" ,;:–-") + ELLIPSIS


def _field_text(page, name: str) -> str:
    value = getattr(page, name, "") or ""
    try:
        field = page._meta.get_field(name)
    except FieldDoesNotExist:  # a property: plain text already
        field = None
    return plain_text(str(value)) if isinstance(field, RichTextField) else str(value)


def page_text(page) -> str:
    """The untrimmed description of a page (steps 1–3 above), or ''."""
    for name in ("search_description", *getattr(page, "description_fields", ())):
        text = " ".join(_field_text(page, name).split())
        if text:
            return text
    return getattr(page, "default_description", "")


def meta_description(page=None, text: str = "", length: int = DESCRIPTION_LENGTH) -> str:
    """What <meta name="description"> says: `text` if given, else the page's, else the portal's."""
    return trim(text or (page_text(page) if page is not None else "") or SITE_DESCRIPTION, length)
