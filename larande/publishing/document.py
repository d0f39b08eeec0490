"""The framework as one document: HTML, PDF (WeasyPrint) and Word (python-docx).

"Slutprodukten blir ett skrivet dokument": the guidance chapters in order, every effect chain with
its diagram as a numbered figure, the evaluation questions by kind and level, and the glossary A–Ö
as an appendix, dated by the last publication of anything in it.

Only live, public pages go in. Exports are cached under a fingerprint of everything they show,
computed from the database on each request (three small queries): publishing, unpublishing,
moving, deleting or restricting a page, or editing a question, changes the fingerprint, so every
process rebuilds on its next request whatever cache backend is configured, with no signals to miss.

WeasyPrint is imported only when a PDF is asked for, so the portal runs where its system libraries
(Pango) are missing; the PDF views then answer 503 with a Swedish message.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import math
import mimetypes
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from wagtail.models import Page

from core.collation import swedish_initial, swedish_sort_key
from core.levels import ChainLevel
from core.svg import LINE_HEIGHT, PALETTE
from larande.chains import diagrams
from larande.glossary.terms import strip_markers
from larande.models import (
    ConceptPage,
    ConceptStatus,
    EffectChainPage,
    EvaluationQuestion,
    FrameworkIndexPage,
    GuidancePage,
)
from portal.visibility import request_private_q, visible_pages

logger = logging.getLogger(__name__)

# Bump when the templates or builders change what an export looks like, so caches are rebuilt.
DOCUMENT_FORMAT = "1"
CACHE_SECONDS = 60 * 60 * 24
PDF_UNAVAILABLE_MESSAGE = (
    "PDF-versionen kan inte skapas på den här servern just nu: programmet som skapar PDF-filer saknas. "
    "Läs dokumentet på webben eller ladda ned det som Word-fil i stället."
)
APPENDIX_TITLES = {"chains": "Effektkedjor", "questions": "Utvärderingsfrågor", "glossary": "Begrepp A–Ö"}
# Å, Ä and Ö would all slugify to a or o; they get anchors of their own.
LETTER_ANCHORS = {"Å": "aa", "Ä": "ae", "Ö": "oe"}
HEADING = re.compile(r"^h[1-6]$")

# A4 with the margins of print.css: the space a figure may take, in millimetres.
A4_PORTRAIT_CONTENT = (174.0, 210.0)
A4_LANDSCAPE_CONTENT = (261.0, 135.0)
# In the document a figure shares its page with the chain's heading and introduction.
DOCUMENT_FIGURE_BOX = (174.0, 190.0)


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the libraries it needs are missing on this machine."""


# --- What goes into the document -------------------------------------------------------------------


def public_framework(request=None) -> FrameworkIndexPage | None:
    """The live, public framework page, or None when there is none to show (with the request's view
    restrictions when there is a request, read once for everything it shows)."""
    return visible_pages(FrameworkIndexPage, private_q=request_private_q(request)).order_by("path").first()


def content_fingerprint() -> tuple[str, datetime.datetime | None]:
    """A key that changes whenever anything the document shows changes, and the last publication.

    Covers every live, public page of the types the document includes (its id, place in the tree and
    last publication) and every evaluation question's text, kind, level and explanation.
    """
    types = ContentType.objects.get_for_models(FrameworkIndexPage, GuidancePage, EffectChainPage, ConceptPage)
    pages = list(
        Page.objects.live()
        .public()
        .filter(content_type__in=list(types.values()))
        .order_by("path")
        .values_list("id", "path", "url_path", "title", "live_revision_id", "last_published_at")
    )
    questions = list(
        EvaluationQuestion.objects.order_by("pk").values_list("id", "text", "kind", "chain_level", "explanation")
    )
    digest = hashlib.sha256(repr((DOCUMENT_FORMAT, pages, questions)).encode()).hexdigest()[:24]
    last = max((row[-1] for row in pages if row[-1]), default=None)
    return digest, last


@dataclass
class DocumentChapter:
    number: int
    page: GuidancePage
    anchor: str
    html: SafeString

    @property
    def title(self) -> str:
        return self.page.title


