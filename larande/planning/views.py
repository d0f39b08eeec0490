"""The evaluation plan page's context and its downloads (routes of `EvaluationPlanPage`).

The plan is drawn from public content only (visible chains and results, public records), so it is
the same for every visitor with the same selection: its HTML body and the files are kept per content
version and selection (`portal.content_cache`). A bad selection is a 400 with the Swedish message of
`PlanError`, on the page and for the downloads alike; a missing PDF library is a 503.
"""

import io
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from core.routes import route_url
from larande.planning.plan import (
    CHAIN_PARAM,
    PRIORITY_PARAM,
    QUESTION_PARAM,
    SHOW_PARAM,
    SHOW_PLAN,
    PlanError,
    build_plan,
    chain_choices,
    parse_selection,
    priority_choices,
)
from larande.publishing import document
from portal.content_cache import cached_on_content
from portal.visibility import request_private_q

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FILENAME = "utvarderingsplan"


def plan_context(request, page) -> dict:
    """What the plan page shows for the selection in the address: the choices, the chain's questions
    to tick, and the plan once questions are ticked; or the message for a bad selection."""
    private_q = request_private_q(request)
    context = {
        "chain_param": CHAIN_PARAM,
        "priority_param": PRIORITY_PARAM,
        "question_param": QUESTION_PARAM,
        "show_param": SHOW_PARAM,
        "show_plan": SHOW_PLAN,
        # The same for every visitor until the content version moves (chains and priorities move it).
        "chain_choices": cached_on_content("plan-chain-choices", lambda: chain_choices(private_q), request),
        "priority_choices": cached_on_content("plan-priority-choices", priority_choices, request),
    }
    try:
        selection = parse_selection(request.GET, private_q)
    except PlanError as error:
        context["plan_error"] = str(error)
        return context
    context["selection"] = selection
    if selection.has_plan:
        context["plan_body"] = _plan_body(request, selection)
        query = urlencode(selection.query_items())
        context["downloads"] = {
            "docx": f"{route_url(page, 'plan_docx', request)}?{query}",
            "pdf": f"{route_url(page, 'plan_pdf', request)}?{query}",
        }
    return context


def _plan_body(request, selection, for_print: bool = False) -> str:
    """The plan as an HTML fragment (also the source of the Word file), kept per version and selection."""
    private_q = request_private_q(request)

    def render_body():
        plan = build_plan(selection, private_q)
        return render_to_string(
            "larande/planning/_plan_body.html",
            {"plan": plan, "for_print": for_print},
        )

    name = f"plan-body:{'print' if for_print else 'web'}:{selection.key}"
    return cached_on_content(name, render_body, request)


def _bad_selection(request, message: str, page) -> HttpResponse:
    return render(
        request,
        "larande/planning/bad_selection.html",
        {"message": message, "plan_page": page, "meta_description": message},
        status=400,
    )


def _selection_for_download(request, page):
    """The checked selection with a plan in it, or the 400 response to give instead."""
    try:
        selection = parse_selection(request.GET, request_private_q(request))
    except PlanError as error:
        return None, _bad_selection(request, str(error), page)
    if not selection.questions:
        message = (
            "Välj en effektkedja eller en RUS-prioritering och minst en utvärderingsfråga innan du laddar ned planen."
        )
        return None, _bad_selection(request, message, page)
    selection.show_plan = True
    return selection, None


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def plan_docx(request, page) -> HttpResponse:
    """The plan as a Word file, written with Word's own styles from the plan's HTML."""
    selection, refusal = _selection_for_download(request, page)
    if refusal is not None:
        return refusal
    body = _plan_body(request, selection, for_print=True)
    title = f"Utvärderingsplan för {selection.subject}"

    def build():
        return PlanDocxBuilder(title, body).build()

    data = cached_on_content(f"plan-docx:{selection.key}", build, request)
    return _download(data, DOCX_TYPE, f"{FILENAME}.docx")


@require_safe
def plan_pdf(request, page) -> HttpResponse:
    """The plan as a PDF (A4), with the framework document's print styles."""
    selection, refusal = _selection_for_download(request, page)
    if refusal is not None:
        return refusal
    body = _plan_body(request, selection, for_print=True)
    title = f"Utvärderingsplan för {selection.subject}"

    def build():
        html = render_to_string("larande/planning/plan_print.html", {"title": title, "body": body}, request=request)
        return document.html_to_pdf(html, request.build_absolute_uri("/"))

    try:
        data = cached_on_content(f"plan-pdf:{selection.key}", build, request)
    except document.PdfUnavailable:
        return render(
            request,
            "larande/document/unavailable.html",
            {"message": document.PDF_UNAVAILABLE_MESSAGE, "framework": document.public_framework(request)},
            status=503,
        )
    return _download(data, "application/pdf", f"{FILENAME}.pdf")


class PlanDocxBuilder(document.DocxBuilder):
    """The framework document's Word writer, for one plan: a title, then the plan's HTML in Word's styles."""

    def __init__(self, title: str, html: str):
        self.title = title
        self.body = html

    def build(self) -> bytes:
        from docx import Document  # noqa: PLC0415 - only needed when a Word file is asked for
        from docx.oxml import OxmlElement  # noqa: PLC0415
        from docx.oxml.ns import qn  # noqa: PLC0415

        self.doc = Document()
        props = self.doc.core_properties
        props.title = self.title
        props.language = "sv-SE"
        props.subject = "Utvärderingsplan – ramverk för strategiskt lärande"
        rpr = self.doc.styles["Normal"].element.get_or_add_rPr()
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "sv-SE")
        rpr.append(lang)
        self.doc.add_heading(self.title, level=0)
        self._html(self.body)
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()
