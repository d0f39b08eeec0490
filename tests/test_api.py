"""The read-only Wagtail API at /api/v2/: every page type with the fields its public page shows,
only live public pages whoever asks, and 400 with a Swedish message (never 500) for bad input."""

import datetime

import pytest
from wagtail.models import PageViewRestriction

from larande.models import ConceptContrast, ConceptPage
from tests.factories import (
    ConceptPageFactory,
    EffectChainPageFactory,
    EvaluationQuestionFactory,
    GuidancePageFactory,
    QuestionAnswerFactory,
    RecommendationFactory,
    StandardPageFactory,
)
from tests.publishing_support import indicator, result_page, sections

pytestmark = pytest.mark.django_db


def build_site():
    """The module's world, built once for it by the `site` fixture (tests/conftest.py)."""
    pages = sections()
    draft = ConceptPageFactory(title="Utkastbegrepp", slug="utkastbegrepp", live=False)
    private = ConceptPageFactory(title="Privat begrepp", slug="privat-begrepp", publish=True)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    effect = ConceptPageFactory(title="Effekt", slug="effekt", chain_level="C", publish=True)
    outcome = ConceptPageFactory(
        title="Utfall",
        slug="utfall",
        chain_level="D",
        other_labels="direkt resultat",
        hidden_labels="outcom-felstavat",
        explanation=f'<p>Kommer före <a linktype="page" id="{effect.pk}">effekten</a>.</p>',
    )
    outcome.contrasts = [
        ConceptContrast(other=effect, difference="Utfallet kommer före effekten."),
        ConceptContrast(other=draft, difference="Hemlig skillnad mot utkastet."),
        ConceptContrast(other=private, difference="Hemlig skillnad mot det privata."),
    ]
    outcome.related.set([effect, draft, private])
    outcome.save()
    outcome.save_revision().publish()
    chain = EffectChainPageFactory(title="Kedja för innovation", full_chain=True, publish=True)
    chapter = GuidancePageFactory(title="Vad är uppgiften", publish=True)
    ind = indicator(name="Antal aktiva kluster")
    result = result_page(
        pages["results"],
        "Utvärdering av klustren",
        lessons=["Kluster behöver processledare."],
        values=[(ind, 2022, 5, 6), (ind, 2023, "7.5", 8)],
        chains=[chain],
        published_on=datetime.date(2024, 4, 15),
    )
    question = EvaluationQuestionFactory(text="Leder nätverken till ökad kunskap?", chains=[chain])
    QuestionAnswerFactory(result=result, question=question, answer="Ja, till största delen.")
    RecommendationFactory(result=result, text="Mät effekterna senare.", response="Vi gör det.")
    standard = StandardPageFactory(title="Om portalen", slug="om", publish=True)
    return {
        **pages,
        "outcome": outcome,
        "effect": effect,
        "draft": draft,
        "private": private,
        "chain": chain,
        "chapter": chapter,
        "result": result,
        "standard": standard,
    }


def _get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:500])
    return response.json()


def test_api_index_lists_the_endpoints(client, site):
    data = _get(client, "/api/v2/")
    assert set(data["slutpunkter"]) == {"pages", "images", "documents"}
    for url in data["slutpunkter"].values():
        assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_listing_has_only_live_public_pages(client, site):
    data = _get(client, "/api/v2/pages/?limit=100")
    titles = {item["title"] for item in data["items"]}
    assert {"Utfall", "Effekt", "Kedja för innovation", "Utvärdering av klustren", "Om portalen"} <= titles
    assert not titles & {"Utkastbegrepp", "Privat begrepp"}
    assert data["meta"]["total_count"] == len(data["items"])


def test_a_logged_in_editor_gets_the_same_public_answer(client, admin_user, site):
    anonymous = _get(client, "/api/v2/pages/?limit=100")
    client.force_login(admin_user)
    assert _get(client, "/api/v2/pages/?limit=100") == anonymous
    _get(client, f"/api/v2/pages/{site['private'].pk}/", status=404)


