"""The evaluation plan generator: a chain (or a RUS priority) and some of its questions in, a plan out.

The selection lives in the address (`?kedja=<slug>&fraga=<id>&fraga=<id>&visa=plan`, or
`?prioritering=<slug>…`), so a plan can be shared as a link and made without JavaScript:

1. no selection: the visitor picks a chain or a priority;
2. a chain or priority: its evaluation questions to tick;
3. questions ticked (`visa=plan`): the plan, also as DOCX and PDF.

Per question the plan gives its kind (process or summative) and level, the indicators followed up on
that level with their latest values and targets, the data sources, the earliest sensible time to
answer it (the framework's time horizons: kortsiktiga effekter 0–2 år, långsiktiga effekter 1–10 år,
with the same guard as `larande.chains.coverage`), the earlier published answers, and the chain's open
gaps (the coverage matrix and the links no published result has tested); then a terms-of-reference
draft built from the framework's own text.

Bad selections raise `PlanError` with a Swedish message (the views answer 400): a value with a NUL
character or longer than any slug, more than MAX_QUESTIONS questions (all refused before any query),
an unknown chain or priority, both at once, a question that is not a number, unknown, or not one of
the chosen chain's, and a plan asked for with no question ticked. The ticked questions are a set: the
plan lists them in the order the chain's list offers them, however the address orders or repeats
them. Only visible chains and results count
(`portal.visibility`); the questions and indicators are public records.

Query budget: a fixed number of queries, however many chains, questions and indicators there are.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from django.db.models import Prefetch

from core.levels import ChainLevel
from larande.chains.coverage import ChainCoverage, chain_coverage_many, required_period_years
from larande.evaluation.followup import priority_chains
from larande.evaluation.questions import QUESTION_KIND_DESCRIPTIONS, QuestionKind
from larande.models import (
    EffectChainPage,
    EvaluationQuestion,
    EvaluationResultPage,
    Indicator,
    IndicatorValue,
    QuestionAnswer,
    RusPriority,
)
from portal.visibility import visible_pages

CHAIN_PARAM = "kedja"
PRIORITY_PARAM = "prioritering"
QUESTION_PARAM = "fraga"
SHOW_PARAM = "visa"
# The selection lives in the address; the page cache keeps plans under exactly these parameters.
PLAN_PARAMETERS = frozenset({CHAIN_PARAM, PRIORITY_PARAM, QUESTION_PARAM, SHOW_PARAM})
SHOW_PLAN = "plan"
PARAMS = frozenset({CHAIN_PARAM, PRIORITY_PARAM, QUESTION_PARAM, SHOW_PARAM})
# The parameters whose values are a set: the plan is the same whatever their order or repeats, and the
# page cache keys them so (`portal.pagecache.cache_key`).
PLAN_SET_PARAMETERS = frozenset({QUESTION_PARAM})
# More ticked questions than this is not a selection a person made.
MAX_QUESTIONS = 100
# No value the forms send is longer (a slug is at most 255 characters); a longer one is refused unread.
MAX_VALUE_LENGTH = 255
MAX_QUOTED = 60
# The framework text's own spelling slips, as the demo content corrects them (larande/demo/content.py).
BENEFIT_TITLE_CORRECTIONS = {"Beslutfattande": "Beslutsfattande"}


class PlanError(ValueError):
    """A selection the plan cannot be made from; the message is Swedish and says what to do."""


def _quoted(value: str) -> str:
    """A visitor's value as a message quotes it: printable characters only, and not too long."""
    text = "".join(ch for ch in str(value) if ch.isprintable()).strip()
    return text if len(text) <= MAX_QUOTED else text[: MAX_QUOTED - 1] + "…"


def _check_values(params) -> None:
    """Refuse, before anything is looked up, what no form sends: a NUL character (PostgreSQL cannot compare
    text with one), a value longer than any slug or question number, or more questions than MAX_QUESTIONS."""
    if len(params.getlist(QUESTION_PARAM)) > MAX_QUESTIONS:
        raise PlanError(f"Välj högst {MAX_QUESTIONS} utvärderingsfrågor till en plan.")
    for name in sorted(PLAN_PARAMETERS):
        for value in params.getlist(name):
            if "\x00" in value:
                raise PlanError(
                    f"Värdet för {name} innehåller ett otillåtet tecken. Välj i listorna i stället för att skriva "
                    "adressen för hand."
                )
            if len(value) > MAX_VALUE_LENGTH:
                raise PlanError(
                    f"Värdet för {name} är för långt (högst {MAX_VALUE_LENGTH} tecken). Välj i listorna i stället "
                    "för att skriva adressen för hand."
                )


