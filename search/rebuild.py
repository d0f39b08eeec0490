"""Rebuilding the indexes from the database: the database index in one transaction, Elasticsearch
into a new index that replaces the old one with an atomic alias swap (searches never see a gap)."""

import time
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from portal.progress import Progress

from . import glossary
from .documents import count_searchable, document_for_key, iter_documents
from .engines import database_engine, elasticsearch_configured, elasticsearch_engine
from .index import wake_elasticsearch
from .models import IndexState, PendingUpdate, SearchDocument


@dataclass
class RebuildReport:
    expected: int
    database: int
    elasticsearch: int | None = None
    index_name: str = ""
    seconds: float = 0.0


def rebuild_database(stream=None, batch: int = 200) -> int:
    """Refill the database index in one transaction: searches see the old index until it commits."""
    engine = database_engine()
    progress = Progress("Databasindex", count_searchable(), stream)
    with transaction.atomic():
        engine.clear()
        chunk, vocabulary, counts = [], {}, Counter()
        for document in iter_documents():
            chunk.append(document)
            if len(chunk) >= batch:
                engine.index_documents(chunk, fresh=True, vocabulary=vocabulary, counts=counts)
                progress.advance(len(chunk))
                chunk = []
        if chunk:
            engine.index_documents(chunk, fresh=True, vocabulary=vocabulary, counts=counts)
            progress.advance(len(chunk))
        engine.add_vocabulary(vocabulary, counts)
    progress.finish()
    return engine.count()


def rebuild_elasticsearch(stream=None) -> tuple[str, int]:
    """Fill a new index, swap the alias to it atomically, delete the old one; returns (name, count)."""
    engine = elasticsearch_engine()
    started = timezone.now()
    name = engine.new_index_name()
    engine.create_index(name, glossary.synonym_rules(glossary.load_glossary()))
    progress = Progress("Elasticsearch", count_searchable(), stream)
    try:
        for sent in engine.bulk_into(name, iter_documents()):
            progress.advance(sent)
        engine.refresh(name)
    except Exception:
        engine.delete_index(name)
        raise
    progress.finish()
    for old in engine.swap_alias(name):
        engine.delete_index(old)
    _reconcile(engine, name, started)
    PendingUpdate.objects.filter(index_name=engine.alias, created_at__lte=started).delete()
    wake_elasticsearch(engine.alias)
    stale = PendingUpdate.objects.filter(index_name=engine.alias).exists()
    IndexState.objects.update_or_create(
        name=engine.alias,
        defaults={"last_rebuild": timezone.now(), "stale_since": timezone.now() if stale else None, "last_error": ""},
    )
    engine.refresh(name)
    return name, engine.count(name)


def _reconcile(engine, name: str, started) -> None:
    """Changes made while the new index was filling went to the old one: apply them to the new one too."""
    indexed = engine.keys(name)
    current = set(SearchDocument.objects.values_list("key", flat=True))
    changed = set(SearchDocument.objects.filter(updated_at__gte=started).values_list("key", flat=True))
    documents = [document_for_key(key) for key in sorted(changed)]
    engine.apply([d for d in documents if d is not None], sorted(indexed - current))


def rebuild(stream=None, database: bool = True, elasticsearch: bool = True) -> RebuildReport:
    """Rebuild the database index and, when configured, Elasticsearch."""
    started = time.monotonic()
    expected = count_searchable()
    report = RebuildReport(expected=expected, database=database_engine().count())
    if database:
        report.database = rebuild_database(stream)
    if elasticsearch and elasticsearch_configured():
        report.index_name, report.elasticsearch = rebuild_elasticsearch(stream)
    report.seconds = time.monotonic() - started
    return report
