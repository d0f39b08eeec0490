"""{% palette "brand_dark" %}: a colour of the portal's one palette (core.svg.PALETTE), for templates
that cannot use portal.css's custom properties: the PDF's print.css and the self-contained 500 page."""

from django import template

from core.svg import PALETTE

register = template.Library()


@register.simple_tag
def palette(name):
    """The palette's colour `name` as "#rrggbb"; an unknown name is a mistake and raises KeyError."""
    return PALETTE[name]