def _single(params, name: str) -> str:
    values = [value.strip() for value in params.getlist(name) if value.strip()]
    if len(values) > 1:
        raise PlanError(f"Ange bara ett värde för {name}. Välj en effektkedja eller en RUS-prioritering i taget.")
    return values[0] if values else ""


@dataclass
class Selection:
    """What the visitor chose: one chain, or a priority and its chains; and the ticked questions."""

    chains: list[EffectChainPage] = field(default_factory=list)
    priority: RusPriority | None = None
    chain: EffectChainPage | None = None
    available: list[EvaluationQuestion] = field(default_factory=list)  # the chains' questions
    questions: list[EvaluationQuestion] = field(default_factory=list)  # the ticked ones, in `available`'s order
    show_plan: bool = False

    @property
    def is_empty(self) -> bool:
        return self.chain is None and self.priority is None

    @property
    def subject(self) -> str:
        if self.chain is not None:
            return f"effektkedjan {self.chain.title}"
        if self.priority is not None:
            return f"RUS-prioriteringen {self.priority.title}"
        return ""

    @property
    def has_plan(self) -> bool:
        return self.show_plan and bool(self.questions)

    def query_items(self) -> list[tuple[str, str]]:
        """The selection as query parameters, in a stable order."""
        items = []
        if self.chain is not None:
            items.append((CHAIN_PARAM, self.chain.slug))
        elif self.priority is not None:
            items.append((PRIORITY_PARAM, self.priority.slug))
        items += [(QUESTION_PARAM, str(q.pk)) for q in self.questions]
        if self.show_plan:
            items.append((SHOW_PARAM, SHOW_PLAN))
        return items

    @property
    def key(self) -> str:
        return hashlib.sha256(repr(self.query_items()).encode()).hexdigest()[:24]

    @property
    def selected_ids(self) -> set[int]:
        return {q.pk for q in self.questions}


def visible_chains(private_q=None):
    return visible_pages(EffectChainPage, private_q=private_q).order_by("title")


def chain_choices(private_q=None) -> list[EffectChainPage]:
    """The chains a plan can be made for: visible ones, by title (one query)."""
    return list(visible_chains(private_q).only("id", "title", "slug", "url_path", "path", "depth"))


def priority_choices() -> list[RusPriority]:
    """The RUS priorities (one query)."""
    return list(RusPriority.objects.order_by("title"))


def parse_selection(params, private_q=None) -> Selection:
    """The selection in `params` (a QueryDict), checked; raises PlanError for a bad one."""
    _check_values(params)
    selection = Selection()
    chain_slug = _single(params, CHAIN_PARAM)
    priority_slug = _single(params, PRIORITY_PARAM)
    show = _single(params, SHOW_PARAM)
    if show and show != SHOW_PLAN:
        raise PlanError(f"”{_quoted(show)}” är inget giltigt värde för visa. Använd visa=plan eller utelämna det.")
    selection.show_plan = show == SHOW_PLAN
    raw_questions = [value.strip() for value in params.getlist(QUESTION_PARAM) if value.strip()]
    if chain_slug and priority_slug:
        raise PlanError("Välj antingen en effektkedja eller en RUS-prioritering, inte båda på en gång.")
    if chain_slug:
        chain = visible_chains(private_q).filter(slug=chain_slug).first()
        if chain is None:
            raise PlanError(
                f"Det finns ingen publicerad effektkedja med kortnamnet ”{_quoted(chain_slug)}”. "
                "Välj en kedja i listan."
            )
        selection.chain, selection.chains = chain, [chain]
    elif priority_slug:
        priority = RusPriority.objects.filter(slug=priority_slug).first()
        if priority is None:
            raise PlanError(
                f"Det finns ingen RUS-prioritering med kortnamnet ”{_quoted(priority_slug)}”. Välj en prioritering "
                "i listan."
            )
        selection.priority = priority
        # The same chains as the priority's follow-up shows.
        selection.chains = list(priority_chains(priority, private_q))
    elif raw_questions or selection.show_plan:
        raise PlanError("Välj först en effektkedja eller en RUS-prioritering, och sedan dess utvärderingsfrågor.")
    else:
        return selection

    ids = set()
    for raw in raw_questions:
        if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
            raise PlanError(
                f"”{_quoted(raw)}” är ingen utvärderingsfråga. Kryssa i frågorna i listan i stället för att skriva "
                "adressen för hand."
            )
        ids.add(int(raw))

    chain_ids = [c.pk for c in selection.chains]
    selection.available = list(
        EvaluationQuestion.objects.filter(chains__in=chain_ids).distinct().order_by("kind", "chain_level", "text", "pk")
    )
    available = {q.pk: q for q in selection.available}
    missing = sorted(pk for pk in ids if pk not in available)
    if missing:
        other = EvaluationQuestion.objects.filter(pk=missing[0]).first()
        if other is None:
            raise PlanError(f"Det finns ingen utvärderingsfråga med nummer {missing[0]}. Välj frågor i listan.")
        raise PlanError(
            f"Frågan ”{_quoted(other.text)}” hör inte till {selection.subject}. Välj bland frågorna i listan."
        )
    # In the order of the list they were ticked in, however the address orders or repeats them: one plan,
    # one cache entry.
    selection.questions = [question for question in selection.available if question.pk in ids]
    if selection.show_plan and not selection.questions:
        raise PlanError("Välj minst en utvärderingsfråga, så görs planen för de frågor du valt.")
    return selection


