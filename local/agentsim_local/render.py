"""Terminal output: a progress bar per run while runs are in flight, then a table of runs.

Without a TTY (CI) rich would draw nothing until the end, so progress falls back to one line per
status change and tables get a fixed width: readable logs, no crash.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from typing import Any, Protocol, Self, TextIO

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from agentsim_local.run_view import RunView

STATUS_STYLE = {
    "COMPLETED": "green",
    "RUNNING": "cyan",
    "PENDING": "yellow",
    "FAILED": "red",
    "TIMED_OUT": "red",
    "STOPPED": "magenta",
}
VERDICT_STYLE = {"PASSED": "green", "FAILED": "red", "NONE": "dim"}


def make_console(file: TextIO | None = None, *, stderr: bool = False) -> Console:
    """A console that stays readable without a terminal (fixed width, no live redraws)."""
    console = Console(file=file, stderr=stderr)
    if not console.is_terminal:
        console = Console(file=file, stderr=stderr, width=max(console.width, 160))
    return console


def styled(value: str, styles: Mapping[str, str]) -> str:
    style = styles.get(value)
    return f"[{style}]{value}[/]" if style else value


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}s"


def runs_table(views: Iterable[RunView], *, title: str | None = None) -> Table:
    """run, provider, trigger, status, verdict, passed/failed, polls, transitions, duration."""
    table = Table(title=title, title_justify="left")
    for name, justify in (
        ("run", "left"),
        ("provider", "left"),
        ("trigger", "left"),
        ("status", "left"),
        ("verdict", "left"),
        ("passed/failed", "right"),
        ("polls", "right"),
        ("transitions", "right"),
        ("duration", "right"),
    ):
        table.add_column(name, justify=justify, no_wrap=name == "run")  # type: ignore[arg-type]
    for view in views:
        table.add_row(
            view.run_id,
            view.provider,
            view.trigger,
            styled(view.status, STATUS_STYLE),
            styled(view.verdict or "-", VERDICT_STYLE),
            view.score,
            "-" if view.polls is None else str(view.polls),
            "-" if view.transitions is None else str(view.transitions),
            _seconds(view.duration_seconds),
        )
    return table


def record_table(record: Mapping[str, Any]) -> Table:
    """One run record, field by field (nested values as compact JSON)."""
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for key, value in record.items():
        shown = value if isinstance(value, str) else json.dumps(value, default=str)
        table.add_row(key, shown)
    return table


class ProgressReporter(Protocol):
    def add(self, key: str, label: str) -> None: ...

    def update(self, key: str, view: RunView) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...


class BarProgress:
    """One rich progress bar per run, redrawn in place (terminals)."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.fields[label]:<28}"),
            BarColumn(bar_width=30),
            TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("{task.fields[state]}"),
            TimeElapsedColumn(),
            console=console,
        )
        self._tasks: dict[str, TaskID] = {}

    def add(self, key: str, label: str) -> None:
        self._tasks[key] = self._progress.add_task(label, total=100, label=label, state="PENDING")

    def update(self, key: str, view: RunView) -> None:
        task = self._tasks[key]
        done = view.finished
        self._progress.update(
            task,
            completed=100 if done else view.progress,
            state=_state(view),
        )
        if done:
            self._progress.stop_task(task)

    def __enter__(self) -> Self:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()


class LineProgress:
    """A line whenever a run changes status or progress moves on (logs without a TTY)."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._labels: dict[str, str] = {}
        self._last: dict[str, str] = {}
        self._started = time.monotonic()

    def add(self, key: str, label: str) -> None:
        self._labels[key] = label

    def update(self, key: str, view: RunView) -> None:
        line = f"{view.status} {view.progress}%" if not view.finished else _state(view)
        if self._last.get(key) == line:
            return
        self._last[key] = line
        elapsed = time.monotonic() - self._started
        self._console.print(
            f"[{elapsed:6.1f}s] {self._labels[key]:<28} {line}", markup=False, highlight=False
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _state(view: RunView) -> str:
    if not view.finished:
        return view.status
    verdict = f" {view.verdict}" if view.verdict else ""
    return f"{view.status}{verdict} {view.score}"


def progress_for(console: Console) -> ProgressReporter:
    return BarProgress(console) if console.is_terminal else LineProgress(console)
