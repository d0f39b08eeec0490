"""Open data: every dataset as CSV (UTF-8 with BOM, Swedish headings, Swedish characters intact)
and JSON, a description page listing them, and Swedish 4xx answers for bad addresses."""

import csv
import datetime
import io
import json

import pytest
from bs4 import BeautifulSoup

from larande.models import Recommendation
from larande.publishing.opendata import DATASETS
from tests.factories import ConceptPageFactory, EvaluationQuestionFactory, IndicatorFactory, RegionFactory
from tests.publishing_support import chain_page, indicator, result_page, sections

pytestmark = pytest.mark.django_db


def build_site():
    """The module's world, built once for it by the `site` fixture (tests/conftest.py)."""
    pages = sections()
    ind = indicator(name="Andel företag som infört innovationer", unit="procent", chain_level="C")
    IndicatorFactory(name="Indikator utan värden", values=None)
    IndicatorFactory(name="Antal nätverksträffar", values={2022: (4, 5), 2023: (7.5, None)})
    chain = chain_page(pages["chains"], "Kedja för Östra Småland")
    hidden_chain = chain_page(pages["chains"], "Utkast till kedja", live=False)
    result = result_page(
        pages["results"],
        "Utvärdering av klustren i Västerbotten",
        lessons=["Åtgärder för jämställdhet måste följas upp år för år."],
        values=[(ind, 2022, 21, 25), (ind, 2023, "24.5", None)],
        chains=[chain, hidden_chain],
        key_findings="Klustren är aktiva, men få samarbeten har lett till nya produkter.",
        published_on=datetime.date(2024, 4, 15),
        recommendations=[Recommendation(text="=Mät effekterna senare.", status="done", chain_level="C")],
    )
    result.regions.set([RegionFactory(name="Region Västerbotten"), RegionFactory(name="Region Jämtland Härjedalen")])
    result.tags.add("kluster", "innovation")
    result.save_revision().publish()
    formula = result_page(pages["results"], '=HYPERLINK("http://example.com")', published_on=datetime.date(2023, 1, 1))
    EvaluationQuestionFactory(
        text="Leder nätverken till ökad kunskap?", chains=[chain, hidden_chain], indicators=[ind], tags=["nätverk"]
    )
    # Every dataset has rows, the concepts (begrepp) included; tests/test_glossary_exports.py tests them in depth.
    ConceptPageFactory(parent=pages["glossary"], title="Utfall", chain_level="D", publish=True)
    return {"result": result, "formula": formula, "chain": chain}


