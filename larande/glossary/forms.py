"""The concept page's admin form (see core/forms.py for how child rows are checked)."""

from core.forms import kept_child_forms
from core.routes import RouteSafePageForm


class ConceptPageForm(RouteSafePageForm):
    """A concept's "Förväxla inte med": never itself, and each other concept once; its broader and
    related concepts never the same or above one another (larande/glossary/hierarchy.py)."""

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
        from larande.glossary.hierarchy import relation_errors

        broader = [page.pk for page in cleaned.get("broader") or ()]
        related = [page.pk for page in cleaned.get("related") or ()]
        for field, messages in relation_errors(self.instance.pk, broader, related).items():
            for message in messages:
                self.add_error(field, message)
