"""Indicator charts: the geometry of a server-rendered SVG line chart of values over years against
targets, and the data table beside it. No JavaScript; the template draws what this computes.

Coordinates, number formatting, the accessible name's ids and the colours come from the shared
toolkit `core.svg`.

The chart never carries information by colour alone: values are a solid line with round markers,
targets a dashed line with square markers, both named in a text legend, and every value is
written as text next to its marker. The table holds the same numbers for anyone who cannot see
the chart.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from core.svg import PALETTE, Palette, SvgLabel, fmt, format_number, svg_label

# Drawing area in SVG user units; the SVG scales to its container's width.
WIDTH = 420
HEIGHT = 260
MARGIN_LEFT = 52
MARGIN_RIGHT = 20
MARGIN_TOP = 44
MARGIN_BOTTOM = 36
LABEL_ABOVE = -12
LABEL_BELOW = 22


def _nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 × 10^n) that divides `span` into about `ticks` parts."""
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


@dataclass
class ChartRow:
    year: int
    value: Decimal | None
    target: Decimal | None
    x: float = 0
    value_y: float | None = None
    target_y: float | None = None
    floor: float = HEIGHT - MARGIN_BOTTOM

    # Coordinates as the SVG writes them: a point for decimals, whatever the locale.
    @property
    def cx(self) -> str:
        return fmt(self.x)

    @property
    def value_cy(self) -> str:
        return fmt(self.value_y)

    def _below_fits(self, y: float) -> bool:
        return y + LABEL_BELOW < self.floor - 2

    @property
    def value_label_y(self) -> str:
        # Of a value and its target, the upper one is labelled above and the lower one below,
        # so the two numbers never print on top of each other.
        target_is_higher = self.target_y is not None and self.target_y < self.value_y
        if target_is_higher and self._below_fits(self.value_y):
            return fmt(self.value_y + LABEL_BELOW)
        return fmt(self.value_y + LABEL_ABOVE)

    @property
    def target_box_x(self) -> str:
        return fmt(self.x - 5)

    @property
    def target_box_y(self) -> str:
        return fmt(self.target_y - 5)

    @property
    def target_label_y(self) -> str:
        value_is_higher_or_level = self.value_y is not None and self.value_y <= self.target_y
        if value_is_higher_or_level and self._below_fits(self.target_y):
            return fmt(self.target_y + LABEL_BELOW)
        return fmt(self.target_y + LABEL_ABOVE)

    @property
    def value_text(self) -> str:
        return format_number(self.value)

    @property
    def target_text(self) -> str:
        return format_number(self.target)


@dataclass
class IndicatorChart:
    """One indicator reported by a result: its rows by year and everything the SVG needs."""

    indicator: object
    rows: list[ChartRow]
    width: int = WIDTH
    height: int = HEIGHT
    y_ticks: list[tuple[str, str]] = field(default_factory=list)
    x_labels: list[tuple[str, str]] = field(default_factory=list)
    value_path: str = ""
    target_path: str = ""

    @property
    def dom_id(self) -> str:
        return f"indikator-{self.indicator.pk}"

    @property
    def label(self) -> SvgLabel:
        """The ids of the chart's <title> and <desc> and the aria-labelledby naming it by them."""
        return svg_label(self.dom_id)

    @property
    def palette(self) -> Palette:
        """The colours the template draws with (the chart is also read without the page's CSS)."""
        return PALETTE

    @property
    def has_targets(self) -> bool:
        return any(row.target is not None for row in self.rows)

    @property
    def plot_left(self) -> int:
        return MARGIN_LEFT

    @property
    def plot_right(self) -> int:
        return self.width - MARGIN_RIGHT

    @property
    def plot_top(self) -> int:
        return MARGIN_TOP

    @property
    def plot_bottom(self) -> int:
        return self.height - MARGIN_BOTTOM

    @property
    def tick_label_x(self) -> int:
        return self.plot_left - 8

    @property
    def year_label_y(self) -> int:
        return self.plot_bottom + 22

    @property
    def title(self) -> str:
        unit = f" ({self.indicator.unit})" if self.indicator.unit else ""
        return f"{self.indicator.name}{unit}: värde per år" + (" och målvärde" if self.has_targets else "")

    @property
    def description(self) -> str:
        """What the chart shows, in words: first and last value, and the last target."""
        years = [row.year for row in self.rows]
        parts = [f"Linjediagram för åren {min(years)}–{max(years)}." if len(set(years)) > 1 else f"År {years[0]}."]
        valued = [row for row in self.rows if row.value is not None]
        if valued:
            first, last = valued[0], valued[-1]
            if first is last:
                parts.append(f"Värdet var {first.value_text} år {first.year}.")
            else:
                parts.append(f"Värdet var {first.value_text} år {first.year} och {last.value_text} år {last.year}.")
        targeted = [row for row in self.rows if row.target is not None]
        if targeted:
            parts.append(f"Målvärdet för {targeted[-1].year} var {targeted[-1].target_text}.")
        else:
            parts.append("Inget målvärde är angivet.")
        parts.append("Alla värden finns i tabellen bredvid.")
        return " ".join(parts)


