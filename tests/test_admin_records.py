"""The framework's records in the Swedish admin (wagtail-modeladmin): the menu, create and edit
through the real forms, Swedish messages next to the field with nothing saved, and the Begrepp
listing's filters and search."""

import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from taggit.models import Tag
from wagtail.test.utils.form_data import nested_form_data

from larande.models import (
    ChainIndexPage,
    ConceptPage,
    ConceptStatus,
    EffectChainPage,
    EvaluationQuestion,
    GlossaryIndexPage,
    Indicator,
    IndicatorValue,
    QuestionKind,
    Region,
    RusPriority,
)
from tests.admin_forms import (
    INVALID_CHOICE,
    REQUIRED,
    WHOLE_NUMBER,
    all_error_messages,
    field_errors,
    form_data,
    indicator_form_data,
    merged,
    shows,
    status_messages,
)


def url(model, action, *args):
    """A modeladmin view's address, e.g. url(Region, "edit", region.pk)."""
    return reverse(f"larande_{model._meta.model_name}_modeladmin_{action}", args=args)


def _record_form(client, address):
    response = client.get(address)
    assert response.status_code == 200
    return form_data(response, form_id=None, form_index=_post_form_index(response))


def _post_form_index(response):
    forms = BeautifulSoup(response.content.decode(), "html.parser").find_all("form")
    return next(i for i, form in enumerate(forms) if (form.get("method") or "").upper() == "POST")


def _assert_rejected(response, model, count_before, field, message):
    assert response.status_code == 200, "an invalid form must be shown again, not saved"
    errors = field_errors(response, field)
    assert shows(errors, message), (field, errors, all_error_messages(response))
    assert model.objects.count() == count_before
    assert any("kunde inte" in text for text in status_messages(response)), status_messages(response)


def _listed(response) -> list[str]:
    """The first column of the listing's rows, as the editor reads them."""
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [title.get_text(" ", strip=True) for title in soup.select("table.listing tbody tr .title-wrapper")]


def _filter_link(response, text) -> str:
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    links = [a["href"] for a in soup.select("a[href^='?']") if a.get_text(" ", strip=True) == text]
    assert links, f"no filter link {text!r}"
    return links[0]


# --- the admin in Swedish, and its menu ------------------------------------------------------


