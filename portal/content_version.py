"""One site-wide content version: a token that changes on everything that can change what a visitor sees.

The anonymous page cache (`portal.pagecache`) puts this token in every key, and ETag and
Last-Modified come from it; so when it changes, every cached page, feed, export and API listing is
forgotten at once, and Varnish (through Wagtail's frontend cache) is told to ban everything. The
portal publishes a few times a day: invalidating everything each time is simple and always right,
where working out which of a hundred pages show a changed concept in their text is neither.

What moves it (connected in `PortalConfig.ready()`, after every other app's receivers, so that its
commit hook runs after theirs, e.g. the search index's, and a new version never meets an old index):

- pages: published, unpublished (also by scheduled go-live and expiry: `publish_scheduled` publishes
  and unpublishes through the same signals), saved with anything but draft fields, deleted, moved,
  slug changed;
- view restrictions on pages and collections, collections, the files' visibility, sites, redirects,
  documents and images;
- records: evaluation questions (with their decisions), indicators and their values, regions, RUS
  priorities, tags, and recommendations' status history (written when a result is published);
- site settings (every BaseSiteSetting/BaseGenericSetting model, when there are any);
- many-to-many relations of pages, of their child rows (a lesson's tags) and of the records above
  (a chain's priorities, a result's regions, a question's chains): `m2m_changed` on each through
  model, since a relation changed alone (`region.results.add(…)`, `save(update_fields=[…])` of a
  relation) saves no row and sends no post_save.

Concepts are pages, so their explanations in other pages' text follow from the first line.
Receivers are connected per model: one for every sender on post_delete would turn off Django's fast
deletes everywhere (the search index's cascades among them).

The contract, and why it is race-free:

- A request reads the version *before* it reads the database, and stores what it rendered under
  that version (`portal.pagecache`).
- A change forgets the version at once and again after its transaction commits (`content_changed`);
  the first time so that a test or a change outside a transaction is seen at once, the second time
  because only then can every new reader see the new rows. Whatever a request rendered from the old
  rows is stored under a version nobody reads any more.
- Forgetting is a cache `delete`, which the fail-soft cache remembers and replays when the cache was
  unreachable (`portal.cache`), so an outage cannot bring an old version back.
- After the commit, Wagtail's frontend cache sends a PURGE to each configured backend (the VCL in
  deploy/varnish/ turns it into a ban of everything) and, PURGE_REPEAT_SECONDS later, once more: a
  response that was already on its way to Varnish when the version moved is banned too.
  Responses that finish after the version moved are never marked cacheable (`portal.pagecache`).

Last-Modified: each new version records the second it was made, always later than the previous
version's, so that If-Modified-Since can never match an older version.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from portal.release import release

logger = logging.getLogger(__name__)

# Per release (portal/release.py): a deploy starts with a version of its own, so nothing the
# previous code cached is read by the new code.
VERSION_KEY = f"pagecache:content-version:{release()}"
LAST_MODIFIED_KEY = "pagecache:last-modified"

_pending = threading.local()


def content_version() -> tuple[str, int] | None:
    """(token, Last-Modified as a Unix time) of the content as it is now; None while the cache is
    unavailable (nothing may then be cached, as nobody could tell when it went stale)."""
    return parse_version(cache.get(VERSION_KEY)) or _made_version()


def parse_version(value) -> tuple[str, int] | None:
    """The (token, Last-Modified) of a value read from VERSION_KEY (e.g. in a `get_many`); None for none."""
    if not isinstance(value, str):
        return None
    token, _, at = value.partition(".")
    try:
        return token, int(at)
    except ValueError:
        return None


def _made_version() -> tuple[str, int] | None:
    """Make a new version when there is none (another process may win the race: its version counts)."""
    value = cache.get(VERSION_KEY)
    if value is None:
        previous = cache.get(LAST_MODIFIED_KEY) or 0
        at = max(math.ceil(time.time()), int(previous) + 1)
        if cache.add(VERSION_KEY, f"{uuid.uuid4().hex}.{at}", None):
            cache.set(LAST_MODIFIED_KEY, at, None)
        value = cache.get(VERSION_KEY)
    return parse_version(value)


def content_changed(*args, **kwargs) -> None:
    """Move the content version now and again after the commit (a signal receiver, or call it)."""
    cache.delete(VERSION_KEY)
    _pending.purge = True
    transaction.on_commit(_committed, robust=True)


def _committed() -> None:
    cache.delete(VERSION_KEY)
    if getattr(_pending, "purge", False):
        # One purge for however many receivers fired in the transaction.
        _pending.purge = False
        purge_frontend_caches()


def purge_frontend_caches() -> None:
    """Ban everything in every configured frontend cache (Varnish), now and once more a moment later."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache  # noqa: PLC0415
    from wagtail.models import Site  # noqa: PLC0415

    urls = sorted({f"{site.root_url}/" for site in Site.objects.all()}) or ["http://localhost/"]
    purge_urls_from_cache(urls)
    repeat = float(getattr(settings, "PURGE_REPEAT_SECONDS", 0.2))
    if repeat > 0:
        time.sleep(repeat)
        purge_urls_from_cache(urls)