def test_concept_detail_has_its_fields_and_only_public_relations(client, site):
    data = _get(client, f"/api/v2/pages/{site['outcome'].pk}/")
    assert data["short_definition"].startswith("Utfall är")
    assert data["chain_level"] == {"code": "D", "label": "Utfall"}
    assert data["labels"] == ["direkt resultat"]
    assert "hidden_labels" not in data and "outcom-felstavat" not in str(data)
    # Rich text as the page shows it: internal links become real addresses.
    assert 'href="/begrepp/effekt/"' in data["explanation"] and "linktype" not in data["explanation"]
    relations = data["relations"]
    assert [c["concept"]["title"] for c in relations["not_to_be_confused_with"]] == ["Effekt"]
    assert [c["title"] for c in relations["related"]] == ["Effekt"]
    assert "Hemlig" not in str(data) and "Utkastbegrepp" not in str(data) and "Privat begrepp" not in str(data)


def test_chain_detail_has_elements_links_questions_and_results(client, site):
    data = _get(client, f"/api/v2/pages/{site['chain'].pk}/")
    assert [(e["key"], e["level"]["code"]) for e in data["elements"]] == [
        ("G1", "G"),
        ("F1", "F"),
        ("E1", "E"),
        ("D1", "D"),
        ("C1", "C"),
        ("B1", "B"),
    ]
    assert [(link["source_key"], link["target_key"]) for link in data["links"]][0] == ("G1", "F1")
    assert [q["text"] for q in data["evaluation_questions"]] == ["Leder nätverken till ökad kunskap?"]
    assert [r["title"] for r in data["results"]] == ["Utvärdering av klustren"]


def test_result_detail_has_what_the_result_page_shows(client, site):
    data = _get(client, f"/api/v2/pages/{site['result'].pk}/")
    assert data["period_start"] == "2021-01-01" and data["published_on"] == "2024-04-15"
    assert [c["title"] for c in data["chains"]] == ["Kedja för innovation"]
    assert [lesson["statement"] for lesson in data["lessons"]] == ["Kluster behöver processledare."]
    assert [(v["indicator"]["name"], v["year"], v["value"], v["target"]) for v in data["indicator_values"]] == [
        ("Antal aktiva kluster", 2022, 5, 6),
        ("Antal aktiva kluster", 2023, 7.5, 8),
    ]
    assert data["answers"][0]["question"]["text"] == "Leder nätverken till ökad kunskap?"
    question = data["answers"][0]["question"]
    assert question["html_url"].endswith(f"/utvarderingsfragor/{question['id']}/")
    assert data["recommendations"][0]["response"] == "Vi gör det."


def test_guidance_and_general_pages_have_their_bodies(client, site):
    chapter = _get(client, f"/api/v2/pages/{site['chapter'].pk}/")
    assert chapter["body"][0]["type"] == "paragraph"
    assert "nerifrån och upp" in chapter["body"][0]["value"]
    standard = _get(client, f"/api/v2/pages/{site['standard'].pk}/")
    assert standard["intro"] == "En allmän sida om portalen."
    home = _get(client, f"/api/v2/pages/{site['results'].get_parent().pk}/")
    assert "introduction" in home


def test_listing_by_type_with_all_fields(client, site):
    data = _get(client, "/api/v2/pages/?type=larande.EvaluationResultPage&fields=*")
    assert [item["title"] for item in data["items"]] == ["Utvärdering av klustren"]
    assert data["items"][0]["lessons"][0]["tags"] == []
    concepts = _get(client, "/api/v2/pages/?type=larande.ConceptPage&chain_level=D&fields=short_definition")
    assert [item["title"] for item in concepts["items"]] == ["Utfall"]


