"""The three operations, step by step with progress: create a backup, verify one, restore one.

Each step prints what it does and how much; a refusal is a BackupError raised before the target
is touched. Both operations can be re-run: a backup that stops leaves no archive under its name,
and a restore that is refused or fails leaves the target database and media folder as they were.
"""

import os
import platform
import shutil
import tempfile
import time
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from .archive import (
    DATABASE_PREFIX,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MAX_MANIFEST_BYTES,
    MEDIA_PREFIX,
    ArchiveWriter,
    BackupError,
    ByteProgress,
    FileEntry,
    compare_with_manifest,
    corrupt,
    human_size,
    iter_members,
    parse_manifest,
    plural,
    read_member,
    seconds,
)
from .databases import DATABASES, LABELS, database_for

# Wagtail writes image renditions under this folder of MEDIA_ROOT (AbstractRendition.get_upload_to).
# They are derived from the originals in original_images/ and made again on first use.
RENDITIONS_DIR = "images"
# A file system's own folder at the root of a mount; not content.
IGNORED_IN_EMPTY_MEDIA = {"lost+found"}


class Steps:
    """Numbered step lines, and indented detail lines under them."""

    def __init__(self, stdout, total: int):
        self.stdout, self.total, self.number = stdout, total, 0

    def step(self, text: str) -> None:
        self.number += 1
        self.stdout.write(f"[{self.number}/{self.total}] {text}")

    def detail(self, text: str) -> None:
        self.stdout.write(f"      {text}")


# --- Shared checks ---------------------------------------------------------------------------


def check_settings_follow_environment() -> None:
    """Refuse when DATABASE_URL or MEDIA_ROOT is set but the settings in use ignore it.

    The development settings (manage.py's default) always use db.sqlite3 and media/: a backup of
    those when the operator meant the production database would be a silent, dangerous mistake.
    """
    import dj_database_url

    module = os.environ.get("DJANGO_SETTINGS_MODULE", "")
    url = os.environ.get("DATABASE_URL")
    if url:
        wanted = dj_database_url.parse(url)
        actual = settings.DATABASES["default"]
        keys = ("ENGINE", "NAME", "HOST", "PORT")
        if [str(wanted.get(k) or "") for k in keys] != [str(actual.get(k) or "") for k in keys]:
            raise BackupError(
                f"DATABASE_URL är satt, men inställningarna ({module}) använder en annan databas "
                f"({actual.get('NAME')}). Sätt DJANGO_SETTINGS_MODULE=portal.settings.production (som i drift) "
                "eller ta bort DATABASE_URL. Ingenting har gjorts."
            )
    media = os.environ.get("MEDIA_ROOT")
    if media and Path(media).absolute() != Path(settings.MEDIA_ROOT).absolute():
        raise BackupError(
            f"MEDIA_ROOT är satt till {media}, men inställningarna ({module}) använder {settings.MEDIA_ROOT}. "
            "Sätt DJANGO_SETTINGS_MODULE=portal.settings.production eller ta bort MEDIA_ROOT. Ingenting har gjorts."
        )


def portal_versions() -> dict:
    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as handle:
        version = tomllib.load(handle)["project"]["version"]
    return {
        "portal": version,
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "python": platform.python_version(),
    }


