"""What content uses is not deleted: questions, indicators, regions, RUS priorities, documents and
concepts, through every admin route that deletes them, and at the database.

Each refusal is checked as the editor sees it (a Swedish message listing the uses with links to
the public page and the editor, status 409 on the deletion, nothing deleted), and each has a
positive control: the same route deletes the same kind of thing once nothing uses it.
"""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import ModelLogEntry, Page

from home.roles import GRANSKARE, KOMMUNIKATOR
from larande.models import (
    ConceptContrast,
    ConceptPage,
    ConceptStatus,
    EvaluationQuestion,
    EvaluationResultPage,
    Indicator,
    QuestionAnswer,
    Region,
    ReportedIndicatorValue,
    ResultDocument,
    RusPriority,
)
from larande.records.deletion import DeletionRefusalMiddleware
from larande.records.usage import RecordInUse, uses_of
from tests.factories import (
    ConceptPageFactory,
    EvaluationQuestionFactory,
    IndicatorFactory,
    RegionFactory,
    RusPriorityFactory,
)
from tests.publishing_support import publish, result_page, user_in

REFUSED = 409


@pytest.fixture
def granskare(client, site):
    client.force_login(user_in(GRANSKARE))
    return client


def record_url(model, action, pk) -> str:
    return reverse(f"larande_{model._meta.model_name}_modeladmin_{action}", args=[pk])


def refusal(response) -> dict:
    """What the refusal page says: its text, its links by text, and whether it offers to delete."""
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    section = soup.select_one("[data-refusal]")
    assert section is not None, "no refusal on the page"
    return {
        "text": " ".join(section.get_text(" ", strip=True).split()),
        "links": [(" ".join(a.get_text(" ", strip=True).split()), a["href"]) for a in section.select("a[href]")],
        "has_form": soup.select_one("main form[method=post], #main form[method=post]") is not None,
    }


def links_to(page) -> set[str]:
    return {reverse("wagtailadmin_pages:edit", args=[page.pk]), page.url}


# --- The records, each used by a live result ------------------------------------------------------


def _use_question(page, question):
    page.answers.add(QuestionAnswer(question=question, answer="Ja, i hög grad."))


def _use_indicator(page, indicator):
    page.indicator_values.add(ReportedIndicatorValue(indicator=indicator, year=2023, value=12))


def _use_region(page, region):
    page.regions.add(region)


def _use_priority(page, priority):
    page.priorities.add(priority)


RECORDS = {
    "fråga": (EvaluationQuestion, lambda: EvaluationQuestionFactory(text="Nådde insatsen sina mål?"), _use_question),
    "indikator": (Indicator, lambda: IndicatorFactory(name="Antal deltagare"), _use_indicator),
    "region": (Region, lambda: RegionFactory(name="Region Gotland"), _use_region),
    "prioritering": (RusPriority, lambda: RusPriorityFactory(title="Kompetensförsörjning"), _use_priority),
}
NOUNS = {
    EvaluationQuestion: "Utvärderingsfrågan",
    Indicator: "Indikatorn",
    Region: "Regionen",
    RusPriority: "RUS-prioriteringen",
}


def _live_result_using(site, use, record, title="Utvärdering av klusterstödet"):
    page = result_page(site["results"], title)
    use(page, record)
    page.save()
    return publish(page)


def _still_used(model, record, page) -> bool:
    """The record exists and the live result still shows it (rows and page)."""
    if not model.objects.filter(pk=record.pk).exists():
        return False
    page = EvaluationResultPage.objects.get(pk=page.pk)
    return {
        EvaluationQuestion: lambda: page.answers.filter(question=record).exists(),
        Indicator: lambda: page.indicator_values.filter(indicator=record).exists(),
        Region: lambda: page.regions.filter(pk=record.pk).exists(),
        RusPriority: lambda: page.priorities.filter(pk=record.pk).exists(),
    }[model]()


@pytest.mark.parametrize("kind", RECORDS)
def test_a_record_a_live_result_uses_is_not_deleted_and_the_refusal_lists_the_result(granskare, site, kind):
    model, make, use = RECORDS[kind]
    record = make()
    page = _live_result_using(site, use, record)

    confirm = granskare.get(record_url(model, "delete", record.pk))
    assert confirm.status_code == 200
    shown = refusal(confirm)
    assert f"{NOUNS[model]} ”{record}” kan inte tas bort eftersom den används" in shown["text"]
    assert "Utvärdering av klusterstödet" in shown["text"]
    assert links_to(page) <= {href for _, href in shown["links"]}
    assert not shown["has_form"]

    response = granskare.post(record_url(model, "delete", record.pk))
    assert response.status_code == REFUSED
    assert "Utvärdering av klusterstödet" in refusal(response)["text"]
    assert _still_used(model, record, page)
    assert not ModelLogEntry.objects.filter(action="wagtail.delete").exists(), "nothing half-deleted"
    granskare.logout()
    assert granskare.get(page.url).status_code == 200


