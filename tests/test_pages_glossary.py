"""Begrepp: the A–Ö glossary and the concept page, as an anonymous visitor sees them."""

import re

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from larande.models import ConceptContrast, ConceptSource, ConceptStatus
from tests.test_pages_support import (
    MANY,
    assert_queries_do_not_grow,
    concept,
    glossary,
    main_text,
    make_private,
    text_of,
)

pytestmark = pytest.mark.django_db

GLOSSARY_QUERY_BUDGET = 11
CONCEPT_QUERY_BUDGET = 6


def _terms_in_order(response):
    return re.findall(r'<dt>\s*<a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_glossary_lists_concepts_with_definition_level_and_deprecated_badge(client, home):
    index = glossary(home)
    utfall = concept(index, "Utfall", "Hur deltagarna har påverkats av deltagandet.", chain_level="D")
    concept(index, "Output", "Ett äldre ord för prestation.", status=ConceptStatus.DEPRECATED, use_instead=utfall)

    response = client.get(index.url)

    assert response.status_code == 200
    text = main_text(response)
    assert "Utfall" in text and "Hur deltagarna har påverkats av deltagandet." in text
    assert "Nivå D Utfall" in text
    assert "Output Avrådd Ett äldre ord för prestation." in text
    assert response.content.decode().count("<h1") == 1


def test_glossary_sorts_and_groups_a_to_o_with_aa_ae_oe_after_z(client, home):
    index = glossary(home)
    for term in ["Öppenhet", "Ändamål", "Åtgärd", "Zon", "effekt", "Utfall", "Aktivitet"]:
        concept(index, term)

    response = client.get(index.url)

    assert _terms_in_order(response) == ["Aktivitet", "effekt", "Utfall", "Zon", "Åtgärd", "Ändamål", "Öppenhet"]
    headings = re.findall(r'<h2 id="bokstav-[^"]+">([^<]+)</h2>', response.content.decode())
    assert headings == ["A", "E", "U", "Z", "Å", "Ä", "Ö"]


def test_letter_bar_links_only_letters_that_have_concepts(client, home):
    index = glossary(home)
    concept(index, "Resurser")
    concept(index, "Ändamål")

    html = client.get(index.url).content.decode()

    assert 'href="#bokstav-r"' in html and 'id="bokstav-r"' in html
    assert 'href="#bokstav-ä"' in html
    assert 'href="#bokstav-b"' not in html
    # B is still shown in the bar, just not as a link.
    assert '<span>B<span class="visually-hidden"> (inga begrepp)</span></span>' in html


def test_level_filter_shows_only_that_level_and_works_without_javascript(client, home):
    index = glossary(home)
    concept(index, "Utfall", chain_level="D")
    concept(index, "Prestation", chain_level="E")
    concept(index, "Kontext", chain_level="A")

    response = client.get(index.url, {"niva": "d"})

    assert response.status_code == 200
    assert _terms_in_order(response) == ["Utfall"]
    html = response.content.decode()
    assert '<label for="niva-filter">' in html and 'name="niva"' in html
    assert '<option value="D" selected>D Utfall (1)</option>' in html
    assert "Ta bort filtret Nivå i effektkedjan: D Utfall" in text_of(response)


@pytest.mark.parametrize("value", ["X", "Ö", "ÅÄÖ" * 50, "<script>", "1"])
def test_unknown_level_gives_empty_list_and_swedish_message_not_an_error(client, home, value):
    index = glossary(home)
    concept(index, "Utfall", chain_level="D")

    response = client.get(index.url, {"niva": value})

    assert response.status_code == 200
    assert _terms_in_order(response) == []
    assert "i effektkedjan. Välj en av nivåerna A–G." in text_of(response)
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_valid_level_without_concepts_says_so(client, home):
    index = glossary(home)
    concept(index, "Utfall", chain_level="D")

    response = client.get(index.url, {"niva": "G"})

    assert response.status_code == 200
    assert "Det finns inga begrepp på nivån G Resurser ännu." in main_text(response)


def test_glossary_shows_empty_state(client, home):
    index = glossary(home)
    assert "Inga begrepp är publicerade ännu." in main_text(client.get(index.url))


def test_glossary_hides_drafts_unpublished_and_private_concepts(client, home):
    index = glossary(home)
    concept(index, "Publicerat")
    concept(index, "Utkast", live=False)
    unpublished = concept(index, "Avpublicerat")
    unpublished.unpublish()
    make_private(concept(index, "Lösenordsskyddat"))
    make_private(concept(index, "Inloggat"), PageViewRestriction.LOGIN)
    live_with_draft = concept(index, "Levande")
    live_with_draft.title = "Nytt namn i utkast"
    live_with_draft.save_revision()

    response = client.get(index.url)

    assert _terms_in_order(response) == ["Levande", "Publicerat"]
    assert "Nytt namn i utkast" not in response.content.decode()


def test_glossary_query_count_is_pinned_and_does_not_grow_with_concepts(client, home, django_assert_max_num_queries):
    index = glossary(home)

    def add(start, stop):
        for i in range(start, stop):
            concept(index, f"Begrepp {i:03}", chain_level="DEFG"[i % 4], tags=["tagg"], revision=False)

    responses = assert_queries_do_not_grow(
        client, {index.url: GLOSSARY_QUERY_BUDGET}, add, django_assert_max_num_queries
    )

    assert len(_terms_in_order(responses[index.url])) == MANY
    with django_assert_max_num_queries(GLOSSARY_QUERY_BUDGET):
        client.get(index.url, {"niva": "D"})


def _full_concept(home):
    index = glossary(home)
    prestation = concept(index, "Prestation", "Hur mycket som har genomförts.", chain_level="E")
    effekt = concept(index, "Effekt", "Förändring som följer av insatsen.")
    resultat = concept(index, "Resultat", "Det som insatsen leder till.")
    utfall = concept(
        index,
        "Utfall",
        "Hur de som deltagit i aktiviteterna har påverkats av deltagandet.",
        chain_level="D",
        english_term="outcome",
        explanation="<h3>Så används ordet</h3><p>Utfallet inträffar direkt.</p>",
        other_labels="direkt resultat, deltagarresultat",
        tags=["Uppföljning"],
    )
    utfall.broader.add(resultat)
    utfall.related.add(effekt)
    utfall.contrasts.add(ConceptContrast(other=prestation, difference="Prestationen räknar, utfallet beskriver."))
    utfall.sources.add(ConceptSource(title="Ramverk för strategiskt lärande", url="https://example.org/ramverk"))
    utfall.save_revision().publish()
    return index, utfall, prestation, effekt, resultat


def test_concept_page_shows_definition_labels_contrast_relations_sources_and_tags(client, home):
    index, utfall, _prestation, _effekt, _resultat = _full_concept(home)
    narrower = concept(index, "Deltagarutfall", "Ett smalare begrepp.")
    narrower.broader.add(utfall)
    narrower.save_revision().publish()

    response = client.get(utfall.url)

    assert response.status_code == 200
    text = main_text(response)
    assert "Engelska: outcome" in text
    assert "Nivå D Utfall (direkt)" in text
    assert '<p class="definition__text">Hur de som deltagit' in response.content.decode()
    assert "Så används ordet" in text
    assert "Kallas också direkt resultat deltagarresultat" in text
    assert (
        "Förväxla inte med Utfall eller Prestation? Utfall Hur de som deltagit i aktiviteterna har påverkats av "
        "deltagandet. Prestation Hur mycket som har genomförts. Skillnaden: Prestationen räknar, utfallet beskriver."
    ) in text
    assert "Överordnade begrepp Resultat – Det som insatsen leder till." in text
    assert "Underordnade begrepp Deltagarutfall" in text
    assert "Relaterade begrepp Effekt" in text
    assert 'href="https://example.org/ramverk">Ramverk för strategiskt lärande</a>' in response.content.decode()
    tag_url = reverse("larande:tag", args=[utfall.tags.get().slug])
    assert f'href="{tag_url}">Uppföljning</a>' in response.content.decode()


def test_related_concept_appears_from_both_sides(client, home):
    _index, utfall, _prestation, effekt, _resultat = _full_concept(home)
    assert "Relaterade begrepp Utfall" in main_text(client.get(effekt.url))


def test_deprecated_concept_points_to_its_replacement(client, home):
    index = glossary(home)
    utfall = concept(index, "Utfall")
    output = concept(index, "Output", status=ConceptStatus.DEPRECATED, use_instead=utfall)

    response = client.get(output.url)

    assert "Begreppet är avrått. Använd i stället Utfall." in main_text(response)
    assert f'<a href="{utfall.url}">Utfall</a>' in response.content.decode()


def test_concept_page_never_links_to_draft_or_private_concepts(client, home):
    index = glossary(home)
    hidden_draft = concept(index, "Utkastbegrepp", live=False)
    hidden_private = concept(index, "Hemligt begrepp")
    make_private(hidden_private)
    replacement = concept(index, "Ersättare")
    replacement.unpublish()
    page = concept(index, "Synligt", status=ConceptStatus.DEPRECATED, use_instead=replacement)
    page.related.add(hidden_draft, hidden_private)
    page.broader.add(hidden_private)
    page.contrasts.add(ConceptContrast(other=hidden_draft, difference="Hemlig skillnad."))
    page.save_revision().publish()
    other = concept(index, "Pekar hit")
    make_private(other)
    other.related.add(page)
    other.save_revision().publish()

    response = client.get(page.url)

    assert response.status_code == 200
    html = response.content.decode()
    for hidden in ["Utkastbegrepp", "Hemligt begrepp", "Ersättare", "Hemlig skillnad", "Pekar hit"]:
        assert hidden not in html
    assert "Begreppet är avrått. Använd inte begreppet i nya texter." in main_text(response)


def test_concept_page_query_count_is_pinned_and_does_not_grow_with_relations(
    client, home, django_assert_max_num_queries
):
    index = glossary(home)
    page = concept(index, "Nav")
    others = [concept(index, f"Granne {i:03}", revision=False) for i in range(MANY)]

    def relate(_, n):
        page.related.set(others[:n])
        page.broader.set(others[:n])
        page.contrasts.set([ConceptContrast(other=o, difference="Skillnad.") for o in others[:n]])
        page.sources.set([ConceptSource(title=f"Källa {i}") for i in range(n)])
        page.save_revision().publish()
        for other in others[:n]:
            if page.pk not in [b.pk for b in other.broader.all()]:
                other.broader.add(page)
                other.save()

    responses = assert_queries_do_not_grow(
        client, {page.url: CONCEPT_QUERY_BUDGET}, relate, django_assert_max_num_queries
    )

    assert main_text(responses[page.url]).count("Skillnaden:") == MANY
