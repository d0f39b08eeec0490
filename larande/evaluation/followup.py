"""Uppföljning per RUS-prioritering (/uppfoljning/ and /uppfoljning/<prioritering>/).

For each priority of the regional development strategy: the chains its results evaluated, the
indicators of those chains and results with their values against targets over the years (SVG charts
with the same numbers as tables, larande/evaluation/charts.py), the gaps in those chains' coverage
(larande/chains/coverage.py), the latest results and lessons, and the open recommendations
(planerad, pågår). A one-page summary is printable (…/sammanfattning/, print CSS) and a PDF
(…/sammanfattning.pdf, WeasyPrint as for the framework document).

Where a priority's chains come from (`priority_chains`, which the evaluation plan uses too): a
priority is a record; chains name the priorities they belong to, and results name both their
priorities and the chains they evaluated; so a priority's chains are the live, public chains chosen
for it and those of its live, public results. Only live, public results, chains and lessons count
anywhere here; priorities, indicators and their values are public records.

Query budget: the overview is 3 queries; a priority's follow-up is built in a fixed number (about
15), however many results, chains, indicators and recommendations it has, and then kept per content
version (`portal.content_cache`), so a page or summary served again reads only its priority.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import path, re_path
from wagtail.models import Page

from core.forms import PortalPageForm
from core.mixins import IntroMixin
from core.routes import PageRoutesMixin, route_url
from larande.evaluation.charts import IndicatorChart, build_chart
from larande.evaluation.models import EvaluationResultPage, Lesson, Recommendation, ReportedIndicatorValue
from larande.evaluation.questions import Indicator
from larande.evaluation.tracker import OPEN_STATUSES, attach_histories
from larande.records.models import RusPriority
from portal.visibility import request_private_q, visible_pages

LATEST_RESULTS = 5
LATEST_LESSONS = 6
SUMMARY_LESSONS = 3
SUMMARY_GAPS = 6
PDF_CACHE_SECONDS = 60 * 60 * 24
NO_PRIORITY = "Det finns ingen RUS-prioritering med adressen ”{slug}”. Välj en prioritering i listan."


@dataclass
class IndicatorFollowUp:
    """An indicator's values over the years against its targets, and the latest year that has a value
    (a target set ahead, or a year left empty, is no figure to hold against its target)."""

    indicator: Indicator
    chart: IndicatorChart
    latest: object = None

    @property
    def reached(self) -> bool | None:
        """Whether the latest value meets its target; None when either is missing."""
        if self.latest is None or self.latest.value is None or self.latest.target is None:
            return None
        return self.latest.value >= self.latest.target


@dataclass
class PriorityFollowUp:
    """Everything the follow-up page of one priority shows."""

    priority: RusPriority
    results: list = field(default_factory=list)
    chains: list = field(default_factory=list)
    coverages: list = field(default_factory=list)
    indicators: list[IndicatorFollowUp] = field(default_factory=list)
    lessons: list = field(default_factory=list)
    open_recommendations: list = field(default_factory=list)
    recommendation_count: int = 0

    @property
    def latest_results(self) -> list:
        return self.results[:LATEST_RESULTS]

    @property
    def gaps(self) -> list[tuple]:
        """(chain, gap) for every gap in the coverage of the priority's chains."""
        return [(coverage.chain, gap) for coverage in self.coverages for gap in coverage.gaps]

    @property
    def charts(self) -> list[IndicatorChart]:
        return [item.chart for item in self.indicators]


@dataclass(frozen=True)
class YearValue:
    """One year of an indicator's series where the register and a result's report were merged."""

    year: int
    value: object
    target: object


