"""Concept maps: a concept and its nearest neighbours drawn as a small accessible SVG.

The layout is fixed by the kind of each relation, so a reader learns it once:

             [överordnat]  [överordnat]  [överordnat]
                   ▲             ▲             ▲
                   └─────────────┼─────────────┘
    [relaterat] - - - -     [ BEGREPPET ]     - - - - [relaterat]
    [relaterat] - - -             │             - - - [relaterat]
    [förväxlas] · · ≠ · ·         │         · · ≠ · · [förväxlas]
                   ┌─────────────┼─────────────┐
             [underordnat] [underordnat] [underordnat]

Broader concepts stand in a row above the concept and narrower ones in a row below, joined by
orthogonal connectors whose arrows point to the broader concept. Related concepts stand in columns
on both sides, and concepts that are often confused with this one in the lower corners, under the
related ones and set apart by a wider gap. Every connector runs through empty space only (the
trunks through the centre column, the buses between the rows, the side edges through the gutters
between the columns and the centre), so no line crosses a box and no boxes overlap.

The map is deterministic: only the Swedish order of the titles and the counts decide it. It shows
at most MAX_NEIGHBOURS concepts (each region has its own capacity); the rest are counted in the
drawing ("och N till") and all of them are in the list the template shows under the map.

Nothing here queries the database: the map is built from what `ConceptPage.public_relations()`
returned, so it shows exactly what a visitor may see. The SVG is built with ElementTree and the
shared toolkit `core.svg` (also its text measuring, wrapping and palette), so every piece of editor
text is escaped by the serialiser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.safestring import SafeString

from core.collation import swedish_sort_key
from core.svg import (
    LINE_HEIGHT,
    PALETTE,
    arrow_marker,
    clean_text,
    fmt,
    rect,
    sub,
    svg_root,
    text_block,
    to_inline_svg,
    wrap_text,
)

# Line colours by kind; the line styles tell the kinds apart without colour: solid with an arrow,
# dashed, dotted with "≠".
EDGE_COLOURS = {
    "broader": PALETTE.brand,
    "narrower": PALETTE.brand,
    "related": PALETTE.line,
    "contrast": PALETTE.accent,
}
DASHES = {"related": "8 5", "contrast": "1.5 4.5"}

WIDTH = 640.0
MARGIN = 8.0  # around the frame
PAD = 16.0  # inside the frame
INNER_LEFT = INNER_TOP = MARGIN + PAD
INNER_RIGHT = WIDTH - MARGIN - PAD
CENTRE_X = WIDTH / 2

LABEL_SIZE = 14.0
CENTRE_SIZE = 15.0
SMALL_SIZE = 13.0
NODE_W = 160.0
CENTRE_W = 184.0
NODE_PAD_X = 8.0
NODE_PAD_Y = 8.0
NODE_LINES = 2
CENTRE_LINES = 3
NODE_H = 2 * NODE_PAD_Y + NODE_LINES * LABEL_SIZE * LINE_HEIGHT
ROW_GAP = 44.0  # between a row and the centre band: room for the bus
ROW_NODE_GAP = 24.0
STACK_GAP = 12.0
GROUP_GAP = 28.0  # sets the "förväxla inte med" concepts apart from the related ones in a column
MARKER_R = 9.0

ROW_CAPACITY = 3  # boxes in the row above and in the row below
COLUMN_CAPACITY = 6  # boxes in each side column
MAX_NEIGHBOURS = 12


@dataclass(frozen=True)
class RelationKind:
    """A kind of relation, with the words for it in the map, its summary and its list."""

    key: str
    heading: str  # the list's heading
    one: str  # "1 överordnat"
    many: str  # "2 överordnade"
    legend: str


BROADER = RelationKind(
    "broader",
    "Överordnade begrepp",
    "överordnat",
    "överordnade",
    "Överordnat och underordnat begrepp: pilen pekar mot det överordnade",
)
NARROWER = RelationKind("narrower", "Underordnade begrepp", "underordnat", "underordnade", BROADER.legend)
RELATED = RelationKind("related", "Relaterade begrepp", "relaterat", "relaterade", "Relaterat begrepp")
CONTRAST = RelationKind(
    "contrast", "Förväxlas ofta med", "som ofta förväxlas", "som ofta förväxlas", "Förväxlas ofta med (≠)"
)
# Also the order of the list's groups and the order in which the map's places are handed out.
KINDS = (BROADER, NARROWER, RELATED, CONTRAST)


def count_phrase(kind: RelationKind, count: int) -> str:
    return f"{count} {kind.one if count == 1 else kind.many}"


# --- What the map shows ----------------------------------------------------------------------------------


@dataclass
class Entry:
    """One item of the list under the map: a concept and, for a contrast, its place on the page."""

    concept: object
    contrast: object = None
    position: int = 0  # 1-based index of the contrast in the page's "Förväxla inte med" section


@dataclass
class RelationGroup:
    """The concepts of one kind: all of them for the list, the first ones for the drawing."""

    kind: RelationKind
    entries: list[Entry]
    concepts: list  # distinct concepts in Swedish order
    shown: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.concepts)

    @property
    def hidden(self) -> int:
        return self.count - len(self.shown)


@dataclass
class MapNode:
    """A box: the concept in the centre (kind None) or a neighbour."""

    concept: object
    kind: RelationKind | None
    lines: list[str]
    truncated: bool
    full_title: str
    x: float = 0.0
    y: float = 0.0
    w: float = NODE_W
    h: float = NODE_H

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def side(self) -> str:
        """Where the node stands: "centre", "top", "bottom", "left" or "right"."""
        if self.kind is None:
            return "centre"
        if self.kind is BROADER:
            return "top"
        if self.kind is NARROWER:
            return "bottom"
        return "left" if self.cx < CENTRE_X else "right"


@dataclass
class MapEdge:
    kind: RelationKind
    node: MapNode
    d: str  # SVG path data
    arrow: bool = False
    marker: tuple[float, float] | None = None  # where the "≠" sits on a contrast edge


@dataclass
class LegendRow:
    kind: RelationKind
    y: float
    lines: list[str]


def _distinct(concepts, exclude_pk) -> list:
    seen, result = set(), []
    for concept in concepts:
        key = concept.pk if concept.pk is not None else id(concept)
        if key in seen or (exclude_pk is not None and concept.pk == exclude_pk):
            continue
        seen.add(key)
        result.append(concept)
    return sorted(result, key=lambda c: swedish_sort_key(c.title))


def relation_groups(concept, relations: dict) -> list[RelationGroup]:
    """The groups of the list, from `public_relations()`; groups without concepts are left out.

    The concept itself is never its own neighbour. Contrasts keep one entry per comparison (with
    its place in the "Förväxla inte med" section); every group is in Swedish order.
    """
    own_pk = getattr(concept, "pk", None)
    groups = []
    for kind, key in ((BROADER, "broader_concepts"), (NARROWER, "narrower_concepts"), (RELATED, "related_concepts")):
        concepts = _distinct(relations.get(key) or [], own_pk)
        groups.append(RelationGroup(kind, [Entry(c) for c in concepts], concepts))
    contrast_entries = [
        Entry(contrast.other_concept, contrast, position)
        for position, contrast in enumerate(relations.get("contrasts") or [], start=1)
        if getattr(contrast, "other_concept", None) is not None
        and not (own_pk is not None and contrast.other_concept.pk == own_pk)
    ]
    contrast_entries.sort(key=lambda e: (swedish_sort_key(e.concept.title), e.position))
    groups.append(RelationGroup(CONTRAST, contrast_entries, _distinct([e.concept for e in contrast_entries], None)))
    return [group for group in groups if group.count]


def allocate(groups: list[RelationGroup]) -> None:
    """Hand out the map's places: one per kind and round until the map or the concepts run out.

    The rows above and below hold ROW_CAPACITY boxes each, the two side columns (related and
    contrasted concepts together) 2 × COLUMN_CAPACITY, and the whole map MAX_NEIGHBOURS.
    """
    by_kind = {group.kind: group for group in groups}
    quota = dict.fromkeys(KINDS, 0)
    capacity = {BROADER: ROW_CAPACITY, NARROWER: ROW_CAPACITY}
    changed = True
    while changed and sum(quota.values()) < MAX_NEIGHBOURS:
        changed = False
        for kind in KINDS:
            group = by_kind.get(kind)
            if group is None or quota[kind] >= group.count or sum(quota.values()) >= MAX_NEIGHBOURS:
                continue
            if kind in capacity and quota[kind] >= capacity[kind]:
                continue
            if kind in (RELATED, CONTRAST) and quota[RELATED] + quota[CONTRAST] >= 2 * COLUMN_CAPACITY:
                continue
            quota[kind] += 1
            changed = True
    for group in groups:
        group.shown = group.concepts[: quota[group.kind]]


# --- Layout -------------------------------------------------------------------------------------------


def _node(concept, kind: RelationKind | None) -> MapNode:
    title = clean_text(concept.title) or "(utan titel)"
    if kind is None:
        lines, truncated = wrap_text(title, CENTRE_W - 2 * NODE_PAD_X, CENTRE_SIZE, CENTRE_LINES, bold=True)
        h = max(NODE_H, 2 * NODE_PAD_Y + len(lines) * CENTRE_SIZE * LINE_HEIGHT)
        return MapNode(concept, None, lines, truncated, title, w=CENTRE_W, h=h)
    lines, truncated = wrap_text(title, NODE_W - 2 * NODE_PAD_X, LABEL_SIZE, NODE_LINES)
    return MapNode(concept, kind, lines, truncated, title)


def _row(concepts, kind, y) -> list[MapNode]:
    nodes = [_node(c, kind) for c in concepts]
    total = len(nodes) * NODE_W + max(len(nodes) - 1, 0) * ROW_NODE_GAP
    x = CENTRE_X - total / 2
    for node in nodes:
        node.x, node.y = x, y
        x += NODE_W + ROW_NODE_GAP
    return nodes


def _split_sides(related: list, contrasts: list) -> tuple[list, list, list, list]:
    """Related concepts: the first half on the left; contrasts fill the columns to equal height."""
    left_related = (len(related) + 1) // 2
    total = len(related) + len(contrasts)
    left_contrasts = max(0, min(len(contrasts), (total + 1) // 2 - left_related))
    return related[:left_related], contrasts[:left_contrasts], related[left_related:], contrasts[left_contrasts:]


def _column(related, contrasts, x) -> tuple[list[MapNode], float]:
    nodes, y = [], 0.0
    for kind, concepts in ((RELATED, related), (CONTRAST, contrasts)):
        if nodes and concepts:
            y += GROUP_GAP - STACK_GAP
        for concept in concepts:
            node = _node(concept, kind)
            node.x, node.y = x, y
            nodes.append(node)
            y += NODE_H + STACK_GAP
    return nodes, (y - STACK_GAP if nodes else 0.0)


@dataclass
class ConceptMap:
    """A concept's map: the boxes, connectors, legend and notes to draw, and the list's groups."""

    concept: object
    groups: list[RelationGroup]
    id_prefix: str
    centre: MapNode = None
    nodes: list[MapNode] = field(default_factory=list)
    edges: list[MapEdge] = field(default_factory=list)
    legend: list[LegendRow] = field(default_factory=list)
    legend_y: float = 0.0
    notes: list[str] = field(default_factory=list)
    notes_y: float = 0.0
    width: float = WIDTH
    height: float = 0.0

    @property
    def term(self) -> str:
        return clean_text(self.concept.title) or "(utan titel)"

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def shown_count(self) -> int:
        return len(self.nodes)

    @property
    def hidden(self) -> int:
        return self.total - self.shown_count

    @property
    def summary(self) -> str:
        """The counts per kind, e.g. "1 överordnat, 2 relaterade, 1 som ofta förväxlas"."""
        return ", ".join(count_phrase(group.kind, group.count) for group in self.groups)

    @property
    def title(self) -> str:
        return f"Begreppskarta för {self.term}: {self.summary}"

    @property
    def hidden_text(self) -> str:
        """What the map leaves out, e.g. "Kartan visar 12 av 54 begrepp – och 42 till (…) finns i listan …"."""
        if not self.hidden:
            return ""
        parts = ", ".join(count_phrase(g.kind, g.hidden) for g in self.groups if g.hidden)
        return (
            f"Kartan visar {self.shown_count} av {self.total} begrepp – och {self.hidden} till ({parts}) "
            "finns i listan under kartan."
        )

    @property
    def description(self) -> str:
        """The SVG's <desc>: where each kind of concept stands, what is left out, where the list is."""
        kinds = {group.kind for group in self.groups}
        sentences = [f"{self.term} står i mitten."]
        if BROADER in kinds:
            sentences.append("Överordnade begrepp står ovanför, med pilar som pekar mot dem.")
        if NARROWER in kinds:
            sentences.append("Underordnade begrepp står nedanför, med pilar som pekar mot mitten.")
        if RELATED in kinds:
            sentences.append("Relaterade begrepp står på sidorna, med streckade linjer.")
        if CONTRAST in kinds:
            where = "på sidorna under de relaterade" if RELATED in kinds else "på sidorna"
            sentences.append(f"Begrepp som ofta förväxlas med {self.term} står {where}, med prickade linjer och ≠.")
        if self.hidden:
            sentences.append(self.hidden_text)
        sentences.append("Alla begrepp finns som en lista med länkar under kartan.")
        return " ".join(sentences)

    @property
    def truncated(self) -> bool:
        return self.centre.truncated or any(node.truncated for node in self.nodes)

    @cached_property
    def svg(self) -> SafeString:
        return render_svg(self)