def test_admin_login_is_in_swedish(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Logga in" in html and 'lang="sv"' in html


def test_admin_menu_has_the_framework_group_in_swedish(admin_client, home):
    response = admin_client.get("/admin/")
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    props = json.loads(soup.find("script", id="wagtail-sidebar-props").string)
    menu = json.dumps(props, ensure_ascii=False)
    assert '"label": "Ramverket"' in menu
    items = {}
    for label, address in [
        ("Begrepp", "/admin/larande/conceptpage/"),
        ("Utvärderingsfrågor", "/admin/larande/evaluationquestion/"),
        ("Indikatorer", "/admin/larande/indicator/"),
        ("Regioner", "/admin/larande/region/"),
        ("RUS-prioriteringar", "/admin/larande/ruspriority/"),
    ]:
        items[label] = menu.find(f'"label": "{label}"')
        assert items[label] > menu.find('"label": "Ramverket"'), label
        assert f'"url": "{address}"' in menu
    for address in ["/admin/larande/evaluationquestion/", "/admin/larande/indicator/", "/admin/larande/region/"]:
        response = admin_client.get(address)
        assert response.status_code == 200
        assert "Lägg till" in response.content.decode()


# --- evaluation questions --------------------------------------------------------------------


@pytest.fixture
def chain(home):
    index = ChainIndexPage(title="Effektkedjor", slug="effektkedjor")
    home.add_child(instance=index)
    page = EffectChainPage(title="Kompetenslyftet", slug="kompetenslyftet", purpose="Visa.")
    index.add_child(instance=page)
    return page


@pytest.fixture
def indicator(db):
    return Indicator.objects.create(name="Antal deltagare", definition="Hur många.", unit="antal", chain_level="E")


def _question_data(chain, indicator, **changes):
    data = {
        "text": "Har deltagarna  fått ny kunskap?",
        "kind": QuestionKind.SUMMATIVE,
        "chain_level": "D",
        "explanation": "Frågan gäller utfallet.",
        "chains": [str(chain.pk)],
        "indicators": [str(indicator.pk)],
        "tags": "kunskap, utfall",
    }
    return merged(data, changes)


def test_editor_creates_and_edits_an_evaluation_question(admin_client, chain, indicator):
    create = url(EvaluationQuestion, "create")
    data = merged(_record_form(admin_client, create), _question_data(chain, indicator))
    response = admin_client.post(create, data)
    assert response.status_code == 302, all_error_messages(response)
    assert response["Location"] == url(EvaluationQuestion, "index")
    question = EvaluationQuestion.objects.get()
    assert question.text == "Har deltagarna fått ny kunskap?"  # spaces tidied
    assert (question.kind, question.chain_level) == (QuestionKind.SUMMATIVE, "D")
    assert list(question.chains.all()) == [chain]
    assert list(question.indicators.all()) == [indicator]
    assert sorted(t.name for t in question.tags.all()) == ["kunskap", "utfall"]

    edit = url(EvaluationQuestion, "edit", question.pk)
    data = merged(_record_form(admin_client, edit), {"kind": QuestionKind.PROCESS, "chain_level": ""})
    response = admin_client.post(edit, data)
    assert response.status_code == 302, all_error_messages(response)
    question.refresh_from_db()
    assert (question.kind, question.chain_level) == (QuestionKind.PROCESS, "")
    assert list(question.chains.all()) == [chain]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"chain_level": ""}, "chain_level", "En summerande fråga måste höra till en nivå: E, D, C eller B."),
        ({"chain_level": "F"}, "chain_level", "Summerande frågor gäller resultat"),
        ({"chain_level": "A"}, "chain_level", "Summerande frågor gäller resultat"),
        ({"text": ""}, "text", REQUIRED),
        ({"kind": "annan"}, "kind", INVALID_CHOICE),
        ({"text": "x" * 501}, "text", "som mest 500 tecken"),
        ({"chains": ["999999"]}, "chains", INVALID_CHOICE),
    ],
    ids=[
        "summative-without-level",
        "summative-on-activities",
        "summative-on-context",
        "no-text",
        "bad-kind",
        "text-too-long",
        "unknown-chain",
    ],
)
def test_invalid_question_is_not_saved_and_the_message_is_at_the_field(
    admin_client, chain, indicator, changes, field, message
):
    create = url(EvaluationQuestion, "create")
    data = merged(_record_form(admin_client, create), _question_data(chain, indicator), changes)
    response = admin_client.post(create, data)
    _assert_rejected(response, EvaluationQuestion, 0, field, message)


def test_question_text_is_unique(admin_client, chain, indicator):
    EvaluationQuestion.objects.create(text="Har deltagarna fått ny kunskap?", kind=QuestionKind.PROCESS)
    create = url(EvaluationQuestion, "create")
    response = admin_client.post(create, merged(_record_form(admin_client, create), _question_data(chain, indicator)))
    _assert_rejected(response, EvaluationQuestion, 1, "text", "finns redan")


def test_question_listing_filters_on_kind_level_and_chain_and_searches(admin_client, chain):
    on_chain = EvaluationQuestion.objects.create(text="Nådde vi målen?", kind=QuestionKind.SUMMATIVE, chain_level="C")
    on_chain.chains.add(chain)
    on_chain.save()
    EvaluationQuestion.objects.create(text="Hur planerades insatsen?", kind=QuestionKind.PROCESS)
    EvaluationQuestion.objects.create(text="Hur många deltog?", kind=QuestionKind.SUMMATIVE, chain_level="E")
    index = url(EvaluationQuestion, "index")
    response = admin_client.get(index)
    assert sorted(_listed(response)) == ["Hur många deltog?", "Hur planerades insatsen?", "Nådde vi målen?"]
    for link_text, expected in [
        ("Processorienterad", ["Hur planerades insatsen?"]),
        ("E – Prestationer", ["Hur många deltog?"]),
        ("Kompetenslyftet", ["Nådde vi målen?"]),
    ]:
        filtered = admin_client.get(index + _filter_link(response, link_text))
        assert filtered.status_code == 200
        assert _listed(filtered) == expected, link_text
    assert _listed(admin_client.get(index, {"q": "planerades"})) == ["Hur planerades insatsen?"]


# --- indicators with values per year ---------------------------------------------------------


