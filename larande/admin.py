"""Wagtail-modeladmin classes for the framework's records, registered in wagtail_hooks.py.

Supporting records (questions, indicators, regions, RUS priorities) are plain models managed
here; concepts are pages, listed here as well so editors can filter the glossary by status and
level. Registration lives in wagtail_hooks.py because Django's admin autodiscovery also imports
this module, and hooks must be registered exactly once.
"""

from django.contrib.admin import SimpleListFilter
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup

from larande.levels import ChainLevel
from larande.models import ConceptPage, EvaluationQuestion, Indicator, Region, RusPriority


class ChainLevelFilter(SimpleListFilter):
    """Filter on the chain level, listed top-down as the framework draws it (B → G, then A)."""

    title = "nivå i effektkedjan"
    parameter_name = "chain_level"

    def lookups(self, request, model_admin):
        return [(level.value, f"{level.value} – {level.label}") for level in ChainLevel.top_down()]

    def queryset(self, request, queryset):
        level = ChainLevel.parse(self.value())
        if level is None:
            return queryset
        return queryset.filter(chain_level=level)


class EvaluationQuestionAdmin(ModelAdmin):
    model = EvaluationQuestion
    menu_label = "Utvärderingsfrågor"
    menu_icon = "help"
    list_display = ("text", "kind", "level_label")
    list_filter = ("kind", ChainLevelFilter, "chains")
    search_fields = ("text", "explanation")
    list_per_page = 50

    def level_label(self, obj):
        """The level as editors know it: letter and name."""
        return f"{obj.level.value} – {obj.level.label}" if obj.level else ""

    level_label.short_description = "nivå"


class IndicatorAdmin(ModelAdmin):
    model = Indicator
    menu_label = "Indikatorer"
    menu_icon = "crosshairs"
    list_display = ("name", "unit", "level_label", "latest_year")
    list_filter = (ChainLevelFilter,)
    search_fields = ("name", "definition", "source")
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("values")

    def level_label(self, obj):
        """The level as editors know it: letter and name."""
        return f"{obj.level.value} – {obj.level.label}" if obj.level else ""

    level_label.short_description = "nivå"

    def latest_year(self, obj):
        """The latest year with a value or target, from the prefetched values."""
        years = [v.year for v in obj.values.all()]
        return max(years) if years else ""

    latest_year.short_description = "senaste år"


class RegionAdmin(ModelAdmin):
    model = Region
    menu_label = "Regioner"
    menu_icon = "globe"
    list_display = ("name", "slug")
    search_fields = ("name",)


class RusPriorityAdmin(ModelAdmin):
    model = RusPriority
    menu_label = "RUS-prioriteringar"
    menu_icon = "list-ul"
    list_display = ("title", "slug")
    search_fields = ("title", "description")


class ConceptAdmin(ModelAdmin):
    """Begrepp as a list of pages: create and edit go through the page editor."""

    model = ConceptPage
    menu_label = "Begrepp"
    menu_icon = "title"
    list_display = ("title", "status", "level_label", "live")
    list_filter = ("status", ChainLevelFilter, "live")
    search_fields = ("title", "english_term", "other_labels", "hidden_labels")
    ordering = ("title",)
    list_per_page = 100

    def level_label(self, obj):
        """The level as editors know it: letter and name."""
        return f"{obj.level.value} – {obj.level.label}" if obj.level else ""

    level_label.short_description = "nivå"


class FrameworkAdminGroup(ModelAdminGroup):
    menu_label = "Ramverket"
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (ConceptAdmin, EvaluationQuestionAdmin, IndicatorAdmin, RegionAdmin, RusPriorityAdmin)
