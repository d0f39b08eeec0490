"""No English left on the project's admin screens (issue 14, point 4).

Every admin screen an editor of the portal meets — creating and editing each page type, the
framework's record listings and forms, the snippet listing, the workflow and report screens, the
dashboard — is read as a browser shows it (visible text and the texts of `title`, `aria-label`,
`placeholder` and `alt`). A text that is one of the admin's own English messages which has no
Swedish translation (Wagtail's, django-taggit's, modeladmin's catalogues, read as the Swedish admin
reads them, the project's locale/sv first) fails the test, naming the screen and the text. So an
upgrade that brings new untranslated text to these screens is caught, not only the texts listed
once by hand. Text that only the browser's scripts draw (the date picker) is checked by the editor
journeys (tests/test_editor_journeys.py).
"""

import re
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, Workflow, get_page_models

from home.models import CollectionVisibility
from larande.records.admin import FrameworkAdminGroup
from tests import factories
from tests.admin_forms import add_url, edit_url

ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
# Message ids that read the same in Swedish or are names, not English sentences.
SAME_IN_SWEDISH = {"ID", "URL", "Index", "Status", "Start", "PDF", "SVG", "OK", "Alt", "Text", "Wagtail"}


def _po_messages(path: Path):
    """The msgids (and plural ids) in a .po file, as strings."""
    text = path.read_text(encoding="utf-8")
    for block in re.findall(r'^msgid((?:\s*"(?:[^"\\]|\\.)*")+)', text, flags=re.M):
        parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
        message = "".join(parts).encode("utf-8").decode("unicode_escape")
        if message:
            yield message


@cache
def untranslated_patterns() -> tuple[re.Pattern, dict[str, str]]:
    """One pattern matching any English admin message the Swedish admin leaves untranslated, and
    each message by its own pattern (to name the message behind a text found)."""
    sources = []
    for config in apps.get_app_configs():
        for name in ("django.po",):
            po = Path(config.path) / "locale" / "en" / "LC_MESSAGES" / name
            if po.exists():
                sources.append(po)
    patterns = {}
    with translation.override("sv"):
        for po in sources:
            for message in _po_messages(po):
                # Placeholders stand for any text; everything else must match as written.
                pieces = re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", message)
                literal = " ".join("".join(pieces).split())
                if literal in SAME_IN_SWEDISH or not re.search(r"[a-z]{2}", literal):
                    continue
                if translation.gettext(message) != message:
                    continue
                pattern = r".+?".join(re.escape(" ".join(piece.split())) for piece in pieces)
                patterns[pattern] = message
    combined = re.compile("|".join(f"(?:{p})" for p in sorted(patterns, key=len, reverse=True)))
    return combined, patterns


def english_texts(html: str) -> list[str]:
    """The texts of the page that are untranslated English admin messages, with the message."""
    soup = BeautifulSoup(html, "lxml")
    texts = [
        value
        for tag in soup.find_all(True)
        for name, value in tag.attrs.items()
        if name in ATTRIBUTES and isinstance(value, str)
    ]
    for hidden in soup(["script", "style", "svg"]):
        hidden.decompose()
    texts += [str(s) for s in soup.find_all(string=True)]
    combined, patterns = untranslated_patterns()
    found = []
    for text in texts:
        text = " ".join(text.split())
        if text and combined.fullmatch(text):
            message = next(m for p, m in patterns.items() if re.fullmatch(p, text))
            found.append(text if message == text else f"{text} ({message!r})")
    return found


