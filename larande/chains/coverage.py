"""Coverage and traceability: which levels of a chain are followed up, asked about and answered.

For each chain, level by level (B down to G, and the context A when something points at it):
the elements on the level, the indicators that measure it, the process and summative evaluation
questions aimed at it, and the live, public results that answer those questions. What is missing is
said in words ("Kortsiktiga effekter saknar summerande utvärderingsfråga").

Where things come from:
- questions: `EvaluationQuestion.chains` ties a question to the chain, `chain_level` to a level;
- indicators: the indicators of the chain's questions, on the indicator's own level;
- results: answers (`QuestionAnswer`) to the chain's questions from live, public results only;
- untested links: the "leder till" links no live, public result has tested (`larande.chains.evidence`).

The time-horizon guard. The framework gives the effect levels a horizon: kortsiktiga effekter
(C) arrive within 0–2 years, långsiktiga effekter (B) within 1–10 years. A result that claims to
answer a summative question on such a level (status answered or partly answered) is flagged when its
period is shorter than the horizon's start, counted in whole years, with one year as the floor:

    required period = max(LevelInfo.min_years, 1 year)   → B: 1 year, C: 1 year

B's horizon starts at one year, so anything shorter cannot show a long-term effect. C's starts at 0,
because an effect can begin as soon as participants act on what they gained; but the framework counts
horizons in years, and a period that stops short of a year sees the outcome (D) rather than what
participants went on to do with it (the framework's own lesson: measure short-term effects when they
have had time to arise). A period counts its first and last day, so 1 January–31 December is a year.
Answers "not answered yet" claim nothing and are never flagged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import date_format

from core.levels import ChainLevel
from larande.chains.evidence import evidence_by_link
from larande.evaluation.questions import SUMMATIVE_LEVELS
from larande.models import (
    ChainElement,
    ChainLink,
    EffectChainPage,
    EvaluationQuestion,
    EvaluationResultPage,
    QuestionAnswer,
    QuestionKind,
)
from portal.visibility import request_private_q, visible_pages

HORIZON_FLOOR_YEARS = 1
DAYS_PER_YEAR = 365
CLAIMING_STATUSES = (QuestionAnswer.Status.ANSWERED, QuestionAnswer.Status.PARTLY)
STATUS_RANK = {
    QuestionAnswer.Status.ANSWERED: 3,
    QuestionAnswer.Status.PARTLY: 2,
    QuestionAnswer.Status.NOT_ANSWERED: 1,
}
NOT_YET_LABEL = "Inte besvarad ännu"


# --- The time-horizon guard ------------------------------------------------------------------------------


def required_period_years(level: ChainLevel | None) -> float | None:
    """The shortest period (in years) a result needs to answer a summative question on `level`;
    None for levels without a horizon (D, E and below)."""
    if level is None or level.info.min_years is None:
        return None
    return max(level.info.min_years, HORIZON_FLOOR_YEARS)


def period_days(result) -> int | None:
    """The days a result's period covers, first and last day included."""
    if not (result.period_start and result.period_end):
        return None
    return (result.period_end - result.period_start).days + 1


def _duration(days: int) -> str:
    if days < 60:
        return "en dag" if days == 1 else f"{days} dagar"
    months = max(1, round(days / 30.44))
    return "en månad" if months == 1 else f"{months} månader"


def _years(years: float) -> str:
    return "ett år" if years == 1 else f"{years:g} år"


def _period(result) -> str:
    return f"{date_format(result.period_start, 'j F Y')}–{date_format(result.period_end, 'j F Y')}"


def horizon_warning(question, result, status=QuestionAnswer.Status.ANSWERED) -> str:
    """Why `result` is too short to answer `question`, or "" when the guard has nothing to say."""
    if question.kind != QuestionKind.SUMMATIVE or status not in CLAIMING_STATUSES:
        return ""
    level = ChainLevel.parse(question.chain_level)
    required = required_period_years(level)
    days = period_days(result)
    if required is None or days is None or days >= required * DAYS_PER_YEAR:
        return ""
    return (
        f"Frågan gäller {level.label.lower()} ({level.horizon}), men utvärderingen ”{result.title}” omfattar "
        f"bara {_duration(days)} ({_period(result)}). Effekter på den nivån hinner sällan visa sig på kortare tid "
        f"än {_years(required)}; läs svaret med det i åtanke."
    )


@dataclass
class HorizonWarning:
    """A summative answer whose result covers too short a period for the question's level."""

    question: EvaluationQuestion
    result: EvaluationResultPage
    answer: QuestionAnswer
    message: str


