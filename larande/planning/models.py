"""Utvärderingsplan: the page where a visitor drafts an evaluation plan from a chain and its questions."""

from django.http import HttpResponse
from django.template.response import TemplateResponse
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import path
from wagtail.models import Page
from wagtail.search import index

from core.forms import PortalPageForm
from core.mixins import IntroMixin
from core.routes import PageRoutesMixin


class EvaluationPlanPage(PageRoutesMixin, IntroMixin, Page):
    """Utvärderingsplan: pick a chain (or a RUS priority) and some of its evaluation questions, and the
    portal drafts a plan (larande/planning/plan.py), also as Word (utvarderingsplan.docx) and PDF
    (utvarderingsplan.pdf). The selection is in the address; a bad one is a 400 with a Swedish message."""

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
    description_fields = ("intro",)
    default_description = (
        "Gör ett utkast till utvärderingsplan: välj en effektkedja eller en RUS-prioritering och dess "
        "utvärderingsfrågor, och få typ, nivå, indikatorer, datakällor, tidpunkt, luckor och en uppdragsbeskrivning."
    )

    base_form_class = PortalPageForm
    content_panels = Page.content_panels + IntroMixin.intro_panels
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = "utvärderingsplan"
        verbose_name_plural = "utvärderingsplaner"

    def get_context(self, request, *args, **kwargs):
        from larande.planning import views  # noqa: PLC0415

        context = super().get_context(request, *args, **kwargs)
        context.update(views.plan_context(request, self))
        return context

    def serve(self, request, view=None, args=None, kwargs=None):
        response = super().serve(request, view, args, kwargs)
        # A selection the plan cannot be made from is the visitor's error: 400, with the message shown.
        if isinstance(response, TemplateResponse) and (response.context_data or {}).get("plan_error"):
            response.status_code = 400
        return response

    @path("utvarderingsplan.docx", name="plan_docx")
    def plan_docx_view(self, request) -> HttpResponse:
        from larande.planning import views  # noqa: PLC0415

        return views.plan_docx(request, self)

    @path("utvarderingsplan.pdf", name="plan_pdf")
    def plan_pdf_view(self, request) -> HttpResponse:
        from larande.planning import views  # noqa: PLC0415

        return views.plan_pdf(request, self)
