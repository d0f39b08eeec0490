"""Keeping the indexes in step with the database.

The database index is updated in the same transaction as the change, so it is never behind.
Elasticsearch is told after the transaction commits (it never sees a change that is rolled
back), with short timeouts; when it is down, slow or refusing, the update is recorded as
pending, the index counts as stale, searches answer from the database engine, and the pending
updates are replayed as soon as Elasticsearch answers again (or by `rebuild_search_index`).

A missed update is written to the database (`PendingUpdate`) before anything else is tried:
before the circuit breaker in the cache and before logging, so that neither a cache that is down
too nor a failing log handler can lose it. The breaker is kept in the shared cache (every process
skips Elasticsearch after one failure) and, for when the cache is unavailable, in this process.
"""

import logging
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from larande.models import ConceptPage, EvaluationQuestion
from portal.cache import cache_available

from . import glossary
from .documents import (
    SEARCHABLE_PAGE_MODELS,
    document_for,
    document_for_key,
    page_document,
    page_key,
    question_key,
    showing,
)
from .engines import EngineUnavailable, database_engine, elasticsearch_configured, elasticsearch_engine
from .models import IndexState, PendingUpdate

logger = logging.getLogger(__name__)

GLOSSARY_KEY = "glossary"


def _retry_seconds() -> float:
    return float(getattr(settings, "SEARCH_ES_RETRY_SECONDS", 30))


def _breaker_key(alias: str) -> str:
    return f"search:es-down:{alias}"


# alias → time.monotonic() until which this process skips Elasticsearch: the breaker that still
# works when the shared cache does not.
_resting_here: dict[str, float] = {}


def elasticsearch_resting(alias: str) -> bool:
    """Whether Elasticsearch failed so recently that nobody should wait for it again yet."""
    if cache.get(_breaker_key(alias)):
        return True
    if not cache_available():
        return _resting_here.get(alias, 0.0) > time.monotonic()
    return False


def rest_elasticsearch(alias: str) -> None:
    """After a failure, skip Elasticsearch for a while so that every publish does not wait for a timeout."""
    seconds = _retry_seconds()
    if seconds > 0:
        _resting_here[alias] = time.monotonic() + seconds
        cache.set(_breaker_key(alias), True, seconds)


def wake_elasticsearch(alias: str) -> None:
    _resting_here.pop(alias, None)
    cache.delete(_breaker_key(alias))


def is_stale(alias: str) -> bool:
    """Whether Elasticsearch has missed updates that are not replayed yet."""
    return PendingUpdate.objects.filter(index_name=alias).exists()


def _record_pending(alias: str, keys) -> None:
    """Write the missed updates to the database, replacing older records of the same keys.

    Replaced, not kept: a replay that read an older record sends the document as it was then and
    deletes that record by its id afterwards; this newer miss must survive it.
    """
    keys = list(dict.fromkeys(keys))
    with transaction.atomic():
        PendingUpdate.objects.filter(index_name=alias, key__in=keys).delete()
        PendingUpdate.objects.bulk_create(
            [PendingUpdate(index_name=alias, key=key) for key in keys], ignore_conflicts=True
        )


def _record_failure(alias: str, keys, error, rest: bool = True) -> None:
    """Record a missed update first, then mark the index stale, rest Elasticsearch and log."""
    _record_pending(alias, keys)
    IndexState.objects.update_or_create(
        name=alias,
        defaults={"stale_since": timezone.now(), "last_error": str(error)[:2000]},
    )
    if rest:
        rest_elasticsearch(alias)
    logger.warning("Elasticsearch missed %d update(s) for %s: %s", len(keys), alias, error)


def _send_to_elasticsearch(documents: dict, glossary_changed: bool) -> None:
    """Apply updates to Elasticsearch now; a failure of any kind becomes a pending update."""
    engine = elasticsearch_engine()
    keys = list(documents) + ([GLOSSARY_KEY] if glossary_changed else [])
    try:
        resting = elasticsearch_resting(engine.alias)
        if not resting:
            engine.apply(
                [doc for doc in documents.values() if doc is not None],
                [key for key, doc in documents.items() if doc is None],
            )
            if glossary_changed:
                engine.put_synonyms(glossary.synonym_rules(glossary.load_glossary()))
    except Exception as error:
        # Not only EngineUnavailable: a document Elasticsearch refuses, a cache backend that raises
        # (one that does not fail soft, in local settings) or a bug must not drop the update either.
        # It stays pending, and searches answer from the database until a replay or a rebuild.
        _record_failure(engine.alias, keys, error)
        if not isinstance(error, EngineUnavailable):
            logger.exception("Elasticsearch update for %s failed unexpectedly", engine.alias)
        return
    if resting:
        _record_failure(engine.alias, keys, "skipped: Elasticsearch failed moments ago", rest=False)
        return
    if is_stale(engine.alias):
        replay_pending()


