"""The anonymous page cache, and the HTTP caching headers that let browsers and Varnish help.

Anonymous GET and HEAD requests for anything the portal renders from its content (pages, listings,
search, feeds, the sitemap, open data, SKOS, the API) are answered from the portal's cache (Redis
with REDIS_URL, otherwise the cache on disk every process shares) when the same address was
rendered for the current content version (`portal.content_version`). Everything else goes through
as before. Django's cache framework stores the entries; nothing here decides *when* content
changed: the version does.

Looked up (`PageCacheMiddleware`, placed after scheduled publishing so that a due go-live or expiry
has moved the version first) only when all hold:

- PAGE_CACHE_ENABLED; method GET or HEAD (HEAD shares GET's entry);
- not under the admin (previews, login), nor a file address (/dokument/, /media/, /static/: they
  carry their own headers, home/file_views.py);
- no session or messages cookie: a visitor who may be logged in, has entered a page password or
  has a message waiting gets a page of their own;
- every query parameter is one the portal reads (`query_parameters()`), there are at most
  MAX_QUERY_PARAMETERS and the query string is at most MAX_QUERY_LENGTH long: a random ?x=… is
  rendered uncached and stores nothing;
- the content version can be read (the cache answers).

The key: version, scheme, host, path and the query parameters sorted by name, each repeated one with
its values in the order given (a parameter read as a set, as the evaluation plan's questions, sorted
and counted once per value: `set_parameters()`). Stored (after the response)
only when, besides: status 200 or 404; not streamed; at most MAX_ENTRY_BYTES; no cookie set and no
CSRF token used (a form); not a preview; not a page with view restrictions (`mark_restricted_page`);
the view set no Cache-Control of its own; Vary names nothing but Cookie and Accept-Encoding; the
session was not written; and the content version is still the one read at the start (otherwise the
response may mix old and new rows). Entries with a query string are counted per version and stop
being stored after MAX_QUERY_ENTRIES, so thousands of distinct searches cannot grow the cache
without bound; every entry also expires after PAGE_CACHE_SECONDS, and no later than the next
scheduled go-live or expiry (`portal.scheduling.next_due`).

Headers: a cacheable response gets `Cache-Control: public, max-age=PAGE_CACHE_MAX_AGE,
s-maxage=PAGE_CACHE_S_MAXAGE` (s-maxage also capped at the next scheduled change), an ETag and a
Last-Modified from the content version, and conditional requests get 304 (Django's
`get_conditional_response`, which ignores a malformed If-Modified-Since and answers
`If-None-Match: *`). Its session was only read, never for a user (there is no session cookie), so it
is marked unread and SessionMiddleware adds no `Vary: Cookie`. A personal response (a session
cookie, a logged-in user, a preview, a form, a cookie set, a restricted page) without headers of
its own gets Django's `add_never_cache_headers` (private, no-store). Varnish caches only what has
s-maxage (deploy/varnish/default.vcl).

No CSP nonce is used anywhere (the policy allows only the portal's own files), so a cached page's
headers are the same for every visitor; the security headers are added by the middleware outside
this one on every response, hit or not.

Cost: a hit is one cache read and no query: `prefetch()`, called by the scheduled publishing
middleware, reads the content version, the next scheduled change and this request's entry in one
`get_many`. The entry's key needs the version, so it is guessed from the version this process read
last; the guess is only used when the version read in the same `get_many` is that version (the
shared store decides, every request; nothing stale can be served). When the version has moved, one
more read fetches the entry. A miss adds one cache read (the restricted sections, per version) on
pages, and one write.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_cache_control
from django.utils.http import http_date

from core.listings import PAGE_PARAM
from portal.content_version import VERSION_KEY, content_version, parse_version

logger = logging.getLogger(__name__)

# Query parameters that pages, search and API listings read, besides the facets (`query_parameters()`).
# Anything else bypasses the cache.
FIXED_QUERY_PARAMETERS = frozenset(
    {
        # search and listings: text, page number, format
        "q",
        PAGE_PARAM,
        "page",
        "format",
        # the Wagtail API's own (it answers 400 to anything it does not know)
        "offset",
        "limit",
        "type",
        "fields",
        "order",
        "search",
        "search_operator",
        "child_of",
        "descendant_of",
        "ancestor_of",
    }
)
MAX_QUERY_PARAMETERS = 12
MAX_QUERY_LENGTH = 600
EXCLUDED_PREFIXES = ("/admin/", "/dokument/", "/media/", "/static/")
# Headers of the view's response worth keeping; the rest are added again on every response.
STORED_HEADERS = frozenset(
    {
        "content-type",
        "content-language",
        "content-disposition",
        "link",
        "x-robots-tag",
        "x-frame-options",
        "allow",
        "vary",
    }
)
ALLOWED_VARY = frozenset({"cookie", "accept-encoding"})
ENTRY_PREFIX = "pagecache:entry"
QUERY_ENTRIES_PREFIX = "pagecache:query-entries"
RESTRICTED_PREFIX = "pagecache:restricted-paths"


def _setting(name: str, default):
    return getattr(settings, name, default)


@functools.cache
def query_parameters() -> frozenset[str]:
    """Every query parameter some address reads: the fixed ones, every listing's and search's facets and
    the evaluation plan's selection."""
    from larande.evaluation.models import LESSON_FACETS, RESULT_FACETS  # noqa: PLC0415
    from larande.evaluation.tracker import RECOMMENDATION_FACETS  # noqa: PLC0415
    from larande.glossary.models import LEVEL_FACET  # noqa: PLC0415
    from larande.planning.plan import PLAN_PARAMETERS  # noqa: PLC0415
    from search.engines.base import FACETS  # noqa: PLC0415

    facets = {facet.param for facet in [*RESULT_FACETS, *LESSON_FACETS, *RECOMMENDATION_FACETS, LEVEL_FACET]}
    return FIXED_QUERY_PARAMETERS | facets | set(FACETS) | PLAN_PARAMETERS


