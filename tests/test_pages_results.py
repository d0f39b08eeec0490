"""Resultat: the filtered, paginated result listing and the result page itself."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document

from larande.evaluation.models import RESULTS_PER_PAGE
from larande.models import (
    EvaluationQuestion,
    Indicator,
    Lesson,
    QuestionAnswer,
    QuestionKind,
    Recommendation,
    ReportedIndicatorValue,
    ResultDocument,
)
from tests.publishing_support import start_page
from tests.test_pages_support import (
    MANY,
    assert_queries_do_not_grow,
    chain,
    chain_index,
    main_text,
    make_private,
    region,
    result,
    result_index,
    tag,
    text_of,
)

pytestmark = pytest.mark.django_db

RESULT_INDEX_QUERY_BUDGET = 16
RESULT_QUERY_BUDGET = 6  # charts, horizon guard, share metadata and context per content version


def _titles(response):
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', response.content.decode())


def build_world():
    """The result index with four results in two regions and with tags, built once for the module
    (tests/conftest.py: `world`)."""
    index = result_index(start_page())
    vb, jh = region("Västerbotten"), region("Jämtland Härjedalen")
    result(index, "Klusterutvärdering", datetime.date(2024, 3, 1), regions=[vb], tags=["Innovation"])
    result(index, "Nätverksutvärdering", datetime.date(2023, 6, 1), regions=[vb, jh], tags=["Kompetens"])
    result(index, "Företagsstöd", datetime.date(2024, 9, 1), regions=[jh], tags=["Innovation", "Kompetens"])
    result(index, "Äldre studie", datetime.date(2021, 2, 1), regions=[], tags=[])
    return index


@pytest.fixture
def results(world):
    """The result index of the module's world, fresh for each test."""
    return world


def test_result_index_lists_newest_first_with_summary(client, results):
    response = client.get(results.url)

    assert response.status_code == 200
    assert _titles(response) == ["Företagsstöd", "Klusterutvärdering", "Nätverksutvärdering", "Äldre studie"]
    text = main_text(response)
    assert "4 resultat" in text
    assert "Publicerad 1 september 2024 · Jämtland Härjedalen" in text
    assert "Det viktigaste om företagsstöd." in text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "vasterbotten"}, ["Klusterutvärdering", "Nätverksutvärdering"]),
        ({"ar": "2024"}, ["Företagsstöd", "Klusterutvärdering"]),
        ({"tagg": "innovation"}, ["Företagsstöd", "Klusterutvärdering"]),
        ({"region": "vasterbotten", "ar": "2024"}, ["Klusterutvärdering"]),
        ({"region": "jamtland-harjedalen", "tagg": "kompetens", "ar": "2023"}, ["Nätverksutvärdering"]),
        ({"region": "vasterbotten", "ar": "2021"}, []),
        (
            {"region": "", "ar": "", "tagg": ""},
            ["Företagsstöd", "Klusterutvärdering", "Nätverksutvärdering", "Äldre studie"],
        ),
    ],
)
def test_result_filters_combine(client, results, params, expected):
    response = client.get(results.url, params)
    assert response.status_code == 200
    assert _titles(response) == expected


def test_result_facets_count_each_option_given_the_other_filters(client, results):
    html = client.get(results.url, {"region": "vasterbotten"}).content.decode()
    text = text_of(client.get(results.url, {"region": "vasterbotten"}))

    # Years and tags are counted among Västerbotten's results; regions among all results.
    assert "2024 (1 resultat)" in text and "2023 (1 resultat)" in text
    assert "2021 (" not in text
    assert "Innovation (1 resultat)" in text and "Kompetens (1 resultat)" in text
    assert "Västerbotten (2 resultat)" in text and "Jämtland Härjedalen (2 resultat)" in text
    assert "Alla regioner (4 resultat)" in text
    assert '<input type="radio" name="region" value="vasterbotten" checked>' in html
    assert "<legend>Region</legend>" in html and "<legend>År</legend>" in html and "<legend>Tagg</legend>" in html
    assert '<button class="button" type="submit">Visa resultat</button>' in html


def test_active_filter_has_a_link_that_removes_only_it(client, results):
    response = client.get(results.url, {"region": "vasterbotten", "ar": "2024"})
    html = response.content.decode()

    assert 'href="?ar=2024"><span class="visually-hidden">Ta bort filtret </span>Region: Västerbotten' in html
    assert 'href="?region=vasterbotten"><span class="visually-hidden">Ta bort filtret </span>År: 2024' in html
    assert _titles(client.get(results.url + "?ar=2024")) == ["Företagsstöd", "Klusterutvärdering"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"region": "skane"}, "Det finns inga publicerade resultat från regionen ”skane”."),
        ({"tagg": "okand"}, "Det finns inga publicerade resultat med taggen ”okand”."),
        ({"ar": "tjugohundra"}, "”tjugohundra” är inget årtal. Ange året med fyra siffror, till exempel 2024."),
        ({"ar": "20245"}, "”20245” är inget årtal."),
        ({"region": "vasterbotten", "tagg": "<b>x</b>"}, "Det finns inga publicerade resultat med taggen ”<b>x</b>”."),
    ],
)
def test_unknown_filter_values_give_an_empty_list_and_a_swedish_message(client, results, params, message):
    response = client.get(results.url, params)

    assert response.status_code == 200
    assert _titles(response) == []
    assert message in text_of(response)
    assert "<b>x</b>" not in response.content.decode()