@dataclass
class DocumentChain:
    figure: int
    page: EffectChainPage
    anchor: str
    diagram: diagrams.ChainDiagram

    @property
    def title(self) -> str:
        return self.page.title

    @property
    def caption(self) -> str:
        return f"Figur {self.figure}. Effektkedja: {self.title}"

    @property
    def figure_size(self) -> tuple[float, float]:
        """Width and height in millimetres that fit the wide diagram on a portrait A4 page."""
        return fit_size(self.diagram.wide, *DOCUMENT_FIGURE_BOX)


@dataclass
class FrameworkDocument:
    """Everything the document shows, in order, ready for the templates and the Word builder."""

    framework: FrameworkIndexPage
    chapters: list[DocumentChapter]
    chains: list[DocumentChain]
    question_groups: list[dict]
    glossary: list[dict]
    last_published: datetime.datetime | None
    fingerprint: str
    toc: list[dict] = field(default_factory=list)
    appendices: dict[str, str] = field(default_factory=dict)  # "chains" → "Bilaga A" …

    def appendix_heading(self, name: str) -> str:
        return f"{self.appendices[name]}. {APPENDIX_TITLES[name]}"

    @property
    def title(self) -> str:
        return self.framework.seo_title or self.framework.title

    @property
    def date_label(self) -> str:
        if not self.last_published:
            return ""
        return date_format(timezone.localtime(self.last_published), "j F Y")

    @property
    def version_label(self) -> str:
        """The version: the moment of the last publication of anything in the document."""
        if not self.last_published:
            return ""
        return timezone.localtime(self.last_published).strftime("%Y-%m-%d %H.%M")

    @property
    def question_count(self) -> int:
        return sum(group["count"] for group in self.question_groups)

    @property
    def concept_count(self) -> int:
        return sum(len(group["concepts"]) for group in self.glossary)


def fit_size(drawing: diagrams.Drawing, max_width: float, max_height: float) -> tuple[float, float]:
    """The largest (width, height) in millimetres with the drawing's proportions inside the box."""
    if not drawing.width or not drawing.height:
        return max_width, max_height
    scale = min(max_width / drawing.width, max_height / drawing.height)
    return round(drawing.width * scale, 1), round(drawing.height * scale, 1)


def _unique(candidate: str, used: set[str]) -> str:
    anchor, n = candidate or "rubrik", 1
    while anchor in used:
        n += 1
        anchor = f"{candidate}-{n}"
    used.add(anchor)
    return anchor


def chapter_html(chapter: GuidancePage, context: dict, used: set[str]) -> SafeString:
    """A chapter's body rendered for the document: headings moved below the chapter's own h2.

    Ids from the chapter page are dropped (they would repeat across chapters) and every heading
    gets a fresh id, unique in the whole document.
    """
    # The document is not a web page: the markers for in-place term explanations are left out.
    html = strip_markers("".join(str(block.render(context)) for block in chapter.body))
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(id=True):
        del tag["id"]
    headings = soup.find_all(HEADING)
    if headings:
        shift = max(0, 3 - min(int(h.name[1]) for h in headings))
        for heading in headings:
            heading.name = f"h{min(6, int(heading.name[1]) + shift)}"
            heading["id"] = _unique(slugify(heading.get_text(" ", strip=True))[:60], used)
    # Block templates escaped their values; re-serialising the parsed tree keeps that.
    return mark_safe(str(soup))  # noqa: S308


def _glossary() -> list[dict]:
    concepts = list(
        ConceptPage.objects.live()
        .public()
        .only("id", "title", "short_definition", "english_term", "status", "chain_level", "use_instead_id")
    )
    titles = {c.pk: c.title for c in concepts}
    groups: dict[str, list] = {}
    for concept in sorted(concepts, key=lambda c: swedish_sort_key(c.title)):
        # A replacement that is a draft or private is not named: only public content goes out.
        concept.public_use_instead = titles.get(concept.use_instead_id, "")
        concept.deprecated = concept.status == ConceptStatus.DEPRECATED
        concept.level_label = f"{concept.level.value} {concept.level.label}" if concept.level else ""
        groups.setdefault(swedish_initial(concept.title), []).append(concept)
    letters = sorted(groups, key=lambda letter: (letter == "#", swedish_sort_key(letter)))
    return [
        {
            "letter": "Övriga" if letter == "#" else letter,
            "anchor": "begrepp-ovriga" if letter == "#" else f"begrepp-{LETTER_ANCHORS.get(letter, letter.lower())}",
            "concepts": groups[letter],
        }
        for letter in letters
    ]


