"""`agentsim bench` (`make bench`): figures for the whole system on this machine.

First the build (`bench_build`: layer sizes, install time of a fresh set-up) and the handlers
(`bench_handlers`: cold import per handler / `import boto3`, warm poll / hand-written poll), then
the runs.
Deploys the template into embedded AWS, starts `--runs` webhook runs per provider at once (each
with its own Idempotency-Key, so none is folded into another), follows them to their end and
prints what it measured: deploy time, run durations and polls per provider, and the time each
Lambda function's real handler took in process. The emulated calls take fixed seconds (emulator
settings), so run durations mostly measure polling; handler times are the code's own cost.
Figures, not assertions: nothing here passes or fails on speed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from agentsim_local import bench_build, bench_handlers
from agentsim_local.demo import REQUESTS, views_of
from agentsim_local.follow import follow
from agentsim_local.local_stack import open_stack
from agentsim_local.render import make_console, progress_for
from agentsim_local.request_files import load_request
from agentsim_local.run_view import RunView
from agentsim_local.stdio import lambda_output

if TYPE_CHECKING:
    from agentsim_local.embedded import EmbeddedStack

PROVIDER_REQUESTS = {
    "omnidimension": "omnidimension.json",
    "bluejay": "bluejay.json",
    "synthflow": "synthflow-case.json",
}


@dataclass(frozen=True)
class Figures:
    """Sorted samples of one measure, summarized."""

    samples: tuple[float, ...]

    @classmethod
    def of(cls, values: Sequence[float]) -> Figures:
        return cls(tuple(sorted(values)))

    def percentile(self, share: float) -> float:
        if not self.samples:
            return float("nan")
        index = min(len(self.samples) - 1, round(share * (len(self.samples) - 1)))
        return self.samples[index]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.samples) if self.samples else float("nan")


def start_runs(stack: EmbeddedStack, runs: int) -> dict[str, str]:
    """Start `runs` webhook runs per provider; run id -> provider."""
    started: dict[str, str] = {}
    for provider, file_name in PROVIDER_REQUESTS.items():
        request = load_request(REQUESTS / file_name)
        for index in range(runs):
            key = f"bench-{provider}-{index}-{time.time_ns()}"
            started[stack.submit(request.data, idempotency_key=key)] = provider
    return started


def runs_table(started: dict[str, str], views: dict[str, RunView]) -> Table:
    table = Table(title="Runs per provider", title_justify="left")
    for name in ("provider", "runs", "completed", "p50 s", "p95 s", "polls", "transitions"):
        table.add_column(name, justify="left" if name == "provider" else "right")
    for provider in PROVIDER_REQUESTS:
        mine = [views[r] for r, p in started.items() if p == provider and r in views]
        durations = Figures.of([v.duration_seconds for v in mine if v.duration_seconds])
        polls = Figures.of([float(v.polls) for v in mine if v.polls is not None])
        transitions = Figures.of([float(v.transitions) for v in mine if v.transitions])
        table.add_row(
            provider,
            str(sum(1 for r in started.values() if r == provider)),
            str(sum(1 for v in mine if v.status == "COMPLETED")),
            f"{durations.percentile(0.5):.1f}",
            f"{durations.percentile(0.95):.1f}",
            f"{polls.mean:.1f}",
            f"{transitions.mean:.1f}",
        )
    return table


def handlers_table(stack: EmbeddedStack) -> Table:
    """Time per invocation of each function's handler, from the in-process runtime's history."""
    seconds: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for invocation in stack.aws.runtime.history:
        # "<stack>-<LogicalId>-<suffix>" -> the logical id (the whole name when there is none)
        parts = invocation.function_name.split("-")
        name = (parts[1] if len(parts) > 1 else "") or invocation.function_name
        seconds[name].append(invocation.seconds)
        errors[name] += invocation.error is not None
    table = Table(title="Lambda handlers (in process)", title_justify="left")
    for name in ("function", "invocations", "errors", "mean ms", "p95 ms", "max ms"):
        table.add_column(name, justify="left" if name == "function" else "right")
    for name, samples in sorted(seconds.items()):
        figures = Figures.of(samples)
        table.add_row(
            name,
            str(len(samples)),
            str(errors[name]),
            f"{figures.mean * 1000:.1f}",
            f"{figures.percentile(0.95) * 1000:.1f}",
            f"{figures.samples[-1] * 1000:.1f}",
        )
    return table


def bench(*, runs: int = 5, timeout: float = 300, build: bool = True) -> int:
    """Print the figures; 1 when a run did not finish (the figures would be meaningless)."""
    if build:
        bench_build.print_section(make_console(sys.stdout))
        bench_handlers.print_section(make_console(sys.stdout))
    began = time.monotonic()
    with lambda_output("bench") as (log_path, real_stdout):
        console: Console = make_console(real_stdout)
        with open_stack() as stack:
            deployed = time.monotonic() - began
            submitted = time.monotonic()
            started = start_runs(stack, runs)
            submit_seconds = time.monotonic() - submitted
            counts: dict[str, int] = defaultdict(int)
            labels = {}
            for run_id, provider in started.items():
                counts[provider] += 1
                labels[run_id] = f"{provider} #{counts[provider]}"
            records = follow(stack.get_run, labels, progress_for(console), timeout=timeout)
            finished = time.monotonic() - submitted
            views = views_of(stack, records)
            console.print(f"Deploy (template -> embedded AWS): {deployed:.2f}s")
            console.print(
                f"{len(started)} runs submitted in {submit_seconds:.2f}s "
                f"({submit_seconds / len(started) * 1000:.0f} ms per signed webhook); "
                f"all ended after {finished:.1f}s ({len(started) / finished * 60:.0f} runs/min)"
            )
            console.print(runs_table(started, views))
            console.print(handlers_table(stack))
        unfinished = [r for r in started if r not in views or not views[r].finished]
        if unfinished:
            console.print(f"[red]{len(unfinished)} runs did not finish; logs: {log_path}[/]")
        console.print(f"Wall time: {time.monotonic() - began:.1f}s")
    return 1 if unfinished else 0


def command(args: argparse.Namespace) -> int:
    return bench(runs=args.runs, timeout=args.timeout, build=args.build)
