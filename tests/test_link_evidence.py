"""Issue 16, part 1: evidence from published results accumulates on a chain's links.

Editors mark on a result which findings test which link and what they say; the chain page shows
per link "stöds av 2 utvärderingar · 1 motsäger" or "ej prövad" with the results linked, the diagram
draws each link by its status (line pattern and legend) and says the same in its description and
text version, and the coverage section lists the untested links. Only live, public results count:
drafts, private results and unpublished changes never do, and publishing or unpublishing a result
changes the cached chain page at once.
"""

from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.test import RequestFactory
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from larande.chains import diagrams
from larande.chains.evidence import EvidenceItem, LinkEvidenceSummary, LinkStatus, evidence_by_link
from larande.models import ChainLink, EffectChainPage, EvaluationResultPage, LinkEvidence
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

ELEMENTS = [
    ("G1", "G", "Medel för nätverk"),
    ("F1", "F", "Nätverksträffar"),
    ("E1", "E", "Genomförda träffar"),
    ("D1", "D", "Deltagarna får ökad kunskap"),
]
LINKS = [("G1", "F1"), ("F1", "E1"), ("E1", "D1")]


def _summary(*verdicts) -> LinkEvidenceSummary:
    """A summary with one finding per (result id, verdict)."""
    return LinkEvidenceSummary(
        [EvidenceItem(SimpleNamespace(pk=pk), verdict, "Iakttagelse.") for pk, verdict in verdicts]
    )


def test_the_summary_counts_results_and_says_the_status_in_words():
    assert _summary().text == "ej prövad"
    assert _summary().status == LinkStatus.UNTESTED
    mixed = _summary((1, "supports"), (2, "supports"), (2, "supports"), (3, "contradicts"))
    # A result counts once per verdict, however many of its findings say the same.
    assert mixed.text == "stöds av 2 utvärderingar · 1 motsäger"
    assert mixed.status == LinkStatus.DISPUTED
    assert _summary((1, "supports"), (2, "inconclusive")).status == LinkStatus.SUPPORTED
    assert _summary((1, "supports")).text == "stöds av en utvärdering"
    assert _summary((1, "contradicts")).status == LinkStatus.CONTRADICTED
    assert _summary((1, "inconclusive")).text == "1 utan tydligt besked"
    assert _summary((1, "inconclusive")).status == LinkStatus.UNCLEAR


def _world(home):
    """A chain with three links, and results in every state that test its first two links."""
    chains = chain_index(home)
    results = result_index(home)
    page = chain(chains, "Nätverk för kunskap", ELEMENTS, LINKS)
    links = {(link.source_key, link.target_key): link for link in ChainLink.objects.filter(chain=page)}
    first, second = links[("G1", "F1")], links[("F1", "E1")]

    def tested(title, link, verdict, live=True):
        evidence = [LinkEvidence(link=link, verdict=verdict, finding=f"Iakttagelse i {title}.")]
        return result(results, title, live=live, link_evidence=evidence)

    published = [
        tested("Första utvärderingen", first, "supports"),
        tested("Andra utvärderingen", first, "supports"),
        tested("Tredje utvärderingen", first, "contradicts"),
    ]
    draft = tested("Utkastet HEMLIGT", second, "contradicts", live=False)
    private = make_private(tested("Det privata HEMLIGA", second, "supports"))
    # A live result whose unpublished change would test the second link.
    edited = result(results, "Publicerad med ändring")
    edited = EvaluationResultPage.objects.get(pk=edited.pk)
    edited.link_evidence.add(LinkEvidence(link=second, verdict="contradicts", finding="Ändring HEMLIG."))
    edited.save_revision()
    return {"chain": page, "published": published, "hidden": [draft, private], "first": first, "second": second}


def _link_items(response) -> dict[str, str]:
    soup = BeautifulSoup(response.content, "html.parser")
    items = soup.select(".link-evidence__link")
    return {
        " ".join(item.p.get_text(" ").split()).split(":")[0]: " ".join(item.get_text(" ").split()) for item in items
    }


