"""In a real browser: a page with explained terms has no axe violations, and each definition is
reachable by keyboard (shown on focus, closed with Escape) and by pointer.

The tests only read: the page is built and served once for the module and each test gets a
browser context of its own in one Chromium (tests/browser.py::served_content, new_page).
"""

import pytest

from tests.browser import axe_violations, browser_test, chromium_browser, new_page, require_browser, served_content
from tests.factories import ConceptPageFactory, GlossaryIndexPageFactory, GuidancePageFactory, home_page


def _page_with_terms():
    """The guidance page with two explained terms; returns its address."""
    index = GlossaryIndexPageFactory(parent=home_page())
    ConceptPageFactory(
        parent=index,
        title="Utfall",
        slug="utfall",
        short_definition="Förändringar för målgrupperna som insatsen leder till.",
        publish=True,
    )
    ConceptPageFactory(parent=index, title="Prestationer", slug="prestationer", publish=True)
    return GuidancePageFactory(
        title="Så läser ni effektkedjan",
        slug="las-effektkedjan",
        body=[
            {"type": "paragraph", "value": "<h3>Utfall</h3><p>Först kommer prestationerna, sedan utfallet.</p>"},
            {"type": "callout", "value": {"heading": "Tänk på", "text": "<p>Utfall mäts hos målgruppen.</p>"}},
        ],
        publish=True,
    ).url


@pytest.fixture(scope="module")
def page_url(django_db_setup, django_db_blocker):
    require_browser()
    with served_content(django_db_blocker, _page_with_terms) as (server_url, path):
        yield server_url + path


@pytest.fixture(scope="module")
def chromium(page_url):
    with chromium_browser() as chromium:
        yield chromium


@browser_test
def test_explained_terms_pass_axe_and_open_by_keyboard_and_pointer(page_url, chromium):
    browser = new_page(chromium)
    browser.goto(page_url)
    assert browser.locator("a.term__link").count() == 2
    assert axe_violations(browser) == []

    # Keyboard: Tab until the first explained term has focus; its definition shows.
    for _ in range(60):
        browser.keyboard.press("Tab")
        if browser.evaluate("document.activeElement.classList.contains('term__link')"):
            break
    else:
        pytest.fail("no explained term could be reached with Tab")
    focused = browser.evaluate("document.activeElement.textContent")
    tip_id = browser.evaluate("document.activeElement.getAttribute('aria-describedby')")
    tip = browser.locator(f"#{tip_id}")
    assert focused == "prestationerna"
    assert tip.is_visible()
    assert "Prestationer:" in tip.inner_text()
    # axe with the definition open, too.
    assert axe_violations(browser) == []
    # Escape closes it (WCAG 1.4.13), focus stays on the link.
    browser.keyboard.press("Escape")
    assert not tip.is_visible()
    assert browser.evaluate("document.activeElement.getAttribute('aria-describedby')") == tip_id
    # Moving on closes it for good; the next term opens its own.
    browser.keyboard.press("Tab")
    assert browser.evaluate("document.activeElement.textContent") == "utfallet"
    next_tip = browser.evaluate("document.activeElement.getAttribute('aria-describedby')")
    assert browser.locator(f"#{next_tip}").is_visible()

    # Pointer: hovering the term shows the definition, and it stays while the pointer moves onto it.
    browser.keyboard.press("Escape")
    browser.mouse.click(5, 5)
    utfall = browser.locator("a.term__link", has_text="utfallet")
    utfall.hover()
    utfall_tip = browser.locator(f"#{utfall.get_attribute('aria-describedby')}")
    assert utfall_tip.is_visible()
    assert "Förändringar för målgrupperna" in utfall_tip.inner_text()
    utfall_tip.hover()
    assert utfall_tip.is_visible()


@browser_test
def test_explained_terms_work_at_phone_width(page_url, chromium):
    browser = new_page(chromium, width=320, height=640)
    browser.goto(page_url)
    assert axe_violations(browser) == []
    link = browser.locator("a.term__link").first
    link.focus()
    tip = browser.locator(f"#{link.get_attribute('aria-describedby')}")
    assert tip.is_visible()
    box = tip.bounding_box()
    # The definition fits within the narrow viewport's width (no horizontal scrolling needed to read it).
    assert box["width"] <= 320
