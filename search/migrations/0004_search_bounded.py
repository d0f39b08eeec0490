"""Search that stays bounded at 50,000 pages (see `search.engines.database.SAMPLE_ABOVE`).

PostgreSQL: an expression index on `id % 64`, the buckets a bounded match takes its even sample
from, so that the sample and the GIN index's rows are intersected before a row is read.

SQLite: the FTS5 table the search matches keeps only which columns each term is in, not its
positions (`detail='column'`): searching never asks for positions (each term is quoted on its
own, multi-word labels are ANDs), and lists without positions are a fraction of the size, so the
long lists of common words are read several times faster, the head's column filter most of all.
Autocomplete, which matches the start of a title and phrases, gets a table of its own over the
titles' folded words (`search_fts_words`, with positions and prefix indexes). The rows are
copied over, so searches work right after the migration; both ways keep the data.
"""

from django.db import migrations

SEARCH_COLUMNS = "title, labels, definition, tags, summary, body, exact"

POSTGRESQL_FORWARD = ["CREATE INDEX IF NOT EXISTS search_document_sample ON search_searchdocument ((id %% 64))"]
POSTGRESQL_BACKWARD = ["DROP INDEX IF EXISTS search_document_sample"]

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts_words USING fts5(words, prefix='2 3', tokenize='unicode61')",
    "INSERT INTO search_fts_words (rowid, words) SELECT rowid, words FROM search_fts",
    f"CREATE VIRTUAL TABLE search_fts_new USING fts5({SEARCH_COLUMNS}, tokenize='unicode61', detail='column')",
    f"INSERT INTO search_fts_new (rowid, {SEARCH_COLUMNS}) SELECT rowid, {SEARCH_COLUMNS} FROM search_fts",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TABLE search_fts_vocab",
    "DROP TABLE search_fts",
    "ALTER TABLE search_fts_new RENAME TO search_fts",
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN "
    "DELETE FROM search_fts WHERE rowid = old.id; DELETE FROM search_fts_words WHERE rowid = old.id; END",
]
SQLITE_BACKWARD = [
    "CREATE VIRTUAL TABLE search_fts_old USING fts5("
    f"{SEARCH_COLUMNS}, words, prefix='2 3', tokenize='unicode61')",
    f"INSERT INTO search_fts_old (rowid, {SEARCH_COLUMNS}, words) SELECT f.rowid, "
    + ", ".join(f"f.{c}" for c in SEARCH_COLUMNS.split(", "))
    + ", COALESCE(w.words, '') FROM search_fts f LEFT JOIN search_fts_words w ON w.rowid = f.rowid",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TABLE search_fts_vocab",
    "DROP TABLE search_fts",
    "DROP TABLE search_fts_words",
    "ALTER TABLE search_fts_old RENAME TO search_fts",
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument "
    "BEGIN DELETE FROM search_fts WHERE rowid = old.id; END",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_search_speed"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
