"""Uploaded files served through the portal, so every download asks who may see it.

Two routes, both answering GET and HEAD only:

- `/dokument/<id>/<filename>`: a document (the address Wagtail gives `Document.url` with
  `WAGTAILDOCS_SERVE_METHOD = "serve_view"`);
- `/media/<path>`: what Wagtail's storage URLs point to: original images (`original_images/`),
  renditions made by `{% image %}` (`images/`), documents (`documents/`) and admin avatars
  (`avatar_images/`). The path is looked up as the file name stored in the database, never opened
  as a path on its own, so nothing but a known upload can be served.

A file the visitor may not see (home/files.py) gets the portal's Swedish 404 page, as does an
unknown file or a malformed path (`..`, empty segments, backslashes, NUL, very long paths): never
403, so the answer does not reveal that the file exists.

What a visitor may see is sent with `Cache-Control: public, no-cache`, an ETag and Last-Modified:
shared caches may keep it but must ask again before each use, so a file whose page is unpublished
stops being served at once. What only an editor may see is sent `private, no-store`. Every file
has `X-Content-Type-Options: nosniff` and `Content-Security-Policy: default-src 'none'` (an SVG or
HTML upload cannot run script on the portal's origin); documents carry `Content-Disposition` with
their file name. Conditional requests (If-None-Match, If-Modified-Since) get 304, a single byte
range 206 (several ranges: the whole file), an unsatisfiable range 416.

With `MEDIA_ACCEL_REDIRECT` set (the path of an `internal` nginx location over MEDIA_ROOT), the
portal decides and sets the headers, and nginx sends the bytes (`X-Accel-Redirect`), handling
ranges and conditional requests itself.

Queries: a document costs four (the document, the page view restrictions, the visibility EXISTS,
the collection view restrictions of Wagtail's own `before_serve_document` hook); an image or
rendition four (the file row, the collection view restrictions, the page view restrictions, the
visibility EXISTS); an editor's hidden file a few more for permissions.
"""

import mimetypes
import os
import re
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail.api.v2.utils import get_restricted_collection_ids
from wagtail.documents import get_document_model
from wagtail.documents.models import document_served
from wagtail.images import get_image_model

from home import files
from home.views import page_not_found

MAX_PATH_LENGTH = 400
CHUNK_SIZE = 64 * 1024
# One range, start and end of at most 18 digits (a bigger number is no file of ours; Python
# refuses to parse numbers above 4,300 digits, which must not become a 500).
BYTE_RANGE = re.compile(r"bytes=(\d{0,18})-(\d{0,18})")
CACHE_CONTROL = {files.PUBLIC: "public, no-cache", files.EDITOR_ONLY: "private, no-store"}


def not_found(request):
    """The portal's Swedish 404 page; shared caches must ask again, as the file may be published."""
    response = page_not_found(request)
    response["Cache-Control"] = "no-cache"
    return response


def clean_file_name(path: str) -> str | None:
    """The stored file name a /media/ path stands for, or None when it cannot be one."""
    if not path or len(path) > MAX_PATH_LENGTH or "\x00" in path or "\\" in path:
        return None
    if any(part in ("", ".", "..") for part in path.split("/")):
        return None
    return path


@require_safe
def serve_document(request, document_id: str, document_filename: str):
    """`/dokument/<id>/<filename>`: the document, when the visitor may see it."""
    document_model = get_document_model()
    # The collection is what Wagtail's own hook checks for view restrictions.
    document = document_model.objects.select_related("collection").filter(pk=int(document_id)).first()
    if document is None or document.filename != document_filename:
        return not_found(request)
    return _send_document(request, document)


def _send_document(request, document):
    level = files.access(request, document)
    if level is None:
        return not_found(request)
    # Wagtail's own checks (a collection behind a password or login) and any others still apply.
    for hook in hooks.get_hooks("before_serve_document"):
        result = hook(document, request)
        if isinstance(result, HttpResponse):
            return result
    document_served.send(sender=type(document), instance=document, request=request)
    as_attachment = document.content_disposition != "inline"
    return send_file(
        request,
        document.file,
        level=level,
        content_type=document.content_type,
        disposition=content_disposition_header(as_attachment, document.filename),
        etag=document.file_hash,
    )


