"""Terms explained in place: first occurrence per page, inflected forms, never in headings or links,
switches per page and per concept, nothing unpublished, cached per revision, and valid HTML always."""

from html.parser import HTMLParser

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from larande.glossary import terms
from larande.glossary.terms import TermMatcher, explain_segments
from larande.models import ConceptStatus
from search.glossary import Concept
from tests.factories import ConceptPageFactory, GlossaryIndexPageFactory, GuidancePageFactory
from tests.publishing_support import start_page


def concept(pk, title, *labels, deprecated=False, explain=True):
    return Concept(
        id=pk,
        title=title,
        url=f"/begrepp/{pk}/",
        definition=f"Definitionen av {title} <&> ”citat”.",
        level="",
        deprecated=deprecated,
        use_instead_id=None,
        labels=(title, *labels),
        other_labels=labels,
        explain=explain,
    )


GLOSSARY = [
    concept(1, "Utfall"),
    concept(2, "Prestationer", "prestation"),
    concept(3, "Effekt", "effekter"),
    concept(4, "Kortsiktiga effekter"),
    concept(5, "Resultatkedja", deprecated=True),
    concept(6, "Aktivitet", explain=False),
    concept(7, "A"),
    concept(8, "C++"),
    concept(9, "(a)"),
    concept(10, "*"),
    concept(11, "[x]|.?"),
    concept(12, "Och"),
    concept(13, "Påverkan"),
    concept(14, "Lärande"),
]


@pytest.fixture
def matcher():
    return TermMatcher(GLOSSARY)


def found(matcher, text):
    return [(text[m.start : m.end], m.concept.title) for m in matcher.find(text)]


# --- Matching -------------------------------------------------------------------------------------


def test_terms_and_inflected_forms_are_found(matcher):
    text = "Utfallet följer av prestationerna, och utfall av prestationer."
    assert found(matcher, text) == [
        ("Utfallet", "Utfall"),
        ("prestationerna", "Prestationer"),
        ("utfall", "Utfall"),
        ("prestationer", "Prestationer"),
    ]


def test_verb_forms_are_not_taken_for_the_verbal_noun(matcher):
    # Snowball gives "påverkar" and "påverkan" the same stem; only forms of the noun are the concept.
    text = "Det påverkar och påverkas, men påverkan och påverkans omfång; lära och lärandet."
    assert found(matcher, text) == [
        ("påverkan", "Påverkan"),
        ("påverkans", "Påverkan"),
        ("lärandet", "Lärande"),
    ]


def test_the_longest_match_wins_over_a_term_inside_it(matcher):
    text = "De kortsiktiga effekterna är inte alla effekter."
    assert found(matcher, text) == [("kortsiktiga effekterna", "Kortsiktiga effekter"), ("effekter", "Effekt")]


def test_words_of_a_phrase_must_follow_each_other(matcher):
    # A comma between the words is not the phrase; the second word alone is still a concept.
    assert found(matcher, "kortsiktiga, effekter") == [("effekter", "Effekt")]


def test_unsafe_labels_are_not_matched_and_metacharacters_are_harmless(matcher):
    text = "A och C++ (a) * [x]|.? samt a, c och x."
    assert found(matcher, text) == []


def test_a_label_without_words_or_of_one_letter_gives_no_stems():
    assert terms.label_stems("*") is None
    assert terms.label_stems("C++") is None
    assert terms.label_stems("(a)") is None
    assert terms.label_stems("och") is None
    assert terms.label_stems("2024") is None
    assert terms.label_stems("Utfall") == ("utfall",)


def test_huge_and_odd_texts_do_not_break_matching(matcher):
    text = "utfall " * 20_000 + "x" * 5_000 + " 😀 ‮utfall​"
    matches = list(matcher.find(text))
    assert len(matches) >= 20_000


# --- Marking up ------------------------------------------------------------------------------------

VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "source", "track", "embed", "param"}