@pytest.mark.parametrize("kind", RECORDS)
def test_the_same_record_is_deleted_once_nothing_uses_it(granskare, site, kind):
    model, make, _ = RECORDS[kind]
    record = make()
    result_page(site["results"], "Utvärdering utan posten")

    confirm = granskare.get(record_url(model, "delete", record.pk))
    assert confirm.status_code == 200 and "kan inte tas bort" not in confirm.content.decode()
    response = granskare.post(record_url(model, "delete", record.pk))
    assert response.status_code == 302
    assert not model.objects.filter(pk=record.pk).exists()


# --- Uses only in versions not yet published ------------------------------------------------------


def _draft(page, user):
    return page.save_revision(user=user)


def _in_review(page, user):
    revision = page.save_revision(user=user)
    page.get_workflow().start(EvaluationResultPage.objects.get(pk=page.pk), user)
    return revision


def _scheduled(page, user):
    page.go_live_at = timezone.now() + datetime.timedelta(days=7)
    revision = page.save_revision(user=user)
    revision.publish()  # approved for later, as a reviewer would
    return revision


PENDING = {"utkast": _draft, "i granskning": _in_review, "schemalagd": _scheduled}


@pytest.mark.parametrize("state", PENDING)
@pytest.mark.parametrize("kind", RECORDS)
def test_a_record_used_only_by_a_version_not_yet_published_is_not_deleted(granskare, site, kind, state):
    model, make, use = RECORDS[kind]
    record = make()
    page = result_page(site["results"], "Publicerat resultat")
    page = EvaluationResultPage.objects.get(pk=page.pk)
    use(page, record)
    PENDING[state](page, user_in(KOMMUNIKATOR))
    assert not _still_used(model, record, page), "the published version does not use it"

    response = granskare.post(record_url(model, "delete", record.pk))
    assert response.status_code == REFUSED
    shown = refusal(response)
    assert "Publicerat resultat" in shown["text"]
    assert "bara i ett opublicerat utkast" in shown["text"]
    assert "Opublicerade utkast" in shown["text"]
    assert model.objects.filter(pk=record.pk).exists()


def test_a_refused_deletion_leaves_the_draft_publishable_with_its_answer(granskare, site):
    question = EvaluationQuestionFactory(text="Fick deltagarna ny kunskap?")
    page = EvaluationResultPage.objects.get(pk=result_page(site["results"], "Kunskapsresultat").pk)
    page.answers.add(QuestionAnswer(question=question, answer="Nio av tio svarade ja."))
    revision = page.save_revision()
    assert granskare.post(record_url(EvaluationQuestion, "delete", question.pk)).status_code == REFUSED

    revision.publish()
    granskare.logout()
    html = granskare.get(EvaluationResultPage.objects.get(pk=page.pk).url).content.decode()
    assert "Fick deltagarna ny kunskap?" in html and "Nio av tio svarade ja." in html


def test_a_never_published_result_also_counts(granskare, site):
    region = RegionFactory(name="Region Blekinge")
    page = result_page(site["results"], "Opublicerat resultat", live=False)
    page.regions.add(region)
    page.save()
    response = granskare.post(record_url(Region, "delete", region.pk))
    assert response.status_code == REFUSED
    shown = refusal(response)
    assert "Opublicerat resultat" in shown["text"] and "bara i ett opublicerat utkast" in shown["text"]
    # A page a visitor cannot open is linked to its editor only.
    assert [href for text, href in shown["links"] if text.startswith("Visa")] == []


def test_an_indicator_a_question_lists_is_not_deleted(granskare, site):
    indicator = IndicatorFactory(name="Andel företag som samverkar")
    question = EvaluationQuestionFactory(text="Samverkar fler företag?")
    question.indicators.add(indicator)
    question.save()
    response = granskare.post(record_url(Indicator, "delete", indicator.pk))
    assert response.status_code == REFUSED
    shown = refusal(response)
    assert "Samverkar fler företag?" in shown["text"] and "indikator för frågan" in shown["text"]
    hrefs = {href for _, href in shown["links"]}
    assert {f"/utvarderingsfragor/{question.pk}/", record_url(EvaluationQuestion, "edit", question.pk)} <= hrefs
    assert list(question.indicators.all()) == [indicator]

    question.indicators.clear()
    question.save()
    assert granskare.post(record_url(Indicator, "delete", indicator.pk)).status_code == 302


# --- The database refuses too -------------------------------------------------------------------------


