"""The demo's regression suite: one suite across the three providers, run twice in the same
stack, with a case the first run passed made to fail the second time (the emulator's control
plane, `PUT /_emulator/failing-cases`). The first suite has no baseline and passes; the second
compares each run with the same run of the first, so it REGRESSED, naming the flipped case.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from rich.console import Console

from agentsim_local.follow import follow
from agentsim_local.render import progress_for
from agentsim_local.request_files import load_request
from agentsim_local.suite_wait import suite_table

if TYPE_CHECKING:
    from agentsim_local.embedded import EmbeddedStack

REQUESTS = Path(__file__).resolve().parent / "requests"
SUITE_REQUEST = "regression-suite.json"
FLIPPED_CASE = "Confused caller"
"""A Bluejay digital human that passes in the emulator: failing it leaves the run's pass rate
(1 of 3) above the suite's gate, so the suite regresses rather than fails."""


@dataclass(frozen=True)
class SuiteRound:
    label: str
    expected: str
    """The verdict this round must end with."""
    failing: tuple[str, ...] = ()


ROUNDS = (
    SuiteRound("regression suite, first run", "PASSED"),
    SuiteRound("regression suite, second run", "REGRESSED", (FLIPPED_CASE,)),
)


def run_suites(stack: EmbeddedStack, console: Console, *, timeout: float) -> list[str]:
    """Run each round of the suite, show it; one line per round that did not end as expected."""
    request = load_request(REQUESTS / SUITE_REQUEST).data
    problems: list[str] = []
    for round_ in ROUNDS:
        suite = _run_round(stack, console, request, round_, timeout=timeout)
        console.print(suite_table(suite))
        console.print(f"Report: {suite.get('report_url')}", markup=False, highlight=False)
        problems += _mismatches(round_, suite)
    return problems


def _run_round(
    stack: EmbeddedStack,
    console: Console,
    request: Mapping[str, Any],
    round_: SuiteRound,
    *,
    timeout: float,
) -> dict[str, Any]:
    _fail_cases(stack, round_.failing)
    try:
        # a fresh key: the same suite sent again within the window would find the first one
        suite_id, runs = stack.submit_suite(request, idempotency_key=str(uuid.uuid4()))
        labels = {run_id: f"{round_.label} #{i}" for i, run_id in enumerate(runs)}
        follow(stack.get_run, labels, progress_for(console), timeout=timeout)
        return stack.wait_suite(suite_id, timeout=timeout)
    finally:
        _fail_cases(stack, ())


def _fail_cases(stack: EmbeddedStack, names: tuple[str, ...]) -> None:
    assert stack.emulator is not None, "the demo's stack runs its own emulator"
    url = stack.emulator.url + "/_emulator/failing-cases"
    httpx.put(url, json={"names": list(names)}, timeout=10).raise_for_status()


def _mismatches(round_: SuiteRound, suite: Mapping[str, Any]) -> list[str]:
    problems = []
    if suite.get("status") != "COMPLETED" or suite.get("verdict") != round_.expected:
        problems.append(
            f"{round_.label}: {suite.get('status')} {suite.get('verdict')}, "
            f"expected COMPLETED {round_.expected}"
        )
    flipped = [case for run in suite.get("runs") or [] for case in run.get("newly_failing") or []]
    if round_.failing and not set(round_.failing) <= set(flipped):
        problems.append(f"{round_.label}: newly failing {flipped}, expected {list(round_.failing)}")
    return problems
