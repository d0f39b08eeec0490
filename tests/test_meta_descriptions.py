"""Every page type has one <meta name="description">: the editor's search description, else the
page's own text (a concept's definition, a result's key findings, an intro), else a sentence for
the listing; plain text, escaped, at most 160 characters cut at a word boundary."""

import html

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from core.descriptions import DESCRIPTION_LENGTH, SITE_DESCRIPTION, trim

pytestmark = pytest.mark.django_db


def _pages():
    """Every kind of page the portal serves, by label: its address, the text its description is
    (None for a sentence of its own) and, optionally, what the description must mention."""
    from wagtail.models import Page

    from home.models import HomePage, StandardPage
    from larande.models import (
        ChainIndexPage,
        ConceptPage,
        EffectChainPage,
        EvaluationQuestion,
        EvaluationResultPage,
        FrameworkIndexPage,
        GlossaryIndexPage,
        GuidancePage,
        LessonIndexPage,
        ResultIndexPage,
    )

    concept = ConceptPage.objects.live().get(slug="utfall")
    result = EvaluationResultPage.objects.live().order_by("path").first()
    guidance = GuidancePage.objects.live().order_by("path").first()
    chain = EffectChainPage.objects.live().first()
    standard = StandardPage.objects.live().first()
    glossary = GlossaryIndexPage.objects.get()
    question = EvaluationQuestion.objects.exclude(chain_level="").first()
    tag = concept.tags.first()

    def own(page):
        return page.search_description or page.specific.intro or page.specific.default_description

    return {
        "startsida": ("/", None),
        "begrepp": (concept.url, concept.short_definition),
        "begreppslista": (glossary.url, own(glossary)),
        "begrepp för utskrift": (glossary.url + "skriv-ut/", None),
        "begreppsförslag": (glossary.url + "foresla/", None),
        "vägledning": (guidance.url, guidance.intro),
        "ramverket": (FrameworkIndexPage.objects.get().url, own(FrameworkIndexPage.objects.get())),
        "ramverket som dokument": ("/ramverket/dokument/", None),
        "effektkedja": (chain.url, chain.intro or chain.purpose),
        "effektkedjor": (ChainIndexPage.objects.get().url, own(ChainIndexPage.objects.get())),
        "täckning": ("/effektkedjor/tackning/", None),
        "resultat": (result.url, result.key_findings),
        "resultatlista": (ResultIndexPage.objects.get().url, own(ResultIndexPage.objects.get())),
        "lärdomar": (LessonIndexPage.objects.get().url, own(LessonIndexPage.objects.get())),
        "utvärderingsfrågor": (reverse("larande:question_list"), None),
        "utvärderingsfråga": (reverse("larande:question_detail", args=[question.pk]), None, question.text),
        "tagg": (reverse("larande:tag", args=[tag.slug]), None, f"”{tag.name}”"),
        "allmän sida": (standard.url, standard.intro),
        "sök": ("/sok/?q=utfall", None),
        "öppna data": ("/oppna-data/", None),
        "start (hem)": (Page.objects.type(HomePage).first().url, None),
    }


def _descriptions(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    soup = BeautifulSoup(response.content, "html.parser")
    return [meta["content"] for meta in soup.select('head meta[name="description"]')], response.content.decode()


def test_every_page_type_has_one_short_description_of_its_own(client, demo_content):
    seen = {}
    for label, (url, source, *mention) in _pages().items():
        descriptions, _ = _descriptions(client, url)
        assert len(descriptions) == 1, (label, descriptions)
        text = descriptions[0]
        assert 50 <= len(text) <= DESCRIPTION_LENGTH, (label, len(text), text)
        assert text == " ".join(text.split()) and "<" not in text, (label, text)
        if source is not None:
            assert text == trim(source), (label, text, source)
            if text.endswith("…"):
                kept = text.removesuffix("…")
                # Cut between words, never inside one.
                assert source.startswith(kept) and source[len(kept)] in " ,.;:–", (label, text)
        if mention:
            assert mention[0] in text, (label, text)
        seen.setdefault(text, []).append(label)
    # Each page says something of its own; only the two addresses of the start page share one.
    assert {tuple(labels) for labels in seen.values() if len(labels) > 1} <= {("startsida", "start (hem)")}
    assert SITE_DESCRIPTION not in seen, seen.get(SITE_DESCRIPTION)


def test_the_editors_search_description_wins_and_is_escaped(client, demo_content):
    from larande.models import ConceptPage

    concept = ConceptPage.objects.live().get(slug="utfall")
    concept.search_description = 'Utfall "direkt" <b>efter</b> & före effekterna.'
    concept.save_revision().publish()
    descriptions, page = _descriptions(client, concept.url)
    assert descriptions == ['Utfall "direkt" <b>efter</b> & före effekterna.']
    assert 'content="Utfall &quot;direkt&quot; &lt;b&gt;efter&lt;/b&gt; &amp; före effekterna."' in page


def test_a_long_definition_is_cut_at_a_word_boundary(client, demo_content):
    from larande.models import ConceptPage

    concept = ConceptPage.objects.live().get(slug="utfall")
    concept.short_definition = ("Utfall är det deltagarna får ut av en aktivitet & direkt efter den. " * 4).strip()
    concept.save_revision().publish()
    (description,), page = _descriptions(client, concept.url)
    assert len(description) <= DESCRIPTION_LENGTH and description.endswith("…")
    assert concept.short_definition.startswith(description.removesuffix("…"))
    assert "&amp;" in page.split('name="description"')[1].split(">")[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kort text.", "Kort text."),
        ("  Rader\n och   blanksteg  ", "Rader och blanksteg"),
        ("ord " * 60, ("ord " * 40).strip() + "…"),
        ("a" * 200, "a" * 159 + "…"),
        ("Ett, två; tre – fyra " * 10, None),
    ],
)
def test_trim(text, expected):
    result = trim(text)
    assert len(result) <= DESCRIPTION_LENGTH
    if expected is not None:
        assert result == expected
    assert not result.removesuffix("…").endswith((" ", ",", ";", "–"))


def test_the_escaping_is_htmls(client, demo_content):
    # The description is an attribute value: what a browser reads back is the text itself.
    descriptions, page = _descriptions(client, "/")
    raw = page.split('<meta name="description" content="')[1].split('"')[0]
    assert html.unescape(raw) == descriptions[0]
