"""Editor journeys in Chromium (issue 14): what a Redaktör, a Kommunikatör and a Granskare do,
through the real admin, each ending on the public site.

- A Redaktör adds a concept and sends it to Granskning; a Granskare approves it; it is published.
- A Kommunikatör adds a result with indicator values typed with a decimal comma ("23,5"), which is
  stored as 23.5 and shown as "23,5" again; a Granskare approves it.
- A Redaktör adds an element to a chain and a link to it chosen in the lists (the element is not
  saved yet), and sends the change to Granskning; a Granskare approves it.

Each journey saves without a failed save, shows no English (ENGLISH below, visible text, titles
and labels), and axe-core finds no WCAG 2.1 A/AA violation on the admin screens visited, except
in the regions listed in AXE_EXCLUDED (Wagtail's own, outside the project's control; each says
why). The journeys take the screenshots the README's editor section shows (docs/screenshots/,
1000 px wide PNGs). They are written there only with UPDATE_SCREENSHOTS=1 (`make screenshots`);
an ordinary run writes them to .test-results/screenshots/, so tests never change the checkout.

One Chromium serves the module, one browser context per user; the content is built and served
once (tests/browser.py::served_content). No sleeps: every wait is for something on the page.
"""

import os
from pathlib import Path

import pytest

from tests.browser import (
    AXE_JS,
    WCAG_TAGS,
    browser_test,
    chromium_browser,
    new_page,
    require_browser,
    served_content,
)

pytestmark = browser_test

PASSWORD = "lösenord-för-resor"
REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / ("docs" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else ".test-results") / "screenshots"
WIDTH, HEIGHT = 1000, 760

# English the Swedish admin has shown, or could show if a translation went missing.
ENGLISH = [
    "Save Selected",
    "Saved",
    "Autosave is paused",
    "There are validation errors",
    "Edit account avatar",
    "Choose when this",
    "Anyone with editing permissions",
    "Submit for moderation",
    "Moderators",
    "moderation",
    "Side panel",
    "Minimap",
    "Show issue",
    "Date updated",
    "comma-separated list of tags",
    "Readability",
    "Save draft",
    "Publish",
    "Approve",
    "Request changes",
    "has been",
    "Page '",
    "Good",
]

# Regions axe-core does not check, each with the one violation found there: two React components of
# Wagtail's that the project neither renders nor styles. Everything else on the screens is checked,
# Wagtail's sidebar, header, footer actions and side panels included.
AXE_EXCLUDED = {
    # Wagtail's rich-text editor (Draftail, React): its writing area has role="textbox" without an
    # accessible name (aria-input-field-name; the field's label stands right above it), and its
    # root, scrollable once the text is long, is not focusable itself (scrollable-region-focusable;
    # the writing area inside it is).
    ".Draftail-Editor": "Wagtail's rich-text editor",
    # Wagtail's list of others editing the same page (header avatars): the avatar button has no
    # text (button-name) when the other user has no profile picture.
    ".w-editing-sessions": "Wagtail's editing sessions",
    # Wagtail's minimap (the page's outline beside a long form, React): once the form is longer
    # than the window its list scrolls but is not focusable (scrollable-region-focusable); every
    # entry in it is a link that takes focus, and the form itself is reached by keyboard as usual.
    ".w-minimap__list": "Wagtail's minimap",
    # Wagtail's date picker (the vendored xdsoft datetimepicker): while it is open after a date
    # field was filled, its month arrows are buttons without text (button-name). Whether it is
    # still open when axe runs depends on timing; the date fields themselves keep their labels.
    ".xdsoft_datetimepicker": "Wagtail's date picker",
}


# As tests/browser.py's FINISHED_ANIMATIONS, for the admin: wait for the transitions that fade and
# slide things in (under a second), not for a long-running one Wagtail's admin screens carry (about
# 25 seconds), which does not change what axe reads and would cost that much on every screen.
SHORT_ANIMATIONS_FINISHED = """async () => {
    const short = document.getAnimations().filter((a) => {
        const timing = a.effect && a.effect.getComputedTiming();
        return timing && Number.isFinite(timing.endTime) && timing.endTime <= 2000;
    });
    await Promise.all(short.map((a) => a.finished.catch(() => null)));
}"""


def _build():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from home.roles import GRANSKARE, KOMMUNIKATOR, REDAKTOR
    from larande.demo.builders import chain_elements, chain_links
    from larande.models import EffectChainPage
    from tests.factories import IndicatorFactory
    from tests.publishing_support import publish, sections

    pages = sections()
    for role in (REDAKTOR, KOMMUNIKATOR, GRANSKARE):
        user = get_user_model().objects.create_user(role.lower(), password=PASSWORD, first_name=role)
        user.groups.add(Group.objects.get(name=role))
    chain = EffectChainPage(
        title="Kompetenslyftet",
        slug="kompetenslyftet",
        purpose="Visa vägen från projektmedel till nya arbetssätt.",
        elements=chain_elements(
            [
                ("G1", "G", "Projektmedel", ""),
                ("F1", "F", "Workshoppar", ""),
                ("D1", "D", "Deltagarna har ny kunskap", ""),
            ]
        ),
        links=chain_links([("G1", "F1", "", ""), ("F1", "D1", "", "")]),
    )
    pages["chains"].add_child(instance=chain)
    publish(chain)
    IndicatorFactory(name="Andel företag som samverkar", unit="procent")
    return {name: page.pk for name, page in pages.items()} | {"chain": chain.pk, "chain_url": chain.url}


