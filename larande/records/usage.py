"""Where records and concepts are used, so that nothing content uses is deleted.

Deleting an evaluation question, an indicator, a region, a RUS priority or a document that a
result uses, or a concept that another concept points to, would silently take an answer, a
reported value, a region, a document or a contrast away from pages, published ones included, and
restoring the page's revision would not bring it back. So such a deletion is refused, and the
refusal lists every use:

- in the pages' current rows: what live pages publish, and what never-published pages were
  created with. Read through the relations themselves and, for documents linked from rich text,
  through Wagtail's ReferenceIndex (which records the current rows' links);
- in the versions still to come: the latest revision of every page with unpublished changes (a
  draft, a change in review) and every scheduled revision, read from the revision's content.
  A use only there counts too, and says so: the draft could not be published without the record.

Questions that list an indicator use it as well (the question's own page shows it).

`uses_of(obj)` answers for one object, `uses_of_many(objs)` for several of one model in the same
number of queries: one per relation, one for the pending revisions of each page model involved
and two for the pages found. Pages deleted in the same operation (a concept and the concepts that
point to it) do not count as uses: pass their ids as `deleting`. `check_deletable(obj)` raises
`RecordInUse`, a ProtectedError carrying the refusal; `connect_signals()` makes every deletion of
a record or document check, whatever route it takes (the foreign keys are PROTECT too, but a
many-to-many row or a draft revision has no key to protect it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, ProtectedError, Q
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from modelcluster.fields import ParentalKey
from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex, Revision

from larande.models import ConceptPage, EvaluationQuestion, EvaluationResultPage, Indicator, Region, RusPriority
from portal.visibility import visible_pages

TEXT_LINK = "länk i texten"


@dataclass(frozen=True)
class PageRelation:
    """How pages of one model point to a record: a field on the page or on one of its inline children."""

    page_model: type[Page]
    field: str
    how: str  # what the use is, as the refusal names it
    child: str = ""  # the inline child relation holding the field, e.g. "answers"
    many: bool = False  # a many-to-many field on the page

    @property
    def lookup(self) -> str:
        return f"{self.child}__{self.field}" if self.child else self.field

    def targets_in(self, content: dict) -> set:
        """The ids this relation points to in a revision's content (as Wagtail stores it)."""
        if self.child:
            return {item.get(self.field) for item in content.get(self.child) or []} - {None}
        value = content.get(self.field)
        if self.many:
            return set(value or [])
        return {value} - {None}


def _page_relations(model) -> list[PageRelation]:
    if issubclass(model, EvaluationQuestion):
        return [PageRelation(EvaluationResultPage, "question", "svar på frågan", child="answers")]
    if issubclass(model, Indicator):
        return [PageRelation(EvaluationResultPage, "indicator", "rapporterat indikatorvärde", child="indicator_values")]
    if issubclass(model, Region):
        return [PageRelation(EvaluationResultPage, "regions", "region", many=True)]
    if issubclass(model, RusPriority):
        return [PageRelation(EvaluationResultPage, "priorities", "RUS-prioritering", many=True)]
    if issubclass(model, ConceptPage):
        return [
            PageRelation(ConceptPage, "other", "förväxla inte med", child="contrasts"),
            PageRelation(ConceptPage, "use_instead", "använd i stället"),
            PageRelation(ConceptPage, "broader", "överordnat begrepp", many=True),
            PageRelation(ConceptPage, "related", "relaterat begrepp", many=True),
        ]
    if issubclass(model, get_document_model()):
        return [PageRelation(EvaluationResultPage, "document", "dokument till resultatet", child="documents")]
    return []


# The definite form that names a thing in a refusal, and the pronoun that refers back to it.
def _names(obj) -> tuple[str, str]:
    for model, names in (
        (EvaluationQuestion, ("Utvärderingsfrågan", "den")),
        (Indicator, ("Indikatorn", "den")),
        (Region, ("Regionen", "den")),
        (RusPriority, ("RUS-prioriteringen", "den")),
        (Page, ("Begreppet", "det") if isinstance(obj, ConceptPage) else ("Sidan", "den")),
        (get_document_model(), ("Dokumentet", "det")),
    ):
        if isinstance(obj, model):
            return names
    return capfirst(obj._meta.verbose_name), "den"


@dataclass(frozen=True)
class Use:
    """One page (or question) that uses the thing to be deleted, and how."""

    title: str
    kind: str  # what the user is: "utvärderingsresultat", "begrepp", "utvärderingsfråga"
    how: str  # "svar på frågan", "region" … (several joined with commas)
    edit_url: str = ""
    public_url: str = ""  # only for what a visitor may open
    draft_only: bool = False  # used only in a version not yet published