def result_horizon_warnings(result) -> list[HorizonWarning]:
    """The horizon warnings for one result's answers (one query)."""
    if not result.pk:
        return []
    warnings = []
    for answer in result.answers.select_related("question").order_by("sort_order", "pk"):
        message = horizon_warning(answer.question, result, answer.status)
        if message:
            warnings.append(HorizonWarning(answer.question, result, answer, message))
    return warnings


# --- Coverage of a chain ----------------------------------------------------------------------------------


@dataclass
class AnswerTrace:
    """A published result's answer to a question, with its status and any horizon warning."""

    answer: QuestionAnswer
    result: EvaluationResultPage
    horizon_warning: str = ""

    @property
    def status(self) -> str:
        return self.answer.status

    @property
    def status_label(self) -> str:
        return self.answer.get_status_display()


@dataclass
class QuestionTrace:
    """A question aimed at a level, with the published answers to it (newest result first)."""

    question: EvaluationQuestion
    answers: list[AnswerTrace] = field(default_factory=list)

    @property
    def status(self) -> str:
        """The best status any published result gives: answered, partly, not_answered, or ""."""
        best = max((a.status for a in self.answers), key=lambda s: STATUS_RANK.get(s, 0), default="")
        return best

    @property
    def status_label(self) -> str:
        if not self.status:
            return NOT_YET_LABEL
        return QuestionAnswer.Status(self.status).label

    @property
    def is_answered(self) -> bool:
        return self.status in CLAIMING_STATUSES


@dataclass
class LevelCoverage:
    """One row of the matrix: a level (None for questions without a level) and what covers it."""

    level: ChainLevel | None
    elements: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    process_questions: list[QuestionTrace] = field(default_factory=list)
    summative_questions: list[QuestionTrace] = field(default_factory=list)
    results: list[EvaluationResultPage] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.level.label if self.level else "Utan nivå"

    @property
    def questions(self) -> list[QuestionTrace]:
        return self.process_questions + self.summative_questions

    @property
    def anchor(self) -> str:
        return f"tackning-{self.level.value.lower()}" if self.level else "tackning-utan-niva"

    @property
    def is_chain_level(self) -> bool:
        return self.level is not None and self.level != ChainLevel.KONTEXT


@dataclass
class ChainCoverage:
    """A chain's coverage matrix, its gaps in words, and its horizon warnings."""

    chain: EffectChainPage
    rows: list[LevelCoverage]
    chain_gaps: list[str] = field(default_factory=list)
    horizon_warnings: list[HorizonWarning] = field(default_factory=list)
    # (source element, target element, link) for every link no published result has tested yet.
    untested_links: list[tuple] = field(default_factory=list)
    link_count: int = 0

    @property
    def gaps(self) -> list[str]:
        return self.chain_gaps + [gap for row in self.rows for gap in row.gaps]

    @property
    def element_count(self) -> int:
        return sum(len(row.elements) for row in self.rows)

    @property
    def question_count(self) -> int:
        return sum(len(row.questions) for row in self.rows)

    @property
    def indicator_count(self) -> int:
        return len({i.pk for row in self.rows for i in row.indicators})

    @property
    def results(self) -> list[EvaluationResultPage]:
        seen, results = set(), []
        for row in self.rows:
            for result in row.results:
                if result.pk not in seen:
                    seen.add(result.pk)
                    results.append(result)
        return results


def _gaps_for(row: LevelCoverage) -> list[str]:
    if not row.is_chain_level:
        return []
    label = row.level.label
    gaps = []
    if not row.elements:
        gaps.append(f"{label} saknar element i kedjan.")
    if row.level in SUMMATIVE_LEVELS:
        if not row.summative_questions:
            gaps.append(f"{label} saknar summerande utvärderingsfråga.")
        elif not any(q.is_answered for q in row.summative_questions):
            gaps.append(f"Ingen publicerad utvärdering besvarar ännu de summerande frågorna om {label.lower()}.")
        if not row.indicators:
            gaps.append(f"{label} saknar indikator.")
    return gaps