def test_search_finds_live_public_pages_only(client, site):
    assert [item["title"] for item in _get(client, "/api/v2/pages/?search=Utfall")["items"]][:1] == ["Utfall"]
    assert _get(client, "/api/v2/pages/?search=Utkastbegrepp")["meta"]["total_count"] == 0
    assert _get(client, "/api/v2/pages/?search=Privat")["meta"]["total_count"] == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=100000", "limit får vara högst 100."),
        ("limit=-5", "limit måste vara ett heltal"),
        ("limit=tio", "limit måste vara ett heltal"),
        ("offset=-1", "offset måste vara ett heltal som är 0 eller större."),
        ("offset=99999999999999999999999999", "offset får vara högst"),
        ("offset=999999", None),
        ("fields=*,secret", "Fel i fields"),
        ("fields=secret", "Okända fält i fields: secret."),
        ("fields=title(", "Fel i fields"),
        ("type=auth.User", "Sidtypen finns inte"),
        ("type=larande.Finnsinte", "Sidtypen finns inte"),
        ("type=nonsens", "Sidtypen finns inte"),
        ("secret=1", "Okänd parameter: secret."),
        ("order=password", "Det går inte att sortera på ”password”"),
        ("order=random&offset=2", "Slumpvis ordning"),
        ("child_of=abc", "child_of måste vara ett sid-id."),
        ("child_of=999999", "Sidan finns inte eller är inte publicerad."),
        ("id=abc", "”abc” är inget giltigt värde för id."),
        ("search=utfall&search_operator=xor", "search_operator ska vara and eller or."),
        ("type=larande.EvaluationResultPage&published_on=igår", "Ett värde i förfrågan har fel form"),
        ("type=larande.EvaluationResultPage&is_fictitious=kanske", "”kanske” är inget giltigt värde"),
        ("type=larande.EvaluationResultPage&regions=abc", None),
        ("rich_text_format=pdf", "rich_text_format ska vara"),
        ("search=%22%2A%28%29%5B%5D%3A%5E~-+AND+OR", None),
        ("search=" + "a" * 3000, None),
        ("search=%22utfall", None),
        ("title=%00", "otillåtna tecken"),
    ],
)
def test_bad_parameters_answer_400_in_swedish_or_a_bounded_result(client, site, query, message):
    response = client.get(f"/api/v2/pages/?{query}")
    assert response.status_code in (200, 400), (query, response.status_code)
    data = response.json()
    if response.status_code == 400:
        assert message is None or message in data["message"], data["message"]
    else:
        assert message is None, f"{query} skulle ge 400"
        assert len(data["items"]) <= 100
        titles = {item["title"] for item in data["items"]}
        assert not titles & {"Utkastbegrepp", "Privat begrepp"}


@pytest.mark.parametrize("endpoint", ["images", "documents"])
def test_images_and_documents_refuse_bad_parameters_too(client, site, endpoint):
    for query in ("limit=100000", "offset=-1", "fields=*,secret", "secret=1"):
        response = client.get(f"/api/v2/{endpoint}/?{query}")
        assert response.status_code == 400, query
        assert response.json()["message"]


def test_missing_and_hidden_pages_answer_404_in_swedish(client, site):
    for pk in (site["draft"].pk, site["private"].pk, 987654321, 99999999999999999999):
        data = _get(client, f"/api/v2/pages/{pk}/", status=404)
        assert data["message"].startswith("Hittades inte")


def test_the_api_is_read_only(client, site):
    for method in (client.post, client.put, client.patch, client.delete):
        response = method("/api/v2/pages/", data="{}", content_type="application/json")
        assert response.status_code == 405
        assert response.json()["message"] == "API:t är skrivskyddat: bara GET-förfrågningar är tillåtna."
    assert client.post("/api/v2/").status_code == 405
    assert ConceptPage.objects.filter(title="Utfall").count() == 1


def test_listing_queries_do_not_grow_with_content(client, site, django_assert_max_num_queries):
    for n in range(15):
        ConceptPageFactory(title=f"Begrepp {n}", publish=True)
    with django_assert_max_num_queries(12):
        data = _get(client, "/api/v2/pages/?type=larande.ConceptPage&limit=50")
    assert data["meta"]["total_count"] >= 17
