"""The indicator's admin form (see core/forms.py for how child rows are checked)."""

from wagtail.admin.forms import WagtailAdminModelForm

from core.forms import kept_child_forms


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
