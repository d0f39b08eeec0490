"""The indicator's admin form (see core/forms.py for how child rows are checked)."""

import functools

from django import forms
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
        evidence = self.formsets.get("link_evidence")
        if evidence is not None:
            # Every row's link picker (and the empty row's) shares one reading of the links, made when the
            # first picker is drawn: the queries do not grow with the rows.
            evidence.form_kwargs["link_choices"] = functools.cache(link_choices)

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("link_evidence")
        if formset is None or "chains" not in cleaned:
            return cleaned
        chosen = {chain.pk for chain in cleaned.get("chains") or []}
        for form in kept_child_forms(formset):
            link = form.cleaned_data.get("link")
            if link is not None and link.chain_id not in chosen:
                form.add_error(
                    "link",
                    f"Länken {link.source_key} → {link.target_key} hör till effektkedjan ”{link.chain.title}”, som "
                    "resultatet inte utvärderar. Kryssa i kedjan under Effektkedjor, eller välj en annan länk.",
                )
        return cleaned

    def is_valid(self):
        valid = super().is_valid()
        # Errors added to child forms after the formsets validated must still block the save.
        formset = self.formsets.get("link_evidence")
        if formset is not None and any(f.errors for f in formset.forms):
            valid = False
        return valid


class ChainLinkSelect(forms.Select):
    """The links of every chain as a select grouped by chain (Swedish order, drafts marked "(utkast)"),
    each named by its elements' codes and titles ("G1 Regionala tillväxtmedel → F1 Klusterinitiativ
    drivs") instead of the bare codes. Built when rendered, in three queries, whatever the number of links;
    the pickers of one result form share them (`choices_source`, set by `LinkEvidenceForm`)."""

    choices_source = None

    def optgroups(self, name, value, attrs=None):
        selected = {str(v) for v in value}
        groups = []
        for index, (group, options) in enumerate((self.choices_source or link_choices)()):
            subgroup = [
                self.create_option(name, pk, label, str(pk) in selected, index, subindex=i, attrs=attrs)
                for i, (pk, label) in enumerate(options)
            ]
            groups.append((group, subgroup, index))
        empty = self.create_option(name, "", "---------", not (selected - {""}), 0, attrs=attrs)
        return [(None, [empty], 0), *groups]


def link_choices() -> list:
    """[(chain title, [(link id, label), …]), …] in Swedish order of the chains, links in their order."""
    from larande.models import ChainElement, ChainLink, EffectChainPage  # noqa: PLC0415

    titles = {}
    for element in ChainElement.objects.only("chain_id", "key", "title"):
        titles[(element.chain_id, element.key.strip().upper())] = element.title
    chains = {page.pk: page for page in EffectChainPage.objects.only("id", "title", "live")}
    grouped: dict[int, list] = {}
    for link in ChainLink.objects.order_by("sort_order", "pk"):
        source = titles.get((link.chain_id, link.source_key.strip().upper()), "")
        target = titles.get((link.chain_id, link.target_key.strip().upper()), "")
        label = " ".join(f"{link.source_key} {source} → {link.target_key} {target}".split())
        grouped.setdefault(link.chain_id, []).append((link.pk, label))
    ordered = sorted((pk for pk in grouped if pk in chains), key=lambda pk: swedish_sort_key(chains[pk].title))
    return [(chains[pk].title if chains[pk].live else f"{chains[pk].title} (utkast)", grouped[pk]) for pk in ordered]


class LinkEvidenceForm(WagtailAdminModelForm):
    """A tested link's row; `link_choices` (from `ResultPageForm`) is the form's one reading of the links."""

    def __init__(self, *args, link_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if link_choices is not None and "link" in self.fields:
            self.fields["link"].widget.choices_source = link_choices


class RecommendationForm(WagtailAdminModelForm):
    """A recommendation's row: a status changed without a new "statusen gäller från" loses the old date,
    which was the previous status's. Empty, the change is dated by the day the result is published, as
    the field's help text says (larande/evaluation/tracker.py records it then)."""

    def clean(self):
        cleaned = super().clean()
        if "status" in self.changed_data and "status_date" not in self.changed_data:
            cleaned["status_date"] = None
        return cleaned


class LessonForm(TagNamesFormMixin, WagtailAdminModelForm):
    """A lesson's tags typed freely, with the existing tags suggested (core/pickers.py)."""

    tags = TagNamesField(required=False, label="Taggar")
