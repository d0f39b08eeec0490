"""Elasticsearch down, slow or refusing: search answers from the database engine with a notice,
publishing finishes in bounded time, and the missed updates are caught up afterwards.

"Down" is a closed port, "slow" a server that accepts connections and never answers, and
"refusing" a server that answers 503: real network conditions, not mocks of Elasticsearch.
"""

import http.server
import io
import selectors
import socket
import threading
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from portal.cache import reset_health
from search import index, service
from search.documents import count_searchable, document_for, page_key
from search.engines import elasticsearch_engine
from search.index import is_stale
from search.models import PendingUpdate
from search.service import NOTICE_FALLBACK
from tests.cache_support import closed_port, redis_caches
from tests.conftest import service_required
from tests.factories import ConceptPageFactory, GuidancePageFactory
from tests.search_support import engine_settings, unique_prefix

TIMEOUT = 0.5


class SilentServer(str):
    """The server's URL, and how many HTTP requests have reached it so far."""

    def __new__(cls, url, received):
        instance = super().__new__(cls, url)
        instance._received = received
        return instance

    @property
    def requests(self) -> int:
        return sum(data.count(b" HTTP/1.1\r\n") for data in self._received.values())


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections, reads what it is sent and never says a word."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.setblocking(False)
    listening = selectors.DefaultSelector()
    listening.register(server, selectors.EVENT_READ)
    received, stop = {}, threading.Event()

    def serve():
        while not stop.is_set():
            for key, _ in listening.select(timeout=0.05):
                if key.fileobj is server:
                    try:
                        conn = server.accept()[0]
                    except OSError:
                        continue
                    conn.setblocking(False)
                    received[conn] = b""
                    listening.register(conn, selectors.EVENT_READ)
                    continue
                try:
                    data = key.fileobj.recv(65536)
                except OSError:
                    data = b""
                if data:
                    received[key.fileobj] += data
                else:
                    # The client gave up on this connection: stop watching it, keep what it sent.
                    listening.unregister(key.fileobj)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield SilentServer(f"http://127.0.0.1:{server.getsockname()[1]}", received)
    stop.set()
    thread.join()
    for conn in received:
        conn.close()
    listening.close()
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
    with override_settings(
        ELASTICSEARCH_URL=url,
        ELASTICSEARCH_INDEX_PREFIX=prefix,
        ELASTICSEARCH_TIMEOUT=TIMEOUT,
        SEARCH_ES_RETRY_SECONDS=30,
    ):
        yield prefix


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


# --- The cache down as well --------------------------------------------------------------------------


@pytest.fixture
def cache_down():
    """The portal's Redis cache at an address where nothing answers: it fails soft."""
    reset_health()
    with closed_port() as url, override_settings(CACHES=redis_caches(url)):
        yield
    reset_health()


def test_a_miss_is_recorded_and_search_answers_with_the_cache_and_elasticsearch_down(
    cache_down, silent_server, content, client, django_capture_on_commit_callbacks
):
    prefix = unique_prefix()
    # Elasticsearch slow (every attempt waits for the timeout), the cache refusing connections.
    with override_settings(ELASTICSEARCH_URL=silent_server, ELASTICSEARCH_INDEX_PREFIX=prefix,
                           ELASTICSEARCH_TIMEOUT=TIMEOUT, SEARCH_ES_RETRY_SECONDS=30):  # fmt: skip
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            GuidancePageFactory(title="Publicerad under avbrottet", intro="Om fjällrävar.", publish=True)
        assert time.monotonic() - started < TIMEOUT + 5
        assert PendingUpdate.objects.filter(index_name=prefix).exists()
        assert is_stale(prefix)
        data = client.get("/sok/", {"q": "fjällrävar", "format": "json"}).json()
        assert [r["title"] for r in data["results"]] == ["Publicerad under avbrottet"]
        assert NOTICE_FALLBACK in data["notices"]
        # The breaker still works without the shared cache: this process does not ask (and wait
        # for) Elasticsearch again, neither to index nor to search. Counted at the server rather
        # than timed, so that a busy machine cannot make the check fail or pass by chance.
        asked = silent_server.requests
        assert asked >= 1
        with django_capture_on_commit_callbacks(execute=True):
            GuidancePageFactory(title="Också under avbrottet", intro="Om lodjur.", publish=True)
        assert client.get("/sok/forslag/", {"q": "lodj"}).status_code == 200
        assert silent_server.requests == asked
        assert PendingUpdate.objects.filter(index_name=prefix).count() == 2


