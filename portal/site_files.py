"""The files every crawler and browser asks for at the site root: /sitemap.xml, /robots.txt and
/favicon.ico. Absolute URLs in them are on the address the request came in on (portal/origin.py).
"""

from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps.sitemap_generator import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from portal.content_cache import cached_on_content, origin_key
from portal.origin import on_request_origin
from portal.visibility import visible_pages

# Addresses that are not content: the admin, search results (any query, endlessly many) and the
# API, which repeats the pages as JSON for programs. Open data, feeds, permalinks, documents and
# every page stay open.
ROBOTS_DISALLOW = ("/admin/", "/sok/", "/api/")
FAVICON = settings.BASE_DIR / "static" / "icons" / "favicon.ico"
# A day: the icon seldom changes, and browsers ask for it on every new visit otherwise.
FAVICON_MAX_AGE = 60 * 60 * 24


class ServedSitemap(Sitemap):
    """Wagtail's sitemap of the request's site (visible pages with their last publication),
    with every address on the request's own address instead of the Site record's root URL.

    Query budget: the addresses are read once per content version, scheme and host
    (`portal.content_cache`); reading them takes one query per page type, not one per page.
    """

    def items(self):
        site = self.get_wagtail_site()
        return (
            visible_pages(site.root_page.get_descendants(inclusive=True))
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def get_urls(self, page=1, site=None, protocol=None):
        def compute():
            urls = super(ServedSitemap, self).get_urls(page=page, site=site, protocol=protocol)
            return urls, getattr(self, "latest_lastmod", None)

        name = f"sitemap:{origin_key(self.request)}:{page}"
        urls, latest_lastmod = cached_on_content(name, compute, self.request)
        if latest_lastmod is not None:
            self.latest_lastmod = latest_lastmod
        return urls

    def _urls(self, page, protocol, domain):
        urls, last_mods = [], set()
        # A list, not Wagtail's .iterator(): the specific pages are then read in one query per type.
        for item in list(self.paginator.page(page).object_list):
            for info in item.get_sitemap_urls(self.request):
                urls.append(info)
                last_mods.add(info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        for info in urls:
            info["location"] = on_request_origin(info["location"], self.request)
            for alternate in info.get("alternates") or ():
                alternate["location"] = on_request_origin(alternate["location"], self.request)
        return urls


def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"wagtail": ServedSitemap})


@require_safe
def robots_txt(request):
    """What crawlers may fetch, and where the sitemap is (an absolute URL, as the format requires)."""
    lines = [
        "# Lärportalen – ramverk för strategiskt lärande",
        "User-agent: *",
        *(f"Disallow: {path}" for path in ROBOTS_DISALLOW),
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@lru_cache(maxsize=1)
def _favicon_bytes() -> bytes:
    return FAVICON.read_bytes()


@require_safe
def favicon(request):
    """The portal's icon as a real .ico at the address browsers and feed readers ask for by
    default; pages also name the SVG version in <link rel="icon"> (templates/base.html)."""
    response = HttpResponse(_favicon_bytes(), content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = f"public, max-age={FAVICON_MAX_AGE}"
    return response
