"""The header search box's autocomplete in a real browser: ARIA 1.2 combobox, keyboard, no violations.

The tests only read: the content is built and served once for the module and each test gets a
browser context of its own in one Chromium (tests/browser.py::served_content, new_page).
"""

import pytest

from tests.browser import axe_violations, browser_test, chromium_browser, new_page, require_browser, served_content
from tests.factories import ConceptPageFactory, GuidancePageFactory, home_page


def _build_content():
    home_page()
    ConceptPageFactory(
        title="Utfall", english_term="outcome", short_definition="Hur deltagarna påverkats.", publish=True
    )
    ConceptPageFactory(title="Utvärdering", short_definition="En systematisk bedömning.", publish=True)
    GuidancePageFactory(title="Utmaningar i arbetet", publish=True)


@pytest.fixture(scope="module")
def server_url(django_db_setup, django_db_blocker):
    require_browser()
    with served_content(django_db_blocker, _build_content) as (url, _):
        yield url


@pytest.fixture(scope="module")
def chromium(server_url):
    with chromium_browser() as chromium:
        yield chromium


@browser_test
def test_autocomplete_is_a_keyboard_usable_combobox(server_url, chromium):
    page = new_page(chromium)
    page.goto(server_url + "/sok/")
    box = page.locator("#sokfalt-sidhuvud")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    listbox_id = box.get_attribute("aria-controls")
    box.click()
    box.type("ut", delay=50)
    listbox = page.locator(f"#{listbox_id}")
    listbox.locator("[role=option]").first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    options = listbox.locator("[role=option]")
    assert options.nth(0).inner_text().startswith("Utfall")
    assert options.count() == 3
    # A function, not an expression string: Playwright polls a string with eval, which the
    # Content-Security-Policy refuses.
    page.wait_for_function(
        "() => document.querySelector('.search-box [role=status]').textContent.includes('3 förslag')"
    )
    assert axe_violations(page) == []

    box.press("ArrowDown")
    first_id = options.nth(0).get_attribute("id")
    assert box.get_attribute("aria-activedescendant") == first_id
    assert options.nth(0).get_attribute("aria-selected") == "true"
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    box.press("ArrowUp")
    assert box.get_attribute("aria-activedescendant") == first_id

    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None

    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/begrepp/utfall/")


@browser_test
def test_enter_without_a_chosen_option_submits_the_search(server_url, chromium):
    page = new_page(chromium)
    page.goto(server_url + "/")
    box = page.locator("#sokfalt-sidhuvud")
    box.fill("outcome")
    box.press("Enter")
    page.wait_for_url("**/sok/?q=outcome")
    assert page.locator(".definition-card h2").inner_text() == "Utfall"
    assert axe_violations(page) == []


@browser_test
def test_search_works_with_javascript_off(server_url, chromium):
    page = new_page(chromium, java_script_enabled=False)
    page.goto(server_url + "/")
    page.locator("#sokfalt-sidhuvud").fill("utfallet")
    page.locator("#sokfalt-sidhuvud").press("Enter")
    page.wait_for_url("**/sok/?q=utfallet")
    assert page.locator(".search-result__title").first.inner_text() == "Utfall"
    assert page.locator("[role=combobox]").count() == 0