def _csv(client, name):
    response = client.get(f"/oppna-data/{name}.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="larportalen-{name}.csv"'
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV-filen saknar BOM"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    return rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _json(client, name):
    response = client.get(f"/oppna-data/{name}.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content.decode("utf-8"))


@pytest.mark.parametrize("name", list(DATASETS))
def test_csv_has_the_swedish_headings_and_json_the_same_columns(client, site, name):
    dataset = DATASETS[name]
    headings, rows = _csv(client, name)
    assert headings == [column.heading for column in dataset.columns]
    assert rows, f"{name}.csv är tom"
    document = _json(client, name)
    assert [column["namn"] for column in document["kolumner"]] == [column.key for column in dataset.columns]
    assert [column["rubrik_i_csv"] for column in document["kolumner"]] == headings
    assert document["antal_rader"] == len(rows) == len(document["rader"])
    assert document["licens"]["url"].startswith("https://creativecommons.org/")


def test_results_csv_opens_with_the_right_columns_and_swedish_characters(client, site):
    headings, rows = _csv(client, "resultat")
    assert headings[:5] == ["Id", "Titel", "Adress", "Permanent länk", "Publiceringsdatum"]
    row = next(r for r in rows if r["Titel"] == "Utvärdering av klustren i Västerbotten")
    assert row["Publiceringsdatum"] == "2024-04-15"
    assert row["Regioner"] == "Region Jämtland Härjedalen; Region Västerbotten"
    assert row["Taggar"] == "innovation; kluster"
    assert row["Effektkedjor"] == "Kedja för Östra Småland"
    assert row["Fiktivt exempel"] == "ja"
    assert row["Viktigaste slutsatserna"] == "Klustren är aktiva, men få samarbeten har lett till nya produkter."
    assert row["Adress"].endswith("/resultat/utvardering-av-klustren-i-vasterbotten/")
    assert row["Permanent länk"] == f"http://testserver/permalank/{site['result'].pk}/"
    assert client.get(row["Permanent länk"].removeprefix("http://testserver")).status_code == 302


def test_a_cell_that_looks_like_a_formula_is_defused(client, site):
    _, rows = _csv(client, "resultat")
    titles = [row["Titel"] for row in rows]
    assert '\'=HYPERLINK("http://example.com")' in titles
    data = _json(client, "resultat")
    assert '=HYPERLINK("http://example.com")' in [row["titel"] for row in data["rader"]]


def test_indicator_values_are_plain_numbers(client, site):
    _, rows = _csv(client, "indikatorer")
    by_year = {(r["Indikator"], r["År"]): (r["Värde"], r["Målvärde"]) for r in rows}
    assert by_year[("Antal nätverksträffar", "2022")] == ("4", "5")
    assert by_year[("Antal nätverksträffar", "2023")] == ("7.5", "")
    assert by_year[("Indikator utan värden", "")] == ("", "")
    data = _json(client, "indikatorer")
    values = {(r["indikator"], r["ar"]): (r["varde"], r["malvarde"]) for r in data["rader"]}
    assert values[("Antal nätverksträffar", 2023)] == (7.5, None)
    assert values[("Antal nätverksträffar", 2022)] == (4, 5)

    _, reported = _csv(client, "indikatorvarden")
    assert [(r["År"], r["Värde"], r["Målvärde"]) for r in reported] == [("2022", "21", "25"), ("2023", "24.5", "")]
    assert {r["Enhet"] for r in reported} == {"procent"}


def test_lessons_and_questions_name_only_public_pages(client, site):
    _, lessons = _csv(client, "lardomar")
    assert [(r["Lärdom"], r["Nivå"], r["Nivåns namn"]) for r in lessons] == [
        ("Åtgärder för jämställdhet måste följas upp år för år.", "D", "Utfall")
    ]
    assert lessons[0]["Adress"].endswith(f"#lardom-{site['result'].lessons.get().pk}")
    _, questions = _csv(client, "utvarderingsfragor")
    question = next(q for q in questions if q["Fråga"] == "Leder nätverken till ökad kunskap?")
    assert question["Effektkedjor"] == "Kedja för Östra Småland"
    assert question["Typens namn"] == "Summerande" and question["Nivå"] == "D"
    assert question["Indikatorer"] == "Andel företag som infört innovationer"


def test_json_keeps_lists_and_booleans(client, site):
    data = _json(client, "resultat")
    row = next(r for r in data["rader"] if r["titel"] == "Utvärdering av klustren i Västerbotten")
    assert row["regioner"] == ["Region Jämtland Härjedalen", "Region Västerbotten"]
    assert row["fiktivt_exempel"] is True
    assert row["publiceringsdatum"] == "2024-04-15"


def test_description_page_lists_every_dataset_its_columns_and_licence(client, site, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/oppna-data/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text(strip=True) == "Öppna data"
    assert "CC0" in soup.get_text()
    links = {a["href"] for a in soup.find_all("a", href=True)}
    for name, dataset in DATASETS.items():
        assert f"/oppna-data/{name}.csv" in links and f"/oppna-data/{name}.json" in links
        table = soup.find(id=f"datamangd-{name}").find_parent("section").table
        assert table.caption.get_text(strip=True) == f"Kolumner i {dataset.title.lower()}"
        headings = [th.get_text(strip=True) for th in table.select("tbody th[scope=row]")]
        assert headings == [column.heading for column in dataset.columns]
    for href in ("/resultat/rss/", "/lardomar/atom/", "/api/v2/"):
        assert href in links


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/oppna-data/finns-inte.csv", 404, "Det finns ingen datamängd som heter ”finns-inte”"),
        ("/oppna-data/resultat.xlsx", 404, "Formatet ”xlsx” finns inte"),
        ("/oppna-data/resultat", 404, "Ange formatet i adressen"),
        ("/oppna-data/resultat.csv?ar=2024", 400, "Filerna tar inga parametrar"),
        ("/oppna-data/lardomar.json?limit=100000&offset=-1", 400, "”limit”, ”offset”"),
        ("/oppna-data/..%2F..%2Fsettings.py", 404, "Sidan finns inte"),
        ("/oppna-data/" + "x" * 5000 + ".csv", 404, "Det finns ingen datamängd"),
    ],
)
def test_bad_addresses_get_a_swedish_message_not_an_error(client, site, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assert message in response.content.decode("utf-8")


def test_downloads_are_read_only(client, site):
    assert client.post("/oppna-data/resultat.csv").status_code == 405
    assert client.head("/oppna-data/resultat.csv").status_code == 200


@pytest.mark.parametrize("name", list(DATASETS))
def test_each_download_takes_a_fixed_number_of_queries(client, site, name, django_assert_max_num_queries):
    client.get("/")  # warm up: after the per-test cache reset, a first request looks up the next scheduled change
    with django_assert_max_num_queries(8):
        client.get(f"/oppna-data/{name}.csv")
    for n in range(4):
        result_page(site["result"].get_parent(), f"Fler resultat {n}", lessons=[f"Lärdom {n}", f"Till {n}"])
    with django_assert_max_num_queries(8):
        client.get(f"/oppna-data/{name}.json")


def test_recommendations_carry_status_history_and_are_formula_safe(client, site):
    _, rows = _csv(client, "rekommendationer")
    assert [(r["Rekommendation"], r["Status"], r["Nivå"]) for r in rows] == [
        ("'=Mät effekterna senare.", "genomford", "C")
    ]
    assert rows[0]["Statushistorik"].endswith("Genomförd")
    assert rows[0]["Regioner"] == "Region Jämtland Härjedalen; Region Västerbotten"
