"""Evaluation questions and indicators: records managed with modeladmin, tied to chain levels."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import number_format
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from core.levels import ChainLevel
from core.pickers import PageCheckboxes
from portal.visibility import visible_pages

SUMMATIVE_LEVELS = [
    ChainLevel.PRESTATIONER,
    ChainLevel.UTFALL,
    ChainLevel.KORTSIKTIGA_EFFEKTER,
    ChainLevel.LANGSIKTIGA_EFFEKTER,
]


class QuestionKind(models.TextChoices):
    PROCESS = "process", "Processorienterad"
    SUMMATIVE = "summative", "Summerande"


QUESTION_KIND_HEADINGS = {
    QuestionKind.PROCESS: "Processorienterade frågor",
    QuestionKind.SUMMATIVE: "Summerande frågor",
}
QUESTION_KIND_DESCRIPTIONS = {
    QuestionKind.PROCESS: "Frågor om implementeringen: hur insatserna planeras och genomförs.",
    QuestionKind.SUMMATIVE: "Frågor om resultatet: prestationer, utfall och effekter.",
}


class Indicator(index.Indexed, ClusterableModel):
    """Indikator: what is measured, how, and its values over time against targets."""

    name = models.CharField("namn", max_length=200, unique=True)
    definition = models.TextField("definition", max_length=2000)
    unit = models.CharField("enhet", max_length=60, help_text="T.ex. antal, procent, kronor.")
    source = models.CharField("källa", max_length=300, blank=True)
    chain_level = models.CharField("nivå i effektkedjan", max_length=1, choices=ChainLevel.choices, db_index=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("definition"),
        FieldPanel("unit"),
        FieldPanel("source"),
        FieldPanel("chain_level"),
        InlinePanel("values", label="Värde", heading="Värden per år"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("definition"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = "indikator"
        verbose_name_plural = "indikatorer"

    def __str__(self):
        return self.name

    @property
    def level(self) -> ChainLevel | None:
        return ChainLevel.parse(self.chain_level)


class IndicatorValue(Orderable):
    indicator = ParentalKey(Indicator, related_name="values", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField("år")
    value = models.DecimalField("värde", max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField("målvärde", max_digits=14, decimal_places=2, null=True, blank=True)

    panels = [FieldPanel("year"), FieldPanel("value"), FieldPanel("target")]

    class Meta(Orderable.Meta):
        verbose_name = "värde"
        verbose_name_plural = "värden"
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="unique_indicator_year")]

    def __str__(self):
        parts = [f"värde {number_format(self.value)}" if self.value is not None else ""]
        parts.append(f"mål {number_format(self.target)}" if self.target is not None else "")
        return f"{self.year}: {', '.join(part for part in parts if part)}"

    def clean(self):
        super().clean()
        if self.year is not None and not 1900 <= self.year <= 2200:
            raise ValidationError({"year": "Ange ett år mellan 1900 och 2200."})
        if self.value is None and self.target is None:
            raise ValidationError({"value": "Ange ett värde, ett målvärde eller båda."})


class TaggedQuestion(TaggedItemBase):
    content_object = ParentalKey("larande.EvaluationQuestion", related_name="tagged_items", on_delete=models.CASCADE)


class EvaluationQuestion(index.Indexed, ClusterableModel):
    """Utvärderingsfråga: process-oriented (implementation) or summative (results, on a level)."""

    text = models.CharField("fråga", max_length=500, unique=True)
    kind = models.CharField("typ", max_length=20, choices=QuestionKind.choices, db_index=True)
    chain_level = models.CharField(
        "nivå i effektkedjan",
        max_length=1,
        choices=ChainLevel.choices,
        blank=True,
        db_index=True,
        help_text="Krävs för summerande frågor: prestationer, utfall, kortsiktiga eller långsiktiga effekter.",
    )
    explanation = models.TextField("förklaring", blank=True, max_length=2000)
    chains = ParentalManyToManyField(
        "larande.EffectChainPage", verbose_name="effektkedjor", blank=True, related_name="questions"
    )
    indicators = ParentalManyToManyField(Indicator, verbose_name="indikatorer", blank=True, related_name="questions")
    tags = ClusterTaggableManager("taggar", through=TaggedQuestion, blank=True)
    # The decision that anchors the question: decided together, on a date, by regions and in forums.
    decided_on = models.DateField("beslutad gemensamt den", null=True, blank=True)
    decision_regions = ParentalManyToManyField(
        "larande.Region", verbose_name="regioner som beslutade", blank=True, related_name="decided_questions"
    )
    decision_forums = models.CharField(
        "forum där frågan beslutades",
        max_length=300,
        blank=True,
        help_text="Till exempel Regionala utvecklingsnämnden eller ett gemensamt RUS-forum.",
    )
    decision_rationale = models.TextField("motivering", max_length=1000, blank=True)

    panels = [
        FieldPanel("text"),
        FieldPanel("kind"),
        FieldPanel("chain_level"),
        FieldPanel("explanation"),
        FieldPanel("chains", widget=PageCheckboxes),
        FieldPanel("indicators"),
        FieldPanel("tags"),
        MultiFieldPanel(
            [
                FieldPanel("decided_on"),
                FieldPanel("decision_regions", widget=forms.CheckboxSelectMultiple),
                FieldPanel("decision_forums"),
                FieldPanel("decision_rationale"),
            ],
            heading="Gemensamt beslut om frågan",
        ),
    ]
    search_fields = [
        index.SearchField("text"),
        index.SearchField("explanation"),
        index.AutocompleteField("text"),
        index.FilterField("kind"),
        index.FilterField("chain_level"),
    ]

    class Meta:
        ordering = ["kind", "chain_level", "text"]
        verbose_name = "utvärderingsfråga"
        verbose_name_plural = "utvärderingsfrågor"

    def __str__(self):
        return self.text

    @property
    def level(self) -> ChainLevel | None:
        return ChainLevel.parse(self.chain_level)

    @classmethod
    def grouped(cls, questions=None) -> list[dict]:
        """Questions grouped by kind (process first, then summative) and, within a kind, by level
        from B down to G, with questions without a level last. One query."""
        questions = list(cls.objects.order_by("text") if questions is None else questions)
        groups = []
        for kind in QuestionKind:
            of_kind = [q for q in questions if q.kind == kind]
            if not of_kind:
                continue
            levels = []
            for level in [*ChainLevel.top_down(), None]:
                at_level = [q for q in of_kind if q.level == level]
                if at_level:
                    levels.append({"level": level, "questions": at_level})
            groups.append(
                {
                    "kind": kind,
                    "label": QUESTION_KIND_HEADINGS[kind],
                    "description": QUESTION_KIND_DESCRIPTIONS[kind],
                    "levels": levels,
                    "count": len(of_kind),
                }
            )
        return groups

    def public_chains(self):
        """The live, public effect chains this question belongs to."""
        from larande.chains.models import EffectChainPage

        return (
            EffectChainPage.objects.live()
            .public()
            .filter(questions=self.pk)
            .order_by("title")
            .only("id", "title", "url_path", "path", "depth", "intro")
        )

    def public_answers(self):
        """Answers to this question from live, public results, newest result first."""
        from larande.evaluation.models import EvaluationResultPage, QuestionAnswer

        return (
            QuestionAnswer.objects.filter(question=self.pk, result__in=visible_pages(EvaluationResultPage))
            .select_related("result")
            .order_by("-result__published_on", "result__title", "sort_order")
        )

    @property
    def is_decided(self) -> bool:
        return self.decided_on is not None

    def clean(self):
        super().clean()
        self.text = " ".join((self.text or "").split())
        self.decision_forums = " ".join((self.decision_forums or "").split())
        if not self.decided_on and (self.decision_forums or self.decision_rationale.strip()):
            raise ValidationError({"decided_on": "Ange vilket datum frågan beslutades gemensamt."})
        if self.kind == QuestionKind.SUMMATIVE:
            if not self.chain_level:
                raise ValidationError({"chain_level": "En summerande fråga måste höra till en nivå: E, D, C eller B."})
            if self.chain_level not in SUMMATIVE_LEVELS:
                raise ValidationError(
                    {
                        "chain_level": "Summerande frågor gäller resultat: välj prestationer (E), utfall (D), "
                        "kortsiktiga effekter (C) eller långsiktiga effekter (B)."
                    }
                )
