"""Backup and restore (`manage.py backup` / `manage.py restore`, portal/backup/) on real databases.

The demo portal, with a document and an image on live public pages, is built in a subprocess
with the production settings, crawled as an anonymous visitor (tests/backup_portal.py), backed
up, and restored into a fresh database and media folder; the restored portal must then answer
every address with the same body. Damaged, partial, foreign and newer archives and non-empty
targets must be refused with a Swedish message and a non-zero exit, the target untouched.

Which database: the pass's own, as for the rest of the suite. Without TEST_DATABASE_URL (the
SQLite pass, and a plain `pytest`) everything runs on SQLite files; with it (the PostgreSQL
pass of `make test` and CI) on throwaway databases `larportalen_backup_*` on the same server,
dropped afterwards. So CI runs the PostgreSQL round trip once, in its PostgreSQL pass, and the
SQLite one once, in its SQLite pass; pg_dump and pg_restore are required there (REQUIRE_SERVICES)
and a local run without them is skipped with the reason.
"""

import hashlib
import io
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import django
import pytest
import wagtail

from portal.backup import BackupError
from portal.backup.databases import PostgresDatabase
from tests.backup_portal import crawl, manage, portal_env, run

PASS_VENDOR = "postgresql" if os.environ.get("TEST_DATABASE_URL", "").startswith("postgres") else "sqlite"
pytestmark = [pytest.mark.postgres] if PASS_VENDOR == "postgresql" else []
SUPPORT = "tests/backup_portal.py"
DOCUMENT = "media/documents/slutrapport-klusterinitiativen.txt"
IMAGE = "media/original_images/effektkedjan-i-bild.png"
# The open data JSON says when it was generated; that is the request's time, not content.
GENERATED_AT = re.compile(r'("skapad": ")[0-9T:\-]+Z(")')


# --- Throwaway databases of the pass's vendor --------------------------------------------------


class Databases:
    """Creates databases for the tests (SQLite files, or PostgreSQL databases) and drops them."""

    def __init__(self, vendor: str, folder: Path):
        self.vendor, self.folder = vendor, folder
        self.folder.mkdir()
        self.created: list[str] = []
        self.prefix = f"larportalen_backup_{secrets.token_hex(3)}_"
        if vendor == "postgresql":
            self.server = urlsplit(os.environ["TEST_DATABASE_URL"])

    def url(self, name: str) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:///{self.folder / f'{name}.sqlite3'}"
        return urlunsplit(self.server._replace(path=f"/{self.prefix}{name}"))

    def new(self, name: str) -> str:
        """An empty database (for SQLite: no file yet, as on a fresh host); made once per name."""
        if self.vendor == "postgresql" and name not in self.created:
            self._admin(f'CREATE DATABASE "{self.prefix}{name}"')
            self.created.append(name)
        return self.url(name)

    def clone(self, source: str, name: str) -> str:
        if self.vendor == "sqlite":
            shutil.copyfile(self.folder / f"{source}.sqlite3", self.folder / f"{name}.sqlite3")
        else:
            self._admin(f'CREATE DATABASE "{self.prefix}{name}" TEMPLATE "{self.prefix}{source}"')
            self.created.append(name)
        return self.url(name)

    def execute(self, name: str, *statements: str) -> list[tuple]:
        """Run SQL on a database; returns the last statement's rows."""
        rows: list[tuple] = []
        if self.vendor == "sqlite":
            with sqlite3.connect(self.folder / f"{name}.sqlite3") as con:
                for statement in statements:
                    rows = con.execute(statement).fetchall()
            con.close()
            return rows
        import psycopg

        with psycopg.connect(self.url(name), autocommit=True) as con:
            for statement in statements:
                cursor = con.execute(statement)
                rows = cursor.fetchall() if cursor.description else []
        return rows

    def fingerprint(self, name: str) -> str:
        """Everything in the database, as a hash: the file's bytes, or pg_dump's plain output."""
        if self.vendor == "sqlite":
            listing = sorted(p.name for p in self.folder.iterdir())
            path = self.folder / f"{name}.sqlite3"
            content = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "ingen fil"
            return f"{content} {listing}"
        dump = subprocess.run(
            [PostgresDatabase.tool("pg_dump"), "--no-owner", f"--dbname={self.url(name)}"],
            capture_output=True,
            check=True,
        ).stdout
        # pg_dump wraps its output in \restrict/\unrestrict lines with a new random key each time.
        dump = b"\n".join(line for line in dump.splitlines() if not line.startswith((b"\\restrict", b"\\unrestrict")))
        return hashlib.sha256(dump).hexdigest()

    def drop_all(self) -> None:
        if self.created:
            self._admin(*(f'DROP DATABASE IF EXISTS "{self.prefix}{name}" WITH (FORCE)' for name in self.created))

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(urlunsplit(self.server._replace(path="/postgres")), autocommit=True) as con:
            for statement in statements:
                con.execute(statement)


