"""Records go through review: only Granskare add, change and delete evaluation questions,
indicators (with their values), regions and RUS priorities; Redaktör and Kommunikatör list and
inspect them, and choose them in page forms, through the real admin. Their data changes reach
visitors through pages, after Granskning: a Kommunikatör's new indicator value on a live result
stays out of every output until a Granskare approves it, and then appears in each of them.
"""

import importlib
import json
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from home.roles import GRANSKARE, KOMMUNIKATOR, REDAKTOR
from larande.models import (
    EvaluationQuestion,
    EvaluationResultPage,
    Indicator,
    IndicatorValue,
    QuestionKind,
    Region,
    RusPriority,
)
from search import service
from tests.admin_forms import add_url, edit_url, form_data, merged
from tests.factories import EvaluationQuestionFactory, IndicatorFactory, RegionFactory, RusPriorityFactory
from tests.publishing_support import result_page, user_in

SUBMIT = {"action-submit": "action-submit"}
WRITERS = (REDAKTOR, KOMMUNIKATOR)


def _client_for(role) -> Client:
    client = Client()
    client.force_login(user_in(role))
    return client


def url(model, action, *args) -> str:
    return reverse(f"larande_{model._meta.model_name}_modeladmin_{action}", args=args)


def _post_form(client, address) -> dict:
    response = client.get(address)
    assert response.status_code == 200
    forms = BeautifulSoup(response.content.decode(), "html.parser").find_all("form")
    index = next(i for i, form in enumerate(forms) if (form.get("method") or "").upper() == "POST")
    return form_data(response, form_id=None, form_index=index)


# --- The permissions the roles have on records ------------------------------------------------------

RECORD_MODELS = ("evaluationquestion", "indicator", "indicatorvalue", "region", "ruspriority")
READ = {f"view_{model}" for model in ("evaluationquestion", "indicator", "region", "ruspriority")}
WRITE = {
    f"{action}_{model}"
    for action in ("add", "change", "delete", "view")
    for model in ("evaluationquestion", "indicator", "region", "ruspriority")
}


def record_permissions(role) -> set[str]:
    return set(
        Group.objects.get(name=role)
        .permissions.filter(content_type__app_label="larande", content_type__model__in=RECORD_MODELS)
        .values_list("codename", flat=True)
    )


def test_only_granskare_may_change_records(db):
    assert record_permissions(REDAKTOR) == READ
    assert record_permissions(KOMMUNIKATOR) == READ
    assert record_permissions(GRANSKARE) == WRITE


def _grant_as_before(*roles):
    """The write permissions Redaktör and Kommunikatör had before records went through review."""
    old = Permission.objects.filter(
        content_type__app_label="larande",
        codename__in=["add_evaluationquestion", "change_evaluationquestion", "add_indicator", "change_indicator"],
    )
    for role in roles:
        Group.objects.get(name=role).permissions.add(*old)
        assert record_permissions(role) > READ


def test_the_migration_takes_away_what_writers_could_change_before(db):
    _grant_as_before(*WRITERS)
    migration = importlib.import_module("home.migrations.0006_records_reviewed_by_granskare")
    migration.records_for_granskare_only(django_apps, None)
    assert record_permissions(REDAKTOR) == record_permissions(KOMMUNIKATOR) == READ
    assert record_permissions(GRANSKARE) == WRITE


def test_setup_roles_agrees_with_the_migration(site, capsys):
    _grant_as_before(*WRITERS)
    call_command("setup_roles")
    assert "Rollerna är klara" in capsys.readouterr().out
    assert record_permissions(REDAKTOR) == record_permissions(KOMMUNIKATOR) == READ
    assert record_permissions(GRANSKARE) == WRITE
    # Other permissions of the roles are left alone.
    assert Group.objects.get(name=REDAKTOR).permissions.filter(codename="change_conceptsuggestion").exists()


# --- Every record through the real admin, as each role -----------------------------------------------


def _question():
    return EvaluationQuestionFactory(text="Nådde insatsen sina mål?", kind=QuestionKind.PROCESS, chain_level="")


def _indicator():
    return IndicatorFactory(name="Antal deltagare", values={2023: (10, 12)})


