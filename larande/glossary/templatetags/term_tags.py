"""Template tags for explaining the glossary's terms in place (see `larande.glossary.terms`).

`{{ html|explainable }}` marks rendered rich text as prose whose terms may be explained;
`{% explain_terms %}…{% end_explain_terms %}` (in base.html, around the main content) finds the
marked prose and links the first occurrence of each concept on the page.
"""

import logging

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from larande.glossary.terms import (
    SEGMENT_END,
    SEGMENT_START,
    deprecated_uses,
    describe_use,
    explain_html,
    strip_markers,
)
from larande.models import ConceptPage

logger = logging.getLogger(__name__)
_START = mark_safe(SEGMENT_START)  # noqa: S308 - a constant comment
_END = mark_safe(SEGMENT_END)  # noqa: S308 - a constant comment

register = template.Library()


@register.filter(is_safe=True)
def explainable(html) -> SafeString:
    """Mark already rendered, safe HTML (e.g. the output of `|richtext`) as explainable prose."""
    if not html:
        return mark_safe("")  # noqa: S308 - an empty string
    # format_html escapes `html` unless it is already safe: plain text cannot become markup here.
    return format_html("{}{}{}", _START, html, _END)


class ExplainTermsNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        html = self.nodelist.render(context)
        if SEGMENT_START not in html:
            return html
        page = context.get("page")
        if page is not None and not getattr(page, "explain_terms", True):
            return mark_safe(strip_markers(html))  # noqa: S308 - rendered template output, markers removed
        own_concept = page.pk if isinstance(page, ConceptPage) else None
        try:
            # Parsed from rendered template output and serialised again by BeautifulSoup, which escapes text.
            return mark_safe(explain_html(html, own_concept))  # noqa: S308
        except Exception:  # an explanation is a help: never let it take the page down
            logger.exception("Begreppsförklaringar kunde inte läggas till på %s", getattr(page, "pk", "?"))
            return mark_safe(strip_markers(html))  # noqa: S308 - rendered template output, markers removed


@register.tag("explain_terms")
def explain_terms(parser, token):
    """`{% explain_terms %}…{% end_explain_terms %}`: explain the glossary's terms in the marked prose inside."""
    nodelist = parser.parse(("end_explain_terms",))
    parser.delete_first_token()
    return ExplainTermsNode(nodelist)


@register.inclusion_tag("components/deprecated_terms_notice.html")
def deprecated_terms_notice(page):
    """For previews: the deprecated terms the page uses, so the editor sees them before publishing."""
    uses = deprecated_uses(page) if isinstance(page, Page) else []
    return {"uses": [describe_use(use) for use in uses]}
