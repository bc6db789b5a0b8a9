"""`agentsim demo` (`make demo`): every provider and every trigger, end to end, on this machine.

The real template is deployed into the local AWS (ministack); one signed webhook per provider
goes over real HTTP to the stack's API Gateway stage (and from there to the API function);
the nightly schedule fires through the Scheduler and one custom event is put on the bus. Runs
are followed through the API and checked against the expectations stored next to their
requests. Then a suite across the three providers runs twice, regressing the second time
(`demo_suites`).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from agentsim_local.demo_suites import run_suites
from agentsim_local.deployed import Aws, DeployedStack
from agentsim_local.expectations import Expectation
from agentsim_local.follow import follow
from agentsim_local.local_stack import open_stack
from agentsim_local.render import make_console, progress_for, runs_table
from agentsim_local.request_files import load_request
from agentsim_local.run_view import RunView
from agentsim_local.stdio import error_lines, lambda_output

if TYPE_CHECKING:
    from agentsim_local.embedded import EmbeddedStack
    from agentsim_local.embedded.stack import Trigger

REQUESTS = Path(__file__).resolve().parent / "requests"


@dataclass(frozen=True)
class DemoRun:
    """One run of the demo: a request file (none for the schedule: its input is in the
    template) and the expectation file beside it."""

    label: str
    trigger: Trigger
    request: str | None
    expect: str

    def expectation(self) -> Expectation:
        return Expectation.load(REQUESTS / self.expect)


PLAN = (
    DemoRun("omnidimension", "webhook", "omnidimension.json", "omnidimension.expect.json"),
    DemoRun("bluejay", "webhook", "bluejay.json", "bluejay.expect.json"),
    DemoRun("synthflow suite", "webhook", "synthflow.json", "synthflow.expect.json"),
    DemoRun("nightly schedule", "schedule", None, "nightly.expect.json"),
    DemoRun("synthflow case", "event", "synthflow-case.json", "synthflow-case.expect.json"),
)


def start_runs(stack: EmbeddedStack, plan: tuple[DemoRun, ...]) -> dict[str, DemoRun]:
    """Trigger every run of the plan; run id -> demo run.

    Webhooks take the path of `agentsim start`: signed with the secret read from the stack,
    posted over HTTP to its API Gateway stage.
    """
    deployed = DeployedStack(stack.stack_name, stack.outputs, Aws(stack.region, stack.endpoint_url))
    started: dict[str, DemoRun] = {}
    for run in plan:
        if run.trigger == "schedule":
            run_id = stack.fire_schedule()
        else:
            assert run.request is not None
            request = load_request(REQUESTS / run.request)
            if run.trigger == "webhook":
                run_id = deployed.post_webhook(request.body, api_url=stack.api_url)
            else:
                run_id = stack.put_event(request.data)
        started[run_id] = run
    return started


def check(started: dict[str, DemoRun], views: dict[str, RunView]) -> list[str]:
    """One line per run that did not end as expected."""
    problems = []
    for run_id, run in started.items():
        view = views.get(run_id)
        if view is None:
            problems.append(f"{run.label} ({run_id}): no run record in DynamoDB")
            continue
        wrong = run.expectation().mismatches(view)
        if wrong:
            problems.append(f"{run.label} ({run_id}): " + ", ".join(wrong))
            if view.error:
                problems.append(f"    error: {view.error}")
    return problems


def run_plan(
    stack: EmbeddedStack,
    console: Console,
    *,
    plan: tuple[DemoRun, ...],
    timeout: float,
    suites: bool = True,
) -> tuple[dict[str, DemoRun], dict[str, RunView], list[str]]:
    """Trigger the plan's runs, follow them with progress bars, read them back through the API;
    then the regression suite, twice (`demo_suites`): the problems it had."""
    console.print(f"API at {stack.api_url}; starting {len(plan)} runs ...")
    started = start_runs(stack, plan)
    labels = {run_id: f"{run.label} ({run.trigger})" for run_id, run in started.items()}
    records = follow(stack.get_run, labels, progress_for(console), timeout=timeout)
    views = views_of(stack, records)
    console.print(runs_table([views[r] for r in started if r in views], title="Runs"))
    problems = run_suites(stack, console, timeout=timeout) if suites else []
    return started, views, problems


def views_of(stack: EmbeddedStack, records: Mapping[str, Mapping[str, Any]]) -> dict[str, RunView]:
    """The runs' last records (as `follow` returns them) with their state transitions."""
    return {
        run_id: RunView.of(record, transitions=stack.transitions(run_id))
        for run_id, record in records.items()
    }


def demo(
    *,
    timeout: float = 300,
    stack: EmbeddedStack | None = None,
    plan: tuple[DemoRun, ...] = PLAN,
    suites: bool = True,
) -> int:
    """The whole demo; 1 when a run did not end as expected. Deploys unless given `stack`."""
    began = time.monotonic()
    with lambda_output("demo") as (log_path, real_stdout):
        console = make_console(real_stdout)
        console.rule("agentsim demo")
        if stack is not None:
            started, views, suite_problems = run_plan(
                stack, console, plan=plan, timeout=timeout, suites=suites
            )
        else:
            console.print(
                "Deploying template.yaml into the local AWS (ministack) through CloudFormation"
            )
            with open_stack(log_path=log_path) as fresh:
                console.print(
                    f"Stack [bold]{fresh.stack_name}[/] deployed in "
                    f"{time.monotonic() - began:.1f}s; local AWS at {fresh.endpoint_url}"
                )
                started, views, suite_problems = run_plan(
                    fresh, console, plan=plan, timeout=timeout, suites=suites
                )
        problems = check(started, views) + suite_problems
        if problems:
            console.print("[red]Runs that did not end as expected:[/]")
            for line in problems:
                console.print(f"  {line}", markup=False, highlight=False)
            for line in error_lines(log_path):
                console.print(f"  log: {line}", markup=False, highlight=False)
            console.print(f"Lambda logs: {log_path}")
        else:
            rounds = " and both suites" if suites else ""
            console.print(f"[green]All {len(started)} runs{rounds} ended as expected.[/]")
        console.print(f"Wall time: {time.monotonic() - began:.1f}s")
    return 1 if problems else 0


def command(args: argparse.Namespace) -> int:
    return demo(timeout=args.timeout)


if __name__ == "__main__":
    sys.exit(demo())
