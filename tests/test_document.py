"""The framework as one document: HTML, PDF and Word, with live, public content only, cached and
rebuilt when something in it is published or unpublished."""

import io
import re
import sys

import pytest
from docx import Document
from pypdf import PdfReader
from wagtail.models import PageViewRestriction

from larande.models import GuidancePage
from tests.browser import axe_violations, browser_test, chromium_browser, new_page
from tests.factories import (
    ChainElementFactory,
    ChainLinkFactory,
    ConceptPageFactory,
    EffectChainPageFactory,
    EvaluationQuestionFactory,
    FrameworkIndexPageFactory,
    GuidancePageFactory,
)
from tests.pdf_support import require_weasyprint
from tests.publishing_support import start_page

HTML_URL = "/ramverket/dokument/"
PDF_URL = "/ramverket/dokument/ramverk-for-strategiskt-larande.pdf"
DOCX_URL = "/ramverket/dokument/ramverk-for-strategiskt-larande.docx"
CHAPTERS = ["Vad är uppgiften", "Effektkedjor i praktiken", "Lärande och återkoppling"]
GLOSSARY_IN_ORDER = ["Aktiviteter", "Utfall", "Zon för samverkan", "Åtgärd", "Ändamål", "Överblick"]
APPENDICES = ["Bilaga A. Effektkedjor", "Bilaga B. Utvärderingsfrågor", "Bilaga C. Begrepp A–Ö"]


def _paragraph(text, heading=None):
    html = f"<h3>{heading}</h3>" if heading else ""
    return {"type": "paragraph", "value": f"{html}<p>{text}</p>"}


def build_world():
    """Three public chapters, a draft and a private one; concepts A–Ö and a draft; a chain; questions:
    built once for the module (tests/conftest.py: `world`)."""
    start_page()
    framework = FrameworkIndexPageFactory(publish=True)
    for i, title in enumerate(CHAPTERS):
        GuidancePageFactory(
            parent=framework,
            title=title,
            body=[_paragraph(f"Texten i kapitel {i + 1} om åäö.", heading=f"Avsnitt {i + 1}")],
            publish=True,
        )
    GuidancePageFactory(parent=framework, title="Hemligt utkast till kapitel", live=False)
    private = GuidancePageFactory(parent=framework, title="Internt kapitel", publish=True)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    for term in reversed(GLOSSARY_IN_ORDER):
        ConceptPageFactory(title=term, english_term="term" if term == "Utfall" else "", publish=True)
    ConceptPageFactory(title="Hemligt begrepp", live=False)
    EffectChainPageFactory(title="Kedjan för innovation", full_chain=True, publish=True)
    EvaluationQuestionFactory(text="Ökar nyföretagandet i länet?", chain_level="C")
    EvaluationQuestionFactory(process=True, text="Hur ser ansökningstrycket ut?")
    return framework


@pytest.fixture
def framework(world):
    """The framework section of the module's world, fresh for each test."""
    return world


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _positions(text, needles):
    positions = [text.find(needle) for needle in needles]
    assert all(p >= 0 for p in positions), [n for n, p in zip(needles, positions, strict=True) if p < 0]
    return positions


@pytest.mark.django_db
def test_the_html_document_holds_everything_public_in_order(framework, client, django_assert_max_num_queries):
    client.get("/")  # warm Wagtail's site cache
    with django_assert_max_num_queries(40):
        response = client.get(HTML_URL)
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(html)
    assert "Datum" in text and "(senaste publicering)" in text
    chapter_positions = _positions(text, [f"{n} {title}" for n, title in enumerate(CHAPTERS, start=1)])
    assert chapter_positions == sorted(chapter_positions)
    appendix_positions = _positions(text, APPENDICES)
    assert chapter_positions[-1] < appendix_positions[0] and appendix_positions == sorted(appendix_positions)
    assert "Figur 1. Effektkedja: Kedjan för innovation" in text
    assert "A1 Långsiktiga effekter i exemplet" not in text  # the factory's keys are B1 … G1
    assert "G1 Resurser i exemplet leder till F1 Aktiviteter i exemplet" in text
    glossary = text[text.find("Bilaga C. Begrepp A–Ö", text.find("Bilaga C. Begrepp A–Ö") + 1) :]
    positions = _positions(glossary, GLOSSARY_IN_ORDER)
    assert positions == sorted(positions), "Å, Ä och Ö ska komma efter Z"
    assert "Ökar nyföretagandet i länet?" in text and "Hur ser ansökningstrycket ut?" in text
    for secret in ("Hemligt utkast till kapitel", "Internt kapitel", "Hemligt begrepp"):
        assert secret not in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids must be unique in the document"
    # Served from the cache the second time: only the fingerprint and the page chrome are queried.
    with django_assert_max_num_queries(12):
        assert client.get(HTML_URL).content.decode() == html


