"""What differs between the databases: taking a consistent copy, seeing that a target is empty,
checking a dump before it is used, and putting it in place in one step.

SQLite: the online backup API copies the whole file in one step under a shared lock (writers wait
a moment; readers go on), from a connection that only reads. The copy is restored by renaming a
file staged in the same folder over the target, so the target is either untouched or complete.
Django's own connection is never opened on a restore before the rename: opening it would create
the database file.

PostgreSQL: one read-only REPEATABLE READ transaction exports its snapshot; the migrations and the
media references are read in it and `pg_dump --snapshot` dumps exactly that state. The dump goes
back with `pg_restore --single-transaction --exit-on-error`, so a failure leaves the target as
it was. `--no-owner --no-privileges` let the dump be restored by another role than made it.

Both leave out the rows of Wagtail's image renditions (their files are not archived).
"""

import contextlib
import glob
import os
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.db import DatabaseError, connections, transaction

from .archive import DATABASE_PREFIX, BackupError

LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# libpq's own connection options that Django's OPTIONS may carry; the rest (pool, isolation level,
# server-side binding) are psycopg's or Django's and mean nothing to pg_dump.
LIBPQ_OPTIONS = (
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslpassword",
    "connect_timeout",
    "options",
    "application_name",
    "target_session_attrs",
    "service",
    "passfile",
    "channel_binding",
)


@dataclass
class Snapshot:
    """A consistent copy of the database and what the manifest says about it."""

    path: Path
    migrations: dict[str, list[str]]
    referenced_files: list[str]
    server_version: str


def media_tables() -> tuple[list[tuple[str, str]], str]:
    """(table, file column) of images and documents, and the renditions' table."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    image_model, document_model = get_image_model(), get_document_model()
    files = [(model._meta.db_table, model._meta.get_field("file").column) for model in (image_model, document_model)]
    return files, image_model.get_rendition_model()._meta.db_table


def _read_state(cursor, existing_tables: set[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Applied migrations per app and every media path the database refers to, through a DB-API cursor."""
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in existing_tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    referenced = []
    file_tables, _ = media_tables()
    for table, column in file_tables:
        if table in existing_tables:
            # Table and column names come from the models, not from input.
            cursor.execute(f'SELECT "{column}" FROM "{table}"')  # noqa: S608
            referenced.extend(row[0] for row in cursor.fetchall() if row[0])
    return migrations, sorted(set(referenced))


