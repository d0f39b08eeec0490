"""Values computed from published content, kept in the shared cache under the content version.

What every page needs (the request's site, the view restrictions, the navigation's sections,
breadcrumbs) and what some pages compute at length (the chain's coverage matrix, the SKOS graph,
a result's share metadata) depends only on what is published: it is the same for every anonymous
visitor until the content version (`portal.content_version`) moves, which happens on every change
that could alter it. So it is computed once per version and read from the shared cache (Redis or
the cache on disk every process shares) by every process, instead of on every request.

The contract is the page cache's: the version is read *before* the database, and the value is
stored under that version's key; a change moves the version, so a value computed from old rows is
stored under a key nobody reads any more. Never stale, and nothing to forget by hand.

Only what an anonymous visitor may see goes in (`portal.visibility`): never anything derived from
the user, the session, a preview or a draft. Within one request the version is read once and kept
on the request (`request._content_version`), so that everything the request renders agrees on it.

Without a cache (unreachable), `cached_on_content` computes the value each time: slower, still right.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache

from portal.content_version import content_version

PREFIX = "content"
# A safety net: every entry is forgotten with its version anyway.
TIMEOUT = 24 * 60 * 60
_MISSING = object()


def request_version(request=None) -> tuple[str, int] | None:
    """The content version for this request: read once and kept on the request."""
    if request is None:
        return content_version()
    version = getattr(request, "_content_version", _MISSING)
    if version is _MISSING:
        version = content_version()
        request._content_version = version
    return version


def cached_on_content(name: str, compute: Callable[[], object], request=None, timeout: int = TIMEOUT):
    """`compute()`, from the shared cache when it was computed for the current content version.

    `name` must say everything the value depends on besides the published content (a page's id, a
    site, a filter): values with the same name share one entry. `compute` must only read what an
    anonymous visitor may see.
    """
    version = request_version(request)
    if version is None:
        return compute()
    key = f"{PREFIX}:{version[0]}:{name}"
    memo = getattr(request, "_content_cache", None) if request is not None else None
    if memo is not None and key in memo:
        return memo[key]
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout)
    if request is not None:
        if memo is None:
            memo = request._content_cache = {}
        memo[key] = value
    return value


# --- The request's site ----------------------------------------------------------------------------------


def _site_for(hostname: str, port: int):
    from wagtail.models import Site  # noqa: PLC0415
    from wagtail.models.sites import get_site_for_hostname  # noqa: PLC0415

    try:
        return get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None


class SiteMiddleware:
    """Find the request's Wagtail site (and its root page) once per content version, not per request.

    Wagtail looks the site up for every page (`Site.find_for_request`, one query) and keeps it on
    the request as `_wagtail_site`; this sets that attribute from the shared cache first, with the
    same rule (hostname, then port, then the default site: Wagtail's `get_site_for_hostname`).
    For Wagtail's page serving, whose routing starts at `site.root_page.specific` (two more
    queries), the specific root page comes from the cache too. Sites and pages move the content
    version.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http.request import split_domain_port  # noqa: PLC0415

        hostname = split_domain_port(request._get_raw_host())[0]
        port = request.get_port()
        request._wagtail_site = cached_on_content(f"site:{hostname}:{port}", lambda: _site_for(hostname, port), request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve  # noqa: PLC0415

        site = getattr(request, "_wagtail_site", None)
        if site is not None and view_func is serve:
            site.root_page = cached_on_content(f"site-root:{site.pk}", lambda: site.root_page.specific, request)


# --- Values of one published page ------------------------------------------------------------------------


def serves_published_page(page, request) -> bool:
    """Whether `page` is rendered as an anonymous visitor sees it: a stored page (not a preview's
    draft) that is live, unexpired and outside every restricted section. The view restrictions are
    the request's (`portal.visibility`), so this costs no query after the first."""
    from portal.visibility import is_visible_on_request  # noqa: PLC0415

    if request is None or getattr(request, "is_preview", False) or page is None or not getattr(page, "pk", None):
        return False
    # An alias shows its source page's restrictions, which its own path does not tell.
    if getattr(page, "alias_of_id", None):
        return False
    return is_visible_on_request(page, request)


def cached_for_page(page, name: str, compute: Callable[[], object], request=None):
    """`compute()` for a published page, cached per content version under the page's id and `name`;
    computed afresh for a preview, a draft, a private or an expired page (never cached).

    `compute` must depend only on the stored page and other published content; `name` must say
    what else it depends on (the host and scheme when it holds absolute addresses).
    """
    if not serves_published_page(page, request):
        return compute()
    return cached_on_content(f"page:{page.pk}:{name}", compute, request)


def origin_key(request) -> str:
    """The scheme and host, for names of values that hold absolute addresses."""
    return f"{request.scheme}://{request.get_host()}"
