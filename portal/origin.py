"""Absolute URLs follow the address the portal is served on.

Every absolute URL the portal writes (the sitemap, robots.txt, feeds, the SKOS and JSON-LD files,
the open data, share metadata, the API's `html_url`, `detail_url` and `download_url`, citations)
starts with the scheme, host and port of the request it answers, like Django's own feeds and
`request.build_absolute_uri()`. So the portal answers consistently wherever it runs: on
http://127.0.0.1:8000/ under `make run`, on its public name behind a proxy (which passes the Host
header, see the README), in the tests on http://testserver/.

Wagtail builds a page's full URL from its Site record's `root_url` instead, and the demo site is
`localhost:80`: such a URL would point elsewhere than the portal answers. `on_request_origin()`
moves a URL of the request's own site (the Site that `Site.find_for_request()` picks, which is the
default site when no hostname matches) onto the request's address; a URL of another site in a
multi-site setup keeps that site's `root_url`. With a single site this costs no query (Wagtail's
site root paths are cached); with several, the request's Site is looked up once per request.

Paths stay what they are: a concept's SKOS URI is its permalink `/permalank/<id>/` on whatever
host serves the file, and it does not change when the concept is renamed or moved.
"""

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from wagtail.models import Site


def _http_request(request) -> HttpRequest | None:
    """The Django request, also behind a REST framework request (the API's)."""
    if isinstance(request, HttpRequest):
        return request
    inner = getattr(request, "_request", None)
    return inner if isinstance(inner, HttpRequest) else None


def request_origin(request) -> str | None:
    """`scheme://host[:port]` of the request, or None without a real request or with a host
    that ALLOWED_HOSTS refuses (Wagtail's stand-in requests, e.g. when redirects are created)."""
    request = _http_request(request)
    if request is None:
        return None
    try:
        return f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return None


def _site_root_url(request) -> str | None:
    """The root URL of the request's site, worked out once per request. With one site (the usual
    case) it comes from Wagtail's cached site root paths, so it costs no query."""
    try:
        return request._origin_site_root_url
    except AttributeError:
        pass
    root_paths = Site.get_site_root_paths()
    if len({root_path.site_id for root_path in root_paths}) == 1:
        root = root_paths[0].root_url
    else:
        site = Site.find_for_request(request)
        root = site.root_url if site is not None else None
    request._origin_site_root_url = root
    return root


def on_request_origin(url: str | None, request) -> str | None:
    """`url`, built by Wagtail from a Site record's root URL, on the request's own address when it
    belongs to the request's site; any other URL (another site's, or a relative one) unchanged."""
    if not url:
        return url
    request = _http_request(request)
    origin = request_origin(request)
    root = _site_root_url(request) if origin else None
    if root is None:
        return url
    if url == root or url.startswith((root + "/", root + "?", root + "#")):
        return origin + url[len(root) :]
    return url


def absolute_url(request, path: str) -> str:
    """A path on the request's address (`path` unchanged without a request)."""
    return request.build_absolute_uri(path) if request is not None else path


def page_full_url(page, request) -> str | None:
    """A page's absolute URL on the request's address; None if the page is not routable.

    Works for any page object, specific or not (a parent, a related page loaded with `.only()`).
    """
    return on_request_origin(page.get_full_url(request), request)