def layout(concept, groups: list[RelationGroup], id_prefix: str) -> ConceptMap:
    """Place the boxes and route the connectors; `groups` already allocated (see `allocate`)."""
    cmap = ConceptMap(concept=concept, groups=groups, id_prefix=id_prefix)
    shown = {group.kind: group.shown for group in groups}
    centre = _node(concept, None)
    y = INNER_TOP

    top = _row(shown.get(BROADER, []), BROADER, y)
    if top:
        y += NODE_H + ROW_GAP

    left_related, left_contrasts, right_related, right_contrasts = _split_sides(
        shown.get(RELATED, []), shown.get(CONTRAST, [])
    )
    left, left_h = _column(left_related, left_contrasts, INNER_LEFT)
    right, right_h = _column(right_related, right_contrasts, INNER_RIGHT - NODE_W)
    band_top = y
    band_h = max(centre.h, left_h, right_h)
    centre.x, centre.y = CENTRE_X - CENTRE_W / 2, band_top + (band_h - centre.h) / 2
    for nodes, h in ((left, left_h), (right, right_h)):
        for node in nodes:
            node.y += band_top + (band_h - h) / 2
    y = band_top + band_h

    bottom = []
    if shown.get(NARROWER):
        y += ROW_GAP
        bottom = _row(shown[NARROWER], NARROWER, y)
        y += NODE_H

    cmap.centre = centre
    cmap.nodes = top + left + right + bottom
    cmap.edges = _edges(centre, top, left, right, bottom)

    y += 24
    if cmap.hidden:
        cmap.notes, _ = wrap_text(cmap.hidden_text, INNER_RIGHT - INNER_LEFT, SMALL_SIZE, 4)
        cmap.notes_y = y
        y += len(cmap.notes) * SMALL_SIZE * LINE_HEIGHT + 12
    cmap.legend_y = y
    y += SMALL_SIZE * LINE_HEIGHT + 6  # the legend's heading
    seen_legends = set()
    for group in groups:
        if group.kind.legend in seen_legends or not group.shown:
            continue
        seen_legends.add(group.kind.legend)
        lines, _ = wrap_text(group.kind.legend, INNER_RIGHT - INNER_LEFT - 60, SMALL_SIZE, 3)
        cmap.legend.append(LegendRow(group.kind, y, lines))
        y += max(len(lines) * SMALL_SIZE * LINE_HEIGHT, 2 * MARKER_R) + 8
    cmap.height = y - 8 + PAD + MARGIN  # the last row's spacing becomes the frame's padding
    return cmap