def code_migrations() -> set[tuple[str, str]]:
    """Every migration this code has, read from disk without a database connection."""
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def check_compatible(manifest: dict, configured_vendor: str | None) -> int:
    """Refuse another database vendor or migrations this code does not know; returns how many are new here."""
    vendor = manifest["database"]["vendor"]
    if vendor not in DATABASES or manifest["database"]["file"] != DATABASES[vendor].member:
        raise BackupError(f"Arkivet innehåller en databas av okänd typ ({vendor}). Arkivet används inte.")
    if configured_vendor is not None and vendor != configured_vendor:
        raise BackupError(
            f"Arkivet innehåller en {LABELS[vendor]}-databas, men portalen är inställd på {LABELS[configured_vendor]}. "
            "En säkerhetskopia kan bara återställas till samma databastyp. Ingenting har ändrats."
        )
    archived = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    known = code_migrations()
    unknown = sorted(archived - known)
    if unknown:
        examples = ", ".join(f"{app}.{name}" for app, name in unknown[:3])
        made_by = manifest.get("portal", {}).get("portal", "okänd")
        raise BackupError(
            f"Arkivet kommer från en nyare eller annan version av portalen (version {made_by}): "
            f"{plural(len(unknown), 'migrering', 'migreringar')} finns inte i den här koden, t.ex. {examples}. "
            "Återställ med samma eller en nyare version av portalen. Ingenting har ändrats."
        )
    return len(known - archived)


def check_media_empty(root: Path) -> None:
    if not root.exists():
        return
    if not root.is_dir():
        raise BackupError(f"Mediemappen {root} är inte en mapp. Ingenting har ändrats.")
    entries = sorted(entry.name for entry in root.iterdir() if entry.name not in IGNORED_IN_EMPTY_MEDIA)
    if entries:
        raise BackupError(
            f"Mediemappen {root} är inte tom ({plural(len(entries), 'fil eller mapp', 'filer och mappar')}, "
            f"t.ex. {', '.join(entries[:3])}). Återställning görs bara till en tom mapp: flytta undan innehållet "
            "eller peka MEDIA_ROOT på en ny mapp. Ingenting har ändrats."
        )


def list_media(root: Path, stdout) -> tuple[list[tuple[str, Path]], list[Path]]:
    """(archive name, path) of every regular file to archive, and the renditions left out; links are not followed."""
    archived, renditions = [], []
    if not root.is_dir():
        return archived, renditions
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(directory) / filename
            relative = path.relative_to(root).as_posix()
            if relative.split("/", 1)[0] == RENDITIONS_DIR:
                renditions.append(path)
            elif path.is_symlink() or not path.is_file():
                stdout.write(f"      Varning: {relative} är ingen vanlig fil (länk eller liknande) och tas inte med.")
            else:
                archived.append((MEDIA_PREFIX + relative, path))
    return archived, renditions


def _size_of(paths) -> int:
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except FileNotFoundError:
            pass
    return total


# --- Backup ----------------------------------------------------------------------------------


def default_archive_path(now: datetime) -> Path:
    return Path(settings.BASE_DIR) / "backups" / f"larportalen-{now:%Y%m%dT%H%M%SZ}.tar.gz"