def test_a_miss_is_recorded_before_the_cache_is_touched(content, django_capture_on_commit_callbacks, caplog):
    """Even with a cache that raises (Django's own RedisCache at a dead address, as a local
    settings file might configure), the missed update reaches the database first."""
    prefix = unique_prefix()
    raising = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _closed_redis()}}
    with override_settings(ELASTICSEARCH_URL=_closed_port(), ELASTICSEARCH_INDEX_PREFIX=prefix,
                           ELASTICSEARCH_TIMEOUT=TIMEOUT, SEARCH_ES_RETRY_SECONDS=30):  # fmt: skip
        page = GuidancePageFactory(title="Publicerad", intro="Om fjällrävar.", publish=True)
        documents = {page_key(page.pk): document_for(page)}  # (a page's URL needs the cache too)
        with override_settings(CACHES=raising), django_capture_on_commit_callbacks(execute=True):
            index._apply(documents)
    assert list(PendingUpdate.objects.filter(index_name=prefix).values_list("key", flat=True)) == [page_key(page.pk)]


def _closed_redis() -> str:
    with closed_port() as url:
        return url


@pytest.mark.elasticsearch
def test_misses_are_replayed_while_the_cache_is_still_down(
    cache_down, db, home, client, django_capture_on_commit_callbacks
):
    service_required("ELASTICSEARCH_URL", "Elasticsearch")
    prefix = unique_prefix()
    real = engine_settings("elasticsearch", prefix)
    try:
        with override_settings(**real):
            ConceptPageFactory(title="Utfall", short_definition="Hur deltagarna påverkats.", publish=True)
            call_command("rebuild_search_index", stdout=io.StringIO())
        # Elasticsearch goes away too; an editor publishes meanwhile.
        with override_settings(**{**real, "ELASTICSEARCH_URL": _closed_port(), "ELASTICSEARCH_TIMEOUT": TIMEOUT}):
            with django_capture_on_commit_callbacks(execute=True):
                GuidancePageFactory(title="Publicerad under avbrottet", intro="Om lodjur.", publish=True)
            assert is_stale(prefix)
        with override_settings(**real):
            # Elasticsearch is back, the cache is not: the next search replays what was missed.
            data = client.get("/sok/", {"q": "lodjur", "format": "json"}).json()
            assert data["notices"] == []
            assert [r["title"] for r in data["results"]] == ["Publicerad under avbrottet"]
            assert not is_stale(prefix)
            assert service.search("lodjur").engine == "elasticsearch"
    finally:
        with override_settings(**real):
            elasticsearch_engine().drop_everything()


@pytest.mark.elasticsearch
def test_a_miss_recorded_during_a_replay_survives_it(db, home, monkeypatch, django_capture_on_commit_callbacks):
    """A replay reads the pending keys, sends the documents as they are then and deletes what it
    read; an edit whose update fails in the meantime must stay pending."""
    service_required("ELASTICSEARCH_URL", "Elasticsearch")
    prefix = unique_prefix()
    real = engine_settings("elasticsearch", prefix)
    try:
        with override_settings(**real):
            page = GuidancePageFactory(title="Kapitel", intro="Om lodjur.", publish=True)
            call_command("rebuild_search_index", stdout=io.StringIO())
            index._record_failure(prefix, [page_key(page.pk)], "missad", rest=False)
            original = index.document_for_key

            def edited_meanwhile(key):
                document = original(key)
                # Another request's update of the same page fails right now.
                index._record_failure(prefix, [key], "missad under uppspelningen", rest=False)
                return document

            monkeypatch.setattr(index, "document_for_key", edited_meanwhile)
            assert index.replay_pending() is False
            assert list(PendingUpdate.objects.filter(index_name=prefix).values_list("key", flat=True)) == [
                page_key(page.pk)
            ]
            monkeypatch.setattr(index, "document_for_key", original)
            assert index.replay_pending() is True
            assert not is_stale(prefix)
    finally:
        with override_settings(**real):
            elasticsearch_engine().drop_everything()
