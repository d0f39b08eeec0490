"""Follow-up per RUS priority (/uppfoljning/): chains, indicators against targets over the years,
coverage gaps, latest results and lessons, open recommendations, and a one-page summary (HTML
for print and PDF)."""

import datetime
import io

import pytest
from pypdf import PdfReader

from larande.models import ChainIndexPage, EvaluationResultPage, Recommendation
from tests.factories import (
    EvaluationQuestionFactory,
    FollowUpIndexPageFactory,
    IndicatorFactory,
    RegionFactory,
    RusPriorityFactory,
)
from tests.publishing_support import chain_page, publish, result_page, sections

pytestmark = pytest.mark.django_db


def build_world():
    """A priority with a chain, indicators, a published result and a hidden draft, and a priority
    without content: built once for the module, each test gets it fresh as `world` (tests/conftest.py)."""
    pages = sections()
    followup = FollowUpIndexPageFactory(publish=True)
    innovation = RusPriorityFactory(title="Innovation och näringslivsutveckling")
    other = RusPriorityFactory(title="Tillgänglighet och infrastruktur")
    chain = chain_page(pages["chains"], "Kedja för innovation")
    hidden_chain = chain_page(pages["chains"], "Opublicerad kedja", live=False)
    measured = IndicatorFactory(name="Andel företag som infört innovationer", values={2022: (21, 25), 2023: (27.5, 30)})
    EvaluationQuestionFactory(
        text="Leder insatserna till nya innovationer?",
        kind="summative",
        chain_level="C",
        chains=[chain],
        indicators=[measured],
    )
    reported = IndicatorFactory(name="Antal aktiva kluster", values={})
    result = result_page(
        pages["results"],
        "Utvärdering av klustren",
        published_on=datetime.date(2024, 4, 15),
        lessons=["Kluster behöver processledare."],
        values=[(reported, 2023, 7, 8)],
        recommendations=[
            Recommendation(text="Ge klustren processledare.", status="in_progress"),
            Recommendation(text="Mät effekterna senare.", status="done"),
        ],
        live=False,
    )
    result.priorities.set([innovation])
    result.chains.set([chain, hidden_chain])
    result.regions.set([RegionFactory(name="Region Västerbotten")])
    publish(result)
    draft = result_page(
        pages["results"],
        "Opublicerat resultat HEMLIGT",
        lessons=["HEMLIG lärdom"],
        recommendations=[Recommendation(text="HEMLIG rekommendation", status="planned")],
        live=False,
    )
    draft.priorities.set([innovation])
    draft.save_revision()
    EvaluationResultPage.objects.filter(pk=draft.pk).update(live=False)
    return {"followup": followup, "innovation": innovation, "other": other, "result": result}