def _apply(documents: dict, glossary_changed: bool = False) -> None:
    """Write documents (key → document, or None to remove) to the database index now, and to
    Elasticsearch when the transaction commits."""
    db = database_engine()
    to_index = [doc for doc in documents.values() if doc is not None]
    to_remove = [key for key, doc in documents.items() if doc is None]
    if to_index:
        db.index_documents(to_index)
    if to_remove:
        db.remove_keys(to_remove)
    if elasticsearch_configured() and (documents or glossary_changed):
        transaction.on_commit(lambda: _send_to_elasticsearch(documents, glossary_changed), robust=True)


def update_page(page: Page) -> None:
    """Index a page as it is now: added or updated if live and public, removed otherwise."""
    page = page if isinstance(page, SEARCHABLE_PAGE_MODELS) else page.specific
    if not isinstance(page, SEARCHABLE_PAGE_MODELS):
        return
    documents = {page_key(page.pk): document_for(page)}
    if isinstance(page, ConceptPage):
        _add_contrasting_concepts(documents, [page.pk])
    _apply(documents, glossary_changed=isinstance(page, ConceptPage))


def _add_contrasting_concepts(documents: dict, concept_ids) -> None:
    """Re-index the live concepts that name these in "förväxla inte med": a concept's document
    includes its public contrasts, so one of them being published, unpublished or restricted
    changes it."""
    contrasting = ConceptPage.objects.live().filter(contrasts__other_id__in=list(concept_ids)).distinct()
    for concept in contrasting.exclude(pk__in=[int(key.split(":")[1]) for key in documents]):
        documents[page_key(concept.pk)] = document_for(concept)


def update_page_tree(page: Page) -> None:
    """Index a page and everything below it (after a move, a slug change or a privacy change)."""
    pages = Page.objects.descendant_of(page, inclusive=True).type(*SEARCHABLE_PAGE_MODELS).specific()
    documents, concepts = {}, False
    concept_ids = []
    for descendant in pages:
        documents[page_key(descendant.pk)] = document_for(descendant)
        if isinstance(descendant, ConceptPage):
            concepts = True
            concept_ids.append(descendant.pk)
    if concept_ids:
        _add_contrasting_concepts(documents, concept_ids)
    if documents:
        _apply(documents, glossary_changed=concepts)


def remove_page(page: Page) -> None:
    """Forget a deleted page (the glossary may have lost a concept: its synonyms are refreshed)."""
    concept = isinstance(page, ConceptPage) or page.content_type_id == _concept_type_id()
    _apply({page_key(page.pk): None}, glossary_changed=concept)


def _concept_type_id() -> int:
    return ContentType.objects.get_for_model(ConceptPage).pk


def update_record(record) -> None:
    """Re-index what shows a record after it was saved: a question itself, and the pages and
    questions whose documents show its text or name (see `documents.showing`): a renamed question,
    region, RUS priority, indicator or tag is then found under its new name and not the old one."""
    documents = {}
    if isinstance(record, EvaluationQuestion):
        documents[question_key(record.pk)] = document_for(record)
    pages, questions = showing(record)
    for page in pages:
        documents[page_key(page.pk)] = page_document(page)
    for question in questions:
        documents[question_key(question.pk)] = document_for(question)
    if documents:
        _apply(documents)


def remove_question(question_id: int) -> None:
    _apply({question_key(question_id): None})


def replay_pending() -> bool:
    """Send Elasticsearch the updates it missed; True when nothing is pending any more."""
    if not elasticsearch_configured():
        return True
    engine = elasticsearch_engine()
    pending = list(PendingUpdate.objects.filter(index_name=engine.alias))
    if not pending:
        return True
    keys = {p.key for p in pending}
    try:
        documents = {key: document_for_key(key) for key in keys if key != GLOSSARY_KEY}
        engine.apply(
            [doc for doc in documents.values() if doc is not None],
            [key for key, doc in documents.items() if doc is None],
        )
        if GLOSSARY_KEY in keys:
            engine.put_synonyms(glossary.synonym_rules(glossary.load_glossary()))
    except EngineUnavailable as error:
        rest_elasticsearch(engine.alias)
        logger.info("Replaying missed Elasticsearch updates failed: %s", error)
        return False
    except Exception:
        # The updates stay pending; searches answer from the database meanwhile.
        rest_elasticsearch(engine.alias)
        logger.exception("Replaying missed Elasticsearch updates failed unexpectedly")
        return False
    PendingUpdate.objects.filter(pk__in=[p.pk for p in pending]).delete()
    wake_elasticsearch(engine.alias)
    if is_stale(engine.alias):
        return False
    IndexState.objects.filter(name=engine.alias).update(stale_since=None)
    return True
