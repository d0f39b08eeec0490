"""Search benchmark: p50/p95 per engine over generated content of 1,000, 10,000 and 50,000 pages.

    python bench/search_bench.py [--sizes 1000,10000,50000] [--databases sqlite,postgresql] [--rounds 5]

Measures the database engine on SQLite (FTS5) and on PostgreSQL (tsvector), each in a child
process of its own, and Elasticsearch beside the last of them. Each database is a throwaway one:
SQLite in a temporary directory, PostgreSQL a new database on the server of --postgres (default:
the local services' server), dropped afterwards; never the dev database. Pages are generated in
bulk (one multi-row INSERT per batch), then the index is rebuilt and timed, and the search
service is timed (the same code the views call) for a fixed set of queries: terms, inflections,
English terms, missing diacritics, misspellings (a wrong first letter too), whole questions,
several words and words that match nothing; and the reindex of one page, as publishing does it.
A quick run: --sizes 1000 --rounds 1. The machine should be quiet: other work on it shows up in
the p95. Elasticsearch is measured when ELASTICSEARCH_URL is set (its index gets a unique prefix
and is deleted afterwards). DJANGO_SETTINGS_MODULE defaults to portal.settings.dev; only its
database is replaced.
"""

import argparse
import datetime
import gc
import io
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

QUERIES = [
    "utfall",
    "utfallet",
    "outcome",
    "prestationerna",
    "langsiktiga effekter",
    "kortsiktiga effekterna",
    "efektkedja",
    "resurrser",
    "hållbar regional tillväxt",
    "leder insatserna till hållbar regional tillväxt",
    "vad betyder utfall",
    "kluster innovation län",
    "indikator",
    "nyföretagande",
    "zzzqqx",
    "utfall effekt resultat kedja aktivitet prestation resurs",
    "ytfall",
    "ndikator",
    "vad innebär kausalitet?",
    "skillnad mellan effekt och resultat",
    "logic model",
]
AUTOCOMPLETE = ["ut", "eff", "pre", "kor", "lan", "res", "outc", "hål"]

CONCEPTS = [
    ("Utfall", "outcome", "D"),
    ("Prestationer", "outputs", "E"),
    ("Aktiviteter", "activities", "F"),
    ("Resurser", "resources", "G"),
    ("Kortsiktiga effekter", "short-term effects", "C"),
    ("Långsiktiga effekter", "long-term effects", "B"),
    ("Kontext", "context", "A"),
    ("Effektkedja", "logic model", ""),
    ("Indikator", "indicator", ""),
    ("Utvärderingsfråga", "evaluation question", ""),
]
_WORD_TEXT = (
    "regional utveckling strategi insatser aktiviteter deltagare kunskap nätverk kluster innovation "
    "företag nyföretagande län kommun samverkan uppföljning utvärdering lärande resultat effekt effekter "
    "utfall prestation prestationer resurser finansiering projekt program mål indikator indikatorer "
    "jämställdhet hållbar tillväxt miljö social ekonomisk kompetens utbildning arbetsmarknad "
    "infrastruktur digitalisering landsbygd besöksnäring forskning högskola näringsliv export "
    "kausalitet evidens kontext styrning legitimitet planering beslutsfattande programutveckling"
)
WORDS = tuple(_WORD_TEXT.split())
_SYLLABLES = [
    "an",
    "be",
    "da",
    "e",
    "fö",
    "ger",
    "hå",
    "i",
    "ka",
    "la",
    "mo",
    "ne",
    "ol",
    "pe",
    "re",
    "sa",
    "ti",
    "u",
    "va",
    "år",
    "äl",
    "ön",
    "st",
    "kr",
    "sk",
    "tr",
    "gl",
]


def _vocabulary(size: int = 3000) -> tuple[list[str], list[float]]:
    """Words in Zipf order with their weights, as in real text: a few very common words, many rare
    ones. The domain words sit in the middle (ranks 40–100), so each is in roughly 5–20 % of pages."""
    rng = random.Random(7)
    invented = set()
    while len(invented) < size - len(WORDS):
        invented.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    invented = sorted(invented - set(WORDS))
    rng.shuffle(invented)
    ranked = invented[:40] + list(WORDS) + invented[40:]
    return ranked, [1 / rank for rank in range(1, len(ranked) + 1)]


