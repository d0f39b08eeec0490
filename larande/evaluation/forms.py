"""The indicator's admin form (see core/forms.py for how child rows are checked)."""

from wagtail.admin.forms import WagtailAdminModelForm

from core.collation import swedish_sort_key
from core.forms import kept_child_forms
from core.pickers import TagNamesField, TagNamesFormMixin
from core.routes import RouteSafePageForm


class IndicatorForm(WagtailAdminModelForm):
    """An indicator's values: one row per year, said in Swedish at the repeated year.

    Without this the formset's own unique check answers with field names
    ("duplikatdata för indicator och year") away from the row.
    """

    def clean(self):
        cleaned = super().clean()
        values = self.formsets.get("values")
        if values is None:
            return cleaned
        seen = set()
        for form in kept_child_forms(values):
            year = form.cleaned_data.get("year")
            if year is None or "year" in form.errors:
                continue
            if year in seen:
                form.add_error("year", f"Året {year} finns redan i listan. Ange varje år en gång.")
            seen.add(year)
        return cleaned


class ResultPageForm(RouteSafePageForm):
    """A result's regions, RUS priorities and chains are ticked in sorted checkbox lists (the panels
    choose the widget); a chain that is not published yet is marked "(utkast)", so an editor sees
    that a visitor will not find it linked until it is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chains = self.fields.get("chains")
        if chains is not None:
            pages = sorted(chains.queryset.only("id", "title", "live"), key=lambda page: swedish_sort_key(page.title))
            chains.choices = [(page.pk, page.title if page.live else f"{page.title} (utkast)") for page in pages]


class LessonForm(TagNamesFormMixin, WagtailAdminModelForm):
    """A lesson's tags typed freely, with the existing tags suggested (core/pickers.py)."""

    tags = TagNamesField(required=False, label="Taggar")
