"""Routes that belong to a page live on the page, so no slug is reserved.

A page's feeds, downloads and overviews (`/resultat/rss/`, `/ramverket/dokument/`,
`/effektkedjor/<kedja>/diagram.svg`) are routes of the page itself (Wagtail's
`RoutablePageMixin`), not Django routes in front of the page tree: they follow the page when an
editor renames or moves it, and a child page can never be hidden by one of them. The contract:

- **Served only while the page is visible.** A route answers only when an anonymous visitor may
  see its page (`portal.visibility.is_visible_on_request`): live, not expired, no view restriction
  on it or above it. Otherwise it is a 404 for everyone, before Wagtail's view restrictions would answer
  with a login or password form (`refuse_hidden_page_routes`, a `before_serve_page` hook). What
  the routes serve is built from public content only, so there is nothing behind a login either.
- **No child slug equals a route segment.** `RoutablePageMixin.route()` tries the page's routes
  before its children, so a child slugged "rss" under the results would never be reached. The
  child's `clean()` (`ParentRouteSlugMixin`), the admin form for a new page (`RouteSafePageForm`),
  the copy form (`RouteSafeCopyForm`) and the admin's move and bulk move (core/wagtail_hooks.py)
  refuse such a slug with a Swedish message.
  Routes whose last segment is a file name (`diagram.svg`) cannot clash: slugs have no dots.
- **File names without a trailing slash.** Wagtail routes a page's subpath with a trailing slash
  added; a route whose last segment has a dot is resolved as written instead, and
  `PAGE_FILE_PATTERN` (portal/urls.py) sends such addresses to Wagtail's serve view.
- **Addresses are built from the page**: `{% routablepageurl page "rss" %}` in templates,
  `route_url(page, "rss")` in Python, and `{% section_route_url "larande.ResultIndexPage" "rss" %}`
  where no page is at hand (templates/components/feed_links.html).

Query budget: the guard reads the view restrictions once per request, shared with the navigation
(`portal.visibility.request_private_q`); `spare_view_restriction_check` then spares Wagtail's own check;
`section_route_url` reads the site root's children that the navigation reads anyway
(`portal.visibility.site_sections`), so the section links cost no query of their own.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from wagtail.admin.forms.pages import CopyForm
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from core.forms import PortalPageForm
from portal.visibility import is_visible_on_request, site_sections, visible_pages

# Wagtail's serve view for addresses whose last segment is a file name (`…/diagram.svg`); its own
# pattern only takes addresses that end in a slash.
PAGE_FILE_PATTERN = r"^((?:[\w\-]+/)*[\w\-]+\.\w+)$"
DEFAULT_ROUTE_LABEL = "en av sidans egna adresser"


def _is_file_name(segment: str) -> bool:
    return "." in segment


class PageRoutesMixin(RoutablePageMixin):
    """A page with routes of its own (feeds, downloads, overviews) that only a visible page serves.

    `route_labels` names each route (by its name) for the message an editor gets when a child's
    slug would clash with it, e.g. {"rss": "sidans RSS-flöde"}.
    """

    route_labels: dict[str, str] = {}

    def route(self, request, path_components):
        # Wagtail appends a slash before resolving; a file name is resolved as it was asked for.
        if self.live and path_components and _is_file_name(path_components[-1]):
            try:
                match = self.resolve_subpage("/" + "/".join(path_components))
            except Http404:
                pass
            else:
                request.routable_resolver_match = match
                view, args, kwargs = match
                return RouteResult(self, args=(view, args, kwargs))
        return super().route(request, path_components)

    def handle_options_request(self, request, serve_args=(), serve_kwargs=None):
        # Called with Wagtail's serve arguments, (view, args, kwargs) for a route: a route answers
        # OPTIONS itself, as it did as a Django route (a view that only reads answers 405).
        view, view_args, view_kwargs = serve_args if len(serve_args) == 3 else (None, (), {})
        if is_page_route(view):
            return view(request, *view_args, **view_kwargs)
        return super().handle_options_request(request)

    @classmethod
    def route_segments(cls) -> dict[str, str]:
        """{first path segment: label} of every route below the page that a child slug could equal."""
        segments = {}
        for route in cls.get_subpage_urls():
            if not isinstance(route.pattern, RoutePattern):
                continue
            first = str(route.pattern).split("/", 1)[0]
            if not first or "<" in first or _is_file_name(first):
                continue
            segments.setdefault(first, cls.route_labels.get(route.name, DEFAULT_ROUTE_LABEL))
        return segments


def is_page_route(view) -> bool:
    """Whether a routable page's resolved view is one of its own routes rather than the page itself."""
    func = getattr(view, "__func__", view)
    return view is not None and func is not RoutablePageMixin.index_route


