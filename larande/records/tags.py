"""Everything public that carries a tag, grouped by type."""

from core.collation import swedish_sort_key
from larande.models import ConceptPage, EffectChainPage, EvaluationQuestion, EvaluationResultPage, GuidancePage, Lesson
from portal.visibility import visible_pages

# (heading, page model, the field shown under each title)
PAGE_GROUPS = [
    ("Begrepp", ConceptPage, "short_definition"),
    ("Vägledning", GuidancePage, "intro"),
    ("Effektkedjor", EffectChainPage, "intro"),
    ("Resultat", EvaluationResultPage, "key_findings"),
]


def content_for_tag(tag) -> list[dict]:
    """Public content carrying `tag`: [{"label", "kind", "items"}], in the order of PAGE_GROUPS,
    then lessons and evaluation questions; empty groups are left out.

    Pages must be live and public; lessons must belong to a live, public result. Each item of
    a page group gets `snippet`. One query per group, whatever the number of items.
    """
    groups = []
    # Visibility is worked out once (live, outside every view restriction) and used as a subquery.
    visible = visible_pages().values("pk")
    for label, model, snippet_field in PAGE_GROUPS:
        items = list(
            model.objects.filter(pk__in=visible, tagged_items__tag=tag)
            .distinct()
            .only("id", "title", "url_path", "path", "depth", snippet_field)
        )
        for item in items:
            item.snippet = getattr(item, snippet_field)
        if items:
            items.sort(key=lambda page: swedish_sort_key(page.title))
            groups.append({"label": label, "items": items, "kind": "page"})
    lessons = list(Lesson.objects.filter(tags=tag, result__in=visible).select_related("result").distinct())
    if lessons:
        lessons.sort(key=lambda lesson: swedish_sort_key(lesson.statement))
        groups.append({"label": "Lärdomar", "items": lessons, "kind": "lesson"})
    questions = list(EvaluationQuestion.objects.filter(tagged_items__tag=tag).distinct())
    if questions:
        questions.sort(key=lambda question: swedish_sort_key(question.text))
        groups.append({"label": "Utvärderingsfrågor", "items": questions, "kind": "question"})
    return groups
