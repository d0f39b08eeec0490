"""The archive itself: writing members with their checksums, and reading an archive back safely.

Writing hashes each file while it is copied into the tar stream, so the checksum in the manifest
is of exactly the bytes archived, even if the file changes later. The archive is written to a
hidden temporary file beside the target and renamed into place when complete: an interrupted
backup never leaves a half-written archive under the final name.

Reading never trusts the archive: only regular files are accepted, under `database/` or `media/`
(or the manifest), with relative names free of `..`, empty or absolute parts; links, devices and
directories are refused. The gzip stream is read to its end, so a truncated or damaged archive
is caught by gzip's own length and CRC check as well as by the members' SHA-256.
"""

import gzip
import hashlib
import io
import json
import os
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from portal.progress import Progress

FORMAT = "larportalen-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_PREFIX = "database/"
MEDIA_PREFIX = "media/"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024
# What a damaged or cut-off gzip/tar stream raises while it is read.
STREAM_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)


class BackupError(Exception):
    """A backup or restore was refused or failed; the message is Swedish and says what to do."""


def plural(count: int, one: str, many: str) -> str:
    """`1 fil`, `3 filer`."""
    return f"{count} {one if count == 1 else many}"


def seconds(value: float) -> str:
    return f"{value:.1f} s".replace(".", ",")


def human_size(size: int) -> str:
    """A byte count as a Swede reads it: `4,2 MB`, `812 byte`."""
    if size < 1024:
        return f"{size} byte"
    value = float(size)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            return f"{value:.1f} {unit}".replace(".", ",")
    raise AssertionError("unreachable")


def ByteProgress(label: str, total: int, stream=None) -> Progress:  # noqa: N802 - reads as the class it makes
    """A progress bar over bytes, with sizes in kB/MB."""
    return Progress(label, total, stream, amount=human_size)


@dataclass(frozen=True)
class FileEntry:
    """One archived file as the manifest lists it."""

    path: str
    size: int
    sha256: str

    def as_dict(self) -> dict:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


# --- Writing ---------------------------------------------------------------------------------


class _HashingReader:
    """Reads from a file and hashes what was read, for tarfile.addfile."""

    def __init__(self, fileobj, progress: Progress | None):
        self.fileobj, self.progress = fileobj, progress
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.fileobj.read(size)
        self.digest.update(data)
        if self.progress is not None:
            self.progress.advance(len(data))
        return data


