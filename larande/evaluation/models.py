"""Evaluation results, with their answers, recommendations and lessons learned."""

import datetime
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.api_fields import (
    ChainLevelField,
    IndicatorField,
    NamedRecordsField,
    PublicPagesField,
    QuestionField,
    TagNamesField,
)
from core.forms import PortalPageForm
from core.levels import ChainLevel
from core.listings import (
    Facet,
    Row,
    facet_listing,
    level_labels,
    normalize_level,
    normalize_year,
    page_links,
    paginate,
)
from core.mixins import IntroMixin, TaggedPageMixin, TermExplanationMixin
from core.pickers import FormInlinePanel
from core.routes import PageRoutesMixin, ParentRouteSlugMixin
from larande.evaluation.forms import (
    ChainLinkSelect,
    LessonForm,
    LinkEvidenceForm,
    RecommendationForm,
    ResultPageForm,
)
from portal.visibility import visible_pages

TEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link", "document-link"]
RESULTS_PER_PAGE = 10
LESSONS_PER_PAGE = 25

RESULT_FACETS = [
    Facet(
        "region", "Region", "Det finns inga publicerade resultat från regionen ”{value}”.", all_label="Alla regioner"
    ),
    Facet(
        "ar",
        "År",
        "”{value}” är inget årtal. Ange året med fyra siffror, till exempel 2024.",
        all_label="Alla år",
        order="desc",
        normalize=normalize_year,
    ),
    Facet("tagg", "Tagg", "Det finns inga publicerade resultat med taggen ”{value}”.", all_label="Alla taggar"),
]

LESSON_FACETS = [
    Facet("tagg", "Tagg", "Det finns inga lärdomar med taggen ”{value}”.", all_label="Alla taggar"),
    Facet(
        "niva",
        "Nivå i effektkedjan",
        "Det finns ingen nivå ”{value}” i effektkedjan. Välj en av nivåerna A–G.",
        all_label="Alla nivåer",
        order="level",
        normalize=normalize_level,
    ),
    Facet("region", "Region", "Det finns inga lärdomar från regionen ”{value}”.", all_label="Alla regioner"),
    Facet(
        "ar",
        "År",
        "”{value}” är inget årtal. Ange året med fyra siffror, till exempel 2024.",
        all_label="Alla år",
        order="desc",
        normalize=normalize_year,
    ),
    Facet(
        "prioritering",
        "RUS-prioritering",
        "Det finns inga lärdomar för RUS-prioriteringen ”{value}”.",
        all_label="Alla prioriteringar",
    ),
]


def _values_by_key(pairs) -> tuple[dict, dict]:
    """From (key, slug, name) triples: {key: frozenset(slugs)} and {slug: name}."""
    values: dict = {}
    labels: dict[str, str] = {}
    for key, slug, name in pairs:
        values.setdefault(key, set()).add(slug)
        labels[slug] = name
    return {key: frozenset(slugs) for key, slugs in values.items()}, labels


def result_regions(results) -> tuple[dict, dict]:
    """Region slugs per result id, and region names by slug, for a queryset of results (1 query)."""
    through = EvaluationResultPage._meta.get_field("regions").remote_field.through
    return _values_by_key(
        through.objects.filter(evaluationresultpage__in=results).values_list(
            "evaluationresultpage_id", "region__slug", "region__name"
        )
    )


def result_priorities(results) -> tuple[dict, dict]:
    """RUS priority slugs per result id, and titles by slug (1 query)."""
    through = EvaluationResultPage._meta.get_field("priorities").remote_field.through
    return _values_by_key(
        through.objects.filter(evaluationresultpage__in=results).values_list(
            "evaluationresultpage_id", "ruspriority__slug", "ruspriority__title"
        )
    )


def result_tags(results) -> tuple[dict, dict]:
    """Tag slugs per result id, and tag names by slug (1 query)."""
    return _values_by_key(
        EvaluationResultPageTag.objects.filter(content_object__in=results).values_list(
            "content_object_id", "tag__slug", "tag__name"
        )
    )


def _in_order(model_qs, keys):
    by_pk = {obj.pk: obj for obj in model_qs.filter(pk__in=keys)}
    return [by_pk[key] for key in keys if key in by_pk]


