"""Views for open data (/oppna-data/) and stable permalinks (/permalank/<id>/).

Downloads take no query parameters: anything added answers 400 with a Swedish message, so a
misspelt filter never silently returns the whole dataset as if it had been applied. An unknown
dataset or format answers 404, also in Swedish. Nothing here is ever a 500 for bad input.
The concepts (begrepp) are also served as SKOS: begrepp.ttl (Turtle) and begrepp.jsonld (JSON-LD).
"""

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_safe

from larande.publishing import skos
from larande.publishing.opendata import DATASETS, LICENCE, SKOS_FORMATS, to_csv, to_json
from portal.content_cache import cached_on_content
from portal.visibility import visible_pages

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
}
# Parameters a browser or proxy may add for its own reasons; they change nothing.
IGNORED_PARAMETERS = frozenset({"_"})
OPEN_DATA_DESCRIPTION = (
    "Lärportalens resultat, lärdomar, utvärderingsfrågor, indikatorer och begrepp som öppna data i CSV och JSON, "
    "begreppen också som SKOS, flöden och ett öppet API."
)


def _plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def _dataset_names() -> str:
    return ", ".join(DATASETS)


def _format_list(slug: str, formats, conjunction: str = "och") -> str:
    """A dataset's files as a Swedish list, e.g. "begrepp.csv, begrepp.json och begrepp.ttl"."""
    names = [f"{slug}.{fmt}" for fmt in formats]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def _body(dataset, fmt: str, request) -> str:
    if fmt in SKOS_FORMATS:
        graph = skos.concept_graph(request)
        return skos.to_turtle(graph) if fmt == "ttl" else skos.to_jsonld(graph)
    rows = dataset.rows(request)
    return to_csv(dataset, rows) if fmt == "csv" else to_json(dataset, rows)


@require_safe
def open_data_index(request):
    """Öppna data: every dataset with its columns, formats and licence, plus the feeds and the API."""
    datasets = [
        {
            "dataset": dataset,
            "csv_url": dataset.url("csv"),
            "json_url": dataset.url("json"),
            "ttl_url": dataset.url("ttl") if dataset.skos else None,
            "jsonld_url": dataset.url("jsonld") if dataset.skos else None,
        }
        for dataset in DATASETS.values()
    ]
    return render(
        request,
        "opendata/index.html",
        {"datasets": datasets, "licence": LICENCE, "meta_description": OPEN_DATA_DESCRIPTION},
    )


@require_safe
def open_data_download(request, filename: str):
    """One dataset as CSV (UTF-8 with BOM) or JSON, e.g. /oppna-data/resultat.csv; the concepts
    also as SKOS Turtle or JSON-LD (/oppna-data/begrepp.ttl, /oppna-data/begrepp.jsonld)."""
    slug, dot, fmt = filename.rpartition(".")
    if not dot:
        slug, fmt = filename, ""
    dataset = DATASETS.get(slug)
    if dataset is None:
        return _plain(f"Det finns ingen datamängd som heter ”{slug}”. Datamängderna är: {_dataset_names()}.", 404)
    if fmt not in dataset.formats:
        return _plain(
            f"Datamängden ”{slug}” finns som {_format_list(slug, dataset.formats)}. Formatet ”{fmt}” finns inte."
            if fmt
            else f"Ange formatet i adressen: {_format_list(slug, dataset.formats, 'eller')}.",
            404,
        )
    unknown = sorted(set(request.GET) - IGNORED_PARAMETERS)
    if unknown:
        return _plain(
            "Filerna tar inga parametrar; hela datamängden laddas alltid ner. "
            f"Ta bort {', '.join(f'”{name}”' for name in unknown)} ur adressen.",
            400,
        )
    # The same file for everyone on this address until the content version moves: the SKOS graph
    # (rdflib) and the rows are built once per version, not per request (portal/content_cache.py).
    body = cached_on_content(
        f"open-data:{slug}.{fmt}:{request.scheme}://{request.get_host()}",
        lambda: _body(dataset, fmt, request),
        request,
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="larportalen-{dataset.filename(fmt)}"'
    return response


@require_safe
def permalink(request, page_id: int):
    """A page's stable address: redirects to wherever the page lives now, if a visitor may see it.

    A temporary redirect, because the page's own address can change when editors move it; the
    permalink is what stays. Drafts, unpublished and private pages are 404, like their pages.
    """
    page = visible_pages().filter(pk=page_id).first()
    url = page.get_url(request) if page is not None else None
    if not url:
        raise Http404("Sidan finns inte.")
    return HttpResponseRedirect(url)
