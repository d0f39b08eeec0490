"""Coverage and traceability: the matrix names real gaps in words, traces questions to published
answers, and the time-horizon guard flags results too short for effects on B and C."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from core.levels import ChainLevel
from larande.chains import coverage
from larande.models import QuestionAnswer, QuestionKind
from tests.factories import (
    ChainIndexPageFactory,
    EffectChainPageFactory,
    EvaluationQuestionFactory,
    EvaluationResultPageFactory,
    IndicatorFactory,
    QuestionAnswerFactory,
)

C_GAP = "Kortsiktiga effekter saknar summerande utvärderingsfråga."


def _render(tag, page):
    request = RequestFactory().get("/")
    html = Template("{% load chain_tags %}" + tag).render(Context({"page": page, "request": request}))
    return html, " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
def test_a_gap_is_flagged_until_a_question_fills_it(home):
    chain = EffectChainPageFactory(full_chain=True)
    html, text = _render("{% chain_coverage page %}", chain)
    assert C_GAP in text
    assert "Långsiktiga effekter saknar summerande utvärderingsfråga." in text
    assert "Kedjan saknar processorienterade utvärderingsfrågor om genomförandet." in text

    question = EvaluationQuestionFactory(
        text="Leder insatserna till nya innovationer?", chain_level="C", chains=[chain]
    )
    html, text = _render("{% chain_coverage page %}", chain)
    assert C_GAP not in text
    assert "Långsiktiga effekter saknar summerande utvärderingsfråga." in text
    # The question now shows on its level, not yet answered, and the next gap for C is named.
    assert question.text in text and "Inte besvarad ännu" in text
    assert "Ingen publicerad utvärdering besvarar ännu de summerande frågorna om kortsiktiga effekter." in text


@pytest.mark.django_db
def test_the_matrix_counts_indicators_questions_and_published_results_per_level(home):
    chain = EffectChainPageFactory(full_chain=True)
    indicator = IndicatorFactory(name="Andel företag med nya produkter", chain_level="C")
    summative = EvaluationQuestionFactory(chain_level="C", chains=[chain], indicators=[indicator])
    process = EvaluationQuestionFactory(process=True, chains=[chain])
    EvaluationQuestionFactory(chain_level="C")  # another chain's question does not count
    published = EvaluationResultPageFactory(title="Utvärdering 2021–2023", chains=[chain])
    draft = EvaluationResultPageFactory(title="Utkast till utvärdering", live=False, chains=[chain])
    QuestionAnswerFactory(result=published, question=summative, status=QuestionAnswer.Status.PARTLY)
    QuestionAnswerFactory(result=draft, question=summative)

    result = coverage.chain_coverage(chain)
    rows = {row.level: row for row in result.rows}
    c_row = rows[ChainLevel.KORTSIKTIGA_EFFEKTER]
    assert [e.key for e in c_row.elements] == ["C1"]
    assert c_row.indicators == [indicator]
    assert [t.question for t in c_row.summative_questions] == [summative]
    assert c_row.results == [published]
    assert c_row.summative_questions[0].status_label == "Delvis besvarad"
    assert [t.question for t in rows[None].process_questions] == [process]
    assert not any("Kortsiktiga effekter" in gap for gap in result.gaps)

    html, text = _render("{% chain_coverage page %}", chain)
    assert "Utvärdering 2021–2023" in text and "Utkast till utvärdering" not in text
    assert f'href="{published.url}#fragor-rubrik"' in html
    assert "Andel företag med nya produkter" in text


@pytest.mark.django_db
def test_the_horizon_guard_fires_on_a_too_short_result(home):
    chain = EffectChainPageFactory(full_chain=True)
    long_term = EvaluationQuestionFactory(text="Ökar livskvaliteten i länet?", chain_level="B", chains=[chain])
    short_term = EvaluationQuestionFactory(text="Startas fler företag?", chain_level="C", chains=[chain])
    outcome = EvaluationQuestionFactory(text="Har deltagarna fått ny kunskap?", chain_level="D", chains=[chain])
    short = EvaluationResultPageFactory(
        title="Halvårsuppföljning",
        period_start=datetime.date(2024, 3, 1),
        period_end=datetime.date(2024, 8, 31),
        chains=[chain],
    )
    for question in (long_term, short_term, outcome):
        QuestionAnswerFactory(result=short, question=question)

    warnings = coverage.result_horizon_warnings(short)
    assert [w.question for w in warnings] == [long_term, short_term]
    assert "långsiktiga effekter (1–10 år)" in warnings[0].message
    assert "6 månader" in warnings[0].message and "Halvårsuppföljning" in warnings[0].message

    _, text = _render("{% result_horizon_warnings page %}", short)
    assert "Obs: kort period för effektfrågor" in text
    assert "Frågan gäller långsiktiga effekter (1–10 år)" in text
    assert "Frågan gäller kortsiktiga effekter (0–2 år)" in text
    assert "utfall" not in text.lower().split("obs: kort period")[1].split("frågan gäller")[0]

    _, chain_text = _render("{% chain_coverage page %}", chain)
    assert "Tidshorisont" in chain_text
    assert chain_text.count("men utvärderingen ”Halvårsuppföljning” omfattar bara 6 månader") >= 2


@pytest.mark.django_db
def test_the_horizon_guard_stays_quiet_when_the_period_is_long_enough_or_nothing_is_claimed(home):
    chain = EffectChainPageFactory(full_chain=True)
    question = EvaluationQuestionFactory(chain_level="B", chains=[chain])
    calendar_year = EvaluationResultPageFactory(
        period_start=datetime.date(2023, 1, 1), period_end=datetime.date(2023, 12, 31), chains=[chain]
    )
    QuestionAnswerFactory(result=calendar_year, question=question)
    pending = EvaluationResultPageFactory(
        period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 3, 31), chains=[chain]
    )
    QuestionAnswerFactory(result=pending, question=question, status=QuestionAnswer.Status.NOT_ANSWERED)
    assert coverage.result_horizon_warnings(calendar_year) == []
    assert coverage.result_horizon_warnings(pending) == []
    assert coverage.chain_coverage(chain).horizon_warnings == []
    assert _render("{% result_horizon_warnings page %}", pending)[1] == ""
    # One day short of a year is too short for B.
    short_by_a_day = EvaluationResultPageFactory(
        period_start=datetime.date(2023, 1, 2), period_end=datetime.date(2023, 12, 31)
    )
    QuestionAnswerFactory(result=short_by_a_day, question=question)
    assert len(coverage.result_horizon_warnings(short_by_a_day)) == 1


def test_required_periods_follow_the_level_horizons():
    assert coverage.required_period_years(ChainLevel.LANGSIKTIGA_EFFEKTER) == 1
    assert coverage.required_period_years(ChainLevel.KORTSIKTIGA_EFFEKTER) == 1
    for level in (ChainLevel.UTFALL, ChainLevel.PRESTATIONER, ChainLevel.AKTIVITETER, ChainLevel.RESURSER):
        assert coverage.required_period_years(level) is None


@pytest.mark.django_db
def test_the_overview_covers_every_public_chain_with_a_fixed_number_of_queries(
    home, client, django_assert_max_num_queries
):
    def chain_with_answer(title):
        chain = EffectChainPageFactory(title=title, full_chain=True)
        question = EvaluationQuestionFactory(chain_level="D", chains=[chain], indicators=[IndicatorFactory()])
        QuestionAnswerFactory(result=EvaluationResultPageFactory(chains=[chain]), question=question)

    chain_with_answer("Kedja för kluster")
    EffectChainPageFactory(title="Utkastkedjan", full_chain=True, live=False)
    client.get("/effektkedjor/tackning/")  # warm Wagtail's site cache
    with django_assert_max_num_queries(14) as few:
        response = client.get("/effektkedjor/tackning/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Kedja för kluster" in text and "Utkastkedjan" not in text
    assert C_GAP in text

    budget = len(few.captured_queries)  # before the next request resets Django's query log
    for n in range(4):
        chain_with_answer(f"Kedja {n}")
    # The new chains moved the content version: warm what is kept per version again.
    client.get("/effektkedjor/tackning/")
    with django_assert_max_num_queries(budget):
        response = client.get("/effektkedjor/tackning/")
    assert response.content.decode().count("Täckning per nivå i") == 5


@pytest.mark.django_db
def test_the_overview_page_without_chains(home, client):
    ChainIndexPageFactory()  # the overview is a route of the chain list
    response = client.get("/effektkedjor/tackning/")
    assert response.status_code == 200
    assert "Det finns inga publicerade effektkedjor ännu." in response.content.decode()


@pytest.mark.django_db
def test_questions_kinds_are_kept_apart(home):
    chain = EffectChainPageFactory(full_chain=True)
    EvaluationQuestionFactory(process=True, chain_level="F", chains=[chain])
    result = coverage.chain_coverage(chain)
    f_row = next(row for row in result.rows if row.level == ChainLevel.AKTIVITETER)
    assert f_row.process_questions[0].question.kind == QuestionKind.PROCESS
    assert f_row.summative_questions == []
