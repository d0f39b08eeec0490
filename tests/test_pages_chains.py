"""Effektkedjor: the chain listing and a chain read as text, level by level, without JavaScript."""

import pytest
from django.urls import reverse

from larande.models import ChainElement, ChainLink, EvaluationQuestion, QuestionKind
from tests.test_pages_support import (
    assert_queries_do_not_grow,
    chain,
    chain_index,
    main_text,
    make_private,
    result,
    result_index,
)

pytestmark = pytest.mark.django_db

CHAIN_INDEX_QUERY_BUDGET = 14
CHAIN_QUERY_BUDGET = 6  # page, navigation, tags; chain text, diagram and coverage matrix per content version

ELEMENTS = [
    ("G1", "G", "Medel för nätverk", "Pengar och tid från regionen."),
    ("F1", "F", "Nätverksträffar"),
    ("D1", "D", "Deltagarna får ökad kunskap"),
    ("C1", "C", "Deltagarna använder kunskapen"),
    ("B1", "B", "Hållbar regional tillväxt"),
]
LINKS = [
    ("G1", "F1"),
    ("F1", "D1", "Träffarna sprider kunskap.", "Enkät efter träffarna."),
    ("D1", "C1"),
    ("C1", "B1"),
]


def test_chain_page_reads_top_down_with_links_gaps_and_context(client, home):
    index = chain_index(home)
    page = chain(index, "Nätverk för kunskap", ELEMENTS, LINKS, tags=["Kluster"])

    response = client.get(page.url)

    assert response.status_code == 200
    text = main_text(response)
    assert "Syfte Syftet med nätverk för kunskap." in text
    assert "Kontext (A) Den politiska, sociala och ekonomiska kontext" in text
    assert "Regionen har en åldrande befolkning." in text
    # Levels from B at the top down to G.
    positions = [text.index(f"Nivå {letter} ") for letter in "BCDEFG"]
    assert positions == sorted(positions)
    assert (
        "F1 Nätverksträffar leder till D1 Deltagarna får ökad kunskap (ej prövad) "
        "Motivering Träffarna sprider kunskap. Evidens Enkät efter träffarna."
    ) in text
    assert "G1 Medel för nätverk Pengar och tid från regionen. leder till F1 Nätverksträffar" in text
    # E has no element: the gap is shown, not hidden.
    assert "Nivå E Prestationer Prestationer beskriver hur mycket/många aktiviteter som genomförts. " in text
    assert "Ingen prestation beskriven ännu." in text
    assert "G1 Medel för nätverk leder till F1 Nätverksträffar: Ej prövad" in text
    assert "C1 Deltagarna använder kunskapen leder till B1 Hållbar regional tillväxt" in text
    html = response.content.decode()
    assert '<a href="#element-d1">D1 Deltagarna får ökad kunskap</a>' in html
    assert 'id="element-d1"' in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]
    assert f'href="{reverse("larande:tag", args=["kluster"])}">Kluster</a>' in html


def test_chain_page_groups_its_questions_by_level_and_lists_public_results(client, home):
    index = chain_index(home)
    page = chain(index, "Kedja", ELEMENTS, LINKS)
    summative = EvaluationQuestion.objects.create(
        text="Innebär nätverken att deltagarna får ökad kunskap?", kind=QuestionKind.SUMMATIVE, chain_level="D"
    )
    process = EvaluationQuestion.objects.create(
        text="Är regionala insatser jämställdhetsintegrerade?", kind=QuestionKind.PROCESS
    )
    effect = EvaluationQuestion.objects.create(
        text="Ökar nyföretagandet i länet?", kind=QuestionKind.SUMMATIVE, chain_level="C"
    )
    EvaluationQuestion.objects.create(text="Fråga i en annan kedja?", kind=QuestionKind.PROCESS)
    for question in (summative, process, effect):
        question.chains.add(page)
        question.save()
    results = result_index(home)
    public = result(results, "Nätverksutvärdering")
    public.chains.add(page)
    public.save_revision().publish()
    hidden = result(results, "Hemlig utvärdering")
    hidden.chains.add(page)
    hidden.save_revision().publish()
    make_private(hidden)

    response = client.get(page.url)

    text = main_text(response)
    assert (
        "Utvärderingsfrågor Nivå C Kortsiktiga effekter Ökar nyföretagandet i länet? (summerande) "
        "Nivå D Utfall Innebär nätverken att deltagarna får ökad kunskap? (summerande) "
        "Utan nivå Är regionala insatser jämställdhetsintegrerade? (processorienterad)"
    ) in text
    assert "Fråga i en annan kedja?" not in text
    assert f'href="{reverse("larande:question_detail", args=[summative.pk])}"' in response.content.decode()
    assert "Utvärderingar av kedjan Nätverksutvärdering" in text
    assert "Hemlig utvärdering" not in text