class ArchiveWriter:
    """A tar.gz written to a temporary file and renamed to `path` only by `commit()`."""

    def __init__(self, path: Path, overwrite: bool = False):
        self.path = path
        if path.exists() and not overwrite:
            raise BackupError(f"Arkivet {path} finns redan. Välj ett annat namn eller ta bort det först.")
        if not path.parent.is_dir():
            raise BackupError(f"Mappen {path.parent} finns inte.")
        # mkstemp creates the file readable by the owner only: the archive holds the user accounts.
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        self.tmp_path = Path(tmp)
        self._raw = os.fdopen(fd, "wb")
        # Closed by commit() or abort(), whichever comes.
        self._tar = tarfile.open(  # noqa: SIM115
            fileobj=self._raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT
        )
        self.entries: list[FileEntry] = []

    def add_file(self, name: str, source: Path, progress: Progress | None = None) -> FileEntry:
        """Archive `source` as `name`; the size is taken when the file is opened, the hash while copying."""
        check_member_name(name)
        with open(source, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            info = self._tarinfo(name, size, os.fstat(handle.fileno()).st_mtime)
            reader = _HashingReader(handle, progress)
            try:
                self._tar.addfile(info, reader)
            except OSError as error:
                raise BackupError(
                    f"Filen {source} ändrades medan den lästes ({error}). Kör säkerhetskopieringen igen."
                ) from error
        entry = FileEntry(name, size, reader.digest.hexdigest())
        self.entries.append(entry)
        return entry

    def add_manifest(self, manifest: dict) -> int:
        data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
        self._tar.addfile(self._tarinfo(MANIFEST, len(data), manifest_mtime(manifest)), io.BytesIO(data))
        return len(data)

    def commit(self) -> int:
        """Finish the archive, flush it to disk and give it its name; returns its size."""
        self._tar.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.replace(self.tmp_path, self.path)
        return self.path.stat().st_size

    def abort(self) -> None:
        try:
            self._tar.close()
        except (OSError, tarfile.TarError):
            pass
        self._raw.close()
        self.tmp_path.unlink(missing_ok=True)

    @staticmethod
    def _tarinfo(name: str, size: int, mtime: float) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, int(mtime), 0o644
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info


def manifest_mtime(manifest: dict) -> float:
    try:
        return datetime.fromisoformat(manifest["created"].replace("Z", "+00:00")).timestamp()
    except (KeyError, ValueError, AttributeError):
        return 0.0


# --- Reading ---------------------------------------------------------------------------------


def check_member_name(name: str) -> None:
    """Refuse a member name that could land outside the target or that the format does not have."""
    parts = name.split("/")
    unsafe = (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or any(part in ("", ".", "..") for part in parts)
        or (len(parts[0]) == 2 and parts[0][1] == ":")
    )
    if unsafe:
        raise BackupError(f"Arkivet innehåller en fil med ett otillåtet namn ({name!r}). Arkivet används inte.")
    known = (
        name == MANIFEST
        or (parts[0] == DATABASE_PREFIX.rstrip("/") and len(parts) == 2)
        or (parts[0] == MEDIA_PREFIX.rstrip("/") and len(parts) >= 2)
    )
    if not known:
        raise BackupError(f"Arkivet innehåller en okänd fil ({name}). Det är inte en säkerhetskopia av Lärportalen.")


def check_member(member: tarfile.TarInfo) -> None:
    """Only regular files, never links, devices, fifos or directories."""
    check_member_name(member.name)
    if not member.isreg():
        kind = (
            "en symbolisk länk"
            if member.issym()
            else "en hård länk"
            if member.islnk()
            else "en enhetsfil"
            if member.isdev()
            else "en katalog"
            if member.isdir()
            else "något annat än en vanlig fil"
        )
        raise BackupError(f"Arkivet innehåller {kind} ({member.name}). Arkivet används inte.")


def corrupt(detail: str) -> BackupError:
    return BackupError(
        f"Arkivet är skadat eller avkortat ({detail}). Ingenting har ändrats; använd en annan säkerhetskopia."
    )


class _CountingReader:
    """Counts the compressed bytes read from the archive file, for the progress bar."""

    def __init__(self, fileobj, progress: Progress | None):
        self.fileobj, self.progress = fileobj, progress

    def read(self, size: int = -1) -> bytes:
        data = self.fileobj.read(size)
        if self.progress is not None:
            self.progress.advance(len(data))
        return data


def iter_members(path: Path, progress: Progress | None = None):
    """Yield (member, file object) for every member, in order, and finally check the gzip trailer.

    The file object must be read (or not) before the next member is asked for. Any damage to the
    stream becomes a BackupError that says the archive is corrupt.
    """
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed in the finally below, around a generator
    except FileNotFoundError as error:
        raise BackupError(f"Arkivet {path} finns inte.") from error
    except OSError as error:
        raise BackupError(f"Arkivet {path} kan inte läsas: {error}.") from error
    try:
        gz = gzip.GzipFile(fileobj=_CountingReader(raw, progress), mode="rb")
        try:
            tar = tarfile.open(fileobj=gz, mode="r|")  # noqa: SIM115 - a stream over `raw`, closed below
            for member in tar:
                check_member(member)
                yield member, tar.extractfile(member)
            # The tar stream ends before gzip's trailer: read on, so its CRC and length are checked.
            while gz.read(CHUNK):
                pass
        except STREAM_ERRORS as error:
            raise corrupt(str(error) or type(error).__name__) from error
        except OSError as error:
            if "unexpected end of data" in str(error):
                raise corrupt("slutar mitt i en fil") from error
            raise
    finally:
        raw.close()


def read_member(fileobj, sink=None, progress: Progress | None = None) -> tuple[int, str]:
    """Read one member to its end, writing it to `sink` if given; returns its size and SHA-256."""
    digest = hashlib.sha256()
    size = 0
    try:
        while chunk := fileobj.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if sink is not None:
                sink.write(chunk)
    except STREAM_ERRORS as error:
        raise corrupt(str(error) or type(error).__name__) from error
    except OSError as error:
        if "unexpected end of data" in str(error):
            raise corrupt("slutar mitt i en fil") from error
        raise
    return size, digest.hexdigest()


def parse_manifest(data: bytes) -> dict:
    """The manifest, checked for shape, format and format version; refuses anything else."""
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"Arkivets manifest går inte att läsa ({error}). Arkivet används inte.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("Arkivets manifest är inte från Lärportalen. Arkivet används inte.")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            f"Arkivet har formatversion {version}, men den här portalen läser bara formatversion {FORMAT_VERSION}. "
            "Återställ med den version av portalen som skapade arkivet."
        )
    files = manifest.get("files")
    database = manifest.get("database")
    migrations = manifest.get("migrations")
    shape_ok = (
        isinstance(files, list)
        and all(
            isinstance(f, dict)
            and isinstance(f.get("path"), str)
            and isinstance(f.get("size"), int)
            and isinstance(f.get("sha256"), str)
            for f in files
        )
        and isinstance(database, dict)
        and isinstance(database.get("vendor"), str)
        and isinstance(database.get("file"), str)
        and isinstance(migrations, dict)
        and all(
            isinstance(k, str) and isinstance(v, list) and all(isinstance(n, str) for n in v)
            for k, v in migrations.items()
        )
    )
    if not shape_ok:
        raise BackupError(
            "Arkivets manifest är ofullständigt (filer, databas eller migreringar saknas). Arkivet används inte."
        )
    return manifest


def compare_with_manifest(manifest: dict, seen: dict[str, FileEntry]) -> None:
    """Every listed file present with its size and checksum, and nothing unlisted."""
    listed = {f["path"]: FileEntry(f["path"], f["size"], f["sha256"]) for f in manifest["files"]}
    for name in listed:
        check_member_name(name)
    missing = sorted(set(listed) - set(seen))
    if missing:
        raise BackupError(
            f"Arkivet är ofullständigt: {plural(len(missing), 'fil', 'filer')} i manifestet saknas, t.ex. "
            f"{', '.join(missing[:3])}. Ingenting har ändrats."
        )
    extra = sorted(set(seen) - set(listed))
    if extra:
        raise BackupError(
            f"Arkivet innehåller filer som inte står i manifestet, t.ex. {', '.join(extra[:3])}. Arkivet används inte."
        )
    for name, expected in listed.items():
        actual = seen[name]
        if (actual.size, actual.sha256) != (expected.size, expected.sha256):
            raise BackupError(
                f"Kontrollsumman stämmer inte för {name} (väntad: {expected.size} byte, SHA-256 "
                f"{expected.sha256[:12]}…; i arkivet: {actual.size} byte, {actual.sha256[:12]}…). Arkivet är skadat. "
                "Ingenting har ändrats."
            )
    if manifest["database"]["file"] not in listed or not manifest["database"]["file"].startswith(DATABASE_PREFIX):
        raise BackupError("Arkivet saknar databasen. Ingenting har ändrats.")
