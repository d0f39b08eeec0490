"""Chain diagrams: the SVG and its text version show every element and link, stay readable for large
chains, keep crossings low, and never fail on data the admin form would reject."""

import io
import random
import re
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from pypdf import PdfReader
from wagtail.models import PageViewRestriction

from core import svg as svg_toolkit
from core.levels import ChainLevel
from larande.chains import diagrams
from larande.models import ChainElement, ChainLink, EffectChainPage
from tests.demo_template import demo_content
from tests.factories import EffectChainPageFactory
from tests.pdf_support import require_weasyprint

SVG = "{http://www.w3.org/2000/svg}"


def _render_tag(page, tag="{% chain_diagram page %}"):
    request = RequestFactory().get("/")
    return Template("{% load chain_tags %}" + tag).render(Context({"page": page, "request": request}))


def _parse(xml):
    return ET.fromstring(xml)  # noqa: S314 - the portal's own output, checked to be well-formed XML


def _svgs(html):
    """The inline <svg> elements of a rendered fragment, parsed as XML (so they must be well-formed)."""
    return [_parse(match) for match in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def _boxes(svg):
    """{key: (x, y, w, h, [title lines])} for every element box in a parsed SVG."""
    boxes = {}
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") != "chain-diagram__element":
            continue
        rect = group.find(f"{SVG}rect")
        texts = group.findall(f"{SVG}text")
        key = "".join(texts[0].itertext())
        lines = [tspan.text for tspan in texts[1].findall(f"{SVG}tspan")] if len(texts) > 1 else []
        boxes[key] = (*(float(rect.get(a)) for a in ("x", "y", "width", "height")), lines)
    return boxes


def _link_paths(svg):
    return [p.get("d") for p in svg.iter(f"{SVG}path") if p.get("marker-end")]


def _endpoints(d):
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return (numbers[0], numbers[1]), (numbers[-2], numbers[-1])


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _chain(elements, links, **kwargs):
    chain = EffectChainPageFactory(**kwargs)
    for i, (key, level, title) in enumerate(elements):
        ChainElement.objects.create(chain=chain, key=key, level=level, title=title, sort_order=i)
    for i, (source, target) in enumerate(links):
        ChainLink.objects.create(chain=chain, source_key=source, target_key=target, sort_order=i)
    return chain


@pytest.mark.django_db
def test_every_element_and_link_of_the_demo_chain_is_in_the_svg_and_the_text(db):
    demo_content()
    chain = EffectChainPage.objects.live().get(slug="exempel-innovationsframjande-insatser")
    elements, links = list(chain.elements.all()), list(chain.links.all())
    html = _render_tag(chain)
    wide, narrow = _svgs(html)
    text = _text(html)
    assert wide.get("role") == "img" and narrow.get("role") == "img"
    for svg in (wide, narrow):
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.find(f"{SVG}title").get("id") == title_id
        assert svg.find(f"{SVG}desc").get("id") == desc_id
        assert "Exempel: Innovationsfrämjande insatser" in svg.find(f"{SVG}title").text
        boxes = _boxes(svg)
        assert set(boxes) == {e.key for e in elements}
        for element in elements:
            assert " ".join(boxes[element.key][4]) == element.title
        assert len(_link_paths(svg)) == len(links)
    by_key = {e.key: e for e in elements}
    for element in elements:
        assert f"{element.key} {element.title}" in text
    for link in links:
        source, target = by_key[link.source_key], by_key[link.target_key]
        assert f"{source.key} {source.title} leder till {target.key} {target.title}" in text
    # Every arrow starts on the top edge of an element that has a link out, and ends right under
    # the bottom edge of one that has a link in.
    boxes = _boxes(wide)
    ends = [_endpoints(d) for d in _link_paths(wide)]
    for key in {link.source_key for link in links}:
        x, y, w, h, _ = boxes[key]
        assert any(x < sx < x + w and abs(sy - y) < 0.5 for (sx, sy), _ in ends), key
    for key in {link.target_key for link in links}:
        x, y, w, h, _ = boxes[key]
        assert any(x < tx < x + w and 0 <= ty - (y + h) < 3 for _, (tx, ty) in ends), key
    # The layered layout draws the demo chain without a single crossing.
    graph = diagrams.chain_graph(chain)
    layers, _, _ = diagrams._build_routes(graph, 100, 10)
    assert diagrams.total_crossings(diagrams.reduce_crossings(layers)) == 0


def test_crossing_reduction_untangles_a_crossed_pair():
    upper = [diagrams._Node(rank=2, width=10) for _ in range(2)]
    lower = [diagrams._Node(rank=1, width=10) for _ in range(2)]
    for a, b in ((lower[0], upper[1]), (lower[1], upper[0])):
        a.above.append(b)
        b.below.append(a)
    layers = {1: lower, 2: upper}
    assert diagrams.total_crossings(layers) == 1
    assert diagrams.total_crossings(diagrams.reduce_crossings(layers)) == 0


def _overlap(a, b, pad=0.0):
    ax, ay, aw, ah = a[:4]
    bx, by, bw, bh = b[:4]
    return ax < bx + bw + pad and bx < ax + aw + pad and ay < by + bh + pad and by < ay + ah + pad


@pytest.mark.django_db
def test_a_large_chain_stays_readable(home):
    """30 elements and 60 links: all drawn, no boxes overlapping, all text inside its box, and far
    fewer crossings than the editors' order would give."""
    rng = random.Random(5)
    levels = ChainLevel.chain_levels()
    elements = []
    for level in levels:
        for n in range(1, 6):
            title = rng.choice(["Ökad samverkan mellan företag och lärosäten", "Fler nya företag", "Åtgärd"])
            elements.append((f"{level.value}{n}", level.value, f"{title} {n}"))
    pairs = set()
    while len(pairs) < 60:
        low, high = sorted(rng.sample(range(len(levels)), 2))
        pairs.add((f"{levels[low].value}{rng.randint(1, 5)}", f"{levels[high].value}{rng.randint(1, 5)}"))
    chain = _chain(elements, sorted(pairs))
    diagram = diagrams.chain_diagram(chain)
    assert not diagram.notices
    for svg in (_parse(str(diagram.wide_svg)), _parse(str(diagram.narrow_svg))):
        boxes = _boxes(svg)
        assert len(boxes) == 30
        assert len(_link_paths(svg)) == 60
        items = list(boxes.values())
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                assert not _overlap(a, b, pad=4), (a, b)
        for _x, y, w, h, lines in items:
            assert lines
            for line in lines:
                assert svg_toolkit.text_width(line, diagrams.TITLE_SIZE) <= w - 2 * diagrams.BOX_PAD_X
            bottom = y + diagrams.BOX_PAD_Y + diagrams.KEY_SIZE * diagrams.LINE_HEIGHT
            assert bottom + len(lines) * diagrams.TITLE_SIZE * diagrams.LINE_HEIGHT <= y + h + 0.5
    # Readable at its natural size: text is never scaled below the size it was laid out for.
    assert diagram.wide.width < 2400
    graph = diagrams.chain_graph(chain)
    layers, _, _ = diagrams._build_routes(graph, 100, 10)
    before = diagrams.total_crossings(layers)
    after = diagrams.total_crossings(diagrams.reduce_crossings(layers))
    assert after < before * 0.7


@pytest.mark.django_db
def test_bad_chains_render_with_notices_and_never_fail(home, client):
    require_weasyprint()
    long_title = "Mycket lång titel " * 28  # 500 characters
    chain = _chain(
        [
            ("G1", "G", "Resurser"),
            ("F1", "F", "Aktivitet ett"),
            ("F2", "F", "Aktivitet två"),
            ("D1", "D", "Utfall ett"),
            ("D2", "D", long_title[:500]),
            ("X1", "Q", "Element med okänd nivå"),
            ("D1", "D", "Samma kod igen"),
        ],
        [("G1", "F1"), ("F1", "F2"), ("F2", "F1"), ("D1", "G1"), ("F1", "Z9"), ("F1", "D2"), ("G1", "F1")],
        slug="trasig-kedja",
    )
    html = _render_tag(chain)
    text = _text(html)
    for svg in _svgs(html):
        boxes = _boxes(svg)
        assert len(boxes["D2"][4]) == diagrams.MAX_TITLE_LINES
        assert boxes["D2"][4][-1].endswith("…")
        assert len(_link_paths(svg)) == 2  # G1 → F1 (once) and F1 → D2
    assert "Länken F1 Aktivitet ett → F2 Aktivitet två ritas inte: den går i sidled" in text
    assert "bildar en cirkel" in text
    assert "Länken D1 Utfall ett → G1 Resurser ritas inte: den går nedåt" in text
    assert "det finns inget element med koden Z9" in text
    assert "Elementet X1 Element med okänd nivå har ingen giltig nivå" in text
    assert "Koden D1 används av flera element" in text
    assert "Långa titlar är förkortade i diagrammet" in text
    assert long_title[:500].strip() in text  # the whole title in the text version
    assert "Inga element på nivån ännu." in html  # B, C and E are empty
    assert client.get("/effektkedjor/trasig-kedja/diagram.svg").status_code == 200
    response = client.get("/effektkedjor/trasig-kedja/diagram.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_a_chain_without_elements_shows_only_the_levels(home, client):
    chain = _chain([], [], slug="tom-kedja")
    html = _render_tag(chain)
    assert "Kedjan har inga element ännu, så diagrammet visar bara nivåerna." in _text(html)
    wide, narrow = _svgs(html)
    assert _boxes(wide) == {} and _link_paths(wide) == []
    assert html.count("Inga element på nivån ännu.") == 12  # six levels in each drawing
    assert client.get("/effektkedjor/tom-kedja/diagram.svg").status_code == 200


@pytest.mark.django_db
def test_editor_text_is_escaped_in_the_svg(home, client):
    _chain(
        [("G1", "G", 'Pengar & <script>"x"</script>'), ("F1", "F", "Möten ”för” alla")],
        [("G1", "F1")],
        slug="specialtecken",
        title="Kedja <b>fet</b> & mer",
    )
    response = client.get("/effektkedjor/specialtecken/diagram.svg")
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = _parse(response.content)
    assert svg.find(f"{SVG}title").text == "Effektkedja: Kedja <b>fet</b> & mer"
    assert not list(svg.iter("script")) and not list(svg.iter(f"{SVG}script"))
    assert " ".join(_boxes(svg)["G1"][4]) == 'Pengar & <script>"x"</script>'


@pytest.mark.django_db
def test_downloads_are_only_for_live_public_chains(home, client):
    require_weasyprint()
    EffectChainPageFactory(slug="publicerad", full_chain=True)
    EffectChainPageFactory(slug="utkast", full_chain=True, live=False)
    private = EffectChainPageFactory(slug="privat", full_chain=True)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    svg = client.get("/effektkedjor/publicerad/diagram.svg")
    assert svg.status_code == 200 and b"B1" in svg.content
    assert 'filename="effektkedja-publicerad.svg"' in svg["Content-Disposition"]
    pdf = client.get("/effektkedjor/publicerad/diagram.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    for slug in ("utkast", "privat", "finns-inte"):
        for ext in ("svg", "pdf"):
            response = client.get(f"/effektkedjor/{slug}/diagram.{ext}")
            assert response.status_code == 404, (slug, ext)
            assert "Sidan finns inte" in response.content.decode()
    # The page's own download links only appear where they work.
    assert "diagram.svg" in _render_tag(EffectChainPage.objects.get(slug="publicerad"))
    assert "diagram.svg" not in _render_tag(private)


@pytest.mark.django_db
def test_the_diagram_pdf_holds_the_chain_as_text(home, client):
    require_weasyprint()
    EffectChainPageFactory(slug="pdf-kedja", title="Kedjan för PDF", full_chain=True)
    response = client.get("/effektkedjor/pdf-kedja/diagram.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Effektkedja: Kedjan för PDF" in text
    assert "Långsiktiga effekter i exemplet" in " ".join(text.split())
    assert "G1 Resurser i exemplet leder till F1 Aktiviteter i exemplet" in " ".join(text.split())
