"""The diagram's language, said the way each context allows: the standalone diagram.svg is an SVG
1.1 document, which has `xml:lang` and no `lang` attribute; an inline <svg> in an HTML page keeps
`lang`, which HTML reads."""

import re
import xml.etree.ElementTree as ET

import pytest

from tests.factories import EffectChainPageFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_the_standalone_svg_says_its_language_with_xml_lang_only(home, client):
    EffectChainPageFactory(slug="kedja", full_chain=True)
    response = client.get("/effektkedjor/kedja/diagram.svg")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - the portal's own file
    assert root.tag == f"{SVG}svg" and root.get("version") == "1.1"
    assert root.get(XML_LANG) == "sv"
    assert "lang" not in root.attrib
    assert not [element.tag for element in root.iter() if "lang" in element.attrib]


def test_the_inline_svg_on_the_chain_page_keeps_lang(home, client):
    chain = EffectChainPageFactory(slug="kedja", full_chain=True)
    html = client.get(chain.url).content.decode()
    svgs = re.findall(r"<svg\b[^>]*>", html)
    diagram = [tag for tag in svgs if "chain-diagram__svg" in tag]
    assert diagram, "kedjans sida saknar diagrammet"
    assert all(' lang="sv"' in tag for tag in diagram)