class _Balance(HTMLParser):
    """Fails on end tags that do not close the element that is open, and on elements left open."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID:
            self.errors.append(f"<{tag}/> is not a void element")

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def assert_valid_html(html):
    checker = _Balance()
    checker.feed(html)
    checker.close()
    assert not checker.errors and not checker.stack, (checker.errors, checker.stack)


def visible_text(html):
    soup = BeautifulSoup(html, "html.parser")
    for tip in soup.select(".term__tip"):
        tip.decompose()
    return soup.get_text()


def linked(html):
    soup = BeautifulSoup(html, "html.parser")
    return [(a.get_text(), int(a["data-term"])) for a in soup.select("a.term__link")]


AWKWARD = (
    '<h3>Utfall och prestationer</h3><p>Ett <a href="/x">utfall i en länk</a>, <b>nästlat <i>utfallet</i></b>'
    " &amp; &lt;script&gt; prestationerna.</p>"
    "<table><thead><tr><th>Effekt</th></tr></thead>"
    "<tbody><tr><td>Kortsiktiga effekter i en tabell</td></tr></tbody></table>"
    "<ul><li><code>utfall()</code> Resultatkedjan och aktiviteten</li></ul>"
)


def test_first_occurrence_per_page_is_linked_never_in_headings_links_or_code(matcher):
    result = explain_segments([AWKWARD, "<p>Utfall och effekter igen.</p>"], matcher)
    html = "".join(result.segments)
    assert linked(html) == [("utfallet", 1), ("prestationerna", 2), ("Kortsiktiga effekter", 4), ("effekter", 3)]
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.select("h3 .term, a .term, code .term, th .term")
    assert_valid_html(html)
    # Only markup was added: the visible text is unchanged.
    assert visible_text(html) == visible_text(AWKWARD + "<p>Utfall och effekter igen.</p>")


def test_deprecated_and_switched_off_concepts_are_never_linked(matcher):
    html = "".join(explain_segments(["<p>Resultatkedjan och aktiviteten.</p>"], matcher).segments)
    assert linked(html) == []


def test_the_concepts_own_page_does_not_link_it(matcher):
    html = "".join(explain_segments(["<p>Utfallet och prestationerna.</p>"], matcher, exclude_id=1).segments)
    assert linked(html) == [("prestationerna", 2)]


def test_the_definition_is_a_tooltip_described_by_the_link_and_escaped(matcher):
    html = "".join(explain_segments(["<p>Utfallet.</p>"], matcher).segments)
    soup = BeautifulSoup(html, "html.parser")
    link = soup.select_one("a.term__link")
    tip = soup.find(id=link["aria-describedby"])
    assert tip["role"] == "tooltip" and tip.has_attr("hidden")
    assert tip.get_text() == "Utfall: Definitionen av Utfall <&> ”citat”."
    assert "<&>" not in html and "&lt;&amp;&gt;" in html


@pytest.mark.parametrize(
    "fragment",
    [
        "<p>utfall<br>utfall</p>",
        "<p>Trasig <b>utfall</p>",
        "<p>utfall &nbsp; &#128512; ”citat” 'utfall' \"utfall\"</p>",
        "<div><div><div><p><span><em><strong>utfall</strong></em></span></p></div></div></div>",
        "<p>" + "utfall " * 5000 + "</p>",
        "",
        "bara text med utfall",
        "<p data-no-terms>utfall här länkas inte</p>",
    ],
)
def test_odd_markup_stays_valid_and_keeps_its_text(matcher, fragment):
    html = "".join(explain_segments([fragment], matcher).segments)
    if "Trasig" not in fragment:
        assert_valid_html(html)
    assert visible_text(html) == visible_text(fragment)
    assert len(linked(html)) <= 1


# --- Pages -----------------------------------------------------------------------------------------


def build_world():
    """The glossary (as tests/conftest.py's `glossary` makes it) with three published concepts: built
    once for the module (tests/conftest.py: `world`)."""
    start_page()
    index = GlossaryIndexPageFactory()
    return {
        "index": index,
        "utfall": ConceptPageFactory(parent=index, title="Utfall", slug="utfall", publish=True),
        "prestationer": ConceptPageFactory(
            parent=index, title="Prestationer", slug="prestationer", other_labels="prestation", publish=True
        ),
        "effekt": ConceptPageFactory(parent=index, title="Effekt", slug="effekt", publish=True),
    }


@pytest.fixture
def glossary(world):
    """The module's glossary and concepts, fresh for each test."""
    return world


def guidance(**kwargs):
    body = kwargs.pop(
        "body",
        [
            {
                "type": "paragraph",
                "value": "<h3>Utfall</h3><p>Här mäts utfallet och <a href='/x'>prestationer</a>.</p>",
            },  # noqa: E501
            {"type": "callout", "value": {"heading": "Prestationer", "text": "<p>Prestationerna räknas.</p>"}},
            {"type": "paragraph", "value": "<p>Utfall igen, och effekterna.</p>"},
            {
                "type": "table",
                "value": {
                    "caption": "Effekt",
                    "table": {"data": [["Effekt", "Utfall"], ["effekter", "prestationer"]]},
                },
            },
        ],
    )
    return GuidancePageFactory(body=body, publish=True, **kwargs)


def page_links(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response, linked(response.content.decode())


def test_a_page_links_each_term_once_in_page_order(client, glossary):
    page = guidance()
    response, links = page_links(client, page)
    ids = {name: glossary[name].pk for name in ("utfall", "prestationer", "effekt")}
    assert links == [
        ("utfallet", ids["utfall"]),
        ("Prestationerna", ids["prestationer"]),
        ("effekterna", ids["effekt"]),
    ]
    html = response.content.decode()
    assert terms.SEGMENT_START not in html and terms.SEGMENT_END not in html
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.select("h1 .term, h2 .term, h3 .term, nav .term, a .term")
    # Every tooltip has a unique id that its link points to.
    tips = [tip["id"] for tip in soup.select(".term__tip")]
    assert len(tips) == len(set(tips)) == 3
    assert_valid_html(str(soup.select_one("main")))


def test_editors_can_switch_explanations_off_for_a_page(client, glossary):
    page = guidance(explain_terms=False)
    response, links = page_links(client, page)
    assert links == []
    assert terms.SEGMENT_START not in response.content.decode()


def test_editors_can_switch_explanations_off_for_a_concept(client, glossary):
    utfall = glossary["utfall"]
    utfall.explain_in_texts = False
    utfall.save_revision().publish()
    _, links = page_links(client, guidance())
    assert utfall.pk not in [pk for _, pk in links]
    assert glossary["prestationer"].pk in [pk for _, pk in links]


def test_a_concepts_own_page_does_not_link_itself(client, glossary):
    utfall = glossary["utfall"]
    utfall.explanation = "<p>Utfallet följer på prestationerna.</p>"
    utfall.save_revision().publish()
    _, links = page_links(client, utfall)
    assert links == [("prestationerna", glossary["prestationer"].pk)]


def test_unpublished_private_and_draft_concepts_are_never_explained(client, glossary):
    page = guidance()
    glossary["utfall"].unpublish()
    PageViewRestriction.objects.create(
        page=glossary["prestationer"], restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )
    draft = ConceptPageFactory(parent=glossary["index"], title="Effekterna", slug="effekterna", live=False)
    _, links = page_links(client, page)
    assert links == [("effekterna", glossary["effekt"].pk)]
    assert draft.pk not in [pk for _, pk in links]


def test_a_draft_definition_does_not_leak_into_the_tooltip(client, glossary):
    utfall = glossary["utfall"]
    utfall.short_definition = "HEMLIG UTKASTDEFINITION"
    utfall.save_revision()  # saved as a draft, not published
    response, _ = page_links(client, guidance())
    assert "HEMLIG UTKASTDEFINITION" not in response.content.decode()


def test_explanations_are_computed_once_and_follow_the_glossary(client, glossary, monkeypatch):
    page = guidance()
    page_links(client, page)
    calls = []
    real = terms.explain_segments
    monkeypatch.setattr(terms, "explain_segments", lambda *args, **kw: calls.append(1) or real(*args, **kw))
    _, links = page_links(client, page)
    assert calls == [] and len(links) == 3  # served from the cache
    # Publishing a concept changes the glossary's version: the page is explained again.
    ConceptPageFactory(parent=glossary["index"], title="Mäts", slug="mats", publish=True)
    _, links = page_links(client, page)
    assert calls == [1] and "mäts" in [text for text, _ in links]


def test_deprecated_terms_are_not_linked_on_pages(client, glossary):
    ConceptPageFactory(
        parent=glossary["index"],
        title="Resultatkedja",
        slug="resultatkedja",
        status=ConceptStatus.DEPRECATED,
        use_instead=glossary["effekt"],
        publish=True,
    )
    page = guidance(body=[{"type": "paragraph", "value": "<p>Resultatkedjan visar effekter.</p>"}])
    _, links = page_links(client, page)
    assert links == [("effekter", glossary["effekt"].pk)]


def test_the_framework_document_carries_no_term_markup(client, glossary):
    """The document (HTML, Word) is not a web page: no markers, tooltips or comments end up in it."""
    import io

    from docx import Document

    guidance()
    html = client.get("/ramverket/dokument/").content.decode()
    assert "utfallet" in html and terms.SEGMENT_START not in html and "lp-terms" not in html
    response = client.get("/ramverket/dokument/ramverk-for-strategiskt-larande.docx")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "utfallet" in text and "lp-terms" not in text and "Definitionen av" not in text


def test_a_draft_keeps_the_glossary_version_and_publishing_changes_it(glossary):
    version = terms.glossary_version()
    glossary["utfall"].save_revision()  # a draft: what visitors see is unchanged
    assert terms.glossary_version() == version
    glossary["utfall"].save_revision().publish()
    assert terms.glossary_version() != version