def _path(points: list[tuple[float, float] | None]) -> str:
    """An SVG path through the points; None breaks the line (a year without a number)."""
    commands, pen_down = [], False
    for point in points:
        if point is None:
            pen_down = False
            continue
        commands.append(f"{'L' if pen_down else 'M'}{fmt(point[0])} {fmt(point[1])}")
        pen_down = True
    return " ".join(commands)


def build_chart(indicator, values) -> IndicatorChart:
    """The chart for one indicator from its reported values (objects with year, value, target)."""
    rows = [ChartRow(v.year, v.value, v.target) for v in sorted(values, key=lambda v: v.year)]
    chart = IndicatorChart(indicator, rows)
    numbers = [float(n) for row in rows for n in (row.value, row.target) if n is not None]
    low = min([0.0, *numbers])
    high = max([0.0, *numbers])
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    if high <= max(numbers or [0]):
        high += step

    def y_of(number) -> float:
        share = (float(number) - low) / (high - low)
        return chart.plot_bottom - share * (chart.plot_bottom - chart.plot_top)

    ticks, tick = [], low
    while tick <= high + step / 1000:
        ticks.append((fmt(y_of(tick)), format_number(Decimal(str(round(tick, 10))))))
        tick += step
    chart.y_ticks = ticks

    years = sorted({row.year for row in rows})
    inner = chart.plot_right - chart.plot_left
    if len(years) == 1:
        x_of = {years[0]: chart.plot_left + inner / 2}
    else:
        # Years are spaced by their distance, so a gap in the series shows as a gap.
        span = years[-1] - years[0]
        pad = inner * 0.08
        x_of = {year: chart.plot_left + pad + (year - years[0]) / span * (inner - 2 * pad) for year in years}
    for row in rows:
        row.x = x_of[row.year]
        row.floor = chart.plot_bottom
        row.value_y = y_of(row.value) if row.value is not None else None
        row.target_y = y_of(row.target) if row.target is not None else None
    chart.value_path = _path([(row.x, row.value_y) if row.value_y is not None else None for row in rows])
    chart.target_path = _path([(row.x, row.target_y) if row.target_y is not None else None for row in rows])
    chart.x_labels = [(fmt(x_of[year]), str(year)) for year in years]
    return chart


def indicator_charts(reported_values) -> list[IndicatorChart]:
    """One chart per indicator among a result's reported values, indicators in name order."""
    by_indicator: dict[int, tuple[object, list]] = {}
    for value in reported_values:
        entry = by_indicator.setdefault(value.indicator_id, (value.indicator, []))
        entry[1].append(value)
    ordered = sorted(by_indicator.values(), key=lambda entry: entry[0].name.lower())
    return [build_chart(indicator, values) for indicator, values in ordered]
