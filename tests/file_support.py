"""Builders for the file tests (tests/test_file_*.py): real documents and images written to the
test MEDIA_ROOT (`.test-media/<xdist worker>`), and pages that use them in each publication state. No tests live
here.

A document is a small PDF or text file, an image a small PNG made with Pillow. Pages use files the
ways editors do: a result lists a document (`ResultDocument`) and links it in its findings (rich
text); a general page shows an image in a figure block (StreamField) and links a document in a
paragraph.
"""

import datetime
import gc
import io
import re
import warnings

import PIL.Image
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from home.models import StandardPage
from larande.models import EvaluationResultPage, Lesson, ResultDocument
from tests.factories import home_page
from tests.publishing_support import publish, result_page

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
FIGURE_FILTER = "max-1200x900"  # what templates/larande/blocks/figure.html asks for


def png_bytes(colour=(30, 90, 160), size=(12, 8)) -> bytes:
    buffer = io.BytesIO()
    PIL.Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def make_document(title: str, *, text: bytes | None = None, collection=None):
    """A document with a real file: a PDF, or a text file when `text` is given."""
    extension, content = ("txt", text) if text is not None else ("pdf", PDF_BYTES)
    document = get_document_model()(title=title, **({"collection": collection} if collection else {}))
    document.file.save(f"{slugify(title)}.{extension}", ContentFile(content), save=False)
    document._set_document_file_metadata()  # size and hash, as the admin's upload form sets them
    document.save()
    return document


def make_image(title: str, *, colour=(30, 90, 160), collection=None):
    image = get_image_model()(
        title=title,
        file=ImageFile(io.BytesIO(png_bytes(colour)), name=f"{slugify(title)}.png"),
        **({"collection": collection} if collection else {}),
    )
    image._set_image_file_metadata()
    image.save()
    return image


def make_rendition(image, spec: str = FIGURE_FILTER):
    """The image's rendition, as `{% image %}` makes it.

    Wagtail generates the rendition into a SpooledTemporaryFile that it never closes (it is
    dropped once the file is stored), which the test run's warnings-as-errors would report at some
    later test; it is collected here, with that one warning ignored.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        rendition = image.get_rendition(spec)
        gc.collect()
    return rendition


def delete_files(*objects):
    """Remove the files (and renditions) the tests wrote, so .test-media does not grow."""
    for obj in objects:
        if hasattr(obj, "renditions"):
            for rendition in obj.renditions.all():
                rendition.file.delete(save=False)
        obj.file.delete(save=False)


def document_link(document, text: str) -> str:
    """A document link in Wagtail's stored rich text format."""
    return f'<a linktype="document" id="{document.pk}">{text}</a>'


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


# --- Pages that use files ------------------------------------------------------------------------


def result_with_document(parent, title: str, document, *, mention: str, live=True, **fields):
    """A result listing the document and linking it in its findings, with `mention` in its key
    findings, a lesson and the link text (what feeds, open data and search show)."""
    return result_page(
        parent,
        title,
        key_findings=f"Slutsatser om {mention}.",
        lessons=[f"Lärdom om {mention}."],
        findings=f"<p>Läs {document_link(document, mention)}.</p>",
        documents=[ResultDocument(document=document, title="")],
        live=live,
        **fields,
    )


def figure(image, alt: str) -> dict:
    return {"type": "figure", "value": {"image": image.pk, "alt_text": alt, "caption": ""}}


def page_with_image(title: str, image, *, mention: str, live=True, parent=None) -> StandardPage:
    """A general page showing the image in a figure, with `mention` in its intro and alt text."""
    page = StandardPage(
        title=title,
        slug=slugify(title),
        intro=f"Om {mention}.",
        body=[figure(image, f"Bild: {mention}")],
    )
    page.live = live
    (parent or home_page()).add_child(instance=page)
    if live:
        return publish(page)
    page.save_revision()
    return page


def add_document_in_draft(page, document, *, mention: str):
    """A live result edited in a new revision only: the document listed and linked, the title,
    key findings and a lesson naming it. Nothing of it is published."""
    page = EvaluationResultPage.objects.get(pk=page.pk)
    page.title = f"{page.title} {mention}"
    page.key_findings = f"Nya slutsatser om {mention}."
    page.findings = f"<p>Läs {document_link(document, mention)}.</p>"
    page.documents.add(ResultDocument(document=document, title=mention))
    page.lessons.add(Lesson(statement=f"Ny lärdom om {mention}.", chain_level="D"))
    return page.save_revision()


def add_image_in_draft(page, image, *, mention: str):
    """A live general page edited in a new revision only: a figure with the image, a new title and intro."""
    page = StandardPage.objects.get(pk=page.pk)
    page.title = f"{page.title} {mention}"
    page.intro = f"Om {mention}."
    page.body = [*page.body.raw_data, figure(image, mention)]
    return page.save_revision()


def restrict(page, kind: str):
    """A view restriction on the page: "password" or "login"."""
    if kind == "password":
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="x")
    else:
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    return page


def expire(page, minutes: int = 5):
    """Expired a few minutes ago while still live: the cron job that unpublishes it has not run."""
    Page.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=minutes))
    page.refresh_from_db()
    assert page.live
    return page
