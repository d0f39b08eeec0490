"""The concept map on a concept's page: the neighbours drawn as SVG, and the same as a list.

{% load concept_map_tags %}
{% concept_map page %}    the "Närliggande begrepp" section: map, caption and the list with links

The relations come from the page's context, where `ConceptPage.get_context` put the result of
`public_relations()`; the tag makes no queries of its own then. Used elsewhere (without those
context variables) it asks the page once itself.
"""

from django import template

from larande.glossary.concept_map import build_concept_map

register = template.Library()

RELATION_KEYS = ("broader_concepts", "narrower_concepts", "related_concepts", "contrasts")


def _relations(context, page) -> dict:
    if all(key in context for key in RELATION_KEYS):
        return {key: context[key] for key in RELATION_KEYS}
    return page.public_relations()


@register.inclusion_tag("components/concept_map.html", takes_context=True)
def concept_map(context, page, heading_level=2):
    """The concept's neighbours as an accessible SVG map followed by the list equivalent.

    Renders nothing when the concept has no public relation or contrast.
    """
    cmap = build_concept_map(page, _relations(context, page)) if page is not None else None
    return {
        "map": cmap,
        "page": page,
        "heading_level": heading_level,
        "request": context.get("request"),
    }
