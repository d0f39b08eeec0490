"""Supporting records shared by the pages: regions, RUS priorities, tags."""

from django.db import models
from django.utils.text import slugify
from wagtail.search import index


class Region(index.Indexed, models.Model):
    """A region taking part in the framework work (län or region)."""

    name = models.CharField("namn", max_length=120, unique=True)
    slug = models.SlugField("kortnamn i adresser", max_length=120, unique=True, allow_unicode=False)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = "region"
        verbose_name_plural = "regioner"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class RusPriority(index.Indexed, models.Model):
    """A goal or priority of the regional development strategy (RUS)."""

    title = models.CharField("titel", max_length=200, unique=True)
    slug = models.SlugField("kortnamn i adresser", max_length=200, unique=True)
    description = models.TextField("beskrivning", blank=True)

    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["title"]
        verbose_name = "RUS-prioritering"
        verbose_name_plural = "RUS-prioriteringar"

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)
        super().save(*args, **kwargs)