@pytest.fixture
def screens(site, admin_user):
    """(name, address) of every admin screen the project adds or customises."""
    home = site["glossary"].get_parent().specific
    records = {
        "indicator": factories.IndicatorFactory(),
        "evaluationquestion": factories.EvaluationQuestionFactory(),
        "region": factories.RegionFactory(),
        "ruspriority": factories.RusPriorityFactory(),
    }
    pages = [
        factories.ConceptPageFactory(parent=site["glossary"]),
        factories.GuidancePageFactory(parent=site["framework"]),
        factories.EffectChainPageFactory(parent=site["chains"]),
        factories.EvaluationResultPageFactory(parent=site["results"]),
        factories.StandardPageFactory(parent=home),
    ]
    for page in pages:
        page.save_revision()
    found = [("kontrollpanelen", "/admin/")]
    parents = [home, *[Page.objects.get(pk=page.pk).specific for page in site.values()]]
    for model in get_page_models():
        if model._meta.app_label not in ("home", "larande"):
            continue
        parent = next((p for p in parents if model in p.specific_class.allowed_subpage_models()), None)
        if parent is not None and model.can_create_at(parent):
            found.append((f"ny {model._meta.verbose_name}", add_url(parent, model)))
    for page in [*pages, *parents]:
        found.append((f"redigera {page.specific_class._meta.verbose_name}", edit_url(page)))
        found.append((f"lista under {page.title}", reverse("wagtailadmin_explore", args=[page.pk])))
    for model_admin in FrameworkAdminGroup.items:
        meta = model_admin.model._meta
        name = meta.model_name
        found.append((f"lista {name}", reverse(f"{meta.app_label}_{name}_modeladmin_index")))
        if name in records:
            found.append((f"ny {name}", reverse(f"larande_{name}_modeladmin_create")))
            found.append((f"redigera {name}", reverse(f"larande_{name}_modeladmin_edit", args=[records[name].pk])))
    workflow = Workflow.objects.get()
    found += [
        ("arbetsflöden", reverse("wagtailadmin_workflows:index")),
        ("arbetsflödet", reverse("wagtailadmin_workflows:edit", args=[workflow.pk])),
        ("uppgifter", reverse("wagtailadmin_workflows:task_index")),
        ("rapport arbetsflöden", reverse("wagtailadmin_reports:workflow")),
        ("rapport låsta sidor", reverse("wagtailadmin_reports:locked_pages")),
        ("rapport avrådda begrepp", reverse("deprecated_terms_report")),
        ("grupper", reverse("wagtailusers_groups:index")),
        ("samlingarnas synlighet", reverse(CollectionVisibility.snippet_viewset.get_url_name("list"))),
    ]
    return found


def test_the_project_admin_screens_have_no_untranslated_english(admin_client, screens):
    problems = []
    for name, url in screens:
        response = admin_client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        for text in english_texts(response.content.decode()):
            problems.append((name, text))
    problems = sorted(set(problems))
    assert problems == [], "\n".join(f"{a}: {b}" for a, b in problems)


def test_the_admin_loads_the_script_that_puts_the_date_pickers_button_in_swedish(admin_client, site):
    html = admin_client.get(edit_url(site["glossary"])).content.decode()
    assert 'src="/static/js/admin/swedish-admin.js"' in html
    # The button's English text comes from Wagtail's vendored date picker, not from a catalogue.
    from django.contrib.staticfiles import finders

    assert "Save Selected" in Path(finders.find("wagtailadmin/js/vendor/jquery.datetimepicker.js")).read_text()
    assert "xdsoft_save_selected" in Path(finders.find("js/admin/swedish-admin.js")).read_text()


def test_the_check_recognises_an_untranslated_message_as_a_page_shows_it():
    _combined, patterns = untranslated_patterns()
    plain = next(m for m in patterns.values() if "%" not in m and "{" not in m and " " in m)
    with_name = next(m for m in patterns.values() if "%(title)s" in m)
    shown = with_name.replace("%(title)s", "Utfall").replace("%%", "%")
    html = f"<p>  {plain} </p><button title='{plain}'>x</button><p>{shown}</p><p>Spara</p>"
    found = english_texts(html)
    assert found[:2] == [plain, plain] and len(found) == 3 and found[2].startswith(shown), found
