"""How long the framework document takes to generate on the demo content: HTML, PDF and Word.

Builds the demo content in a throwaway SQLite database (never the dev database), then times each
export without the cache (the first visitor after a publication) and with it (every visitor after).

    .venv/bin/python bench/document_bench.py
"""

import os
import sys
import tempfile
import time
from pathlib import Path

from portal.visibility import visible_pages

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")


def main(tmp: Path) -> None:
    import django
    from django.conf import settings

    settings.DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp / "bench.sqlite3")}}
    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import RequestFactory

    from larande.demo.build import build_demo_content
    from larande.models import EffectChainPage
    from larande.publishing import document

    call_command("migrate", verbosity=0)
    build_demo_content()
    request = RequestFactory().get("/ramverket/dokument/")

    def timed(label, func):
        cache.clear()
        start = time.perf_counter()
        result = func()
        cold = time.perf_counter() - start
        start = time.perf_counter()
        func()
        warm = time.perf_counter() - start
        size = len(result[1] if isinstance(result, tuple) else result)
        print(f"{label:<28} {cold:6.2f} s utan cache  {warm:6.3f} s med cache  {size / 1024:7.1f} kB")

    print("Ramverket som dokument, demoinnehållet:")
    timed("HTML (/ramverket/dokument/)", lambda: document.cached_body(request))
    try:
        timed("PDF", lambda: document.document_pdf(request))
        chain = visible_pages(EffectChainPage).first()
        timed("PDF, en effektkedja", lambda: document.chain_pdf(chain, request))
    except document.PdfUnavailable as exc:
        print(f"PDF                          kan inte skapas här: {exc}")
    timed("Word (.docx)", lambda: document.document_docx(request))


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="larportalen-dokument-") as tmp:
        main(Path(tmp))