def build_document(request=None) -> FrameworkDocument | None:
    """The whole framework as one document, from live, public content only; None without a framework."""
    framework = public_framework(request)
    if framework is None:
        return None
    fingerprint, last_published = content_fingerprint()
    used = {"innehall", "effektkedjor", "utvarderingsfragor", "bilaga-begrepp", "dokument-titel"}
    chapters = []
    for number, chapter in enumerate(framework.chapters(), start=1):
        anchor = _unique(f"kapitel-{number}", used)
        html = chapter_html(chapter, {"page": chapter, "request": request}, used)
        chapters.append(DocumentChapter(number, chapter, anchor, html))

    chains = []
    chain_pages = visible_pages(EffectChainPage).order_by("path").prefetch_related("elements", "links")
    for figure, chain in enumerate(chain_pages, start=1):
        diagram = diagrams.chain_diagram(chain, id_prefix=f"figur-{figure}")
        chains.append(DocumentChain(figure, chain, _unique(f"kedja-{slugify(chain.slug)}", used), diagram))

    questions = sorted(EvaluationQuestion.objects.all(), key=lambda q: swedish_sort_key(q.text))
    question_groups = EvaluationQuestion.grouped(questions)
    glossary = _glossary()

    # The chapters are the text; chains, questions and the glossary follow as appendices A, B, C.
    appendices = {}
    for name, present in (("chains", chains), ("questions", question_groups), ("glossary", glossary)):
        if present:
            appendices[name] = f"Bilaga {'ABC'[len(appendices)]}"
    toc = [{"anchor": c.anchor, "number": str(c.number), "title": c.title} for c in chapters]
    for name, anchor in (
        ("chains", "effektkedjor"),
        ("questions", "utvarderingsfragor"),
        ("glossary", "bilaga-begrepp"),
    ):
        if name in appendices:
            toc.append({"anchor": anchor, "number": appendices[name], "title": APPENDIX_TITLES[name]})
    return FrameworkDocument(
        framework=framework,
        chapters=chapters,
        chains=chains,
        question_groups=question_groups,
        glossary=glossary,
        last_published=last_published,
        fingerprint=fingerprint,
        toc=toc,
        appendices=appendices,
    )


def render_body(document: FrameworkDocument, request=None, for_print: bool = False) -> str:
    """The document's content as HTML (title page to appendix), shared by the web page and the PDF."""
    return render_to_string(
        "larande/document/_body.html",
        {
            "document": document,
            "for_print": for_print,
            "levels": ChainLevel.top_down(),
        },
        request=request,
    )


def _cache_key(kind: str, fingerprint: str, request) -> str:
    host = request.get_host() if request is not None else ""
    return f"ramverk-dokument:{kind}:{fingerprint}:{hashlib.sha256(host.encode()).hexdigest()[:12]}"


def cached_body(request=None) -> tuple[FrameworkDocument | None, str, dict]:
    """(document or None, body HTML, facts) for the web page; the body is cached by fingerprint.

    `facts` holds the title, date and version, so a cache hit needs no document built.
    """
    framework = public_framework(request)
    if framework is None:
        return None, "", {}
    fingerprint, last_published = content_fingerprint()
    key = _cache_key("html", fingerprint, request)
    hit = cache.get(key)
    if hit is not None:
        return None, mark_safe(hit["body"]), hit["facts"]  # noqa: S308 - rendered by our own template
    document = build_document(request)
    body = render_body(document, request)
    facts = {"title": document.title, "date": document.date_label, "version": document.version_label}
    cache.set(key, {"body": str(body), "facts": facts}, CACHE_SECONDS)
    return document, mark_safe(body), facts  # noqa: S308


