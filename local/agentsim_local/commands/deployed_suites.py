"""`agentsim start|status|report` for a suite on a deployed stack (a request file with `suite`,
or a suite id): the suite's half of `commands.deployed`."""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path
from typing import Any

from agentsim.runs import ids
from agentsim.runs.record import Origin
from agentsim_local.deployed import DeployedStack
from agentsim_local.errors import CliError
from agentsim_local.gating import WaitOptions, show
from agentsim_local.outcome import Exit
from agentsim_local.reports import Reports, write_outputs
from agentsim_local.request_files import RequestFile
from agentsim_local.suite_wait import (
    SUITE_ENDED,
    judge_suite,
    see_suite_through,
    suite_table,
    write_suite_reports,
)

SUITES_PATH = "/suites"
SUITE_DETAIL_TYPE = "StartSuite"


def start_suite(
    args: argparse.Namespace, stack: DeployedStack, request: RequestFile, options: WaitOptions
) -> int:
    """Start the suite (a signed `POST /suites`, or a StartSuite event) and maybe wait for it."""
    if args.via == "event":
        event_id = stack.put_start_event(request.data, SUITE_DETAIL_TYPE)
        suite_id = ids.suite_id_for(Origin.EVENT.value, event_id)
        print(f"{SUITE_DETAIL_TYPE} event {event_id} put on the bus", file=sys.stderr)
    else:
        suite_id = stack.post_webhook(
            request.body,
            api_url=args.api_url,
            idempotency_key=args.idempotency_key or str(uuid.uuid4()),
            path=SUITES_PATH,
            id_field="suite_id",
        )
    runs = [ids.child_run_id(suite_id, i) for i in range(len(request.data["suite"]["runs"]))]
    if not args.wait:
        print(suite_id)
        print(f"follow it: agentsim status {suite_id} --stack {stack.name} --wait", file=sys.stderr)
        if options.reports.github_output:
            write_outputs(options.reports.github_output, {"run_id": suite_id, "status": "PENDING"})
        return 0
    print(f"agentsim: suite {suite_id} started ({len(runs)} runs)", file=sys.stderr)
    return see_suite_through(stack.runs_api, suite_id, runs, label=request.label, options=options)


def suite_status(args: argparse.Namespace, stack: DeployedStack, options: WaitOptions) -> int:
    suite = _suite(stack, args.run_id)
    if not args.wait:
        show(suite, as_json=args.json, table=suite_table)
        return 0
    runs = [str(r["run_id"]) for r in suite.get("runs") or []]
    label = f"suite {suite.get('name')}"
    return see_suite_through(stack.runs_api, args.run_id, runs, label=label, options=options)


def suite_report(args: argparse.Namespace, stack: DeployedStack, reports: Reports) -> int:
    suite = _suite(stack, args.run_id)
    if suite.get("status") not in SUITE_ENDED:
        raise CliError(
            f"suite {args.run_id} is still {suite.get('status')}: nothing to report until it "
            f"ends (agentsim status {args.run_id} --wait)",
            exit_code=int(Exit.UNFINISHED),
        )
    options = WaitOptions(timeout=0, reports=reports)
    write_suite_reports(stack.runs_api, suite, judge_suite(suite), options)
    if args.html:
        write_suite_page(stack, suite, args.html)
    return 0


def write_suite_page(stack: DeployedStack, suite: dict[str, Any], path: Path) -> None:
    url = suite.get("report_url")
    if not isinstance(url, str):
        raise CliError(f"suite {suite.get('suite_id')} has no report_url", exit_code=1)
    path.write_text(stack.runs_api.report_page(url), encoding="utf-8")


def _suite(stack: DeployedStack, suite_id: str) -> dict[str, Any]:
    suite = stack.runs_api.suite(suite_id)
    if suite is None:
        raise CliError(f"no run or suite {suite_id} in stack {stack.name}", exit_code=1)
    return suite
