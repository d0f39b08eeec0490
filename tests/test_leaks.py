"""The leak matrix: content in a state a visitor may not see never reaches an anonymous visitor
through any output of the portal.

States: a draft never published, an unpublished page, a page awaiting review, a page scheduled
for later, a page behind a password and one for logged-in users only, and, for live pages, a
newer draft, a change awaiting review and a scheduled change. Outputs: the RSS and Atom feeds,
every open data file, the API (listings with all fields, search, filters, detail, find), the
sitemap, the permalinks, the result and lesson listings, share metadata and indicator charts, the
recommendation tracker (page, open data, feeds), the follow-up per RUS priority (overview, priority
page, printable summary and its PDF) and the evaluation question pages.

Every hidden page carries a word of its own (HEMLIG…) in its title, key findings, lesson,
recommendation and chain, and a reported value no visible page has, under the same RUS priority
as the visible result; a pending change also changes every recommendation's status (to avvisad,
which no published recommendation has). Each output must show the visible content (so the check
can fail) and none of those.
"""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import Page

from home.roles import KOMMUNIKATOR
from larande.models import (
    ChainElement,
    ChainLink,
    EffectChainPage,
    EvaluationPlanPage,
    EvaluationResultPage,
    LinkEvidence,
    QuestionAnswer,
    Recommendation,
)
from tests.factories import (
    EvaluationQuestionFactory,
    FollowUpIndexPageFactory,
    RecommendationIndexPageFactory,
    RusPriorityFactory,
    home_page,
)
from tests.publishing_support import (
    HIDDEN_STATES,
    PENDING_CHANGES,
    SECRET_VALUE,
    SECRET_VALUE_TEXTS,
    chain_page,
    indicator,
    marker,
    result_page,
    sections,
    shared_content,
    user_in,
)

pytestmark = pytest.mark.django_db