class SqliteDatabase:
    vendor = "sqlite"
    label = LABELS[vendor]
    member = DATABASE_PREFIX + "db.sqlite3"

    def __init__(self, alias: str = "default"):
        self.alias = alias
        name = str(connections[alias].settings_dict["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            raise BackupError("Databasen ligger i minnet och kan inte säkerhetskopieras eller återställas.")
        self.path = Path(name).absolute()

    def describe(self) -> str:
        return str(self.path)

    # --- backup

    def snapshot(self, workdir: Path) -> Snapshot:
        if not self.path.is_file():
            raise BackupError(f"Databasfilen {self.path} finns inte. Är portalen uppsatt (manage.py migrate)?")
        target = workdir / "db.sqlite3"
        source = sqlite3.connect(self._read_only_uri(self.path), uri=True, timeout=60)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            migrations, referenced = _read_state(copy.cursor(), tables)
            _, renditions = media_tables()
            if renditions in tables:
                copy.execute(f'DELETE FROM "{renditions}"')  # noqa: S608 - a model's table name
                copy.commit()
        except sqlite3.Error as error:
            raise BackupError(f"Kopian av SQLite-databasen {self.path} misslyckades: {error}.") from error
        finally:
            copy.close()
            source.close()
        return Snapshot(target, migrations, referenced, sqlite3.sqlite_version)

    # --- restore

    def check_empty(self) -> None:
        """Refuse unless the file is missing, empty or without a single table (read-only look)."""
        if not self.path.parent.is_dir():
            raise BackupError(f"Mappen för databasen ({self.path.parent}) finns inte.")
        if not self.path.exists():
            return
        if not self.path.is_file():
            raise BackupError(f"Databasen {self.path} är inte en fil.")
        for suffix in ("-wal", "-journal"):
            side = Path(f"{self.path}{suffix}")
            if side.exists() and side.stat().st_size:
                raise BackupError(
                    f"Databasen {self.path} används ({side.name} finns). Stoppa portalen och återställ till en ny fil."
                )
        if self.path.stat().st_size == 0:
            return
        try:
            with contextlib.closing(sqlite3.connect(self._read_only_uri(self.path), uri=True)) as con:
                count = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{self.path} är ingen SQLite-databas ({error}). Ingenting har ändrats.") from error
        if count:
            raise BackupError(
                f"Databasen {self.path} är inte tom ({count} tabeller, index och liknande). Återställning görs bara "
                "till en tom databas: flytta undan filen eller peka DATABASE_URL på en ny. Ingenting har ändrats."
            )

    @contextlib.contextmanager
    def staging(self):
        """A path for the archived database beside the target (so the rename is atomic); removed afterwards."""
        staged = self.path.parent / f".{self.path.name}.restore-{secrets.token_hex(4)}"
        try:
            yield staged
        finally:
            staged.unlink(missing_ok=True)

    @classmethod
    def check_dump(cls, path: Path, manifest: dict) -> None:
        """The archived file is a sound SQLite database whose migrations are the manifest's."""
        try:
            with contextlib.closing(sqlite3.connect(cls._read_only_uri(path), uri=True)) as con:
                result = con.execute("PRAGMA quick_check").fetchone()[0]
                tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                migrations, _ = _read_state(con.cursor(), tables)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"Databasen i arkivet går inte att läsa ({error}). Ingenting har ändrats.") from error
        if result != "ok":
            raise BackupError(f"Databasen i arkivet är skadad ({result}). Ingenting har ändrats.")
        if migrations != manifest["migrations"]:
            raise BackupError("Databasen i arkivet stämmer inte med manifestets migreringar. Ingenting har ändrats.")

    def restore(self, staged: Path) -> None:
        with open(staged, "rb") as handle:
            os.fsync(handle.fileno())
        connections[self.alias].close()
        os.replace(staged, self.path)
        directory = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    @staticmethod
    def _read_only_uri(path: Path) -> str:
        return f"file:{quote(str(Path(path).absolute()))}?mode=ro"


class PostgresDatabase:
    vendor = "postgresql"
    label = LABELS[vendor]
    member = DATABASE_PREFIX + "larportalen.pgdump"

    def __init__(self, alias: str = "default"):
        self.alias = alias
        self.connection = connections[alias]
        self.settings = self.connection.settings_dict
        if not self.settings.get("NAME"):
            raise BackupError("DATABASE_URL saknar databasens namn.")

    def describe(self) -> str:
        host = self.settings.get("HOST") or "lokalt uttag"
        port = f":{self.settings['PORT']}" if self.settings.get("PORT") else ""
        return f"{self.settings['NAME']} på {host}{port}"

    def _connect_args(self) -> tuple[str, dict]:
        """A libpq connection string and environment; the password goes in the environment, never argv."""
        from psycopg.conninfo import make_conninfo

        params = {
            "dbname": self.settings["NAME"],
            "user": self.settings.get("USER") or None,
            "host": self.settings.get("HOST") or None,
            "port": str(self.settings["PORT"]) if self.settings.get("PORT") else None,
        }
        options = self.settings.get("OPTIONS") or {}
        params.update({key: str(options[key]) for key in LIBPQ_OPTIONS if key in options})
        env = dict(os.environ)
        if self.settings.get("PASSWORD"):
            env["PGPASSWORD"] = self.settings["PASSWORD"]
        return make_conninfo(**{k: v for k, v in params.items() if v is not None}), env

    @staticmethod
    def tool(name: str) -> str:
        """pg_dump or pg_restore: on PATH, or the newest of Debian's versioned client folders."""
        found = shutil.which(name)
        if found:
            return found
        candidates = sorted(
            glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[-3]), reverse=True
        )
        if candidates:
            return candidates[0]
        raise BackupError(f"{name} saknas. Installera PostgreSQL:s klientverktyg (Debian: postgresql-client).")

    # --- backup

    def snapshot(self, workdir: Path) -> Snapshot:
        target = workdir / "larportalen.pgdump"
        conninfo, env = self._connect_args()
        _, renditions = media_tables()
        try:
            self.connection.ensure_connection()
            with transaction.atomic(using=self.alias), self.connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot_id = cursor.fetchone()[0]
                tables = set(self.connection.introspection.table_names(cursor))
                migrations, referenced = _read_state(cursor, tables)
                # The exporting transaction stays open until pg_dump has finished with its snapshot.
                result = subprocess.run(  # noqa: S603 - fixed program, arguments built here
                    [
                        self.tool("pg_dump"),
                        "--format=custom",
                        "--compress=0",  # the archive's gzip compresses it
                        f"--snapshot={snapshot_id}",
                        f"--exclude-table-data={renditions}",
                        f"--file={target}",
                        f"--dbname={conninfo}",
                    ],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
        except DatabaseError as error:
            raise BackupError(f"Kan inte läsa PostgreSQL-databasen {self.describe()}: {error}".strip()) from error
        if result.returncode != 0:
            raise BackupError(f"pg_dump misslyckades: {_tail(result.stderr)}")
        return Snapshot(target, migrations, referenced, _server_version(self.connection))

    # --- restore

    def check_empty(self) -> None:
        """Refuse unless the database has no tables, views or sequences of its own (extensions' aside)."""
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    r"""
                    SELECT n.nspname || '.' || c.relname FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                      AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
                      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
                    ORDER BY 1
                    """
                )
                names = [row[0] for row in cursor.fetchall()]
        except DatabaseError as error:
            raise BackupError(
                f"Kan inte ansluta till PostgreSQL-databasen {self.describe()}: {error}".strip()
            ) from error
        finally:
            self.connection.close()
        if names:
            raise BackupError(
                f"Databasen {self.describe()} är inte tom ({len(names)} tabeller och liknande, t.ex. "
                f"{', '.join(names[:3])}). Återställning görs bara till en tom databas: skapa en ny med "
                "`createdb` och peka DATABASE_URL på den. Ingenting har ändrats."
            )

    @contextlib.contextmanager
    def staging(self):
        with tempfile.TemporaryDirectory(prefix="larportalen-restore-") as directory:
            yield Path(directory) / "larportalen.pgdump"

    @classmethod
    def check_dump(cls, path: Path, manifest: dict) -> None:
        """pg_restore can read the dump's table of contents, and it holds the migrations table's data."""
        result = subprocess.run(  # noqa: S603 - fixed program, arguments built here
            [cls.tool("pg_restore"), "--list", str(path)], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise BackupError(
                f"Databasdumpen i arkivet går inte att läsa: {_tail(result.stderr)}. Ingenting har ändrats."
            )
        if not any("TABLE DATA" in line and "django_migrations" in line for line in result.stdout.splitlines()):
            raise BackupError("Databasdumpen i arkivet saknar portalens tabeller. Ingenting har ändrats.")

    def restore(self, staged: Path) -> None:
        conninfo, env = self._connect_args()
        self.connection.close()
        result = subprocess.run(  # noqa: S603 - fixed program, arguments built here
            [
                self.tool("pg_restore"),
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
                f"--dbname={conninfo}",
                str(staged),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(
                f"pg_restore misslyckades, och databasen är orörd (allt görs i en transaktion): {_tail(result.stderr)}"
            )


def _server_version(connection) -> str:
    version = connection.pg_version  # e.g. 150018
    return f"{version // 10000}.{version % 10000}"


def _tail(text: str, lines: int = 5) -> str:
    return " ".join(text.strip().splitlines()[-lines:]) or "inget felmeddelande"


DATABASES = {SqliteDatabase.vendor: SqliteDatabase, PostgresDatabase.vendor: PostgresDatabase}


def database_for(alias: str = "default"):
    """The configured database's handler, without connecting to it."""
    vendor = connections[alias].vendor
    if vendor not in DATABASES:
        raise BackupError(f"Databastypen {vendor} stöds inte; bara SQLite och PostgreSQL.")
    return DATABASES[vendor](alias)
