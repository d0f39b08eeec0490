"""Template helpers for the learning pages: level badges and tag links."""

from decimal import Decimal, InvalidOperation

from django import template

from core.levels import ChainLevel
from core.svg import format_number

register = template.Library()


@register.inclusion_tag("components/level_badge.html")
def level_badge(level, long=False):
    """A chain level as a badge with its letter and name in text, never colour alone.

    Takes a ChainLevel or its letter; renders nothing for an empty or unknown level.
    `long=True` adds the level's horizon (e.g. "0–2 år") where it has one.
    """
    if not isinstance(level, ChainLevel):
        level = ChainLevel.parse(level)
    return {"level": level, "long": long}


@register.inclusion_tag("components/tag_list.html")
def tag_links(tags, heading="Taggar", heading_level=2, heading_id="taggar-rubrik"):
    """Tags as links to their tag pages, under a heading; nothing when there are no tags."""
    return {"tags": list(tags or []), "heading": heading, "heading_level": heading_level, "heading_id": heading_id}


@register.filter
def swedish_number(value):
    """A number as Swedish readers write it: "1 234,5" (no trailing zeros, grouped thousands).

    Empty values give an empty string; anything that is not a number is shown as it is.
    """
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    return format_number(number)