VALUES = [{"year": "2022", "value": "12.5", "target": "15"}, {"year": "2023", "value": "14", "target": ""}]


def test_editor_creates_and_edits_an_indicator_with_values_per_year(admin_client, db):
    create = url(Indicator, "create")
    response = admin_client.post(create, merged(_record_form(admin_client, create), indicator_form_data(VALUES)))
    assert response.status_code == 302, all_error_messages(response)
    indicator = Indicator.objects.get()
    assert [(v.year, v.value, v.target) for v in indicator.values.all()] == [
        (2022, Decimal("12.50"), Decimal("15.00")),
        (2023, Decimal("14.00"), None),
    ]

    edit = url(Indicator, "edit", indicator.pk)
    form = _record_form(admin_client, edit)
    assert form["values-TOTAL_FORMS"] == ["2"]
    # Remove 2022, correct 2023, add 2024 and a fresh 2022 row in one go.
    changes = nested_form_data(
        {
            "values-0-DELETE": "on",
            "values-1-value": "16",
            "values-2": {"year": "2024", "value": "", "target": "20", "ORDER": "3", "DELETE": "", "id": ""},
            "values-3": {"year": "2022", "value": "11", "target": "", "ORDER": "4", "DELETE": "", "id": ""},
            "values-TOTAL_FORMS": "4",
        }
    )
    response = admin_client.post(edit, merged(form, changes))
    assert response.status_code == 302, all_error_messages(response)
    assert sorted((v.year, v.value, v.target) for v in IndicatorValue.objects.filter(indicator=indicator)) == [
        (2022, Decimal("11.00"), None),
        (2023, Decimal("16.00"), None),
        (2024, None, Decimal("20.00")),
    ]


@pytest.mark.parametrize(
    ("values", "changes", "field", "message"),
    [
        ([{"year": "1850", "value": "1", "target": ""}], {}, "values-0-year", "Ange ett år mellan 1900 och 2200."),
        ([{"year": "2300", "value": "1", "target": ""}], {}, "values-0-year", "Ange ett år mellan 1900 och 2200."),
        ([{"year": "tjugo", "value": "1", "target": ""}], {}, "values-0-year", WHOLE_NUMBER),
        (
            [{"year": "2023", "value": "", "target": ""}],
            {},
            "values-0-value",
            "Ange ett värde, ett målvärde eller båda.",
        ),
        ([{"year": "2023", "value": "mycket", "target": ""}], {}, "values-0-value", "tal"),
        (
            [*VALUES, {"year": "2023", "value": "3", "target": ""}],
            {},
            "values-2-year",
            "Året 2023 finns redan i listan. Ange varje år en gång.",
        ),
        (VALUES, {"name": ""}, "name", REQUIRED),
        (VALUES, {"chain_level": ""}, "chain_level", REQUIRED),
    ],
    ids=[
        "year-too-early",
        "year-too-late",
        "year-not-a-number",
        "no-value-nor-target",
        "value-not-a-number",
        "same-year-twice",
        "no-name",
        "no-level",
    ],
)
def test_invalid_indicator_is_not_saved_and_the_message_is_at_the_field(
    admin_client, db, values, changes, field, message
):
    create = url(Indicator, "create")
    data = merged(_record_form(admin_client, create), indicator_form_data(values), changes)
    response = admin_client.post(create, data)
    _assert_rejected(response, Indicator, 0, field, message)
    assert not IndicatorValue.objects.exists()


def test_indicator_edit_with_a_repeated_year_keeps_the_saved_values(admin_client, db):
    indicator = Indicator.objects.create(name="Antal", definition="Antal.", unit="antal", chain_level="E")
    IndicatorValue.objects.create(indicator=indicator, year=2023, value=5)
    edit = url(Indicator, "edit", indicator.pk)
    form = _record_form(admin_client, edit)
    extra = nested_form_data(
        {"values-1": {"year": "2023", "value": "7", "target": "", "ORDER": "2", "DELETE": "", "id": ""}}
    )
    response = admin_client.post(edit, merged(form, extra, {"values-TOTAL_FORMS": "2", "values-0-value": "6"}))
    _assert_rejected(response, Indicator, 1, "values-1-year", "Året 2023 finns redan i listan.")
    assert [(v.year, v.value) for v in indicator.values.all()] == [(2023, 5)]