def _require_pg_tools() -> None:
    """pg_dump and pg_restore: skipped locally with a reason when missing, a failure in CI."""
    try:
        PostgresDatabase.tool("pg_dump")
        PostgresDatabase.tool("pg_restore")
    except BackupError as error:
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail(f"PostgreSQL:s klientverktyg krävs i CI: {error}")
        pytest.skip(f"PostgreSQL:s klientverktyg saknas: {error}")


@dataclass
class Portal:
    root: Path
    env: dict
    database: str
    output: str = ""
    pages: dict | None = None
    archive: Path | None = None
    seconds: float = 0.0


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return tmp_path_factory.mktemp("backup")


@pytest.fixture(scope="module")
def databases(workspace):
    if PASS_VENDOR == "postgresql":
        _require_pg_tools()
    dbs = Databases(PASS_VENDOR, workspace / "databases")
    yield dbs
    dbs.drop_all()


def _portal(workspace: Path, name: str, database_url: str, database: str) -> Portal:
    root = workspace / name
    root.mkdir()
    return Portal(root, portal_env(root, database_url), database)


@pytest.fixture(scope="module")
def original(workspace, databases):
    """The demo portal as `make run` builds it, plus a document and an image; crawled, then backed up."""
    started = time.monotonic()
    portal = _portal(workspace, "original", databases.new("original"), "original")
    # migrate, build_demo_content, attach and rebuild_search_index, in one process.
    run(portal.env, SUPPORT, "build")
    # Crawled before the backup, so image renditions exist and the backup has to leave them out.
    portal.pages = crawl(portal.env, portal.root / "crawl.json")
    portal.archive = workspace / "larportalen-original.tar.gz"
    portal.output = manage(portal.env, "backup", "--output", str(portal.archive)).stdout
    portal.seconds = time.monotonic() - started
    return portal


@pytest.fixture(scope="module")
def restored(workspace, databases, original):
    started = time.monotonic()
    portal = _portal(workspace, "restored", databases.new("restored"), "restored")
    portal.output = manage(portal.env, "restore", str(original.archive)).stdout
    portal.pages = crawl(portal.env, portal.root / "crawl.json")
    portal.seconds = time.monotonic() - started
    return portal


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def _tree(folder: Path) -> dict[str, str] | str:
    """Every file below a folder with its SHA-256, or a word for a folder that is not there."""
    if not folder.exists():
        return "ingen mapp"
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "mapp"
        for path in sorted(folder.rglob("*"))
    }


# --- The archive ----------------------------------------------------------------------------


