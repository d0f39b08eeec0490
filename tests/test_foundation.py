"""The portal's ground: Swedish pages, landmarks, error pages and production settings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from home.views import server_error

REPO = Path(__file__).resolve().parent.parent


def test_home_page_is_swedish_with_landmarks(client, home):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv"' in html
    assert 'href="#huvudinnehall"' in html and "Hoppa till huvudinnehållet" in html
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html
    assert 'role="search"' in html and 'action="/sok/"' in html
    assert "Inga resultat är publicerade ännu." in html


def test_unknown_address_gives_swedish_404(client, home):
    response = client.get("/finns-inte/alls/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_server_error_page_is_swedish_and_needs_no_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Ett tekniskt fel har uppstått" in response.content.decode()


def test_admin_login_is_swedish(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "Logga in" in response.content.decode()


def _run_production(env_extra, *args):
    # A browser test in the same run may have set DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rejects;
    # CI exports REDIS_URL for the cache tests, and the tests here choose the cache themselves.
    dropped = ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_extra)
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("secret", ["", "django-insecure-dev-only-larportalen", "kort"])
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    result = _run_production({"SECRET_KEY": secret, "ALLOWED_HOSTS": "example.se"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY saknas eller är för svag" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _run_production(
        {
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "larportalen.example.se",
            "DATABASE_URL": "postgres://larportalen@127.0.0.1:5432/larportalen",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    # The portal's fail-soft subclasses of Django's backends (portal/cache.py).
    [("", "portal.cache.FailSoftFileBasedCache"), ("redis://r:6379/0", "portal.cache.FailSoftRedisCache")],
)
def test_production_cache_is_shared_between_processes(tmp_path, redis_url, backend):
    """Term explanations, the glossary's version and rate limits live in the cache: never per process."""
    env = {"SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "example.se", "CACHE_DIR": str(tmp_path)}
    if redis_url:
        env["REDIS_URL"] = redis_url
    result = _run_production(
        env, "shell", "-c", "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    )
    assert result.returncode == 0, result.stderr
    assert backend in result.stdout
    assert "LocMemCache" not in result.stdout
