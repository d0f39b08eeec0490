"""Serving and admin hooks for routes that live on pages (core/routes.py): a route of a page that
anonymous visitors may not see is never served, and no page is moved to where one of its new
parent's routes would hide it. Also the page editor's own views (core/page_admin.py): no autosave
while adding a page, a confirmation before a submission is withdrawn and after a review action;
and Swedish for the date picker's button (static/js/admin/swedish-admin.js)."""

from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import CancelWorkflowMenuItem

from core.page_admin import ConfirmedCancelWorkflowMenuItem, PortalPageViewSet
from core.routes import refuse_hidden_page_routes, route_slug_conflict, spare_view_restriction_check

# Before every other hook, so a hidden page's route is a 404 rather than a login or password form.
hooks.register("before_serve_page", refuse_hidden_page_routes, order=-1)
# The restrictions are read once per content version; Wagtail's check (on_serve_page) comes after.
hooks.register("before_serve_page", spare_view_restriction_check, order=-1)


@hooks.register("before_move_page")
def refuse_move_under_a_route(request, page_to_move, destination):
    """A page whose slug is one of the destination's route segments stays where it is."""
    message = route_slug_conflict(destination, page_to_move.slug)
    if message:
        messages.error(request, f"Sidan kan inte flyttas hit. {message}")
        return redirect("wagtailadmin_pages:move", page_to_move.id)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_move_under_a_route(request, action_type, objects, action_class_instance):
    """The bulk move refuses the whole move when one page's slug is a route segment there."""
    if action_type != "move":
        return None
    form = getattr(action_class_instance, "cleaned_form", None)
    destination = form.cleaned_data.get("chooser") if form is not None else None
    for page in objects:
        message = route_slug_conflict(destination, page.slug)
        if message:
            messages.error(request, f"Sidan ”{page.title}” kan inte flyttas hit. {message}")
            return redirect("wagtailadmin_explore", page.get_parent().id)
    return None


@hooks.register("register_admin_viewset")
def register_portal_page_viewset():
    """The page editor's views with the portal's changes (core/page_admin.py), for every page type."""
    return PortalPageViewSet()


@hooks.register("construct_page_action_menu")
def confirm_before_cancelling_a_workflow(menu_items, request, context):
    """*Avbryt arbetsflöde* asks for confirmation before the submission is withdrawn."""
    for index, item in enumerate(menu_items):
        if type(item) is CancelWorkflowMenuItem:
            menu_items[index] = ConfirmedCancelWorkflowMenuItem(order=item.order)


@hooks.register("insert_global_admin_js")
def swedish_admin_script():
    """Swedish for admin texts that scripts write and no catalogue translates (the date picker)."""
    return format_html('<script src="{}"></script>', static("js/admin/swedish-admin.js"))