def _series(indicator, register_values, reported_values) -> list:
    """An indicator's values by year: the register's, and a result's reported value for a year the
    register has no value for (newest result first, so the latest report wins). A register row that
    holds only a target for the year takes the reported value and keeps its own target."""
    by_year = {value.year: value for value in register_values}
    for value in reported_values:
        held = by_year.get(value.year)
        if held is None:
            by_year[value.year] = value
        elif held.value is None:  # a reported value is never empty, so a filled year stays
            target = held.target if held.target is not None else value.target
            by_year[value.year] = YearValue(value.year, value.value, target)
    return [by_year[year] for year in sorted(by_year)]


def priority_chains(priority: RusPriority, private_q=None):
    """The chains of a priority: the live, public chains chosen for it on the chain, and those its live,
    public results evaluated; by title (one query). The follow-up and the evaluation plan both use it."""
    from larande.chains.models import EffectChainPage

    results = visible_pages(EvaluationResultPage, private_q=private_q).filter(priorities=priority)
    through = EvaluationResultPage.chains.through
    evaluated = through.objects.filter(evaluationresultpage__in=results).values("effectchainpage_id")
    return (
        visible_pages(EffectChainPage, private_q=private_q)
        .filter(Q(priorities=priority) | Q(pk__in=evaluated))
        .distinct()
        .order_by("title")
    )


def priority_followup(priority: RusPriority, request=None) -> PriorityFollowUp:
    """The follow-up of one priority from live, public content only (a fixed number of queries)."""
    from larande.chains.coverage import chain_coverage_many

    private_q = request_private_q(request)
    results = list(
        visible_pages(EvaluationResultPage, private_q=private_q)
        .filter(priorities=priority)
        .order_by("-published_on", "-pk")
        .prefetch_related("regions")
    )
    followup = PriorityFollowUp(priority=priority, results=results)
    result_ids = [result.pk for result in results]

    followup.chains = list(priority_chains(priority, private_q))
    if not result_ids and not followup.chains:
        return followup
    followup.coverages = chain_coverage_many(followup.chains, private_q)

    reported = list(
        ReportedIndicatorValue.objects.filter(result_id__in=result_ids).order_by("-result__published_on", "pk")
    )
    indicator_ids = {value.indicator_id for value in reported}
    for coverage in followup.coverages:
        indicator_ids |= {indicator.pk for row in coverage.rows for indicator in row.indicators}
    indicators = Indicator.objects.filter(pk__in=indicator_ids).prefetch_related("values").order_by("name")
    for indicator in indicators:
        series = _series(
            indicator, list(indicator.values.all()), [v for v in reported if v.indicator_id == indicator.pk]
        )
        if series:
            chart = build_chart(indicator, series)
            with_value = [value for value in series if value.value is not None]
            followup.indicators.append(IndicatorFollowUp(indicator, chart, with_value[-1] if with_value else None))

    followup.lessons = list(
        Lesson.objects.filter(result_id__in=result_ids)
        .select_related("result")
        .order_by("-result__published_on", "result__path", "sort_order", "pk")[:LATEST_LESSONS]
    )
    recommendations = Recommendation.objects.filter(result_id__in=result_ids)
    followup.recommendation_count = recommendations.count()
    followup.open_recommendations = attach_histories(
        recommendations.filter(status__in=OPEN_STATUSES)
        .select_related("result")
        .order_by("-result__published_on", "result__path", "sort_order", "pk")
    )
    return followup


def priorities_overview(request=None) -> list:
    """Every priority with how many live, public results, and open recommendations in them, it has (2 queries)."""
    results = visible_pages(EvaluationResultPage, private_q=request_private_q(request))
    priorities = list(
        RusPriority.objects.annotate(
            result_count=Count("results", filter=Q(results__in=results), distinct=True)
        ).order_by("title")
    )
    through = EvaluationResultPage.priorities.through
    open_counts: dict[int, int] = {}
    for priority_id, result_id in through.objects.filter(evaluationresultpage__in=results).values_list(
        "ruspriority_id", "evaluationresultpage_id"
    ):
        open_counts.setdefault(priority_id, set()).add(result_id)
    open_by_result: dict[int, int] = {}
    for result_id in Recommendation.objects.filter(result__in=results, status__in=OPEN_STATUSES).values_list(
        "result_id", flat=True
    ):
        open_by_result[result_id] = open_by_result.get(result_id, 0) + 1
    for priority in priorities:
        priority.open_count = sum(open_by_result.get(r, 0) for r in open_counts.get(priority.pk, ()))
    return priorities


