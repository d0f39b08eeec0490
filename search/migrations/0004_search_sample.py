"""Bounded matching for very common words (see `search.engines.database.SAMPLE_ABOVE`).

PostgreSQL: an expression index on `id % 64`, the buckets a bounded match takes its even sample
from, so that the sample and the GIN index's rows are intersected before a row is read. SQLite
needs nothing: the sample is a filter on FTS5's row ids.
"""

from django.db import migrations

POSTGRESQL_FORWARD = ["CREATE INDEX IF NOT EXISTS search_document_sample ON search_searchdocument ((id %% 64))"]
POSTGRESQL_BACKWARD = ["DROP INDEX IF EXISTS search_document_sample"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_search_speed"),
    ]

    operations = [
        migrations.RunPython(_run(POSTGRESQL_FORWARD), _run(POSTGRESQL_BACKWARD)),
    ]
