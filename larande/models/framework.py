"""The framework's written guidance: Ramverket and its chapters, in order."""

from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from larande.blocks import CONTENT_BLOCKS

from .mixins import IntroMixin, TaggedPageMixin


class FrameworkIndexPage(IntroMixin, Page):
    """Ramverket: the guidance chapters, in the order editors give them in the page tree."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["larande.GuidancePage"]
    max_count = 1

    content_panels = Page.content_panels + IntroMixin.intro_panels
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = "ramverk (startsida för vägledningen)"
        verbose_name_plural = "ramverk"

    def chapters(self):
        return GuidancePage.objects.child_of(self).live().public().order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["chapters"] = self.chapters()
        return context


class GuidancePageTag(TaggedItemBase):
    content_object = ParentalKey("larande.GuidancePage", related_name="tagged_items", on_delete=models.CASCADE)


class GuidancePage(TaggedPageMixin, IntroMixin, Page):
    """Vägledning: one chapter of the framework document."""

    body = StreamField(CONTENT_BLOCKS, verbose_name="innehåll", blank=True)
    tags = ClusterTaggableManager("taggar", through=GuidancePageTag, blank=True)

    parent_page_types = ["larande.FrameworkIndexPage"]
    subpage_types = []

    content_panels = Page.content_panels + IntroMixin.intro_panels + [FieldPanel("body")]
    promote_panels = Page.promote_panels + TaggedPageMixin.tag_panels
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("live"),
    ]

    class Meta:
        verbose_name = "vägledning (kapitel)"
        verbose_name_plural = "vägledningar"

    def siblings(self):
        return list(
            GuidancePage.objects.sibling_of(self, inclusive=True)
            .live()
            .public()
            .order_by("path")
            .only("id", "title", "url_path", "path", "depth")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        chapters = self.siblings()
        ids = [c.id for c in chapters]
        position = ids.index(self.id) if self.id in ids else None
        context["chapters"] = chapters
        context["chapter_number"] = position + 1 if position is not None else None
        if position is not None:
            context["previous_chapter"] = chapters[position - 1] if position > 0 else None
            context["next_chapter"] = chapters[position + 1] if position + 1 < len(chapters) else None
        context["toc"] = self.table_of_contents()
        return context

    def table_of_contents(self):
        """Headings of the body's blocks, for the chapter's own table of contents."""
        entries = []
        for i, block in enumerate(self.body):
            heading = None
            if block.block_type in ("callout", "benefits") and block.value.get("heading"):
                heading = block.value["heading"]
            elif block.block_type == "table":
                heading = block.value["caption"]
            if heading:
                entries.append({"anchor": f"avsnitt-{i + 1}", "title": heading})
        return entries