def test_empty_chain_shows_every_gap_and_empty_states(client, home):
    page = chain(chain_index(home), "Tom kedja")

    text = main_text(client.get(page.url))

    for gap in [
        "Ingen långsiktig effekt beskriven ännu.",
        "Ingen kortsiktig effekt beskriven ännu.",
        "Inget utfall beskrivet ännu.",
        "Ingen prestation beskriven ännu.",
        "Ingen aktivitet beskriven ännu.",
        "Inga resurser beskrivna ännu.",
    ]:
        assert gap in text
    assert "Kedjan har inga länkar ännu." in text
    assert "Inga utvärderingsfrågor är kopplade till kedjan ännu." in text


def test_chain_index_lists_only_live_public_chains(client, home):
    index = chain_index(home)
    chain(index, "Synlig kedja", ELEMENTS, LINKS, tags=["Kluster"])
    chain(index, "Utkastkedja", live=False)
    make_private(chain(index, "Privat kedja"))
    live_with_draft = chain(index, "Kedja med utkast")
    live_with_draft.title = "Ändrad titel i utkast"
    live_with_draft.save_revision()

    response = client.get(index.url)

    assert response.status_code == 200
    text = main_text(response)
    assert "Synlig kedja" in text and "5 element och 4 länkar" in text and "Kluster" in text
    assert "Kedja med utkast" in text
    for hidden in ["Utkastkedja", "Privat kedja", "Ändrad titel i utkast"]:
        assert hidden not in response.content.decode()


def test_chain_index_empty_state(client, home):
    assert "Inga effektkedjor är publicerade ännu." in main_text(client.get(chain_index(home).url))


def _grow(page, n):
    """Give the chain n elements per level and a link from each element to one on the next level."""
    levels = "GFEDCB"
    page.elements.set(
        [ChainElement(key=f"{lvl}{i}", level=lvl, title=f"Element {lvl}{i}") for lvl in levels for i in range(n)]
    )
    page.links.set(
        [
            ChainLink(source_key=f"{lvl}{i}", target_key=f"{levels[j + 1]}{i}", rationale="Därför.")
            for j, lvl in enumerate(levels[:-1])
            for i in range(n)
        ]
    )
    page.save_revision().publish()
    for i in range(n):
        question, _ = EvaluationQuestion.objects.get_or_create(
            text=f"Fråga {i}?", defaults={"kind": QuestionKind.SUMMATIVE, "chain_level": "D"}
        )
        question.chains.add(page)
        question.save()


def test_chain_query_counts_are_pinned_and_do_not_grow_with_elements_and_links(
    client, home, django_assert_max_num_queries
):
    index = chain_index(home)
    page = chain(index, "Växande kedja", tags=["Kluster"])
    for i in range(3):
        chain(index, f"Annan kedja {i}", ELEMENTS, LINKS, tags=["Kluster"])

    budgets = {page.url: CHAIN_QUERY_BUDGET, index.url: CHAIN_INDEX_QUERY_BUDGET}
    responses = assert_queries_do_not_grow(
        client, budgets, lambda _, n: _grow(page, n), django_assert_max_num_queries, few=2, many=17
    )

    assert main_text(responses[page.url]).count("Motivering Därför.") == 17 * 5
