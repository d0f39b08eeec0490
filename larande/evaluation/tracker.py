"""Rekommendationer (/rekommendationer/): what the regions did with what they learned.

Every recommendation of every live, public result, with the owner's response and its status
(planerad, pågår, genomförd, avvisad), filtered in the URL by region, year, status, RUS priority and
chain level (core/listings.py: an unknown value gives a Swedish notice, never an error), counted
per status, and also served as open data (larande/publishing/opendata.py: rekommendationer.csv and
.json) and as feeds (routes rss/ and atom/ of the list page, larande/publishing/feeds.py).

Status history. A recommendation is a child row of its result page, and Wagtail keeps a result's
versions as revisions: the live rows are replaced on every publish, and a draft's rows exist only in
its revision. So the history is not kept on the row but in `RecommendationStatusChange`, keyed on
the result and the recommendation's `key` (a UUID stored in every revision of the result, so it
survives republishing, reverting and editing the text), and written when the result is *published*
(`record_status_changes`, a `page_published` receiver): a draft's status never counts, and the
history shows what visitors could read and when. A change is dated by the editor's "statusen gäller
från" or else the day it was published, and never before the change it follows, also when a later
publish corrects its date. The result's form empties "gäller från" on a row whose status the editor
changed without a new date (larande/evaluation/forms.py): the old date was the old status's. The history of an
unpublished or private result stays in the database but is shown nowhere, since everything here
starts from the visible results.

Query budget: the listing reads one light row per recommendation and the regions and priorities of
the visible results (3 queries besides the view restrictions), then one page of recommendations
and their histories (2 queries); it does not grow with the number of recommendations.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import path
from wagtail.models import Page

from core.forms import PortalPageForm
from core.listings import Facet, Row, facet_listing, level_labels, normalize_level, normalize_year, page_links, paginate
from core.mixins import IntroMixin
from core.routes import PageRoutesMixin
from larande.evaluation.models import EvaluationResultPage, Recommendation, result_priorities, result_regions
from portal.visibility import request_private_q, visible_pages

RECOMMENDATIONS_PER_PAGE = 25
Status = Recommendation.Status

# The status in URLs, in Swedish and without diacritics (?status=pagar), and in the order a
# recommendation moves through them.
STATUS_SLUGS = {
    Status.PLANNED: "planerad",
    Status.IN_PROGRESS: "pagar",
    Status.DONE: "genomford",
    Status.REJECTED: "avvisad",
}
SLUG_STATUSES = {slug: status for status, slug in STATUS_SLUGS.items()}
OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)


def normalize_status(value: str) -> str | None:
    """A status's URL form (planerad, pagar, genomford, avvisad), also from its label or stored value."""
    value = value.strip().lower()
    if value in SLUG_STATUSES:
        return value
    for status in Status:
        if value in (status.value, status.label.lower()):
            return STATUS_SLUGS[status]
    return None


RECOMMENDATION_FACETS = [
    Facet(
        "status",
        "Status",
        "Det finns ingen status ”{value}”. Välj planerad, pågår, genomförd eller avvisad.",
        all_label="Alla statusar",
        normalize=normalize_status,
    ),
    Facet(
        "region",
        "Region",
        "Det finns inga rekommendationer från regionen ”{value}”.",
        all_label="Alla regioner",
    ),
    Facet(
        "ar",
        "År",
        "”{value}” är inget årtal. Ange året med fyra siffror, till exempel 2024.",
        all_label="Alla år",
        order="desc",
        normalize=normalize_year,
    ),
    Facet(
        "prioritering",
        "RUS-prioritering",
        "Det finns inga rekommendationer för RUS-prioriteringen ”{value}”.",
        all_label="Alla prioriteringar",
    ),
    Facet(
        "niva",
        "Nivå i effektkedjan",
        "Det finns ingen nivå ”{value}” i effektkedjan. Välj en av nivåerna A–G.",
        all_label="Alla nivåer",
        order="level",
        normalize=normalize_level,
    ),
]


class RecommendationStatusChange(models.Model):
    """One dated status of a recommendation, recorded when its result was published."""

    result = models.ForeignKey(
        EvaluationResultPage,
        verbose_name="resultat",
        on_delete=models.CASCADE,
        related_name="recommendation_history",
    )
    key = models.UUIDField("rekommendationens identitet", db_index=True)
    status = models.CharField("status", max_length=20, choices=Status.choices)
    changed_on = models.DateField("gäller från")
    recorded_at = models.DateTimeField("registrerad", auto_now_add=True)

    class Meta:
        verbose_name = "statusändring för rekommendation"
        verbose_name_plural = "statusändringar för rekommendationer"
        ordering = ["changed_on", "recorded_at", "pk"]

    def __str__(self):
        return f"{self.changed_on}: {self.get_status_display()}"


def record_status_changes(result, today: datetime.date | None = None) -> list[RecommendationStatusChange]:
    """Record the statuses of a just-published result's recommendations that differ from the last
    recorded ones; returns the new changes. An editor's new "gäller från" for an unchanged status
    corrects the date of the last change instead."""
    today = today or timezone.localdate()
    latest: dict = {}
    earliest_allowed: dict = {}  # per key: the day of the change before the last one
    for change in RecommendationStatusChange.objects.filter(result_id=result.pk):
        if change.key in latest:
            earliest_allowed[change.key] = latest[change.key].changed_on
        latest[change.key] = change  # ordered oldest first: the last one wins
    created = []
    for recommendation in Recommendation.objects.filter(result_id=result.pk).order_by("sort_order", "pk"):
        last = latest.get(recommendation.key)
        if last is None or last.status != recommendation.status:
            changed_on = recommendation.status_date or today
            if last is not None and changed_on < last.changed_on:
                # A history reads forwards: a change dated before the one it follows takes that one's day.
                changed_on = last.changed_on
            created.append(
                RecommendationStatusChange(
                    result_id=result.pk, key=recommendation.key, status=recommendation.status, changed_on=changed_on
                )
            )
        elif recommendation.status_date:
            # The correction obeys the same rule: never before the change the last one follows (else the
            # history would reorder and the last change would no longer be the last).
            corrected = max(recommendation.status_date, earliest_allowed.get(recommendation.key, datetime.date.min))
            if corrected != last.changed_on:
                last.changed_on = corrected
                last.save(update_fields=["changed_on"])
    RecommendationStatusChange.objects.bulk_create(created)
    return created