def test_the_chain_page_shows_each_links_evidence_from_published_results_only(client, home):
    world = _world(home)

    response = client.get(world["chain"].url)

    assert response.status_code == 200
    items = _link_items(response)
    first = items["G1 Medel för nätverk leder till F1 Nätverksträffar"]
    assert "Omstridd (både stöd och motsägelse) (stöds av 2 utvärderingar · 1 motsäger)" in first
    assert "Tredje utvärderingen (2024) : motsäger länken. Iakttagelse i Tredje utvärderingen." in first
    assert items["F1 Nätverksträffar leder till E1 Genomförda träffar"].endswith("Ej prövad")
    soup = BeautifulSoup(response.content, "html.parser")
    hrefs = {a["href"] for a in soup.select(".link-evidence__results a")}
    assert hrefs == {page.url for page in world["published"]}
    text = main_text(response)
    assert "HEMLIG" not in text.upper()
    # The element's own list of links says the same in short.
    assert "leder till F1 Nätverksträffar (stöds av 2 utvärderingar · 1 motsäger)" in text
    # The coverage section lists the links nobody has tested yet.
    assert "Länkar som ingen utvärdering har prövat 2 av 3 länkar" in text
    assert "F1 Nätverksträffar leder till E1 Genomförda träffar E1 Genomförda träffar leder till D1" in text


def test_the_diagram_draws_each_link_by_its_status_with_a_legend(client, home):
    world = _world(home)

    page_soup = BeautifulSoup(client.get(world["chain"].url).content, "html.parser")
    svg = client.get(world["chain"].url + "diagram.svg").content.decode()

    drawings = [*page_soup.select(".chain-diagram__figure svg"), BeautifulSoup(svg, "xml").find("svg")]
    assert len(drawings) == 3  # the wide and the narrow drawing on the page, and the download
    for drawing in drawings:
        classes = [
            " ".join(path["class"]) if isinstance(path["class"], list) else path["class"]
            for path in drawing.select("g.chain-diagram__links path")
        ]
        assert sorted(classes) == [
            "chain-diagram__link chain-diagram__link--ej-provad",
            "chain-diagram__link chain-diagram__link--ej-provad",
            "chain-diagram__link chain-diagram__link--omstridd",
        ]
        assert drawing.select_one("g.chain-diagram__legend") is not None
    disputed = BeautifulSoup(svg, "xml").select_one("path.chain-diagram__link--omstridd")
    untested = BeautifulSoup(svg, "xml").select_one("path.chain-diagram__link--ej-provad")
    # The pattern says it, not only the colour.
    assert disputed["stroke-dasharray"] != untested["stroke-dasharray"]
    assert "Länkarnas evidens:" in svg and "Ej prövad" in svg
    desc = BeautifulSoup(svg, "xml").find("desc").get_text()
    assert "prickad linje betyder ej prövad" in desc
    assert "omstridd (både stöd och motsägelse): 1" in desc and "ej prövad: 2" in desc
    legend = " ".join(page_soup.select_one(".chain-diagram__key").get_text(" ").split())
    assert "Streck och punkt: omstridd (både stöd och motsägelse)" in legend
    assert "Prickad linje: ej prövad" in legend


def test_the_text_version_says_what_the_diagram_draws(home):
    world = _world(home)
    page = EffectChainPage.objects.get(pk=world["chain"].pk)
    request = RequestFactory().get("/")
    html = Template("{% load chain_tags %}{% chain_diagram page evidence=True %}").render(
        Context({"page": page, "request": request})
    )
    text = " ".join(BeautifulSoup(html, "html.parser").select_one(".chain-text").get_text(" ").split())
    assert (
        "G1 Medel för nätverk leder till F1 Nätverksträffar: omstridd (både stöd och motsägelse) "
        "(stöds av 2 utvärderingar · 1 motsäger)"
    ) in text
    assert "F1 Nätverksträffar leder till E1 Genomförda träffar: ej prövad" in text


def test_the_framework_document_draws_the_chain_as_designed(home):
    world = _world(home)
    diagram = diagrams.chain_diagram(EffectChainPage.objects.get(pk=world["chain"].pk))
    assert not diagram.has_evidence
    assert "chain-diagram__link--" not in diagram.standalone_svg()