def test_the_database_refuses_to_delete_a_used_record_whatever_the_route(site):
    question = EvaluationQuestionFactory()
    region = RegionFactory()
    page = result_page(site["results"], "Resultat med fråga och region")
    _use_question(page, question)
    page.regions.add(region)
    page.save()
    with pytest.raises(ProtectedError):
        question.delete()
    # As every admin view does, the deletion runs in a transaction of its own, rolled back whole.
    with pytest.raises(RecordInUse), transaction.atomic():
        Region.objects.filter(pk=region.pk).delete()
    assert EvaluationQuestion.objects.filter(pk=question.pk).exists()
    assert list(EvaluationResultPage.objects.get(pk=page.pk).regions.all()) == [region]


def test_a_refusal_the_database_raises_anywhere_becomes_the_swedish_message(site, admin_user):
    question = EvaluationQuestionFactory(text="Hur gick det?")
    page = result_page(site["results"], "Resultat som svarar")
    _use_question(page, question)
    page.save()
    with pytest.raises(ProtectedError) as raised:
        EvaluationQuestion.objects.filter(pk=question.pk).delete()
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    response = DeletionRefusalMiddleware(lambda r: None).process_exception(request, raised.value)
    response.render()
    assert response.status_code == REFUSED
    shown = refusal(response)
    assert "Resultat som svarar" in shown["text"] and "kan inte tas bort" in shown["text"]
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in {href for _, href in shown["links"]}
    assert DeletionRefusalMiddleware(lambda r: None).process_exception(request, ValueError()) is None


# --- Documents ---------------------------------------------------------------------------------------


def _document(title="Slutrapport"):
    document = Document(title=title)
    document.file.save(f"{title.lower()}.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    document.save()
    return document


def _result_listing(site, document, title="Resultat med rapport"):
    page = result_page(site["results"], title)
    page.documents.add(ResultDocument(document=document, title=""))
    page.save()
    return publish(page)


def _bulk_delete_url(model, *pks) -> str:
    base = reverse("wagtail_bulk_action", args=[model._meta.app_label, model._meta.model_name, "delete"])
    return base + "?" + "&".join(f"id={pk}" for pk in pks)


def test_a_document_a_result_lists_is_not_deleted_through_any_admin_route(granskare, site):
    document = _document()
    page = _result_listing(site, document)
    delete_url = reverse("wagtaildocs:delete", args=[document.pk])

    confirm = granskare.get(delete_url)
    assert confirm.status_code == 200
    shown = refusal(confirm)
    assert "Dokumentet ”Slutrapport” kan inte tas bort eftersom det används" in shown["text"]
    assert "dokument till resultatet" in shown["text"]
    assert links_to(page) <= {href for _, href in shown["links"]}

    assert granskare.post(delete_url).status_code == REFUSED
    bulk = granskare.get(_bulk_delete_url(Document, document.pk))
    assert bulk.status_code == 200 and "Resultat med rapport" in refusal(bulk)["text"]
    bulk = granskare.post(_bulk_delete_url(Document, document.pk))
    assert bulk.status_code == REFUSED and "Resultat med rapport" in refusal(bulk)["text"]
    upload_delete = granskare.post(
        reverse("wagtaildocs:delete_multiple", args=[document.pk]), headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert upload_delete.status_code == REFUSED
    assert json.loads(upload_delete.content)["success"] is False
    assert Document.objects.filter(pk=document.pk).exists()
    assert EvaluationResultPage.objects.get(pk=page.pk).documents.filter(document=document).exists()


def test_a_document_linked_from_a_text_is_not_deleted(granskare, site):
    linked = _document("Bilaga")
    page = result_page(site["results"], "Resultat som länkar")
    page.findings = f'<p>Se <a linktype="document" id="{linked.pk}">bilagan</a>.</p>'
    publish(page)
    response = granskare.post(reverse("wagtaildocs:delete", args=[linked.pk]))
    assert response.status_code == REFUSED
    assert "länk i texten" in refusal(response)["text"]

    drafted = _document("Utkastbilaga")
    page = EvaluationResultPage.objects.get(pk=page.pk)
    page.conclusions = f'<p>Se <a linktype="document" id="{drafted.pk}">utkastbilagan</a>.</p>'
    page.save_revision()
    response = granskare.post(reverse("wagtaildocs:delete", args=[drafted.pk]))
    assert response.status_code == REFUSED
    assert "bara i ett opublicerat utkast" in refusal(response)["text"]
    assert Document.objects.filter(pk__in=[linked.pk, drafted.pk]).count() == 2


def test_an_unused_document_is_deleted_by_the_same_routes(granskare, site):
    single, bulk = _document("Ensam"), _document("Massvis")
    response = granskare.post(reverse("wagtaildocs:delete", args=[single.pk]))
    assert response.status_code == 302
    assert granskare.get(_bulk_delete_url(Document, bulk.pk)).status_code == 200
    assert granskare.post(_bulk_delete_url(Document, bulk.pk)).status_code == 302
    assert not Document.objects.filter(pk__in=[single.pk, bulk.pk]).exists()


# --- Concepts ------------------------------------------------------------------------------------------


@pytest.fixture
def concepts(site):
    """Utfall contrasts with Effekt; Resultat (deprecated) points to Effekt as its replacement."""
    effekt = ConceptPageFactory(title="Effekt", slug="effekt", publish=True)
    utfall = ConceptPageFactory(title="Utfall", slug="utfall", publish=True)
    utfall.contrasts.add(ConceptContrast(other=effekt, difference="Utfall kommer före effekter."))
    publish(utfall)
    return {"effekt": effekt, "utfall": utfall}


def _page_delete(client, page, **data):
    return client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]), data)


