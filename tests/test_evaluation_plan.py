"""Issue 16, part 2: the evaluation plan generator at /utvarderingsplan/.

A visitor picks a chain (or a RUS priority) and some of its questions with plain GET forms; the
selection lives in the address; the plan gives per question its kind and level, the indicators on
that level with their latest values, data sources, the earliest time to answer it, earlier answers
and gaps, then a terms-of-reference draft from the framework's text; it downloads as Word and PDF.
Bad selections are a 400 with a Swedish message; only visible chains and results count; queries
are pinned and do not grow with the content.
"""

import datetime
import io
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from larande.models import (
    ChainLink,
    EvaluationPlanPage,
    EvaluationQuestion,
    IndicatorValue,
    LinkEvidence,
    QuestionAnswer,
    QuestionKind,
)
from larande.planning.plan import earliest_answer
from tests.factories import EvaluationQuestionFactory, IndicatorFactory
from tests.pdf_support import require_weasyprint
from tests.publishing_support import start_page
from tests.test_pages_support import (
    assert_queries_do_not_grow,
    chain,
    chain_index,
    main_text,
    make_private,
    priority,
    publish,
    result,
    result_index,
)

pytestmark = pytest.mark.django_db

ELEMENTS = [
    ("G1", "G", "Medel för nätverk"),
    ("F1", "F", "Nätverksträffar"),
    ("D1", "D", "Deltagarna får ökad kunskap"),
    ("C1", "C", "Deltagarna använder kunskapen"),
]
LINKS = [("G1", "F1"), ("F1", "D1"), ("D1", "C1")]
PLAN_URL = "/utvarderingsplan/"


def plan_page(home) -> EvaluationPlanPage:
    return publish(home, EvaluationPlanPage(title="Utvärderingsplan", slug="utvarderingsplan", intro="Gör en plan."))


def build_world():
    """A chain under a priority with three questions, indicators on two levels, results in several
    states, a private chain and another chain with a question of its own: built once for the module,
    each test gets it fresh as `world` (tests/conftest.py)."""
    home = start_page()
    page = plan_page(home)
    chains = chain_index(home)
    results = result_index(home)
    growth = priority("Innovation och näringslivsutveckling")
    network = chain(chains, "Nätverk för kunskap", ELEMENTS, LINKS)
    network.priorities.set([growth])
    network.save_revision().publish()
    other = chain(chains, "Annan kedja", ELEMENTS, LINKS)
    secret_chain = chain(chains, "HEMLIG kedja", ELEMENTS, LINKS)
    make_private(secret_chain)

    knowledge = IndicatorFactory(
        name="Andel med ökad kunskap", unit="procent", chain_level="D", source="Deltagarenkät", values={}
    )
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(indicator=knowledge, year=2022, value=Decimal("64"), target=Decimal("70")),
            IndicatorValue(indicator=knowledge, year=2023, value=Decimal("72.5"), target=Decimal("75")),
            IndicatorValue(indicator=knowledge, year=2024, value=None, target=Decimal("80")),
        ]
    )
    process = EvaluationQuestionFactory(
        text="Är rätt aktörer involverade?", kind=QuestionKind.PROCESS, chain_level="F", chains=[network]
    )
    outcome = EvaluationQuestionFactory(
        text="Får deltagarna ökad kunskap?", kind=QuestionKind.SUMMATIVE, chain_level="D", chains=[network]
    )
    outcome.indicators.set([knowledge])
    outcome.save()  # a ParentalManyToManyField is written with its record
    effect = EvaluationQuestionFactory(
        text="Använder deltagarna kunskapen?", kind=QuestionKind.SUMMATIVE, chain_level="C", chains=[network]
    )
    foreign = EvaluationQuestionFactory(
        text="En fråga om en annan kedja?", kind=QuestionKind.SUMMATIVE, chain_level="D", chains=[other]
    )

    answered = result(
        results,
        "Utvärdering av nätverken",
        published_on=datetime.date(2024, 3, 1),
        answers=[QuestionAnswer(question=outcome, answer="Ja, 72 procent.", status="answered")],
        link_evidence=[
            LinkEvidence(link=ChainLink.objects.get(chain=network, source_key="F1"), verdict="supports", finding="Ja.")
        ],
    )
    result(
        results,
        "HEMLIGT utkast",
        live=False,
        answers=[QuestionAnswer(question=effect, answer="Hemligt svar.", status="answered")],
    )
    return {
        "page": page,
        "chain": network,
        "other": other,
        "secret_chain": secret_chain,
        "priority": growth,
        "questions": {"process": process, "outcome": outcome, "effect": effect, "foreign": foreign},
        "result": answered,
    }