def test_pagination_keeps_filters_and_survives_bad_page_numbers(client, home):
    index = result_index(home)
    vb = region("Västerbotten")
    for i in range(RESULTS_PER_PAGE + 3):
        result(index, f"Resultat {i:02}", datetime.date(2024, 1, 1) + datetime.timedelta(days=i), regions=[vb])
    result(index, "Annan region", datetime.date(2020, 1, 1))

    first = client.get(index.url, {"region": "vasterbotten"})
    second = client.get(index.url, {"region": "vasterbotten", "sida": "2"})

    assert len(_titles(first)) == RESULTS_PER_PAGE
    assert _titles(second) == ["Resultat 02", "Resultat 01", "Resultat 00"]
    assert 'href="?region=vasterbotten&amp;sida=2" rel="next"' in first.content.decode()
    assert 'href="?region=vasterbotten" rel="prev"' in second.content.decode()
    assert 'aria-current="page"><span class="visually-hidden">Sida </span>2</a>' in second.content.decode()
    for bad in ["abc", "0", "-1", "999", "1e9", "2" * 200]:
        response = client.get(index.url, {"region": "vasterbotten", "sida": bad})
        assert response.status_code == 200, bad
        assert len(_titles(response)) in (3, RESULTS_PER_PAGE), bad


def test_result_index_hides_drafts_private_and_unpublished_results(client, home):
    index = result_index(home)
    vb = region("Västerbotten")
    result(index, "Publicerat", regions=[vb], tags=["Synlig"])
    result(index, "Utkast", regions=[region("Norrbotten")], tags=["Utkasttagg"], live=False)
    make_private(result(index, "Privat", regions=[region("Gotland")], tags=["Privattagg"]))
    result(index, "Avpublicerat", tags=["Avpublicerad tagg"]).unpublish()
    live = result(index, "Levande")
    live.title = "Ny titel i utkast"
    live.regions.add(region("Skåne"))
    live.save_revision()

    response = client.get(index.url)

    assert _titles(response) == ["Levande", "Publicerat"]
    html = response.content.decode()
    for hidden in ["Utkast", "Privat", "Avpublicerat", "Norrbotten", "Gotland", "Skåne", "Ny titel i utkast"]:
        assert hidden not in html, hidden


def test_result_index_empty_state(client, home):
    assert "Inga resultat är publicerade ännu." in main_text(client.get(result_index(home).url))


def test_result_index_query_count_is_pinned_and_does_not_grow_with_results(client, home, django_assert_max_num_queries):
    index = result_index(home)
    regions = [region(f"Region {i}") for i in range(5)]

    def add(start, stop):
        for i in range(start, stop):
            result(
                index,
                f"Resultat {i:03}",
                datetime.date(2000 + i % 25, 1, 1),
                regions=regions[: 1 + i % 5],
                tags=[f"Tagg {i % 7}", "Alla"],
                revision=False,
            )

    url = index.url + "?tagg=alla"
    responses = assert_queries_do_not_grow(client, {url: RESULT_INDEX_QUERY_BUDGET}, add, django_assert_max_num_queries)

    assert f"{MANY} resultat" in main_text(responses[url])


def _full_result(home):
    index = result_index(home)
    chains = chain_index(home)
    kedja = chain(chains, "Klusterkedjan")
    hidden_chain = chain(chains, "Hemlig kedja")
    make_private(hidden_chain)
    question = EvaluationQuestion.objects.create(
        text="Hur aktiva är klustren i länet?", kind=QuestionKind.SUMMATIVE, chain_level="E"
    )
    indicator = Indicator.objects.create(
        name="Antal klustermöten", definition="Möten per år.", unit="antal", chain_level="E"
    )
    document = Document(title="Slutrapport")
    document.file.save("slutrapport.pdf", ContentFile(b"%PDF-1.4 test" * 100), save=False)
    document.file_size = 1300
    document.save()
    page = result(
        index,
        "Klusterutvärdering 2024",
        datetime.date(2024, 3, 5),
        regions=[region("Västerbotten"), region("Västernorrland")],
        tags=["Innovation"],
        lessons=[("Kluster behöver långsiktig finansiering.", "C", ["Finansiering"])],
        is_fictitious=True,
        findings="<p>Klustren är aktiva.</p>",
        conclusions="<p>Fortsätt stödet.</p>",
    )
    page.chains.add(kedja, hidden_chain)
    page.answers.add(QuestionAnswer(question=question, answer="Mycket aktiva.", status=QuestionAnswer.Status.PARTLY))
    page.recommendations.add(
        Recommendation(
            text="Förläng stödet.", response="Vi förlänger till 2026.", status=Recommendation.Status.IN_PROGRESS
        )
    )
    page.indicator_values.add(ReportedIndicatorValue(indicator=indicator, year=2023, value=1234.5, target=1500))
    page.documents.add(ResultDocument(document=document, title=""))
    page.save_revision().publish()
    return page, question, document


