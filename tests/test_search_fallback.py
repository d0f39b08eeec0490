"""Elasticsearch down, slow or refusing: search answers from the database engine with a notice,
publishing finishes in bounded time, and the missed updates are caught up afterwards.

"Down" is a closed port, "slow" a server that accepts connections and never answers, and
"refusing" a server that answers 503: real network conditions, not mocks of Elasticsearch.
"""

import http.server
import io
import socket
import threading
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from search import service
from search.documents import count_searchable
from search.engines import elasticsearch_engine
from search.index import is_stale
from search.models import PendingUpdate
from search.service import NOTICE_FALLBACK
from tests.conftest import service_required
from tests.factories import ConceptPageFactory, GuidancePageFactory
from tests.search_support import engine_settings, unique_prefix

TIMEOUT = 0.5


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never says a word."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


class _Refusing(http.server.BaseHTTPRequestHandler):
    def _refuse(self):
        body = b'{"error": "unavailable", "status": 503}'
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _refuse

    def log_message(self, *args):
        pass


@pytest.fixture
def refusing_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Refusing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(params=["down", "slow", "refusing"])
def broken_es(request, silent_server, refusing_server):
    url = {"down": _closed_port(), "slow": silent_server, "refusing": refusing_server}[request.param]
    prefix = unique_prefix()
    cache.clear()
    with override_settings(
        ELASTICSEARCH_URL=url,
        ELASTICSEARCH_INDEX_PREFIX=prefix,
        ELASTICSEARCH_TIMEOUT=TIMEOUT,
        SEARCH_ES_RETRY_SECONDS=30,
    ):
        yield prefix
    cache.clear()


@pytest.fixture
def content(db, home):
    ConceptPageFactory(
        title="Utfall", english_term="outcome", short_definition="Hur deltagarna påverkats.", publish=True
    )
    GuidancePageFactory(title="Om utfall", intro="Utfallet inträffar direkt.", publish=True)


def test_search_answers_from_the_database_with_a_notice(broken_es, content, client):
    started = time.monotonic()
    response = client.get("/sok/", {"q": "utfallet"})
    first = time.monotonic() - started
    html = response.content.decode()
    assert response.status_code == 200
    assert NOTICE_FALLBACK in html
    assert 'class="definition-card"' in html and "Om utfall" in html
    assert first < TIMEOUT + 5
    # Elasticsearch rests after a failure: the next searches do not wait for it again.
    started = time.monotonic()
    data = client.get("/sok/", {"q": "outcome", "format": "json"}).json()
    assert time.monotonic() - started < TIMEOUT
    assert data["results"][0]["title"] == "Utfall"
    assert NOTICE_FALLBACK in data["notices"]
    assert client.get("/sok/forslag/", {"q": "ut"}).json()["suggestions"][0]["title"] == "Utfall"