@functools.cache
def set_parameters() -> frozenset[str]:
    """Query parameters whose values are read as a set: their order and repeats change nothing."""
    from larande.planning.plan import PLAN_SET_PARAMETERS  # noqa: PLC0415

    return PLAN_SET_PARAMETERS


def _param_names_known(request) -> bool:
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return True
    if len(query) > MAX_QUERY_LENGTH or sum(len(values) for _, values in request.GET.lists()) > MAX_QUERY_PARAMETERS:
        return False
    return set(request.GET) <= query_parameters()


def _in_scope(request) -> bool:
    """A request the page cache is about (whether or not it may use it)."""
    return (
        _setting("PAGE_CACHE_ENABLED", False)
        and request.method in ("GET", "HEAD")
        and not request.path_info.startswith(EXCLUDED_PREFIXES)
    )


def _may_use_cache(request) -> bool:
    if not _in_scope(request):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or _setting("MESSAGE_COOKIE_NAME", "messages") in cookies:
        return False
    return _param_names_known(request)


def cache_key(request, token: str) -> str | None:
    """The entry's key for this request under content version `token`; None for an unknown host."""
    try:
        host = request.get_host().lower()
    except DisallowedHost:
        return None
    sets = set_parameters()
    params = []
    for name in request.GET:
        values = request.GET.getlist(name)
        params += [(name, value) for value in (sorted(set(values)) if name in sets else values)]
    # By name only (a stable sort): a repeated parameter keeps the order of its values, which a
    # view may read (search reads the last `q`), so ?q=a&q=b and ?q=b&q=a are two entries.
    params.sort(key=lambda param: param[0])
    variant = repr((request.scheme, host, request.path, params))
    return f"{ENTRY_PREFIX}:{token}:{hashlib.sha256(variant.encode()).hexdigest()}"


def _seconds_to_next_change(limit: int, request=None) -> int:
    """`limit`, or fewer when a scheduled go-live or expiry comes first (never below 1)."""
    from portal.scheduling import NEXT_DUE_KEY, next_due  # noqa: PLC0415

    prefetched = getattr(request, "_page_cache_prefetch", None)
    due = next_due(prefetched["values"].get(NEXT_DUE_KEY)) if prefetched else next_due()
    if due is None:
        return limit
    return max(1, min(limit, int(due.timestamp() - time.time())))


# --- One read on a hit ---------------------------------------------------------------------------------

# The token of the content version this process read last: only a guess of the next request's entry
# key, never trusted on its own (see `prefetch`).
_last_token: list[str | None] = [None]


def prefetch(request) -> dict:
    """Read the content version, the next scheduled change and (guessed) this request's entry in one
    `get_many`; kept on the request for the page cache, returned for the scheduled publishing check."""
    from portal.scheduling import NEXT_DUE_KEY  # noqa: PLC0415

    keys = [VERSION_KEY, NEXT_DUE_KEY]
    guess = None
    if _last_token[0] is not None and _may_use_cache(request):
        guess = cache_key(request, _last_token[0])
        if guess is not None:
            keys.append(guess)
    values = cache.get_many(keys)
    request._page_cache_prefetch = {"values": values, "guess": guess}
    return values


# --- Restricted pages ----------------------------------------------------------------------------------


def restricted_paths(token: str) -> tuple[str, ...]:
    """Tree paths of the pages with view restrictions, read once per content version."""
    from wagtail.models import PageViewRestriction  # noqa: PLC0415

    key = f"{RESTRICTED_PREFIX}:{token}"
    paths = cache.get(key)
    if paths is None:
        paths = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
        cache.set(key, paths, _setting("PAGE_CACHE_SECONDS", 600))
    return paths


