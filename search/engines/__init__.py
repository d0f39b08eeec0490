"""The two search engines behind one interface, and which one answers."""

from django.conf import settings

from .base import EngineUnavailable, SearchEngine
from .database import DatabaseEngine

__all__ = ["EngineUnavailable", "SearchEngine", "database_engine", "elasticsearch_configured", "elasticsearch_engine"]

_database = DatabaseEngine()


def database_engine() -> DatabaseEngine:
    """The embedded engine: always maintained, the fallback when Elasticsearch cannot answer."""
    return _database


def elasticsearch_configured() -> bool:
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def elasticsearch_engine():
    """The Elasticsearch engine for the current settings (URL, index prefix, timeout)."""
    from .elastic import ElasticsearchEngine

    return ElasticsearchEngine.for_settings()
