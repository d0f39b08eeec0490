"""Tag pages, outside the page tree: everything public that carries a tag."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from larande.records.tags import content_for_tag


def tag_detail(request, slug):
    """Everything public carrying a tag. A tag that only drafts or private pages carry is a 404,
    so that not even its name reaches a visitor who cannot see that content."""
    if "\x00" in slug:
        # PostgreSQL refuses NUL in a string literal; no tag can carry one anyway.
        raise Http404("Taggen finns inte.")
    tag = get_object_or_404(Tag, slug=slug)
    groups = content_for_tag(tag)
    total = sum(len(group["items"]) for group in groups)
    if not total:
        raise Http404("Ingen publicerad sida har taggen.")
    description = (
        f"Allt som är publicerat på Lärportalen med taggen ”{tag.name}”: begrepp, vägledning, resultat med mera."
    )
    return render(
        request,
        "larande/tag_detail.html",
        {"tag": tag, "groups": groups, "total": total, "meta_description": description},
    )
