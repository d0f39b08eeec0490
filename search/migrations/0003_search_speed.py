"""Search that stays fast at 50,000 pages.

- The vocabulary counts the documents holding each term (`documents`): a query's idf and whether
  a word is in the index at all are read from it, instead of counting matches per query.
- Covering indexes: what a search reads of each matching document (`search_doc_rank`), and the
  facet values of a set of documents (`search_facet_doc_value`, replacing `search_facet_doc`).
- PostgreSQL: `rank_vector`, the smaller vector `ts_rank_cd` scores the best candidates on (the
  title, labels, definition, tags and summary, and the start of the body), and a GIN index on
  the head of `search_vector` (`ts_filter(search_vector, '{a,b}')`: title, labels, definition,
  tags) for the cheap first score that chooses the candidates.
- SQLite: adding the count rebuilds the vocabulary table, so its triggers are created again.

The migration fills what it can from the index as it is (the counts from the index's own
statistics, the rank vector as a copy of the whole vector), so searches work right after it;
`manage.py rebuild_search_index` (which `make run` runs after migrating) makes the exact counts
and the smaller rank vector.
"""

from django.db import migrations, models

SQLITE_FORWARD = [
    # The vocabulary table was rebuilt (a new column): its triggers went with the old table.
    "DROP TRIGGER IF EXISTS search_vocab_insert",
    "DROP TRIGGER IF EXISTS search_vocab_delete",
    "CREATE TRIGGER search_vocab_insert AFTER INSERT ON search_searchvocabulary "
    "BEGIN INSERT INTO search_vocab_trigram (rowid, term) VALUES (new.id, new.term); END",
    "CREATE TRIGGER search_vocab_delete AFTER DELETE ON search_searchvocabulary "
    "BEGIN DELETE FROM search_vocab_trigram WHERE rowid = old.id; END",
    "UPDATE search_searchvocabulary SET documents = COALESCE("
    "(SELECT v.doc FROM search_fts_vocab v WHERE v.term = search_searchvocabulary.term), 0)",
    # Terms only in tags: counted, never suggested (no word).
    "CREATE VIRTUAL TABLE temp.search_fts_columns USING fts5vocab(main, search_fts, 'col')",
    "INSERT INTO search_searchvocabulary (term, word, length, documents) "
    "SELECT term, '', length(term), doc FROM temp.search_fts_columns WHERE col = 'tags' "
    "AND length(term) <= 64 AND term NOT IN (SELECT term FROM search_searchvocabulary)",
    "DROP TABLE temp.search_fts_columns",
]
POSTGRESQL_FORWARD = [
    "ALTER TABLE search_searchdocument ADD COLUMN rank_vector tsvector",
    "UPDATE search_searchdocument SET rank_vector = search_vector",
    "CREATE INDEX search_document_head ON search_searchdocument USING gin (ts_filter(search_vector, '{a,b}'))",
    "UPDATE search_searchvocabulary v SET documents = s.ndoc "
    "FROM ts_stat('SELECT search_vector FROM search_searchdocument') s WHERE s.word = v.term",
    "INSERT INTO search_searchvocabulary (term, word, length, documents) "
    "SELECT word, '', length(word), ndoc FROM ts_stat('SELECT search_vector FROM search_searchdocument') "
    "WHERE left(word, 2) <> 'zq' AND length(word) <= 64 ON CONFLICT (term) DO NOTHING",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_head",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS rank_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_database_full_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchvocabulary",
            name="documents",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RemoveIndex(model_name="searchfacet", name="search_facet_doc"),
        migrations.AddIndex(
            model_name="searchfacet",
            index=models.Index(fields=["document", "facet", "value", "label"], name="search_facet_doc_value"),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["id", "boost", "page_id", "doc_type", "year"], name="search_doc_rank"),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD}),
        ),
    ]