def test_publishing_completes_in_bounded_time_and_records_the_miss(
    broken_es, content, client, django_capture_on_commit_callbacks
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        GuidancePageFactory(title="Publicerad under avbrottet", intro="Om fjällrävar.", publish=True)
    assert time.monotonic() - started < TIMEOUT + 5
    assert PendingUpdate.objects.filter(index_name=broken_es).exists()
    assert is_stale(broken_es)
    data = client.get("/sok/", {"q": "fjällrävar", "format": "json"}).json()
    assert [r["title"] for r in data["results"]] == ["Publicerad under avbrottet"]


@pytest.mark.elasticsearch
def test_missed_updates_are_caught_up(db, home, client, django_capture_on_commit_callbacks):
    service_required("ELASTICSEARCH_URL", "Elasticsearch")
    prefix = unique_prefix()
    real = engine_settings("elasticsearch", prefix)
    try:
        with override_settings(**real):
            ConceptPageFactory(title="Utfall", short_definition="Hur deltagarna påverkats.", publish=True)
            call_command("rebuild_search_index", stdout=io.StringIO())
        cache.clear()
        # Elasticsearch goes away; an editor publishes and unpublishes meanwhile.
        with override_settings(**{**real, "ELASTICSEARCH_URL": _closed_port(), "ELASTICSEARCH_TIMEOUT": TIMEOUT}):
            with django_capture_on_commit_callbacks(execute=True):
                gone = GuidancePageFactory(title="Avpublicerad under avbrottet", intro="Om lämlar.", publish=True)
            with django_capture_on_commit_callbacks(execute=True):
                GuidancePageFactory(title="Publicerad under avbrottet", intro="Om lodjur.", publish=True)
                gone.unpublish()
            assert is_stale(prefix)
        cache.clear()
        with override_settings(**real):
            # Back again: the next search replays what was missed and Elasticsearch answers.
            data = client.get("/sok/", {"q": "lodjur", "format": "json"}).json()
            assert data["notices"] == []
            assert [r["title"] for r in data["results"]] == ["Publicerad under avbrottet"]
            assert client.get("/sok/", {"q": "lämlar", "format": "json"}).json()["results"] == []
            assert not is_stale(prefix)
            engine = elasticsearch_engine()
            engine.refresh()
            assert engine.count() == count_searchable()
    finally:
        with override_settings(**real):
            elasticsearch_engine().drop_everything()
        cache.clear()


@pytest.mark.elasticsearch
def test_rebuild_command_catches_up_and_counts_match(db, home, django_capture_on_commit_callbacks):
    service_required("ELASTICSEARCH_URL", "Elasticsearch")
    prefix = unique_prefix()
    real = engine_settings("elasticsearch", prefix)
    try:
        cache.clear()
        with override_settings(**{**real, "ELASTICSEARCH_URL": _closed_port(), "ELASTICSEARCH_TIMEOUT": TIMEOUT}):
            with django_capture_on_commit_callbacks(execute=True):
                for n in range(3):
                    GuidancePageFactory(title=f"Kapitel {n}", publish=True)
            assert is_stale(prefix)
        with override_settings(**real):
            out = io.StringIO()
            call_command("rebuild_search_index", stdout=out)
            output = out.getvalue()
            assert "Elasticsearch: [" in output and "100%" in output
            assert f"Elasticsearch ({prefix}-" in output
            assert not is_stale(prefix)
            assert elasticsearch_engine().count() == count_searchable() == 3
            # A second rebuild swaps the alias to a new index and leaves only that one.
            old = elasticsearch_engine().alias_targets()
            call_command("rebuild_search_index", "--elasticsearch-only", stdout=io.StringIO())
            new = elasticsearch_engine().alias_targets()
            assert len(new) == 1 and new != old
            assert elasticsearch_engine().count() == 3
    finally:
        with override_settings(**real):
            elasticsearch_engine().drop_everything()
        cache.clear()


@pytest.mark.elasticsearch
def test_searches_keep_answering_during_a_rebuild(db, home):
    service_required("ELASTICSEARCH_URL", "Elasticsearch")
    prefix = unique_prefix()
    real = engine_settings("elasticsearch", prefix)
    try:
        with override_settings(**real):
            ConceptPageFactory(title="Utfall", short_definition="Hur deltagarna påverkats.", publish=True)
            call_command("rebuild_search_index", stdout=io.StringIO())
            answers, stop = [], threading.Event()
            engine = elasticsearch_engine()

            def search_while_rebuilding():
                # Straight to Elasticsearch (no database in this thread): the query the engine sends.
                while not stop.is_set():
                    result = engine.client.search(index=engine.alias, query=engine._query("utfall").to_dict())
                    answers.append(result["hits"]["total"]["value"])

            thread = threading.Thread(target=search_while_rebuilding)
            thread.start()
            try:
                call_command("rebuild_search_index", "--elasticsearch-only", stdout=io.StringIO())
            finally:
                stop.set()
                thread.join()
            assert answers and all(total == 1 for total in answers)
    finally:
        with override_settings(**real):
            elasticsearch_engine().drop_everything()


@pytest.mark.elasticsearch
def test_service_uses_elasticsearch_when_healthy(db, home):
    service_required("ELASTICSEARCH_URL", "Elasticsearch")
    prefix = unique_prefix()
    real = engine_settings("elasticsearch", prefix)
    try:
        with override_settings(**real):
            ConceptPageFactory(title="Utfall", short_definition="Hur deltagarna påverkats.", publish=True)
            call_command("rebuild_search_index", stdout=io.StringIO())
            response = service.search("utfall")
            assert response.engine == "elasticsearch" and response.notices == []
    finally:
        with override_settings(**real):
            elasticsearch_engine().drop_everything()