RECORDS = {
    "fråga": (
        EvaluationQuestion,
        _question,
        {"text": "Leder insatsen till ny kunskap?", "kind": QuestionKind.SUMMATIVE, "chain_level": "D"},
        {"text": "Nådde insatsen alla sina mål?"},
        lambda record: record.text,
    ),
    "indikator": (
        Indicator,
        _indicator,
        nested_form_data(
            {
                "name": "Andel nöjda deltagare",
                "definition": "Andelen som svarar att de är nöjda.",
                "unit": "procent",
                "chain_level": "D",
                "values": inline_formset([{"year": "2023", "value": "80", "target": "90"}]),
            }
        ),
        {"name": "Antal deltagare (ändrad)", "values-0-value": "11"},
        lambda record: (record.name, [(v.year, v.value) for v in record.values.all()]),
    ),
    "region": (
        Region,
        lambda: RegionFactory(name="Region Gotland", slug="gotland"),
        {"name": "Region Halland", "slug": "halland"},
        {"name": "Region Gotlands län"},
        lambda record: record.name,
    ),
    "prioritering": (
        RusPriority,
        lambda: RusPriorityFactory(title="Kompetensförsörjning", slug="kompetens"),
        {"title": "Tillgänglighet", "slug": "tillganglighet", "description": ""},
        {"title": "Kompetensförsörjning i hela regionen"},
        lambda record: record.title,
    ),
}


def _listed_links(response) -> set[str]:
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return {a["href"] for a in soup.select("main a[href], #main a[href]")}


@pytest.mark.parametrize("role", WRITERS)
@pytest.mark.parametrize("kind", RECORDS)
def test_writers_see_records_but_cannot_add_change_or_delete_them(site, role, kind):
    model, make, create_data, edit_data, state = RECORDS[kind]
    record = make()
    before, count = state(record), model.objects.count()
    granskare, writer = _client_for(GRANSKARE), _client_for(role)

    # The menu and the listing, without add, edit or delete; the inspect view reads the record.
    menu = json.dumps(
        json.loads(
            BeautifulSoup(writer.get("/admin/").content.decode(), "html.parser")
            .find("script", id="wagtail-sidebar-props")
            .string
        ),
        ensure_ascii=False,
    )
    assert f'"url": "{url(model, "index")}"' in menu
    listing = writer.get(url(model, "index"))
    assert listing.status_code == 200 and str(record) in listing.content.decode()
    links = _listed_links(listing)
    assert url(model, "inspect", record.pk) in links
    assert not links & {url(model, "create"), url(model, "edit", record.pk), url(model, "delete", record.pk)}
    inspect = writer.get(url(model, "inspect", record.pk))
    assert inspect.status_code == 200 and str(record) in inspect.content.decode()
    assert url(model, "edit", record.pk) not in inspect.content.decode()

    # Every write route: 403 on the form and on a valid post (the same post a Granskare makes).
    create = merged(_post_form(granskare, url(model, "create")), create_data)
    edit = merged(_post_form(granskare, url(model, "edit", record.pk)), edit_data)
    for address, data in [
        (url(model, "create"), create),
        (url(model, "edit", record.pk), edit),
        (url(model, "delete", record.pk), {}),
    ]:
        assert writer.get(address).status_code == 403, address
        assert writer.post(address, data).status_code == 403, address
    record = model.objects.get(pk=record.pk)
    assert (state(record), model.objects.count()) == (before, count), "nothing saved"

    # The positive control: the same posts by a Granskare go through.
    assert granskare.post(url(model, "create"), create).status_code == 302
    assert granskare.post(url(model, "edit", record.pk), edit).status_code == 302
    assert state(model.objects.get(pk=record.pk)) != before
    assert model.objects.count() == count + 1
    assert granskare.post(url(model, "delete", record.pk)).status_code == 302
    assert not model.objects.filter(pk=record.pk).exists()


def test_granskare_sees_add_edit_and_delete_in_the_listing(site):
    record = _question()
    links = _listed_links(_client_for(GRANSKARE).get(url(EvaluationQuestion, "index")))
    assert {
        url(EvaluationQuestion, "create"),
        url(EvaluationQuestion, "edit", record.pk),
        url(EvaluationQuestion, "delete", record.pk),
    } <= links


def test_indicator_values_are_not_changed_by_a_writer(site):
    indicator = _indicator()
    granskare, writer = _client_for(GRANSKARE), _client_for(KOMMUNIKATOR)
    edit = merged(
        _post_form(granskare, url(Indicator, "edit", indicator.pk)),
        nested_form_data({"values-0-DELETE": "on"}),
    )
    assert writer.post(url(Indicator, "edit", indicator.pk), edit).status_code == 403
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 1
    assert granskare.post(url(Indicator, "edit", indicator.pk), edit).status_code == 302
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 0


