"""Effect chain diagrams: a layered layout of a chain, drawn as accessible SVG.

The layout is the classic layered (Sugiyama) method, with the framework's levels as fixed layers:

1. Layers. Each element sits on its level, G lowest and B highest. A link that skips levels gets a
   dummy node on every level in between, so it is routed between the boxes, never through them.
2. Crossing reduction. Alternating upward and downward sweeps order every layer by the barycentre
   of its neighbours' positions, followed by adjacent transpositions (Gansner et al., "A technique
   for drawing directed graphs", 1993); the order with the fewest crossings is kept.
3. Coordinates. Each layer is placed as close to its neighbours' mean position as the minimum
   spacing allows: least squares under order constraints, solved exactly by pool-adjacent-violators.
4. Links are drawn through their dummy nodes as smooth curves ending in arrowheads.

The layer assignment is given by the levels, so only steps 2–4 are needed; they are short enough to
keep here rather than adapt a general graph library that would compute its own layers.

Two drawings share the ordering: a wide one (levels as horizontal bands, for screens and A4) and a
narrow one for phones (levels stacked, one element per row, links as arcs in a gutter on the right).
Text measuring, wrapping, the colours and the accessible <svg> element come from the shared toolkit
`core.svg`, which builds with ElementTree, so every piece of editor text is escaped by the serialiser.

Data the admin form would reject can still be in the database (a link sideways or downwards, a
link to a missing element, an element without a valid level, duplicate codes): such parts are left
out of the drawing, named in `notices`, and never raise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.safestring import SafeString

from core.levels import ChainLevel
from core.svg import (
    LINE_HEIGHT,
    PALETTE,
    arrow_marker,
    fmt,
    rect,
    sub,
    svg_root,
    text_block,
    to_inline_svg,
    to_svg_document,
    wrap_text,
)
from larande.chains.evidence import EMPTY as EMPTY_EVIDENCE
from larande.chains.evidence import LinkStatus

# --- The chain as a graph -----------------------------------------------------------------------


@dataclass
class ChainGraph:
    """A chain's elements by level and its drawable links, with notices about what was left out."""

    title: str
    levels: list[tuple[ChainLevel, list]]  # B down to G, elements in the editors' order
    links: list[tuple]  # (source element, target element, link), each going to a higher level
    notices: list[str] = field(default_factory=list)
    unplaced: list = field(default_factory=list)  # elements without a valid level
    # {link id: LinkEvidenceSummary} when the links are drawn by their evidence (larande.chains.evidence);
    # None draws every link alike (the framework document, which shows the chain as designed).
    evidence: dict | None = None

    def link_status(self, link) -> LinkStatus:
        return self.evidence.get(link.pk, EMPTY_EVIDENCE).status

    @property
    def elements(self) -> list:
        return [element for _, elements in self.levels for element in elements]

    @property
    def element_count(self) -> int:
        return len(self.elements)


def _label(element) -> str:
    title = " ".join((element.title or "").split())
    return f"{element.key} {title}".strip() if title else (element.key or "(utan kod)")


def _reaches(adjacency: dict[int, set[int]], start: int, goal: int) -> bool:
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node in seen:
            continue
        seen.add(node)
        stack.extend(adjacency.get(node, ()))
    return False


def chain_graph(chain, elements=None, links=None, evidence: dict | None = None) -> ChainGraph:
    """The chain's elements and links, checked: only links to a higher level are drawn.

    Works on whatever the database holds; anything the layout cannot use becomes a notice in Swedish.
    `evidence` ({link id: summary}) draws each link by its evidence status, with a legend.
    """
    elements = list(chain.elements.all()) if elements is None else list(elements)
    links = list(chain.links.all()) if links is None else list(links)
    notices: list[str] = []
    placed: dict[ChainLevel, list] = {level: [] for level in ChainLevel.chain_levels()}
    unplaced = []
    for element in elements:
        level = ChainLevel.parse(element.level)
        if level is None or level == ChainLevel.KONTEXT:
            unplaced.append(element)
            notices.append(
                f"Elementet {_label(element)} har ingen giltig nivå (”{element.level or ''}”) "
                "och visas därför inte i diagrammet."
            )
            continue
        placed[level].append(element)

    by_key: dict[str, object] = {}
    for element in [e for level in placed.values() for e in level]:
        key = (element.key or "").strip().upper()
        if key in by_key:
            notices.append(
                f"Koden {element.key} används av flera element. Länkar med koden ritas till det första av dem."
            )
            continue
        by_key[key] = element

    resolved, seen_pairs = [], set()
    for link in links:
        source_key, target_key = (link.source_key or "").strip().upper(), (link.target_key or "").strip().upper()
        source, target = by_key.get(source_key), by_key.get(target_key)
        if source is None or target is None:
            missing = link.source_key if source is None else link.target_key
            notices.append(
                f"Länken {link.source_key} → {link.target_key} ritas inte: det finns inget element med koden "
                f"{missing or '(tom)'}."
            )
            continue
        if (id(source), id(target)) in seen_pairs:
            continue
        seen_pairs.add((id(source), id(target)))
        resolved.append((source, target, link))

    drawable, backwards = [], []
    for source, target, link in resolved:
        source_level, target_level = ChainLevel.parse(source.level), ChainLevel.parse(target.level)
        (drawable if target_level.rank > source_level.rank else backwards).append((source, target, link))
    adjacency: dict[int, set[int]] = {}
    for source, target, _ in resolved:
        adjacency.setdefault(id(source), set()).add(id(target))
    for source, target, _link in backwards:
        direction = "i sidled" if source.level == target.level else "nedåt"
        cycle = " och bildar en cirkel med andra länkar" if _reaches(adjacency, id(target), id(source)) else ""
        notices.append(
            f"Länken {_label(source)} → {_label(target)} ritas inte: den går {direction}{cycle}. "
            "En länk ”leder till” ska gå till en högre nivå i kedjan."
        )

    if not any(placed.values()):
        notices.insert(0, "Kedjan har inga element ännu, så diagrammet visar bara nivåerna.")
    levels = [(level, placed[level]) for level in reversed(ChainLevel.chain_levels())]
    return ChainGraph(
        title=chain.title, levels=levels, links=drawable, notices=notices, unplaced=unplaced, evidence=evidence
    )


