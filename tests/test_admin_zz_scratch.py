import re
from bs4 import BeautifulSoup
from wagtail.test.utils.form_data import nested_form_data, inline_formset, rich_text, querydict_from_html
from larande.models import ChainIndexPage, EffectChainPage


def errs(html):
    soup = BeautifulSoup(html, "html.parser")
    for p in soup.select(".error-message, .help-critical"):
        field = p.find_parent(attrs={"data-field": True})
        inp = field.find(attrs={"name": True}) if field else None
        print("ERR", inp and inp["name"], "|", p.get_text(" ", strip=True))


def test_scratch(admin_client, home):
    g = ChainIndexPage(title="Effektkedjor", slug="effektkedjor")
    home.add_child(instance=g)
    url = f"/admin/pages/add/larande/effectchainpage/{g.id}/"
    r = admin_client.get(url)
    print(r.status_code)
    data = nested_form_data(
        {
            "title": "Kedja",
            "slug": "kedja",
            "purpose": "Visa",
            "intro": "",
            "context": rich_text(""),
            "evidence_basis": rich_text(""),
            "elements": inline_formset(
                [
                    {"key": "G1", "level": "G", "title": "Tid", "description": ""},
                    {"key": "F1", "level": "F", "title": "", "description": ""},
                    {"key": "g1", "level": "D", "title": "Dubbel", "description": ""},
                ]
            ),
            "links": inline_formset(
                [
                    {"source_key": "F1", "target_key": "G1", "rationale": "", "evidence": ""},
                    {"source_key": "G1", "target_key": "X9", "rationale": "", "evidence": ""},
                    {"source_key": "G1", "target_key": "F1", "rationale": "", "evidence": ""},
                    {"source_key": "G1", "target_key": "F1", "rationale": "", "evidence": ""},
                ]
            ),
        }
    )
    r = admin_client.post(url, data)
    print(r.status_code)
    errs(r.content.decode())
    print(EffectChainPage.objects.count())
