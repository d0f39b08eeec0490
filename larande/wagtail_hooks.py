"""Admin hooks: the framework's records in the Swedish admin menu, the dashboard's count of new
concept suggestions, and deletions refused while content uses what is deleted (larande/records/deletion.py).
(The terminology hooks live in larande/glossary/term_admin.py.)"""

from django.urls import path
from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from larande.records.admin import FrameworkAdminGroup, NewQuestionSuggestionsSummaryItem, NewSuggestionsSummaryItem
from larande.records.deletion import (
    DocumentDeleteBulkAction,
    DocumentDeleteView,
    PageDeleteBulkAction,
    refuse_deleting_used_concepts,
)

modeladmin_register(FrameworkAdminGroup)


@hooks.register("construct_homepage_summary_items")
def add_new_suggestions_summary_item(request, summary_items):
    """The dashboard counts new concept and question suggestions for those who may handle them."""
    summary_items.append(NewSuggestionsSummaryItem(request))
    summary_items.append(NewQuestionSuggestionsSummaryItem(request))


@hooks.register("register_admin_urls", order=-1)
def register_document_delete_url():
    """The document delete view at Wagtail's own address, ahead of Wagtail's view (order -1), so every
    link to `wagtaildocs:delete` reaches the view that refuses a document in use."""
    return [path("documents/delete/<int:document_id>/", DocumentDeleteView.as_view(), name="larande_document_delete")]


# Registered after Wagtail's own bulk deletes (order 1), which they replace.
hooks.register("register_bulk_action", DocumentDeleteBulkAction, order=1)
hooks.register("register_bulk_action", PageDeleteBulkAction, order=1)
hooks.register("before_delete_page", refuse_deleting_used_concepts)
