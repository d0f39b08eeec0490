"""Titles and page addresses in the admin (issue 14, points 1 and 8).

Every page type's title goes through Wagtail's `TitleFieldPanel`, which fills the address
(slug) while a new page is written; a new page sent without an address gets one from its title,
in plain ASCII with dashes kept, so the first save never fails on the hidden *Marknadsför* tab.
Existing addresses are never rewritten.
"""

import json

import pytest
from bs4 import BeautifulSoup
from wagtail.models import get_page_models

from core.slugs import ascii_slug
from larande.models import ConceptPage, GlossaryIndexPage
from tests.admin_forms import PUBLISH, add_url, all_error_messages, edit_url, form_data, merged


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Utvärdering av RUS 2023–2024", "utvardering-av-rus-2023-2024"),
        ("Kortsiktiga effekter (0–2 år)", "kortsiktiga-effekter-0-2-ar"),
        ("Långsiktiga effekter — 1-10 år", "langsiktiga-effekter-1-10-ar"),
        ("Kompetenslyftet i Västra Götaland", "kompetenslyftet-i-vastra-gotaland"),
        ("Café, idé & översyn", "cafe-ide-oversyn"),
        ("Öresund – Øresund", "oresund-oresund"),
        ("  Ärende: 1 234 / 56  ", "arende-1-234-56"),
    ],
)
def test_a_title_becomes_a_plain_ascii_address_with_its_dashes(title, slug):
    assert ascii_slug(title) == slug


@pytest.fixture
def glossary(home):
    glossary = GlossaryIndexPage(title="Begrepp", slug="begrepp")
    home.add_child(instance=glossary)
    return glossary


def _required_only(client, parent, model, **values):
    """The empty add form as a browser without JavaScript sends it, with only `values` filled in."""
    return merged(form_data(client.get(add_url(parent, model))), {"slug": ""}, values)


def test_a_concept_with_only_the_required_fields_is_saved_on_the_first_try(admin_client, glossary):
    data = _required_only(
        admin_client,
        glossary,
        ConceptPage,
        title="Utvärdering av RUS 2023–2024",
        short_definition="En systematisk bedömning.",
    )
    response = admin_client.post(add_url(glossary, ConceptPage), data)
    assert response.status_code == 302, all_error_messages(response)
    page = ConceptPage.objects.get(title="Utvärdering av RUS 2023–2024")
    assert page.slug == "utvardering-av-rus-2023-2024"
    assert response["Location"] == edit_url(page)

    # Published from the editor as is: nothing else is required either.
    response = admin_client.post(edit_url(page), merged(form_data(admin_client.get(edit_url(page))), PUBLISH))
    assert response.status_code == 302, all_error_messages(response)
    page.refresh_from_db()
    assert page.live and page.url_path.endswith("/begrepp/utvardering-av-rus-2023-2024/")


def test_a_second_page_with_the_same_title_gets_a_numbered_address(admin_client, glossary):
    for _ in range(2):
        data = _required_only(admin_client, glossary, ConceptPage, title="Utfall", short_definition="Det som händer.")
        response = admin_client.post(add_url(glossary, ConceptPage), data)
        assert response.status_code == 302, all_error_messages(response)
    assert sorted(ConceptPage.objects.values_list("slug", flat=True)) == ["utfall", "utfall-2"]


def test_an_address_the_editor_typed_is_kept_and_checked(admin_client, glossary):
    glossary.add_child(instance=ConceptPage(title="Effekt", slug="effekt", short_definition="D."))
    data = _required_only(admin_client, glossary, ConceptPage, title="Effekt", short_definition="D.", slug="effekt")
    response = admin_client.post(add_url(glossary, ConceptPage), data)
    assert response.status_code == 200
    assert any("effekt" in message for message in all_error_messages(response))
    assert ConceptPage.objects.count() == 1


def test_an_existing_address_with_swedish_letters_is_kept_on_edit(admin_client, glossary):
    page = ConceptPage(title="Måluppfyllelse", slug="måluppfyllelse", short_definition="Hur väl målen nås.")
    glossary.add_child(instance=page)
    page.save_revision().publish()
    data = merged(form_data(admin_client.get(edit_url(page))), {"title": "Måluppfyllelse i år"}, PUBLISH)
    response = admin_client.post(edit_url(page), data)
    assert response.status_code == 302, all_error_messages(response)
    page.refresh_from_db()
    assert page.slug == "måluppfyllelse" and page.title == "Måluppfyllelse i år"


def _creatable_page_models():
    return [model for model in get_page_models() if model.__module__.split(".")[0] in ("home", "larande")]


@pytest.mark.parametrize("model", _creatable_page_models(), ids=lambda model: model.__name__)
def test_every_page_type_fills_its_address_from_its_title(model, rf, admin_user):
    """The title field is wired to the slug field (TitleFieldPanel), and the slug field makes ASCII
    with the dashes kept, in the browser as on the server."""
    request = rf.get("/admin/")
    request.user = admin_user
    edit_handler = model.get_edit_handler()
    page = model()
    form = edit_handler.get_form_class()(instance=page, parent_page=None, for_user=admin_user)
    soup = BeautifulSoup(edit_handler.get_bound_panel(instance=page, form=form, request=request).render_html(), "lxml")
    title = soup.find("input", attrs={"name": "title"})
    assert "w-sync" in title.get("data-controller", "")
    assert title["data-w-sync-target-value"] == "#id_slug"
    slug = soup.find("input", attrs={"name": "slug"})
    assert slug["data-controller"] == "w-slug"
    # Django leaves out an attribute whose value is False: the controller then keeps to ASCII.
    assert slug.get("data-w-slug-allow-unicode-value") is None
    formatters = json.loads(slug["data-w-slug-formatters-value"])
    assert formatters == [[["[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]", "g"], "-"]]