@require_safe
def serve_media(request, path: str):
    """`/media/<path>`: an original image, a rendition or a document, when the visitor may see it."""
    name = clean_file_name(path)
    folder = name.split("/", 1)[0] if name else ""
    if folder == "documents":
        document = get_document_model().objects.select_related("collection").filter(file=name).first()
        return _send_document(request, document) if document else not_found(request)
    if folder == "avatar_images":
        return _send_avatar(request, name)
    image_model = get_image_model()
    if folder == "original_images":
        image = image_model.objects.filter(file=name).first()
        file, etag = (image.file, image.file_hash) if image else (None, "")
    elif folder == "images":
        rendition = image_model.get_rendition_model().objects.select_related("image").filter(file=name).first()
        image, file, etag = (rendition.image, rendition.file, "") if rendition else (None, None, "")
    else:
        image = file = None
    if image is None:
        return not_found(request)
    level = files.access(request, image)
    if level == files.PUBLIC and image.collection_id in get_restricted_collection_ids(request):
        # A collection behind a password or login (Wagtail's restriction) stays closed to visitors.
        level = files.EDITOR_ONLY if files.may_manage(request.user, image) else None
    if level is None:
        return not_found(request)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    disposition = content_disposition_header(False, os.path.basename(name))
    return send_file(request, file, level=level, content_type=content_type, disposition=disposition, etag=etag)


def _send_avatar(request, name: str):
    """A user's avatar in the admin: for users with admin access only."""
    from wagtail.users.models import UserProfile  # noqa: PLC0415

    user = request.user
    if not (user.is_authenticated and user.has_perm("wagtailadmin.access_admin")):
        return not_found(request)
    profile = UserProfile.objects.filter(avatar=name).first()
    if profile is None:
        return not_found(request)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    disposition = content_disposition_header(False, os.path.basename(name))
    return send_file(
        request, profile.avatar, level=files.EDITOR_ONLY, content_type=content_type, disposition=disposition
    )


def _byte_range(header: str, size: int):
    """(start, end) of one satisfiable range, "unsatisfiable", or None to send the whole file."""
    match = BYTE_RANGE.fullmatch(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            return "unsatisfiable"
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        return "unsatisfiable"
    return start, end


def _chunks(path: str, start: int, length: int):
    with open(path, "rb") as handle:
        handle.seek(start)
        while length > 0:
            data = handle.read(min(CHUNK_SIZE, length))
            if not data:
                break
            length -= len(data)
            yield data


def _set_headers(response, *, level: str, content_type: str, disposition: str | None):
    response["Content-Type"] = content_type
    if disposition:
        response["Content-Disposition"] = disposition
    response["Cache-Control"] = CACHE_CONTROL[level]
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def send_file(request, file, *, level: str, content_type: str, disposition: str | None = None, etag: str = ""):
    """The response that sends a stored file to a visitor who may see it (see the module docstring)."""
    storage, name = file.storage, file.name
    try:
        path = storage.path(name)
    except SuspiciousFileOperation:
        return not_found(request)
    except NotImplementedError:
        path = None  # a storage without local files: stream it through Django
    if path is None:
        if not storage.exists(name):
            return not_found(request)
        response = FileResponse(storage.open(name, "rb"))
        return _set_headers(response, level=level, content_type=content_type, disposition=disposition)

    accel = getattr(settings, "MEDIA_ACCEL_REDIRECT", "")
    try:
        stat = os.stat(path)
    except OSError:
        return not_found(request)
    size, modified = stat.st_size, int(stat.st_mtime)

    if accel:
        response = HttpResponse()
        response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(name)
        return _set_headers(response, level=level, content_type=content_type, disposition=disposition)

    etag = f'"{etag}"' if etag else f'"{size:x}-{modified:x}"'
    conditional = get_conditional_response(request, etag=etag, last_modified=modified)
    if conditional is not None:
        response = conditional
    else:
        byte_range = None
        range_header = request.headers.get("Range")
        if range_header and request.headers.get("If-Range", etag) in (etag, http_date(modified)):
            byte_range = _byte_range(range_header, size)
        if byte_range == "unsatisfiable":
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            response["Cache-Control"] = CACHE_CONTROL[level]
            return response
        if byte_range is not None:
            start, end = byte_range
            length = end - start + 1
            body = () if request.method == "HEAD" else _chunks(path, start, length)
            response = StreamingHttpResponse(body, status=206)
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
        else:
            length = size
            response = HttpResponse() if request.method == "HEAD" else FileResponse(open(path, "rb"))  # noqa: SIM115
        response["Content-Length"] = str(length)
        response["Accept-Ranges"] = "bytes"
        _set_headers(response, level=level, content_type=content_type, disposition=disposition)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = CACHE_CONTROL[level]
    response["X-Content-Type-Options"] = "nosniff"
    return response
