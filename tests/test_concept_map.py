"""The concept map: a deterministic layout without overlaps, an accessible SVG with its list
equivalent on the concept page, nothing a visitor may not see, and no 500 on odd titles."""

import itertools
import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from wagtail.models import PageViewRestriction

from core import svg as svg_toolkit
from core.svg import PALETTE
from larande.glossary import concept_map as cm
from larande.glossary.concept_map import build_concept_map
from tests.browser import axe_violations, browser_test, chromium_browser, new_page
from tests.factories import ConceptContrastFactory, ConceptPageFactory, GlossaryIndexPageFactory, home_page

SVG = "{http://www.w3.org/2000/svg}"


# --- Helpers ------------------------------------------------------------------------------------------


def _concept(pk, title):
    return SimpleNamespace(pk=pk, title=title, short_definition=f"Definition av {title}.")


def _relations(broader=(), narrower=(), related=(), contrasts=(), start=100):
    """A `public_relations()`-shaped dict of stand-in concepts with the given titles."""
    pks = itertools.count(start)
    return {
        "broader_concepts": [_concept(next(pks), t) for t in broader],
        "narrower_concepts": [_concept(next(pks), t) for t in narrower],
        "related_concepts": [_concept(next(pks), t) for t in related],
        "contrasts": [SimpleNamespace(other_concept=_concept(next(pks), t), difference="Skillnad.") for t in contrasts],
    }


def _titles(prefix, n):
    return [f"{prefix} {i:02}" for i in range(n)]


def _map(centre="Utfall", **kinds):
    return build_concept_map(_concept(1, centre), _relations(**kinds))


def _parse(xml):
    return ET.fromstring(xml)  # noqa: S314 - the portal's own output, checked to be well-formed XML


def _boxes(cmap):
    return [cmap.centre, *cmap.nodes]


def _overlap(a, b, gap=0.0):
    return not (a.x + a.w + gap <= b.x or b.x + b.w + gap <= a.x or a.y + a.h + gap <= b.y or b.y + b.h + gap <= a.y)


def _polyline(d):
    """The points of a path made of M, L, H and V commands (all the map uses for its connectors)."""
    points, x, y = [], 0.0, 0.0
    for command, args in re.findall(r"([MLHV])\s*([-\d.,\s]+)", d):
        numbers = [float(n) for n in re.split(r"[\s,]+", args.strip()) if n]
        if command in "ML":
            x, y = numbers
        elif command == "H":
            x = numbers[0]
        else:
            y = numbers[0]
        points.append((x, y))
    return points


def _inside(box, x, y, inset=1.0):
    return box.x + inset < x < box.x + box.w - inset and box.y + inset < y < box.y + box.h - inset


def _sample(points, step=2.0):
    for (xa, ya), (xb, yb) in itertools.pairwise(points):
        n = max(1, int(max(abs(xb - xa), abs(yb - ya)) / step))
        for i in range(n + 1):
            yield xa + (xb - xa) * i / n, ya + (yb - ya) * i / n


def _node_groups(svg):
    return [g for g in svg.iter(f"{SVG}g") if (g.get("class") or "").startswith("concept-map__node ")]


def _section(html):
    start = html.index('<section class="concept-map"')
    return html[start : html.index("</section>", start)]


def _svg_of(html):
    return _parse(re.search(r"<svg\b.*?</svg>", _section(html), flags=re.S).group(0))


def _accessible_name(svg):
    by_id = {element.get("id"): element for element in svg.iter() if element.get("id")}
    return " ".join("".join(by_id[i].itertext()) for i in svg.get("aria-labelledby").split())


def _svg_text(svg):
    """The words drawn (not <title>/<desc>), one space between lines."""
    return " ".join(" ".join(part.strip() for part in text.itertext()) for text in svg.iter(f"{SVG}text"))


# --- Layout -------------------------------------------------------------------------------------------

COUNTS = [0, 1, 2, 3, 4, 7, 13]


