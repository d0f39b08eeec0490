"""Main navigation and breadcrumbs from the page tree: live, public pages only.

One query each for the pages, plus one for the view restrictions that decide which sections are
private (Wagtail's `public()` would read them again for every list); all of them once per content
version (`portal.content_cache`), not per request.
"""

from django import template
from wagtail.models import Page, Site

from portal.content_cache import cached_on_content
from portal.visibility import request_private_q, site_sections

register = template.Library()


def _private_sections(request):
    """A Q for pages in private sections, read once per request and shared by both tags."""
    return request_private_q(request)


def _site_root(request):
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


@register.inclusion_tag("components/main_nav.html", takes_context=True)
def main_nav(context):
    request = context.get("request")
    root = _site_root(request)
    current = context.get("page")
    items = [page for page in site_sections(request) if page.show_in_menus] if root is not None else []
    current_path = getattr(current, "path", "")
    # A view below the page (a form, a print view) is inside the page's section, not the page itself.
    below_page = bool(context.get("breadcrumb_current"))
    for item in items:
        item.is_current = current_path == item.path and not below_page
        item.is_ancestor = bool(current_path) and current_path.startswith(item.path) and not item.is_current
    return {"items": items, "root": root, "request": request}


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """The trail from the start page to `page`, through live, public ancestors only.

    A live page can sit below an unpublished or private one (Wagtail serves it all the same); that
    ancestor's title and address are not the visitor's to see, so the trail skips it, as the main
    navigation does. The first crumb is the site's root, shown as "Start".
    """
    page = context.get("page")
    if page is None or page.depth <= 2:
        return {"crumbs": []}
    request = context.get("request")

    def trail():
        return list(
            Page.objects.ancestor_of(page)
            .filter(depth__gt=1)
            .live()
            .exclude(_private_sections(request))
            .order_by("depth")
            .only("id", "title", "url_path", "path", "depth")
        )

    # Live, public ancestors only: the same for every visitor until the content version moves.
    # (A preview of a page not yet saved has no place in the tree of its own: read afresh.)
    saved = request is not None and page.pk and not getattr(request, "is_preview", False)
    ancestors = cached_on_content(f"breadcrumbs:{page.path}", trail, request) if saved else trail()
    # A view below a page (e.g. a form on a routable page) names itself; the page becomes a link.
    current = context.get("breadcrumb_current")
    if current:
        ancestors = [*ancestors, page]
    return {"crumbs": ancestors, "page": page, "current": current or page.title, "request": context.get("request")}
