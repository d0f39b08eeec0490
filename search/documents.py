"""What the search indexes hold: one plain document per searchable thing, built by one function per type.

Only live, public pages (and evaluation questions, which are always public) become documents;
`document_for` returns None for anything a visitor could not see, which tells the indexers to
remove it.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from taggit.models import Tag
from wagtail.models import Page

from core.levels import ChainLevel
from home.models import StandardPage
from larande.models import (
    ConceptPage,
    EffectChainPage,
    EvaluationPlanPage,
    EvaluationQuestion,
    EvaluationResultPage,
    FollowUpIndexPage,
    GuidancePage,
    Indicator,
    RecommendationIndexPage,
    Region,
    RusPriority,
)
from portal.visibility import visible_pages

from .text import fold, normalise, plain_text

# Facet value → label users see. The values live in URLs (`?typ=begrepp`), so they are ASCII.
TYPE_LABELS = {
    "begrepp": "Begrepp",
    "vagledning": "Vägledning",
    "effektkedja": "Effektkedja",
    "resultat": "Utvärderingsresultat",
    "fraga": "Utvärderingsfråga",
    "sida": "Sida",
}
# Autocomplete lists concepts first, then the rest in this order.
TYPE_ORDER = {name: rank for rank, name in enumerate(TYPE_LABELS)}

# Long texts are cut: snippets never need more, and a pasted book must not bloat the index.
MAX_BODY_CHARS = 50_000


@dataclass
class IndexDocument:
    """A searchable thing, as both engines index it."""

    key: str
    doc_type: str
    title: str
    url: str
    page_id: int | None = None
    question_id: int | None = None
    definition: str = ""
    labels: list[str] = field(default_factory=list)
    summary: str = ""
    body: str = ""
    chain_levels: list[str] = field(default_factory=list)
    tags: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    regions: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    year: int | None = None
    boost: float = 1.0

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.doc_type]

    @property
    def text(self) -> str:
        """The text snippets are cut from: the lead (definition or summary) first, then the body."""
        return _join(self.definition, self.summary, self.body)[:MAX_BODY_CHARS]

    def facet_values(self) -> list[tuple[str, str, str]]:
        """(facet, value, label) triples: what the facets count and filter on."""
        values = [("typ", self.doc_type, self.type_label)]
        for letter in self.chain_levels:
            level = ChainLevel.parse(letter)
            if level:
                values.append(("niva", level.value, f"{level.value} – {level.label}"))
        values += [("tagg", slug, name) for slug, name in self.tags]
        values += [("region", slug, name) for slug, name in self.regions]
        if self.year:
            values.append(("ar", str(self.year), str(self.year)))
        return values


def _join(*parts) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def _clean(text: str) -> str:
    """Plain text without control characters (PostgreSQL refuses NUL) and with single spaces."""
    return " ".join((text or "").replace("\x00", " ").split())


def _stream(value) -> str:
    if not value:
        return ""
    return _clean(" ".join(str(s) for s in value.stream_block.get_searchable_content(value)))


def _tags(obj) -> list[tuple[str, str]]:
    # Through `tagged_items`, which rebuilds prefetch and which holds unsaved tags of a form being saved.
    tags = {(item.tag.slug, item.tag.name) for item in obj.tagged_items.all()}
    return sorted(tags, key=lambda t: t[1].lower())


def _page_url(page) -> str | None:
    return page.get_url()


def _page_document(page, doc_type: str, **fields) -> IndexDocument:
    """What every page's document has (its key, id, type, title and address), plus its type's own fields."""
    return IndexDocument(
        key=page_key(page.pk), page_id=page.pk, doc_type=doc_type, title=page.title, url=_page_url(page), **fields
    )


def concept_document(page: ConceptPage) -> IndexDocument:
    """A concept: its term, English term and labels and other labels are what people search for."""
    labels = [page.english_term] + page.english_label_list + page.labels + page.hidden_label_list
    # Only contrasts with concepts a visitor may see, as on the concept's page (one query, if any).
    contrasts = [c for c in page.contrasts.all() if c.other_id]
    other_ids = [c.other_id for c in contrasts]
    public = set()
    if other_ids:
        public = set(visible_pages().filter(pk__in=other_ids).values_list("id", flat=True))
    contrasts = [f"{c.other.title}: {c.difference}" for c in contrasts if c.other_id in public]
    return _page_document(
        page,
        "begrepp",
        definition=_clean(page.short_definition),
        labels=[_clean(label) for label in labels if label and label.strip()],
        body=_join(plain_text(page.explanation), *contrasts, *(s.title for s in page.sources.all())),
        chain_levels=[page.chain_level] if page.chain_level else [],
        tags=_tags(page),
        # A deprecated term is still found, but the recommended one ranks above it.
        boost=0.6 if page.is_deprecated else 1.3,
    )


def guidance_document(page: GuidancePage) -> IndexDocument:
    return _page_document(
        page,
        "vagledning",
        summary=_clean(page.intro),
        body=_stream(page.body),
        tags=_tags(page),
        boost=1.1,
    )


def chain_document(page: EffectChainPage) -> IndexDocument:
    elements = [_join(e.title, e.description) for e in page.elements.all()]
    links = [_join(link.rationale, link.evidence) for link in page.links.all()]
    return _page_document(
        page,
        "effektkedja",
        summary=_clean(page.intro or page.purpose),
        body=_join(_clean(page.purpose), plain_text(page.context), plain_text(page.evidence_basis), *elements, *links),
        tags=_tags(page),
    )


def result_document(page: EvaluationResultPage) -> IndexDocument:
    """A result: its texts, the questions it answers, and the regions, RUS priorities and indicators
    its page names (so a result is found by them, and re-indexed when one is renamed)."""
    answers = [_join(a.question.text, a.answer) for a in page.answers.all()]
    recommendations = [_join(r.text, r.response) for r in page.recommendations.all()]
    lessons = list(page.lessons.all())
    levels = {lesson.chain_level for lesson in lessons if lesson.chain_level}
    levels |= {a.question.chain_level for a in page.answers.all() if a.question.chain_level}
    regions = sorted(((r.slug, r.name) for r in page.regions.all()), key=lambda r: r[1].lower())
    indicators = sorted({value.indicator.name for value in page.indicator_values.all()}, key=str.lower)
    return _page_document(
        page,
        "resultat",
        summary=_clean(page.key_findings),
        body=_join(
            _clean(page.intro),
            _clean(page.evaluated),
            plain_text(page.findings),
            plain_text(page.conclusions),
            *answers,
            *recommendations,
            *(lesson.statement for lesson in lessons),
            *(name for _, name in regions),
            *sorted((priority.title for priority in page.priorities.all()), key=str.lower),
            *indicators,
        ),
        chain_levels=sorted(levels),
        tags=_tags(page),
        regions=regions,
        year=page.published_on.year if page.published_on else None,
    )


def standard_document(page: StandardPage) -> IndexDocument:
    return _page_document(
        page,
        "sida",
        summary=_clean(page.intro),
        body=_stream(page.body),
        boost=0.8,
    )


def section_document(page) -> IndexDocument:
    """A section people look for by name (Rekommendationer, Uppföljning, Utvärderingsplan): its title and
    introduction."""
    return _page_document(page, "sida", summary=_clean(page.intro), boost=0.8)


def question_url(question_id: int) -> str | None:
    """The public page of an evaluation question."""
    try:
        return reverse("larande:question_detail", args=[question_id])
    except NoReverseMatch:
        return None


def question_document(question: EvaluationQuestion) -> IndexDocument | None:
    url = question_url(question.pk)
    if url is None:
        return None
    return IndexDocument(
        key=f"question:{question.pk}",
        question_id=question.pk,
        doc_type="fraga",
        title=_clean(question.text),
        url=url,
        summary=_clean(question.explanation),
        body=question.get_kind_display(),
        chain_levels=[question.chain_level] if question.chain_level else [],
        tags=_tags(question),
    )


# The page types with tags of their own (`tagged_items`), which their documents show.
_TAGGED_MODELS = (ConceptPage, GuidancePage, EffectChainPage, EvaluationResultPage)

PAGE_BUILDERS = {
    ConceptPage: concept_document,
    GuidancePage: guidance_document,
    EffectChainPage: chain_document,
    EvaluationResultPage: result_document,
    StandardPage: standard_document,
    RecommendationIndexPage: section_document,
    FollowUpIndexPage: section_document,
    EvaluationPlanPage: section_document,
}
SEARCHABLE_PAGE_MODELS = tuple(PAGE_BUILDERS)

# Prefetches that keep a rebuild at a fixed number of queries per type, not per page.
_PREFETCH = {
    ConceptPage: ["tagged_items__tag", "contrasts__other", "sources"],
    GuidancePage: ["tagged_items__tag"],
    EffectChainPage: ["tagged_items__tag", "elements", "links"],
    EvaluationResultPage: [
        "tagged_items__tag",
        "answers__question",
        "recommendations",
        "lessons",
        "regions",
        "priorities",
        "indicator_values__indicator",
    ],
    StandardPage: [],
    RecommendationIndexPage: [],
    FollowUpIndexPage: [],
    EvaluationPlanPage: [],
}


def is_searchable_page(page: Page) -> bool:
    """Whether the page is of a searchable type and a visitor could see it right now."""
    return isinstance(page, SEARCHABLE_PAGE_MODELS) and page.live and visible_pages().filter(pk=page.pk).exists()


def page_document(page) -> IndexDocument | None:
    """The document of a live, public page of a searchable type (None when it has no address)."""
    document = PAGE_BUILDERS[type(page)](page)
    return document if document.url else None


def showing(record) -> tuple[list, list]:
    """(pages, questions) whose documents show a record, as a visitor may see them: the live, public
    pages (prefetched as for a rebuild) and the questions. A renamed record re-indexes these.

    A question's text shows in the results that answer it; a region's, RUS priority's or indicator's
    name in the results that name it; a tag in every page and question tagged with it.
    """
    questions = []
    if isinstance(record, EvaluationQuestion):
        lookups = {EvaluationResultPage: "answers__question"}
    elif isinstance(record, Region):
        lookups = {EvaluationResultPage: "regions"}
    elif isinstance(record, RusPriority):
        lookups = {EvaluationResultPage: "priorities"}
    elif isinstance(record, Indicator):
        lookups = {EvaluationResultPage: "indicator_values__indicator"}
    elif isinstance(record, Tag):
        lookups = dict.fromkeys(_TAGGED_MODELS, "tagged_items__tag")
        tagged = EvaluationQuestion.objects.filter(tagged_items__tag=record.pk).distinct()
        questions = list(tagged.prefetch_related("tagged_items__tag"))
    else:
        lookups = {}
    pages = [
        page
        for model, lookup in lookups.items()
        for page in searchable_pages(model).filter(**{lookup: record.pk}).distinct()
    ]
    return pages, questions


def page_key(page_id: int) -> str:
    return f"page:{page_id}"


def question_key(question_id: int) -> str:
    return f"question:{question_id}"


def document_for(obj) -> IndexDocument | None:
    """The document for a page or question, or None when it must not be searchable."""
    if isinstance(obj, EvaluationQuestion):
        return question_document(obj)
    if isinstance(obj, Page):
        page = obj if isinstance(obj, SEARCHABLE_PAGE_MODELS) else obj.specific_deferred
        if not is_searchable_page(page):
            return None
        document = PAGE_BUILDERS[type(page)](page)
        return document if document.url else None
    return None


def document_for_key(key: str) -> IndexDocument | None:
    """The current document for an index key, read from the database (None: remove it)."""
    kind, _, pk = key.partition(":")
    if not pk.isdigit():
        return None
    if kind == "question":
        question = EvaluationQuestion.objects.filter(pk=pk).prefetch_related("tagged_items__tag").first()
        return question_document(question) if question else None
    if kind == "page":
        page = Page.objects.filter(pk=pk).first()
        return document_for(page.specific) if page else None
    return None


def searchable_pages(model):
    """Live, public pages of one searchable type, with what their documents need prefetched."""
    return visible_pages(model).prefetch_related(*_PREFETCH[model]).order_by("path")


def count_searchable() -> int:
    """How many documents a complete index holds: live public pages of the searchable types, and
    the questions (when their public page exists in the URL configuration)."""
    pages = sum(searchable_pages(model).count() for model in SEARCHABLE_PAGE_MODELS)
    questions = EvaluationQuestion.objects.count() if question_url(1) is not None else 0
    return pages + questions


def iter_documents(chunk_size: int = 500) -> Iterator[IndexDocument]:
    """Every document a complete index holds."""
    for model, builder in PAGE_BUILDERS.items():
        for page in searchable_pages(model).iterator(chunk_size=chunk_size):
            document = builder(page)
            if document.url:
                yield document
    questions = EvaluationQuestion.objects.prefetch_related("tagged_items__tag").order_by("pk")
    for question in questions.iterator(chunk_size=chunk_size):
        document = question_document(question)
        if document:
            yield document


def normalised_title(title: str) -> str:
    """The title as autocomplete matches it: folded, lower case, with a leading space."""
    return " " + fold(normalise(title))