@pytest.mark.django_db
def test_the_pdf_has_the_chapters_in_order_the_glossary_and_bookmarks(framework, client):
    require_weasyprint()
    response = client.get(PDF_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="ramverk-for-strategiskt-larande.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]
    text = " ".join(" ".join(pages).split())
    body = text[text.find("1 Vad är uppgiften", text.find("Innehåll") + 200) :]
    positions = _positions(body, CHAPTERS + APPENDICES)
    assert positions == sorted(positions)
    glossary = body[body.find("Bilaga C. Begrepp A–Ö") :]
    positions = _positions(glossary, GLOSSARY_IN_ORDER)
    assert positions == sorted(positions)
    assert "Texten i kapitel 1 om åäö." in text
    assert "Figur 1. Effektkedja: Kedjan för innovation" in text
    assert "Sida 2 av" in text
    for secret in ("Hemligt utkast", "Internt kapitel", "Hemligt begrepp"):
        assert secret not in text
    bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
    for title in CHAPTERS:
        assert any(title in bookmark for bookmark in bookmarks), bookmarks
    assert reader.metadata.title == "Ramverket"
    fonts = {
        str(font["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].get_object().values()
    }
    assert any("DejaVu" in font for font in fonts)


@pytest.mark.django_db
def test_the_word_file_has_the_chapters_as_heading_1(framework, client):
    response = client.get(DOCX_URL)
    assert response.status_code == 200
    assert 'filename="ramverk-for-strategiskt-larande.docx"' in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == CHAPTERS + APPENDICES
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["Ramverket"]
    assert "Avsnitt 1" in [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "Kedjan för innovation" in [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Texten i kapitel 1 om åäö." in text
    assert "Figur 1. Effektkedja: Kedjan för innovation" in text
    assert "G1 Resurser i exemplet leder till F1 Aktiviteter i exemplet" in text
    positions = _positions(text[text.find("Bilaga C. Begrepp A–Ö") :], GLOSSARY_IN_ORDER)
    assert positions == sorted(positions)
    for secret in ("Hemligt utkast", "Internt kapitel", "Hemligt begrepp"):
        assert secret not in text
    assert len(document.inline_shapes) == 1  # the chain's figure


@pytest.mark.django_db
def test_publishing_and_unpublishing_rebuild_every_export(framework, client):
    require_weasyprint()
    for url in (HTML_URL, PDF_URL, DOCX_URL):
        assert client.get(url).status_code == 200
    chapter = GuidancePageFactory(parent=framework, title="Nytt kapitel om lärdomar", live=False)
    assert "Nytt kapitel om lärdomar" not in client.get(HTML_URL).content.decode()
    chapter.save_revision().publish()
    assert "Nytt kapitel om lärdomar" in client.get(HTML_URL).content.decode()
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(client.get(PDF_URL).content)).pages)
    assert "Nytt kapitel om lärdomar" in pdf_text
    docx = Document(io.BytesIO(client.get(DOCX_URL).content))
    assert "Nytt kapitel om lärdomar" in [p.text for p in docx.paragraphs if p.style.name == "Heading 1"]

    GuidancePage.objects.get(pk=chapter.pk).unpublish()
    assert "Nytt kapitel om lärdomar" not in client.get(HTML_URL).content.decode()
    docx = Document(io.BytesIO(client.get(DOCX_URL).content))
    assert "Nytt kapitel om lärdomar" not in "\n".join(p.text for p in docx.paragraphs)


@pytest.mark.django_db
def test_bad_chains_do_not_break_the_document(framework, client):
    require_weasyprint()
    empty = EffectChainPageFactory(title="Kedja utan element", publish=True)
    cyclic = EffectChainPageFactory(title="Kedja med cirkel", publish=True)
    ChainElementFactory(chain=cyclic, key="D1", level="D", title="Utfall " * 70)
    ChainElementFactory(chain=cyclic, key="D2", level="D", title="Annat utfall")
    ChainLinkFactory(chain=cyclic, source_key="D1", target_key="D2")
    ChainLinkFactory(chain=cyclic, source_key="D2", target_key="D1")
    ChainLinkFactory(chain=cyclic, source_key="D2", target_key="X9")
    del empty
    text = _text(client.get(HTML_URL).content.decode())
    assert "Figur 3. Effektkedja: Kedja med cirkel" in text
    assert "Kedjan har inga element ännu, så diagrammet visar bara nivåerna." in text
    assert "bildar en cirkel" in text and "det finns inget element med koden X9" in text
    assert client.get(PDF_URL).status_code == 200
    assert client.get(DOCX_URL).status_code == 200


@pytest.mark.django_db
def test_without_a_public_framework_there_is_no_document(home, client):
    FrameworkIndexPageFactory(live=False)
    for url in (HTML_URL, PDF_URL, DOCX_URL):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Sidan finns inte" in response.content.decode()


@pytest.mark.django_db
def test_the_pdf_answers_503_in_swedish_where_weasyprint_cannot_run(framework, client, monkeypatch):
    EffectChainPageFactory(slug="kedja-utan-pdf", full_chain=True)
    # As on a machine without Pango: importing WeasyPrint fails.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    for url in (PDF_URL, "/effektkedjor/kedja-utan-pdf/diagram.pdf"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert "PDF-versionen kan inte skapas på den här servern just nu" in response.content.decode()
    assert client.get(HTML_URL).status_code == 200
    assert client.get(DOCX_URL).status_code == 200


@pytest.mark.django_db
def test_only_reading_methods_are_allowed(framework, client):
    assert client.post(HTML_URL).status_code == 405
    assert client.head(HTML_URL).status_code == 200


@browser_test
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_document_and_the_coverage_overview_pass_axe_at_desktop_and_phone_width(live_server):
    from larande.demo.build import build_demo_content

    build_demo_content()
    problems = {}
    with chromium_browser() as chromium:
        for width in (1280, 320):
            page = new_page(chromium, width=width)
            for url in (HTML_URL, "/effektkedjor/tackning/"):
                page.goto(live_server.url + url)
                found = axe_violations(page)
                if found:
                    problems[f"{url} @ {width}px"] = found
                # The page itself never scrolls sideways; wide tables and diagrams scroll in their own box.
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, f"{url} @ {width}px flödar över med {overflow} px"
            page.goto(live_server.url + HTML_URL)
            wide = page.locator(".chain-diagram__wide svg").first
            narrow = page.locator(".chain-diagram__narrow svg").first
            if width == 320:
                assert narrow.is_visible() and not wide.is_visible()
                assert narrow.bounding_box()["width"] <= 320
            else:
                assert wide.is_visible() and not narrow.is_visible()
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