def _url(path=PLAN_URL, **params) -> str:
    items = []
    for name, value in params.items():
        for one in value if isinstance(value, list) else [value]:
            items.append((name, one))
    return f"{path}?{urlencode(items)}" if items else path


def test_the_first_step_offers_the_visible_chains_and_the_priorities(client, world):
    response = client.get(PLAN_URL)

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    forms = soup.select("form.plan-form")
    assert [form["method"] for form in forms] == ["get", "get"]
    chains = [option.get_text() for option in soup.select("select[name=kedja] option")]
    assert chains == ["Annan kedja", "Nätverk för kunskap"]
    assert [o["value"] for o in soup.select("select[name=prioritering] option")] == [world["priority"].slug]
    assert "HEMLIG" not in response.content.decode()


def test_a_chain_offers_its_questions_to_tick_in_a_form_that_needs_no_javascript(client, world):
    response = client.get(_url(kedja=world["chain"].slug))

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.select("form.plan-form")[-1]
    assert form["method"] == "get"
    hidden = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert hidden == {"kedja": world["chain"].slug, "visa": "plan"}
    labels = [" ".join(label.get_text(" ").split()) for label in form.select("label")]
    assert labels == [
        "Är rätt aktörer involverade? (processorienterad, F aktiviteter)",
        "Använder deltagarna kunskapen? (summerande, C kortsiktiga effekter)",
        "Får deltagarna ökad kunskap? (summerande, D utfall)",
    ]
    assert not soup.select(".evaluation-plan")


def test_the_plan_says_per_question_its_kind_level_indicators_sources_time_and_earlier_answers(client, world):
    q = world["questions"]
    response = client.get(
        _url(kedja=world["chain"].slug, fraga=[q["outcome"].pk, q["effect"].pk, q["process"].pk], visa="plan")
    )

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    plan = soup.select_one(".evaluation-plan")
    headings = [h.get_text() for h in plan.select(".plan-question h4")]
    # In the order of the list they were ticked in (not the address's order: one plan per set of questions).
    assert headings == [
        "1. Är rätt aktörer involverade?",
        "2. Använder deltagarna kunskapen?",
        "3. Får deltagarna ökad kunskap?",
    ]
    outcome = " ".join(plan.select(".plan-question")[2].get_text(" ").split())
    assert "Typ Summerande – frågor om resultatet" in outcome
    assert "Nivå i effektkedjan D Utfall (direkt)" in outcome
    assert "Andel med ökad kunskap (procent): senaste värde 72,5 år 2023, målvärde 80 år 2024." in outcome
    assert "Datakällor: Deltagarenkät." in outcome
    assert "Utvärdering av nätverken (2024): besvarad." in outcome
    assert "Tidigast besvarad Direkt vid genomförandet" in outcome
    effect = " ".join(plan.select(".plan-question")[1].get_text(" ").split())
    # The horizon guard: short-term effects 0–2 years, with a period of at least a year.
    assert "kortsiktiga effekter inträffar inom 0–2 år. Låt perioden omfatta minst ett år" in effect
    assert "Inga indikatorer följs upp på nivån ännu." in effect
    assert "Kortsiktiga effekter saknar indikator." in effect
    assert "ingen publicerad utvärdering har besvarat frågan ännu" in effect  # the draft's answer does not count
    process = " ".join(plan.select(".plan-question")[0].get_text(" ").split())
    assert "Processorienterad" in process and "Under genomförandet" in process
    text = main_text(response)
    assert "Länkar ”leder till” som ingen publicerad utvärdering har prövat: G1 Medel för nätverk leder till F1" in text
    assert "HEMLIG" not in text.upper()


