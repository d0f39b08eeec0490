"""Addresses of routes that live on section pages, where the template has no page at hand.

{% load page_routes %}
{% section_route_url "larande.ResultIndexPage" "rss" as results_rss %}

The address follows the page wherever editors put it, or is None (empty) when no page of that type
is visible to anonymous visitors. Where the page is at hand, use `{% routablepageurl page "rss" %}`.
All section pages are read in one query per request (core/routes.py).
"""

from django import template

from core.routes import section_route_url as _section_route_url

register = template.Library()


@register.simple_tag(takes_context=True)
def section_route_url(context, model_label, route_name):
    return _section_route_url(model_label, route_name, context.get("request"))
