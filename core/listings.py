"""Faceted listings: filter, count and paginate items by the values they carry.

Plain functions over plain data, so they can be tested without pages or a database. A listing
loads one light row per item (its id and, per facet, the set of values it carries); these
functions then decide which items match the visitor's filters, how many items each option
would give, and which filter values the portal does not know.

Facets combine with AND. Each facet's counts are computed with the *other* active filters
applied, so a visitor sees how many items an option would give if they picked it now.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator

from core.collation import swedish_sort_key
from core.levels import ChainLevel

PAGE_PARAM = "sida"
MAX_PARAM_LENGTH = 100


@dataclass(frozen=True)
class Facet:
    """One way to narrow a listing: a GET parameter and how its options are named and ordered."""

    param: str
    legend: str
    unknown_message: str
    """Shown when the URL names a value nobody carries; `{value}` is replaced by that value."""
    all_label: str = "Alla"
    order: str = "label"
    """How options are ordered: "label" (Swedish alphabetical), "desc" (newest year first) or "level"."""
    normalize: Callable[[str], str | None] | None = None
    """For facets with a fixed vocabulary (levels, years): the canonical form of a value, or None
    when it cannot be one. A valid value that no item carries then simply matches nothing.
    Facets without it know only the values their items carry."""


@dataclass(frozen=True)
class Row:
    """An item as the facets see it: its key and, per facet param, the values it carries."""

    key: object
    values: Mapping[str, frozenset[str]]

    def has(self, param: str, value: str) -> bool:
        return value in self.values.get(param, frozenset())


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class FacetGroup:
    facet: Facet
    options: list[FacetOption]
    selected: str = ""
    all_count: int = 0

    @property
    def param(self) -> str:
        return self.facet.param

    @property
    def legend(self) -> str:
        return self.facet.legend


@dataclass
class ActiveFilter:
    """A filter the visitor has chosen, with a link that removes it (and keeps the others)."""

    legend: str
    label: str
    remove_url: str


@dataclass
class FacetedListing:
    """The outcome of applying a visitor's filters to a listing's rows."""

    keys: list
    groups: list[FacetGroup]
    active: dict[str, str]
    active_filters: list[ActiveFilter] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    clear_url: str = "?"

    @property
    def total(self) -> int:
        return len(self.keys)

    @property
    def is_filtered(self) -> bool:
        return bool(self.active)


def read_filters(params: Mapping, facets: Iterable[Facet]) -> dict[str, str]:
    """The facet values a request asks for: the first non-empty value of each facet's parameter.

    `params` is a QueryDict or a plain dict of strings. Values are trimmed and capped in length
    so that a hostile URL cannot blow up messages or links.
    """
    active = {}
    for facet in facets:
        if hasattr(params, "getlist"):
            values = params.getlist(facet.param)
        else:
            values = params.get(facet.param, "")
            values = list(values) if isinstance(values, list | tuple) else [values]
        for value in values:
            value = str(value or "").strip()[:MAX_PARAM_LENGTH]
            if value:
                active[facet.param] = value
                break
    return active


def matches(row: Row, active: Mapping[str, str], skip: str | None = None) -> bool:
    """Whether a row carries every active filter value (AND across facets), ignoring `skip`."""
    return all(row.has(param, value) for param, value in active.items() if param != skip)


def filter_rows(rows: Iterable[Row], active: Mapping[str, str]) -> list[Row]:
    """The rows that match all active filters, in their original order."""
    return [row for row in rows if matches(row, active)]


def facet_counts(rows: Iterable[Row], param: str, active: Mapping[str, str]) -> dict[str, int]:
    """For one facet, how many rows each value would give with the other active filters applied."""
    counts: dict[str, int] = {}
    for row in rows:
        if matches(row, active, skip=param):
            for value in row.values.get(param, ()):
                counts[value] = counts.get(value, 0) + 1
    return counts


def known_values(rows: Iterable[Row], param: str) -> set[str]:
    """Every value of a facet that some row carries."""
    values: set[str] = set()
    for row in rows:
        values.update(row.values.get(param, ()))
    return values


def _option_sort_key(facet: Facet) -> Callable[[FacetOption], tuple]:
    if facet.order == "desc":
        return lambda option: (-int(option.value) if option.value.isdigit() else 0, option.value)
    if facet.order == "level":

        def level_key(option):
            level = ChainLevel.parse(option.value)
            return (-level.rank if level else 0, option.value)

        return level_key
    return lambda option: swedish_sort_key(option.label)


def querystring(params: Mapping, **changes) -> str:
    """A "?…" query string from `params` with `changes` applied; a change to None drops the key.

    Empty values and the page number are dropped, since any change of filter starts from page 1
    (pass `sida=` explicitly to keep or set a page).
    """
    merged: dict[str, list[str]] = {}
    for key in params:
        if key == PAGE_PARAM:
            continue
        values = params.getlist(key) if hasattr(params, "getlist") else [params[key]]
        values = [str(v) for v in (values if isinstance(values, list | tuple) else [values]) if str(v).strip()]
        if values:
            merged[key] = values
    for key, value in changes.items():
        if value is None or value == "":
            merged.pop(key, None)
        else:
            merged[key] = [str(value)]
    encoded = urlencode([(key, value) for key, values in merged.items() for value in values])
    return f"?{encoded}" if encoded else "?"


def querystring_without(params: Mapping, *keys: str) -> str:
    """The query string for the same listing with the filters `keys` removed."""
    return querystring(params, **dict.fromkeys(keys))


def facet_listing(
    rows: list[Row],
    facets: list[Facet],
    params: Mapping,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> FacetedListing:
    """Apply the filters in `params` to `rows` and describe every facet with its counts.

    `labels` maps a facet param to {value: label shown to visitors}; values without a label are
    shown as they are (years, for instance). A value that no row carries is not an error page:
    the listing comes back empty with a Swedish message naming the value, status 200.
    """
    labels = labels or {}
    active = read_filters(params, facets)
    errors, unknown = [], set()
    for facet in facets:
        value = active.get(facet.param)
        if value is None:
            continue
        if facet.normalize is not None:
            canonical = facet.normalize(value)
            if canonical is not None:
                active[facet.param] = canonical
                continue
        elif value in known_values(rows, facet.param):
            continue
        unknown.add(facet.param)
        errors.append(facet.unknown_message.format(value=value))
    matching = [] if unknown else filter_rows(rows, active)
    # Options are counted with the filters the portal knows, so a visitor who followed a bad
    # link can still pick something that gives results.
    valid = {param: value for param, value in active.items() if param not in unknown}

    groups = []
    for facet in facets:
        counts = facet_counts(rows, facet.param, valid)
        facet_labels = labels.get(facet.param, {})
        selected = valid.get(facet.param, "")
        options = [
            FacetOption(value=value, label=facet_labels.get(value, value), count=count, selected=value == selected)
            for value, count in counts.items()
        ]
        if selected and not any(option.selected for option in options):
            # Chosen together with filters that leave nothing for it: keep it visible and checked.
            options.append(FacetOption(selected, facet_labels.get(selected, selected), 0, True))
        options.sort(key=_option_sort_key(facet))
        all_count = sum(1 for row in rows if matches(row, valid, skip=facet.param))
        groups.append(FacetGroup(facet=facet, options=options, selected=selected, all_count=all_count))

    active_filters = []
    by_param = {facet.param: facet for facet in facets}
    for param, value in active.items():
        label = labels.get(param, {}).get(value, value)
        active_filters.append(ActiveFilter(by_param[param].legend, label, querystring_without(params, param)))

    return FacetedListing(
        keys=[row.key for row in matching],
        groups=groups,
        active=active,
        active_filters=active_filters,
        errors=errors,
        clear_url=querystring_without(params, *by_param),
    )


def paginate(items: list, params: Mapping, per_page: int) -> PaginatorPage:
    """One page of `items` for the `sida` parameter.

    As Wagtail's own listings do, a page number that is not a number gives the first page and
    one past the end gives the last, so an old or mistyped link still shows something useful.
    """
    paginator = Paginator(items, per_page)
    raw = params.get(PAGE_PARAM, "1")
    return paginator.get_page(str(raw)[:MAX_PARAM_LENGTH])


def page_links(page: PaginatorPage, params: Mapping) -> dict:
    """Links for the pagination component, each keeping the active filters."""

    def link(number):
        return querystring(params, **{PAGE_PARAM: number if number > 1 else None})

    numbers = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            numbers.append({"ellipsis": True})
        else:
            numbers.append({"number": number, "url": link(number), "current": number == page.number})
    return {
        "page": page,
        "numbers": numbers,
        "previous_url": link(page.previous_page_number()) if page.has_previous() else None,
        "next_url": link(page.next_page_number()) if page.has_next() else None,
    }


def normalize_level(value: str) -> str | None:
    """A chain level's letter (A–G, any case), or None."""
    level = ChainLevel.parse(value)
    return level.value if level else None


def normalize_year(value: str) -> str | None:
    """A four-digit year, or None."""
    value = value.strip()
    return value if len(value) == 4 and value.isascii() and value.isdigit() else None


def level_labels() -> dict[str, str]:
    """Labels for the chain-level facet: "D Utfall" and so on."""
    return {level.value: f"{level.value} {level.label}" for level in ChainLevel}
