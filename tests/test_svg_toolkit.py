"""The SVG toolkit (core/svg.py): measuring, wrapping awkward text, escaping, the accessible <svg>,
the one palette (and that portal.css, the PDF's CSS and the chart template take it from there), and
that the drawings keep no private copies of what the toolkit provides."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from hypothesis import given
from hypothesis import strategies as st

from core import svg
from core.svg import PALETTE

ROOT = Path(settings.BASE_DIR)
SVG = "{http://www.w3.org/2000/svg}"
HEX = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?(?:[0-9a-fA-F]{2})?\b")
DRAWING_MODULES = ["larande/chains/diagrams.py", "larande/glossary/concept_map.py", "larande/evaluation/charts.py"]


def _parse(markup):
    return ET.fromstring(markup)  # noqa: S314 - the toolkit's own output, checked to be well-formed XML


# --- Measuring ------------------------------------------------------------------------------------------


def test_width_grows_with_text_size_and_weight():
    assert svg.text_width("", 14) == 0
    assert svg.text_width("Utfall", 14) < svg.text_width("Utfall och effekter", 14)
    assert svg.text_width("Utfall", 28) == pytest.approx(2 * svg.text_width("Utfall", 14))
    assert svg.text_width("Utfall", 14, bold=True) > svg.text_width("Utfall", 14)


def test_width_is_generous_for_letters_outside_the_table():
    # DejaVu Sans: "M" is 0.86 em, "i" 0.28 em; with the safety margin the estimate is never narrower.
    assert svg.text_width("M", 100) >= 86
    assert svg.text_width("i", 100) >= 28
    assert svg.text_width("Ω", 14) >= svg.text_width("o", 14)  # not in the table: assumed wide
    assert svg.text_width("🎓", 14) > svg.text_width("M", 14)  # emoji wider than any Latin letter
    assert svg.text_width("中", 14) > svg.text_width("M", 14)


def test_accents_and_joiners_take_no_width():
    assert svg.text_width("e\u0301", 14) == svg.text_width("e", 14)  # e + combining acute
    family = "👩\u200d👩\u200d👧"  # one glyph drawn from three emoji and two joiners
    assert svg.text_width(family, 14) == pytest.approx(3 * svg.text_width("👩", 14))
    assert svg.text_width("❤\ufe0f", 14) == svg.text_width("❤", 14)  # variation selector


# --- Wrapping -------------------------------------------------------------------------------------------


def test_wraps_at_spaces_and_keeps_every_word():
    text = "Ökad samverkan mellan företag och lärosäten i regionen"
    lines, truncated = svg.wrap_text(text, 120, 13)
    assert not truncated and len(lines) > 1
    assert " ".join(lines) == text
    assert all(svg.text_width(line, 13) <= 120 for line in lines)


def test_a_word_longer_than_a_line_is_split_with_hyphens():
    word = "Kompetensförsörjningsplaneringsprocessutvecklingsarbete"
    lines, truncated = svg.wrap_text(word, 80, 13)
    assert not truncated and len(lines) > 2
    assert all(line.endswith("-") for line in lines[:-1])
    assert "".join(line.removesuffix("-") for line in lines) == word
    assert all(svg.text_width(line, 13) <= 80 for line in lines)


def test_max_lines_cuts_with_an_ellipsis_that_fits():
    lines, truncated = svg.wrap_text("Mycket lång titel " * 40, 100, 14, max_lines=2)
    assert truncated and len(lines) == 2
    assert lines[-1].endswith("…") and not lines[-1].endswith("-…")
    assert all(svg.text_width(line, 14) <= 100 for line in lines)
    assert svg.wrap_text("Kort", 100, 14, max_lines=2) == (["Kort"], False)


def test_a_huge_text_is_cheap_to_cut():
    lines, truncated = svg.wrap_text("ord " * 50_000 + "x" * 50_000, 150, 13, max_lines=3)
    assert truncated and len(lines) == 3


def test_empty_and_blank_text_gives_no_lines():
    assert svg.wrap_text("", 100, 14) == ([], False)
    assert svg.wrap_text(None, 100, 14) == ([], False)
    assert svg.wrap_text(" \n\t ", 100, 14, max_lines=2) == ([], False)


def test_emoji_and_accents_are_never_split_from_their_parts():
    family = "👩\u200d👩\u200d👧"
    lines, _ = svg.wrap_text(family * 12, 80, 14)  # one family fits a line, two do not
    assert "".join(line.removesuffix("-") for line in lines) == family * 12
    for line in lines:
        core = line.removesuffix("-")
        assert not core.startswith("\u200d") and not core.endswith("\u200d")
    accented = "e\u0301" * 40
    lines, _ = svg.wrap_text(accented, 50, 14)
    assert all(not line.startswith("\u0301") for line in lines)


def test_markup_characters_are_text_and_control_characters_are_dropped():
    text = "Mål & medel <b>\"citat\"</b> 'enkla'\x00\x0b slut"
    lines, _ = svg.wrap_text(text, 1000, 13)
    assert lines == ["Mål & medel <b>\"citat\"</b> 'enkla' slut"]


@given(st.text(max_size=300), st.floats(min_value=5, max_value=400), st.integers(min_value=1, max_value=6))
def test_wrapping_any_text_fits_and_never_fails(text, width, max_lines):
    lines, truncated = svg.wrap_text(text, width, 13, max_lines=max_lines)
    assert len(lines) <= max_lines
    assert all("\n" not in line and "\x00" not in line for line in lines)
    wide_enough = width >= svg.text_width("M-", 13) and width >= svg.text_width("🎓-", 13)
    if wide_enough:
        assert all(svg.text_width(line, 13) <= width for line in lines)
    root = svg.svg_root("x", 10, 10, "c", text, text)
    svg.text_block(root, 0, 0, lines, 13)
    _parse(svg.to_inline_svg(root))  # well-formed whatever the editor typed


# --- Escaping and the accessible <svg> --------------------------------------------------------------------


def test_svg_root_is_a_named_image_with_escaped_title_and_description():
    root = svg.svg_root("karta-1", 100, 50, "karta", 'Mål & "medel" <x>', "Beskrivning\x00 med\nrader")
    markup = str(svg.to_inline_svg(root))
    element = _parse(markup)
    assert element.get("role") == "img"
    assert element.get("aria-labelledby") == "karta-1-titel karta-1-beskrivning"
    assert element.find(f"{SVG}title").get("id") == "karta-1-titel"
    assert element.find(f"{SVG}title").text == 'Mål & "medel" <x>'
    assert element.find(f"{SVG}desc").get("id") == "karta-1-beskrivning"
    assert element.find(f"{SVG}desc").text == "Beskrivning med rader"
    assert "&amp;" in markup and "&lt;x&gt;" in markup
    assert element.get("lang") == "sv" and element.get("viewBox") == "0 0 100 50"


def test_a_standalone_svg_says_its_language_with_xml_lang_only():
    root = svg.svg_root("d", 10, 10, "c", "T", "D", standalone=True)
    document = svg.to_svg_document(root)
    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    element = _parse(document.split("\n", 1)[1])
    assert element.get("{http://www.w3.org/XML/1998/namespace}lang") == "sv"
    assert "lang" not in element.attrib


def test_label_ids_match_the_root():
    label = svg.svg_label("indikator-3")
    assert (label.title_id, label.desc_id) == ("indikator-3-titel", "indikator-3-beskrivning")
    assert label.labelledby == "indikator-3-titel indikator-3-beskrivning"


def test_arrow_marker_and_text_block():
    root = svg.svg_root("p", 10, 10, "c", "T", "D")
    assert svg.arrow_marker(root, "p", "9", PALETTE.brand) == "url(#p-pil)"
    svg.text_block(root, 1, 2, ["en", "två"], 10, fill=PALETTE.text)
    element = _parse(svg.to_inline_svg(root))
    assert element.find(f"{SVG}defs/{SVG}marker").get("id") == "p-pil"
    text = element.find(f"{SVG}text")
    assert [t.text for t in text] == ["en", "två"] and text.get("font-size") == "10"


def test_numbers():
    assert svg.fmt(12.0) == "12" and svg.fmt(12.34) == "12.3" and svg.fmt(-0.01) == "0"
    assert svg.format_number(Decimal("7.50")) == "7,5"
    assert svg.format_number(Decimal("1500")).replace("\xa0", " ") == "1 500"
    assert svg.format_number(0.1) == "0,1"
    assert svg.format_number(None) == ""


# --- The palette ------------------------------------------------------------------------------------------


def test_every_colour_pair_meets_wcag_aa():
    for foreground, background, minimum in svg.CONTRAST_PAIRS:
        ratio = svg.contrast_ratio(PALETTE[foreground], PALETTE[background])
        assert ratio >= minimum, (foreground, background, round(ratio, 2))
    assert svg.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)


def test_palette_names_are_css_custom_properties():
    assert all(re.fullmatch(r"#[0-9a-f]{6}", PALETTE[name]) for name in PALETTE.names())
    assert PALETTE.css_properties()["--brand-dark"] == PALETTE.brand_dark
    with pytest.raises(KeyError):
        PALETTE["nope"]


def test_portal_css_declares_exactly_the_palette_and_uses_no_other_colour():
    css = (ROOT / "static/css/portal.css").read_text()
    root_block = re.search(r":root\s*\{(.*?)\}", css, re.DOTALL).group(1)
    declared = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]+);", root_block))
    assert declared == PALETTE.css_properties(), "portal.css :root ska vara:\n" + PALETTE.css_root()
    outside = css.replace(root_block, "")
    assert not HEX.findall(outside), "Använd var(--…) från paletten i stället för färgkoder"
    used = set(re.findall(r"var\((--[\w-]+)\)", css))
    assert {p for p in used if p not in ("--radius", "--measure")} <= set(PALETTE.css_properties())


def test_no_template_carries_a_colour_literal():
    """Templates take colours from the palette: chart context, `{% palette %}` or portal.css."""
    offenders = []
    for path in (ROOT / "templates").rglob("*"):
        if path.suffix in (".html", ".css", ".svg", ".txt", ".xml") and HEX.search(path.read_text()):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders


@pytest.mark.parametrize("module", DRAWING_MODULES)
def test_drawings_keep_no_private_copies(module):
    source = (ROOT / module).read_text()
    assert not HEX.findall(source), f"{module}: färger hör hemma i core/svg.py"
    for private in ("CHAR_WIDTHS", "_ADVANCES", "def text_width", "def wrap_text", "def fit_label", "def clean_text"):
        assert private not in source, f"{module}: {private}"
    for private in ("def fmt", "def _coord", "def format_number", "def svg_root", "def arrow_marker", "def sub("):
        assert private not in source, f"{module}: {private}"
    assert "mark_safe" not in source and "ET.tostring" not in source


def test_the_pdf_stylesheet_and_error_page_render_the_palette():
    css = render_to_string("larande/document/print.css")
    assert f"color: {PALETTE.text};" in css and f"color: {PALETTE.brand_dark};" in css
    assert "{%" not in css and not set(HEX.findall(css)) - set(PALETTE.css_properties().values())
