"""Deleting in the admin: what content uses is refused with a Swedish message listing the uses.

Every admin route that deletes a record, a document or a page checks `larande.records.usage` first and,
instead of deleting, shows the refusal: on the confirmation page (status 200, without a delete
button) and on the deletion itself (status 409, nothing deleted).

- records (questions, indicators, regions, RUS priorities): `RecordDeleteView`, the modeladmin
  delete view of their listings;
- documents: `DocumentDeleteView` (registered in wagtail_hooks.py at Wagtail's own address, ahead
  of Wagtail's view) and `DocumentDeleteBulkAction` (replacing Wagtail's bulk delete);
- pages: the `before_delete_page` hook and `PageDeleteBulkAction`, for the concepts among the
  pages deleted and below them.

Whatever gets past these (a use added between the check and the deletion, another route) is
stopped by the database's PROTECT keys or the pre_delete check in larande.records.usage, and
`DeletionRefusalMiddleware` turns the error into the same message: never a server error.
"""

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction as WagtailPageDeleteBulkAction
from wagtail.documents.views.bulk_actions.delete import DeleteBulkAction as WagtailDocumentDeleteBulkAction
from wagtail.documents.views.documents import DeleteView as WagtailDocumentDeleteView
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail_modeladmin.views import DeleteView as ModelAdminDeleteView

from larande.models import ConceptContrast, ConceptPage
from larande.records.usage import RecordInUse, Refusal, refusal_for, refusal_for_rows, uses_of, uses_of_many

REFUSED = 409
DRAFT_NOTE = (
    "Opublicerade utkast, ändringar som väntar på granskning och tidsinställda versioner räknas också: "
    "de skulle inte gå att publicera om det togs bort."
)


def refusal_response(request, refusals: list[Refusal], back_url: str = "", status: int = 200):
    """The refusal page (or, for the admin's scripts, JSON): what was not deleted and where it is used."""
    if _wants_json(request):
        text = "\n\n".join(refusal.as_text() for refusal in refusals)
        return JsonResponse({"success": False, "error_message": text}, status=status)
    return TemplateResponse(
        request,
        "larande/admin/in_use.html",
        {
            "refusals": refusals,
            "draft_note": DRAFT_NOTE if any(refusal.has_drafts for refusal in refusals) else "",
            "back_url": back_url or reverse("wagtailadmin_home"),
        },
        status=status,
    )


def _wants_json(request) -> bool:
    return request.headers.get("x-requested-with") == "XMLHttpRequest" or "application/json" in request.headers.get(
        "accept", ""
    )


def refused_deletion(request, error: Exception, obj=None, back_url: str = ""):
    """The refusal for a deletion the database or the pre_delete check stopped (status 409)."""
    if isinstance(error, RecordInUse):
        refusal = error.refusal
    else:
        uses = uses_of(obj) if obj is not None else []
        if uses:
            refusal = refusal_for(obj, uses)
        else:
            rows = getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", ())
            refusal = refusal_for_rows(rows)
    return refusal_response(request, [refusal], back_url, status=REFUSED)


# --- Records -------------------------------------------------------------------------------------


class RecordDeleteView(ModelAdminDeleteView):
    """Delete a question, indicator, region or RUS priority, unless content uses it."""

    def get(self, request, *args, **kwargs):
        uses = uses_of(self.instance)
        if uses:
            return refusal_response(request, [refusal_for(self.instance, uses)], self.index_url)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        message = _("%(model_name)s '%(object)s' deleted.") % {
            "model_name": capfirst(self.verbose_name),
            "object": self.instance,
        }
        try:
            with transaction.atomic():
                log(instance=self.instance, action="wagtail.delete")
                self.instance.delete()
        except (ProtectedError, RestrictedError) as error:
            return refused_deletion(request, error, self.instance, self.index_url)
        messages.success(request, message)
        return redirect(self.index_url)


# --- Documents -----------------------------------------------------------------------------------


class DocumentDeleteView(WagtailDocumentDeleteView):
    """Wagtail's document delete view, refusing a document that content uses or links to."""

    def get(self, request, *args, **kwargs):
        uses = uses_of(self.object)
        if uses:
            return refusal_response(request, [refusal_for(self.object, uses)], reverse(self.index_url_name))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        back_url = reverse(self.index_url_name)
        uses = uses_of(self.object)
        if uses:
            return refusal_response(request, [refusal_for(self.object, uses)], back_url, status=REFUSED)
        try:
            with transaction.atomic():
                return super().post(request, *args, **kwargs)
        except (ProtectedError, RestrictedError) as error:
            return refused_deletion(request, error, self.object, back_url)


class _RefuseUsedMixin:
    """For a bulk delete: the refusal instead of the confirmation, and instead of the deletion."""

    def refusals(self, objects) -> list[Refusal]:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        refusals = self.refusals(self.get_actionable_objects()[0])
        if refusals:
            return refusal_response(request, refusals, self.next_url)
        return super().get(request, *args, **kwargs)

    def prepare_action(self, objects, objects_without_access):
        refusals = self.refusals(objects)
        if refusals:
            return refusal_response(self.request, refusals, self.next_url, status=REFUSED)
        return super().prepare_action(objects, objects_without_access)


class DocumentDeleteBulkAction(_RefuseUsedMixin, WagtailDocumentDeleteBulkAction):
    def refusals(self, objects) -> list[Refusal]:
        uses = uses_of_many(objects)
        return [refusal_for(document, uses[document.pk]) for document in objects if uses[document.pk]]


# --- Pages ---------------------------------------------------------------------------------------


def _with_descendants(pages) -> set[int]:
    deleting = set()
    for page in pages:
        deleting |= set(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))
    return deleting


def page_refusals(pages) -> list[Refusal]:
    """Refusals for deleting these pages with everything below them: one for each concept among them
    that a page outside the deletion uses."""
    deleting = _with_descendants(pages)
    concepts = list(ConceptPage.objects.filter(pk__in=deleting).order_by("title"))
    uses = uses_of_many(concepts, deleting=deleting)
    return [refusal_for(concept, uses[concept.pk]) for concept in concepts if uses[concept.pk]]


def refuse_deleting_used_concepts(request, page):
    """`before_delete_page`: the refusal instead of the confirmation or the deletion."""
    refusals = page_refusals([page])
    if refusals:
        back_url = reverse("wagtailadmin_explore", args=[page.get_parent().pk])
        return refusal_response(request, refusals, back_url, status=REFUSED if request.method == "POST" else 200)
    return None


class PageDeleteBulkAction(_RefuseUsedMixin, WagtailPageDeleteBulkAction):
    def refusals(self, objects) -> list[Refusal]:
        return page_refusals(objects)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        # Wagtail deletes the chosen pages one at a time, so a contrast between two concepts that both
        # go would stop the first deletion (RESTRICT): those contrasts go first, in the same transaction.
        deleting = _with_descendants(objects)
        ConceptContrast.objects.filter(concept__in=deleting, other__in=deleting).delete()
        return super().execute_action(objects, user=user, **kwargs)


# --- The safety net --------------------------------------------------------------------------------


class DeletionRefusalMiddleware:
    """A deletion refused anywhere (ProtectedError, RestrictedError, RecordInUse) becomes the Swedish
    refusal with status 409, never a server error. The deletion's transaction is already rolled back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (ProtectedError, RestrictedError)):
            return refused_deletion(request, exception)
        return None