@pytest.mark.parametrize(
    "b,n,r,c",
    [combo for combo in itertools.product(COUNTS, repeat=4) if sum(combo)][::7] + [(50, 50, 50, 50), (0, 0, 50, 0)],
)
def test_boxes_connectors_and_markers_never_overlap(b, n, r, c):
    cmap = _map(
        broader=_titles("Överordnat", b),
        narrower=_titles("Underordnat", n),
        related=_titles("Relaterat", r),
        contrasts=_titles("Förväxlas", c),
    )
    boxes = _boxes(cmap)

    assert len(cmap.nodes) == min(cm.MAX_NEIGHBOURS, min(b, 3) + min(n, 3) + min(r + c, 12))
    assert len({(round(box.x), round(box.y)) for box in boxes}) == len(boxes)
    for a, other in itertools.combinations(boxes, 2):
        assert not _overlap(a, other, gap=8), (a.full_title, other.full_title)
    for box in boxes:
        assert cm.MARGIN < box.x < box.x + box.w < cmap.width - cm.MARGIN
        assert cm.MARGIN < box.y < box.y + box.h < cmap.height - cm.MARGIN

    assert len(cmap.edges) == len(cmap.nodes)
    for edge in cmap.edges:
        others = [box for box in boxes if box is not edge.node and box is not cmap.centre]
        for x, y in _sample(_polyline(edge.d)):
            assert not any(_inside(box, x, y) for box in others), (edge.kind.key, edge.node.full_title)
    markers = [edge.marker for edge in cmap.edges if edge.marker]
    assert len(markers) == sum(1 for node in cmap.nodes if node.kind is cm.CONTRAST)
    for mx, my in markers:
        ring = SimpleNamespace(x=mx - cm.MARKER_R, y=my - cm.MARKER_R, w=2 * cm.MARKER_R, h=2 * cm.MARKER_R)
        assert not any(_overlap(ring, box) for box in boxes)
    for (ax, ay), (bx, by) in itertools.combinations(markers, 2):
        assert (ax - bx) ** 2 + (ay - by) ** 2 >= (2 * cm.MARKER_R) ** 2

    # The legend and notes start below every box.
    assert cmap.legend_y > max(box.y + box.h for box in boxes)


def test_positions_follow_the_kind_of_relation():
    cmap = _map(broader=["Resultat"], narrower=["Deltagarutfall"], related=["Effekt", "Mål"], contrasts=["Prestation"])
    centre = cmap.centre
    place = {node.full_title: node for node in cmap.nodes}

    assert place["Resultat"].y + place["Resultat"].h < centre.y
    assert place["Deltagarutfall"].y > centre.y + centre.h
    assert place["Effekt"].x + place["Effekt"].w < centre.x < centre.x + centre.w < place["Mål"].x
    # "Förväxla inte med" is set apart: in a lower corner, below the related concept on its side.
    prestation = place["Prestation"]
    assert prestation.side in ("left", "right")
    same_side = [n for n in cmap.nodes if n.kind is cm.RELATED and n.side == prestation.side]
    assert all(prestation.y >= n.y + n.h + cm.GROUP_GAP - 0.01 for n in same_side)
    assert prestation.cy > centre.cy


def test_layout_is_deterministic_and_does_not_depend_on_the_order_given():
    titles = ["Öppenhet", "Åtgärd", "aktivitet", "Zon", "Ändamål", "Effekt"]
    first = _map(related=titles, contrasts=["Prestation", "Insats"])
    second = build_concept_map(
        _concept(1, "Utfall"), _relations(related=list(reversed(titles)), contrasts=["Insats", "Prestation"])
    )

    assert first.svg == second.svg
    assert first.svg == _map(related=titles, contrasts=["Prestation", "Insats"]).svg


