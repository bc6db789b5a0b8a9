"""`agentsim bench` (`make bench`): figures for the whole system on this machine.

First the poll schedule (`bench_waits`: polls, transitions and detection lag of 30-minute runs,
computed from the pure wait functions), then the build (`bench_build`: layer sizes, install
time of a fresh set-up) and the handlers (`bench_handlers`: cold import per handler / `import
boto3`, warm poll / hand-written poll). Then it deploys the template into the local AWS, runs a
first run (its functions' cold starts: each
Lambda worker process imports the layer once), one webhook run alone, then 10, 25, 50 and 100
concurrent runs (providers in turn, each with its own Idempotency-Key so none is folded into
another), each level followed to its end, and last sends 150 signed webhooks at once. Printed:
deploy time; per level the runs lost (no COMPLETED record by the timeout), wall time relative to
one run alone, runs per minute; how many webhooks were answered. The emulated calls take fixed
seconds, so a run alone mostly measures polling. Figures, not assertions: nothing here passes
or fails on speed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import httpx
from rich.console import Console
from rich.table import Table

from agentsim.runs.record import TERMINAL
from agentsim.runs.signing import sign
from agentsim_local import bench_build, bench_handlers, bench_waits
from agentsim_local.demo import REQUESTS
from agentsim_local.local_stack import open_stack
from agentsim_local.render import make_console
from agentsim_local.request_files import load_request
from agentsim_local.stdio import lambda_output
from agentsim_local.webhook import READ_TIMEOUT, RETRIED_STATUSES, RETRY_DELAYS, post_signed

if TYPE_CHECKING:
    from agentsim_local.embedded import EmbeddedStack

PROVIDER_REQUESTS = {
    "omnidimension": "omnidimension.json",
    "bluejay": "bluejay.json",
    "synthflow": "synthflow-case.json",
}
LEVELS = (10, 25, 50, 100)


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


@dataclass(frozen=True)
class Level:
    """One concurrency level: `runs` started at once and followed to their end."""

    runs: int
    completed: int
    wall_seconds: float
    durations: Figures
    losses: Counter[str]
    """Why runs were lost: the refusal or the status they ended in."""
    resent: int
    """Webhooks sent again because the API did not answer them (504/502)."""

    @property
    def lost(self) -> int:
        return self.runs - self.completed

    @property
    def per_minute(self) -> float:
        return self.completed / self.wall_seconds * 60 if self.wall_seconds else float("nan")


def run_level(stack: EmbeddedStack, runs: int, *, timeout: float) -> Level:
    """Start `runs` webhook runs at once (providers in turn) and wait for all of them.

    The runs are followed through the API's list of runs since the level began (one signed
    request a second for all of them), not one read per run: reading must not load the stack it
    measures more than a client would.
    """
    requests = [load_request(REQUESTS / name).data for name in PROVIDER_REQUESTS.values()]
    resent_before = stack.webhook_retries
    since = datetime.now(UTC) - timedelta(seconds=1)
    began = time.monotonic()
    ended: dict[str, tuple[str, float]] = {}
    """run id -> (terminal status, seconds from the level's start until it was seen)"""

    def submit(index: int) -> str:
        return stack.submit(
            requests[index % len(requests)],
            idempotency_key=f"bench-{runs}-{index}-{time.time_ns()}",
        )

    with ThreadPoolExecutor(max_workers=runs) as pool:
        submitted = [pool.submit(submit, index) for index in range(runs)]
        while time.monotonic() - began < timeout:
            for record in stack.list_runs(since=since):
                if record.get("status") in TERMINAL and record["run_id"] not in ended:
                    ended[str(record["run_id"])] = (str(record["status"]), time.monotonic() - began)
            started = [f.result() for f in submitted if f.done() and f.exception() is None]
            if all(f.done() for f in submitted) and all(run_id in ended for run_id in started):
                break
            time.sleep(0.5)
    refused = [f.exception() for f in submitted if f.done() and f.exception() is not None]
    statuses = [
        ended.get(f.result(), ("not finished in time", 0.0))
        for f in submitted
        if f.done() and f.exception() is None
    ]
    losses: Counter[str] = Counter(status for status, _ in statuses if status != "COMPLETED")
    losses.update(f"{type(exc).__name__}: {str(exc)[:80]}" for exc in refused)
    losses.update("not started in time" for f in submitted if not f.done())
    return Level(
        runs=runs,
        completed=sum(1 for status, _ in statuses if status == "COMPLETED"),
        wall_seconds=time.monotonic() - began,
        durations=Figures.of([s for status, s in statuses if status == "COMPLETED"]),
        losses=losses,
        resent=stack.webhook_retries - resent_before,
    )


@dataclass(frozen=True)
class Burst:
    """How each webhook of a burst was answered in the end, and how many were sent again."""

    answers: Counter[str]
    """The final status (or the transport error) of each webhook."""
    retried: int

    @property
    def answered(self) -> int:
        """Webhooks the API answered in the end (a throttle or a timeout is no answer)."""
        return sum(
            n
            for status, n in self.answers.items()
            if status.isdigit() and int(status) not in RETRIED_STATUSES
        )


def webhook_burst(stack: EmbeddedStack, count: int) -> Burst:
    """`count` signed webhooks posted at once, each sent again while unanswered (504/502:
    `agentsim_local.webhook`); how each was answered in the end."""
    body = (REQUESTS / PROVIDER_REQUESTS["bluejay"]).read_bytes()
    url = stack.api_url.rstrip("/") + "/simulations"
    secret = stack.webhook_secret

    def post(client: httpx.Client, index: int) -> tuple[str, int]:
        key = f"burst-{index}-{time.time_ns()}"

        def signed() -> dict[str, str]:  # each attempt signed afresh: the key names the run
            signature = sign(secret, body)
            return {"Content-Type": "application/json", "Idempotency-Key": key, **signature}

        try:
            posted = post_signed(client, url, body, signed)
        except httpx.HTTPError as exc:
            return type(exc).__name__, len(RETRY_DELAYS)
        return str(posted.response.status_code), posted.attempts - 1

    limits = httpx.Limits(max_connections=count)
    timeout = httpx.Timeout(30, read=READ_TIMEOUT)
    with httpx.Client(timeout=timeout, limits=limits) as client, ThreadPoolExecutor(count) as pool:
        results = list(pool.map(lambda index: post(client, index), range(count)))
    return Burst(Counter(status for status, _ in results), sum(n for _, n in results))


def levels_table(alone: Level, levels: list[Level]) -> Table:
    table = Table(title="Concurrent runs (webhooks, providers in turn)", title_justify="left")
    for name in ("runs", "lost", "resent", "wall s", "x one run", "runs/min", "p50 s", "p95 s"):
        table.add_column(name, justify="right")
    for level in (alone, *levels):
        table.add_row(
            str(level.runs),
            str(level.lost),
            str(level.resent),
            f"{level.wall_seconds:.1f}",
            f"{level.wall_seconds / alone.wall_seconds:.2f}",
            f"{level.per_minute:.0f}",
            f"{level.durations.percentile(0.5):.1f}",
            f"{level.durations.percentile(0.95):.1f}",
        )
    return table


def bench(
    *, levels: Sequence[int] = LEVELS, webhooks: int = 150, timeout: float = 300, build: bool = True
) -> int:
    """Print the figures; 1 when a run was lost or a webhook unanswered (figures then lie)."""
    bench_waits.print_section(make_console(sys.stdout))
    if build:
        bench_build.print_section(make_console(sys.stdout))
        bench_handlers.print_section(make_console(sys.stdout))
    began = time.monotonic()
    with lambda_output("bench") as (log_path, real_stdout):
        console: Console = make_console(real_stdout)
        with open_stack(log_path=log_path) as stack:
            deployed = time.monotonic() - began
            console.print(f"Deploy (template -> local AWS): {deployed:.2f}s")
            first = run_level(stack, 1, timeout=timeout)
            console.print(f"First run (cold starts): {first.wall_seconds:.2f}s")
            alone = run_level(stack, 1, timeout=timeout)
            console.print(f"One run alone: {alone.wall_seconds:.2f}s")
            measured = []
            for runs in levels:
                measured.append(run_level(stack, runs, timeout=timeout))
                console.print(
                    f"{runs} concurrent: {measured[-1].lost} lost, "
                    f"{measured[-1].wall_seconds / alone.wall_seconds:.2f}x one run, "
                    f"{measured[-1].resent} webhooks sent again",
                    markup=False,
                )
                for reason, count in measured[-1].losses.most_common(3):
                    console.print(f"  lost {count}: {reason}", markup=False, highlight=False)
            console.print(levels_table(alone, measured))
            burst = webhook_burst(stack, webhooks) if webhooks else Burst(Counter(), 0)
            answered = burst.answered
            console.print(
                f"{webhooks} concurrent webhooks: {answered} answered "
                f"({', '.join(f'{s}: {n}' for s, n in sorted(burst.answers.items()))}; "
                f"{burst.retried} sent again)"
            )
        lost = first.lost + alone.lost + sum(level.lost for level in measured)
        if lost or answered < webhooks:
            console.print(
                f"[red]{lost} runs lost, {webhooks - answered} webhooks unanswered; "
                f"logs: {log_path}[/]"
            )
        console.print(f"Wall time: {time.monotonic() - began:.1f}s")
    return 1 if lost or answered < webhooks else 0


def command(args: argparse.Namespace) -> int:
    return bench(levels=args.levels, webhooks=args.webhooks, timeout=args.timeout, build=args.build)