# --- PDF ---------------------------------------------------------------------------------------------


def _weasyprint():
    try:
        import weasyprint  # noqa: PLC0415 - imported lazily: it needs Pango, which may be absent
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(str(exc)) from exc
    return weasyprint


def _local_file(url: str) -> Path | None:
    """The file behind a media or static URL of this site, or None for anything else."""
    path = unquote(urlparse(url).path)
    candidates = []
    if settings.MEDIA_URL and path.startswith(settings.MEDIA_URL):
        root = Path(settings.MEDIA_ROOT).resolve()
        candidates.append((root, root / path[len(settings.MEDIA_URL) :]))
    if settings.STATIC_URL and path.startswith(settings.STATIC_URL):
        relative = path[len(settings.STATIC_URL) :]
        found = finders.find(relative)
        if found:
            return Path(found)
        if settings.STATIC_ROOT:
            root = Path(settings.STATIC_ROOT).resolve()
            candidates.append((root, root / relative))
    for root, candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_file() and resolved.is_relative_to(root):
            return resolved
    return None


def _url_fetcher_class(weasyprint):
    class LocalFetcher(weasyprint.urls.URLFetcher):
        """Reads the site's own media and static files from disk; fetches nothing over the network."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            local = _local_file(url)
            if local is None:
                raise ValueError(f"Hämtar inte externa resurser: {url}")
            mime = mimetypes.guess_type(local.name)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(url, local.read_bytes(), {"Content-Type": mime})

    return LocalFetcher


def html_to_pdf(html: str, base_url: str) -> bytes:
    """Render a complete HTML document to PDF with WeasyPrint, reading images from local files only."""
    weasyprint = _weasyprint()
    fetcher = _url_fetcher_class(weasyprint)()
    try:
        return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(pdf_tags=True)
    except OSError as exc:  # a library (Pango, fontconfig) that fails only when used
        raise PdfUnavailable(str(exc)) from exc


def _base_url(request) -> str:
    return request.build_absolute_uri("/") if request is not None else "http://localhost/"


def document_print_html(document: FrameworkDocument, request=None) -> str:
    """The full HTML that WeasyPrint turns into the PDF."""
    return render_to_string(
        "larande/document/print.html",
        {"document": document, "body": mark_safe(render_body(document, request, for_print=True))},  # noqa: S308
        request=request,
    )


def document_pdf(request=None) -> bytes | None:
    """The document as PDF (cached by fingerprint); None without a framework. Raises PdfUnavailable."""
    if public_framework(request) is None:
        return None
    fingerprint, _ = content_fingerprint()
    key = _cache_key("pdf", fingerprint, request)
    pdf = cache.get(key)
    if pdf is None:
        _weasyprint()  # fail fast, before building anything
        document = build_document(request)
        pdf = html_to_pdf(document_print_html(document, request), _base_url(request))
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def chain_pdf(chain: EffectChainPage, request=None) -> bytes:
    """One chain's diagram as a PDF: the diagram on a landscape or portrait A4, then its text version,
    each link drawn by what published results say about it (`larande.chains.evidence`)."""
    from larande.chains.evidence import evidence_by_link  # noqa: PLC0415

    diagram = diagrams.chain_diagram(chain, id_prefix="diagram", evidence=evidence_by_link([chain.pk]))
    # Keyed by everything the PDF shows, so any change to the chain gives a new PDF.
    content = (
        DOCUMENT_FORMAT,
        chain.pk,
        diagram.standalone_svg(),
        [(e.key, e.level, e.title) for e in diagram.graph.elements + diagram.graph.unplaced],
        [(s.key, t.key, summary.text) for s, t, _, summary in diagram.evidence_links],
        diagram.notices,
    )
    key = f"kedja-pdf:{hashlib.sha256(repr(content).encode()).hexdigest()[:24]}"
    pdf = cache.get(key)
    if pdf is not None:
        return pdf
    _weasyprint()
    landscape = diagram.wide.width >= diagram.wide.height
    box = A4_LANDSCAPE_CONTENT if landscape else A4_PORTRAIT_CONTENT
    html = render_to_string(
        "larande/document/chain_pdf.html",
        {"chain": chain, "diagram": diagram, "landscape": landscape, "figure_size": fit_size(diagram.wide, *box)},
        request=request,
    )
    pdf = html_to_pdf(html, _base_url(request))
    cache.set(key, pdf, CACHE_SECONDS)
    return pdf


# --- Word ----------------------------------------------------------------------------------------------


def document_docx(request=None) -> bytes | None:
    """The document as a Word file (cached by fingerprint); None without a framework."""
    if public_framework(request) is None:
        return None
    fingerprint, _ = content_fingerprint()
    key = _cache_key("docx", fingerprint, request)
    data = cache.get(key)
    if data is None:
        data = DocxBuilder(build_document(request)).build()
        cache.set(key, data, CACHE_SECONDS)
    return data


class DocxBuilder:
    """Writes the document with Word's own styles: Title, Heading 1–4, List Bullet, Caption, Quote.

    Chapters and the appendices (chains, questions, glossary) are Heading 1, so Word's
    navigation pane and table of contents list them. A TOC field is inserted that Word fills in when
    the document is opened (it asks to update fields).
    """

    def __init__(self, document: FrameworkDocument):
        self.source = document

    def build(self) -> bytes:
        from docx import Document  # noqa: PLC0415 - only needed when a Word file is asked for

        self.doc = Document()
        self._setup()
        self._title_page()
        self._toc()
        for chapter in self.source.chapters:
            self.doc.add_heading(chapter.title, level=1)
            if chapter.page.intro:
                self.doc.add_paragraph(chapter.page.intro, style="Intense Quote")
            self._html(chapter.html)
        if self.source.chains:
            self._chains()
        if self.source.question_groups:
            self._questions()
        if self.source.glossary:
            self._glossary()
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def _setup(self):
        from docx.oxml import OxmlElement  # noqa: PLC0415
        from docx.oxml.ns import qn  # noqa: PLC0415

        props = self.doc.core_properties
        props.title = self.source.title
        props.language = "sv-SE"
        props.subject = "Ramverk för strategiskt lärande"
        if self.source.last_published:
            props.modified = self.source.last_published
        # Swedish proofing for the whole document.
        rpr = self.doc.styles["Normal"].element.get_or_add_rPr()
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "sv-SE")
        rpr.append(lang)
        # Ask Word to fill in the table of contents when the file is opened.
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        self.doc.settings.element.append(update)

    def _title_page(self):
        from docx.enum.text import WD_BREAK  # noqa: PLC0415

        self.doc.add_heading(self.source.title, level=0)
        if self.source.framework.intro:
            self.doc.add_paragraph(self.source.framework.intro)
        if self.source.date_label:
            self.doc.add_paragraph(f"Datum: {self.source.date_label}")
            self.doc.add_paragraph(f"Version: {self.source.version_label} (senaste publicering)")
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _toc(self):
        from docx.enum.text import WD_BREAK  # noqa: PLC0415
        from docx.oxml import OxmlElement  # noqa: PLC0415
        from docx.oxml.ns import qn  # noqa: PLC0415

        self.doc.add_paragraph("Innehåll", style="TOC Heading" if "TOC Heading" in self._styles() else "Title")
        paragraph = self.doc.add_paragraph()
        run = paragraph.add_run()
        parts = [("begin", None), (None, 'TOC \\o "1-2" \\h \\z \\u'), ("separate", None)]
        for kind, instruction in parts:
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = instruction
            run._r.append(element)
        placeholder = paragraph.add_run(
            "Innehållsförteckningen fylls i när Word uppdaterar fälten (högerklicka och välj Uppdatera fält)."
        )
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        placeholder._r.addnext(end)
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _styles(self) -> set[str]:
        return {style.name for style in self.doc.styles}

    def _chains(self):
        self.doc.add_heading(self.source.appendix_heading("chains"), level=1)
        for chain in self.source.chains:
            self.doc.add_heading(chain.title, level=2)
            if chain.page.intro:
                self.doc.add_paragraph(chain.page.intro)
            if chain.page.purpose:
                self._labelled("Syfte: ", chain.page.purpose)
            if chain.page.context:
                self._labelled("Kontext (A): ", BeautifulSoup(chain.page.context, "html.parser").get_text(" "))
            png = diagram_png(chain.diagram)
            if png is not None:
                from docx.shared import Mm  # noqa: PLC0415

                width, _ = fit_size(chain.diagram.wide, 160, 200)
                self.doc.add_picture(io.BytesIO(png), width=Mm(width))
            self.doc.add_paragraph(f"Figur {chain.figure}. Effektkedja: {chain.title}", style="Caption")
            for notice in chain.diagram.notices:
                self._labelled("Obs: ", notice)
            self.doc.add_heading("Kedjan som text", level=3)
            for level, elements in chain.diagram.levels:
                horizon = f" ({level.horizon})" if level.horizon else ""
                self._labelled(f"{level.value} {level.label}{horizon}", "")
                if not elements:
                    self.doc.add_paragraph("Inga element på nivån ännu.", style="List Bullet")
                for element in elements:
                    self.doc.add_paragraph(f"{element.key} {element.title}".strip(), style="List Bullet")
            self._labelled("Länkar ”leder till”", "")
            if not chain.diagram.links:
                self.doc.add_paragraph("Inga länkar ännu.", style="List Bullet")
            for source, target, _link in chain.diagram.links:
                self.doc.add_paragraph(
                    f"{source.key} {source.title} leder till {target.key} {target.title}", style="List Bullet"
                )

    def _questions(self):
        self.doc.add_heading(self.source.appendix_heading("questions"), level=1)
        for group in self.source.question_groups:
            self.doc.add_heading(group["label"], level=2)
            self.doc.add_paragraph(group["description"])
            for level_group in group["levels"]:
                level = level_group["level"]
                title = f"{level.value} {level.label}" if level else "Utan nivå i effektkedjan"
                self.doc.add_heading(title, level=3)
                for question in level_group["questions"]:
                    self.doc.add_paragraph(question.text, style="List Bullet")

    def _glossary(self):
        self.doc.add_heading(self.source.appendix_heading("glossary"), level=1)
        for group in self.source.glossary:
            self.doc.add_heading(group["letter"], level=2)
            for concept in group["concepts"]:
                paragraph = self.doc.add_paragraph()
                paragraph.add_run(concept.title).bold = True
                if concept.english_term:
                    paragraph.add_run(f" (engelska: {concept.english_term})").italic = True
                paragraph.add_run(f" – {concept.short_definition}")
                if concept.level_label:
                    paragraph.add_run(f" Nivå i effektkedjan: {concept.level_label}.")
                if concept.deprecated:
                    advice = f" Använd i stället: {concept.public_use_instead}." if concept.public_use_instead else ""
                    paragraph.add_run(f" Avrådd term.{advice}")

    def _labelled(self, label: str, text: str):
        paragraph = self.doc.add_paragraph()
        paragraph.add_run(label).bold = True
        if text:
            paragraph.add_run(" ".join(text.split()))
        return paragraph

    # Rich text and blocks, walked as HTML: block elements become paragraphs in Word's styles.

    def _html(self, html: str):
        soup = BeautifulSoup(str(html), "html.parser")
        self._blocks(soup, style=None)

    def _blocks(self, node, style):
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                if child.strip():
                    self._inline_paragraph([child], style)
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if HEADING.match(name):
                # Chapter bodies start at h3 (see chapter_html): h3 → Heading 2, h4 → Heading 3 …
                self.doc.add_heading(child.get_text(" ", strip=True), level=max(2, min(9, int(name[1]) - 1)))
            elif name == "p":
                self._inline_paragraph(child.contents, style)
            elif name in ("ul", "ol"):
                list_style = "List Number" if name == "ol" else "List Bullet"
                for item in child.find_all("li", recursive=False):
                    self._inline_paragraph(
                        [c for c in item.contents if not (isinstance(c, Tag) and c.name in ("ul", "ol"))], list_style
                    )
                    for nested in item.find_all(["ul", "ol"], recursive=False):
                        self._blocks(BeautifulSoup(str(nested), "html.parser"), style)
            elif name == "blockquote":
                self._blocks(child, "Quote")
            elif name == "figcaption":
                self.doc.add_paragraph(child.get_text(" ", strip=True), style="Caption")
            elif name == "table":
                self._table(child)
            elif name == "img":
                self._image(child)
            elif name in ("br", "hr", "script", "style"):
                continue
            else:
                self._blocks(child, style)

    def _inline_paragraph(self, nodes, style):
        runs = []
        for node in nodes:
            self._collect_runs(node, bold=False, italic=False, out=runs)
        text = "".join(text for text, _, _ in runs)
        if not text.strip():
            return
        paragraph = self.doc.add_paragraph(style=style) if style else self.doc.add_paragraph()
        for text, bold, italic in runs:
            run = paragraph.add_run(text)
            run.bold = bold or None
            run.italic = italic or None

    def _collect_runs(self, node, bold, italic, out):
        if isinstance(node, Comment):
            return
        if isinstance(node, NavigableString):
            text = re.sub(r"\s+", " ", str(node))
            if text:
                out.append((text, bold, italic))
            return
        if not isinstance(node, Tag):
            return
        if node.name == "br":
            out.append(("\n", bold, italic))
            return
        bold = bold or node.name in ("b", "strong")
        italic = italic or node.name in ("i", "em")
        for child in node.children:
            self._collect_runs(child, bold, italic, out)

    def _table(self, table: Tag):
        caption = table.find("caption")
        if caption:
            self.doc.add_paragraph(caption.get_text(" ", strip=True), style="Caption")
        rows = table.find_all("tr")
        if not rows:
            return
        width = max(len(row.find_all(["th", "td"])) for row in rows)
        if not width:
            return
        grid = self.doc.add_table(rows=0, cols=width)
        if "Table Grid" in self._styles():
            grid.style = "Table Grid"
        for row in rows:
            cells = grid.add_row().cells
            for i, cell in enumerate(row.find_all(["th", "td"])):
                cells[i].text = cell.get_text(" ", strip=True)
                if cell.name == "th":
                    for paragraph in cells[i].paragraphs:
                        for run in paragraph.runs:
                            run.bold = True

    def _image(self, img: Tag):
        from docx.shared import Mm  # noqa: PLC0415

        local = _local_file(img.get("src", ""))
        if local is not None:
            try:
                self.doc.add_picture(str(local), width=Mm(150))
                return
            except Exception:  # noqa: BLE001 - an image Word cannot take is replaced by its text
                logger.warning("Bilden %s kunde inte läggas in i Word-filen", local)
        alt = img.get("alt", "").strip()
        if alt:
            self.doc.add_paragraph(f"[Bild: {alt}]")


# --- The diagram as a picture for Word -------------------------------------------------------------------

PNG_SCALE = 2.0
FONT_FILES = {
    False: ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    True: ("DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
}


def _font(size: float, bold: bool = False):
    from PIL import ImageFont  # noqa: PLC0415

    for name in FONT_FILES[bold]:
        try:
            return ImageFont.truetype(name, round(size * PNG_SCALE))
        except OSError:
            continue
    # Without DejaVu, Pillow's own font: narrower, so the wrapped lines still fit their boxes.
    try:
        return ImageFont.load_default(size=round(size * PNG_SCALE))
    except (OSError, TypeError, ImportError):
        return None


def diagram_png(diagram: diagrams.ChainDiagram) -> bytes | None:
    """The wide diagram drawn with Pillow, for Word (which python-docx cannot give SVG); None if no font.

    Uses the same layout as the SVG: bands, boxes, wrapped text and link curves.
    """
    from PIL import Image, ImageDraw  # noqa: PLC0415

    regular, bold = _font(diagrams.TITLE_SIZE), _font(diagrams.LABEL_SIZE, bold=True)
    key_font, context_font = _font(diagrams.KEY_SIZE, bold=True), _font(diagrams.CONTEXT_SIZE)
    if regular is None or bold is None:
        return None
    drawing = diagram.wide
    s = PNG_SCALE
    image = Image.new("RGB", (int(drawing.width * s) + 1, int(drawing.height * s) + 1), PALETTE.bg)
    draw = ImageDraw.Draw(image)
    fx, fy, fw, fh = drawing.frame
    draw.rounded_rectangle(
        [fx * s, fy * s, (fx + fw) * s, (fy + fh) * s], radius=6 * s, outline=PALETTE.line, width=int(1.5 * s)
    )
    line_h = LINE_HEIGHT

    def text_lines(x, y, lines, size, font, fill):
        for i, line in enumerate(lines):
            draw.text((x * s, (y + i * size * line_h) * s), line, font=font, fill=fill)

    text_lines(drawing.label_x, fy + 8, drawing.context_lines, diagrams.CONTEXT_SIZE, context_font, PALETTE.text)
    for index, band in enumerate(drawing.bands):
        draw.rectangle(
            [(fx + 4) * s, band.y * s, (fx + fw - 4) * s, (band.y + band.h) * s], fill=diagrams.BAND_FILLS[index % 2]
        )
        label_h = len(band.label_lines) * diagrams.LABEL_SIZE * line_h
        text_lines(
            drawing.label_x,
            band.y + (band.h - label_h) / 2,
            band.label_lines,
            diagrams.LABEL_SIZE,
            bold,
            PALETTE.brand_dark,
        )
        if band.empty:
            text_lines(
                drawing.label_x + drawing.label_width + 16,
                band.y + band.h / 2 - 8,
                ["Inga element på nivån ännu."],
                diagrams.TITLE_SIZE,
                regular,
                PALETTE.muted,
            )
    for path in drawing.paths:
        points = _path_points(path)
        if len(points) > 1:
            draw.line([(x * s, y * s) for x, y in points], fill=PALETTE.brand, width=int(1.6 * s))
            _arrowhead(draw, points[-2], points[-1], s)
    for box in drawing.boxes:
        draw.rounded_rectangle(
            [box.x * s, box.y * s, (box.x + box.w) * s, (box.y + box.h) * s],
            radius=4 * s,
            fill=PALETTE.bg,
            outline=PALETTE.line,
            width=int(1.2 * s),
        )
        text_lines(
            box.x + diagrams.BOX_PAD_X,
            box.y + diagrams.BOX_PAD_Y,
            [box.key],
            diagrams.KEY_SIZE,
            key_font,
            PALETTE.brand_dark,
        )
        top = box.y + diagrams.BOX_PAD_Y + diagrams.KEY_SIZE * line_h
        text_lines(box.x + diagrams.BOX_PAD_X, top, box.lines, diagrams.TITLE_SIZE, regular, PALETTE.text)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _path_points(d: str) -> list[tuple[float, float]]:
    """Points along an SVG path of M, L and C commands (as the wide layout writes them)."""
    tokens = re.findall(r"[MLC]|-?\d+(?:\.\d+)?", d)
    points: list[tuple[float, float]] = []
    i, command = 0, "M"
    while i < len(tokens):
        if tokens[i] in "MLC":
            command = tokens[i]
            i += 1
            continue
        if command in "ML":
            points.append((float(tokens[i]), float(tokens[i + 1])))
            i += 2
        else:
            (x0, y0) = points[-1]
            x1, y1, x2, y2, x3, y3 = (float(t) for t in tokens[i : i + 6])
            for step in range(1, 13):
                t = step / 12
                a, b, c, e = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
                points.append((a * x0 + b * x1 + c * x2 + e * x3, a * y0 + b * y1 + c * y2 + e * y3))
            i += 6
    return points


def _arrowhead(draw, before, tip, s):
    angle = math.atan2(tip[1] - before[1], tip[0] - before[0])
    size = 9
    left = (tip[0] - size * math.cos(angle - 0.45), tip[1] - size * math.sin(angle - 0.45))
    right = (tip[0] - size * math.cos(angle + 0.45), tip[1] - size * math.sin(angle + 0.45))
    draw.polygon(
        [(tip[0] * s, tip[1] * s), (left[0] * s, left[1] * s), (right[0] * s, right[1] * s)], fill=PALETTE.brand
    )
