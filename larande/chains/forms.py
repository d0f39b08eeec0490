"""The chain's admin forms: links chosen among the chain's own elements.

A link's *Från* and *Leder till* are lists of the chain's elements, labelled by code, level and
title and sorted from resources (G) up to long-term effects (B), instead of codes typed by hand.
The lists are filled on the server from the elements as the form holds them (the saved or latest
revision, or what the editor just sent when the form comes back with errors), so they work
without JavaScript. A small static script (static/js/admin/chain-link-picker.js, no inline code:
see portal/security.py) refills them from the element rows on the page as the editor types, so
elements added in the same, unsaved edit can be chosen at once, and greys out the targets that are
not above the chosen source. The choice is still a code: `EffectChainForm` checks every link on
the server (an unknown code, a link sideways or downwards, a repeated link), with the Swedish
message at the link's field.
"""

import json

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from core.levels import ChainLevel

NO_ELEMENT = "Välj ett element"


def element_rows(formset) -> list[tuple[str, str, str]]:
    """(code, level, title) of the elements the chain form holds, deleted rows left out: what the
    editor sent for a bound form, else the chain's elements (saved, or from the latest revision)."""
    if formset.is_bound:
        rows = []
        for form in formset.forms:
            if "DELETE" in form.fields and form["DELETE"].value():
                continue
            key = (form["key"].value() or "").strip()
            if key:
                rows.append((key, form["level"].value() or "", (form["title"].value() or "").strip()))
        return rows
    return [(e.key, e.level, e.title) for e in formset.queryset if e.key]


def _rank(level_code: str) -> int:
    level = ChainLevel.parse(level_code)
    return level.rank if level else 0


def element_choices(rows) -> list[tuple[str, str, str]]:
    """(code, label, level) sorted by level from G upwards, then by code."""
    choices = []
    for key, level_code, title in sorted(rows, key=lambda row: (_rank(row[1]), row[0].upper())):
        level = ChainLevel.parse(level_code)
        label = f"{key} ({level.value} {level.label})" if level else key
        choices.append((key, f"{label}: {title}" if title else label, level_code))
    return choices


LEVELS_DATA = json.dumps({level.value: [level.rank, level.label] for level in ChainLevel.chain_levels()})


class ChainElementSelect(forms.Select):
    """A list of the chain's elements; each option carries its level for the script."""

    class Media:
        js = ["js/admin/chain-link-picker.js"]

    def __init__(self, role: str, elements=(), attrs=None):
        super().__init__(attrs={**(attrs or {}), "data-chain-element": role, "data-levels": LEVELS_DATA})
        self.elements = list(elements)
        self.levels = {key.upper(): level for key, _label, level in self.elements}

    def optgroups(self, name, value, attrs=None):
        current = (value[0] if value else "") or ""
        choices = [("", NO_ELEMENT)] + [(key, label) for key, label, _level in self.elements]
        if current and current.upper() not in self.levels:
            choices.append((current, f"{current} (finns inte i kedjan)"))
        self.choices = choices
        return super().optgroups(name, value, attrs)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        level = self.levels.get(str(value).upper())
        if level:
            option["attrs"]["data-level"] = level
        return option

    def format_value(self, value):
        # A code saved in another case than the element's shows that element as chosen.
        values = super().format_value(value)
        by_upper = {key.upper(): key for key, _label, _level in self.elements}
        return [by_upper.get(v.upper(), v) for v in values]


class ChainLinkForm(WagtailAdminModelForm):
    """A link row: source and target chosen among the chain's elements (`element_choices`)."""

    def __init__(self, *args, elements=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, role, help_text in (
            ("source_key", "Från", "source", "Elementet som leder till något högre upp i kedjan."),
            ("target_key", "Leder till", "target", "Ett element på en högre nivå än det du valt under Från."),
        ):
            field = self.fields[name]
            field.label, field.help_text = label, help_text
            field.widget = ChainElementSelect(role, elements)