def test_the_terms_of_reference_are_built_from_the_frameworks_own_text(client, world):
    q = world["questions"]
    response = client.get(_url(kedja=world["chain"].slug, fraga=[q["effect"].pk], visa="plan"))
    text = " ".join(BeautifulSoup(response.content, "html.parser").select_one(".evaluation-plan").get_text(" ").split())
    terms = text[text.index("Utkast till uppdragsbeskrivning") :]
    for heading in (
        "1. Bakgrund",
        "2. Syfte",
        "3. Utvärderingsfrågor",
        "4. Effektkedjan och tidshorisonten",
        "5. Underlag och datakällor",
        "6. Tidplan",
        "7. Redovisning",
    ):
        assert heading in terms
    assert "Lärande: Öka kunskap och skapa underlag för lärande utifrån resultat." in terms
    assert "Beslutsfattande: Utvärderingsresultat används som underlag för framtida beslut." in terms
    assert "Utvärderingsfrågor behöver bestämmas gemensamt för att vara förankrade, praktiska och användbara." in terms
    assert "Kedjan ska vara formulerad utifrån en kunskaps- och evidensbaserad grund" in terms
    assert "Kortsiktiga effekter: Kortsiktiga effekter beskriver det som händer när deltagare omsätter" in terms
    assert "Effektkedjan Nätverk för kunskap: Syftet med nätverk för kunskap." in terms


def test_a_priority_plans_over_its_chains(client, world):
    q = world["questions"]
    step = client.get(_url(prioritering=world["priority"].slug))
    assert step.status_code == 200
    assert "2. Välj utvärderingsfrågor för RUS-prioriteringen Innovation och näringslivsutveckling" in main_text(step)
    response = client.get(_url(prioritering=world["priority"].slug, fraga=[q["outcome"].pk], visa="plan"))
    assert response.status_code == 200
    assert "Utvärderingsplan för RUS-prioriteringen Innovation och näringslivsutveckling" in main_text(response)
    assert "Effektkedja: Nätverk för kunskap" in main_text(response)


