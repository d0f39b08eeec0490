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
        yield new_page(browser, width, height)


def new_page(browser, width=1280, height=900, **options):
    """A page in a context of its own (its own cookies and storage), so that one browser can serve
    several widths or tests: starting Chromium costs more than the page it shows."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="sv-SE", **options)
    return context.new_page()


@contextmanager
def served_content(django_db_blocker, build):
    """A live server over content that `build()` commits once, for a whole module; yields
    `(server_url, what build returned)`.

    The module's tests only read (each in its own browser context), so they share the content
    that a `transaction=True` test would build and flush again for each test. The database stays
    open to the module's tests and the server thread while it runs. At the end the content is
    flushed and the migrations' data put back from the serialized copy, as after a
    `serialized_rollback` test (tests/conftest.py), so the next module starts from the same
    database. Use it from a module-scoped fixture, and request no `db`, `transactional_db` or
    `live_server` in the module's tests: their rollback or flush would undo the content.
    """
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        connection = connections["default"]
        # pytest-django creates the test database when a collected test asks for one; a run of
        # just such a module has none that does, so the module creates it (and drops it after).
        created = None
        if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
            created = setup_databases(verbosity=0, interactive=False, aliases={connection.alias})
        if connection.in_atomic_block:
            pytest.fail("served_content() commits and cannot run inside another module's shared content")
        # pytest-django serializes the migrated database when a collected test asks for
        # serialized_rollback; a run of just this module may have none, so serialize it here (the
        # database is still as the migrations left it).
        serialized = getattr(connection, "_test_serialized_contents", None)
        if not serialized:
            serialized = connection.creation.serialize_db_to_string()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server.url, build()
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            # As TransactionTestCase does with a serialized copy: no post_migrate handlers, the
            # copy holds what they made.
            call_command("flush", verbosity=0, interactive=False, database=connection.alias, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(serialized)
            if created is not None:
                teardown_databases(created, verbosity=0)


# Resolves once every CSS animation and transition that is not endless has finished.
FINISHED_ANIMATIONS = """async () => {
    const finite = document.getAnimations().filter((a) => {
        const timing = a.effect && a.effect.getComputedTiming();
        return timing && Number.isFinite(timing.endTime);
    });
    await Promise.all(finite.map((a) => a.finished.catch(() => null)));
}"""


def axe_violations(page):
    """Run axe-core for WCAG 2.1 A/AA on the loaded page; returns a list of readable findings.

    axe is evaluated through the DevTools protocol, not added as a <script>: the portal's
    Content-Security-Policy refuses inline scripts, and the tests run with it in force.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    # Colours are read as drawn: an element still fading in (the admin's messages slide and fade
    # in) has too little contrast for the moment, which on a busy machine axe would report.
    page.evaluate(FINISHED_ANIMATIONS)
    # Every violation is reported in full; resultTypes only spares axe listing the nodes that pass
    # (a unique selector for each), which is most of its time on a long page.
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]


browser_test = pytest.mark.browser