def test_neighbours_are_in_swedish_order_and_the_first_ones_are_shown():
    titles = ["Öppenhet", "Åtgärd", "Zon", "Ändamål", "aktivitet", "Effekt", "Vård", "Ort", "Bas", "Cykel"]
    cmap = _map(related=titles + _titles("Övrigt", 10))
    expected = ["aktivitet", "Bas", "Cykel", "Effekt", "Ort", "Vård", "Zon", "Åtgärd", "Ändamål", "Öppenhet"]

    drawn = [n for n in cmap.nodes if n.side == "left"] + [n for n in cmap.nodes if n.side == "right"]
    assert [n.full_title for n in drawn][:10] == expected
    assert len(drawn) == cm.MAX_NEIGHBOURS
    # Reading order: down the left column, then down the right one.
    left = [n for n in cmap.nodes if n.side == "left"]
    assert [n.y for n in left] == sorted(n.y for n in left)
    assert [e.concept.title for e in cmap.groups[0].entries][:10] == expected


def test_more_neighbours_than_fit_are_counted_as_och_n_till():
    cmap = _map(related=_titles("Relaterat", 50), broader=_titles("Överordnat", 5))

    assert cmap.shown_count == 12 and cmap.total == 55 and cmap.hidden == 43
    svg = _parse(cmap.svg)
    drawn = _svg_text(svg)
    assert "och 43 till" in drawn
    assert "2 överordnade, 41 relaterade" in drawn
    assert "Kartan visar 12 av 55 begrepp" in "".join(svg.find(f"{SVG}desc").itertext())
    related = next(g for g in cmap.groups if g.kind is cm.RELATED)
    assert len(related.entries) == 50 and len(related.shown) == 9


def test_places_are_shared_fairly_between_kinds():
    cmap = _map(
        broader=_titles("B", 50), narrower=_titles("N", 50), related=_titles("R", 50), contrasts=_titles("C", 50)
    )
    shown = {group.kind.key: len(group.shown) for group in cmap.groups}
    assert shown == {"broader": 3, "narrower": 3, "related": 3, "contrast": 3}

    few = _map(broader=_titles("B", 1), related=_titles("R", 50))
    assert {group.kind.key: len(group.shown) for group in few.groups} == {"broader": 1, "related": 11}


def test_nothing_fits_is_no_map():
    assert _map() is None
    # A concept is never its own neighbour.
    me = _concept(1, "Utfall")
    assert build_concept_map(me, {"related_concepts": [me], "broader_concepts": [me], "contrasts": []}) is None


def test_long_labels_are_cut_with_an_ellipsis_and_fit_their_box():
    long_title = "Kompetensförsörjningsinsatsutvärderingsmetodik " + "mycket långt namn " * 15
    assert len(long_title) >= 300
    cmap = _map(centre="Kortsiktiga effekter " * 10, related=[long_title, "Kort"])
    node = next(n for n in cmap.nodes if n.full_title.startswith("Kompetens"))
    short = next(n for n in cmap.nodes if n.full_title == "Kort")

    assert node.truncated and len(node.lines) == cm.NODE_LINES and node.lines[-1].endswith("…")
    assert short.lines == ["Kort"] and not short.truncated
    assert cmap.centre.truncated and len(cmap.centre.lines) == cm.CENTRE_LINES
    for box, size, bold in [(node, cm.LABEL_SIZE, False), (cmap.centre, cm.CENTRE_SIZE, True)]:
        for line in box.lines:
            assert svg_toolkit.text_width(line, size, bold) <= box.w - 2 * cm.NODE_PAD_X
    # The whole title is in the tooltip (and in the list); the drawn label is the cut one.
    svg = _parse(cmap.svg)
    assert long_title.strip() in [t.text for t in svg.iter(f"{SVG}title")]
    assert "Kort" not in [t.text for t in svg.iter(f"{SVG}title")]


def test_fit_label_counts_emoji_as_wide_and_drops_characters_xml_forbids():
    lines, truncated = svg_toolkit.wrap_text("🎓" * 40, 100, 14, 2)
    assert truncated and all(svg_toolkit.text_width(line, 14) <= 100 for line in lines)
    assert svg_toolkit.text_width("🎓", 14) > svg_toolkit.text_width("M", 14)
    assert svg_toolkit.clean_text("Ett\x00 \x0bbegrepp\x1f\ufffe") == "Ett begrepp"
    cmap = _map(centre="Styr\x08tecken", related=["Noll\x00byte", "Rad\nbrytning"])
    _parse(cmap.svg)  # well-formed
    assert "Styr tecken" in cmap.title


