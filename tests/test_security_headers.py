"""Security headers on every page type (portal/security.py), and the production proxy settings.

Public pages: a strict Content-Security-Policy (no inline script or style, no eval), and HTML
that needs nothing more (no inline <script>, <style>, style="" or on…="" handlers), so the
policy never has to be loosened. The admin: its own policy. Everywhere: Permissions-Policy,
Referrer-Policy and nosniff. Production trusts X-Forwarded-Proto only behind a declared proxy.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import Page

from home.views import server_error
from portal.security import PortalCSPMiddleware

REPO = Path(__file__).resolve().parent.parent
DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics", "interest-cohort")
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_common_headers(response, label):
    permissions = response.get("Permissions-Policy", "")
    for feature in DENIED_FEATURES:
        assert f"{feature}=()" in permissions, f"{label}: {feature} is not denied ({permissions!r})"
    assert response.get("Referrer-Policy") == "same-origin", label
    assert response.get("X-Content-Type-Options") == "nosniff", label


def assert_public_policy(response, label, frame_ancestors="'none'"):
    csp = policy(response)
    assert csp, f"{label}: no Content-Security-Policy"
    expected = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": [frame_ancestors],
        "form-action": ["'self'"],
    }
    for directive, sources in expected.items():
        assert csp.get(directive) == sources, f"{label}: {directive} is {csp.get(directive)}, not {sources}"
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header, f"{label}: {header}"


def inline_code(html: str) -> list[str]:
    """What in the page the public policy would refuse: inline scripts, styles and handlers."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for script in soup.find_all("script"):
        if not script.get("src") and script.get("type") not in DATA_SCRIPT_TYPES:
            found.append(f"inline <script>: {script.get_text()[:60]!r}")
    found += [f"<style>: {style.get_text()[:60]!r}" for style in soup.find_all("style")]
    for element in soup.find_all(True):
        for attribute in element.attrs:
            if attribute == "style" or attribute.startswith("on"):
                found.append(f'<{element.name} {attribute}="{element[attribute]}">')
        for attribute in ("href", "src", "action"):
            if str(element.get(attribute, "")).strip().lower().startswith("javascript:"):
                found.append(f"<{element.name} {attribute}=javascript:…>")
    return found


@pytest.fixture
def demo(demo_content, db):
    """The demo content, built once for the module: these tests only read it."""


def _public_urls():
    from larande.models import (
        ConceptPage,
        EffectChainPage,
        EvaluationQuestion,
        EvaluationResultPage,
        GuidancePage,
    )

    urls = {"startsida": "/", "sök": "/sok/?q=utfallet", "sök utan träff": "/sok/?q=qqqzzz"}
    for label, model in [
        ("begrepp", ConceptPage),
        ("vägledning", GuidancePage),
        ("effektkedja", EffectChainPage),
        ("resultat", EvaluationResultPage),
    ]:
        page = model.objects.live().first()
        urls[label] = page.url
        urls[f"{label} (lista)"] = page.get_parent().url
    glossary = ConceptPage.objects.live().first().get_parent().url
    urls["begreppsförslag"] = glossary + "foresla/"
    urls["begrepp för utskrift"] = glossary + "skriv-ut/"
    urls["lärdomar"] = "/lardomar/"
    urls["allmän sida"] = Page.objects.get(slug="tillganglighet").url
    urls["utvärderingsfrågor"] = reverse("larande:question_list")
    urls["utvärderingsfråga"] = reverse("larande:question_detail", args=[EvaluationQuestion.objects.first().pk])
    tag = ConceptPage.objects.live().exclude(tagged_items=None).first().tags.first()
    urls["tagg"] = reverse("larande:tag", args=[tag.slug])
    urls["ramverket som dokument"] = "/ramverket/dokument/"
    urls["täckning"] = "/effektkedjor/tackning/"
    urls["öppna data"] = "/oppna-data/"
    return urls


def test_every_public_page_type_has_a_strict_policy_and_no_inline_code(client, demo):
    problems = {}
    for label, url in _public_urls().items():
        response = client.get(url)
        if response.status_code != 200:
            problems[label] = f"{url} gave {response.status_code}"
            continue
        try:
            assert_public_policy(response, label)
            assert_common_headers(response, label)
        except AssertionError as error:
            problems[label] = str(error)
            continue
        found = inline_code(response.content.decode())
        if found:
            problems[label] = f"{url}: {found[:5]}"
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


OTHER_RESPONSES = [
    ("/finns-inte/", 404),
    ("/sok/forslag/?q=utf", 200),
    ("/resultat/rss/", 200),
    ("/lardomar/atom/", 200),
    ("/sitemap.xml", 200),
    ("/api/v2/pages/", 200),
    ("/oppna-data/begrepp.json", 200),
]


def test_errors_feeds_and_data_carry_the_same_headers(client, demo):
    for url, status in OTHER_RESPONSES:
        response = client.get(url)
        assert response.status_code == status, url
        assert_public_policy(response, url)
        assert_common_headers(response, url)
        if "html" in response.get("Content-Type", ""):
            assert not inline_code(response.content.decode()), url


def test_a_chain_diagram_download_keeps_its_own_stricter_policy(client, demo):
    from larande.models import EffectChainPage

    chain = EffectChainPage.objects.live().first()
    response = client.get(f"/effektkedjor/{chain.slug}/diagram.svg")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert ' style="' not in response.content.decode()
    assert_common_headers(response, "diagram.svg")


