"""Smoke test for the services started by scripts/services.sh.

Run with the project's virtualenv after `eval "$(scripts/services.sh env)"`:

    .venv/bin/python scripts/check_services.py [pg] [es] [chromium]   (default: all three)

Checks: psycopg connects to DATABASE_URL; elasticsearch-dsl indexes and finds a document
(Swedish analysis chain, synonym_graph, search_as_you_type); Playwright drives Debian's
chromium and runs axe-core on a page. Exits non-zero on the first failure.
"""

import os
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def check_pg():
    import psycopg

    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url, connect_timeout=10) as conn:
        version = conn.execute("select version()").fetchone()[0]
        can_create = conn.execute("select rolcreatedb from pg_roles where rolname = current_user").fetchone()[0]
    assert can_create, "role cannot create databases (the Django test runner needs CREATEDB)"
    print(f"pg ok: {version}")


def check_es():
    from elasticsearch import Elasticsearch
    from elasticsearch_dsl import Document, SearchAsYouType, Text, analyzer, token_filter

    url = os.environ["ELASTICSEARCH_URL"]
    client = Elasticsearch(url, request_timeout=30)
    info = client.info()

    swedish_synonyms = token_filter("sv_synonyms", "synonym_graph", synonyms=["bil, automobil"])
    swedish_stem = token_filter("sv_stem", "stemmer", language="swedish")
    swedish = analyzer(
        "sv_text",
        tokenizer="standard",
        filter=["lowercase", "asciifolding", swedish_stem],
    )
    swedish_search = analyzer(
        "sv_text_search",
        tokenizer="standard",
        filter=["lowercase", "asciifolding", swedish_stem, swedish_synonyms],
    )
    index_name = f"larportalen-smoke-{os.getpid()}"

    class Resource(Document):
        title = SearchAsYouType(analyzer=swedish)
        body = Text(analyzer=swedish, search_analyzer=swedish_search)

        class Index:
            name = index_name
            settings = {"number_of_shards": 1, "number_of_replicas": 0}

    try:
        Resource.init(using=client)
        Resource(meta={"id": "1"}, title="Lektionsplanering för lågstadiet", body="Bilarna på skolgården").save(
            using=client, refresh=True
        )
        hits = Resource.search(using=client).query("match", body="automobil").execute()
        assert [h.meta.id for h in hits] == ["1"], f"synonym search failed: {hits}"
        hits = (
            Resource.search(using=client)
            .query(
                "multi_match",
                query="lektionsplanering för låg",
                type="bool_prefix",
                fields=["title", "title._2gram", "title._3gram"],
            )
            .execute()
        )
        assert [h.meta.id for h in hits] == ["1"], f"search_as_you_type search failed: {hits}"
    finally:
        client.indices.delete(index=index_name, ignore_unavailable=True)
    print(f"es ok: Elasticsearch {info['version']['number']}, indexed and found a document")


def check_chromium():
    from playwright.sync_api import sync_playwright

    axe_js = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    html = (
        "<!doctype html><html lang='sv'><head><title>Test</title></head>"
        "<body><main><h1>Hej</h1><img src='x.png'></main></body></html>"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page()
            page.goto("data:text/html;charset=utf-8," + html)
            page.add_script_tag(path=str(axe_js))
            result = page.evaluate(
                """() => axe.run(document, {runOnly: {type: 'tag',
                       values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
            )
            version = browser.version
        finally:
            browser.close()
    ids = sorted(v["id"] for v in result["violations"])
    # The page has an image without alt text on purpose.
    assert "image-alt" in ids, f"axe did not find the planted violation: {ids}"
    print(
        f"chromium ok: Chromium {version}, axe-core {result['testEngine']['version']}, "
        f"{len(result['violations'])} violations: {', '.join(ids)}"
    )


CHECKS = {"pg": check_pg, "es": check_es, "chromium": check_chromium}


def main(argv):
    names = argv or list(CHECKS)
    for name in names:
        started = time.monotonic()
        CHECKS[name]()
        print(f"  ({time.monotonic() - started:.1f}s)")


if __name__ == "__main__":
    main(sys.argv[1:])