def test_a_priority_plans_over_the_same_chains_as_its_followup(client, world):
    from tests.factories import FollowUpIndexPageFactory  # noqa: PLC0415

    FollowUpIndexPageFactory(publish=True)
    growth = world["priority"]
    # A result under the priority evaluated the other chain, which was not chosen for the priority itself.
    result(
        world["result"].get_parent(),
        "Utvärdering av den andra kedjan",
        priorities=[growth],
        chains=[world["other"], world["secret_chain"]],
    )

    followup = BeautifulSoup(client.get(f"/uppfoljning/{growth.slug}/").content, "html.parser")
    followup_chains = [a.get_text() for a in followup.select("section[aria-labelledby=kedjor-rubrik] li a")]
    assert followup_chains == ["Annan kedja", "Nätverk för kunskap"]

    step = client.get(_url(prioritering=growth.slug))
    assert [c.title for c in step.context["selection"].chains] == followup_chains
    # The other chain's question can be planned for the priority, and the plan names both chains.
    foreign = world["questions"]["foreign"]
    response = client.get(_url(prioritering=growth.slug, fraga=[foreign.pk], visa="plan"))
    assert response.status_code == 200
    assert "Effektkedjor: Annan kedja, Nätverk för kunskap." in main_text(response)
    assert "HEMLIG" not in main_text(response)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kedja": "finns-inte"}, "Det finns ingen publicerad effektkedja med kortnamnet ”finns-inte”."),
        ({"kedja": "hemlig-kedja"}, "Det finns ingen publicerad effektkedja med kortnamnet ”hemlig-kedja”."),
        ({"prioritering": "okand"}, "Det finns ingen RUS-prioritering med kortnamnet ”okand”."),
        (
            {"kedja": "natverk-for-kunskap", "prioritering": "x"},
            "Välj antingen en effektkedja eller en RUS-prioritering",
        ),
        ({"kedja": ["natverk-for-kunskap", "annan-kedja"]}, "Ange bara ett värde för kedja."),
        ({"fraga": "1"}, "Välj först en effektkedja eller en RUS-prioritering"),
        ({"kedja": "natverk-for-kunskap", "fraga": "abc"}, "”abc” är ingen utvärderingsfråga."),
        (
            {"kedja": "natverk-for-kunskap", "fraga": "99999999"},
            "Det finns ingen utvärderingsfråga med nummer 99999999.",
        ),
        ({"kedja": "natverk-for-kunskap", "visa": "plan"}, "Välj minst en utvärderingsfråga"),
        ({"kedja": "natverk-for-kunskap", "visa": "<script>"}, "”<script>” är inget giltigt värde för visa."),
    ],
)
def test_bad_selections_get_a_swedish_message_and_400(client, world, params, message):
    response = client.get(_url(**params))

    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert message in " ".join(soup.select_one(".plan-error").get_text(" ").split())
    assert "<script>" not in response.content.decode().split("</header>", 1)[-1].split("plan-error", 1)[-1][:2000]
    # The first step is still there to choose again.
    assert soup.select("select[name=kedja]")


TOO_MANY = [str(n) for n in range(1, 102)]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kedja": "natverk-for-kunskap\x00"}, "Värdet för kedja innehåller ett otillåtet tecken."),
        ({"prioritering": "\x00"}, "Värdet för prioritering innehåller ett otillåtet tecken."),
        ({"kedja": "natverk-for-kunskap", "fraga": "1\x00", "visa": "plan"}, "Värdet för fraga innehåller"),
        ({"kedja": "a" * 10_000}, "Värdet för kedja är för långt (högst 255 tecken)."),
        ({"prioritering": "a" * 10_000}, "Värdet för prioritering är för långt (högst 255 tecken)."),
        ({"kedja": "natverk-for-kunskap", "fraga": "1" * 10_000}, "Värdet för fraga är för långt"),
        ({"kedja": "natverk-for-kunskap", "fraga": TOO_MANY, "visa": "plan"}, "Välj högst 100 utvärderingsfrågor"),
        ({"kedja": "natverk-for-kunskap", "fraga": ["1"] * 101, "visa": "plan"}, "Välj högst 100 utvärderingsfrågor"),
    ],
)
@pytest.mark.parametrize("suffix", ["", "utvarderingsplan.docx", "utvarderingsplan.pdf"])
def test_nul_overlong_and_too_many_values_get_a_short_swedish_400(client, world, params, message, suffix):
    response = client.get(_url(PLAN_URL + suffix, **params))

    assert response.status_code == 400
    assert message in main_text(response)
    # The page quotes nothing of the value: no huge page.
    assert len(response.content) < 20_000
    assert "a" * 100 not in response.content.decode() and "1" * 100 not in response.content.decode()