# --- regions and RUS priorities --------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "create_data", "edit_data"),
    [
        (Region, {"name": "Region Skåne", "slug": "skane"}, {"name": "Region Skåne län"}),
        (
            RusPriority,
            {"title": "Kompetensförsörjning", "slug": "kompetens", "description": "Tillgång till kompetens."},
            {"description": "Rätt kompetens i hela regionen."},
        ),
    ],
)
def test_editor_creates_and_edits_regions_and_priorities(admin_client, db, model, create_data, edit_data):
    create = url(model, "create")
    response = admin_client.post(create, merged(_record_form(admin_client, create), create_data))
    assert response.status_code == 302, all_error_messages(response)
    record = model.objects.get()
    assert record.slug == create_data["slug"]

    edit = url(model, "edit", record.pk)
    response = admin_client.post(edit, merged(_record_form(admin_client, edit), edit_data))
    assert response.status_code == 302, all_error_messages(response)
    record.refresh_from_db()
    for field, value in edit_data.items():
        assert getattr(record, field) == value
    listing = admin_client.get(url(model, "index"))
    assert _listed(listing) == [str(record)]


@pytest.mark.parametrize(
    ("model", "existing", "data", "field", "message"),
    [
        (Region, None, {"name": "", "slug": "skane"}, "name", REQUIRED),
        (
            Region,
            {"name": "Region Skåne", "slug": "skane"},
            {"name": "Region Skåne", "slug": "skane-2"},
            "name",
            "finns redan",
        ),
        (Region, {"name": "Region Skåne", "slug": "skane"}, {"name": "Skåne", "slug": "skane"}, "slug", "finns redan"),
        (Region, None, {"name": "Region Skåne", "slug": "skåne län"}, "slug", "giltig"),
        (RusPriority, None, {"title": "", "slug": "x", "description": ""}, "title", REQUIRED),
        (
            RusPriority,
            {"title": "Kompetens", "slug": "kompetens"},
            {"title": "Kompetens", "slug": "kompetens-2", "description": ""},
            "title",
            "finns redan",
        ),
    ],
    ids=[
        "region-no-name",
        "region-same-name",
        "region-same-slug",
        "region-bad-slug",
        "priority-no-title",
        "priority-same-title",
    ],
)
def test_invalid_region_or_priority_is_not_saved(admin_client, db, model, existing, data, field, message):
    if existing:
        model.objects.create(**existing)
    count = model.objects.count()
    create = url(model, "create")
    response = admin_client.post(create, merged(_record_form(admin_client, create), data))
    _assert_rejected(response, model, count, field, message)


# --- Begrepp: the glossary as a filterable list ----------------------------------------------


@pytest.fixture
def glossary(glossary):
    """The glossary (tests/conftest.py) with four concepts: a draft, a deprecated one and two others."""
    index = glossary
    for title, level, status, live in [
        ("Effekt", "C", ConceptStatus.RECOMMENDED, True),
        ("Utfall", "D", ConceptStatus.RECOMMENDED, True),
        ("Resultat", "", ConceptStatus.DEPRECATED, True),
        ("Prestation", "E", ConceptStatus.RECOMMENDED, False),
    ]:
        replacement = ConceptPage.objects.get(slug="effekt") if status == ConceptStatus.DEPRECATED else None
        concept = ConceptPage(
            title=title, slug=title.lower(), short_definition="Definition.", chain_level=level, status=status, live=live
        )
        concept.use_instead = replacement
        index.add_child(instance=concept)
    return index


