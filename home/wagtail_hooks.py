"""Admin and serving hooks for the start app: Öppna samlingar, where reviewers open a collection so
that its files are shown to every visitor (home/files.py), and the guard that never serves an
expired page (portal/scheduling.py)."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.models import CollectionVisibility
from portal.scheduling import expired_page_guard

hooks.register("before_serve_page", expired_page_guard)


class CollectionVisibilityViewSet(SnippetViewSet):
    model = CollectionVisibility
    icon = "folder-open-inverse"
    menu_label = "Öppna samlingar"
    add_to_settings_menu = True
    list_display = ["collection", "is_public"]
    list_filter = ["is_public"]
    ordering = ["collection__path"]


register_snippet(CollectionVisibilityViewSet)