def mark_restricted_page(page, request, serve_args, serve_kwargs):
    """`before_serve_page`: a page in a restricted section is never stored, whoever asks."""
    state = getattr(request, "_page_cache", None)
    if state is None:
        return
    token = state["version"][0]
    if any(page.path.startswith(path) for path in restricted_paths(token)):
        request.page_cache_private = True


# --- The middleware ------------------------------------------------------------------------------------


def _headers_for_cacheable(response, version: tuple[str, int], key: str, request=None) -> None:
    token, modified = version
    response["ETag"] = f'"{token[:16]}-{key[-16:]}"'
    response["Last-Modified"] = http_date(modified)
    s_maxage = _seconds_to_next_change(_setting("PAGE_CACHE_S_MAXAGE", 600), request)
    max_age = min(_setting("PAGE_CACHE_MAX_AGE", 0), s_maxage)
    patch_cache_control(response, public=True, max_age=max_age, s_maxage=s_maxage)


def _stored(response) -> dict:
    headers = [(name, value) for name, value in response.items() if name.lower() in STORED_HEADERS]
    return {"status": response.status_code, "headers": headers, "content": response.content}


def _rebuilt(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    return response


def _personal(request, response) -> bool:
    user = getattr(request, "user", None)
    return bool(
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or getattr(request, "is_preview", False)
        or getattr(request, "page_cache_private", False)
        or (user is not None and user.is_authenticated)
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or request.META.get("CSRF_COOKIE_USED")
    )


def _vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}


def _storable(request, response, started: tuple[str, int]) -> bool:
    if response.status_code not in (200, 404) or response.streaming:
        return False
    if response.has_header("Cache-Control") or response.has_header("Expires"):
        return False  # the view decided for itself (e.g. the JSON search: private, max-age=30)
    if _personal(request, response) or not _vary(response) <= ALLOWED_VARY:
        return False
    session = getattr(request, "session", None)
    if session is not None and (session.modified or not session.is_empty()):
        return False
    if len(response.content) > _setting("PAGE_CACHE_MAX_ENTRY_BYTES", 2 * 1024 * 1024):
        return False
    return content_version() == started


def _room_for(request, token: str) -> bool:
    """Entries with a query string are limited per version; plain addresses are as many as pages."""
    if not request.META.get("QUERY_STRING"):
        return True
    from portal.cache import count_hit  # noqa: PLC0415

    counted = count_hit(f"{QUERY_ENTRIES_PREFIX}:{token}", _setting("PAGE_CACHE_SECONDS", 600))
    return counted is not None and counted[0] <= _setting("PAGE_CACHE_MAX_QUERY_ENTRIES", 2000)


class PageCacheMiddleware:
    """Serve anonymous requests from the page cache; set the caching headers (module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = self._lookup_state(request)
        if state is not None:
            prefetched = getattr(request, "_page_cache_prefetch", None)
            if prefetched and prefetched["guess"] == state["key"]:
                entry = prefetched["values"].get(state["key"])
            else:
                entry = cache.get(state["key"])
            if isinstance(entry, dict):
                response = _rebuilt(entry)
                _headers_for_cacheable(response, state["version"], state["key"], request)
                response["X-Page-Cache"] = "hit"
                return get_conditional_response(
                    request, etag=response["ETag"], last_modified=state["version"][1], response=response
                )
            request._page_cache = state
        response = self.get_response(request)
        return self._after(request, response, state)

    def _lookup_state(self, request) -> dict | None:
        if not _may_use_cache(request):
            return None
        prefetched = getattr(request, "_page_cache_prefetch", None)
        version = (prefetched and parse_version(prefetched["values"].get(VERSION_KEY))) or content_version()
        if version is None:
            return None
        _last_token[0] = version[0]
        key = cache_key(request, version[0])
        return None if key is None else {"version": version, "key": key}

    def _after(self, request, response, state):
        if state is not None and _storable(request, response, state["version"]):
            # Only read, empty, and no session cookie came: the page does not depend on one.
            request.session.accessed = False
            parts = (part.strip() for part in response.get("Vary", "").split(","))
            vary = [part for part in parts if part.lower() not in ("", "cookie")]
            if vary:
                response["Vary"] = ", ".join(vary)
            elif response.has_header("Vary"):
                del response["Vary"]
            token = state["version"][0]
            if _room_for(request, token):
                timeout = _seconds_to_next_change(_setting("PAGE_CACHE_SECONDS", 600), request)
                cache.set(state["key"], _stored(response), timeout)
            _headers_for_cacheable(response, state["version"], state["key"], request)
            response["X-Page-Cache"] = "miss"
            return get_conditional_response(
                request, etag=response["ETag"], last_modified=state["version"][1], response=response
            )
        if (
            request.method in ("GET", "HEAD")
            and not response.has_header("Cache-Control")
            and _personal(request, response)
        ):
            add_never_cache_headers(response)
        if _in_scope(request):
            response["X-Page-Cache"] = "bypass"
        return response
