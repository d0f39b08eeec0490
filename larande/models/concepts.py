"""Begrepp: the glossary that ends the confusion of terms."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from larande.collation import swedish_initial, swedish_sort_key
from larande.levels import ChainLevel

from .mixins import IntroMixin, TaggedPageMixin

DEFINITION_MAX_LENGTH = 300
LABEL_SPLIT = re.compile(r"[\n,;]+")


def split_labels(text: str) -> list[str]:
    """Labels typed one per line or separated by commas, trimmed, without duplicates."""
    seen, labels = set(), []
    for label in LABEL_SPLIT.split(text or ""):
        label = " ".join(label.split())
        if label and label.lower() not in seen:
            seen.add(label.lower())
            labels.append(label)
    return labels


class GlossaryIndexPage(IntroMixin, Page):
    """Begrepp A–Ö."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["larande.ConceptPage"]
    max_count = 1

    content_panels = Page.content_panels + IntroMixin.intro_panels

    class Meta:
        verbose_name = "begreppslista"
        verbose_name_plural = "begreppslistor"

    def concepts(self, level: ChainLevel | None = None):
        qs = ConceptPage.objects.child_of(self).live().public()
        if level:
            qs = qs.filter(chain_level=level)
        return qs.only(
            "id", "title", "url_path", "path", "depth", "short_definition", "status", "chain_level", "english_term"
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        level_param = request.GET.get("niva", "")
        level = ChainLevel.parse(level_param)
        concepts = sorted(self.concepts(level), key=lambda c: swedish_sort_key(c.title))
        groups: dict[str, list] = {}
        for concept in concepts:
            groups.setdefault(swedish_initial(concept.title), []).append(concept)
        context.update(
            {
                "letter_groups": list(groups.items()),
                "letters_present": set(groups),
                "alphabet": list("ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ"),
                "selected_level": level,
                "invalid_level": bool(level_param) and level is None,
                "levels": ChainLevel.top_down(),
                "concept_count": len(concepts),
            }
        )
        return context


class ConceptStatus(models.TextChoices):
    RECOMMENDED = "recommended", "Rekommenderad"
    DEPRECATED = "deprecated", "Avrådd"


class ConceptPageTag(TaggedItemBase):
    content_object = ParentalKey("larande.ConceptPage", related_name="tagged_items", on_delete=models.CASCADE)


class ConceptPage(TaggedPageMixin, Page):
    """Ett begrepp: term (the page title), definition, labels, contrasts and relations."""

    short_definition = models.TextField(
        "kort definition",
        max_length=DEFINITION_MAX_LENGTH,
        help_text=f"En eller två meningar, högst {DEFINITION_MAX_LENGTH} tecken. Visas i sökträffar och förklaringar.",
    )
    explanation = RichTextField("förklaring", blank=True, features=["h3", "bold", "italic", "ol", "ul", "link"])
    english_term = models.CharField("engelsk term", max_length=200, blank=True)
    other_labels = models.TextField(
        "andra benämningar",
        blank=True,
        help_text="Synonymer och andra ord som används, en per rad eller kommaseparerade. Visas på sidan.",
    )
    hidden_labels = models.TextField(
        "dolda sökord",
        blank=True,
        help_text="Vanliga felstavningar och varianter, en per rad. Visas inte men gör begreppet sökbart.",
    )
    chain_level = models.CharField(
        "nivå i effektkedjan", max_length=1, choices=ChainLevel.choices, blank=True, db_index=True
    )
    status = models.CharField(
        "status", max_length=20, choices=ConceptStatus.choices, default=ConceptStatus.RECOMMENDED, db_index=True
    )
    use_instead = models.ForeignKey(
        "larande.ConceptPage",
        verbose_name="använd i stället",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        help_text="Krävs när begreppet är avrått.",
    )
    broader = ParentalManyToManyField(
        "larande.ConceptPage", verbose_name="överordnade begrepp", blank=True, related_name="narrower"
    )
    related = ParentalManyToManyField(
        "larande.ConceptPage", verbose_name="relaterade begrepp", blank=True, related_name="related_from"
    )
    explain_in_texts = models.BooleanField(
        "förklara begreppet i andra texter",
        default=True,
        help_text="Länka begreppet med dess definition där det förekommer i portalens texter.",
    )
    tags = ClusterTaggableManager("taggar", through=ConceptPageTag, blank=True)

    parent_page_types = ["larande.GlossaryIndexPage"]
    subpage_types = []

    content_panels = [
        FieldPanel("title", heading="Term"),
        FieldPanel("short_definition"),
        FieldPanel("explanation"),
        MultiFieldPanel(
            [FieldPanel("english_term"), FieldPanel("other_labels"), FieldPanel("hidden_labels")],
            heading="Benämningar",
        ),
        FieldPanel("chain_level"),
        MultiFieldPanel([FieldPanel("status"), FieldPanel("use_instead")], heading="Status"),
        InlinePanel("contrasts", label="Förväxla inte med", heading="Förväxla inte med"),
        MultiFieldPanel([FieldPanel("broader"), FieldPanel("related")], heading="Relationer"),
        InlinePanel("sources", label="Källa", heading="Källor"),
    ]
    promote_panels = Page.promote_panels + TaggedPageMixin.tag_panels + [FieldPanel("explain_in_texts")]
    search_fields = Page.search_fields + [
        index.SearchField("short_definition"),
        index.SearchField("english_term"),
        index.SearchField("other_labels"),
        index.SearchField("hidden_labels"),
        index.AutocompleteField("english_term"),
        index.FilterField("chain_level"),
        index.FilterField("status"),
    ]

    class Meta:
        verbose_name = "begrepp"
        verbose_name_plural = "begrepp"

    @property
    def term(self) -> str:
        return self.title

    @property
    def labels(self) -> list[str]:
        return split_labels(self.other_labels)

    @property
    def hidden_label_list(self) -> list[str]:
        return split_labels(self.hidden_labels)

    @property
    def level(self) -> ChainLevel | None:
        return ChainLevel.parse(self.chain_level)

    @property
    def is_deprecated(self) -> bool:
        return self.status == ConceptStatus.DEPRECATED

    def all_labels(self) -> list[str]:
        """Every form that names this concept: term, English term, other and hidden labels."""
        return split_labels("\n".join([self.title, self.english_term, self.other_labels, self.hidden_labels]))

    def clean(self):
        super().clean()
        errors = {}
        if self.status == ConceptStatus.DEPRECATED and not self.use_instead_id:
            errors["use_instead"] = "Ange vilket begrepp som ska användas i stället när begreppet är avrått."
        if self.use_instead_id and self.pk and self.use_instead_id == self.pk:
            errors["use_instead"] = "Ett begrepp kan inte ersättas av sig självt."
        if self.short_definition and not self.short_definition.strip():
            errors["short_definition"] = "Skriv en kort definition."
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        public = (
            ConceptPage.objects.live().public().only("id", "title", "url_path", "path", "depth", "short_definition")
        )
        context["contrasts"] = [c for c in self.contrasts.select_related("other").all() if c.other and c.other.live]
        context["broader_concepts"] = public.filter(id__in=self.broader.all())
        context["narrower_concepts"] = public.filter(broader=self)
        context["related_concepts"] = public.filter(id__in=self.related.all())
        context["replacement"] = public.filter(id=self.use_instead_id).first() if self.use_instead_id else None
        return context


class ConceptContrast(Orderable):
    """ "Förväxla inte med": another concept, and what tells them apart."""

    concept = ParentalKey(ConceptPage, related_name="contrasts", on_delete=models.CASCADE)
    other = models.ForeignKey(
        ConceptPage, verbose_name="begrepp", on_delete=models.CASCADE, related_name="contrasted_by"
    )
    difference = models.TextField("skillnaden", max_length=600, help_text="En mening om vad som skiljer begreppen åt.")

    panels = [FieldPanel("other"), FieldPanel("difference")]

    class Meta(Orderable.Meta):
        verbose_name = "förväxla inte med"
        verbose_name_plural = "förväxla inte med"

    def clean(self):
        super().clean()
        if self.other_id and self.concept_id and self.other_id == self.concept_id:
            raise ValidationError({"other": "Ett begrepp kan inte förväxlas med sig självt."})


class ConceptSource(Orderable):
    concept = ParentalKey(ConceptPage, related_name="sources", on_delete=models.CASCADE)
    title = models.CharField("titel", max_length=300)
    url = models.URLField("webbadress", blank=True)
    citation = models.TextField("referens", blank=True, max_length=1000)

    panels = [FieldPanel("title"), FieldPanel("url"), FieldPanel("citation")]

    class Meta(Orderable.Meta):
        verbose_name = "källa"
        verbose_name_plural = "källor"