def test_backup_holds_a_consistent_database_the_media_files_and_a_manifest(original, databases):
    members = _members(original.archive)
    manifest = json.loads(members["manifest.json"])
    assert list(members)[-1] == "manifest.json"
    assert manifest["format"] == "larportalen-backup" and manifest["format_version"] == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", manifest["created"])
    assert manifest["portal"]["django"] == django.get_version()
    assert manifest["portal"]["wagtail"] == wagtail.__version__
    assert manifest["database"]["vendor"] == PASS_VENDOR

    # The applied migrations, per app, exactly as the database has them.
    applied = databases.execute("original", "SELECT app, name FROM django_migrations")
    expected: dict[str, list[str]] = {}
    for app, name in sorted(applied):
        expected.setdefault(app, []).append(name)
    assert manifest["migrations"] == expected
    assert "0004_suggestion_permissions" in manifest["migrations"]["home"]

    # Every member but the manifest is listed with its true size and SHA-256, and nothing else is.
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(members) - {"manifest.json"}
    for name, data in members.items():
        if name != "manifest.json":
            assert listed[name] == {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}

    # The media files: the originals and the document, byte for byte; renditions left out.
    media = original.root / "media"
    assert members[DOCUMENT] == (media / "documents/slutrapport-klusterinitiativen.txt").read_bytes()
    assert members[IMAGE] == (media / "original_images/effektkedjan-i-bild.png").read_bytes()
    assert list((media / "images").iterdir()), "the crawl should have made a rendition"
    assert not [name for name in members if name.startswith("media/images/")]
    assert manifest["media"]["missing"] == []

    # The database copy is a sound database without rendition rows (their files are not archived).
    database = manifest["database"]["file"]
    if PASS_VENDOR == "sqlite":
        copy = original.root / "copy.sqlite3"
        copy.write_bytes(members[database])
        with sqlite3.connect(copy) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert con.execute("SELECT count(*) FROM wagtailimages_rendition").fetchone()[0] == 0
            assert con.execute("SELECT count(*) FROM wagtailcore_page").fetchone()[0] > 40
        con.close()
    else:
        assert members[database][:5] == b"PGDMP"
    assert databases.execute("original", "SELECT count(*) FROM wagtailimages_rendition")[0][0] > 0

    # Progress: each step with what it holds and how big it is.
    for text in ("[1/3] Databasen", "[2/3] Mediefiler", "[3/3] Manifest", "bildrendering", "Klart på"):
        assert text in original.output
    assert re.search(r"\d+,\d (kB|MB), 2\d\d tillämpade migreringar", original.output)


def _normalise(pages: dict) -> dict:
    """The crawl with the open data's generation time blanked (CSRF tokens are blanked by the crawl)."""
    return {
        url: {**record, "body": GENERATED_AT.sub(r"\1…\2", record["body"])}
        if isinstance(record.get("body"), str)
        else record
        for url, record in pages.items()
    }


def test_restored_portal_answers_every_address_with_the_same_body(original, restored):
    before, after = _normalise(original.pages), _normalise(restored.pages)

    # The crawl is not vacuous: it reached every kind of address, and nothing failed.
    html = [url for url, r in before.items() if "text/html" in r.get("type", "") and r["status"] == 200]
    assert len(html) > 60, html
    assert not [url for url, r in before.items() if r["status"] >= 500]
    expected_addresses = [
        "/sitemap.xml",
        "/resultat/rss/",
        "/lardomar/atom/",
        "/oppna-data/resultat.csv",
        "/oppna-data/begrepp.ttl",
        "/api/v2/pages/?limit=100",
        "/dokument/1/slutrapport-klusterinitiativen.txt",
        "/media/original_images/effektkedjan-i-bild.png",
        "/media/images/effektkedjan-i-bild.max-1200x900.png",
        "/ramverket/dokument/ramverk-for-strategiskt-larande.pdf",
        "/ramverket/dokument/ramverk-for-strategiskt-larande.docx",
    ]
    for url in expected_addresses:
        assert before[url]["status"] == 200, url
    assert json.loads(before["/sok/?q=utfall&format=json"]["body"])["total"] > 0
    assert json.loads(before["/api/v2/pages/?limit=100"]["body"])["meta"]["total_count"] > 40
    assert "Slutrapport" in before["/dokument/1/slutrapport-klusterinitiativen.txt"]["body"]

    assert sorted(after) == sorted(before)
    differing = [url for url in before if before[url] != after[url]]
    assert not differing, f"{len(differing)} adresser skiljer sig, t.ex. {differing[:5]}"

    for text in ("[1/6] Målet", "Båda är tomma", "Alla kontrollsummor stämmer", "Inga migreringar att köra"):
        assert text in restored.output
    assert "Cachen är tömd" in restored.output and "Återställningen är klar" in restored.output
    print(
        f"\n{PASS_VENDOR}: original byggd och säkerhetskopierad på {original.seconds:.1f} s, "
        f"återställd och genomsökt på {restored.seconds:.1f} s, {len(before)} adresser"
    )


