"""Shared fixtures: a site whose root is the portal's HomePage, and service availability."""

import os

import pytest
from django.core.cache import cache
from wagtail.models import Page, Site

from home.models import HomePage


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: what a rolled-back test cached (a glossary version,
    the next scheduled change, a rate-limit count) must not leak into the next one."""
    cache.clear()
    yield


@pytest.fixture
def home(db):
    """The start page as the default site's root, like the demo content makes it."""
    root = Page.get_first_root_node()
    existing = HomePage.objects.first()
    if existing:
        return existing
    home = HomePage(title="Lärportalen", slug="hem", introduction="<p>Ramverk för strategiskt lärande.</p>")
    root.add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Lärportalen"},
    )
    Site.objects.exclude(root_page=home).delete()
    Page.objects.filter(depth=2).exclude(id=home.id).delete()
    return home


def service_required(env_var: str, what: str):
    """Skip locally with a reason when a service is absent; CI sets REQUIRE_SERVICES and fails instead."""
    if os.environ.get(env_var):
        return
    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(f"{what} krävs i CI men {env_var} är inte satt")
    pytest.skip(f"{what} saknas: sätt {env_var} (starta med `make services`)")