def test_publishing_and_unpublishing_a_result_moves_the_cached_chain_page_at_once(client, home, settings):
    settings.PAGE_CACHE_ENABLED = True
    chains = chain_index(home)
    page = chain(chains, "Kedja i cachen", ELEMENTS, LINKS)
    link = ChainLink.objects.get(chain=page, source_key="E1")
    draft = result(
        result_index(home),
        "Utvärdering som publiceras",
        live=False,
        link_evidence=[LinkEvidence(link=link, verdict="supports", finding="Deltagarna lärde sig.")],
    )

    def status():
        response = client.get(page.url)
        assert response.status_code == 200
        return response["X-Page-Cache"], _link_items(response)[
            "E1 Genomförda träffar leder till D1 Deltagarna får ökad kunskap"
        ]

    client.get(page.url)
    cached, before = status()
    assert cached == "hit" and before.endswith("Ej prövad")

    EvaluationResultPage.objects.get(pk=draft.pk).get_latest_revision().publish()
    _, after_publish = status()
    assert "Stöds (stöds av en utvärdering)" in after_publish

    EvaluationResultPage.objects.get(pk=draft.pk).unpublish()
    _, after_unpublish = status()
    assert after_unpublish.endswith("Ej prövad")


def test_evidence_counts_are_read_in_one_query(home, django_assert_num_queries):
    world = _world(home)
    with django_assert_num_queries(2):  # the view restrictions, then the evidence
        summaries = evidence_by_link([world["chain"].pk])
    assert summaries[world["first"].pk].supports == 2
    assert world["second"].pk not in summaries


def test_a_removed_link_leaves_its_evidence_counting_nowhere(client, home):
    world = _world(home)
    page = EffectChainPage.objects.get(pk=world["chain"].pk)
    page.links = [link for link in page.links.all() if link.pk != world["first"].pk]
    page.save_revision().publish()

    assert LinkEvidence.objects.filter(link__isnull=True).count() == 3
    assert evidence_by_link([page.pk]) == {}
    assert client.get(page.url).status_code == 200


# --- The admin -----------------------------------------------------------------------------------------


def _result_form(result_page, chains, evidence) -> dict:
    data = nested_form_data(
        {
            "title": result_page.title,
            "slug": result_page.slug,
            "intro": "",
            "evaluated": "Insatsen.",
            "period_start": "2022-01-01",
            "period_end": "2023-12-31",
            "evaluator": "Utvärderarna AB",
            "key_findings": "Det viktigaste.",
            "findings": rich_text(""),
            "conclusions": rich_text(""),
            "published_on": "2024-05-01",
            "answers": inline_formset([]),
            "link_evidence": inline_formset(evidence),
            "recommendations": inline_formset([]),
            "lessons": inline_formset([]),
            "indicator_values": inline_formset([]),
            "documents": inline_formset([]),
            "tagged_items": "",
            "explained_terms": inline_formset([]),
        }
    )
    data["chains"] = [str(c.pk) for c in chains]
    return data


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("redaktor", "r@example.org", "lösenord")
    client.force_login(user)
    return user


