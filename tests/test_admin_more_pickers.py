"""More pickers (issue 14, point 3): a concept's broader and related concepts and an evaluation
question's chains as sorted checkbox lists with drafts marked, and "Förväxla inte med" chosen with
the page chooser, limited to concepts."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from larande.models import (
    ChainIndexPage,
    ConceptPage,
    EffectChainPage,
    EvaluationQuestion,
    GlossaryIndexPage,
)
from tests.admin_forms import add_url


def _soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _labels(soup, name):
    inputs = soup.find_all("input", attrs={"name": name})
    assert inputs and all(i["type"] == "checkbox" for i in inputs), name
    return [i.find_parent("label").get_text(" ", strip=True) for i in inputs]


@pytest.fixture
def chains(home):
    index = ChainIndexPage(title="Effektkedjor", slug="kedjor-i-test")
    home.add_child(instance=index)
    for title, live in [("Örebroprojektet", True), ("Arbetsmarknad", False), ("Kompetenslyftet", True)]:
        index.add_child(instance=EffectChainPage(title=title, slug=title.lower(), purpose="Visa.", live=live))
    return index


@pytest.fixture
def concepts(home):
    index = GlossaryIndexPage(title="Begrepp", slug="begrepp-i-test")
    home.add_child(instance=index)
    for title, live in [("Utfall", True), ("Aktivitet", False), ("Effekt", True)]:
        index.add_child(
            instance=ConceptPage(title=title, slug=title.lower(), short_definition="Kort.", chain_level="D", live=live)
        )
    return index


def test_broader_and_related_concepts_are_sorted_checkboxes_with_drafts_marked(admin_client, concepts):
    response = admin_client.get(add_url(concepts, ConceptPage))
    soup = _soup(response)
    for name in ("broader", "related"):
        assert not soup.find("select", attrs={"name": name})
        assert _labels(soup, name) == ["Aktivitet (utkast)", "Effekt", "Utfall"]


def test_a_contrasted_concept_is_chosen_with_the_page_chooser_for_concepts(admin_client, concepts):
    soup = _soup(admin_client.get(add_url(concepts, ConceptPage)))
    chooser = soup.find(attrs={"name": "contrasts-__prefix__-other"})
    assert chooser is not None and chooser.name == "input" and chooser["type"] == "hidden"
    assert "larande.conceptpage" in str(soup).lower()


def test_a_questions_chains_are_sorted_checkboxes_with_drafts_marked(admin_client, chains):
    url = reverse(f"larande_{EvaluationQuestion._meta.model_name}_modeladmin_create")
    soup = _soup(admin_client.get(url))
    assert not soup.find("select", attrs={"name": "chains"})
    assert _labels(soup, "chains") == ["Arbetsmarknad (utkast)", "Kompetenslyftet", "Örebroprojektet"]
