"""Admin hooks: the framework's records in the Swedish admin menu, and the dashboard's count of
new concept suggestions. (The terminology hooks live in larande/term_admin.py.)"""

from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from larande.admin import FrameworkAdminGroup, NewSuggestionsSummaryItem

modeladmin_register(FrameworkAdminGroup)


@hooks.register("construct_homepage_summary_items")
def add_new_suggestions_summary_item(request, summary_items):
    """The dashboard counts new concept suggestions for those who may handle them."""
    summary_items.append(NewSuggestionsSummaryItem(request))
