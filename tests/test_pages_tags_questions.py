"""Tag pages and the public evaluation question pages."""

import datetime

import pytest
from django.urls import reverse
from taggit.models import Tag

from larande.models import (
    ChainIndexPage,
    EvaluationQuestion,
    Indicator,
    QuestionAnswer,
    QuestionKind,
    ResultIndexPage,
)
from tests.test_pages_support import (
    MANY,
    assert_queries_do_not_grow,
    chain,
    chain_index,
    chapter,
    concept,
    framework,
    glossary,
    main_text,
    make_private,
    result,
    result_index,
)

pytestmark = pytest.mark.django_db

TAG_QUERY_BUDGET = 11
QUESTION_LIST_QUERY_BUDGET = 4
QUESTION_QUERY_BUDGET = 10


def _tag_url(name):
    return reverse("larande:tag", args=[Tag.objects.get(name=name).slug])


def test_tag_page_groups_everything_public_by_type(client, home):
    concept(glossary(home), "Utfall", "Hur deltagarna påverkas.", tags=["Lärande"])
    chapter(framework(home), "Uppgiften", tags=["Lärande"])
    chain(chain_index(home), "Klusterkedjan", tags=["Lärande"])
    result(result_index(home), "Klusterutvärdering", tags=["Lärande"], lessons=[("Lär av klustren.", "D", ["Lärande"])])
    question = EvaluationQuestion.objects.create(text="Leder insatserna till lärande?", kind=QuestionKind.PROCESS)
    question.tags.add("Lärande")
    question.save()

    response = client.get(_tag_url("Lärande"))

    assert response.status_code == 200
    text = main_text(response)
    assert "Tagg Lärande 6 sidor och poster har taggen ”Lärande”." in text
    order = ["Begrepp Utfall", "Vägledning Uppgiften", "Effektkedjor Klusterkedjan", "Resultat Klusterutvärdering"]
    order += ["Lärdomar Lär av klustren. Från Klusterutvärdering", "Utvärderingsfrågor Leder insatserna till lärande?"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "Hur deltagarna påverkas." in text
    assert f'href="{reverse("larande:question_detail", args=[question.pk])}"' in response.content.decode()
    assert response.content.decode().count("<h1") == 1


def test_tag_page_sorts_in_swedish_order(client, home):
    index = glossary(home)
    for term in ["Öppenhet", "Zon", "Ändamål", "Analys"]:
        concept(index, term, tags=["Ord"])
    text = main_text(client.get(_tag_url("Ord")))
    positions = [text.index(term) for term in ["Analys", "Zon", "Ändamål", "Öppenhet"]]
    assert positions == sorted(positions)


def test_unknown_tag_is_404(client, home):
    response = client.get(reverse("larande:tag", args=["finns-inte"]))
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()
    for path in ["/taggar/%00/", "/taggar/" + "x" * 500 + "/", "/taggar/%C3%A5%20%3Cb%3E/"]:
        assert client.get(path).status_code == 404, path


def test_tag_page_hides_drafts_private_pages_and_lessons_of_hidden_results(client, home):
    index = glossary(home)
    concept(index, "Synligt", tags=["Delad"])
    draft = concept(index, "Utkastbegrepp", live=False)
    draft.tags.add("Delad")
    draft.save_revision()
    make_private(concept(index, "Privat begrepp", tags=["Delad"]))
    results = result_index(home)
    make_private(result(results, "Privat resultat", tags=["Delad"], lessons=[("Privat lärdom.", "D", ["Delad"])]))
    result(results, "Avpublicerat", tags=["Delad"], lessons=[("Avpublicerad lärdom.", "D", ["Delad"])]).unpublish()
    live = result(results, "Levande resultat")
    live.tags.add("Delad")
    live.save_revision()

    response = client.get(_tag_url("Delad"))

    text = main_text(response)
    assert "Synligt" in text
    for hidden in ["Utkastbegrepp", "Privat", "Avpublicerad", "Levande resultat"]:
        assert hidden not in text, hidden


def test_tag_carried_only_by_hidden_content_is_404(client, home):
    make_private(concept(glossary(home), "Privat", tags=["Bara privat"]))
    assert client.get(_tag_url("Bara privat")).status_code == 404


def test_tag_page_query_count_does_not_grow_with_tagged_content(client, home, django_assert_max_num_queries):
    index = glossary(home)
    results = result_index(home)

    def add(start, stop):
        for i in range(start, stop):
            concept(index, f"Begrepp {i:03}", tags=["Växer"], revision=False)
        result(
            results,
            f"Resultat {start}",
            lessons=[(f"Lärdom {i:03}", "D", ["Växer"]) for i in range(start, stop)],
            tags=["Växer"],
        )
        for i in range(start, stop):
            question = EvaluationQuestion.objects.create(text=f"Fråga {i:03}?", kind=QuestionKind.PROCESS)
            question.tags.add("Växer")
            question.save()

    responses = assert_queries_do_not_grow(
        client, lambda: {_tag_url("Växer"): TAG_QUERY_BUDGET}, add, django_assert_max_num_queries
    )

    assert main_text(responses[_tag_url("Växer")]).count("Lärdom ") == MANY


def test_question_list_groups_by_kind_and_level(client, home):
    EvaluationQuestion.objects.create(text="Hur ser ansökningstrycket ut?", kind=QuestionKind.PROCESS)
    EvaluationQuestion.objects.create(text="Ökar nyföretagandet i länet?", kind=QuestionKind.SUMMATIVE, chain_level="C")
    EvaluationQuestion.objects.create(text="Hur aktiva är klustren?", kind=QuestionKind.SUMMATIVE, chain_level="E")
    EvaluationQuestion.objects.create(text="Får deltagarna ökad kunskap?", kind=QuestionKind.SUMMATIVE, chain_level="D")

    response = client.get(reverse("larande:question_list"))

    assert response.status_code == 200
    text = main_text(response)
    assert (
        "Processorienterade frågor Frågor om implementeringen: hur insatserna planeras och genomförs. "
        "Utan nivå i effektkedjan Hur ser ansökningstrycket ut? "
        "Summerande frågor Frågor om resultatet: prestationer, utfall och effekter. "
        "Nivå C Kortsiktiga effekter Ökar nyföretagandet i länet? Nivå D Utfall Får deltagarna ökad kunskap? "
        "Nivå E Prestationer Hur aktiva är klustren?"
    ) in text


def test_question_list_empty_state(client, db):
    assert "Inga utvärderingsfrågor är publicerade ännu." in main_text(client.get(reverse("larande:question_list")))


def _question_with_everything(home):
    question = EvaluationQuestion.objects.create(
        text="Innebär nätverken att deltagarna får ökad kunskap?",
        kind=QuestionKind.SUMMATIVE,
        chain_level="D",
        explanation="Frågan gäller utfallet hos deltagarna.",
    )
    chains = chain_index(home)
    public_chain = chain(chains, "Nätverkskedjan")
    private_chain = chain(chains, "Hemlig kedja")
    make_private(private_chain)
    draft_chain = chain(chains, "Utkastkedja", live=False)
    indicator = Indicator.objects.create(
        name="Andel deltagare med ökad kunskap", definition="Enkätsvar.", unit="procent", chain_level="D"
    )
    question.chains.add(public_chain, private_chain, draft_chain)
    question.indicators.add(indicator)
    question.tags.add("Nätverk")
    question.save()
    results = result_index(home)
    for title, hidden in [("Nätverksutvärdering", False), ("Hemligt resultat", True)]:
        page = result(results, title, datetime.date(2024, 4, 2))
        page.answers.add(QuestionAnswer(question=question, answer=f"Svar från {title.lower()}."))
        page.save_revision().publish()
        if hidden:
            make_private(page)
    live = result(results, "Resultat med utkast")
    live.answers.add(QuestionAnswer(question=question, answer="Svar som bara finns i utkastet."))
    live.save_revision()
    return question


def test_question_detail_shows_level_chains_indicators_and_public_answers(client, home):
    question = _question_with_everything(home)

    response = client.get(reverse("larande:question_detail", args=[question.pk]))

    assert response.status_code == 200
    text = main_text(response)
    assert "Utvärderingsfråga Innebär nätverken att deltagarna får ökad kunskap?" in text
    assert "Typ Summerande – frågor om resultatet" in text
    assert "Nivå D Utfall (direkt) Utfall beskriver hur de som deltagit i aktiviteterna har påverkats" in text
    assert "Frågan gäller utfallet hos deltagarna." in text
    assert "Effektkedjor Nätverkskedjan" in text
    assert "Andel deltagare med ökad kunskap Nivå D Utfall Enkätsvar. Enhet: procent" in text
    assert "Nätverksutvärdering Publicerad 2 april 2024 · Besvarad Svar från nätverksutvärdering." in text
    assert "Nätverk" in text
    for hidden in ["Hemlig kedja", "Utkastkedja", "Hemligt resultat", "Svar som bara finns i utkastet"]:
        assert hidden not in response.content.decode(), hidden


def test_question_detail_empty_states(client, db):
    question = EvaluationQuestion.objects.create(text="Vad kan förbättras?", kind=QuestionKind.PROCESS)
    text = main_text(client.get(reverse("larande:question_detail", args=[question.pk])))
    assert "Frågan hör inte till en viss nivå." in text
    assert "Frågan hör inte till någon publicerad effektkedja ännu." in text
    assert "Inga indikatorer är kopplade till frågan ännu." in text
    assert "Ingen publicerad utvärdering har besvarat frågan ännu." in text


@pytest.mark.parametrize(
    "path",
    [
        "/utvarderingsfragor/999999/",
        "/utvarderingsfragor/abc/",
        "/utvarderingsfragor/-1/",
        "/utvarderingsfragor/" + "9" * 30 + "/",
    ],
)
def test_unknown_question_is_404(client, db, path):
    assert client.get(path).status_code == 404


def test_question_pages_query_counts_do_not_grow(client, home, django_assert_max_num_queries):
    question = _question_with_everything(home)
    url = reverse("larande:question_detail", args=[question.pk])
    list_url = reverse("larande:question_list")
    results = ResultIndexPage.objects.get()
    chains = ChainIndexPage.objects.get()

    def grow(start, stop):
        for i in range(start, stop):
            EvaluationQuestion.objects.create(text=f"Extra fråga {i:03}?", kind=QuestionKind.PROCESS)
            indicator = Indicator.objects.create(
                name=f"Indikator {i:03}", definition="D.", unit="antal", chain_level="D"
            )
            question.indicators.add(indicator)
        for i in range(start // 3, stop // 3):  # a chain and an answering result per three indicators
            question.chains.add(chain(chains, f"Kedja {i:03}"))
            page = result(results, f"Svarande {i:03}")
            page.answers.add(QuestionAnswer(question=question, answer="Svar."))
            page.save_revision().publish()
        question.save()

    budgets = {url: QUESTION_QUERY_BUDGET, list_url: QUESTION_LIST_QUERY_BUDGET}
    responses = assert_queries_do_not_grow(client, budgets, grow, django_assert_max_num_queries)

    assert main_text(responses[url]).count("Indikator ") == MANY
    assert main_text(responses[url]).count("Svarande ") >= MANY // 3
