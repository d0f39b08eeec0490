"""Views for the framework document, chain diagram downloads and the coverage overview.

They are routes of their pages (core/routes.py): the document on the framework page
(FrameworkIndexPage, /ramverket/dokument/), the coverage overview on the chain list
(ChainIndexPage, /effektkedjor/tackning/), the downloads on each chain (EffectChainPage,
…/diagram.svg, …/diagram.pdf). A route of a page anonymous visitors may not see is a 404 before
it gets here. Only live, public content is served; anything else is a 404, and a missing PDF
library a 503, both with a Swedish message.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from larande.chains import coverage, diagrams
from larande.chains import evidence as link_evidence
from larande.framework.models import DOCUMENT_FILENAME
from larande.models import EffectChainPage, FrameworkIndexPage
from larande.publishing import document

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NO_FRAMEWORK = "Ramverket är inte publicerat ännu, så det finns inget dokument att visa."
COVERAGE_DESCRIPTION = (
    "Täckningen för alla effektkedjor: vilka nivåer som har indikatorer, utvärderingsfrågor och resultat, och "
    "var luckorna finns."
)


def _download(content: bytes | str, content_type: str, filename: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _pdf_unavailable(request, framework: FrameworkIndexPage | None) -> HttpResponse:
    """503 with a Swedish message and, when there is one to read, a link to the document on the web."""
    return render(
        request,
        "larande/document/unavailable.html",
        {"message": document.PDF_UNAVAILABLE_MESSAGE, "framework": framework},
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
def framework_document_pdf(request, framework: FrameworkIndexPage):
    """The framework document as PDF."""
    try:
        pdf = document.document_pdf(request)
    except document.PdfUnavailable:
        return _pdf_unavailable(request, framework)
    if pdf is None:
        raise Http404(NO_FRAMEWORK)
    return _download(pdf, "application/pdf", f"{DOCUMENT_FILENAME}.pdf")


@require_safe
def framework_document_docx(request):
    """The framework document as a Word file."""
    data = document.document_docx(request)
    if data is None:
        raise Http404(NO_FRAMEWORK)
    return _download(data, DOCX_TYPE, f"{DOCUMENT_FILENAME}.docx")


@require_safe
def chain_diagram_svg(request, chain: EffectChainPage):
    """A live, public chain's diagram as an SVG file."""
    evidence = link_evidence.evidence_by_link([chain.pk])
    svg = diagrams.chain_diagram(chain, id_prefix="diagram", evidence=evidence).standalone_svg()
    response = _download(svg, "image/svg+xml; charset=utf-8", f"effektkedja-{chain.slug}.svg")
    # The SVG holds only escaped text and no scripts; forbid any anyway when opened directly.
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@require_safe
def chain_diagram_pdf(request, chain: EffectChainPage):
    """A live, public chain's diagram as a PDF (A4), followed by its text version."""
    try:
        pdf = document.chain_pdf(chain, request)
    except document.PdfUnavailable:
        return _pdf_unavailable(request, document.public_framework(request))
    return _download(pdf, "application/pdf", f"effektkedja-{chain.slug}.pdf")


@require_safe
def coverage_overview(request):
    """/effektkedjor/tackning/: the coverage of every live, public chain at a glance."""
    return render(
        request,
        "larande/coverage_overview.html",
        {"coverages": coverage.coverage_overview(request), "meta_description": COVERAGE_DESCRIPTION},
    )
