"""Pickers for the admin forms: pages ticked in sorted checkbox lists.

- `PageCheckboxes`: a checkbox list of pages in Swedish alphabetical order, a page that is not
  published marked "(utkast)", so an editor sees a visitor will not find it linked until it is.
"""

from django import forms

from core.collation import swedish_sort_key


class PageCheckboxes(forms.CheckboxSelectMultiple):
    """Pages as checkboxes, sorted in Swedish order, drafts marked "(utkast)"."""

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        for _group_name, options, _index in groups:
            for option in options:
                page = getattr(option["value"], "instance", None)
                if page is not None and not getattr(page, "live", True):
                    option["label"] = f"{option['label']} (utkast)"
        groups.sort(key=lambda group: swedish_sort_key(str(group[1][0]["label"])))
        return groups