class ResultIndexPage(PageRoutesMixin, IntroMixin, Page):
    """Resultat: published evaluation results, newest first, also as feeds (rss/, atom/)."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["larande.EvaluationResultPage"]
    max_count = 1
    description_fields = ("intro",)
    default_description = (
        "Resultat från uppföljningar och utvärderingar av den regionala utvecklingsstrategin, nyast först, med "
        "filter på region, år och tagg."
    )

    base_form_class = PortalPageForm
    content_panels = Page.content_panels + IntroMixin.intro_panels
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = "resultat (lista)"
        verbose_name_plural = "resultat (listor)"

    def results(self):
        """Live, public results under this index, newest first."""
        return (
            EvaluationResultPage.objects.child_of(self)
            .live()
            .public()
            .order_by("-published_on", F("first_published_at").desc(nulls_last=True), "-pk")
        )

    def facet_rows(self, results) -> tuple[list[Row], dict]:
        """One row per result with its regions, year and tags, and the labels for them (3 queries)."""
        regions, region_names = result_regions(results)
        tags, tag_names = result_tags(results)
        rows = [
            Row(
                pk,
                {
                    "region": regions.get(pk, frozenset()),
                    "ar": frozenset({str(published_on.year)}),
                    "tagg": tags.get(pk, frozenset()),
                },
            )
            for pk, published_on in results.values_list("pk", "published_on")
        ]
        return rows, {"region": region_names, "tagg": tag_names}

    def listing(self, params) -> dict:
        """The results a visitor asked for: filtered, counted, and one page of them loaded."""
        results = self.results()
        rows, labels = self.facet_rows(results)
        listing = facet_listing(rows, RESULT_FACETS, params, labels)
        page = paginate(listing.keys, params, RESULTS_PER_PAGE)
        items = _in_order(
            EvaluationResultPage.objects.prefetch_related("regions", "tags"),
            list(page.object_list),
        )
        return {"listing": listing, "page_obj": page, "pagination": page_links(page, params), "results": items}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.listing(request.GET))
        return context

    route_labels = {"rss": "sidans RSS-flöde", "atom": "sidans Atom-flöde"}

    @path("rss/", name="rss")
    def rss_view(self, request):
        from larande.publishing import feeds

        return feeds.results_rss(request, self)

    @path("atom/", name="atom")
    def atom_view(self, request):
        from larande.publishing import feeds

        return feeds.results_atom(request, self)


class LessonIndexPage(PageRoutesMixin, IntroMixin, Page):
    """Lärdomar: every lesson of every live, public result, with facets, also as feeds (rss/, atom/)."""

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
    description_fields = ("intro",)
    default_description = (
        "Lärdomar ur publicerade utvärderingsresultat, med filter på tagg, nivå i effektkedjan, region, år och "
        "RUS-prioritering."
    )

    base_form_class = PortalPageForm
    content_panels = Page.content_panels + IntroMixin.intro_panels
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = "lärdomar (lista)"
        verbose_name_plural = "lärdomar (listor)"

    @staticmethod
    def lessons():
        """Every lesson of every live, public result, newest result first."""
        results = visible_pages(EvaluationResultPage)
        return Lesson.objects.filter(result__in=results).order_by(
            "-result__published_on", "result__path", "sort_order", "pk"
        ), results

    @classmethod
    def facet_rows(cls) -> tuple[list[Row], dict, dict]:
        """One row per lesson with its tags and level, and its result's regions, year and
        priorities; the labels for them; and region names per result (5 queries in all)."""
        lessons, results = cls.lessons()
        through = Lesson._meta.get_field("tags").remote_field.through
        tags, tag_names = _values_by_key(
            through.objects.filter(lesson__in=lessons).values_list("lesson_id", "tag__slug", "tag__name")
        )
        regions, region_names = result_regions(results)
        priorities, priority_names = result_priorities(results)
        rows = [
            Row(
                pk,
                {
                    "tagg": tags.get(pk, frozenset()),
                    "niva": frozenset({level} if level else ()),
                    "region": regions.get(result_id, frozenset()),
                    "ar": frozenset({str(published_on.year)}),
                    "prioritering": priorities.get(result_id, frozenset()),
                },
            )
            for pk, result_id, level, published_on in lessons.values_list(
                "pk", "result_id", "chain_level", "result__published_on"
            )
        ]
        labels = {"tagg": tag_names, "niva": level_labels(), "region": region_names, "prioritering": priority_names}
        regions_by_result = {
            result_id: sorted(region_names[slug] for slug in slugs) for result_id, slugs in regions.items()
        }
        return rows, labels, regions_by_result

    def listing(self, params) -> dict:
        """The lessons a visitor asked for: filtered with AND across facets, counted, paginated."""
        rows, labels, regions_by_result = self.facet_rows()
        listing = facet_listing(rows, LESSON_FACETS, params, labels)
        page = paginate(listing.keys, params, LESSONS_PER_PAGE)
        items = _in_order(
            Lesson.objects.select_related("result").prefetch_related("tags"),
            list(page.object_list),
        )
        for lesson in items:
            lesson.region_names = regions_by_result.get(lesson.result_id, [])
        return {"listing": listing, "page_obj": page, "pagination": page_links(page, params), "lessons": items}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.listing(request.GET))
        return context

    route_labels = {"rss": "sidans RSS-flöde", "atom": "sidans Atom-flöde"}

    @path("rss/", name="rss")
    def rss_view(self, request):
        from larande.publishing import feeds

        return feeds.lessons_rss(request, self)

    @path("atom/", name="atom")
    def atom_view(self, request):
        from larande.publishing import feeds

        return feeds.lessons_atom(request, self)


class EvaluationResultPageTag(TaggedItemBase):
    content_object = ParentalKey("larande.EvaluationResultPage", related_name="tagged_items", on_delete=models.CASCADE)


class EvaluationResultPage(ParentRouteSlugMixin, TermExplanationMixin, TaggedPageMixin, IntroMixin, Page):
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

    base_form_class = ResultPageForm
    parent_page_types = ["larande.ResultIndexPage"]
    subpage_types = []
    description_fields = ("key_findings", "intro")

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("evaluated"),
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")], heading="Period"),
        FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
        FieldPanel("priorities", widget=forms.CheckboxSelectMultiple),
        FieldPanel("chains", widget=forms.CheckboxSelectMultiple),
        FieldPanel("evaluator"),
        FieldPanel("is_fictitious"),
        FieldPanel("key_findings"),
        InlinePanel("answers", label="Svar", heading="Utvärderingsfrågor och svar"),
        FormInlinePanel(
            "link_evidence",
            form_class=LinkEvidenceForm,
            label="Prövad länk",
            heading="Länkar i effektkedjan som resultatet prövar",
            help_text="Ange vilka länkar ”leder till” som svaren eller iakttagelserna prövar, och om de stöder "
            "länken, motsäger den eller inte ger något tydligt besked. Bara publicerade, öppna resultat räknas "
            "på kedjans sida.",
        ),
        FieldPanel("findings"),
        FieldPanel("conclusions"),
        FormInlinePanel(
            "recommendations", label="Rekommendation", heading="Rekommendationer", form_class=RecommendationForm
        ),
        FormInlinePanel("lessons", label="Lärdom", heading="Lärdomar", form_class=LessonForm),
        InlinePanel("indicator_values", label="Indikatorvärde", heading="Rapporterade indikatorvärden"),
        InlinePanel("documents", label="Dokument", heading="Dokument"),
        FieldPanel("published_on"),
    ]
    promote_panels = Page.promote_panels + TaggedPageMixin.tag_panels + TermExplanationMixin.term_panels
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("evaluated"),
        index.SearchField("key_findings"),
        index.SearchField("findings"),
        index.SearchField("conclusions"),
        index.FilterField("published_on"),
    ]
    api_fields = [
        APIField("intro"),
        APIField("evaluated"),
        APIField("period_start"),
        APIField("period_end"),
        APIField("regions", serializer=NamedRecordsField()),
        APIField("priorities", serializer=NamedRecordsField()),
        # Only the chains a visitor may open: a draft or private chain stays out.
        APIField("chains", serializer=PublicPagesField()),
        APIField("evaluator"),
        APIField("is_fictitious"),
        APIField("key_findings"),
        APIField("answers"),
        APIField("findings"),
        APIField("conclusions"),
        APIField("recommendations"),
        APIField("lessons"),
        APIField("indicator_values"),
        APIField("documents"),
        APIField("published_on"),
        APIField("tags"),
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

    def public_chains(self):
        """The chains this result evaluated that a visitor may open: live and public only."""
        from larande.chains.models import EffectChainPage
        from portal.visibility import visible_pages

        chain_ids = list(self.chains.values_list("id", flat=True))
        if not chain_ids:
            return []
        return list(
            visible_pages(EffectChainPage)
            .filter(pk__in=chain_ids)
            .order_by("title")
            .only("id", "title", "url_path", "path", "depth")
        )

    def tested_links(self, chains) -> list[dict]:
        """The links this result tests, of the visible `chains` only (a hidden chain's links are not
        named), each with its chain, its elements and what the result says (two queries)."""
        from larande.chains.models import ChainElement  # noqa: PLC0415

        by_pk = {chain.pk: chain for chain in chains}
        if not by_pk or not self.pk:
            return []
        rows = list(
            self.link_evidence.filter(link__chain_id__in=list(by_pk))
            .select_related("link")
            .order_by("sort_order", "pk")
        )
        titles = {
            (e.chain_id, e.key.strip().upper()): e.title
            for e in ChainElement.objects.filter(chain_id__in={row.link.chain_id for row in rows}).only(
                "chain_id", "key", "title"
            )
        }

        def element(link, key):
            return " ".join(f"{key} {titles.get((link.chain_id, key.strip().upper()), '')}".split())

        return [
            {
                "chain": by_pk[row.link.chain_id],
                "source": element(row.link, row.link.source_key),
                "target": element(row.link, row.link.target_key),
                "verdict": row.get_verdict_display(),
                "finding": row.finding,
            }
            for row in rows
        ]

    def result_context(self) -> dict:
        """What the page shows besides its own fields: answers, the links it tests, recommendations,
        lessons, values, documents, regions, priorities and the visible chains it evaluated."""
        evaluated_chains = self.public_chains()
        return {
            "answers": list(self.answers.select_related("question")),
            "recommendations": list(self.recommendations.all()),
            "lessons": list(self.lessons.prefetch_related("tags")),
            "indicator_values": sorted(
                self.indicator_values.select_related("indicator"),
                key=lambda v: (v.indicator.name.lower(), v.year),
            ),
            "documents": list(self.documents.select_related("document")),
            "regions": list(self.regions.all()),
            "priorities": list(self.priorities.all()),
            "evaluated_chains": evaluated_chains,
            "tested_links": self.tested_links(evaluated_chains),
        }

    def get_context(self, request, *args, **kwargs):
        from portal.content_cache import cached_for_page

        context = super().get_context(request, *args, **kwargs)
        # The same for every visitor until the content version moves; a preview computes its own.
        context.update(cached_for_page(self, "result-context", self.result_context, request))
        return context


class QuestionAnswer(Orderable):
    class Status(models.TextChoices):
        ANSWERED = "answered", "Besvarad"
        PARTLY = "partly", "Delvis besvarad"
        NOT_ANSWERED = "not_answered", "Inte besvarad ännu"

    result = ParentalKey(EvaluationResultPage, related_name="answers", on_delete=models.CASCADE)
    # PROTECT: a record a result uses is not deleted (larande/records/usage.py explains the rule).
    question = models.ForeignKey(
        "larande.EvaluationQuestion", verbose_name="fråga", on_delete=models.PROTECT, related_name="answers"
    )
    answer = models.TextField("svar", max_length=4000)
    status = models.CharField("hur väl frågan besvaras", max_length=20, choices=Status.choices, default=Status.ANSWERED)

    panels = [FieldPanel("question"), FieldPanel("answer"), FieldPanel("status")]
    api_fields = [APIField("question", serializer=QuestionField()), APIField("answer"), APIField("status")]

    class Meta(Orderable.Meta):
        verbose_name = "svar"
        verbose_name_plural = "svar"


class LinkEvidence(Orderable):
    """Evidens: a result's answer or finding that tests one "leder till" link of a chain.

    Only live, public results count on the chain (`larande.chains.evidence`). The link is kept by
    its row: a link an editor removes from the chain leaves the evidence without a link (SET_NULL),
    which then counts nowhere until an editor points it at another link.
    """

    class Verdict(models.TextChoices):
        SUPPORTS = "supports", "Stöder länken"
        CONTRADICTS = "contradicts", "Motsäger länken"
        INCONCLUSIVE = "inconclusive", "Ger inget tydligt besked"

    result = ParentalKey(EvaluationResultPage, related_name="link_evidence", on_delete=models.CASCADE)
    link = models.ForeignKey(
        "larande.ChainLink",
        verbose_name="länk i effektkedjan",
        null=True,
        on_delete=models.SET_NULL,
        related_name="tested_by",
        help_text="Länkarna står per effektkedja. Kedjan måste också vara ikryssad under Effektkedjor.",
    )
    verdict = models.CharField("vad resultatet säger om länken", max_length=20, choices=Verdict.choices)
    finding = models.TextField(
        "svar eller iakttagelse",
        max_length=1000,
        help_text="Vilket svar eller vilken iakttagelse i resultatet prövar länken? Skriv kort, med egna ord.",
    )

    panels = [FieldPanel("link", widget=ChainLinkSelect), FieldPanel("verdict"), FieldPanel("finding")]

    class Meta(Orderable.Meta):
        verbose_name = "prövad länk"
        verbose_name_plural = "prövade länkar"

    def __str__(self):
        return f"{self.link or 'länk saknas'}: {self.get_verdict_display().lower()}"


class Recommendation(Orderable):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planerad"
        IN_PROGRESS = "in_progress", "Pågår"
        DONE = "done", "Genomförd"
        REJECTED = "rejected", "Avvisad"

    result = ParentalKey(EvaluationResultPage, related_name="recommendations", on_delete=models.CASCADE)
    # The recommendation's identity across revisions: kept in every revision of the result, so the
    # status history (larande/evaluation/tracker.py) follows it however often the result is republished.
    key = models.UUIDField("identitet", default=uuid.uuid4, editable=False, db_index=True)
    text = models.TextField("rekommendation", max_length=2000)
    response = models.TextField("ägarens svar", blank=True, max_length=2000)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.PLANNED)
    status_date = models.DateField(
        "statusen gäller från",
        null=True,
        blank=True,
        help_text="Dagen då statusen ändrades. Lämna tomt så gäller dagen då resultatet publiceras.",
    )
    chain_level = models.CharField(
        "nivå i effektkedjan", max_length=1, choices=ChainLevel.choices, blank=True, db_index=True
    )

    panels = [
        FieldPanel("text"),
        FieldPanel("response"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("status_date")]),
        FieldPanel("chain_level"),
    ]
    api_fields = [
        APIField("text"),
        APIField("response"),
        APIField("status"),
        APIField("status_date"),
        APIField("chain_level", serializer=ChainLevelField()),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "rekommendation"
        verbose_name_plural = "rekommendationer"

    def __str__(self):
        return self.text

    @property
    def level(self) -> ChainLevel | None:
        return ChainLevel.parse(self.chain_level)

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)

    @property
    def anchor(self) -> str:
        """The id the recommendation carries on its result's page and in the tracker."""
        return f"rekommendation-{self.key}"


