"""Effektkedjor: logic models read bottom-up, with causal links between levels."""

from django import forms
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.api_fields import ChainLevelField, PublicPagesField, QuestionListField
from core.forms import PortalPageForm
from core.levels import ChainLevel
from core.mixins import IntroMixin, TaggedPageMixin, TermExplanationMixin
from core.pickers import FormInlinePanel
from core.routes import PageRoutesMixin, ParentRouteSlugMixin, RouteSafePageForm
from larande.chains.forms import ChainLinkForm, element_choices, element_rows


class ChainIndexPage(PageRoutesMixin, IntroMixin, Page):
    """Effektkedjor: the published chains, and the coverage of them all at a glance (tackning/)."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["larande.EffectChainPage"]
    max_count = 1
    description_fields = ("intro",)
    default_description = (
        "Effektkedjor som visar hur resurser och aktiviteter väntas leda till prestationer, utfall och effekter, "
        "som text och diagram."
    )

    base_form_class = PortalPageForm
    content_panels = Page.content_panels + IntroMixin.intro_panels
    api_fields = [APIField("intro")]

    class Meta:
        verbose_name = "effektkedjor (lista)"
        verbose_name_plural = "effektkedjor (listor)"

    def chains(self):
        """Live, public chains in tree order, with what the listing shows prefetched."""
        return (
            EffectChainPage.objects.child_of(self)
            .live()
            .public()
            .order_by("path")
            .prefetch_related("elements", "links", "tags")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["chains"] = list(self.chains())
        return context

    route_labels = {"coverage": "täckningsöversikten för alla effektkedjor"}

    @path("tackning/", name="coverage")
    def coverage_view(self, request):
        from larande.publishing import document_views

        return document_views.coverage_overview(request)


def _element_name(key, data):
    """An element as a message names it: its code, and its title when it has one."""
    title = (data.get("title") or "").strip()
    return f"{key} ”{title}”" if title else key


def _form_errors_for_chain(elements, links):
    """Validate a chain's elements and links as an editor submitted them.

    `elements` and `links` are lists of (form, cleaned_data) for the forms that are kept.
    Returns a list of (form, field, message) with Swedish messages naming the element.
    """
    errors = []
    by_key = {}
    for form, data in elements:
        key = (data.get("key") or "").strip().upper()
        title = (data.get("title") or "").strip()
        if not title:
            errors.append((form, "title", f"Elementet {key or 'utan kod'} saknar titel."))
        if key in by_key:
            errors.append((form, "key", f"Koden {key} används av två element. Ge varje element en egen kod."))
        elif key:
            by_key[key] = data
    seen = set()
    for form, data in links:
        source = (data.get("source_key") or "").strip().upper()
        target = (data.get("target_key") or "").strip().upper()
        if source not in by_key:
            errors.append((form, "source_key", f"Det finns inget element med koden {source or '(tom)'}."))
            continue
        if target not in by_key:
            errors.append((form, "target_key", f"Det finns inget element med koden {target or '(tom)'}."))
            continue
        src_level = ChainLevel.parse(by_key[source].get("level"))
        tgt_level = ChainLevel.parse(by_key[target].get("level"))
        src_name, tgt_name = _element_name(source, by_key[source]), _element_name(target, by_key[target])
        if src_level and tgt_level and tgt_level.rank <= src_level.rank:
            direction = "i sidled (samma nivå)" if tgt_level == src_level else "nedåt"
            errors.append(
                (
                    form,
                    "target_key",
                    f"Länken från {src_name} ({src_level.label}) till {tgt_name} ({tgt_level.label}) pekar "
                    f"{direction}. En länk ”leder till” måste gå till en högre nivå i kedjan.",
                )
            )
        if (source, target) in seen:
            errors.append((form, "target_key", f"Länken från {source} till {target} finns redan."))
        seen.add((source, target))
    return errors


class EffectChainForm(RouteSafePageForm):
    """Checks the chain as a whole: every link names existing elements and goes upwards. The
    links' source and target are chosen among the chain's elements (larande/chains/forms.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        element_forms = self.formsets.get("elements")
        link_forms = self.formsets.get("links")
        if element_forms is not None and link_forms is not None:
            # Every link row, the empty one new rows are made from included, lists these elements.
            elements = element_choices(element_rows(element_forms))
            link_forms.form_kwargs = {**link_forms.form_kwargs, "elements": elements}

    def clean(self):
        cleaned = super().clean()
        element_forms = self.formsets.get("elements")
        link_forms = self.formsets.get("links")
        if element_forms is None or link_forms is None:
            return cleaned
        # ClusterForm validates its formsets only after this form's clean(): validate them now,
        # or the child forms have no cleaned_data yet and every chain would pass unchecked.
        for formset in (element_forms, link_forms):
            formset.is_valid()

        def kept(formset):
            return [
                (f, f.cleaned_data)
                for f in formset.forms
                if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
            ]

        for form, field, message in _form_errors_for_chain(kept(element_forms), kept(link_forms)):
            if field not in form.errors:
                form.add_error(field, message)
        return cleaned

    def is_valid(self):
        valid = super().is_valid()
        # Errors added to child forms after the formsets validated must still block the save.
        for name in ("elements", "links"):
            formset = self.formsets.get(name)
            if formset is not None and any(f.errors for f in formset.forms):
                valid = False
        return valid


class EffectChainPageTag(TaggedItemBase):
    content_object = ParentalKey("larande.EffectChainPage", related_name="tagged_items", on_delete=models.CASCADE)


class EffectChainPage(ParentRouteSlugMixin, PageRoutesMixin, TermExplanationMixin, TaggedPageMixin, IntroMixin, Page):
    """En effektkedja: resurser → aktiviteter → prestationer → utfall → effekter; its diagram is
    downloadable as diagram.svg and diagram.pdf below the chain's address."""

    purpose = models.TextField("syfte", max_length=2000, help_text="Vad ska kedjan visa eller åstadkomma?")
    context = RichTextField(
        "kontext (A)",
        blank=True,
        features=["bold", "italic", "ul", "link"],
        help_text="Den politiska, sociala och ekonomiska kontext som kedjan verkar i.",
    )
    evidence_basis = RichTextField(
        "kunskaps- och evidensbaserad grund",
        blank=True,
        features=["bold", "italic", "ul", "link"],
        help_text="Vad bygger kedjans antaganden om orsakssamband på?",
    )
    priorities = ParentalManyToManyField(
        "larande.RusPriority",
        verbose_name="RUS-prioriteringar",
        blank=True,
        related_name="chains",
        help_text="De prioriteringar i den regionala utvecklingsstrategin som kedjan hör till.",
    )
    tags = ClusterTaggableManager("taggar", through=EffectChainPageTag, blank=True)

    base_form_class = EffectChainForm
    parent_page_types = ["larande.ChainIndexPage"]
    subpage_types = []
    description_fields = ("intro", "purpose")

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("purpose"),
        FieldPanel("context"),
        FieldPanel("evidence_basis"),
        FieldPanel("priorities", widget=forms.CheckboxSelectMultiple),
        InlinePanel("elements", label="Element", heading="Element på nivåerna G–B"),
        FormInlinePanel("links", label="Länk", heading="Länkar ”leder till”", form_class=ChainLinkForm),
    ]
    promote_panels = Page.promote_panels + TaggedPageMixin.tag_panels + TermExplanationMixin.term_panels
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("purpose"),
        index.SearchField("context"),
    ]
    api_fields = [
        APIField("intro"),
        APIField("purpose"),
        APIField("context"),
        APIField("evidence_basis"),
        APIField("elements"),
        APIField("links"),
        APIField("evaluation_questions", serializer=QuestionListField(source="questions")),
        APIField("results", serializer=PublicPagesField(source="public_results")),
        APIField("tags"),
    ]

    # Wagtail's preview panel beside the form can show the whole page or only the diagram; both
    # are drawn from the form as it stands, unsaved elements and links included.
    preview_modes = [("", "Sidan"), ("diagram", "Bara diagrammet")]

    class Meta:
        verbose_name = "effektkedja"
        verbose_name_plural = "effektkedjor"

    def serve_preview(self, request, mode_name):
        if mode_name == "diagram":
            from django.template.response import TemplateResponse

            return TemplateResponse(request, "larande/effect_chain_diagram_preview.html", {"page": self, "self": self})
        return super().serve_preview(request, mode_name)

    def levels_with_elements(self, elements=None, links=None):
        """[(level, [elements])] from B down to G, empty levels included so gaps show.

        Each element gets `outgoing` [(target, link)] and `incoming` [(source, link)].
        """
        elements = list(self.elements.all()) if elements is None else elements
        links = list(self.links.all()) if links is None else links
        by_key = {e.key.upper(): e for e in elements}
        outgoing: dict[str, list] = {}
        incoming: dict[str, list] = {}
        for link in links:
            src, tgt = by_key.get(link.source_key.upper()), by_key.get(link.target_key.upper())
            if src and tgt:
                outgoing.setdefault(src.key.upper(), []).append((tgt, link))
                incoming.setdefault(tgt.key.upper(), []).append((src, link))
        rows = []
        for level in reversed(ChainLevel.chain_levels()):
            level_elements = [e for e in elements if e.level == level]
            for element in level_elements:
                element.outgoing = outgoing.get(element.key.upper(), [])
                element.incoming = incoming.get(element.key.upper(), [])
            rows.append((level, level_elements))
        return rows

    def level_rows(self, elements=None, links=None) -> list[dict]:
        """The chain as the page reads it, B at the top down to G: each level with its elements
        and, for an empty level, the sentence that shows the gap."""
        return [
            {"level": level, "elements": level_elements, "empty_text": EMPTY_LEVEL_TEXT[level]}
            for level, level_elements in self.levels_with_elements(elements, links)
        ]

    def resolved_links(self, elements=None, links=None):
        """(source element, target element, link) for every link whose ends exist."""
        elements = list(self.elements.all()) if elements is None else elements
        links = list(self.links.all()) if links is None else links
        by_key = {e.key.upper(): e for e in elements}
        result = []
        for link in links:
            src, tgt = by_key.get(link.source_key.upper()), by_key.get(link.target_key.upper())
            if src and tgt:
                result.append((src, tgt, link))
        return result

    def questions_by_level(self) -> list[dict]:
        """The evaluation questions tied to this chain, grouped by level from B down to G;
        questions without a level (process questions, often) come last."""
        if not self.pk:
            return []
        questions = list(self.questions.all())
        groups = []
        for level in ChainLevel.top_down():
            level_questions = [q for q in questions if q.chain_level == level]
            if level_questions:
                groups.append({"level": level, "questions": level_questions})
        unlevelled = [q for q in questions if not q.level]
        if unlevelled:
            groups.append({"level": None, "questions": unlevelled})
        return groups

    def public_results(self):
        """Visible evaluation results (`portal.visibility`) that evaluated this chain, newest first."""
        from larande.evaluation.models import EvaluationResultPage
        from portal.visibility import visible_pages

        return (
            visible_pages(EvaluationResultPage)
            .filter(chains=self.pk)
            .order_by("-published_on", "title")
            .only("id", "title", "url_path", "path", "depth", "published_on", "is_fictitious")
        )

    def chain_context(self) -> dict:
        """What the page shows besides its own fields: the levels, links with the evidence published
        results give them (`larande.chains.evidence`), questions and results."""
        from larande.chains.evidence import chain_evidence

        elements = list(self.elements.all())
        links = list(self.links.all())
        level_rows = self.level_rows(elements, links)
        evidence = chain_evidence(self, self.resolved_links(elements, links))
        for _source, _target, link, summary in evidence.links:
            link.evidence_summary = summary
        return {
            "level_rows": level_rows,
            "links": evidence.links,
            "untested_links": evidence.untested,
            "empty_levels": [row["level"] for row in level_rows if not row["elements"]],
            "question_groups": self.questions_by_level(),
            "results": list(self.public_results()) if self.pk else [],
        }

    def get_context(self, request, *args, **kwargs):
        from portal.content_cache import cached_for_page

        context = super().get_context(request, *args, **kwargs)
        # The same for every visitor until the content version moves; a preview computes its own.
        context.update(cached_for_page(self, "chain-context", self.chain_context, request))
        context["context_level"] = ChainLevel.KONTEXT
        return context

    @path("diagram.svg", name="diagram_svg")
    def diagram_svg_view(self, request):
        from larande.publishing import document_views

        return document_views.chain_diagram_svg(request, self)

    @path("diagram.pdf", name="diagram_pdf")
    def diagram_pdf_view(self, request):
        from larande.publishing import document_views

        return document_views.chain_diagram_pdf(request, self)


