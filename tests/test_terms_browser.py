"""In a real browser: a page with explained terms has no axe violations, and each definition is
reachable by keyboard (shown on focus, closed with Escape) and by pointer."""

import pytest

from tests.browser import axe_violations, browser_test, chromium_page
from tests.factories import ConceptPageFactory, GlossaryIndexPageFactory, GuidancePageFactory


def _page_with_terms(home):
    index = GlossaryIndexPageFactory(parent=home)
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
    )


@browser_test
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_explained_terms_pass_axe_and_open_by_keyboard_and_pointer(live_server, home):
    page = _page_with_terms(home)
    with chromium_page() as browser:
        browser.goto(live_server.url + page.url)
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
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_explained_terms_work_at_phone_width(live_server, home):
    page = _page_with_terms(home)
    with chromium_page(width=320, height=640) as browser:
        browser.goto(live_server.url + page.url)
        assert axe_violations(browser) == []
        link = browser.locator("a.term__link").first
        link.focus()
        tip = browser.locator(f"#{link.get_attribute('aria-describedby')}")
        assert tip.is_visible()
        box = tip.bounding_box()
        # The definition fits within the narrow viewport's width (no horizontal scrolling needed to read it).
        assert box["width"] <= 320
