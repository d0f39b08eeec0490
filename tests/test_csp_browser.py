"""In Chromium, with the Content-Security-Policy in force: nothing on the public pages or in the
admin is refused, and the scripts that the policy allows do run.

Every frame reports `securitypolicyviolation` events to the test, and Chromium's console errors
about the policy or the Permissions-Policy header are collected too; either fails the test.
"""

import pytest
from django.contrib.auth import get_user_model

from tests.browser import axe_violations, browser_test, chromium_browser
from tests.test_security_headers import _public_urls

PASSWORD = "redaktörens-lösenord"
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.__reportCsp([location.pathname + location.search, event.violatedDirective, event.blockedURI,
        event.sourceFile + ":" + event.lineNumber, (event.sample || "").slice(0, 80)].join(" | "));
}, true);
"""


class CspWatch:
    """A Chromium context whose every frame reports policy violations into `problems`."""

    def __init__(self, browser):
        self.problems = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="sv-SE")
        self.context.expose_function("__reportCsp", lambda text: self.problems.append(f"violation: {text}"))
        self.context.add_init_script(REPORT_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            self.problems.append(f"console {message.type}: {text}")

    def goto(self, url):
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        return self.page


@pytest.fixture
def demo():
    from larande.demo.build import build_demo_content

    build_demo_content()
    return get_user_model().objects.create_superuser("redaktor", "redaktor@example.se", PASSWORD)


def _log_in(watch, base):
    page = watch.goto(base + "/admin/login/")
    page.fill("#id_username", "redaktor")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url == base + "/admin/", page.url


def _open_chooser(page, button):
    button.scroll_into_view_if_needed()
    button.click()
    page.wait_for_selector(".modal.in .modal-content", timeout=15_000)
    page.wait_for_load_state("networkidle")
    title = page.locator(".modal.in h1, .modal.in h2").first.inner_text()
    page.locator(".modal.in button.close").first.click()
    page.wait_for_selector(".modal.in", state="detached", timeout=15_000)
    return title


@browser_test
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_public_pages_run_their_scripts_and_break_no_rule(live_server, demo):
    urls = _public_urls()
    scripted = {}
    with chromium_browser() as browser:
        watch = CspWatch(browser)
        for label, url in urls.items():
            page = watch.goto(live_server.url + url)
            # js-class.js, loaded from <head>, ran: the policy lets the portal's own files through.
            scripted[label] = page.evaluate("document.documentElement.classList.contains('js')")

        # The suggestion form's focus script (a static file, not inline) moves focus to the errors.
        page = watch.goto(live_server.url + urls["begreppsförslag"])
        page.fill("#id_term", "?!")
        page.click(".suggestion-form button[type=submit]")
        page.wait_for_function("() => document.activeElement.id === 'felsammanfattning'")

        # The autocomplete's fetch is allowed (connect-src 'self').
        page = watch.goto(live_server.url + "/sok/")
        box = page.locator("#sokfalt-sidhuvud")
        box.click()
        box.type("utfa", delay=50)
        page.locator(f"#{box.get_attribute('aria-controls')} [role=option]").first.wait_for(timeout=10_000)
    assert all(scripted.values()), scripted
    assert not watch.problems, "\n".join(watch.problems)


@browser_test
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_admin_works_under_its_policy(live_server, demo):
    from larande.models import ConceptPage, EffectChainPage, EvaluationQuestion, EvaluationResultPage, GuidancePage

    base = live_server.url
    concept = ConceptPage.objects.live().first()
    chain = EffectChainPage.objects.live().first()
    result = EvaluationResultPage.objects.live().first()
    guidance = GuidancePage.objects.live().first()
    question = EvaluationQuestion.objects.first()
    concept_url = concept.url
    screens = [
        "/admin/",
        f"/admin/pages/{concept.get_parent().id}/",
        f"/admin/pages/{concept.id}/edit/",
        f"/admin/pages/{chain.id}/edit/",
        f"/admin/pages/{result.id}/edit/",
        f"/admin/pages/{guidance.id}/edit/",
        f"/admin/pages/{concept.get_parent().get_parent().id}/edit/",
        f"/admin/pages/add/larande/conceptpage/{concept.get_parent().id}/",
        f"/admin/pages/{concept.id}/history/",
        "/admin/larande/evaluationquestion/",
        f"/admin/larande/evaluationquestion/edit/{question.pk}/",
        "/admin/larande/indicator/create/",
        "/admin/larande/conceptsuggestion/",
        "/admin/images/",
        "/admin/images/multiple/add/",
        "/admin/documents/",
        "/admin/users/",
    ]
    with chromium_browser() as browser:
        watch = CspWatch(browser)
        _log_in(watch, base)
        for url in screens:
            page = watch.goto(base + url)
            assert page.url.startswith(base + url.split("?")[0]), f"{url} went to {page.url}"

        # Choosers: a page chooser in an inline panel row added by script, a document chooser, and an
        # image chooser in a StreamField block added by script.
        page = watch.goto(base + f"/admin/pages/{concept.id}/edit/")
        page.click("#id_contrasts-ADD")
        assert "Välj" in _open_chooser(page, page.locator("#id_contrasts-FORMS [data-chooser-action-choose]").last)
        page = watch.goto(base + f"/admin/pages/{result.id}/edit/")
        page.click("#id_documents-ADD")
        assert "dokument" in _open_chooser(page, page.locator("#id_documents-FORMS [data-chooser-action-choose]").last)
        page = watch.goto(base + f"/admin/pages/{guidance.id}/edit/")
        page.locator("button.c-sf-add-button").first.click()
        page.locator("[role=option]", has_text="Figur").first.click()
        assert "bild" in _open_chooser(page, page.locator("[data-chooser-action-choose]").last)

        # The preview panel renders the public page, under the public policy, with its scripts running.
        page = watch.goto(base + f"/admin/pages/{result.id}/edit/")
        page.locator("[data-side-panel-toggle='preview']").click()
        page.wait_for_function(
            "() => { const f = document.querySelector('iframe[src*=\"/preview/\"], iframe[data-w-preview-target]');"
            " return f && f.contentDocument && f.contentDocument.readyState === 'complete'"
            " && f.contentDocument.title.includes('Lärportalen'); }",
            timeout=20_000,
        )
        preview = next(frame for frame in page.frames if "/preview/" in frame.url)
        assert result.title in preview.title()
        assert preview.evaluate("document.documentElement.classList.contains('js')")

        # A draft opened on its own, and a public page with the editor's userbar.
        watch.goto(base + f"/admin/pages/{concept.id}/view_draft/")
        page = watch.goto(base + concept_url)
        assert page.locator("wagtail-userbar").count() == 1
    assert not watch.problems, "\n".join(watch.problems)


@browser_test
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_lockout_page_is_accessible_and_within_the_policy(live_server, demo):
    with chromium_browser() as browser:
        watch = CspWatch(browser)
        for _ in range(10):
            page = watch.goto(live_server.url + "/admin/login/")
            page.fill("#id_username", "redaktor")
            page.fill("#id_password", "fel-lösenord")
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
        assert page.locator("h1").inner_text() == "Inloggningen är tillfälligt spärrad"
        assert axe_violations(page) == []
    assert not watch.problems, "\n".join(watch.problems)
