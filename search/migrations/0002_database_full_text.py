"""The database's own full-text index replaces the SearchTerm table.

SQLite: an FTS5 table per document (`search_fts`) with prefix indexes, FTS5's vocabulary of it
(`search_fts_vocab`), and a trigram FTS5 table over the vocabulary for near spellings; triggers
keep both in step with deletions. PostgreSQL: weighted `tsvector` columns with GIN indexes on the
document table, and pg_trgm's trigram index on the vocabulary.

The tables and columns are not Django fields (neither database has the other's types), so a later
migration that rebuilds `search_searchdocument` or `search_searchvocabulary` on SQLite (Django
copies the table to alter it) must create the triggers again. After this migration, run
`manage.py rebuild_search_index` to fill the new index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, labels, definition, tags, summary, body, exact, words, prefix='2 3', tokenize='unicode61')",
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument "
    "BEGIN DELETE FROM search_fts WHERE rowid = old.id; END",
    "CREATE VIRTUAL TABLE search_vocab_trigram USING fts5(term, tokenize='trigram')",
    "CREATE TRIGGER search_vocab_insert AFTER INSERT ON search_searchvocabulary "
    "BEGIN INSERT INTO search_vocab_trigram (rowid, term) VALUES (new.id, new.term); END",
    "CREATE TRIGGER search_vocab_delete AFTER DELETE ON search_searchvocabulary "
    "BEGIN DELETE FROM search_vocab_trigram WHERE rowid = old.id; END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_vocab_delete",
    "DROP TRIGGER IF EXISTS search_vocab_insert",
    "DROP TABLE IF EXISTS search_vocab_trigram",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TABLE IF EXISTS search_fts_vocab",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector, ADD COLUMN title_vector tsvector",
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (search_vector)",
    "CREATE INDEX search_document_title_vector ON search_searchdocument USING gin (title_vector)",
    "CREATE INDEX search_vocabulary_trigram ON search_searchvocabulary USING gin (term gin_trgm_ops)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_vocabulary_trigram",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector, DROP COLUMN IF EXISTS title_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="SearchTerm"),
        migrations.RemoveIndex(model_name="searchvocabulary", name="search_vocab_first_len"),
        migrations.RemoveField(model_name="searchvocabulary", name="first"),
        # The vocabulary changes meaning (no first letters): it is refilled by the rebuild.
        migrations.RunSQL("DELETE FROM search_searchvocabulary", migrations.RunSQL.noop),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        ),
    ]
