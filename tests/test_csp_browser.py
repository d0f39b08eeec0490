"""In Chromium, with the Content-Security-Policy in force: nothing on the public pages or in the
admin is refused, and the scripts that the policy allows do run.

Every frame reports `securitypolicyviolation` events to the test, and Chromium's console errors
about the policy or the Permissions-Policy header are collected too; either fails the test.

The demo content is built and served once for the module (tests/browser.py::served_content) and
one Chromium serves every test, each in a context of its own; the tests only read.
"""

import pytest
from django.contrib.auth import get_user_model

from tests.browser import axe_violations, browser_test, chromium_browser, require_browser, served_content
from tests.test_security_headers import _public_urls

pytestmark = browser_test

PASSWORD = "redaktörens-lösenord"
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.__reportCsp([location.pathname + location.search, event.violatedDirective, event.blockedURI,
        event.sourceFile + ":" + event.lineNumber, (event.sample || "").slice(0, 80)].join(" | "));
}, true);
"""
# Resolves in the page after the tasks already queued there (a violation event is dispatched as a
# task of its own): once it has, every report up to now has been handed to the test.
AFTER_QUEUED_TASKS = "() => new Promise((resolve) => setTimeout(resolve, 0))"
# How long the network must stay quiet after `load` before a page counts as settled. The admin's
# scripts start their requests (choosers, previews, editing sessions) from `load` or from a reply;
# the portal's own pages start none without input (static/js/autocomplete.js waits for typing).
QUIET_MS = 150


class CspWatch:
    """A Chromium context whose every frame reports policy violations into `problems`."""

    def __init__(self, browser):
        self.problems = []
        self.in_flight = set()
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="sv-SE")
        self.context.expose_function("__reportCsp", lambda text: self.problems.append(f"violation: {text}"))
        self.context.add_init_script(REPORT_VIOLATIONS)
        self.context.on("request", lambda request: self.in_flight.add(request))
        self.context.on("requestfinished", lambda request: self.in_flight.discard(request))
        self.context.on("requestfailed", lambda request: self.in_flight.discard(request))
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            self.problems.append(f"console {message.type}: {text}")

    def goto(self, url):
        self.page.goto(url, wait_until="load")
        return self.settle()

    def settle(self):
        """Wait until the page has loaded, its requests have ended and the network has been quiet
        for QUIET_MS, and every violation reported so far has reached `problems`.

        Instead of Playwright's `networkidle`, which waits out 500 ms of quiet after every step."""
        self.page.wait_for_load_state("load")
        quiet = 0
        for _ in range(30_000 // 25):
            quiet = 0 if self.in_flight else quiet + 25
            if quiet >= QUIET_MS:
                break
            self.page.wait_for_timeout(25)
        else:
            pytest.fail(f"requests still open after 30 s: {[r.url for r in self.in_flight]}")
        self.page.evaluate(AFTER_QUEUED_TASKS)
        return self.page

    def close(self):
        self.context.close()


def _build_demo():
    """The demo content, an editor, and what the tests need to know of them: read here, since the
    tests run under Playwright's event loop, where Django's ORM would open a connection of its own."""
    from larande.demo.build import build_demo_content
    from larande.models import ConceptPage, EffectChainPage, EvaluationQuestion, EvaluationResultPage, GuidancePage

    build_demo_content()
    get_user_model().objects.create_superuser("redaktor", "redaktor@example.se", PASSWORD)
    # Locked out by its test, which the admin test must not depend on (the attempts are rows).
    get_user_model().objects.create_superuser("utelast", "utelast@example.se", PASSWORD)
    concept = ConceptPage.objects.live().first()
    result = EvaluationResultPage.objects.live().first()
    return {
        "public_urls": _public_urls(),
        "concept": concept.id,
        "concept_url": concept.url,
        "glossary": concept.get_parent().id,
        "framework": concept.get_parent().get_parent().id,
        "chain": EffectChainPage.objects.live().first().id,
        "result": result.id,
        "result_title": result.title,
        "guidance": GuidancePage.objects.live().first().id,
        "question": EvaluationQuestion.objects.first().pk,
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    require_browser()
    with served_content(django_db_blocker, _build_demo) as (url, known):
        yield {"url": url, **known}


@pytest.fixture(scope="module")
def browser(demo):
    with chromium_browser() as browser:
        yield browser


@pytest.fixture
def watch(browser):
    watch = CspWatch(browser)
    yield watch
    watch.close()


def _log_in(watch, base):
    page = watch.goto(base + "/admin/login/")
    page.fill("#id_username", "redaktor")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation(wait_until="load"):
        page.click("button[type=submit]")
    watch.settle()
    assert page.url == base + "/admin/", page.url


def _open_chooser(watch, button):
    page = watch.page
    button.scroll_into_view_if_needed()
    button.click()
    page.wait_for_selector(".modal.in .modal-content", timeout=15_000)
    watch.settle()
    title = page.locator(".modal.in h1, .modal.in h2").first.inner_text()
    page.locator(".modal.in button.close").first.click()
    page.wait_for_selector(".modal.in", state="detached", timeout=15_000)
    return title


def test_public_pages_run_their_scripts_and_break_no_rule(demo, watch):
    urls = demo["public_urls"]
    scripted = {}
    for label, url in urls.items():
        page = watch.goto(demo["url"] + url)
        # js-class.js, loaded from <head>, ran: the policy lets the portal's own files through.
        scripted[label] = page.evaluate("document.documentElement.classList.contains('js')")

    # The suggestion form's focus script (a static file, not inline) moves focus to the errors.
    page = watch.goto(demo["url"] + urls["begreppsförslag"])
    page.fill("#id_term", "?!")
    page.click(".suggestion-form button[type=submit]")
    page.wait_for_function("() => document.activeElement.id === 'felsammanfattning'")
    watch.settle()

    # The autocomplete's fetch is allowed (connect-src 'self').
    page = watch.goto(demo["url"] + "/sok/")
    box = page.locator("#sokfalt-sidhuvud")
    box.click()
    box.type("utfa", delay=50)
    page.locator(f"#{box.get_attribute('aria-controls')} [role=option]").first.wait_for(timeout=10_000)
    watch.settle()
    assert all(scripted.values()), scripted
    assert not watch.problems, "\n".join(watch.problems)


def test_the_admin_works_under_its_policy(demo, watch):
    base, concept, result, guidance = demo["url"], demo["concept"], demo["result"], demo["guidance"]
    screens = [
        "/admin/",
        f"/admin/pages/{demo['glossary']}/",
        f"/admin/pages/{concept}/edit/",
        f"/admin/pages/{demo['chain']}/edit/",
        f"/admin/pages/{result}/edit/",
        f"/admin/pages/{guidance}/edit/",
        f"/admin/pages/{demo['framework']}/edit/",
        f"/admin/pages/add/larande/conceptpage/{demo['glossary']}/",
        f"/admin/pages/{concept}/history/",
        "/admin/larande/evaluationquestion/",
        f"/admin/larande/evaluationquestion/edit/{demo['question']}/",
        "/admin/larande/indicator/create/",
        "/admin/larande/conceptsuggestion/",
        "/admin/images/",
        "/admin/images/multiple/add/",
        "/admin/documents/",
        "/admin/users/",
    ]
    _log_in(watch, base)
    for url in screens:
        page = watch.goto(base + url)
        assert page.url.startswith(base + url.split("?")[0]), f"{url} went to {page.url}"

    # Choosers: a page chooser in an inline panel row added by script, a document chooser, and an
    # image chooser in a StreamField block added by script.
    page = watch.goto(base + f"/admin/pages/{concept}/edit/")
    page.click("#id_contrasts-ADD")
    assert "Välj" in _open_chooser(watch, page.locator("#id_contrasts-FORMS [data-chooser-action-choose]").last)
    page = watch.goto(base + f"/admin/pages/{result}/edit/")
    page.click("#id_documents-ADD")
    assert "dokument" in _open_chooser(watch, page.locator("#id_documents-FORMS [data-chooser-action-choose]").last)
    page = watch.goto(base + f"/admin/pages/{guidance}/edit/")
    page.locator("button.c-sf-add-button").first.click()
    page.locator("[role=option]", has_text="Figur").first.click()
    assert "bild" in _open_chooser(watch, page.locator("[data-chooser-action-choose]").last)

    # The preview panel renders the public page, under the public policy, with its scripts running.
    page = watch.goto(base + f"/admin/pages/{result}/edit/")
    page.locator("[data-side-panel-toggle='preview']").click()
    page.wait_for_function(
        "() => { const f = document.querySelector('iframe[src*=\"/preview/\"], iframe[data-w-preview-target]');"
        " return f && f.contentDocument && f.contentDocument.readyState === 'complete'"
        " && f.contentDocument.title.includes('Lärportalen'); }",
        timeout=20_000,
    )
    watch.settle()
    preview = next(frame for frame in page.frames if "/preview/" in frame.url)
    assert demo["result_title"] in preview.title()
    assert preview.evaluate("document.documentElement.classList.contains('js')")

    # A draft opened on its own, and a public page with the editor's userbar.
    watch.goto(base + f"/admin/pages/{concept}/view_draft/")
    page = watch.goto(base + demo["concept_url"])
    assert page.locator("wagtail-userbar").count() == 1
    watch.settle()
    assert not watch.problems, "\n".join(watch.problems)


def test_the_lockout_page_is_accessible_and_within_the_policy(demo, watch):
    for _ in range(10):
        page = watch.goto(demo["url"] + "/admin/login/")
        page.fill("#id_username", "utelast")
        page.fill("#id_password", "fel-lösenord")
        with page.expect_navigation(wait_until="load"):
            page.click("button[type=submit]")
        watch.settle()
    assert page.locator("h1").inner_text() == "Inloggningen är tillfälligt spärrad"
    assert axe_violations(page) == []
    watch.settle()
    assert not watch.problems, "\n".join(watch.problems)
