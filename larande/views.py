"""Views outside the page tree: tag pages."""

from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from larande.tags import content_for_tag


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    groups = content_for_tag(tag)
    return render(
        request,
        "larande/tag_detail.html",
        {"tag": tag, "groups": groups, "total": sum(len(g["items"]) for g in groups)},
    )