def test_archive_from_an_older_portal_is_restored_and_migrated(original, databases, workspace):
    """An archive made before the last migrations: restore brings it up to date with `migrate`.

    The older portal is the original without `home`'s migrations from 0006 on and with what 0006
    changes undone (Redaktör may still change evaluation questions); the later ones are part of
    "newer" too, so that adding a migration does not change what this test means."""
    older = _portal(workspace, "older", databases.clone("original", "older"), "older")
    shutil.copytree(original.root / "media", older.root / "media")
    leaf = "0006_records_reviewed_by_granskare"
    newer = sorted(
        path.stem for path in (Path(__file__).resolve().parent.parent / "home" / "migrations").glob("0*.py")
        if path.stem >= leaf
    )  # fmt: skip
    redaktor_may_change = (
        "SELECT count(*) FROM auth_group_permissions gp "
        "JOIN auth_group g ON g.id = gp.group_id JOIN auth_permission p ON p.id = gp.permission_id "
        "WHERE g.name = 'Redaktör' AND p.codename = 'change_evaluationquestion'"
    )
    databases.execute(
        "older",
        "DELETE FROM django_migrations WHERE app = 'home' AND name >= '0006_records_reviewed_by_granskare'",
        "INSERT INTO auth_group_permissions (group_id, permission_id) SELECT g.id, p.id "
        "FROM auth_group g, auth_permission p WHERE g.name = 'Redaktör' AND p.codename = 'change_evaluationquestion'",
    )
    assert databases.execute("older", redaktor_may_change) == [(1,)]
    # A folder as --output (as a scheduled backup gives it): the archive gets its timestamped name there.
    folder = workspace / "older-backups"
    folder.mkdir()
    manage(older.env, "backup", "--output", str(folder))
    [archive] = folder.iterdir()
    assert re.fullmatch(r"larportalen-\d{8}T\d{6}Z\.tar\.gz", archive.name)
    assert leaf not in json.loads(_members(archive)["manifest.json"])["migrations"]["home"]

    target = _portal(workspace, "older-restored", databases.new("older_restored"), "older_restored")
    output = manage(target.env, "restore", str(archive)).stdout
    assert f"{len(newer)} nyare körs efter återställningen" in output
    assert databases.execute(
        "older_restored",
        "SELECT count(*) FROM django_migrations WHERE app = 'home' AND name >= '0006_records_reviewed_by_granskare'",
    ) == [(len(newer),)]
    assert databases.execute("older_restored", redaktor_may_change) == [(0,)]


# --- Refusals: nothing is written ----------------------------------------------------------------