def test_the_same_questions_in_any_order_or_repeated_are_one_plan_and_one_cache_entry(client, world, settings):
    from django.core.cache import cache  # noqa: PLC0415
    from django.test import RequestFactory  # noqa: PLC0415

    from portal.pagecache import cache_key  # noqa: PLC0415

    cache.clear()
    settings.PAGE_CACHE_ENABLED = True
    q = world["questions"]
    chain_slug = world["chain"].slug
    ticked = _url(kedja=chain_slug, fraga=[q["outcome"].pk, q["effect"].pk, q["process"].pk], visa="plan")
    shuffled = _url(
        kedja=chain_slug, fraga=[q["process"].pk, q["outcome"].pk, q["effect"].pk, q["outcome"].pk], visa="plan"
    )
    factory = RequestFactory()
    assert cache_key(factory.get(ticked), "v") == cache_key(factory.get(shuffled), "v")

    first = client.get(ticked)
    again = client.get(shuffled)

    assert first.status_code == again.status_code == 200
    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    soup = BeautifulSoup(again.content, "html.parser")
    assert [h.get_text() for h in soup.select(".evaluation-plan .plan-question h4")] == [
        "1. Är rätt aktörer involverade?",
        "2. Använder deltagarna kunskapen?",
        "3. Får deltagarna ökad kunskap?",
    ]
    # The downloads name the questions once, in the plan's order.
    link = soup.select_one(".plan-downloads a[href*='.docx']")["href"]
    assert link.endswith(urlencode([("fraga", q[name].pk) for name in ("process", "effect", "outcome")]) + "&visa=plan")
    # Rendered without the page cache, each address gives that same plan.
    settings.PAGE_CACHE_ENABLED = False
    for url in (ticked, shuffled):
        plan = BeautifulSoup(client.get(url).content, "html.parser").select_one(".evaluation-plan")
        assert str(plan) == str(soup.select_one(".evaluation-plan"))


def test_a_question_from_another_chain_is_refused_by_name(client, world):
    foreign = world["questions"]["foreign"]
    response = client.get(_url(kedja=world["chain"].slug, fraga=foreign.pk, visa="plan"))
    assert response.status_code == 400
    assert "Frågan ”En fråga om en annan kedja?” hör inte till effektkedjan Nätverk för kunskap." in main_text(response)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.lists(
        st.tuples(st.sampled_from(["kedja", "prioritering", "fraga", "visa", "x"]), st.text(max_size=40)), max_size=6
    )
)
def test_no_selection_gives_a_server_error(client, world, params):
    for path in (PLAN_URL, PLAN_URL + "utvarderingsplan.docx"):
        response = client.get(path + "?" + urlencode(params))
        assert response.status_code in (200, 400), (params, response.status_code)


def test_the_plan_downloads_as_word_with_the_same_content(client, world):
    from docx import Document

    q = world["questions"]
    url = _url(kedja=world["chain"].slug, fraga=[q["outcome"].pk], visa="plan")
    page = BeautifulSoup(client.get(url).content, "html.parser")
    link = page.select_one(".plan-downloads a[href*='.docx']")["href"]
    assert link.startswith("/utvarderingsplan/utvarderingsplan.docx?")

    response = client.get(link)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="utvarderingsplan.docx"'
    document = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Utvärderingsplan för effektkedjan Nätverk för kunskap"
    assert "1. Får deltagarna ökad kunskap?" in paragraphs
    assert any("Andel med ökad kunskap (procent): senaste värde 72,5 år 2023" in p for p in paragraphs)
    assert "Utkast till uppdragsbeskrivning" in paragraphs
    assert document.core_properties.language == "sv-SE"
    # The question's facts are a table in Word too.
    assert any("Tidigast besvarad" in cell.text for table in document.tables for cell in table._cells)


