"""Headless Chromium (Debian's, driven by Playwright) with axe-core from npm.

Pages run with the portal's Content-Security-Policy in force (no inline script, no eval). Pass
`page.wait_for_function` a function ("() => …"), never an expression string: Playwright polls a
string with eval, which the policy refuses as soon as the first check is false.
"""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import service_required

REPO = Path(__file__).resolve().parent.parent
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_browser():
    """Skip locally (fail in CI) unless Chromium and axe-core are installed."""
    if Path(CHROMIUM).exists() and AXE_JS.exists():
        os.environ.setdefault("CHROMIUM_READY", "1")
    service_required("CHROMIUM_READY", "Chromium med axe-core")


@contextmanager
def chromium_browser():
    """Chromium for one test. Do the test's database work outside it: inside, under Playwright's
    event loop, Django's ORM opens a database connection of its own that the test runner never
    closes (PostgreSQL then refuses to drop the test database)."""
    require_browser()
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls the test makes
    # around it are still synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@contextmanager
def chromium_page(width=1280, height=900):
    with chromium_browser() as browser:
        yield browser.new_page(viewport={"width": width, "height": height}, locale="sv-SE")


def axe_violations(page):
    """Run axe-core for WCAG 2.1 A/AA on the loaded page; returns a list of readable findings.

    axe is evaluated through the DevTools protocol, not added as a <script>: the portal's
    Content-Security-Policy refuses inline scripts, and the tests run with it in force.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]


browser_test = pytest.mark.browser