def test_title_names_the_concept_and_counts_each_kind():
    cmap = _map(broader=["Resultat"], related=["Effekt", "Mål"], contrasts=["Prestation"])
    svg = _parse(cmap.svg)

    assert svg.get("role") == "img"
    assert _accessible_name(svg).startswith(
        "Begreppskarta för Utfall: 1 överordnat, 2 relaterade, 1 som ofta förväxlas "
    )
    assert not list(svg.iter(f"{SVG}a")) and "tabindex" not in cmap.svg and "href" not in cmap.svg
    legend = " ".join(
        "".join(t.itertext()) for t in svg.find(f"{SVG}g[@class='concept-map__legend']").iter(f"{SVG}text")
    )
    assert "Teckenförklaring" in legend and "Relaterat begrepp" in legend and "Förväxlas ofta med" in legend
    # Different kinds are drawn differently, not only in another colour.
    styles = {
        edge.get("class").split("--")[1]: (edge.get("stroke-dasharray"), edge.get("marker-end"))
        for edge in svg.iter(f"{SVG}path")
        if "concept-map__edge--" in (edge.get("class") or "")
    }
    assert styles["broader"][0] is None and styles["broader"][1]
    assert styles["related"][0] and not styles["related"][1]
    assert styles["contrast"][0] and styles["contrast"][0] != styles["related"][0]
    assert svg.findall(f".//{SVG}g[@class='concept-map__not-equal']")


