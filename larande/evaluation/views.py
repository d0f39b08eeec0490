"""The evaluation questions, outside the page tree: the list and one page per question."""

from typing import NamedTuple

from django.db.models import CharField, Value
from django.shortcuts import get_object_or_404, render

from larande.evaluation.questions import (
    QUESTION_KIND_DESCRIPTIONS,
    EvaluationQuestion,
    QuestionKind,
    TaggedQuestion,
)


class NamedLink(NamedTuple):
    """A tag or region as the question page shows it: its name and slug."""

    name: str
    slug: str


def tags_and_decision_regions(question) -> tuple[list[NamedLink], list[NamedLink]]:
    """The question's tags and the regions that decided it, each by name, in one query (a union)."""
    kind = CharField()
    tags = TaggedQuestion.objects.filter(content_object=question.pk).values_list(
        Value("tag", output_field=kind), "tag__name", "tag__slug"
    )
    through = EvaluationQuestion.decision_regions.through
    regions = through.objects.filter(evaluationquestion=question.pk).values_list(
        Value("region", output_field=kind), "region__name", "region__slug"
    )
    found: dict[str, list[NamedLink]] = {"tag": [], "region": []}
    for which, name, slug in tags.union(regions, all=True):
        found[which].append(NamedLink(name, slug))
    return (
        sorted(found["tag"], key=lambda t: t.name.lower()),
        sorted(found["region"], key=lambda r: r.name.lower()),
    )


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
    """One evaluation question: its level, its decision, the chains it belongs to, its indicators
    and the answers that live, public results give to it."""
    question = get_object_or_404(EvaluationQuestion, pk=pk)
    kind = QuestionKind(question.kind).label if question.kind in QuestionKind.values else ""
    tags, decision_regions = tags_and_decision_regions(question)
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
            "tags": tags,
            "decision_regions": decision_regions if question.is_decided else [],
            "meta_description": question_description(question, kind),
        },
    )
