"""Template tags for effect chains: the diagram, the coverage matrix and the time-horizon guard.

{% load chain_tags %}
{% chain_diagram page %}                 the chain as SVG, its notices, downloads and text version
{% chain_diagram page text_equivalent=False %}   when the page shows the chain as text itself
{% chain_diagram page evidence=True %}   links drawn by what published results say about them
{% chain_coverage page %}                coverage matrix, gaps, horizon warnings, questions and answers
{% result_horizon_warnings page %}       on a result page: answers whose period is too short
"""

from django import template

from core.routes import route_url
from larande.chains import coverage, diagrams
from larande.chains import evidence as link_evidence
from portal.content_cache import cached_for_page, serves_published_page

register = template.Library()


def _is_preview(context) -> bool:
    request = context.get("request")
    return bool(getattr(request, "is_preview", False))


def _downloads(page, context) -> dict | None:
    """Download links only where a visitor can use them: a live, public chain outside preview."""
    request = context.get("request")
    if not page.pk or not page.live or not page.slug or _is_preview(context):
        return None
    if request is not None:
        if not serves_published_page(page, request):
            return None
    elif page.get_view_restrictions().exists():
        return None
    return {
        "svg": route_url(page, "diagram_svg", request),
        "pdf": route_url(page, "diagram_pdf", request),
    }


def _drawn(diagram):
    """The diagram with both drawings and their SVG computed, so that a cached copy holds them."""
    for name in ("wide_svg", "narrow_svg"):
        getattr(diagram, name)
    return diagram


@register.inclusion_tag("components/chain_diagram.html", takes_context=True)
def chain_diagram(context, page, heading_level=2, text_equivalent=True, evidence=False):
    """The chain drawn as accessible SVG, with notices, download links and its text equivalent;
    with `evidence`, each link drawn by what published results say about it, with a legend."""
    diagram = None
    if page is not None:
        if evidence:

            def draw():
                return _drawn(diagrams.chain_diagram(page, evidence=link_evidence.evidence_by_link([page.pk])))

        else:

            def draw():
                return _drawn(diagrams.chain_diagram(page))

        name = "chain-diagram-evidence" if evidence else "chain-diagram"
        diagram = cached_for_page(page, name, draw, context.get("request"))
    return {
        "diagram": diagram,
        "page": page,
        "caption": f"Effektkedjan {page.title} som diagram" if page is not None else "",
        "heading_level": heading_level,
        "text_equivalent": text_equivalent,
        "downloads": _downloads(page, context) if page is not None else None,
        "request": context.get("request"),
    }


@register.inclusion_tag("components/coverage_matrix.html", takes_context=True)
def chain_coverage(context, page, heading_level=2, show_trace=True):
    """The chain's coverage matrix, gaps in words, horizon warnings and traceability per level."""
    if page is None or not page.pk:
        return {"coverage": None}
    return {
        "coverage": cached_for_page(
            page, "chain-coverage", lambda: coverage.chain_coverage(page), context.get("request")
        ),
        "prefix": f"tackning-{page.pk}",
        "heading_level": heading_level,
        "show_heading": True,
        "show_trace": show_trace,
        "request": context.get("request"),
    }


@register.inclusion_tag("components/horizon_warnings.html", takes_context=True)
def result_horizon_warnings(context, page, heading_level=2):
    """A notice on a result whose period is shorter than the horizon of a level it answers for."""
    return {
        "warnings": cached_for_page(
            page, "horizon-warnings", lambda: coverage.result_horizon_warnings(page), context.get("request")
        )
        if page is not None
        else [],
        "heading_level": heading_level,
        "request": context.get("request"),
    }
