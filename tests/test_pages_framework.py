"""Ramverket and its chapters (Vägledning): chapter list, table of contents, previous/next."""

import re

import pytest
from django.urls import reverse

from larande.framework.models import anchor_headings
from larande.models import GuidancePage
from tests.test_pages_support import (
    MANY,
    assert_queries_do_not_grow,
    chapter,
    framework,
    main_text,
    make_private,
)

pytestmark = pytest.mark.django_db

FRAMEWORK_QUERY_BUDGET = 11
GUIDANCE_QUERY_BUDGET = 14

BODY = [
    ("paragraph", "<p>Inledning.</p><h3>Vad är en effektkedja?</h3><p>Den läses nerifrån.</p><h3>Nivåerna</h3>"),
    ("callout", {"heading": "Tänk på", "text": "<p>Frågorna bestäms gemensamt.</p>"}),
    ("quote", {"quote": "Slutprodukten blir ett skrivet dokument.", "attribution": ""}),
    ("paragraph", "<h3>Nivåerna</h3><p>Samma rubrik en gång till.</p>"),
    (
        "table",
        {
            "caption": "Nivåer och tidshorisont",
            "table": {"data": [["Nivå", "Tid"], ["C", "0–2 år"]], "first_row_is_table_header": True},
        },
    ),
]


def test_framework_index_lists_chapters_in_order_with_number_and_intro(client, home):
    index = framework(home)
    chapter(index, "Uppgiften")
    chapter(index, "Effektkedjor")
    chapter(index, "Utvärderingsfrågor")

    response = client.get(index.url)

    assert response.status_code == 200
    text = main_text(response)
    assert "Kapitel 1: Uppgiften Om uppgiften." in text
    assert text.index("Kapitel 2: Effektkedjor") < text.index("Kapitel 3: Utvärderingsfrågor")


def test_framework_index_empty_state_and_hidden_chapters(client, home):
    index = framework(home)
    draft = GuidancePage(title="Utkastkapitel", live=False)
    index.add_child(instance=draft)
    make_private(chapter(index, "Hemligt kapitel"))

    response = client.get(index.url)

    assert "Inga kapitel är publicerade ännu." in main_text(response)
    assert "Utkastkapitel" not in response.content.decode()
    assert "Hemligt kapitel" not in response.content.decode()


def test_guidance_page_has_number_toc_with_working_anchors_tags_and_neighbours(client, home):
    index = framework(home)
    first = chapter(index, "Uppgiften")
    middle = chapter(index, "Effektkedjor", body=BODY, tags=["Effektkedja"])
    last = chapter(index, "Utvärderingsfrågor")

    response = client.get(middle.url)

    assert response.status_code == 200
    html = response.content.decode()
    text = main_text(response)
    assert "Kapitel 2 av 3 Effektkedjor" in text
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    entries = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc)
    assert entries == [
        ("vad-ar-en-effektkedja", "Vad är en effektkedja?"),
        ("nivaerna", "Nivåerna"),
        ("avsnitt-2", "Tänk på"),
        ("nivaerna-2", "Nivåerna"),
        ("avsnitt-5", "Nivåer och tidshorisont"),
    ]
    # Every link in the table of contents leads to exactly one element on the page.
    for anchor, _title in entries:
        assert len(re.findall(rf'id="{anchor}"', html)) == 1, anchor
    assert '<h3 id="vad-ar-en-effektkedja">Vad är en effektkedja?</h3>' in html
    assert '<div class="guidance-block guidance-block--callout" id="avsnitt-2">' in html
    assert "Slutprodukten blir ett skrivet dokument." in text
    assert f'href="{reverse("larande:tag", args=["effektkedja"])}">Effektkedja</a>' in html
    assert f'href="{first.url}" rel="prev"' in html and f'href="{last.url}" rel="next"' in html
    assert "Föregående kapitel Uppgiften" in text and "Nästa kapitel › Utvärderingsfrågor" in text
    assert f'<a href="{middle.url}" aria-current="page">Effektkedjor</a>' in html


def test_first_and_last_chapters_have_one_neighbour_each(client, home):
    index = framework(home)
    first = chapter(index, "Ett")
    last = chapter(index, "Två")
    assert 'rel="prev"' not in client.get(first.url).content.decode()
    assert 'rel="next"' not in client.get(last.url).content.decode()


def test_chapter_navigation_skips_draft_and_private_chapters(client, home):
    index = framework(home)
    first = chapter(index, "Ett")
    hidden = chapter(index, "Hemligt")
    make_private(hidden)
    unpublished = chapter(index, "Avpublicerat")
    unpublished.unpublish()
    last = chapter(index, "Tre")

    html = client.get(first.url).content.decode()

    assert f'href="{last.url}" rel="next"' in html
    assert "Hemligt" not in html and "Avpublicerat" not in html
    assert "Kapitel 1 av 2" in main_text(client.get(first.url))


def test_anchor_headings_uses_a_parser_and_keeps_ids_unique():
    html = '<h3 class="x">A &amp; <b>B</b></h3><p>text</p><h3 id="egen">Egen</h3><h3>huvudinnehall</h3><h3> </h3>'
    used = {"a-b"}

    out, entries = anchor_headings(html, used)

    assert entries == [
        {"anchor": "a-b-2", "title": "A & B"},
        {"anchor": "egen", "title": "Egen"},
        {"anchor": "huvudinnehall-2", "title": "huvudinnehall"},
    ]
    assert '<h3 class="x" id="a-b-2">A &amp; <b>B</b></h3>' in out
    assert "<h3> </h3>" in out


def test_table_of_contents_matches_rendered_ids(home):
    index = framework(home)
    page = chapter(index, "Kapitel", body=BODY)
    assert [e["anchor"] for e in page.table_of_contents()] == [
        "vad-ar-en-effektkedja",
        "nivaerna",
        "avsnitt-2",
        "nivaerna-2",
        "avsnitt-5",
    ]


def test_framework_and_guidance_query_counts_do_not_grow_with_chapters(client, home, django_assert_max_num_queries):
    index = framework(home)

    def add(start, stop):
        for i in range(start, stop):
            chapter(index, f"Kapitel {i + 1:03}", body=BODY, tags=["tagg"], revision=False)

    def budgets():
        middle = GuidancePage.objects.get(title="Kapitel 002")
        return {index.url: FRAMEWORK_QUERY_BUDGET, middle.url: GUIDANCE_QUERY_BUDGET}

    responses = assert_queries_do_not_grow(client, budgets, add, django_assert_max_num_queries)

    assert main_text(responses[index.url]).count("Kapitel ") >= MANY
