"""The real services that CI starts: PostgreSQL, an Elasticsearch 8 node and Redis."""

import os
import uuid

import pytest
from django.db import connection

from tests.conftest import service_required


@pytest.mark.postgres
def test_postgresql_answers():
    service_required("POSTGRES_TEST_URL", "PostgreSQL")
    import psycopg

    with psycopg.connect(os.environ["POSTGRES_TEST_URL"], connect_timeout=5) as conn:
        version = conn.execute("select current_setting('server_version_num')::int").fetchone()[0]
    assert version >= 130000


def test_redis_answers():
    service_required("REDIS_URL", "Redis")
    from redis import Redis

    client = Redis.from_url(os.environ["REDIS_URL"], socket_timeout=5)
    try:
        assert client.ping()
        assert int(client.info("server")["redis_version"].split(".")[0]) >= 7
        key = f"larportalen-test-services-{uuid.uuid4().hex[:8]}"
        assert client.set(key, 1, ex=60, nx=True) and client.incr(key) == 2 and 0 < client.ttl(key) <= 60
        client.delete(key)
    finally:
        client.close()


@pytest.mark.django_db
def test_suite_runs_on_the_configured_database():
    expected = "postgresql" if os.environ.get("TEST_DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


@pytest.mark.elasticsearch
def test_elasticsearch_indexes_and_searches_through_elasticsearch_dsl():
    service_required("ELASTICSEARCH_URL", "Elasticsearch")
    from elasticsearch import Elasticsearch
    from elasticsearch_dsl import Document, Text

    client = Elasticsearch(os.environ["ELASTICSEARCH_URL"], request_timeout=30)
    assert client.info()["version"]["number"].startswith("8.")
    index_name = f"larportalen-test-services-{uuid.uuid4().hex[:8]}"

    class Probe(Document):
        body = Text(analyzer="swedish")  # Elasticsearch's built-in Swedish language analyzer

        class Index:
            name = index_name

    try:
        Probe.init(using=client)
        Probe(body="Prestationerna beskriver hur många aktiviteter som genomförts").save(using=client, refresh=True)
        hits = Probe.search(using=client).query("match", body="prestation").execute()
        assert hits.hits.total.value == 1
        assert "Prestationerna" in hits[0].body
    finally:
        client.indices.delete(index=index_name, ignore_unavailable=True)
