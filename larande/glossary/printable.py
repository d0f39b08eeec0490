"""The glossary's print view (/begrepp/skriv-ut/): every live, public concept A–Ö on one page.

The same listing as the glossary (`GlossaryIndexPage.listing()`), so the same `?niva=` filter and
the same Swedish message for a level that does not exist. Unlike the glossary page, which keeps
its filter form on the page and answers 200, the print view has nothing else to offer for a bad
level, so it answers 400 with the message and a link to the whole list.

Two queries more than the glossary: the other labels and replacements of the listed concepts
(the listing loads only the fields the glossary shows).
"""

from django.template.response import TemplateResponse
from django.utils import timezone

from larande.glossary.models import CONCEPT_LISTING_FIELDS, split_labels
from larande.models import ConceptPage
from portal.visibility import visible_pages

TEMPLATE = "larande/glossary_print.html"
PRINT_DESCRIPTION = (
    "Lärportalens begreppslista A–Ö för utskrift: term, engelsk term, nivå i effektkedjan, andra benämningar och "
    "definition för varje begrepp."
)


def _add_print_details(concepts: list) -> None:
    """Give each concept `print_labels` (its other labels) and `replacement` (the live, public
    concept to use instead of a deprecated one, or None), in two queries whatever the number."""
    for concept in concepts:
        concept.print_labels, concept.replacement = [], None
    if not concepts:
        return
    details = {
        pk: (labels, use_instead_id)
        for pk, labels, use_instead_id in ConceptPage.objects.filter(pk__in=[c.pk for c in concepts]).values_list(
            "pk", "other_labels", "use_instead_id"
        )
    }
    wanted = {details[c.pk][1] for c in concepts if c.is_deprecated and c.pk in details and details[c.pk][1]}
    replacements = (
        {c.pk: c for c in visible_pages(ConceptPage).filter(pk__in=wanted).only(*CONCEPT_LISTING_FIELDS)}
        if wanted
        else {}
    )
    for concept in concepts:
        labels, use_instead_id = details.get(concept.pk, ("", None))
        concept.print_labels = split_labels(labels)
        if concept.is_deprecated and use_instead_id:
            concept.replacement = replacements.get(use_instead_id)


def print_view(glossary, request):
    """Begrepp A–Ö for printing, optionally for one chain level."""
    context = glossary.listing(request.GET)
    concepts = [concept for group in context["letter_groups"] for concept in group["concepts"]]
    _add_print_details(concepts)
    glossary_url = glossary.get_url(request) or "/"
    context.update(
        {
            "glossary": glossary,
            # base.html: the glossary's menu item and breadcrumbs, which end in this view's name.
            "page": glossary,
            "breadcrumb_current": "Utskrift",
            "glossary_url": glossary_url,
            "glossary_absolute_url": request.build_absolute_uri(glossary_url),
            "printed_at": timezone.localdate(),
            "meta_description": PRINT_DESCRIPTION,
        }
    )
    return TemplateResponse(request, TEMPLATE, context, status=400 if context["invalid_level"] else 200)
