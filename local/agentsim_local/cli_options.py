"""The options the `agentsim` commands share (AWS and stack, waiting and reports, gate
overrides) and the help formatter that shows every default."""

from __future__ import annotations

import argparse
import os
from importlib.metadata import PackageNotFoundError, version
from typing import Any

TRIGGERS = ("webhook", "schedule", "event")
PROVIDERS = ("omnidimension", "bluejay", "synthflow")
STATUSES = ("PENDING", "RUNNING", "COMPLETED", "FAILED", "STOPPED", "TIMED_OUT")
STACK_ENV = "AGENTSIM_STACK"
REGION_ENV = "AGENTSIM_REGION"
WAIT_EPILOG = (
    "exit status: 0 the run passed (or completed ungraded, with no gate), 1 it failed its "
    "gate (FAILED, REGRESSED), 2 bad input, 3 it did not complete (not finished within "
    "--timeout, TIMED_OUT, FAILED with an error, STOPPED), 130/143 after Ctrl-C/SIGTERM. "
    "Ctrl-C, SIGTERM and --timeout stop the run on the provider before exiting."
)


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Defaults shown after each option's help, except where there is nothing to show."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if "(default" in text or action.default in (None, False, [], argparse.SUPPRESS):
            return text
        return super()._get_help_string(action)


def seconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def package_version() -> str:
    try:
        return version("agentsim")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def add_command(commands: Any, name: str, **kwargs: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name, formatter_class=HelpFormatter, **kwargs
    )
    return parser


def add_group(commands: Any, name: str, **kwargs: Any) -> Any:
    """A command that only leads to its own commands (`agentsim github comment`)."""
    group = add_command(commands, name, **kwargs)
    return group.add_subparsers(dest=f"{name}_command", required=True, metavar="COMMAND")


def aws_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--region",
        default=os.environ.get(REGION_ENV) or None,
        help=f"AWS region (default: ${REGION_ENV}, else your AWS configuration)",
    )
    parser.add_argument(
        "--endpoint-url",
        help="AWS endpoint, e.g. the local AWS printed by `agentsim local up`",
    )


def stack_options(parser: argparse.ArgumentParser) -> None:
    stack = os.environ.get(STACK_ENV) or None
    parser.add_argument(
        "--stack",
        required=stack is None,
        default=stack,
        help=f"CloudFormation stack name (default: ${STACK_ENV})",
    )
    aws_options(parser)


def wait_options(parser: argparse.ArgumentParser, *, timeout: float) -> None:
    """What every command following a run to its end takes."""
    parser.add_argument(
        "--timeout",
        type=seconds,
        default=timeout,
        metavar="SECONDS",
        help="seconds to wait for the run; past them it is stopped and the exit status is 3",
    )
    parser.add_argument("--json", action="store_true", help="print the final record as JSON only")
    parser.add_argument(
        "--junit", metavar="PATH", help="write a JUnit XML report (one testcase per case)"
    )
    parser.add_argument(
        "--summary",
        metavar="PATH",
        help="write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set)",
    )
    parser.add_argument(
        "--github-output",
        metavar="PATH",
        help="append run-id, status, verdict, report-url as GitHub step outputs "
        "(give it $GITHUB_OUTPUT)",
    )
    parser.add_argument(
        "--keep-running",
        action="store_true",
        help="on Ctrl-C, SIGTERM or --timeout leave the run going instead of stopping it",
    )


def gate_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--gate",
        action="append",
        metavar="KEY=VALUE",
        help="set a field of the request's gate (repeatable), e.g. min_pass_rate=0.8",
    )