def chain_coverage_many(chains, private_q=None) -> list[ChainCoverage]:
    """Coverage for several chains with a fixed number of queries, however many chains there are.

    Only the chains given are covered: pass live, public chains. Only live, public results count.
    `private_q`: the view restrictions (`portal.visibility`), when the caller has read them already.
    """
    chains = list(chains)
    if not chains:
        return []
    chain_ids = [c.pk for c in chains]
    elements: dict[int, list] = {pk: [] for pk in chain_ids}
    for element in ChainElement.objects.filter(chain_id__in=chain_ids).order_by("sort_order", "pk"):
        elements[element.chain_id].append(element)
    links: dict[int, list] = {pk: [] for pk in chain_ids}
    for link in ChainLink.objects.filter(chain_id__in=chain_ids).order_by("sort_order", "pk"):
        links[link.chain_id].append(link)
    tested = evidence_by_link(chain_ids, private_q)

    through = EvaluationQuestion.chains.through
    pairs = list(
        through.objects.filter(effectchainpage_id__in=chain_ids).values_list(
            "evaluationquestion_id", "effectchainpage_id"
        )
    )
    question_ids = {q for q, _ in pairs}
    questions = {q.pk: q for q in EvaluationQuestion.objects.filter(pk__in=question_ids).prefetch_related("indicators")}
    answers: dict[int, list[AnswerTrace]] = {}
    published = visible_pages(EvaluationResultPage, private_q=private_q)
    for answer in (
        QuestionAnswer.objects.filter(question_id__in=question_ids, result__in=published)
        .select_related("result")
        .order_by("-result__published_on", "result__title", "sort_order", "pk")
    ):
        question = questions[answer.question_id]
        trace = AnswerTrace(answer, answer.result, horizon_warning(question, answer.result, answer.status))
        answers.setdefault(answer.question_id, []).append(trace)

    questions_for: dict[int, list[EvaluationQuestion]] = {pk: [] for pk in chain_ids}
    for question_id, chain_id in pairs:
        questions_for[chain_id].append(questions[question_id])

    coverages = []
    for chain in chains:
        coverage = _coverage(chain, elements[chain.pk], questions_for[chain.pk], answers)
        resolved = chain.resolved_links(elements[chain.pk], links[chain.pk])
        coverage.link_count = len(resolved)
        coverage.untested_links = [(s, t, link) for s, t, link in resolved if link.pk not in tested]
        coverages.append(coverage)
    return coverages


def _coverage(chain, elements, questions, answers) -> ChainCoverage:
    rows = {level: LevelCoverage(level) for level in ChainLevel.top_down()}
    unlevelled = LevelCoverage(None)
    for element in elements:
        level = ChainLevel.parse(element.level)
        if level in rows:
            rows[level].elements.append(element)
    indicators_at: dict[ChainLevel, dict] = {}
    warnings = []
    for question in sorted(questions, key=lambda q: q.text.lower()):
        level = ChainLevel.parse(question.chain_level)
        row = rows.get(level, unlevelled) if level else unlevelled
        trace = QuestionTrace(question, answers.get(question.pk, []))
        (row.summative_questions if question.kind == QuestionKind.SUMMATIVE else row.process_questions).append(trace)
        for indicator in question.indicators.all():
            indicator_level = ChainLevel.parse(indicator.chain_level)
            if indicator_level:
                indicators_at.setdefault(indicator_level, {})[indicator.pk] = indicator
        for answer in trace.answers:
            if answer.result.pk not in {r.pk for r in row.results}:
                row.results.append(answer.result)
            if answer.horizon_warning:
                warnings.append(HorizonWarning(question, answer.result, answer.answer, answer.horizon_warning))
    for level, found in indicators_at.items():
        rows[level].indicators = sorted(found.values(), key=lambda i: i.name.lower())
    for row in rows.values():
        row.gaps = _gaps_for(row)
    ordered = [row for level, row in rows.items() if level != ChainLevel.KONTEXT or _has_content(row)]
    if _has_content(unlevelled):
        ordered.append(unlevelled)
    chain_gaps = []
    if not any(row.process_questions for row in ordered):
        chain_gaps.append("Kedjan saknar processorienterade utvärderingsfrågor om genomförandet.")
    return ChainCoverage(chain=chain, rows=ordered, chain_gaps=chain_gaps, horizon_warnings=warnings)


def _has_content(row: LevelCoverage) -> bool:
    return bool(row.indicators or row.questions or row.results)


def chain_coverage(chain) -> ChainCoverage:
    """The coverage of one chain (eight queries)."""
    return chain_coverage_many([chain])[0]


def public_chains(private_q=None):
    """Every live, public effect chain, in page-tree order."""
    return visible_pages(EffectChainPage, private_q=private_q).order_by("path")


def coverage_overview(request=None) -> list[ChainCoverage]:
    """The coverage of every live, public chain, for the overview page (a fixed number of queries;
    the view restrictions are the request's, read once for everything it shows)."""
    private_q = request_private_q(request)
    return chain_coverage_many(public_chains(private_q), private_q)
