"""The framework's chain levels: one vocabulary for models, facets, filters and templates.

Read bottom-up: G resurser → F aktiviteter → E prestationer → D utfall → C kortsiktiga effekter
→ B långsiktiga effekter, all inside A, the political, social and economic context.
"""

from dataclasses import dataclass

from django.db import models


class ChainLevel(models.TextChoices):
    KONTEXT = "A", "Kontext"
    LANGSIKTIGA_EFFEKTER = "B", "Långsiktiga effekter"
    KORTSIKTIGA_EFFEKTER = "C", "Kortsiktiga effekter"
    UTFALL = "D", "Utfall"
    PRESTATIONER = "E", "Prestationer"
    AKTIVITETER = "F", "Aktiviteter"
    RESURSER = "G", "Resurser"

    @property
    def info(self) -> "LevelInfo":
        return LEVEL_INFO[self]

    @property
    def rank(self) -> int:
        """Position in the causal order: G is 1, B is 6; the context A frames them all (7)."""
        return LEVEL_INFO[self].rank

    @property
    def description(self) -> str:
        return LEVEL_INFO[self].description

    @property
    def horizon(self) -> str:
        return LEVEL_INFO[self].horizon

    @classmethod
    def chain_levels(cls) -> list["ChainLevel"]:
        """The six levels a chain holds elements on, lowest (G) first."""
        return sorted((lvl for lvl in cls if lvl != cls.KONTEXT), key=lambda lvl: lvl.rank)

    @classmethod
    def top_down(cls) -> list["ChainLevel"]:
        """All levels as the framework draws them: context, then B down to G."""
        return sorted(cls, key=lambda lvl: -lvl.rank)

    @classmethod
    def parse(cls, value: str | None) -> "ChainLevel | None":
        """The level for a letter (case-insensitive), or None for anything else."""
        if not value:
            return None
        try:
            return cls(value.strip().upper())
        except ValueError:
            return None


@dataclass(frozen=True)
class LevelInfo:
    rank: int
    description: str
    horizon: str = ""
    min_years: float | None = None
    max_years: float | None = None


LEVEL_INFO = {
    ChainLevel.KONTEXT: LevelInfo(
        7,
        "Den politiska, sociala och ekonomiska kontext som hela effektkedjan verkar i.",
    ),
    ChainLevel.LANGSIKTIGA_EFFEKTER: LevelInfo(
        6,
        "Långsiktiga effekter beskriver hur samhället påverkas av det samlade resultatet från "
        "alla aktiviteter. Den långsiktiga effekten kommer på längre sikt (1–10 år).",
        "1–10 år",
        1,
        10,
    ),
    ChainLevel.KORTSIKTIGA_EFFEKTER: LevelInfo(
        5,
        "Kortsiktiga effekter beskriver det som händer när deltagare omsätter utfallet i "
        "handling. Resultatet inträffar på kort sikt (0–2 år).",
        "0–2 år",
        0,
        2,
    ),
    ChainLevel.UTFALL: LevelInfo(
        4,
        "Utfall beskriver hur de som deltagit i aktiviteterna har påverkats av deltagandet. "
        "Utfallet inträffar direkt vid genomförandet av aktiviteten.",
        "direkt",
    ),
    ChainLevel.PRESTATIONER: LevelInfo(3, "Prestationer beskriver hur mycket/många aktiviteter som genomförts."),
    ChainLevel.AKTIVITETER: LevelInfo(
        2,
        "Aktiviteter beskriver typer av möjliga insatser som leder till önskat utfall, resultat och effekt.",
    ),
    ChainLevel.RESURSER: LevelInfo(
        1,
        "Resurser beskriver det som avsätts för aktiviteter i form av tid, pengar och andra resurser.",
    ),
}
