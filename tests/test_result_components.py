"""Result page components: indicator charts (accessible SVG with the data table beside it), share
metadata (Open Graph, Twitter card, canonical URL, schema.org JSON-LD) and "Så citerar du"."""

import datetime
import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from core.svg import format_number
from larande.evaluation.charts import build_chart
from larande.models import EvaluationResultPage
from portal.visibility import request_private_q
from tests.browser import axe_violations, browser_test, chromium_browser, new_page
from tests.factories import RegionFactory
from tests.publishing_support import indicator, result_page, sections, start_page


def build_world():
    """A published result with values of two indicators, a region and a tag, built once for the
    module (tests/conftest.py: `world`)."""
    pages = sections(start_page())
    clusters = indicator(name="Antal aktiva klusterinitiativ", unit="antal", chain_level="E", source="Exempeldata")
    share = indicator(name="Andel företag som infört innovationer", unit="procent", chain_level="C")
    page = result_page(
        pages["results"],
        "Utvärdering av klustren 2021–2023",
        values=[
            (clusters, 2021, 4, 6),
            (clusters, 2022, 5, 6),
            (clusters, 2023, 7, 7),
            (share, 2022, "21.5", None),
            (share, 2023, 24, 25),
        ],
        evaluator="Exempelutvärderarna AB",
        key_findings="Klustren är aktiva, men få samarbeten har lett till nya produkter.",
        published_on=datetime.date(2024, 4, 15),
    )
    page.regions.set([RegionFactory(name="Region Västerbotten")])
    page.tags.add("kluster")
    page.save_revision().publish()
    return page


@pytest.fixture
def result(world):
    """The module's result, read fresh from the database for each test."""
    return world


def _request(path="/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def render(template: str, page, request=None) -> BeautifulSoup:
    html = Template("{% load result_tags %}" + template).render(
        Context({"request": request or _request(), "page": page})
    )
    return BeautifulSoup(html, "html.parser")


# --- Indicator charts ----------------------------------------------------------------------------


def test_one_chart_and_table_per_indicator_in_name_order(result):
    soup = render("{% indicator_charts page %}", result)
    assert soup.h2.get_text(strip=True) == "Indikatorer"
    assert [h3.get_text(strip=True) for h3 in soup.find_all("h3")] == [
        "Andel företag som infört innovationer",
        "Antal aktiva klusterinitiativ",
    ]
    assert len(soup.find_all("svg")) == 2 and len(soup.find_all("table")) == 2
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), "id:n upprepas"
    assert not soup.find("script")


def test_chart_is_an_image_with_a_title_and_a_description_in_words(result):
    soup = render("{% indicator_charts page %}", result)
    svg = soup.find_all("svg")[1]
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    assert svg.find(id=title_id).name == "title"
    assert svg.find(id=title_id).get_text() == "Antal aktiva klusterinitiativ (antal): värde per år och målvärde"
    description = svg.find(id=desc_id).get_text()
    assert "2021–2023" in description
    assert "Värdet var 4 år 2021 och 7 år 2023." in description
    assert "Målvärdet för 2023 var 7." in description
    legend = [text.get_text() for text in svg.select(".indicator-chart__legend text")]
    assert legend == ["Värde", "Målvärde"], "förklaringen ska skrivas ut, inte bara visas med färg"
    assert "8 5" in svg.find("path", class_="indicator-chart__target")["stroke-dasharray"]


def test_every_value_is_written_in_the_chart_and_in_the_table(result):
    soup = render("{% indicator_charts page %}", result)
    section = soup.find("section", id=lambda value: value and value.startswith("indikator-"))
    svg_texts = [text.get_text() for text in section.svg.find_all("text")]
    assert "21,5" in svg_texts and "24" in svg_texts and "25" in svg_texts
    table = section.table
    assert table.caption.get_text(strip=True) == (
        "Andel företag som infört innovationer: värde och målvärde per år (procent)"
    )
    assert [th["scope"] for th in table.thead.find_all("th")] == ["col", "col", "col"]
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])] for row in table.tbody.find_all("tr")
    ]
    assert rows == [["2022", "21,5", "Inget målvärde –"], ["2023", "24", "25"]]
    assert all(row.th["scope"] == "row" for row in table.tbody.find_all("tr"))


