"""What an anonymous visitor may see: one definition for every route.

A page is visible when it is live, neither it nor an ancestor has a view restriction, and it has
not expired. Expiry normally turns a page non-live (`portal.scheduling` runs Wagtail's
`publish_scheduled` before the first request after it is due); the `expire_at` condition here
keeps the rule true even in the moment before that has happened.

Every listing, feed, export, API field, search filter and sitemap narrows its pages with
`visible_pages()`; nothing writes `.live().public()` by hand.
"""

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site


def not_expired() -> Q:
    return Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now())


def private_pages_q() -> Q:
    """A Q object matching pages in private sections (Wagtail's `private_q()`, the same condition),
    reusable on any page model; the view restrictions are read once per content version."""
    from portal.content_cache import cached_on_content  # noqa: PLC0415

    return _sections_q(cached_on_content("restricted-sections", _read_restricted_sections))


def _read_restricted_sections() -> list[tuple[str, int]]:
    return list(PageViewRestriction.objects.values_list("page__path", "page__depth"))


def _sections_q(sections) -> Q:
    q = Q()
    for path, depth in sections:
        q |= Q(path__startswith=path) & Q(depth__gte=depth)
    return q if q else Q(pk__in=[])


def _restricted_sections(request) -> list[tuple[str, int]]:
    """(path, depth) of every page with a view restriction: one query per content version
    (`portal.content_cache`), kept on the request; without a request, read afresh."""
    cached = getattr(request, "_restricted_sections", None)
    if cached is None:
        if request is None:
            return _read_restricted_sections()
        from portal.content_cache import cached_on_content  # noqa: PLC0415

        cached = cached_on_content("restricted-sections", _read_restricted_sections, request)
        request._restricted_sections = cached
    return cached


def request_private_q(request) -> Q:
    """`private_pages_q()` (the same condition), read once per request and shared by everything the
    request renders or checks (navigation, breadcrumbs, section links, page routes); without a
    request, read afresh."""
    return _sections_q(_restricted_sections(request))


def is_visible_on_request(page, request) -> bool:
    """`is_visible()` for a page just read from the database in this request (as Wagtail's routing
    does), using the request's view restrictions: no query of its own after the first."""
    if page is None or not getattr(page, "pk", None) or not page.live:
        return False
    if page.expire_at is not None and page.expire_at <= timezone.now():
        return False
    return not any(page.path.startswith(path) for path, _ in _restricted_sections(request))


def site_sections(request) -> list:
    """The live pages directly under the request's site root outside private sections, in tree
    order: one query per request, shared by the main navigation (those in the menu) and the
    section links of core/routes.py (those not expired). Empty without a site."""
    cached = getattr(request, "_site_sections", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request) if request is not None else None
    sections = []
    if site is not None:
        from portal.content_cache import cached_on_content  # noqa: PLC0415

        def sections_of_site():
            return list(
                Page.objects.child_of(site.root_page)
                .live()
                .exclude(request_private_q(request))
                .order_by("path")
                .only("id", "title", "url_path", "path", "depth", "show_in_menus", "content_type", "live", "expire_at")
            )

        # The same for every anonymous visitor until the content version moves.
        sections = cached_on_content(f"site-sections:{site.pk}", sections_of_site, request)
    if request is not None:
        request._site_sections = sections
    return sections


def visible_pages(pages=None, private_q: Q | None = None):
    """`pages` (a page model or a queryset of pages; default every page) narrowed to what an
    anonymous visitor may see. `private_q`: the restrictions from `private_pages_q()`, when the
    caller has read them already."""
    if pages is None:
        pages = Page.objects.all()
    elif isinstance(pages, type):
        pages = pages.objects.all()
    restricted = private_pages_q() if private_q is None else private_q
    return pages.live().exclude(restricted).filter(not_expired())


def hidden_live_page_ids() -> list[int]:
    """The ids of the live pages an anonymous visitor may not see: in a private section, or expired
    before the job that unpublishes them has run. Usually none or a handful.

    The search indexes hold live pages only and drop a page when its restriction is committed;
    searches exclude these ids as well, so that no total, facet count or suggestion ever counts
    one in the moment in between. Read once per content version (a restriction, a publication or
    an expiry date changes it); which expiry dates have passed is decided now.
    """
    from portal.content_cache import cached_on_content  # noqa: PLC0415

    restricted, expiring = cached_on_content("hidden-live-pages", _read_hidden_live_pages)
    now = timezone.now()
    return sorted({*restricted, *(pk for pk, expire_at in expiring if expire_at <= now)})


def _read_hidden_live_pages() -> tuple[list[int], list[tuple]]:
    live = Page.objects.filter(live=True)
    restricted = list(live.filter(private_pages_q()).values_list("pk", flat=True))
    expiring = list(live.filter(expire_at__isnull=False).values_list("pk", "expire_at"))
    return restricted, expiring


def is_visible(page) -> bool:
    """Whether an anonymous visitor may see this page as it is stored (one query)."""
    if page is None or not getattr(page, "pk", None) or not page.live:
        return False
    if page.expire_at is not None and page.expire_at <= timezone.now():
        return False
    return visible_pages().filter(pk=page.pk).exists()