# --- Step 2: crossing reduction -------------------------------------------------------------------


@dataclass(eq=False)
class _Node:
    rank: int  # 1 = G … 6 = B
    element: object = None  # None for a dummy node on a long link
    width: float = 0.0
    x: float = 0.0
    below: list[_Node] = field(default_factory=list)
    above: list[_Node] = field(default_factory=list)
    _index: int = 0  # position in its layer during crossing reduction

    @property
    def is_dummy(self) -> bool:
        return self.element is None


@dataclass
class _Route:
    """One link as a path of nodes from its source (lowest) up to its target."""

    source: object
    target: object
    link: object
    nodes: list[_Node]


SWEEPS = 12


def _crossings_between(lower: list[_Node]) -> int:
    """Crossings between a layer and the one above it: pairs of edges whose ends swap order."""
    edges = [(i, upper._index) for i, node in enumerate(lower) for upper in node.above]
    count = 0
    for a in range(len(edges)):
        for b in range(a + 1, len(edges)):
            if (edges[a][0] - edges[b][0]) * (edges[a][1] - edges[b][1]) < 0:
                count += 1
    return count


def _renumber(layers: dict[int, list[_Node]]) -> None:
    for layer in layers.values():
        for i, node in enumerate(layer):
            node._index = i


def total_crossings(layers: dict[int, list[_Node]]) -> int:
    _renumber(layers)
    return sum(_crossings_between(layers[rank]) for rank in sorted(layers) if rank + 1 in layers)


def _barycentre_sort(layer: list[_Node], neighbours) -> list[_Node]:
    keyed = []
    for i, node in enumerate(layer):
        others = neighbours(node)
        key = sum(o._index for o in others) / len(others) if others else i
        keyed.append((key, i, node))
    keyed.sort(key=lambda item: (item[0], item[1]))
    return [node for _, _, node in keyed]


def _pair_crossings(u: _Node, v: _Node) -> int:
    """Crossings among the edges of u and v when u stands left of v."""
    count = 0
    for nu, nv in ((u.below, v.below), (u.above, v.above)):
        for a in nu:
            for b in nv:
                if a._index > b._index:
                    count += 1
    return count


def _transpose(layers: dict[int, list[_Node]]) -> None:
    improved, passes = True, 0
    while improved and passes < 6:
        improved, passes = False, passes + 1
        for rank in sorted(layers):
            layer = layers[rank]
            for i in range(len(layer) - 1):
                u, v = layer[i], layer[i + 1]
                if _pair_crossings(v, u) < _pair_crossings(u, v):
                    layer[i], layer[i + 1] = v, u
                    u._index, v._index = i + 1, i
                    improved = True


def reduce_crossings(layers: dict[int, list[_Node]]) -> dict[int, list[_Node]]:
    """Order every layer to keep link crossings low; returns the best ordering found."""
    ranks = sorted(layers)
    best = {rank: list(layer) for rank, layer in layers.items()}
    best_count = total_crossings(best)
    current = {rank: list(layer) for rank, layer in layers.items()}
    for _ in range(SWEEPS):
        if best_count == 0:
            break
        _renumber(current)
        for rank in ranks[1:]:
            current[rank] = _barycentre_sort(current[rank], lambda n: n.below)
            for i, node in enumerate(current[rank]):
                node._index = i
        for rank in reversed(ranks[:-1]):
            current[rank] = _barycentre_sort(current[rank], lambda n: n.above)
            for i, node in enumerate(current[rank]):
                node._index = i
        _transpose(current)
        count = total_crossings(current)
        if count < best_count:
            best, best_count = {rank: list(layer) for rank, layer in current.items()}, count
    _renumber(best)
    return best