def test_charts_render_nothing_without_values_and_take_one_query(result, django_assert_num_queries):
    request = _request()
    request_private_q(request)  # as every page has, through the navigation
    with django_assert_num_queries(1):
        soup = render("{% indicator_charts page %}", result, request)
    assert soup.svg
    # Drawn once per content version: the next visitor's request reads nothing.
    with django_assert_num_queries(0):
        assert str(render("{% indicator_charts page %}", result)) == str(soup)
    empty = result_page(result.get_parent(), "Resultat utan indikatorer")
    assert render("{% indicator_charts page %}", empty).get_text(strip=True) == ""


class _Value:
    def __init__(self, year, value, target=None):
        self.year, self.value, self.target = year, Decimal(str(value)), None if target is None else Decimal(str(target))


class _Indicator:
    pk, name, unit = 1, "Testindikator", "antal"


def test_chart_geometry_puts_higher_values_higher_and_keeps_year_gaps():
    chart = build_chart(_Indicator(), [_Value(2023, 30, 40), _Value(2020, 10), _Value(2021, 20, 40)])
    rows = {row.year: row for row in chart.rows}
    assert [row.year for row in chart.rows] == [2020, 2021, 2023]
    assert rows[2020].value_y > rows[2021].value_y > rows[2023].value_y
    assert rows[2021].target_y == rows[2023].target_y < rows[2023].value_y
    assert rows[2021].x - rows[2020].x == pytest.approx((rows[2023].x - rows[2021].x) / 2)
    assert chart.target_path.startswith("M") and chart.target_path.count("M") == 1
    assert chart.plot_top <= min(row.value_y for row in chart.rows) and rows[2020].value_y <= chart.plot_bottom
    assert chart.y_ticks[0][1] == "0"


def test_chart_handles_one_year_negative_values_and_no_targets():
    single = build_chart(_Indicator(), [_Value(2024, 5)])
    assert single.value_path.startswith("M") and "L" not in single.value_path
    assert not single.has_targets and single.target_path == ""
    assert "Inget målvärde är angivet." in single.description
    negative = build_chart(_Indicator(), [_Value(2022, -3), _Value(2023, 2)])
    labels = [label for _, label in negative.y_ticks]
    assert labels[0].startswith("-") and "0" in labels


def test_numbers_are_written_the_swedish_way():
    assert format_number(Decimal("7.50")) == "7,5"
    assert format_number(Decimal("8.00")) == "8"
    assert format_number(Decimal("1234.5")).replace("\xa0", " ") == "1 234,5"
    assert format_number(None) == ""


# --- Share metadata ------------------------------------------------------------------------------


def test_share_metadata_has_open_graph_twitter_and_canonical(result):
    soup = render("{% share_meta page %}", result)
    meta = {tag.get("property") or tag.get("name"): tag["content"] for tag in soup.find_all("meta")}
    canonical = soup.find("link", rel="canonical")["href"]
    # On the address the page was asked on (portal/origin.py), not the Site record's localhost.
    assert canonical == f"http://testserver{result.url}"
    assert meta["og:title"] == meta["twitter:title"] == "Utvärdering av klustren 2021–2023"
    assert meta["og:description"] == "Klustren är aktiva, men få samarbeten har lett till nya produkter."
    assert meta["og:url"] == canonical
    assert meta["og:type"] == "article" and meta["og:locale"] == "sv_SE"
    assert meta["twitter:card"] == "summary"
    assert meta["article:published_time"] == "2024-04-15"
    assert meta["article:tag"] == "kluster"


def _json_ld(soup):
    script = soup.find("script", type="application/ld+json")
    assert script is not None
    return json.loads(script.string)