def test_begrepp_listing_filters_on_status_and_level_and_searches(admin_client, glossary):
    index = url(ConceptPage, "index")
    response = admin_client.get(index)
    assert response.status_code == 200
    assert _listed(response) == ["Effekt", "Prestation", "Resultat", "Utfall"]
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    rows = {
        row.select_one(".title-wrapper").get_text(strip=True): [
            td.get_text(" ", strip=True) for td in row.find_all("td")[1:]
        ]
        for row in soup.select("table.listing tbody tr")
    }
    # Status, level and publication in words, not only as icons.
    assert rows["Effekt"] == ["Rekommenderad", "C – Kortsiktiga effekter", "Publicerad"]
    assert rows["Resultat"] == ["Avrådd", "-", "Publicerad"]
    assert rows["Prestation"] == ["Rekommenderad", "E – Prestationer", "Utkast"]
    by_level = admin_client.get(index + _filter_link(response, "Nivå"))
    assert _listed(by_level) == ["Resultat", "Effekt", "Utfall", "Prestation"]  # no level, then C, D, E

    assert _listed(admin_client.get(index + _filter_link(response, "Avrådd"))) == ["Resultat"]
    assert _listed(admin_client.get(index + _filter_link(response, "Rekommenderad"))) == [
        "Effekt",
        "Prestation",
        "Utfall",
    ]
    assert _listed(admin_client.get(index + _filter_link(response, "D – Utfall"))) == ["Utfall"]
    assert _listed(admin_client.get(index + _filter_link(response, "Nej"))) == ["Prestation"]
    # Both filters at once narrow the list further.
    both = admin_client.get(index, {"status__exact": ConceptStatus.RECOMMENDED, "chain_level": "E"})
    assert _listed(both) == ["Prestation"]
    assert _listed(admin_client.get(index, {"q": "utf"})) == ["Utfall"]
    assert _listed(admin_client.get(index, {"q": "finns inte"})) == []


def test_begrepp_listing_leads_to_the_page_editor(admin_client, glossary):
    response = admin_client.get(url(ConceptPage, "create"))
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("wagtailadmin_pages:add", args=["larande", "conceptpage", glossary.pk])
    )
    concept = ConceptPage.objects.get(slug="utfall")
    response = admin_client.get(url(ConceptPage, "edit", concept.pk))
    assert response["Location"].startswith(reverse("wagtailadmin_pages:edit", args=[concept.pk]))


@pytest.mark.parametrize(
    "query",
    [
        {"chains__owner__email__startswith": "a"},
        {"chains__page_ptr__exact": "abc"},
        {"text__regex": "["},
        {"export": "csv"},
    ],
)
def test_unknown_or_malformed_filters_get_a_swedish_400(admin_client, chain, query):
    response = admin_client.get(url(EvaluationQuestion, "index"), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Filtret känns inte igen" in html
    assert f'href="{url(EvaluationQuestion, "index")}"' in html


@pytest.mark.parametrize("query", [{"chain_level": "Z"}, {"p": "abc"}, {"p": "9999"}, {"o": "-x.99"}])
def test_odd_but_harmless_listing_parameters_show_the_list(admin_client, glossary, query):
    response = admin_client.get(url(ConceptPage, "index"), query)
    assert response.status_code == 200
    assert "Effekt" in response.content.decode()


def test_question_tags_are_typed_and_created_on_save(admin_client, chain, indicator):
    """Question tags are typed, not picked: a new tag is created as the question is saved."""
    create = url(EvaluationQuestion, "create")
    data = merged(_record_form(admin_client, create), _question_data(chain, indicator, tags="ny tagg, utfall"))
    response = admin_client.post(create, data)
    assert response.status_code == 302, all_error_messages(response)
    assert sorted(t.name for t in EvaluationQuestion.objects.get().tags.all()) == ["ny tagg", "utfall"]
    assert Tag.objects.filter(name="ny tagg").exists()


def test_listings_query_count_does_not_grow_with_the_rows(admin_client, glossary, django_assert_max_num_queries):
    index = GlossaryIndexPage.objects.get()
    for i in range(30):
        index.add_child(instance=ConceptPage(title=f"Begrepp {i}", slug=f"begrepp-{i}", short_definition="D."))
        indicator = Indicator.objects.create(name=f"Indikator {i}", definition="D.", unit="st", chain_level="E")
        IndicatorValue.objects.create(indicator=indicator, year=2023, value=i)
    for model in (ConceptPage, Indicator):
        admin_client.get(url(model, "index"))  # warm caches (site, content types) as a running server has them
        with django_assert_max_num_queries(25):
            response = admin_client.get(url(model, "index"))
        assert response.status_code == 200


def test_record_history_and_delete_views_work(admin_client, db):
    region = Region.objects.create(name="Region Gotland", slug="gotland")
    response = admin_client.get(url(Region, "history", region.pk))
    assert response.status_code == 200
    response = admin_client.get(url(Region, "delete", region.pk))
    assert response.status_code == 200
    assert "Region Gotland" in response.content.decode()
    response = admin_client.post(url(Region, "delete", region.pk))
    assert response.status_code == 302
    assert not Region.objects.exists()