def create_backup(output: Path | None = None, overwrite: bool = False, stdout=None) -> Path:
    """Write one archive with the database, the media files and the manifest; returns its path."""
    started = time.monotonic()
    check_settings_follow_environment()
    database = database_for()
    media_root = Path(settings.MEDIA_ROOT)
    now = datetime.now(UTC).replace(microsecond=0)
    if output is None:
        path = default_archive_path(now)
        path.parent.mkdir(parents=True, exist_ok=True)
    elif Path(output).is_dir():
        # A folder: the archive gets its timestamped name there (for scheduled backups).
        path = Path(output).absolute() / default_archive_path(now).name
    else:
        path = Path(output).absolute()
    steps = Steps(stdout, 3)
    stdout.write(f"Säkerhetskopierar Lärportalen till {path}")
    writer = ArchiveWriter(path, overwrite=overwrite)
    try:
        with tempfile.TemporaryDirectory(prefix=".larportalen-backup-", dir=path.parent) as workdir:
            steps.step(f"Databasen ({database.label}, {database.describe()}): en ögonblicksbild tas …")
            snapshot = database.snapshot(Path(workdir))
            size = snapshot.path.stat().st_size
            applied = sum(len(names) for names in snapshot.migrations.values())
            steps.detail(f"{human_size(size)}, {applied} tillämpade migreringar; packas in i arkivet")
            writer.add_file(database.member, snapshot.path, ByteProgress("      Databasen", size, stdout))

        files, renditions = list_media(media_root, stdout)
        total = _size_of(path for _, path in files)
        steps.step(
            f"Mediefiler i {media_root}{'' if media_root.is_dir() else ' (mappen finns inte)'}: "
            f"{plural(len(files), 'fil', 'filer')}, {human_size(total)}. "
            f"{plural(len(renditions), 'bildrendering', 'bildrenderingar')} "
            f"({human_size(_size_of(renditions))}) under {RENDITIONS_DIR}/ tas inte med: de skapas på nytt vid behov."
        )
        progress = ByteProgress("      Mediefiler", total, stdout)
        vanished = []
        for name, source in files:
            try:
                writer.add_file(name, source, progress)
            except FileNotFoundError:
                vanished.append(name)
        progress.finish()
        archived = {entry.path[len(MEDIA_PREFIX) :] for entry in writer.entries if entry.path.startswith(MEDIA_PREFIX)}
        missing = [name for name in snapshot.referenced_files if name not in archived]
        if vanished:
            steps.detail(
                f"Varning: {plural(len(vanished), 'fil', 'filer')} togs bort under säkerhetskopieringen: "
                f"{', '.join(vanished[:3])}"
            )
        if missing:
            steps.detail(
                f"Varning: {plural(len(missing), 'fil', 'filer')} som databasen hänvisar till saknas i "
                f"mediemappen, t.ex. {', '.join(missing[:3])}. De saknas också i portalen som den är nu."
            )

        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created": now.isoformat().replace("+00:00", "Z"),
            "portal": portal_versions(),
            "database": {
                "vendor": database.vendor,
                "file": database.member,
                "server_version": snapshot.server_version,
                "left_out": "bildrenderingarnas rader (wagtailimages_rendition)",
            },
            "migrations": snapshot.migrations,
            "media": {
                "files": len(archived),
                "bytes": sum(e.size for e in writer.entries if e.path.startswith(MEDIA_PREFIX)),
                "left_out": f"{RENDITIONS_DIR}/ (bildrenderingar, skapas på nytt vid behov)",
                "missing": missing,
            },
            "files": [entry.as_dict() for entry in writer.entries],
        }
        steps.step(
            f"Manifest: {plural(len(writer.entries), 'fil', 'filer')} med storlek och SHA-256, {applied} migreringar"
        )
        writer.add_manifest(manifest)
        archive_size = writer.commit()
    except BaseException:
        writer.abort()
        raise
    stdout.write(f"Klart på {seconds(time.monotonic() - started)}: {path} ({human_size(archive_size)}).")
    return path


# --- Verify ----------------------------------------------------------------------------------


@dataclass
class VerifiedArchive:
    manifest: dict
    dump: Path
    entries: dict[str, FileEntry]


def read_and_check(path: Path, dump: Path, stdout) -> VerifiedArchive:
    """Read the whole archive once: check every member's name and type, stage the database at
    `dump`, hash everything, then check the manifest against what was read."""
    if not path.is_file():
        raise BackupError(f"Arkivet {path} finns inte.")
    progress = ByteProgress("      Läser arkivet", path.stat().st_size, stdout)
    seen: dict[str, FileEntry] = {}
    manifest_data = None
    database_members = 0
    for member, fileobj in iter_members(path, progress):
        if member.name in seen or (member.name == MANIFEST and manifest_data is not None):
            raise BackupError(f"Arkivet innehåller {member.name} två gånger. Arkivet används inte.")
        if member.name == MANIFEST:
            if member.size > MAX_MANIFEST_BYTES:
                raise BackupError("Arkivets manifest är orimligt stort. Arkivet används inte.")
            manifest_data = fileobj.read()
            if len(manifest_data) != member.size:
                raise corrupt("manifestet slutar för tidigt")
            continue
        if member.name.startswith(DATABASE_PREFIX):
            database_members += 1
            if database_members > 1:
                raise BackupError("Arkivet innehåller mer än en databas. Arkivet används inte.")
            try:
                sink = open(dump, "xb")  # noqa: SIM115 - closed right below
            except OSError as error:
                raise BackupError(f"Kan inte skriva {dump}: {error}.") from error
            with sink:
                size, digest = read_member(fileobj, sink)
        else:
            size, digest = read_member(fileobj)
        seen[member.name] = FileEntry(member.name, size, digest)
    progress.finish()
    if manifest_data is None:
        raise BackupError(
            f"Arkivet saknar {MANIFEST}: det är ofullständigt eller inte från Lärportalen. Ingenting har ändrats."
        )
    manifest = parse_manifest(manifest_data)
    compare_with_manifest(manifest, seen)
    return VerifiedArchive(manifest, dump, seen)


