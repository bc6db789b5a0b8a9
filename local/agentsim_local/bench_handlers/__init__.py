"""Figures for the handlers' own cost, each against the floor any Lambda doing the same work has.

- Cold import (`cold_imports`): each handler module imported in a fresh `python -I -B` (CPython
  3.13) laid out as Lambda lays it out (`layout`): the function's code first (sources only:
  `/var/task` is read-only, so Lambda compiles `app.py` at every cold start), then the layer as
  `sam build` makes it (`agentsim layer --platform host`: compiled, third-party code bytecode
  only), then the runtime's own packages (this virtualenv's boto3, botocore, s3transfer,
  urllib3, jmespath, dateutil, six, compiled). The floor is `import boto3` in the same layout
  and run.
- Warm poll (`warm_poll`): the real poll handler invoked again and again on one run, against the
  provider emulator over HTTP and DynamoDB in in-process moto, turn about with a hand-written
  poll (`hand_poll`) doing the same work on another run.

Figures, never assertions: nothing passes or fails on speed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from agentsim_local.bench_handlers.cold_imports import (
    ColdImports,
    ImportTime,
    cold_import_table,
    import_time,
    measure_cold_imports,
)
from agentsim_local.bench_handlers.layout import HANDLERS, LAMBDA_ENV, LambdaLayout
from agentsim_local.bench_handlers.warm_poll import WarmPoll, measure_warm_poll, warm_poll_table

__all__ = [
    "HANDLERS",
    "LAMBDA_ENV",
    "ColdImports",
    "ImportTime",
    "LambdaLayout",
    "WarmPoll",
    "cold_import_table",
    "import_time",
    "measure_cold_imports",
    "measure_warm_poll",
    "print_section",
    "warm_poll_table",
]


def print_section(
    console: Console,
    *,
    repeats: int = 5,
    handlers: Sequence[str] = HANDLERS,
    polls: int = 60,
    layer: Sequence[Path] = (),
) -> None:
    """Measure and print both tables (the layer is built for the cold imports unless given)."""
    console.print(
        cold_import_table(measure_cold_imports(repeats=repeats, handlers=handlers, layer=layer))
    )
    console.print(warm_poll_table(measure_warm_poll(polls=polls)))
