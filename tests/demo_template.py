"""The demo content for tests: built for real once per test process, copied in after that.

`build_demo_content()` saves every page through Wagtail (revisions, the reference index, both
search indexes) and takes seconds; a dozen modules per pass need the same result on a freshly
migrated database. The first call in a process runs the real build and keeps, in memory, every
table the build changed, exactly as the build left it, and the media files it wrote. Later calls
on a database in the same state as before that build (each table's row count the same) put those
tables back as they were after it: the same rows, ids and files, in the caller's transaction. Any
other database, or a run with Elasticsearch configured (the build would also index there), gets
the real build. No tests live here.

How the tables are copied: PostgreSQL with `COPY … TO/FROM STDOUT/STDIN` (text format, every type
exactly, generated columns left to the server); SQLite row by row. SQLite's FTS5 tables are
copied through their own columns (never their shadow tables, which FTS5 owns), after the ordinary
tables, because triggers on those write into them (search/migrations).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

# Never changed by the build, and large: left alone.
UNTOUCHED = {"django_migrations"}


@dataclass
class _Table:
    name: str
    columns: list[str] = field(default_factory=list)
    rows: list | bytes = field(default_factory=list)
    virtual: bool = False


@dataclass
class _Template:
    vendor: str
    before: dict[str, int]
    tables: list[_Table]
    sequences: dict[str, int]
    media: dict[str, bytes]
    counts: dict


_template: _Template | None = None


def demo_content() -> dict:
    """What `build_demo_content()` returns, with the database as it leaves it (see the module)."""
    global _template
    from larande.demo.build import build_demo_content

    if getattr(settings, "ELASTICSEARCH_URL", ""):
        return build_demo_content()
    if _template is not None and _template.vendor == connection.vendor:
        if _row_counts(list(_template.before)) == _template.before:
            with transaction.atomic():
                _restore(_template)
            return {name: dict(value) if isinstance(value, dict) else value for name, value in _template.counts.items()}
        return build_demo_content()

    names = _tables()
    before_counts = _row_counts(list(names))
    before = {name: _read(name, virtual) for name, virtual in names.items()}
    media_before = _media()
    counts = build_demo_content()
    changed = [table for name, virtual in names.items() if (table := _read(name, virtual)) != before[name]]
    media = {path: data for path, data in _media().items() if media_before.get(path) != data}
    _template = _Template(connection.vendor, before_counts, changed, _sequences(), media, counts)
    return counts


# --- reading ------------------------------------------------------------------------------------


def _tables() -> dict[str, bool]:
    """Every table whose rows are content, each with whether it is an FTS5 table: ordinary tables
    and SQLite's FTS5 tables (not their shadow tables, nor fts5vocab's read-only views of them)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
            rows = cursor.fetchall()
        fts5 = {name for name, sql in rows if re.search(r"USING\s+fts5\s*\(", sql or "", re.IGNORECASE)}
        shadows = {f"{v}_{suffix}" for v in fts5 for suffix in ("data", "idx", "content", "docsize", "config")}
        return {
            name: name in fts5
            for name, sql in rows
            if not name.startswith("sqlite_")
            and name not in UNTOUCHED
            and name not in shadows
            and not re.search(r"USING\s+fts5vocab", sql or "", re.IGNORECASE)
        }
    return dict.fromkeys(sorted(set(connection.introspection.table_names()) - UNTOUCHED), False)


def _row_counts(names: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(n)})" for n in names))  # noqa: S608
        return dict(zip(names, cursor.fetchone(), strict=True))


def _read(name: str, virtual: bool) -> _Table:
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {quote(name)} TO STDOUT") as copy:
            return _Table(name, rows=b"".join(bytes(block) for block in copy))
    with connection.cursor() as cursor:
        # An FTS5 table's rowid is its only key (search_fts holds the search document's id there).
        cursor.execute(f"SELECT {'rowid, ' if virtual else ''}* FROM {quote(name)} ORDER BY 1")  # noqa: S608
        columns = [c[0] for c in cursor.description]
        return _Table(name, columns, [tuple(row) for row in cursor.fetchall()], virtual)


def _sequences() -> dict[str, int]:
    """SQLite's AUTOINCREMENT counters (PostgreSQL's sequences never go back, nothing to keep)."""
    if connection.vendor != "sqlite":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, seq FROM sqlite_sequence")
        return dict(cursor.fetchall())


def _media() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


# --- writing ------------------------------------------------------------------------------------


def _restore(template: _Template) -> None:
    quote = connection.ops.quote_name
    ordinary = [t for t in template.tables if not t.virtual]
    virtual = [t for t in template.tables if t.virtual]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Foreign keys are deferred to the commit (Django creates them DEFERRABLE INITIALLY
            # DEFERRED), so the order of the tables does not matter inside the transaction.
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in ordinary:
                cursor.execute(f"DELETE FROM {quote(table.name)}")  # noqa: S608
            for table in ordinary:
                if table.rows:
                    with cursor.cursor.copy(f"COPY {quote(table.name)} FROM STDIN") as copy:
                        copy.write(table.rows)
            _advance_postgres_sequences(cursor, [t.name for t in ordinary])
        else:
            for table in ordinary:
                cursor.execute(f"DELETE FROM {quote(table.name)}")  # noqa: S608
            for table in ordinary:
                _insert(cursor, table)
            # After the ordinary tables: their triggers write into the FTS5 tables.
            for table in virtual:
                cursor.execute(f"DELETE FROM {quote(table.name)}")  # noqa: S608
                _insert(cursor, table)
            for name, seq in template.sequences.items():
                cursor.execute("UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [seq, name])
                if not cursor.rowcount:
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [name, seq])
    root = Path(settings.MEDIA_ROOT)
    for relative, data in template.media.items():
        path = root / relative
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


def _insert(cursor, table: _Table) -> None:
    if not table.rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in table.columns)
    cursor.executemany(
        f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({', '.join(['%s'] * len(table.columns))})",  # noqa: S608
        table.rows,
    )


def _advance_postgres_sequences(cursor, names: list[str]) -> None:
    """Every identity or serial column's sequence past the highest id restored (a no-op unless
    something reset the sequence since the build)."""
    cursor.execute(
        "SELECT c.relname, a.attname, pg_get_serial_sequence(quote_ident(c.relname), a.attname) "
        "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
        "WHERE c.relname = ANY(%s) AND a.attnum > 0 AND NOT a.attisdropped "
        "AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL",
        [names],
    )
    for table, column, sequence in cursor.fetchall():
        cursor.execute(
            f"SELECT setval(%s, GREATEST((SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) "  # noqa: S608
            f"FROM {connection.ops.quote_name(table)}), (SELECT last_value FROM {sequence})))",
            [sequence],
        )