def test_editors_choose_the_link_among_chains_and_it_must_be_a_chain_the_result_evaluates(client, home, editor):
    chains = chain_index(home)
    page = chain(chains, "Nätverk för kunskap", ELEMENTS, LINKS)
    other = chain(chains, "Annan kedja", ELEMENTS, LINKS)
    target = result(result_index(home), "Resultat att redigera")
    link = ChainLink.objects.get(chain=page, source_key="G1")
    foreign = ChainLink.objects.get(chain=other, source_key="G1")
    url = f"/admin/pages/{target.pk}/edit/"

    form = client.get(url)
    assert form.status_code == 200
    soup = BeautifulSoup(form.content, "html.parser")
    select = soup.find("select", id="id_link_evidence-__prefix__-link")
    assert select is not None, "the empty form of the inline has no link select"
    groups = {
        # Strings inside the <template> of the empty form are TemplateStrings, which get_text() leaves out.
        group["label"]: [str(o.string).strip() for o in group.find_all("option", recursive=False)]
        for group in select.find_all("optgroup")
    }
    assert groups["Nätverk för kunskap"][0] == "G1 Medel för nätverk → F1 Nätverksträffar"
    assert set(groups) >= {"Nätverk för kunskap", "Annan kedja"}

    wrong = _result_form(target, [page], [{"link": foreign.pk, "verdict": "supports", "finding": "Fel kedja."}])
    refused = client.post(url, wrong)
    assert refused.status_code == 200
    assert "hör till effektkedjan ”Annan kedja”, som resultatet inte utvärderar" in refused.content.decode()
    assert not LinkEvidence.objects.exists()

    right = _result_form(target, [page], [{"link": link.pk, "verdict": "contradicts", "finding": "Motsäger."}])
    saved = client.post(url, right)
    assert saved.status_code == 302, BeautifulSoup(saved.content, "html.parser").select(".error-message")
    revision = Page.objects.get(pk=target.pk).get_latest_revision()
    assert revision.content["link_evidence"][0]["link"] == link.pk


# The result's edit form, measured after one warm-up request (SQLite and PostgreSQL alike).
EDIT_FORM_QUERY_BUDGET = 50


def test_the_link_pickers_choices_are_read_once_per_form_however_many_rows(
    client, home, editor, django_assert_max_num_queries
):
    page = chain(chain_index(home), "Nätverk för kunskap", ELEMENTS, LINKS)
    links = list(ChainLink.objects.filter(chain=page).order_by("sort_order", "pk"))
    target = result(result_index(home), "Resultat med många prövade länkar", chains=[page])
    url = f"/admin/pages/{target.pk}/edit/"

    def grow(start, stop):
        edited = EvaluationResultPage.objects.get(pk=target.pk)
        rows = list(edited.link_evidence.all())
        for n in range(start, stop):
            rows.append(LinkEvidence(link=links[n % len(links)], verdict="supports", finding=f"Iakttagelse {n}."))
        edited.link_evidence = rows
        edited.save_revision().publish()

    responses = assert_queries_do_not_grow(client, {url: EDIT_FORM_QUERY_BUDGET}, grow, django_assert_max_num_queries)

    soup = BeautifulSoup(responses[url].content, "html.parser")
    selects = soup.select("select[name$=-link]")
    assert len(selects) == 12
    assert soup.find("select", id="id_link_evidence-__prefix__-link").find_all("optgroup")  # the empty row's
    for select in selects:
        labels = [str(o.string).strip() for o in select.find_all("option")]
        assert "G1 Medel för nätverk → F1 Nätverksträffar" in labels
        assert select.find("option", selected=True)["value"] in {str(link.pk) for link in links}


def test_the_result_page_names_the_links_it_tests_on_visible_chains_only(client, home):
    chains = chain_index(home)
    page = chain(chains, "Nätverk för kunskap", ELEMENTS, LINKS)
    hidden = chain(chains, "HEMLIG kedja", ELEMENTS, LINKS)
    make_private(hidden)
    evidence = [
        LinkEvidence(link=ChainLink.objects.get(chain=page, source_key="E1"), verdict="supports", finding="Ja."),
        LinkEvidence(link=ChainLink.objects.get(chain=hidden, source_key="E1"), verdict="supports", finding="Nej."),
    ]
    tested = result(result_index(home), "Resultat som prövar", link_evidence=evidence)
    tested.chains.set([page, hidden])
    tested.save_revision().publish()

    response = client.get(tested.url)

    soup = BeautifulSoup(response.content, "html.parser")
    items = [" ".join(li.get_text(" ").split()) for li in soup.select(".tested-links li")]
    assert items == [
        "Nätverk för kunskap : E1 Genomförda träffar leder till D1 Deltagarna får ökad kunskap – stöder länken . Ja."
    ]
    assert soup.select_one(".tested-links a")["href"] == page.url + "#lankar-rubrik"
    assert "HEMLIG" not in main_text(response)
