"""The admin entirely in Swedish (issue 14, point 4).

The project's own translations (locale/sv, read before Wagtail's catalogue) cover what Wagtail 8
leaves in English; the English readability score is not shown; only the portal's workflow
(Granskning) and groups (Redaktör, Kommunikatör, Granskare) exist; Wagtail's "moderering" is
called granskning.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import translation
from wagtail.models import Page, Workflow, WorkflowPage

from home.roles import GRANSKARE, KOMMUNIKATOR, REDAKTOR, WORKFLOW_NAME, ensure_roles_and_workflow
from larande.models import ConceptPage, GlossaryIndexPage
from tests.admin_forms import add_url, edit_url

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES"

# English that Wagtail 8 showed in the Swedish admin, as it appeared.
ENGLISH = [
    "Autosave is paused",
    "There are validation errors",
    "Edit account avatar",
    "Choose when this",
    "should go live and/or expire",
    "Anyone with editing permissions can create schedules",
    "But only those with publishing permissions can make them effective.",
    "Side panels",
    "Show issue",
    "comma-separated list of tags",
    "moderering",
    "Moderators",
]


@pytest.fixture
def concept(home):
    glossary = GlossaryIndexPage(title="Begrepp", slug="begrepp")
    home.add_child(instance=glossary)
    page = ConceptPage(title="Utfall", slug="utfall", short_definition="Det som händer direkt.")
    glossary.add_child(instance=page)
    page.save_revision()
    return page


def _screen(client, url) -> tuple[str, str]:
    """(visible text, attribute texts) of an admin screen, without its scripts' source."""
    response = client.get(url)
    assert response.status_code == 200, url
    soup = BeautifulSoup(response.content.decode(), "lxml")
    attributes = " ".join(
        value
        for tag in soup.find_all(True)
        for name, value in tag.attrs.items()
        if name in ("aria-label", "title", "placeholder", "alt") and isinstance(value, str)
    )
    for script in soup(["script"]):
        script.decompose()
    # Templates (<template>) hold text JavaScript shows later (the autosave indicator): kept.
    return soup.get_text(" ", strip=True), attributes


def test_the_page_editor_and_listing_have_no_english_left(admin_client, concept):
    glossary = concept.get_parent()
    for url in (edit_url(concept), add_url(glossary, ConceptPage), f"/admin/pages/{glossary.pk}/", "/admin/"):
        text, attributes = _screen(admin_client, url)
        for english in ENGLISH:
            assert english not in text and english not in attributes, (url, english)


def test_the_autosave_indicator_speaks_swedish(admin_client, concept):
    text, _ = _screen(admin_client, edit_url(concept))
    assert "Autosparningen är pausad" in text
    assert "Sparat" in text


@pytest.mark.parametrize(
    ("english", "swedish"),
    [
        ("There are validation errors, click save to highlight them.", "Några fält behöver rättas."),
        ("Anyone with editing permissions can create schedules", "Alla som får redigera kan ställa in tider"),
        ("But only those with publishing permissions can make them effective.", "Men bara den som får publicera"),
        ("Page '%(page_title)s' has been submitted for moderation.", "har skickats till granskning"),
    ],
)
def test_messages_shown_in_other_situations_are_swedish(english, swedish):
    with translation.override("sv"):
        assert swedish in translation.gettext(english)


def test_the_page_listing_counts_in_swedish(admin_client, concept):
    text, _ = _screen(admin_client, f"/admin/pages/{concept.get_parent().pk}/")
    assert re.search(r"1–1 av 1 \w+", text), text[:500]
    assert not re.search(r"\d+-\d+ of \d+", text)


def test_the_readability_score_is_not_shown(admin_client, concept):
    response = admin_client.get(edit_url(concept))
    html = response.content.decode()
    assert "data-content-readability-score" not in html
    assert "Läsbarhet" not in html
    assert "data-content-word-count" in html, "word count and reading time stay"


def test_only_the_portals_workflow_and_groups_exist(admin_client, home):
    ensure_roles_and_workflow()
    assert list(Workflow.objects.values_list("name", flat=True)) == [WORKFLOW_NAME]
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted([REDAKTOR, KOMMUNIKATOR, GRANSKARE])
    # The tree's root had Wagtail's workflow: pages outside the sections are reviewed the same way.
    root = Page.get_first_root_node()
    assert WorkflowPage.objects.get(page=root).workflow.name == WORKFLOW_NAME
    text, _ = _screen(admin_client, "/admin/workflows/list/")
    assert "Granskning" in text and "Moderators approval" not in text
    text, _ = _screen(admin_client, "/admin/groups/")
    assert "Moderators" not in text and "Editors" not in text and "Granskare" in text


def test_members_of_wagtails_default_groups_keep_a_matching_role(db, django_user_model):
    from home.roles import remove_wagtail_defaults

    moderators = Group.objects.create(name="Moderators")
    editors = Group.objects.create(name="Editors")
    mod = django_user_model.objects.create_user("mod", password="x")
    ed = django_user_model.objects.create_user("ed", password="x")
    moderators.user_set.add(mod)
    editors.user_set.add(ed)
    assert remove_wagtail_defaults()["groups"] == 2
    assert [g.name for g in mod.groups.all()] == [GRANSKARE]
    assert [g.name for g in ed.groups.all()] == [REDAKTOR]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) saknas")
def test_the_committed_catalogue_is_compiled_from_its_po_file(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(CATALOGUE / "django.po")], check=True)
    assert compiled.read_bytes() == (CATALOGUE / "django.mo").read_bytes(), "kör make messages"
