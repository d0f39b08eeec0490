"""Föreslå en utvärderingsfråga: questions stakeholders propose, handled by editors and never published as such."""

from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from core.levels import ChainLevel

QUESTION_SUGGESTION_NAME_MAX_LENGTH = 100
QUESTION_SUGGESTION_ORGANISATION_MAX_LENGTH = 200
QUESTION_SUGGESTION_QUESTION_MAX_LENGTH = 500
QUESTION_SUGGESTION_REASON_MAX_LENGTH = 2000


class QuestionSuggestionStatus(models.TextChoices):
    NEW = "new", "Ny"
    IN_PROGRESS = "in_progress", "Under behandling"
    DECIDED = "decided", "Beslutad och tillagd"
    DECLINED = "declined", "Avböjd"


class QuestionSuggestion(models.Model):
    """An evaluation question a stakeholder proposes, and why. Only editors see it; a question
    decided together is added to the register by an editor (EvaluationQuestion, with its decision)."""

    name = models.CharField("namn", max_length=QUESTION_SUGGESTION_NAME_MAX_LENGTH, blank=True)
    organisation = models.CharField(
        "organisation eller forum", max_length=QUESTION_SUGGESTION_ORGANISATION_MAX_LENGTH, blank=True
    )
    question = models.CharField("föreslagen fråga", max_length=QUESTION_SUGGESTION_QUESTION_MAX_LENGTH)
    chain_level = models.CharField("nivå i effektkedjan", max_length=1, choices=ChainLevel.choices, blank=True)
    reason = models.TextField("varför frågan behövs", max_length=QUESTION_SUGGESTION_REASON_MAX_LENGTH)
    created_at = models.DateTimeField("inkommet", auto_now_add=True, db_index=True)
    status = models.CharField(
        "status",
        max_length=20,
        choices=QuestionSuggestionStatus.choices,
        default=QuestionSuggestionStatus.NEW,
        db_index=True,
    )
    editor_note = models.TextField("redaktionens anteckning", blank=True, max_length=2000)
    evaluation_question = models.ForeignKey(
        "larande.EvaluationQuestion",
        verbose_name="utvärderingsfråga",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Utvärderingsfrågan som beslutades utifrån förslaget.",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("question", read_only=True),
                FieldPanel("chain_level", read_only=True),
                FieldPanel("reason", read_only=True),
                FieldPanel("name", read_only=True),
                FieldPanel("organisation", read_only=True),
            ],
            heading="Förslaget",
        ),
        FieldRowPanel([FieldPanel("status"), FieldPanel("evaluation_question")]),
        FieldPanel("editor_note"),
    ]

    class Meta:
        verbose_name = "frågeförslag"
        verbose_name_plural = "frågeförslag"
        ordering = ["-created_at"]

    def __str__(self):
        return self.question