# How an empty level reads on a chain page: the gap is part of what the chain says.
EMPTY_LEVEL_TEXT = {
    ChainLevel.LANGSIKTIGA_EFFEKTER: "Ingen långsiktig effekt beskriven ännu.",
    ChainLevel.KORTSIKTIGA_EFFEKTER: "Ingen kortsiktig effekt beskriven ännu.",
    ChainLevel.UTFALL: "Inget utfall beskrivet ännu.",
    ChainLevel.PRESTATIONER: "Ingen prestation beskriven ännu.",
    ChainLevel.AKTIVITETER: "Ingen aktivitet beskriven ännu.",
    ChainLevel.RESURSER: "Inga resurser beskrivna ännu.",
}


class ChainElement(Orderable):
    """A box in the chain: something on one level (a resource, an activity, an outcome …)."""

    chain = ParentalKey(EffectChainPage, related_name="elements", on_delete=models.CASCADE)
    key = models.CharField(
        "kod", max_length=10, help_text="Kort kod som länkarna använder, t.ex. G1 eller D2. Unik i kedjan."
    )
    level = models.CharField(
        "nivå", max_length=1, choices=[(lvl.value, f"{lvl.value} – {lvl.label}") for lvl in ChainLevel.chain_levels()]
    )
    title = models.CharField("titel", max_length=500, blank=True)
    description = models.TextField("beskrivning", blank=True, max_length=2000)

    panels = [FieldPanel("key"), FieldPanel("level"), FieldPanel("title"), FieldPanel("description")]
    api_fields = [
        APIField("key"),
        APIField("level", serializer=ChainLevelField()),
        APIField("title"),
        APIField("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "element"
        verbose_name_plural = "element"

    def __str__(self):
        return f"{self.key} {self.title}"

    @property
    def chain_level(self) -> ChainLevel | None:
        return ChainLevel.parse(self.level)


class ChainLink(Orderable):
    """ "Leder till": a causal link from an element to one on a higher level."""

    chain = ParentalKey(EffectChainPage, related_name="links", on_delete=models.CASCADE)
    source_key = models.CharField("från (kod)", max_length=10)
    target_key = models.CharField("leder till (kod)", max_length=10)
    rationale = models.TextField(
        "motivering", blank=True, max_length=2000, help_text="Varför leder det ena till det andra?"
    )
    evidence = models.TextField("evidens eller källa", blank=True, max_length=2000)

    panels = [FieldPanel("source_key"), FieldPanel("target_key"), FieldPanel("rationale"), FieldPanel("evidence")]
    api_fields = [APIField("source_key"), APIField("target_key"), APIField("rationale"), APIField("evidence")]

    class Meta(Orderable.Meta):
        verbose_name = "länk"
        verbose_name_plural = "länkar"

    def __str__(self):
        return f"{self.source_key} → {self.target_key}"
