"""The evaluation questions, outside the page tree: the list and one page per question."""

from django.shortcuts import get_object_or_404, render

from larande.evaluation.questions import QUESTION_KIND_DESCRIPTIONS, EvaluationQuestion, QuestionKind

QUESTION_LIST_DESCRIPTION = (
    "Ramverkets utvärderingsfrågor, processorienterade och summerande, per nivå i effektkedjan och med svar ur "
    "publicerade utvärderingsresultat."
)


def question_description(question, kind: str) -> str:
    """An evaluation question's meta description: its kind and level, then the question itself."""
    level = question.level
    lead = f"{kind} utvärderingsfråga" if kind else "Utvärderingsfråga"
    if level:
        lead += f" på nivå {level.value} ({level.label.lower()})"
    return f"{lead}: {question.text}"


def question_list(request):
    """All evaluation questions, grouped by kind and chain level."""
    questions = EvaluationQuestion.objects.order_by("text")
    groups = EvaluationQuestion.grouped(questions)
    return render(
        request,
        "larande/question_list.html",
        {
            "groups": groups,
            "total": sum(group["count"] for group in groups),
            "meta_description": QUESTION_LIST_DESCRIPTION,
        },
    )


def question_detail(request, pk):
    """One evaluation question: its level, the chains it belongs to, its indicators and the
    answers that live, public results give to it."""
    question = get_object_or_404(EvaluationQuestion, pk=pk)
    kind = QuestionKind(question.kind).label if question.kind in QuestionKind.values else ""
    return render(
        request,
        "larande/question_detail.html",
        {
            "question": question,
            "kind_label": kind,
            "kind_description": QUESTION_KIND_DESCRIPTIONS.get(question.kind, ""),
            "chains": list(question.public_chains()),
            "indicators": list(question.indicators.order_by("name")),
            "answers": list(question.public_answers()),
            "tags": sorted(question.tags.all(), key=lambda t: t.name.lower()),
            "decision_regions": list(question.decision_regions.order_by("name")) if question.is_decided else [],
            "meta_description": question_description(question, kind),
        },
    )
