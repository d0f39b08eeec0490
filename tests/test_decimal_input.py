"""Decimal numbers as Swedish editors type them (issue 14, point 2): "23,5" is 23.5, never 235.

The admin's decimal fields are text inputs with a numeric keyboard (`inputmode="decimal"`), not
number inputs (Chromium drops a decimal comma in those without a word); they read a decimal comma
or point and digits grouped with spaces, refuse anything else in Swedish at the field, and show
saved values with a decimal comma.
"""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from core.decimals import INVALID_MESSAGE, SwedishDecimalField, SwedishFloatField, format_decimal, parse_decimal
from larande.models import Indicator, IndicatorValue, ReportedIndicatorValue
from tests.admin_forms import all_error_messages, field_errors, form_data, indicator_form_data, merged, shows


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("23,5", "23.5"),
        ("23.5", "23.5"),
        (" 23,5 ", "23.5"),
        ("0,25", "0.25"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),  # no-break space
        ("1\u202f234\u202f567,25", "1234567.25"),  # narrow no-break space, as Swedish number formats use
        ("1\u2009234", "1234"),  # thin space
        ("1234,5", "1234.5"),
        ("-3,5", "-3.5"),
        ("\u22123,5", "-3.5"),  # the minus sign
        ("+7", "7"),
        ("120", "120"),
    ],
)
def test_swedish_and_plain_decimals_are_read_as_the_same_number(text, number):
    assert parse_decimal(text) == Decimal(number)


@pytest.mark.parametrize(
    "text",
    ["23,5,1", "1.234,5", "1,234.5", "abc", "1e5", "12 34", "1 2345", "23,", ",5", "- 3", "", "23,5 %", "٣"],
)
def test_anything_else_is_refused_not_read_as_another_number(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("23.50"), "23,5"),
        (Decimal("1234.00"), "1234"),
        (Decimal("-0.25"), "-0,25"),
        (Decimal("100"), "100"),
        (Decimal("1E+2"), "100"),
        (12.5, "12,5"),
        (None, ""),
        ("23,5,1", "23,5,1"),  # what the editor typed comes back as typed beside the error
    ],
)
def test_values_are_shown_with_a_decimal_comma(value, shown):
    assert format_decimal(value) == shown


def test_the_field_keeps_the_model_fields_digits_and_says_what_is_wrong_in_swedish():
    field = SwedishDecimalField(max_digits=14, decimal_places=2, required=False)
    assert field.clean("23,5") == Decimal("23.5")
    assert field.clean("") is None
    for text, message in [
        ("23,5,1", INVALID_MESSAGE),
        ("1e5", INVALID_MESSAGE),
        ("23,456", "2 decimaler"),  # never rounded to 23,46 without a word
        ("1 234 567 890 123", "12 siffror före"),
    ]:
        with pytest.raises(Exception) as caught:
            field.clean(text)
        assert message in " ".join(caught.value.messages), (text, caught.value.messages)
    assert SwedishFloatField(required=False).clean("1 234,5") == 1234.5


def _input(response, name):
    return BeautifulSoup(response.content.decode(), "lxml").find("input", attrs={"name": name})


# --- the admin's forms ----------------------------------------------------------------------------


def _indicator_url(action, *args):
    return reverse(f"larande_indicator_modeladmin_{action}", args=args)


def _indicator_form(client, address):
    response = client.get(address)
    forms = BeautifulSoup(response.content.decode(), "html.parser").find_all("form")
    index = next(i for i, form in enumerate(forms) if (form.get("method") or "").upper() == "POST")
    return form_data(response, form_id=None, form_index=index)


def test_an_indicator_value_typed_with_a_decimal_comma_is_saved_and_shown_as_typed(admin_client, db):
    create = _indicator_url("create")
    blank = admin_client.get(create)
    value_input = _input(blank, "values-__prefix__-value")
    assert value_input["type"] == "text" and value_input["inputmode"] == "decimal"

    data = indicator_form_data(
        [{"year": "2022", "value": "23,5", "target": "1\u00a0234,5"}, {"year": "2023", "value": "23.5", "target": ""}]
    )
    response = admin_client.post(create, merged(_indicator_form(admin_client, create), data))
    assert response.status_code == 302, all_error_messages(response)
    indicator = Indicator.objects.get()
    assert [(v.year, v.value, v.target) for v in indicator.values.all()] == [
        (2022, Decimal("23.5"), Decimal("1234.5")),
        (2023, Decimal("23.5"), None),
    ]

    edit = admin_client.get(_indicator_url("edit", indicator.pk))
    assert _input(edit, "values-0-value")["value"] == "23,5"
    assert _input(edit, "values-0-target")["value"] == "1234,5"


@pytest.mark.parametrize("typed", ["23,5,1", "abc", "1e5", "1.234,5"])
def test_an_indicator_value_that_is_not_one_number_is_refused_at_the_field(admin_client, db, typed):
    create = _indicator_url("create")
    data = indicator_form_data([{"year": "2022", "value": typed, "target": ""}])
    response = admin_client.post(create, merged(_indicator_form(admin_client, create), data))
    assert response.status_code == 200
    assert shows(field_errors(response, "values-0-value"), INVALID_MESSAGE)
    assert _input(response, "values-0-value")["value"] == typed, "what the editor typed is shown back unchanged"
    assert not IndicatorValue.objects.exists()


def test_a_reported_value_in_a_result_reads_a_decimal_comma(admin_client, home):
    from larande.models import EvaluationResultPage, ResultIndexPage
    from tests.admin_forms import add_url, edit_url

    results = ResultIndexPage(title="Resultat", slug="resultat")
    home.add_child(instance=results)
    indicator = Indicator.objects.create(name="Antal", definition="Antal.", unit="antal", chain_level="E")
    blank = admin_client.get(add_url(results, EvaluationResultPage))
    assert _input(blank, "indicator_values-__prefix__-value")["inputmode"] == "decimal"
    data = merged(
        form_data(blank),
        {
            "title": "Kompetenslyftet 2024",
            "slug": "kompetenslyftet-2024",
            "intro": "Ingress.",
            "evaluated": "Kompetenslyftets första två år.",
            "period_start": "2022-01-01",
            "period_end": "2023-12-31",
            "evaluator": "Regionens analysenhet",
            "key_findings": "Deltagarna fick ny kunskap.",
            "published_on": "2024-03-01",
        },
        nested_form_data(
            {"indicator_values": inline_formset([{"indicator": indicator.pk, "year": "2023", "value": "23,5"}])}
        ),
    )
    response = admin_client.post(add_url(results, EvaluationResultPage), data)
    assert response.status_code == 302, all_error_messages(response)
    assert [v.value for v in ReportedIndicatorValue.objects.all()] == [Decimal("23.5")]
    page = EvaluationResultPage.objects.get()
    assert _input(admin_client.get(edit_url(page)), "indicator_values-0-value")["value"] == "23,5"
