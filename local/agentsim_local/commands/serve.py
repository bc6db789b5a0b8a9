"""`agentsim local api|up`: the embedded stack left running, its API served on localhost."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from agentsim_local.deployed import WEBHOOK_PATH
from agentsim_local.errors import CliError
from agentsim_local.local_api import LocalApi
from agentsim_local.local_stack import local_api, open_stack

if TYPE_CHECKING:
    from agentsim_local.embedded import EmbeddedStack


@contextlib.contextmanager
def serving(port: int) -> Iterator[tuple[EmbeddedStack, LocalApi]]:
    with open_stack() as stack:
        try:
            api = local_api(
                stack,
                port=port,
                log=lambda line: print(f"api: {line}", file=sys.stderr, flush=True),
            )
        except OSError as exc:
            raise CliError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
        with api:
            yield stack, api


def _print_api(stack: EmbeddedStack, api: LocalApi) -> None:
    url = api.url
    stack_name = stack.stack_name
    print(f"HTTP API      {url}  (real requests become API Gateway proxy events)")
    print("Start a run (the request is signed with the stack's generated webhook secret):")
    print(
        "  agentsim sign local/agentsim_local/requests/bluejay.json "
        f"--stack {stack_name} --endpoint-url {stack.endpoint_url} --url {url}{WEBHOOK_PATH}"
    )
    print(
        f"  agentsim start REQUEST.json --stack {stack_name} --endpoint-url {stack.endpoint_url} "
        f"--api-url {url}"
    )


def _wait_forever(api: LocalApi) -> int:
    print("Ctrl-C stops everything.", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        api.join()
    return 0


def api_command(args: argparse.Namespace) -> int:
    with serving(args.port) as (stack, api):
        _print_api(stack, api)
        return _wait_forever(api)


def up_command(args: argparse.Namespace) -> int:
    with serving(args.port) as (stack, api):
        endpoint = stack.endpoint_url
        print(f"Embedded AWS  {endpoint}  (stack {stack.stack_name}, region {stack.region})")
        if stack.emulator is not None:
            print(f"Emulator      {stack.emulator.url}")
        _print_api(stack, api)
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
        return _wait_forever(api)