def test_json_ld_describes_the_report_and_a_dataset_per_indicator(client, result):
    data = _json_ld(render("{% share_meta page %}", result))
    assert data["@context"] == "https://schema.org"
    report, *datasets = data["@graph"]
    assert report["@type"] == "Report"
    assert report["name"] == "Utvärdering av klustren 2021–2023"
    assert report["datePublished"] == "2024-04-15"
    assert report["author"] == {"@type": "Organization", "name": "Exempelutvärderarna AB"}
    assert report["spatialCoverage"] == [{"@type": "AdministrativeArea", "name": "Region Västerbotten"}]
    assert report["temporalCoverage"] == "2021-01-01/2023-12-31"
    assert report["creativeWorkStatus"] == "Fiktivt exempel"
    assert [d["name"] for d in datasets] == [
        "Andel företag som infört innovationer – Utvärdering av klustren 2021–2023",
        "Antal aktiva klusterinitiativ – Utvärdering av klustren 2021–2023",
    ]
    assert all(d["@type"] == "Dataset" and d["isPartOf"] == {"@id": report["@id"]} for d in datasets)
    assert datasets[1]["temporalCoverage"] == "2021/2023"
    assert datasets[1]["variableMeasured"]["unitText"] == "antal"
    for download in datasets[0]["distribution"]:
        assert client.get(download["contentUrl"].removeprefix("http://testserver")).status_code == 200


def test_json_ld_cannot_close_its_script_element(result):
    result.title = "Resultat </script><script>alert('x')</script> & mer"
    result.save_revision().publish()
    page = EvaluationResultPage.objects.get(pk=result.pk)
    html = str(render("{% share_meta page %}", page))
    assert "</script><script>" not in html
    assert "\\u003C/script\\u003E" in html
    assert _json_ld(BeautifulSoup(html, "html.parser"))["@graph"][0]["name"] == page.title


def test_share_metadata_is_left_out_of_previews_and_hidden_pages(result):
    preview = _request()
    preview.is_preview = True
    assert render("{% share_meta page %}", result, preview).get_text(strip=True) == ""
    assert not render("{% share_meta page %}", result, preview).find("meta")
    draft = result_page(result.get_parent(), "Utkast till resultat", live=False)
    assert not render("{% share_meta page %}", draft).find("meta")


def test_share_metadata_queries_are_bounded(result, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        render("{% share_meta page %}", result)


# --- Citation ------------------------------------------------------------------------------------


def test_citation_names_author_year_title_and_a_permalink_that_works(client, result):
    soup = render("{% citation page %}", result, _request(result.url))
    assert soup.h2.get_text(strip=True) == "Så citerar du"
    text = soup.find(class_="citation__text").get_text(" ", strip=True)
    assert text.startswith("Exempelutvärderarna AB (2024). Utvärdering av klustren 2021–2023 .")
    assert "Publicerad 15 april 2024" in text
    permalink = soup.find(class_="citation__permalink").a["href"]
    assert permalink == f"http://testserver/permalank/{result.pk}/"
    response = client.get(permalink.removeprefix("http://testserver"))
    assert response.status_code == 302 and response["Location"] == result.url
    assert soup.find("cite").get_text() == result.title


# --- Accessibility -------------------------------------------------------------------------------


def _result_page_with_components(client, page) -> str:
    """The real result page with the components in place, as the result template will have them:
    share metadata in <head>, the charts instead of the plain indicator table, the citation last."""
    soup = BeautifulSoup(client.get(page.url).content.decode(), "html.parser")
    request = _request(page.url)
    soup.head.append(render("{% share_meta page %}", page, request))
    charts = render("{% indicator_charts page %}", page, request)
    old = soup.find("section", attrs={"aria-labelledby": "indikatorer-rubrik"})
    if old is not None:
        old.replace_with(charts)
    else:
        soup.main.append(charts)
    soup.main.append(render("{% citation page %}", page, request))
    return str(soup)


@browser_test
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_result_page_with_charts_has_no_axe_violations(live_server, client, home):
    # Serialized rollback: the live server needs committed data, and the flush after this test
    # must leave Wagtail's root page and the roles from the migrations for the tests after it.
    pages = sections(home)
    ind = indicator(name="Antal aktiva klusterinitiativ")
    page = result_page(pages["results"], "Resultat med diagram", values=[(ind, 2021, 4, 6), (ind, 2023, 7, 7)])
    html = _result_page_with_components(client, page)
    assert "indicator-chart" in html and "Så citerar du" in html
    problems = {}
    with chromium_browser() as chromium:
        for width in (1280, 320):
            browser_page = new_page(chromium, width=width)
            url = live_server.url + "/komponenttest/"
            browser_page.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
            browser_page.goto(url)
            found = axe_violations(browser_page)
            if found:
                problems[width] = found
    assert not problems, problems
