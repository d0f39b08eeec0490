"""Admin forms that check a record or page together with its inline children.

Wagtail validates inline formsets after the parent form's own clean(). A rule that needs the
parent and its children together runs here: it validates the child forms first, then puts its
message on the child field it concerns, so the editor sees it next to that field and the invalid
child blocks the save (an invalid child form makes the whole form invalid).
"""

from wagtail.admin.forms import WagtailAdminPageForm


def kept_child_forms(formset):
    """The formset's child forms that will be saved (filled in, not marked for deletion), validated."""
    kept = []
    for form in formset.forms:
        form.is_valid()
        if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE"):
            kept.append(form)
    return kept


class PortalPageForm(WagtailAdminPageForm):
    """The admin form every page type uses (directly or through a subclass).

    A new page's address may be left empty: it is then made from the title in plain ASCII
    (`core.slugs.ascii_slug`) and, when a sibling already has it, numbered (`-2`, `-3` …). So a
    first save never fails on a field on the hidden *Marknadsför* tab, also without JavaScript or
    when autosave sends the form before the slug has been filled in. A slug the editor typed is
    kept as typed and checked as usual.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields and self._is_new_page:
            self.fields["slug"].required = False

    @property
    def _is_new_page(self) -> bool:
        return not self.instance.pk and not self.instance.path

    def clean(self):
        if self._is_new_page and "slug" in self.fields and not self.cleaned_data.get("slug"):
            from core.slugs import ascii_slug, available_slug

            base = ascii_slug(self.cleaned_data.get("title") or "")
            if base and self.parent_page is not None:
                self.cleaned_data["slug"] = available_slug(base, self.parent_page, self.instance)
            elif "slug" not in self.errors:
                self.add_error("slug", "Ange en titel eller en adress med bokstäver eller siffror.")
        return super().clean()
