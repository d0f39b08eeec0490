"""Chain links chosen among the chain's own elements (issue 14, point 7), and the chain's diagram
previewed beside the form: Wagtail's preview panel has a mode that shows only the diagram, drawn
from the form as it stands."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from larande.models import ChainIndexPage, EffectChainPage
from tests.admin_forms import (
    PUBLISH,
    add_url,
    all_error_messages,
    edit_url,
    field_errors,
    form_data,
    merged,
)
from tests.test_admin_pages import ELEMENTS, LINKS, _chain_data


def _soup(response):
    # Python's parser keeps the text inside <template> (the empty row new links are made from).
    return BeautifulSoup(response.content.decode(), "html.parser")


def _options(soup, name):
    select = soup.find("select", attrs={"name": name})
    assert select is not None, name
    # (Text inside <template> is a TemplateString, which get_text() leaves out.)
    return [
        (o.get("value"), "".join(map(str, o.contents)).strip(), o.has_attr("selected"))
        for o in select.find_all("option")
    ]


@pytest.fixture
def chains(home):
    index = ChainIndexPage(title="Effektkedjor", slug="effektkedjor")
    home.add_child(instance=index)
    return index


@pytest.fixture
def chain(admin_client, chains):
    # Elements given top-down, as an editor might: the lists sort them from G upwards.
    elements = [{"description": "", **e} for e in reversed(ELEMENTS)]
    response = admin_client.post(add_url(chains, EffectChainPage), merged(_chain_data(elements, LINKS), PUBLISH))
    assert response.status_code == 302, all_error_messages(response)
    return EffectChainPage.objects.get(slug="kompetenslyftet")


SORTED_LABELS = [
    "Välj ett element",
    "G1 (G Resurser): Projektmedel",
    "F1 (F Aktiviteter): Workshoppar",
    "D1 (D Utfall): Deltagarna har fått ny kunskap",
    "C1 (C Kortsiktiga effekter): Deltagarna arbetar på nya sätt",
]


def test_a_links_ends_are_chosen_among_the_chains_elements_sorted_by_level(admin_client, chain):
    soup = _soup(admin_client.get(edit_url(chain)))
    for name in ("links-0-source_key", "links-0-target_key", "links-__prefix__-source_key"):
        assert [label for _value, label, _selected in _options(soup, name)] == SORTED_LABELS, name
    assert [(v, s) for v, _label, s in _options(soup, "links-0-source_key") if s] == [("G1", True)]
    assert [(v, s) for v, _label, s in _options(soup, "links-0-target_key") if s] == [("F1", True)]
    # A code saved in lower case shows its element as chosen.
    assert [v for v, _label, s in _options(soup, "links-2-source_key") if s] == ["D1"]
    select = soup.find("select", attrs={"name": "links-0-target_key"})
    assert select["data-chain-element"] == "target"
    assert select.find("option", value="D1")["data-level"] == "D"
    assert soup.find("label", attrs={"for": "id_links-0-target_key"}).get_text(strip=True).startswith("Leder till")
    # The static script that refills the lists; no inline code.
    assert soup.find("script", src=lambda src: src and "js/admin/chain-link-picker.js" in src)


def test_an_element_added_in_the_same_edit_can_be_linked_and_is_listed_when_the_form_returns(admin_client, chain):
    form = form_data(admin_client.get(edit_url(chain)))
    new_element = {
        "elements-4-key": "B1",
        "elements-4-level": "B",
        "elements-4-title": "Regionen har den kompetens den behöver",
        "elements-4-description": "",
        "elements-4-ORDER": "5",
        "elements-4-id": "",
        "elements-4-DELETE": "",
        "elements-TOTAL_FORMS": "5",
    }
    new_link = {
        "links-3-source_key": "C1",
        "links-3-target_key": "B1",
        "links-3-rationale": "",
        "links-3-evidence": "",
        "links-3-ORDER": "4",
        "links-3-id": "",
        "links-3-DELETE": "",
        "links-TOTAL_FORMS": "4",
    }
    # Returned for another reason (a title left empty), the lists hold the unsaved element too.
    response = admin_client.post(edit_url(chain), merged(form, new_element, new_link, {"title": ""}, PUBLISH))
    assert response.status_code == 200
    soup = _soup(response)
    assert _options(soup, "links-3-target_key")[-1] == (
        "B1",
        "B1 (B Långsiktiga effekter): Regionen har den kompetens den behöver",
        True,
    )
    assert _options(soup, "links-__prefix__-target_key")[-1][0] == "B1"

    response = admin_client.post(edit_url(chain), merged(form, new_element, new_link, PUBLISH))
    assert response.status_code == 302, all_error_messages(response)
    chain = EffectChainPage.objects.get(pk=chain.pk)
    assert ("C1", "B1") in [(link.source_key, link.target_key) for link in chain.links.all()]
    assert len(chain.resolved_links()) == 4


def test_a_deleted_element_is_not_offered_and_a_link_to_it_is_an_error_at_the_link(admin_client, chain):
    form = form_data(admin_client.get(edit_url(chain)))
    response = admin_client.post(edit_url(chain), merged(form, {"elements-0-DELETE": "1"}, PUBLISH))
    assert response.status_code == 200
    soup = _soup(response)
    # C1 was the first element given; links-2 leads to it.
    assert "C1" not in [value for value, _label, _selected in _options(soup, "links-0-source_key")]
    assert _options(soup, "links-2-target_key")[-1] == ("C1", "C1 (finns inte i kedjan)", True)
    assert any("Det finns inget element med koden C1." in e for e in field_errors(response, "links-2-target_key"))


def test_a_link_downwards_chosen_in_the_lists_is_a_swedish_error_at_the_link(admin_client, chain):
    form = form_data(admin_client.get(edit_url(chain)))
    response = admin_client.post(
        edit_url(chain), merged(form, {"links-0-source_key": "C1", "links-0-target_key": "G1"}, PUBLISH)
    )
    assert response.status_code == 200
    assert any("pekar nedåt" in e for e in field_errors(response, "links-0-target_key"))


def test_the_preview_panel_shows_only_the_diagram_drawn_from_the_unsaved_form(admin_client, chain):
    form = form_data(admin_client.get(edit_url(chain)))
    soup = _soup(admin_client.get(edit_url(chain)))
    assert "Bara diagrammet" in str(soup.find(attrs={"data-w-preview-target": "mode"}) or soup)
    changed = merged(form, {"elements-1-title": "Nya arbetssätt på riktigt"})
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[chain.pk])
    assert admin_client.post(preview_url, changed).json()["is_valid"]
    response = admin_client.get(preview_url, {"mode": "diagram"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "Nya arbetssätt på riktigt" in html
    assert "Kedjan nivå för nivå" not in html  # only the diagram, not the whole page
    # The saved chain is unchanged until the editor saves.
    assert "Nya arbetssätt på riktigt" not in str(list(EffectChainPage.objects.get(pk=chain.pk).elements.all()))