# --- The plan ---------------------------------------------------------------------------------------


@dataclass
class IndicatorLine:
    """An indicator followed up on a question's level, with its latest value and target."""

    indicator: object
    latest_year: int | None = None
    latest_value: object = None
    latest_target: object = None
    target_year: int | None = None

    @property
    def name(self) -> str:
        return self.indicator.name


def _indicator_line(indicator) -> IndicatorLine:
    values = sorted(indicator.values.all(), key=lambda v: v.year)
    with_value = [v for v in values if v.value is not None]
    with_target = [v for v in values if v.target is not None]
    line = IndicatorLine(indicator)
    if with_value:
        latest = with_value[-1]
        line.latest_year, line.latest_value, line.latest_target = latest.year, latest.value, latest.target
    if with_target and (line.latest_target is None or with_target[-1].year > (line.latest_year or 0)):
        line.target_year, line.latest_target = with_target[-1].year, with_target[-1].target
    return line


def earliest_answer(question) -> str:
    """When a question can first be answered, by its kind and level (the framework's time horizons)."""
    level = question.level
    if question.kind == QuestionKind.PROCESS or level is None:
        return (
            "Under genomförandet: processorienterade frågor om implementeringen kan besvaras löpande medan "
            "insatserna pågår, och gärna tidigt, så att planering och genomförande kan förbättras."
        )
    if level == ChainLevel.LANGSIKTIGA_EFFEKTER:
        years = required_period_years(level)
        return (
            f"Tidigast när insatserna pågått minst {_years(years)}, och oftast betydligt senare: långsiktiga effekter "
            f"kommer på längre sikt ({level.horizon}). Följ upp i flera omgångar och ange att svaret är preliminärt "
            "före tio år."
        )
    if level == ChainLevel.KORTSIKTIGA_EFFEKTER:
        years = required_period_years(level)
        return (
            f"När deltagarna hunnit omsätta utfallet i handling: kortsiktiga effekter inträffar inom {level.horizon}. "
            f"Låt perioden omfatta minst {_years(years)} och mät inom två år efter insatsen, inte vid projektets slut."
        )
    if level == ChainLevel.UTFALL:
        return "Direkt vid genomförandet: utfallet inträffar direkt när deltagarna tagit del av aktiviteten."
    if level == ChainLevel.PRESTATIONER:
        return "Löpande: prestationer räknas medan aktiviteterna genomförs, till exempel per år."
    return "Under genomförandet: resurser och aktiviteter följs upp löpande."


def _years(years) -> str:
    return "ett år" if years == 1 else f"{years:g} år"