def result_published(sender, instance, **kwargs):
    """`page_published` receiver for results (connected in larande/apps.py)."""
    record_status_changes(instance)


# --- What visitors see ---------------------------------------------------------------------------


def public_recommendations(private_q=None):
    """Recommendations of live, public results, newest result first."""
    results = visible_pages(EvaluationResultPage, private_q=private_q)
    return (
        Recommendation.objects.filter(result__in=results).order_by(
            "-result__published_on", "result__path", "sort_order", "pk"
        ),
        results,
    )


def histories(recommendations) -> dict[tuple[int, object], list[RecommendationStatusChange]]:
    """The status history, oldest first, of each of `recommendations` by (result id, key) (1 query)."""
    recommendations = list(recommendations)
    found: dict = {}
    if not recommendations:
        return found
    result_ids = {r.result_id for r in recommendations}
    keys = {r.key for r in recommendations}
    for change in RecommendationStatusChange.objects.filter(result_id__in=result_ids, key__in=keys):
        found.setdefault((change.result_id, change.key), []).append(change)
    return found


def attach_histories(recommendations) -> list:
    """Give each recommendation its `history` (oldest first) and `status_since` (a date or None)."""
    recommendations = list(recommendations)
    found = histories(recommendations)
    for recommendation in recommendations:
        recommendation.history = found.get((recommendation.result_id, recommendation.key), [])
        recommendation.status_since = recommendation.history[-1].changed_on if recommendation.history else None
    return recommendations


def status_options(listing) -> list[dict]:
    """Every status with how many recommendations have it under the visitor's other filters, and its
    filter link: the counts per status at the top of the list."""
    from core.listings import querystring

    group = next(group for group in listing.groups if group.param == "status")
    counts = {option.value: option.count for option in group.options}
    return [
        {
            "status": status,
            "slug": slug,
            "label": status.label,
            "count": counts.get(slug, 0),
            "selected": group.selected == slug,
            "url": querystring(listing.params, status=slug),
        }
        for status, slug in STATUS_SLUGS.items()
    ]


def facet_rows(private_q=None) -> tuple[list[Row], dict]:
    """One row per visible recommendation with its status, level, and its result's regions, year and
    priorities; and the labels for them (3 queries)."""
    recommendations, results = public_recommendations(private_q)
    regions, region_names = result_regions(results)
    priorities, priority_names = result_priorities(results)
    rows = [
        Row(
            pk,
            {
                "status": frozenset({STATUS_SLUGS.get(status, status)}),
                "region": regions.get(result_id, frozenset()),
                "ar": frozenset({str(published_on.year)}),
                "prioritering": priorities.get(result_id, frozenset()),
                "niva": frozenset({level} if level else ()),
            },
        )
        for pk, result_id, status, level, published_on in recommendations.values_list(
            "pk", "result_id", "status", "chain_level", "result__published_on"
        )
    ]
    labels = {
        "status": {slug: status.label for status, slug in STATUS_SLUGS.items()},
        "region": region_names,
        "prioritering": priority_names,
        "niva": level_labels(),
    }
    return rows, labels


def _status_sort(listing) -> None:
    order = list(STATUS_SLUGS.values())
    for group in listing.groups:
        if group.param == "status":
            group.options.sort(key=lambda option: order.index(option.value) if option.value in order else len(order))


class RecommendationIndexPage(PageRoutesMixin, IntroMixin, Page):
    """Rekommendationer: every recommendation of the published results with its status, also as feeds."""

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
    description_fields = ("intro",)
    default_description = (
        "Rekommendationer från publicerade utvärderingar med ägarens svar och status – planerad, pågår, "
        "genomförd eller avvisad – med filter på region, år, status, RUS-prioritering och nivå."
    )

    base_form_class = PortalPageForm
    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = "rekommendationer (lista)"
        verbose_name_plural = "rekommendationer (listor)"

    def listing(self, params, request=None) -> dict:
        """The recommendations a visitor asked for: filtered, counted per status, one page loaded."""
        rows, labels = facet_rows(request_private_q(request))
        listing = facet_listing(rows, RECOMMENDATION_FACETS, params, labels)
        listing.params = params
        _status_sort(listing)
        page = paginate(listing.keys, params, RECOMMENDATIONS_PER_PAGE)
        keys = list(page.object_list)
        by_pk = {r.pk: r for r in Recommendation.objects.filter(pk__in=keys).select_related("result")}
        items = attach_histories(by_pk[key] for key in keys if key in by_pk)
        return {
            "listing": listing,
            "status_counts": status_options(listing),
            "page_obj": page,
            "pagination": page_links(page, params),
            "recommendations": items,
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.listing(request.GET, request))
        return context

    route_labels = {"rss": "sidans RSS-flöde", "atom": "sidans Atom-flöde"}

    @path("rss/", name="rss")
    def rss_view(self, request):
        from larande.publishing import feeds

        return feeds.recommendations_rss(request, self)

    @path("atom/", name="atom")
    def atom_view(self, request):
        from larande.publishing import feeds

        return feeds.recommendations_atom(request, self)
