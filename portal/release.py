"""The release: a fingerprint of the code and templates this process runs.

The content version (`portal.content_version`) is kept per release, so a deploy starts with a new
version: nothing cached by the previous code (rendered pages, pickled model instances in
`portal.content_cache`) is read by the new code, even before the first publish after the deploy.
The fingerprint is a hash of the files themselves, so every process of one deploy, on any machine,
agrees on it without configuration; `PORTAL_RELEASE` in the environment overrides it.
"""

import hashlib
import os
from functools import cache
from pathlib import Path

from django.conf import settings

SOURCE_FOLDERS = ("core", "home", "larande", "portal", "search", "templates", "static", "locale")
SKIPPED_PARTS = {"__pycache__", "tests"}


@cache
def release() -> str:
    configured = os.environ.get("PORTAL_RELEASE", "").strip()
    if configured:
        return configured[:64]
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder in SOURCE_FOLDERS:
        root = base / folder
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not SKIPPED_PARTS & set(p.parts)):
            digest.update(str(path.relative_to(base)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:16]