def refuse_hidden_page_routes(page, request, serve_args, serve_kwargs):
    """`before_serve_page`: a route of a page anonymous visitors may not see is a 404 for everyone."""
    if not (isinstance(page, PageRoutesMixin) and serve_args and is_page_route(serve_args[0])):
        return
    if not is_visible_on_request(page, request):
        raise Http404("Sidan finns inte.")


def _no_view_restrictions():
    return PageViewRestriction.objects.none()


def spare_view_restriction_check(page, request, serve_args, serve_kwargs):
    """`before_serve_page`: spare Wagtail's own view-restriction check (two queries on every page)
    when the restricted sections the request has already read (`portal.visibility`) prove the page
    free of them. A page in or below a restricted section, and an alias (whose source's
    restrictions apply), keep Wagtail's check, so the login or password form still answers."""
    if getattr(page, "alias_of_id", None) or not is_visible_on_request(page, request):
        return
    page.get_view_restrictions = _no_view_restrictions


def route_url(page, name: str, request=None, *args, **kwargs) -> str:
    """The address of the route `name` on `page` (as `{% routablepageurl %}` builds it)."""
    base = page.get_url(request) or ""
    if not base.endswith("/"):
        base += "/"
    return base + page.reverse_subpage(name, args=args, kwargs=kwargs)


def route_slug_conflict(parent, slug: str) -> str | None:
    """The Swedish message when `slug` on a child of `parent` would be hidden by one of its routes."""
    if parent is None or not slug:
        return None
    parent_class = parent.specific_class if isinstance(parent, Page) else type(parent)
    if parent_class is None or not issubclass(parent_class, PageRoutesMixin):
        return None
    label = parent_class.route_segments().get(slug)
    if label is None:
        return None
    return f"Adressen ”{slug}” används redan av {label}. Välj en annan."


class RouteSafeCopyForm(CopyForm):
    """Wagtail's copy form, refusing a new slug that one of the new parent's routes would hide."""

    def clean(self):
        cleaned = super().clean()
        parent = cleaned.get("new_parent_page") or self.page.get_parent()
        message = route_slug_conflict(parent, cleaned.get("new_slug"))
        if message:
            self.add_error("new_slug", message)
        return cleaned


class ParentRouteSlugMixin:
    """A page type that can sit below a page with routes: its slug may not be one of their segments.

    Checked in `clean()` (the admin's forms and `full_clean()`, also after a move); a new page in
    the admin has no parent yet, so `RouteSafePageForm` checks it there; copies are checked by
    `RouteSafeCopyForm`. Page types that use it set `base_form_class = RouteSafePageForm` (or a
    subclass of it).
    """

    copy_form_class = RouteSafeCopyForm

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.path else None
        message = route_slug_conflict(parent, self.slug)
        if message:
            raise ValidationError({"slug": message})


class RouteSafePageForm(PortalPageForm):
    """The admin form for page types under pages with routes: a new page's slug is checked against
    its parent's routes (the model's clean() does it once the page is in the tree)."""

    def clean(self):
        cleaned = super().clean()
        if not self.instance.path and "slug" in cleaned:
            message = route_slug_conflict(self.parent_page, cleaned["slug"])
            if message:
                self.add_error("slug", message)
        return cleaned


def visible_section_pages(request=None) -> dict[type, Page]:
    """{page class: page} for the visible section pages with routes, the first of each type in tree
    order (a base `Page` row each). With a request, they are the site root's children that the
    navigation reads anyway (`portal.visibility.site_sections`), so they cost no query of their own;
    without one (a template rendered on its own), one query for every such page in the tree."""
    cached = getattr(request, "_section_route_pages", None)
    if cached is not None:
        return cached
    models = _section_models()
    if request is not None and Site.find_for_request(request) is not None:
        rows = [page for page in site_sections(request) if page.expire_at is None or page.expire_at > timezone.now()]
    else:
        from django.contrib.contenttypes.models import ContentType

        types = ContentType.objects.get_for_models(*models)
        rows = (
            visible_pages(Page)
            .filter(content_type__in=list(types.values()))
            .order_by("path")
            .only("id", "url_path", "path", "depth", "content_type", "live", "expire_at")
        )
    pages = {}
    for row in rows:
        if row.specific_class in models:
            pages.setdefault(row.specific_class, row)
    if request is not None:
        request._section_route_pages = pages
    return pages


def _section_models() -> list[type]:
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, PageRoutesMixin) and getattr(model, "max_count", None) == 1
    ]


def section_route_url(model_label: str, name: str, request=None) -> str | None:
    """The address of route `name` on the visible page of the given section type ("app.Model"),
    or None when there is no such page for anonymous visitors."""
    from django.apps import apps

    model = apps.get_model(model_label)
    row = visible_section_pages(request).get(model)
    if row is None:
        return None
    base = row.get_url(request) or ""
    if not base.endswith("/"):
        base += "/"
    return base + model.get_resolver().reverse(name)
