"""Admin forms that check a record or page together with its inline children.

Wagtail validates inline formsets after the parent form's own clean(). A rule that needs the
parent and its children together runs here: it validates the child forms first, then puts its
message on the child field it concerns, so the editor sees it next to that field and the invalid
child blocks the save (an invalid child form makes the whole form invalid).
"""

from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm


def kept_child_forms(formset):
    """The formset's child forms that will be saved (filled in, not marked for deletion), validated."""
    kept = []
    for form in formset.forms:
        form.is_valid()
        if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE"):
            kept.append(form)
    return kept


class ConceptPageForm(WagtailAdminPageForm):
    """A concept's "Förväxla inte med": never itself, and each other concept once; its broader and
    related concepts never the same or above one another (larande/concept_hierarchy.py)."""

    def clean(self):
        cleaned = super().clean()
        self._check_hierarchy(cleaned)
        contrasts = self.formsets.get("contrasts")
        if contrasts is None:
            return cleaned
        seen = set()
        for form in kept_child_forms(contrasts):
            other = form.cleaned_data.get("other")
            if other is None or "other" in form.errors:
                continue
            if self.instance.pk and other.pk == self.instance.pk:
                form.add_error("other", "Ett begrepp kan inte förväxlas med sig självt.")
            elif other.pk in seen:
                form.add_error("other", f"”{other.title}” finns redan bland begreppen att inte förväxla med.")
            seen.add(other.pk)
        return cleaned

    def _check_hierarchy(self, cleaned):
        # The values the editor sent: ParentalManyToMany fields reach the page only on save.
        if "broader" not in self.fields or "related" not in self.fields:
            return
        if "broader" in self.errors or "related" in self.errors:
            return
        from larande.concept_hierarchy import relation_errors

        broader = [page.pk for page in cleaned.get("broader") or ()]
        related = [page.pk for page in cleaned.get("related") or ()]
        for field, messages in relation_errors(self.instance.pk, broader, related).items():
            for message in messages:
                self.add_error(field, message)


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
