"""Public search: the results page (HTML or JSON) and autocomplete suggestions (JSON)."""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import service
from .engines.base import FACETS

MAX_RAW_QUERY = 10_000  # read at most this much of `q`; the service cuts it further and says so


def _raw_query(request) -> str:
    return request.GET.get("q", "")[:MAX_RAW_QUERY]


def _querystring(query: str, selected: dict[str, tuple[str, ...]], page: int | None = None) -> str:
    params = [("q", query)] if query else []
    for name in FACETS:
        params += [(name, value) for value in selected.get(name, ())]
    if page and page > 1:
        params.append(("sida", str(page)))
    return "?" + urlencode(params)


def _facet_links(response: service.SearchResponse) -> list[dict]:
    """Facets with the URL that toggles each value (combinable, kept in the URL, no JavaScript needed)."""
    selected = response.filters.as_dict()
    groups = []
    for group in response.facets:
        values = []
        for value in group.values:
            chosen = value.value in group.selected
            current = set(selected.get(group.name, ()))
            toggled = current - {value.value} if chosen else current | {value.value}
            next_selected = dict(selected)
            next_selected[group.name] = tuple(sorted(toggled))
            values.append(
                {
                    "label": value.label,
                    "count": value.count,
                    "selected": chosen,
                    "url": _querystring(response.query, next_selected),
                }
            )
        groups.append({"name": group.name, "label": group.label, "values": values})
    return groups


def _pagination(response: service.SearchResponse) -> dict | None:
    if response.num_pages <= 1:
        return None
    selected = response.filters.as_dict()
    first = max(1, response.page - 3)
    last = min(response.num_pages, response.page + 3)
    return {
        "previous": _querystring(response.query, selected, response.page - 1) if response.page > 1 else None,
        "next": _querystring(response.query, selected, response.page + 1)
        if response.page < response.num_pages
        else None,
        "pages": [
            {"number": n, "url": _querystring(response.query, selected, n), "current": n == response.page}
            for n in range(first, last + 1)
        ],
    }


SEARCH_DESCRIPTION = (
    "Sök bland Lärportalens begrepp, vägledning, effektkedjor, utvärderingsresultat och lärdomar, på svenska eller "
    "engelska."
)


@require_GET
def search(request):
    """`/sok/?q=…`: the results page, or the same results as JSON with `format=json`."""
    filters = service.parse_filters(request.GET)
    page = service.parse_page(request.GET.get("sida", request.GET.get("page", 1)))
    response = service.search(_raw_query(request), filters, page)
    if request.GET.get("format") == "json":
        json_response = JsonResponse(response.as_json(), json_dumps_params={"ensure_ascii": False})
        # Only the browser may keep it, briefly: a shared cache could outlive a page turning private.
        json_response["Cache-Control"] = "private, max-age=30"
        return json_response
    selected = response.filters.as_dict()
    context = {
        "search_query": response.query,
        "response": response,
        "facet_groups": _facet_links(response),
        "pagination": _pagination(response),
        "suggestion_url": _querystring(response.suggestion, selected) if response.suggestion else "",
        "clear_filters_url": _querystring(response.query, {}) if response.filters else "",
        "first_result_number": (response.page - 1) * service.PAGE_SIZE + 1,
        "max_query_chars": service.MAX_QUERY_CHARS,
        "meta_description": SEARCH_DESCRIPTION,
    }
    return render(request, "search/search.html", context)


@require_GET
def autocomplete(request):
    """`/sok/forslag/?q=…`: at most ten suggestions as JSON, concepts first."""
    raw = _raw_query(request)
    suggestions = service.autocomplete(raw)
    response = JsonResponse(
        {"query": raw[: service.MAX_QUERY_CHARS], "suggestions": [s.as_json() for s in suggestions]},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "private, max-age=30"
    return response
