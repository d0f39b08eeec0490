"""Begrepp: the glossary that ends the confusion of terms."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework import serializers
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, TitleFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.api_fields import ChainLevelField, ConceptRelationsField
from core.collation import swedish_initial, swedish_sort_key
from core.forms import PortalPageForm
from core.levels import ChainLevel
from core.listings import Facet, Row, facet_listing, level_labels, normalize_level
from core.mixins import IntroMixin, TaggedPageMixin, TermExplanationMixin
from core.pickers import PageCheckboxes
from core.routes import PageRoutesMixin, ParentRouteSlugMixin
from larande.glossary.forms import ConceptPageForm
from portal.visibility import visible_pages

DEFINITION_MAX_LENGTH = 300
SWEDISH_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ"
CONCEPT_LISTING_FIELDS = (
    "id",
    "title",
    "url_path",
    "path",
    "depth",
    "short_definition",
    "status",
    "chain_level",
    "english_term",
)
LEVEL_FACET = Facet(
    "niva",
    "Nivå i effektkedjan",
    "Det finns ingen nivå ”{value}” i effektkedjan. Välj en av nivåerna A–G.",
    all_label="Alla nivåer",
    order="level",
    normalize=normalize_level,
)
LABEL_SPLIT = re.compile(r"[\n,;]+")
# The English term is one term; older content listed several in it, separated by semicolons
# (migration 0004 moved the others to english_alt_labels).
ENGLISH_TERM_SEPARATOR = ";"
# Addresses below the glossary that belong to its own views, not to a concept.
PRINT_ROUTE = "skriv-ut"
SUGGEST_ROUTE = "foresla"


def split_labels(text: str) -> list[str]:
    """Labels typed one per line or separated by commas, trimmed, without duplicates."""
    seen, labels = set(), []
    for label in LABEL_SPLIT.split(text or ""):
        label = " ".join(label.split())
        if label and label.lower() not in seen:
            seen.add(label.lower())
            labels.append(label)
    return labels


def _letter_anchor(letter: str) -> str:
    return "bokstav-ovriga" if letter == "#" else f"bokstav-{letter.lower()}"


class GlossaryIndexPage(PageRoutesMixin, IntroMixin, Page):
    """Begrepp A–Ö, with a print view (skriv-ut/) and the form for suggesting a concept (foresla/)."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["larande.ConceptPage"]
    max_count = 1
    description_fields = ("intro",)
    default_description = (
        "Ramverkets begrepp A–Ö: definitioner, andra benämningar och engelska termer, och vilka begrepp som "
        "inte ska förväxlas."
    )

    base_form_class = PortalPageForm
    content_panels = Page.content_panels + IntroMixin.intro_panels
    api_fields = [APIField("intro")]
    route_labels = {"print": "begreppslistan för utskrift", "suggest": "formuläret för att föreslå ett begrepp"}

    class Meta:
        verbose_name = "begreppslista"
        verbose_name_plural = "begreppslistor"

    def concepts(self, level: ChainLevel | None = None):
        qs = visible_pages(ConceptPage.objects.child_of(self))
        if level:
            qs = qs.filter(chain_level=level)
        return qs.only(*CONCEPT_LISTING_FIELDS)

    def listing(self, params) -> dict:
        """The glossary as a visitor asked for it: concepts grouped by initial, A–Ö in Swedish order.

        One query: every live, public concept is loaded once, so the level counts and the
        filtered list come from the same rows. An unknown level gives an empty list and a
        message rather than an error page.
        """
        concepts = sorted(self.concepts(), key=lambda c: swedish_sort_key(c.title))
        rows = [Row(c.pk, {"niva": frozenset({c.chain_level} if c.chain_level else ())}) for c in concepts]
        listing = facet_listing(rows, [LEVEL_FACET], params, {"niva": level_labels()})
        keep = set(listing.keys)
        groups: dict[str, list] = {}
        for concept in concepts:
            if concept.pk in keep:
                groups.setdefault(swedish_initial(concept.title), []).append(concept)
        letters = list(SWEDISH_ALPHABET) + (["#"] if "#" in groups else [])
        letter_bar = [
            {"letter": letter, "anchor": _letter_anchor(letter), "present": letter in groups} for letter in letters
        ]
        return {
            "listing": listing,
            "letter_groups": [
                {"letter": entry["letter"], "anchor": entry["anchor"], "concepts": groups[entry["letter"]]}
                for entry in letter_bar
                if entry["present"]
            ],
            "letters": letter_bar,
            "letters_present": set(groups),
            "alphabet": list(SWEDISH_ALPHABET),
            "selected_level": ChainLevel.parse(listing.active.get("niva")),
            "invalid_level": bool(listing.errors),
            "level_facet": listing.groups[0],
            "levels": ChainLevel.top_down(),
            "concept_count": len(keep),
            "total_count": len(concepts),
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.listing(request.GET))
        return context

    @path(f"{PRINT_ROUTE}/", name="print")
    def print_view(self, request):
        from larande.glossary.printable import print_view

        return print_view(self, request)

    @path(f"{SUGGEST_ROUTE}/", name="suggest")
    def suggest_view(self, request):
        from larande.glossary.suggestions import suggest_view

        return suggest_view(self, request)