@dataclass
class Refusal:
    """Why one thing is not deleted: what the admin's message says, with the uses listed."""

    heading: str
    advice: str
    uses: list[Use] = field(default_factory=list)

    @property
    def has_drafts(self) -> bool:
        return any(use.draft_only for use in self.uses)

    def as_text(self) -> str:
        lines = [self.heading]
        for use in self.uses:
            draft = " (bara i ett opublicerat utkast)" if use.draft_only else ""
            lines.append(f"– {use.title} ({use.kind}: {use.how}){draft}")
        lines.append(self.advice)
        return "\n".join(lines)


def refusal_for(obj, uses: list[Use]) -> Refusal:
    noun, pronoun = _names(obj)
    name = obj.title if isinstance(obj, Page) else str(obj)
    return Refusal(
        heading=f"{noun} ”{name}” kan inte tas bort eftersom {pronoun} används:",
        advice=f"Ta bort eller byt ut {pronoun} där {pronoun} används, och publicera ändringen, "
        f"innan du tar bort {pronoun}.",
        uses=uses,
    )


def refusal_for_rows(rows: Iterable) -> Refusal:
    """A refusal from the rows a database refusal names (ProtectedError.protected_objects), when the
    thing being deleted is not known: each row's page (or question) is listed."""
    uses: dict[int, set[str]] = {}
    others = []
    for row in rows:
        if isinstance(row, Use):
            others.append(row)
            continue
        page_id = _page_id_of(row)
        if page_id is not None:
            uses.setdefault(page_id, set()).add(capfirst(row._meta.verbose_name))
        elif isinstance(row, EvaluationQuestion):
            others.extend(_question_uses([row], "utvärderingsfråga"))
    found = {page_id: (hows, True) for page_id, hows in uses.items()}
    return Refusal(
        heading="Det du ville ta bort kan inte tas bort eftersom det används:",
        advice="Ta bort eller byt ut det där det används, och publicera ändringen, innan du tar bort det.",
        uses=_page_uses(found) + others,
    )


def _page_id_of(row) -> int | None:
    if isinstance(row, Page):
        return row.pk
    for model_field in row._meta.get_fields():
        if isinstance(model_field, ParentalKey) and issubclass(model_field.related_model, Page):
            return getattr(row, model_field.attname)
    return None


class RecordInUse(ProtectedError):
    """Raised instead of deleting something content uses; carries the refusal to show."""

    def __init__(self, obj, uses: list[Use]):
        self.obj = obj
        self.refusal = refusal_for(obj, uses)
        super().__init__(self.refusal.as_text(), uses)


# --- Finding the uses -------------------------------------------------------------------------------


class _PendingVersions:
    """The page versions still to come, per page model, read once per lookup: the latest revision of
    every page with unpublished changes, and every scheduled revision."""

    def __init__(self):
        self._by_model: dict[type, list[tuple[int, type, dict]]] = {}

    def of(self, page_model) -> list[tuple[int, type, dict]]:
        """(page id, specific model, content) for each pending version of pages of this model."""
        if page_model not in self._by_model:
            pages = page_model.objects.filter(has_unpublished_changes=True, latest_revision__isnull=False)
            revisions = Revision.page_revisions.filter(
                Q(pk__in=pages.values("latest_revision_id")) | Q(approved_go_live_at__isnull=False)
            )
            if page_model is not Page:
                revisions = revisions.filter(content_type=ContentType.objects.get_for_model(page_model))
            self._by_model[page_model] = [
                (int(object_id), ContentType.objects.get_for_id(content_type_id).model_class(), content)
                for object_id, content_type_id, content in revisions.values_list("object_id", "content_type", "content")
            ]
        return self._by_model[page_model]


def uses_of(obj, deleting: Iterable[int] = ()) -> list[Use]:
    """Every use of a record, document or concept by content; [] when it may be deleted."""
    return uses_of_many([obj], deleting)[obj.pk]


