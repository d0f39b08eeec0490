"""The SVG toolkit: text measuring and wrapping, the palette, and accessible, well-formed SVG.

Every drawing the portal makes (chain diagrams in `larande.chains.diagrams`, concept maps in
`larande.glossary.concept_map`, indicator charts in `larande.evaluation.charts` and their template)
uses this module, so a rule is written once:

- Text is measured with the advance widths of DejaVu Sans, the widest of the fonts in FONT_FAMILY,
  and generously (`text_width` is never narrower than the drawn text), so wrapped text stays inside
  its box in any of them. `wrap_text` wraps greedily, splits words longer than a line with a
  hyphen, and with `max_lines` ends the last kept line in "…".
- The palette is defined once, in PALETTE. portal.css declares the same colours as custom
  properties in its `:root` block (a test holds the two equal: `Palette.css_root()` is the block to
  paste); templates that cannot use the page's CSS (the PDF's print.css, the 500 page, the chart
  component) take colours with `{% load svg_tags %}{% palette "text" %}` or from their context.
  CONTRAST_PAIRS lists which colour is drawn on which: text meets WCAG 2.1 AA's 4.5:1, lines and
  markers 3:1.
- An SVG is an image with an accessible name: `svg_root` gives it role="img", a <title> and a
  <desc> with ids and aria-labelledby, and the language (`lang` inline in HTML, `xml:lang` only in
  a standalone SVG 1.1 file). Elements are built with ElementTree, which escapes every text and
  attribute; `clean_text` and `sub` also drop the characters XML 1.0 forbids, so editor text can
  never make the markup ill-formed.

No database access and no Django settings here, apart from the locale used by `format_number`.
"""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, fields
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

SVG_NS = "http://www.w3.org/2000/svg"
FONT_FAMILY = "DejaVu Sans, Verdana, Geneva, sans-serif"
LINE_HEIGHT = 1.3
ELLIPSIS = "…"


# --- Palette ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Palette:
    """The portal's colours. Field `brand_dark` is the CSS custom property `--brand-dark`."""

    text: str = "#1b1b1b"
    muted: str = "#4a4a4a"
    bg: str = "#ffffff"
    surface: str = "#f3f5f7"
    border: str = "#8a949e"
    line: str = "#4a5560"  # frames, box outlines, connectors that carry meaning
    grid: str = "#c4cbd2"  # chart grid lines and light rules: decoration, every value is also text
    band: str = "#eef2f6"  # the chain diagram's level bands, alternating with band_alt
    band_alt: str = "#f7f9fb"
    brand: str = "#0b4f8a"
    brand_dark: str = "#07365f"
    accent: str = "#8a3b00"
    accent_surface: str = "#fdf3ec"  # behind concepts that are often confused with this one
    highlight: str = "#fff3b0"  # search hits
    focus: str = "#ffbf47"
    ok: str = "#1d6b2f"
    warn: str = "#7a4a00"
    danger: str = "#a3141b"

    def __getitem__(self, name: str) -> str:
        """A colour by field name, for templates: `palette["brand_dark"]`."""
        if name not in self.names():
            raise KeyError(name)
        return getattr(self, name)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def css_properties(self) -> dict[str, str]:
        """{"--text": "#1b1b1b", "--brand-dark": …}: the custom properties portal.css declares."""
        return {"--" + name.replace("_", "-"): getattr(self, name) for name in self.names()}

    def css_root(self) -> str:
        """The colour lines of portal.css's `:root` block, in the palette's order."""
        return "\n".join(f"    {prop}: {value};" for prop, value in self.css_properties().items())


PALETTE = Palette()

AA_TEXT = 4.5  # WCAG 2.1 AA, 1.4.3: normal text
AA_NON_TEXT = 3.0  # WCAG 2.1 AA, 1.4.11: lines, markers and outlines a reader needs

