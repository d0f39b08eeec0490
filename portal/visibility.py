"""What an anonymous visitor may see: one definition for every route.

A page is visible when it is live, neither it nor an ancestor has a view restriction, and it has
not expired. Expiry normally turns a page non-live (`portal.scheduling` runs Wagtail's
`publish_scheduled` before the first request after it is due); the `expire_at` condition here
keeps the rule true even in the moment before that has happened.
"""

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page


def not_expired() -> Q:
    return Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now())


def visible_pages(queryset=None):
    """`queryset` (default: every page) narrowed to the pages an anonymous visitor may see."""
    queryset = Page.objects.all() if queryset is None else queryset
    return queryset.live().public().filter(not_expired())


def is_visible(page) -> bool:
    """Whether an anonymous visitor may see this page as it is stored (one query)."""
    if page is None or not getattr(page, "pk", None) or not page.live:
        return False
    if page.expire_at is not None and page.expire_at <= timezone.now():
        return False
    return visible_pages().filter(pk=page.pk).exists()