def _edges(centre: MapNode, top, left, right, bottom) -> list[MapEdge]:
    edges = []
    cx = CENTRE_X
    if top:
        bus = top[0].y + NODE_H + ROW_GAP / 2
        for node in top:
            d = f"M{fmt(cx)},{fmt(centre.y)} V{fmt(bus)} H{fmt(node.cx)} V{fmt(node.y + NODE_H + 1)}"
            edges.append(MapEdge(BROADER, node, d, arrow=True))
    for nodes, side in ((left, -1), (right, 1)):
        port_x = centre.x if side < 0 else centre.x + centre.w
        for i, node in enumerate(nodes):
            port_y = centre.y + centre.h * (i + 1) / (len(nodes) + 1)
            end_x = node.x + node.w if side < 0 else node.x
            d = f"M{fmt(port_x)},{fmt(port_y)} L{fmt(end_x)},{fmt(node.cy)}"
            marker = ((port_x + end_x) / 2, (port_y + node.cy) / 2) if node.kind is CONTRAST else None
            edges.append(MapEdge(node.kind, node, d, marker=marker))
    if bottom:
        bus = bottom[0].y - ROW_GAP / 2
        for node in bottom:
            d = f"M{fmt(node.cx)},{fmt(node.y)} V{fmt(bus)} H{fmt(cx)} V{fmt(centre.y + centre.h + 1)}"
            edges.append(MapEdge(NARROWER, node, d, arrow=True))
    return edges


