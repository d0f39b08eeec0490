"""Parse the framework's source text (slide-like markdown) into structured parts.

The seed is the framework presentation as text: headings in capitals, bullets written
`- **TITEL** - text`, the chain levels as a lone letter followed by its description, and the
example questions as lines ending in a question mark. The parser reads those shapes rather
than fixed line numbers, so light edits to the text (another dash, a missing quote, extra
blank lines) still parse; anything it cannot find raises `SeedError` instead of building
half the content.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.levels import ChainLevel

SEED_PATH = Path(__file__).resolve().parent / "seed" / "ramverk-for-strategiskt-larande.txt"

# A heading is a line of capitals (Swedish letters included), at least three characters long,
# so the lone level letters B–G are not mistaken for headings.
HEADING = re.compile(r"^[A-ZÅÄÖ][A-ZÅÄÖ ?!]{2,}$")
BOLD_POINT = re.compile(r"^\s*[-•*]\s+\*\*(?P<title>[^*]+?)\*\*\s*[-–—:]\s*(?P<text>\S.*?)\s*$", re.M)
BULLET = re.compile(r"^\s*[-•*]\s+(?P<text>\S.*?)\s*$", re.M)
LEVEL = re.compile(r"^[ \t]*(?P<letter>[A-G])[ \t]*\n[ \t]*(?P<text>\S.*?)\s*$", re.M)
CONTEXT = re.compile(r"^\s*(?P<text>[^\n]*\bkontext)\s*$", re.M | re.I)
CAUSALITY = re.compile(r"^\s*(?P<text>Kedjan ska[^\n]*?)\.?\s*$", re.M)
QUOTED_QUESTION = re.compile(
    r"^\s*[-•*]\s*[\"“”']?(?P<text>[^\"“”\n]+?\?)[\"“”']?\s*(?:\((?P<level>[^)]+)\))?\s*$", re.M
)
SUMMATIVE_HEADING = re.compile(r"^\s*Summerande[^\n]*$", re.M)
RANGE_DASH = re.compile(r"(\d)\s*-\s*(\d)")


class SeedError(ValueError):
    """The seed text lacks a part the demo content needs."""


@dataclass(frozen=True)
class Point:
    """A titled bullet: a benefit or an experience."""

    title: str
    text: str


@dataclass(frozen=True)
class SeedQuestion:
    """An example evaluation question as the seed gives it, with the level it names, if any."""

    text: str
    level: ChainLevel | None = None


@dataclass(frozen=True)
class Seed:
    """Everything the demo content takes from the framework text."""

    title: str
    tasks: list[str]
    final_product: str
    rus_points: list[str]
    benefits: list[Point]
    benefits_tagline: str
    challenges: list[Point]
    context: str
    levels: dict[ChainLevel, str]
    causality: str
    question_points: list[str]
    example_questions: list[str]
    process_questions: list[SeedQuestion]
    summative_questions: list[SeedQuestion]


def split_sections(text: str) -> list[tuple[str, str]]:
    """(heading, body) pairs in document order; headings without their closing ? or !."""
    sections: list[tuple[str, str]] = []
    heading, lines = "", []
    for line in text.splitlines():
        stripped = line.strip()
        if HEADING.match(stripped):
            sections.append((heading, "\n".join(lines)))
            heading, lines = stripped.rstrip("?! "), []
        else:
            lines.append(line)
    sections.append((heading, "\n".join(lines)))
    return sections


def paragraphs(body: str) -> list[str]:
    """Blocks separated by blank lines, each joined onto one line."""
    blocks = re.split(r"\n\s*\n", body)
    return [" ".join(block.split()) for block in blocks if block.strip()]


def sentence(text: str) -> str:
    """Capital first letter, one space between words, a closing full stop, en dash in ranges."""
    text = RANGE_DASH.sub(r"\1–\2", " ".join(text.split()))
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".?!" else text + "."


def strip_bold(text: str) -> str:
    """The text without markdown bold markers."""
    return " ".join(text.replace("**", "").split())


def _section(sections, name: str, occurrence: int = 0) -> str:
    found = [body for heading, body in sections if heading == name]
    if len(found) <= occurrence:
        raise SeedError(f"Avsnittet {name!r} saknas i seed-texten.")
    return found[occurrence]


def _points(body: str, section: str) -> list[Point]:
    points = [Point(title=m["title"].strip().capitalize(), text=sentence(m["text"])) for m in BOLD_POINT.finditer(body)]
    if not points:
        raise SeedError(f"Inga punkter med fetstilt rubrik hittades under {section!r}.")
    return points


def _levels(text: str) -> dict[ChainLevel, str]:
    levels = {}
    for match in LEVEL.finditer(text):
        level = ChainLevel(match["letter"])
        description = sentence(match["text"])
        # A level's description opens with its own name ("Utfall beskriver …"); anything else
        # is a stray capital letter, not a level.
        if description.lower().startswith(level.label.lower()):
            levels[level] = description
    missing = [lvl.label for lvl in ChainLevel.chain_levels() if lvl not in levels]
    if missing:
        raise SeedError(f"Beskrivning saknas för nivåerna: {', '.join(missing)}.")
    return levels


def _level_for(label: str | None) -> ChainLevel | None:
    if not label:
        return None
    by_label = {lvl.label.lower(): lvl for lvl in ChainLevel}
    level = by_label.get(" ".join(label.lower().split()))
    if level is None:
        raise SeedError(f"Okänd nivå i effektkedjan: {label!r}.")
    return level


def _quoted_questions(body: str) -> list[SeedQuestion]:
    return [
        SeedQuestion(text=" ".join(m["text"].split()), level=_level_for(m["level"]))
        for m in QUOTED_QUESTION.finditer(body)
    ]


def parse_seed(text: str) -> Seed:
    """Parse the framework text; raises SeedError naming the first part it cannot find."""
    sections = split_sections(text)
    title = next((heading for heading, _ in sections if heading.startswith("RAMVERK")), "")

    task_body = _section(sections, "VAD ÄR UPPGIFTEN")
    tasks = [sentence(m["text"]) for m in BULLET.finditer(task_body)]
    final_product = next((p for p in paragraphs(task_body) if not p.startswith("-")), "")

    rus_points = [strip_bold(p) for p in paragraphs(_section(sections, "REGIONALA UTVECKLINGSSTRATEGIN"))]

    benefits = _points(_section(sections, "NYTTA MED RAMVERK"), "NYTTA MED RAMVERK")
    tagline = next((h for h, _ in sections if h.startswith("STÖD I")), "")
    challenges = _points(_section(sections, "ERFARENHETER OCH UTMANINGAR"), "ERFARENHETER OCH UTMANINGAR")

    context = CONTEXT.search(text)
    causality = CAUSALITY.search(text)
    if not context or not causality:
        raise SeedError("Kontexten (A) eller meningen om kausalitet saknas i seed-texten.")

    question_points = [
        sentence(strip_bold(m["text"])) for m in BULLET.finditer(_section(sections, "UTVÄRDERINGSFRÅGOR"))
    ]
    examples = [p for p in paragraphs(_section(sections, "EXEMPEL PÅ UTVÄRDERINGSFRÅGOR")) if p.endswith("?")]

    kinds_body = _section(sections, "UTVÄRDERINGSFRÅGOR", occurrence=1)
    summative_heading = SUMMATIVE_HEADING.search(kinds_body)
    if not summative_heading:
        raise SeedError("Rubriken för summerande frågor saknas i seed-texten.")
    process_part, summative_part = kinds_body[: summative_heading.start()], kinds_body[summative_heading.end() :]
    process_questions = _quoted_questions(process_part)
    summative_questions = _quoted_questions(summative_part)
    if not (tasks and question_points and examples and process_questions and summative_questions):
        raise SeedError("Uppgiften, utvärderingsfrågorna eller exempelfrågorna saknas i seed-texten.")
    if any(q.level is None for q in summative_questions):
        raise SeedError("Varje summerande exempelfråga ska ange sin nivå inom parentes.")

    return Seed(
        title=title.capitalize(),
        tasks=tasks,
        final_product=sentence(final_product),
        rus_points=rus_points,
        benefits=benefits,
        benefits_tagline=tagline.capitalize(),
        challenges=challenges,
        context=" ".join(context["text"].split()),
        levels=_levels(text),
        causality=sentence(causality["text"]),
        question_points=question_points,
        example_questions=examples,
        process_questions=process_questions,
        summative_questions=summative_questions,
    )


@cache
def load_seed() -> Seed:
    """The framework text shipped with the app, parsed once per process."""
    return parse_seed(SEED_PATH.read_text(encoding="utf-8"))