def test_the_plan_downloads_as_pdf(client, world):
    require_weasyprint()
    q = world["questions"]
    response = client.get(_url(PLAN_URL + "utvarderingsplan.pdf", kedja=world["chain"].slug, fraga=[q["outcome"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_downloads_refuse_a_bad_selection_in_swedish(client, world):
    for url in (
        PLAN_URL + "utvarderingsplan.docx",
        _url(PLAN_URL + "utvarderingsplan.pdf", kedja=world["chain"].slug),
        _url(PLAN_URL + "utvarderingsplan.docx", kedja="finns-inte", fraga="1"),
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "Planen kunde inte göras" in main_text(response)


def test_the_plan_page_is_in_the_navigation_and_the_sitemap(client, world):
    page = world["page"]
    page.show_in_menus = True
    page.save_revision().publish()
    home = BeautifulSoup(client.get("/").content, "html.parser")
    assert "/utvarderingsplan/" in {a["href"] for a in home.select("nav a")}
    assert "/utvarderingsplan/" in client.get("/sitemap.xml").content.decode()


def test_earliest_answers_follow_the_frameworks_horizons():
    def question(kind, level):
        return EvaluationQuestion(text="?", kind=kind, chain_level=level)

    assert "inom 0–2 år" in earliest_answer(question(QuestionKind.SUMMATIVE, "C"))
    long_term = earliest_answer(question(QuestionKind.SUMMATIVE, "B"))
    assert "minst ett år" in long_term and "(1–10 år)" in long_term
    assert earliest_answer(question(QuestionKind.PROCESS, "")).startswith("Under genomförandet")


def _growing_chain(home):
    """A chain, and `grow(start, end)` that adds questions with indicators and results answering them."""
    plan_page(home)
    chains = chain_index(home)
    results = result_index(home)
    page = chain(chains, "Växande kedja", ELEMENTS, LINKS)
    made = []

    def grow(start, end):
        for n in range(start, end):
            indicator = IndicatorFactory(name=f"Indikator {n}", chain_level="D", values={2023: (n, n + 1)})
            question = EvaluationQuestionFactory(
                text=f"Fråga nummer {n}?", kind=QuestionKind.SUMMATIVE, chain_level="D", chains=[page]
            )
            question.indicators.set([indicator])
            question.save()
            made.append(question)
            result(
                results,
                f"Resultat {n}",
                answers=[QuestionAnswer(question=question, answer="Svar.", status="answered")],
                link_evidence=[
                    LinkEvidence(
                        link=ChainLink.objects.get(chain=page, source_key="F1"), verdict="supports", finding="."
                    )
                ],
                revision=False,
            )

    return page, grow, made


def test_plan_queries_are_pinned_and_do_not_grow(client, home, django_assert_max_num_queries):
    page, grow, made = _growing_chain(home)

    def budgets():
        return {
            _url(kedja=page.slug): 4,
            _url(kedja=page.slug, fraga=[q.pk for q in made[:2]], visa="plan"): 4,
        }

    # The plan URL names the first two questions; the chain's questions and results grow.
    assert_queries_do_not_grow(client, budgets, grow, django_assert_max_num_queries)


def test_drafting_a_plan_takes_as_many_queries_for_many_questions_as_for_few(home):
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from larande.planning.plan import build_plan, parse_selection

    page, grow, made = _growing_chain(home)

    def queries() -> int:
        params = QueryDict(mutable=True)
        params["kedja"] = page.slug
        params.setlist("fraga", [str(q.pk) for q in made])
        params["visa"] = "plan"
        selection = parse_selection(params)
        with CaptureQueriesContext(connection) as ctx:
            plan = build_plan(selection)
        assert len(plan.items) == len(made)
        assert all(item.indicators and item.earlier_answers for item in plan.items)
        return len(ctx.captured_queries)

    grow(0, 3)
    few = queries()
    grow(3, 12)
    assert queries() == few <= 13


def test_the_plan_page_is_found_by_search_while_it_is_published(client, world, settings):
    import io  # noqa: PLC0415

    from search.rebuild import rebuild  # noqa: PLC0415

    settings.ELASTICSEARCH_URL = ""
    rebuild(stream=io.StringIO())
    assert f'href="{PLAN_URL}"' in client.get("/sok/?q=utvärderingsplan").content.decode()
    EvaluationPlanPage.objects.get().unpublish()
    assert f'href="{PLAN_URL}"' not in client.get("/sok/?q=utvärderingsplan").content.decode()
