"""The mentions-over-time chart: bar geometry computed here, drawn as inline SVG by a template.

The same points are in the page's JSON (``timeline``), so the chart is data first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..browse import TimelinePoint

WIDTH, HEIGHT = 640, 160
AXIS = 20  # room for the period labels under the bars
GAP = 0.2  # fraction of each slot left empty between bars
MAX_BAR = 48.0


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # "2024-03: 4 articles, 9 mentions"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    first: str
    last: str
    peak: int
    summary: str


def bar_chart(points: Sequence[TimelinePoint]) -> Chart | None:
    """Bars of articles per period, scaled to the busiest period; None without dated data."""
    if not points:
        return None
    peak = max(p.articles for p in points) or 1
    slot = WIDTH / len(points)
    plot = HEIGHT - AXIS
    width = min(slot * (1 - GAP), MAX_BAR)
    bars = tuple(
        _bar(i * slot + (slot - width) / 2, width, plot * p.articles / peak, plot, p)
        for i, p in enumerate(points)
    )
    total = sum(p.articles for p in points)
    summary = (
        f"{total} dated articles from {points[0].period} to {points[-1].period};"
        f" the busiest period has {peak}"
    )
    return Chart(WIDTH, HEIGHT, bars, points[0].period, points[-1].period, peak, summary)


def _bar(x: float, width: float, height: float, plot: float, p: TimelinePoint) -> Bar:
    label = f"{p.period}: {p.articles} articles, {p.mentions} mentions"
    return Bar(round(x, 1), round(plot - height, 1), round(width, 1), round(height, 1), label)
