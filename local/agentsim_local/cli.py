"""`agentsim`: the command line. Argument wiring only; each command lives in its own module."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any

from agentsim_local.errors import CliError

TRIGGERS = ("webhook", "schedule", "event")


def _seconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def _stack_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stack", required=True, help="CloudFormation stack name")
    parser.add_argument("--region", help="AWS region (default: your AWS configuration)")
    parser.add_argument(
        "--endpoint-url",
        help="AWS endpoint, e.g. the local AWS printed by `agentsim local up`",
    )


def _deployed_commands(commands: Any) -> None:
    """Commands that talk to a deployed stack (or the local one, with --endpoint-url)."""
    sign = commands.add_parser(
        "sign", help="signature headers (and a curl line) for a webhook request"
    )
    sign.add_argument("request", help="request JSON file")
    secret = sign.add_mutually_exclusive_group(required=True)
    secret.add_argument("--secret", help="the webhook secret itself")
    secret.add_argument("--stack", help="read the webhook secret from this stack's secret")
    sign.add_argument("--region")
    sign.add_argument("--endpoint-url")
    sign.add_argument("--url", help="the webhook URL for the curl line (default: the stack's)")
    sign.set_defaults(handler="agentsim_local.commands.deployed:sign_command")

    start = commands.add_parser("start", help="start a run on a deployed stack")
    start.add_argument("request", help="request JSON file")
    _stack_options(start)
    start.add_argument(
        "--via",
        choices=("webhook", "event"),
        default="webhook",
        help="post a signed webhook (default) or put a StartSimulation event on the bus",
    )
    start.add_argument("--api-url", help="override the stack's ApiUrl output")
    start.set_defaults(handler="agentsim_local.commands.deployed:start_command")

    status = commands.add_parser("status", help="one run of a deployed stack")
    status.add_argument("run_id")
    _stack_options(status)
    status.add_argument("--watch", action="store_true", help="follow it with a progress bar")
    status.add_argument("--json", action="store_true", help="print the run record as JSON only")
    status.set_defaults(handler="agentsim_local.commands.deployed:status_command")

    runs = commands.add_parser("runs", help="the runs of a deployed stack, as a table")
    _stack_options(runs)
    runs.add_argument("--limit", type=int, default=50)
    runs.set_defaults(handler="agentsim_local.commands.deployed:runs_command")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agentsim",
        description="Run voice-agent simulations on OmniDimension, Bluejay and Synthflow.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="every provider and trigger end to end, locally")
    demo.add_argument("--timeout", type=float, default=300, help="seconds to wait for the runs")
    demo.set_defaults(handler="agentsim_local.demo:command")

    bench = commands.add_parser(
        "bench", help="figures: deploy time, one run, 10 to 100 concurrent runs, 150 webhooks"
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

    layer = commands.add_parser(
        "layer", help="build the Lambda layer as `sam build` does and print its sizes"
    )
    layer.add_argument(
        "--platform",
        default="manylinux2014_aarch64",
        help="wheel platform, or `host` for this machine (default: Lambda's arm64)",
    )
    layer.add_argument("--out", default=".aws-sam/layer", help="build directory")
    layer.set_defaults(handler="agentsim_local.layer:command")

    emulator = commands.add_parser("emulator", help="the provider emulator alone")
    emulator.add_argument("--port", type=int, default=8900)
    emulator.add_argument("--host", default="127.0.0.1")
    for name, help_text in (
        ("queue", "seconds a run waits before its calls"),
        ("call", "seconds one emulated call lasts"),
        ("summary", "seconds of evaluation after the calls"),
    ):
        emulator.add_argument(f"--{name}-seconds", type=_seconds, help=help_text)
    emulator.set_defaults(handler="agentsim_local.commands.emulator:command")

    local = commands.add_parser("local", help="the stack on a local AWS (no account, no Docker)")
    local_commands = local.add_subparsers(dest="local_command", required=True, metavar="COMMAND")
    run = local_commands.add_parser(
        "run",
        help="one request through the local stack",
        description="Exit status: 0 when the run completed without a failed verdict, "
        "1 when it ended otherwise, 2 on bad input.",
    )
    run.add_argument("request", help="request JSON file (see local/agentsim_local/requests/)")
    run.add_argument("--trigger", choices=TRIGGERS, default="webhook")
    run.add_argument("--json", action="store_true", help="print the run record as JSON only")
    run.add_argument("--timeout", type=float, default=300, help="seconds to wait for the run")
    run.set_defaults(handler="agentsim_local.commands.local:run_command")

    api = local_commands.add_parser("api", help="the HTTP API on localhost")
    api.add_argument("--port", type=int, default=0, help="port of the local AWS (default: free)")
    api.set_defaults(handler="agentsim_local.commands.serve:api_command")

    up = local_commands.add_parser("up", help="emulator, local AWS and API left running to explore")
    up.add_argument("--port", type=int, default=0, help="port of the local AWS (default: free)")
    up.set_defaults(handler="agentsim_local.commands.serve:up_command")

    _deployed_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Commands are imported on use: `agentsim emulator` should not pay for boto3.
    module_name, _, function_name = args.handler.partition(":")
    command = getattr(importlib.import_module(module_name), function_name)
    try:
        return int(command(args))
    except CliError as exc:
        print(f"agentsim: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("agentsim: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
