"""Föreslå ett begrepp: suggestions from visitors, handled by editors and never published as such."""

from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

SUGGESTION_NAME_MAX_LENGTH = 100
SUGGESTION_TERM_MAX_LENGTH = 120
SUGGESTION_REASON_MAX_LENGTH = 2000


class SuggestionStatus(models.TextChoices):
    NEW = "new", "Ny"
    IN_PROGRESS = "in_progress", "Under behandling"
    ADDED = "added", "Tillagd i begreppslistan"
    DECLINED = "declined", "Avböjd"


class ConceptSuggestion(models.Model):
    """A term a visitor thinks the glossary lacks, and why. Only editors see it."""

    name = models.CharField("namn", max_length=SUGGESTION_NAME_MAX_LENGTH, blank=True)
    term = models.CharField("föreslaget begrepp", max_length=SUGGESTION_TERM_MAX_LENGTH)
    reason = models.TextField("varför begreppet behövs", max_length=SUGGESTION_REASON_MAX_LENGTH)
    created_at = models.DateTimeField("inkommet", auto_now_add=True, db_index=True)
    status = models.CharField(
        "status", max_length=20, choices=SuggestionStatus.choices, default=SuggestionStatus.NEW, db_index=True
    )
    editor_note = models.TextField("redaktionens anteckning", blank=True, max_length=2000)
    concept = models.ForeignKey(
        "larande.ConceptPage",
        verbose_name="begrepp i listan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Begreppssidan som skapades eller som förslaget gäller.",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("term", read_only=True),
                FieldPanel("reason", read_only=True),
                FieldPanel("name", read_only=True),
            ],
            heading="Förslaget",
        ),
        FieldRowPanel([FieldPanel("status"), FieldPanel("concept")]),
        FieldPanel("editor_note"),
    ]

    class Meta:
        verbose_name = "begreppsförslag"
        verbose_name_plural = "begreppsförslag"
        ordering = ["-created_at"]

    def __str__(self):
        return self.term