# --- Which changes move it ---------------------------------------------------------------------------

# A draft save only touches these page fields (Wagtail's save_revision); the live site is unchanged.
DRAFT_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
        "wagtail_admin_comments",  # COMMENTS_RELATION_NAME, saved with every revision
    }
)


def changes_live_content(update_fields) -> bool:
    """Whether a page save with these `update_fields` can change the live site (not a draft save)."""
    return update_fields is None or not set(update_fields) <= DRAFT_FIELDS


def _page_saved(sender, instance, update_fields=None, **kwargs):
    if changes_live_content(update_fields):
        content_changed()


def watched_models() -> list:
    """The non-page models whose rows a visitor sees (see the module docstring)."""
    from django.apps import apps  # noqa: PLC0415
    from taggit.models import Tag  # noqa: PLC0415
    from wagtail.contrib.redirects.models import Redirect  # noqa: PLC0415
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting  # noqa: PLC0415
    from wagtail.documents import get_document_model  # noqa: PLC0415
    from wagtail.images import get_image_model  # noqa: PLC0415
    from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Site  # noqa: PLC0415

    from home.models import CollectionVisibility  # noqa: PLC0415
    from larande.models import (  # noqa: PLC0415
        EvaluationQuestion,
        Indicator,
        IndicatorValue,
        RecommendationStatusChange,
        Region,
        RusPriority,
    )

    records = [EvaluationQuestion, Indicator, IndicatorValue, Region, RusPriority, Tag, RecommendationStatusChange]
    records += [apps.get_model("larande", "TaggedQuestion")]
    wagtail = [PageViewRestriction, CollectionViewRestriction, Collection, CollectionVisibility, Site, Redirect]
    files = [get_document_model(), get_image_model()]
    site_settings = [
        model
        for model in apps.get_models()
        if issubclass(model, (BaseSiteSetting, BaseGenericSetting)) and not model._meta.abstract
    ]
    return [*records, *wagtail, *files, *site_settings]


def watched_relations() -> list:
    """The through models of the many-to-many fields (tags included) of pages, of their child rows and of
    the watched records."""
    from django.apps import apps  # noqa: PLC0415
    from modelcluster.fields import ParentalKey  # noqa: PLC0415
    from wagtail.models import Page  # noqa: PLC0415

    watched = set(watched_models())

    def child_of_page(model) -> bool:
        return any(
            isinstance(field, ParentalKey) and issubclass(field.related_model, Page) for field in model._meta.fields
        )

    throughs = []
    for model in apps.get_models():
        if issubclass(model, Page) or model in watched or child_of_page(model):
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                if through not in throughs:
                    throughs.append(through)
    return throughs


def _relation_changed(sender, action, pk_set=None, **kwargs):
    if action == "post_clear" or (action in ("post_add", "post_remove") and pk_set):
        content_changed()


def connect_signals() -> None:
    """Connect `content_changed` to every change listed in the module docstring."""
    from django.apps import apps  # noqa: PLC0415
    from django.db.models.signals import m2m_changed, post_delete, post_save  # noqa: PLC0415
    from wagtail.models import Page  # noqa: PLC0415
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move  # noqa: PLC0415

    page_published.connect(content_changed, dispatch_uid="pagecache-page-published")
    page_unpublished.connect(content_changed, dispatch_uid="pagecache-page-unpublished")
    post_page_move.connect(content_changed, dispatch_uid="pagecache-page-moved")
    page_slug_changed.connect(content_changed, dispatch_uid="pagecache-slug-changed")
    # Every page has a row in Page's own table: listening to Page hears every page deleted.
    post_delete.connect(content_changed, sender=Page, dispatch_uid="pagecache-page-deleted")
    for model in apps.get_models():
        if issubclass(model, Page):
            post_save.connect(_page_saved, sender=model, dispatch_uid=f"pagecache-saved-{model._meta.label}")
    for model in watched_models():
        label = model._meta.label
        post_save.connect(content_changed, sender=model, dispatch_uid=f"pagecache-saved-{label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"pagecache-deleted-{label}")
    for through in watched_relations():
        m2m_changed.connect(_relation_changed, sender=through, dispatch_uid=f"pagecache-relation-{through._meta.label}")