def _luminance(hex_colour):
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _ratio(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_colours_meet_wcag_contrast():
    for text, background in [
        (PALETTE.text, PALETTE.bg),
        (PALETTE.text, PALETTE.accent_surface),
        (PALETTE.bg, PALETTE.brand),
        (PALETTE.muted, PALETTE.bg),
        (PALETTE.accent, PALETTE.bg),
    ]:
        assert _ratio(text, background) >= 4.5, (text, background)
    for line in [*cm.EDGE_COLOURS.values(), PALETTE.line, PALETTE.accent, PALETTE.brand]:
        assert _ratio(line, PALETTE.bg) >= 3, line
    assert _ratio(PALETTE.accent, PALETTE.accent_surface) >= 3


# --- On the concept page --------------------------------------------------------------------------------


@pytest.fixture
def index(home):
    return GlossaryIndexPageFactory()


def _make(index, title, **fields):
    return ConceptPageFactory(parent=index, title=title, **fields)


def _utfall(index):
    page = _make(index, "Utfall", short_definition="Hur deltagarna har påverkats.")
    resultat = _make(index, "Resultat", short_definition="Det som insatsen leder till.")
    effekt = _make(index, "Effekt")
    mal = _make(index, "Mål")
    prestation = _make(index, "Prestation")
    page.broader.add(resultat)
    page.related.add(effekt, mal)
    page.save()
    ConceptContrastFactory(concept=page, other=prestation, difference="Prestationen räknar, utfallet beskriver.")
    return page, resultat, effekt, mal, prestation


@pytest.mark.django_db
def test_concept_page_shows_the_map_with_its_accessible_name_and_caption(client, index):
    page, *_ = _utfall(index)

    response = client.get(page.url)

    assert response.status_code == 200
    html = response.content.decode()
    section = _section(html)
    assert '<h2 id="relationer-rubrik">Närliggande begrepp</h2>' in section
    assert "<figure" in section and "<figcaption>" in section
    svg = _svg_of(html)
    assert svg.get("role") == "img"
    assert _accessible_name(svg).startswith(
        "Begreppskarta för Utfall: 1 överordnat, 2 relaterade, 1 som ofta förväxlas "
    )
    assert not list(svg.iter(f"{SVG}a")) and not [e for e in svg.iter() if e.get("tabindex")]
    assert {"Utfall", "Resultat", "Effekt", "Mål", "Prestation"} <= set(_svg_text(svg).split())
    # The list equivalent follows the figure, and the contrast section is still there with its anchor.
    assert section.index("</figure>") < section.index("<h3>Överordnade begrepp</h3>")
    assert 'id="forvaxla-1"' in html and 'href="#forvaxla-1"' in section
    assert html.count("<h3>Relaterade begrepp</h3>") == 1


@pytest.mark.django_db
def test_list_under_the_map_links_every_public_relation(client, index):
    page = _make(index, "Nav")
    related = [_make(index, f"Granne {i:02}") for i in range(14)]
    broader = [_make(index, f"Ovan {i}") for i in range(2)]
    narrower = [_make(index, f"Under {i}") for i in range(4)]
    contrasted = [_make(index, f"Olik {i}") for i in range(2)]
    page.related.add(*related)
    page.broader.add(*broader)
    page.save()
    for concept in narrower:
        concept.broader.add(page)
        concept.save()
    for concept in contrasted:
        ConceptContrastFactory(concept=page, other=concept)
    # Related from the other side counts too.
    back = _make(index, "Pekar hit")
    back.related.add(page)
    back.save()

    html = client.get(page.url).content.decode()

    section = _section(html)
    listing = section[section.index("</figure>") :]
    everyone = [*related, *broader, *narrower, *contrasted, back]
    for concept in everyone:
        assert f'<a href="{concept.url}">{concept.title}</a>' in listing, concept.title
    assert len(re.findall(r'<li><a href="/begrepp/', listing)) == len(everyone)
    svg = _svg_of(html)
    assert len(_node_groups(svg)) == 1 + cm.MAX_NEIGHBOURS
    assert f"och {len(everyone) - cm.MAX_NEIGHBOURS} till" in _svg_text(svg)


@pytest.mark.django_db
def test_draft_unpublished_and_private_concepts_are_neither_drawn_nor_listed(client, index):
    page, *_ = _utfall(index)
    draft = _make(index, "Utkastbegrepp", live=False)
    private = _make(index, "Hemligt begrepp")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    unpublished = _make(index, "Avpublicerat begrepp")
    unpublished.unpublish()
    private_narrower = _make(index, "Hemligt underbegrepp")
    PageViewRestriction.objects.create(page=private_narrower, restriction_type=PageViewRestriction.LOGIN)
    private_narrower.broader.add(page)
    private_narrower.save()
    page.related.add(draft, private)
    page.broader.add(unpublished)
    page.save()
    ConceptContrastFactory(concept=page, other=draft, difference="Hemlig skillnad.")

    response = client.get(page.url)

    html = response.content.decode()
    for hidden in [
        "Utkastbegrepp",
        "Hemligt begrepp",
        "Avpublicerat begrepp",
        "Hemligt underbegrepp",
        "Hemlig skillnad",
    ]:
        assert hidden not in html
    svg = _svg_of(html)
    assert _accessible_name(svg).startswith(
        "Begreppskarta för Utfall: 1 överordnat, 2 relaterade, 1 som ofta förväxlas"
    )
    assert len(_node_groups(svg)) == 1 + 4


AWKWARD = [
    "Citat \"så kallat\" och 'enkla'",
    "Forskning & utveckling",
    "<b>Fet</b> rubrik",
    "Lärande 🎓🌱 i regionen 👩🏽‍🏫",
    # The longest title a page can have (255 characters); 300 and more are in the layout tests above.
    ("Mycket långt begrepp " * 13 + "till slut")[:255],
]


@pytest.mark.django_db
def test_awkward_titles_are_escaped_and_the_svg_is_well_formed(client, index):
    page = _make(index, '<script>alert("x")</script> & co', slug="skript")
    neighbours = [_make(index, title, slug=f"udda-{i}") for i, title in enumerate(AWKWARD)]
    page.related.add(*neighbours[:3])
    page.broader.add(neighbours[3])
    page.save()
    ConceptContrastFactory(concept=page, other=neighbours[4], difference='Skillnad med "citat" & <i>tagg</i>.')
    assert len(AWKWARD[-1]) == 255

    response = client.get(page.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html and "<b>Fet</b>" not in html and "<i>tagg</i>" not in html
    svg = _svg_of(html)  # parses: well-formed XML
    title = svg.find(f"{SVG}title").text
    assert title.startswith('Begreppskarta för <script>alert("x")</script> & co: 1 överordnat, 3 relaterade')
    drawn = _svg_text(svg)
    assert "<b>Fet</b> rubrik" in drawn and "Forskning & utveckling" in drawn and "🎓" in drawn
    # The 300-character title is cut in the drawing, whole in its tooltip and in the list.
    assert AWKWARD[-1] not in drawn and "…" in drawn
    assert AWKWARD[-1] in [t.text for t in svg.iter(f"{SVG}title")]
    listing = _section(html)[_section(html).index("</figure>") :]
    assert "&lt;b&gt;Fet&lt;/b&gt; rubrik" in listing and "Forskning &amp; utveckling" in listing
    assert AWKWARD[-1] in listing


@pytest.mark.django_db
def test_fifty_relations_of_every_kind_render(client, index):
    page = _make(index, "Nav")
    others = [_make(index, f"Granne {i:02} 🎯 & <i>", slug=f"granne-{i}") for i in range(50)]
    page.related.add(*others)
    page.broader.add(*others[:10])
    page.save()
    for other in others[10:20]:
        other.broader.add(page)
        other.save()
    for other in others[:50]:
        ConceptContrastFactory(concept=page, other=other)

    response = client.get(page.url)

    assert response.status_code == 200
    svg = _svg_of(response.content.decode())
    assert len(_node_groups(svg)) == 1 + cm.MAX_NEIGHBOURS
    assert "och 108 till" in _svg_text(svg)


@pytest.mark.django_db
def test_no_map_without_public_relations(client, index):
    page = _make(index, "Ensamt")
    page.related.add(_make(index, "Utkast", live=False))
    page.save()

    html = client.get(page.url).content.decode()

    assert "concept-map" not in html and "Närliggande begrepp" not in html and "<svg" not in html.split("<main")[1]


@pytest.mark.django_db
def test_building_the_map_makes_no_queries(index, django_assert_num_queries):
    page, *_ = _utfall(index)
    relations = page.public_relations()

    with django_assert_num_queries(0):
        cmap = build_concept_map(page, relations)
        assert "Prestation" in cmap.svg


@pytest.mark.django_db
def test_tag_asks_the_page_itself_when_the_context_lacks_its_relations(rf, index):
    page, *_ = _utfall(index)
    page.related.add(_make(index, "Utkast", live=False))
    page.save()
    request = rf.get("/")

    html = Template("{% load concept_map_tags %}{% concept_map page %}").render(
        Context({"page": page, "request": request})
    )

    assert _accessible_name(_svg_of(html)).startswith("Begreppskarta för Utfall: 1 överordnat, 2 relaterade")
    assert "Utkast" not in html


# --- In a browser ------------------------------------------------------------------------------------------


@browser_test
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concept_page_with_a_map_has_no_axe_violations(live_server):
    home_page()
    index = GlossaryIndexPageFactory()
    page, *_ = _utfall(index)
    narrower = _make(index, "Deltagarutfall")
    narrower.broader.add(page)
    narrower.save()
    for i in range(14):
        page.related.add(_make(index, f"Granne {i:02}"))
    page.save()

    with chromium_browser() as chromium:
        for width in (1280, 320):
            browser = new_page(chromium, width=width)
            browser.goto(live_server.url + page.url)
            image = browser.get_by_role("img", name=re.compile(r"^Begreppskarta för Utfall: 1 överordnat"))
            assert image.count() == 1
            assert browser.locator(".concept-map__svg a, .concept-map__svg [tabindex]").count() == 0
            assert axe_violations(browser) == [], width
            region = browser.locator(".concept-map__scroll")
            scrolls = region.evaluate("el => el.scrollWidth > el.clientWidth")
            assert scrolls == (width == 320)
            # Labels stay readable on a phone: the map is never drawn smaller than 75 %.
            drawn = browser.locator(".concept-map__svg").bounding_box()["width"]
            assert drawn >= 0.75 * cm.WIDTH - 1
