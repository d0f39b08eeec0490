"""Search benchmark: p50/p95 per engine over generated content of 1,000 and 10,000 pages.

    python bench/search_bench.py [--sizes 1000,10000] [--rounds 3]

Builds its own throwaway SQLite database in a temporary directory (never the dev database),
generates concept, guidance, chain, result and general pages with Swedish text, rebuilds the
indexes and times the search service (the same code the views call) for a fixed set of
queries: terms, inflections, English terms, missing diacritics, misspellings, several words and
words that match nothing. Elasticsearch is measured too when ELASTICSEARCH_URL is set (its
index gets a unique prefix and is deleted afterwards). DJANGO_SETTINGS_MODULE defaults to
portal.settings.dev; only its database is replaced.
"""

import argparse
import datetime
import io
import os
import random
import statistics
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


def setup_django(tmp: Path):
    import django
    from django.conf import settings

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
    """Appends pages under a parent without treebeard's per-page lookups and Wagtail's full_clean:
    the generated data is valid by construction, and 10,000 pages must not take an hour."""

    def __init__(self, parent):
        from wagtail.models import Page

        self.parent = Page.objects.get(pk=parent.pk)
        last = self.parent.get_last_child()
        self.next = int(last.path[-Page.steplen :], 36) + 1 if last else 1
        self.added = 0

    def add(self, page):
        from wagtail.models import Page

        page.depth = self.parent.depth + 1
        page.path = Page._get_path(self.parent.path, page.depth, self.next)
        page.url_path = f"{self.parent.url_path}{page.slug}/"
        page.live = True
        page.save(clean=False)
        self.next += 1
        self.added += 1

    def close(self):
        from wagtail.models import Page

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
    with _quiet_signals(), transaction.atomic():
        for i in range(start, start + count):
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
                children["effektkedjor"].add(page)
                for key, level in (("G1", "G"), ("F1", "F"), ("E1", "E"), ("D1", "D")):
                    ChainElement.objects.create(chain=page, key=key, level=level, title=sentence(rng, 4))
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
                children["resultat"].add(page)
                page.regions.set([regions[i % len(regions)]])
                page.save()
            else:
                page = StandardPage(title=sentence(rng, 3)[:-1], slug=f"sida-{i}", intro=sentence(rng, 10), body=[])
                children["home"].add(page)
            if i % 50 == 0:
                EvaluationQuestion.objects.create(
                    text=f"{sentence(rng, 8)[:-1]} ({i})?",
                    kind=QuestionKind.SUMMATIVE,
                    chain_level="D",
                    explanation=sentence(rng, 10),
                )
        for child in children.values():
            child.close()


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


def measure(label: str, pages: int, rounds: int, expect_engine: str) -> dict:
    from search import service

    service.search("utfall")  # warm caches (stemmer, site root paths)
    engines = {service.search(q).engine for q in QUERIES[:3]}
    if engines != {expect_engine}:
        raise SystemExit(f"{label}: expected the {expect_engine} engine to answer, got {engines}")
    search_ms = time_calls(service.search, [(q,) for q in QUERIES], rounds)
    complete_ms = time_calls(service.autocomplete, [(q,) for q in AUTOCOMPLETE], rounds)
    row = {
        "engine": label,
        "pages": pages,
        "search_p50": statistics.median(search_ms),
        "search_p95": percentile(search_ms, 95),
        "autocomplete_p50": statistics.median(complete_ms),
        "autocomplete_p95": percentile(complete_ms, 95),
    }
    print(
        f"{label:<14} {pages:>6} sidor  sök p50 {row['search_p50']:7.1f} ms  p95 {row['search_p95']:7.1f} ms   "
        f"förslag p50 {row['autocomplete_p50']:6.1f} ms  p95 {row['autocomplete_p95']:6.1f} ms",
        flush=True,
    )
    return row


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="kommaseparerade antal sidor (standard 1000,10000)")
    parser.add_argument("--rounds", type=int, default=3, help="varv genom frågelistan per mätning")
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument(
        "--dir",
        help="behåll databasen i den här katalogen i stället för en tillfällig (återanvänds vid nästa körning)",
    )
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes ska vara heltal, t.ex. 1000,10000")
    if not sizes or sizes[0] < 50:
        parser.error("--sizes ska vara minst 50 sidor")

    es_url = os.environ.get("ELASTICSEARCH_URL", "")
    if args.dir:
        Path(args.dir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="larportalen-bench-") as scratch:
        tmp = args.dir or scratch
        setup_django(Path(tmp))
        from django.conf import settings
        from django.core.management import call_command
        from django.test import override_settings

        from search.documents import count_searchable
        from search.engines import elasticsearch_engine
        from search.rebuild import rebuild_database, rebuild_elasticsearch

        print(f"Sökbenchmark: databas i {tmp}", flush=True)
        call_command("migrate", verbosity=0)
        sections, regions, built = existing_sections() or (*build_sections(), 0)
        rng = random.Random(args.seed + built)
        prefix = f"larportalen-bench-{uuid.uuid4().hex[:8]}"
        rows = []
        try:
            for size in sizes:
                started = time.perf_counter()
                if size > built:
                    generate(size - built, built, sections, regions, rng)
                    built = size
                generated_s = time.perf_counter() - started
                started = time.perf_counter()
                rebuild_database(stream=io.StringIO())
                index_s = time.perf_counter() - started
                print(
                    f"{size} sidor ({count_searchable()} sökbara dokument): genererade på {generated_s:.1f} s, "
                    f"databasindexet byggt på {index_s:.1f} s",
                    flush=True,
                )
                rows.append(measure("databas", size, args.rounds, "database"))
                if es_url:
                    with override_settings(
                        ELASTICSEARCH_URL=es_url,
                        ELASTICSEARCH_INDEX_PREFIX=prefix,
                        ELASTICSEARCH_TIMEOUT=max(settings.ELASTICSEARCH_TIMEOUT, 30),
                    ):
                        started = time.perf_counter()
                        rebuild_elasticsearch(stream=io.StringIO())
                        print(f"Elasticsearch-indexet byggt på {time.perf_counter() - started:.1f} s", flush=True)
                        rows.append(measure("elasticsearch", size, args.rounds, "elasticsearch"))
                else:
                    print("ELASTICSEARCH_URL är inte satt: Elasticsearch mäts inte.", flush=True)
        finally:
            if es_url:
                with override_settings(ELASTICSEARCH_URL=es_url, ELASTICSEARCH_INDEX_PREFIX=prefix):
                    elasticsearch_engine().drop_everything()
        print("\nSammanfattning (ms)")
        print(f"{'motor':<14} {'sidor':>6} {'sök p50':>9} {'sök p95':>9} {'förslag p50':>12} {'förslag p95':>12}")
        for row in rows:
            print(
                f"{row['engine']:<14} {row['pages']:>6} {row['search_p50']:>9.1f} {row['search_p95']:>9.1f} "
                f"{row['autocomplete_p50']:>12.1f} {row['autocomplete_p95']:>12.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
