"""Cold import: each handler module imported in a fresh `python -I -B`, laid out as Lambda lays
it out (`layout.LambdaLayout`), against `import boto3` in the same layout and run.

Targets are measured in turns (boto3, every handler, again), and the minimum over the repeats is
kept: the fastest run is the one least disturbed by other work on the machine. CPU time (user +
system, `time.process_time`) is the headline because it barely moves when other processes share
the cores; wall time is shown beside it.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table

from agentsim_local.bench_handlers.layout import HANDLERS, LAMBDA_ENV, LambdaLayout
from agentsim_local.layer import python_313

BASELINE = "boto3"
TIMING = (
    "import sys, time\n"
    "sys.path[:0] = {path!r}\n"
    "cpu, wall = time.process_time(), time.perf_counter()\n"
    "import {module}\n"
    "print(time.process_time() - cpu, time.perf_counter() - wall)\n"
)


@dataclass(frozen=True)
class ImportTime:
    """The fastest of several cold imports of `name`, in milliseconds."""

    name: str
    cpu_ms: float
    wall_ms: float


@dataclass(frozen=True)
class ColdImports:
    python: str
    repeats: int
    baseline: ImportTime
    handlers: tuple[ImportTime, ...]

    def ratio(self, figure: ImportTime) -> float:
        """CPU time of `figure` over that of `import boto3`."""
        return figure.cpu_ms / self.baseline.cpu_ms

    def wall_ratio(self, figure: ImportTime) -> float:
        return figure.wall_ms / self.baseline.wall_ms


def import_time(layout: LambdaLayout, handler: str | None, python: str) -> tuple[float, float]:
    """(CPU, wall) seconds of one cold import of `handler`'s app (None: of boto3)."""
    code = TIMING.format(path=layout.sys_path(handler), module="app" if handler else BASELINE)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **LAMBDA_ENV}
    done = subprocess.run(  # noqa: S603 - our interpreter, our code
        [python, "-I", "-B", "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"importing {handler or BASELINE} failed:\n{done.stderr.strip()}")
    cpu, wall = (float(value) for value in done.stdout.split())
    return cpu, wall


def measure_cold_imports(
    *,
    repeats: int = 5,
    handlers: Sequence[str] = HANDLERS,
    layer: Sequence[Path] = (),
    work: Path | None = None,
) -> ColdImports:
    """Each handler's cold import and `import boto3`, `repeats` turns, fastest kept."""
    python = python_313()
    with contextlib.ExitStack() as stack:
        root = work or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        layout = LambdaLayout.prepare(root, layer)
        targets: list[str | None] = [None, *handlers]
        samples: dict[str | None, list[tuple[float, float]]] = {t: [] for t in targets}
        for _ in range(repeats):
            for target in targets:
                samples[target].append(import_time(layout, target, python))
    version = subprocess.run(  # noqa: S603
        [python, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    def fastest(target: str | None) -> ImportTime:
        runs = samples[target]
        return ImportTime(
            target or f"import {BASELINE}",
            min(cpu for cpu, _ in runs) * 1000,
            min(wall for _, wall in runs) * 1000,
        )

    return ColdImports(
        python=version,
        repeats=repeats,
        baseline=fastest(None),
        handlers=tuple(fastest(h) for h in handlers),
    )


def cold_import_table(figures: ColdImports) -> Table:
    table = Table(
        title=f"Cold import per handler, Lambda layout, Python {figures.python} "
        f"(fastest of {figures.repeats})",
        title_justify="left",
    )
    for name in ("handler", "CPU ms", "/ import boto3", "wall ms", "/ import boto3 (wall)"):
        table.add_column(name, justify="left" if name == "handler" else "right")
    for f in (figures.baseline, *figures.handlers):  # the baseline's ratios are 1.00
        cpu, wall = f"{f.cpu_ms:.1f}", f"{f.wall_ms:.1f}"
        table.add_row(f.name, cpu, f"{figures.ratio(f):.2f}", wall, f"{figures.wall_ratio(f):.2f}")
    return table