def test_overview_lists_every_priority_with_counts(client, world):
    response = client.get("/uppfoljning/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/uppfoljning/innovation-och-naringslivsutveckling/"' in html
    assert 'href="/uppfoljning/tillganglighet-och-infrastruktur/"' in html
    counts = {p.slug: (p.result_count, p.open_count) for p in response.context["priorities"]}
    assert counts["innovation-och-naringslivsutveckling"] == (1, 1)
    assert counts["tillganglighet-och-infrastruktur"] == (0, 0)


def test_priority_page_shows_chains_indicators_gaps_results_lessons_and_open_recommendations(client, world):
    response = client.get("/uppfoljning/innovation-och-naringslivsutveckling/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kedja för innovation" in html
    assert "Opublicerad kedja" not in html
    # The register's values over the years and a result's reported value, as chart and table.
    assert "Andel företag som infört innovationer" in html and "Antal aktiva kluster" in html
    assert html.count('<svg class="indicator-chart"') == 2
    assert '<th scope="row">2022</th>' in html and '<th scope="row">2023</th>' in html
    assert "Målvärde" in html
    assert "Långsiktiga effekter saknar element i kedjan." in html
    assert "Utvärdering av klustren" in html
    assert "Kluster behöver processledare." in html
    assert "Ge klustren processledare." in html
    assert "Mät effekterna senare." not in html  # done: not open
    assert "HEMLIG" not in html


def test_priority_without_content_says_so(client, world):
    html = client.get("/uppfoljning/tillganglighet-och-infrastruktur/").content.decode()
    assert "Inga resultat är publicerade för prioriteringen ännu." in html
    assert "Inga rekommendationer är planerade eller pågår för prioriteringen." in html


def test_a_chain_chosen_for_the_priority_shows_before_any_result_has_evaluated_it(client, world):
    pages_chains = ChainIndexPage.objects.get()
    planned = chain_page(pages_chains, "Kedja för tillgänglighet")
    planned.priorities.set([world["other"]])
    publish(planned)
    hidden = chain_page(pages_chains, "Dold kedja för tillgänglighet", live=False)
    hidden.priorities.set([world["other"]])
    hidden.save_revision()
    html = client.get("/uppfoljning/tillganglighet-och-infrastruktur/").content.decode()
    assert "Kedja för tillgänglighet" in html
    assert "Dold kedja" not in html
    assert "Inga resultat är publicerade för prioriteringen ännu." in html


@pytest.mark.parametrize("path", ["okand-prioritering/", "okand/sammanfattning/", "okand/sammanfattning.pdf"])
def test_unknown_priority_is_a_swedish_404(client, world, path):
    response = client.get(f"/uppfoljning/{path}")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_summary_is_printable_and_a_pdf(client, world):
    summary = client.get("/uppfoljning/innovation-och-naringslivsutveckling/sammanfattning/")
    assert summary.status_code == 200
    html = summary.content.decode()
    assert "Indikatorer: senaste värde mot mål" in html and "Ge klustren processledare." in html
    assert "HEMLIG" not in html
    pdf = client.get("/uppfoljning/innovation-och-naringslivsutveckling/sammanfattning.pdf")
    if pdf.status_code == 503:
        pytest.skip("WeasyPrint kan inte göra PDF på den här maskinen")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Innovation och näringslivsutveckling" in text
    assert "HEMLIG" not in text


def _summary_cells(client) -> dict[str, list[str]]:
    """The innovation priority's summary table: indicator → its cells (year, value, target, reached)."""
    from bs4 import BeautifulSoup  # noqa: PLC0415

    summary = client.get("/uppfoljning/innovation-och-naringslivsutveckling/sammanfattning/")
    rows = BeautifulSoup(summary.content, "html.parser").select(".followup-summary__table tbody tr")
    return {
        " ".join(row.th.get_text(" ").split()): [" ".join(td.get_text(" ").split()) for td in row.select("td")]
        for row in rows
    }


def test_against_the_target_uses_the_latest_year_with_a_value(client, world):
    from larande.models import Indicator, IndicatorValue  # noqa: PLC0415

    measured = Indicator.objects.get(name="Andel företag som infört innovationer")
    # A target set for a year that has no value yet, and a later year with neither.
    IndicatorValue.objects.create(indicator=measured, year=2024, value=None, target=35)
    IndicatorValue.objects.create(indicator=measured, year=2025, value=None, target=None)

    cells = _summary_cells(client)
    # 2023's value 27,5 against 2023's target 30: not reached (not "Kan inte bedömas" for 2025 or 2024).
    assert cells["Andel företag som infört innovationer (antal)"] == ["2023", "27,50", "30", "Nej"]
    assert cells["Antal aktiva kluster (antal)"] == ["2023", "7", "8", "Nej"]


def test_a_reported_value_fills_a_register_year_that_has_only_a_target(client, world):
    from larande.models import Indicator, IndicatorValue  # noqa: PLC0415

    # The result reported 7 (target 8) for 2023; the register holds only its own target for 2023.
    clusters = Indicator.objects.get(name="Antal aktiva kluster")
    IndicatorValue.objects.create(indicator=clusters, year=2023, value=None, target=6)

    cells = _summary_cells(client)
    # The reported value, held against the register's target.
    assert cells["Antal aktiva kluster (antal)"] == ["2023", "7", "6", "Ja"]


def test_followup_pages_are_in_the_sitemap_and_navigation(client, world):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/uppfoljning/</loc>" in sitemap
    assert "/uppfoljning/innovation-och-naringslivsutveckling/</loc>" in sitemap
    assert 'href="/uppfoljning/"' in client.get("/").content.decode()


def test_a_private_result_never_counts(client, world):
    result = EvaluationResultPage.objects.get(pk=world["result"].pk)
    result.unpublish()
    html = client.get("/uppfoljning/innovation-och-naringslivsutveckling/").content.decode()
    assert "Utvärdering av klustren" not in html
    assert "Ge klustren processledare." not in html


def test_the_page_cache_forgets_the_followup_when_content_changes(client, world, settings):
    from django.core.cache import cache  # noqa: PLC0415

    cache.clear()
    settings.PAGE_CACHE_ENABLED = True
    urls = [
        "/uppfoljning/",
        "/uppfoljning/innovation-och-naringslivsutveckling/",
        "/uppfoljning/innovation-och-naringslivsutveckling/sammanfattning/",
    ]
    for url in urls:
        assert "Utvärdering av klustren" in client.get(url).content.decode() or url == "/uppfoljning/"
        assert client.get(url)["Cache-Control"].startswith("public"), url
    assert client.get("/uppfoljning/").context is None  # served from the page cache
    EvaluationResultPage.objects.get(pk=world["result"].pk).unpublish()
    for url in urls[1:]:
        html = client.get(url).content.decode()
        assert "Utvärdering av klustren" not in html and "Ge klustren processledare." not in html, url
    assert "0 publicerade resultat" in client.get("/uppfoljning/").content.decode()


def test_a_change_of_only_a_chains_priorities_shows_on_the_cached_followup(client, world, settings):
    from django.core.cache import cache  # noqa: PLC0415

    from larande.models import EffectChainPage  # noqa: PLC0415

    cache.clear()
    settings.PAGE_CACHE_ENABLED = True
    url = "/uppfoljning/tillganglighet-och-infrastruktur/"
    client.get(url)
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit"
    assert "Kedja för innovation" not in cached.content.decode()
    chain = EffectChainPage.objects.get(title="Kedja för innovation")

    # Only the relation changes, from the priority's side: no page is saved.
    world["other"].chains.add(chain)
    assert "Kedja för innovation" in client.get(url).content.decode()
    # And from the chain's side, saving nothing but the relation.
    chain.priorities.set([])
    chain.save(update_fields=["priorities"])
    assert "Kedja för innovation" not in client.get(url).content.decode()


def test_building_the_followup_takes_as_many_queries_however_much_content(world):
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    from larande.evaluation.followup import priority_followup  # noqa: PLC0415

    priority = world["innovation"]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            priority_followup(priority)
        return len(queries)

    before = count()
    parent = world["result"].get_parent()
    chain = world["result"].chains.first()
    for i in range(4):
        more = result_page(
            parent,
            f"Fler resultat {i}",
            lessons=[f"Lärdom {i}"],
            values=[(IndicatorFactory(name=f"Indikator {i}", values={2020 + i: (i, i + 1)}), 2024, i, i + 1)],
            recommendations=[Recommendation(text=f"Rekommendation {i}", status="planned")],
            live=False,
        )
        more.priorities.set([priority])
        more.chains.set([chain])
        publish(more)
    assert count() == before
    assert len(priority_followup(priority).open_recommendations) == 5
