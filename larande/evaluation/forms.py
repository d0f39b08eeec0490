"""The indicator's admin form (see core/forms.py for how child rows are checked)."""

from wagtail.admin.forms import WagtailAdminModelForm

from core.collation import swedish_sort_key
from core.forms import kept_child_forms
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
        self._set_link_choices()

    def _set_link_choices(self):
        """Every chain's links as choices grouped by chain, named by their elements' codes and titles
        ("G1 Regionala tillväxtmedel → F1 Klusterinitiativ drivs"): three queries, however many rows."""
        formset = self.formsets.get("link_evidence")
        if formset is None:
            return
        choices = link_choices()
        for form in [*formset.forms, formset.empty_form]:
            field = form.fields.get("link")
            if field is not None:
                field.choices = choices

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
        label = f"{link.source_key} {source} → {link.target_key} {target}".replace("  ", " ").strip()
        grouped.setdefault(link.chain_id, []).append((link.pk, label))
    ordered = sorted(grouped, key=lambda pk: swedish_sort_key(chains[pk].title) if pk in chains else "")
    return [("", "---------")] + [
        (chains[pk].title if chains[pk].live else f"{chains[pk].title} (utkast)", grouped[pk])
        for pk in ordered
        if pk in chains
    ]
