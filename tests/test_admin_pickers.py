"""Pickers in the result form (issue 14, point 3): regions, RUS priorities and chains are sorted
checkbox lists, not Ctrl-click multi-selects, and a chain that is not published is marked."""

import pytest
from bs4 import BeautifulSoup

from larande.models import ChainIndexPage, EffectChainPage, EvaluationResultPage, Region, ResultIndexPage, RusPriority
from tests.admin_forms import add_url


@pytest.fixture
def result_parent(home):
    chains = ChainIndexPage(title="Effektkedjor", slug="effektkedjor")
    home.add_child(instance=chains)
    for title, live in [("Örebroprojektet", True), ("Arbetsmarknad", False), ("Kompetenslyftet", True)]:
        chain = EffectChainPage(title=title, slug=title.lower(), purpose="Visa.", live=live)
        chains.add_child(instance=chain)
    for name in ["Västra Götaland", "Skåne", "Örebro län"]:
        Region.objects.create(name=name, slug=name.lower().replace(" ", "-").replace("å", "a").replace("ä", "a"))
    RusPriority.objects.create(title="Kompetensförsörjning", slug="kompetens")
    results = ResultIndexPage(title="Resultat", slug="resultat")
    home.add_child(instance=results)
    return results


def _labels(soup, name):
    inputs = soup.find_all("input", attrs={"name": name})
    assert inputs and all(i["type"] == "checkbox" for i in inputs), name
    return [i.find_parent("label").get_text(" ", strip=True) for i in inputs]


def test_regions_priorities_and_chains_are_sorted_checkboxes_with_drafts_marked(admin_client, result_parent):
    response = admin_client.get(add_url(result_parent, EvaluationResultPage))
    soup = BeautifulSoup(response.content.decode(), "lxml")
    assert not soup.find("select", attrs={"name": "regions"})
    assert _labels(soup, "regions") == ["Skåne", "Västra Götaland", "Örebro län"]
    assert _labels(soup, "priorities") == ["Kompetensförsörjning"]
    assert _labels(soup, "chains") == ["Arbetsmarknad (utkast)", "Kompetenslyftet", "Örebroprojektet"]