# (foreground, background, minimum): every combination a drawing or the page draws.
CONTRAST_PAIRS: tuple[tuple[str, str, float], ...] = (
    *((fg, bg, AA_TEXT) for fg in ("text", "muted", "brand", "brand_dark", "accent") for bg in ("bg", "surface")),
    *((fg, bg, AA_TEXT) for fg in ("text", "muted", "brand_dark") for bg in ("band", "band_alt")),
    ("text", "accent_surface", AA_TEXT),
    ("text", "highlight", AA_TEXT),
    ("bg", "brand", AA_TEXT),
    ("bg", "brand_dark", AA_TEXT),
    ("bg", "text", AA_TEXT),
    ("ok", "bg", AA_TEXT),
    ("warn", "bg", AA_TEXT),
    ("danger", "bg", AA_TEXT),
    *((fg, "bg", AA_NON_TEXT) for fg in ("line", "brand", "accent", "border")),
    *((fg, bg, AA_NON_TEXT) for fg in ("line", "brand") for bg in ("band", "band_alt")),
    ("accent", "accent_surface", AA_NON_TEXT),
    ("focus", "brand_dark", AA_NON_TEXT),
)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """The WCAG 2.1 contrast ratio of two "#rrggbb" colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# --- Text -----------------------------------------------------------------------------------------------

# Advance widths of DejaVu Sans (em/100), read from the font file with fontTools.
_CHARS = (
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~åäöÅÄÖéüÉ–—”“’…→"
)
_ADVANCES = (
    "32 40 46 84 64 95 78 27 39 39 50 84 32 36 32 34 64 64 64 64 64 64 64 64 64 64 34 34 84 84 84 53 100 68 69 70 "
    "77 63 58 77 75 29 29 66 56 86 75 79 60 79 69 63 61 73 68 99 69 61 69 39 34 39 84 50 50 61 63 55 63 62 35 63 63 "
    "28 28 58 28 97 63 61 63 63 41 52 39 63 59 82 59 59 52 64 34 64 84 61 61 61 68 68 79 62 63 63 50 100 52 52 32 "
    "100 84"
)
CHAR_WIDTHS = {ch: int(width) / 100 for ch, width in zip(_CHARS, _ADVANCES.split(), strict=True)}
DEFAULT_CHAR_WIDTH = 0.72  # letters outside the table: assume a wide one
WIDE_CHAR_WIDTH = 1.3  # emoji and East Asian wide letters: wider than any Latin letter
BOLD_FACTOR = 1.12
SAFETY = 1.05
ZERO_WIDTH_JOINER = "\u200d"


def _is_xml_forbidden(ch: str) -> bool:
    # Control characters (tab, line feed and carriage return are allowed but not wanted on one
    # line), lone surrogates and the two non-characters XML 1.0 excludes.
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff"


def _is_zero_width(ch: str) -> bool:
    return bool(unicodedata.combining(ch)) or unicodedata.category(ch) in ("Mn", "Me", "Cf")


def clean_text(text) -> str:
    """`text` on one line without the characters XML 1.0 forbids (control characters, U+FFFE/FFFF)."""
    return " ".join("".join(" " if _is_xml_forbidden(ch) else ch for ch in str(text or "")).split())


def char_width(ch: str) -> float:
    """The advance of one character in em, generously."""
    if ch in CHAR_WIDTHS:
        return CHAR_WIDTHS[ch]
    if _is_zero_width(ch):
        return 0.0  # accents, variation selectors, zero-width joiners
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return WIDE_CHAR_WIDTH
    return DEFAULT_CHAR_WIDTH


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width `text` takes at font size `size`, measured generously (never narrower than drawn)."""
    return sum(char_width(ch) for ch in text) * size * SAFETY * (BOLD_FACTOR if bold else 1)


def _safe_cut(word: str, cut: int) -> int:
    """`cut` moved left until it splits no accent from its letter and no joined emoji."""
    while cut > 1 and (_is_zero_width(word[cut]) or word[cut - 1] == ZERO_WIDTH_JOINER):
        cut -= 1
    return cut


def wrap_text(
    text, width: float, size: float, max_lines: int | None = None, bold: bool = False
) -> tuple[list[str], bool]:
    """Greedy word wrap of `text` to `width` at `size`; returns (lines, truncated).

    The text is cleaned first (`clean_text`). Words longer than a line are split with a hyphen.
    With `max_lines`, text that does not fit is cut and the last kept line ends in "…"; a very long
    text stops being wrapped as soon as it is known not to fit, so a 10 000 character title is cheap.
    """
    lines: list[str] = []
    current = ""
    for word in clean_text(text).split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
            current = ""
        while len(word) > 1 and text_width(word, size, bold) > width:
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut] + "-", size, bold) > width:
                cut -= 1
            cut = _safe_cut(word, cut)
            lines.append(word[:cut] + "-")
            word = word[cut:]
        current = word
        if max_lines is not None and len(lines) > max_lines:
            break
    if current:
        lines.append(current)
    if max_lines is None or len(lines) <= max_lines:
        return lines, False
    lines = lines[:max_lines]
    last = lines[-1].rstrip("-").rstrip()
    while last and text_width(last + ELLIPSIS, size, bold) > width:
        last = last[: _safe_cut(last, len(last) - 1) if len(last) > 1 else 0].rstrip()
    lines[-1] = last + ELLIPSIS
    return lines, True


