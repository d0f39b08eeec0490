"""Backup and restore of the whole portal: the database and the uploaded files, in one archive.

The archive (`larportalen-<UTC time>.tar.gz`, format version 1) holds, in this order:

- `database/db.sqlite3` (SQLite, copied with SQLite's online backup API) or
  `database/larportalen.pgdump` (PostgreSQL, `pg_dump --format=custom` in one snapshot);
- `media/…`: every file under MEDIA_ROOT except Wagtail's image renditions (`images/`), which
  are derived from the originals and regenerated on first use; their database rows are left out
  of the dump as well, so a restored portal never points at a rendition that is not there;
- `manifest.json`, last: format and version, creation time, database vendor, portal, Django and
  Wagtail versions, the applied migrations per app (read in the same snapshot as the dump), and
  the size and SHA-256 of every other member.

Contract of a restore: the target database and media folder must be empty, and the archive is
read and checked completely (checksums, sizes, no missing or extra members, safe names, format
version, database vendor, migrations known to this code, the dump itself readable) before
anything is written to the target. The media files are then written, and the database is put in
place in one step (a rename for SQLite, `pg_restore --single-transaction` for PostgreSQL); if
that fails, the media files written are removed again. Then migrations run (an archive from an
older portal is brought up to date), the search indexes are rebuilt and the cache is cleared.

`create_backup`, `restore_backup` and `verify_archive` are the entry points; the management
commands `backup` and `restore` (home/management/commands/) are thin wrappers around them.
Every refusal is a `BackupError` with a Swedish message.
"""

from .archive import FORMAT_VERSION, BackupError
from .operations import create_backup, restore_backup, verify_archive

__all__ = ["FORMAT_VERSION", "BackupError", "create_backup", "restore_backup", "verify_archive"]
