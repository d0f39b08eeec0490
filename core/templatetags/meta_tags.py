"""{% meta_description %} in base.html's <head>: the page's meta description (core/descriptions.py)."""

from django import template
from django.utils.html import format_html

from core.descriptions import meta_description as describe

register = template.Library()


@register.simple_tag(takes_context=True)
def meta_description(context):
    """<meta name="description"> from the view's `meta_description`, or the page's, or the portal's."""
    page = context.get("page")
    return format_html(
        '<meta name="description" content="{}">',
        describe(page if hasattr(page, "specific_class") else None, context.get("meta_description", "")),
    )
