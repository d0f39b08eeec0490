"""Portals in subprocesses for the backup tests: each with its own database, media folder and cache,
run with the production settings from the environment as in operation.

Imported by tests/test_backup.py for the helpers; run as a script inside such a portal for the
two things that need Django there:

    python tests/backup_portal.py build       # the demo portal as `make run` builds it (below)
    python tests/backup_portal.py attach      # a document and an image on live public pages
    python tests/backup_portal.py crawl OUT   # what anonymous visitors get, as JSON in OUT

The crawl follows every link within the site from the start page, the sitemap, the feeds, the
open data page, the API and several searches, with Django's test client (the portal's WSGI
handler, no server). It records each response's status, content type and body. Files under
/media/ are read from MEDIA_ROOT, as the web server in front would serve them, after every page
has been rendered (so image renditions exist). Links with a query (filters, facets, pages of a
listing) are followed from pages without one, which keeps the crawl finite.

Normalised here, and nothing else: CSRF tokens, which are random per response, and the Word
files' zip container, whose entries carry the time they were written: each part inside is
compared instead (tests/test_backup.py also blanks the open data's generation time). Not
followed: /admin/ and /static/, which are no content of the database or the media folder.
"""

import hashlib
import io
import json
import os
import re
import secrets
import subprocess
import sys
import zipfile
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

REPO = Path(__file__).resolve().parent.parent
SEARCH_QUERIES = ["utfall", "effektkedja", "outcome", "langsiktiga", "efektkedja", "lärdomar", "klusterinitiativ"]
SEEDS = [
    "/",
    "/sitemap.xml",
    "/robots.txt",
    "/resultat/rss/",
    "/resultat/atom/",
    "/lardomar/rss/",
    "/lardomar/atom/",
    "/oppna-data/",
    "/api/v2/",
    "/api/v2/pages/?limit=100",
    "/api/v2/images/",
    "/api/v2/documents/",
    *(f"/sok/?q={q}&format=json" for q in SEARCH_QUERIES),
    *(f"/sok/?q={q}" for q in SEARCH_QUERIES[:2]),
    "/sok/forslag/?q=ut",
]
SKIP_PREFIXES = ("/admin/", "/static/")
MAX_URLS = 2000
SITE_HOSTS = {"", "localhost", "testserver"}
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
LINK = re.compile(
    r'(?:href|src)="([^"]+)"|<(?:loc|link|id)>([^<]+)</|"(?:html_url|detail_url|download_url)": ?"([^"]+)"'
)


# --- Helpers for the tests --------------------------------------------------------------------


def portal_env(root: Path, database_url: str) -> dict:
    """The environment of one portal: production settings, its own database, media folder and cache."""
    dropped = ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "ELASTICSEARCH_URL", "REDIS_URL", "DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "localhost,testserver",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(root / "media"),
            "CACHE_DIR": str(root / "cache"),
            "LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def run(env: dict, *args: str, check: bool = True, timeout: int = 300) -> subprocess.CompletedProcess:
    """`python <args>` in the repository with this portal's environment."""
    result = subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} gav {result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


def manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run(env, "manage.py", *args, check=check)


def crawl(env: dict, out: Path) -> dict:
    run(env, str(Path(__file__).resolve()), "crawl", str(out))
    return json.loads(out.read_text())


# --- Inside the portal ------------------------------------------------------------------------


def build_portal() -> None:
    """`migrate`, `build_demo_content`, `attach` and `rebuild_search_index`, in that order, in one
    process: the database and media folder `make run` leaves, plus the files, without paying
    Django's start-up four times (each process costs more than a second before it does anything)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("build_demo_content")
    attach_files()
    call_command("rebuild_search_index")


def attach_files() -> None:
    """A document on the first live public result (and linked from its text), an image in a chapter's body."""
    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from larande.evaluation.models import ResultDocument
    from larande.models import EvaluationResultPage, GuidancePage

    document = get_document_model()(title="Slutrapport: klusterinitiativen")
    document.file.save(
        "slutrapport-klusterinitiativen.txt",
        ContentFile("Slutrapport\n\nÅtta iakttagelser om utfall.\n".encode()),
        save=False,
    )
    document.save()

    picture = PILImage.new("RGB", (640, 320), "white")
    for x in range(640):
        for y in range(0, 320, 8):
            picture.putpixel((x, y), (x % 256, (x * 2) % 256, 120))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    image = get_image_model()(title="Effektkedjan i bild")
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name="effektkedjan-i-bild.png")
    image.save()

    result = EvaluationResultPage.objects.live().public().order_by("path").first().get_latest_revision_as_object()
    result.documents.add(ResultDocument(document=document, title="Slutrapport (text)"))
    result.findings += f'<p>Läs <a linktype="document" id="{document.pk}">slutrapporten</a>.</p>'
    result.save_revision().publish()

    chapter = GuidancePage.objects.live().public().order_by("path").first().get_latest_revision_as_object()
    chapter.body.append(("figure", {"image": image, "alt_text": "Effektkedjans nivåer", "caption": "Effektkedjan"}))
    chapter.save_revision().publish()
    print(f"document={document.pk} image={image.pk} result={result.pk} chapter={chapter.pk}")


