"""Components for result pages: indicator charts, share metadata, and how to cite the result.

{% load result_tags %}
{% share_meta page %}        in <head>: Open Graph, Twitter card, canonical URL, JSON-LD
{% indicator_charts page %}  in <main>: one SVG chart and data table per reported indicator
{% citation page %}          in <main>: "Så citerar du" and the stable permalink
"""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from core.descriptions import meta_description
from larande.evaluation.charts import indicator_charts as build_indicator_charts
from larande.publishing.opendata import DATASETS, LICENCE
from portal.content_cache import cached_for_page, origin_key, serves_published_page
from portal.origin import page_full_url
from portal.visibility import is_visible

register = template.Library()

SITE_NAME = "Lärportalen"
# How a citation names the portal.
SITE_DESCRIPTION = "Lärportalen – ramverk för strategiskt lärande"
DESCRIPTION_LENGTH = 300
# A JSON document inside <script> must not be able to close the element or open a comment:
# the same escapes Django's json_script uses, so "</script>" in a title stays text.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data) -> str:
    """`data` serialised for a <script type="application/ld+json"> element, safely escaped."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=False)
    return mark_safe(text.translate(JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped above, like json_script


def is_public_live(page) -> bool:
    """Whether anonymous visitors may see this page as it is stored: live, unexpired, unrestricted."""
    return is_visible(page)


def _is_result(page) -> bool:
    from larande.models import EvaluationResultPage

    return isinstance(page, EvaluationResultPage)


def page_description(page) -> str:
    """The text a shared link shows under the title: the page's meta description
    (core/descriptions.py: the editor's search description, else the result's key findings…),
    with room for a little more."""
    return meta_description(page, length=DESCRIPTION_LENGTH)


def permalink_url(page, request) -> str:
    """The page's stable address (/permalank/<id>/), absolute when there is a request."""
    path = reverse("outputs:permalink", args=[page.pk])
    return request.build_absolute_uri(path) if request is not None else path


def _reported_values(page) -> list:
    """The result's reported values with their indicators (one query; in a preview, the draft's)."""
    if page is None or not hasattr(page, "indicator_values"):
        return []
    return list(page.indicator_values.select_related("indicator"))


def result_json_ld(page, request, canonical: str, values=None) -> dict:
    """schema.org for a result: the Report, and a Dataset for each indicator it reports."""
    report_id = f"{canonical}#rapport"
    author = {"@type": "Organization", "name": page.evaluator}
    publisher = {"@type": "Organization", "name": SITE_NAME, "url": request.build_absolute_uri("/")}
    report = {
        "@type": "Report",
        "@id": report_id,
        "name": page.title,
        "headline": Truncator(page.title).chars(110),
        "description": page_description(page),
        "url": canonical,
        "identifier": permalink_url(page, request),
        "inLanguage": "sv",
        "datePublished": page.published_on.isoformat(),
        "author": author,
        "publisher": publisher,
        "about": page.evaluated,
        "temporalCoverage": f"{page.period_start.isoformat()}/{page.period_end.isoformat()}",
        "spatialCoverage": [
            {"@type": "AdministrativeArea", "name": region.name} for region in page.regions.order_by("name")
        ],
        "keywords": sorted((tag.name for tag in page.tags.all()), key=str.lower),
        "isAccessibleForFree": True,
    }
    if page.last_published_at:
        report["dateModified"] = page.last_published_at.isoformat()
    if page.is_fictitious:
        report["creativeWorkStatus"] = "Fiktivt exempel"
    downloads = DATASETS["indikatorvarden"]
    graph = [report]
    for chart in build_indicator_charts(values if values is not None else _reported_values(page)):
        indicator = chart.indicator
        years = [row.year for row in chart.rows]
        graph.append(
            {
                "@type": "Dataset",
                "@id": f"{canonical}#{chart.dom_id}",
                "name": f"{indicator.name} – {page.title}",
                "description": indicator.definition,
                "url": f"{canonical}#{chart.dom_id}",
                "isPartOf": {"@id": report_id},
                "creator": author,
                "license": LICENCE["url"],
                "isAccessibleForFree": True,
                "temporalCoverage": f"{min(years)}/{max(years)}" if min(years) != max(years) else str(years[0]),
                "variableMeasured": {"@type": "PropertyValue", "name": indicator.name, "unitText": indicator.unit},
                "distribution": [
                    {
                        "@type": "DataDownload",
                        "encodingFormat": mime,
                        "contentUrl": request.build_absolute_uri(downloads.url(fmt)),
                    }
                    for fmt, mime in (("csv", "text/csv"), ("json", "application/json"))
                ],
            }
        )
    return {"@context": "https://schema.org", "@graph": graph}


@register.inclusion_tag("components/share_meta.html", takes_context=True)
def share_meta(context, page):
    """Open Graph and Twitter card metadata, the canonical URL and (for results) schema.org JSON-LD.

    Renders nothing unless the page is live and public and this is not an admin preview, so a
    draft, a scheduled or a private page never hands its text to a link preview or a crawler.
    """
    request = context.get("request")
    if request is None or getattr(request, "is_preview", False):
        return {"show": False}
    if serves_published_page(page, request):
        # Holds absolute addresses: one entry per scheme and host.
        return cached_for_page(page, f"share-meta:{origin_key(request)}", lambda: _share_meta(page, request), request)
    if getattr(page, "alias_of_id", None) and is_public_live(page):
        return _share_meta(page, request)
    return {"show": False}


def _share_meta(page, request) -> dict:
    canonical = page_full_url(page, request)
    is_result = _is_result(page)
    tags = sorted((tag.name for tag in page.tags.all()), key=str.lower) if hasattr(page, "tags") else []
    published = getattr(page, "published_on", None) or (page.first_published_at and page.first_published_at.date())
    return {
        "show": True,
        "canonical": canonical,
        "title": page.seo_title or page.title,
        "description": page_description(page),
        "site_name": SITE_NAME,
        "og_type": "article",
        "published": published.isoformat() if published else "",
        "modified": page.last_published_at.isoformat() if page.last_published_at else "",
        "tags": tags,
        "json_ld": json_ld(result_json_ld(page, request, canonical)) if is_result else "",
    }


@register.inclusion_tag("components/indicator_charts.html", takes_context=True)
def indicator_charts(context, page, heading="Indikatorer", heading_id="indikatorer-rubrik"):
    """Each indicator the result reports, as an SVG line chart of values over years against the
    target with the same numbers in a table beside it; nothing when the result reports none.
    The charts of a published result are drawn once per content version."""
    charts = cached_for_page(
        page, "indicator-charts", lambda: build_indicator_charts(_reported_values(page)), context.get("request")
    )
    return {"charts": charts, "heading": heading, "heading_id": heading_id}


@register.inclusion_tag("components/citation.html", takes_context=True)
def citation(context, page, heading="Så citerar du", heading_id="citera-rubrik"):
    """A citation line for the page (author, year, title, portal, date, permalink) and the permalink."""
    request = context.get("request")
    published = getattr(page, "published_on", None) or (page.first_published_at and page.first_published_at.date())
    author = getattr(page, "evaluator", "") or SITE_NAME
    return {
        "page": page,
        "author": author,
        "year": published.year if published else "",
        "published": published,
        "site": SITE_DESCRIPTION,
        "permalink": permalink_url(page, request) if getattr(page, "pk", None) else "",
        "heading": heading,
        "heading_id": heading_id,
    }
