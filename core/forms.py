"""Admin forms that check a record or page together with its inline children.

Wagtail validates inline formsets after the parent form's own clean(). A rule that needs the
parent and its children together runs here: it validates the child forms first, then puts its
message on the child field it concerns, so the editor sees it next to that field and the invalid
child blocks the save (an invalid child form makes the whole form invalid).
"""


def kept_child_forms(formset):
    """The formset's child forms that will be saved (filled in, not marked for deletion), validated."""
    kept = []
    for form in formset.forms:
        form.is_valid()
        if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE"):
            kept.append(form)
    return kept