def test_a_concept_another_concept_contrasts_with_is_not_deleted(admin_client, concepts):
    effekt, utfall = concepts["effekt"], concepts["utfall"]
    confirm = admin_client.get(reverse("wagtailadmin_pages:delete", args=[effekt.pk]))
    assert confirm.status_code == 200
    shown = refusal(confirm)
    assert "Begreppet ”Effekt” kan inte tas bort eftersom det används" in shown["text"]
    assert "Utfall (begrepp: förväxla inte med)" in shown["text"]
    assert links_to(utfall) <= {href for _, href in shown["links"]}

    assert _page_delete(admin_client, effekt).status_code == REFUSED
    assert admin_client.get(_bulk_delete_url(Page, effekt.pk)).status_code == 200
    assert admin_client.post(_bulk_delete_url(Page, effekt.pk)).status_code == REFUSED
    assert ConceptPage.objects.filter(pk=effekt.pk).exists()
    assert ConceptContrast.objects.filter(concept=utfall, other=effekt).exists()
    with pytest.raises(RestrictedError):
        Page.objects.get(pk=effekt.pk).delete()


def test_concepts_are_deleted_when_nothing_outside_the_deletion_uses_them(admin_client, concepts):
    effekt, utfall = concepts["effekt"], concepts["utfall"]
    alone = ConceptPageFactory(title="Ensamt begrepp", publish=True)
    assert _page_delete(admin_client, alone).status_code == 302
    # The concept that contrasts and the one it contrasts with, together.
    assert admin_client.post(_bulk_delete_url(Page, effekt.pk, utfall.pk)).status_code == 302
    assert not ConceptPage.objects.filter(pk__in=[alone.pk, effekt.pk, utfall.pk]).exists()


def test_the_glossary_section_is_deleted_with_all_its_concepts(admin_client, site, concepts):
    glossary = site["glossary"]
    confirm = admin_client.get(reverse("wagtailadmin_pages:delete", args=[glossary.pk]))
    assert confirm.status_code == 200 and "kan inte tas bort" not in confirm.content.decode()
    assert _page_delete(admin_client, glossary).status_code == 302
    assert not ConceptPage.objects.exists() and not ConceptContrast.objects.exists()


def test_a_concept_named_as_replacement_or_in_a_draft_is_not_deleted(admin_client, concepts):
    effekt = concepts["effekt"]
    ConceptPageFactory(
        title="Resultat", status=ConceptStatus.DEPRECATED, use_instead=effekt, publish=True
    )  # the deprecated term points to Effekt
    prestation = ConceptPageFactory(title="Prestation", publish=True)
    utfall = ConceptPage.objects.get(pk=concepts["utfall"].pk)
    utfall.related.add(prestation)
    utfall.save_revision()

    shown = refusal(admin_client.get(reverse("wagtailadmin_pages:delete", args=[effekt.pk])))
    assert "Resultat (begrepp: använd i stället)" in shown["text"]
    response = _page_delete(admin_client, prestation)
    assert response.status_code == REFUSED
    assert "Utfall (begrepp: relaterat begrepp) – bara i ett opublicerat utkast" in refusal(response)["text"]
    assert ConceptPage.objects.filter(pk__in=[effekt.pk, prestation.pk]).count() == 2


def test_the_usage_helper_counts_each_page_once_with_all_its_uses(site):
    question = EvaluationQuestionFactory()
    page = result_page(site["results"], "Två svar")
    page.answers.add(QuestionAnswer(question=question, answer="Ett."))
    page.answers.add(QuestionAnswer(question=question, answer="Två."))
    page.save()
    page = publish(EvaluationResultPage.objects.get(pk=page.pk))
    page.save_revision()
    uses = uses_of(question)
    assert [(use.title, use.how, use.draft_only) for use in uses] == [("Två svar", "svar på frågan", False)]
