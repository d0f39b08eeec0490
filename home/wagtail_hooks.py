"""Admin hooks for the start app: Öppna samlingar, where reviewers open a collection so that its
files are shown to every visitor (home/files.py)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.models import CollectionVisibility


class CollectionVisibilityViewSet(SnippetViewSet):
    model = CollectionVisibility
    icon = "folder-open-inverse"
    menu_label = "Öppna samlingar"
    add_to_settings_menu = True
    list_display = ["collection", "is_public"]
    list_filter = ["is_public"]
    ordering = ["collection__path"]


register_snippet(CollectionVisibilityViewSet)