def uses_of_many(objs, deleting: Iterable[int] = ()) -> dict[int, list[Use]]:
    """{pk: uses} for objects of one model: published uses first, then drafts, each by title."""
    objs = list(objs)
    if not objs:
        return {}
    model = type(objs[0])
    if isinstance(objs[0], Page):
        model = objs[0].specific_class or model
    ids = {obj.pk for obj in objs}
    deleting = set(deleting)
    pending = _PendingVersions()
    # {target pk: {page id: (set of hows, in a current row)}}
    found: dict[int, dict[int, tuple[set[str], bool]]] = {pk: {} for pk in ids}

    def add(target, page_id, how, current):
        if target not in found or page_id in deleting:
            return
        hows, was_current = found[target].get(page_id, (set(), False))
        hows.add(how)
        found[target][page_id] = (hows, was_current or current)

    for relation in _page_relations(model):
        rows = relation.page_model.objects.filter(**{f"{relation.lookup}__in": ids}).values_list("pk", relation.lookup)
        for page_id, target in rows.distinct():
            add(target, page_id, relation.how, True)
        for page_id, _, content in pending.of(relation.page_model):
            for target in relation.targets_in(content) & ids:
                add(target, page_id, relation.how, False)
    if issubclass(model, get_document_model()):
        _add_text_links(objs, pending, add)

    page_uses = {pk: _page_uses(pages) for pk, pages in found.items()}
    if issubclass(model, Indicator):
        through = EvaluationQuestion.indicators.through
        listed = through.objects.filter(indicator__in=ids).select_related("evaluationquestion")
        for row in sorted(listed, key=lambda row: row.evaluationquestion.text.lower()):
            page_uses[row.indicator_id] += _question_uses([row.evaluationquestion], "indikator för frågan")
    return page_uses


def _add_text_links(documents, pending: _PendingVersions, add) -> None:
    """Links to the documents from rich text and stream fields: the current rows' links from the
    ReferenceIndex, the pending versions' from their content."""
    document_ids = {document.pk for document in documents}
    page_type = ContentType.objects.get_for_model(Page)
    references = ReferenceIndex.get_references_to_in_bulk(documents).filter(base_content_type=page_type)
    for to_object_id, object_id, model_path in references.values_list("to_object_id", "object_id", "model_path"):
        # Documents listed on a result are counted by their own relation.
        if not model_path.startswith("documents."):
            add(int(to_object_id), int(object_id), TEXT_LINK, True)
    document_model = get_document_model()
    for page_id, page_model, content in pending.of(Page):
        for model_field in page_model._meta.get_fields() if page_model else ():
            if not hasattr(model_field, "extract_references") or not content.get(model_field.name):
                continue
            value = model_field.to_python(content[model_field.name])
            for to_model, to_id, _, _ in model_field.extract_references(value):
                if issubclass(to_model, document_model) and str(to_id).isdigit() and int(to_id) in document_ids:
                    add(int(to_id), page_id, TEXT_LINK, False)


def _page_uses(pages: dict[int, tuple[set[str], bool]]) -> list[Use]:
    """Uses for {page id: (hows, found in the current row)}: two queries, whatever the number."""
    if not pages:
        return []
    rows = Page.objects.filter(pk__in=list(pages)).order_by("path")
    public = set(visible_pages(Page.objects.filter(pk__in=list(pages))).values_list("pk", flat=True))
    uses = []
    for page in rows:
        hows, current = pages[page.pk]
        model = page.specific_class
        uses.append(
            Use(
                title=page.get_admin_display_title(),
                kind=model._meta.verbose_name if model else "sida",
                how=", ".join(sorted(hows)),
                edit_url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
                public_url=(page.get_url() or "") if page.pk in public else "",
                draft_only=not (current and page.live),
            )
        )
    return sorted(uses, key=lambda use: (use.draft_only, use.title.lower()))


def _question_uses(questions, how: str) -> list[Use]:
    return [
        Use(
            title=question.text,
            kind="utvärderingsfråga",
            how=how,
            edit_url=_reverse("larande_evaluationquestion_modeladmin_edit", question.pk),
            public_url=_reverse("larande:question_detail", question.pk),
        )
        for question in questions
    ]


def _reverse(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def check_deletable(obj) -> None:
    """Raise RecordInUse when content uses the object."""
    uses = uses_of(obj)
    if uses:
        raise RecordInUse(obj, uses)


def _refuse_deleting_what_is_used(sender, instance: Model, **kwargs):
    # Inside the deletion's transaction, before anything is deleted: the exception rolls it back.
    check_deletable(instance)


def connect_signals() -> None:
    from django.db.models.signals import pre_delete

    for model in (EvaluationQuestion, Indicator, Region, RusPriority, get_document_model()):
        pre_delete.connect(
            _refuse_deleting_what_is_used, sender=model, dispatch_uid=f"usage-protect-{model._meta.label_lower}"
        )
