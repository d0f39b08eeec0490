"""Scheduled publishing and expiry that never wait for cron.

Wagtail publishes scheduled revisions and unpublishes expired pages only when
`manage.py publish_scheduled` runs. Until then an expired page would still be `live`, and every
route would go on serving it: the page, listings, search, feeds, the API, the sitemap, open data
and the files it uses. Instead of teaching each of those routes about `expire_at`, the portal
makes the scheduled change happen before it answers the first request that comes after it is
due, with Wagtail's own command, so every route sees one consistent state and the usual
unpublish/publish signals keep the search index and the caches in step. Cron (or the systemd
timer in the README) still runs the same command, so changes also happen when nobody visits.

Cost per request: one cache read of "when is the next scheduled change due?", shared with the page
cache's reads (`portal.pagecache.prefetch`: one `get_many`). The answer is
worked out again (two small queries) when a page, revision or other draft-state object is saved
or deleted, on the editor's side, and by a request only when the cache lost it or is
unreachable. The command runs only when something is due.
"""

import io
import logging
from datetime import datetime

from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import Min
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.utils import timezone
from wagtail.models import DraftStateMixin, Page, Revision

logger = logging.getLogger(__name__)

NEXT_DUE_KEY = "scheduling:next-due"
NOTHING_DUE = "nothing"
# A safety net only: every save, publish and unpublish forgets the cached answer at once.
NEXT_DUE_SECONDS = 300


def _scheduled_models() -> list:
    """The models `publish_scheduled` expires: pages and any other model with a draft state."""
    return [Page] + [
        model for model in apps.get_models() if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
    ]


def compute_next_due() -> datetime | None:
    """The earliest time at which a live object expires or an approved revision goes live."""
    candidates = [
        model.objects.filter(live=True, expire_at__isnull=False).aggregate(at=Min("expire_at"))["at"]
        for model in _scheduled_models()
    ]
    candidates.append(
        Revision.objects.filter(approved_go_live_at__isnull=False).aggregate(at=Min("approved_go_live_at"))["at"]
    )
    due = [at for at in candidates if at is not None]
    return min(due) if due else None


_UNREAD = object()


def next_due(cached=_UNREAD) -> datetime | None:
    """`compute_next_due()`, from the cache when it holds the answer (`cached`: NEXT_DUE_KEY's value,
    when the caller has read it already, None if it was missing)."""
    if cached is _UNREAD:
        cached = cache.get(NEXT_DUE_KEY)
    if cached == NOTHING_DUE:
        return None
    if isinstance(cached, datetime):
        return cached
    due = compute_next_due()
    cache.set(NEXT_DUE_KEY, due or NOTHING_DUE, NEXT_DUE_SECONDS)
    return due


def forget_next_due(**kwargs) -> None:
    cache.delete(NEXT_DUE_KEY)


def refresh_next_due(**kwargs) -> None:
    """After a save or delete: work out the next time at once, so that requests never have to."""
    due = compute_next_due()
    cache.set(NEXT_DUE_KEY, due or NOTHING_DUE, NEXT_DUE_SECONDS)


def run_due_changes() -> None:
    """Publish what is due and expire what has expired, exactly as `publish_scheduled` does."""
    call_command("publish_scheduled", stdout=io.StringIO())
    forget_next_due()


def apply_due_changes(now: datetime | None = None, cached=_UNREAD) -> bool:
    """Run the scheduled changes if any is due; True when something ran (`cached`: as for `next_due`)."""
    due = next_due(cached)
    if due is None or due > (now or timezone.now()):
        return False
    try:
        run_due_changes()
    except Exception:
        # The visitor still gets an answer; `expired_page_guard` keeps an expired page away.
        logger.exception("Schemalagd publicering eller avpublicering misslyckades")
    return True


class ScheduledPublishingMiddleware:
    """Apply due scheduled changes before the request is answered (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not request.path.startswith("/static/"):
            from portal.pagecache import prefetch  # noqa: PLC0415

            # One cache read for this check and the page cache's lookup; a change that ran moved the
            # content version, so the page cache then reads it again.
            values = prefetch(request)
            if apply_due_changes(cached=values.get(NEXT_DUE_KEY)):
                request._page_cache_prefetch = None
        return self.get_response(request)


def expired_page_guard(page, request, serve_args, serve_kwargs):
    """`before_serve_page`: an expired page is never served, even before it has been unpublished."""
    if page.expire_at is not None and page.expire_at <= timezone.now():
        raise Http404("Sidan har upphört att gälla.")


def connect_signals() -> None:
    """Work out the next time again whenever a page, another draft-state object or a revision is
    saved or deleted (publishing, unpublishing and scheduling all save one). From HomeConfig.ready().

    Connected per model, never for every sender: a receiver for all models would turn off
    Django's fast deletes everywhere (the search index's cascades among them)."""
    models = [model for model in apps.get_models() if issubclass(model, (DraftStateMixin, Revision))]
    for model in models:
        post_save.connect(refresh_next_due, sender=model, dispatch_uid=f"scheduling-save-{model._meta.label}")
        post_delete.connect(refresh_next_due, sender=model, dispatch_uid=f"scheduling-delete-{model._meta.label}")