def _rewrite(source: Path, target: Path, edit) -> Path:
    """A copy of the archive with its members (name -> bytes, in order) changed by `edit`."""
    members = _members(source)
    extra = edit(members)
    extra = extra if isinstance(extra, list) else []
    with tarfile.open(target, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for info in extra:
            tar.addfile(info)
    return target


def _edit_manifest(change):
    def edit(members):
        manifest = json.loads(members["manifest.json"])
        change(manifest, members)
        members["manifest.json"] = json.dumps(manifest).encode()

    return edit


def _flip_database_bytes(members):
    name = next(n for n in members if n.startswith("database/"))
    data = bytearray(members[name])
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(b ^ 0xFF for b in data[middle : middle + 16])
    members[name] = bytes(data)


def _future_version(manifest, members):
    manifest["format_version"] = 2


def _unknown_migration(manifest, members):
    manifest["migrations"]["larande"].append("0099_fran_en_nyare_portal")


def _other_vendor(manifest, members):
    other = {"sqlite": ("postgresql", "database/larportalen.pgdump"), "postgresql": ("sqlite", "database/db.sqlite3")}
    vendor, new_name = other[manifest["database"]["vendor"]]
    old_name = manifest["database"]["file"]
    members[new_name] = members.pop(old_name)
    manifest["database"].update(vendor=vendor, file=new_name)
    for entry in manifest["files"]:
        if entry["path"] == old_name:
            entry["path"] = new_name
    # The manifest goes last again.
    members["manifest.json"] = members.pop("manifest.json")


def _link(members):
    info = tarfile.TarInfo("media/documents/lank.txt")
    info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
    return [info]


def _escape(members):
    members["media/../../utanfor.txt"] = b"utanfor"


OTHER_LABEL = {"sqlite": "PostgreSQL", "postgresql": "SQLite"}[PASS_VENDOR]
PASS_LABEL = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[PASS_VENDOR]
REFUSALS = {
    # case: (how the archive is changed, what the message says)
    "skadad-fil": (lambda m: _flip_database_bytes(m), ["Kontrollsumman stämmer inte för database/"]),
    "skadat-gzip": ("flip", ["skadat"]),
    "avkortat": ("truncate", ["Arkivet är skadat eller avkortat"]),
    "utan-manifest": (lambda m: m.pop("manifest.json"), ["Arkivet saknar manifest.json"]),
    "fil-saknas": (
        lambda m: m.pop(DOCUMENT),
        [f"Arkivet är ofullständigt: 1 fil i manifestet saknas, t.ex. {DOCUMENT}"],
    ),
    "nyare-format": (_edit_manifest(_future_version), ["Arkivet har formatversion 2", "läser bara formatversion 1"]),
    "okanda-migreringar": (
        _edit_manifest(_unknown_migration),
        ["nyare eller annan version av portalen", "larande.0099_fran_en_nyare_portal"],
    ),
    "annan-databastyp": (
        _edit_manifest(_other_vendor),
        [f"Arkivet innehåller en {OTHER_LABEL}-databas, men portalen är inställd på {PASS_LABEL}"],
    ),
    "lank": (_link, ["Arkivet innehåller en symbolisk länk (media/documents/lank.txt)"]),
    "utanfor-mappen": (_escape, ["otillåtet namn ('media/../../utanfor.txt')"]),
    "databasen-inte-tom": (None, ["är inte tom", "Återställning görs bara till en tom databas"]),
    "mediemappen-inte-tom": (None, ["Mediemappen", "är inte tom (1 fil eller mapp, t.ex. kvar)"]),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_restore_refuses_and_leaves_the_target_untouched(case, original, databases, workspace):
    change, messages = REFUSALS[case]
    archive = original.archive
    if change == "truncate":
        archive = workspace / f"{case}.tar.gz"
        archive.write_bytes(original.archive.read_bytes()[: original.archive.stat().st_size * 6 // 10])
    elif change == "flip":
        archive = workspace / f"{case}.tar.gz"
        data = bytearray(original.archive.read_bytes())
        at = len(data) // 4  # inside the database, the first member
        data[at : at + 64] = bytes(b ^ 0x5A for b in data[at : at + 64])
        archive.write_bytes(bytes(data))
    elif change is not None:
        archive = _rewrite(original.archive, workspace / f"{case}.tar.gz", change)

    # One empty target for every case (it must stay empty), and one with someone else's table.
    database = "refused_not_empty" if case == "databasen-inte-tom" else "refused"
    target = _portal(workspace, f"refused-{case}", databases.new(database), database)
    if case == "databasen-inte-tom":
        databases.execute(
            database, "CREATE TABLE anteckningar (text varchar(100))", "INSERT INTO anteckningar VALUES ('kvar')"
        )
    if case == "mediemappen-inte-tom":
        (target.root / "media" / "kvar").mkdir(parents=True)
        (target.root / "media" / "kvar" / "rapport.txt").write_text("kvar")
    before = (databases.fingerprint(database), _tree(target.root / "media"))

    result = manage(target.env, "restore", str(archive), check=False)

    assert result.returncode != 0, result.stdout
    for message in messages:
        assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert (databases.fingerprint(database), _tree(target.root / "media")) == before


# --- Backup refusals -----------------------------------------------------------------------------


def test_backup_never_guesses_the_database_or_overwrites_an_archive(original, workspace):
    # The development settings ignore DATABASE_URL: backing up db.sqlite3 instead would be silent harm.
    env = {**original.env, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
    result = manage(env, "backup", "--output", str(workspace / "fel.tar.gz"), check=False)
    assert result.returncode != 0
    assert "DATABASE_URL är satt, men inställningarna (portal.settings.dev) använder en annan databas" in result.stderr
    assert not (workspace / "fel.tar.gz").exists()

    before = original.archive.read_bytes()
    result = manage(original.env, "backup", "--output", str(original.archive), check=False)
    assert result.returncode != 0
    assert f"Arkivet {original.archive} finns redan" in result.stderr
    assert original.archive.read_bytes() == before
    assert not [p for p in workspace.iterdir() if p.name.endswith(".part")]


def test_verify_only_checks_an_archive_without_a_target(original, workspace):
    result = manage(original.env, "restore", "--verify-only", str(original.archive))
    assert "Alla kontrollsummor stämmer" in result.stdout and "Arkivet är helt och kan återställas" in result.stdout
    broken = _rewrite(original.archive, workspace / "verify-broken.tar.gz", _flip_database_bytes)
    result = manage(original.env, "restore", "--verify-only", str(broken), check=False)
    assert result.returncode != 0 and "Kontrollsumman stämmer inte" in result.stderr