def build_concept_map(concept, relations: dict, id_prefix: str | None = None) -> ConceptMap | None:
    """The map of `concept` from its `public_relations()`, or None when it has no neighbours.

    Makes no queries: everything comes from `relations`, which holds only what a visitor may see.
    """
    groups = relation_groups(concept, relations)
    if not groups:
        return None
    allocate(groups)
    return layout(concept, groups, id_prefix or f"begreppskarta-{concept.pk or 'ny'}")


# --- SVG ------------------------------------------------------------------------------------------------


def _lines(parent, x: float, top: float, lines: list[str], size: float, **attrs) -> None:
    """Lines of text whose first line's top is at `top`."""
    text_block(parent, x, top, lines, size, ascent=0.95, line_height=LINE_HEIGHT, **attrs)


def _draw_node(parent, node: MapNode) -> None:
    kind = node.kind.key if node.kind else "centre"
    group = sub(parent, "g", **{"class": f"concept-map__node concept-map__node--{kind}"})
    if node.truncated:
        # A tooltip with the whole title for mouse users; the list under the map has it for everyone.
        sub(group, "title", node.full_title)
    if node.kind is None:
        fill, stroke, colour, size, bold = PALETTE.brand, PALETTE.brand, PALETTE.bg, CENTRE_SIZE, "bold"
    elif node.kind is CONTRAST:
        fill, stroke, colour, size, bold = PALETTE.accent_surface, PALETTE.accent, PALETTE.text, LABEL_SIZE, None
    elif node.kind is RELATED:
        fill, stroke, colour, size, bold = PALETTE.bg, PALETTE.line, PALETTE.text, LABEL_SIZE, None
    else:
        fill, stroke, colour, size, bold = PALETTE.bg, PALETTE.brand, PALETTE.text, LABEL_SIZE, None
    rect(
        group,
        node.x,
        node.y,
        node.w,
        node.h,
        rx="6",
        fill=fill,
        stroke=stroke,
        stroke_width="2" if node.kind is None else "1.5",
    )
    block = len(node.lines) * size * LINE_HEIGHT
    _lines(
        group,
        node.cx,
        node.y + (node.h - block) / 2 + 1,
        node.lines,
        size,
        fill=colour,
        font_weight=bold,
        text_anchor="middle",
    )


