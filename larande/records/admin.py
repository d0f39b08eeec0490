"""Wagtail-modeladmin classes for the framework's records, registered in wagtail_hooks.py.

Supporting records (questions, indicators, regions, RUS priorities) are plain models managed
here, changed only by Granskare (the other roles read them: home/roles.py) and deleted only when
nothing uses them (larande/records/deletion.py); concepts are pages, listed here as well so editors can
filter the glossary by status and level. Visitors' concept suggestions (Begreppsförslag) are
handled here too: editors set their status, note and concept, but never change what the visitor
wrote. Registration lives in wagtail_hooks.py because Django's admin autodiscovery also imports
this module, and hooks must be registered exactly once.
"""

from functools import cache

from django.contrib import admin
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from wagtail.admin.panels import ObjectList
from wagtail.admin.site_summary import SummaryItem
from wagtail_modeladmin.helpers import PageButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
from wagtail_modeladmin.views import CreateView, EditView, IndexView, InspectView

from core.levels import ChainLevel
from larande.evaluation.forms import IndicatorForm
from larande.models import (
    ConceptPage,
    ConceptSuggestion,
    EvaluationQuestion,
    Indicator,
    QuestionSuggestion,
    QuestionSuggestionStatus,
    Region,
    RusPriority,
    SuggestionStatus,
)
from larande.records.deletion import RecordDeleteView as RefusingRecordDeleteView


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


class StrictIndexView(IndexView):
    """The listing, accepting only the filters it shows.

    modeladmin, unlike Django's admin, applies any other query parameter as a database lookup,
    across relations (e.g. `?chains__owner__email__startswith=`). Unknown or malformed filters
    get a Swedish explanation with status 400 instead of a lookup or a server error.
    """

    def get_filters(self, request):
        filter_specs, has_filters, remaining, use_distinct = super().get_filters(request)
        if remaining:
            raise IncorrectLookupParameters(sorted(remaining))
        return filter_specs, has_filters, remaining, use_distinct

    def dispatch(self, request, *args, **kwargs):
        try:
            if self.EXPORT_VAR in request.GET and not self.model_admin.get_list_export(request):
                raise IncorrectLookupParameters("this listing has no export")
            return super().dispatch(request, *args, **kwargs)
        except IncorrectLookupParameters:
            return self.bad_filter_response(request)

    def bad_filter_response(self, request):
        return TemplateResponse(
            request,
            "larande/admin/bad_filter.html",
            {
                "title": self.model_admin.get_menu_label(),
                "icon": self.model_admin.get_menu_icon(),
                "index_url": self.url_helper.index_url,
            },
            status=400,
        )


class FrameworkModelAdmin(ModelAdmin):
    """Shared settings for the framework's listings."""

    index_view_class = StrictIndexView
    list_per_page = 50

    @admin.display(description="nivå", ordering="chain_level")
    def level_label(self, obj):
        """The chain level as editors know it: letter and name."""
        return f"{obj.level.value} – {obj.level.label}" if obj.level else ""


class ReadOnlyForRolesMixin:
    """A user who may only read records gets a 403 with the reason on the create, edit and delete
    views (form and post alike), instead of Wagtail's redirect to the dashboard."""

    def dispatch(self, request, *args, **kwargs):
        if not self.check_action_permitted(request.user):
            return TemplateResponse(
                request,
                "larande/admin/records_read_only.html",
                {
                    "title": self.model_admin.get_menu_label(),
                    "icon": self.model_admin.get_menu_icon(),
                    "records": self.opts.verbose_name_plural,
                    "index_url": self.index_url,
                },
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)


class RecordCreateView(ReadOnlyForRolesMixin, CreateView):
    pass


class RecordEditView(ReadOnlyForRolesMixin, EditView):
    pass


class RecordDeleteView(ReadOnlyForRolesMixin, RefusingRecordDeleteView):
    pass