# --- Step 3: coordinates ----------------------------------------------------------------------------


def _pool_adjacent_violators(targets: list[float]) -> list[float]:
    """The non-decreasing sequence closest to `targets` in least squares."""
    blocks: list[list[float]] = []
    for value in targets:
        blocks.append([value, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    result = []
    for total, count in blocks:
        result.extend([total / count] * int(count))
    return result


def _separation(a: _Node, b: _Node, gap: float, dummy_gap: float) -> float:
    spacing = dummy_gap if (a.is_dummy or b.is_dummy) else gap
    return (a.width + b.width) / 2 + spacing


def _place_layer(layer: list[_Node], desired: list[float], gap: float, dummy_gap: float) -> None:
    if not layer:
        return
    offsets = [0.0]
    for a, b in zip(layer, layer[1:], strict=False):
        offsets.append(offsets[-1] + _separation(a, b, gap, dummy_gap))
    fitted = _pool_adjacent_violators([d - o for d, o in zip(desired, offsets, strict=True)])
    for node, y, o in zip(layer, fitted, offsets, strict=True):
        node.x = y + o


def assign_x(layers: dict[int, list[_Node]], gap: float, dummy_gap: float) -> float:
    """Horizontal centres for every node; returns the width used (from 0)."""
    ranks = sorted(layers)
    spans = {}
    for rank in ranks:
        layer, x = layers[rank], 0.0
        for i, node in enumerate(layer):
            if i:
                x += _separation(layer[i - 1], node, gap, dummy_gap)
            node.x = x
        spans[rank] = x
    widest = max(spans.values(), default=0)
    for rank in ranks:
        for node in layers[rank]:
            node.x += (widest - spans[rank]) / 2

    def mean_x(nodes, fallback):
        return sum(n.x for n in nodes) / len(nodes) if nodes else fallback

    for _ in range(6):
        for rank in ranks:
            _place_layer(layers[rank], [mean_x(n.below, n.x) for n in layers[rank]], gap, dummy_gap)
        for rank in reversed(ranks):
            _place_layer(layers[rank], [mean_x(n.above, n.x) for n in layers[rank]], gap, dummy_gap)
    for rank in ranks:
        _place_layer(layers[rank], [mean_x(n.below + n.above, n.x) for n in layers[rank]], gap, dummy_gap)

    nodes = [n for layer in layers.values() for n in layer]
    if not nodes:
        return 0.0
    left = min(n.x - n.width / 2 for n in nodes)
    for node in nodes:
        node.x -= left
    return max(n.x + n.width / 2 for n in nodes)


# --- Shared geometry --------------------------------------------------------------------------------


@dataclass
class Box:
    """An element drawn as a box: its code on the first line, its title wrapped below."""

    element: object
    key: str
    level: ChainLevel
    lines: list[str]
    truncated: bool
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0
    extra: str = ""  # a muted last line (the narrow drawing lists the links there)


@dataclass
class Band:
    level: ChainLevel
    y: float
    h: float
    label_lines: list[str]
    empty: bool


@dataclass
class Drawing:
    """A finished layout, ready to be serialised as SVG."""

    width: float
    height: float
    frame: tuple[float, float, float, float]
    context_lines: list[str]
    bands: list[Band]
    boxes: list[Box]
    paths: list[str]  # SVG path data for the links, each ending in an arrowhead
    variant: str
    label_x: float = 0.0
    label_width: float = 0.0


KEY_SIZE = 12.0
TITLE_SIZE = 13.5
BOX_PAD_X = 9.0
BOX_PAD_Y = 8.0
MAX_TITLE_LINES = 5
LABEL_SIZE = 13.0
CONTEXT_SIZE = 13.0
# The level bands alternate between two light fills (also in the PNG for Word, larande.publishing.document).
BAND_FILLS = (PALETTE.band, PALETTE.band_alt)


def _box_height(box: Box) -> float:
    lines = len(box.lines) + (1 if box.extra else 0)
    return 2 * BOX_PAD_Y + KEY_SIZE * LINE_HEIGHT + max(lines, 0) * TITLE_SIZE * LINE_HEIGHT


def _level_label(level: ChainLevel) -> str:
    return f"{level.value} {level.label}" + (f" ({level.horizon})" if level.horizon else "")


def _context_text() -> str:
    return "A Kontext: " + ChainLevel.KONTEXT.description


def _make_box(element, width: float) -> Box:
    lines, truncated = wrap_text(element.title or "", width - 2 * BOX_PAD_X, TITLE_SIZE, MAX_TITLE_LINES)
    level = ChainLevel.parse(element.level)
    key = (element.key or "").strip() or "–"
    return Box(element=element, key=key, level=level, lines=lines, truncated=truncated, w=width)


def _build_routes(graph: ChainGraph, box_width: float, dummy_width: float):
    """Nodes per rank (each element once, dummies on skipped levels) and one route per link."""
    layers: dict[int, list[_Node]] = {level.rank: [] for level in ChainLevel.chain_levels()}
    node_for = {}
    for level, elements in graph.levels:
        for element in elements:
            node = _Node(rank=level.rank, element=element, width=box_width)
            node_for[id(element)] = node
            layers[level.rank].append(node)
    routes = []
    for source, target, link in graph.links:
        start, end = node_for[id(source)], node_for[id(target)]
        path = [start]
        for rank in range(start.rank + 1, end.rank):
            dummy = _Node(rank=rank, width=dummy_width)
            layers[rank].append(dummy)
            path.append(dummy)
        path.append(end)
        for lower, upper in zip(path, path[1:], strict=False):
            lower.above.append(upper)
            upper.below.append(lower)
        routes.append(_Route(source, target, link, path))
    return layers, routes, node_for


# --- Wide drawing -------------------------------------------------------------------------------------

WIDE_BOX_WIDTH = 176.0
WIDE_GAP = 30.0
WIDE_DUMMY_WIDTH = 10.0
WIDE_DUMMY_GAP = 10.0
WIDE_MARGIN = 10.0
WIDE_FRAME_PAD = 12.0
WIDE_LABEL_WIDTH = 150.0
WIDE_BAND_PAD = 24.0
WIDE_MIN_CONTENT = 420.0
# The smallest share of its drawn size that a wide diagram is shown at on a page before it scrolls.
READABLE_SCALE = 0.7


def layout_wide(graph: ChainGraph) -> Drawing:
    """Levels as horizontal bands, B at the top; elements left to right in crossing-reduced order."""
    layers, routes, node_for = _build_routes(graph, WIDE_BOX_WIDTH, WIDE_DUMMY_WIDTH)
    layers = reduce_crossings(layers)
    content_width = max(assign_x(layers, WIDE_GAP, WIDE_DUMMY_GAP), WIDE_MIN_CONTENT)
    # Centre a narrow chain in the space the minimum width leaves.
    used = max((n.x + n.width / 2 for layer in layers.values() for n in layer), default=0)
    centring = (content_width - used) / 2

    context_lines, _ = wrap_text(
        _context_text(), WIDE_LABEL_WIDTH + content_width + 16 - 2 * WIDE_FRAME_PAD, CONTEXT_SIZE
    )
    frame_x = frame_y = WIDE_MARGIN
    label_x = frame_x + WIDE_FRAME_PAD
    content_x = label_x + WIDE_LABEL_WIDTH + 16 + centring
    y = frame_y + WIDE_FRAME_PAD + len(context_lines) * CONTEXT_SIZE * LINE_HEIGHT + 8

    boxes: dict[int, Box] = {}
    bands = []
    band_top = {}
    for level, _elements in graph.levels:
        layer_nodes = layers[level.rank]
        level_boxes = []
        for node in layer_nodes:
            if node.is_dummy:
                continue
            box = _make_box(node.element, WIDE_BOX_WIDTH)
            level_boxes.append((node, box))
        box_h = max((_box_height(b) for _, b in level_boxes), default=0)
        label_lines, _ = wrap_text(_level_label(level), WIDE_LABEL_WIDTH - 8, LABEL_SIZE, bold=True)
        label_h = len(label_lines) * LABEL_SIZE * LINE_HEIGHT
        inner = max(box_h, label_h, 34)
        h = inner + 2 * WIDE_BAND_PAD
        bands.append(Band(level, y, h, label_lines, not level_boxes))
        band_top[level.rank] = (y, h)
        for node, box in level_boxes:
            box.h = box_h
            box.x = content_x + node.x - box.w / 2
            box.y = y + (h - box_h) / 2
            boxes[id(node)] = box
        y += h
    frame_h = y + WIDE_FRAME_PAD - frame_y
    frame_w = WIDE_FRAME_PAD * 2 + WIDE_LABEL_WIDTH + 16 + content_width
    width = frame_w + 2 * WIDE_MARGIN
    height = frame_h + 2 * WIDE_MARGIN

    # Ports: spread a box's outgoing links over its top edge and incoming ones over its bottom edge,
    # each sorted by where the link goes, so links leaving one box do not cross each other.
    def node_x(node):
        return content_x + node.x

    out_ports: dict[int, dict[int, float]] = {}
    in_ports: dict[int, dict[int, float]] = {}
    outgoing: dict[int, list] = {}
    incoming: dict[int, list] = {}
    for i, route in enumerate(routes):
        outgoing.setdefault(id(route.nodes[0]), []).append((node_x(route.nodes[1]), i))
        incoming.setdefault(id(route.nodes[-1]), []).append((node_x(route.nodes[-2]), i))
    for ports, groups in ((out_ports, outgoing), (in_ports, incoming)):
        for node_id, items in groups.items():
            box = boxes[node_id]
            items.sort()
            usable = box.w - 2 * BOX_PAD_X
            ports[node_id] = {
                i: box.x + BOX_PAD_X + usable * (n + 1) / (len(items) + 1) for n, (_, i) in enumerate(items)
            }

    paths = []
    for i, route in enumerate(routes):
        start, end = route.nodes[0], route.nodes[-1]
        source_box, target_box = boxes[id(start)], boxes[id(end)]
        points = [(out_ports[id(start)][i], source_box.y)]
        for dummy in route.nodes[1:-1]:
            top, h = band_top[dummy.rank]
            points.append((node_x(dummy), top + h))
            points.append((node_x(dummy), top))
        points.append((in_ports[id(end)][i], target_box.y + target_box.h + 2))
        paths.append(_curve(points))
    return Drawing(
        width=width,
        height=height,
        frame=(frame_x, frame_y, frame_w, frame_h),
        context_lines=context_lines,
        bands=bands,
        boxes=list(boxes.values()),
        paths=paths,
        variant="bred",
        label_x=label_x,
        label_width=WIDE_LABEL_WIDTH,
    )


def _curve(points: list[tuple[float, float]]) -> str:
    """A path upwards through `points`: vertical lines inside bands, S-curves between them."""
    (x0, y0) = points[0]
    parts = [f"M{fmt(x0)},{fmt(y0)}"]
    for (xa, ya), (xb, yb) in zip(points, points[1:], strict=False):
        if abs(xa - xb) < 0.5:
            parts.append(f"L{fmt(xb)},{fmt(yb)}")
        else:
            mid = (ya + yb) / 2
            parts.append(f"C{fmt(xa)},{fmt(mid)} {fmt(xb)},{fmt(mid)} {fmt(xb)},{fmt(yb)}")
    return " ".join(parts)


# --- Narrow drawing -----------------------------------------------------------------------------------

NARROW_WIDTH = 340.0
NARROW_MARGIN = 4.0
NARROW_FRAME_PAD = 8.0
NARROW_BOX_GAP = 10.0
NARROW_BAND_PAD = 8.0
NARROW_LANE_MIN = 3.0
NARROW_LANE_MAX = 9.0
NARROW_GUTTER_MIN = 28.0
NARROW_GUTTER_MAX = 96.0


def _assign_lanes(intervals: list[tuple[float, float, int]]) -> dict[int, int]:
    """Interval partitioning: each (top, bottom, id) gets the innermost lane free over its span.

    Shorter arcs are placed first, so they take the inner lanes and arcs nest instead of crossing.
    """
    lanes: list[list[tuple[float, float]]] = []
    result = {}
    for top, bottom, ident in sorted(intervals, key=lambda t: (t[1] - t[0], t[0])):
        for index, taken in enumerate(lanes):
            if all(bottom + 3 < a or top - 3 > b for a, b in taken):
                taken.append((top, bottom))
                result[ident] = index
                break
        else:
            lanes.append([(top, bottom)])
            result[ident] = len(lanes) - 1
    return result


def layout_narrow(graph: ChainGraph, order: dict[ChainLevel, list] | None = None) -> Drawing:
    """Levels stacked, one element per row, links as arcs in a gutter on the right (phones, 320 px)."""
    order = order or dict(graph.levels)
    targets: dict[int, list[str]] = {}
    for source, target, _ in graph.links:
        targets.setdefault(id(source), []).append((target.key or "").strip() or "–")
    lane_guess = len(graph.links)
    gutter = min(max(NARROW_GUTTER_MIN, lane_guess * 5 + 12), NARROW_GUTTER_MAX) if graph.links else 0
    frame_x = frame_y = NARROW_MARGIN
    inner_x = frame_x + NARROW_FRAME_PAD
    inner_w = NARROW_WIDTH - 2 * (NARROW_MARGIN + NARROW_FRAME_PAD)
    box_w = inner_w - gutter - 2 * NARROW_BAND_PAD
    context_lines, _ = wrap_text(_context_text(), inner_w, CONTEXT_SIZE)
    y = frame_y + NARROW_FRAME_PAD + len(context_lines) * CONTEXT_SIZE * LINE_HEIGHT + 6
    bands, boxes = [], []
    box_for = {}
    for level, _ in graph.levels:
        # Labels stop where the link gutter begins, so no arc is drawn over them.
        label_lines, _ = wrap_text(_level_label(level), box_w, LABEL_SIZE, bold=True)
        top = y
        y += NARROW_BAND_PAD + len(label_lines) * LABEL_SIZE * LINE_HEIGHT + 4
        level_elements = order.get(level, [])
        for element in level_elements:
            box = _make_box(element, box_w)
            if targets.get(id(element)):
                box.extra = "Leder till: " + ", ".join(targets[id(element)])
                extra_lines, _ = wrap_text(box.extra, box_w - 2 * BOX_PAD_X, TITLE_SIZE, 2)
                box.extra = " ".join(extra_lines)
                if len(extra_lines) > 1:
                    box.lines = box.lines + extra_lines[:-1]
                    box.extra = extra_lines[-1]
            box.x = inner_x + NARROW_BAND_PAD
            box.y = y
            box.h = _box_height(box)
            y += box.h + NARROW_BOX_GAP
            boxes.append(box)
            box_for[id(element)] = box
        if not level_elements:
            y += 26
        y += NARROW_BAND_PAD - (NARROW_BOX_GAP if level_elements else 0)
        bands.append(Band(level, top, y - top, label_lines, not level_elements))
    frame_h = y + NARROW_FRAME_PAD - frame_y
    height = frame_h + 2 * NARROW_MARGIN

    # Ports: outgoing links leave from the lower half of a box's right edge, incoming ones arrive
    # in the upper half, spread so that no two share a point.
    out_count: dict[int, int] = {}
    in_count: dict[int, int] = {}
    for source, target, _ in graph.links:
        out_count[id(source)] = out_count.get(id(source), 0) + 1
        in_count[id(target)] = in_count.get(id(target), 0) + 1
    out_seen: dict[int, int] = {}
    in_seen: dict[int, int] = {}
    spans = []
    for i, (source, target, _) in enumerate(graph.links):
        sb, tb = box_for[id(source)], box_for[id(target)]
        n_out = out_seen[id(source)] = out_seen.get(id(source), 0) + 1
        n_in = in_seen[id(target)] = in_seen.get(id(target), 0) + 1
        sy = sb.y + sb.h / 2 + (sb.h / 2 - 6) * n_out / (out_count[id(source)] + 1)
        ty = tb.y + 6 + (tb.h / 2 - 6) * n_in / (in_count[id(target)] + 1)
        spans.append((ty, sy, i))
    lanes = _assign_lanes(spans)
    lane_total = max(lanes.values(), default=-1) + 1
    spacing = min(NARROW_LANE_MAX, max(NARROW_LANE_MIN, (gutter - 10) / max(lane_total, 1)))
    right = inner_x + NARROW_BAND_PAD + box_w
    paths = []
    for ty, sy, i in spans:
        lane_x = right + 8 + spacing * lanes[i]
        r = min(4.0, (lane_x - right) / 2, (sy - ty) / 2)
        paths.append(
            f"M{fmt(right)},{fmt(sy)} H{fmt(lane_x - r)} Q{fmt(lane_x)},{fmt(sy)} {fmt(lane_x)},{fmt(sy - r)} "
            f"V{fmt(ty + r)} Q{fmt(lane_x)},{fmt(ty)} {fmt(lane_x - r)},{fmt(ty)} H{fmt(right + 2)}"
        )
    return Drawing(
        width=NARROW_WIDTH,
        height=height,
        frame=(frame_x, frame_y, NARROW_WIDTH - 2 * NARROW_MARGIN, frame_h),
        context_lines=context_lines,
        bands=bands,
        boxes=boxes,
        paths=paths,
        variant="smal",
        label_x=inner_x + NARROW_BAND_PAD,
        label_width=inner_w,
    )


# --- SVG ------------------------------------------------------------------------------------------------


def description(graph: ChainGraph) -> str:
    """The SVG's <desc>: what the drawing shows and where the same content is as text."""
    count, links = graph.element_count, len(graph.links)
    elements = "ett element" if count == 1 else f"{count} element"
    link_text = "en länk" if links == 1 else f"{links} länkar"
    text = (
        "Effektkedjan ritad som nivåer inom kontexten (A): långsiktiga effekter (B) överst och resurser (G) "
        f"nederst. Kedjan har {elements} och {link_text} ”leder till”, ritade som pilar uppåt. "
        "Samma innehåll finns som text i anslutning till diagrammet."
    )
    if graph.evidence is not None:
        text += (
            " Varje länk ritas efter vad publicerade utvärderingar säger om den: "
            + "; ".join(f"{status.line_name} betyder {status.label.lower()}" for status in LinkStatus)
            + ". Förklaringen står under diagrammet."
        )
        counts = [
            (status, sum(1 for *_, link in graph.links if graph.link_status(link) == status)) for status in LinkStatus
        ]
        text += " " + ", ".join(f"{status.label.lower()}: {count}" for status, count in counts) + "."
    if graph.notices:
        text += " Obs: " + " ".join(graph.notices)
    return text


# How a link is drawn for its evidence status: the pattern of the line says it, never its colour alone.
LINK_STYLES = {
    LinkStatus.SUPPORTED: {"stroke_width": "2.8"},
    LinkStatus.CONTRADICTED: {"stroke_dasharray": "10 5"},
    LinkStatus.DISPUTED: {"stroke_dasharray": "10 4 2 4"},
    LinkStatus.UNCLEAR: {"stroke_dasharray": "4 3"},
    LinkStatus.UNTESTED: {"stroke_dasharray": "0.1 5.5", "stroke_linecap": "round", "stroke_width": "2.6"},
}
LEGEND_SIZE = 12.5
LEGEND_ROW = 20.0
LEGEND_SAMPLE = 48.0


def legend_height(graph: ChainGraph) -> float:
    """The space the evidence legend takes below the drawing (none without evidence)."""
    if graph.evidence is None:
        return 0.0
    return LEGEND_SIZE * LINE_HEIGHT + 10 + len(LinkStatus) * LEGEND_ROW + 6


def _legend(root, drawing: Drawing, arrow: str) -> None:
    """The legend: a sample of each line style with its status in words."""
    fx, fy, _fw, fh = drawing.frame
    x, y = fx + 6, fy + fh + 10
    group = sub(root, "g", **{"class": "chain-diagram__legend"})
    text_block(group, x, y, ["Länkarnas evidens:"], LEGEND_SIZE, fill=PALETTE.text, font_weight="bold")
    y += LEGEND_SIZE * LINE_HEIGHT + 8
    for status in LinkStatus:
        mid = y + LEGEND_ROW / 2 - 2
        sub(
            group,
            "path",
            d=f"M{fmt(x)},{fmt(mid)} H{fmt(x + LEGEND_SAMPLE)}",
            marker_end=arrow,
            **{"fill": "none", "stroke": PALETTE.brand, "stroke_width": "1.6", **LINK_STYLES[status]},
        )
        text_block(
            group, x + LEGEND_SAMPLE + 10, mid - LEGEND_SIZE * 0.75, [status.label], LEGEND_SIZE, fill=PALETTE.text
        )
        y += LEGEND_ROW


def render_svg(graph: ChainGraph, drawing: Drawing, id_prefix: str, standalone: bool = False) -> str | SafeString:
    """The drawing as an SVG document (standalone) or an inline <svg> element for HTML."""
    height = drawing.height + legend_height(graph)
    root = svg_root(
        id_prefix,
        drawing.width,
        height,
        f"chain-diagram__svg chain-diagram__svg--{drawing.variant}",
        f"Effektkedja: {graph.title}",
        description(graph),
        standalone=standalone,
    )
    if drawing.variant == "bred" and not standalone:
        # On a page the drawing fills its column but never shrinks below READABLE_SCALE of its
        # size: the column scrolls instead. The width attribute gives CSS that smallest size
        # (portal.css: `min-width: 100%` and no width), with no inline style for the
        # Content-Security-Policy to refuse.
        root.set("width", fmt(drawing.width * READABLE_SCALE))
        root.set("height", fmt(height * READABLE_SCALE))
    arrow = arrow_marker(root, id_prefix, "9", PALETTE.brand)

    fx, fy, fw, fh = drawing.frame
    rect(root, fx, fy, fw, fh, rx="6", fill=PALETTE.bg, stroke=PALETTE.line, stroke_width="1.5")
    text_block(root, drawing.label_x, fy + 6, drawing.context_lines, CONTEXT_SIZE, fill=PALETTE.text)

    for index, band in enumerate(drawing.bands):
        group = sub(root, "g", **{"class": f"chain-diagram__band chain-diagram__band--{band.level.value.lower()}"})
        rect(group, fx + 4, band.y, fw - 8, band.h, fill=BAND_FILLS[index % 2])
        if index:
            sub(
                group,
                "line",
                x1=fmt(fx + 4),
                x2=fmt(fx + fw - 4),
                y1=fmt(band.y),
                y2=fmt(band.y),
                stroke=PALETTE.line,
                stroke_width="1",
                stroke_dasharray="4 3",
            )
        if drawing.variant == "bred":
            label_y = band.y + (band.h - len(band.label_lines) * LABEL_SIZE * LINE_HEIGHT) / 2 - 3
        else:
            label_y = band.y + NARROW_BAND_PAD - 3
        text_block(
            group, drawing.label_x, label_y, band.label_lines, LABEL_SIZE, fill=PALETTE.brand_dark, font_weight="bold"
        )
        if band.empty:
            if drawing.variant == "bred":
                ex, ey = drawing.label_x + drawing.label_width + 16, band.y + band.h / 2 - TITLE_SIZE / 2 - 3
            else:
                ey = band.y + band.h - NARROW_BAND_PAD - 24
                ex = drawing.label_x
            text_block(
                group, ex, ey, ["Inga element på nivån ännu."], TITLE_SIZE, fill=PALETTE.muted, font_style="italic"
            )

    links = sub(root, "g", **{"class": "chain-diagram__links"}, fill="none", stroke=PALETTE.brand, stroke_width="1.6")
    for d, (_source, _target, link) in zip(drawing.paths, graph.links, strict=True):
        if graph.evidence is None:
            sub(links, "path", d=d, marker_end=arrow)
        else:
            status = graph.link_status(link)
            css = f"chain-diagram__link chain-diagram__link--{status.slug}"
            sub(links, "path", d=d, marker_end=arrow, **{"class": css}, **LINK_STYLES[status])
    if graph.evidence is not None:
        _legend(root, drawing, arrow)

    for box in drawing.boxes:
        group = sub(root, "g", **{"class": "chain-diagram__element"})
        rect(group, box.x, box.y, box.w, box.h, rx="4", fill=PALETTE.bg, stroke=PALETTE.line, stroke_width="1.2")
        text_block(
            group,
            box.x + BOX_PAD_X,
            box.y + BOX_PAD_Y - 2,
            [box.key],
            KEY_SIZE,
            fill=PALETTE.brand_dark,
            font_weight="bold",
        )
        top = box.y + BOX_PAD_Y + KEY_SIZE * LINE_HEIGHT - 2
        text_block(group, box.x + BOX_PAD_X, top, box.lines, TITLE_SIZE, fill=PALETTE.text)
        if box.extra:
            extra_y = top + len(box.lines) * TITLE_SIZE * LINE_HEIGHT
            text_block(
                group, box.x + BOX_PAD_X, extra_y, [box.extra], TITLE_SIZE, fill=PALETTE.muted, font_style="italic"
            )

    return to_svg_document(root) if standalone else to_inline_svg(root)


# --- What pages and exports use -----------------------------------------------------------------------


@dataclass
class ChainDiagram:
    """A chain's diagram in both drawings, with the notices and the facts for its text version."""

    chain: object
    graph: ChainGraph
    id_prefix: str

    @cached_property
    def wide(self) -> Drawing:
        return layout_wide(self.graph)

    @cached_property
    def narrow(self) -> Drawing:
        # The narrow drawing keeps the wide one's crossing-reduced order within each level.
        order: dict[ChainLevel, list] = {}
        for box in sorted(self.wide.boxes, key=lambda b: b.x):
            order.setdefault(box.level, []).append(box.element)
        return layout_narrow(self.graph, order)

    @cached_property
    def wide_svg(self) -> SafeString:
        return render_svg(self.graph, self.wide, f"{self.id_prefix}-bred")

    @cached_property
    def narrow_svg(self) -> SafeString:
        return render_svg(self.graph, self.narrow, f"{self.id_prefix}-smal")

    def standalone_svg(self) -> str:
        """The wide drawing as an SVG file to download."""
        return render_svg(self.graph, self.wide, f"{self.id_prefix}-bred", standalone=True)

    @property
    def notices(self) -> list[str]:
        notices = list(self.graph.notices)
        if any(box.truncated for box in self.wide.boxes):
            notices.append("Långa titlar är förkortade i diagrammet. Hela titeln står i textversionen.")
        return notices

    @property
    def context_description(self) -> str:
        return ChainLevel.KONTEXT.description

    @property
    def levels(self):
        """[(level, elements)] from B down to G, for the text version."""
        return self.graph.levels

    @property
    def links(self):
        """[(source, target, link)] for every drawn link, for the text version."""
        return self.graph.links

    @property
    def has_evidence(self) -> bool:
        return self.graph.evidence is not None

    @property
    def evidence_links(self):
        """[(source, target, link, summary)] for every drawn link, for the text version with evidence."""
        evidence = self.graph.evidence or {}
        return [(s, t, link, evidence.get(link.pk, EMPTY_EVIDENCE)) for s, t, link in self.graph.links]

    @property
    def legend(self):
        """[(status, how its line is drawn)] for the text version of the legend."""
        return [(status, status.line_name) for status in LinkStatus] if self.has_evidence else []


def chain_diagram(
    chain, elements=None, links=None, id_prefix: str | None = None, evidence: dict | None = None
) -> ChainDiagram:
    """The diagram of a chain; `id_prefix` keeps ids unique when several diagrams share a page;
    `evidence` ({link id: summary}, `larande.chains.evidence.evidence_by_link`) draws the links by
    what published results say about them, with a legend."""
    return ChainDiagram(
        chain=chain,
        graph=chain_graph(chain, elements, links, evidence),
        id_prefix=id_prefix or f"kedja-{chain.pk or 'ny'}",
    )