def _not_equal(parent, x: float, y: float) -> None:
    group = sub(parent, "g", **{"class": "concept-map__not-equal"})
    sub(
        group,
        "circle",
        cx=fmt(x),
        cy=fmt(y),
        r=fmt(MARKER_R),
        fill=PALETTE.bg,
        stroke=PALETTE.accent,
        stroke_width="1.5",
    )
    sub(
        group,
        "text",
        "≠",
        x=fmt(x),
        y=fmt(y + 5),
        font_size="15",
        font_weight="bold",
        fill=PALETTE.accent,
        text_anchor="middle",
    )


def _edge_style(kind: RelationKind) -> dict:
    style = {"fill": "none", "stroke": EDGE_COLOURS[kind.key], "stroke_width": "2"}
    if kind.key in DASHES:
        style["stroke_dasharray"] = DASHES[kind.key]
    if kind is CONTRAST:
        style["stroke_linecap"] = "round"
    return style


def render_svg(cmap: ConceptMap) -> SafeString:
    """The map as an inline <svg> element: role="img", named by its <title> and <desc>."""
    root = svg_root(
        cmap.id_prefix,
        cmap.width,
        cmap.height,
        "concept-map__svg",
        cmap.title,
        cmap.description,
    )
    arrow = arrow_marker(root, cmap.id_prefix, "10", PALETTE.brand, **{"class": "concept-map__arrow"})
    rect(
        root,
        MARGIN,
        MARGIN,
        cmap.width - 2 * MARGIN,
        cmap.height - 2 * MARGIN,
        rx="6",
        fill=PALETTE.bg,
        stroke=PALETTE.line,
        stroke_width="1",
        **{"class": "concept-map__frame"},
    )

    edges = sub(root, "g", **{"class": "concept-map__edges"})
    for edge in cmap.edges:
        sub(
            edges,
            "path",
            d=edge.d,
            marker_end=arrow if edge.arrow else None,
            **{"class": f"concept-map__edge concept-map__edge--{edge.kind.key}"},
            **_edge_style(edge.kind),
        )
        if edge.marker:
            _not_equal(edges, *edge.marker)

    nodes = sub(root, "g", **{"class": "concept-map__nodes"})
    _draw_node(nodes, cmap.centre)
    for node in cmap.nodes:
        _draw_node(nodes, node)

    if cmap.notes:
        _lines(
            root,
            INNER_LEFT,
            cmap.notes_y,
            cmap.notes,
            SMALL_SIZE,
            fill=PALETTE.muted,
            font_style="italic",
            **{"class": "concept-map__more"},
        )

    legend = sub(root, "g", **{"class": "concept-map__legend"})
    _lines(legend, INNER_LEFT, cmap.legend_y, ["Teckenförklaring"], SMALL_SIZE, fill=PALETTE.text, font_weight="bold")
    for row in cmap.legend:
        mid = row.y + max(len(row.lines) * SMALL_SIZE * LINE_HEIGHT, 2 * MARKER_R) / 2
        sample = f"M{fmt(INNER_LEFT)},{fmt(mid)} H{fmt(INNER_LEFT + 48)}"
        sub(
            legend,
            "path",
            d=sample,
            marker_end=arrow if row.kind in (BROADER, NARROWER) else None,
            **{"class": f"concept-map__edge concept-map__edge--{row.kind.key}"},
            **_edge_style(row.kind),
        )
        if row.kind is CONTRAST:
            _not_equal(legend, INNER_LEFT + 24, mid)
        block = len(row.lines) * SMALL_SIZE * LINE_HEIGHT
        _lines(legend, INNER_LEFT + 60, mid - block / 2, row.lines, SMALL_SIZE, fill=PALETTE.text)

    return to_inline_svg(root)