def fmt(value: float) -> str:
    """A coordinate for SVG: one decimal at most, without trailing zeros, always a decimal point."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_number(value) -> str:
    """A number the Swedish way: decimal comma, grouped thousands, no trailing zeros (7,50 → 7,5).

    None gives an empty string.
    """
    if value is None:
        return ""
    value = Decimal(value) if not isinstance(value, float) else Decimal(str(value))
    normalized = value.normalize()
    if normalized == normalized.to_integral():
        normalized = normalized.quantize(Decimal(1))  # normalize() alone would write 1500 as 1.5E+3
    places = max(0, -normalized.as_tuple().exponent)
    return number_format(normalized, decimal_pos=places, use_l10n=True, force_grouping=True)


# --- Elements -------------------------------------------------------------------------------------------


def _attribute(value) -> str:
    return "".join(ch for ch in str(value) if not _is_xml_forbidden(ch))


def sub(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    """A child element; `font_size=` becomes `font-size`, attributes that are None are left out.

    Text and attribute values lose the characters XML forbids; ElementTree escapes the rest.
    """
    element = ET.SubElement(
        parent, tag, {k.replace("_", "-"): _attribute(v) for k, v in attrs.items() if v is not None}
    )
    if text is not None:
        element.text = _attribute(text)
    return element


def text_block(
    parent,
    x: float,
    y: float,
    lines: list[str],
    size: float,
    ascent: float = 1.0,
    line_height: float = LINE_HEIGHT,
    **attrs,
) -> None:
    """Lines of text, one <tspan> each; the first line's baseline is `ascent * size` below `y`."""
    if not lines:
        return
    text = sub(parent, "text", x=fmt(x), y=fmt(y + size * ascent), font_size=fmt(size), **attrs)
    for i, line in enumerate(lines):
        sub(text, "tspan", line, x=fmt(x), dy=fmt(0 if i == 0 else size * line_height))


@dataclass(frozen=True)
class SvgLabel:
    """The ids of an SVG's <title> and <desc>, and the aria-labelledby that names the image by them."""

    title_id: str
    desc_id: str

    @property
    def labelledby(self) -> str:
        return f"{self.title_id} {self.desc_id}"


def svg_label(id_prefix: str) -> SvgLabel:
    """Ids `{id_prefix}-titel` and `{id_prefix}-beskrivning`; the prefix keeps them unique on a page."""
    return SvgLabel(f"{id_prefix}-titel", f"{id_prefix}-beskrivning")


def svg_root(
    id_prefix: str,
    width: float,
    height: float,
    css_class: str,
    title: str,
    desc: str,
    standalone: bool = False,
) -> ET.Element:
    """An <svg> with role="img", named by its <title> and <desc> (see `svg_label`), in Swedish.

    Inline in HTML it says its language with `lang`, which HTML reads; a `standalone` SVG 1.1
    document says it with `xml:lang` only (`lang` is HTML's and SVG 2's, not SVG 1.1's).
    """
    label = svg_label(id_prefix)
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "version": "1.1",
            "viewBox": f"0 0 {fmt(width)} {fmt(height)}",
            "width": fmt(width),
            "height": fmt(height),
            "role": "img",
            "aria-labelledby": label.labelledby,
            "class": css_class,
            "font-family": FONT_FAMILY,
            ("xml:lang" if standalone else "lang"): "sv",
        },
    )
    sub(root, "title", clean_text(title), id=label.title_id)
    sub(root, "desc", clean_text(desc), id=label.desc_id)
    return root


def arrow_marker(root, id_prefix: str, size: str, fill: str, **attrs) -> str:
    """<defs> with an arrowhead marker (id `{id_prefix}-pil`); returns the reference for marker-end."""
    marker_id = f"{id_prefix}-pil"
    marker = sub(
        sub(root, "defs"),
        "marker",
        id=marker_id,
        viewBox="0 0 10 10",
        refX="9",
        refY="5",
        markerWidth=size,
        markerHeight=size,
        markerUnits="userSpaceOnUse",
        orient="auto",
    )
    sub(marker, "path", d="M0,0 L10,5 L0,10 z", fill=fill, **attrs)
    return f"url(#{marker_id})"


def rect(parent, x: float, y: float, width: float, height: float, **attrs) -> ET.Element:
    """A rectangle (a drawing's frame, a band, a box) at coordinates written with `fmt`."""
    return sub(parent, "rect", x=fmt(x), y=fmt(y), width=fmt(width), height=fmt(height), **attrs)


def to_svg_document(root: ET.Element) -> str:
    """A standalone SVG file: the XML declaration and the serialised element."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def to_inline_svg(root: ET.Element) -> SafeString:
    """The element as markup to put in an HTML page."""
    # ElementTree escaped every text and attribute, and `sub` dropped what XML forbids, so the
    # markup is safe to inline.
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308