class ConceptStatus(models.TextChoices):
    RECOMMENDED = "recommended", "Rekommenderad"
    DEPRECATED = "deprecated", "Avrådd"


class ConceptPageTag(TaggedItemBase):
    content_object = ParentalKey("larande.ConceptPage", related_name="tagged_items", on_delete=models.CASCADE)


class ConceptPage(ParentRouteSlugMixin, TermExplanationMixin, TaggedPageMixin, Page):
    """Ett begrepp: term (the page title), definition, labels, contrasts and relations."""

    short_definition = models.TextField(
        "kort definition",
        max_length=DEFINITION_MAX_LENGTH,
        help_text=f"En eller två meningar, högst {DEFINITION_MAX_LENGTH} tecken. Visas i sökträffar och förklaringar.",
    )
    explanation = RichTextField("förklaring", blank=True, features=["h3", "bold", "italic", "ol", "ul", "link"])
    english_term = models.CharField(
        "engelsk term",
        max_length=200,
        blank=True,
        help_text="En term: den engelska motsvarigheten som rekommenderas. Andra engelska ord skrivs nedanför.",
    )
    english_alt_labels = models.TextField(
        "andra engelska benämningar",
        blank=True,
        help_text=(
            "Engelska synonymer och varianter, en per rad eller kommaseparerade. Visas på sidan och hittas i sökningen."
        ),
    )
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

    base_form_class = ConceptPageForm
    parent_page_types = ["larande.GlossaryIndexPage"]
    subpage_types = []
    description_fields = ("short_definition",)

    content_panels = [
        TitleFieldPanel("title", heading="Term"),
        FieldPanel("short_definition"),
        FieldPanel("explanation"),
        MultiFieldPanel(
            [
                FieldPanel("english_term"),
                FieldPanel("english_alt_labels"),
                FieldPanel("other_labels"),
                FieldPanel("hidden_labels"),
            ],
            heading="Benämningar",
        ),
        FieldPanel("chain_level"),
        MultiFieldPanel([FieldPanel("status"), FieldPanel("use_instead")], heading="Status"),
        InlinePanel("contrasts", label="Förväxla inte med", heading="Förväxla inte med"),
        MultiFieldPanel(
            [FieldPanel("broader", widget=PageCheckboxes), FieldPanel("related", widget=PageCheckboxes)],
            heading="Relationer",
        ),
        InlinePanel("sources", label="Källa", heading="Källor"),
    ]
    promote_panels = (
        Page.promote_panels
        + TaggedPageMixin.tag_panels
        + [FieldPanel("explain_in_texts")]
        + TermExplanationMixin.term_panels
    )
    search_fields = Page.search_fields + [
        index.SearchField("short_definition"),
        index.SearchField("english_term"),
        index.SearchField("english_alt_labels"),
        index.SearchField("other_labels"),
        index.SearchField("hidden_labels"),
        index.AutocompleteField("english_term"),
        index.FilterField("chain_level"),
        index.FilterField("status"),
    ]
    # What the concept's page shows; hidden labels only help search and stay out.
    api_fields = [
        APIField("short_definition"),
        APIField("explanation"),
        APIField("english_term"),
        APIField(
            "english_alt_labels",
            serializer=serializers.ListField(
                source="english_label_list", child=serializers.CharField(), read_only=True
            ),
        ),
        APIField("labels"),
        APIField("chain_level", serializer=ChainLevelField()),
        APIField("status"),
        APIField("relations", serializer=ConceptRelationsField(source="public_relations")),
        APIField("sources"),
        APIField("tags"),
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
    def english_label_list(self) -> list[str]:
        """The other English labels, without the English term itself."""
        term = self.english_term.strip().lower()
        return [label for label in split_labels(self.english_alt_labels) if label.lower() != term]

    @property
    def level(self) -> ChainLevel | None:
        return ChainLevel.parse(self.chain_level)

    @property
    def is_deprecated(self) -> bool:
        return self.status == ConceptStatus.DEPRECATED

    def all_labels(self) -> list[str]:
        """Every form that names this concept: term, English term and labels, other and hidden labels."""
        return split_labels(
            "\n".join([self.title, self.english_term, self.english_alt_labels, self.other_labels, self.hidden_labels])
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.status == ConceptStatus.DEPRECATED and not self.use_instead_id:
            errors["use_instead"] = "Ange vilket begrepp som ska användas i stället när begreppet är avrått."
        if self.use_instead_id and self.pk and self.use_instead_id == self.pk:
            errors["use_instead"] = "Ett begrepp kan inte ersättas av sig självt."
        if self.short_definition and not self.short_definition.strip():
            errors["short_definition"] = "Skriv en kort definition."
        if ENGLISH_TERM_SEPARATOR in self.english_term:
            errors["english_term"] = (
                "Skriv en engelsk term här. Andra engelska ord för begreppet skrivs i fältet Andra engelska "
                "benämningar, ett per rad."
            )
        if errors:
            raise ValidationError(errors)

    def public_relations(self) -> dict:
        """The concepts this one points to, or is pointed to from, that a visitor may see.

        Only live, public concepts are shown: a relation to a draft, unpublished or private
        concept is left out rather than linked to a page the visitor cannot open. The ids come
        from this page's own relations (so a preview shows its draft relations); the concepts
        themselves come from one query for live, public pages. Lists are in Swedish order.
        """
        contrasts = list(self.contrasts.all())
        broader_ids = set(self.broader.values_list("id", flat=True))
        related_ids = set(self.related.values_list("id", flat=True))
        wanted = broader_ids | related_ids | {c.other_id for c in contrasts}
        if self.use_instead_id:
            wanted.add(self.use_instead_id)
        public = visible_pages(ConceptPage).only(*CONCEPT_LISTING_FIELDS)
        by_id = {c.pk: c for c in public.filter(pk__in=wanted)} if wanted else {}
        narrower = list(public.filter(broader=self.pk)) if self.pk else []
        related_from = list(public.filter(related=self.pk).exclude(pk__in=related_ids)) if self.pk else []

        def ordered(concepts):
            return sorted(concepts, key=lambda c: swedish_sort_key(c.title))

        for contrast in contrasts:
            contrast.other_concept = by_id.get(contrast.other_id)
        return {
            "contrasts": [c for c in contrasts if c.other_concept is not None],
            "broader_concepts": ordered(by_id[pk] for pk in broader_ids if pk in by_id),
            "narrower_concepts": ordered(narrower),
            "related_concepts": ordered([by_id[pk] for pk in related_ids if pk in by_id] + related_from),
            "replacement": by_id.get(self.use_instead_id) if self.use_instead_id else None,
        }

    def concept_context(self) -> dict:
        """The visible related concepts (`public_relations`) and the sources."""
        return {**self.public_relations(), "sources": list(self.sources.all())}

    def get_context(self, request, *args, **kwargs):
        from portal.content_cache import cached_for_page  # noqa: PLC0415

        context = super().get_context(request, *args, **kwargs)
        # The same for every visitor until the content version moves; a preview computes its own.
        context.update(cached_for_page(self, "concept-context", self.concept_context, request))
        return context


class ConceptContrast(Orderable):
    """ "Förväxla inte med": another concept, and what tells them apart."""

    concept = ParentalKey(ConceptPage, related_name="contrasts", on_delete=models.CASCADE)
    # RESTRICT, not PROTECT: a concept another concept contrasts with cannot be deleted on its own,
    # but the two can go together (deleting the glossary section, or both in one bulk delete).
    other = models.ForeignKey(
        ConceptPage, verbose_name="begrepp", on_delete=models.RESTRICT, related_name="contrasted_by"
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
    api_fields = [APIField("title"), APIField("url"), APIField("citation")]

    class Meta(Orderable.Meta):
        verbose_name = "källa"
        verbose_name_plural = "källor"
