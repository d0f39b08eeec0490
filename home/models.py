"""The start page and general pages (about, accessibility statement)."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import CONTENT_BLOCKS
from core.forms import PortalPageForm
from core.mixins import TermExplanationMixin
from portal.visibility import visible_pages


class HomePage(TermExplanationMixin, Page):
    """Startsidan: an introduction to the framework and entry points into the portal."""

    introduction = RichTextField(
        "introduktion",
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text="Vad ramverket är och vem portalen är till för.",
    )
    latest_results_count = models.PositiveSmallIntegerField("antal senaste resultat", default=3)

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    # Meta description (core/descriptions.py): the introduction, else the portal's own.
    description_fields = ("introduction",)
    base_form_class = PortalPageForm
    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("latest_results_count")]
    promote_panels = Page.promote_panels + TermExplanationMixin.term_panels
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    api_fields = [APIField("introduction")]

    class Meta:
        verbose_name = "startsida"
        verbose_name_plural = "startsidor"

    def entry_points(self):
        """The section index pages directly below the start page, in tree order."""
        from larande.models import (
            ChainIndexPage,
            FrameworkIndexPage,
            GlossaryIndexPage,
            LessonIndexPage,
            ResultIndexPage,
        )

        types = (GlossaryIndexPage, FrameworkIndexPage, ChainIndexPage, ResultIndexPage, LessonIndexPage)
        entries = list(visible_pages(Page.objects.child_of(self)).type(*types).specific().order_by("path"))
        for entry in entries:
            # The glossary is announced as "Begrepp A–Ö", the way staff look for it.
            entry.entry_label = f"{entry.title} A–Ö" if isinstance(entry, GlossaryIndexPage) else entry.title
        return entries

    def latest_results(self):
        from larande.models import EvaluationResultPage

        return (
            visible_pages(EvaluationResultPage.objects.descendant_of(self))
            .order_by("-published_on", "-first_published_at")
            .only("id", "title", "url_path", "path", "depth", "key_findings", "published_on", "is_fictitious")[
                : self.latest_results_count
            ]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["entry_points"] = self.entry_points()
        context["latest_results"] = self.latest_results()
        return context


class StandardPage(TermExplanationMixin, Page):
    """En allmän sida, t.ex. Om portalen eller Tillgänglighetsredogörelse."""

    intro = models.TextField("ingress", blank=True, max_length=600)
    body = StreamField(CONTENT_BLOCKS, verbose_name="innehåll", blank=True)

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    description_fields = ("intro",)
    base_form_class = PortalPageForm
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    promote_panels = Page.promote_panels + TermExplanationMixin.term_panels
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]

    class Meta:
        verbose_name = "allmän sida"
        verbose_name_plural = "allmänna sidor"


class CollectionVisibility(models.Model):
    """Whether an editor has opened a collection: its documents and images may then be shown to
    anyone, even when no published page uses them (home/files.py holds the whole rule).

    A collection without a row, or with `is_public` off, is closed: its files are shown only where
    a live, public page uses them. Only the marked collection is opened, not its sub-collections.
    """

    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name="samling",
        on_delete=models.CASCADE,
        related_name="visibility",
    )
    is_public = models.BooleanField(
        "Öppen samling: filerna får visas för alla",
        default=False,
        help_text=(
            "Dokument och bilder i samlingen får visas och laddas ned av alla besökare, även om "
            "ingen publicerad sida använder dem. Gäller inte undersamlingar."
        ),
    )

    panels = [FieldPanel("collection"), FieldPanel("is_public")]

    class Meta:
        verbose_name = "öppen samling"
        verbose_name_plural = "öppna samlingar"

    def __str__(self):
        state = "öppen" if self.is_public else "stängd"
        return f"{self.collection.name} ({state})"
