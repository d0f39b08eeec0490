"""Addresses inside the page tree's URL space; portal/urls.py includes them before Wagtail's catch-all.

A guidance chapter with the slug "dokument" or a chain with the slug "tackning" would be hidden by
these routes; the words are reserved for them.
"""

from django.urls import path

from larande.publishing import document_views

app_name = "exports"
urlpatterns = [
    path("ramverket/dokument/", document_views.framework_document, name="framework_document"),
    path(
        "ramverket/dokument/ramverk-for-strategiskt-larande.pdf",
        document_views.framework_document_pdf,
        name="framework_document_pdf",
    ),
    path(
        "ramverket/dokument/ramverk-for-strategiskt-larande.docx",
        document_views.framework_document_docx,
        name="framework_document_docx",
    ),
    path("effektkedjor/tackning/", document_views.coverage_overview, name="coverage_overview"),
    path("effektkedjor/<str:slug>/diagram.svg", document_views.chain_diagram_svg, name="chain_diagram_svg"),
    path("effektkedjor/<str:slug>/diagram.pdf", document_views.chain_diagram_pdf, name="chain_diagram_pdf"),
]
