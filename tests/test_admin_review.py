"""Adding a page leaves nothing behind until the editor saves, withdrawing a submission asks
first, and a review action confirms in Swedish (core/page_admin.py), through the real admin views."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import Page

from home.roles import GRANSKARE, REDAKTOR
from larande.models import ConceptPage
from tests.admin_forms import add_url, edit_url, form_data, merged, status_messages
from tests.publishing_support import user_in
from tests.test_roles import SUBMIT, _concept_form

AUTOSAVE_REQUEST = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def redaktor(db):
    return user_in(REDAKTOR)


@pytest.fixture
def granskare(db):
    return user_in(GRANSKARE)


def _soup(response):
    # Python's parser: lxml keeps a <template>'s content (Wagtail's dialogs) out of the tree.
    return BeautifulSoup(response.content.decode(), "html.parser")


def _edit_form_controllers(response) -> str:
    return _soup(response).find("form", id="page-edit-form")["data-controller"]


def _submitted_concept(client, site, redaktor):
    client.force_login(redaktor)
    client.post(add_url(site["glossary"], ConceptPage), _concept_form(client, site["glossary"], **SUBMIT))
    return ConceptPage.objects.get(slug="utfall")


# --- Adding a page: no autosave, no orphan ------------------------------------------------------


def test_the_add_form_has_no_autosave_but_the_edit_form_has(client, site, redaktor):
    client.force_login(redaktor)
    add_form = client.get(add_url(site["glossary"], ConceptPage))
    assert "w-autosave" not in _edit_form_controllers(add_form)
    assert "w-unsaved" in _edit_form_controllers(add_form), "leaving with unsaved changes still warns"

    concept = _submitted_concept(client, site, redaktor)
    assert "w-autosave" in _edit_form_controllers(client.get(edit_url(concept)))


def test_an_autosave_request_on_the_add_form_creates_no_page(client, site, redaktor):
    client.force_login(redaktor)
    before = Page.objects.count()
    data = _concept_form(client, site["glossary"])
    response = client.post(add_url(site["glossary"], ConceptPage), data, **AUTOSAVE_REQUEST)
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert "Spara utkast" in response.json()["error_message"]
    assert Page.objects.count() == before
    assert not ConceptPage.objects.filter(slug="utfall").exists()

    # Starting again with the same title then saves at the same address, at the first attempt.
    response = client.post(add_url(site["glossary"], ConceptPage), _concept_form(client, site["glossary"]))
    assert response.status_code == 302
    assert ConceptPage.objects.get(title="Utfall").slug == "utfall"


# --- Withdrawing a submission asks first --------------------------------------------------------


def test_cancelling_the_workflow_opens_a_confirmation_dialog(client, site, redaktor):
    concept = _submitted_concept(client, site, redaktor)
    soup = _soup(client.get(edit_url(concept)))

    toggle = soup.select_one("[data-cancel-workflow-toggle]")
    assert toggle is not None and toggle["type"] == "button" and toggle.get_text(strip=True) == "Avbryt arbetsflöde"
    dialog = soup.find(id=toggle["data-a11y-dialog-show"])
    assert dialog is not None and "Avbryta granskningen?" in str(dialog)
    # The only control that withdraws the submission is the dialog's own button.
    (confirm,) = soup.find_all(attrs={"name": "action-cancel-workflow"})
    assert dialog in confirm.parents
    assert confirm["type"] == "submit" and confirm["form"] == "page-edit-form"
    assert "Ja, avbryt granskningen" in str(confirm)


def test_the_dialogs_button_withdraws_the_submission(client, site, redaktor):
    concept = _submitted_concept(client, site, redaktor)
    response = client.get(edit_url(concept))
    data = merged(form_data(response), {"action-cancel-workflow": "Avbryt arbetsflöde"})
    response = client.post(edit_url(concept), data, follow=True)
    assert ConceptPage.objects.get(pk=concept.pk).current_workflow_state is None
    assert any("Utfall" in message for message in status_messages(response))


# --- Approval confirms ----------------------------------------------------------------------------


def _workflow_action(client, page, action):
    page = Page.objects.get(pk=page.pk)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, page.current_workflow_task_state.pk])
    return client.post(url, {"comment": ""}, follow=True)


def test_granskare_is_told_the_approved_page_is_published(client, site, redaktor, granskare):
    concept = _submitted_concept(client, site, redaktor)
    client.force_login(granskare)
    response = _workflow_action(client, concept, "approve")
    assert ConceptPage.objects.get(pk=concept.pk).live
    assert "”Utfall” är godkänd och publicerad." in status_messages(response)


def test_granskare_is_told_when_changes_are_requested(client, site, redaktor, granskare):
    concept = _submitted_concept(client, site, redaktor)
    client.force_login(granskare)
    response = _workflow_action(client, concept, "reject")
    assert not ConceptPage.objects.get(pk=concept.pk).live
    assert any(message.startswith("Ändringar har begärts för ”Utfall”") for message in status_messages(response))


def test_approving_from_the_editor_confirms_too(client, site, redaktor, granskare):
    concept = _submitted_concept(client, site, redaktor)
    client.force_login(granskare)
    response = client.get(edit_url(concept))
    data = merged(form_data(response), {"action-workflow-action": "true", "workflow-action-name": "approve"})
    response = client.post(edit_url(concept), data, follow=True)
    assert ConceptPage.objects.get(pk=concept.pk).live
    assert "”Utfall” är godkänd och publicerad." in status_messages(response)


def test_a_failed_review_action_confirms_nothing(client, site, redaktor):
    concept = _submitted_concept(client, site, redaktor)
    # The Redaktör may not approve: the task stays in progress and nothing claims otherwise.
    response = _workflow_action(client, concept, "approve")
    assert not ConceptPage.objects.get(pk=concept.pk).live
    assert not any("godkänd" in message for message in status_messages(response))
