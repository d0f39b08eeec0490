"""Everything public that carries a tag, grouped by type."""

from larande.models import (
    ConceptPage,
    EffectChainPage,
    EvaluationQuestion,
    EvaluationResultPage,
    GuidancePage,
    Lesson,
)

PAGE_GROUPS = [
    ("Begrepp", ConceptPage),
    ("Vägledning", GuidancePage),
    ("Effektkedjor", EffectChainPage),
    ("Resultat", EvaluationResultPage),
]


def content_for_tag(tag):
    groups = []
    for label, model in PAGE_GROUPS:
        items = list(
            model.objects.live()
            .public()
            .filter(tagged_items__tag=tag)
            .distinct()
            .order_by("title")
            .only("id", "title", "url_path", "path", "depth")
        )
        if items:
            groups.append({"label": label, "items": items, "kind": "page"})
    lessons = list(
        Lesson.objects.filter(tags=tag, result__live=True, result__in=EvaluationResultPage.objects.live().public())
        .select_related("result")
        .order_by("statement")
    )
    if lessons:
        groups.append({"label": "Lärdomar", "items": lessons, "kind": "lesson"})
    questions = list(EvaluationQuestion.objects.filter(tagged_items__tag=tag).order_by("text"))
    if questions:
        groups.append({"label": "Utvärderingsfrågor", "items": questions, "kind": "question"})
    return groups