@dataclass
class PlanItem:
    """One question in the plan, with what the plan says about it."""

    question: EvaluationQuestion
    chains: list[EffectChainPage]
    indicators: list[IndicatorLine]
    sources: list[str]
    earlier_answers: list[QuestionAnswer]
    earliest: str
    gaps: list[str]

    @property
    def kind_label(self) -> str:
        return QuestionKind(self.question.kind).label if self.question.kind in QuestionKind.values else ""

    @property
    def kind_description(self) -> str:
        return QUESTION_KIND_DESCRIPTIONS.get(self.question.kind, "")

    @property
    def level(self) -> ChainLevel | None:
        return self.question.level


@dataclass
class TermsSection:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    points: list[str] = field(default_factory=list)


@dataclass
class EvaluationPlan:
    """The drafted plan: its questions, the chains' open gaps, and a terms-of-reference draft."""

    title: str
    selection: Selection
    items: list[PlanItem]
    coverages: list[ChainCoverage]
    terms: list[TermsSection]

    @property
    def chains(self) -> list[EffectChainPage]:
        return self.selection.chains

    @property
    def gaps(self) -> list[tuple[EffectChainPage, list[str]]]:
        return [(c.chain, c.gaps) for c in self.coverages if c.gaps]

    @property
    def untested_links(self) -> list[tuple[EffectChainPage, list[tuple]]]:
        return [(c.chain, c.untested_links) for c in self.coverages if c.untested_links]


def build_plan(selection: Selection, private_q=None) -> EvaluationPlan:
    """The plan for a checked selection with questions (a fixed number of queries)."""
    chains = selection.chains
    coverages = chain_coverage_many(chains, private_q)
    question_ids = [q.pk for q in selection.questions]
    questions = {
        q.pk: q
        for q in EvaluationQuestion.objects.filter(pk__in=question_ids).prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.only("id")),
            Prefetch("chains", queryset=EffectChainPage.objects.only("id")),
        )
    }
    answers: dict[int, list] = {}
    for answer in (
        QuestionAnswer.objects.filter(
            question_id__in=question_ids, result__in=visible_pages(EvaluationResultPage, private_q=private_q)
        )
        .select_related("result")
        .order_by("-result__published_on", "result__title", "sort_order", "pk")
    ):
        answers.setdefault(answer.question_id, []).append(answer)
    # Indicators the chains follow up, by level (from every question of the chains, as the matrix has them),
    # and the gaps of each level.
    ids_by_level: dict[ChainLevel, set[int]] = {}
    gaps_by_level: dict[ChainLevel | None, list[str]] = {}
    for coverage in coverages:
        for row in coverage.rows:
            if row.level is not None:
                ids_by_level.setdefault(row.level, set()).update(i.pk for i in row.indicators)
            gaps_by_level.setdefault(row.level, []).extend(
                f"{coverage.chain.title}: {gap}" if len(coverages) > 1 else gap for gap in row.gaps
            )
    wanted = {i.pk for q in questions.values() for i in q.indicators.all()}
    wanted.update(*ids_by_level.values())
    indicators_by_id = {
        i.pk: i
        for i in Indicator.objects.filter(pk__in=wanted).prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.order_by("year"))
        )
    }

    items = []
    for chosen in selection.questions:
        question = questions[chosen.pk]
        ids = {i.pk for i in question.indicators.all()} | ids_by_level.get(question.level, set())
        indicators = sorted(
            (indicators_by_id[pk] for pk in ids if pk in indicators_by_id), key=lambda i: i.name.lower()
        )
        sources = sorted({i.source.strip() for i in indicators if i.source.strip()})
        in_chains = {c.pk for c in question.chains.all()}
        items.append(
            PlanItem(
                question=question,
                chains=[c for c in chains if c.pk in in_chains],
                indicators=[_indicator_line(i) for i in indicators],
                sources=sources,
                earlier_answers=answers.get(question.pk, []),
                earliest=earliest_answer(question),
                gaps=gaps_by_level.get(question.level, []) if question.level else [],
            )
        )
    title = f"Utvärderingsplan för {selection.subject}"
    plan = EvaluationPlan(title=title, selection=selection, items=items, coverages=coverages, terms=[])
    plan.terms = terms_of_reference(plan)
    return plan


# --- The terms of reference, from the framework's own text ------------------------------------------------


@functools.cache
def _framework_text():
    from larande.demo.seed import load_seed  # noqa: PLC0415 - the framework text shipped with the app

    return load_seed()


