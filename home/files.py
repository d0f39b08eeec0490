"""Who may see an uploaded file: the one rule for documents, images and their renditions.

A visitor, anonymous or logged in without admin rights over files, may list or download a
document or image only when

- a **live, public page uses it in its published content**: the page is live, has no view
  restriction on itself or an ancestor (`.public()`), and has not expired (`expire_at` empty or
  in the future: an expired page counts as hidden even while cron has not yet unpublished it); or
- an editor put it in a **collection marked public** (`home.CollectionVisibility`, "Öppna
  samlingar" in the admin).

A rendition follows its image. Editors who may work with a file in the admin (admin access and
a permission on the file's collection) may download everything.

"Uses" is read from Wagtail's reference index (`wagtail.models.ReferenceIndex`), which records
every file a page points to: foreign keys on the page and its inline child objects (e.g.
`ResultDocument.document`), document links and embedded images in rich text, and chooser blocks
in StreamFields. Wagtail builds a page's entries from the page's database row and its child rows
(`update_reference_index_task` loads the object afresh), which hold the *published* content: a
draft or a change awaiting review lives only in a revision, so a file added there does not count
until it is published. The task runs in-process (django-tasks' ImmediateBackend, the default when
TASKS is unset), so the index is current when a save returns. One gap is closed here: on publish,
modelcluster deletes removed child rows after the page row is saved, and deleting a child never
re-indexes its page, so `reindex_published_page` rebuilds the page's entries once publishing has
finished.

Query budget: answering for one file costs two queries (the page view restrictions, then one
EXISTS), plus one for an editor's permissions; filtering a listing costs the same two, whatever
the number of pages or files.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry

from portal import visibility

# What an editor needs on a file's collection to download it whatever its pages say.
EDITOR_ACTIONS = ("add", "change", "delete", "choose")

PUBLIC = "public"  # anyone may see it: shared caches may keep it, revalidating every time
EDITOR_ONLY = "editor"  # only this editor may: never kept in any cache


def visible_pages() -> QuerySet:
    """Live, public pages that have not expired: the pages whose files a visitor may see."""
    return visibility.visible_pages()


def _used_by_visible_page(model) -> Exists:
    """EXISTS: a visible page's published content points to the outer row (a file of `model`)."""
    page_keys = visible_pages().annotate(key=Cast("pk", output_field=CharField())).values("key")
    return Exists(
        ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=page_keys,
            to_content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
            to_object_id=Cast(OuterRef("pk"), output_field=CharField()),
        )
    )


def _in_public_collection() -> Q:
    from home.models import CollectionVisibility

    return Q(collection_id__in=CollectionVisibility.objects.filter(is_public=True).values("collection_id"))


def visible(queryset: QuerySet) -> QuerySet:
    """The documents or images of `queryset` that any visitor may see."""
    return queryset.filter(_used_by_visible_page(queryset.model) | _in_public_collection())


def visible_documents(queryset: QuerySet | None = None) -> QuerySet:
    return visible(get_document_model().objects.all() if queryset is None else queryset)


def visible_images(queryset: QuerySet | None = None) -> QuerySet:
    return visible(get_image_model().objects.all() if queryset is None else queryset)


def is_visible(file) -> bool:
    """Whether any visitor may see this document or image."""
    return visible(type(file).objects.filter(pk=file.pk)).exists()


def may_manage(user, file) -> bool:
    """Whether the user works with this document or image in the admin, and so may always download it."""
    if not (user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin")):
        return False
    policy = policy_registry.get_by_type(type(file))
    return policy.user_has_any_permission_for_instance(user, EDITOR_ACTIONS, file)


def access(request, file) -> str | None:
    """PUBLIC when anyone may see the document or image, EDITOR_ONLY when only this user (an
    editor) may, None when the visitor may not see it at all."""
    if is_visible(file):
        return PUBLIC
    if may_manage(request.user, file):
        return EDITOR_ONLY
    return None


def reindex_published_page(sender, instance, **kwargs):
    """Rebuild the page's reference index entries from its published rows (page_published).

    Publishing saves the page row first and commits child rows afterwards; a removed child (a
    document taken off a result) is deleted without re-indexing its page, so its file would stay
    "used" until the next save. By now every row is written.
    """
    page = type(instance).objects.get(pk=instance.pk)
    if ReferenceIndex.is_indexed(type(page)):
        with transaction.atomic():
            ReferenceIndex.create_or_update_for_object(page)