def _site_path(url: str, base: str) -> str | None:
    """The path and query of a link (relative to the address `base`) within the site, or None."""
    url = urljoin(f"http://localhost{base}", url.replace("&amp;", "&").strip())
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or (parts.hostname or "") not in SITE_HOSTS:
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl_portal(out: Path) -> None:
    from django.conf import settings
    from django.test import Client, override_settings

    # Production stores static files with hashed names after collectstatic; this crawl does not
    # collect them and compares no static files, so their names are left plain.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        client = Client(HTTP_HOST="localhost")
        seen: dict[str, dict] = {}
        media: set[str] = set()
        queue = deque(SEEDS)
        queued = set(SEEDS)
        while queue:
            url = queue.popleft()
            if len(seen) >= MAX_URLS:
                raise SystemExit(f"more than {MAX_URLS} addresses: the crawl does not end")
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            content_type = response.get("Content-Type", "")
            record = {"status": response.status_code, "type": content_type}
            if response.status_code in (301, 302, 303, 307, 308):
                record["location"] = response["Location"]
            text = None
            if body.startswith(b"PK\x03\x04"):  # Word: compare the parts, not the zip's timestamps
                with zipfile.ZipFile(io.BytesIO(body)) as archive:
                    record["body"] = {
                        info.filename: hashlib.sha256(archive.read(info)).hexdigest() for info in archive.infolist()
                    }
            elif any(kind in content_type for kind in ("text/", "json", "xml", "turtle")):
                text = body.decode("utf-8")
                record["body"] = CSRF.sub(r"\1…\2", text)
            else:
                record["body"] = {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}
            seen[url] = record
            links = [record["location"]] if "location" in record else []
            if text is not None:
                links += [next(group for group in match if group) for match in LINK.findall(text)]
            for link in links:
                path = _site_path(link, url)
                if path is None:
                    continue
                path = path.split("#", 1)[0]
                if path.startswith(settings.MEDIA_URL):
                    media.add(path)
                elif path and path not in queued and not path.startswith(SKIP_PREFIXES):
                    # Filter links lead to more filter links without end: follow those on pages
                    # without a query, one step deep.
                    if "?" in url and "?" in path:
                        continue
                    queued.add(path)
                    queue.append(path)
        for path in sorted(media):
            file = Path(settings.MEDIA_ROOT) / unquote(path[len(settings.MEDIA_URL) :])
            if file.is_file():
                data = file.read_bytes()
                seen[path] = {"status": 200, "body": {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}}
            else:
                seen[path] = {"status": 404}
    out.write_text(json.dumps(seen, ensure_ascii=False, indent=1, sort_keys=True))


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    if sys.argv[1] == "build":
        build_portal()
    elif sys.argv[1] == "attach":
        attach_files()
    elif sys.argv[1] == "crawl":
        crawl_portal(Path(sys.argv[2]))
    else:
        raise SystemExit(f"unknown command {sys.argv[1]}")
