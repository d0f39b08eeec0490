"""Views for the framework document, chain diagram downloads and the coverage overview.

These addresses sit inside the page tree's URL space (/ramverket/…, /effektkedjor/…), so
portal/urls.py includes them before Wagtail's catch-all. Only live, public content is served;
anything else is a 404, and a missing PDF library a 503, both with a Swedish message.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from larande.chains import coverage, diagrams
from larande.models import EffectChainPage
from larande.publishing import document
from portal.visibility import visible_pages

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NO_FRAMEWORK = "Ramverket är inte publicerat ännu, så det finns inget dokument att visa."
NO_CHAIN = "Det finns ingen publicerad effektkedja med den adressen."
COVERAGE_DESCRIPTION = (
    "Täckningen för alla effektkedjor: vilka nivåer som har indikatorer, utvärderingsfrågor och resultat, och "
    "var luckorna finns."
)


def _download(content: bytes | str, content_type: str, filename: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _pdf_unavailable(request) -> HttpResponse:
    return render(
        request,
        "larande/document/unavailable.html",
        {"message": document.PDF_UNAVAILABLE_MESSAGE},
        status=503,
    )


@require_safe
def framework_document(request):
    """/ramverket/dokument/: the whole framework as one printable page."""
    _, body, facts = document.cached_body(request)
    if not facts:
        raise Http404(NO_FRAMEWORK)
    description = (
        f"{facts['title']} som ett dokument: vägledning, effektkedjor, utvärderingsfrågor och begrepp. "
        f"Version {facts['version']}."
    )
    return render(
        request,
        "larande/document/framework_document.html",
        {"body": body, "facts": facts, "meta_description": description},
    )


@require_safe
def framework_document_pdf(request):
    """The framework document as PDF."""
    try:
        pdf = document.document_pdf(request)
    except document.PdfUnavailable:
        return _pdf_unavailable(request)
    if pdf is None:
        raise Http404(NO_FRAMEWORK)
    return _download(pdf, "application/pdf", f"{document.DOCUMENT_FILENAME}.pdf")


@require_safe
def framework_document_docx(request):
    """The framework document as a Word file."""
    data = document.document_docx(request)
    if data is None:
        raise Http404(NO_FRAMEWORK)
    return _download(data, DOCX_TYPE, f"{document.DOCUMENT_FILENAME}.docx")


def _public_chain(slug: str) -> EffectChainPage:
    chain = visible_pages(EffectChainPage).filter(slug=slug).order_by("path").first()
    if chain is None:
        raise Http404(NO_CHAIN)
    return chain


@require_safe
def chain_diagram_svg(request, slug):
    """A live, public chain's diagram as an SVG file."""
    chain = _public_chain(slug)
    svg = diagrams.chain_diagram(chain, id_prefix="diagram").standalone_svg()
    response = _download(svg, "image/svg+xml; charset=utf-8", f"effektkedja-{chain.slug}.svg")
    # The SVG holds only escaped text and no scripts; forbid any anyway when opened directly.
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@require_safe
def chain_diagram_pdf(request, slug):
    """A live, public chain's diagram as a PDF (A4), followed by its text version."""
    chain = _public_chain(slug)
    try:
        pdf = document.chain_pdf(chain, request)
    except document.PdfUnavailable:
        return _pdf_unavailable(request)
    return _download(pdf, "application/pdf", f"effektkedja-{chain.slug}.pdf")


@require_safe
def coverage_overview(request):
    """/effektkedjor/tackning/: the coverage of every live, public chain at a glance."""
    return render(
        request,
        "larande/coverage_overview.html",
        {"coverages": coverage.coverage_overview(), "meta_description": COVERAGE_DESCRIPTION},
    )
