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