def _describe_manifest(manifest: dict) -> str:
    portal = manifest.get("portal", {})
    media = [f for f in manifest["files"] if f["path"].startswith(MEDIA_PREFIX)]
    return (
        f"formatversion {manifest['format_version']}, skapat {manifest.get('created', '?')}, portal "
        f"{portal.get('portal', '?')} (Django {portal.get('django', '?')}, Wagtail {portal.get('wagtail', '?')}), "
        f"{LABELS.get(manifest['database']['vendor'], '?')}-databas och {plural(len(media), 'mediefil', 'mediefiler')} "
        f"({human_size(sum(f['size'] for f in media))})"
    )


def verify_archive(path: Path, stdout=None) -> dict:
    """Check an archive completely without touching the portal; returns its manifest."""
    started = time.monotonic()
    path = Path(path)
    steps = Steps(stdout, 2)
    stdout.write(f"Kontrollerar {path}")
    with tempfile.TemporaryDirectory(prefix="larportalen-verify-") as workdir:
        steps.step(
            f"Arkivet ({human_size(path.stat().st_size) if path.is_file() else '?'}): varje fil läses och kontrolleras"
        )
        verified = read_and_check(path, Path(workdir) / "database", stdout)
        manifest = verified.manifest
        steps.detail(f"Alla kontrollsummor stämmer: {_describe_manifest(manifest)}")
        steps.step("Kompatibilitet med den här versionen av portalen")
        pending = check_compatible(manifest, None)
        DATABASES[manifest["database"]["vendor"]].check_dump(verified.dump, manifest)
        steps.detail(
            "Databasen i arkivet går att läsa och alla dess migreringar finns i koden"
            + (f"; {pending} nyare migreringar körs vid återställning." if pending else ".")
        )
    configured = connections["default"].vendor
    if configured != manifest["database"]["vendor"]:
        steps.detail(
            f"Obs: portalen här är inställd på {LABELS.get(configured, configured)}; arkivet kan bara återställas "
            f"till {LABELS[manifest['database']['vendor']]}."
        )
    stdout.write(f"Arkivet är helt och kan återställas (kontrollerat på {seconds(time.monotonic() - started)}).")
    return manifest


# --- Restore ---------------------------------------------------------------------------------


def _clear_media(root: Path, existed: bool) -> None:
    """Put the media folder back as it was before the restore: absent, or empty."""
    if not root.exists():
        return
    if not existed:
        shutil.rmtree(root)
        return
    for entry in root.iterdir():
        if entry.name in IGNORED_IN_EMPTY_MEDIA:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def extract_media(path: Path, manifest: dict, root: Path, stdout) -> int:
    """Second pass over the verified archive: write the media files into the empty folder, checking
    each again against the manifest. On any failure the folder is put back as it was."""
    expected = {f["path"]: f for f in manifest["files"] if f["path"].startswith(MEDIA_PREFIX)}
    existed = root.exists()
    progress = ByteProgress("      Mediefiler", sum(f["size"] for f in expected.values()), stdout)
    written = set()
    try:
        root.mkdir(parents=True, exist_ok=True)
        base = root.resolve()
        for member, fileobj in iter_members(path):
            if not member.name.startswith(MEDIA_PREFIX):
                continue
            relative = member.name[len(MEDIA_PREFIX) :]
            # The name was checked (no "..", no absolute path) and every folder below `base` is one
            # this loop made, so the file lands inside; the check is a second lock on the same door.
            target = base.joinpath(*relative.split("/"))
            if not target.is_relative_to(base):
                raise BackupError(f"Arkivet innehåller en fil som hamnar utanför mediemappen ({member.name}).")
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as sink:
                size, digest = read_member(fileobj, sink, progress)
            want = expected.get(member.name)
            if want is None or (size, digest) != (want["size"], want["sha256"]):
                raise corrupt(f"{member.name} har ändrats sedan arkivet kontrollerades")
            written.add(member.name)
        if written != set(expected):
            raise corrupt("arkivet har ändrats sedan det kontrollerades")
    except BaseException:
        _clear_media(root, existed)
        raise
    progress.finish()
    return len(written)