VOCABULARY, VOCABULARY_WEIGHTS = _vocabulary()
REGIONS = ["Region Västerbotten", "Region Jämtland Härjedalen", "Region Västernorrland", "Region Norrbotten"]


def setup_django(tmp: Path, database_url: str = ""):
    import dj_database_url
    import django
    from django.conf import settings

    if database_url:
        settings.DATABASES = {"default": dj_database_url.parse(database_url)}
    else:
        settings.DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp / "bench.sqlite3")}}
    # Wagtail's own admin search index is not what is measured; updating it would only slow the build.
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}}
    settings.ELASTICSEARCH_URL = ""
    settings.DEBUG = False
    django.setup()


def sentence(rng: random.Random, n: int) -> str:
    words = rng.choices(VOCABULARY, weights=VOCABULARY_WEIGHTS, k=n)
    return (" ".join(words)).capitalize() + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(6, 14)) for _ in range(sentences))


def build_sections():
    from wagtail.models import Page, Site

    from home.models import HomePage
    from larande.models import ChainIndexPage, FrameworkIndexPage, GlossaryIndexPage, Region, ResultIndexPage

    root = Page.get_first_root_node()
    home = HomePage(title="Lärportalen", slug="hem")
    root.add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Bench"}
    )
    sections = {}
    for model, slug in (
        (GlossaryIndexPage, "begrepp"),
        (FrameworkIndexPage, "ramverket"),
        (ChainIndexPage, "effektkedjor"),
        (ResultIndexPage, "resultat"),
    ):
        page = model(title=slug.capitalize(), slug=slug)
        home.add_child(instance=page)
        sections[slug] = page
    sections["home"] = home
    regions = [Region.objects.create(name=name) for name in REGIONS]
    return sections, regions


def _quiet_signals():
    """Wagtail's admin search and reference index are not what is measured: skip updating them."""
    from django.db.models.signals import post_save
    from modelsearch import index as modelsearch_index
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import disable_reference_index_auto_update

    for model in modelsearch_index.get_indexed_models():
        post_save.disconnect(post_save_signal_handler, sender=model)
    return disable_reference_index_auto_update()


class _Children:
    """Appends pages under a parent in bulk: the page rows with one `bulk_create`, each type's own
    rows with one multi-row INSERT per batch, no treebeard lookups, full_clean or signals. The
    generated data is valid by construction, and 50,000 pages must take minutes, not an hour."""

    def __init__(self, parent):
        from wagtail.models import Page

        self.parent = Page.objects.get(pk=parent.pk)
        last = self.parent.get_last_child()
        self.next = int(last.path[-Page.steplen :], 36) + 1 if last else 1
        self.added = 0
        self.pending = []

    def add(self, page, after=None):
        """Queue a page; `after(page)` runs once it has its id (for its related rows)."""
        from wagtail.models import Page

        page.depth = self.parent.depth + 1
        page.path = Page._get_path(self.parent.path, page.depth, self.next)
        page.url_path = f"{self.parent.url_path}{page.slug}/"
        page.live = True
        page.has_unpublished_changes = False
        page.draft_title = page.title
        page.locale_id = self.parent.locale_id
        self.pending.append((page, after))
        self.next += 1
        self.added += 1

    def flush(self):
        from wagtail.models import Page

        if not self.pending:
            return
        pages = [page for page, _after in self.pending]
        base = [
            Page(**{f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields if not f.primary_key})
            for page in pages
        ]
        Page.objects.bulk_create(base, batch_size=500)
        by_model = {}
        for page, row in zip(pages, base, strict=True):
            page.pk = page.page_ptr_id = row.pk
            page._state.adding = False
            by_model.setdefault(type(page), []).append(page)
        for model, objs in by_model.items():
            fields = list(model._meta.local_concrete_fields)
            for start in range(0, len(objs), 200):
                model._base_manager._insert(objs[start : start + 200], fields=fields, raw=True)
        for page, after in self.pending:
            if after:
                after(page)
        self.pending = []

    def close(self):
        from wagtail.models import Page

        self.flush()
        Page.objects.filter(pk=self.parent.pk).update(numchild=self.parent.numchild + self.added)


