"""The series' pass-rate trend over its latest runs as an inline SVG chart (no script, no outside
asset), the baseline and this run marked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from agentsim.reports.markup import element, joined, percent, text
from agentsim.runs.record import RunRecord

TREND_RUNS = 30
"""How many of the series' latest completed runs the chart shows."""
WIDTH, HEIGHT, PAD = 640, 180, 32


@dataclass(frozen=True)
class TrendPoint:
    run_id: str
    created_at: datetime
    pass_rate: float | None

    @classmethod
    def of(cls, record: RunRecord) -> TrendPoint:
        rate = record.results.pass_rate if record.results else None
        return cls(record.run_id, record.created_at, rate)


def _x(index: int, count: int) -> float:
    if count == 1:
        return WIDTH / 2
    return PAD + index * (WIDTH - 2 * PAD) / (count - 1)


def _y(rate: float) -> float:
    return HEIGHT - PAD - rate * (HEIGHT - 2 * PAD)


def _point(point: TrendPoint, x: float, current: str, baseline: str | None) -> str:
    assert point.pass_rate is not None
    role = "current" if point.run_id == current else "baseline" if point.run_id == baseline else ""
    label = f"{point.run_id} {point.created_at:%Y-%m-%d %H:%M} {percent(point.pass_rate)}"
    if role:
        label = f"{label} ({'this run' if role == 'current' else 'baseline'})"
    radius = 6 if role else 3.5
    return element(
        "circle",
        element("title", text(label)),
        cx=f"{x:.1f}",
        cy=f"{_y(point.pass_rate):.1f}",
        r=radius,
        class_=f"point {role}".strip(),
        data_run=point.run_id,
    )


def trend_chart(points: Sequence[TrendPoint], current: str, baseline: str | None) -> str:
    """The chart of `points` (oldest first); runs without a pass rate are left out."""
    rated = [p for p in points if p.pass_rate is not None][-TREND_RUNS:]
    title = element("h2", f"Pass rate, last {len(rated)} runs of the series")
    if not rated:
        return element("section", title + element("p", "No graded run in this series yet."))
    xs = [_x(i, len(rated)) for i in range(len(rated))]
    line = " ".join(f"{x:.1f},{_y(p.pass_rate or 0):.1f}" for x, p in zip(xs, rated, strict=True))
    grid = joined(
        element("line", x1=PAD, x2=WIDTH - PAD, y1=f"{_y(r):.1f}", y2=f"{_y(r):.1f}", class_="grid")
        + element("text", percent(r), x=2, y=f"{_y(r) + 4:.1f}", class_="axis")
        for r in (0.0, 0.5, 1.0)
    )
    dots = joined(_point(p, x, current, baseline) for x, p in zip(xs, rated, strict=True))
    legend = element(
        "p",
        element("span", "●", class_="key current")
        + " this run  "
        + element("span", "●", class_="key baseline")
        + " baseline",
        class_="legend",
    )
    svg = element(
        "svg",
        element("title", "Pass rate of the series' runs, oldest to newest")
        + grid
        + element("polyline", points=line, class_="trend")
        + dots,
        viewBox=f"0 0 {WIDTH} {HEIGHT}",
        role="img",
        class_="chart",
        xmlns="http://www.w3.org/2000/svg",
    )
    return element("section", title + svg + legend, class_="trend-section")