def test_the_server_error_page_allows_only_its_own_inline_style():
    import base64
    import hashlib
    import re

    request = RequestFactory().get("/")
    response = PortalCSPMiddleware(server_error)(request)
    assert response.status_code == 500
    css = re.search(rb"<style>(.*?)</style>", response.content, re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(css).digest()).decode()
    assert policy(response)["style-src"] == ["'self'", f"'sha256-{digest}'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.fixture
def editor_client(client, db):
    user = get_user_model().objects.create_superuser("granskare", "granskare@example.se", "hemligt-lösen")
    client.force_login(user)
    return client


def assert_admin_policy(response, label):
    csp = policy(response)
    assert csp.get("script-src") == ["'self'", "'unsafe-inline'"], f"{label}: {csp.get('script-src')}"
    assert csp.get("style-src") == ["'self'", "'unsafe-inline'"], label
    assert csp.get("default-src") == ["'self'"], label
    assert csp.get("object-src") == ["'none'"], label
    assert csp.get("base-uri") == ["'self'"], label
    assert csp.get("form-action") == ["'self'"], label
    assert csp.get("frame-ancestors") == ["'self'"], label
    assert "unsafe-eval" not in response["Content-Security-Policy"], label


def test_the_admin_has_its_own_policy(client, editor_client, demo):
    from larande.models import ConceptPage, EvaluationResultPage

    concept = ConceptPage.objects.live().first()
    result = EvaluationResultPage.objects.live().first()
    urls = {
        "instrumentpanel": "/admin/",
        "sidträd": f"/admin/pages/{concept.get_parent().id}/",
        "redigera begrepp": f"/admin/pages/{concept.id}/edit/",
        "redigera resultat": f"/admin/pages/{result.id}/edit/",
        "ny sida": f"/admin/pages/add/larande/conceptpage/{concept.get_parent().id}/",
        "poster (modeladmin)": "/admin/larande/evaluationquestion/",
        "ny indikator (modeladmin)": "/admin/larande/indicator/create/",
        "bilder": "/admin/images/",
        "dokument": "/admin/documents/",
        "sidväljare": "/admin/choose-page/",
    }
    for label, url in urls.items():
        response = editor_client.get(url)
        assert response.status_code == 200, f"{label}: {url} gave {response.status_code}"
        assert_admin_policy(response, label)
        assert_common_headers(response, label)


def test_the_admin_login_has_the_admin_policy(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert_admin_policy(response, "inloggning")
    assert_common_headers(response, "inloggning")


def test_a_preview_has_the_public_policy_but_may_be_framed_by_the_admin(editor_client, demo):
    from larande.models import ConceptPage

    concept = ConceptPage.objects.live().first()
    response = editor_client.get(f"/admin/pages/{concept.id}/view_draft/")
    assert response.status_code == 200
    assert concept.title in response.content.decode()
    assert_public_policy(response, "förhandsgranskning", frame_ancestors="'self'")
    assert_common_headers(response, "förhandsgranskning")
    assert not inline_code(response.content.decode().split("<!-- Wagtail user bar embed code -->")[0])


def _run_production(env_extra, code, command=("shell", "--verbosity", "0", "-c")):
    dropped = ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "TLS_TERMINATING_PROXY")
    env = {k: v for k, v in os.environ.items() if k not in dropped and "PROXY" not in k}
    env.update({"SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "larportalen.example.se", **env_extra})
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", *command, *([code] if code else [])],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# A request that says it came over HTTPS: is it believed, or redirected to HTTPS?
SECURE_PROBE = """
from django.conf import settings
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory
request = RequestFactory().get("/", HTTP_HOST="larportalen.example.se", HTTP_X_FORWARDED_PROTO="https")
redirect = SecurityMiddleware(lambda r: None).process_request(request)
print(settings.SECURE_PROXY_SSL_HEADER, request.is_secure(), redirect is not None)
"""


@pytest.mark.parametrize("value", [None, "false"])
def test_production_ignores_x_forwarded_proto_without_a_declared_proxy(value):
    result = _run_production({} if value is None else {"TLS_TERMINATING_PROXY": value}, SECURE_PROBE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["None", "False", "True"]


@pytest.mark.parametrize("value", ["true", "ja"])
def test_production_trusts_x_forwarded_proto_behind_a_declared_tls_proxy(value):
    result = _run_production({"TLS_TERMINATING_PROXY": value}, SECURE_PROBE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["True", "False"]
    assert "HTTP_X_FORWARDED_PROTO" in result.stdout


@pytest.mark.parametrize(("name", "value"), [("TLS_TERMINATING_PROXY", "kanske"), ("TRUSTED_PROXY_COUNT", "två")])
def test_production_refuses_unclear_proxy_settings(name, value):
    result = _run_production({name: value}, None, command=("check",))
    assert result.returncode != 0
    assert f"{name} ska vara" in result.stderr


def test_production_counts_proxies_for_logins_and_suggestions():
    code = "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT, settings.SUGGESTION_TRUSTED_PROXIES)"
    assert _run_production({"TRUSTED_PROXY_COUNT": "2"}, code).stdout.split() == ["2", "2"]
    both = {"TRUSTED_PROXY_COUNT": "2", "SUGGESTION_TRUSTED_PROXIES": "1"}
    assert _run_production(both, code).stdout.split() == ["2", "1"]


def test_the_deploy_check_passes_behind_a_declared_proxy():
    env = {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "larportalen.example.se",
        "DATABASE_URL": "postgres://larportalen@127.0.0.1:5432/larportalen",
        "TLS_TERMINATING_PROXY": "true",
        "TRUSTED_PROXY_COUNT": "1",
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    }
    env = {**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