def test_a_kommunikator_still_chooses_records_in_a_result(site):
    question, indicator = _question(), _indicator()
    region, priority = RegionFactory(name="Region Gotland"), RusPriorityFactory(title="Kompetensförsörjning")
    response = _client_for(KOMMUNIKATOR).get(add_url(site["results"], EvaluationResultPage))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")

    def options(name):
        # A select's options, or a checkbox list's boxes (regions and priorities are ticked).
        select = soup.find("select", attrs={"name": name})
        if select is None:
            return {box["value"] for box in soup.find_all("input", attrs={"type": "checkbox", "name": name})}
        return {option["value"] for option in select.find_all("option")}

    assert str(region.pk) in options("regions")
    assert str(priority.pk) in options("priorities")
    assert str(question.pk) in options("answers-__prefix__-question")
    assert str(indicator.pk) in options("indicator_values-__prefix__-indicator")


# --- A new indicator value goes through Granskning ------------------------------------------------------

NEW_INDICATOR = "Antal nystartade ekoföretag"
NEW_VALUE_TEXTS = ("4321", "4 321", "4\xa0321", "4,321")


def _approve(client, page):
    page = Page.objects.get(pk=page.pk)
    task_state = page.current_workflow_task_state
    assert task_state is not None, "sidan väntar inte på granskning"
    address = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return client.post(address, {"comment": ""})


def _what_visitors_see(page) -> dict[str, str]:
    """Every output that shows a result's indicator values, as an anonymous visitor gets it."""
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template
    from django.test import RequestFactory

    visitor = Client()
    page = EvaluationResultPage.objects.get(pk=page.pk)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    chart = Template("{% load result_tags %}{% indicator_charts page %}").render(
        Context({"request": request, "page": page})
    )
    hits = service.search("ekoföretag").results
    return {
        "resultatsidan": visitor.get(page.url).content.decode(),
        "diagrammet": chart,
        "indikatorvarden.csv": visitor.get("/oppna-data/indikatorvarden.csv").content.decode("utf-8-sig"),
        "indikatorvarden.json": visitor.get("/oppna-data/indikatorvarden.json").content.decode(),
        "api": visitor.get(f"/api/v2/pages/{page.pk}/").content.decode(),
        "sök": " ".join(f"{hit.title} {hit.url}" for hit in hits),
    }


def test_a_new_indicator_value_reaches_visitors_only_after_granskning(site):
    shown = IndicatorFactory(name="Antal deltagande företag")
    new = IndicatorFactory(name=NEW_INDICATOR, unit="antal")
    page = result_page(site["results"], "Utvärdering av företagsstödet", values=[(shown, 2023, 12, None)])

    kommunikator = _client_for(KOMMUNIKATOR)
    form = form_data(kommunikator.get(edit_url(page)))
    rows = int(form["indicator_values-TOTAL_FORMS"][0])
    added = nested_form_data(
        {
            f"indicator_values-{rows}": {
                "indicator": str(new.pk),
                "year": "2024",
                "value": "4321",
                "target": "",
                "ORDER": str(rows + 1),
                "DELETE": "",
                "id": "",
            },
            "indicator_values-TOTAL_FORMS": str(rows + 1),
        }
    )
    response = kommunikator.post(edit_url(page), merged(form, added, SUBMIT))
    assert response.status_code == 302
    assert EvaluationResultPage.objects.get(pk=page.pk).current_workflow_state.status == "in_progress"

    before = _what_visitors_see(page)
    for output, text in before.items():
        assert "Utvärdering av företagsstödet" in text or "Antal deltagande företag" in text or output == "sök", output
        assert NEW_INDICATOR not in text, output
        assert not any(value in text for value in NEW_VALUE_TEXTS), output

    assert _approve(_client_for(GRANSKARE), page).status_code in (200, 302)
    page = EvaluationResultPage.objects.get(pk=page.pk)
    assert page.live and not page.has_unpublished_changes
    assert [(v.indicator.name, v.value) for v in page.indicator_values.filter(indicator=new)] == [
        (NEW_INDICATOR, Decimal("4321.00"))
    ]
    after = _what_visitors_see(page)
    for output, text in after.items():
        if output == "sök":
            assert "Utvärdering av företagsstödet" in text, output
        else:
            assert NEW_INDICATOR in text, output
            assert any(value in text for value in NEW_VALUE_TEXTS), output
