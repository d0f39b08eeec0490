"""Shared helpers for the search tests: run the same test on both engines, against real services.

Elasticsearch tests talk to the real node in ELASTICSEARCH_URL, each with its own index prefix
(deleted afterwards), so runs never see each other's documents.
"""

import io
import os
import uuid

import pytest
from django.db import transaction
from django.test import override_settings

from search.engines import elasticsearch_engine
from search.rebuild import rebuild
from tests.conftest import service_required
from tests.factories import home_page

ENGINES = [
    pytest.param("database", id="database"),
    pytest.param("elasticsearch", id="elasticsearch", marks=pytest.mark.elasticsearch),
]


def unique_prefix() -> str:
    return f"larportalen-test-{uuid.uuid4().hex[:10]}"


def engine_settings(name: str, prefix: str | None = None, **extra) -> dict:
    """Settings that make the search service use one engine (Elasticsearch at the real node)."""
    if name == "elasticsearch":
        service_required("ELASTICSEARCH_URL", "Elasticsearch")
        return {
            "ELASTICSEARCH_URL": os.environ["ELASTICSEARCH_URL"],
            "ELASTICSEARCH_INDEX_PREFIX": prefix or unique_prefix(),
            "ELASTICSEARCH_TIMEOUT": float(os.environ.get("ELASTICSEARCH_TEST_TIMEOUT", "20")),
            "SEARCH_ES_RETRY_SECONDS": 0,
            **extra,
        }
    return {"ELASTICSEARCH_URL": "", "SEARCH_ES_RETRY_SECONDS": 0, **extra}


def make_engine_fixtures(build=None):
    """Two fixtures for a test module: the module's content, indexed by both engines, and the engine.

    `build()` creates content once per module (rolled back afterwards); the indexes are then
    rebuilt from the database as `manage.py rebuild_search_index` does. `search_engine` is
    parametrised over both engines and yields the engine name with its settings active.
    """

    @pytest.fixture(scope="module")
    def search_content(django_db_setup, django_db_blocker):
        prefix = unique_prefix()
        with django_db_blocker.unblock(), transaction.atomic():
            home_page()
            if build:
                build()
            with override_settings(**engine_settings("database")):
                rebuild(stream=io.StringIO())
            es_ready = False
            if os.environ.get("ELASTICSEARCH_URL"):
                with override_settings(**engine_settings("elasticsearch", prefix)):
                    rebuild(stream=io.StringIO(), database=False)
                    es_ready = True
            try:
                yield prefix
            finally:
                if es_ready:
                    with override_settings(**engine_settings("elasticsearch", prefix)):
                        elasticsearch_engine().drop_everything()
                transaction.set_rollback(True)

    @pytest.fixture(params=ENGINES)
    def search_engine(request, search_content, db):
        with override_settings(**engine_settings(request.param, search_content)):
            yield request.param

    return search_content, search_engine


def index_count() -> int:
    """Documents in the active engine's index."""
    from search.engines import database_engine, elasticsearch_configured

    if elasticsearch_configured():
        engine = elasticsearch_engine()
        engine.refresh()
        return engine.count()
    return database_engine().count()
