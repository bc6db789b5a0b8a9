"""`agentsim local run A.json [B.json ...]`: requests (or suites) through the real stack, deployed
into the local AWS, one after the other in one stack (so a run and its follow-up compare as a
series)."""

from __future__ import annotations

import argparse
import contextlib
import sys
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from agentsim_local.errors import CliError
from agentsim_local.gating import WaitOptions, see_through
from agentsim_local.local_stack import open_stack
from agentsim_local.preflight import check_reachable, provider_overrides
from agentsim_local.reports import Reports
from agentsim_local.request_files import (
    RequestFile,
    gate_overrides,
    load_request,
    validated,
    with_gate,
)
from agentsim_local.stdio import lambda_output
from agentsim_local.suite_wait import see_suite_through

if TYPE_CHECKING:
    from agentsim_local.embedded import EmbeddedStack
    from agentsim_local.embedded.stack import Trigger


def checked_request(path: str, gate: Sequence[str] = ()) -> RequestFile:
    """The request file with its `--gate` overrides, its provider URL reachable when one is
    configured, checked as the API will check it: all before anything is deployed."""
    request = with_gate(load_request(path), gate_overrides(gate))
    overrides = provider_overrides()
    for provider in sorted(request.providers):
        if provider in overrides:
            check_reachable(provider, overrides[provider])
    return validated(request)


def run_in_stack(
    stack: EmbeddedStack,
    request: RequestFile,
    *,
    trigger: Trigger,
    options: WaitOptions,
    out: TextIO | None = None,
) -> int:
    """Submit `request` through `trigger`, follow it to its end (progress on stderr) and report
    it; the exit status (`agentsim_local.outcome`)."""
    from agentsim_local.embedded import EmbeddedStackError  # noqa: PLC0415 - see open_stack

    key = str(uuid.uuid4())  # a new key: each `local run` is a run of its own
    try:
        if request.is_suite:
            suite_id, runs = stack.submit_suite(request.data, trigger=trigger, idempotency_key=key)
        else:
            run_id = stack.submit(request.data, trigger=trigger, idempotency_key=key)
    except EmbeddedStackError as exc:
        raise CliError(str(exc), exit_code=1) from None
    label = f"{request.label}/{trigger}"
    if request.is_suite:
        return see_suite_through(
            stack.runs_api, suite_id, runs, label=label, options=options, out=out
        )
    return see_through(stack.runs_api, run_id, label=label, options=options, out=out)


def local_run(
    path: str,
    *,
    trigger: Trigger = "webhook",
    as_json: bool = False,
    timeout: float = 300,
    stack: EmbeddedStack | None = None,
    gate: Sequence[str] = (),
    reports: Reports | None = None,
    stop: bool = True,
) -> int:
    """`agentsim local run`: in a fresh local stack, or in `stack` (tests share one).

    Lambda logs go to a log file while the run is followed on stderr, so stdout carries
    the record alone.
    """
    request = checked_request(path, gate)
    options = WaitOptions(timeout, as_json, reports or Reports(), stop)
    with lambda_output("local-run") as (log_path, stdout):
        if stack is not None:
            code = run_in_stack(stack, request, trigger=trigger, options=options, out=stdout)
        else:
            with open_stack(log_path=log_path) as fresh:
                code = run_in_stack(fresh, request, trigger=trigger, options=options, out=stdout)
    if code:
        print(f"agentsim: Lambda logs in {log_path}", file=sys.stderr)
    return code


def local_runs(
    paths: Sequence[str],
    *,
    trigger: Trigger = "webhook",
    as_json: bool = False,
    timeout: float = 300,
    gate: Sequence[str] = (),
    stop: bool = True,
    stack: EmbeddedStack | None = None,
) -> int:
    """Every file checked first (one bad file: exit 2, nothing started), then each run in order
    in one stack (a fresh one, or `stack`), each followed to its end; the worst exit status
    (3 > 1 > 0)."""
    requests = [checked_request(path, gate) for path in paths]
    options = WaitOptions(timeout, as_json, Reports(), stop, one_line=True)
    codes = []
    with lambda_output("local-run") as (log_path, stdout), contextlib.ExitStack() as opened:
        if stack is None:
            stack = opened.enter_context(open_stack(log_path=log_path))
        for request in requests:
            codes.append(run_in_stack(stack, request, trigger=trigger, options=options, out=stdout))
    if any(codes):
        print(f"agentsim: Lambda logs in {log_path}", file=sys.stderr)
    return max(codes)


def run_command(args: argparse.Namespace) -> int:
    reports = Reports.from_args(args)
    if len(args.requests) > 1:
        if reports.junit or reports.summary or reports.github_output:
            raise CliError("--junit and --summary report one run: give one request file")
        return local_runs(
            args.requests,
            trigger=args.trigger,
            as_json=args.json,
            timeout=args.timeout,
            gate=args.gate or [],
            stop=not args.keep_running,
        )
    return local_run(
        args.requests[0],
        trigger=args.trigger,
        as_json=args.json,
        timeout=args.timeout,
        gate=args.gate or [],
        reports=reports,
        stop=not args.keep_running,
    )
