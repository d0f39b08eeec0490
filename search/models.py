"""The database search engine's documents, and the state of the Elasticsearch index.

The database index is always maintained, also when Elasticsearch is configured: it is the
fallback that answers when Elasticsearch is down, slow or behind. The full-text index itself is
the database's own (SQLite FTS5 tables, PostgreSQL tsvector columns), created by migration 0002
outside these models: see `search.engines.database`.
"""

from django.db import models


class SearchDocument(models.Model):
    """One searchable thing (a live, public page or an evaluation question) as the index sees it."""

    key = models.CharField(max_length=40, unique=True)  # "page:12" or "question:5"
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=True
    )
    question = models.ForeignKey(
        "larande.EvaluationQuestion", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    doc_type = models.CharField(max_length=20, db_index=True)
    title = models.CharField(max_length=500)
    # Folded and lower-cased, with a leading space, so that `LIKE '% ut%'` finds word starts.
    title_norm = models.CharField(max_length=510)
    url = models.CharField(max_length=1000)
    definition = models.TextField(blank=True)
    text = models.TextField(blank=True)  # the plain text that snippets are cut from
    chain_level = models.CharField(max_length=1, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    boost = models.FloatField(default=1.0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "sökdokument"
        verbose_name_plural = "sökdokument"
        indexes = [
            # What a search reads of each matching document besides its full-text row: the
            # SQLite engine reads it from this index alone (migration 0003).
            models.Index(fields=["id", "boost", "page_id", "doc_type", "year"], name="search_doc_rank"),
        ]

    def __str__(self):
        return f"{self.key} {self.title}"


class SearchFacet(models.Model):
    """A facet value of a document: type, chain level, tag, region or year."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=255)
    label = models.CharField(max_length=255)

    def __str__(self):
        return f"{self.facet}={self.value}"

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value", "document"], name="search_facet_value"),
            # Covers the facet counts of a set of documents (the label included): no table rows read.
            models.Index(fields=["document", "facet", "value", "label"], name="search_facet_doc_value"),
        ]


class SearchVocabulary(models.Model):
    """Every indexed term with a readable word for it (the candidates for "Menade du …?") and
    the number of documents holding it."""

    term = models.CharField(max_length=64, unique=True)
    # Empty for a term never suggested (one only in tags): it still has its document count.
    word = models.CharField(max_length=64)
    length = models.PositiveSmallIntegerField()
    # How many documents hold the term (any searched field): the idf of ranking and whether a
    # query word is in the index at all, without counting matches per query. Kept by every
    # index update and recounted by the rebuild.
    documents = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.term


class IndexState(models.Model):
    """Whether the Elasticsearch index has missed updates, and which; the rebuild command clears it."""

    name = models.CharField(max_length=100, unique=True)  # the alias, so test runs with other prefixes stay apart
    stale_since = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_rebuild = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name


class PendingUpdate(models.Model):
    """An index update Elasticsearch missed ("page:12", "question:5" or "glossary"), replayed later."""

    index_name = models.CharField(max_length=100)
    key = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.index_name}: {self.key}"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["index_name", "key"], name="unique_pending_update")]