VISIBLE_RESULT = "Synligt resultat om kluster"
VISIBLE_LESSON = "Synlig lärdom om processledning"
VISIBLE_CHAIN = "Synlig kedja för innovation"
VISIBLE_QUESTION = "Synlig fråga om klustrens aktivitet?"
VISIBLE_RECOMMENDATION = "Synlig rekommendation om processledare"
PRIORITY = "Innovation och näringslivsutveckling"
PRIORITY_URL = "/uppfoljning/innovation-och-naringslivsutveckling/"
VISIBLE_EVIDENCE = "Synlig evidens om länken"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One visible result, chain and question, and hidden results and chains in every state;
    built once for the module and rolled back after it."""
    with shared_content(django_db_blocker):
        yield _build_world()


def _chain_with_links(parent, title):
    """A live chain E1 → D1 → C1: the visible result tests E1 → D1; only hidden content tests D1 → C1."""
    page = chain_page(parent, title)
    page = EffectChainPage.objects.get(pk=page.pk)
    page.elements.add(ChainElement(key="E1", level="E", title=f"Prestation i {title}"))
    page.elements.add(ChainElement(key="C1", level="C", title=f"Effekt i {title}"))
    page.links.add(ChainLink(source_key="E1", target_key="D1"))
    page.links.add(ChainLink(source_key="D1", target_key="C1"))
    page.save_revision().publish()
    links = {link.source_key: link for link in ChainLink.objects.filter(chain=page)}
    return page, links["E1"], links["D1"]


def _build_world():
    pages = sections()
    plan = home_page().add_child(instance=EvaluationPlanPage(title="Utvärderingsplan", slug="utvarderingsplan"))
    plan.save_revision().publish()
    RecommendationIndexPageFactory(publish=True)
    FollowUpIndexPageFactory(publish=True)
    priority = RusPriorityFactory(title=PRIORITY)
    user = user_in(KOMMUNIKATOR)
    ind = indicator(name="Synlig indikator")
    visible_chain, tested_link, untested_link = _chain_with_links(pages["chains"], VISIBLE_CHAIN)
    question = EvaluationQuestionFactory(
        text=VISIBLE_QUESTION, chains=[visible_chain], decided_on=datetime.date(2024, 1, 10)
    )
    hidden = {}
    for state, put_in_state in HIDDEN_STATES.items():
        secret = marker(state)
        chain = chain_page(pages["chains"], f"{secret} kedja", live=False)
        result = result_page(
            pages["results"],
            f"{secret} resultat",
            key_findings=f"{secret} slutsatser",
            lessons=[f"{secret} lärdom"],
            values=[(ind, 2031, SECRET_VALUE, None)],
            recommendations=[Recommendation(text=f"{secret} rekommendation", status="rejected")],
            priorities=[priority],
            live=False,
            answers=[QuestionAnswer(question=question, answer=f"{secret} svar", status="answered")],
            link_evidence=[
                LinkEvidence(link=untested_link, verdict="contradicts", finding=f"{secret} evidens"),
                LinkEvidence(link=tested_link, verdict="contradicts", finding=f"{secret} evidens"),
            ],
        )
        hidden[state] = {
            "secret": secret,
            "result": put_in_state(result, user),
            "chain": put_in_state(chain, user),
        }
    visible = result_page(
        pages["results"],
        VISIBLE_RESULT,
        lessons=[VISIBLE_LESSON],
        values=[(ind, 2022, 5, 6), (ind, 2023, 7, 8)],
        recommendations=[Recommendation(text=VISIBLE_RECOMMENDATION, status="planned")],
        chains=[visible_chain] + [entry["chain"] for entry in hidden.values()],
        priorities=[priority],
        answers=[QuestionAnswer(question=question, answer="Synligt svar.", status="partly")],
        link_evidence=[LinkEvidence(link=tested_link, verdict="supports", finding=VISIBLE_EVIDENCE)],
    )
    question.chains.set([visible_chain] + [entry["chain"] for entry in hidden.values()])
    question.save()
    pending = {}
    for state, change in PENDING_CHANGES.items():
        secret = marker(state)
        title = f"Publicerat resultat med {state}"
        page = result_page(
            pages["results"],
            title,
            lessons=[f"Publicerad lärdom ({state})"],
            values=[(ind, 2023, 3, 4)],
            recommendations=[Recommendation(text=f"Publicerad rekommendation ({state})", status="in_progress")],
            priorities=[priority],
            chains=[visible_chain],
        )
        change(page, secret, ind, user)
        pending[state] = {"secret": secret, "result": EvaluationResultPage.objects.get(pk=page.pk), "title": title}
    unexpired = Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now())
    for entry in hidden.values():
        for page in (entry["result"], entry["chain"]):
            assert not Page.objects.live().public().filter(unexpired, pk=page.pk).exists()
    for entry in pending.values():
        assert entry["result"].live and entry["result"].title == entry["title"]
    return {
        "hidden": hidden,
        "pending": pending,
        "visible": visible,
        "user": user,
        "chain": visible_chain,
        "question": question,
    }


def _secrets(world) -> list[str]:
    return [entry["secret"] for entry in world["hidden"].values()] + [
        entry["secret"] for entry in world["pending"].values()
    ]


def _assert_nothing_hidden(text: str, world, where: str):
    leaked = [secret for secret in _secrets(world) if secret.lower() in text.lower()]
    leaked += [value for value in SECRET_VALUE_TEXTS if value in text]
    assert not leaked, f"{where} visar dold information: {leaked}"


# Each output, a text it must contain (so that an empty or broken answer cannot pass), and whether
# it names every live result (so it must name the live pages with pending changes by their
# published title).
OUTPUTS = [
    ("/resultat/rss/", VISIBLE_RESULT, True),
    ("/resultat/atom/", VISIBLE_RESULT, True),
    ("/lardomar/rss/", VISIBLE_LESSON, True),
    ("/lardomar/atom/", VISIBLE_LESSON, True),
    ("/oppna-data/resultat.csv", VISIBLE_CHAIN, True),
    ("/oppna-data/resultat.json", VISIBLE_CHAIN, True),
    ("/oppna-data/lardomar.csv", VISIBLE_LESSON, True),
    ("/oppna-data/lardomar.json", VISIBLE_LESSON, True),
    ("/oppna-data/utvarderingsfragor.csv", VISIBLE_CHAIN, False),
    ("/oppna-data/utvarderingsfragor.json", VISIBLE_CHAIN, False),
    ("/oppna-data/indikatorer.csv", "Synlig indikator", False),
    ("/oppna-data/indikatorer.json", "Synlig indikator", False),
    ("/oppna-data/indikatorvarden.csv", VISIBLE_RESULT, True),
    ("/oppna-data/indikatorvarden.json", VISIBLE_RESULT, True),
    ("/sitemap.xml", "synligt-resultat-om-kluster", False),
    ("/api/v2/pages/?limit=100", VISIBLE_RESULT, True),
    ("/api/v2/pages/?type=larande.EvaluationResultPage&fields=*&limit=100", VISIBLE_CHAIN, True),
    ("/api/v2/pages/?type=larande.EffectChainPage&fields=*&limit=100", VISIBLE_CHAIN, False),
    ("/api/v2/pages/?type=larande.EvaluationResultPage&fields=_,title,lessons,indicator_values", VISIBLE_LESSON, True),
    ("/api/v2/pages/?search=resultat&limit=100", VISIBLE_RESULT, True),
    ("/api/v2/pages/?type=larande.EvaluationResultPage&is_fictitious=true&fields=*", VISIBLE_RESULT, True),
    ("/resultat/", VISIBLE_RESULT, True),
    ("/lardomar/", VISIBLE_LESSON, False),
    ("/rekommendationer/", VISIBLE_RECOMMENDATION, True),
    ("/rekommendationer/?status=avvisad", "Inga rekommendationer matchar de valda filtren.", False),
    ("/rekommendationer/?prioritering=innovation-och-naringslivsutveckling", VISIBLE_RECOMMENDATION, True),
    ("/rekommendationer/atom/", VISIBLE_RECOMMENDATION, True),
    ("/rekommendationer/rss/", VISIBLE_RECOMMENDATION, True),
    ("/oppna-data/rekommendationer.csv", VISIBLE_RECOMMENDATION, True),
    ("/oppna-data/rekommendationer.json", VISIBLE_RECOMMENDATION, True),
    ("/uppfoljning/", PRIORITY, False),
    (PRIORITY_URL, VISIBLE_RECOMMENDATION, True),
    (f"{PRIORITY_URL}sammanfattning/", VISIBLE_RECOMMENDATION, False),
    ("/utvarderingsfragor/", VISIBLE_QUESTION, False),
    # The evidence on the chain's links, its diagram, the coverage, and the plan generator.
    ("/effektkedjor/synlig-kedja-for-innovation/", VISIBLE_EVIDENCE, True),
    ("/effektkedjor/synlig-kedja-for-innovation/diagram.svg", VISIBLE_CHAIN, False),
    ("/effektkedjor/tackning/", VISIBLE_CHAIN, False),
    ("/utvarderingsplan/", VISIBLE_CHAIN, False),
    ("/utvarderingsplan/?kedja=synlig-kedja-for-innovation", VISIBLE_QUESTION, False),
]


@pytest.mark.parametrize(("url", "visible", "names_results"), OUTPUTS, ids=[url for url, *_ in OUTPUTS])
def test_no_output_shows_hidden_content(client, world, url, visible, names_results):
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert visible.lower() in text.lower(), f"{url} visar inte det publicerade innehållet"
    _assert_nothing_hidden(text, world, url)
    if names_results:
        for entry in world["pending"].values():
            assert entry["title"] in text, f"{url} ska visa den publicerade versionen av {entry['title']!r}"


def test_api_search_and_filters_find_nothing_hidden(client, world):
    for secret in _secrets(world):
        for query in (
            f"search={secret}",
            f"title={secret}%20resultat",
            f"search={secret}&type=larande.EffectChainPage",
        ):
            response = client.get(f"/api/v2/pages/?{query}")
            assert response.status_code == 200, query
            assert response.json()["meta"]["total_count"] == 0, query
    found = client.get("/api/v2/pages/?search=Synligt").json()
    assert found["meta"]["total_count"] >= 1


def test_hidden_pages_have_no_api_detail_find_or_permalink(client, world):
    for state, entry in world["hidden"].items():
        for page in (entry["result"], entry["chain"]):
            detail = client.get(f"/api/v2/pages/{page.pk}/")
            assert detail.status_code == 404, state
            _assert_nothing_hidden(detail.content.decode(), world, f"API-detalj ({state})")
            children = client.get(f"/api/v2/pages/?child_of={page.pk}")
            assert children.status_code == 400, state
            _assert_nothing_hidden(children.content.decode(), world, f"child_of ({state})")
            found = client.get("/api/v2/pages/find/", {"html_path": page.url})
            assert found.status_code == 404, state
            permalink = client.get(reverse("outputs:permalink", args=[page.pk]))
            assert permalink.status_code == 404, state
    visible = world["visible"]
    assert client.get(reverse("outputs:permalink", args=[visible.pk])).status_code == 302
    assert client.get("/permalank/99999999999999999999/").status_code == 404


def test_live_pages_serve_their_published_version_in_the_api(client, world):
    for state, entry in world["pending"].items():
        data = client.get(f"/api/v2/pages/{entry['result'].pk}/").json()
        assert data["title"] == entry["title"], state
        assert [lesson["statement"] for lesson in data["lessons"]] == [f"Publicerad lärdom ({state})"]
        assert [(v["year"], v["value"]) for v in data["indicator_values"]] == [(2023, 3)]
        _assert_nothing_hidden(str(data), world, f"API-detalj ({state})")


def test_the_visible_result_lists_only_its_visible_chain(client, world):
    data = client.get(f"/api/v2/pages/{world['visible'].pk}/").json()
    assert [chain["title"] for chain in data["chains"]] == [VISIBLE_CHAIN]


def _render(template: str, page) -> str:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return Template("{% load result_tags %}" + template).render(Context({"request": request, "page": page}))


def test_share_metadata_of_hidden_pages_is_empty(world):
    for state, entry in world["hidden"].items():
        page = EvaluationResultPage.objects.get(pk=entry["result"].pk)
        html = _render("{% share_meta page %}", page)
        assert html.strip() == "", state
    visible = _render("{% share_meta page %}", EvaluationResultPage.objects.get(pk=world["visible"].pk))
    assert VISIBLE_RESULT in visible


def test_share_metadata_and_charts_of_live_pages_show_the_published_version(world):
    for state, entry in world["pending"].items():
        page = EvaluationResultPage.objects.get(pk=entry["result"].pk)
        meta = _render("{% share_meta page %}", page)
        charts = _render("{% indicator_charts page %}", page)
        assert entry["title"] in meta, state
        assert "2023" in charts and "2031" not in charts, state
        _assert_nothing_hidden(meta + charts, world, f"delningsdata och diagram ({state})")


def test_hidden_values_never_reach_the_chart_of_a_visible_result(world):
    charts = _render("{% indicator_charts page %}", EvaluationResultPage.objects.get(pk=world["visible"].pk))
    assert "Synlig indikator" in charts
    _assert_nothing_hidden(charts, world, "indikatordiagram")


def test_scheduled_result_stays_hidden_until_it_goes_live(world):
    entry = world["hidden"]["schemalagd"]
    page = EvaluationResultPage.objects.get(pk=entry["result"].pk)
    assert not page.live
    assert page.go_live_at > datetime.datetime.now(tz=datetime.UTC)


def test_question_page_lists_only_visible_answers(client, world):
    response = client.get(reverse("larande:question_detail", args=[world["question"].pk]))
    text = response.content.decode()
    assert "Synligt svar" in text and "Beslutad gemensamt" in text
    _assert_nothing_hidden(text, world, "frågesidan")


def test_followup_pdf_shows_nothing_hidden(client, world):
    response = client.get(f"{PRIORITY_URL}sammanfattning.pdf")
    if response.status_code == 503:
        pytest.skip("WeasyPrint kan inte göra PDF på den här maskinen")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert VISIBLE_RECOMMENDATION in " ".join(text.split())
    _assert_nothing_hidden(text, world, "uppföljningens PDF")


def test_the_tracker_counts_only_published_statuses(client, world):
    counts = {o["slug"]: o["count"] for o in client.get("/rekommendationer/").context["status_counts"]}
    # One visible planned recommendation, one in progress per live result with a pending change; the
    # hidden results' rejections and the pending changes' rejections never count.
    assert counts == {"planerad": 1, "pagar": len(world["pending"]), "genomford": 0, "avvisad": 0}


# --- Evidence on links, and the evaluation plan -------------------------------------------------------


def test_only_visible_results_count_as_evidence_on_a_link(client, world):
    chain = world["chain"]
    page = BeautifulSoup(client.get(chain.url).content, "html.parser")
    links = {
        " ".join(item.p.get_text(" ").split()).split(":")[0]: item.select_one(".link-evidence__status").get_text()
        for item in page.select(".link-evidence__link")
    }
    assert links == {
        f"E1 Prestation i {VISIBLE_CHAIN} leder till D1 Utfall i {VISIBLE_CHAIN}": "Stöds",
        f"D1 Utfall i {VISIBLE_CHAIN} leder till C1 Effekt i {VISIBLE_CHAIN}": "Ej prövad",
    }
    svg = client.get(chain.url + "diagram.svg").content.decode()
    assert svg.count("chain-diagram__link--stods") == 1 and svg.count("chain-diagram__link--ej-provad") == 1
    coverage = client.get("/effektkedjor/tackning/").content.decode()
    assert "1 av 2 länkar" in coverage


def test_the_plan_and_its_word_file_show_nothing_hidden(client, world):
    from docx import Document

    url = f"/utvarderingsplan/?kedja=synlig-kedja-for-innovation&fraga={world['question'].pk}&visa=plan"
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert f"{VISIBLE_RESULT} (2024): delvis besvarad." in " ".join(
        BeautifulSoup(text, "html.parser").get_text(" ").split()
    )
    _assert_nothing_hidden(text, world, "utvärderingsplanen")
    word = client.get(url.replace("/utvarderingsplan/?", "/utvarderingsplan/utvarderingsplan.docx?"))
    assert word.status_code == 200
    paragraphs = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert VISIBLE_RESULT in paragraphs
    _assert_nothing_hidden(paragraphs, world, "utvärderingsplanen som Word-fil")
    for entry in world["hidden"].values():
        chain = entry["chain"]
        refused = client.get(f"/utvarderingsplan/?kedja={chain.slug}")
        assert refused.status_code == 400
        # The message repeats the address the visitor typed, and nothing else about the chain.
        shown = refused.content.decode()
        assert f"Det finns ingen publicerad effektkedja med kortnamnet ”{chain.slug}”" in shown
        _assert_nothing_hidden(shown.replace(chain.slug, ""), world, "utvärderingsplanen med en dold kedja")
