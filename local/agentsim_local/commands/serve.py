"""`agentsim local api|up`: the local stack left running, its API Gateway stage on localhost."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from agentsim_local.deployed import WEBHOOK_PATH
from agentsim_local.local_stack import open_stack
from agentsim_local.stdio import log_file

if TYPE_CHECKING:
    from agentsim_local.embedded import EmbeddedStack


@contextlib.contextmanager
def serving(port: int) -> Iterator[EmbeddedStack]:
    """The stack on a local AWS at 127.0.0.1:`port` (0: a free port)."""
    path = log_file("local-up")
    print(f"Deploying template.yaml into the local AWS (logs: {path}) ...", file=sys.stderr)
    with open_stack(log_path=path, port=port) as stack:
        yield stack


def _print_api(stack: EmbeddedStack) -> None:
    url = stack.api_url
    stack_name = stack.stack_name
    print(f"HTTP API      {url}  (the template's REST API and stage, on API Gateway)")
    print("Start a run (the request is signed with the stack's generated webhook secret):")
    print(
        "  agentsim sign local/agentsim_local/requests/bluejay.json "
        f"--stack {stack_name} --endpoint-url {stack.endpoint_url} "
        f"--url {url.rstrip('/')}{WEBHOOK_PATH}"
    )
    print(f"  agentsim start REQUEST.json --stack {stack_name} --endpoint-url {stack.endpoint_url}")


def _wait_forever(stack: EmbeddedStack) -> int:
    print("Ctrl-C stops everything.", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        while stack.server.pid is not None:
            time.sleep(1)
    return 0


def api_command(args: argparse.Namespace) -> int:
    with serving(args.port) as stack:
        _print_api(stack)
        return _wait_forever(stack)


def up_command(args: argparse.Namespace) -> int:
    with serving(args.port) as stack:
        endpoint = stack.endpoint_url
        print(f"Local AWS     {endpoint}  (ministack: stack {stack.stack_name}, {stack.region})")
        if stack.emulator is not None:
            print(f"Emulator      {stack.emulator.url}")
        _print_api(stack)
        print("Explore with the AWS CLI (any credentials work):")
        outputs = stack.outputs
        print(
            f"  aws --endpoint-url {endpoint} dynamodb scan --table-name {outputs['RunsTableName']}"
        )
        print(
            f"  aws --endpoint-url {endpoint} stepfunctions list-executions "
            f"--state-machine-arn {outputs['StateMachineArn']}"
        )
        print(f"  agentsim runs --stack {stack.stack_name} --endpoint-url {endpoint}")
        print("Stack outputs:")
        for key, value in sorted(outputs.items()):
            print(f"  {key:<22} {value}")
        return _wait_forever(stack)