@pytest.fixture(scope="module")
def served(django_db_setup, django_db_blocker):
    require_browser()
    with served_content(django_db_blocker, _build) as (url, known):
        yield {"url": url, **known}


@pytest.fixture(scope="module")
def browser(served):
    with chromium_browser() as browser:
        yield browser


class Editor:
    """One user's browser context, logged in through the admin's login form."""

    def __init__(self, browser, base, username):
        self.base = base
        self.page = new_page(browser, WIDTH, HEIGHT)
        self.errors = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.goto("/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")
        assert self.page.url == base + "/admin/", self.page.url

    def goto(self, path):
        self.page.goto(self.base + path, wait_until="load")
        return self.page

    def check_screen(self, screenshot=None):
        """No English on the screen, no axe violation in what the project controls; a screenshot."""
        page = self.page
        page.evaluate(SHORT_ANIMATIONS_FINISHED)
        text = page.evaluate(
            """() => document.body.innerText + " " + Array.from(document.querySelectorAll(
                '[title],[aria-label],[placeholder],button,label')).map((e) => [e.title, e.ariaLabel,
                e.placeholder, e.textContent].join(" ")).join(" ")"""
        )
        english = [word for word in ENGLISH if word in text]
        assert english == [], (page.url, english)
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        result = page.evaluate(
            """async ([tags, exclude]) => await axe.run({exclude: exclude.map((s) => [s])},
                {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
            [WCAG_TAGS, list(AXE_EXCLUDED)],
        )
        violations = [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:4]}" for v in result["violations"]]
        assert violations == [], (page.url, violations)
        if screenshot:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{screenshot}.png"))
        assert self.errors == [], self.errors

    def action(self, name):
        """Press one of the editor's footer actions (Spara utkast, Skicka till granskning …)."""
        page = self.page
        button = page.locator(f"footer [name='{name}']").first
        if not button.is_visible():
            page.locator("footer .w-dropdown__toggle, footer [data-w-dropdown-target='toggle']").first.click()
        with page.expect_navigation():
            button.click()
        return page

    def page_id(self, title):
        """The id of the page called `title`, from its edit link on the screen."""
        href = self.page.locator(f"a[href*='/edit/']:has-text('{title}')").first.get_attribute("href")
        return int(href.rstrip("/").split("/")[-2])

    def messages(self):
        return [text.strip() for text in self.page.locator(".messages li").all_inner_texts()]


def _approve(browser, served, page_id, title):
    """A Granskare approves the page from its editor and is told it is published."""
    granskare = Editor(browser, served["url"], "granskare")
    granskare.goto("/admin/")
    assert "Inväntar din granskning" in granskare.page.locator("main").inner_text()
    assert title in granskare.page.locator("main").inner_text()
    granskare.check_screen("granskare-kontrollpanel")
    page = granskare.goto(f"/admin/pages/{page_id}/edit/")
    granskare.check_screen()
    button = page.locator("footer [data-workflow-action-name='approve']").first
    if not button.is_visible():
        page.locator("footer .w-dropdown__toggle, footer [data-w-dropdown-target='toggle']").first.click()
    assert button.inner_text().strip() == "Godkänn och publicera"
    with page.expect_navigation():
        button.click()
    assert f"”{title}” är godkänd och publicerad." in granskare.messages(), granskare.messages()
    granskare.check_screen()
    granskare.page.context.close()


def test_a_redaktor_publishes_a_new_concept_through_granskning(browser, served):
    redaktor = Editor(browser, served["url"], "redaktör")
    page = redaktor.goto(f"/admin/pages/add/larande/conceptpage/{served['glossary']}/")
    page.fill("#id_title", "Förändringsteori")
    page.fill("#id_short_definition", "En beskrivning av hur och varför en insats väntas leda till förändring.")
    page.select_option("#id_chain_level", "A")
    redaktor.check_screen("redaktor-nytt-begrepp")
    redaktor.action("action-submit")
    assert any("har skapats och skickats till granskning" in m for m in redaktor.messages()), redaktor.messages()
    redaktor.check_screen()
    page_id = redaktor.page_id("Förändringsteori")
    _approve(browser, served, page_id, "Förändringsteori")
    response = redaktor.page.goto(served["url"] + "/begrepp/forandringsteori/")
    assert response.status == 200 and "Förändringsteori" in redaktor.page.inner_text("h1")
    redaktor.page.context.close()


def test_a_kommunikator_reports_indicator_values_with_a_decimal_comma(browser, served):
    kommunikator = Editor(browser, served["url"], "kommunikatör")
    page = kommunikator.goto(f"/admin/pages/add/larande/evaluationresultpage/{served['results']}/")
    page.fill("#id_title", "Utvärdering av Kompetenslyftet 2023–2024")
    page.fill("#id_evaluated", "Kompetenslyftets två första år.")
    page.fill("#id_evaluator", "Regionens analysenhet")
    page.fill("#id_key_findings", "Fler företag samverkar med lärosätena.")
    page.fill("#id_period_end", "2024-12-31")
    # The date picker opens on the field; its button speaks Swedish (static/js/admin/swedish-admin.js).
    page.click("#id_period_start")
    picker = page.locator(".xdsoft_datetimepicker:visible").first
    picker.wait_for()
    assert page.locator(".xdsoft_save_selected").first.text_content() == "Använd valt datum"
    page.fill("#id_period_start", "2023-01-01")
    page.keyboard.press("Escape")
    page.click("#id_indicator_values-ADD")
    indicator = page.locator("#id_indicator_values-0-indicator option", has_text="Andel företag som samverkar")
    page.select_option("#id_indicator_values-0-indicator", indicator.first.get_attribute("value"))
    page.fill("#id_indicator_values-0-year", "2024")
    page.fill("#id_indicator_values-0-value", "23,5")
    page.fill("#id_indicator_values-0-target", "30")
    page.locator("#id_indicator_values-0-value").scroll_into_view_if_needed()
    kommunikator.check_screen("kommunikator-indikatorvarde")
    kommunikator.action("action-submit")
    assert any("skickats till granskning" in m for m in kommunikator.messages()), kommunikator.messages()
    page_id = kommunikator.page_id("Utvärdering av Kompetenslyftet")

    # The value is shown as typed, with its decimal comma, when the result is opened again.
    page = kommunikator.goto(f"/admin/pages/{page_id}/edit/")
    assert page.input_value("#id_indicator_values-0-value") == "23,5"
    kommunikator.check_screen()
    _approve(browser, served, page_id, "Utvärdering av Kompetenslyftet 2023–2024")

    # Stored as 23.5 (the API gives the stored decimal) and shown as "23,5" on the public page.
    api = kommunikator.page.request.get(
        served["url"] + "/api/v2/pages/?type=larande.EvaluationResultPage&fields=indicator_values"
    ).json()
    values = [v for item in api["items"] for v in item["indicator_values"]]
    assert [float(v["value"]) for v in values] == [23.5], values
    response = kommunikator.page.goto(served["url"] + "/resultat/utvardering-av-kompetenslyftet-2023-2024/")
    assert response.status == 200
    assert "23,5" in kommunikator.page.inner_text("main")
    kommunikator.page.context.close()


def test_a_redaktor_changes_a_chain_with_the_link_lists_through_granskning(browser, served):
    redaktor = Editor(browser, served["url"], "redaktör")
    page = redaktor.goto(f"/admin/pages/{served['chain']}/edit/")
    page.click("#id_elements-ADD")
    page.fill("#id_elements-3-key", "C1")
    page.select_option("#id_elements-3-level", "C")
    page.fill("#id_elements-3-title", "Deltagarna arbetar på nya sätt")
    page.click("#id_links-ADD")
    # The element typed a moment ago, not saved yet, is in the lists, sorted by level.
    page.select_option("#id_links-2-source_key", "D1")
    page.select_option("#id_links-2-target_key", "C1")
    targets = page.locator("#id_links-2-target_key option")
    assert targets.all_inner_texts()[-2:] == [
        "D1 (D Utfall): Deltagarna har ny kunskap",
        "C1 (C Kortsiktiga effekter): Deltagarna arbetar på nya sätt",
    ]
    # Only elements above the source may be chosen as its target.
    disabled = page.eval_on_selector_all("#id_links-2-target_key option:disabled", "(os) => os.map((o) => o.value)")
    assert disabled == ["G1", "F1", "D1"], disabled

    # The diagram, drawn from the unsaved form, beside it in Wagtail's preview panel.
    page.click("[data-side-panel-toggle='preview']")
    page.select_option("[data-w-preview-target='mode']", "diagram")
    frame = page.frame_locator("[data-w-preview-target='iframe']").first
    frame.locator("svg text:has-text('Deltagarna arbetar på nya sätt')").first.wait_for()
    frame.locator(".chain-diagram").first.scroll_into_view_if_needed()
    page.locator("#id_links-2-source_key").scroll_into_view_if_needed()
    redaktor.check_screen("redaktor-kedja-med-diagram")
    page.click("[data-side-panel-toggle='preview']")

    redaktor.action("action-submit")
    assert any("skickats till granskning" in m for m in redaktor.messages()), redaktor.messages()
    _approve(browser, served, served["chain"], "Kompetenslyftet")
    response = redaktor.page.goto(served["url"] + served["chain_url"])
    assert response.status == 200
    text = redaktor.page.inner_text("main")
    assert "Deltagarna arbetar på nya sätt" in text
    redaktor.page.context.close()
