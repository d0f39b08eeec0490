"""The page editor's views for every page type (one `PageViewSet` registered for `Page`).

- **No autosave while adding a page.** Wagtail 8's autosave posts the create form as JSON a moment
  after the first keystroke, and that request *creates* the page (a draft). An abandoned "Lägg
  till" then leaves an orphan draft behind, and starting again with the same title fails on the
  address. So the create view renders without autosave and refuses a JSON save outright (a stale
  tab's script): a page exists only once the editor clicks a save button. Unsaved changes still
  warn before leaving, and autosave works as usual once the page exists (the edit view).
- **Approval confirms.** After a Granskare approves (or asks for changes), from the dashboard or
  from the editor, a Swedish message says what happened to the page (`workflow_action_message`).

Withdrawing a submission asks for confirmation: see `ConfirmedCancelWorkflowMenuItem`.
"""

from wagtail.admin import messages
from wagtail.admin.action_menu import CancelWorkflowMenuItem
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, TaskState

NO_AUTOSAVE_ON_CREATE = "En ny sida sparas inte automatiskt. Klicka på Spara utkast för att skapa den."


def workflow_action_message(page, action_name: str) -> str | None:
    """What the reviewer is told after a review action on `page` (fresh from the database), or None."""
    title = page.get_admin_display_title()
    if action_name == "approve":
        if page.current_workflow_state is not None:
            task = page.current_workflow_task
            return f"”{title}” är godkänd i det här steget och går vidare till ”{task.name}”."
        if page.live and not page.has_unpublished_changes:
            return f"”{title}” är godkänd och publicerad."
        if page.go_live_at:
            return f"”{title}” är godkänd och publiceras vid den inställda tiden."
        return f"”{title}” är godkänd."
    if action_name == "reject":
        return f"Ändringar har begärts för ”{title}”. Sidan skickas tillbaka till den som skrev den."
    return None


class PortalCreateView(CreateView):
    """Wagtail's create view, without autosave (see the module docstring)."""

    def post(self, request, *args, **kwargs):
        if self.expects_json_response:
            return self.json_error_response("autosave_on_create_disabled", NO_AUTOSAVE_ON_CREATE)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["autosave_enabled"] = False
        return context


class PortalEditView(EditView):
    """Wagtail's edit view; a review action taken in the editor confirms in Swedish."""

    def add_save_confirmation_message(self):
        if self.action_name == "perform_workflow_action":
            message = workflow_action_message(Page.objects.get(pk=self.page.pk).specific, self.workflow_action)
            if message:
                messages.success(self.request, message)
                return
        super().add_save_confirmation_message()


class PortalWorkflowActionView(WorkflowActionView):
    """Wagtail's review action view (the dashboard's *Godkänn*); the action confirms in Swedish."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # Only an action that was taken confirms: a modal's invalid form leaves the task in progress.
        if TaskState.objects.get(pk=self.task_state.pk).status != TaskState.STATUS_IN_PROGRESS:
            message = workflow_action_message(Page.objects.get(pk=self.object.pk).specific, self.action_name)
            if message:
                messages.success(request, message)
        return response


class PortalPageViewSet(PageViewSet):
    """Wagtail's page views with the portal's create, edit and review action views."""

    model = Page
    add_view_class = PortalCreateView
    edit_view_class = PortalEditView
    workflow_action_view_class = PortalWorkflowActionView


class ConfirmedCancelWorkflowMenuItem(CancelWorkflowMenuItem):
    """*Avbryt arbetsflöde* opens a dialog that asks first; only its button withdraws the submission.

    The dialog's button submits the edit form (`form="page-edit-form"`, since Wagtail moves dialogs
    to the end of the page) with the same `action-cancel-workflow` as Wagtail's own button.
    """

    template_name = "wagtailadmin/pages/action_menu/confirmed_cancel_workflow.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["dialog_id"] = "avbryt-granskning"
        return context


__all__ = ["ConfirmedCancelWorkflowMenuItem", "PortalPageViewSet", "workflow_action_message"]