def _plain(html: str) -> str:
    return " ".join(BeautifulSoup(html or "", "html.parser").get_text(" ").split())


def terms_of_reference(plan: EvaluationPlan) -> list[TermsSection]:
    """A draft uppdragsbeskrivning: background, purpose, questions, chain and horizons, data, time, reporting."""
    seed = _framework_text()
    selection = plan.selection
    background = TermsSection("Bakgrund")
    background.paragraphs.append(
        "Utvärderingen är en del av arbetet med uppföljning, utvärdering och lärande för ett effektivt "
        "genomförande av den regionala utvecklingsstrategin. Strategin är en samlad strategi för hur regionen ska "
        "uppfylla målen för den regionala tillväxtpolitiken och främja en hållbar regional tillväxt."
    )
    if selection.priority is not None:
        text = f"Utvärderingen gäller RUS-prioriteringen {selection.priority.title}."
        if selection.priority.description:
            text += " " + selection.priority.description
        background.paragraphs.append(text)
    for chain in plan.chains:
        parts = [f"Effektkedjan {chain.title}:"]
        if chain.purpose:
            parts.append(" ".join(chain.purpose.split()))
        context = _plain(chain.context)
        if context:
            parts.append(f"Kontext: {context}")
        background.paragraphs.append(" ".join(parts))

    purpose = TermsSection("Syfte")
    purpose.paragraphs.append("Utvärderingen ska ge underlag för:")
    wanted = {"resultat", "styrning", "ansvarskrävanden", "lärande", "beslutfattande", "beslutsfattande"}
    purpose.points = [
        f"{BENEFIT_TITLE_CORRECTIONS.get(p.title, p.title)}: {p.text}"
        for p in seed.benefits
        if p.title.lower() in wanted
    ]

    questions = TermsSection("Utvärderingsfrågor")
    questions.paragraphs = list(seed.question_points)
    questions.points = [
        f"{item.question.text} ({item.kind_label.lower()}"
        + (f", nivå {item.level.value} {item.level.label.lower()})" if item.level else ")")
        for item in plan.items
    ]

    chain_section = TermsSection("Effektkedjan och tidshorisonten")
    if seed.causality:
        chain_section.paragraphs.append(
            f"{seed.causality.rstrip('.')}. Utvärderingen ska därför pröva om länkarna i kedjan håller."
        )
    levels = sorted({item.level for item in plan.items if item.level}, key=lambda lvl: -lvl.rank)
    chain_section.points = [f"{level.label}: {level.description}" for level in levels]
    untested = [
        f"{chain.title}: {s.key} {s.title} leder till {t.key} {t.title}"
        for chain, links in plan.untested_links
        for s, t, _link in links
    ]
    if untested:
        chain_section.paragraphs.append(
            "Ingen publicerad utvärdering har ännu prövat dessa länkar; pröva dem där frågorna ger underlag:"
        )
        chain_section.points += untested

    data = TermsSection("Underlag och datakällor")
    indicator_names = sorted({line.name for item in plan.items for line in item.indicators}, key=str.lower)
    sources = sorted({source for item in plan.items for source in item.sources})
    if indicator_names:
        data.paragraphs.append("Utvärderingen ska använda de indikatorer som följs upp på frågornas nivåer:")
        data.points = indicator_names + [f"Källa: {source}" for source in sources]
    data.paragraphs.append(
        "Utvärderingsfrågorna identifierar det som vi vill veta och hjälper oss undvika att vi enbart mäter det "
        "som vi idag kan mäta: där indikatorer saknas ska utvärderaren föreslå egen datainsamling, till exempel "
        "enkäter, intervjuer eller dokumentstudier."
    )

    timing = TermsSection("Tidplan")
    timing.points = [f"{item.question.text} – {item.earliest}" for item in plan.items]

    reporting = TermsSection("Redovisning")
    reporting.paragraphs.append(
        "Utvärderingen redovisas med svar på varje utvärderingsfråga, iakttagelser, slutsatser, rekommendationer "
        "som ägaren svarar på, och lärdomar. Resultatet anger vilka länkar i effektkedjan som svaren stöder eller "
        "motsäger, och publiceras i Lärportalen som underlag för lärande och framtida beslut."
    )
    return [background, purpose, questions, chain_section, data, timing, reporting]
