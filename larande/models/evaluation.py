"""Evaluation results, with their answers, recommendations and lessons learned."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from larande.levels import ChainLevel

from .mixins import IntroMixin, TaggedPageMixin

TEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class ResultIndexPage(IntroMixin, Page):
    """Resultat: published evaluation results, newest first."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["larande.EvaluationResultPage"]
    max_count = 1

    content_panels = Page.content_panels + IntroMixin.intro_panels

    class Meta:
        verbose_name = "resultat (lista)"
        verbose_name_plural = "resultat (listor)"


class LessonIndexPage(IntroMixin, Page):
    """Lärdomar: every lesson of every live, public result, with facets."""

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    content_panels = Page.content_panels + IntroMixin.intro_panels

    class Meta:
        verbose_name = "lärdomar (lista)"
        verbose_name_plural = "lärdomar (listor)"


class EvaluationResultPageTag(TaggedItemBase):
    content_object = ParentalKey("larande.EvaluationResultPage", related_name="tagged_items", on_delete=models.CASCADE)


class EvaluationResultPage(TaggedPageMixin, IntroMixin, Page):
    """Ett utvärderingsresultat: what was evaluated, what was found, and what we learned."""

    evaluated = models.TextField("vad utvärderades", max_length=2000)
    period_start = models.DateField("perioden börjar")
    period_end = models.DateField("perioden slutar")
    regions = ParentalManyToManyField("larande.Region", verbose_name="regioner", blank=True, related_name="results")
    priorities = ParentalManyToManyField(
        "larande.RusPriority", verbose_name="RUS-prioriteringar", blank=True, related_name="results"
    )
    chains = ParentalManyToManyField(
        "larande.EffectChainPage", verbose_name="effektkedjor", blank=True, related_name="results"
    )
    evaluator = models.CharField("utvärderare", max_length=300)
    key_findings = models.TextField(
        "viktigaste slutsatserna i korthet", max_length=600, help_text="Högst tre rader: visas överst och i listor."
    )
    findings = RichTextField("iakttagelser", blank=True, features=TEXT_FEATURES)
    conclusions = RichTextField("slutsatser", blank=True, features=TEXT_FEATURES)
    is_fictitious = models.BooleanField(
        "fiktivt exempel", default=False, help_text="Markera exempel som inte bygger på en verklig utvärdering."
    )
    published_on = models.DateField("publiceringsdatum", default=datetime.date.today, db_index=True)
    tags = ClusterTaggableManager("taggar", through=EvaluationResultPageTag, blank=True)

    parent_page_types = ["larande.ResultIndexPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("evaluated"),
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")], heading="Period"),
        FieldPanel("regions"),
        FieldPanel("priorities"),
        FieldPanel("chains"),
        FieldPanel("evaluator"),
        FieldPanel("is_fictitious"),
        FieldPanel("key_findings"),
        InlinePanel("answers", label="Svar", heading="Utvärderingsfrågor och svar"),
        FieldPanel("findings"),
        FieldPanel("conclusions"),
        InlinePanel("recommendations", label="Rekommendation", heading="Rekommendationer"),
        InlinePanel("lessons", label="Lärdom", heading="Lärdomar"),
        InlinePanel("indicator_values", label="Indikatorvärde", heading="Rapporterade indikatorvärden"),
        InlinePanel("documents", label="Dokument", heading="Dokument"),
        FieldPanel("published_on"),
    ]
    promote_panels = Page.promote_panels + TaggedPageMixin.tag_panels
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("evaluated"),
        index.SearchField("key_findings"),
        index.SearchField("findings"),
        index.SearchField("conclusions"),
        index.FilterField("published_on"),
    ]

    class Meta:
        verbose_name = "utvärderingsresultat"
        verbose_name_plural = "utvärderingsresultat"

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "Perioden kan inte sluta innan den börjar."})

    @property
    def year(self) -> int:
        return self.published_on.year

    @property
    def period_years(self) -> float:
        if not (self.period_start and self.period_end):
            return 0
        return (self.period_end - self.period_start).days / 365.25


class QuestionAnswer(Orderable):
    class Status(models.TextChoices):
        ANSWERED = "answered", "Besvarad"
        PARTLY = "partly", "Delvis besvarad"
        NOT_ANSWERED = "not_answered", "Inte besvarad ännu"

    result = ParentalKey(EvaluationResultPage, related_name="answers", on_delete=models.CASCADE)
    question = models.ForeignKey(
        "larande.EvaluationQuestion", verbose_name="fråga", on_delete=models.CASCADE, related_name="answers"
    )
    answer = models.TextField("svar", max_length=4000)
    status = models.CharField("hur väl frågan besvaras", max_length=20, choices=Status.choices, default=Status.ANSWERED)

    panels = [FieldPanel("question"), FieldPanel("answer"), FieldPanel("status")]

    class Meta(Orderable.Meta):
        verbose_name = "svar"
        verbose_name_plural = "svar"


class Recommendation(Orderable):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planerad"
        IN_PROGRESS = "in_progress", "Pågår"
        DONE = "done", "Genomförd"
        REJECTED = "rejected", "Avvisad"

    result = ParentalKey(EvaluationResultPage, related_name="recommendations", on_delete=models.CASCADE)
    text = models.TextField("rekommendation", max_length=2000)
    response = models.TextField("ägarens svar", blank=True, max_length=2000)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.PLANNED)

    panels = [FieldPanel("text"), FieldPanel("response"), FieldPanel("status")]

    class Meta(Orderable.Meta):
        verbose_name = "rekommendation"
        verbose_name_plural = "rekommendationer"


class Lesson(Orderable, ClusterableModel):
    """Lärdom: a short, taggable statement drawn from a result."""

    result = ParentalKey(EvaluationResultPage, related_name="lessons", on_delete=models.CASCADE)
    statement = models.CharField("lärdom", max_length=400)
    chain_level = models.CharField(
        "nivå i effektkedjan", max_length=1, choices=ChainLevel.choices, blank=True, db_index=True
    )
    tags = ParentalManyToManyField("taggit.Tag", verbose_name="taggar", blank=True, related_name="lessons")

    panels = [FieldPanel("statement"), FieldPanel("chain_level"), FieldPanel("tags")]

    class Meta(Orderable.Meta):
        verbose_name = "lärdom"
        verbose_name_plural = "lärdomar"

    def __str__(self):
        return self.statement

    @property
    def level(self) -> ChainLevel | None:
        return ChainLevel.parse(self.chain_level)


class ReportedIndicatorValue(Orderable):
    result = ParentalKey(EvaluationResultPage, related_name="indicator_values", on_delete=models.CASCADE)
    indicator = models.ForeignKey(
        "larande.Indicator", verbose_name="indikator", on_delete=models.CASCADE, related_name="reported_values"
    )
    year = models.PositiveSmallIntegerField("år")
    value = models.DecimalField("värde", max_digits=14, decimal_places=2)
    target = models.DecimalField("målvärde", max_digits=14, decimal_places=2, null=True, blank=True)

    panels = [FieldPanel("indicator"), FieldPanel("year"), FieldPanel("value"), FieldPanel("target")]

    class Meta(Orderable.Meta):
        verbose_name = "indikatorvärde"
        verbose_name_plural = "indikatorvärden"

    def clean(self):
        super().clean()
        if self.year is not None and not 1900 <= self.year <= 2200:
            raise ValidationError({"year": "Ange ett år mellan 1900 och 2200."})


class ResultDocument(Orderable):
    result = ParentalKey(EvaluationResultPage, related_name="documents", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="dokument", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("visningsnamn", max_length=300, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "dokument"
        verbose_name_plural = "dokument"