def restore_backup(path: Path, stdout=None) -> dict:
    """Restore an archive into an empty database and an empty media folder; returns its manifest."""
    started = time.monotonic()
    path = Path(path).absolute()
    check_settings_follow_environment()
    database = database_for()
    media_root = Path(settings.MEDIA_ROOT).absolute()
    steps = Steps(stdout, 6)
    stdout.write(f"Återställer Lärportalen från {path}")
    if not path.is_file():
        raise BackupError(f"Arkivet {path} finns inte. Ingenting har ändrats.")

    steps.step(f"Målet: {database.label}-databasen {database.describe()} och mediemappen {media_root}")
    database.check_empty()
    check_media_empty(media_root)
    steps.detail("Båda är tomma.")

    with database.staging() as dump:
        steps.step(f"Arkivet ({human_size(path.stat().st_size)}): varje fil läses och kontrolleras")
        verified = read_and_check(path, dump, stdout)
        manifest = verified.manifest
        steps.detail(f"Alla kontrollsummor stämmer: {_describe_manifest(manifest)}")

        steps.step("Kompatibilitet: databastyp, migreringar och själva databasen i arkivet")
        pending = check_compatible(manifest, database.vendor)
        database.check_dump(dump, manifest)
        applied = sum(len(names) for names in manifest["migrations"].values())
        steps.detail(
            f"{database.label}, {applied} migreringar som alla finns i koden"
            + (f"; {pending} nyare körs efter återställningen." if pending else ".")
        )
        # Everything is checked; from here on the target is written.

        media_count = len([f for f in manifest["files"] if f["path"].startswith(MEDIA_PREFIX)])
        steps.step(f"Mediefiler till {media_root}: {plural(media_count, 'fil', 'filer')}")
        media_existed = media_root.exists()
        extract_media(path, manifest, media_root, stdout)

        steps.step(f"Databasen läggs på plats i ett steg ({database.describe()})")
        try:
            database.restore(dump)
        except BaseException:
            _clear_media(media_root, media_existed)
            raise
        steps.detail("Klart.")

    steps.step("Migreringar, sökindex och cache")
    connections.close_all()
    try:
        call_command("migrate", interactive=False, verbosity=1 if pending else 0, stdout=stdout)
        if not pending:
            steps.detail("Inga migreringar att köra.")
        call_command("rebuild_search_index", stdout=stdout)
        # Nothing cached from before the restore (term explanations, renditions, listings) may be served.
        cache.clear()
        # And nothing from a frontend cache (Varnish) either: the same ban as on every change.
        from portal.content_version import purge_frontend_caches

        purge_frontend_caches()
        steps.detail("Cachen är tömd.")
    except Exception as error:
        raise BackupError(
            f"Databasen och mediefilerna är återställda, men efterarbetet misslyckades: {error}. "
            "Kör `manage.py migrate` och `manage.py rebuild_search_index` när felet är åtgärdat."
        ) from error
    stdout.write(f"Återställningen är klar på {seconds(time.monotonic() - started)}.")
    return manifest
