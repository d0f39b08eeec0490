"""Terminology guidance for editors: deprecated terms are named on save and in previews, and reported."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.roles import KOMMUNIKATOR, REDAKTOR, ensure_roles_and_workflow
from larande.models import ConceptStatus, GuidancePage
from tests.admin_forms import PUBLISH, edit_url, form_data, merged, status_messages
from tests.factories import ConceptPageFactory, GuidancePageFactory, ResultIndexPageFactory

REPORT_URL = "/admin/rapporter/avradda-begrepp/"


@pytest.fixture
def glossary(glossary):
    """The glossary (tests/conftest.py) with a recommended term and a deprecated one pointing to it."""
    index = glossary
    effektkedja = ConceptPageFactory(parent=index, title="Effektkedja", slug="effektkedja", publish=True)
    deprecated = ConceptPageFactory(
        parent=index,
        title="Resultatkedja",
        slug="resultatkedja",
        other_labels="resultatkedjor",
        status=ConceptStatus.DEPRECATED,
        use_instead=effektkedja,
        publish=True,
    )
    return {"index": index, "effektkedja": effektkedja, "deprecated": deprecated}


def _body(html):
    return nested_form_data({"body": streamfield([("paragraph", rich_text(html))])})


def _save(client, page, html, intro, publish=False):
    response = client.get(edit_url(page))
    data = merged(form_data(response), _body(html), {"intro": intro}, PUBLISH if publish else {})
    return client.post(edit_url(page), data, follow=True)


def test_saving_a_page_with_a_deprecated_term_warns_but_saves(admin_client, glossary):
    page = GuidancePageFactory(title="Kapitel", slug="kapitel", publish=True)
    response = _save(admin_client, page, "<p>Resultatkedjan och resultatkedjorna.</p>", "Om resultatkedjor.")
    assert response.status_code == 200
    warnings = " ".join(status_messages(response))
    assert "avrådda begrepp" in warnings
    assert "”Resultatkedjan” i Innehåll, block 1 (Text) (2 gånger)" in warnings
    assert "”resultatkedjor” i Ingress (en gång)" in warnings
    assert "använd ”Effektkedja” i stället" in warnings
    # A warning, not a block: the draft was saved.
    page.refresh_from_db()
    assert "Resultatkedjan" in str(page.get_latest_revision_as_object().body)


def test_a_page_without_deprecated_terms_gets_no_warning(admin_client, glossary):
    page = GuidancePageFactory(title="Kapitel", slug="kapitel", publish=True)
    response = _save(admin_client, page, "<p>Effektkedjan läses nerifrån.</p>", "Ingress.")
    assert not any("avrådda" in message for message in status_messages(response))


def test_the_deprecated_concepts_own_page_is_not_warned_about_its_term(admin_client, glossary):
    from larande.glossary.terms import deprecated_uses

    assert deprecated_uses(glossary["deprecated"]) == []


def test_preview_names_deprecated_terms_for_the_editor_only(admin_client, client, glossary):
    page = GuidancePageFactory(title="Kapitel", slug="kapitel", publish=True)
    response = admin_client.get(edit_url(page))
    data = merged(form_data(response), _body("<p>En resultatkedja i förhandsvisningen.</p>"))
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    assert admin_client.post(preview_url, data).json()["is_valid"]
    html = admin_client.get(preview_url).content.decode()
    assert "sidan använder avrådda begrepp" in html
    assert "”resultatkedja” i Innehåll, block 1 (Text) (en gång)" in html
    # The published page shows visitors nothing of the kind.
    assert "avrådda begrepp" not in client.get(page.url).content.decode()


def test_report_lists_live_pages_using_deprecated_terms_with_counts(admin_client, glossary):
    using = GuidancePageFactory(
        title="Använder",
        slug="anvander",
        intro="Resultatkedjan.",
        body=[{"type": "paragraph", "value": "<p>Resultatkedjor och resultatkedjan.</p>"}],
        publish=True,
    )
    GuidancePageFactory(
        title="Ren", slug="ren", body=[{"type": "paragraph", "value": "<p>Effektkedjan.</p>"}], publish=True
    )
    draft = GuidancePageFactory(
        title="Utkast", slug="utkast", body=[{"type": "paragraph", "value": "<p>Resultatkedjan.</p>"}], live=False
    )
    response = admin_client.get(REPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 sida med sammanlagt 3 förekomster" in html
    assert edit_url(using) in html
    assert "”Resultatkedja” (3) – använd ”Effektkedja”" in html
    assert "Ren" not in html and edit_url(draft) not in html


def test_report_is_in_the_reports_menu_and_closed_to_visitors(client, admin_client, glossary):
    from wagtail import hooks

    items = [hook() for hook in hooks.get_hooks("register_reports_menu_item")]
    assert REPORT_URL in [item.url for item in items]
    response = client.get(REPORT_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("role", [REDAKTOR, KOMMUNIKATOR])
def test_report_shows_only_pages_the_editor_may_change(client, glossary, django_user_model, role):
    from django.contrib.auth.models import Group

    GuidancePageFactory(
        title="Kapitel", slug="kapitel", body=[{"type": "paragraph", "value": "<p>Resultatkedjan.</p>"}], publish=True
    )
    ResultIndexPageFactory(parent=glossary["index"].get_parent())
    ensure_roles_and_workflow()  # after the sections exist: permissions attach to them
    user = django_user_model.objects.create_user(username=role, password="x")
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    # Redaktör edits the framework, Kommunikatör only results: the chapter is listed for one of them.
    assert ("Kapitel" in html) == (role == REDAKTOR)


def test_report_query_count_does_not_grow_per_use(admin_client, glossary, django_assert_max_num_queries):
    for number in range(6):
        GuidancePageFactory(
            title=f"Kapitel {number}",
            slug=f"kapitel-{number}",
            body=[{"type": "paragraph", "value": "<p>Resultatkedjan.</p>"}],
            publish=True,
        )
    admin_client.get(REPORT_URL)
    with django_assert_max_num_queries(40):
        response = admin_client.get(REPORT_URL)
    assert response.content.decode().count("/edit/") >= 6
    assert GuidancePage.objects.live().count() == 6