def test_result_page_shows_summary_answers_recommendations_lessons_indicators_documents(client, home):
    page, question, document = _full_result(home)

    response = client.get(page.url)

    assert response.status_code == 200
    html = response.content.decode()
    text = main_text(response)
    assert "Fiktivt exempel" in text
    assert "Publicerad 5 mars 2024" in text
    assert (
        "Sammanfattning Vad utvärderades Insatsen klusterutvärdering 2024. Period 1 januari 2022 – 31 december 2023 "
        "Regioner Västerbotten, Västernorrland Utvärderare Utvärderarna AB Effektkedjor Klusterkedjan "
        "Viktigaste slutsatserna Det viktigaste om klusterutvärdering 2024."
    ) in text
    assert "Hemlig kedja" not in html
    assert "Hur aktiva är klustren i länet? Nivå E Prestationer Delvis besvarad Mycket aktiva." in text
    assert f'href="{reverse("larande:question_detail", args=[question.pk])}"' in html
    assert "Iakttagelser Klustren är aktiva. Slutsatser Fortsätt stödet." in text
    assert "Förläng stödet. Status: Pågår Ägarens svar: Vi förlänger till 2026." in text
    lesson = Lesson.objects.get()
    assert f'<li class="lesson" id="lardom-{lesson.pk}">' in html
    assert "Kluster behöver långsiktig finansiering. Nivå C Kortsiktiga effekter Finansiering" in text
    assert "<caption>Antal klustermöten: värde och målvärde per år (antal)</caption>" in html
    assert '<th scope="col">År</th>' in html and '<th scope="row">2023</th>' in html
    assert "2023 1 234,5 1 500" in text.replace("\xa0", " ")
    assert f'<a href="{document.url}">Slutrapport</a>' in html
    assert "(PDF, 1,3 kB)" in text.replace("\xa0", " ")
    assert f'href="{reverse("larande:tag", args=["innovation"])}">Innovation</a>' in html


def test_result_page_never_shows_unpublished_edits(client, home):
    index = result_index(home)
    page = result(index, "Resultat", lessons=[("Publicerad lärdom.", "D", [])])
    page.lessons.add(Lesson(statement="Lärdom som bara finns i utkastet.", chain_level="D"))
    page.key_findings = "Slutsats i utkastet."
    page.save_revision()

    html = client.get(page.url).content.decode()

    assert "Publicerad lärdom." in html
    assert "Lärdom som bara finns i utkastet." not in html
    assert "Slutsats i utkastet." not in html


def test_result_page_empty_sections(client, home):
    page = result(result_index(home), "Tunt resultat")
    text = main_text(client.get(page.url))
    assert "Resultatet redovisar inga svar på utvärderingsfrågor." in text
    assert "Resultatet innehåller inga rekommendationer." in text
    assert "Resultatet redovisar inga lärdomar." in text
    assert "Fiktivt exempel" not in text


def test_result_page_query_count_is_pinned_and_does_not_grow_with_its_parts(
    client, home, django_assert_max_num_queries
):
    page, question, document = _full_result(home)
    indicators = [
        Indicator.objects.create(name=f"Indikator {i:03}", definition="D.", unit="antal", chain_level="D")
        for i in range(MANY)
    ]
    questions = [
        EvaluationQuestion.objects.create(text=f"Fråga {i:03}?", kind=QuestionKind.PROCESS) for i in range(MANY)
    ]
    tags = [tag(f"Tagg {i}") for i in range(5)]

    def grow(_, n):
        page.lessons.set([Lesson(statement=f"Lärdom {i}", chain_level="D", tags=tags) for i in range(n)])
        page.answers.set([QuestionAnswer(question=q, answer="Svar.") for q in questions[:n]])
        page.recommendations.set([Recommendation(text=f"Rek {i}", response="Ja.") for i in range(n)])
        page.indicator_values.set(
            [ReportedIndicatorValue(indicator=ind, year=2024, value=i) for i, ind in enumerate(indicators[:n])]
        )
        page.documents.set([ResultDocument(document=document, title=f"Dokument {i}") for i in range(n)])
        page.save_revision().publish()

    responses = assert_queries_do_not_grow(client, {page.url: RESULT_QUERY_BUDGET}, grow, django_assert_max_num_queries)

    assert main_text(responses[page.url]).count("Lärdom ") == MANY


def test_swedish_number_drops_trailing_zeros_and_groups_thousands():
    from decimal import Decimal

    from core.templatetags.larande_tags import swedish_number

    assert swedish_number(Decimal("27.50")) == "27,5"
    assert swedish_number(Decimal("1500.00")) == "1\xa0500"
    assert swedish_number(None) == ""
