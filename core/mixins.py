"""Small abstract mixins shared by page types, each carrying its own panels."""

from django.db import models
from wagtail.admin.panels import FieldPanel


class TaggedPageMixin(models.Model):
    """A page with tags. Each concrete page declares `tags` with its own through model;
    this mixin gives the shared panel and helpers."""

    tag_panels = [FieldPanel("tags")]

    class Meta:
        abstract = True

    @property
    def tag_list(self):
        """Tags sorted by name, from the prefetch cache where the listing made one."""
        return sorted(self.tags.all(), key=lambda t: t.name.lower())


class IntroMixin(models.Model):
    """A plain-text introduction, shown under the heading and used as the search snippet."""

    intro = models.TextField("ingress", blank=True, max_length=600)

    intro_panels = [FieldPanel("intro")]

    class Meta:
        abstract = True


class TermExplanationMixin(models.Model):
    """A page whose rich text and StreamField text get the glossary's terms explained in place
    (see `larande.glossary.terms`); editors can switch that off for the page."""

    explain_terms = models.BooleanField(
        "förklara begrepp i sidans text",
        default=True,
        help_text="Länka begrepp ur begreppslistan med deras definition första gången de förekommer i sidans text.",
    )

    term_panels = [FieldPanel("explain_terms")]

    class Meta:
        abstract = True