class RecordInspectView(InspectView):
    """A record's fields for reading, with inline rows (an indicator's values) under their Swedish name."""

    def get_field_label(self, field_name, field=None):
        for relation in self.model._meta.related_objects:
            if relation.get_accessor_name() == field_name:
                return capfirst(relation.related_model._meta.verbose_name_plural)
        return super().get_field_label(field_name, field)


class RecordModelAdmin(FrameworkModelAdmin):
    """A supporting record: only Granskare add, change and delete (home/roles.py); Redaktör and
    Kommunikatör list and inspect, and choose records in page forms. Deleting is refused while
    content uses the record (larande/records/deletion.py)."""

    inspect_view_enabled = True
    inspect_view_class = RecordInspectView
    create_view_class = RecordCreateView
    edit_view_class = RecordEditView
    delete_view_class = RecordDeleteView


class EvaluationQuestionAdmin(RecordModelAdmin):
    model = EvaluationQuestion
    menu_label = "Utvärderingsfrågor"
    menu_icon = "help"
    list_display = ("text", "kind", "level_label")
    list_filter = ("kind", ChainLevelFilter, "chains")
    search_fields = ("text", "explanation")
    inspect_view_fields = (
        "text",
        "kind",
        "chain_level",
        "explanation",
        "chains",
        "indicators",
        "tags",
        "decided_on",
        "decision_regions",
        "decision_forums",
        "decision_rationale",
    )


class IndicatorAdmin(RecordModelAdmin):
    model = Indicator
    menu_label = "Indikatorer"
    menu_icon = "crosshairs"
    edit_handler = ObjectList(Indicator.panels, base_form_class=IndicatorForm)
    list_display = ("name", "unit", "level_label", "latest_year")
    list_filter = (ChainLevelFilter,)
    search_fields = ("name", "definition", "source")
    inspect_view_fields = ("name", "definition", "unit", "source", "chain_level", "values")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("values")

    @admin.display(description="senaste år")
    def latest_year(self, obj):
        """The latest year with a value or target, from the prefetched values."""
        years = [v.year for v in obj.values.all()]
        return max(years) if years else ""


class RegionAdmin(RecordModelAdmin):
    model = Region
    menu_label = "Regioner"
    menu_icon = "globe"
    list_display = ("name", "slug")
    search_fields = ("name",)
    inspect_view_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class RusPriorityAdmin(RecordModelAdmin):
    model = RusPriority
    menu_label = "RUS-prioriteringar"
    menu_icon = "list-ul"
    list_display = ("title", "slug")
    search_fields = ("title", "description")
    inspect_view_fields = ("title", "slug", "description")
    prepopulated_fields = {"slug": ("title",)}


class ConceptButtonHelper(PageButtonHelper):
    """Edit, unpublish and delete: copying a concept starts from the page tree, where the copy's
    place is chosen (and checking copy rights here costs a query per row)."""

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        return super().get_buttons_for_obj(obj, [*(exclude or []), "copy"], classnames_add, classnames_exclude)


class ConceptAdmin(FrameworkModelAdmin):
    """Begrepp as a list of pages: create and edit go through the page editor."""

    model = ConceptPage
    menu_label = "Begrepp"
    menu_icon = "title"
    list_display = ("title", "status", "level_label", "publication")
    list_filter = ("status", ChainLevelFilter, "live")
    search_fields = ("title", "english_term", "english_alt_labels", "other_labels", "hidden_labels")
    ordering = ("title",)
    button_helper_class = ConceptButtonHelper

    def get_queryset(self, request):
        # What the row buttons' permission checks read (revision, workflow), fetched with the rows.
        return super().get_queryset(request).prefetch_workflow_states().annotate_approved_schedule()

    @admin.display(description="publicering", ordering="live")
    def publication(self, obj):
        """In words, not an icon: Django's yes/no icons say "True" and "False" to screen readers."""
        if not obj.live:
            return "Utkast"
        return "Publicerad, med opublicerade ändringar" if obj.has_unpublished_changes else "Publicerad"