class Lesson(Orderable, ClusterableModel):
    """Lärdom: a short, taggable statement drawn from a result."""

    result = ParentalKey(EvaluationResultPage, related_name="lessons", on_delete=models.CASCADE)
    statement = models.CharField("lärdom", max_length=400)
    chain_level = models.CharField(
        "nivå i effektkedjan", max_length=1, choices=ChainLevel.choices, blank=True, db_index=True
    )
    tags = ParentalManyToManyField("taggit.Tag", verbose_name="taggar", blank=True, related_name="lessons")

    panels = [FieldPanel("statement"), FieldPanel("chain_level"), FieldPanel("tags")]
    api_fields = [
        APIField("statement"),
        APIField("chain_level", serializer=ChainLevelField()),
        APIField("tags", serializer=TagNamesField()),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "lärdom"
        verbose_name_plural = "lärdomar"

    def __str__(self):
        return self.statement

    @property
    def level(self) -> ChainLevel | None:
        return ChainLevel.parse(self.chain_level)

    @property
    def tag_list(self):
        """Tags sorted by name, from the prefetch cache where the listing made one."""
        return sorted(self.tags.all(), key=lambda t: t.name.lower())

    @property
    def anchor(self) -> str:
        """The id the lesson carries on its result's page, for links from the lesson listing."""
        return f"lardom-{self.pk}"


class ReportedIndicatorValue(Orderable):
    result = ParentalKey(EvaluationResultPage, related_name="indicator_values", on_delete=models.CASCADE)
    # PROTECT: a record a result uses is not deleted (larande/records/usage.py explains the rule).
    indicator = models.ForeignKey(
        "larande.Indicator", verbose_name="indikator", on_delete=models.PROTECT, related_name="reported_values"
    )
    year = models.PositiveSmallIntegerField("år")
    value = models.DecimalField("värde", max_digits=14, decimal_places=2)
    target = models.DecimalField("målvärde", max_digits=14, decimal_places=2, null=True, blank=True)

    panels = [FieldPanel("indicator"), FieldPanel("year"), FieldPanel("value"), FieldPanel("target")]
    api_fields = [
        APIField("indicator", serializer=IndicatorField()),
        APIField("year"),
        APIField("value"),
        APIField("target"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "indikatorvärde"
        verbose_name_plural = "indikatorvärden"

    def clean(self):
        super().clean()
        if self.year is not None and not 1900 <= self.year <= 2200:
            raise ValidationError({"year": "Ange ett år mellan 1900 och 2200."})


class ResultDocument(Orderable):
    result = ParentalKey(EvaluationResultPage, related_name="documents", on_delete=models.CASCADE)
    # PROTECT: a record a result uses is not deleted (larande/records/usage.py explains the rule).
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name="dokument", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("visningsnamn", max_length=300, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]
    api_fields = [APIField("document"), APIField("title")]

    class Meta(Orderable.Meta):
        verbose_name = "dokument"
        verbose_name_plural = "dokument"