def existing_sections():
    """(sections, regions, pages generated) of a database kept with --dir, or None for a new one."""
    from wagtail.models import Page

    from home.models import HomePage
    from larande.models import ChainIndexPage, FrameworkIndexPage, GlossaryIndexPage, Region, ResultIndexPage

    home = HomePage.objects.filter(slug="hem").first()
    if home is None:
        return None
    sections = {
        "home": home,
        "begrepp": GlossaryIndexPage.objects.get(),
        "ramverket": FrameworkIndexPage.objects.get(),
        "effektkedjor": ChainIndexPage.objects.get(),
        "resultat": ResultIndexPage.objects.get(),
    }
    generated = Page.objects.filter(depth__gte=3).count() - (len(sections) - 1)
    return sections, list(Region.objects.all()), generated


def generate(count: int, start: int, sections, regions, rng: random.Random) -> None:
    """Add `count` live pages (numbered from `start`) spread over the searchable types."""
    from django.db import transaction

    from home.models import StandardPage
    from larande.models import (
        ChainElement,
        ConceptPage,
        EffectChainPage,
        EvaluationQuestion,
        EvaluationResultPage,
        GuidancePage,
        QuestionKind,
    )

    children = {name: _Children(page) for name, page in sections.items()}
    elements, regions_of, questions = [], [], []
    with _quiet_signals(), transaction.atomic():
        for i in range(start, start + count):
            if i % 1000 == 0:
                for child in children.values():
                    child.flush()
                ChainElement.objects.bulk_create(elements, batch_size=500)
                EvaluationResultPage.regions.through.objects.bulk_create(regions_of, batch_size=500)
                elements.clear()
                regions_of.clear()
            kind = i % 20
            if kind == 0:
                if i < 20 * len(CONCEPTS):
                    title, english, level = CONCEPTS[i // 20]
                else:  # further concepts: distinct terms, as a real glossary has
                    title = f"{rng.choice(WORDS).capitalize()} {rng.choice(VOCABULARY[300:])} {i}"
                    english, level = "", ""
                page = ConceptPage(
                    title=title,
                    slug=f"begrepp-{i}",
                    short_definition=sentence(rng, 12)[:290],
                    explanation=f"<p>{paragraph(rng, 3)}</p>",
                    english_term=english,
                    other_labels="",
                    chain_level=level,
                )
                children["begrepp"].add(page)
            elif kind < 9:
                page = GuidancePage(
                    title=sentence(rng, 4)[:-1],
                    slug=f"kapitel-{i}",
                    intro=sentence(rng, 15),
                    body=[{"type": "paragraph", "value": f"<p>{paragraph(rng, 8)}</p>"}],
                )
                children["ramverket"].add(page)
            elif kind < 11:
                page = EffectChainPage(
                    title=f"Effektkedja {sentence(rng, 3)[:-1]}",
                    slug=f"kedja-{i}",
                    intro=sentence(rng, 10),
                    purpose=sentence(rng, 12),
                    context=f"<p>{paragraph(rng, 2)}</p>",
                )
                titles = [sentence(rng, 4) for _ in range(4)]

                def chain_elements(page, titles=titles, elements=elements):
                    levels = (("G1", "G"), ("F1", "F"), ("E1", "E"), ("D1", "D"))
                    for (key, level), title in zip(levels, titles, strict=True):
                        elements.append(ChainElement(chain_id=page.pk, key=key, level=level, title=title))

                children["effektkedjor"].add(page, chain_elements)
            elif kind < 19:
                year = 2018 + i % 8
                page = EvaluationResultPage(
                    title=f"Utvärdering: {sentence(rng, 4)[:-1]}",
                    slug=f"resultat-{i}",
                    intro=sentence(rng, 12),
                    evaluated=sentence(rng, 10),
                    period_start=datetime.date(year - 2, 1, 1),
                    period_end=datetime.date(year, 12, 31),
                    evaluator="Bench AB",
                    key_findings=sentence(rng, 15)[:590],
                    findings=f"<p>{paragraph(rng, 6)}</p>",
                    conclusions=f"<p>{paragraph(rng, 3)}</p>",
                    published_on=datetime.date(year, 6, 1),
                )
                region = regions[i % len(regions)]
                through = EvaluationResultPage.regions.through

                def region_of(page, region=region, through=through, regions_of=regions_of):
                    regions_of.append(through(evaluationresultpage_id=page.pk, region_id=region.pk))

                children["resultat"].add(page, region_of)
            else:
                page = StandardPage(title=sentence(rng, 3)[:-1], slug=f"sida-{i}", intro=sentence(rng, 10), body=[])
                children["home"].add(page)
            if i % 50 == 0:
                questions.append(
                    EvaluationQuestion(
                        text=f"{sentence(rng, 8)[:-1]} ({i})?",
                        kind=QuestionKind.SUMMATIVE,
                        chain_level="D",
                        explanation=sentence(rng, 10),
                    )
                )
        for child in children.values():
            child.close()
        ChainElement.objects.bulk_create(elements, batch_size=500)
        EvaluationResultPage.regions.through.objects.bulk_create(regions_of, batch_size=500)
        EvaluationQuestion.objects.bulk_create(questions, batch_size=500)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def time_calls(function, args_list, rounds):
    timings = []
    for _ in range(rounds):
        for args in args_list:
            started = time.perf_counter()
            function(*args)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def time_reindex(count: int = 20) -> list[float]:
    """Milliseconds to reindex one page, as publishing it does (`search.index.update_page`)."""
    from larande.models import GuidancePage
    from search import index

    timings = []
    for page in GuidancePage.objects.live().order_by("?")[:count]:
        started = time.perf_counter()
        index.update_page(page)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def measure(label: str, pages: int, rounds: int, expect_engine: str, index_s: float) -> dict:
    from search import service

    # Warm this process's caches (stemmer, site root paths, the glossary and its folded labels),
    # as a running server has them after its first request; searching does not fill all of them.
    service.search("utfall")
    service.autocomplete("ut")
    # Generating the pages left garbage a server process never holds: collect it before timing.
    gc.collect()
    engines = {service.search(q).engine for q in QUERIES[:3]}
    if engines != {expect_engine}:
        raise SystemExit(f"{label}: expected the {expect_engine} engine to answer, got {engines}")
    search_ms = time_calls(service.search, [(q,) for q in QUERIES], rounds)
    # Suggestions take about a millisecond: one preemption by other work on the machine is then
    # tens of times the call, so their p95 needs as many samples as the searches' (about 100 at
    # the default rounds), not 8 per round.
    complete_ms = time_calls(
        service.autocomplete,
        [(q,) for q in AUTOCOMPLETE],
        max(rounds, math.ceil(rounds * len(QUERIES) / len(AUTOCOMPLETE))),
    )
    reindex_ms = time_reindex() if expect_engine == "database" else []
    row = {
        "reindex_p95": percentile(reindex_ms, 95) if reindex_ms else None,
        "engine": label,
        "pages": pages,
        "search_p50": statistics.median(search_ms),
        "search_p95": percentile(search_ms, 95),
        "autocomplete_p50": statistics.median(complete_ms),
        "autocomplete_p95": percentile(complete_ms, 95),
        "index_s": index_s,
    }
    print(
        f"{label:<14} {pages:>6} sidor  sök p50 {row['search_p50']:7.1f} ms  p95 {row['search_p95']:7.1f} ms   "
        f"förslag p50 {row['autocomplete_p50']:6.1f} ms  p95 {row['autocomplete_p95']:6.1f} ms"
        + (f"   omindexering av en sida p95 {row['reindex_p95']:5.1f} ms" if row["reindex_p95"] is not None else ""),
        flush=True,
    )
    return row


def _scratch_postgres(url: str, drop: bool = False) -> str:
    """A new, empty PostgreSQL database next to the one `url` names (dropped again with drop=True)."""
    import psycopg

    base = url.rsplit("/", 1)[0]
    name = "larportalen_bench_" + uuid.uuid4().hex[:8] if not drop else url.rsplit("/", 1)[1]
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if drop:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def _kept_postgres(url: str, name: str) -> str:
    """The database `name` on the server of `url`, created when missing and kept afterwards, so that
    the pages generated in one run are measured again in the next (as --dir does for SQLite)."""
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def run_backend(args, backend: str, measure_es: bool) -> list[dict]:
    """Generate, index and measure on one database (SQLite or PostgreSQL), in this process."""
    es_url = os.environ.get("ELASTICSEARCH_URL", "") if measure_es else ""
    database_url = ""
    if backend == "postgresql":
        database_url = _kept_postgres(args.postgres, args.keep_postgres) if args.keep_postgres else None
        database_url = database_url or _scratch_postgres(args.postgres)
    with tempfile.TemporaryDirectory(prefix="larportalen-bench-") as scratch:
        tmp = args.dir or scratch
        setup_django(Path(tmp), database_url)
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import override_settings

        from search.documents import count_searchable
        from search.engines import elasticsearch_engine
        from search.rebuild import rebuild_database, rebuild_elasticsearch

        print(f"Sökbenchmark på {backend}: {database_url or tmp}", flush=True)
        call_command("migrate", verbosity=0)
        sections, regions, built = existing_sections() or (*build_sections(), 0)
        rng = random.Random(args.seed + built)
        prefix = f"larportalen-bench-{uuid.uuid4().hex[:8]}"
        rows = []
        try:
            for size in args.sizes:
                started = time.perf_counter()
                if size > built:
                    generate(size - built, built, sections, regions, rng)
                    built = size
                generated_s = time.perf_counter() - started
                started = time.perf_counter()
                rebuild_database(stream=io.StringIO())
                if backend == "postgresql":
                    # The rebuild replaces every row: vacuum and analyse now, as autovacuum soon
                    # would, so that it does not run in the middle of the timings (it did, and
                    # doubled them) and the index-only scans find an up-to-date visibility map.
                    with connection.cursor() as cursor:
                        cursor.execute("VACUUM (ANALYZE)")
                index_s = time.perf_counter() - started
                print(
                    f"{size} sidor ({count_searchable()} sökbara dokument): genererade på {generated_s:.1f} s, "
                    f"databasindexet byggt på {index_s:.1f} s",
                    flush=True,
                )
                rows.append(measure(backend, size, args.rounds, "database", index_s))
                if es_url:
                    with override_settings(
                        ELASTICSEARCH_URL=es_url,
                        ELASTICSEARCH_INDEX_PREFIX=prefix,
                        ELASTICSEARCH_TIMEOUT=max(settings.ELASTICSEARCH_TIMEOUT, 30),
                    ):
                        started = time.perf_counter()
                        rebuild_elasticsearch(stream=io.StringIO())
                        es_s = time.perf_counter() - started
                        print(f"Elasticsearch-indexet byggt på {es_s:.1f} s", flush=True)
                        rows.append(measure("elasticsearch", size, args.rounds, "elasticsearch", es_s))
        finally:
            if es_url:
                with override_settings(ELASTICSEARCH_URL=es_url, ELASTICSEARCH_INDEX_PREFIX=prefix):
                    elasticsearch_engine().drop_everything()
            if database_url and not args.keep_postgres:
                connection.close()
                _scratch_postgres(database_url, drop=True)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000,10000,50000", help="kommaseparerade antal sidor (standard 1000,10000,50000)"
    )
    parser.add_argument(
        "--rounds", type=int, default=5, help="varv genom frågelistan per mätning (5 ger 105 sökningar)"
    )
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument(
        "--databases",
        default="sqlite,postgresql",
        help="kommaseparerade databaser att mäta: sqlite, postgresql (standard båda)",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://larportalen@127.0.0.1:55432/postgres"),
        help="PostgreSQL-servern (en tillfällig databas skapas där och tas bort efteråt)",
    )
    parser.add_argument(
        "--dir",
        help="SQLite: behåll databasen i den här katalogen i stället för en tillfällig (återanvänds vid nästa körning)",
    )
    parser.add_argument(
        "--keep-postgres",
        metavar="NAMN",
        help="PostgreSQL: använd och behåll databasen NAMN i stället för en tillfällig (återanvänds vid nästa körning)",
    )
    parser.add_argument("--backend", help=argparse.SUPPRESS)  # one database, in a child process
    parser.add_argument("--with-es", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        args.sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes ska vara heltal, t.ex. 1000,10000")
    if not args.sizes or args.sizes[0] < 50:
        parser.error("--sizes ska vara minst 50 sidor")
    if args.keep_postgres and not args.keep_postgres.replace("_", "").isalnum():
        parser.error("--keep-postgres: bara bokstäver, siffror och understreck")
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    if not databases or set(databases) - {"sqlite", "postgresql"}:
        parser.error("--databases: sqlite och/eller postgresql")

    if args.backend:
        # A child process: Django is set up once per process, for one database.
        for row in run_backend(args, args.backend, args.with_es):
            print("ROW " + json.dumps(row), flush=True)
        return 0

    if not os.environ.get("ELASTICSEARCH_URL"):
        print("ELASTICSEARCH_URL är inte satt: Elasticsearch mäts inte.", flush=True)
    rows = []
    for position, backend in enumerate(databases):
        # Elasticsearch is measured once, beside the last database (its own work does not depend on it).
        command = [sys.executable, __file__, *(argv if argv is not None else sys.argv[1:]), "--backend", backend]
        if position == len(databases) - 1:
            command.append("--with-es")
        child = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603
        for line in child.stdout.splitlines():
            if line.startswith("ROW "):
                rows.append(json.loads(line[4:]))
            else:
                print(line, flush=True)
        if child.returncode:
            print(f"{backend}: mätningen avbröts (kod {child.returncode})", flush=True)
    print_table(rows)
    return 0


GOAL_PAGES = 50_000
ANCHOR_PAGES = 1_000
GOAL_SEARCH_P95 = 50.0
GOAL_AUTOCOMPLETE_P95 = 20.0
GOAL_RATIO = 3.0
GOAL_BUILD_S = 120.0


def print_table(rows) -> None:
    """The figures per engine and size, with the ratio to the same engine's p95 at 1,000 pages
    measured in the same run (the machine's noise cancels out), and a line per goal."""
    anchors = {r["engine"]: r["search_p95"] for r in rows if r["pages"] == ANCHOR_PAGES}
    print("\nSammanfattning (ms; indexbygge i sekunder; kvot: sök p95 / sök p95 vid 1 000 sidor i samma körning)")
    print(
        f"{'motor':<14} {'sidor':>6} {'sök p50':>9} {'sök p95':>9} {'kvot':>6} {'förslag p50':>12} "
        f"{'förslag p95':>12} {'indexbygge':>11} {'omindex. p95':>13}"
    )
    for row in sorted(rows, key=lambda r: (r["engine"], r["pages"])):
        anchor = anchors.get(row["engine"])
        ratio = f"{row['search_p95'] / anchor:>6.1f}" if anchor else f"{'–':>6}"
        print(
            f"{row['engine']:<14} {row['pages']:>6} {row['search_p50']:>9.1f} {row['search_p95']:>9.1f} {ratio} "
            f"{row['autocomplete_p50']:>12.1f} {row['autocomplete_p95']:>12.1f} {row['index_s']:>10.1f}s "
            + (f"{row['reindex_p95']:>12.1f}" if row.get("reindex_p95") is not None else f"{'–':>12}")
        )
    goal_rows = [r for r in rows if r["pages"] == GOAL_PAGES]
    if not goal_rows:
        print(f"\nMålen gäller {GOAL_PAGES} sidor: mät med --sizes {ANCHOR_PAGES},10000,{GOAL_PAGES}.")
        return
    print(f"\nMål vid {GOAL_PAGES} sidor")
    for row in sorted(goal_rows, key=lambda r: r["engine"]):
        engine = row["engine"]
        checks = [
            (
                f"sök p95 ≤ {GOAL_SEARCH_P95:.0f} ms",
                row["search_p95"] <= GOAL_SEARCH_P95,
                f"{row['search_p95']:.1f} ms",
            ),
            (
                f"förslag p95 ≤ {GOAL_AUTOCOMPLETE_P95:.0f} ms",
                row["autocomplete_p95"] <= GOAL_AUTOCOMPLETE_P95,
                f"{row['autocomplete_p95']:.1f} ms",
            ),
        ]
        anchor = anchors.get(engine)
        if anchor:
            ratio = row["search_p95"] / anchor
            checks.append(
                (f"sök p95 ≤ {GOAL_RATIO:.0f} × p95 vid {ANCHOR_PAGES} sidor", ratio <= GOAL_RATIO, f"{ratio:.1f} ×")
            )
        else:
            checks.append((f"sök p95 ≤ {GOAL_RATIO:.0f} × p95 vid {ANCHOR_PAGES} sidor", None, "ej mätt"))
        checks.append(
            (f"indexbygge ≤ {GOAL_BUILD_S / 60:.0f} min", row["index_s"] <= GOAL_BUILD_S, f"{row['index_s']:.0f} s")
        )
        for label, passed, value in checks:
            verdict = "UPPFYLLT" if passed else ("EJ MÄTT" if passed is None else "EJ UPPFYLLT")
            print(f"  {engine:<14} {label:<36} {value:>10}  {verdict}")


if __name__ == "__main__":
    sys.exit(main())
