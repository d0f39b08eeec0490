"""What explaining terms in place costs: a 5,000-word page with a glossary of 200 concepts.

Builds a throwaway SQLite database (never the dev database) with 200 published concepts (with
other labels, some deprecated or switched off) and a guidance chapter of 5,000 words in 50
paragraphs that use the terms in inflected forms, then times:

- building the matcher from the glossary (once per glossary version and process),
- explaining the page's prose without the cache (once per published revision),
- serving the page: the first request after a publication, then warm requests (median and p95),
  and the same page with explanations switched off, for comparison.

    .venv/bin/python bench/terms_bench.py [--concepts 200] [--words 5000] [--requests 30]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

FILLER_TEXT = (
    "regionen följer upp strategin och samlar kunskap om vad insatserna ger för att kunna lära av det "
    "arbetet sker tillsammans med kommuner lärosäten och näringsliv under hela perioden"
)
FILLER = FILLER_TEXT.split()
STEMS = [
    "utfall",
    "prestation",
    "aktivitet",
    "resurs",
    "effekt",
    "indikator",
    "målgrupp",
    "insats",
    "uppföljning",
    "utvärdering",
]
FORMS = ["", "en", "et", "er", "erna", "ar", "arna", "s"]


def _concept_titles(count: int) -> list[str]:
    titles = []
    for number in range(count):
        base = STEMS[number % len(STEMS)]
        titles.append(base if number < len(STEMS) else f"{base}{'s' if number % 3 else ''}område {number}")
    return titles


def _text(words: int, titles: list[str], rng: random.Random) -> list[str]:
    paragraphs, per_paragraph = [], max(words // 50, 1)
    for _ in range(50):
        out = []
        while len(out) < per_paragraph:
            if rng.random() < 0.12:
                title = rng.choice(titles)
                head, *rest = title.split()
                out.extend([head + rng.choice(FORMS)] + rest)
            else:
                out.append(rng.choice(FILLER))
        paragraphs.append("<p>" + " ".join(out[:per_paragraph]).capitalize() + ".</p>")
    return paragraphs


def main(tmp: Path, args) -> None:
    import django
    from django.conf import settings

    settings.DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp / "bench.sqlite3")}}
    settings.ALLOWED_HOSTS = ["*"]
    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from wagtail.models import Page, Site

    from home.models import HomePage
    from larande.glossary import terms
    from larande.models import ConceptPage, ConceptStatus, FrameworkIndexPage, GlossaryIndexPage, GuidancePage

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Lärportalen", slug="hem"))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    glossary = home.add_child(instance=GlossaryIndexPage(title="Begrepp", slug="begrepp"))
    framework = home.add_child(instance=FrameworkIndexPage(title="Ramverket", slug="ramverket"))
    titles = _concept_titles(args.concepts)
    started = time.perf_counter()
    replacement = None
    for number, title in enumerate(titles):
        deprecated = number % 25 == 24 and replacement is not None
        concept = glossary.add_child(
            instance=ConceptPage(
                title=title,
                slug=f"begrepp-{number}",
                short_definition=f"Definitionen av {title}, en eller två meningar om vad begreppet betyder.",
                other_labels=f"{title} alternativ, {title}värde",
                status=ConceptStatus.DEPRECATED if deprecated else ConceptStatus.RECOMMENDED,
                use_instead=replacement if deprecated else None,
                explain_in_texts=number % 17 != 16,
            )
        )
        replacement = replacement or concept
    print(f"{args.concepts} begrepp skapade på {time.perf_counter() - started:.1f} s")
    paragraphs = _text(args.words, titles, rng)
    body = [{"type": "paragraph", "value": html} for html in paragraphs]
    chapter = framework.add_child(instance=GuidancePage(title="Långt kapitel", slug="langt", body=body))
    words = sum(len(p.split()) for p in paragraphs)
    print(f"Sidan: {words} ord i {len(paragraphs)} stycken")

    cache.clear()
    started = time.perf_counter()
    _, matcher = terms.current_matcher()
    cold = time.perf_counter() - started
    terms.glossary_changed()
    started = time.perf_counter()
    _, matcher = terms.current_matcher()
    rebuilt = time.perf_counter() - started
    print(
        f"Bygga matcharen: {cold * 1000:7.1f} ms första gången i processen,"
        f" {rebuilt * 1000:7.1f} ms efter en ändring i begreppslistan"
    )

    segments = [f"<div class='rich-text'>{html}</div>" for html in paragraphs]
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        result = terms.explain_segments(segments, matcher)
        runs.append(time.perf_counter() - started)
    print(
        "Förklara sidans text utan cache (en gång per publicerad version): "
        f"median {statistics.median(runs) * 1000:7.1f} ms, {len(result.linked)} begrepp länkade"
    )

    client = Client(HTTP_HOST="localhost")

    def serve(page, count):
        timings = []
        for _ in range(count):
            started = time.perf_counter()
            response = client.get(page.url)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200
        return timings

    cache.clear()
    first = serve(chapter, 1)[0]
    warm = sorted(serve(chapter, args.requests))
    chapter.explain_terms = False
    chapter.save()
    off = sorted(serve(chapter, args.requests))

    def p95(values):
        return values[min(len(values) - 1, int(len(values) * 0.95))]

    print(f"Hela sidan, första besöket efter publicering:  {first * 1000:7.1f} ms")
    print(
        f"Hela sidan, med förklaringar (cache):         median {statistics.median(warm) * 1000:7.1f} ms,"
        f" p95 {p95(warm) * 1000:7.1f} ms"
    )
    print(
        f"Hela sidan, förklaringar avstängda:           median {statistics.median(off) * 1000:7.1f} ms,"
        f" p95 {p95(off) * 1000:7.1f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=200)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=30)
    arguments, _unknown = parser.parse_known_args()  # run_all passes every bench the same arguments
    with tempfile.TemporaryDirectory() as directory:
        main(Path(directory), arguments)