class SuggestionPermissionHelper(PermissionHelper):
    """Suggestions come only from the public form (larande/glossary/suggestions.py): nobody adds one here."""

    def user_can_create(self, user):
        return False


class ConceptSuggestionAdmin(FrameworkModelAdmin):
    """Begreppsförslag from visitors. The model's panels show term, reason and name read-only, so
    an editor sets status, note and concept but cannot change what the visitor wrote."""

    model = ConceptSuggestion
    menu_label = "Begreppsförslag"
    menu_icon = "comment"
    permission_helper_class = SuggestionPermissionHelper
    list_display = ("term", "status", "created_at", "name")
    list_filter = ("status",)
    search_fields = ("term", "reason")
    ordering = ("-created_at",)


class QuestionSuggestionAdmin(FrameworkModelAdmin):
    """Frågeförslag from stakeholders (larande/evaluation/suggestions.py), handled like concept
    suggestions: an editor sets status, note and the decided question, never what the visitor wrote."""

    model = QuestionSuggestion
    menu_label = "Frågeförslag"
    menu_icon = "help"
    permission_helper_class = SuggestionPermissionHelper
    list_display = ("question", "status", "created_at", "organisation")
    list_filter = ("status",)
    search_fields = ("question", "reason", "organisation")
    ordering = ("-created_at",)


def new_suggestions_url() -> str:
    """The listing of suggestions no editor has taken up yet."""
    return f"{reverse('larande_conceptsuggestion_modeladmin_index')}?status__exact={SuggestionStatus.NEW}"


@cache
def _summary_item_template():
    return engines["django"].from_string(
        "{% load wagtailadmin_tags %}"
        '<li>{% icon name="comment" %}<a href="{{ url }}">{{ count }} '
        "{% if count == 1 %}nytt begreppsförslag{% else %}nya begreppsförslag{% endif %}</a></li>"
    )


class NewSuggestionsSummaryItem(SummaryItem):
    """The admin dashboard's count of new suggestions, for those who may see suggestions."""

    order = 250

    def is_shown(self):
        return SuggestionPermissionHelper(ConceptSuggestion).user_can_list(self.request.user)

    def render_html(self, parent_context=None):
        count = ConceptSuggestion.objects.filter(status=SuggestionStatus.NEW).count()
        return _summary_item_template().render({"url": new_suggestions_url(), "count": count})


def new_question_suggestions_url() -> str:
    """The listing of question suggestions no editor has taken up yet."""
    return f"{reverse('larande_questionsuggestion_modeladmin_index')}?status__exact={QuestionSuggestionStatus.NEW}"


@cache
def _question_summary_item_template():
    return engines["django"].from_string(
        "{% load wagtailadmin_tags %}"
        '<li>{% icon name="help" %}<a href="{{ url }}">{{ count }} '
        "{% if count == 1 %}nytt frågeförslag{% else %}nya frågeförslag{% endif %}</a></li>"
    )


class NewQuestionSuggestionsSummaryItem(SummaryItem):
    """The admin dashboard's count of new question suggestions, for those who may see them."""

    order = 260

    def is_shown(self):
        return SuggestionPermissionHelper(QuestionSuggestion).user_can_list(self.request.user)

    def render_html(self, parent_context=None):
        count = QuestionSuggestion.objects.filter(status=QuestionSuggestionStatus.NEW).count()
        return _question_summary_item_template().render({"url": new_question_suggestions_url(), "count": count})


class FrameworkAdminGroup(ModelAdminGroup):
    menu_label = "Ramverket"
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (
        ConceptAdmin,
        EvaluationQuestionAdmin,
        IndicatorAdmin,
        RegionAdmin,
        RusPriorityAdmin,
        ConceptSuggestionAdmin,
        QuestionSuggestionAdmin,
    )
