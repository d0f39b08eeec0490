"""The copied demo content (tests/demo_template.py) is the built one: the same tables, page tree,
search answers and working id sequences as `build_demo_content()` leaves, on either database."""

import re

import pytest
from django.db import connection, transaction
from wagtail.models import Page

from larande.demo.build import build_demo_content
from search import service
from tests import demo_template

QUERIES = ["utfall", "effektkedja", "logic model", "lärdomar", "efektkedja"]


class _Rollback(Exception):
    pass


def _state() -> dict:
    """What a test can see of the content: every table's rows counted, the page tree, search."""
    tables = list(demo_template._tables())
    pages = list(
        Page.objects.order_by("path").values_list("path", "slug", "title", "live", "url_path", "content_type__model")
    )
    answers = {}
    for query in QUERIES:
        response = service.search(query)
        # Records' addresses hold their ids, which a second real build on PostgreSQL does not reuse.
        hits = [(hit.title, re.sub(r"/\d+/", "/<id>/", hit.url)) for hit in response.results]
        answers[query] = (response.total, hits, response.suggestion)
    return {"rows": demo_template._row_counts(tables), "pages": pages, "search": answers}


def _in_rollback(make) -> tuple[dict, dict, bool]:
    result = {}
    try:
        with transaction.atomic():
            result["counts"] = make()
            result["state"] = _state()
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")
                    cursor.execute("INSERT INTO search_fts_words (search_fts_words) VALUES ('integrity-check')")
            # The id sequences are past every copied row: a new page gets a free id.
            home = Page.objects.get(depth=2)
            home.add_child(instance=Page(title="Ny sida efter kopian", slug="ny-sida-efter-kopian"))
            raise _Rollback
    except _Rollback:
        pass
    return result["counts"], result["state"]


@pytest.mark.django_db
def test_the_copied_demo_content_is_the_built_one():
    built_counts, built = _in_rollback(build_demo_content)
    if demo_template._template is None:
        # The first call in this process builds for real and keeps the template.
        _in_rollback(demo_template.demo_content)
    assert demo_template._template is not None
    copied_counts, copied = _in_rollback(demo_template.demo_content)

    assert copied_counts == built_counts
    assert copied["rows"] == built["rows"]
    assert copied["pages"] == built["pages"]
    assert len(copied["pages"]) > 40
    assert copied["search"] == built["search"]
    assert all(total for total, _hits, _suggestion in list(copied["search"].values())[:4])