class FollowUpIndexPage(PageRoutesMixin, IntroMixin, Page):
    """Uppföljning: the follow-up of every RUS priority, one page and one printable summary each."""

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
    description_fields = ("intro",)
    default_description = (
        "Uppföljning per prioritering i den regionala utvecklingsstrategin: effektkedjor, indikatorer mot mål, "
        "luckor, de senaste resultaten och lärdomarna och öppna rekommendationer."
    )

    base_form_class = PortalPageForm
    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = "uppföljning (lista)"
        verbose_name_plural = "uppföljning (listor)"

    route_labels = {"priority": "en RUS-prioriterings uppföljning"}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["priorities"] = priorities_overview(request)
        return context

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        if not urls:
            return urls
        base = urls[0]
        for slug in RusPriority.objects.order_by("title").values_list("slug", flat=True):
            urls.append({**base, "location": base["location"].rstrip("/") + f"/{slug}/"})
        return urls

    def _priority(self, slug: str) -> RusPriority:
        priority = RusPriority.objects.filter(slug=slug).first()
        if priority is None:
            raise Http404(NO_PRIORITY.format(slug=slug[:100]))
        return priority

    @path("<slug:slug>/", name="priority")
    def priority_view(self, request, slug):
        return priority_page(request, self, self._priority(slug))

    @path("<slug:slug>/sammanfattning/", name="summary")
    def summary_view(self, request, slug):
        return priority_summary(request, self, self._priority(slug))

    @re_path(r"^(?P<slug>[-a-zA-Z0-9_]+)/sammanfattning\.pdf$", name="summary_pdf")
    def summary_pdf_view(self, request, slug):
        return priority_summary_pdf(request, self, self._priority(slug))


def _context(request, index: FollowUpIndexPage, priority: RusPriority, **extra) -> dict:
    from portal.content_cache import cached_for_page

    # The same for every visitor until the content version moves (portal/content_cache.py).
    followup = cached_for_page(index, f"followup:{priority.pk}", lambda: priority_followup(priority, request), request)
    description = priority.description or f"Uppföljning av RUS-prioriteringen {priority.title}."
    return {
        "page": index,
        "self": index,
        "followup": followup,
        "priority": priority,
        "breadcrumb_current": priority.title,
        "meta_description": description,
        "summary_url": route_url(index, "summary", request, slug=priority.slug),
        "pdf_url": route_url(index, "summary_pdf", request, slug=priority.slug),
        "priority_url": route_url(index, "priority", request, slug=priority.slug),
        **extra,
    }


@require_safe
def priority_page(request, index, priority):
    return render(request, "larande/followup_priority.html", _context(request, index, priority))


@require_safe
def priority_summary(request, index, priority):
    return render(request, "larande/followup_summary.html", _context(request, index, priority))


@require_safe
def priority_summary_pdf(request, index, priority):
    """The one-page summary as PDF (A4), from the same HTML as the print view."""
    from larande.publishing import document
    from larande.publishing.document_views import _download, _pdf_unavailable

    html = render_to_string(
        "larande/followup_summary_pdf.html", _context(request, index, priority, for_pdf=True), request=request
    )
    key = f"uppfoljning-pdf:{hashlib.sha256(html.encode()).hexdigest()[:32]}"
    pdf = cache.get(key)
    if pdf is None:
        try:
            pdf = document.html_to_pdf(html, request.build_absolute_uri("/"))
        except document.PdfUnavailable:
            return _pdf_unavailable(request, document.public_framework(request))
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return _download(pdf, "application/pdf", f"uppfoljning-{priority.slug}.pdf")
