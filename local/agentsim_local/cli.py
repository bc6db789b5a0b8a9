"""`agentsim`: the command line. Argument wiring only; each command lives in its own module.

Exit statuses of the commands that wait for a run (`start --wait`, `status --wait`,
`local run`): 0 passed (or no verdict and no gate), 1 failed, 2 bad input, 3 not completed
(`agentsim_local.outcome`); 130/143 after Ctrl-C/SIGTERM, the run stopped first.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from agentsim_local.cli_options import (
    PROVIDERS,
    STACK_ENV,
    STATUSES,
    TRIGGERS,
    WAIT_EPILOG,
    HelpFormatter,
    add_command,
    add_group,
    aws_options,
    gate_option,
    package_version,
    seconds,
    stack_options,
    wait_options,
)
from agentsim_local.errors import CliError, Terminated


def _deployed_commands(commands: Any) -> None:
    """Commands that talk to a deployed stack (or the local one, with --endpoint-url)."""
    sign = add_command(commands, "sign", help="signature headers (and a curl line) for a webhook")
    sign.add_argument("request", help="request JSON file")
    stack = os.environ.get(STACK_ENV) or None
    secret = sign.add_mutually_exclusive_group(required=stack is None)
    secret.add_argument("--secret", help="the webhook secret itself")
    secret.add_argument(
        "--stack",
        default=stack,
        help=f"read the webhook secret from this stack's secret (default: ${STACK_ENV})",
    )
    aws_options(sign)
    sign.add_argument("--url", help="the webhook URL for the curl line (default: the stack's)")
    sign.set_defaults(handler="agentsim_local.commands.deployed:sign_command")

    start = add_command(
        commands,
        "start",
        help="start a run on a deployed stack (--wait: follow it and exit by its verdict)",
        epilog=WAIT_EPILOG,
    )
    start.add_argument("request", help="request JSON file")
    stack_options(start)
    start.add_argument(
        "--via",
        choices=("webhook", "event"),
        default="webhook",
        help="post a signed webhook or put a StartSimulation event on the bus",
    )
    start.add_argument("--api-url", help="the API's URL (default: the stack's ApiUrl output)")
    start.add_argument(
        "--idempotency-key",
        metavar="KEY",
        help="one run per key for 24 hours (default: a new key each time, so every `start` "
        "is a run of its own; its retries are still one run)",
    )
    gate_option(start)
    start.add_argument(
        "--wait", action="store_true", help="follow the run to its end and exit by its verdict"
    )
    wait_options(start, timeout=3600)
    start.set_defaults(handler="agentsim_local.commands.deployed:start_command")

    status = add_command(commands, "status", help="one run of a deployed stack", epilog=WAIT_EPILOG)
    status.add_argument("run_id", help="the run's id (as `start` printed it)")
    stack_options(status)
    status.add_argument(
        "--wait",
        "--watch",
        dest="wait",
        action="store_true",
        help="follow it with a progress bar to its end and exit by its verdict",
    )
    wait_options(status, timeout=3600)
    status.set_defaults(handler="agentsim_local.commands.deployed:status_command")

    _run_commands(commands)
    _github_commands(commands)


def _run_commands(commands: Any) -> None:
    """Commands on runs that exist: stop one, list them, report one."""
    stop = add_command(commands, "stop", help="stop a run on the provider and end its workflow")
    stop.add_argument("run_id", help="the run's id")
    stack_options(stop)
    stop.add_argument("--json", action="store_true", help="print the run record as JSON only")
    stop.set_defaults(handler="agentsim_local.commands.deployed:stop_command")

    runs = add_command(commands, "runs", help="the runs of a deployed stack, newest first")
    stack_options(runs)
    runs.add_argument("--limit", type=int, default=50, help="the most runs to list")
    runs.add_argument("--provider", choices=PROVIDERS, help="only this provider's runs")
    runs.add_argument("--status", choices=STATUSES, help="only runs in this status")
    runs.add_argument(
        "--label",
        action="append",
        metavar="KEY:VALUE",
        help="only runs with this label (repeatable: all must match)",
    )
    runs.add_argument(
        "--since", help="only runs created since: an ISO 8601 time or an age (30m, 6h, 2d)"
    )
    runs.add_argument("--json", action="store_true", help="print the runs as a JSON array")
    runs.set_defaults(handler="agentsim_local.commands.deployed:runs_command")

    report = add_command(
        commands,
        "report",
        help="JUnit XML, a Markdown summary or the report page of a finished run",
    )
    report.add_argument("run_id", help="the run's id")
    stack_options(report)
    report.add_argument("--junit", metavar="PATH", help="write a JUnit XML report")
    report.add_argument(
        "--summary",
        metavar="PATH",
        help="write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set)",
    )
    report.add_argument(
        "--html",
        metavar="PATH",
        type=Path,
        help="write the run's report page (the HTML its report_url opens) for a CI artifact",
    )
    report.set_defaults(handler="agentsim_local.commands.deployed:report_command")


def _github_commands(commands: Any) -> None:
    github_commands = add_group(commands, "github", help="GitHub integration (used by action.yml)")
    comment = add_command(
        github_commands,
        "comment",
        help="post a summary as one pull request comment, edited in place on later runs",
        description="The pull request is the one of $GITHUB_EVENT_PATH, in $GITHUB_REPOSITORY, "
        "through $GITHUB_API_URL; the token is read from $GITHUB_TOKEN (never an argument). "
        "Outside a pull request event it does nothing and exits 0.",
    )
    comment.add_argument("--summary", metavar="PATH", required=True, help="the Markdown to post")
    comment.add_argument(
        "--key",
        default="agentsim",
        help="which sticky comment: one per key in a pull request (e.g. the request file)",
    )
    comment.add_argument("--pr", type=int, help="the pull request number (default: the event's)")
    comment.set_defaults(handler="agentsim_local.commands.github:comment_command")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agentsim",
        description="Run voice-agent simulations on OmniDimension, Bluejay and Synthflow.",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"agentsim {package_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = add_command(commands, "demo", help="every provider and trigger end to end, locally")
    demo.add_argument("--timeout", type=float, default=300, help="seconds to wait for the runs")
    demo.set_defaults(handler="agentsim_local.demo:command")

    bench = add_command(
        commands, "bench", help="figures: deploy time, one run, 10 to 100 concurrent runs, webhooks"
    )
    bench.add_argument(
        "--levels",
        type=lambda text: tuple(int(n) for n in text.split(",")),
        default=(10, 25, 50, 100),
        help="concurrent runs to measure after one alone (comma-separated)",
    )
    bench.add_argument("--webhooks", type=int, default=150, help="concurrent signed webhooks")
    bench.add_argument("--timeout", type=float, default=300, help="seconds to wait for the runs")
    bench.add_argument(
        "--no-build",
        dest="build",
        action="store_false",
        help="skip the build and handler figures (layer, set-up time, cold imports, warm poll)",
    )
    bench.set_defaults(handler="agentsim_local.bench:command")

    layer = add_command(
        commands, "layer", help="build the Lambda layer as `sam build` does and print its sizes"
    )
    layer.add_argument(
        "--platform",
        default="manylinux2014_aarch64",
        help="wheel platform, or `host` for this machine (default: Lambda's arm64)",
    )
    layer.add_argument("--out", default=".aws-sam/layer", help="build directory")
    layer.set_defaults(handler="agentsim_local.layer:command")

    emulator = add_command(commands, "emulator", help="the provider emulator alone")
    emulator.add_argument("--port", type=int, default=8900, help="port to listen on")
    emulator.add_argument("--host", default="127.0.0.1", help="address to listen on")
    for name, help_text in (
        ("queue", "seconds a run waits before its calls"),
        ("call", "seconds one emulated call lasts"),
        ("summary", "seconds of evaluation after the calls"),
    ):
        emulator.add_argument(
            f"--{name}-seconds", type=seconds, help=f"{help_text} (default: the emulator's)"
        )
    emulator.set_defaults(handler="agentsim_local.commands.emulator:command")

    local_commands = add_group(
        commands, "local", help="the stack on a local AWS (no account, no Docker)"
    )
    run = add_command(
        local_commands,
        "run",
        help="requests through the local stack, in order, each followed to its end",
        epilog=WAIT_EPILOG,
    )
    run.add_argument(
        "requests",
        nargs="+",
        metavar="REQUEST",
        help="request JSON files (see local/agentsim_local/requests/), run in order in one "
        "stack: a run and its follow-up compare as one series",
    )
    run.add_argument("--trigger", choices=TRIGGERS, default="webhook", help="how to start it")
    gate_option(run)
    wait_options(run, timeout=300)
    run.set_defaults(handler="agentsim_local.commands.local:run_command")

    api = add_command(local_commands, "api", help="the HTTP API on localhost")
    api.add_argument("--port", type=int, default=0, help="port of the local AWS (0: a free one)")
    api.set_defaults(handler="agentsim_local.commands.serve:api_command")

    up = add_command(
        local_commands, "up", help="emulator, local AWS and API left running to explore"
    )
    up.add_argument("--port", type=int, default=0, help="port of the local AWS (0: a free one)")
    up.set_defaults(handler="agentsim_local.commands.serve:up_command")

    _deployed_commands(commands)
    return parser


@contextlib.contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """SIGTERM raises `Terminated` (as Ctrl-C raises KeyboardInterrupt): servers a command
    started are stopped by its `finally` blocks instead of being left running."""

    def raise_terminated(signum: int, frame: FrameType | None) -> None:
        raise Terminated

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Commands are imported on use: `agentsim emulator` should not pay for boto3.
    module_name, _, function_name = args.handler.partition(":")
    command = getattr(importlib.import_module(module_name), function_name)
    try:
        with _sigterm_unwinds():
            return int(command(args))
    except CliError as exc:
        print(f"agentsim: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("agentsim: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT
    except Terminated:
        print("agentsim: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM


if __name__ == "__main__":
    sys.exit(main())
