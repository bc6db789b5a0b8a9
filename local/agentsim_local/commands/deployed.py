"""`agentsim sign|start|status|runs|report`: commands against a deployed stack (or `local up`).
A request file with `suite`, or a suite's id, goes to `commands.deployed_suites`."""

from __future__ import annotations

import argparse
import re
import shlex
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from agentsim.runs import ids
from agentsim.runs.signing import sign
from agentsim_local.commands.deployed_suites import start_suite, suite_report, suite_status
from agentsim_local.deployed import WEBHOOK_PATH, Aws, DeployedStack
from agentsim_local.errors import CliError, Terminated
from agentsim_local.gating import WaitOptions, see_through, show
from agentsim_local.jsonout import to_json
from agentsim_local.outcome import Exit, judge
from agentsim_local.render import make_console, runs_table
from agentsim_local.reports import Reports, write_outputs
from agentsim_local.request_files import (
    RequestFile,
    gate_overrides,
    load_request,
    validated,
    with_gate,
)
from agentsim_local.run_view import RunView
from agentsim_local.runs_api import NoSuchRun, StopRefused
from agentsim_local.waiting import (
    Cut,
    cut_by,
    signals_raise,
    stop_run,
    warn_if_still_running,
)

STOP_COMMAND_SECONDS = 60.0
"""`agentsim stop` waits for the API longer than a signal's stop may (nothing else to do)."""
_AGO = re.compile(r"^(?P<count>\d+)(?P<unit>[smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def _stack(args: argparse.Namespace) -> DeployedStack:
    return DeployedStack.find(args.stack, Aws(region=args.region, endpoint_url=args.endpoint_url))


def wait_options(args: argparse.Namespace) -> WaitOptions:
    """The waiting options of `args`; reports asked for without a wait are refused."""
    if not getattr(args, "wait", True) and (args.junit or args.summary):
        raise CliError("--junit and --summary need --wait (or `agentsim report` once it ends)")
    return WaitOptions(
        timeout=args.timeout,
        as_json=args.json,
        reports=Reports.from_args(args),
        stop=not args.keep_running,
    )


def request_to_send(args: argparse.Namespace) -> RequestFile:
    """The request file with its `--gate` overrides, checked as the API will check it."""
    return validated(with_gate(load_request(args.request), gate_overrides(args.gate or [])))


def sign_command(args: argparse.Namespace) -> int:
    """Print the signature headers for the file's exact bytes, and a curl line sending them."""
    request = load_request(args.request)
    stack = None if args.secret else _stack(args)
    secret = args.secret or (stack.webhook_secret() if stack else "")
    headers = {"Content-Type": "application/json", **sign(secret, request.body)}
    for name, value in headers.items():
        print(f"{name}: {value}")
    url = args.url or (stack.webhook_url() if stack else f"http://127.0.0.1:3000{WEBHOOK_PATH}")
    parts = ["curl", "-sS", "-X", "POST", url]
    for name, value in headers.items():
        parts += ["-H", f"{name}: {value}"]
    parts += ["--data-binary", f"@{request.path}"]
    print(shlex.join(parts))
    return 0


def start_command(args: argparse.Namespace) -> int:
    options = wait_options(args)
    request = request_to_send(args)
    stack = _stack(args)
    if request.is_suite:
        return start_suite(args, stack, request, options)
    if args.via == "event":
        event_id = stack.put_start_event(request.data)
        run_id = ids.run_id_for_event(event_id)
        started = f"StartSimulation event {event_id} put on {stack.output('EventBusName')}"
        print(started, file=sys.stderr if args.wait else sys.stdout)
    else:
        key = args.idempotency_key or str(uuid.uuid4())
        try:
            with signals_raise():
                run_id = stack.post_webhook(request.body, api_url=args.api_url, idempotency_key=key)
        except (KeyboardInterrupt, Terminated) as exc:
            return _stop_unanswered_start(stack, ids.run_id_for_key(key), cut_by(exc))
    if not args.wait:
        if args.via != "event":
            print(run_id)
            follow_it = f"follow it: agentsim status {run_id} --stack {stack.name} --wait"
            print(follow_it, file=sys.stderr)
        if options.reports.github_output:
            write_outputs(options.reports.github_output, {"run_id": run_id, "status": "PENDING"})
        return 0
    on_cut = "leaves it running" if args.keep_running else "stops it on the provider"
    print(
        f"agentsim: run {run_id} started; waiting up to {args.timeout:g}s "
        f"(Ctrl-C or SIGTERM {on_cut})",
        file=sys.stderr,
    )
    label = f"{request.provider}/{args.via}"
    return see_through(stack.runs_api, run_id, label=label, options=options)


def _stop_unanswered_start(stack: DeployedStack, run_id: str, cut: Cut) -> int:
    """A signal came while the start was in flight: the API may have created the run. Its id
    follows from the idempotency key, so it can be stopped (a 404 says it was never made)."""
    print(f"agentsim: {cut.value} received while starting: stopping run {run_id}", file=sys.stderr)
    stop_run(stack.runs_api, run_id, {"run_id": run_id, "status": "PENDING"}, maybe_unborn=True)
    return cut.exit_status or int(Exit.UNFINISHED)


def status_command(args: argparse.Namespace) -> int:
    options = wait_options(args)
    stack = _stack(args)
    record = stack.get_run(args.run_id)
    if record is None:
        return suite_status(args, stack, options)
    if not args.wait:
        show(record, as_json=args.json)
        return 0
    label = f"{record.get('provider', '?')}/{record.get('trigger', '?')}"
    return see_through(stack.runs_api, args.run_id, label=label, options=options, known=record)


def stop_command(args: argparse.Namespace) -> int:
    """Stop a run on the provider and end its workflow (`POST /simulations/{id}/stop`)."""
    stack = _stack(args)
    try:
        stopped = stack.runs_api.stop(args.run_id, within=STOP_COMMAND_SECONDS)
    except StopRefused as exc:
        raise CliError(str(exc), exit_code=1) from None
    except NoSuchRun:
        raise CliError(f"no run {args.run_id} in stack {stack.name}", exit_code=1) from None
    record = stopped or stack.get_run(args.run_id)
    if record is None:
        raise CliError(f"no run {args.run_id} in stack {stack.name}", exit_code=1)
    if stopped is None:
        print(f"agentsim: run {args.run_id} had already ended", file=sys.stderr)
    else:
        warn_if_still_running(stopped)
    show(record, as_json=args.json)
    return 0


def runs_command(args: argparse.Namespace) -> int:
    filters: dict[str, str | list[str]] = {}
    if args.provider:
        filters["provider"] = args.provider
    if args.status:
        filters["status"] = args.status
    if args.label:
        filters["label"] = [_label(text) for text in args.label]
    since = _since(args.since) if args.since else None
    stack = _stack(args)
    records = list(stack.runs_api.runs(limit=args.limit, since=since, filters=filters))
    if args.json:
        print(to_json(records))
        return 0
    views = [RunView.of(record) for record in records]
    make_console().print(runs_table(views, title=f"Runs of {stack.name}"))
    return 0


def report_command(args: argparse.Namespace) -> int:
    reports = Reports.from_args(args)
    if not (reports.junit or reports.summary or args.html):
        raise CliError("give --junit PATH, --summary PATH, --html PATH or more of them")
    stack = _stack(args)
    record = stack.get_run(args.run_id)
    if record is None:
        code = suite_report(args, stack, reports)
        _wrote(reports, args.html)
        return code
    view = RunView.of(record)
    if not view.finished:
        raise CliError(
            f"run {args.run_id} is still {view.status}: nothing to report until it ends "
            f"(agentsim status {args.run_id} --wait)",
            exit_code=int(Exit.UNFINISHED),
        )
    reports.write(record, judge(record), lambda: stack.runs_api.cases(args.run_id))
    if args.html:
        write_page(stack, record, args.html)
    _wrote(reports, args.html)
    return 0


def _wrote(reports: Reports, html: Path | None) -> None:
    for path in (reports.junit, reports.summary, html):
        if path:
            print(f"wrote {path}", file=sys.stderr)


def write_page(stack: DeployedStack, record: dict[str, Any], path: Path) -> None:
    """The run's report page as the API serves it, opened by the share link in its record."""
    url = record.get("report_url")
    if not isinstance(url, str):
        raise CliError(f"run {record.get('run_id')} has no report_url", exit_code=1)
    path.write_text(stack.runs_api.report_page(url), encoding="utf-8")


def _label(text: str) -> str:
    key, sep, _ = text.partition(":")
    if not sep or not key:
        raise CliError(f"--label {text!r}: expected KEY:VALUE, e.g. team:voice")
    return text


def _since(text: str) -> datetime:
    """An ISO 8601 time (a naive one is UTC), or an age: `30m`, `6h`, `2d` ago."""
    ago = _AGO.match(text.strip())
    if ago:
        delta = timedelta(**{_UNITS[ago["unit"]]: int(ago["count"])})
        return datetime.now(UTC) - delta
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CliError(
            f"--since {text!r}: expected an ISO 8601 time (2026-12-01T08:00Z) or an age (6h, 2d)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
