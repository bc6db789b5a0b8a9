"""`agentsim local run`: one request through the real stack, deployed into the local AWS."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TextIO

from agentsim_local.errors import CliError
from agentsim_local.follow import follow
from agentsim_local.jsonout import to_json
from agentsim_local.local_stack import open_stack
from agentsim_local.preflight import check_reachable, provider_overrides
from agentsim_local.render import make_console, progress_for, record_table
from agentsim_local.request_files import RequestFile, load_request
from agentsim_local.run_view import RunView
from agentsim_local.stdio import lambda_output

if TYPE_CHECKING:
    from agentsim_local.embedded import EmbeddedStack
    from agentsim_local.embedded.stack import Trigger


def checked_request(path: str) -> RequestFile:
    """The request file, plus the provider URL it will talk to when one is configured."""
    request = load_request(path)
    override = provider_overrides().get(request.provider)
    if override is not None:
        check_reachable(request.provider, override)
    return request


def run_in_stack(
    stack: EmbeddedStack,
    request: RequestFile,
    *,
    trigger: Trigger,
    timeout: float,
) -> dict[str, Any]:
    """Submit `request` through `trigger` and follow it to its end (progress on stderr)."""
    from agentsim_local.embedded import EmbeddedStackError  # noqa: PLC0415 - see open_stack

    try:
        run_id = stack.submit(request.data, trigger=trigger)
    except EmbeddedStackError as exc:
        raise CliError(str(exc), exit_code=1) from None
    label = f"{request.provider}/{trigger}"
    console = make_console(sys.stderr)
    records = follow(stack.get_run, {run_id: label}, progress_for(console), timeout=timeout)
    record = records.get(run_id) or {"run_id": run_id, "status": "PENDING"}
    if not RunView.of(record).finished:
        raise CliError(f"run {run_id} did not finish within {timeout:.0f}s", exit_code=1)
    return record


def exit_status(view: RunView) -> int:
    """0 for a completed run without a failed verdict, 1 for anything else."""
    return 0 if view.status == "COMPLETED" and view.verdict != "FAILED" else 1


def report(record: Mapping[str, Any], *, as_json: bool, out: TextIO) -> int:
    view = RunView.of(record)
    if as_json:
        out.write(to_json(record) + "\n")
    else:
        make_console(out).print(record_table(record))
    code = exit_status(view)
    if code and view.error:
        print(f"agentsim: run {view.run_id} {view.status}: {view.error}", file=sys.stderr)
    return code


def local_run(
    path: str,
    *,
    trigger: Trigger = "webhook",
    as_json: bool = False,
    timeout: float = 300,
    stack: EmbeddedStack | None = None,
) -> int:
    """`agentsim local run`: in a fresh local stack, or in `stack` (tests share one).

    Lambda logs go to a log file while the run is followed on stderr, so stdout carries
    the record alone.
    """
    request = checked_request(path)
    with lambda_output("local-run") as (log_path, _):
        if stack is not None:
            record = run_in_stack(stack, request, trigger=trigger, timeout=timeout)
        else:
            with open_stack(log_path=log_path) as fresh:
                record = run_in_stack(fresh, request, trigger=trigger, timeout=timeout)
    code = report(record, as_json=as_json, out=sys.stdout)
    if code:
        print(f"agentsim: Lambda logs in {log_path}", file=sys.stderr)
    return code


def run_command(args: argparse.Namespace) -> int:
    return local_run(args.request, trigger=args.trigger, as_json=args.json, timeout=args.timeout)
