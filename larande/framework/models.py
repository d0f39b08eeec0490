"""The framework's written guidance: Ramverket and its chapters, in order."""

from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from django.db import models
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import CONTENT_BLOCKS
from core.forms import PortalPageForm
from core.mixins import IntroMixin, TaggedPageMixin, TermExplanationMixin
from core.routes import PageRoutesMixin, ParentRouteSlugMixin, RouteSafePageForm
from portal.visibility import visible_pages

# Ids the page template itself uses; a heading must never take one of them.
RESERVED_IDS = frozenset({"huvudinnehall", "innehall-rubrik", "kapitel-rubrik", "taggar-rubrik"})
# The framework document's downloads: ramverk-for-strategiskt-larande.pdf and .docx.
DOCUMENT_FILENAME = "ramverk-for-strategiskt-larande"
# Blocks whose own heading (or table caption) belongs in the table of contents.
HEADED_BLOCKS = {"callout": "heading", "benefits": "heading", "table": "caption"}


@dataclass
class BodySection:
    """One block of a chapter's body, rendered, with the id its wrapper carries."""

    anchor: str
    block_type: str
    html: SafeString
    toc: list[dict] = field(default_factory=list)


def _unique_id(candidate: str, used: set[str]) -> str:
    anchor, n = candidate, 1
    while anchor in used or anchor in RESERVED_IDS:
        n += 1
        anchor = f"{candidate}-{n}"
    used.add(anchor)
    return anchor


def anchor_headings(html: str, used: set[str], tag: str = "h3") -> tuple[str, list[dict]]:
    """Give every `tag` heading in `html` an id (kept if it has one) and list them for a TOC.

    Parses the HTML rather than matching patterns, so attributes, nested markup and entities in
    headings are handled. Ids are readable slugs of the heading text, unique across `used`.
    """
    soup = BeautifulSoup(html, "html.parser")
    entries = []
    for heading in soup.find_all(tag):
        title = heading.get_text(" ", strip=True)
        if not title:
            continue
        existing = heading.get("id")
        if existing and existing not in used and existing not in RESERVED_IDS:
            used.add(existing)
            anchor = existing
        else:
            anchor = _unique_id(slugify(title) or "rubrik", used)
        heading["id"] = anchor
        entries.append({"anchor": anchor, "title": title})
    return str(soup), entries


class FrameworkIndexPage(PageRoutesMixin, IntroMixin, Page):
    """Ramverket: the guidance chapters, in the order editors give them in the page tree, and the
    whole framework as one document (dokument/, with .pdf and .docx downloads)."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["larande.GuidancePage"]
    max_count = 1
    description_fields = ("intro",)
    default_description = (
        "Vägledningen i ramverket för strategiskt lärande, kapitel för kapitel: hur regionen följer upp, "
        "utvärderar och lär av den regionala utvecklingsstrategin."
    )

    base_form_class = PortalPageForm
    content_panels = Page.content_panels + IntroMixin.intro_panels
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = "ramverk (startsida för vägledningen)"
        verbose_name_plural = "ramverk"

    def chapters(self):
        return visible_pages(GuidancePage.objects.child_of(self)).order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["chapters"] = self.chapters()
        return context

    route_labels = {"document": "ramverket som dokument"}

    @path("dokument/", name="document")
    def document_view(self, request):
        from larande.publishing import document_views

        return document_views.framework_document(request)

    @path(f"dokument/{DOCUMENT_FILENAME}.pdf", name="document_pdf")
    def document_pdf_view(self, request):
        from larande.publishing import document_views

        return document_views.framework_document_pdf(request, self)

    @path(f"dokument/{DOCUMENT_FILENAME}.docx", name="document_docx")
    def document_docx_view(self, request):
        from larande.publishing import document_views

        return document_views.framework_document_docx(request)


class GuidancePageTag(TaggedItemBase):
    content_object = ParentalKey("larande.GuidancePage", related_name="tagged_items", on_delete=models.CASCADE)


class GuidancePage(ParentRouteSlugMixin, TermExplanationMixin, TaggedPageMixin, IntroMixin, Page):
    """Vägledning: one chapter of the framework document."""

    body = StreamField(CONTENT_BLOCKS, verbose_name="innehåll", blank=True)
    tags = ClusterTaggableManager("taggar", through=GuidancePageTag, blank=True)

    base_form_class = RouteSafePageForm
    parent_page_types = ["larande.FrameworkIndexPage"]
    subpage_types = []
    description_fields = ("intro",)
    default_description = "Ett kapitel i vägledningen för ramverket för strategiskt lärande."

    content_panels = Page.content_panels + IntroMixin.intro_panels + [FieldPanel("body")]
    promote_panels = Page.promote_panels + TaggedPageMixin.tag_panels + TermExplanationMixin.term_panels
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("live"),
    ]
    api_fields = [APIField("intro"), APIField("body"), APIField("tags")]

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
        context["previous_chapter"] = chapters[position - 1] if position else None
        context["next_chapter"] = (
            chapters[position + 1] if position is not None and position + 1 < len(chapters) else None
        )
        sections = self.body_sections({"page": self, "request": request})
        context["sections"] = sections
        context["toc"] = [entry for section in sections for entry in section.toc]
        return context

    def body_sections(self, context=None) -> list[BodySection]:
        """The body's blocks rendered in order, each wrapped under an id the TOC links to.

        Headed blocks (fact boxes, benefit lists, tables) are listed by their heading and linked
        to their wrapper; paragraphs contribute each h3 they contain, which get ids of their own.
        """
        sections = []
        used = {f"avsnitt-{i}" for i in range(1, len(self.body) + 1)}
        for i, block in enumerate(self.body, start=1):
            anchor = f"avsnitt-{i}"
            html = block.render(context)
            toc = []
            if block.block_type == "paragraph":
                html, toc = anchor_headings(html, used)
            elif block.block_type in HEADED_BLOCKS:
                title = (block.value.get(HEADED_BLOCKS[block.block_type]) or "").strip()
                if title:
                    toc = [{"anchor": anchor, "title": title}]
            # Block templates escape their values; re-serialising the parsed HTML keeps that.
            sections.append(BodySection(anchor, block.block_type, mark_safe(html), toc))  # noqa: S308
        return sections

    def table_of_contents(self):
        """Headings of the body for the chapter's own table of contents: [{"anchor", "title"}]."""
        return [entry for section in self.body_sections() for entry in section.toc]
